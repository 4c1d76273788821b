"""What feeds and the digest show: new ideas, decisions and implemented quick wins.

One entry per event in `rm_activity`, newest first:

- `idea_submitted`: an idea was submitted (Idea.Submitted); its department is the
  submitting one, its text the idea's summary.
- `decision`: a decision on an idea (accepted, rejected, parked, reopened, merged,
  withdrawn) or a measure's cancellation, with the reason; its department is the idea's.
- `quick_win_implemented`: a measure classified as quick win was implemented
  (Measure.Implemented); its department is the owning one, its text the benefits recorded
  for it so far (department and description).

For a department (`department_id`), an entry belongs to it when the idea is the
department's (new ideas and decisions) or the quick win is owned by it or brought it a
benefit. `since` and `until` are aware moments, both included.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid5

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.engine import Connection

from ideation.domain.errors import msg
from ideation.readmodels.queries import InvalidQuery
from ideation.readmodels.tables import activity, benefits, ideas, measures

DEFAULT_FEED_LIMIT = 50
MAX_FEED_LIMIT = 10_000

IDEA_SUBMITTED = "idea_submitted"
DECISION = "decision"
QUICK_WIN_IMPLEMENTED = "quick_win_implemented"
KINDS = (IDEA_SUBMITTED, DECISION, QUICK_WIN_IMPLEMENTED)

# The decisions a feed reports (a subset of audit.DECISION_EVENT_TYPES: no recommendations,
# quick-win classifications or role changes) → their outcome code.
FEED_DECISIONS = {
    "Idea.Accepted": "accepted",
    "Idea.Rejected": "rejected",
    "Idea.Parked": "parked",
    "Idea.Reopened": "reopened",
    "Idea.MergedInto": "merged",
    "Idea.Withdrawn": "withdrawn",
    "Measure.Cancelled": "cancelled",
}


@dataclass(frozen=True)
class Benefit:
    """The value a quick win brought to a department."""

    department_id: UUID
    description: str


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed or the digest.

    `entry_id` is stable (derived from the event's object and version): the Atom id.
    `outcome` is a decision's outcome code (see FEED_DECISIONS), `reason` its reason;
    `text` the idea's summary for new ideas; `benefits` a quick win's recorded benefits.
    """

    entry_id: UUID
    position: int
    kind: str
    event_type: str
    occurred_at: dt.datetime
    title: str
    idea_id: UUID
    measure_id: UUID | None
    department_id: UUID
    actor_person_id: UUID | None
    outcome: str | None = None
    reason: str | None = None
    text: str | None = None
    benefits: tuple[Benefit, ...] = ()


