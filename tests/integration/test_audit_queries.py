"""The audit log and the decision register on a scripted history, on both stores.

The history below is placed at known moments around local midnights in Europe/Berlin,
including the night the clocks went forward (29 March 2026: that day had 23 hours, and
22:00 UTC was already the next day), so each filter must return exactly the expected rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID, uuid4

import pytest

from ideation.application.history import EVENT_LABELS
from ideation.application.service import IdeationApplication
from ideation.entrypoints.demo import SteppingClock
from ideation.readmodels.audit import DECISION_EVENT_TYPES, EVENT_TYPES, AuditFilter
from ideation.readmodels.facade import ReadModels
from ideation.readmodels.queries import InvalidQuery
from ideation.readmodels.views import AuditPage, AuditRow
from tests.conftest import Backend, Cast, event_count, make_cast

CAST_DAY = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def utc(day: int, hour: int, minute: int) -> dt.datetime:
    """A moment in March 2026, in UTC."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=dt.UTC)


@dataclass(frozen=True)
class History:
    """The ids of the scripted history."""

    cast: Cast
    sensors: UUID  # accepted; its measure is cancelled
    measure: UUID
    portal: UUID  # rejected
    benches: UUID  # parked, reopened, merged into `sensors`
    flyer: UUID  # withdrawn


@pytest.fixture
def app(backend: Backend) -> IdeationApplication:
    """One second per clock reading: the events of one command stay within that second."""
    return backend.build(clock=SteppingClock(CAST_DAY, dt.timedelta(seconds=1)))


def _at(app: IdeationApplication, moment: dt.datetime) -> None:
    app.clock.advance_to(moment)  # type: ignore[attr-defined]


def _v(app: IdeationApplication, idea: UUID) -> int:
    return app.get_idea(idea).version


@pytest.fixture
def history(app: IdeationApplication) -> History:
    cast = make_cast(app)  # 1 March
    # Friday 27 March, 23:59 local (UTC+1)
    _at(app, utc(27, 22, 59))
    sensors = app.submit_idea(cast.member, title="Parksensoren", summary="Freie Plätze zeigen")
    # Saturday 28 March, from 00:00 local
    _at(app, utc(27, 23, 0))
    app.assess_idea(
        cast.coordinator, sensors, 1, impact=4, effort=2, expected_weeks=8, rationale="Klein"
    )
    _at(app, utc(28, 10, 0))
    app.override_quick_win(cast.coordinator, sensors, 2, False, "Zu viele Beteiligte")
    app.assign_idea_to_working_group(cast.coordinator, sensors, 3, cast.group)
    # Sunday 29 March: clocks go forward at 01:00 UTC; the day ends at 22:00 UTC
    _at(app, utc(29, 10, 0))
    app.recommend(cast.group_member, sensors, 4, "accept", "Pilot lohnt sich")
    _at(app, utc(29, 21, 59))
    measure = app.accept_idea(cast.coordinator, sensors, 5, "Passt zur Strategie")
    # Monday 30 March, 00:00 local (UTC+2)
    _at(app, utc(29, 22, 0))
    app.report_progress(cast.group_member, measure, 1, 30, "Sensoren bestellt")
    _at(app, utc(30, 9, 0))
    portal = app.submit_idea(cast.other_member, title="Bürgerportal", summary="Alles online")
    app.reject_idea(cast.coordinator, portal, 1, "Gibt es schon")
    benches = app.submit_idea(cast.member, title="Sensorbänke", summary="Bänke mit Sensoren")
    app.park_idea(cast.coordinator, benches, 1, "Später")
    app.reopen_idea(cast.coordinator, benches, 2, "Jetzt doch")
    app.merge_idea(cast.coordinator, benches, 3, sensors, "Gehört zu Parksensoren")
    flyer = app.submit_idea(cast.member, title="Flyer", summary="Papier")
    app.withdraw_idea(cast.member, flyer, 1, "Erledigt sich")
    _at(app, utc(31, 9, 0))
    app.cancel_measure(cast.coordinator, measure, app.get_measure(measure).version, "Kein Geld")
    app.grant_role(cast.admin, cast.member, app.get_person(cast.member).version, "auditor")
    app.revoke_role(
        cast.admin, cast.member, app.get_person(cast.member).version, "auditor", "Vertretung vorbei"
    )
    return History(cast, sensors, measure, portal, benches, flyer)


