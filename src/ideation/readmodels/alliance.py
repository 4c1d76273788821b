"""The alliance of the willing (Allianz der Willigen): who is on board, and whom not yet.

`alliance` ranks every department and municipal company by its engagement over a period:
the acts of engagement recorded in `rm_engagement` (one row per act, dated on its Berlin
day; see `cooperation_handlers.engagement_rows`) counted per kind, and whether the exchange
formats have reached the department (it took part in a held session).

Definitions (docs/alliance.md says the same for readers):

- The six counts are the acts of the period [start, end], both days included:
  ideas_submitted (ideas the department submitted), supports_pledged (pledges of support it
  made; a pledge counts on the day it was made, also when it was withdrawn later — the act
  of engagement happened; a renewed pledge counts again), group_seats (people of the
  department taken into a working group, counted for the department the person belonged to
  when they joined; a later removal does not undo it), sessions_attended (held exchange
  sessions it took part in, on the day the session was held), measures_owned (measures it
  took on as owner department, on the day the idea was accepted) and benefits_received
  (benefits recorded for it).
- The score is the plain sum of the six counts: every act of engagement weighs the same.
- The rank orders by score (highest first); departments with the same score share a rank
  (standard competition ranking: 1, 1, 3), and are listed by name within it.
- Reached in the period: the department took part in an exchange session held in the period.
  Reached ever: it took part in a held session on any day the record knows.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ideation.domain.errors import msg
from ideation.readmodels.queries import InvalidQuery, parse_day
from ideation.readmodels.tables import (
    ENGAGEMENT_KINDS,
    departments,
    engagement,
    exchange_sessions,
    session_departments,
)

BERLIN = ZoneInfo("Europe/Berlin")
# The longest period a ranking may cover: ten years (ten calendar years have 3652 or 3653
# days), so a typo like 0026 for 2026 is refused instead of scanning centuries.
MAX_PERIOD_DAYS = 3653
DEFAULT_MONTHS = 12
# Quick choices of the period, relative to today: key → how the period is found.
PERIOD_CHOICES = ("3m", "12m", "year", "last_year")


@dataclass(frozen=True)
class AllianceRow:
    """One department with its engagement in the period, its score and rank."""

    department_id: UUID
    name: str
    short_name: str
    kind: str  # "administration" or "company"
    ideas_submitted: int
    supports_pledged: int
    group_seats: int
    sessions_attended: int
    measures_owned: int
    benefits_received: int
    score: int  # the sum of the six counts
    rank: int  # 1 = most engaged; equal scores share a rank
    reached_in_period: bool  # took part in an exchange session held in the period
    reached_ever: bool  # took part in a held exchange session at any time

    @property
    def counts(self) -> dict[str, int]:
        """The six counts by engagement kind, in the order of ENGAGEMENT_KINDS."""
        return {kind: getattr(self, kind) for kind in ENGAGEMENT_KINDS}


@dataclass(frozen=True)
class Alliance:
    """The ranking of a period: every department, most engaged first, and who is not reached."""

    start: dt.date
    end: dt.date
    rows: tuple[AllianceRow, ...]
    # Departments no exchange session held in the period reached, in ranking order.
    not_reached: tuple[AllianceRow, ...]

    @property
    def totals(self) -> dict[str, int]:
        """Each count summed over all departments."""
        return {kind: sum(getattr(r, kind) for r in self.rows) for kind in ENGAGEMENT_KINDS}

    @property
    def total_score(self) -> int:
        return sum(r.score for r in self.rows)

    @property
    def on_board(self) -> int:
        """How many departments engaged at least once in the period."""
        return sum(1 for r in self.rows if r.score > 0)


# -- the period ---------------------------------------------------------------------------


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = (following - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve months up to today: from the day after today a year ago, to today."""
    return months_before(today, DEFAULT_MONTHS) + dt.timedelta(days=1), today


