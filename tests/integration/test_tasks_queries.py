"""My tasks per role, the latest decisions and the latest steps, on both stores."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import pytest

from ideation.application.service import IdeationApplication
from ideation.entrypoints.demo import SteppingClock
from ideation.readmodels.facade import ReadModels
from ideation.readmodels.tasks import WORK_AGGREGATE_TYPES
from ideation.readmodels.views import MyTasks
from tests.conftest import Backend, Cast, make_cast

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def app(backend: Backend) -> IdeationApplication:
    """An application whose clock moves a minute per reading: every step has its own time."""
    return backend.build(clock=SteppingClock(START, dt.timedelta(minutes=1)))


@pytest.fixture
def cast(app: IdeationApplication) -> Cast:
    return make_cast(app)


def _reads(app: IdeationApplication) -> ReadModels:
    assert app.read_models is not None
    return app.read_models


def _version(app: IdeationApplication, idea: UUID) -> int:
    return app.get_idea(idea).version


def _submit(app: IdeationApplication, person: UUID, title: str) -> UUID:
    return app.submit_idea(person, title=title, summary=f"{title} kurz")


def _assess(app: IdeationApplication, cast: Cast, idea: UUID) -> None:
    app.assess_idea(
        cast.coordinator,
        idea,
        _version(app, idea),
        impact=4,
        effort=2,
        expected_weeks=8,
        rationale="Bewertet",
    )


def _to_group(app: IdeationApplication, cast: Cast, idea: UUID, group: UUID) -> None:
    app.assign_idea_to_working_group(cast.coordinator, idea, _version(app, idea), group)


def _recommend(app: IdeationApplication, cast: Cast, idea: UUID, reasoning: str) -> None:
    app.recommend(cast.group_member, idea, _version(app, idea), "accept", reasoning)


def _measure(app: IdeationApplication, cast: Cast, title: str, group: UUID | None = None) -> UUID:
    idea = _submit(app, cast.member, title)
    _assess(app, cast, idea)
    _to_group(app, cast, idea, group or cast.group)
    return app.accept_idea(cast.coordinator, idea, _version(app, idea), "Passt")


def _measure_version(app: IdeationApplication, measure: UUID) -> int:
    return app.get_measure(measure).version


def _tasks(app: IdeationApplication, person: UUID, department: UUID, *roles: str) -> MyTasks:
    return _reads(app).my_tasks(
        person_id=person, department_id=department, roles=roles, today=TODAY
    )


def _titles(task_list: object) -> list[str]:
    items = task_list.items  # type: ignore[attr-defined]
    return [getattr(i, "title", None) or getattr(i, "idea_title", None) for i in items]


def test_the_latest_steps_come_newest_first_with_the_title_of_their_object(
    app: IdeationApplication, cast: Cast
) -> None:
    idea = _submit(app, cast.member, "Freie Parkplätze per Sensor")
    app.reject_idea(cast.coordinator, idea, 1, "Zu teuer")
    reads = _reads(app)

    newest, older = reads.recent_activity(2)

    assert (newest.event_type, newest.aggregate_type, newest.aggregate_id) == (
        "Idea.Rejected",
        "Idea",
        idea,
    )
    assert (newest.actor_person_id, newest.actor_department_id, newest.actor_role) == (
        cast.coordinator,
        cast.digital,
        "coordinator",
    )
    assert (newest.reason, newest.subject) == ("Zu teuer", "Freie Parkplätze per Sensor")
    assert newest.occurred_at.tzinfo is not None
    assert newest.occurred_at > older.occurred_at
    assert newest.position > older.position
    assert (older.event_type, older.actor_person_id) == ("Idea.Submitted", cast.member)


def test_the_latest_steps_can_leave_out_the_administration(
    app: IdeationApplication, cast: Cast
) -> None:
    measure = _measure(app, cast, "Ladesäulen-Karte")
    reads = _reads(app)

    everything = reads.recent_activity(100)
    work = reads.recent_activity(100, aggregate_types=WORK_AGGREGATE_TYPES)

    assert {a.aggregate_type for a in everything} >= {"Person", "Department", "Installation"}
    assert {a.aggregate_type for a in work} == {"Idea", "Measure", "WorkingGroup"}
    subjects = {(a.aggregate_type, a.subject) for a in work}
    assert ("WorkingGroup", "AG Mobilität") in subjects
    assert ("Measure", "Ladesäulen-Karte") in subjects
    [planned] = [a for a in work if a.event_type == "Measure.Planned"]
    assert planned.aggregate_id == measure
    assert len(reads.recent_activity(3)) == 3
    assert reads.recent_activity(0) == []


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"limit": -1}, "limit"),
        ({"limit": "10"}, "limit"),
        ({"aggregate_types": ["Idee"]}, "aggregate_types"),
        ({"aggregate_types": "Idea"}, "aggregate_types"),
    ],
)
def test_bad_arguments_for_the_latest_steps_raise_a_german_value_error(
    app: IdeationApplication, arguments: dict[str, object], field: str
) -> None:
    with pytest.raises(ValueError, match=r"Die Anzahl|Unbekannte Art") as raised:
        _reads(app).recent_activity(**arguments)  # type: ignore[arg-type]
    assert raised.value.field == field  # type: ignore[attr-defined]


def test_the_coordination_sees_ideas_waiting_for_assessment_longest_waiting_first(
    app: IdeationApplication, cast: Cast
) -> None:
    first = _submit(app, cast.member, "Erste Idee")
    _submit(app, cast.other_member, "Zweite Idee")
    _submit(app, cast.member, "Dritte Idee")
    assessed = _submit(app, cast.member, "Bewertete Idee")
    _assess(app, cast, assessed)

    waiting = (
        _reads(app)
        .my_tasks(
            person_id=cast.coordinator,
            department_id=cast.digital,
            roles=["coordinator"],
            today=TODAY,
            limit=2,
        )
        .awaiting_assessment
    )

    assert _titles(waiting) == ["Erste Idee", "Zweite Idee"]
    assert (waiting.total, waiting.more, bool(waiting)) == (3, 1, True)
    assert waiting.items[0].id == first
    assert (waiting.items[0].status, waiting.items[0].stage) == ("submitted", "submitted")


def test_a_recommendation_waits_for_the_decision_until_the_idea_moves_on(
    app: IdeationApplication, cast: Cast
) -> None:
    other_group = app.form_working_group(
        cast.coordinator, "AG Bürgerservice", "Service", cast.citizens
    )
    app.add_working_group_member(cast.coordinator, other_group, 1, cast.outsider_group_member)
    recommended, reassigned, parked, plain = (
        _submit(app, cast.member, title)
        for title in ("Empfohlen", "Weitergereicht", "Zurückgestellt", "Ohne Empfehlung")
    )
    for idea in (recommended, reassigned, parked, plain):
        _assess(app, cast, idea)
        _to_group(app, cast, idea, cast.group)
    _recommend(app, cast, recommended, "Spart Zeit")
    _recommend(app, cast, reassigned, "Besser dort")
    _to_group(app, cast, reassigned, other_group)  # a new hand-over clears the recommendation
    _recommend(app, cast, parked, "Erst später")
    app.park_idea(cast.coordinator, parked, _version(app, parked), "Haushalt fehlt")
    app.reopen_idea(cast.coordinator, parked, _version(app, parked), "Haushalt da")
    _to_group(app, cast, parked, cast.group)  # back in the group: the old advice is gone

    coordinator = _tasks(app, cast.coordinator, cast.digital, "coordinator")
    greta = _tasks(app, cast.group_member, cast.citizens, "group_member")
    otto = _tasks(app, cast.outsider_group_member, cast.citizens, "group_member")

    [waiting] = coordinator.awaiting_decision.items
    assert (waiting.id, waiting.title, waiting.working_group_id) == (
        recommended,
        "Empfohlen",
        cast.group,
    )
    assert (waiting.recommended_by, waiting.reasoning) == (cast.group_member, "Spart Zeit")
    assert waiting.recommended_at.tzinfo is not None
    assert greta.group_ids == (cast.group,)
    assert set(_titles(greta.awaiting_recommendation)) == {"Zurückgestellt", "Ohne Empfehlung"}
    assert otto.group_ids == (other_group,)
    assert _titles(otto.awaiting_recommendation) == ["Weitergereicht"]


def test_the_coordination_sees_blocked_measures_and_a_group_its_running_ones(
    app: IdeationApplication, cast: Cast
) -> None:
    blocked = _measure(app, cast, "Blockierte Maßnahme")
    app.block_measure(cast.group_member, blocked, _measure_version(app, blocked), "Kein Budget")
    running = _measure(app, cast, "Laufende Maßnahme")
    app.report_progress(cast.group_member, running, _measure_version(app, running), 30)
    cancelled = _measure(app, cast, "Abgebrochene Maßnahme")
    app.block_measure(cast.group_member, cancelled, _measure_version(app, cancelled), "Stopp")
    app.cancel_measure(cast.coordinator, cancelled, _measure_version(app, cancelled), "Aus")

    coordinator = _tasks(app, cast.coordinator, cast.digital, "coordinator")
    greta = _tasks(app, cast.group_member, cast.citizens, "group_member")

    [measure] = coordinator.blocked_measures.items
    assert (measure.id, measure.blocked, measure.status) == (blocked, True, "planned")
    assert set(_titles(greta.running_measures)) == {"Blockierte Maßnahme", "Laufende Maßnahme"}
    [progressed] = [m for m in greta.running_measures.items if m.id == running]
    assert (progressed.status, progressed.progress) == ("in_progress", 30)


def test_a_group_member_sees_overdue_milestones_of_the_groups_running_measures(
    app: IdeationApplication, cast: Cast
) -> None:
    other_group = app.form_working_group(cast.coordinator, "AG Andere", "Anderes", cast.citizens)
    ours = _measure(app, cast, "Unsere Maßnahme")
    theirs = _measure(app, cast, "Fremde Maßnahme", other_group)
    stopped = _measure(app, cast, "Gestoppte Maßnahme")
    late = app.add_milestone(
        cast.group_member, ours, _measure_version(app, ours), "Pilot", TODAY - dt.timedelta(1)
    )
    app.add_milestone(
        cast.group_member, ours, _measure_version(app, ours), "Früher Pilot", dt.date(2026, 4, 1)
    )
    app.add_milestone(cast.group_member, ours, _measure_version(app, ours), "Heute", TODAY)
    reached = app.add_milestone(
        cast.group_member, ours, _measure_version(app, ours), "Erledigt", dt.date(2026, 3, 1)
    )
    app.reach_milestone(
        cast.group_member, ours, _measure_version(app, ours), reached, dt.date(2026, 3, 1)
    )
    app.add_milestone(
        cast.group_member,
        stopped,
        _measure_version(app, stopped),
        "Nie mehr",
        dt.date(2026, 4, 1),
    )
    app.cancel_measure(cast.coordinator, stopped, _measure_version(app, stopped), "Aus")

    greta = _tasks(app, cast.group_member, cast.citizens, "group_member")
    overdue = greta.overdue_milestones

    assert [(m.title, m.due_on) for m in overdue.items] == [
        ("Früher Pilot", dt.date(2026, 4, 1)),
        ("Pilot", TODAY - dt.timedelta(1)),
    ]
    assert overdue.items[1].milestone_id == late
    assert {(m.measure_id, m.measure_title, m.working_group_id) for m in overdue.items} == {
        (ours, "Unsere Maßnahme", cast.group)
    }
    assert theirs not in {m.id for m in greta.running_measures.items}
    # The next milestone comes first among the running measures.
    assert greta.running_measures.items[0].next_milestone_title == "Früher Pilot"
    # Another day, another view: before April nothing was overdue yet.
    earlier = _reads(app).my_tasks(
        person_id=cast.group_member,
        department_id=cast.citizens,
        roles=["group_member"],
        today=dt.date(2026, 4, 1),
    )
    assert earlier.overdue_milestones.total == 0


def test_a_member_sees_the_departments_open_ideas_and_others_open_for_support(
    app: IdeationApplication, cast: Cast
) -> None:
    own_open = _submit(app, cast.member, "Eigene offene Idee")
    own_closed = _submit(app, cast.member, "Eigene abgelehnte Idee")
    app.reject_idea(cast.coordinator, own_closed, 1, "Nein")
    _submit(app, cast.other_member, "Ältere fremde Idee")
    _submit(app, cast.other_member, "Neuere fremde Idee")
    supported = _submit(app, cast.other_member, "Schon unterstützt")
    app.pledge_support(cast.member, supported, 1, "Dabei")
    withdrawn = _submit(app, cast.other_member, "Zurückgezogene Idee")
    app.withdraw_idea(cast.other_member, withdrawn, 1, "Erledigt")

    tim = _tasks(app, cast.member, cast.mobility, "member")

    assert [i.id for i in tim.department_ideas.items] == [own_open]
    assert tim.department_ideas.items[0].stage == "submitted"
    assert _titles(tim.open_for_support) == ["Neuere fremde Idee", "Ältere fremde Idee"]


def test_a_member_sees_the_running_measures_the_department_owns(
    app: IdeationApplication, cast: Cast
) -> None:
    # Tim's Tiefbauamt submitted both ideas, so it owns both measures; one is cancelled.
    running = _measure(app, cast, "Laufende Maßnahme")
    app.add_milestone(
        cast.member, running, _measure_version(app, running), "Pilot", TODAY - dt.timedelta(3)
    )
    stopped = _measure(app, cast, "Abgebrochene Maßnahme")
    app.cancel_measure(cast.coordinator, stopped, _measure_version(app, stopped), "Aus")

    tim = _tasks(app, cast.member, cast.mobility, "member")
    berta = _tasks(app, cast.other_member, cast.citizens, "member")

    assert [m.id for m in tim.department_measures.items] == [running]
    assert tim.department_measures.items[0].next_milestone_title == "Pilot"
    assert berta.department_measures.total == 0


def test_an_auditor_sees_the_latest_decisions_with_their_reasons(
    app: IdeationApplication, cast: Cast
) -> None:
    target = _submit(app, cast.member, "Ziel-Idee")
    merged = _submit(app, cast.member, "Doppelte Idee")
    app.merge_idea(cast.coordinator, merged, 1, target, "Gleiches Anliegen")
    parked = _submit(app, cast.member, "Später")
    app.park_idea(cast.coordinator, parked, 1, "Kein Geld")
    app.reopen_idea(cast.coordinator, parked, 2, "Geld da")  # no decision
    withdrawn = _submit(app, cast.member, "Zurückgezogen")
    app.withdraw_idea(cast.member, withdrawn, 1, "Erledigt sich")
    _measure(app, cast, "Angenommen")

    paula = _tasks(app, cast.auditor, cast.digital, "auditor")
    decisions = paula.latest_decisions

    assert [(d.event_type, d.idea_title, d.reason) for d in decisions.items] == [
        ("Idea.Accepted", "Angenommen", "Passt"),
        ("Idea.Withdrawn", "Zurückgezogen", "Erledigt sich"),
        ("Idea.Parked", "Später", "Kein Geld"),
        ("Idea.MergedInto", "Doppelte Idee", "Gleiches Anliegen"),
    ]
    assert decisions.items[0].actor_person_id == cast.coordinator
    assert decisions.items[0].actor_role == "coordinator"
    assert decisions.items[1].actor_role == "member"
    assert _reads(app).latest_decisions(limit=1).total == 4


def test_lists_of_roles_the_person_does_not_hold_stay_empty(
    app: IdeationApplication, cast: Cast
) -> None:
    _submit(app, cast.member, "Eine Idee")
    measure = _measure(app, cast, "Eine Maßnahme")
    app.block_measure(cast.group_member, measure, _measure_version(app, measure), "Warten")

    nobody = _tasks(app, cast.admin, cast.digital, "admin")
    everybody = _tasks(
        app, cast.group_member, cast.citizens, "coordinator", "group_member", "member", "auditor"
    )

    lists = [
        name for name in MyTasks.__dataclass_fields__ if name not in ("roles", "group_ids", "today")
    ]
    assert all(getattr(nobody, name).total == 0 for name in lists)
    assert nobody.roles == ("admin",)
    assert everybody.awaiting_assessment.total == 1
    assert everybody.blocked_measures.total == 1
    assert everybody.running_measures.total == 1
    assert everybody.open_for_support.total == 1  # the Tiefbauamt's open idea
    assert everybody.latest_decisions.total == 1


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"limit": -1}, "limit"),
        ({"today": dt.datetime(2026, 6, 15, tzinfo=dt.UTC)}, "today"),
        ({"today": "2026-06-15"}, "today"),
    ],
)
def test_bad_arguments_for_my_tasks_raise_a_german_value_error(
    app: IdeationApplication, cast: Cast, arguments: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {
        "person_id": cast.coordinator,
        "department_id": cast.digital,
        "roles": ["coordinator"],
        "today": TODAY,
    }
    with pytest.raises(ValueError, match=r"Anzahl|Datum") as raised:
        _reads(app).my_tasks(**(values | arguments))  # type: ignore[arg-type]
    assert raised.value.field == field  # type: ignore[attr-defined]
