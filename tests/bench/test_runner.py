"""`benchmarks/run.py --smoke` on a tiny city completes and writes the JSON (no timings)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks import run

ROOT = Path(__file__).resolve().parents[2]


def smoke(tmp_path: Path, backends: str) -> dict:
    out = tmp_path / "result.json"
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--smoke",
            "--scales",
            "12",
            "--backends",
            backends,
            "--cache-dir",
            str(tmp_path / "cache"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "Smoke run complete" in completed.stdout
    return json.loads(out.read_text())


def test_parse_scale() -> None:
    assert [run.parse_scale(s) for s in ("1k", "10k", "100k", "20")] == [1000, 10000, 100000, 20]


def test_smoke_on_sqlite(tmp_path: Path) -> None:
    report = smoke(tmp_path, "sqlite")
    for key in run.KEYS:
        assert report[key], key
    assert report["smoke"] is True
    assert report["scales"] == [12]
    machine = report["machine"]
    for key in ("cpu_count", "cpu_model", "python", "eventsourcing", "sqlite", "git_commit"):
        assert key in machine
    b1 = report["B1"][0]
    assert b1["backend"] == "sqlite"
    assert b1["events_per_s"] > 0
    assert "ratio" in b1
    assert report["B2"][0]["heavy_idea_events"] > 300
    assert {"stage_filter", "theme_filter", "search"} <= set(report["B3"][0])
    assert report["B4"][0]["events"] > 0
    assert "ratio" in report["B4"][0]
    assert {r["what"] for r in report["B6"]} == {
        "peak RSS of the rebuild process",
        "RSS after serving list, idea page and history page",
    }
    # the city was cached under its digest and is reused by a second run
    digest = run.script_digest(12)
    assert (tmp_path / "cache" / digest / "sqlite.json").exists()


def test_smoke_on_postgres(tmp_path: Path) -> None:
    if not run.postgres_reachable():
        pytest.skip("PostgreSQL not reachable")
    report = smoke(tmp_path, "postgres")
    assert {r["backend"] for r in report["B1"]} == {"postgres"}
    assert report["B2"][0]["backend"] == "postgres"
    for key in ("B1", "B2", "B3", "B6", "B7"):
        assert report[key], key
    assert report["machine"]["postgresql"]
    run._drop_schema(run.postgres_schema(run.script_digest(12)))
