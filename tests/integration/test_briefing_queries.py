"""The briefing of a political round and the published measures, on SQLite and PostgreSQL.

A scripted history: two rounds (one held, one planned) and measures implemented before, on
and after the held round's day, with and without goals, one cancelled, one still running
with milestones inside and outside the briefing's window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

import pytest

from ideation.application.service import IdeationApplication
from ideation.entrypoints.demo import SteppingClock
from tests.conftest import Cast

D = dt.date


def _v(app: IdeationApplication, idea: UUID) -> int:
    return app.get_idea(idea).version


def _m(app: IdeationApplication, measure: UUID) -> int:
    return app.get_measure(measure).version


def make_measure(
    app: IdeationApplication, cast: Cast, title: str, *, quick_win: bool, goal: bool = True
) -> UUID:
    """An accepted idea's measure (a quick win or not), with one goal if `goal`."""
    idea = app.submit_idea(cast.member, title=title, summary="Kurz beschrieben")
    app.assess_idea(
        cast.coordinator,
        idea,
        _v(app, idea),
        impact=4,
        effort=1 if quick_win else 5,
        expected_weeks=4 if quick_win else 40,
        rationale="Gut",
    )
    app.assign_idea_to_working_group(cast.coordinator, idea, _v(app, idea), cast.group)
    app.recommend(cast.group_member, idea, _v(app, idea), "accept", "Lohnt sich")
    measure = app.accept_idea(cast.coordinator, idea, _v(app, idea), "Angenommen")
    assert app.get_measure(measure).quick_win is quick_win
    if goal:
        app.set_goal(
            cast.group_member,
            measure,
            _m(app, measure),
            statement=f"Ziel von {title}",
            indicator="Anteil",
            target="80 %",
        )
    return measure


def implement(app: IdeationApplication, cast: Cast, measure: UUID, day: dt.date) -> None:
    app.report_progress(cast.group_member, measure, _m(app, measure), 90, "Fast fertig")
    app.implement_measure(cast.group_member, measure, _m(app, measure), day, "Fertig")


@dataclass(frozen=True)
class History:
    first: UUID  # held on 2030-03-10
    second: UUID  # planned for 2030-06-10
    factions: tuple[UUID, UUID]
    measures: dict[str, UUID]


