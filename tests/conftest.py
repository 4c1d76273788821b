"""Shared fixtures: real SQLite files and a real PostgreSQL schema per test, a demo cast."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from ideation.application.service import IdeationApplication
from ideation.bootstrap import build_application
from ideation.config import Settings
from ideation.domain.clock import Clock

POSTGRES_URL = os.environ.get(
    "IDEATION_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# `make reliability` sets this to run the long variants of the reliability suite.
LONG_RUN = os.environ.get("IDEATION_LONG_RELIABILITY", "") == "1"


def scaled(in_ci: int, long_run: int) -> int:
    """The count a reliability test uses: CI's, or the long one under `make reliability`."""
    return long_run if LONG_RUN else in_ci


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used here, or None if it answers."""
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except OperationalError as error:
        return f"PostgreSQL at {POSTGRES_URL} is not reachable: {error.orig}"
    return None


@pytest.fixture(scope="session")
def postgres_available() -> None:
    """Skip on a developer machine without PostgreSQL; fail under CI, where it must exist."""
    problem = postgres_problem()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {problem}")
    pytest.skip(problem)


@pytest.fixture
def postgres_schema(postgres_available: None) -> Iterator[str]:
    """A fresh PostgreSQL schema for one test, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@dataclass
class Backend:
    """How to build applications against one store (several may share it, like processes)."""

    name: str
    settings: Settings
    built: list[IdeationApplication] = field(default_factory=list)

    def build(self, clock: Clock | None = None, **options: str) -> IdeationApplication:
        """Build an application on this store; it is closed when the test ends."""
        app = build_application(self.settings, clock=clock, event_store_options=options)
        self.built.append(app)
        return app

    def close_all(self) -> None:
        for app in self.built:
            app.close()
            app.directory.engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """The same test on a real SQLite file and on a real PostgreSQL schema."""
    environ = {
        "IDEATION_INSTANCE_PATH": str(tmp_path / "instance"),
        "IDEATION_PASSWORD_HASHING": "fast-for-tests",
    }
    if request.param == "postgres":
        environ["IDEATION_DATABASE_URL"] = POSTGRES_URL
        environ["IDEATION_DATABASE_SCHEMA"] = request.getfixturevalue("postgres_schema")
    backend = Backend(request.param, Settings.from_env(environ))
    yield backend
    backend.close_all()


@pytest.fixture
def app(backend: Backend) -> IdeationApplication:
    """An application on the parametrised backend."""
    return backend.build()


@dataclass(frozen=True)
class Cast:
    """A small city: departments and one person per role."""

    digital: UUID
    mobility: UUID
    citizens: UUID
    admin: UUID
    coordinator: UUID
    member: UUID  # of mobility
    other_member: UUID  # of citizens
    group_member: UUID  # of citizens, member of `group`
    outsider_group_member: UUID  # holds the role but is in no group
    auditor: UUID
    group: UUID


@pytest.fixture
def cast(app: IdeationApplication) -> Cast:
    """Departments, people for every role and one working group, created via commands."""
    return make_cast(app)


def make_cast(app: IdeationApplication) -> Cast:
    """Create the test city through the application's own commands."""
    digital, admin = app.initialise(
        admin_display_name="Ada Admin",
        admin_email="ada@example.org",
        department_name="Stabsstelle Digitalisierung",
        department_short_name="DIG",
    )
    mobility = app.register_department(admin, "Tiefbauamt", "66", "administration")
    citizens = app.register_department(admin, "Bürgerdienste", "33", "administration")
    coordinator = app.register_person(
        admin, "Clara Koordination", "clara@example.org", digital, ["coordinator"]
    )
    member = app.register_person(admin, "Tim Tiefbau", "tim@example.org", mobility, ["member"])
    other_member = app.register_person(
        admin, "Berta Bürgerdienst", "berta@example.org", citizens, ["member"]
    )
    group_member = app.register_person(
        admin, "Greta Gruppe", "greta@example.org", citizens, ["group_member"]
    )
    outsider = app.register_person(
        admin, "Otto Außen", "otto@example.org", citizens, ["group_member"]
    )
    auditor = app.register_person(admin, "Paula Prüfung", "paula@example.org", digital, ["auditor"])
    group = app.form_working_group(coordinator, "AG Mobilität", "Mobilität digital", mobility)
    app.add_working_group_member(coordinator, group, 1, group_member)
    return Cast(
        digital=digital,
        mobility=mobility,
        citizens=citizens,
        admin=admin,
        coordinator=coordinator,
        member=member,
        other_member=other_member,
        group_member=group_member,
        outsider_group_member=outsider,
        auditor=auditor,
        group=group,
    )


def event_count(app: IdeationApplication) -> int:
    """How many events the store holds (the highest notification id on a fresh store)."""
    return len(app.recorder.select_notifications(start=1, limit=1_000_000))
