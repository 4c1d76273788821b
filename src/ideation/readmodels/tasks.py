"""What waits for whom ("Meine Aufgaben") and what happened lately, from the read models.

Every function takes an open SQLAlchemy Connection and plain data (ids, role codes, a date)
and returns the records of `ideation.readmodels.views`. Nothing here knows about the web
layer or the signed-in session: the caller says who the person is and what day it is.

Recommendations are not a column of `rm_ideas`: an idea in a working group has a current
recommendation when its latest `Idea.Recommended` step in `rm_activity` came after its
latest hand-over to a working group (a new hand-over or a reopening clears it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.engine import Connection, Row

from ideation.domain.idea import OPEN_STATUSES, IdeaStatus
from ideation.domain.measure import MeasureStatus
from ideation.readmodels.queries import InvalidQuery
from ideation.readmodels.tables import (
    activity,
    group_members,
    idea_supports,
    ideas,
    measures,
    milestones,
    working_groups,
)
from ideation.readmodels.views import (
    ActivityRow,
    DecisionRow,
    MyTasks,
    OverdueMilestone,
    RecommendedIdea,
    TaskIdea,
    TaskList,
    TaskMeasure,
)

T = TypeVar("T")

# The steps that decide an idea's fate, for the auditor's trace.
DECISION_EVENT_TYPES = (
    "Idea.Accepted",
    "Idea.Rejected",
    "Idea.Parked",
    "Idea.MergedInto",
    "Idea.Withdrawn",
)
# The objects of daily work (people, departments and the installation are administration).
WORK_AGGREGATE_TYPES = ("Idea", "Measure", "WorkingGroup")
AGGREGATE_TYPES = (
    *WORK_AGGREGATE_TYPES,
    "Person",
    "Department",
    "Installation",
    "ExchangeSession",
    "Pilot",
    "Faction",
    "PoliticalRound",
)
RUNNING_MEASURE_STATUSES = (MeasureStatus.PLANNED.value, MeasureStatus.IN_PROGRESS.value)
OPEN_IDEA_STATUSES = tuple(s.value for s in OPEN_STATUSES)
DEFAULT_TASK_LIMIT = 5
MAX_LIMIT = 100


# -- recent activity -------------------------------------------------------------------


def recent_activity(
    conn: Connection,
    *,
    limit: int = 10,
    aggregate_types: Sequence[str] | None = None,
) -> list[ActivityRow]:
    """The latest recorded steps, newest first, with the title of the object they concern.

    `aggregate_types` keeps only steps on those kinds of objects ("Idea", "Measure",
    "WorkingGroup", "Person", "Department", "Installation"); None keeps every step.
    """
    limit = _check_limit(limit)
    subject = func.coalesce(ideas.c.title, measures.c.title, working_groups.c.name)
    query = (
        select(activity, subject.label("subject"))
        .select_from(
            activity.outerjoin(ideas, ideas.c.id == activity.c.aggregate_id)
            .outerjoin(measures, measures.c.id == activity.c.aggregate_id)
            .outerjoin(working_groups, working_groups.c.id == activity.c.aggregate_id)
        )
        .order_by(activity.c.position.desc())
        .limit(limit)
    )
    if aggregate_types is not None:
        query = query.where(activity.c.aggregate_type.in_(_aggregate_types(aggregate_types)))
    return [
        ActivityRow(
            position=r.position,
            occurred_at=r.occurred_at,
            aggregate_type=r.aggregate_type,
            aggregate_id=r.aggregate_id,
            aggregate_version=r.aggregate_version,
            event_type=r.event_type,
            actor_person_id=r.actor_person_id,
            actor_department_id=r.actor_department_id,
            actor_role=r.actor_role,
            reason=r.reason,
            subject=r.subject,
        )
        for r in conn.execute(query)
    ]


def latest_decisions(conn: Connection, *, limit: int = DEFAULT_TASK_LIMIT) -> TaskList[DecisionRow]:
    """The latest decisions on ideas (accepted … withdrawn), newest first, with their reasons."""
    limit = _check_limit(limit)
    query = (
        select(activity, ideas.c.title)
        .select_from(activity.outerjoin(ideas, ideas.c.id == activity.c.aggregate_id))
        .where(activity.c.event_type.in_(DECISION_EVENT_TYPES))
        .order_by(activity.c.position.desc())
    )
    return _task_list(
        conn,
        query,
        limit,
        lambda r: DecisionRow(
            position=r.position,
            occurred_at=r.occurred_at,
            idea_id=r.aggregate_id,
            idea_title=r.title,
            event_type=r.event_type,
            actor_person_id=r.actor_person_id,
            actor_role=r.actor_role,
            reason=r.reason,
        ),
    )


# -- my tasks --------------------------------------------------------------------------


def working_group_ids_of(conn: Connection, person_id: UUID) -> tuple[UUID, ...]:
    """The working groups the person belongs to now."""
    query = select(group_members.c.working_group_id).where(group_members.c.person_id == person_id)
    return tuple(sorted(conn.execute(query).scalars(), key=str))


def my_tasks(
    conn: Connection,
    *,
    person_id: UUID,
    department_id: UUID,
    roles: Iterable[str],
    today: dt.date,
    group_ids: Iterable[UUID] | None = None,
    limit: int = DEFAULT_TASK_LIMIT,
) -> MyTasks:
    """What waits for the person in each role they hold; each list shows `limit` items.

    - coordinator: ideas waiting for assessment (submitted, oldest first), ideas whose
      working group recommended an outcome (waiting longest first), blocked measures;
    - group_member (for `group_ids`, by default the groups the person belongs to): ideas
      of those groups without a current recommendation, milestones due before `today` and
      not reached (running measures only), the groups' planned and running measures;
    - member: the open ideas of `department_id` (latest change first), the planned and
      running measures it owns (next milestone due first), and other departments' open
      ideas it does not support yet (newest first);
    - auditor: the latest decisions with their reasons.
    """
    roles = tuple(roles)
    if not isinstance(today, dt.date) or isinstance(today, dt.datetime):
        raise InvalidQuery("today", "Bitte ein gültiges Datum für „heute“ angeben.")
    limit = _check_limit(limit)
    groups = working_group_ids_of(conn, person_id) if group_ids is None else tuple(group_ids)
    empty: TaskList[Any] = TaskList(items=(), total=0)
    coordinator = "coordinator" in roles
    group_member = "group_member" in roles and bool(groups)
    member = "member" in roles
    return MyTasks(
        roles=roles,
        group_ids=groups,
        today=today,
        awaiting_assessment=awaiting_assessment(conn, limit) if coordinator else empty,
        awaiting_decision=awaiting_decision(conn, limit) if coordinator else empty,
        blocked_measures=blocked_measures(conn, limit) if coordinator else empty,
        awaiting_recommendation=(
            awaiting_recommendation(conn, groups, limit) if group_member else empty
        ),
        overdue_milestones=(
            overdue_milestones(conn, groups, today, limit) if group_member else empty
        ),
        running_measures=running_measures(conn, groups, limit) if group_member else empty,
        department_ideas=department_ideas(conn, department_id, limit) if member else empty,
        department_measures=(department_measures(conn, department_id, limit) if member else empty),
        open_for_support=open_for_support(conn, department_id, limit) if member else empty,
        latest_decisions=latest_decisions(conn, limit=limit) if "auditor" in roles else empty,
    )


def awaiting_assessment(conn: Connection, limit: int) -> TaskList[TaskIdea]:
    """Submitted ideas nobody assessed yet, the longest waiting first."""
    query = (
        select(ideas)
        .where(ideas.c.status == IdeaStatus.SUBMITTED.value)
        .order_by(ideas.c.submitted_at, ideas.c.id)
    )
    return _task_list(conn, query, limit, _task_idea)


def awaiting_decision(conn: Connection, limit: int) -> TaskList[RecommendedIdea]:
    """Ideas in a working group with a current recommendation, the longest waiting first."""
    assigned, recommended = _latest("Idea.AssignedToWorkingGroup"), _latest("Idea.Recommended")
    query = (
        select(ideas, activity.c.occurred_at, activity.c.actor_person_id, activity.c.reason)
        .select_from(
            ideas.join(assigned, assigned.c.idea_id == ideas.c.id)
            .join(recommended, recommended.c.idea_id == ideas.c.id)
            .join(activity, activity.c.position == recommended.c.position)
        )
        .where(
            ideas.c.status == IdeaStatus.IN_WORKING_GROUP.value,
            recommended.c.position > assigned.c.position,
        )
        .order_by(activity.c.position)
    )
    return _task_list(
        conn,
        query,
        limit,
        lambda r: RecommendedIdea(
            id=r.id,
            title=r.title,
            department_id=r.department_id,
            working_group_id=r.working_group_id,
            recommended_at=r.occurred_at,
            recommended_by=r.actor_person_id,
            reasoning=r.reason,
        ),
    )


def blocked_measures(conn: Connection, limit: int) -> TaskList[TaskMeasure]:
    """Planned or running measures that are blocked, the longest unchanged first."""
    query = (
        select(measures)
        .where(measures.c.blocked.is_(True), measures.c.status.in_(RUNNING_MEASURE_STATUSES))
        .order_by(measures.c.updated_at, measures.c.id)
    )
    return _task_list(conn, query, limit, _task_measure)


def awaiting_recommendation(
    conn: Connection, group_ids: Sequence[UUID], limit: int
) -> TaskList[TaskIdea]:
    """Ideas of the groups without a current recommendation, the longest there first."""
    assigned, recommended = _latest("Idea.AssignedToWorkingGroup"), _latest("Idea.Recommended")
    query = (
        select(ideas)
        .select_from(
            ideas.join(assigned, assigned.c.idea_id == ideas.c.id).outerjoin(
                recommended, recommended.c.idea_id == ideas.c.id
            )
        )
        .where(
            ideas.c.status == IdeaStatus.IN_WORKING_GROUP.value,
            ideas.c.working_group_id.in_(group_ids),
            or_(
                recommended.c.position.is_(None),
                recommended.c.position < assigned.c.position,
            ),
        )
        .order_by(assigned.c.position)
    )
    return _task_list(conn, query, limit, _task_idea)


def overdue_milestones(
    conn: Connection, group_ids: Sequence[UUID], today: dt.date, limit: int
) -> TaskList[OverdueMilestone]:
    """Milestones of the groups' running measures due before `today` and not reached."""
    query = (
        select(milestones, measures.c.title.label("measure_title"), measures.c.working_group_id)
        .select_from(milestones.join(measures, measures.c.id == milestones.c.measure_id))
        .where(
            measures.c.working_group_id.in_(group_ids),
            measures.c.status.in_(RUNNING_MEASURE_STATUSES),
            milestones.c.reached_on.is_(None),
            milestones.c.due_on < today,
        )
        .order_by(milestones.c.due_on, measures.c.title, milestones.c.title)
    )
    return _task_list(
        conn,
        query,
        limit,
        lambda r: OverdueMilestone(
            milestone_id=r.milestone_id,
            title=r.title,
            due_on=r.due_on,
            measure_id=r.measure_id,
            measure_title=r.measure_title,
            working_group_id=r.working_group_id,
        ),
    )


