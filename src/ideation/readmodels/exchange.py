"""Exchange formats (Austauschformate) and digital pilots (Digitallotsinnen und -lotsen).

- `list_sessions` / `session_calendar`: the sessions with their counts (invited and
  participating departments, ideas collected), as a flat list or grouped by month into
  upcoming (still planned) and past (held or cancelled).
- `exchange_figures`: per kind of format, the sessions held, the departments reached (distinct
  participating departments), the ideas collected (ideas naming a session of that kind as
  their origin), how many of those became measures and how many of those measures are quick
  wins; plus a total row (departments reached counted once across all kinds).
- `session_ideas`: the ideas that came from one session, with their measure.
- `list_pilots`, `pilots_overview`, `pilot_statuses`: digital pilots and candidates with their
  department (from `rm_people`), per department, and person → status for name badges.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.engine import Connection

from ideation.domain.exchange import ExchangeKind, ExchangeStatus
from ideation.domain.pilot import PilotStatus
from ideation.readmodels.queries import InvalidQuery
from ideation.readmodels.tables import (
    departments,
    exchange_sessions,
    ideas,
    measures,
    people,
    pilots,
    session_departments,
)

KINDS = tuple(k.value for k in ExchangeKind)
SESSION_STATUSES = tuple(s.value for s in ExchangeStatus)
PILOT_STATUSES = tuple(s.value for s in PilotStatus)
# The order a department's pilots are listed in: confirmed, candidates, withdrawn.
PILOT_ORDER = {PilotStatus.CONFIRMED: 0, PilotStatus.CANDIDATE: 1, PilotStatus.WITHDRAWN: 2}


@dataclass(frozen=True)
class SessionRow:
    """A session of an exchange format as lists show it."""

    id: UUID
    version: int
    kind: str
    status: str
    scheduled_on: dt.date
    held_on: dt.date | None
    topic: str
    host_person_id: UUID
    round_department_id: UUID | None
    invited_count: int
    participating_count: int
    participant_count: int
    needs_count: int
    ideas_collected: int

    @property
    def date(self) -> dt.date:
        """The day it was held, else the day it is (or was) planned for."""
        return self.held_on or self.scheduled_on


@dataclass(frozen=True)
class SessionMonth:
    """The sessions of one calendar month."""

    year: int
    month: int
    sessions: tuple[SessionRow, ...]

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


@dataclass(frozen=True)
class SessionCalendar:
    """Upcoming sessions (still planned, earliest first) and past ones (newest first).

    `overdue` holds the ids of planned sessions whose date lies before `today`: they wait to
    be recorded as held, moved or cancelled.
    """

    upcoming: tuple[SessionMonth, ...]
    past: tuple[SessionMonth, ...]
    overdue: frozenset[UUID]

    @property
    def empty(self) -> bool:
        return not self.upcoming and not self.past


@dataclass(frozen=True)
class KindFigures:
    """What the sessions of one kind (or of all kinds: kind None) brought."""

    kind: str | None
    sessions_held: int
    departments_reached: int
    ideas_collected: int
    measures: int
    quick_wins: int


@dataclass(frozen=True)
class ExchangeFigures:
    """One row per kind of format (in the kinds' order) and the total."""

    kinds: tuple[KindFigures, ...]
    total: KindFigures


@dataclass(frozen=True)
class SessionIdea:
    """An idea that came from a session, with the measure it became (if any)."""

    id: UUID
    title: str
    status: str
    stage: str
    department_id: UUID
    quick_win: bool  # the measure's classification once accepted, else the idea's
    measure_id: UUID | None
    measure_title: str | None
    measure_status: str | None
    submitted_at: dt.datetime


@dataclass(frozen=True)
class PilotRow:
    """A person noted as a digital pilot or candidate, with their department.

    `since` is when the record last changed (nominated, confirmed or withdrawn).
    """

    id: UUID
    version: int
    person_id: UUID
    department_id: UUID | None
    status: str
    session_id: UUID | None
    session_topic: str | None
    session_kind: str | None
    reason: str
    nominated_at: dt.datetime
    since: dt.datetime


@dataclass(frozen=True)
class DepartmentPilots:
    """How many pilots and candidates one department has."""

    department_id: UUID
    name: str
    short_name: str
    confirmed: int
    candidates: int
    withdrawn: int


@dataclass(frozen=True)
class PilotsOverview:
    """Every department with its counts (by name), and the totals."""

    departments: tuple[DepartmentPilots, ...]
    confirmed: int
    candidates: int
    withdrawn: int


# -- sessions -------------------------------------------------------------------------------


def _check_choice(field: str, value: str | None, choices: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value not in choices:
        raise InvalidQuery(field, "Bitte einen der angebotenen Werte wählen.")
    return value


def _session_query() -> Any:
    counts = (
        select(
            session_departments.c.session_id,
            func.sum(case((session_departments.c.invited, 1), else_=0)).label("invited"),
            func.sum(case((session_departments.c.participated, 1), else_=0)).label("took_part"),
        )
        .group_by(session_departments.c.session_id)
        .subquery()
    )
    collected = (
        select(ideas.c.origin_session_id, func.count().label("n"))
        .where(ideas.c.origin_session_id.is_not(None))
        .group_by(ideas.c.origin_session_id)
        .subquery()
    )
    s = exchange_sessions.c
    return select(
        s.id,
        s.version,
        s.kind,
        s.status,
        s.scheduled_on,
        s.held_on,
        s.topic,
        s.host_person_id,
        s.round_department_id,
        s.participant_count,
        s.needs_count,
        func.coalesce(counts.c.invited, 0).label("invited"),
        func.coalesce(counts.c.took_part, 0).label("took_part"),
        func.coalesce(collected.c.n, 0).label("collected"),
    ).select_from(
        exchange_sessions.outerjoin(counts, counts.c.session_id == s.id).outerjoin(
            collected, collected.c.origin_session_id == s.id
        )
    )


def _session_row(r: Any) -> SessionRow:
    return SessionRow(
        id=r.id,
        version=r.version,
        kind=r.kind,
        status=r.status,
        scheduled_on=r.scheduled_on,
        held_on=r.held_on,
        topic=r.topic,
        host_person_id=r.host_person_id,
        round_department_id=r.round_department_id,
        invited_count=int(r.invited),
        participating_count=int(r.took_part),
        participant_count=r.participant_count,
        needs_count=r.needs_count,
        ideas_collected=int(r.collected),
    )


def list_sessions(
    conn: Connection, *, kind: str | None = None, status: str | None = None
) -> list[SessionRow]:
    """Sessions, newest date first (held: the day held; else the planned day)."""
    kind = _check_choice("kind", kind, KINDS)
    status = _check_choice("status", status, SESSION_STATUSES)
    query = _session_query()
    if kind is not None:
        query = query.where(exchange_sessions.c.kind == kind)
    if status is not None:
        query = query.where(exchange_sessions.c.status == status)
    day = func.coalesce(exchange_sessions.c.held_on, exchange_sessions.c.scheduled_on)
    query = query.order_by(
        day.desc(), exchange_sessions.c.planned_at.desc(), exchange_sessions.c.id
    )
    return [_session_row(r) for r in conn.execute(query)]


def get_session_row(conn: Connection, session_id: UUID) -> SessionRow | None:
    """One session with its counts; None if unknown."""
    row = conn.execute(_session_query().where(exchange_sessions.c.id == session_id)).first()
    return None if row is None else _session_row(row)


def _months(rows: list[SessionRow]) -> tuple[SessionMonth, ...]:
    months: list[SessionMonth] = []
    for row in rows:
        if months and (months[-1].year, months[-1].month) == (row.date.year, row.date.month):
            last = months[-1]
            months[-1] = SessionMonth(last.year, last.month, (*last.sessions, row))
        else:
            months.append(SessionMonth(row.date.year, row.date.month, (row,)))
    return tuple(months)


def session_calendar(
    conn: Connection, *, kind: str | None = None, today: dt.date | None = None
) -> SessionCalendar:
    """Sessions by month: planned ones earliest first, held and cancelled ones newest first."""
    rows = list_sessions(conn, kind=kind)
    planned = sorted(
        (r for r in rows if r.status == ExchangeStatus.PLANNED), key=lambda r: (r.date, r.topic)
    )
    past = [r for r in rows if r.status != ExchangeStatus.PLANNED]
    overdue = frozenset(r.id for r in planned if today is not None and r.date < today)
    return SessionCalendar(upcoming=_months(planned), past=_months(past), overdue=overdue)


def exchange_figures(conn: Connection) -> ExchangeFigures:
    """Per kind: sessions held, departments reached, ideas collected, measures, quick wins."""
    s = exchange_sessions.c
    held = dict(
        conn.execute(
            select(s.kind, func.count())
            .where(s.status == ExchangeStatus.HELD.value)
            .group_by(s.kind)
        ).all()
    )
    reached_join = session_departments.join(
        exchange_sessions, exchange_sessions.c.id == session_departments.c.session_id
    )
    reached = dict(
        conn.execute(
            select(s.kind, func.count(distinct(session_departments.c.department_id)))
            .select_from(reached_join)
            .where(session_departments.c.participated)
            .group_by(s.kind)
        ).all()
    )
    reached_total = conn.execute(
        select(func.count(distinct(session_departments.c.department_id)))
        .select_from(reached_join)
        .where(session_departments.c.participated)
    ).scalar_one()
    idea_join = ideas.join(exchange_sessions, exchange_sessions.c.id == ideas.c.origin_session_id)
    idea_join = idea_join.outerjoin(measures, measures.c.id == ideas.c.measure_id)
    collected = {
        r.kind: (int(r.ideas), int(r.measures or 0), int(r.quick_wins or 0))
        for r in conn.execute(
            select(
                s.kind,
                func.count().label("ideas"),
                func.count(measures.c.id).label("measures"),
                func.sum(case((measures.c.quick_win, 1), else_=0)).label("quick_wins"),
            )
            .select_from(idea_join)
            .group_by(s.kind)
        )
    }
    rows = tuple(
        KindFigures(
            kind=kind,
            sessions_held=int(held.get(kind, 0)),
            departments_reached=int(reached.get(kind, 0)),
            ideas_collected=collected.get(kind, (0, 0, 0))[0],
            measures=collected.get(kind, (0, 0, 0))[1],
            quick_wins=collected.get(kind, (0, 0, 0))[2],
        )
        for kind in KINDS
    )
    total = KindFigures(
        kind=None,
        sessions_held=sum(r.sessions_held for r in rows),
        departments_reached=int(reached_total),
        ideas_collected=sum(r.ideas_collected for r in rows),
        measures=sum(r.measures for r in rows),
        quick_wins=sum(r.quick_wins for r in rows),
    )
    return ExchangeFigures(kinds=rows, total=total)


def session_ideas(conn: Connection, session_id: UUID) -> list[SessionIdea]:
    """The ideas naming the session as their origin, in the order they were submitted."""
    query = (
        select(
            ideas.c.id,
            ideas.c.title,
            ideas.c.status,
            ideas.c.stage,
            ideas.c.department_id,
            ideas.c.quick_win,
            ideas.c.submitted_at,
            measures.c.id.label("measure_id"),
            measures.c.title.label("measure_title"),
            measures.c.status.label("measure_status"),
            measures.c.quick_win.label("measure_quick_win"),
        )
        .select_from(ideas.outerjoin(measures, measures.c.id == ideas.c.measure_id))
        .where(ideas.c.origin_session_id == session_id)
        .order_by(ideas.c.submitted_at, ideas.c.id)
    )
    return [
        SessionIdea(
            id=r.id,
            title=r.title,
            status=r.status,
            stage=r.stage,
            department_id=r.department_id,
            quick_win=bool(r.measure_quick_win if r.measure_id is not None else r.quick_win),
            measure_id=r.measure_id,
            measure_title=r.measure_title,
            measure_status=r.measure_status,
            submitted_at=r.submitted_at,
        )
        for r in conn.execute(query)
    ]


def held_sessions(conn: Connection) -> list[SessionRow]:
    """Sessions that took place, newest first (the origins an idea may name)."""
    return list_sessions(conn, status=ExchangeStatus.HELD.value)


# -- pilots -----------------------------------------------------------------------------------


def list_pilots(
    conn: Connection,
    *,
    department_id: UUID | None = None,
    status: str | None = None,
    session_id: UUID | None = None,
    pilot_id: UUID | None = None,
) -> list[PilotRow]:
    """Pilots and candidates: confirmed first, then candidates, then withdrawn; oldest first."""
    status = _check_choice("status", status, PILOT_STATUSES)
    order = case(
        *((pilots.c.status == k.value, v) for k, v in PILOT_ORDER.items()), else_=len(PILOT_ORDER)
    )
    query = (
        select(
            pilots,
            people.c.department_id,
            exchange_sessions.c.topic.label("session_topic"),
            exchange_sessions.c.kind.label("session_kind"),
        )
        .select_from(
            pilots.outerjoin(people, people.c.id == pilots.c.person_id).outerjoin(
                exchange_sessions, exchange_sessions.c.id == pilots.c.session_id
            )
        )
        .order_by(order, pilots.c.nominated_at, pilots.c.id)
    )
    if department_id is not None:
        query = query.where(people.c.department_id == department_id)
    if status is not None:
        query = query.where(pilots.c.status == status)
    if session_id is not None:
        query = query.where(pilots.c.session_id == session_id)
    if pilot_id is not None:
        query = query.where(pilots.c.id == pilot_id)
    return [
        PilotRow(
            id=r.id,
            version=r.version,
            person_id=r.person_id,
            department_id=r.department_id,
            status=r.status,
            session_id=r.session_id,
            session_topic=r.session_topic,
            session_kind=r.session_kind,
            reason=r.reason,
            nominated_at=r.nominated_at,
            since=r.updated_at,
        )
        for r in conn.execute(query)
    ]


def pilots_overview(conn: Connection) -> PilotsOverview:
    """Every department (by name) with its confirmed pilots, candidates and withdrawn ones."""

    def counted(status: PilotStatus) -> Any:
        return func.sum(case((pilots.c.status == status.value, 1), else_=0))

    per_department = (
        select(
            people.c.department_id,
            counted(PilotStatus.CONFIRMED).label("confirmed"),
            counted(PilotStatus.CANDIDATE).label("candidates"),
            counted(PilotStatus.WITHDRAWN).label("withdrawn"),
        )
        .select_from(pilots.join(people, people.c.id == pilots.c.person_id))
        .group_by(people.c.department_id)
        .subquery()
    )
    query = (
        select(
            departments.c.id,
            departments.c.name,
            departments.c.short_name,
            func.coalesce(per_department.c.confirmed, 0).label("confirmed"),
            func.coalesce(per_department.c.candidates, 0).label("candidates"),
            func.coalesce(per_department.c.withdrawn, 0).label("withdrawn"),
        )
        .select_from(
            departments.outerjoin(
                per_department, and_(per_department.c.department_id == departments.c.id)
            )
        )
        .order_by(departments.c.name, departments.c.id)
    )
    rows = tuple(
        DepartmentPilots(
            department_id=r.id,
            name=r.name,
            short_name=r.short_name,
            confirmed=int(r.confirmed),
            candidates=int(r.candidates),
            withdrawn=int(r.withdrawn),
        )
        for r in conn.execute(query)
    )
    return PilotsOverview(
        departments=rows,
        confirmed=sum(r.confirmed for r in rows),
        candidates=sum(r.candidates for r in rows),
        withdrawn=sum(r.withdrawn for r in rows),
    )


def pilot_statuses(conn: Connection) -> dict[UUID, str]:
    """Person id → "confirmed" or "candidate" for everyone currently noted (not withdrawn)."""
    query = select(pilots.c.person_id, pilots.c.status).where(
        pilots.c.status != PilotStatus.WITHDRAWN.value
    )
    return {r.person_id: r.status for r in conn.execute(query)}