@pytest.fixture
def history(app: IdeationApplication, cast: Cast) -> History:
    greens = app.register_faction(cast.coordinator, "Fraktion Die Grünen", "GRÜNE")
    social = app.register_faction(cast.coordinator, "SPD-Fraktion", "SPD")
    first = app.plan_political_round(
        cast.coordinator,
        scheduled_on=D(2030, 3, 10),
        title="Frühjahrsrunde",
        invited_faction_ids=[greens, social],
    )
    app.record_political_round(
        cast.coordinator,
        first,
        1,
        held_on=D(2030, 3, 10),
        attending_faction_ids=[greens],
        questions=["Wann kommt das WLAN?"],
        suggestions=["Sensoren im Park"],
    )
    second = app.plan_political_round(
        cast.coordinator,
        scheduled_on=D(2030, 6, 10),
        title="Sommerrunde",
        invited_faction_ids=[social],
    )
    m: dict[str, UUID] = {}
    m["before"] = make_measure(app, cast, "Quick Win im Februar", quick_win=True)
    implement(app, cast, m["before"], D(2030, 2, 1))
    m["on_the_day"] = make_measure(app, cast, "Quick Win am Rundentag", quick_win=True)
    implement(app, cast, m["on_the_day"], D(2030, 3, 10))
    m["between"] = make_measure(app, cast, "Quick Win im April", quick_win=True)
    implement(app, cast, m["between"], D(2030, 4, 1))
    app.record_benefit(
        cast.group_member,
        m["between"],
        _m(app, m["between"]),
        cast.citizens,
        "Kürzere Wartezeiten",
    )
    app.record_benefit(
        cast.group_member, m["between"], _m(app, m["between"]), cast.mobility, "Weniger Papier"
    )
    m["no_goal"] = make_measure(app, cast, "Quick Win ohne Ziel", quick_win=True, goal=False)
    implement(app, cast, m["no_goal"], D(2030, 4, 2))
    app.record_benefit(
        cast.group_member, m["no_goal"], _m(app, m["no_goal"]), cast.digital, "Geheim"
    )
    m["after"] = make_measure(app, cast, "Quick Win im Juli", quick_win=True)
    implement(app, cast, m["after"], D(2030, 7, 1))
    m["big"] = make_measure(app, cast, "Große Maßnahme umgesetzt", quick_win=False)
    implement(app, cast, m["big"], D(2030, 4, 5))
    m["running"] = make_measure(app, cast, "Laufende Maßnahme", quick_win=False)
    app.add_milestone(
        cast.group_member, m["running"], _m(app, m["running"]), "Pilot startet", D(2030, 7, 1)
    )
    app.add_milestone(
        cast.group_member, m["running"], _m(app, m["running"]), "Ausbau", D(2030, 12, 1)
    )
    m["running_draft"] = make_measure(app, cast, "Laufend ohne Ziel", quick_win=False, goal=False)
    app.add_milestone(
        cast.group_member,
        m["running_draft"],
        _m(app, m["running_draft"]),
        "Geheimer Meilenstein",
        D(2030, 6, 20),
    )
    m["cancelled"] = make_measure(app, cast, "Abgebrochene Maßnahme", quick_win=True)
    app.cancel_measure(cast.coordinator, m["cancelled"], _m(app, m["cancelled"]), "Kein Bedarf")
    return History(first=first, second=second, factions=(greens, social), measures=m)


def titles(measures) -> list[str]:
    return [m.title for m in measures]


def test_the_first_rounds_briefing_lists_the_quick_wins_up_to_and_including_its_day(
    app: IdeationApplication, history: History
) -> None:
    briefing = app.read_models.briefing(history.first)

    assert briefing.previous_round is None
    assert briefing.period_start is None
    assert briefing.period_end == D(2030, 3, 10)
    assert titles(briefing.quick_wins) == ["Quick Win im Februar", "Quick Win am Rundentag"]
    assert briefing.figures.quick_wins_in_period == 2


def test_the_next_briefing_starts_after_the_previous_held_round_and_skips_drafts(
    app: IdeationApplication, history: History
) -> None:
    briefing = app.read_models.briefing(history.second)

    assert briefing.previous_round.id == history.first
    assert (briefing.period_start, briefing.period_end) == (D(2030, 3, 10), D(2030, 6, 10))
    # Not the February one or the one on the first round's day, not the one without a goal,
    # not the one implemented after the round, not a measure that is no quick win.
    assert titles(briefing.quick_wins) == ["Quick Win im April"]
    benefits = briefing.quick_wins[0].benefits_by_department()
    assert benefits == [
        ("Bürgerdienste", ["Kürzere Wartezeiten"]),
        ("Tiefbauamt", ["Weniger Papier"]),
    ]


def test_the_briefing_shows_running_published_measures_and_their_coming_milestones(
    app: IdeationApplication, history: History
) -> None:
    briefing = app.read_models.briefing(history.second)

    assert titles(briefing.in_progress) == ["Laufende Maßnahme"]
    assert [(m.title, m.due_on) for m in briefing.upcoming_milestones] == [
        ("Pilot startet", D(2030, 7, 1))
    ]
    assert briefing.milestones_until == D(2030, 9, 8)


def test_the_key_figures_count_published_measures_only(
    app: IdeationApplication, history: History
) -> None:
    figures = app.read_models.briefing(history.second).figures

    # before, on_the_day, between, after, big (implemented) + running; not the two without
    # goals, not the cancelled one.
    assert (figures.published, figures.in_progress, figures.implemented) == (6, 1, 5)
    assert figures.departments_benefiting == 2  # the benefit without a goal does not count
    counts = {c.status: c.count for c in app.read_models.briefing(history.second).status_counts}
    assert counts == {"planned": 1, "in_progress": 0, "implemented": 5}


