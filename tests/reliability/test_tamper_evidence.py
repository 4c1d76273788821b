"""Tamper evidence (catalogue GDPR-5): every single mutation of a copy is found where it was made.

One base store per backend is built once (the test cast plus ideas, comments, pledges,
assessments and assignments to a working group). Each mutation then works on a fresh copy
of that store: a copied SQLite file (with the append-only triggers dropped in the copy, since
they forbid what the test does), or a copied PostgreSQL schema (CREATE TABLE … LIKE …
INCLUDING ALL, then INSERT … SELECT; triggers are not copied). One mutation per copy, chosen
by a seeded random generator so a failure reproduces:

- a flipped bit in one record's stored state      → "changed" at that position;
- a deleted record                                  → "removed" at that position;
- two records swapped (their notification ids)      → "moved" at the lower position;
- a forged record inserted (later ids shifted by 1) → "inserted" at that position.

Then the planner is started on the copy and `verify_chain()` must name exactly the mutated
position and kind. An untouched copy verifies. SQLite runs 50 mutations, PostgreSQL 12
(three of each kind): copying a schema and starting on it costs about a second.
"""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

from ideation.application.service import IdeationApplication
from ideation.bootstrap import build_application
from ideation.config import Settings
from tests.conftest import POSTGRES_URL, make_cast

SEED = 20261127
KINDS = ("changed", "removed", "moved", "inserted")
SQLITE_MUTATIONS = 50
POSTGRES_MUTATIONS = 12


def city_history(app: IdeationApplication) -> int:
    """The cast and a little daily work; return the number of stored events."""
    cast = make_cast(app)
    for n in range(12):
        idea = app.submit_idea(cast.member, title=f"Idee {n}", summary="Kurz beschrieben")
        app.comment_on_idea(cast.other_member, idea, 1, f"Kommentar zu Idee {n}")
        app.pledge_support(cast.other_member, idea, 2, "Wir machen mit")
        if n % 3 == 0:
            app.assess_idea(
                cast.coordinator, idea, 3, impact=4, effort=2, expected_weeks=6, rationale="Gut"
            )
            app.assign_idea_to_working_group(cast.coordinator, idea, 4, cast.group)
    return app.recorder.max_notification_id()


def settings_for(instance: Path, **extra: str) -> Settings:
    return Settings.from_env(
        {
            "IDEATION_INSTANCE_PATH": str(instance),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
            **extra,
        }
    )


def close(app: IdeationApplication) -> None:
    app.close()
    app.directory.engine.dispose()
    app.read_models.engine.dispose()
    app.read_models.projector.engine.dispose()


# -- the mutations, on a plain SQL connection to the copy --------------------------------------


@dataclass(frozen=True)
class Mutation:
    kind: str
    position: int
    other: int | None = None

    def __str__(self) -> str:
        other = f"/{self.other}" if self.other is not None else ""
        return f"{self.kind}@{self.position}{other}"


@dataclass(frozen=True)
class EventTable:
    name: str  # qualified
    id_column: str  # the notification id
    uuid_as_hex: bool  # SQLite stores the originator id as 32 hex digits


def plan_mutations(count: int, events: int, rng: random.Random) -> list[Mutation]:
    """`count` mutations, the kinds in turn, positions at random (swaps pair two positions)."""
    plan = []
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        if kind == "moved":
            first, second = sorted(rng.sample(range(1, events + 1), 2))
            plan.append(Mutation(kind, first, second))
        else:
            plan.append(Mutation(kind, rng.randint(1, events)))
    rng.shuffle(plan)
    return plan


def apply_mutation(
    conn: Connection, table: EventTable, mutation: Mutation, rng: random.Random
) -> None:
    t, id_ = table.name, table.id_column
    p = mutation.position
    if mutation.kind == "changed":
        state = bytearray(
            conn.execute(text(f"SELECT state FROM {t} WHERE {id_} = :p"), {"p": p}).scalar_one()
        )
        state[rng.randrange(len(state))] ^= 1 << rng.randrange(8)
        conn.execute(
            text(f"UPDATE {t} SET state = :state WHERE {id_} = :p"), {"state": bytes(state), "p": p}
        )
    elif mutation.kind == "removed":
        conn.execute(text(f"DELETE FROM {t} WHERE {id_} = :p"), {"p": p})
    elif mutation.kind == "moved":
        for old, new in ((p, -1), (mutation.other, p), (-1, mutation.other)):
            conn.execute(
                text(f"UPDATE {t} SET {id_} = :new WHERE {id_} = :old"), {"new": new, "old": old}
            )
    elif mutation.kind == "inserted":
        # Make room at p (through negative ids, so no two rows share an id on the way), then
        # put a forged record there: a plausible topic and state under a new aggregate id.
        conn.execute(text(f"UPDATE {t} SET {id_} = -({id_} + 1) WHERE {id_} >= :p"), {"p": p})
        conn.execute(text(f"UPDATE {t} SET {id_} = -{id_} WHERE {id_} < 0"))
        topic, state = conn.execute(
            text(f"SELECT topic, state FROM {t} ORDER BY {id_} LIMIT 1 OFFSET :n"),
            {"n": rng.randrange(p - 1 or 1)},
        ).one()
        originator = uuid.uuid4()
        conn.execute(
            text(
                f"INSERT INTO {t} ({id_}, originator_id, originator_version, topic, state) "
                "VALUES (:p, :originator, 1, :topic, :state)"
            ),
            {
                "p": p,
                "originator": originator.hex if table.uuid_as_hex else originator,
                "topic": topic,
                "state": state,
            },
        )
    else:  # pragma: no cover - the plan only holds the four kinds
        raise AssertionError(mutation.kind)


