"""The only place that builds infrastructure (event store, engine, directory) from settings."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from ideation.application.service import IdeationApplication
from ideation.config import Settings
from ideation.directory.people import PeopleDirectory
from ideation.domain.clock import Clock
from ideation.eventstore.settings import StorageSettings, storage_settings


def build_engine(storage: StorageSettings, lock_timeout_seconds: int) -> Engine:
    """Create the SQLAlchemy engine for directory and read-model tables in the same database."""
    if storage.backend == "sqlite":
        engine = create_engine(
            storage.sqlalchemy_url, connect_args={"timeout": lock_timeout_seconds}
        )

        @event.listens_for(engine, "connect")
        def _durable_sqlite(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.close()

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
) -> IdeationApplication:
    """Build the application with its event store and people directory, creating tables.

    `event_store_options` adds eventsourcing settings (for example IS_SNAPSHOTTING_ENABLED).
    """
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    storage = storage_settings(
        settings.database_url,
        schema=settings.database_schema,
        lock_timeout_seconds=settings.lock_timeout_seconds,
    )
    directory = PeopleDirectory(build_engine(storage, settings.lock_timeout_seconds))
    directory.create_schema()
    derived = {**storage.eventsourcing_env, **(event_store_options or {})}
    # The library reads "IDEATION_<KEY>" before "<KEY>" for an application named "ideation",
    # so derived settings are passed prefixed: a stray IDEATION_SQLITE_DBNAME in the process
    # environment cannot split events and directory across two databases. Library settings
    # we do not derive (e.g. IDEATION_POSTGRES_POOL_SIZE) can still be set that way.
    prefix = IdeationApplication.name.upper() + "_"
    env = {prefix + key: value for key, value in derived.items()}
    return IdeationApplication(env, directory=directory, clock=clock)
