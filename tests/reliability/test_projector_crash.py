"""ES-10: kill -9 during projection catch-up; the read model still holds each event once.

At least 20,000 events are stored first (nothing projects them). Then the worker
`ideation projections run` catches up and is killed with SIGKILL again and again, each time
after the tracking position moved and a short random delay, so most kills land inside a
batch's transaction. A last run finishes the catch-up. Because every batch commits together
with its tracking position, the read model must hold every notification exactly once:
rm_activity one row per notification id, and counters that a re-applied event would double
(comment_count, support_count) exact.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ideation.config import Settings
from tests.conftest import Backend
from tests.reliability.conftest import (
    Launcher,
    build_writer,
    check_exactly_once,
    close_app,
    generate_idea_history,
    make_city,
    read_engine,
    search_rows,
    tracking_position,
    worker_environment,
)

EVENTS = 20_000
KILLS = 12  # at least 10 must land while the worker is behind
BATCH_SIZE = 200
WORKER_START_TIMEOUT = 60.0
FINAL_RUN_TIMEOUT = 240.0


def wait_for_progress(worker, engine, beyond: int, timeout: float) -> int:  # type: ignore[no-untyped-def]
    """Wait until the tracking position passes `beyond`; fail if the worker dies first."""
    deadline = time.monotonic() + timeout
    while True:
        position = tracking_position(engine)
        if position > beyond:
            return position
        if not worker.running:
            pytest.fail(f"worker exited with {worker.proc.returncode}:\n{worker.output()[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"no progress beyond {beyond} in {timeout} s:\n{worker.output()[-3000:]}")
        time.sleep(0.01)


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_sigkill_during_catch_up_leaves_every_event_projected_exactly_once(
    backend: Backend, launcher: Launcher
) -> None:
    rng = random.Random(20261127)
    started = time.perf_counter()

    writer = build_writer(backend.settings)
    try:
        generated = generate_idea_history(
            writer, make_city(writer), events=EVENTS, rng=rng, comment_share=0.4
        )
        last_id = writer.recorder.max_notification_id()
        assert last_id >= EVENTS
        engine = read_engine(backend.settings)
        assert tracking_position(engine) == 0, "the generator must not project"

        # Kill the worker again and again while it catches up.
        kill_positions: list[int] = []
        kill_phase = time.perf_counter()
        position = 0
        while len(kill_positions) < KILLS and position < last_id:
            worker = launcher.start(
                "projections", "run", "--batch-size", str(BATCH_SIZE), "--poll-interval", "0.05"
            )
            wait_for_progress(worker, engine, position, WORKER_START_TIMEOUT)
            time.sleep(rng.uniform(0.0, 0.4))
            code = worker.kill()
            assert code == -9, worker.output()[-3000:]
            position = tracking_position(engine)
            kill_positions.append(position)
        kill_seconds = time.perf_counter() - kill_phase
        kills_behind = sum(1 for p in kill_positions if p < last_id)

        # A last run finishes from wherever the tracking position stands.
        resumed_from = tracking_position(engine)
        final_started = time.perf_counter()
        final = launcher.start(
            "projections", "run", "--until-caught-up", "--batch-size", str(BATCH_SIZE)
        )
        assert final.wait(timeout=FINAL_RUN_TIMEOUT) == 0, final.output()[-3000:]
        final_seconds = time.perf_counter() - final_started

        figures = check_exactly_once(writer, engine)
        assert search_rows(engine) == len(generated.ideas)
        engine.dispose()
    finally:
        close_app(writer)

    total = time.perf_counter() - started
    print(
        f"\nES-10 [{backend.name}]: {last_id} events ({generated.events} generated in "
        f"{generated.seconds:.1f} s); {len(kill_positions)} SIGKILLs in {kill_seconds:.1f} s, "
        f"{kills_behind} while behind, at positions {kill_positions}; final run from "
        f"{resumed_from}: {last_id - resumed_from} events in {final_seconds:.1f} s "
        f"({(last_id - resumed_from) / final_seconds:,.0f} events/s incl. start-up); "
        f"{figures.activity_rows} activity rows, {figures.missing} missing, "
        f"{figures.duplicates} duplicates; {figures.comments} comments on "
        f"{figures.ideas_checked} ideas exact; {total:.1f} s in all"
    )
    assert kills_behind >= 10, kill_positions


def test_the_worker_starts_with_python_dash_m(tmp_path: Path) -> None:
    settings = Settings.from_env({"IDEATION_INSTANCE_PATH": str(tmp_path / "instance")})
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ideation.entrypoints.cli",
            "projections",
            "run",
            "--until-caught-up",
        ],
        env=worker_environment(settings),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
