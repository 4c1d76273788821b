"""ES-2 and ES-3: many writers on ONE idea, as threads of one process and as processes.

Each writer comments on the same idea: read the version, send the command, and on a
conflict read again and retry. Every acknowledged comment must be stored exactly once, the
idea's versions run 1..n without holes, the final version is 1 + the acknowledgements, and
no writer ever sees an error other than the conflict (no "database is locked" at the lock
timeout of 10 s). ES-3 is the gunicorn-worker case: separate processes on one SQLite file
(and on one PostgreSQL schema); each prints an acknowledgement line per stored comment.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import UUID

import pytest

from ideation.application.errors import ConcurrencyConflict
from ideation.application.service import IdeationApplication
from tests.conftest import LONG_RUN, Backend, make_cast, scaled
from tests.reliability.conftest import worker_environment

# Every retry replays the whole idea, so the cost grows with the square of the comments: CI
# runs a smaller shape, `make reliability` the catalogue's (8 × 50 and 16 × 25; 8 × 125).
THREAD_SHAPES = [(8, 50), (16, 25)] if LONG_RUN else [(8, 25)]
PROCESSES = scaled(4, 8)
COMMANDS_PER_PROCESS = scaled(25, 125)
PROJECT_ROOT = Path(__file__).resolve().parents[2]

# One writer process: comment COMMANDS times, retrying conflicts, and report each outcome.
_WRITER = """
import json, sys
from uuid import UUID
from ideation.application.errors import ConcurrencyConflict
from ideation.config import Settings
from tests.reliability.conftest import build_writer, close_app

writer, idea, person, commands = sys.argv[1], UUID(sys.argv[2]), UUID(sys.argv[3]), int(sys.argv[4])
app = build_writer(Settings.from_env())
conflicts = 0
for n in range(commands):
    text = f"Kommentar {writer}-{n}"
    while True:
        version = app.get_idea(idea).version
        try:
            app.comment_on_idea(person, idea, version, text)
        except ConcurrencyConflict:
            conflicts += 1
            continue
        except Exception as error:
            print("ERROR " + json.dumps(f"{type(error).__name__}: {error}"), flush=True)
            raise
        print("ACK " + json.dumps(text), flush=True)
        break
print("CONFLICTS " + str(conflicts), flush=True)
close_app(app)
"""


def stored_comments(app: IdeationApplication, idea: UUID) -> tuple[list[str], list[int]]:
    """The comment texts stored on the idea, and the versions of all its events."""
    stored = list(app.events.get(idea))
    comments = [e.text for e in stored if type(e).__qualname__ == "Idea.Commented"]
    return comments, [e.originator_version for e in stored]


def check_every_ack_stored_once(
    app: IdeationApplication, idea: UUID, acknowledged: list[str]
) -> None:
    """ES-2's invariants: 0 lost, 0 duplicated, versions 1..n, final version = 1 + acks."""
    comments, versions = stored_comments(app, idea)
    assert versions == list(range(1, len(versions) + 1))
    assert app.get_idea(idea).version == 1 + len(acknowledged)
    assert Counter(comments) == Counter(acknowledged)


@pytest.mark.parametrize(("threads", "per_thread"), THREAD_SHAPES, ids=lambda n: str(n))
def test_writer_threads_on_one_idea_lose_nothing_and_duplicate_nothing(
    backend: Backend, threads: int, per_thread: int
) -> None:
    app = backend.build()
    cast = make_cast(app)
    idea = app.submit_idea(cast.member, title="Stresstest-Idee", summary="Viele Kommentare")
    start = threading.Barrier(threads)
    conflicts = Counter[int]()

    def writer(thread: int) -> list[str]:
        acknowledged = []
        start.wait()
        for n in range(per_thread):
            text = f"Kommentar {thread}-{n}"
            while True:
                version = app.get_idea(idea).version
                try:
                    app.comment_on_idea(cast.other_member, idea, version, text)
                except ConcurrencyConflict:
                    conflicts[thread] += 1
                    continue
                acknowledged.append(text)
                break
        return acknowledged

    began = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        acknowledged = [text for texts in pool.map(writer, range(threads)) for text in texts]
    seconds = time.perf_counter() - began

    print(
        f"\nES-2 {backend.name}: {threads} threads × {per_thread}: {len(acknowledged)} acked, "
        f"{sum(conflicts.values())} conflicts retried, 0 lost, 0 duplicated, {seconds:.1f} s"
    )
    assert len(acknowledged) == threads * per_thread
    check_every_ack_stored_once(app, idea, acknowledged)
    assert sum(conflicts.values()) > 0, "the writers never raced; the test proved nothing"


def test_writer_processes_on_one_store_lose_nothing_and_never_see_a_locked_database(
    backend: Backend,
) -> None:
    # The city and the idea, written by this process.
    app = backend.build()
    cast = make_cast(app)
    idea = app.submit_idea(cast.member, title="Mehrprozess-Idee", summary="Viele Kommentare")
    environment = worker_environment(backend.settings)
    assert backend.settings.lock_timeout_seconds >= 10

    # PROCESSES writers start together and each comments COMMANDS_PER_PROCESS times.
    began = time.perf_counter()
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _WRITER,
                str(n),
                str(idea),
                str(cast.other_member),
                str(COMMANDS_PER_PROCESS),
            ],
            env=environment,
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    acknowledged: list[str] = []
    errors: list[str] = []
    conflicts = 0
    try:
        for process in writers:
            out, err = process.communicate(timeout=600)
            for line in out.splitlines():
                kind, _, rest = line.partition(" ")
                if kind == "ACK":
                    acknowledged.append(json.loads(rest))
                elif kind == "ERROR":
                    errors.append(json.loads(rest))
                elif kind == "CONFLICTS":
                    conflicts += int(rest)
            assert process.returncode == 0, err[-2000:]
    finally:
        for process in writers:
            if process.poll() is None:
                process.kill()
                process.wait()
    seconds = time.perf_counter() - began

    # Every acknowledged comment is stored exactly once; nothing failed but conflicts.
    print(
        f"\nES-3 {backend.name}: {PROCESSES} processes × {COMMANDS_PER_PROCESS}: "
        f"{len(acknowledged)} acked, {conflicts} conflicts retried, {len(errors)} errors, "
        f"{seconds:.1f} s"
    )
    assert errors == []
    assert len(acknowledged) == PROCESSES * COMMANDS_PER_PROCESS
    check_every_ack_stored_once(app, idea, acknowledged)
