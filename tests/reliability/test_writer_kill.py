"""ES-9: kill -9 during write load, then restart; no acknowledged command is lost or partial.

A writer process runs the planner's own commands through `IdeationApplication` in several
threads: submitting ideas (with an Idempotency-Key), commenting, pledging support, assessing,
handing to a working group, accepting (the idea's `Accepted` and the new measure's `Planned`
in one save) and registering people with three roles (four events of one aggregate in one
save). After each command returns, the writer writes one acknowledgement line to its stdout:
the command and the (aggregate, version) of every event it stored.

The parent reads the acknowledgements, SIGKILLs the writer at a random moment under load,
starts a new one, and repeats (after every fourth round one more writer is killed while it is
still starting up). Afterwards the store must hold:

- every acknowledged command's events (0 missing);
- every command's events all or none (0 partial): an `Accepted` idea has its measure and a
  measure its `Accepted` idea, a person registered under load has all four events;
  committed-but-unacknowledged commands (the kill came between commit and acknowledgement)
  are allowed and counted;
- versions 1..n without holes for every aggregate, each (aggregate, version) once;
- on SQLite, `PRAGMA integrity_check` = ok;
- after a restart has caught up: the read models and the hash chain hold every event once.

The writers are forked from a zygote (`conftest.Zygote`) that imported the planner once: a new
interpreter per restart would spend the CI budget on imports. Each writer is still a fresh
process that builds its application (connections, start-up schema checks) as a restart does.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import threading
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

import pytest
from sqlalchemy import select

from ideation.application.service import IDEMPOTENT_SUBMIT_NAMESPACE, MEASURE_NAMESPACE
from ideation.bootstrap import build_application
from ideation.config import Settings
from ideation.directory.people import people
from tests.conftest import LONG_RUN, Backend, scaled
from tests.reliability.conftest import (
    Zygote,
    check_exactly_once,
    close_app,
    emit_line,
    make_city,
    notification_log,
    read_engine,
    writer_only,
)

# Rounds whose writer is killed under load (after its first acknowledgement).
ROUNDS = scaled(20, 40)
# The long variant goes on after its rounds until this many commands were acknowledged.
TARGET_ACKS = scaled(0, 40_000)
THREADS = 4
# Seconds the writer runs under load (after its first acknowledgement) before the SIGKILL.
KILL_AFTER = (3.0, 15.0) if LONG_RUN else (0.2, 0.7)
# After every so many rounds under load, one more writer is killed while still starting up.
KILL_AT_START_EVERY = 4
FIRST_ACK_TIMEOUT = 60.0
# A person registered under load gets these roles: Registered plus three RoleGranted events.
NEW_PERSON_ROLES = ("member", "group_member", "auditor")
PERSON_EVENTS = 1 + len(NEW_PERSON_ROLES)

# -- the writer (runs in the forked child) ---------------------------------------------------


@dataclass
class OpenIdea:
    """One of a writer thread's ideas, as far as the thread moved it."""

    id: UUID
    version: int
    status: str = "submitted"
    pledged: set[UUID] = field(default_factory=set)


def _writer_thread(app: Any, city: dict[str, Any], round_no: int, index: int) -> None:
    """Run commands on this thread's own ideas forever (until the SIGKILL), acking each."""
    rng = random.Random(f"{round_no}-{index}")
    members = [(UUID(p), UUID(d)) for p, d in city["members"]]
    author, department = members[index % len(members)]
    others = [m for m in members if m[1] != department]
    admin, coordinator = UUID(city["admin"]), UUID(city["coordinator"])
    group = UUID(city["group"])
    ideas: list[OpenIdea] = []
    n = 0

    def ack(kind: str, events: list[tuple[UUID, int]]) -> None:
        emit_line("ACK " + json.dumps({"k": kind, "e": [[str(a), v] for a, v in events]}))

    while True:
        n += 1
        if not ideas or (len(ideas) < 5 and rng.random() < 0.1):
            key = f"es9-{round_no}-{index}-{n}"
            idea_id = app.submit_idea(
                author,
                title=f"Idee {round_no}.{index}.{n}",
                summary="Eingereicht im Zuverlässigkeitstest ES-9.",
                themes=["Zuverlässigkeit"],
                idempotency_key=key,
            )
            assert idea_id == uuid5(IDEMPOTENT_SUBMIT_NAMESPACE, f"{author}:{key}")
            ideas.append(OpenIdea(idea_id, 1))
            ack("submit", [(idea_id, 1)])
            continue
        roll = rng.random()
        if roll < 0.04:
            person = app.register_person(
                admin,
                f"Person {round_no}.{index}.{n}",
                f"es9-{round_no}-{index}-{n}@example.org",
                department,
                list(NEW_PERSON_ROLES),
            )
            ack("register", [(person, v) for v in range(1, PERSON_EVENTS + 1)])
            continue
        idea = rng.choice(ideas)
        version = idea.version
        free = [m for m in others if m[1] not in idea.pledged]
        if idea.status == "in_working_group" and roll < 0.5:
            measure = app.accept_idea(coordinator, idea.id, version, "Passt in die Strategie.")
            assert measure == uuid5(MEASURE_NAMESPACE, str(idea.id))
            ideas.remove(idea)
            ack("accept", [(idea.id, version + 1), (measure, 1)])
            continue
        if idea.status == "in_review" and roll < 0.4:
            app.assign_idea_to_working_group(coordinator, idea.id, version, group)
            idea.status = "in_working_group"
            kind = "assign"
        elif idea.status == "submitted" and version >= 3 and roll < 0.3:
            app.assess_idea(
                coordinator, idea.id, version, impact=4, effort=2, expected_weeks=6, rationale="Gut"
            )
            idea.status = "in_review"
            kind = "assess"
        elif free and roll < 0.45:
            person, other = rng.choice(free)
            app.pledge_support(person, idea.id, version, "Wir machen mit.")
            idea.pledged.add(other)
            kind = "pledge"
        else:
            person, _ = rng.choice(members)
            app.comment_on_idea(person, idea.id, version, f"Kommentar {round_no}.{index}.{n}")
            kind = "comment"
        idea.version = version + 1
        ack(kind, [(idea.id, version + 1)])


