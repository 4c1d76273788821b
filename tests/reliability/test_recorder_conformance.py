"""ES-1 and ES-8: the library's own recorder test cases, run against our event store.

The test cases ship with eventsourcing (`eventsourcing.tests.persistence`, pinned in
pyproject.toml). Here they run against the recorders our application builds: the SQLite
file store through `DurableSQLiteFactory` (WAL, synchronous=FULL) and PostgreSQL through the
library's factory in a fresh schema, both with our append-only triggers on the event and
snapshot tables (ES-14), exactly as `bootstrap.build_application` sets them up.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import unittest
import uuid
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    InfrastructureFactory,
)
from eventsourcing.tests.persistence import (
    AggregateRecorderTestCase,
    ApplicationRecorderTestCase,
    NonInterleavingNotificationIDsBaseCase,
)
from eventsourcing.utils import Environment
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from ideation.eventstore.immutability import protect_event_tables
from ideation.eventstore.settings import storage_settings
from tests.conftest import IN_CI, POSTGRES_URL, postgres_problem

APPLICATION_NAME = "IdeationApplication"


class _OurEventStore:
    """Builds the recorders of our configuration in a fresh database for every test."""

    backend = "sqlite"
    _factories: list[InfrastructureFactory[Any]]

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self._factories = []
        self._threads_before = set(threading.enumerate())
        if self.backend == "sqlite":
            self._folder = Path(tempfile.mkdtemp(prefix="es1-"))
            self._url = f"sqlite:///{self._folder / 'events.sqlite3'}"
            self._schema: str | None = None
            return
        problem = postgres_problem()
        if problem is not None:
            if IN_CI:
                self.fail(f"CI=true but {problem}")  # type: ignore[attr-defined]
            self.skipTest(problem)  # type: ignore[attr-defined]
        self._url = POSTGRES_URL
        self._schema = f"t_{uuid.uuid4().hex[:16]}"
        self._execute(f'CREATE SCHEMA "{self._schema}"')

    def tearDown(self) -> None:
        # The library's concurrency test stops its reader threads without joining them;
        # closing the store under a reader still inside a query crashed the process. The
        # connection pool's own workers are daemon threads that end only when it closes.
        for thread in set(threading.enumerate()) - self._threads_before:
            if not thread.daemon:
                thread.join(timeout=30)
        for factory in self._factories:
            factory.close()
        if self.backend == "sqlite":
            shutil.rmtree(self._folder, ignore_errors=True)
        else:
            self._execute(f'DROP SCHEMA IF EXISTS "{self._schema}" CASCADE')
        super().tearDown()  # type: ignore[misc]

    def _execute(self, statement: str) -> None:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as conn:
            conn.execute(text(statement))
        engine.dispose()

    def _factory(self) -> InfrastructureFactory[Any]:
        settings = storage_settings(self._url, schema=self._schema)
        factory = InfrastructureFactory.construct(
            Environment(APPLICATION_NAME, settings.eventsourcing_env)
        )
        self._factories.append(factory)
        return factory

    def _protect(self, events_table: str, snapshots_table: str | None) -> None:
        settings = storage_settings(self._url, schema=self._schema)
        engine = create_engine(settings.sqlalchemy_url)
        try:
            protect_event_tables(
                engine,
                events_table=events_table,
                snapshots_table=snapshots_table,
                schema=self._schema,
            )
        finally:
            engine.dispose()

    def _application_recorder(self) -> ApplicationRecorder:
        recorder = self._factory().application_recorder()
        self._protect(_table_name(recorder), None)
        return recorder

    def _snapshot_recorder(self) -> AggregateRecorder:
        recorder = self._factory().aggregate_recorder("snapshots")
        # The application's events table exists beside the snapshots in every real store.
        events = self._application_recorder()
        self._protect(_table_name(events), _table_name(recorder))
        return recorder


def _table_name(recorder: Any) -> str:
    name: str = recorder.events_table_name
    return name.split(".")[-1]  # PostgreSQL names carry their schema


class TestOurSQLiteApplicationRecorder(_OurEventStore, ApplicationRecorderTestCase[Any]):
    def create_recorder(self) -> ApplicationRecorder:
        return self._application_recorder()


class TestOurSQLiteSnapshotRecorder(_OurEventStore, AggregateRecorderTestCase):
    def create_recorder(self) -> AggregateRecorder:
        return self._snapshot_recorder()


class TestOurSQLiteNotificationIdsDoNotInterleave(
    _OurEventStore, NonInterleavingNotificationIDsBaseCase
):
    def create_recorder(self) -> ApplicationRecorder:
        return self._application_recorder()


class TestOurPostgresApplicationRecorder(_OurEventStore, ApplicationRecorderTestCase[Any]):
    backend = "postgres"
    # A rolled-back insert leaves a permanent hole in PostgreSQL's id sequence (catalogue ES-7).
    EXPECT_CONTIGUOUS_NOTIFICATION_IDS = False

    def create_recorder(self) -> ApplicationRecorder:
        return self._application_recorder()


class TestOurPostgresSnapshotRecorder(_OurEventStore, AggregateRecorderTestCase):
    backend = "postgres"

    def create_recorder(self) -> AggregateRecorder:
        return self._snapshot_recorder()


class TestOurPostgresNotificationIdsDoNotInterleave(
    _OurEventStore, NonInterleavingNotificationIDsBaseCase
):
    backend = "postgres"

    def create_recorder(self) -> ApplicationRecorder:
        return self._application_recorder()


class _TheStoreUnderTestIsOurs(_OurEventStore):
    def test_the_recorders_under_test_are_ours_and_append_only(self) -> None:
        recorder = self._application_recorder()
        settings = storage_settings(self._url, schema=self._schema)
        if self.backend == "sqlite":
            # Our factory's connections wait for the disk on every commit (ES-13).
            with recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
                cursor.execute("PRAGMA synchronous")
                assert cursor.fetchone()[0] == 2  # FULL
        table = f'"{self._schema}".{_table_name(recorder)}' if self._schema else "stored_events"
        engine = create_engine(settings.sqlalchemy_url)
        try:
            with engine.begin() as conn:
                conn.execute(text(f"INSERT INTO {table} VALUES ('{uuid.uuid4()}', 1, 't', 'x')"))
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(text(f"DELETE FROM {table}"))
        finally:
            engine.dispose()


class TestOurSQLiteStoreIsTheOneUnderTest(_TheStoreUnderTestIsOurs, unittest.TestCase):
    pass


class TestOurPostgresStoreIsTheOneUnderTest(_TheStoreUnderTestIsOurs, unittest.TestCase):
    backend = "postgres"
