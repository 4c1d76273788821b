"""Helpers for the projector reliability tests (ES-10, concurrent workers).

- a fast history generator: Idea aggregates built in memory through the domain methods and
  stored in chunks through `app.save` (every save still goes through the library's recorder);
- a launcher for `ideation projections run` worker subprocesses that never leaves one alive;
- the exactly-once check of the read model against the notification log;
- a zygote that forks processes to be SIGKILLed and restarted cheaply (ES-9, ES-10).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
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


# -- forked processes: cheap restarts for kill tests -----------------------------------------

# Starting a Python interpreter with the planner costs about a second of CPU (imports), which
# a test with dozens of SIGKILLs and restarts cannot afford in CI. A zygote imports once and
# holds no connection; each process it forks then builds its application (connections,
# start-up schema checks, tracking position) like a restarted process does. The zygote reports
# each child's pid and, once reaped, its wait status; the children write their own lines to
# the same stdout (single writes under PIPE_BUF, so lines never tear or interleave).
_ZYGOTE = """
import importlib, json, os, sys, traceback
module, _, name = sys.argv[1].partition(":")
target = getattr(importlib.import_module(module), name)
os.write(1, b"READY\\n")
for line in sys.stdin:
    args = json.loads(line)
    pid = os.fork()
    if pid == 0:
        # Line-buffered: each printed line reaches the pipe in one write(2), whole.
        sys.stdout = open(1, "w", buffering=1, closefd=False)
        code = 1
        try:
            code = target(*args) or 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException:
            os.write(1, ("ERROR " + json.dumps(traceback.format_exc()[-1500:]) + "\\n").encode())
        finally:
            sys.stdout.flush()
            os._exit(code)
    os.write(1, f"PID {pid}\\n".encode())
    _, status = os.waitpid(pid, 0)
    os.write(1, f"EXIT {pid} {status}\\n".encode())
"""


def emit_line(line: str) -> None:
    """Write one line to stdout with a single write(2), for a forked child's report."""
    data = (line + "\n").encode()
    if len(data) >= 4096:  # PIPE_BUF: longer writes could interleave with other threads'
        raise ValueError("line too long for one atomic write")
    os.write(1, data)


class Zygote:
    """Forks `module:function(*args)` children on demand, one at a time; none survives close().

    Lines the children write are kept by their first word (`lines["ACK"]`, …) and in order
    (`output`); a line starting with ERROR fails every wait.
    """

    def __init__(self, target: str, settings: Settings, log_path: Path) -> None:
        env = worker_environment(settings)
        env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
        self.log = log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _ZYGOTE, target],
            cwd=env["PYTHONPATH"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            start_new_session=True,
        )
        self.lines: dict[str, list[str]] = {}
        self.output: list[str] = []
        self.closed = False
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.pid: int | None = None  # the child alive now
        self.status: int | None = None  # the wait status of the last child reaped

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            kind, _, rest = line.partition(" ")
            with self.changed:
                self.lines.setdefault(kind, []).append(rest)
                self.output.append(line)
                self.changed.notify_all()
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    @property
    def running(self) -> bool:
        """Whether a child was forked and has not been reaped yet."""
        with self.changed:
            return self.pid is not None and not any(
                e.startswith(f"{self.pid} ") for e in self.lines.get("EXIT", ())
            )

    def count(self, kind: str) -> int:
        """How many lines starting with `kind` the children wrote so far."""
        with self.changed:
            return len(self.lines.get(kind, ()))

    def wait_for(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        """Wait until `predicate()` holds (checked under the lock); fail on a child's ERROR."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                if self.lines.get("ERROR"):
                    pytest.fail(f"a forked process failed:\n{json.loads(self.lines['ERROR'][0])}")
                if predicate():
                    return
                if self.closed:
                    pytest.fail(f"the zygote ended while waiting for {what}:\n{self.tail()}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    pytest.fail(f"no {what} within {timeout} s:\n{self.tail()}")
                self.changed.wait(remaining)

    def wait_for_lines(self, kind: str, count: int, timeout: float) -> None:
        """Wait until the children wrote at least `count` lines starting with `kind`."""
        self.wait_for(
            lambda: len(self.lines.get(kind, ())) >= count, timeout, f"{count} {kind} lines"
        )

    def tail(self, lines: int = 30) -> str:
        """The last lines the children wrote, for a failure message."""
        return "\n".join(self.output[-lines:])

    def fork(self, *args: Any) -> int:
        """Start a child running the target with `args` (JSON values); return its pid."""
        if self.pid is not None:
            raise RuntimeError("one child at a time: kill or wait for the running one first")
        self.wait_for(lambda: bool(self.lines.get("READY")), 60, "zygote start-up")
        pids_before = self.count("PID")
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(list(args)) + "\n").encode())
        self.proc.stdin.flush()
        self.wait_for(lambda: len(self.lines.get("PID", ())) > pids_before, 30, "child pid")
        self.pid = int(self.lines["PID"][-1])
        return self.pid

    def wait(self, timeout: float) -> int:
        """Wait until the running child exits; return its wait status."""
        assert self.pid is not None
        self.wait_for(
            lambda: any(e.startswith(f"{self.pid} ") for e in self.lines.get("EXIT", ())),
            timeout,
            f"exit of child {self.pid}",
        )
        exit_line = next(e for e in reversed(self.lines["EXIT"]) if e.startswith(f"{self.pid} "))
        self.status = int(exit_line.split()[1])
        self.pid = None
        return self.status

    def kill(self) -> None:
        """SIGKILL the running child, as a crash would, and wait until it was reaped."""
        assert self.pid is not None
        if self.running:  # a child that ended by itself is reaped, its pid may be reused
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        status = self.wait(30)
        assert os.WIFSIGNALED(status), f"the child ended by itself: status {status}"
        assert os.WTERMSIG(status) == signal.SIGKILL, status

    def close(self) -> None:
        """SIGKILL the zygote and every child: they share the zygote's process group."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.reader.join(timeout=10)
        self.log.close()
