"""The audit log and the decision register, from `rm_activity` (one row per stored event).

The audit log lists every event of the planner in commit order (the position in the event
log); the decision register only the decisions and recommendations. Both take the same
filters (`AuditFilter`): a date range of local days in Europe/Berlin, the acting person,
the department and role they acted in, the kind of object and the kind of event. Pages come
from `audit_page`; exports read every match in batches with `audit_batch` (the facade turns
that into an iterator), so no export holds all rows or one long transaction.

Raw filter values (strings from a query string or the command line) are checked by
`audit_filter`; a bad value raises `InvalidQuery` with a German message and the field.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate
from sqlalchemy import ColumnElement, FromClause, Select, func, select
from sqlalchemy.engine import Connection, Row

from ideation.domain.actor import Role
from ideation.domain.department import Department
from ideation.domain.errors import N_, msg
from ideation.domain.exchange import ExchangeSession
from ideation.domain.idea import Idea
from ideation.domain.installation import Installation
from ideation.domain.measure import Measure
from ideation.domain.person import Person
from ideation.domain.pilot import Pilot
from ideation.domain.politics import Faction, PoliticalRound
from ideation.domain.working_group import WorkingGroup
from ideation.readmodels.queries import InvalidQuery, check_page, parse_day
from ideation.readmodels.tables import (
    activity,
    departments,
    exchange_sessions,
    factions,
    ideas,
    measures,
    political_rounds,
    working_groups,
)
from ideation.readmodels.tasks import AGGREGATE_TYPES
from ideation.readmodels.views import AuditPage, AuditRow

BERLIN = ZoneInfo("Europe/Berlin")
DEFAULT_AUDIT_PAGE_SIZE = 50
DEFAULT_BATCH_SIZE = 1000

AGGREGATES: tuple[type[Aggregate], ...] = (
    Idea,
    Measure,
    WorkingGroup,
    Person,
    Department,
    Installation,
    ExchangeSession,
    Pilot,
    Faction,
    PoliticalRound,
)


def _event_types() -> frozenset[str]:
    """Every event class the domain's aggregates define ("Aggregate.EventName")."""
    found = set()
    for aggregate in AGGREGATES:
        for name in dir(aggregate):
            value = getattr(aggregate, name)
            if (
                isinstance(value, type)
                and issubclass(value, Aggregate.Event)
                and name not in ("Event", "Created")
            ):
                found.add(f"{aggregate.__name__}.{name}")
    return frozenset(found)


# Every event type the planner records.
EVENT_TYPES = _event_types()
# The decision register: decisions on ideas and measures, the working groups'
# recommendations, quick-win overrides, and role grants and revocations.
DECISION_EVENT_TYPES = (
    "Idea.Accepted",
    "Idea.Rejected",
    "Idea.Parked",
    "Idea.Reopened",
    "Idea.MergedInto",
    "Idea.Withdrawn",
    "Idea.QuickWinOverridden",
    "Idea.Recommended",
    "Measure.Cancelled",
    "Person.RoleGranted",
    "Person.RoleRevoked",
)
ROLES = tuple(r.value for r in Role)

_FIELD_NAMES = {
    "date_from": N_("von"),
    "date_to": N_("bis"),
    "person_id": N_("Person"),
    "department_id": N_("Fachbereich"),
}


@dataclass(frozen=True)
class AuditFilter:
    """Checked filters of the audit log; None filters nothing.

    `date_from` and `date_to` are local days in Europe/Berlin, both included. `person_id`,
    `department_id` and `role` are the acting person, the department and the role they
    acted in (as recorded with the event); `aggregate_type` is "Idea", "Measure",
    "WorkingGroup", "Person", "Department" or "Installation"; `event_type` an event such as
    "Idea.Accepted".
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    person_id: UUID | None = None
    department_id: UUID | None = None
    role: str | None = None
    aggregate_type: str | None = None
    event_type: str | None = None

    def as_dict(self) -> dict[str, str]:
        """The filters that are set, as text (ISO dates), in field order."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {
            name: value.isoformat() if isinstance(value, dt.date) else str(value)
            for name, value in values.items()
            if value is not None
        }

    @property
    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """(first moment, first moment after) of the date range in UTC; None is open."""
        start = _local_midnight(self.date_from) if self.date_from else None
        end = None
        if self.date_to is not None and self.date_to < dt.date.max:
            end = _local_midnight(self.date_to + dt.timedelta(days=1))
        return start, end


def _local_midnight(day: dt.date) -> dt.datetime | None:
    """The start of a day in Europe/Berlin, in UTC (None past the calendar's ends)."""
    try:
        return dt.datetime.combine(day, dt.time.min, tzinfo=BERLIN).astimezone(dt.UTC)
    except OverflowError:
        return None


