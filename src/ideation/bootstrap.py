"""The only place that builds infrastructure (event store, engine, directory) from settings."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from ideation.application.service import IdeationApplication
from ideation.config import Settings
from ideation.directory.accounts import AccountStore
from ideation.directory.passwords import Passwords
from ideation.directory.people import PeopleDirectory
from ideation.directory.tokens import TokenStore
from ideation.domain.clock import Clock
from ideation.eventstore.immutability import protect_event_tables
from ideation.eventstore.settings import StorageSettings, storage_settings
from ideation.readmodels.facade import ReadModels
from ideation.readmodels.projector import Projector

# Any constant shared by all processes of one database: serialises table creation at start-up.
SCHEMA_LOCK_KEY = 727273


def build_engine(
    storage: StorageSettings,
    lock_timeout_seconds: int,
    *,
    immediate: bool = False,
    durable: bool = True,
) -> Engine:
    """Create a SQLAlchemy engine for the tables that live beside the event store.

    With `immediate`, SQLite transactions begin IMMEDIATE (taking the write lock at once),
    which the projector needs so that concurrent catch-ups take turns instead of failing.
    Without `durable`, an SQLite commit does not wait for the disk (synchronous=NORMAL):
    only for the read models, which a power loss may set back but never make inconsistent
    (ADR 0008).
    """
    if storage.backend == "sqlite":
        engine = create_engine(
            storage.sqlalchemy_url, connect_args={"timeout": lock_timeout_seconds}
        )

        @event.listens_for(engine, "connect")
        def _durable_sqlite(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            # Let SQLAlchemy, not the driver, decide when transactions begin.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL" if durable else "PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    connect_args = {}
    if storage.schema:
        connect_args["options"] = f"-csearch_path={storage.schema}"
    return create_engine(storage.sqlalchemy_url, connect_args=connect_args, pool_pre_ping=True)


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    event_store_options: Mapping[str, str] | None = None,
    catch_up: bool = True,
) -> IdeationApplication:
    """Build the application with its event store and people directory, creating tables.

    `event_store_options` adds eventsourcing settings (for example IS_SNAPSHOTTING_ENABLED).
    The read models are created (or reset after a schema change) and, unless `catch_up` is
    False, brought up to date before the application is returned.
    """
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    storage = storage_settings(
        settings.database_url,
        schema=settings.database_schema,
        lock_timeout_seconds=settings.lock_timeout_seconds,
    )
    engine = build_engine(storage, settings.lock_timeout_seconds)
    with schema_lock(engine):
        app = _build(settings, storage, engine, clock, event_store_options)
        protect_event_tables(
            engine,
            events_table=app.recorder.events_table_name,
            snapshots_table=app.snapshots.recorder.events_table_name if app.snapshots else None,
            schema=storage.schema,
        )
    projector_engine = (
        build_engine(storage, settings.lock_timeout_seconds, immediate=True, durable=False)
        if storage.backend == "sqlite"
        else engine
    )
    projector = Projector(projector_engine, app.recorder, app.mapper, read_engine=engine)
    projector.ensure_schema()
    read_models = ReadModels(projector, engine)
    if catch_up:
        read_models.catch_up()
    app.attach_read_models(read_models)
    return app


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Let one process at a time create tables when several start at once.

    Checking for a table and creating it are two steps, and the event store's own start-up
    runs CREATE OR REPLACE FUNCTION: processes racing there fail ("table already exists",
    "tuple concurrently updated"). PostgreSQL: an advisory lock; SQLite: a lock file.
    """
    if engine.dialect.name == "sqlite":
        lock_path = Path(f"{engine.url.database}.start-lock")
        with lock_path.open("a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY})
            conn.commit()


def _build(
    settings: Settings,
    storage: StorageSettings,
    engine: Engine,
    clock: Clock | None,
    event_store_options: Mapping[str, str] | None,
) -> IdeationApplication:
    directory = PeopleDirectory(engine)
    directory.create_schema()
    accounts = AccountStore(engine)
    accounts.create_schema()
    tokens = TokenStore(engine)
    tokens.create_schema()
    derived = {**storage.eventsourcing_env, **(event_store_options or {})}
    # The library reads "IDEATION_<KEY>" before "<KEY>" for an application named "ideation",
    # so derived settings are passed prefixed: a stray IDEATION_SQLITE_DBNAME in the process
    # environment cannot split events and directory across two databases. Library settings
    # we do not derive (e.g. IDEATION_POSTGRES_POOL_SIZE) can still be set that way.
    prefix = IdeationApplication.name.upper() + "_"
    env = {prefix + key: value for key, value in derived.items()}
    return IdeationApplication(
        env,
        directory=directory,
        accounts=accounts,
        tokens=tokens,
        passwords=Passwords(cheap=settings.fast_password_hashing),
        clock=clock,
    )
