"""Storage guarantees: durability settings, snapshots, upcasting, dates, no personal data."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import StoredEvent
from sqlalchemy import text

from ideation.application.service import IdeationApplication
from ideation.bootstrap import build_application
from ideation.config import Settings
from ideation.domain.actor import Actor
from tests.conftest import Backend, Cast, make_cast


def test_the_event_store_is_durable_wal_with_full_sync_or_fsynced_postgres(
    backend: Backend,
) -> None:
    app = backend.build()
    with app.recorder.datastore.transaction(commit=False) as cursor:
        if backend.name == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0].lower() == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL
        else:
            cursor.execute("SHOW fsync")
            assert next(iter(cursor.fetchone().values())) == "on"
            cursor.execute("SHOW synchronous_commit")
            assert next(iter(cursor.fetchone().values())) == "on"


def test_loading_with_and_without_snapshots_gives_the_same_idea(backend: Backend) -> None:
    app = backend.build()
    cast = make_cast(app)
    idea = app.submit_idea(cast.member, title="Viel diskutiert", summary="Lange Historie")
    for n in range(1, 121):
        app.comment_on_idea(cast.other_member, idea, n, f"Beitrag {n}")
    app.assess_idea(
        cast.coordinator, idea, 121, impact=5, effort=1, expected_weeks=3, rationale="Klar"
    )

    snapshots = list(app.snapshots.get(idea))
    assert [s.originator_version for s in snapshots] == [50, 100]
    without_snapshots = backend.build(IS_SNAPSHOTTING_ENABLED="n")
    assert without_snapshots.snapshots is None

    with_snapshot = app.repository.get(idea)
    replayed = without_snapshots.repository.get(idea)
    assert with_snapshot == replayed
    assert with_snapshot.version == 122
    assert app.get_idea(idea) == without_snapshots.get_idea(idea)
    as_of = app.idea_as_of(idea, version=75)
    assert as_of == without_snapshots.idea_as_of(idea, version=75)
    assert len(as_of.comments) == 74


def test_a_stored_version_1_comment_still_loads_after_the_upcast(
    app: IdeationApplication, cast: Cast
) -> None:
    idea_id = app.submit_idea(cast.member, title="Altbestand", summary="Alte Kommentare")
    # Store a comment exactly as version 1 of Idea.Commented was stored: no reply_to and
    # no class_version in the state, written by the library's recorder like any event.
    idea = app.repository.get(idea_id)
    actor = Actor(person_id=cast.other_member, department_id=cast.citizens, role="member")
    idea.comment("Kommentar aus Version 1", actor)
    (event,) = idea.collect_events()
    current = app.mapper.to_stored_event(event)
    state = app.mapper.transcoder.decode(current.state)
    assert state.pop("class_version") == 2
    del state["reply_to"]
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=current.originator_id,
                originator_version=current.originator_version,
                topic=current.topic,
                state=app.mapper.transcoder.encode(state),
            )
        ]
    )

    view = app.get_idea(idea_id)
    assert [(c.text, c.reply_to) for c in view.comments] == [("Kommentar aus Version 1", None)]
    (comment_entry,) = [e for e in app.idea_history(idea_id) if e.label == "Kommentar"]
    assert comment_entry.details["reply_to"] is None
    assert comment_entry.actor_person_id == cast.other_member


# What each older version of Idea.Submitted (and of the Idea class) did not store yet.
MISSING_BEFORE = {
    1: ("origin", "origin_session_id", "origin_round_id"),
    2: ("origin_session_id", "origin_round_id"),
}


@pytest.mark.parametrize("stored_version", sorted(MISSING_BEFORE))
def test_an_idea_stored_before_its_origin_fields_existed_loads_from_its_event_and_snapshot(
    app: IdeationApplication, cast: Cast, stored_version: int
) -> None:
    # Write Idea.Submitted exactly as that version stored it (version 1: no class_version).
    from uuid import uuid4

    from ideation.domain.idea import Idea

    actor = Actor(person_id=cast.member, department_id=cast.citizens, role="member")
    idea = Idea.submit(
        id=uuid4(),
        title="Aus der Zeit vor der Herkunft",
        summary="Alt",
        description="",
        themes=[],
        department_id=cast.citizens,
        actor=actor,
    )
    (submitted,) = idea.collect_events()
    current = app.mapper.to_stored_event(submitted)
    state = app.mapper.transcoder.decode(current.state)
    assert state.pop("class_version") == 3
    for name in MISSING_BEFORE[stored_version]:
        del state[name]
    if stored_version > 1:
        state["class_version"] = stored_version
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=current.originator_id,
                originator_version=1,
                topic=current.topic,
                state=app.mapper.transcoder.encode(state),
            )
        ]
    )
    loaded = app.get_idea(idea.id)
    assert (loaded.origin, loaded.origin_session_id, loaded.origin_round_id) == ("", None, None)

    # A snapshot taken by that version of the Idea class lacks the same attributes.
    snapshot = app.mapper.to_stored_event(Snapshot.take(app.repository.get(idea.id)))
    snap_state = app.mapper.transcoder.decode(snapshot.state)
    assert snap_state["state"].pop("class_version") == 3
    for name in MISSING_BEFORE[stored_version]:
        del snap_state["state"][name]
    if stored_version > 1:
        snap_state["state"]["class_version"] = stored_version
    app.snapshots.recorder.insert_events(
        [
            StoredEvent(
                originator_id=snapshot.originator_id,
                originator_version=1,
                topic=snapshot.topic,
                state=app.mapper.transcoder.encode(snap_state),
            )
        ]
    )
    app.comment_on_idea(cast.other_member, idea.id, 1, "Nach dem alten Schnappschuss")
    assert [s.originator_version for s in app.snapshots.get(idea.id)] == [1]
    view = app.get_idea(idea.id)
    assert (view.origin, view.origin_session_id, view.version, view.title) == (
        "",
        None,
        2,
        "Aus der Zeit vor der Herkunft",
    )


def test_dates_survive_the_round_trip_through_the_store(backend: Backend) -> None:
    app = backend.build()
    cast = make_cast(app)
    idea = app.submit_idea(cast.member, title="Termin-Idee", summary="Daten")
    app.assess_idea(cast.coordinator, idea, 1, impact=3, effort=3, expected_weeks=9, rationale="r")
    app.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)
    measure = app.accept_idea(cast.coordinator, idea, 3, "ok")
    app.add_milestone(cast.group_member, measure, 1, "Start", dt.date(2027, 1, 31))

    (milestone,) = backend.build().get_measure(measure).milestones  # a fresh process's view

    assert milestone["due_on"] == dt.date(2027, 1, 31)
    assert type(milestone["due_on"]) is dt.date


def test_no_name_or_email_address_is_ever_written_into_the_event_store(
    backend: Backend,
) -> None:
    app = backend.build()
    cast = make_cast(app)
    canary_name, canary_mail = "Zacharias Kanarienvogel", "zacharias.kanarienvogel@example.org"
    person = app.register_person(cast.admin, canary_name, canary_mail, cast.mobility, ["member"])
    idea = app.submit_idea(person, title="Eine Idee", summary="ohne Personendaten")
    app.comment_on_idea(cast.other_member, idea, 1, "Danke")
    app.update_person_details(cast.admin, person, canary_name + " Jr.", canary_mail)

    stored = app.recorder.select_notifications(start=1, limit=100_000)
    blob = b"".join(n.state + n.topic.encode() for n in stored)
    for canary in (canary_name, canary_mail, "Kanarienvogel"):
        assert canary.encode() not in blob
    assert app.get_person(person).display_name == canary_name + " Jr."
    if backend.name == "sqlite":
        raw = backend.settings.instance_path.joinpath("ideation.sqlite3")
        with app.directory.engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        assert raw.exists()


def test_a_stray_library_variable_in_the_environment_cannot_divert_the_events(
    tmp_path, monkeypatch
) -> None:
    elsewhere = tmp_path / "elsewhere.sqlite3"
    monkeypatch.setenv("IDEATION_SQLITE_DBNAME", str(elsewhere))
    monkeypatch.setenv("SQLITE_DBNAME", str(elsewhere))
    monkeypatch.setenv("IDEATION_PERSISTENCE_MODULE", "eventsourcing.popo")
    settings = Settings.from_env({"IDEATION_INSTANCE_PATH": str(tmp_path / "instance")})
    app = build_application(settings)
    try:
        app.initialise(
            admin_display_name="Ada Admin",
            admin_email="ada@example.org",
            department_name="Hauptamt",
            department_short_name="10",
        )
        assert not elsewhere.exists()
        with sqlite3.connect(settings.instance_path / "ideation.sqlite3") as conn:
            (stored,) = conn.execute("SELECT COUNT(*) FROM stored_events").fetchone()
        assert stored == 4  # installation, department, person registered, admin role
    finally:
        app.close()
        app.directory.engine.dispose()
