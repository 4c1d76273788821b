"""Helpers for the projector reliability tests (ES-10, concurrent workers).

- a fast history generator: Idea aggregates built in memory through the domain methods and
  stored in chunks through `app.save` (every save still goes through the library's recorder);
- a launcher for `ideation projections run` worker subprocesses that never leaves one alive;
- the exactly-once check of the read model against the notification log.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import Notification
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from ideation.application.service import IdeationApplication
from ideation.bootstrap import build_application, build_engine
from ideation.config import Settings
from ideation.domain.actor import Actor
from ideation.domain.idea import Idea
from ideation.eventstore.settings import storage_settings
from ideation.readmodels.tables import PROJECTION_NAME, activity, comments, ideas, tracking
from tests.conftest import Cast, make_cast

# `python -m ideation.entrypoints.cli` cannot run `projections` (its __main__ block stands
# above the definition of `_projections`, see the report of this test suite), so workers
# start through `main()` like the installed `ideation` script does.
_CLI = "import sys; from ideation.entrypoints.cli import main; sys.exit(main(sys.argv[1:]))"

# The same, with what each catch-up committed counted (through the public `catch_up`, which
# `projections run` calls in its loop); the counts are printed as one line at exit (a SIGTERM
# lets `projections run` return normally, so the line is written).
_COUNTING_CLI = """
import atexit, json, sys
from ideation.readmodels.projector import Projector
stats = {"catch_ups": 0, "productive": 0, "applied": 0}
original = Projector.catch_up
def counting(self, *args, **kwargs):
    result = original(self, *args, **kwargs)
    stats["catch_ups"] += 1
    stats["productive"] += result.applied > 0
    stats["applied"] += result.applied
    return result
