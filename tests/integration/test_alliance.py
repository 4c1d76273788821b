"""The alliance of the willing: engagement per department over a period, on both backends.

A scripted history on a clock in 2030 (the cast itself is created today, outside every period
asked here) is read back for several periods; the counts, scores, ranks and the departments
not reached must match the script exactly.

A withdrawn pledge still counts in the period it was pledged: the ranking counts acts of
engagement, and pledging was one (docs/alliance.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

import pytest

from ideation.application.service import IdeationApplication
from ideation.entrypoints.demo import SteppingClock
from ideation.readmodels.alliance import (
    Alliance,
    choice_period,
    default_period,
    months_before,
)
from ideation.readmodels.queries import InvalidQuery
from tests.conftest import Cast

KINDS = (
    "ideas_submitted",
    "supports_pledged",
    "group_seats",
    "sessions_attended",
    "measures_owned",
    "benefits_received",
)


def at(day: str, hour: int = 9) -> dt.datetime:
    """A moment on a day in 2030, in UTC (09:00 UTC is 10:00 or 11:00 in Berlin: same day)."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=dt.UTC)


@dataclass(frozen=True)
class History:
    cast: Cast
    utilities: UUID  # a municipal company that never took part in anything


def _v(app: IdeationApplication, idea: UUID) -> int:
    return app.get_idea(idea).version


def _m(app: IdeationApplication, measure: UUID) -> int:
    return app.get_measure(measure).version


@pytest.fixture
def history(app: IdeationApplication, cast: Cast) -> History:
    """The scripted history on the parametrised backend."""
    return script_history(app, cast)


def script_history(app: IdeationApplication, cast: Cast) -> History:
    """Ideas, pledges (one withdrawn), seats, two held sessions, a measure, two benefits.

    Also used by the page and API tests (tests/functional/test_alliance_page.py).
    """
    clock = SteppingClock(at("2030-01-09"), dt.timedelta(minutes=1))
    app.clock = clock
    utilities = app.register_department(cast.admin, "Stadtwerke", "SW", "company")

    # 10 January: the Tiefbauamt and the Bürgerdienste each submit an idea; the
    # Bürgerdienste pledge support for the Tiefbauamt's.
    clock.advance_to(at("2030-01-10"))
    parking = app.submit_idea(cast.member, title="Digitale Parkraumkarte", summary="Karte")
    booking = app.submit_idea(cast.other_member, title="Online-Terminbuchung", summary="Termine")
    app.pledge_support(cast.other_member, parking, _v(app, parking), "Wir helfen mit")

    # 5 February: the pledge is withdrawn (it still counted in January); the Tiefbauamt
    # pledges for the booking idea; Tim (Tiefbauamt) and Otto (Bürgerdienste) join the group;
    # a consultation hour is planned for three departments and the company.
    clock.advance_to(at("2030-02-05"))
    app.withdraw_support(cast.other_member, parking, _v(app, parking), "Doch keine Zeit")
    app.pledge_support(cast.member, booking, _v(app, booking), "Gern")
    group = app.get_working_group(cast.group)
    app.add_working_group_member(cast.coordinator, cast.group, group.version, cast.member)
    group = app.get_working_group(cast.group)
    app.add_working_group_member(
        cast.coordinator, cast.group, group.version, cast.outsider_group_member
    )
    consultation = app.plan_exchange_session(
        cast.coordinator,
        kind="consultation_hour",
        scheduled_on=dt.date(2030, 2, 20),
        topic="Sprechstunde Digitalisierung",
        host_person_id=cast.coordinator,
        invited_department_ids=[cast.mobility, cast.citizens, cast.digital, utilities],
    )
    stammtisch = app.plan_exchange_session(
        cast.coordinator,
        kind="regulars_table",
        scheduled_on=dt.date(2030, 5, 2),
        topic="Digital-Stammtisch",
        host_person_id=cast.coordinator,
        invited_department_ids=[cast.citizens, utilities],
    )
    cancelled = app.plan_exchange_session(
        cast.coordinator,
        kind="online_qa",
        scheduled_on=dt.date(2030, 3, 1),
        topic="Online-Fragestunde",
        host_person_id=cast.coordinator,
        invited_department_ids=[utilities],
    )

    # 21 February: the consultation hour of the 20th is recorded; the Tiefbauamt and the
    # Stabsstelle took part, the Bürgerdienste (invited) did not come. The Q&A is cancelled.
    clock.advance_to(at("2030-02-21"))
    app.record_exchange_session(
        cast.coordinator,
        consultation,
        app.get_exchange_session(consultation).version,
        held_on=dt.date(2030, 2, 20),
        participating_department_ids=[cast.mobility, cast.digital],
        participant_count=6,
    )
    app.cancel_exchange_session(
        cast.coordinator, cancelled, app.get_exchange_session(cancelled).version, "Zu wenige"
    )

    # 10 March: the parking idea is assessed, recommended and accepted: the Tiefbauamt owns
    # the measure.
    clock.advance_to(at("2030-03-10"))
    app.assess_idea(
        cast.coordinator,
        parking,
        _v(app, parking),
        impact=4,
        effort=1,
        expected_weeks=4,
        rationale="Gut",
    )
    app.assign_idea_to_working_group(cast.coordinator, parking, _v(app, parking), cast.group)
    app.recommend(cast.group_member, parking, _v(app, parking), "accept", "Lohnt sich")
    measure = app.accept_idea(cast.coordinator, parking, _v(app, parking), "Quick Win")

    # 15 April: the measure runs and brings value to the Bürgerdienste and the Stabsstelle.
    clock.advance_to(at("2030-04-15"))
    app.report_progress(cast.group_member, measure, _m(app, measure), 50, "Karte läuft")
    app.record_benefit(
        cast.group_member, measure, _m(app, measure), cast.citizens, "Weniger Anrufe"
    )
    app.record_benefit(
        cast.group_member, measure, _m(app, measure), cast.digital, "Vorzeigeprojekt"
    )

    # 3 May: the Stammtisch of 2 May is recorded (it counts on the day it was held); the
    # Bürgerdienste took part, the Stadtwerke did not.
    clock.advance_to(at("2030-05-03"))
    app.record_exchange_session(
        cast.coordinator,
        stammtisch,
        app.get_exchange_session(stammtisch).version,
        held_on=dt.date(2030, 5, 2),
        participating_department_ids=[cast.citizens],
        participant_count=9,
    )
    app.clock = None
    return History(cast=cast, utilities=utilities)