def _reads(app: IdeationApplication) -> ReadModels:
    assert app.read_models is not None
    return app.read_models


def _types(rows: tuple[AuditRow, ...] | list[AuditRow]) -> list[str]:
    return [r.event_type for r in rows]


def _log(app: IdeationApplication, **filters: object) -> AuditPage:
    return _reads(app).audit_log(filters, page_size=100)


SCRIPTED = [
    "Idea.Submitted",
    "Idea.Assessed",
    "Idea.QuickWinOverridden",
    "Idea.AssignedToWorkingGroup",
    "Idea.Recommended",
    "Idea.Accepted",
    "Measure.Planned",
    "Measure.ProgressReported",
    "Idea.Submitted",
    "Idea.Rejected",
    "Idea.Submitted",
    "Idea.Parked",
    "Idea.Reopened",
    "Idea.MergedInto",
    "Idea.Submitted",
    "Idea.Withdrawn",
    "Measure.Cancelled",
    "Person.RoleGranted",
    "Person.RoleRevoked",
]


def test_the_log_holds_every_event_in_commit_order(
    app: IdeationApplication, history: History
) -> None:
    page = _reads(app).audit_log(page_size=100)

    assert page.total == event_count(app)
    positions = [r.position for r in page.rows]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions) == page.total
    assert _types(page.rows)[0] == "Installation.Initialised"
    assert _types(page.rows)[-len(SCRIPTED) :] == SCRIPTED
    assert all(r.occurred_at.tzinfo is not None for r in page.rows)


