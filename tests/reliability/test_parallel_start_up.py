"""Several processes starting at once on a fresh database all come up (PostgreSQL, SQLite)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL

PROCESSES = 6
START = (
    "from ideation.bootstrap import build_application\n"
    "from ideation.config import Settings\n"
    "app = build_application(Settings.from_env())\n"
    "print('ready', app.read_models.projector.position())\n"
)


@pytest.mark.parametrize(
    "backend_name", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_processes_starting_together_on_an_empty_database_all_start(
    backend_name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    env = {**os.environ, "IDEATION_INSTANCE_PATH": str(tmp_path / "instance")}
    if backend_name == "postgres":
        env["IDEATION_DATABASE_URL"] = POSTGRES_URL
        env["IDEATION_DATABASE_SCHEMA"] = request.getfixturevalue("postgres_schema")
    # All processes create the event tables, the library's functions, the directory and
    # the read models at the same moment; without the start-up lock PostgreSQL answered
    # "tuple concurrently updated" to some of them.
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", START], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(PROCESSES)
    ]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in starts]
    failures = [err.decode()[-1500:] for code, _, err in results if code != 0]
    assert not failures, failures
    assert all(out.startswith(b"ready") for _, out, _ in results)
