"""Value per department (Mehrwerte): the benefits recorded for a department, with their measures.

`department_values` answers one department's figures (the same as in the list of departments
and the dashboard) and the benefits recorded for it, newest first, each with the measure it
came from (title, status, quick win, owner department) and that measure's idea.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ideation.domain.measure import MEASURE_STATUS_LABELS, MeasureStatus
from ideation.readmodels.queries import InvalidQuery
from ideation.readmodels.tables import benefits, departments, idea_supports, ideas, measures
from ideation.readmodels.views import DepartmentRow


@dataclass(frozen=True)
class DepartmentBenefit:
    """One benefit a department received, with the measure (and its idea) it came from."""

    measure_id: UUID
    version: int  # the measure's version that recorded the benefit
    description: str
    recorded_at: dt.datetime
    measure_title: str
    measure_status: str
    measure_status_label: str
    quick_win: bool
    idea_id: UUID
    owner_department_id: UUID


@dataclass(frozen=True)
class DepartmentValues:
    """A department with its figures and the benefits recorded for it (newest first).

    `benefits` holds at most `limit` entries when a limit was given; `department.
    benefits_received` always counts them all.
    """

    department: DepartmentRow
    benefits: tuple[DepartmentBenefit, ...]

    @property
    def more(self) -> int:
        """How many benefits a limit left out."""
        return self.department.benefits_received - len(self.benefits)


def department_values(
    conn: Connection, department_id: UUID, *, limit: int | None = None
) -> DepartmentValues | None:
    """The department's figures and benefits, newest first; None for an unknown department.

    `limit` (None: all) caps the benefits listed; it must be at least 0.
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise InvalidQuery("limit", "Die Anzahl der Mehrwerte muss ab 0 sein.")
    row = conn.execute(select(departments).where(departments.c.id == department_id)).first()
    if row is None:
        return None
    department = DepartmentRow(
        id=row.id,
        name=row.name,
        short_name=row.short_name,
        kind=row.kind,
        ideas_submitted=_count(conn, ideas.c.department_id, department_id),
        supports_pledged=_count(conn, idea_supports.c.department_id, department_id),
        measures_owned=_count(conn, measures.c.owner_department_id, department_id),
        benefits_received=_count(conn, benefits.c.department_id, department_id),
    )
    query = (
        select(
            benefits.c.measure_id,
            benefits.c.version,
            benefits.c.description,
            benefits.c.recorded_at,
            measures.c.title,
            measures.c.status,
            measures.c.quick_win,
            measures.c.idea_id,
            measures.c.owner_department_id,
        )
        .select_from(benefits.join(measures, measures.c.id == benefits.c.measure_id))
        .where(benefits.c.department_id == department_id)
        .order_by(benefits.c.recorded_at.desc(), benefits.c.measure_id, benefits.c.version.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    items = tuple(
        DepartmentBenefit(
            measure_id=b.measure_id,
            version=b.version,
            description=b.description,
            recorded_at=b.recorded_at,
            measure_title=b.title,
            measure_status=b.status,
            measure_status_label=str(MEASURE_STATUS_LABELS[MeasureStatus(b.status)]),
            quick_win=b.quick_win,
            idea_id=b.idea_id,
            owner_department_id=b.owner_department_id,
        )
        for b in conn.execute(query)
    )
    return DepartmentValues(department=department, benefits=items)


def _count(conn: Connection, column: Any, department_id: UUID) -> int:
    query = select(func.count()).select_from(column.table).where(column == department_id)
    return int(conn.execute(query).scalar_one())