def test_the_log_comes_in_pages_and_newest_first_on_request(
    app: IdeationApplication, history: History
) -> None:
    reads = _reads(app)
    everything = reads.audit_log(page_size=100).rows
    first, second = reads.audit_log(page_size=7), reads.audit_log(page=2, page_size=7)
    newest = reads.audit_log(page_size=5, newest_first=True)
    past_the_end = reads.audit_log(page=99, page_size=7)

    assert first.rows + second.rows == everything[:14]
    assert (first.page, first.pages, first.has_previous, first.has_next) == (
        1,
        -(-len(everything) // 7),
        False,
        True,
    )
    assert second.has_previous
    assert newest.rows == tuple(reversed(everything[-5:]))
    assert newest.newest_first
    assert past_the_end.rows == ()
    assert past_the_end.total == len(everything)


def test_a_single_local_day_returns_exactly_its_events(
    app: IdeationApplication, history: History
) -> None:
    saturday = _log(app, date_from="2026-03-28", date_to="2026-03-28")

    # 23:59 on Friday and Sunday's events are outside; 00:00 Saturday (23:00 UTC) is in.
    assert _types(saturday.rows) == [
        "Idea.Assessed",
        "Idea.QuickWinOverridden",
        "Idea.AssignedToWorkingGroup",
    ]
    assert saturday.rows[0].occurred_at == utc(27, 23, 0) + dt.timedelta(seconds=1)


def test_the_day_the_clocks_go_forward_ends_at_22_utc(
    app: IdeationApplication, history: History
) -> None:
    sunday = _log(app, date_from=dt.date(2026, 3, 29), date_to=dt.date(2026, 3, 29))
    from_monday = _log(app, date_from="30.03.2026")
    until_friday = _log(app, date_to="2026-03-27")

    assert _types(sunday.rows) == ["Idea.Recommended", "Idea.Accepted", "Measure.Planned"]
    assert _types(from_monday.rows) == SCRIPTED[7:]
    assert _types(until_friday.rows)[-1] == "Idea.Submitted"
    assert until_friday.total == event_count(app) - len(SCRIPTED) + 1


def test_person_department_and_role_filter_by_who_acted(
    app: IdeationApplication, history: History
) -> None:
    cast = history.cast

    tim = _log(app, person_id=str(cast.member))
    citizens = _log(app, department_id=cast.citizens)
    group_members = _log(app, role="group_member")
    system = _log(app, role="system")

    assert _types(tim.rows) == [
        "Idea.Submitted",
        "Idea.Submitted",
        "Idea.Submitted",
        "Idea.Withdrawn",
    ]
    assert {r.actor_person_id for r in tim.rows} == {cast.member}
    assert _types(citizens.rows) == [
        "Idea.Recommended",
        "Measure.ProgressReported",
        "Idea.Submitted",
    ]
    assert _types(group_members.rows) == ["Idea.Recommended", "Measure.ProgressReported"]
    assert _types(system.rows) == [
        "Installation.Initialised",
        "Department.Registered",
        "Person.Registered",
        "Person.RoleGranted",
    ]


def test_object_and_event_kinds_filter_and_combine_with_the_others(
    app: IdeationApplication, history: History
) -> None:
    cast = history.cast

    measures = _log(app, aggregate_type="Measure")
    submitted = _log(app, event_type="Idea.Submitted", date_from="2026-03-02")
    coordination_on_saturday = _log(
        app,
        role="coordinator",
        aggregate_type="Idea",
        person_id=cast.coordinator,
        department_id=cast.digital,
        date_from="2026-03-28",
        date_to="2026-03-28",
    )
    nothing = _log(app, event_type="Idea.Accepted", person_id=cast.member)

    assert _types(measures.rows) == [
        "Measure.Planned",
        "Measure.ProgressReported",
        "Measure.Cancelled",
    ]
    assert {r.aggregate_id for r in measures.rows} == {history.measure}
    assert [r.aggregate_id for r in submitted.rows] == [
        history.sensors,
        history.portal,
        history.benches,
        history.flyer,
    ]
    assert _types(coordination_on_saturday.rows) == [
        "Idea.Assessed",
        "Idea.QuickWinOverridden",
        "Idea.AssignedToWorkingGroup",
    ]
    assert (nothing.rows, nothing.total, nothing.pages) == ((), 0, 1)


def test_rows_name_their_object_and_the_idea_whose_history_shows_them(
    app: IdeationApplication, history: History
) -> None:
    rows = {r.event_type: r for r in _log(app, date_from="2026-03-29", date_to="2026-03-30").rows}
    group_rows = _log(app, aggregate_type="WorkingGroup").rows

    planned, progress = rows["Measure.Planned"], rows["Measure.ProgressReported"]
    assert (planned.idea_id, planned.subject) == (history.sensors, "Parksensoren")
    assert (progress.idea_id, progress.aggregate_id) == (history.sensors, history.measure)
    assert (progress.actor_role, progress.reason) == ("group_member", None)
    assert rows["Idea.Accepted"].idea_id == history.sensors
    assert rows["Idea.Accepted"].related_id == history.measure
    assert {(r.subject, r.idea_id) for r in group_rows} == {("AG Mobilität", None)}


def test_the_register_lists_exactly_the_decisions_and_recommendations_with_reasons(
    app: IdeationApplication, history: History
) -> None:
    cast = history.cast

    register = _reads(app).decision_register({"date_from": "2026-03-02"}, page_size=100)

    assert [
        (r.event_type, r.aggregate_id, r.actor_person_id, r.outcome, r.reason)
        for r in register.rows
    ] == [
        (
            "Idea.QuickWinOverridden",
            history.sensors,
            cast.coordinator,
            "no_quick_win",
            "Zu viele Beteiligte",
        ),
        ("Idea.Recommended", history.sensors, cast.group_member, "accept", "Pilot lohnt sich"),
        ("Idea.Accepted", history.sensors, cast.coordinator, None, "Passt zur Strategie"),
        ("Idea.Rejected", history.portal, cast.coordinator, None, "Gibt es schon"),
        ("Idea.Parked", history.benches, cast.coordinator, None, "Später"),
        ("Idea.Reopened", history.benches, cast.coordinator, None, "Jetzt doch"),
        ("Idea.MergedInto", history.benches, cast.coordinator, None, "Gehört zu Parksensoren"),
        ("Idea.Withdrawn", history.flyer, cast.member, None, "Erledigt sich"),
        ("Measure.Cancelled", history.measure, cast.coordinator, None, "Kein Geld"),
        ("Person.RoleGranted", cast.member, cast.admin, "auditor", None),
        ("Person.RoleRevoked", cast.member, cast.admin, "auditor", "Vertretung vorbei"),
    ]
    by_type = {r.event_type: r for r in register.rows}
    assert by_type["Idea.Recommended"].related_subject == "AG Mobilität"
    assert by_type["Idea.MergedInto"].related_id == history.sensors
    assert by_type["Idea.MergedInto"].related_subject == "Parksensoren"
    assert by_type["Measure.Cancelled"].idea_id == history.sensors


def test_the_register_includes_the_role_grants_of_the_setup_and_takes_every_filter(
    app: IdeationApplication, history: History
) -> None:
    reads = _reads(app)
    cast = history.cast

    everything = reads.decision_register(page_size=100)
    grants = reads.decision_register({"event_type": "Person.RoleGranted"}, page_size=100)
    sunday = reads.decision_register({"date_from": "2026-03-29", "date_to": "2026-03-29"})
    by_admin = reads.decision_register({"person_id": cast.admin, "date_from": "2026-03-02"})

    # the first admin and the six people of make_cast got one role each; Tim one more
    assert len(grants.rows) == 7 + 1
    assert {r.event_type for r in everything.rows} == set(DECISION_EVENT_TYPES)
    assert everything.total == 7 + 11
    assert _types(sunday.rows) == ["Idea.Recommended", "Idea.Accepted"]
    assert _types(by_admin.rows) == ["Person.RoleGranted", "Person.RoleRevoked"]


def test_exports_stream_every_match_in_batches_up_to_the_moment_they_started(
    app: IdeationApplication, history: History
) -> None:
    reads = _reads(app)
    filters = {"date_from": "2026-03-28"}
    page = reads.audit_log(filters, page_size=100)

    rows = reads.iter_audit_log(filters, batch_size=4)
    app.submit_idea(history.cast.member, title="Nachzügler", summary="Kommt nach dem Start")
    streamed = list(rows)
    newest_first = list(reads.iter_audit_log(filters, newest_first=True, batch_size=3))
    decisions = list(reads.iter_decision_register({"role": "coordinator"}, batch_size=2))

    assert streamed == list(page.rows)
    assert newest_first[0].subject == "Nachzügler"
    assert newest_first[1:] == list(reversed(page.rows))
    assert decisions == list(reads.decision_register({"role": "coordinator"}, page_size=100).rows)
    assert len(decisions) == 7


def test_the_filter_knows_every_event_the_planner_records() -> None:
    assert set(EVENT_LABELS) == EVENT_TYPES
    assert set(DECISION_EVENT_TYPES) <= EVENT_TYPES
    assert AuditFilter(date_from=dt.date(2026, 3, 29)).as_dict() == {"date_from": "2026-03-29"}


@pytest.mark.parametrize(
    ("filters", "field", "words"),
    [
        ({"date_from": "2026-13-01"}, "date_from", "kein gültiges Datum für „von“"),
        ({"date_to": "morgen"}, "date_to", "kein gültiges Datum für „bis“"),
        ({"date_from": dt.datetime(2026, 3, 1, tzinfo=dt.UTC)}, "date_from", "kein gültiges"),
        ({"date_from": "2026-03-30", "date_to": "2026-03-29"}, "date_to", "nicht vor"),
        ({"person_id": "jemand"}, "person_id", "keine gültige Kennung für „Person“"),
        ({"department_id": "42"}, "department_id", "„Fachbereich“"),
        ({"role": "boss"}, "role", "Unbekannte Rolle"),
        ({"aggregate_type": "Idee"}, "aggregate_type", "Unbekannte Objektart"),
        ({"event_type": "Idea.Nonsense"}, "event_type", "Unbekanntes Ereignis"),
        ({"colour": "rot"}, "colour", "Unbekannter Filter"),
    ],
)
def test_bad_filters_raise_a_german_invalid_query(
    app: IdeationApplication, filters: dict[str, object], field: str, words: str
) -> None:
    make_cast(app)
    reads = _reads(app)
    for query in (reads.audit_log, reads.decision_register, reads.iter_audit_log):
        with pytest.raises(InvalidQuery) as raised:
            query(filters)
        assert raised.value.field == field
        assert words in str(raised.value)


def test_the_register_refuses_events_that_are_no_decisions_and_bad_pages(
    app: IdeationApplication,
) -> None:
    reads = _reads(app)

    with pytest.raises(InvalidQuery, match="keine Entscheidung") as raised:
        reads.decision_register({"event_type": "Idea.Commented"})
    assert raised.value.field == "event_type"
    with pytest.raises(InvalidQuery) as raised:
        reads.audit_log(page=0)
    assert raised.value.field == "page"
    with pytest.raises(InvalidQuery) as raised:
        reads.iter_audit_log(batch_size=0)
    assert raised.value.field == "batch_size"
    assert reads.audit_log({"person_id": uuid4(), "role": " "}).total == 0