def feed_entries(
    conn: Connection,
    *,
    department_id: UUID | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int | None = DEFAULT_FEED_LIMIT,
    kinds: tuple[str, ...] = KINDS,
) -> list[FeedEntry]:
    """New ideas, decisions and implemented quick wins, newest first (at most `limit`;
    None means all). Raises InvalidQuery (German message) for unusable options."""
    _check(department_id, since, until, limit, kinds)
    idea_events = [t for t in FEED_DECISIONS if t.startswith("Idea.")] + ["Idea.Submitted"]
    wanted: list[ColumnElement[bool]] = []
    if IDEA_SUBMITTED in kinds:
        wanted.append(activity.c.event_type == "Idea.Submitted")
    if DECISION in kinds:
        wanted.append(activity.c.event_type.in_(list(FEED_DECISIONS)))
    if QUICK_WIN_IMPLEMENTED in kinds:
        wanted.append(
            and_(activity.c.event_type == "Measure.Implemented", measures.c.quick_win.is_(True))
        )
    where: list[ColumnElement[bool]] = [or_(*wanted)]
    if since is not None:
        where.append(activity.c.occurred_at >= since)
    if until is not None:
        where.append(activity.c.occurred_at <= until)
    if department_id is not None:
        benefit_for_department = exists().where(
            benefits.c.measure_id == measures.c.id, benefits.c.department_id == department_id
        )
        where.append(
            or_(
                and_(
                    activity.c.event_type != "Measure.Implemented",
                    ideas.c.department_id == department_id,
                ),
                and_(
                    activity.c.event_type == "Measure.Implemented",
                    or_(measures.c.owner_department_id == department_id, benefit_for_department),
                ),
            )
        )
    # A measure's event names the measure; its idea is the measure's.
    joined = activity.outerjoin(
        measures,
        and_(activity.c.aggregate_type == "Measure", measures.c.id == activity.c.aggregate_id),
    ).join(
        ideas,
        or_(
            and_(activity.c.event_type.in_(idea_events), ideas.c.id == activity.c.aggregate_id),
            and_(activity.c.aggregate_type == "Measure", ideas.c.id == measures.c.idea_id),
        ),
    )
    query = (
        select(
            activity.c.position,
            activity.c.occurred_at,
            activity.c.event_type,
            activity.c.aggregate_id,
            activity.c.aggregate_version,
            activity.c.actor_person_id,
            activity.c.reason,
            activity.c.related_id,
            ideas.c.id.label("idea_id"),
            ideas.c.title.label("idea_title"),
            ideas.c.summary,
            ideas.c.department_id.label("idea_department_id"),
            measures.c.id.label("measure_id"),
            measures.c.title.label("measure_title"),
            measures.c.owner_department_id,
        )
        .select_from(joined)
        .where(*where)
        .order_by(activity.c.position.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    rows = conn.execute(query).all()
    received = _benefits(
        conn, [r.measure_id for r in rows if r.event_type == "Measure.Implemented"]
    )
    return [_entry(r, received) for r in rows]


def _benefits(conn: Connection, measure_ids: list[UUID]) -> dict[UUID, tuple[Benefit, ...]]:
    if not measure_ids:
        return {}
    found: dict[UUID, list[Benefit]] = defaultdict(list)
    query = (
        select(benefits.c.measure_id, benefits.c.department_id, benefits.c.description)
        .where(benefits.c.measure_id.in_(measure_ids))
        .order_by(benefits.c.measure_id, benefits.c.version)
    )
    for row in conn.execute(query):
        found[row.measure_id].append(Benefit(row.department_id, row.description))
    return {measure_id: tuple(items) for measure_id, items in found.items()}


def _entry(row: Any, received: dict[UUID, tuple[Benefit, ...]]) -> FeedEntry:
    entry_id = uuid5(row.aggregate_id, f"{row.event_type}:{row.aggregate_version}")
    common = {
        "entry_id": entry_id,
        "position": row.position,
        "event_type": row.event_type,
        "occurred_at": row.occurred_at,
        "idea_id": row.idea_id,
        "measure_id": row.related_id if row.event_type == "Idea.Accepted" else row.measure_id,
        "actor_person_id": row.actor_person_id,
    }
    if row.event_type == "Idea.Submitted":
        return FeedEntry(
            kind=IDEA_SUBMITTED,
            title=row.idea_title,
            department_id=row.idea_department_id,
            text=row.summary,
            **common,
        )
    if row.event_type == "Measure.Implemented":
        return FeedEntry(
            kind=QUICK_WIN_IMPLEMENTED,
            title=row.measure_title,
            department_id=row.owner_department_id,
            benefits=received.get(row.measure_id, ()),
            **common,
        )
    return FeedEntry(
        kind=DECISION,
        title=row.idea_title,
        department_id=row.idea_department_id,
        outcome=FEED_DECISIONS[row.event_type],
        reason=row.reason,
        **common,
    )


def _check(department_id: Any, since: Any, until: Any, limit: Any, kinds: Any) -> None:
    if department_id is not None and not isinstance(department_id, UUID):
        raise InvalidQuery("department_id", msg("Der Fachbereich muss eine Kennung sein."))
    for field, moment in (("since", since), ("until", until)):
        if moment is not None and (not isinstance(moment, dt.datetime) or moment.tzinfo is None):
            raise InvalidQuery(field, msg("Der Zeitpunkt muss eine Zeitzone haben."))
    if since is not None and until is not None and until < since:
        raise InvalidQuery(
            "until", msg("Das Ende des Zeitraums darf nicht vor seinem Anfang liegen.")
        )
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_FEED_LIMIT
    ):
        raise InvalidQuery(
            "limit", msg("Die Anzahl muss zwischen 1 und %(max)s liegen.", max=MAX_FEED_LIMIT)
        )
    if not kinds or any(kind not in KINDS for kind in kinds):
        raise InvalidQuery("kinds", msg("Unbekannte Art von Einträgen."))
