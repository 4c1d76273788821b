"""The peer: what a Flask team would build instead of an event-sourced planner.

Flask + SQLAlchemy ORM models for ideas and measures, versioned with SQLAlchemy-Continuum,
over the planner's own HTTP routes and JSON shapes for the operations it offers (submit,
revise, comment, pledge, assess, assign, recommend, decide, history with field diffs).
See benchmarks/peer/README.md. `create_peer_app(database_url)` builds it; `load_city` in
`benchmarks.peer.generate` loads the synthetic city of `benchmarks/generate.py` into it.
"""

from __future__ import annotations

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine


def build_engine(
    database_url: str, *, schema: str | None = None, immediate: bool = False
) -> Engine:
    """An engine like the planner's: SQLite in WAL with synchronous=FULL, or PostgreSQL
    (optionally in a schema through search_path). With `immediate`, SQLite transactions
    take the write lock at BEGIN, so that concurrent read-then-write commands wait for each
    other (busy timeout) instead of failing."""
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, connect_args={"timeout": 10})

        @event.listens_for(engine, "connect")
        def _durable_sqlite(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
    return create_engine(database_url, connect_args=connect_args, pool_pre_ping=True)


def create_peer_app(database_url: str, *, schema: str | None = None):  # type: ignore[no-untyped-def]
    """The peer's Flask app on `database_url` (tables created if missing)."""
    from benchmarks.peer.app import create_peer_app as create

    return create(database_url, schema=schema)


__all__ = ["build_engine", "create_peer_app"]
