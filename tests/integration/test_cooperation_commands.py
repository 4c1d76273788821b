"""Exchange formats, digital pilots, factions and political rounds through the application."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select

from ideation.application.errors import ConcurrencyConflict, NotFound, PermissionDenied
from ideation.application.service import IdeationApplication
from ideation.domain.errors import DomainError, IllegalTransition, InvalidValue
from ideation.readmodels.tables import (
    engagement,
    exchange_sessions,
    ideas,
    pilots,
    political_rounds,
    round_factions,
    session_departments,
)
from tests.conftest import Cast, event_count

DAY = dt.date(2026, 3, 10)


def _session(app: IdeationApplication, cast: Cast, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "kind": "consultation_hour",
        "scheduled_on": DAY,
        "topic": "Sprechstunde E-Akte",
        "host_person_id": cast.coordinator,
        "invited_department_ids": [cast.mobility, cast.citizens],
    }
    return app.plan_exchange_session(cast.coordinator, **(values | overrides))


def _rows(app: IdeationApplication, table: Any, *where: Any) -> list[Any]:
    app.read_models.catch_up()
    with app.read_models.engine.connect() as conn:
        return list(conn.execute(select(table).where(*where)))


def test_a_session_planned_and_held_records_who_took_part_and_what_they_need(
    app: IdeationApplication, cast: Cast
) -> None:
    session = _session(app, cast)
    app.reschedule_exchange_session(cast.coordinator, session, 1, DAY + dt.timedelta(days=7))
    app.record_exchange_session(
        cast.coordinator,
        session,
        2,
        held_on=DAY + dt.timedelta(days=7),
        participating_department_ids=[cast.mobility, cast.digital],
        participant_count=14,
        notes="Lebhafte Runde",
        needs=["Digitale Akte", " ", "Mobiles Arbeiten"],
    )

    view = app.get_exchange_session(session)
    assert (view.status, view.held_on, view.participant_count) == (
        "held",
        DAY + dt.timedelta(days=7),
        14,
    )
    assert view.needs == ("Digitale Akte", "Mobiles Arbeiten")
    [row] = _rows(app, exchange_sessions, exchange_sessions.c.id == session)
    assert (row.status, row.needs_count, row.participant_count) == ("held", 2, 14)
    reach = {
        r.department_id: (r.invited, r.participated)
        for r in _rows(app, session_departments, session_departments.c.session_id == session)
    }
    assert reach == {
        cast.mobility: (True, True),
        cast.citizens: (True, False),
        cast.digital: (False, True),
    }
    attended = _rows(app, engagement, engagement.c.kind == "sessions_attended")
    assert sorted((r.department_id, r.occurred_on) for r in attended) == sorted(
        [(cast.mobility, DAY + dt.timedelta(days=7)), (cast.digital, DAY + dt.timedelta(days=7))]
    )
    assert app.exchange_session_actions(cast.coordinator, session) == frozenset()


def test_a_visit_to_an_abstimmungsrunde_must_name_whose_round_it_is(
    app: IdeationApplication, cast: Cast
) -> None:
    before = event_count(app)
    with pytest.raises(InvalidValue) as refusal:
        _session(app, cast, kind="round_visit")
    assert refusal.value.field == "round_department_id"
    assert event_count(app) == before
    session = _session(app, cast, kind="round_visit", round_department_id=cast.citizens)
    assert app.get_exchange_session(session).round_department_id == cast.citizens


def test_an_idea_can_name_the_held_session_it_came_from_but_not_a_planned_one(
    app: IdeationApplication, cast: Cast
) -> None:
    session = _session(app, cast)
    with pytest.raises(InvalidValue) as refusal:
        app.submit_idea(cast.member, title="Aus der Sprechstunde", summary="x",
                        origin_session_id=session)  # fmt: skip
    assert refusal.value.field == "origin_session_id"
    app.record_exchange_session(
        cast.coordinator,
        session,
        1,
        held_on=DAY,
        participating_department_ids=[cast.mobility],
        participant_count=3,
    )
    idea = app.submit_idea(
        cast.member, title="Aus der Sprechstunde", summary="x", origin_session_id=session
    )
    assert app.get_idea(idea).origin_session_id == session
    [row] = _rows(app, ideas, ideas.c.id == idea)
    assert row.origin_session_id == session


def test_only_the_coordination_runs_exchange_formats(app: IdeationApplication, cast: Cast) -> None:
    session = _session(app, cast)
    before = event_count(app)
    for person in (cast.member, cast.group_member, cast.auditor, cast.admin):
        with pytest.raises(PermissionDenied):
            app.plan_exchange_session(
                person,
                kind="online_qa",
                scheduled_on=DAY,
                topic="Fragen",
                host_person_id=person,
            )
        with pytest.raises(PermissionDenied):
            app.cancel_exchange_session(person, session, 1, "nein")
        with pytest.raises(PermissionDenied):
            app.record_exchange_session(
                person,
                session,
                1,
                held_on=DAY,
                participating_department_ids=[cast.mobility],
                participant_count=1,
            )
    assert event_count(app) == before
    assert app.exchange_session_actions(cast.member, session) == frozenset()
    assert app.exchange_session_actions(cast.coordinator, session) == {
        "reschedule",
        "record",
        "cancel",
    }


def test_a_cancelled_session_cannot_be_recorded_and_keeps_its_reason(
    app: IdeationApplication, cast: Cast
) -> None:
    session = _session(app, cast)
    with pytest.raises(DomainError):
        app.cancel_exchange_session(cast.coordinator, session, 1, "  ")
    app.cancel_exchange_session(cast.coordinator, session, 1, "Zu wenige Anmeldungen")
    with pytest.raises(IllegalTransition):
        app.record_exchange_session(
            cast.coordinator,
            session,
            2,
            held_on=DAY,
            participating_department_ids=[cast.mobility],
            participant_count=2,
        )
    assert app.get_exchange_session(session).cancellation_reason == "Zu wenige Anmeldungen"


def test_a_stale_version_is_refused_and_names_the_change(
    app: IdeationApplication, cast: Cast
) -> None:
    session = _session(app, cast)
    app.reschedule_exchange_session(cast.coordinator, session, 1, DAY + dt.timedelta(days=1))
    with pytest.raises(ConcurrencyConflict) as conflict:
        app.cancel_exchange_session(cast.coordinator, session, 1, "doch nicht")
    assert "Austauschformat verschoben" in str(conflict.value)


def test_a_pilot_is_noted_confirmed_withdrawn_and_noted_again_as_one_record(
    app: IdeationApplication, cast: Cast
) -> None:
    session = _session(app, cast)
    pilot = app.nominate_pilot(cast.coordinator, cast.member, "Hat die E-Akte erklärt", session)
    with pytest.raises(DomainError) as twice:
        app.nominate_pilot(cast.coordinator, cast.member, "Noch einmal")
    assert twice.value.code == "pilot.already_noted"
    app.confirm_pilot(cast.coordinator, pilot, 1, "Zugesagt")
    app.withdraw_pilot(cast.coordinator, pilot, 2, "Stellenwechsel")
    again = app.nominate_pilot(cast.coordinator, cast.member, "Wieder im Haus")

    assert again == pilot
    view = app.get_pilot(pilot)
    assert (view.status, view.version, view.reason, view.session_id) == (
        "candidate",
        4,
        "Wieder im Haus",
        None,
    )
    assert app.pilot_of_person(cast.member) == view
    assert app.pilot_of_person(cast.other_member) is None
    [row] = _rows(app, pilots, pilots.c.person_id == cast.member)
    assert (row.status, row.version) == ("candidate", 4)


def test_only_the_coordination_notes_pilots_and_the_person_must_exist(
    app: IdeationApplication, cast: Cast
) -> None:
    for person in (cast.member, cast.auditor, cast.admin):
        with pytest.raises(PermissionDenied):
            app.nominate_pilot(person, cast.other_member, "engagiert")
    with pytest.raises(InvalidValue) as unknown:
        app.nominate_pilot(cast.coordinator, uuid4(), "engagiert")
    assert unknown.value.field == "person_id"
    with pytest.raises(NotFound):
        app.get_pilot(uuid4())


def test_a_round_is_held_and_a_suggestion_becomes_an_idea_of_the_named_department(
    app: IdeationApplication, cast: Cast
) -> None:
    green = app.register_faction(cast.admin, "Fraktion Bündnis 90/Die Grünen", "Grüne")
    social = app.register_faction(cast.coordinator, "SPD-Fraktion", "SPD")
    political_round = app.plan_political_round(
        cast.coordinator, scheduled_on=DAY, title="Digitalrunde März", invited_faction_ids=[green]
    )
    app.record_political_round(
        cast.coordinator,
        political_round,
        1,
        held_on=DAY,
        attending_faction_ids=[green, social],
        questions=["Wann kommt das WLAN in die Schulen?"],
        suggestions=["Sitzungsunterlagen digital", "Bürger-App"],
    )
    idea = app.adopt_round_suggestion(
        cast.coordinator,
        political_round,
        2,
        suggestion_index=1,
        department_id=cast.citizens,
        title="Bürger-App",
        summary="Eine App für alle Dienste",
    )

    view = app.get_idea(idea)
    assert (view.department_id, view.origin_round_id, view.origin) == (
        cast.citizens,
        political_round,
        "Politische Runde",
    )
    suggestions = app.get_political_round(political_round).suggestions
    assert [(s.text, s.idea_id) for s in suggestions] == [
        ("Sitzungsunterlagen digital", None),
        ("Bürger-App", idea),
    ]
    with pytest.raises(DomainError) as again:
        app.adopt_round_suggestion(
            cast.coordinator,
            political_round,
            3,
            suggestion_index=1,
            department_id=cast.citizens,
            title="Bürger-App 2",
            summary="doppelt",
        )
    assert again.value.code == "political_round.already_adopted"
    [row] = _rows(app, political_rounds, political_rounds.c.id == political_round)
    assert (row.status, row.questions_count, row.suggestions_count, row.adopted_count) == (
        "held",
        1,
        2,
        1,
    )
    attendance = {
        r.faction_id: (r.invited, r.attended)
        for r in _rows(app, round_factions, round_factions.c.round_id == political_round)
    }
    assert attendance == {green: (True, True), social: (False, True)}


def test_an_invalid_suggestion_stores_neither_idea_nor_note(
    app: IdeationApplication, cast: Cast
) -> None:
    faction = app.register_faction(cast.admin, "Fraktion Die Linke", "Linke")
    political_round = app.plan_political_round(
        cast.coordinator, scheduled_on=DAY, title="Digitalrunde", invited_faction_ids=[faction]
    )
    app.record_political_round(
        cast.coordinator,
        political_round,
        1,
        held_on=DAY,
        attending_faction_ids=[faction],
        suggestions=["Open Data"],
    )
    before = event_count(app)
    with pytest.raises(InvalidValue):
        app.adopt_round_suggestion(
            cast.coordinator,
            political_round,
            2,
            suggestion_index=0,
            department_id=cast.digital,
            title="",
            summary="Offene Daten",
        )
    with pytest.raises(InvalidValue):
        app.adopt_round_suggestion(
            cast.coordinator,
            political_round,
            2,
            suggestion_index=5,
            department_id=cast.digital,
            title="Open Data",
            summary="Offene Daten",
        )
    assert event_count(app) == before


RefusedRoundCommand = Callable[[IdeationApplication, Cast, Any], Any]
REFUSED_FOR_NON_COORDINATORS: dict[str, RefusedRoundCommand] = {
    "plan a round": lambda app, c, who: app.plan_political_round(
        who, scheduled_on=DAY, title="Runde", invited_faction_ids=[]
    ),
    "register a faction": lambda app, c, who: app.register_faction(who, "Fraktion X", "X"),
}


@pytest.mark.parametrize(
    "attempt", REFUSED_FOR_NON_COORDINATORS.values(), ids=REFUSED_FOR_NON_COORDINATORS.keys()
)
def test_members_group_members_and_auditors_neither_plan_rounds_nor_keep_factions(
    app: IdeationApplication, cast: Cast, attempt: RefusedRoundCommand
) -> None:
    before = event_count(app)
    for person in (cast.member, cast.group_member, cast.auditor):
        with pytest.raises(PermissionDenied):
            attempt(app, cast, person)
    assert event_count(app) == before


def test_a_retired_faction_is_kept_with_its_reason_and_no_longer_renamed(
    app: IdeationApplication, cast: Cast
) -> None:
    faction = app.register_faction(cast.admin, "Wählergemeinschaft", "WG")
    app.rename_faction(cast.admin, faction, 1, "Freie Wählergemeinschaft", "FWG")
    app.retire_faction(cast.coordinator, faction, 2, "Nach der Kommunalwahl nicht mehr im Rat")
    with pytest.raises(IllegalTransition):
        app.rename_faction(cast.admin, faction, 3, "FWG neu", "FWG")
    view = app.get_faction(faction)
    assert (view.name, view.short_name, view.status) == (
        "Freie Wählergemeinschaft",
        "FWG",
        "retired",
    )
    assert app.faction_actions(cast.admin, faction) == frozenset()
