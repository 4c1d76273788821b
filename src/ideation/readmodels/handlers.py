"""How each domain event changes the read models, inside the transaction of its batch."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Update

from ideation.domain.idea import comment_id
from ideation.domain.rules import is_quick_win
from ideation.domain.stages import visible_stage
from ideation.readmodels import cooperation_handlers, search
from ideation.readmodels.tables import (
    activity,
    benefits,
    comments,
    departments,
    engagement,
    group_members,
    idea_supports,
    idea_themes,
    ideas,
    measures,
    milestones,
    people,
    working_groups,
)

Handler = Callable[[Connection, Any], None]

DECISION_EVENTS = {"Idea.Accepted", "Idea.Rejected", "Idea.Parked", "Idea.MergedInto"}


def event_type(event: Any) -> str:
    """Return "Aggregate.EventName" for a domain event."""
    return type(event).__qualname__


# Events that change an idea's search document (title, summary or comments).
SEARCH_EVENTS = {"Idea.Submitted", "Idea.Revised", "Idea.Commented"}


def project_batch(conn: Connection, events: Iterable[tuple[int, Any]]) -> int:
    """Project (position, event) pairs in log order; return how many were applied.

    Per event: its state changes. Per batch: one insert of all activity rows, and one search
    reindex per idea touched (an idea with many comments is indexed once, not per comment).
    """
    activity_rows: list[dict[str, Any]] = []
    engagement_rows: list[dict[str, Any]] = []
    dirty_ideas: dict[UUID, None] = {}
    for position, event in events:
        kind = event_type(event)
        activity_rows.append(activity_row(position, event))
        engagement_rows.extend(
            {"position": position, "department_id": d, "kind": k, "occurred_on": day}
            for d, k, day in cooperation_handlers.engagement_rows(conn, kind, event)
        )
        if kind == "Idea.Submitted":
            _idea_submitted(conn, event, search_key=position)
        else:
            handler = HANDLERS.get(kind)
            if handler is not None:
                handler(conn, event)
        if kind in SEARCH_EVENTS:
            dirty_ideas[event.originator_id] = None
    if activity_rows:
        conn.execute(insert(activity), activity_rows)
    if engagement_rows:
        conn.execute(insert(engagement), engagement_rows)
    for idea_id in dirty_ideas:
        search.reindex_idea(conn, idea_id)
    return len(activity_rows)


def activity_row(position: int, event: Any) -> dict[str, Any]:
    """One row per stored event, for audit pages (who, when, in which role, why)."""
    actor = getattr(event, "actor", None)
    reason = getattr(event, "reason", None) or getattr(event, "reasoning", None)
    kind = event_type(event)
    return {
        "position": position,
        "occurred_at": event.timestamp,
        "aggregate_type": kind.split(".")[0],
        "aggregate_id": event.originator_id,
        "aggregate_version": event.originator_version,
        "event_type": kind,
        "actor_person_id": actor.person_id if actor else None,
        "actor_department_id": actor.department_id if actor else None,
        "actor_role": actor.role if actor else None,
        "reason": reason,
        "outcome": activity_outcome(kind, event),
        "related_id": getattr(event, _RELATED_ID_FIELDS[kind], None)
        if kind in _RELATED_ID_FIELDS
        else None,
    }


# Event type → the field naming the other object a decision refers to (rm_activity.related_id).
_RELATED_ID_FIELDS = {
    "Idea.MergedInto": "other_idea_id",
    "PoliticalRound.SuggestionAdopted": "idea_id",
    "Idea.Accepted": "measure_id",
    "Idea.Recommended": "working_group_id",
}


def activity_outcome(kind: str, event: Any) -> str | None:
    """What a decision decided where its type does not say it (rm_activity.outcome)."""
    if kind == "Idea.Recommended":
        return str(event.outcome)
    if kind in ("Person.RoleGranted", "Person.RoleRevoked"):
        return str(event.role)
    if kind == "Idea.QuickWinOverridden":
        return "quick_win" if event.quick_win else "no_quick_win"
    return None


# -- updating a row by id, with statements built once ---------------------------------


@functools.cache
def _update_statement(
    table: Table,
    set_columns: tuple[str, ...],
    add_columns: tuple[str, ...],
    first_columns: tuple[str, ...],
) -> Update:
    """UPDATE … WHERE id = :row_id, built once per shape (building costs more than running)."""
    values: dict[str, Any] = {c: bindparam(f"set_{c}") for c in set_columns}
    values |= {c: table.c[c] + bindparam(f"add_{c}") for c in add_columns}
    values |= {c: func.coalesce(table.c[c], bindparam(f"first_{c}")) for c in first_columns}
    return update(table).where(table.c.id == bindparam("row_id")).values(values)


def _touch(
    conn: Connection,
    table: Table,
    event: Any,
    *,
    add: dict[str, int] | None = None,
    first: dict[str, Any] | None = None,
    **values: Any,
) -> None:
    """Set `values`, add to counters (`add`), fill still-empty columns (`first`), bump version."""
    values["version"] = event.originator_version
    if "updated_at" in table.c:
        values["updated_at"] = event.timestamp
    add = add or {}
    first = first or {}
    statement = _update_statement(
        table, tuple(sorted(values)), tuple(sorted(add)), tuple(sorted(first))
    )
    params = {"row_id": event.originator_id}
    params |= {f"set_{k}": v for k, v in values.items()}
    params |= {f"add_{k}": v for k, v in add.items()}
    params |= {f"first_{k}": v for k, v in first.items()}
    conn.execute(statement, params)


def _touch_idea(conn: Connection, event: Any, **values: Any) -> None:
    _touch(conn, ideas, event, **values)


def _touch_measure(conn: Connection, event: Any, **values: Any) -> None:
    _touch(conn, measures, event, **values)


def _touch_group(conn: Connection, event: Any, **values: Any) -> None:
    _touch(conn, working_groups, event, **values)


def _touch_department(conn: Connection, event: Any, **values: Any) -> None:
    _touch(conn, departments, event, **values)


def _touch_person(conn: Connection, event: Any, **values: Any) -> None:
    _touch(conn, people, event, **values)


# -- ideas ---------------------------------------------------------------------


def _idea_submitted(conn: Connection, e: Any, *, search_key: int) -> None:
    conn.execute(
        insert(ideas),
        {
            "id": e.originator_id,
            "search_key": search_key,
            "version": e.originator_version,
            "title": e.title,
            "summary": e.summary,
            "department_id": e.department_id,
            "submitted_by": e.actor.person_id,
            "status": "submitted",
            "stage": "submitted",
            "quick_win": False,
            "quick_win_override": None,
            "support_count": 0,
            "comment_count": 0,
            "submitted_at": e.timestamp,
            "updated_at": e.timestamp,
            "origin_session_id": e.origin_session_id,
            "origin_round_id": e.origin_round_id,
        },
    )
    _replace_themes(conn, e.originator_id, e.themes)


def _replace_themes(conn: Connection, idea_id: UUID, themes: list[str]) -> None:
    conn.execute(delete(idea_themes).where(idea_themes.c.idea_id == idea_id))
    if themes:
        conn.execute(insert(idea_themes), [{"idea_id": idea_id, "theme": t} for t in themes])


def _idea_revised(conn: Connection, e: Any) -> None:
    columns = {k: v for k, v in e.changes.items() if k in ("title", "summary")}
    _touch_idea(conn, e, **columns)
    if "themes" in e.changes:
        _replace_themes(conn, e.originator_id, e.changes["themes"])


_COMMENT_COUNT = select(ideas.c.comment_count).where(ideas.c.id == bindparam("idea_id"))


def _idea_commented(conn: Connection, e: Any) -> None:
    count = conn.execute(_COMMENT_COUNT, {"idea_id": e.originator_id}).scalar_one()
    conn.execute(
        insert(comments),
        {
            "idea_id": e.originator_id,
            "version": e.originator_version,
            "comment_id": comment_id(e.originator_id, count),
            "text": e.text,
            "person_id": e.actor.person_id,
            "written_at": e.timestamp,
        },
    )
    _touch_idea(conn, e, add={"comment_count": 1})


def _support_pledged(conn: Connection, e: Any) -> None:
    conn.execute(
        insert(idea_supports),
        {
            "idea_id": e.originator_id,
            "department_id": e.department_id,
            "pledged_at": e.timestamp,
        },
    )
    _touch_idea(conn, e, add={"support_count": 1})


def _support_withdrawn(conn: Connection, e: Any) -> None:
    conn.execute(
        delete(idea_supports).where(
            idea_supports.c.idea_id == e.originator_id,
            idea_supports.c.department_id == e.department_id,
        )
    )
    _touch_idea(conn, e, add={"support_count": -1})


def _assessed(conn: Connection, e: Any) -> None:
    override = conn.execute(
        select(ideas.c.quick_win_override).where(ideas.c.id == e.originator_id)
    ).scalar()
    rule = is_quick_win(e.impact, e.effort, e.expected_weeks)
    status = _idea_status(conn, e.originator_id)
    new_status = "in_review" if status == "submitted" else status
    _touch_idea(
        conn,
        e,
        impact=e.impact,
        effort=e.effort,
        expected_weeks=e.expected_weeks,
        quick_win=override if override is not None else rule,
        status=new_status,
        stage=new_status,
    )


def _quick_win_overridden(conn: Connection, e: Any) -> None:
    _touch_idea(conn, e, quick_win=e.quick_win, quick_win_override=e.quick_win)


def _idea_status(conn: Connection, idea_id: UUID) -> str:
    return conn.execute(select(ideas.c.status).where(ideas.c.id == idea_id)).scalar_one()


def _status_change(status: str, **extra: Any) -> Handler:
    def handle(conn: Connection, e: Any) -> None:
        values = dict(status=status, stage=status, **{k: f(e) for k, f in extra.items()})
        if event_type(e) in DECISION_EVENTS:
            values["first"] = {"decided_at": e.timestamp}
        _touch_idea(conn, e, **values)

    return handle


def _idea_accepted(conn: Connection, e: Any) -> None:
    _touch_idea(
        conn,
        e,
        status="accepted",
        measure_id=e.measure_id,
        first={"decided_at": e.timestamp},
    )
    _refresh_idea_stage(conn, e.originator_id)


def _refresh_idea_stage(conn: Connection, idea_id: UUID) -> None:
    status = _idea_status(conn, idea_id)
    measure_status = conn.execute(
        select(measures.c.status).where(measures.c.idea_id == idea_id)
    ).scalar()
    conn.execute(
        update(ideas)
        .where(ideas.c.id == idea_id)
        .values(stage=visible_stage(status, measure_status))
    )


# -- measures --------------------------------------------------------------------


def _measure_planned(conn: Connection, e: Any) -> None:
    conn.execute(
        insert(measures),
        {
            "id": e.originator_id,
            "version": e.originator_version,
            "idea_id": e.idea_id,
            "title": e.title,
            "working_group_id": e.working_group_id,
            "owner_department_id": e.owner_department_id,
            "quick_win": e.quick_win,
            "status": "planned",
            "progress": 0,
            "blocked": False,
            "goals_count": 0,
            "planned_at": e.timestamp,
            "updated_at": e.timestamp,
        },
    )
    _refresh_idea_stage(conn, e.idea_id)


def _measure_status(status: str | None, **values: Any) -> Handler:
    def handle(conn: Connection, e: Any) -> None:
        extra = {k: (f(e) if callable(f) else f) for k, f in values.items()}
        if status is not None:
            extra["status"] = status
        _touch_measure(conn, e, **extra)
        if status is not None:
            idea_id = conn.execute(
                select(measures.c.idea_id).where(measures.c.id == e.originator_id)
            ).scalar_one()
            _refresh_idea_stage(conn, idea_id)

    return handle


def _milestone_added(conn: Connection, e: Any) -> None:
    conn.execute(
        insert(milestones),
        {
            "milestone_id": e.milestone_id,
            "measure_id": e.originator_id,
            "title": e.title,
            "due_on": e.due_on,
            "reached_on": None,
        },
    )
    _touch_measure(conn, e, **_next_milestone(conn, e.originator_id))


def _milestone_reached(conn: Connection, e: Any) -> None:
    conn.execute(
        update(milestones)
        .where(milestones.c.milestone_id == e.milestone_id)
        .values(reached_on=e.reached_on)
    )
    _measure_status("in_progress", **_next_milestone(conn, e.originator_id))(conn, e)


def _next_milestone(conn: Connection, measure_id: UUID) -> dict[str, Any]:
    row = conn.execute(
        select(milestones.c.title, milestones.c.due_on)
        .where(milestones.c.measure_id == measure_id, milestones.c.reached_on.is_(None))
        .order_by(milestones.c.due_on, milestones.c.title)
        .limit(1)
    ).first()
    return {
        "next_milestone_title": row.title if row else None,
        "next_milestone_due": row.due_on if row else None,
    }


def _benefit_recorded(conn: Connection, e: Any) -> None:
    conn.execute(
        insert(benefits),
        {
            "measure_id": e.originator_id,
            "version": e.originator_version,
            "department_id": e.department_id,
            "description": e.description,
            "recorded_at": e.timestamp,
        },
    )
    _touch_measure(conn, e)


# -- working groups, departments, people -----------------------------------------


def _group_formed(conn: Connection, e: Any) -> None:
    conn.execute(
        insert(working_groups),
        {
            "id": e.originator_id,
            "version": e.originator_version,
            "name": e.name,
            "lead_department_id": e.lead_department_id,
            "status": "active",
            "members_count": 0,
            "formed_at": e.timestamp,
        },
    )


def _member_added(conn: Connection, e: Any) -> None:
    conn.execute(
        insert(group_members).values(working_group_id=e.originator_id, person_id=e.person_id)
    )
    _touch_group(conn, e, add={"members_count": 1})


def _member_removed(conn: Connection, e: Any) -> None:
    conn.execute(
        delete(group_members).where(
            group_members.c.working_group_id == e.originator_id,
            group_members.c.person_id == e.person_id,
        )
    )
    _touch_group(conn, e, add={"members_count": -1})


def _department_registered(conn: Connection, e: Any) -> None:
    conn.execute(
        insert(departments),
        {
            "id": e.originator_id,
            "version": e.originator_version,
            "name": e.name,
            "short_name": e.short_name,
            "kind": e.kind,
        },
    )


def _person_registered(conn: Connection, e: Any) -> None:
    conn.execute(
        insert(people),
        {
            "id": e.originator_id,
            "version": e.originator_version,
            "department_id": e.department_id,
            "active": True,
            "roles": "",
        },
    )


def _roles_changed(grant: bool) -> Handler:
    def handle(conn: Connection, e: Any) -> None:
        current = conn.execute(
            select(people.c.roles).where(people.c.id == e.originator_id)
        ).scalar_one()
        roles = [r for r in current.split() if r != e.role]
        if grant:
            roles.append(e.role)
        _touch_person(conn, e, roles=" ".join(roles))

    return handle


def _version_only(touch: Callable[..., None]) -> Handler:
    return lambda conn, e: touch(conn, e)


HANDLERS: dict[str, Handler] = {
    "Idea.Revised": _idea_revised,
    "Idea.Commented": _idea_commented,
    "Idea.SupportPledged": _support_pledged,
    "Idea.SupportWithdrawn": _support_withdrawn,
    "Idea.Assessed": _assessed,
    "Idea.QuickWinOverridden": _quick_win_overridden,
    "Idea.AssignedToWorkingGroup": _status_change(
        "in_working_group", working_group_id=lambda e: e.working_group_id
    ),
    "Idea.Recommended": _version_only(_touch_idea),
    "Idea.Accepted": _idea_accepted,
    "Idea.Rejected": _status_change("rejected"),
    "Idea.Parked": _status_change("parked"),
    "Idea.Reopened": _status_change("in_review", working_group_id=lambda e: None),
    "Idea.MergedInto": _status_change("merged", merged_into=lambda e: e.other_idea_id),
    "Idea.Withdrawn": _status_change("withdrawn"),
    "Measure.Planned": _measure_planned,
    "Measure.GoalSet": _measure_status(None, add={"goals_count": 1}),
    "Measure.GoalRevised": _measure_status(None),
    "Measure.ApproachNoted": _measure_status(None),
    "Measure.MilestoneAdded": _milestone_added,
    "Measure.MilestoneReached": _milestone_reached,
    "Measure.ProgressReported": _measure_status("in_progress", progress=lambda e: e.percent),
    "Measure.Blocked": _measure_status(None, blocked=True),
    "Measure.Unblocked": _measure_status(None, blocked=False),
    "Measure.Implemented": _measure_status(
        "implemented",
        progress=100,
        implemented_on=lambda e: e.implemented_on,
        implemented_at=lambda e: e.timestamp,
    ),
    "Measure.BenefitRecorded": _benefit_recorded,
    "Measure.Cancelled": _measure_status("cancelled"),
    "WorkingGroup.Formed": _group_formed,
    "WorkingGroup.MemberAdded": _member_added,
    "WorkingGroup.MemberRemoved": _member_removed,
    "WorkingGroup.MeetingRecorded": _version_only(_touch_group),
    "WorkingGroup.Dissolved": lambda conn, e: _touch_group(conn, e, status="dissolved"),
    "Department.Registered": _department_registered,
    "Department.Renamed": lambda conn, e: _touch_department(
        conn, e, name=e.name, short_name=e.short_name
    ),
    "Department.Reclassified": lambda conn, e: _touch_department(conn, e, kind=e.kind),
    "Person.Registered": _person_registered,
    "Person.MovedToDepartment": lambda conn, e: _touch_person(
        conn, e, department_id=e.department_id
    ),
    "Person.RoleGranted": _roles_changed(grant=True),
    "Person.RoleRevoked": _roles_changed(grant=False),
    "Person.Deactivated": lambda conn, e: _touch_person(conn, e, active=False),
    "Person.Reactivated": lambda conn, e: _touch_person(conn, e, active=True),
    **cooperation_handlers.HANDLERS,
}