Projector.catch_up = counting
atexit.register(lambda: print("WORKER-STATS " + json.dumps(stats), flush=True))
from ideation.entrypoints.cli import main
sys.exit(main(sys.argv[1:]))
"""

COMMENT_TEXTS = (
    "Das hilft auch unserem Bürgerbüro.",
    "Gibt es dafür Fördermittel des Landes?",
    "Bitte den Datenschutz früh einbinden.",
    "Wir hätten Sensorik übrig, die wir beisteuern könnten.",
    "Wie sieht es mit der Barrierefreiheit aus?",
    "Die Stadtwerke haben ein ähnliches Projekt in Planung.",
    "Könnte man das mit dem Open-Data-Portal verknüpfen?",
    "Aus Sicht des Tiefbauamts machbar, wenn die Leitungen frei sind.",
)
THEMES = ("Mobilität", "Energie", "Verwaltung", "Bildung", "Umwelt", "Sensorik", "Open Data")


# -- the city and a fast history ---------------------------------------------------------


@dataclass(frozen=True)
class City:
    """The test cast plus one member (person id, department id) per extra department."""

    cast: Cast
    members: tuple[tuple[UUID, UUID], ...]  # (person, department), one per department


def writer_only(app: IdeationApplication) -> IdeationApplication:
    """Stop `app` from projecting: only worker processes may touch the read models.

    `build_application(catch_up=False)` skips only the first catch-up; `save()` still
    catches up after every command while read models are attached.
    """
    app.read_models = None
    return app


def build_writer(settings: Settings) -> IdeationApplication:
    """An application that stores events but never projects them."""
    return writer_only(build_application(settings, catch_up=False))


def close_app(app: IdeationApplication) -> None:
    app.close()
    app.directory.engine.dispose()


def make_city(app: IdeationApplication, extra_departments: int = 6) -> City:
    """The test cast (real commands) plus more departments, each with one member."""
    cast = make_cast(app)
    members = [(cast.member, cast.mobility), (cast.other_member, cast.citizens)]
    for n in range(extra_departments):
        kind = "company" if n % 3 == 0 else "administration"
        department = app.register_department(cast.admin, f"Fachbereich {n + 1}", f"F{n}", kind)
        person = app.register_person(
            cast.admin, f"Mitglied {n + 1}", f"mitglied{n}@example.org", department, ["member"]
        )
        members.append((person, department))
    return City(cast, tuple(members))


@dataclass
class Generated:
    """What the fast generator stored."""

    events: int = 0
    ideas: list[UUID] = field(default_factory=list)
    seconds: float = 0.0


def generate_idea_history(
    app: IdeationApplication,
    city: City,
    *,
    events: int,
    rng: random.Random,
    actions_per_idea: tuple[int, int] = (5, 40),
    comment_share: float = 0.5,
    chunk_events: int = 2_000,
) -> Generated:
    """Store at least `events` Idea events: submitted, commented, support pledged/withdrawn.

    The aggregates are built with the domain methods, as the application's commands would
    (departments pledge, withdraw and pledge again; people comment and reply), and stored in
    chunks with `app.save(*ideas)`, about 2,000 events per save instead of one per command.
    """
    generated = Generated()
    started = time.perf_counter()
    pending: list[Idea] = []
    pending_events = 0
    members = city.members

    def actor(person: UUID, department: UUID) -> Actor:
        return Actor(person_id=person, department_id=department, role="member")

    while generated.events + pending_events < events:
        author, department = rng.choice(members)
        idea = Idea.submit(
            id=uuid4(),
            title=f"Idee {len(generated.ideas) + len(pending) + 1}: {rng.choice(THEMES)} digital",
            summary="Automatisch erzeugt für den Zuverlässigkeitstest.",
            description="",
            themes=rng.sample(THEMES, rng.randint(0, 3)),
            department_id=department,
            actor=actor(author, department),
        )
        others = [m for m in members if m[1] != department]
        for _ in range(rng.randint(*actions_per_idea)):
            if rng.random() < comment_share:
                person, home = rng.choice(members)
                reply_to = None
                if idea.comments and rng.random() < 0.2:
                    reply_to = rng.choice(idea.comments)["comment_id"]
                idea.comment(rng.choice(COMMENT_TEXTS), actor(person, home), reply_to=reply_to)
                continue
            pledged = set(idea.supporting_departments)
            free = [m for m in others if m[1] not in pledged]
            if free and (not pledged or rng.random() < 0.6):
                person, other = rng.choice(free)
                idea.pledge_support(other, "", actor(person, other))
            else:
                person, other = rng.choice([m for m in others if m[1] in pledged])
                idea.withdraw_support(other, "Keine Kapazität", actor(person, other))
        pending.append(idea)
        pending_events += idea.version
        if pending_events >= chunk_events:
            app.save(*pending)
            generated.ideas.extend(i.id for i in pending)
            generated.events += pending_events
            pending, pending_events = [], 0
    if pending:
        app.save(*pending)
        generated.ideas.extend(i.id for i in pending)
        generated.events += pending_events
    generated.seconds = time.perf_counter() - started
    return generated


# -- the notification log and the exactly-once check ---------------------------------------


def notification_log(app: IdeationApplication, page: int = 10_000) -> list[Notification]:
    """Every notification in the log, in id order."""
    result: list[Notification] = []
    start = 1
    while True:
        batch = app.recorder.select_notifications(start=start, limit=page)
        result.extend(batch)
        if len(batch) < page:
            return result
        start = batch[-1].id + 1


def read_engine(settings: Settings) -> Engine:
    """A plain SQLAlchemy engine on the store of `settings`, for looking at the read models."""
    storage = storage_settings(
        settings.database_url,
        schema=settings.database_schema,
        lock_timeout_seconds=settings.lock_timeout_seconds,
    )
    return build_engine(storage, settings.lock_timeout_seconds)


def tracking_position(engine: Engine) -> int:
    """The projector's tracking position (0 before the schema exists)."""
    with engine.connect() as conn:
        position = conn.execute(
            select(tracking.c.position).where(tracking.c.name == PROJECTION_NAME)
        ).scalar()
    return position or 0


@dataclass(frozen=True)
class ExactlyOnce:
    """Figures of the exactly-once check (all problems are 0 when it passes)."""

    notifications: int
    activity_rows: int
    missing: int
    duplicates: int
    unexpected: int
    ideas_checked: int
    comments: int
    wrong_comment_counts: int
    wrong_comment_rows: int
    wrong_support_counts: int