FilterInput = AuditFilter | Mapping[str, Any] | None


def audit_filter(raw: FilterInput = None, *, decisions: bool = False) -> AuditFilter:
    """Check raw filter values (a mapping of AuditFilter's field names) and return them.

    Values may be typed (date, UUID) or text; blank text counts as not given. Dates are
    "JJJJ-MM-TT" or "TT.MM.JJJJ". With `decisions`, the event type must be one of the
    decision register's. Raises InvalidQuery (German message, the field's name).
    """
    if isinstance(raw, AuditFilter):
        values = {f.name: getattr(raw, f.name) for f in fields(raw)}
    elif raw is None or isinstance(raw, Mapping):
        values = dict(raw or {})
    else:
        raise InvalidQuery("filters", msg("Die Filter müssen Name-Wert-Paare sein."))
    unknown = sorted(set(values) - {f.name for f in fields(AuditFilter)})
    if unknown:
        raise InvalidQuery(unknown[0], msg("Unbekannter Filter „%(name)s“.", name=unknown[0]))
    checked = AuditFilter(
        date_from=_date("date_from", _blank(values.get("date_from"))),
        date_to=_date("date_to", _blank(values.get("date_to"))),
        person_id=_uuid("person_id", _blank(values.get("person_id"))),
        department_id=_uuid("department_id", _blank(values.get("department_id"))),
        role=_choice("role", _blank(values.get("role")), ROLES),
        aggregate_type=_choice(
            "aggregate_type", _blank(values.get("aggregate_type")), AGGREGATE_TYPES
        ),
        event_type=_event_type(_blank(values.get("event_type")), decisions),
    )
    if checked.date_from and checked.date_to and checked.date_to < checked.date_from:
        raise InvalidQuery("date_to", msg("Das Datum „bis“ darf nicht vor dem Datum „von“ liegen."))
    return checked