def figures(result: Alliance) -> dict[str, tuple[int, ...]]:
    """Department name → (six counts…, score, rank), in ranking order."""
    return {r.name: (*(getattr(r, kind) for kind in KINDS), r.score, r.rank) for r in result.rows}


def ranking(app: IdeationApplication, start: str, end: str) -> Alliance:
    return app.read_models.alliance(dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def test_the_engagement_figures_match_a_scripted_history_exactly(
    app: IdeationApplication, history: History
) -> None:
    year = ranking(app, "2030-01-01", "2030-12-31")

    assert year.start == dt.date(2030, 1, 1)
    assert year.end == dt.date(2030, 12, 31)
    # ideas, supports, seats, sessions, measures, benefits, score, rank
    assert figures(year) == {
        "Bürgerdienste": (1, 1, 1, 1, 0, 1, 5, 1),
        "Tiefbauamt": (1, 1, 1, 1, 1, 0, 5, 1),
        "Stabsstelle Digitalisierung": (0, 0, 0, 1, 0, 1, 2, 3),
        "Stadtwerke": (0, 0, 0, 0, 0, 0, 0, 4),
    }
    assert list(figures(year)) == [
        "Bürgerdienste",
        "Tiefbauamt",
        "Stabsstelle Digitalisierung",
        "Stadtwerke",
    ]
    assert [(r.name, r.reached_ever) for r in year.not_reached] == [("Stadtwerke", False)]
    assert year.totals == {
        "ideas_submitted": 2,
        "supports_pledged": 2,
        "group_seats": 2,
        "sessions_attended": 3,
        "measures_owned": 1,
        "benefits_received": 2,
    }
    assert year.total_score == 12
    assert year.on_board == 3


def test_a_period_that_leaves_out_part_of_the_history_counts_only_its_own_days(
    app: IdeationApplication, history: History
) -> None:
    spring = ranking(app, "2030-02-01", "2030-03-31")

    assert figures(spring) == {
        "Tiefbauamt": (0, 1, 1, 1, 1, 0, 4, 1),
        # The January pledge is outside; its withdrawal in February takes nothing away.
        "Bürgerdienste": (0, 0, 1, 0, 0, 0, 1, 2),
        "Stabsstelle Digitalisierung": (0, 0, 0, 1, 0, 0, 1, 2),
        "Stadtwerke": (0, 0, 0, 0, 0, 0, 0, 4),
    }
    not_reached = [(r.name, r.reached_in_period, r.reached_ever) for r in spring.not_reached]
    assert not_reached == [("Bürgerdienste", False, True), ("Stadtwerke", False, False)]
    reached = {r.name for r in spring.rows if r.reached_in_period}
    assert reached == {"Tiefbauamt", "Stabsstelle Digitalisierung"}


def test_both_days_of_a_period_count_and_a_session_counts_on_the_day_it_was_held(
    app: IdeationApplication, history: History
) -> None:
    held_day = {r.name: r.sessions_attended for r in ranking(app, "2030-05-02", "2030-05-02").rows}
    recorded_day = ranking(app, "2030-05-03", "2030-05-03")
    first_day = ranking(app, "2030-01-10", "2030-01-10")

    assert held_day["Bürgerdienste"] == 1
    assert sum(r.score for r in recorded_day.rows) == 0
    assert {r.name: r.score for r in first_day.rows if r.score} == {
        "Bürgerdienste": 2,
        "Tiefbauamt": 1,
    }
    assert [r.name for r in recorded_day.not_reached] == [
        "Bürgerdienste",
        "Stabsstelle Digitalisierung",
        "Stadtwerke",
        "Tiefbauamt",
    ]


def test_a_period_without_any_engagement_lists_every_department_with_zeros_sharing_rank_one(
    app: IdeationApplication, history: History
) -> None:
    empty = ranking(app, "2029-01-01", "2029-12-31")

    assert len(empty.rows) == 4
    assert all(r.score == 0 and r.rank == 1 for r in empty.rows)
    assert len(empty.not_reached) == 4
    assert {r.name: r.reached_ever for r in empty.not_reached} == {
        "Bürgerdienste": True,
        "Stabsstelle Digitalisierung": True,
        "Stadtwerke": False,
        "Tiefbauamt": True,
    }


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2030-03-01", "2030-02-28", "end", "„bis“ darf nicht vor dem Datum „von“ liegen"),
        ("2020-01-01", "2030-01-01", "end", "höchstens zehn Jahre"),
        ("2030-02-30", "2030-03-01", "start", "für „von“ ein gültiges Datum"),
        ("gestern", "2030-03-01", "start", "für „von“ ein gültiges Datum"),
        ("2030-01-01", "31.13.2030", "end", "für „bis“ ein gültiges Datum"),
    ],
)
def test_a_bad_period_is_refused_with_a_german_message_naming_the_bound(
    app: IdeationApplication, cast: Cast, start: str, end: str, field: str, message: str
) -> None:
    with pytest.raises(InvalidQuery) as refused:
        app.read_models.alliance(start, end)

    assert refused.value.field == field
    assert message in refused.value.message


