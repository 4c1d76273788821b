"""Create read-model tables on start; rebuild them from zero when their schema version changed."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.engine import Connection, Engine

from ideation.readmodels.search import create_search_index, drop_search_index
from ideation.readmodels.tables import (
    PROJECTED_TABLES,
    PROJECTION_NAME,
    SCHEMA_VERSION,
    meta,
    metadata,
    tracking,
)


def ensure_schema(engine: Engine) -> bool:
    """Create missing tables; if the stored schema version differs, reset every read model.

    Call it with the projector's engine: on SQLite that one begins IMMEDIATE transactions,
    so concurrent start-ups are serialised like on PostgreSQL (advisory lock).

    Returns True when the read models were reset (the projector then replays the whole log).
    """
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several processes may start at once: one of them creates or resets.
            conn.execute(text("SELECT pg_advisory_xact_lock(727274)"))
        metadata.create_all(conn, tables=[meta, tracking])
        stored = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        if stored == str(SCHEMA_VERSION):
            metadata.create_all(conn, tables=PROJECTED_TABLES)
            create_search_index(conn)
            existing = _index_names(conn)
            for table in PROJECTED_TABLES:
                for index in table.indexes:
                    if index.name not in existing:
                        index.create(conn)
            return False
        reset_read_models(conn)
        conn.execute(delete(meta).where(meta.c.key == "schema_version"))
        conn.execute(insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
        return True


def _index_names(conn: Connection) -> set[str]:
    """The names of the indexes that exist, in one query (not one per index on every start)."""
    if conn.dialect.name == "postgresql":
        query = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'index'"
    return set(conn.execute(text(query)).scalars())


def reset_tracking(conn: Connection, names: Iterable[str] = (PROJECTION_NAME,)) -> None:
    """Set the tracking positions back to zero (the rows always exist after this).

    Existing rows are updated, never deleted: a catch-up waiting for a row's lock must find
    the row afterwards (and then starts over from zero).
    """
    for name in names:
        reset = conn.execute(update(tracking).where(tracking.c.name == name).values(position=0))
        if reset.rowcount == 0:
            conn.execute(insert(tracking).values(name=name, position=0))


def reset_read_models(conn: Connection) -> None:
    """Drop and recreate every projected table and the search index; tracking back to zero."""
    drop_search_index(conn)
    metadata.drop_all(conn, tables=PROJECTED_TABLES)
    metadata.create_all(conn, tables=PROJECTED_TABLES)
    create_search_index(conn)
    reset_tracking(conn)
