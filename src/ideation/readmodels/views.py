"""What the read-model queries return: small frozen records of plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar
from uuid import UUID

T = TypeVar("T")


@dataclass(frozen=True)
class IdeaRow:
    """An idea as a list shows it; `stage` is what a person sees (the measure's once accepted)."""

    id: UUID
    version: int
    title: str
    summary: str
    department_id: UUID
    submitted_by: UUID
    status: str
    status_label: str
    stage: str
    stage_label: str
    quick_win: bool
    quick_win_overridden: bool
    impact: int | None
    effort: int | None
    expected_weeks: int | None
    support_count: int
    comment_count: int
    themes: tuple[str, ...]
    working_group_id: UUID | None
    measure_id: UUID | None
    merged_into: UUID | None
    submitted_at: dt.datetime
    updated_at: dt.datetime
    decided_at: dt.datetime | None


class PageNumbers:
    """Previous and next for page `page` of `pages` (what the pagination macro asks)."""

    page: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class IdeaPage(PageNumbers):
    """One page of a filtered, sorted idea list; `total` counts every matching idea."""

    rows: tuple[IdeaRow, ...]
    total: int
    page: int
    page_size: int
    pages: int


@dataclass(frozen=True)
class BenefitRow:
    """The value a measure brought to a named department (Mehrwert)."""

    department_id: UUID
    description: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class MeasureRow:
    """A measure as a list shows it, with the benefits recorded for it."""

    id: UUID
    version: int
    idea_id: UUID
    title: str
    working_group_id: UUID
    owner_department_id: UUID
    quick_win: bool
    status: str
    status_label: str
    progress: int
    blocked: bool
    goals_count: int
    next_milestone_title: str | None
    next_milestone_due: dt.date | None
    implemented_on: dt.date | None
    implemented_at: dt.datetime | None
    planned_at: dt.datetime
    updated_at: dt.datetime
    benefits: tuple[BenefitRow, ...]


@dataclass(frozen=True)
class WorkingGroupRow:
    """A working group with the ideas it currently refines and the measures it runs."""

    id: UUID
    version: int
    name: str
    lead_department_id: UUID
    status: str
    status_label: str
    members_count: int
    open_ideas: int
    running_measures: int
    formed_at: dt.datetime


@dataclass(frozen=True)
class DepartmentEntry:
    """A department's names and kind, for showing names next to ids."""

    id: UUID
    name: str
    short_name: str
    kind: str


@dataclass(frozen=True)
class DepartmentRow:
    """A department or municipal company with what it put in and got out (Mehrwerte)."""

    id: UUID
    name: str
    short_name: str
    kind: str
    ideas_submitted: int
    supports_pledged: int
    measures_owned: int
    benefits_received: int


@dataclass(frozen=True)
class ThemeCount:
    """A theme and how many ideas carry it."""

    theme: str
    count: int


@dataclass(frozen=True)
class SimilarIdea:
    """An existing idea that resembles a draft ("Ähnliche Ideen"); score from 0 to 100."""

    id: UUID
    title: str
    summary: str
    stage: str
    stage_label: str
    score: int


@dataclass(frozen=True)
class FunnelStage:
    """How many ideas are at one visible stage; `closed` for the stages that end the way."""

    stage: str
    label: str
    count: int
    closed: bool


@dataclass(frozen=True)
class Funnel:
    """Ideas per visible stage: the way in STAGE_SEQUENCE order, then the closed stages."""

    stages: tuple[FunnelStage, ...]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.stages)

    @property
    def way(self) -> tuple[FunnelStage, ...]:
        """The stages from submission to implementation."""
        return tuple(s for s in self.stages if not s.closed)

    @property
    def closed(self) -> tuple[FunnelStage, ...]:
        """Rejected, parked, merged, withdrawn, cancelled."""
        return tuple(s for s in self.stages if s.closed)

    def count(self, stage: str) -> int:
        """The number of ideas at `stage` (0 for an unknown stage)."""
        return next((s.count for s in self.stages if s.stage == stage), 0)

    def as_dict(self) -> dict[str, int]:
        """Stage key → count, in funnel order."""
        return {s.stage: s.count for s in self.stages}


@dataclass(frozen=True)
class Dashboard:
    """The figures of the coordination's dashboard.

    Medians are in days (one decimal) and None without data; `decisions_counted` and
    `implementations_counted` say how many ideas and measures each median is taken over.
    """

    funnel: Funnel
    quick_wins_implemented: int
    latest_quick_wins: tuple[MeasureRow, ...]
    median_days_to_decision: float | None
    decisions_counted: int
    median_days_to_implementation: float | None
    implementations_counted: int
    departments: tuple[DepartmentRow, ...]


@dataclass(frozen=True)
class PlannerAsOf:
    """The planner as it was at `moment`, replayed from the events up to it (Stand am …).

    `ideas` holds every idea that existed then, oldest submission first; `measures` every
    measure then (title order) with its stage and progress then; `people` every person with
    the department, roles and active flag they had then; `events_applied` counts the events
    replayed.
    """

    moment: dt.datetime
    funnel: Funnel
    ideas: tuple[IdeaRow, ...]
    events_applied: int
    measures: tuple[MeasureRow, ...] = ()
    people: tuple[PersonRow, ...] = ()


@dataclass(frozen=True)
class PersonRow:
    """A person's part in the planner (no personal data: names live in the directory)."""

    id: UUID
    version: int
    department_id: UUID
    active: bool
    roles: tuple[str, ...]