def running_measures(
    conn: Connection, group_ids: Sequence[UUID], limit: int
) -> TaskList[TaskMeasure]:
    """The groups' planned and running measures, the next milestone due first."""
    return _running(conn, measures.c.working_group_id.in_(group_ids), limit)


def department_measures(conn: Connection, department_id: UUID, limit: int) -> TaskList[TaskMeasure]:
    """The planned and running measures the department owns, the next milestone due first."""
    return _running(conn, measures.c.owner_department_id == department_id, limit)


def _running(conn: Connection, which: ColumnElement[bool], limit: int) -> TaskList[TaskMeasure]:
    query = (
        select(measures)
        .where(which, measures.c.status.in_(RUNNING_MEASURE_STATUSES))
        .order_by(
            measures.c.next_milestone_due.asc().nulls_last(),
            measures.c.updated_at.desc(),
            measures.c.id,
        )
    )
    return _task_list(conn, query, limit, _task_measure)


def department_ideas(conn: Connection, department_id: UUID, limit: int) -> TaskList[TaskIdea]:
    """The department's open ideas (submitted, in review, in a group), latest change first."""
    query = (
        select(ideas)
        .where(ideas.c.department_id == department_id, ideas.c.status.in_(OPEN_IDEA_STATUSES))
        .order_by(ideas.c.updated_at.desc(), ideas.c.id)
    )
    return _task_list(conn, query, limit, _task_idea)