def run_writer(config_path: str, round_no: int) -> None:
    """The writer process: build the planner, run the command threads until killed."""
    config = json.loads(Path(config_path).read_text())
    app = build_application(Settings.from_env(), catch_up=False)
    if round_no % 2:  # odd rounds only store; even ones project after each save
        writer_only(app)
    failed = threading.Event()

    def guarded(index: int) -> None:
        try:
            _writer_thread(app, config["city"], round_no, index)
        except BaseException:
            emit_line("ERROR " + json.dumps(traceback.format_exc()[-1500:]))
            failed.set()

    for index in range(THREADS):
        threading.Thread(target=guarded, args=(index,), daemon=True).start()
    failed.wait()
    os._exit(3)


WRITER = f"{__name__}:run_writer"


@pytest.fixture
def writers(backend: Backend, tmp_path: Path) -> Iterator[Zygote]:
    """Writer processes on the test's backend, forked from a zygote; none survives the test."""
    zygote = Zygote(WRITER, backend.settings, tmp_path / "zygote.log")
    try:
        yield zygote
    finally:
        zygote.close()


# -- the checks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Findings:
    """What the store holds compared with the acknowledgements (problems listed)."""

    events: int  # stored under load
    commands: int  # stored under load
    acked: int
    missing: list[dict[str, Any]]
    partial: list[tuple[Any, ...]]
    unacked_committed: int
    holes: list[UUID]
    duplicates: int


def check_store(app: Any, acks: list[dict[str, Any]], load_start: int) -> Findings:
    """Compare the acknowledgements with the store: what is missing, partial, unacked."""
    log = notification_log(app)
    stored = Counter((n.originator_id, n.originator_version) for n in log)
    topics = {(n.originator_id, n.originator_version): n.topic for n in log}
    versions: dict[UUID, list[int]] = defaultdict(list)
    for n in log:
        versions[n.originator_id].append(n.originator_version)
    holes = [a for a, vs in versions.items() if sorted(vs) != list(range(1, len(vs) + 1))]
    missing = [a for a in acks if any((UUID(agg), v) not in stored for agg, v in a["e"])]

    # The commands stored under load, rebuilt from the store alone: an acceptance is the
    # idea's Accepted with its measure's Planned, a registration the person's four events,
    # anything else one event. A half-stored command shows as one without the other half.
    accepted = {
        uuid5(MEASURE_NAMESPACE, str(n.originator_id))
        for n in log
        if n.topic.endswith(":Idea.Accepted")
    }
    commands: set[frozenset[tuple[UUID, int]]] = set()
    partial: list[tuple[Any, ...]] = []
    under_load = [n for n in log if n.id > load_start]
    for n in under_load:
        key = (n.originator_id, n.originator_version)
        if n.topic.endswith(":Idea.Accepted"):
            measure = (uuid5(MEASURE_NAMESPACE, str(n.originator_id)), 1)
            if not topics.get(measure, "").endswith(":Measure.Planned"):
                partial.append(("Idea.Accepted without its measure", key))
            commands.add(frozenset({key, measure}))
        elif n.topic.endswith(":Measure.Planned"):
            if n.originator_id not in accepted:
                partial.append(("Measure.Planned without the idea's Accepted", key))
        elif n.topic.endswith(":Person.Registered"):
            person = versions[n.originator_id]
            if sorted(person) != list(range(1, PERSON_EVENTS + 1)):
                partial.append(("person without all its registration events", key, person))
            commands.add(frozenset((n.originator_id, v) for v in person))
        elif ":Person." not in n.topic:  # a person's later events belong to its registration
            commands.add(frozenset({key}))
    acked = {frozenset((UUID(agg), v) for agg, v in a["e"]) for a in acks}
    return Findings(
        events=len(under_load),
        commands=len(commands),
        acked=len(acks),
        missing=missing,
        partial=partial,
        unacked_committed=len(commands - acked),
        holes=holes,
        duplicates=sum(c - 1 for c in stored.values() if c > 1),
    )


