"""Property: whatever commands an idea went through, replaying its events rebuilds it exactly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from ideation.domain.errors import DomainError
from ideation.domain.idea import Idea
from tests.unit.builders import coordinator, member, submitted_idea

SUPPORTERS = [uuid4() for _ in range(3)]
GROUPS = [uuid4() for _ in range(2)]
COORDINATOR = coordinator()
SOMEONE = member()

text = st.text(min_size=0, max_size=40)
Command = Callable[[Idea], None]

commands: st.SearchStrategy[Command] = st.one_of(
    st.builds(
        lambda t: lambda i: i.revise({"title": t}, "", SOMEONE),
        st.text(min_size=3, max_size=50),
    ),
    st.builds(lambda t: lambda i: i.comment(t, SOMEONE), text),
    st.builds(lambda d: lambda i: i.pledge_support(d, "", SOMEONE), st.sampled_from(SUPPORTERS)),
    st.builds(lambda d: lambda i: i.withdraw_support(d, "", SOMEONE), st.sampled_from(SUPPORTERS)),
    st.builds(
        lambda a, b, w: lambda i: i.assess(a, b, w, "Begründung", COORDINATOR),
        st.integers(0, 6),
        st.integers(0, 6),
        st.integers(0, 60),
    ),
    st.builds(lambda q, r: lambda i: i.override_quick_win(q, r, COORDINATOR), st.booleans(), text),
    st.builds(
        lambda g: lambda i: i.assign_to_working_group(g, COORDINATOR), st.sampled_from(GROUPS)
    ),
    st.builds(
        lambda o, r: lambda i: i.recommend(o, r, SOMEONE),
        st.sampled_from(["accept", "reject", "park", "maybe"]),
        text,
    ),
    st.builds(lambda r: lambda i: i.accept(uuid4(), r, COORDINATOR), text),
    st.builds(lambda r: lambda i: i.reject(r, COORDINATOR), text),
    st.builds(lambda r: lambda i: i.park(r, COORDINATOR), text),
    st.builds(lambda r: lambda i: i.reopen(r, COORDINATOR), text),
    st.builds(lambda r: lambda i: i.withdraw(r, SOMEONE), text),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(commands, max_size=30))
def test_replaying_the_recorded_events_rebuilds_the_same_idea(steps: list[Command]) -> None:
    idea = submitted_idea()
    events: list[Any] = list(idea.collect_events())
    for step in steps:
        version = idea.version
        try:
            step(idea)
        except DomainError:
            # A refused command records nothing and leaves the version alone.
            assert idea.version == version
            assert idea.collect_events() == []
            continue
        events += idea.collect_events()

    replayed = None
    for event in events:
        replayed = event.mutate(replayed)

    assert replayed == idea
    assert [e.originator_version for e in events] == list(range(1, idea.version + 1))
