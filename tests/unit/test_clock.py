"""Events are stamped by an injectable clock, always as timezone-aware UTC (DESIGN §3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from eventsourcing.domain import Aggregate

from ideation.domain.actor import Actor
from ideation.domain.clock import using_clock
from tests.unit.builders import (
    EVERY_COMMAND,
    assert_nothing_recorded,
    coordinator,
    idea_in,
    snapshot,
    submitted_idea,
)

ACTOR = coordinator()
MOMENT = datetime(2030, 5, 17, 9, 30, tzinfo=UTC)
BERLIN_SUMMER = timezone(timedelta(hours=2))


def test_new_events_carry_the_injected_timestamp() -> None:
    with using_clock(lambda: MOMENT):
        idea = submitted_idea(ACTOR)
        idea.comment("Gute Idee", ACTOR)

    events = idea.collect_events()
    assert [e.timestamp for e in events] == [MOMENT, MOMENT]
    assert (idea.created_on, idea.modified_on) == (MOMENT, MOMENT)


@pytest.mark.parametrize("driver", EVERY_COMMAND.values(), ids=lambda d: d.__name__)
def test_every_event_of_every_aggregate_is_stamped_by_the_injected_clock(
    driver: Callable[[Actor], list[Aggregate.Event]],
) -> None:
    with using_clock(lambda: MOMENT):
        events = driver(ACTOR)

    assert events
    assert {event.timestamp for event in events} == {MOMENT}


def test_each_event_asks_the_clock_again() -> None:
    moments = iter([MOMENT, MOMENT + timedelta(minutes=5)])
    with using_clock(lambda: next(moments)):
        idea = submitted_idea(ACTOR)
        idea.comment("Gute Idee", ACTOR)

    assert [e.timestamp for e in idea.collect_events()] == [MOMENT, MOMENT + timedelta(minutes=5)]


def test_an_injected_time_in_another_zone_is_stored_as_the_same_instant_in_utc() -> None:
    in_berlin = datetime(2030, 5, 17, 11, 30, tzinfo=BERLIN_SUMMER)

    with using_clock(lambda: in_berlin):
        [event] = submitted_idea(ACTOR).collect_events()

    assert event.timestamp == MOMENT
    assert event.timestamp.tzinfo is UTC
    assert event.timestamp.utcoffset() == timedelta(0)


def test_the_real_utc_clock_is_used_outside_the_block() -> None:
    with using_clock(lambda: MOMENT):
        submitted_idea(ACTOR)

    before = datetime.now(UTC)
    [event] = submitted_idea(ACTOR).collect_events()
    after = datetime.now(UTC)

    assert before <= event.timestamp <= after
    assert event.timestamp.utcoffset() == timedelta(0)


def test_using_no_clock_keeps_the_real_one() -> None:
    before = datetime.now(UTC)
    with using_clock(None):
        [event] = submitted_idea(ACTOR).collect_events()

    assert before <= event.timestamp <= datetime.now(UTC)


def test_an_inner_block_wins_and_the_outer_clock_returns_after_it() -> None:
    later = MOMENT + timedelta(days=1)
    with using_clock(lambda: MOMENT):
        with using_clock(lambda: later):
            inner = submitted_idea(ACTOR)
        outer = submitted_idea(ACTOR)

    assert inner.created_on == later
    assert outer.created_on == MOMENT


def test_the_injected_clock_is_removed_even_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError), using_clock(lambda: MOMENT):
        raise RuntimeError("boom")

    before = datetime.now(UTC)
    assert before <= submitted_idea(ACTOR).created_on <= datetime.now(UTC)


def test_a_clock_returning_a_naive_datetime_is_refused() -> None:
    naive = datetime(2030, 5, 17, 9, 30)

    with using_clock(lambda: naive), pytest.raises(ValueError, match="timezone-aware"):
        submitted_idea(ACTOR)


def test_a_naive_clock_leaves_an_existing_aggregate_untouched() -> None:
    idea = idea_in("in_review")
    before = snapshot(idea)

    naive = datetime(2030, 5, 17, 9, 30)

    with using_clock(lambda: naive), pytest.raises(ValueError, match="timezone-aware"):
        idea.comment("Gute Idee", ACTOR)

    assert_nothing_recorded(idea, before)
