"""`benchmarks/profile_paths.py` times each hot path on a tiny city (no timing assertions)."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks import profile_paths


@pytest.mark.parametrize("path", profile_paths.PATHS)
def test_every_path_runs_and_reports_its_median_and_p95(
    path: str, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path_factory.getbasetemp() / "profile-city"  # one tiny city for all paths
    code = profile_paths.main(
        [path, "--scale", "12", "--repeat", "2", "--warmup", "1", "--cache-dir", str(cache)]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"{path} on the 12 city: median ")
    assert "p95" in printed
    assert Path(cache).is_dir()
