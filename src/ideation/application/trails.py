"""Each idea's history, built once per process and extended by the events stored since.

Stored events never change (the event store refuses updates and deletes, ES-3), so the
history of an idea up to a version is fixed for good. The first request for an idea replays
its events, its measure's and its working groups' meeting records and computes the field
diffs; later requests read only the events stored after the versions already seen (one
query per aggregate, usually empty) and reuse the rest. Every process keeps its own cache
and always asks the event store for newer events, so several server processes stay correct.
See docs/adr/0008-history-trails-and-read-model-durability.md.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from ideation.application.history import event_type, field_changes, history_entry
from ideation.application.views import HistoryEntry

# (aggregate id, versions after which to read) → the events stored after it, oldest first.
EventsAfter = Callable[[UUID, int], Sequence[Any]]
StateOf = Callable[[Any, Any], dict[str, Any] | None]

# Steps of the same moment: the idea first, then its group's meeting, then its measure.
_ORDER = {"Idea": 0, "WorkingGroup": 1, "Measure": 2}
DEFAULT_CAPACITY = 1_000


@dataclass
class AggregateTrail:
    """One aggregate's history entries up to `version`, and the aggregate at that version."""

    aggregate_id: UUID
    state_of: StateOf | None = None
    version: int = 0
    aggregate: Any = None
    entries: list[HistoryEntry] = field(default_factory=list)

    def extend(self, events: Sequence[Any]) -> None:
        """Add entries for events after `version`, with old/new values where `state_of` says."""
        for event in events:
            state_of = self.state_of
            assert state_of is not None
            before = state_of(self.aggregate, event) if self.aggregate is not None else None
            self.aggregate = event.mutate(self.aggregate)
            after = state_of(self.aggregate, event)
            changes = field_changes(before, after) if before is not None and after else ()
            self.entries.append(history_entry(event, changes))
            self.version = event.originator_version

    def version_at(self, moment: dt.datetime) -> int | None:
        """The newest version recorded at or before `moment` (None: it did not exist yet)."""
        for entry in reversed(self.entries):
            if entry.timestamp <= moment:
                return entry.version
        return None

    def timestamp_of(self, version: int) -> dt.datetime:
        """When the event of `version` was recorded (every event is an entry here)."""
        return self.entries[version - 1].timestamp


@dataclass
class IdeaTrail:
    """An idea's own trail, the trails of its measures and its groups' meetings about it."""

    idea: AggregateTrail
    measures: dict[UUID, AggregateTrail] = field(default_factory=dict)
    group_versions: dict[UUID, int] = field(default_factory=dict)
    meetings: list[HistoryEntry] = field(default_factory=list)
    steps: tuple[HistoryEntry, ...] = ()
    steps_current: bool = True

    def extend_idea(self, events_after: EventsAfter) -> None:
        """Read the idea's own events stored since the last call."""
        fresh = events_after(self.idea.aggregate_id, self.idea.version)
        if not fresh:
            return
        self.idea.extend(fresh)
        self.steps_current = False
        for event in fresh:
            measure_id = getattr(event, "measure_id", None)
            if measure_id is not None and measure_id not in self.measures:
                self.measures[measure_id] = AggregateTrail(measure_id, _measure_goal_state)
            if event_type(event) == "Idea.AssignedToWorkingGroup":
                self.group_versions.setdefault(event.working_group_id, 0)

    def extend_related(self, events_after: EventsAfter) -> None:
        """Read the measures' events and the groups' meeting records stored since."""
        self.extend_measures(events_after)
        self.extend_meetings(events_after)

    def extend_measures(self, events_after: EventsAfter) -> None:
        """Read the measures' events stored since (all a view of the idea needs)."""
        for trail in self.measures.values():
            fresh = events_after(trail.aggregate_id, trail.version)
            if fresh:
                trail.extend(fresh)
                self.steps_current = False

    def extend_meetings(self, events_after: EventsAfter) -> None:
        """Read the groups' events stored since, keeping their meeting records about the idea."""
        idea_id = self.idea.aggregate_id
        for group_id, seen in list(self.group_versions.items()):
            fresh = events_after(group_id, seen)
            if not fresh:
                continue
            self.group_versions[group_id] = fresh[-1].originator_version
            meetings = [
                history_entry(e)
                for e in fresh
                if event_type(e) == "WorkingGroup.MeetingRecorded" and idea_id in e.idea_ids
            ]
            if meetings:
                self.meetings += meetings
                self.steps_current = False

    def history(self) -> tuple[HistoryEntry, ...]:
        """Every step in time order (sorted again only after something new arrived)."""
        if not self.steps_current:
            entries = [*self.idea.entries, *self.meetings]
            for trail in self.measures.values():
                entries += trail.entries
            entries.sort(key=lambda e: (e.timestamp, _ORDER.get(e.aggregate_type, 3), e.version))
            self.steps = tuple(entries)
            self.steps_current = True
        return self.steps


class TrailCache:
    """The trails of the ideas asked for most recently, at most `capacity` of them."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._trails: OrderedDict[UUID, IdeaTrail] = OrderedDict()
        # One lock for all: extending a trail reads the store and changes the trail, and two
        # requests for the same idea must not add the same events twice.
        self.lock = threading.RLock()

    def trail(self, idea_id: UUID, state_of: StateOf) -> IdeaTrail:
        """The idea's trail (a new, empty one the first time); call with `lock` held."""
        trail = self._trails.get(idea_id)
        if trail is None:
            trail = IdeaTrail(AggregateTrail(idea_id, state_of))
            self._trails[idea_id] = trail
            while len(self._trails) > self.capacity:
                self._trails.popitem(last=False)
        else:
            self._trails.move_to_end(idea_id)
        return trail

    def forget(self, idea_id: UUID) -> None:
        """Drop an idea's trail (it turned out not to be an idea)."""
        self._trails.pop(idea_id, None)


def _measure_goal_state(measure: Any, event: Any) -> dict[str, Any] | None:
    """A revised goal's fields before and after, for the history's old/new values."""
    if event_type(event) != "Measure.GoalRevised":
        return None
    goal = measure.goal(event.goal_id)
    return {k: goal[k] for k in ("statement", "indicator", "target")}
