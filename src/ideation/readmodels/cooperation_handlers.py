"""How the cooperation events (issue 8) change the read models, and the engagement rows.

`HANDLERS` is merged into `handlers.HANDLERS`; `engagement_rows` is called for every event
by `handlers.project_batch` and answers the alliance rows the event adds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ideation.readmodels.tables import (
    exchange_sessions,
    factions,
    people,
    pilots,
    political_rounds,
    round_factions,
    session_departments,
)

BERLIN = ZoneInfo("Europe/Berlin")

Handler = Callable[[Connection, Any], None]


def _berlin_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(BERLIN).date()


def _set(conn: Connection, table: Any, e: Any, **values: Any) -> None:
    values["version"] = e.originator_version
    if "updated_at" in table.c:
        values["updated_at"] = e.timestamp
    conn.execute(update(table).where(table.c.id == e.originator_id).values(**values))


# -- exchange formats ----------------------------------------------------------------


def _session_planned(conn: Connection, e: Any) -> None:
    conn.execute(
        insert(exchange_sessions),
        {
            "id": e.originator_id,
            "version": e.originator_version,
            "kind": e.kind,
            "status": "planned",
            "scheduled_on": e.scheduled_on,
            "held_on": None,
            "topic": e.topic,
            "host_person_id": e.host_person_id,
            "round_department_id": e.round_department_id,
            "participant_count": 0,
            "needs_count": 0,
            "planned_at": e.timestamp,
            "updated_at": e.timestamp,
        },
    )
    if e.invited_department_ids:
        conn.execute(
            insert(session_departments),
            [
                {
                    "session_id": e.originator_id,
                    "department_id": d,
                    "invited": True,
                    "participated": False,
                }
                for d in e.invited_department_ids
            ],
        )


def _session_held(conn: Connection, e: Any) -> None:
    _set(
        conn,
        exchange_sessions,
        e,
        status="held",
        held_on=e.held_on,
        participant_count=e.participant_count,
        needs_count=len(e.needs),
    )
    invited = set(
        conn.execute(
            select(session_departments.c.department_id).where(
                session_departments.c.session_id == e.originator_id
            )
        ).scalars()
    )
    for department_id in e.participating_department_ids:
        if department_id in invited:
            conn.execute(
                update(session_departments)
                .where(
                    session_departments.c.session_id == e.originator_id,
                    session_departments.c.department_id == department_id,
                )
                .values(participated=True)
            )
        else:
            conn.execute(
                insert(session_departments),
                {
                    "session_id": e.originator_id,
                    "department_id": department_id,
                    "invited": False,
                    "participated": True,
                },
            )


# -- pilots --------------------------------------------------------------------------


def _pilot_nominated(conn: Connection, e: Any) -> None:
    conn.execute(
        insert(pilots),
        {
            "id": e.originator_id,
            "version": e.originator_version,
            "person_id": e.person_id,
            "status": "candidate",
            "session_id": e.session_id,
            "reason": e.reason,
            "nominated_at": e.timestamp,
            "updated_at": e.timestamp,
        },
    )


# -- factions and rounds -------------------------------------------------------------


def _faction_registered(conn: Connection, e: Any) -> None:
    conn.execute(
        insert(factions),
        {
            "id": e.originator_id,
            "version": e.originator_version,
            "name": e.name,
            "short_name": e.short_name,
            "status": "active",
        },
    )


def _round_planned(conn: Connection, e: Any) -> None:
    conn.execute(
        insert(political_rounds),
        {
            "id": e.originator_id,
            "version": e.originator_version,
            "status": "planned",
            "scheduled_on": e.scheduled_on,
            "held_on": None,
            "title": e.title,
            "questions_count": 0,
            "suggestions_count": 0,
            "adopted_count": 0,
            "planned_at": e.timestamp,
            "updated_at": e.timestamp,
        },
    )
    if e.invited_faction_ids:
        conn.execute(
            insert(round_factions),
            [
                {"round_id": e.originator_id, "faction_id": f, "invited": True, "attended": False}
                for f in e.invited_faction_ids
            ],
        )


def _round_held(conn: Connection, e: Any) -> None:
    _set(
        conn,
        political_rounds,
        e,
        status="held",
        held_on=e.held_on,
        questions_count=len(e.questions),
        suggestions_count=len(e.suggestions),
    )
    invited = set(
        conn.execute(
            select(round_factions.c.faction_id).where(round_factions.c.round_id == e.originator_id)
        ).scalars()
    )
    for faction_id in e.attending_faction_ids:
        if faction_id in invited:
            conn.execute(
                update(round_factions)
                .where(
                    round_factions.c.round_id == e.originator_id,
                    round_factions.c.faction_id == faction_id,
                )
                .values(attended=True)
            )
        else:
            conn.execute(
                insert(round_factions),
                {
                    "round_id": e.originator_id,
                    "faction_id": faction_id,
                    "invited": False,
                    "attended": True,
                },
            )


def _suggestion_adopted(conn: Connection, e: Any) -> None:
    conn.execute(
        update(political_rounds)
        .where(political_rounds.c.id == e.originator_id)
        .values(
            version=e.originator_version,
            updated_at=e.timestamp,
            adopted_count=political_rounds.c.adopted_count + 1,
        )
    )


HANDLERS: dict[str, Handler] = {
    "ExchangeSession.Planned": _session_planned,
    "ExchangeSession.Rescheduled": lambda conn, e: _set(
        conn, exchange_sessions, e, scheduled_on=e.scheduled_on
    ),
    "ExchangeSession.Held": _session_held,
    "ExchangeSession.Cancelled": lambda conn, e: _set(
        conn, exchange_sessions, e, status="cancelled"
    ),
    "Pilot.Nominated": _pilot_nominated,
    "Pilot.Renominated": lambda conn, e: _set(
        conn, pilots, e, status="candidate", session_id=e.session_id, reason=e.reason
    ),
    "Pilot.Confirmed": lambda conn, e: _set(conn, pilots, e, status="confirmed"),
    "Pilot.Withdrawn": lambda conn, e: _set(conn, pilots, e, status="withdrawn", reason=e.reason),
    "Faction.Registered": _faction_registered,
    "Faction.Renamed": lambda conn, e: _set(
        conn, factions, e, name=e.name, short_name=e.short_name
    ),
    "Faction.Retired": lambda conn, e: _set(conn, factions, e, status="retired"),
    "PoliticalRound.Planned": _round_planned,
    "PoliticalRound.Held": _round_held,
    "PoliticalRound.SuggestionAdopted": _suggestion_adopted,
    "PoliticalRound.Cancelled": lambda conn, e: _set(conn, political_rounds, e, status="cancelled"),
}


# -- the alliance of the willing -----------------------------------------------------


def _person_department(conn: Connection, person_id: UUID) -> UUID | None:
    return conn.execute(
        select(people.c.department_id).where(people.c.id == person_id)
    ).scalar_one_or_none()


def engagement_rows(conn: Connection, kind: str, e: Any) -> list[tuple[UUID, str, dt.date]]:
    """The (department, engagement kind, day) rows an event adds to the alliance figures.

    A working-group seat counts for the member's department at the time they joined; a
    session counts on the day it was held, everything else on the (Berlin) day it was stored.
    """
    day = _berlin_day(e.timestamp)
    if kind == "Idea.Submitted":
        return [(e.department_id, "ideas_submitted", day)]
    if kind == "Idea.SupportPledged":
        return [(e.department_id, "supports_pledged", day)]
    if kind == "WorkingGroup.MemberAdded":
        department_id = _person_department(conn, e.person_id)
        return [] if department_id is None else [(department_id, "group_seats", day)]
    if kind == "ExchangeSession.Held":
        return [(d, "sessions_attended", e.held_on) for d in e.participating_department_ids]
    if kind == "Measure.Planned":
        return [(e.owner_department_id, "measures_owned", day)]
    if kind == "Measure.BenefitRecorded":
        return [(e.department_id, "benefits_received", day)]
    return []