def test_the_briefing_names_the_factions_of_the_round(
    app: IdeationApplication, history: History
) -> None:
    factions = app.read_models.briefing(history.first).factions

    assert [(f.short_name, f.invited, f.attended) for f in factions] == [
        ("GRÜNE", True, True),
        ("SPD", True, False),
    ]


def test_published_measures_exclude_measures_without_goals_and_cancelled_ones(
    app: IdeationApplication, history: History
) -> None:
    listed = app.read_models.list_published_measures()

    assert set(titles(listed)) == {
        "Quick Win im Februar",
        "Quick Win am Rundentag",
        "Quick Win im April",
        "Quick Win im Juli",
        "Große Maßnahme umgesetzt",
        "Laufende Maßnahme",
    }
    assert listed[0].title == "Laufende Maßnahme"  # running ones first
    assert app.read_models.published_measure(history.measures["no_goal"]) is None
    assert app.read_models.published_measure(history.measures["cancelled"]) is None
    assert app.read_models.published_measure(history.measures["running_draft"]) is None
    detail = app.read_models.published_measure(history.measures["running"])
    assert [m.title for m in detail.milestones] == ["Pilot startet", "Ausbau"]


def test_rounds_are_listed_planned_first_then_the_past_and_factions_by_name(
    app: IdeationApplication, history: History
) -> None:
    rounds = app.read_models.list_political_rounds()
    factions = app.read_models.list_factions()

    assert [r.title for r in rounds.upcoming] == ["Sommerrunde"]
    assert [r.title for r in rounds.past] == ["Frühjahrsrunde"]
    assert rounds.past[0].date == D(2030, 3, 10)
    assert [f.short_name for f in factions] == ["GRÜNE", "SPD"]


def test_an_unknown_round_has_no_briefing(app: IdeationApplication, history: History) -> None:
    assert app.read_models.briefing(history.measures["running"]) is None


def test_a_held_rounds_briefing_keeps_what_the_ambassadors_were_told(
    app: IdeationApplication, cast: Cast
) -> None:
    # The planner's clock stands on 10.03.2030: a round is held, a quick win is published.
    clock = SteppingClock(dt.datetime(2030, 3, 10, 9, tzinfo=dt.UTC), dt.timedelta(seconds=1))
    app.clock = clock
    faction = app.register_faction(cast.coordinator, "Fraktion Die Grünen", "GRÜNE")
    held = app.plan_political_round(
        cast.coordinator, scheduled_on=D(2030, 3, 10), title="Frühjahr", invited_faction_ids=[]
    )
    early = make_measure(app, cast, "Quick Win vor der Runde", quick_win=True)
    implement(app, cast, early, D(2030, 3, 1))
    app.record_political_round(
        cast.coordinator, held, 1, held_on=D(2030, 3, 10), attending_faction_ids=[faction]
    )
    following = app.plan_political_round(
        cast.coordinator, scheduled_on=D(2030, 6, 10), title="Sommer", invited_faction_ids=[]
    )
    told = app.read_models.briefing(held)
    assert told is not None

    # A month later: a benefit for the early quick win and a new measure with a goal.
    clock.advance_to(dt.datetime(2030, 4, 10, 9, tzinfo=dt.UTC))
    app.record_benefit(cast.group_member, early, _m(app, early), cast.citizens, "Schneller")
    make_measure(app, cast, "Später geplant", quick_win=False)

    again = app.read_models.briefing(held)
    assert again == told
    assert again.figures.published == 1
    assert again.benefits_per_department == ()
    now = app.read_models.briefing(following)
    assert now is not None
    assert now.figures.published == 2
    assert [b.count for b in now.benefits_per_department] == [1]
