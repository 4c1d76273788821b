"""Exchange formats and digital pilots on the read side, on SQLite and on PostgreSQL.

A scripted year of the coordination: sessions of every kind are planned, some held, one
cancelled; ideas name the session they came from, some are accepted into measures and some of
those are quick wins; people are noted as pilots. The figures and lists must match exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

import pytest

from ideation.application.service import IdeationApplication
from ideation.readmodels.queries import InvalidQuery
from tests.conftest import Cast

D = dt.date


@dataclass(frozen=True)
class History:
    cast: Cast
    consultation_held: UUID  # 2026-03-10, Tiefbauamt + Bürgerdienste, 3 ideas (2 measures, 1 QW)
    consultation_planned: UUID  # 2026-09-01, still planned
    online_held: UUID  # 2026-04-02, Bürgerdienste + DIG, 1 idea (measure, quick win)
    online_cancelled: UUID  # 2026-05-05, cancelled
    visit_held: UUID  # 2026-03-20, visit to the Tiefbauamt's round, no idea
    regulars_planned: UUID  # 2026-03-25, planned but overdue on 2026-06-01
    conference_planned: UUID  # 2026-10-15
    ideas: dict[str, UUID]


def _v(app: IdeationApplication, idea_id: UUID) -> int:
    return app.get_idea(idea_id).version


def _plan(app: IdeationApplication, cast: Cast, kind: str, day: dt.date, topic: str, **kw) -> UUID:
    return app.plan_exchange_session(
        cast.coordinator,
        kind=kind,
        scheduled_on=day,
        topic=topic,
        host_person_id=cast.coordinator,
        **kw,
    )


def _hold(
    app: IdeationApplication, cast: Cast, session: UUID, day: dt.date, departments: list[UUID]
) -> None:
    app.record_exchange_session(
        cast.coordinator,
        session,
        app.get_exchange_session(session).version,
        held_on=day,
        participating_department_ids=departments,
        participant_count=5 * len(departments),
        notes="Gute Runde",
        needs=["WLAN im Ratssaal", "Digitale Akte"],
    )


def _idea(
    app: IdeationApplication,
    cast: Cast,
    person: UUID,
    title: str,
    session: UUID | None,
    *,
    effort: int,
) -> UUID:
    idea = app.submit_idea(
        person, title=title, summary="Kurz beschrieben", origin_session_id=session
    )
    app.assess_idea(
        cast.coordinator,
        idea,
        _v(app, idea),
        impact=4,
        effort=effort,
        expected_weeks=4 if effort <= 2 else 40,
        rationale="Eingeschätzt",
    )
    return idea


def _accept(app: IdeationApplication, cast: Cast, idea: UUID) -> UUID:
    app.assign_idea_to_working_group(cast.coordinator, idea, _v(app, idea), cast.group)
    app.recommend(cast.group_member, idea, _v(app, idea), "accept", "Lohnt sich")
    return app.accept_idea(cast.coordinator, idea, _v(app, idea), "Angenommen")


@pytest.fixture
def history(app: IdeationApplication, cast: Cast) -> History:
    consultation_held = _plan(
        app,
        cast,
        "consultation_hour",
        D(2026, 3, 3),
        "Sprechstunde Digitalisierung",
        invited_department_ids=[cast.mobility, cast.citizens, cast.digital],
    )
    app.reschedule_exchange_session(
        cast.coordinator, consultation_held, 1, D(2026, 3, 10), "Raum belegt"
    )
    _hold(app, cast, consultation_held, D(2026, 3, 10), [cast.mobility, cast.citizens])
    consultation_planned = _plan(
        app, cast, "consultation_hour", D(2026, 9, 1), "Herbstsprechstunde"
    )
    online_held = _plan(app, cast, "online_qa", D(2026, 4, 2), "Fragen zur E-Akte")
    _hold(app, cast, online_held, D(2026, 4, 2), [cast.citizens, cast.digital])
    online_cancelled = _plan(app, cast, "online_qa", D(2026, 5, 5), "Fragen zum Portal")
    app.cancel_exchange_session(cast.coordinator, online_cancelled, 1, "Zu wenige Anmeldungen")
    visit_held = _plan(
        app,
        cast,
        "round_visit",
        D(2026, 3, 20),
        "Besuch der Amtsleitungsrunde",
        round_department_id=cast.mobility,
    )
    _hold(app, cast, visit_held, D(2026, 3, 20), [cast.mobility])
    regulars_planned = _plan(app, cast, "regulars_table", D(2026, 3, 25), "Digitaler Stammtisch")
    conference_planned = _plan(app, cast, "conference", D(2026, 10, 15), "Smart-City-Festival")

    ideas = {
        "parking": _idea(app, cast, cast.member, "Parkraumkarte", consultation_held, effort=1),
        "signage": _idea(
            app, cast, cast.member, "Digitale Beschilderung", consultation_held, effort=5
        ),
        "forms": _idea(
            app, cast, cast.other_member, "Online-Formulare", consultation_held, effort=1
        ),
        "chat": _idea(app, cast, cast.other_member, "Chatbot Bürgerbüro", online_held, effort=2),
        "plain": _idea(app, cast, cast.member, "Ohne Austausch", None, effort=1),
    }
    _accept(app, cast, ideas["parking"])  # quick win
    _accept(app, cast, ideas["signage"])  # no quick win
    _accept(app, cast, ideas["chat"])  # quick win
    _accept(app, cast, ideas["plain"])  # not from a session: counts nowhere
    return History(
        cast,
        consultation_held,
        consultation_planned,
        online_held,
        online_cancelled,
        visit_held,
        regulars_planned,
        conference_planned,
        ideas,
    )


def test_the_figures_per_kind_count_held_sessions_departments_ideas_measures_and_quick_wins(
    app: IdeationApplication, history: History
) -> None:
    figures = app.read_models.exchange_figures()

    table = {
        row.kind: (
            row.sessions_held,
            row.departments_reached,
            row.ideas_collected,
            row.measures,
            row.quick_wins,
        )
        for row in figures.kinds
    }
    assert list(table) == [
        "consultation_hour",
        "online_qa",
        "round_visit",
        "regulars_table",
        "conference",
    ]
    assert table == {
        "consultation_hour": (1, 2, 3, 2, 1),
        "online_qa": (1, 2, 1, 1, 1),
        "round_visit": (1, 1, 0, 0, 0),
        "regulars_table": (0, 0, 0, 0, 0),
        "conference": (0, 0, 0, 0, 0),
    }
    total = figures.total
    # The Tiefbauamt, the Bürgerdienste and the Stabsstelle, each counted once.
    assert (
        total.sessions_held,
        total.departments_reached,
        total.ideas_collected,
        total.measures,
        total.quick_wins,
    ) == (3, 3, 4, 3, 2)


def test_the_calendar_lists_planned_sessions_earliest_first_and_past_ones_newest_first_by_month(
    app: IdeationApplication, history: History
) -> None:
    calendar = app.read_models.exchange_calendar(today=D(2026, 6, 1))

    upcoming = [
        ((m.year, m.month), [(s.topic, s.date) for s in m.sessions]) for m in calendar.upcoming
    ]
    assert upcoming == [
        ((2026, 3), [("Digitaler Stammtisch", D(2026, 3, 25))]),
        ((2026, 9), [("Herbstsprechstunde", D(2026, 9, 1))]),
        ((2026, 10), [("Smart-City-Festival", D(2026, 10, 15))]),
    ]
    past = [((m.year, m.month), [(s.topic, s.status) for s in m.sessions]) for m in calendar.past]
    assert past == [
        ((2026, 5), [("Fragen zum Portal", "cancelled")]),
        ((2026, 4), [("Fragen zur E-Akte", "held")]),
        (
            (2026, 3),
            [("Besuch der Amtsleitungsrunde", "held"), ("Sprechstunde Digitalisierung", "held")],
        ),
    ]
    assert calendar.overdue == {history.regulars_planned}


def test_each_session_in_the_calendar_carries_its_invited_participating_and_idea_counts(
    app: IdeationApplication, history: History
) -> None:
    rows = {r.id: r for r in app.read_models.list_exchange_sessions()}

    consultation = rows[history.consultation_held]
    assert consultation.scheduled_on == D(2026, 3, 10)
    assert (
        consultation.invited_count,
        consultation.participating_count,
        consultation.participant_count,
        consultation.needs_count,
        consultation.ideas_collected,
    ) == (3, 2, 10, 2, 3)
    online = rows[history.online_held]
    # Nobody was invited, two departments came (invitations are optional).
    assert (online.invited_count, online.participating_count, online.ideas_collected) == (0, 2, 1)
    assert rows[history.visit_held].round_department_id == history.cast.mobility
    assert rows[history.online_cancelled].participating_count == 0


def test_the_calendar_and_the_list_can_be_narrowed_to_one_kind_or_status(
    app: IdeationApplication, history: History
) -> None:
    calendar = app.read_models.exchange_calendar(kind="online_qa")
    held = app.read_models.list_exchange_sessions(status="held")
    planned_consultations = app.read_models.list_exchange_sessions(
        kind="consultation_hour", status="planned"
    )

    assert [s.topic for m in calendar.upcoming for s in m.sessions] == []
    assert [s.topic for m in calendar.past for s in m.sessions] == [
        "Fragen zum Portal",
        "Fragen zur E-Akte",
    ]
    assert [s.topic for s in held] == [
        "Fragen zur E-Akte",
        "Besuch der Amtsleitungsrunde",
        "Sprechstunde Digitalisierung",
    ]
    assert [s.id for s in app.read_models.held_exchange_sessions()] == [s.id for s in held]
    assert [s.id for s in planned_consultations] == [history.consultation_planned]
    with pytest.raises(InvalidQuery):
        app.read_models.list_exchange_sessions(kind="picnic")
    with pytest.raises(InvalidQuery):
        app.read_models.exchange_calendar(kind="picnic")


def test_a_sessions_ideas_show_their_stage_measure_and_quick_win(
    app: IdeationApplication, history: History
) -> None:
    ideas = app.read_models.exchange_session_ideas(history.consultation_held)

    assert [(i.title, i.stage, i.measure_id is not None, i.quick_win) for i in ideas] == [
        ("Parkraumkarte", "accepted", True, True),
        ("Digitale Beschilderung", "accepted", True, False),
        ("Online-Formulare", "in_review", False, True),
    ]
    assert ideas[0].measure_title == "Parkraumkarte"
    assert app.read_models.exchange_session_ideas(history.visit_held) == []
    row = app.read_models.exchange_session_row(history.consultation_held)
    assert row is not None
    assert row.ideas_collected == 3


def test_pilots_are_listed_per_department_with_status_session_and_reason(
    app: IdeationApplication, history: History
) -> None:
    cast = history.cast
    tim = app.nominate_pilot(
        cast.coordinator,
        cast.member,
        "Hat die Sprechstunde mitgestaltet",
        history.consultation_held,
    )
    app.confirm_pilot(cast.coordinator, tim, 1, "Zugesagt")
    berta = app.nominate_pilot(cast.coordinator, cast.other_member, "Viele Ideen")
    greta = app.nominate_pilot(cast.coordinator, cast.group_member, "Technikaffin")
    app.withdraw_pilot(cast.coordinator, greta, 1, "Keine Zeit")

    mobility = app.read_models.list_pilots(department_id=cast.mobility)
    citizens = app.read_models.list_pilots(department_id=cast.citizens)
    overview = app.read_models.pilots_overview()

    assert [(p.id, p.status, p.session_topic, p.reason) for p in mobility] == [
        (tim, "confirmed", "Sprechstunde Digitalisierung", "Hat die Sprechstunde mitgestaltet")
    ]
    assert [(p.id, p.status, p.reason) for p in citizens] == [
        (berta, "candidate", "Viele Ideen"),
        (greta, "withdrawn", "Keine Zeit"),
    ]
    assert citizens[0].session_id is None
    counts = {d.short_name: (d.confirmed, d.candidates, d.withdrawn) for d in overview.departments}
    assert counts == {"DIG": (0, 0, 0), "66": (1, 0, 0), "33": (0, 1, 1)}
    assert [d.name for d in overview.departments] == [
        "Bürgerdienste",
        "Stabsstelle Digitalisierung",
        "Tiefbauamt",
    ]
    assert (overview.confirmed, overview.candidates, overview.withdrawn) == (1, 1, 1)
    assert app.read_models.pilot_statuses() == {
        cast.member: "confirmed",
        cast.other_member: "candidate",
    }
    assert [p.id for p in app.read_models.list_pilots(status="candidate")] == [berta]
    assert [p.id for p in app.read_models.list_pilots(session_id=history.consultation_held)] == [
        tim
    ]
