"""Factions, political rounds and the briefing ambassadors use (issue 8, part 4).

Definitions (docs/political-rounds.md):

- A *published measure* is a measure whose working group has set at least one goal
  (`goals_count >= 1`) and that is not cancelled. Everything else (ideas at any stage,
  measures without goals, cancelled measures) is a draft and never reaches an ambassador.
- A round's *date* is the day it was held, or the day it is scheduled for if it was not.
- The briefing of a held round shows the planner as it stood at the end of the round's day
  (Berlin), or when the round was recorded if that was later (`briefing_moment`): an old
  briefing keeps saying what the ambassadors were told. A planned round's briefing shows the
  planner as it is now.
- The briefing of round R covers the period after the previous held round's day (exclusive;
  from the beginning if there is none) up to R's date (inclusive). It lists the published
  quick wins implemented in that period with their benefits per department, the published
  measures in progress (planned or in progress), the milestones of those measures due from
  R's date to `UPCOMING_DAYS` days after it and not reached yet, and key figures: published
  measures, of them in progress and implemented, quick wins implemented in the period,
  departments benefiting (with at least one benefit recorded on a published measure).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.engine import Connection

from ideation.domain.measure import MEASURE_STATUS_LABELS, MeasureStatus
from ideation.domain.politics import (
    FACTION_STATUS_LABELS,
    ROUND_STATUS_LABELS,
    FactionStatus,
    RoundStatus,
)
from ideation.readmodels.tables import (
    activity,
    benefits,
    departments,
    factions,
    measures,
    milestones,
    political_rounds,
    round_factions,
)

BERLIN = ZoneInfo("Europe/Berlin")
UPCOMING_DAYS = 90
RUNNING = (MeasureStatus.PLANNED.value, MeasureStatus.IN_PROGRESS.value)
# The order in which a briefing counts published measures (the chart's bars).
PUBLISHED_STATUSES = (
    MeasureStatus.PLANNED.value,
    MeasureStatus.IN_PROGRESS.value,
    MeasureStatus.IMPLEMENTED.value,
)


def published() -> ColumnElement[bool]:
    """The condition that makes a measure public: at least one goal, not cancelled."""
    return and_(measures.c.goals_count >= 1, measures.c.status != MeasureStatus.CANCELLED.value)


# -- rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactionRow:
    """A council faction in the managed list."""

    id: UUID
    version: int
    name: str
    short_name: str
    status: str

    @property
    def status_label(self) -> str:
        return str(FACTION_STATUS_LABELS[FactionStatus(self.status)])

    @property
    def is_active(self) -> bool:
        return self.status == FactionStatus.ACTIVE.value


@dataclass(frozen=True)
class RoundRow:
    """A political round as lists show it."""

    id: UUID
    version: int
    status: str
    scheduled_on: dt.date
    held_on: dt.date | None
    title: str
    questions_count: int
    suggestions_count: int
    adopted_count: int

    @property
    def date(self) -> dt.date:
        """The day it was held, else the day it is scheduled for."""
        return self.held_on or self.scheduled_on

    @property
    def status_label(self) -> str:
        return str(ROUND_STATUS_LABELS[RoundStatus(self.status)])


@dataclass(frozen=True)
class Rounds:
    """Planned rounds (soonest first) and held or cancelled ones (newest first)."""

    upcoming: tuple[RoundRow, ...]
    past: tuple[RoundRow, ...]


@dataclass(frozen=True)
class RoundFaction:
    """A faction invited to or attending a round."""

    faction_id: UUID
    name: str
    short_name: str
    invited: bool
    attended: bool


@dataclass(frozen=True)
class PublishedBenefit:
    """The value a published measure brought to a department."""

    department_id: UUID
    department_name: str
    description: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class PublishedMeasure:
    """A published measure: public facts only (no idea, no working group, no people)."""

    id: UUID
    title: str
    owner_department_id: UUID
    owner_department_name: str
    quick_win: bool
    status: str
    progress: int
    goals_count: int
    next_milestone_title: str | None
    next_milestone_due: dt.date | None
    implemented_on: dt.date | None
    benefits: tuple[PublishedBenefit, ...]

    @property
    def status_label(self) -> str:
        return str(MEASURE_STATUS_LABELS[MeasureStatus(self.status)])

    def benefits_by_department(self) -> list[tuple[str, list[str]]]:
        """(department name, descriptions) in order of first mention."""
        grouped: dict[str, list[str]] = defaultdict(list)
        for benefit in self.benefits:
            grouped[benefit.department_name].append(benefit.description)
        return list(grouped.items())


@dataclass(frozen=True)
class PublishedMilestone:
    """A milestone of a published measure."""

    measure_id: UUID
    measure_title: str
    title: str
    due_on: dt.date
    reached_on: dt.date | None


@dataclass(frozen=True)
class PublishedMeasureDetail:
    """A published measure with its milestones (soonest first)."""

    measure: PublishedMeasure
    milestones: tuple[PublishedMilestone, ...]


@dataclass(frozen=True)
class StatusCount:
    status: str
    count: int

    @property
    def label(self) -> str:
        return str(MEASURE_STATUS_LABELS[MeasureStatus(self.status)])


@dataclass(frozen=True)
class DepartmentBenefitCount:
    department_id: UUID
    name: str
    count: int


@dataclass(frozen=True)
class KeyFigures:
    published: int
    in_progress: int
    implemented: int
    quick_wins_in_period: int
    departments_benefiting: int


@dataclass(frozen=True)
class Briefing:
    """Everything the briefing of one round shows (see the module's definitions)."""

    round: RoundRow
    factions: tuple[RoundFaction, ...]
    previous_round: RoundRow | None
    period_start: dt.date | None  # exclusive; None: from the beginning
    period_end: dt.date  # inclusive: the round's date
    milestones_until: dt.date
    quick_wins: tuple[PublishedMeasure, ...]
    in_progress: tuple[PublishedMeasure, ...]
    upcoming_milestones: tuple[PublishedMilestone, ...]
    figures: KeyFigures
    status_counts: tuple[StatusCount, ...]
    benefits_per_department: tuple[DepartmentBenefitCount, ...]


# -- factions and rounds ----------------------------------------------------------------------


def list_factions(conn: Connection, *, include_retired: bool = True) -> list[FactionRow]:
    """Factions by name: those in the council first, then the retired ones."""
    query = select(factions)
    if not include_retired:
        query = query.where(factions.c.status == FactionStatus.ACTIVE.value)
    rows = [
        FactionRow(
            id=r.id, version=r.version, name=r.name, short_name=r.short_name, status=r.status
        )
        for r in conn.execute(query)
    ]
    return sorted(rows, key=lambda f: (not f.is_active, f.name.casefold(), str(f.id)))


def _round(r: Any) -> RoundRow:
    return RoundRow(
        id=r.id,
        version=r.version,
        status=r.status,
        scheduled_on=r.scheduled_on,
        held_on=r.held_on,
        title=r.title,
        questions_count=r.questions_count,
        suggestions_count=r.suggestions_count,
        adopted_count=r.adopted_count,
    )


def list_rounds(conn: Connection) -> Rounds:
    """Planned rounds soonest first; held and cancelled rounds newest first."""
    rows = [_round(r) for r in conn.execute(select(political_rounds))]
    upcoming = sorted(
        (r for r in rows if r.status == RoundStatus.PLANNED.value),
        key=lambda r: (r.scheduled_on, r.title, str(r.id)),
    )
    past = sorted(
        (r for r in rows if r.status != RoundStatus.PLANNED.value),
        key=lambda r: (r.date, r.title, str(r.id)),
        reverse=True,
    )
    return Rounds(upcoming=tuple(upcoming), past=tuple(past))


def get_round(conn: Connection, round_id: UUID) -> RoundRow | None:
    """One round's row, or None."""
    row = conn.execute(select(political_rounds).where(political_rounds.c.id == round_id)).first()
    return _round(row) if row is not None else None


def round_factions_of(conn: Connection, round_id: UUID) -> list[RoundFaction]:
    """The factions invited to or attending a round, by name."""
    query = (
        select(
            round_factions.c.faction_id,
            round_factions.c.invited,
            round_factions.c.attended,
            factions.c.name,
            factions.c.short_name,
        )
        .select_from(round_factions.join(factions, factions.c.id == round_factions.c.faction_id))
        .where(round_factions.c.round_id == round_id)
    )
    rows = [
        RoundFaction(
            faction_id=r.faction_id,
            name=r.name,
            short_name=r.short_name,
            invited=r.invited,
            attended=r.attended,
        )
        for r in conn.execute(query)
    ]
    return sorted(rows, key=lambda f: (f.name.casefold(), str(f.faction_id)))


def previous_held_round(conn: Connection, current: RoundRow) -> RoundRow | None:
    """The latest round held before `current`'s date (not `current` itself)."""
    row = conn.execute(
        select(political_rounds)
        .where(
            political_rounds.c.status == RoundStatus.HELD.value,
            political_rounds.c.held_on < current.date,
            political_rounds.c.id != current.id,
        )
        .order_by(political_rounds.c.held_on.desc(), political_rounds.c.id)
        .limit(1)
    ).first()
    return _round(row) if row is not None else None


# -- published measures -------------------------------------------------------------------------


def _department_names(conn: Connection) -> dict[UUID, str]:
    return {r.id: r.name for r in conn.execute(select(departments.c.id, departments.c.name))}


def _published_measures(conn: Connection, *conditions: Any) -> list[PublishedMeasure]:
    rows = list(conn.execute(select(measures).where(published(), *conditions)))
    names = _department_names(conn)
    by_measure: dict[UUID, list[PublishedBenefit]] = defaultdict(list)
    if rows:
        query = (
            select(benefits)
            .where(benefits.c.measure_id.in_([r.id for r in rows]))
            .order_by(benefits.c.recorded_at, benefits.c.version)
        )
        for b in conn.execute(query):
            by_measure[b.measure_id].append(
                PublishedBenefit(
                    department_id=b.department_id,
                    department_name=names.get(b.department_id, "–"),
                    description=b.description,
                    recorded_at=b.recorded_at,
                )
            )
    return [
        PublishedMeasure(
            id=r.id,
            title=r.title,
            owner_department_id=r.owner_department_id,
            owner_department_name=names.get(r.owner_department_id, "–"),
            quick_win=r.quick_win,
            status=r.status,
            progress=r.progress,
            goals_count=r.goals_count,
            next_milestone_title=r.next_milestone_title,
            next_milestone_due=r.next_milestone_due,
            implemented_on=r.implemented_on,
            benefits=tuple(by_measure.get(r.id, ())),
        )
        for r in rows
    ]


def list_published_measures(conn: Connection) -> list[PublishedMeasure]:
    """Published measures: running ones first, then implemented; by title within each."""
    order = {status: i for i, status in enumerate(PUBLISHED_STATUSES)}
    return sorted(
        _published_measures(conn),
        key=lambda m: (order.get(m.status, 9), m.title.casefold(), str(m.id)),
    )


def published_measure(conn: Connection, measure_id: UUID) -> PublishedMeasureDetail | None:
    """A published measure with its milestones; None if unknown or not published."""
    found = _published_measures(conn, measures.c.id == measure_id)
    if not found:
        return None
    measure = found[0]
    query = (
        select(milestones)
        .where(milestones.c.measure_id == measure_id)
        .order_by(milestones.c.due_on, milestones.c.title, milestones.c.milestone_id)
    )
    return PublishedMeasureDetail(
        measure=measure,
        milestones=tuple(
            PublishedMilestone(
                measure_id=measure_id,
                measure_title=measure.title,
                title=m.title,
                due_on=m.due_on,
                reached_on=m.reached_on,
            )
            for m in conn.execute(query)
        ),
    )


# -- the briefing ---------------------------------------------------------------------------------


def briefing(
    conn: Connection, round_id: UUID, *, upcoming_days: int = UPCOMING_DAYS
) -> Briefing | None:
    """The briefing of a round (module docstring); None for an unknown round."""
    current = get_round(conn, round_id)
    if current is None:
        return None
    previous = previous_held_round(conn, current)
    start = previous.held_on if previous is not None else None
    end = current.date
    until = end + dt.timedelta(days=upcoming_days)

    in_period = [measures.c.quick_win.is_(True), measures.c.implemented_on <= end]
    if start is not None:
        in_period.append(measures.c.implemented_on > start)
    quick_wins = sorted(
        _published_measures(conn, *in_period),
        key=lambda m: (m.implemented_on, m.title.casefold(), str(m.id)),
    )
    everything = _published_measures(conn)
    running = sorted(
        (m for m in everything if m.status in RUNNING),
        key=lambda m: (m.title.casefold(), str(m.id)),
    )
    running_titles = {m.id: m.title for m in running}
    upcoming: list[PublishedMilestone] = []
    if running_titles:
        query = (
            select(milestones)
            .where(
                milestones.c.measure_id.in_(list(running_titles)),
                milestones.c.reached_on.is_(None),
                milestones.c.due_on >= end,
                milestones.c.due_on <= until,
            )
            .order_by(milestones.c.due_on, milestones.c.title, milestones.c.milestone_id)
        )
        upcoming = [
            PublishedMilestone(
                measure_id=m.measure_id,
                measure_title=running_titles[m.measure_id],
                title=m.title,
                due_on=m.due_on,
                reached_on=None,
            )
            for m in conn.execute(query)
        ]
    counts = dict.fromkeys(PUBLISHED_STATUSES, 0)
    for m in everything:
        counts[m.status] = counts.get(m.status, 0) + 1
    per_department: dict[UUID, int] = defaultdict(int)
    names: dict[UUID, str] = {}
    for m in everything:
        for b in m.benefits:
            per_department[b.department_id] += 1
            names[b.department_id] = b.department_name
    benefit_counts = sorted(
        (DepartmentBenefitCount(d, names[d], n) for d, n in per_department.items()),
        key=lambda c: (-c.count, c.name.casefold(), str(c.department_id)),
    )
    return Briefing(
        round=current,
        factions=tuple(round_factions_of(conn, round_id)),
        previous_round=previous,
        period_start=start,
        period_end=end,
        milestones_until=until,
        quick_wins=tuple(quick_wins),
        in_progress=tuple(running),
        upcoming_milestones=tuple(upcoming),
        figures=KeyFigures(
            published=len(everything),
            in_progress=len(running),
            implemented=counts[MeasureStatus.IMPLEMENTED.value],
            quick_wins_in_period=len(quick_wins),
            departments_benefiting=len(per_department),
        ),
        status_counts=tuple(StatusCount(s, counts[s]) for s in PUBLISHED_STATUSES),
        benefits_per_department=tuple(benefit_counts),
    )


def briefing_moment(conn: Connection, round_id: UUID) -> dt.datetime | None:
    """When a held round's briefing stands: the end of its day in Berlin, or when it was
    recorded as held if that was later. None for a round that was not held."""
    row = get_round(conn, round_id)
    if row is None or row.held_on is None:
        return None
    end_of_day = dt.datetime.combine(
        row.held_on + dt.timedelta(days=1), dt.time(), tzinfo=BERLIN
    ) - dt.timedelta(microseconds=1)
    recorded = conn.execute(
        select(activity.c.occurred_at).where(
            activity.c.aggregate_id == round_id,
            activity.c.event_type == "PoliticalRound.Held",
        )
    ).scalar_one_or_none()
    return max(end_of_day, recorded) if recorded is not None else end_of_day