def check_exactly_once(app: IdeationApplication, engine: Engine) -> ExactlyOnce:
    """Compare the read model with the notification log; assert nothing is missing or doubled.

    - rm_activity holds exactly one row per notification id;
    - the tracking position is the last notification id;
    - per idea, comment_count and the rm_comments rows equal the Idea.Commented events and
      support_count equals SupportPledged minus SupportWithdrawn: a notification applied twice
      would double them (and one applied never would miss).
    """
    log = notification_log(app)
    ids = [n.id for n in log]
    commented = Counter(n.originator_id for n in log if n.topic.endswith(":Idea.Commented"))
    support = Counter(n.originator_id for n in log if n.topic.endswith(":Idea.SupportPledged"))
    support.subtract(n.originator_id for n in log if n.topic.endswith(":Idea.SupportWithdrawn"))
    submitted = [n.originator_id for n in log if n.topic.endswith(":Idea.Submitted")]
    with engine.connect() as conn:
        positions = list(conn.execute(select(activity.c.position)).scalars())
        counters = {
            row.id: (row.comment_count, row.support_count)
            for row in conn.execute(
                select(ideas.c.id, ideas.c.comment_count, ideas.c.support_count)
            )
        }
        comment_rows = dict(
            conn.execute(
                select(comments.c.idea_id, func.count()).group_by(comments.c.idea_id)
            ).all()
        )
    seen = Counter(positions)
    expected = set(ids)
    figures = ExactlyOnce(
        notifications=len(ids),
        activity_rows=len(positions),
        missing=len(expected - seen.keys()),
        duplicates=sum(c - 1 for c in seen.values() if c > 1),
        unexpected=len(seen.keys() - expected),
        ideas_checked=len(submitted),
        comments=sum(commented.values()),
        wrong_comment_counts=sum(
            1 for i in submitted if counters.get(i, (None, None))[0] != commented[i]
        ),
        wrong_comment_rows=sum(1 for i in submitted if comment_rows.get(i, 0) != commented[i]),
        wrong_support_counts=sum(
            1 for i in submitted if counters.get(i, (None, None))[1] != support[i]
        ),
    )
    print(f"exactly-once check: {figures}")
    assert len(ids) == len(expected), "the notification log repeats an id"
    assert (figures.missing, figures.duplicates, figures.unexpected) == (0, 0, 0), figures
    assert tracking_position(engine) == ids[-1]
    assert len(counters) == len(submitted)
    assert figures.wrong_comment_counts == 0, figures
    assert figures.wrong_comment_rows == 0, figures
    assert figures.wrong_support_counts == 0, figures
    return figures


def search_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM rm_idea_search")).scalar_one()


# -- worker subprocesses -----------------------------------------------------------------


def worker_environment(settings: Settings) -> dict[str, str]:
    """This process's environment with the IDEATION_* settings of `settings`, nothing else."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IDEATION_")}
    env["IDEATION_INSTANCE_PATH"] = str(settings.instance_path)
    env["IDEATION_DATABASE_URL"] = settings.database_url
    if settings.database_schema:
        env["IDEATION_DATABASE_SCHEMA"] = settings.database_schema
    env["IDEATION_LOCK_TIMEOUT_SECONDS"] = str(settings.lock_timeout_seconds)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Worker:
    """One `ideation projections …` subprocess with its output in a log file."""

    proc: subprocess.Popen[bytes]
    log_path: Path
    args: Sequence[str]

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> int:
        """SIGKILL, as a crash would; return the exit code."""
        self.proc.send_signal(signal.SIGKILL)
        return self.proc.wait(timeout=30)

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM (the worker finishes its batch and exits); return the exit code."""
        if self.running:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def wait(self, timeout: float) -> int:
        return self.proc.wait(timeout=timeout)

    def stats(self) -> dict[str, int]:
        """The counts a counting worker printed on exit."""
        for line in self.output().splitlines():
            if line.startswith("WORKER-STATS "):
                return json.loads(line.removeprefix("WORKER-STATS "))
        raise AssertionError(f"worker printed no statistics:\n{self.output()[-3000:]}")


class Launcher:
    """Starts workers against one store; the fixture kills every survivor afterwards."""

    def __init__(self, settings: Settings, log_dir: Path) -> None:
        self.env = worker_environment(settings)
        self.log_dir = log_dir
        self.workers: list[Worker] = []

    def start(self, *args: str, counting: bool = False) -> Worker:
        """Start `ideation <args>` (e.g. "projections", "run", "--batch-size", "200")."""
        log_path = self.log_dir / f"worker-{len(self.workers) + 1}.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-c", _COUNTING_CLI if counting else _CLI, *args],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        worker = Worker(proc, log_path, args)
        self.workers.append(worker)
        return worker

    def kill_survivors(self) -> None:
        """SIGTERM every worker still running, then SIGKILL whichever does not exit."""
        survivors = [w for w in self.workers if w.running]
        for worker in survivors:
            worker.proc.send_signal(signal.SIGTERM)
        for worker in survivors:
            try:
                worker.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.proc.kill()
                worker.proc.wait(timeout=30)


@pytest.fixture
def launcher(backend, tmp_path: Path) -> Iterator[Launcher]:  # type: ignore[no-untyped-def]
    """Start worker subprocesses on the test's backend; none survives the test."""
    log_dir = tmp_path / "workers"
    log_dir.mkdir()
    launcher = Launcher(backend.settings, log_dir)
    try:
        yield launcher
    finally:
        launcher.kill_survivors()