def open_for_support(conn: Connection, department_id: UUID, limit: int) -> TaskList[TaskIdea]:
    """Other departments' open ideas the department does not support yet, newest first."""
    supported = select(idea_supports.c.idea_id).where(
        idea_supports.c.department_id == department_id
    )
    query = (
        select(ideas)
        .where(
            ideas.c.department_id != department_id,
            ideas.c.status.in_(OPEN_IDEA_STATUSES),
            ideas.c.id.not_in(supported),
        )
        .order_by(ideas.c.submitted_at.desc(), ideas.c.id)
    )
    return _task_list(conn, query, limit, _task_idea)


# -- helpers -------------------------------------------------------------------------------


def _latest(event_type: str) -> Any:
    """Per idea, the position of its latest step of `event_type` (a subquery)."""
    return (
        select(
            activity.c.aggregate_id.label("idea_id"),
            func.max(activity.c.position).label("position"),
        )
        .where(activity.c.event_type == event_type)
        .group_by(activity.c.aggregate_id)
        .subquery()
    )


def _task_list(
    conn: Connection, query: Select[Any], limit: int, build: Callable[[Row[Any]], T]
) -> TaskList[T]:
    """The first `limit` rows of an ordered query as records, and how many there are."""
    total = conn.execute(
        select(func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    rows = conn.execute(query.limit(limit)) if total else []
    return TaskList(items=tuple(build(r) for r in rows), total=total)


def _task_idea(r: Row[Any]) -> TaskIdea:
    return TaskIdea(
        id=r.id,
        title=r.title,
        department_id=r.department_id,
        status=r.status,
        stage=r.stage,
        working_group_id=r.working_group_id,
        support_count=r.support_count,
        submitted_at=r.submitted_at,
        updated_at=r.updated_at,
    )


def _task_measure(r: Row[Any]) -> TaskMeasure:
    return TaskMeasure(
        id=r.id,
        title=r.title,
        working_group_id=r.working_group_id,
        owner_department_id=r.owner_department_id,
        status=r.status,
        progress=r.progress,
        blocked=r.blocked,
        next_milestone_title=r.next_milestone_title,
        next_milestone_due=r.next_milestone_due,
        updated_at=r.updated_at,
    )


def _check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise InvalidQuery("limit", "Die Anzahl muss eine ganze Zahl ab 0 sein.")
    return min(limit, MAX_LIMIT)


def _aggregate_types(values: Sequence[str]) -> list[str]:
    if isinstance(values, str) or not all(v in AGGREGATE_TYPES for v in values):
        raise InvalidQuery(
            "aggregate_types",
            "Unbekannte Art von Objekt. Möglich sind: " + ", ".join(AGGREGATE_TYPES) + ".",
        )
    return list(values)
