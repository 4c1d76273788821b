"""Every decision that closes a door needs a real reason (DESIGN §3 "Events": why)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate

from ideation.domain.base import MAX_REASON_LENGTH, check_text
from ideation.domain.errors import InvalidValue, ReasonRequired
from tests.unit.builders import (
    MeasureFixture,
    admin,
    assert_nothing_recorded,
    coordinator,
    idea_in,
    person,
    snapshot,
    working_group,
)

ACTOR = coordinator()


def _person_with_member_role() -> Aggregate:
    someone = person()
    someone.grant_role("member", admin())
    someone.collect_events()
    return someone


def _person() -> Aggregate:
    someone = person()
    someone.collect_events()
    return someone


def _group() -> Aggregate:
    group = working_group()
    group.collect_events()
    return group


@dataclass(frozen=True)
class DoorClosing:
    """An action that needs a reason: where it is allowed, how to call it, where it keeps it."""

    build: Callable[[], Any]
    act: Callable[[Any, Any], None]
    stored: Callable[[Any, Any], list[str]]


DOOR_CLOSING_ACTIONS = {
    "idea.reject": DoorClosing(
        lambda: idea_in("in_review"),
        lambda idea, reason: idea.reject(reason, ACTOR),
        lambda idea, event: [idea.decision_reason, event.reason],
    ),
    "idea.park": DoorClosing(
        lambda: idea_in("in_review"),
        lambda idea, reason: idea.park(reason, ACTOR),
        lambda idea, event: [idea.decision_reason, event.reason],
    ),
    "idea.merge_into": DoorClosing(
        lambda: idea_in("submitted"),
        lambda idea, reason: idea.merge_into(uuid4(), reason, ACTOR),
        lambda idea, event: [idea.decision_reason, event.reason],
    ),
    "idea.withdraw": DoorClosing(
        lambda: idea_in("submitted"),
        lambda idea, reason: idea.withdraw(reason, ACTOR),
        lambda idea, event: [idea.decision_reason, event.reason],
    ),
    "idea.override_quick_win": DoorClosing(
        lambda: idea_in("in_review"),
        lambda idea, reason: idea.override_quick_win(False, reason, ACTOR),
        lambda idea, event: [event.reason],
    ),
    "idea.accept": DoorClosing(
        lambda: idea_in("in_working_group"),
        lambda idea, reason: idea.accept(uuid4(), reason, ACTOR),
        lambda idea, event: [idea.decision_reason, event.reason],
    ),
    "idea.reopen": DoorClosing(
        lambda: idea_in("parked"),
        lambda idea, reason: idea.reopen(reason, ACTOR),
        lambda idea, event: [idea.decision_reason, event.reason],
    ),
    "idea.recommend": DoorClosing(
        lambda: idea_in("in_working_group"),
        lambda idea, reason: idea.recommend("reject", reason, ACTOR),
        lambda idea, event: [idea.recommendation["reasoning"], event.reasoning],
    ),
    "measure.block": DoorClosing(
        lambda: MeasureFixture("in_progress").measure,
        lambda measure, reason: measure.block(reason, ACTOR),
        lambda measure, event: [measure.block_reason, event.reason],
    ),
    "measure.cancel": DoorClosing(
        lambda: MeasureFixture("planned").measure,
        lambda measure, reason: measure.cancel(reason, ACTOR),
        lambda measure, event: [measure.cancel_reason, event.reason],
    ),
    "working_group.dissolve": DoorClosing(
        _group,
        lambda group, reason: group.dissolve(reason, ACTOR),
        lambda group, event: [group.dissolution_reason, event.reason],
    ),
    "person.revoke_role": DoorClosing(
        _person_with_member_role,
        lambda someone, reason: someone.revoke_role("member", reason, admin()),
        lambda someone, event: [event.reason],
    ),
    "person.deactivate": DoorClosing(
        _person,
        lambda someone, reason: someone.deactivate(reason, admin()),
        lambda someone, event: [event.reason],
    ),
}

MISSING_REASONS = {
    "empty": "",
    "whitespace only": " \t\n ",
    "none": None,
    "a number": 0,
    "a boolean": False,
    "a list": [],
}


@pytest.mark.parametrize("missing", MISSING_REASONS.values(), ids=MISSING_REASONS.keys())
@pytest.mark.parametrize("action", DOOR_CLOSING_ACTIONS.values(), ids=DOOR_CLOSING_ACTIONS.keys())
def test_a_door_closing_action_without_a_reason_is_refused_and_records_nothing(
    action: DoorClosing, missing: object
) -> None:
    aggregate = action.build()
    before = snapshot(aggregate)

    with pytest.raises(ReasonRequired) as raised:
        action.act(aggregate, missing)

    assert raised.value.code == "reason_required"
    assert "Begründung erforderlich" in str(raised.value)
    assert_nothing_recorded(aggregate, before)


@pytest.mark.parametrize("action", DOOR_CLOSING_ACTIONS.values(), ids=DOOR_CLOSING_ACTIONS.keys())
def test_the_stored_reason_is_stripped(action: DoorClosing) -> None:
    aggregate = action.build()

    action.act(aggregate, "  \n Der Haushalt ist gekürzt.\t ")

    [event] = aggregate.collect_events()
    assert set(action.stored(aggregate, event)) == {"Der Haushalt ist gekürzt."}


@pytest.mark.parametrize("action", DOOR_CLOSING_ACTIONS.values(), ids=DOOR_CLOSING_ACTIONS.keys())
def test_a_reason_longer_than_the_limit_is_refused_and_records_nothing(
    action: DoorClosing,
) -> None:
    aggregate = action.build()
    before = snapshot(aggregate)

    with pytest.raises(InvalidValue) as raised:
        action.act(aggregate, "x" * (MAX_REASON_LENGTH + 1))

    assert raised.value.field == "reason"
    assert_nothing_recorded(aggregate, before)


def test_a_reason_of_exactly_the_limit_is_accepted() -> None:
    idea = idea_in("in_review")

    idea.reject("x" * MAX_REASON_LENGTH, ACTOR)

    assert idea.status == "rejected"


def test_a_text_with_a_control_character_is_refused_but_line_breaks_and_tabs_are_text() -> None:
    assert check_text("notes", "Zeile 1\n\tZeile 2\r\n", "Notizen") == "Zeile 1\n\tZeile 2"
    for bad in ("Null\x00Byte", "Glocke\x07", "Escape\x1b[31m", "Rest\ud800"):
        with pytest.raises(InvalidValue, match="Steuerzeichen"):
            check_text("notes", bad, "Notizen")