@dataclass(frozen=True)
class ActivityRow:
    """One recorded step: who did what to which object, when, in which role and why.

    `event_type` is "Aggregate.EventName" (the entry points turn it into a label);
    `subject` is the idea's or measure's title or the working group's name, if known.
    """

    position: int
    occurred_at: dt.datetime
    aggregate_type: str
    aggregate_id: UUID
    aggregate_version: int
    event_type: str
    actor_person_id: UUID | None
    actor_department_id: UUID | None
    actor_role: str | None
    reason: str | None
    subject: str | None


@dataclass(frozen=True)
class TaskIdea:
    """An idea on someone's task list, with the stage it is at."""

    id: UUID
    title: str
    department_id: UUID
    status: str
    stage: str
    working_group_id: UUID | None
    support_count: int
    submitted_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class RecommendedIdea:
    """An idea whose working group recommended an outcome; the coordination decides next."""

    id: UUID
    title: str
    department_id: UUID
    working_group_id: UUID | None
    recommended_at: dt.datetime
    recommended_by: UUID | None
    reasoning: str | None


@dataclass(frozen=True)
class TaskMeasure:
    """A running measure on someone's task list."""

    id: UUID
    title: str
    working_group_id: UUID
    owner_department_id: UUID
    status: str
    progress: int
    blocked: bool
    next_milestone_title: str | None
    next_milestone_due: dt.date | None
    updated_at: dt.datetime


@dataclass(frozen=True)
class OverdueMilestone:
    """A milestone of a running measure that was due before today and is not reached."""

    milestone_id: UUID
    title: str
    due_on: dt.date
    measure_id: UUID
    measure_title: str
    working_group_id: UUID


@dataclass(frozen=True)
class DecisionRow:
    """A decision on an idea (accepted, rejected, parked, merged, withdrawn), with reason."""

    position: int
    occurred_at: dt.datetime
    idea_id: UUID
    idea_title: str | None
    event_type: str
    actor_person_id: UUID | None
    actor_role: str | None
    reason: str | None


@dataclass(frozen=True)
class TaskList(Generic[T]):
    """The first few tasks of one kind; `total` counts all of them."""

    items: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        """How many are not shown."""
        return self.total - len(self.items)

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass(frozen=True)
class MyTasks:
    """What waits for one person, per role they hold ("Meine Aufgaben").

    Lists for roles the person does not hold are empty. `group_ids` are the working groups
    the person belongs to (a group member's lists cover exactly these).
    """

    roles: tuple[str, ...]
    group_ids: tuple[UUID, ...]
    today: dt.date
    # coordinator
    awaiting_assessment: TaskList[TaskIdea]
    awaiting_decision: TaskList[RecommendedIdea]
    blocked_measures: TaskList[TaskMeasure]
    # group member
    awaiting_recommendation: TaskList[TaskIdea]
    overdue_milestones: TaskList[OverdueMilestone]
    running_measures: TaskList[TaskMeasure]
    # member
    department_ideas: TaskList[TaskIdea]
    department_measures: TaskList[TaskMeasure]
    open_for_support: TaskList[TaskIdea]
    # auditor
    latest_decisions: TaskList[DecisionRow]


@dataclass(frozen=True)
class AuditRow:
    """One stored event in the audit log or the decision register (`readmodels.audit`).

    `position` is its place in the event log (commit order). `idea_id` is the idea whose
    history shows the event (the idea itself, or a measure's idea); `subject` the idea's or
    measure's title, the working group's or department's name, if known (people's names live
    in the directory). `outcome` says what a decision decided where the type does not (a
    recommendation's "accept"/"reject"/"park", the role granted or revoked, "quick_win" or
    "no_quick_win"); `related_id` names the other object (merge target, the accepted idea's
    measure, the recommending group) and `related_subject` its title or name.
    """

    position: int
    occurred_at: dt.datetime
    aggregate_type: str
    aggregate_id: UUID
    aggregate_version: int
    event_type: str
    actor_person_id: UUID | None
    actor_department_id: UUID | None
    actor_role: str | None
    reason: str | None
    outcome: str | None
    related_id: UUID | None
    related_subject: str | None
    idea_id: UUID | None
    subject: str | None


@dataclass(frozen=True)
class AuditPage(PageNumbers):
    """One page of the audit log or the decision register; `total` counts every match."""

    rows: tuple[AuditRow, ...]
    total: int
    page: int
    page_size: int
    pages: int
    newest_first: bool


@dataclass(frozen=True)
class ChainHead:
    """The newest link of the hash chain: what an auditor keeps outside the system.

    `position` is the notification id of the last chained record (0 and the genesis value
    while nothing is stored), `link` its SHA-256 in hex, `occurred_at` its event's UTC time.
    """

    position: int
    link: str
    occurred_at: dt.datetime | None
    length: int  # how many records are chained


@dataclass(frozen=True)
class ChainBreak:
    """The first position where the event table and the stored chain disagree.

    `kind`: "changed", "removed", "inserted", "moved" or "chain" (the stored link itself was
    altered); `other_position` names the related position where one is known (where a moved
    record was chained, or where a displaced one stands now).
    """

    position: int
    kind: str
    other_position: int | None


@dataclass(frozen=True)
class ChainVerification:
    """What recomputing the hash chain found."""

    intact: bool
    checked: int  # records whose links were recomputed and matched
    head: ChainHead
    first_break: ChainBreak | None
    expected: tuple[int, str] | None = None  # a kept (position, link) to compare with
    expected_matches: bool | None = None  # None: not asked, or not reached before a break