def choice_period(choice: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period of a quick choice: last 3 or 12 months, this year so far, last year."""
    if choice == "3m":
        return months_before(today, 3) + dt.timedelta(days=1), today
    if choice == "12m":
        return default_period(today)
    if choice == "year":
        return dt.date(today.year, 1, 1), today
    if choice == "last_year":
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    raise InvalidQuery("choice", msg("Unbekannte Auswahl des Zeitraums „%(name)s“.", name=choice))


def resolve_period(start: Any, end: Any, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period for the given bounds (dates or text "JJJJ-MM-TT" / "TT.MM.JJJJ"; blank: none).

    Without both bounds: the last twelve months up to today. With only `start`: up to today;
    with only `end`: the twelve months up to `end`. Raises InvalidQuery (field "start" or
    "end") for a bound that is no date, an end before the start, or a period over ten years.
    """
    first = _day("start", start)
    last = _day("end", end)
    if first is None and last is None:
        return default_period(today)
    if last is None:
        last = max(today, first) if first is not None else today
    if first is None:
        first = default_period(last)[0]
    return check_period(first, last)


def check_period(start: Any, end: Any) -> tuple[dt.date, dt.date]:
    """The period [start, end] if both are dates, start <= end and it spans at most ten years."""
    first = _day("start", start)
    last = _day("end", end)
    if first is None:
        raise InvalidQuery("start", msg("Bitte den Beginn des Zeitraums („von“) angeben."))
    if last is None:
        raise InvalidQuery("end", msg("Bitte das Ende des Zeitraums („bis“) angeben."))
    if last < first:
        raise InvalidQuery("end", msg("Das Datum „bis“ darf nicht vor dem Datum „von“ liegen."))
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidQuery("end", msg("Der Zeitraum darf höchstens zehn Jahre umfassen."))
    return first, last


def _day(field: str, value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        raise InvalidQuery(field, _bad_date(field))
    if isinstance(value, dt.date):
        return value
    day = parse_day(value.strip()) if isinstance(value, str) else None
    if day is None:
        raise InvalidQuery(field, _bad_date(field))
    return day


def _bad_date(field: str) -> str:
    if field == "start":
        return msg("Bitte für „von“ ein gültiges Datum angeben, z. B. 01.01.2026.")
    return msg("Bitte für „bis“ ein gültiges Datum angeben, z. B. 31.12.2026.")


# -- the ranking ----------------------------------------------------------------------------


def alliance(conn: Connection, start: dt.date, end: dt.date) -> Alliance:
    """Every department with its engagement in [start, end] (both included), ranked.

    Raises InvalidQuery for a period `check_period` refuses.
    """
    start, end = check_period(start, end)
    counted = select(engagement.c.department_id, engagement.c.kind, func.count()).where(
        engagement.c.occurred_on >= start, engagement.c.occurred_on <= end
    )
    counts: dict[UUID, dict[str, int]] = {}
    for department_id, kind, number in conn.execute(
        counted.group_by(engagement.c.department_id, engagement.c.kind)
    ):
        counts.setdefault(department_id, {})[kind] = int(number)
    reached_ever = _reached(conn, None, None)
    reached_now = _reached(conn, start, end)
    everyone = conn.execute(
        select(departments.c.id, departments.c.name, departments.c.short_name, departments.c.kind)
    ).all()
    scored = [
        (d, counts.get(d.id, {}), sum(counts.get(d.id, {}).get(k, 0) for k in ENGAGEMENT_KINDS))
        for d in everyone
    ]
    scored.sort(
        key=lambda item: (-item[2], _name_key(item[0].name), item[0].short_name, str(item[0].id))
    )
    rows: list[AllianceRow] = []
    for position, (d, figures, score) in enumerate(scored, start=1):
        rank = rows[-1].rank if rows and rows[-1].score == score else position
        rows.append(_row(d, figures, score, rank, d.id in reached_now, d.id in reached_ever))
    ranked = tuple(rows)
    return Alliance(
        start=start,
        end=end,
        rows=ranked,
        not_reached=tuple(r for r in ranked if not r.reached_in_period),
    )


def _row(
    d: Any, figures: Mapping[str, int], score: int, rank: int, now: bool, ever: bool
) -> AllianceRow:
    return AllianceRow(
        department_id=d.id,
        name=d.name,
        short_name=d.short_name,
        kind=d.kind,
        **{kind: figures.get(kind, 0) for kind in ENGAGEMENT_KINDS},
        score=score,
        rank=rank,
        reached_in_period=now,
        reached_ever=ever,
    )


def _reached(conn: Connection, start: dt.date | None, end: dt.date | None) -> set[UUID]:
    """Departments that took part in a held exchange session (in [start, end] if given)."""
    query = (
        select(session_departments.c.department_id)
        .distinct()
        .select_from(
            session_departments.join(
                exchange_sessions, exchange_sessions.c.id == session_departments.c.session_id
            )
        )
        .where(session_departments.c.participated.is_(True), exchange_sessions.c.status == "held")
    )
    if start is not None and end is not None:
        held_on = exchange_sessions.c.held_on
        query = query.where(held_on >= start, held_on <= end)
    return set(conn.execute(query).scalars())


def _name_key(name: str) -> str:
    """A name as German lists sort it: case and accents (Ä, ß …) do not come last."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
