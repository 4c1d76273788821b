"""Two projector workers and a live writer: every event still projected exactly once.

Two `ideation projections run` subprocesses follow the log while the test process issues
real application commands from two threads for a bounded time (the writer never projects
itself). The workers race for the same batches: each takes the tracking-row lock, re-reads
the position and skips what the other applied. At the end both are caught up, rm_activity
holds one row per notification id and the counters are exact. The workers also count what
they applied: together exactly the number of notifications, and each applied some.
Notification ids are not asserted to be gap-free (PostgreSQL may leave holes, ES-7).
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from uuid import UUID

import pytest

from ideation.application.errors import ConcurrencyConflict
from ideation.application.service import IdeationApplication
from tests.conftest import Backend
from tests.reliability.conftest import (
    COMMENT_TEXTS,
    THEMES,
    City,
    Launcher,
    build_writer,
    check_exactly_once,
    close_app,
    make_city,
    notification_log,
    read_engine,
    tracking_position,
)

WRITE_SECONDS = 15.0
WRITER_THREADS = 2
WORKERS = 2
BATCH_SIZE = 50
CATCH_UP_TIMEOUT = 120.0


@dataclass
class IdeaState:
    """What a writer thread knows about one of its ideas."""

    id: UUID
    department: UUID
    version: int = 1
    pledged: set[UUID] = field(default_factory=set)
    assessed: bool = False


@dataclass
class WriterThread:
    """One writer: submits ideas and comments, pledges, withdraws, assesses and revises."""

    app: IdeationApplication
    city: City
    seed: int
    stop: threading.Event
    commands: int = 0
    conflicts: int = 0
    error: BaseException | None = None
    ideas: list[IdeaState] = field(default_factory=list)

    def run(self) -> None:
        rng = random.Random(self.seed)
        try:
            while not self.stop.is_set():
                self.step(rng)
                self.commands += 1
        except BaseException as error:  # reported by the test
            self.error = error

    def step(self, rng: random.Random) -> None:
        app, cast, members = self.app, self.city.cast, self.city.members
        if not self.ideas or rng.random() < 0.12:
            person, department = rng.choice(members)
            idea = app.submit_idea(
                person,
                title=f"Live-Idee {self.seed}-{len(self.ideas) + 1}",
                summary="Während die Projektoren laufen eingereicht.",
                themes=rng.sample(THEMES, 2),
            )
            self.ideas.append(IdeaState(idea, department))
            return
        idea = rng.choice(self.ideas)
        roll = rng.random()
        try:
            if roll < 0.45:
                person, _ = rng.choice(members)
                app.comment_on_idea(person, idea.id, idea.version, rng.choice(COMMENT_TEXTS))
            elif roll < 0.85:
                person, department = rng.choice([m for m in members if m[1] != idea.department])
                if department in idea.pledged:
                    app.withdraw_support(person, idea.id, idea.version, "Keine Kapazität")
                    idea.pledged.remove(department)
                else:
                    app.pledge_support(person, idea.id, idea.version, "Wir machen mit.")
                    idea.pledged.add(department)
            elif roll < 0.93 and not idea.assessed:
                app.assess_idea(
                    cast.coordinator,
                    idea.id,
                    idea.version,
                    impact=rng.randint(1, 5),
                    effort=rng.randint(1, 5),
                    expected_weeks=rng.randint(1, 30),
                    rationale="Bewertet während des Tests",
                )
                idea.assessed = True
            else:
                author = next(p for p, d in members if d == idea.department)
                app.revise_idea(
                    author, idea.id, idea.version, {"title": f"Überarbeitet {idea.version}"}
                )
        except ConcurrencyConflict:  # not expected: each thread owns its ideas
            self.conflicts += 1
            idea.version = app.get_idea(idea.id).version
            return
        idea.version += 1


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_two_workers_racing_a_live_writer_project_every_event_exactly_once(
    backend: Backend, launcher: Launcher
) -> None:
    started = time.perf_counter()
    writer = build_writer(backend.settings)
    engine = read_engine(backend.settings)
    stop = threading.Event()
    threads: list[threading.Thread] = []
    try:
        city = make_city(writer)
        workers = [
            launcher.start(
                "projections",
                "run",
                "--batch-size",
                str(BATCH_SIZE),
                "--poll-interval",
                "0.05",
                counting=True,
            )
            for _ in range(WORKERS)
        ]
        writers = [WriterThread(writer, city, seed, stop) for seed in range(WRITER_THREADS)]
        threads = [threading.Thread(target=w.run, daemon=True) for w in writers]
        for thread in threads:
            thread.start()
        write_started = time.perf_counter()
        lag_samples: list[int] = []
        while time.perf_counter() - write_started < WRITE_SECONDS:
            time.sleep(0.5)
            lag_samples.append(writer.recorder.max_notification_id() - tracking_position(engine))
            assert all(w.running for w in workers), [w.output()[-2000:] for w in workers]
            assert all(w.error is None for w in writers), [w.error for w in writers]
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        write_seconds = time.perf_counter() - write_started
        for w in writers:
            if w.error is not None:
                raise w.error

        # Both workers keep running until the tracking position reaches the last id.
        last_id = writer.recorder.max_notification_id()
        caught_up_started = time.perf_counter()
        while tracking_position(engine) < last_id:
            assert all(w.running for w in workers), [w.output()[-2000:] for w in workers]
            assert time.perf_counter() - caught_up_started < CATCH_UP_TIMEOUT, "no catch-up"
            time.sleep(0.05)
        catch_up_seconds = time.perf_counter() - caught_up_started
        exit_codes = [w.stop() for w in workers]
        assert exit_codes == [0] * WORKERS, [w.output()[-2000:] for w in workers]
        stats = [w.stats() for w in workers]

        figures = check_exactly_once(writer, engine)
        notifications = len(notification_log(writer))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        close_app(writer)
        engine.dispose()

    commands = sum(w.commands for w in writers)
    print(
        f"\nES-7 concurrent projectors [{backend.name}]: {commands} commands from {WRITER_THREADS} "
        f"threads in {write_seconds:.1f} s ({commands / write_seconds:,.0f}/s), "
        f"{notifications} notifications (last id {last_id}); lag max "
        f"{max(lag_samples)} / last {lag_samples[-1]} events; caught up {catch_up_seconds:.1f} s "
        f"after the writers stopped; worker stats {stats}; conflicts "
        f"{sum(w.conflicts for w in writers)}; {figures.activity_rows} activity rows, "
        f"{figures.missing} missing, {figures.duplicates} duplicates; "
        f"{time.perf_counter() - started:.1f} s in all"
    )
    assert sum(s["applied"] for s in stats) == notifications  # each applied by one worker only
    assert all(s["applied"] > 0 for s in stats), stats  # both workers took part
