"""The event tables are append-only in the database itself (catalogue ES-14).

Direct SQL, as an operator or another program would send it, bypassing the planner: every
UPDATE and DELETE on a stored event is refused (SQLite triggers; PostgreSQL a trigger, plus
TRUNCATE), SQLite's INSERT OR REPLACE cannot overwrite a record either, and the store is
unchanged afterwards. The planner's own commands, conflicts and idempotent submits work as
before, and a second start on the same store finds the protection in place.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from ideation.application.errors import ConcurrencyConflict
from ideation.application.service import IdeationApplication
from tests.conftest import Backend, Cast, event_count


def tables(backend: Backend) -> tuple[str, str, str]:
    """(events table, its notification id column, snapshots table)."""
    if backend.name == "sqlite":
        return "stored_events", "rowid", "stored_snapshots"
    return "ideation_events", "notification_id", "ideation_snapshots"


def engine_of(app: IdeationApplication) -> Engine:
    return app.read_models.engine


def store_content(app: IdeationApplication) -> list[tuple]:
    return [
        (n.id, n.originator_id, n.originator_version, n.topic, n.state)
        for n in app.recorder.select_notifications(start=1, limit=1_000_000)
    ]


def attempts(backend: Backend, cast: Cast) -> list[str]:
    """Statements that would change or remove stored events."""
    events, id_, _ = tables(backend)
    statements = [
        f"UPDATE {events} SET state = state",
        f"UPDATE {events} SET topic = 'x' WHERE {id_} = 3",
        f"UPDATE {events} SET originator_version = originator_version + 1",
        f"UPDATE {events} SET {id_} = {id_} + 1000 WHERE {id_} = 1",
        f"DELETE FROM {events} WHERE {id_} = 2",
        f"DELETE FROM {events} WHERE {id_} = (SELECT MAX({id_}) FROM {events})",
        f"DELETE FROM {events}",
    ]
    if backend.name == "sqlite":
        statements += [
            # REPLACE deletes the old row without firing a DELETE trigger: refused at INSERT.
            f"INSERT OR REPLACE INTO {events} (originator_id, originator_version, topic, state) "
            f"SELECT originator_id, originator_version, topic, x'00' FROM {events} LIMIT 1",
            f"INSERT OR REPLACE INTO {events} ({id_}, originator_id, originator_version, topic, "
            f"state) VALUES (1, '{cast.admin.hex}', 999, 'forged', x'00')",
        ]
    else:
        statements += [
            f"TRUNCATE {events}",
            f"INSERT INTO {events} (originator_id, originator_version, topic, state) "
            f"SELECT originator_id, originator_version, topic, state FROM {events} LIMIT 1 "
            "ON CONFLICT (originator_id, originator_version) DO UPDATE SET state = '\\x00'",
        ]
    return statements


def test_every_update_and_delete_of_a_stored_event_is_refused(
    backend: Backend, app: IdeationApplication, cast: Cast
) -> None:
    before = store_content(app)
    refused = []
    for statement in attempts(backend, cast):
        with pytest.raises(DBAPIError) as error, engine_of(app).begin() as conn:
            conn.execute(text(statement))
        assert "append-only" in str(error.value) or "already holds" in str(error.value)
        refused.append(statement)
    tried = len(attempts(backend, cast))
    print(f"\nES-14 {backend.name}: {len(refused)} of {tried} attempts refused")
    assert store_content(app) == before
    assert app.read_models.verify_chain().intact


def test_commands_conflicts_and_repeated_submits_work_on_the_protected_store(
    app: IdeationApplication, cast: Cast
) -> None:
    idea = app.submit_idea(cast.member, title="Idee", summary="Kurz", idempotency_key="k1")
    again = app.submit_idea(cast.member, title="Idee", summary="Kurz", idempotency_key="k1")
    assert again == idea
    app.comment_on_idea(cast.other_member, idea, 1, "Kommentar")
    with pytest.raises(ConcurrencyConflict):
        app.comment_on_idea(cast.other_member, idea, 1, "Auf veraltetem Stand")
    assert app.get_idea(idea).version == 2
    assert app.read_models.verify_chain().intact


def test_snapshots_can_be_cleared_but_never_rewritten(
    backend: Backend, app: IdeationApplication, cast: Cast
) -> None:
    _, _, snapshots = tables(backend)
    idea = app.submit_idea(cast.member, title="Idee", summary="Kurz")
    app.take_snapshot(idea)
    with pytest.raises(DBAPIError, match="append-only"), engine_of(app).begin() as conn:
        conn.execute(text(f"UPDATE {snapshots} SET state = state"))
    with engine_of(app).begin() as conn:
        cleared = conn.execute(text(f"DELETE FROM {snapshots}")).rowcount
    assert cleared == 1
    assert app.get_idea(idea).title == "Idee"  # replayed from its events


def test_a_second_start_on_the_same_store_keeps_the_protection(
    backend: Backend, app: IdeationApplication, cast: Cast
) -> None:
    again = backend.build()
    events, _, _ = tables(backend)
    count = event_count(again)
    with pytest.raises(DBAPIError, match="append-only"), engine_of(again).begin() as conn:
        conn.execute(text(f"DELETE FROM {events}"))
    assert event_count(again) == count
    again.submit_idea(cast.member, title="Nach dem Neustart", summary="Kurz")
    assert event_count(again) == count + 1