def _blank(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


def _date(field: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        raise InvalidQuery(field, _bad_date(field, value.isoformat()))
    if isinstance(value, dt.date):
        return value
    day = parse_day(value) if isinstance(value, str) else None
    if day is not None:
        return day
    raise InvalidQuery(field, _bad_date(field, str(value)))


def _bad_date(field: str, value: str) -> str:
    return msg(
        "„%(value)s“ ist kein gültiges Datum für „%(field)s“. "
        "Bitte als JJJJ-MM-TT oder TT.MM.JJJJ angeben.",
        value=value[:40],
        field=_FIELD_NAMES[field],
    )


def _uuid(field: str, value: Any) -> UUID | None:
    if value is None or isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        raise InvalidQuery(
            field,
            msg(
                "„%(value)s“ ist keine gültige Kennung für „%(field)s“.",
                value=str(value)[:40],
                field=_FIELD_NAMES[field],
            ),
        ) from None


def _choice(field: str, value: Any, allowed: Sequence[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in allowed:
        template = {
            "role": N_("Unbekannte Rolle „%(value)s“. Möglich sind: %(allowed)s."),
            "aggregate_type": N_("Unbekannte Objektart „%(value)s“. Möglich sind: %(allowed)s."),
        }[field]
        raise InvalidQuery(field, msg(template, value=str(value)[:40], allowed=", ".join(allowed)))
    return str(value)


def _event_type(value: Any, decisions: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in EVENT_TYPES:
        raise InvalidQuery(
            "event_type",
            msg(
                "Unbekanntes Ereignis „%(value)s“ (Beispiel: „Idea.Accepted“).",
                value=str(value)[:80],
            ),
        )
    if decisions and value not in DECISION_EVENT_TYPES:
        raise InvalidQuery(
            "event_type",
            msg(
                "„%(value)s“ ist keine Entscheidung. Möglich sind: %(allowed)s.",
                value=value,
                allowed=", ".join(DECISION_EVENT_TYPES),
            ),
        )
    return str(value)


# -- queries ------------------------------------------------------------------------------


def conditions(checked: AuditFilter, *, decisions: bool = False) -> list[ColumnElement[bool]]:
    """The WHERE conditions on rm_activity for checked filters."""
    where: list[ColumnElement[bool]] = []
    start, end = checked.bounds
    if start is not None:
        where.append(activity.c.occurred_at >= start)
    if end is not None:
        where.append(activity.c.occurred_at < end)
    if checked.person_id is not None:
        where.append(activity.c.actor_person_id == checked.person_id)
    if checked.department_id is not None:
        where.append(activity.c.actor_department_id == checked.department_id)
    if checked.role is not None:
        where.append(activity.c.actor_role == checked.role)
    if checked.aggregate_type is not None:
        where.append(activity.c.aggregate_type == checked.aggregate_type)
    if checked.event_type is not None:
        where.append(activity.c.event_type == checked.event_type)
    if decisions:
        where.append(activity.c.event_type.in_(DECISION_EVENT_TYPES))
    return where


def audit_page(
    conn: Connection,
    checked: AuditFilter,
    *,
    decisions: bool = False,
    page: int = 1,
    page_size: int = DEFAULT_AUDIT_PAGE_SIZE,
    newest_first: bool = False,
) -> AuditPage:
    """One page of matching events in commit order (or newest first); `total` counts all."""
    page, page_size = check_page(page, page_size)
    _check_bool("newest_first", newest_first)
    where = conditions(checked, decisions=decisions)
    total = conn.execute(select(func.count()).select_from(activity).where(*where)).scalar_one()
    order = activity.c.position.desc() if newest_first else activity.c.position.asc()
    query = _rows_query().where(*where).order_by(order)
    rows = conn.execute(query.offset((page - 1) * page_size).limit(page_size))
    return AuditPage(
        rows=tuple(_audit_row(r) for r in rows),
        total=total,
        page=page,
        page_size=page_size,
        pages=max(1, math.ceil(total / page_size)),
        newest_first=newest_first,
    )


def last_position(conn: Connection) -> int:
    """The highest position in rm_activity (0 when empty): the end of an export."""
    return conn.execute(select(func.coalesce(func.max(activity.c.position), 0))).scalar_one()


def audit_batch(
    conn: Connection,
    checked: AuditFilter,
    *,
    decisions: bool = False,
    after: int | None,
    upto: int,
    newest_first: bool = False,
    limit: int = DEFAULT_BATCH_SIZE,
) -> list[AuditRow]:
    """The next `limit` matches at positions up to `upto`, after the position `after`.

    In commit order, "after" means a higher position; newest first, a lower one (None
    starts at the beginning, respectively at `upto`). An export fixes `upto` when it starts,
    so rows recorded meanwhile do not join it halfway.
    """
    where = conditions(checked, decisions=decisions)
    where.append(activity.c.position <= upto)
    if after is not None:
        where.append(activity.c.position < after if newest_first else activity.c.position > after)
    order = activity.c.position.desc() if newest_first else activity.c.position.asc()
    query = _rows_query().where(*where).order_by(order).limit(limit)
    return [_audit_row(r) for r in conn.execute(query)]


def audit_rows_after(conn: Connection, position: int, limit: int) -> list[AuditRow]:
    """At most `limit` events after the log position `position`, in commit order.

    The feed of the notification log for other systems: a reader keeps the last position
    it saw and asks for what came after it (0 starts at the beginning).
    """
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        raise InvalidQuery("after", msg("Die Position muss eine ganze Zahl ab 0 sein."))
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidQuery("limit", msg("Die Anzahl muss ab 1 sein."))
    query = (
        _rows_query()
        .where(activity.c.position > position)
        .order_by(activity.c.position.asc())
        .limit(limit)
    )
    return [_audit_row(r) for r in conn.execute(query)]


def _check_bool(field: str, value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidQuery(field, msg("„%(field)s“ muss ja oder nein sein.", field=field))


def _rows_query() -> Select[Any]:
    """rm_activity with the idea whose history shows a row and the names of the objects."""
    related_idea = ideas.alias("related_idea")
    related_group = working_groups.alias("related_group")
    joined: FromClause = (
        activity.outerjoin(ideas, ideas.c.id == activity.c.aggregate_id)
        .outerjoin(measures, measures.c.id == activity.c.aggregate_id)
        .outerjoin(working_groups, working_groups.c.id == activity.c.aggregate_id)
        .outerjoin(departments, departments.c.id == activity.c.aggregate_id)
        .outerjoin(exchange_sessions, exchange_sessions.c.id == activity.c.aggregate_id)
        .outerjoin(political_rounds, political_rounds.c.id == activity.c.aggregate_id)
        .outerjoin(factions, factions.c.id == activity.c.aggregate_id)
        .outerjoin(related_idea, related_idea.c.id == activity.c.related_id)
        .outerjoin(related_group, related_group.c.id == activity.c.related_id)
    )
    subject = func.coalesce(
        ideas.c.title,
        measures.c.title,
        working_groups.c.name,
        departments.c.name,
        exchange_sessions.c.topic,
        political_rounds.c.title,
        factions.c.name,
    )
    return select(
        activity,
        func.coalesce(ideas.c.id, measures.c.idea_id).label("idea_id"),
        subject.label("subject"),
        func.coalesce(related_idea.c.title, related_group.c.name).label("related_subject"),
    ).select_from(joined)


def _audit_row(r: Row[Any]) -> AuditRow:
    return AuditRow(
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
        outcome=r.outcome,
        related_id=r.related_id,
        related_subject=r.related_subject,
        idea_id=r.idea_id,
        subject=r.subject,
    )
