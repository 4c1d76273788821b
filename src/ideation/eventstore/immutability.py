"""The event tables are append-only: the database itself refuses UPDATE and DELETE (ES-14).

The library only ever INSERTs into the event and snapshot tables; nothing in the planner
updates or deletes a stored event. Triggers make the database enforce that for everybody
who connects, not just for this code:

- SQLite: BEFORE UPDATE and BEFORE DELETE triggers on the events table raise, and a BEFORE
  INSERT trigger refuses a row whose key or notification id (rowid) already exists, because
  `INSERT OR REPLACE` would otherwise delete the old row without firing a delete trigger.
  Since no row can be deleted, SQLite never reuses a rowid (the notification id).
- PostgreSQL: a row trigger raises on UPDATE and DELETE, a statement trigger on TRUNCATE
  (which skips row triggers). In production also run the planner as a role that does not
  own the tables, with UPDATE, DELETE and TRUNCATE revoked (docs/security.md).
- Snapshots are a cache of the events: an UPDATE is refused there too, but a DELETE is
  allowed (the aggregate is then replayed from its events), so a broken snapshot can be
  cleared.

A table owner or superuser can still drop a trigger: the hash chain (readmodels/chain.py)
is what shows that something was changed anyway. Call `protect_event_tables` at start-up,
after the event store has created its tables, while holding the start-up lock; it is
idempotent.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

FUNCTION_NAME = "ideation_append_only"
SQLITE_MESSAGE = "ideation: %s is append-only: %s is not allowed"


def protect_event_tables(
    engine: Engine, *, events_table: str, snapshots_table: str | None, schema: str | None
) -> None:
    """Create the append-only triggers on the event (and snapshot) tables if missing."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            _protect_sqlite(conn, events_table, snapshots_table)
        else:
            _protect_postgres(conn, events_table, snapshots_table, schema or "public")


def _quoted(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unexpected table name {name!r}")
    return f'"{name}"'


def _protect_sqlite(conn: Connection, events: str, snapshots: str | None) -> None:
    table = _quoted(events)
    for operation in ("UPDATE", "DELETE"):
        conn.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS {_quoted(f'{events}_no_{operation.lower()}')} "
            f"BEFORE {operation} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{SQLITE_MESSAGE % (events, operation)}'); END"
        )
    # Only the library's table names (checked by _quoted) are formatted into the statement.
    conn.exec_driver_sql(
        f"CREATE TRIGGER IF NOT EXISTS {_quoted(f'{events}_no_replace')} "  # noqa: S608
        f"BEFORE INSERT ON {table} WHEN EXISTS (SELECT 1 FROM {table} "
        "WHERE (originator_id = NEW.originator_id "
        "AND originator_version = NEW.originator_version) OR rowid = NEW.rowid) "
        f"BEGIN SELECT RAISE(ABORT, 'ideation: {events} already holds this record'); END"
    )
    if snapshots:
        conn.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS {_quoted(f'{snapshots}_no_update')} "
            f"BEFORE UPDATE ON {_quoted(snapshots)} "
            f"BEGIN SELECT RAISE(ABORT, '{SQLITE_MESSAGE % (snapshots, 'UPDATE')}'); END"
        )


def _protect_postgres(conn: Connection, events: str, snapshots: str | None, schema: str) -> None:
    qualified = f"{_quoted(schema)}.{_quoted(events)}"
    function = f"{_quoted(schema)}.{_quoted(FUNCTION_NAME)}"
    existing = set(
        conn.execute(
            text(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = :schema AND NOT t.tgisinternal"
            ),
            {"schema": schema},
        ).scalars()
    )
    wanted = {
        f"{events}_append_only": f"BEFORE UPDATE OR DELETE ON {qualified} FOR EACH ROW",
        f"{events}_no_truncate": f"BEFORE TRUNCATE ON {qualified} FOR EACH STATEMENT",
    }
    if snapshots:
        wanted[f"{snapshots}_no_update"] = (
            f"BEFORE UPDATE ON {_quoted(schema)}.{_quoted(snapshots)} FOR EACH ROW"
        )
    missing = {name: when for name, when in wanted.items() if name not in existing}
    if not missing:
        return
    # text() doubles the % signs for the driver (psycopg reads them as placeholders).
    conn.execute(
        text(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'ideation: %.% is append-only: % is not allowed', "
            "TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation'; END $$"
        )
    )
    for name, when in missing.items():
        conn.exec_driver_sql(
            f"CREATE OR REPLACE TRIGGER {_quoted(name)} {when} EXECUTE FUNCTION {function}()"
        )