def test_ten_years_are_allowed_and_dates_may_be_written_the_german_way(
    app: IdeationApplication, history: History
) -> None:
    decade = app.read_models.alliance("2030-01-01", "2039-12-31")
    german = app.read_models.alliance("01.02.2030", "31.03.2030")

    assert decade.total_score == 12
    assert (german.start, german.end) == (dt.date(2030, 2, 1), dt.date(2030, 3, 31))
    assert german.total_score == 6


def test_without_a_period_the_last_twelve_months_up_to_today_are_ranked(
    app: IdeationApplication, history: History
) -> None:
    whole = app.read_models.alliance(today=dt.date(2030, 5, 2))
    only_end = app.read_models.alliance(None, "2030-02-28", today=dt.date(2031, 1, 1))
    only_start = app.read_models.alliance("2030-04-01", None, today=dt.date(2030, 6, 30))

    assert (whole.start, whole.end) == (dt.date(2029, 5, 3), dt.date(2030, 5, 2))
    assert whole.total_score == 12
    assert (only_end.start, only_end.end) == (dt.date(2029, 3, 1), dt.date(2030, 2, 28))
    assert (only_start.start, only_start.end) == (dt.date(2030, 4, 1), dt.date(2030, 6, 30))
    assert only_start.total_score == 3


def test_the_quick_choices_of_a_period_follow_the_calendar() -> None:
    today = dt.date(2030, 5, 31)

    assert choice_period("3m", today) == (dt.date(2030, 3, 1), today)
    assert choice_period("12m", today) == default_period(today) == (dt.date(2029, 6, 1), today)
    assert choice_period("year", today) == (dt.date(2030, 1, 1), today)
    assert choice_period("last_year", today) == (dt.date(2029, 1, 1), dt.date(2029, 12, 31))
    assert months_before(dt.date(2030, 3, 31), 1) == dt.date(2030, 2, 28)
    assert months_before(dt.date(2032, 2, 29), 12) == dt.date(2031, 2, 28)
