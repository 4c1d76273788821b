"""The planner as it was at a past moment (Stand am …), replayed from the events themselves.

The current read model cannot answer this: it only knows the present. So the events up to
the moment are replayed, through the same handlers as the projector, into a fresh in-memory
SQLite database, and the same queries as for the live planner run there. The answer thus
means exactly what the live pages mean, and cannot drift from them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Mapper
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection
from sqlalchemy.pool import StaticPool

from ideation.readmodels import politics, queries
from ideation.readmodels.handlers import project_batch
from ideation.readmodels.schema import ensure_schema
from ideation.readmodels.views import PlannerAsOf

DEFAULT_BATCH_SIZE = 1000


class EventSource(Protocol):
    """Where the events come from: the application or the projector (both have these)."""

    recorder: ApplicationRecorder
    mapper: Mapper[UUID]


def planner_as_of(
    events_source: EventSource, moment: dt.datetime, *, batch_size: int = DEFAULT_BATCH_SIZE
) -> PlannerAsOf:
    """Return the funnel, ideas, measures and roles as they were at `moment` (aware; UTC).

    Cost: this reads and decodes the whole notification log (up to the last event stored
    when the call starts) and applies every event with a timestamp at or before `moment`
    to an in-memory database, so time and memory grow with the size of the log, not with
    the size of the answer. It suits audit and political-round pages asked now and then;
    pages that ask often should cache the answer per moment (a past moment's answer never
    changes unless events are back-dated).

    An aggregate's events are kept while their timestamps are at or before `moment`; once
    one of them is later, its later versions are left out too, so each object is shown in a
    state it really had, even if clocks disagreed across processes.
    """
    with replayed(events_source, moment, batch_size=batch_size) as (conn, applied):
        return PlannerAsOf(
            moment=moment.astimezone(dt.UTC),
            funnel=queries.funnel(conn),
            ideas=tuple(queries.all_ideas(conn)),
            events_applied=applied,
            measures=tuple(queries.list_measures(conn, sort="title")),
            people=tuple(queries.list_people(conn)),
        )


def briefing_as_of(
    events_source: EventSource, round_id: UUID, moment: dt.datetime
) -> politics.Briefing | None:
    """A round's briefing as the planner stood at `moment` (same cost as `planner_as_of`)."""
    with replayed(events_source, moment) as (conn, _applied):
        return politics.briefing(conn, round_id)


@contextmanager
def replayed(
    events_source: EventSource, moment: dt.datetime, *, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[tuple[Connection, int]]:
    """A connection to the read models replayed up to `moment`, and how many events it took.

    The events go through the projector's handlers into a fresh in-memory SQLite database,
    so every query of the live planner answers there for the past moment.
    """
    if not isinstance(moment, dt.datetime) or moment.tzinfo is None:
        raise queries.InvalidQuery("moment", "Der Zeitpunkt braucht Datum, Uhrzeit und Zeitzone.")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise queries.InvalidQuery("batch_size", "Die Stapelgröße muss ab 1 sein.")
    moment = moment.astimezone(dt.UTC)
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    try:
        ensure_schema(engine)
        with engine.begin() as conn:
            applied = project_batch(conn, _events_up_to(events_source, moment, batch_size))
        with engine.connect() as conn:
            yield conn, applied
    finally:
        engine.dispose()


def _events_up_to(
    source: EventSource, moment: dt.datetime, batch_size: int
) -> Iterator[tuple[int, Any]]:
    """Yield (notification id, event) in log order for the events at or before `moment`."""
    last = source.recorder.max_notification_id() or 0
    cut_off: set[UUID] = set()  # aggregates with an event after the moment
    start = 1
    while start <= last:
        notifications = source.recorder.select_notifications(
            start=start, limit=batch_size, stop=last
        )
        if not notifications:
            break
        for notification in notifications:
            if notification.originator_id in cut_off:
                continue
            event = source.mapper.to_domain_event(notification)
            if event.timestamp > moment:
                cut_off.add(notification.originator_id)
                continue
            yield notification.id, event
        start = notifications[-1].id + 1
