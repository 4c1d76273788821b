"""The quick-win rule lives in one place; the coordination may override it, with a reason."""

from __future__ import annotations

import pytest

from ideation.domain.errors import IllegalTransition, InvalidValue
from ideation.domain.idea import Idea
from ideation.domain.rules import is_quick_win
from tests.unit.builders import assert_nothing_recorded, coordinator, idea_in, snapshot

ACTOR = coordinator()

# A quick win: effort at most 2, done within 12 weeks, impact at least 3.
RULE_TABLE = [
    # impact, effort, weeks, quick win
    pytest.param(3, 2, 12, True, id="every boundary just inside"),
    pytest.param(3, 3, 12, False, id="effort 3 is too much"),
    pytest.param(3, 2, 13, False, id="13 weeks is too long"),
    pytest.param(2, 2, 12, False, id="impact 2 is too little"),
    pytest.param(5, 1, 1, True, id="best extremes"),
    pytest.param(1, 5, 520, False, id="worst extremes"),
    pytest.param(5, 5, 1, False, id="great impact but effort 5"),
    pytest.param(1, 1, 1, False, id="tiny effort but impact 1"),
    pytest.param(5, 1, 13, False, id="great and cheap but 13 weeks"),
    pytest.param(5, 2, 12, True, id="impact 5 effort 2 in 12 weeks"),
    pytest.param(3, 1, 1, True, id="impact 3 effort 1 in 1 week"),
    pytest.param(4, 3, 4, False, id="effort 3 even when fast"),
]


@pytest.mark.parametrize(("impact", "effort", "weeks", "expected"), RULE_TABLE)
def test_the_quick_win_rule_classifies_an_assessment(
    impact: int, effort: int, weeks: int, expected: bool
) -> None:
    assert is_quick_win(impact, effort, weeks) is expected


def test_an_idea_without_assessment_is_no_quick_win() -> None:
    assert idea_in("submitted").quick_win is False


@pytest.mark.parametrize(("impact", "effort", "weeks", "expected"), RULE_TABLE)
def test_an_ideas_quick_win_follows_the_rule_after_assessment(
    impact: int, effort: int, weeks: int, expected: bool
) -> None:
    idea = idea_in("submitted")

    idea.assess(impact, effort, weeks, "Einschätzung der Koordination", ACTOR)

    assert idea.quick_win is expected
    assert idea.assessment == {
        "impact": impact,
        "effort": effort,
        "expected_weeks": weeks,
        "rationale": "Einschätzung der Koordination",
    }


def test_a_new_assessment_reclassifies_the_idea() -> None:
    idea = idea_in("submitted")
    idea.assess(4, 2, 8, "Klein und wirksam", ACTOR)
    assert idea.quick_win is True

    idea.assess(4, 4, 30, "Doch aufwendiger", ACTOR)

    assert idea.quick_win is False


@pytest.mark.parametrize(
    ("impact", "effort", "weeks", "override"),
    [
        pytest.param(4, 2, 8, False, id="the rule says yes, the coordination says no"),
        pytest.param(2, 4, 30, True, id="the rule says no, the coordination says yes"),
    ],
)
def test_an_override_with_reason_wins_over_the_rule_and_is_its_own_event(
    impact: int, effort: int, weeks: int, override: bool
) -> None:
    idea = idea_in("submitted")
    idea.assess(impact, effort, weeks, "Einschätzung", ACTOR)
    idea.collect_events()
    assert idea.quick_win is not override

    idea.override_quick_win(override, "Politisch gewollt", ACTOR)

    [event] = idea.collect_events()
    assert type(event) is Idea.QuickWinOverridden
    assert event.quick_win is override
    assert event.reason == "Politisch gewollt"
    assert event.actor == ACTOR
    assert idea.quick_win is override
    assert idea.assessment["impact"] == impact


def test_an_override_keeps_winning_after_a_new_assessment() -> None:
    idea = idea_in("submitted")
    idea.assess(4, 2, 8, "Klein und wirksam", ACTOR)
    idea.override_quick_win(False, "Zu riskant", ACTOR)

    idea.assess(5, 1, 4, "Noch kleiner", ACTOR)

    assert idea.quick_win is False


def test_an_override_before_any_assessment_is_refused() -> None:
    idea = idea_in("submitted")
    before = snapshot(idea)

    with pytest.raises(IllegalTransition) as raised:
        idea.override_quick_win(True, "Wirkt sofort", ACTOR)

    assert raised.value.code == "idea.not_assessed"
    assert "Bewertung" in str(raised.value)
    assert_nothing_recorded(idea, before)


def test_an_override_that_is_not_yes_or_no_is_refused() -> None:
    idea = idea_in("in_review")
    before = snapshot(idea)

    with pytest.raises(InvalidValue) as raised:
        idea.override_quick_win("yes", "Wirkt sofort", ACTOR)  # type: ignore[arg-type]

    assert raised.value.field == "quick_win"
    assert_nothing_recorded(idea, before)


@pytest.mark.parametrize(
    ("field", "impact", "effort", "weeks"),
    [
        ("impact", 0, 2, 8),
        ("impact", 6, 2, 8),
        ("effort", 3, 0, 8),
        ("effort", 3, 6, 8),
        ("expected_weeks", 3, 2, 0),
        ("expected_weeks", 3, 2, 521),
        ("impact", True, 2, 8),
        ("effort", 3, "2", 8),
    ],
)
def test_an_assessment_outside_the_scales_is_refused_with_the_field_name(
    field: str, impact: object, effort: object, weeks: object
) -> None:
    idea = idea_in("submitted")
    before = snapshot(idea)

    with pytest.raises(InvalidValue) as raised:
        idea.assess(impact, effort, weeks, "Einschätzung", ACTOR)  # type: ignore[arg-type]

    assert raised.value.field == field
    assert_nothing_recorded(idea, before)