def directory_ghosts(app: Any) -> int:
    """People directory rows without a registered person: registrations a kill cut in half.

    `register_person` adds the directory row (name, e-mail) before it saves the events, so
    a kill between the two leaves a row that keeps its e-mail taken; counted, not asserted
    (see the report of issue 10: the fix needs a decision on concurrent registrations).
    """
    with app.directory.engine.connect() as conn:
        listed = set(conn.execute(select(people.c.id)).scalars())
    registered = {
        n.originator_id for n in notification_log(app) if n.topic.endswith(":Person.Registered")
    }
    assert registered <= listed, "a registered person has no directory entry"
    return len(listed - registered)


def sqlite_integrity(settings: Settings) -> str:
    """`PRAGMA integrity_check` of the SQLite file of `settings`."""
    path = settings.database_url.removeprefix("sqlite:///")
    conn = sqlite3.connect(path)
    try:
        return ", ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


# -- the test --------------------------------------------------------------------------------


@pytest.mark.timeout(scaled(300, 3600))
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_sigkilled_writers_lose_no_acknowledged_command_and_store_none_by_half(
    backend: Backend, writers: Zygote, tmp_path: Path
) -> None:
    rng = random.Random(20261209)
    started = time.perf_counter()

    # The city through the application's commands; the writers act as its people.
    setup = writer_only(build_application(backend.settings, catch_up=False))
    city = make_city(setup)
    load_start = setup.recorder.max_notification_id()
    close_app(setup)
    config = tmp_path / "writer.json"
    config.write_text(
        json.dumps(
            {
                "city": {
                    "admin": str(city.cast.admin),
                    "coordinator": str(city.cast.coordinator),
                    "group": str(city.cast.group),
                    "members": [[str(p), str(d)] for p, d in city.members],
                },
            }
        )
    )

    # Round after round: start a writer, let it work, SIGKILL it at a random moment; the
    # next round's writer is the restart and must get going on the store the kill left
    # (its first acknowledgement shows it did). Some kills hit a writer still starting up.
    rounds = kills_at_start = 0
    load_started = time.perf_counter()
    while rounds < ROUNDS or writers.count("ACK") < TARGET_ACKS:
        rounds += 1
        acks_before = writers.count("ACK")
        writers.fork(str(config), rounds)
        writers.wait_for_lines("ACK", acks_before + 1, FIRST_ACK_TIMEOUT)
        time.sleep(rng.uniform(*KILL_AFTER))
        writers.kill()
        if rounds % KILL_AT_START_EVERY == 0:
            writers.fork(str(config), -rounds)  # its own idempotency keys and e-mails
            time.sleep(rng.uniform(0.0, 0.15))
            writers.kill()
            kills_at_start += 1
    load_seconds = time.perf_counter() - load_started

    # Restart on the store, as after a crash (catching the read models up), then compare
    # the store with every acknowledgement, and the read models and chain with the log.
    app = build_application(backend.settings)
    try:
        acks = [json.loads(line) for line in writers.lines.get("ACK", ())]
        findings = check_store(app, acks, load_start)
        integrity = sqlite_integrity(backend.settings) if backend.name == "sqlite" else "ok"
        engine = read_engine(backend.settings)
        projected = check_exactly_once(app, engine)
        engine.dispose()
        chain = app.read_models.verify_chain()
        ghosts = directory_ghosts(app)
    finally:
        close_app(app)

    f = findings
    print(
        f"\nES-9 {backend.name}: {rounds} rounds, {rounds + kills_at_start} SIGKILLs "
        f"({rounds} under load, {kills_at_start} during start-up), {f.acked} acked commands, "
        f"{f.events} events ({f.commands} commands), "
        f"{len(f.missing)} missing, {f.unacked_committed} committed-unacked, "
        f"{len(f.partial)} partial, {len(f.holes)} aggregates with holes, integrity {integrity}; "
        f"{ghosts} directory rows of interrupted registrations; "
        f"read models {projected.duplicates} duplicates / {projected.missing} missing, chain "
        f"{'intact' if chain.intact else 'BROKEN'} over {chain.checked} links; "
        f"{f.acked / load_seconds:,.0f} acked/s over {load_seconds:.1f} s of rounds, "
        f"{time.perf_counter() - started:.1f} s in all"
    )
    assert f.missing == [], f.missing[:5]
    assert f.partial == [], f.partial[:5]
    assert f.holes == [], f.holes[:5]
    assert f.duplicates == 0
    assert integrity == "ok"
    assert chain.intact, chain.first_break
    assert chain.checked == projected.notifications
    assert rounds >= ROUNDS
    assert f.acked >= TARGET_ACKS