# -- one store per backend, copied per mutation ------------------------------------------------


@dataclass
class Store:
    """A base store and how to make a mutated copy of it and start the planner on the copy."""

    name: str
    events: int
    copy: Callable[[str, Mutation | None, random.Random], Settings]
    mutations: int


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    base = tmp_path_factory.mktemp("base")
    app = build_application(settings_for(base))
    events = city_history(app)
    close(app)
    base_file = base / "ideation.sqlite3"
    with sqlite3.connect(base_file) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    table = EventTable("stored_events", "rowid", uuid_as_hex=True)

    def copy(label: str, mutation: Mutation | None, rng: random.Random) -> Settings:
        instance = tmp_path_factory.mktemp(label)
        target = instance / "ideation.sqlite3"
        with sqlite3.connect(base_file) as source, sqlite3.connect(target) as copied:
            source.backup(copied)
        if mutation is not None:
            engine = create_engine(f"sqlite:///{target}")
            with engine.begin() as conn:
                for (name,) in conn.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                ).all():
                    conn.execute(text(f'DROP TRIGGER "{name}"'))
                apply_mutation(conn, table, mutation, rng)
            engine.dispose()
        return settings_for(instance)

    return Store("sqlite", events, copy, SQLITE_MUTATIONS)


@pytest.fixture(scope="module")
def postgres_store(
    tmp_path_factory: pytest.TempPathFactory, postgres_available: None
) -> Iterator[Store]:
    engine = create_engine(POSTGRES_URL)
    schemas: list[str] = []

    def new_schema() -> str:
        schema = f"t_{uuid.uuid4().hex[:16]}"
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        schemas.append(schema)
        return schema

    base_schema = new_schema()
    extra = {"IDEATION_DATABASE_URL": POSTGRES_URL, "IDEATION_DATABASE_SCHEMA": base_schema}
    app = build_application(settings_for(tmp_path_factory.mktemp("pg-base"), **extra))
    events = city_history(app)
    close(app)
    with engine.connect() as conn:
        tables = (
            conn.execute(
                text(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = :schema AND table_type = 'BASE TABLE'"
                ),
                {"schema": base_schema},
            )
            .scalars()
            .all()
        )

    def copy(label: str, mutation: Mutation | None, rng: random.Random) -> Settings:
        schema = new_schema()
        with engine.begin() as conn:
            for name in tables:
                conn.execute(
                    text(
                        f'CREATE TABLE "{schema}"."{name}" '
                        f'(LIKE "{base_schema}"."{name}" INCLUDING ALL)'
                    )
                )
                conn.execute(
                    text(f'INSERT INTO "{schema}"."{name}" SELECT * FROM "{base_schema}"."{name}"')
                )
            if mutation is not None:
                table = EventTable(f'"{schema}".ideation_events', "notification_id", False)
                apply_mutation(conn, table, mutation, rng)
        return settings_for(
            tmp_path_factory.mktemp(label),
            IDEATION_DATABASE_URL=POSTGRES_URL,
            IDEATION_DATABASE_SCHEMA=schema,
        )

    try:
        yield Store("postgres", events, copy, POSTGRES_MUTATIONS)
    finally:
        with engine.begin() as conn:
            for schema in reversed(schemas):
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest) -> Store:
    return request.getfixturevalue(f"{request.param}_store")


def verify_copy(settings: Settings):  # type: ignore[no-untyped-def]
    # No catch-up at start: a mutated store may be one the projector cannot follow (a
    # renumbered record would be projected twice); verify_chain still tries and goes on.
    app = build_application(settings, catch_up=False)
    try:
        return app.read_models.verify_chain()
    finally:
        close(app)


# -- the tests -------------------------------------------------------------------------------


def test_an_untouched_copy_verifies(store: Store) -> None:
    result = verify_copy(store.copy("untouched", None, random.Random(SEED)))
    assert result.intact
    assert result.first_break is None
    assert result.checked == store.events == result.head.position


def test_every_single_mutation_is_found_at_exactly_its_position(store: Store) -> None:
    rng = random.Random(SEED)
    plan = plan_mutations(store.mutations, store.events, rng)
    assert {m.kind for m in plan} == set(KINDS)
    started = time.perf_counter()
    misses = []
    for n, mutation in enumerate(plan):
        result = verify_copy(store.copy(f"m{n}", mutation, rng))
        found = result.first_break
        if result.intact or (found.position, found.kind) != (mutation.position, mutation.kind):
            misses.append(f"{mutation}: {found}")
    elapsed = time.perf_counter() - started
    print(
        f"\nGDPR-5 {store.name}: {len(plan)} mutations over {store.events} events, "
        f"{len(plan) - len(misses)} found at their position, {elapsed:.1f} s"
    )
    assert misses == []
