"""What queries return: small frozen dataclasses of plain data, never live aggregates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class FieldChange:
    """One field's old and new value."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    """One step in an object's history (Verlauf)."""

    aggregate_type: str
    aggregate_id: UUID
    version: int
    timestamp: dt.datetime
    actor_person_id: UUID | None
    actor_department_id: UUID | None
    actor_role: str | None
    event_type: str
    label_key: str
    label: str
    reason: str | None
    changes: tuple[FieldChange, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    # decisions, content, measure, comments or other (see history.HISTORY_KINDS)
    kind: str = "other"


@dataclass(frozen=True)
class CommentView:
    comment_id: UUID
    text: str
    reply_to: UUID | None
    person_id: UUID
    written_at: dt.datetime


@dataclass(frozen=True)
class IdeaView:
    """An idea as a page or export shows it."""

    id: UUID
    version: int
    title: str
    summary: str
    description: str
    themes: tuple[str, ...]
    department_id: UUID
    submitted_by: UUID
    status: str
    status_label: str
    stage: str
    stage_label: str
    quick_win: bool
    quick_win_overridden: bool
    assessment: dict[str, Any] | None
    supporting_departments: tuple[UUID, ...]
    comments: tuple[CommentView, ...]
    working_group_id: UUID | None
    recommendation: dict[str, Any] | None
    measure_id: UUID | None
    merged_into: UUID | None
    decision_reason: str
    submitted_at: dt.datetime
    updated_at: dt.datetime
    # Where the idea came from (free text, optional; Submitted v2).
    origin: str = ""
    origin_session_id: UUID | None = None
    origin_round_id: UUID | None = None


@dataclass(frozen=True)
class MeasureView:
    id: UUID
    version: int
    idea_id: UUID
    working_group_id: UUID
    owner_department_id: UUID
    title: str
    quick_win: bool
    status: str
    status_label: str
    goals: tuple[dict[str, Any], ...]
    approach: str
    milestones: tuple[dict[str, Any], ...]
    progress: int
    blocked: bool
    block_reason: str
    implemented_on: dt.date | None
    outcome: str
    benefits: tuple[dict[str, Any], ...]
    cancel_reason: str
    planned_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class WorkingGroupView:
    id: UUID
    version: int
    name: str
    mandate: str
    lead_department_id: UUID
    members: tuple[UUID, ...]
    meetings: tuple[dict[str, Any], ...]
    status: str
    status_label: str


@dataclass(frozen=True)
class DepartmentView:
    id: UUID
    version: int
    name: str
    short_name: str
    kind: str


@dataclass(frozen=True)
class PersonView:
    id: UUID
    version: int
    display_name: str
    email: str
    department_id: UUID
    roles: tuple[str, ...]
    active: bool
    # True once the personal data were erased (get_person; list_people leaves it False).
    erased: bool = False
