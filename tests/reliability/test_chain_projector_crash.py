"""ES-10 for the hash chain (GDPR-5): SIGKILLs during catch-up leave each link exactly once.

The chain's links (`rm_chain`) are appended in the projector's batch transaction, together with
the tracking position (ADR 0005). A history is stored first (nothing projects it); then the
worker `ideation projections run` catches up and is killed with SIGKILL again and again,
most kills inside a batch's transaction. After every kill:

- the chain ends exactly at the tracking position and holds one link per notification up
  to it (a batch commits whole or not at all);
- the next worker announces that it resumes from that tracking position.

A last run (`--until-caught-up`) finishes from where the last kill left the position; it must
apply exactly the remaining events. Then the chain holds every notification exactly once,
without gaps, and the planner's own verifier recomputes it from the event table as intact.

The workers run the CLI's own `main`, forked from a zygote (`conftest.Zygote`) so that a
restart costs the planner's start-up, not a new interpreter's imports.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from ideation.bootstrap import build_application
from ideation.readmodels.tables import PROJECTION_NAME, chain, tracking
from tests.conftest import Backend, scaled
from tests.reliability.conftest import (
    Zygote,
    build_writer,
    check_exactly_once,
    close_app,
    generate_idea_history,
    make_city,
    notification_log,
    read_engine,
    tracking_position,
)

EVENTS = scaled(2_000, 100_000)
KILLS = scaled(12, 40)
BATCH_SIZE = scaled(100, 500)
# Seconds between seeing the worker's progress and the SIGKILL: about one batch's time.
KILL_DELAY = (0.0, 0.06)
PROGRESS_TIMEOUT = 60.0
FINAL_RUN_TIMEOUT = scaled(120, 600)
WORKER = "ideation.entrypoints.cli:main"


@dataclass(frozen=True)
class ChainState:
    """The stored chain at one moment, with the tracking position read in the same snapshot."""

    rows: int
    distinct: int
    head: int  # the highest chained position (0 when empty)
    tracking: int


def chain_state(engine: Engine) -> ChainState:
    """Count the chain's links and read its head and the tracking position together."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            rows, distinct, head = conn.execute(
                select(
                    func.count(),
                    func.count(func.distinct(chain.c.position)),
                    func.max(chain.c.position),
                )
            ).one()
            position = conn.execute(
                select(tracking.c.position).where(tracking.c.name == PROJECTION_NAME)
            ).scalar()
    return ChainState(rows, distinct, head or 0, position or 0)


def wait_for_progress(engine: Engine, worker: Zygote, beyond: int) -> int:
    """Wait until the tracking position passes `beyond`; fail if the worker ends first."""
    deadline = time.monotonic() + PROGRESS_TIMEOUT
    while True:
        position = tracking_position(engine)
        if position > beyond:
            return position
        if not worker.running:
            pytest.fail(f"the worker ended:\n{worker.tail()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no progress beyond {beyond} in {PROGRESS_TIMEOUT} s:\n{worker.tail()}")
        time.sleep(0.005)


@pytest.fixture
def workers(backend: Backend, tmp_path: Path) -> Iterator[Zygote]:
    """`ideation projections …` processes forked from a zygote; none survives the test."""
    zygote = Zygote(WORKER, backend.settings, tmp_path / "zygote.log")
    try:
        yield zygote
    finally:
        zygote.close()


@pytest.mark.timeout(scaled(300, 1800))
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_sigkills_during_catch_up_leave_the_hash_chain_with_every_event_once_and_intact(
    backend: Backend, workers: Zygote
) -> None:
    rng = random.Random(20261210)
    started = time.perf_counter()

    # A history nobody has projected yet.
    writer = build_writer(backend.settings)
    try:
        generated = generate_idea_history(
            writer, make_city(writer), events=EVENTS, rng=rng, comment_share=0.4
        )
        log_ids = [n.id for n in notification_log(writer)]
    finally:
        close_app(writer)
    last_id = log_ids[-1]
    engine = read_engine(backend.settings)
    assert chain_state(engine) == ChainState(0, 0, 0, 0), "the generator must not project"

    # Kill the worker again and again while it catches up; after each kill the chain must
    # end at the tracking position, and the next worker must start from there.
    run = ["projections", "run", "--batch-size", str(BATCH_SIZE), "--poll-interval", "0.05"]
    kills: list[ChainState] = []
    resumed_from: list[int] = []
    position = 0
    while len(kills) < KILLS and position < last_id:
        announced = workers.count("Projektor")
        workers.fork(run)
        wait_for_progress(engine, workers, position)
        time.sleep(rng.uniform(*KILL_DELAY))
        workers.kill()
        workers.wait_for_lines("Projektor", announced + 1, 10)
        resumed_from.append(int(re.search(r"Stand (\d+)", workers.lines["Projektor"][-1])[1]))
        state = chain_state(engine)
        kills.append(state)
        position = state.tracking
        # The batch in flight committed whole (links and position) or not at all.
        assert state.head == state.tracking, state
        assert state.rows == state.distinct == sum(1 for i in log_ids if i <= state.tracking)
    assert resumed_from == [0] + [k.tracking for k in kills[:-1]]
    kills_behind = sum(1 for k in kills if k.tracking < last_id)

    # The last restart finishes from the position the last kill left.
    final_started = time.perf_counter()
    workers.fork(["projections", "run", "--until-caught-up", "--batch-size", str(BATCH_SIZE)])
    assert workers.wait(FINAL_RUN_TIMEOUT) == 0, workers.tail()
    catch_up_seconds = time.perf_counter() - final_started
    applied, reached = map(
        int, re.search(r"(\d+) Ereignisse projiziert, Stand (\d+)", workers.tail(3)).groups()
    )
    assert (applied, reached) == (last_id - position, last_id)

    # Every notification chained exactly once, no gaps, and the verifier agrees.
    with engine.connect() as conn:
        positions = Counter(conn.execute(select(chain.c.position)).scalars())
    duplicates = sum(c - 1 for c in positions.values() if c > 1)
    missing = len(set(log_ids) - positions.keys())
    unexpected = len(positions.keys() - set(log_ids))
    app = build_application(backend.settings, catch_up=False)
    try:
        verification = app.read_models.verify_chain()
        figures = check_exactly_once(app, engine)
    finally:
        close_app(app)
        engine.dispose()

    print(
        f"\nES-10 chain [{backend.name}]: {last_id} events ({generated.events} generated in "
        f"{generated.seconds:.1f} s); {len(kills)} SIGKILLs, {kills_behind} while behind, at "
        f"positions {[k.tracking for k in kills]}; {sum(positions.values())} chain rows, "
        f"{duplicates} duplicates, {missing} missing, {unexpected} unexpected; verifier "
        f"{'intact' if verification.intact else verification.first_break} over "
        f"{verification.checked} links; catch-up after the last restart: {applied} events "
        f"from {position} in {catch_up_seconds:.2f} s; {figures.activity_rows} activity rows "
        f"exact; {time.perf_counter() - started:.1f} s in all"
    )
    assert (duplicates, missing, unexpected) == (0, 0, 0)
    assert verification.intact, verification.first_break
    assert verification.checked == len(log_ids)
    assert verification.head.position == last_id
    assert kills_behind >= KILLS // 2, [k.tracking for k in kills]
