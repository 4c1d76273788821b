"""A small political story for the page, PDF, API and ambassador tests (issue 8, part 4).

Two factions; a round held on 10.03.2030 with two suggestions, and one planned for
10.06.2030. Published quick wins implemented in February (before the first round) and in
April (between the rounds, with benefits), a quick win without a goal (unpublished) in April,
a running published measure with a milestone, and an idea that never became a measure.
An ambassador "Anna Botschaft" signs in as `anna`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from tests.conftest import Cast
from tests.functional.conftest import PASSWORD

D = dt.date


@dataclass(frozen=True)
class Story:
    cast: Cast
    ambassador: UUID
    greens: UUID
    social: UUID
    first: UUID  # held 10.03.2030
    second: UUID  # planned 10.06.2030
    february: UUID  # quick win implemented 01.02.2030 (before the first round)
    april: UUID  # quick win implemented 01.04.2030 (between the rounds), with benefits
    draft: UUID  # quick win without a goal, implemented 02.04.2030 (unpublished)
    running: UUID  # running measure with a goal and a milestone on 01.07.2030
    idea: UUID  # an idea, never accepted


def _v(planner: Any, idea: UUID) -> int:
    return planner.get_idea(idea).version


def _m(planner: Any, measure: UUID) -> int:
    return planner.get_measure(measure).version


def make_measure(planner: Any, cast: Cast, title: str, *, quick_win: bool, goal: bool) -> UUID:
    idea = planner.submit_idea(cast.member, title=title, summary="Kurz beschrieben")
    planner.assess_idea(
        cast.coordinator,
        idea,
        _v(planner, idea),
        impact=4,
        effort=1 if quick_win else 5,
        expected_weeks=4 if quick_win else 40,
        rationale="Gut",
    )
    planner.assign_idea_to_working_group(cast.coordinator, idea, _v(planner, idea), cast.group)
    planner.recommend(cast.group_member, idea, _v(planner, idea), "accept", "Lohnt sich")
    measure = planner.accept_idea(cast.coordinator, idea, _v(planner, idea), "Angenommen")
    if goal:
        planner.set_goal(
            cast.group_member,
            measure,
            _m(planner, measure),
            statement=f"Ziel: {title}",
            indicator="Anteil der Anträge",
            target="80 %",
        )
    return measure


def implement(planner: Any, cast: Cast, measure: UUID, day: dt.date) -> None:
    planner.report_progress(cast.group_member, measure, _m(planner, measure), 90, "Fast")
    planner.implement_measure(cast.group_member, measure, _m(planner, measure), day, "Fertig")


def make_story(planner: Any, cast: Cast) -> Story:
    ambassador = planner.register_person(
        cast.admin, "Anna Botschaft", "anna@example.org", cast.citizens, ["ambassador"]
    )
    planner.create_account(cast.admin, ambassador, "anna", PASSWORD)
    greens = planner.register_faction(cast.coordinator, "Fraktion Die Grünen", "GRÜNE")
    social = planner.register_faction(cast.coordinator, "SPD-Fraktion", "SPD")
    first = planner.plan_political_round(
        cast.coordinator,
        scheduled_on=D(2030, 3, 10),
        title="Frühjahrsrunde",
        invited_faction_ids=[greens, social],
    )
    planner.record_political_round(
        cast.coordinator,
        first,
        1,
        held_on=D(2030, 3, 10),
        attending_faction_ids=[greens],
        questions=["Wann kommt das WLAN?"],
        suggestions=["Sensoren im Park", "Offenes WLAN am Bahnhof"],
        notes="Gute Stimmung",
    )
    second = planner.plan_political_round(
        cast.coordinator,
        scheduled_on=D(2030, 6, 10),
        title="Sommerrunde",
        invited_faction_ids=[social],
    )
    february = make_measure(planner, cast, "Digitale Parkraumkarte", quick_win=True, goal=True)
    implement(planner, cast, february, D(2030, 2, 1))
    april = make_measure(planner, cast, "Online-Terminbuchung", quick_win=True, goal=True)
    implement(planner, cast, april, D(2030, 4, 1))
    planner.record_benefit(
        cast.group_member, april, _m(planner, april), cast.citizens, "Kürzere Wartezeiten"
    )
    planner.record_benefit(
        cast.group_member, april, _m(planner, april), cast.mobility, "Weniger Papierpost"
    )
    draft = make_measure(planner, cast, "Heimlicher Entwurf", quick_win=True, goal=False)
    implement(planner, cast, draft, D(2030, 4, 2))
    running = make_measure(planner, cast, "Sensorik im Stadtpark", quick_win=False, goal=True)
    planner.add_milestone(
        cast.group_member, running, _m(planner, running), "Sensoren bestellt", D(2030, 7, 1)
    )
    idea = planner.submit_idea(
        cast.member, title="Unveröffentlichte Idee Luftschloss", summary="Noch geheim"
    )
    return Story(
        cast=cast,
        ambassador=ambassador,
        greens=greens,
        social=social,
        first=first,
        second=second,
        february=february,
        april=april,
        draft=draft,
        running=running,
        idea=idea,
    )
