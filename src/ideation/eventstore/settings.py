"""Derive the eventsourcing environment and the SQLAlchemy URL from IDEATION_DATABASE_URL."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy.engine import URL, make_url

SQLITE_FACTORY_TOPIC = "ideation.eventstore.sqlite:DurableSQLiteFactory"
POSTGRES_MODULE = "eventsourcing.postgres"
# eventsourcing.postgres tries an insert up to 10 times when the table lock is not granted
# in time (its @retry on insert_events). Each attempt waits a tenth of the configured time
# (at least the library's smallest, one second), so a command waiting for a lock held
# elsewhere gives up after about the configured time, not ten times that (ES-15).
POSTGRES_INSERT_ATTEMPTS = 10


class UnsupportedDatabaseURL(ValueError):
    """The URL names a database this planner cannot store events in."""


@dataclass(frozen=True)
class StorageSettings:
    """Everything both stores need, derived from one URL (plus an optional schema)."""

    backend: str  # "sqlite" or "postgres"
    sqlalchemy_url: URL
    eventsourcing_env: dict[str, str]
    schema: str | None


def storage_settings(
    database_url: str, *, schema: str | None = None, lock_timeout_seconds: int = 10
) -> StorageSettings:
    """Translate IDEATION_DATABASE_URL into event-store and SQLAlchemy settings."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise UnsupportedDatabaseURL(
                "The event store needs an SQLite file: sqlite:///path/to/ideation.sqlite3"
            )
        env = {
            "PERSISTENCE_MODULE": SQLITE_FACTORY_TOPIC,
            "SQLITE_DBNAME": url.database,
            "SQLITE_LOCK_TIMEOUT": str(lock_timeout_seconds),
        }
        return StorageSettings("sqlite", url, env, None)
    if url.get_backend_name() == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
        env = {
            "PERSISTENCE_MODULE": POSTGRES_MODULE,
            "POSTGRES_DBNAME": url.database or "postgres",
            "POSTGRES_HOST": url.host or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": url.username or "postgres",
            "POSTGRES_PASSWORD": url.password or "",
            "POSTGRES_LOCK_TIMEOUT": str(
                max(1, math.ceil(lock_timeout_seconds / POSTGRES_INSERT_ATTEMPTS))
            ),
        }
        if schema:
            env["POSTGRES_SCHEMA"] = schema
        return StorageSettings("postgres", url, env, schema)
    raise UnsupportedDatabaseURL(
        f"Unsupported database {url.get_backend_name()!r}: use sqlite:/// or postgresql+psycopg://"
    )
