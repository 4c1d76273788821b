"""Queries over the read-model tables: idea and measure lists, similar ideas, the dashboard.

Every function takes an open SQLAlchemy Connection and returns the plain records of
`ideation.readmodels.views`. Invalid filter values raise `InvalidQuery` (a ValueError) with a
German message a page can show as it is.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from rapidfuzz import fuzz, process
from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.engine import Connection, Row

from ideation.domain.idea import IDEA_STATUS_LABELS, IdeaStatus
from ideation.domain.measure import MEASURE_STATUS_LABELS, MeasureStatus
from ideation.domain.stages import STAGE_LABELS, STAGE_SEQUENCE
from ideation.domain.working_group import WORKING_GROUP_STATUS_LABELS
from ideation.readmodels.search import (
    STOP_WORDS,
    fold,
    light_stem,
    matching_idea_ids,
    ranked_matches,
    search_terms,
    words,
)
from ideation.readmodels.tables import (
    activity,
    benefits,
    departments,
    idea_supports,
    idea_themes,
    ideas,
    measures,
    people,
    working_groups,
)
from ideation.readmodels.views import (
    BenefitRow,
    Dashboard,
    DepartmentEntry,
    DepartmentRow,
    Funnel,
    FunnelStage,
    IdeaPage,
    IdeaRow,
    MeasureRow,
    PersonRow,
    SimilarIdea,
    ThemeCount,
    WorkingGroupRow,
)

# The stages that end an idea's way, shown after STAGE_SEQUENCE in the funnel.
CLOSED_STAGES = ("rejected", "parked", "merged", "withdrawn", "cancelled")
IDEA_STATUSES = tuple(s.value for s in IdeaStatus)
MEASURE_STATUSES = tuple(s.value for s in MeasureStatus)

DEFAULT_PAGE_SIZE = 20
# How a day may be written: as a date field sends it, or as people in Germany type it.
DAY_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
MAX_PAGE_SIZE = 100

# Sort key → (German name for messages, default direction).
IDEA_SORTS = {
    "updated": ("zuletzt geändert", "desc"),
    "submitted": ("eingereicht", "desc"),
    "title": ("Titel", "asc"),
    "support": ("Mitwirkungen", "desc"),
    "impact": ("Wirkung", "desc"),
    "relevance": ("Relevanz", "desc"),
}
MEASURE_SORTS = ("updated", "planned", "implemented", "title")
DIRECTIONS = ("asc", "desc")

# Similar ideas: how many full-text candidates and recent ideas are scored, at most.
SIMILAR_TEXT_CANDIDATES = 200
SIMILAR_RECENT_CANDIDATES = 100
DEFAULT_MIN_SIMILARITY = 40
# Ideas that live on elsewhere (merged) or were taken back are no duplicates to warn about.
NOT_SIMILAR_STATUSES = ("merged", "withdrawn")


class InvalidQuery(ValueError):
    """A filter, sort key or page value a query cannot use; the message is German."""

    code = "invalid_query"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# -- ideas -------------------------------------------------------------------------


def parse_day(text: str) -> dt.date | None:
    """A day written as 2026-03-04 or 4.3.2026; None if it is neither."""
    for pattern in DAY_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def list_ideas(
    conn: Connection,
    *,
    status: str | Sequence[str] | None = None,
    stage: str | Sequence[str] | None = None,
    department_id: UUID | str | None = None,
    theme: str | None = None,
    quick_win: bool | None = None,
    working_group_id: UUID | str | None = None,
    text: str | None = None,
    sort: str | None = None,
    direction: str | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> IdeaPage:
    """One page of ideas matching every given filter, sorted.

    `status` and `stage` take one value or several (any of them matches); `stage` is the
    visible stage (an accepted idea shows its measure's). `text` is a full-text search over
    title, summary and comments (every word as a prefix); a blank text filters nothing.
    `sort` is "updated", "submitted", "title", "support", "impact" or "relevance" (the
    default with a text, else "updated"); `direction` "asc" or "desc" (default: newest,
    most or best first; titles A–Z). `page_size` above 100 is cut to 100; a page past the
    last one is empty.
    """
    conditions = _idea_conditions(
        status=status,
        stage=stage,
        department_id=department_id,
        theme=None,
        quick_win=quick_win,
        working_group_id=working_group_id,
    )
    theme_size: int | None = None
    if theme is not None:
        name = _theme_name(theme)
        counted = select(func.count()).where(idea_themes.c.theme == name)
        theme_size = conn.execute(counted).scalar_one()
        conditions.append(_with_theme(name, theme_size))
    matches: list[Row[Any]] | None = None
    if text is not None:
        if not isinstance(text, str):
            raise InvalidQuery("text", "Der Suchbegriff muss ein Text sein.")
        if text.strip():
            matches = ranked_matches(conn, text, conditions)
    sort = _check_sort(sort, matches is not None)
    descending = _check_direction(direction, IDEA_SORTS[sort][1]) == "desc"
    page, page_size = check_page(page, page_size)
    offset = (page - 1) * page_size

    if matches is not None:
        total = len(matches)
    elif theme_size is not None and len(conditions) == 1:
        total = theme_size  # the theme is the only filter: its rows count its ideas
    else:
        counted = select(func.count()).select_from(ideas).where(*conditions)
        total = conn.execute(counted).scalar_one()
    if sort in ("title", "relevance"):
        if matches is None:
            matches = list(conn.execute(select(ideas.c.id, ideas.c.title).where(*conditions)))
        page_ids = _sorted_ids(matches, sort, descending, text)[offset : offset + page_size]
        by_id = {r.id: r for r in conn.execute(select(ideas).where(ideas.c.id.in_(page_ids)))}
        rows = [by_id[i] for i in page_ids]
    else:
        if matches is not None:
            conditions = [ideas.c.id.in_([m.id for m in matches])]
        query = select(ideas).where(*conditions).order_by(*_idea_order(sort, descending))
        rows = list(conn.execute(query.offset(offset).limit(page_size)))
    return IdeaPage(
        rows=tuple(idea_rows(conn, rows)),
        total=total,
        page=page,
        page_size=page_size,
        pages=max(1, math.ceil(total / page_size)),
    )


def all_ideas(conn: Connection) -> list[IdeaRow]:
    """Every idea, oldest submission first (for exports and the planner as of a date)."""
    query = select(ideas).order_by(ideas.c.submitted_at, ideas.c.id)
    return idea_rows(conn, list(conn.execute(query)))


def idea_rows(conn: Connection, rows: Sequence[Row[Any]]) -> list[IdeaRow]:
    """Turn rows of the ideas table into IdeaRows, with their themes."""
    themes: dict[UUID, list[str]] = defaultdict(list)
    ids = [r.id for r in rows]
    if ids:
        for idea_id, theme in conn.execute(
            select(idea_themes.c.idea_id, idea_themes.c.theme).where(idea_themes.c.idea_id.in_(ids))
        ):
            themes[idea_id].append(theme)
    return [
        IdeaRow(
            id=r.id,
            version=r.version,
            title=r.title,
            summary=r.summary,
            department_id=r.department_id,
            submitted_by=r.submitted_by,
            status=r.status,
            status_label=IDEA_STATUS_LABELS[IdeaStatus(r.status)],
            stage=r.stage,
            stage_label=STAGE_LABELS[r.stage],
            quick_win=r.quick_win,
            quick_win_overridden=r.quick_win_override is not None,
            impact=r.impact,
            effort=r.effort,
            expected_weeks=r.expected_weeks,
            support_count=r.support_count,
            comment_count=r.comment_count,
            themes=tuple(sorted(themes[r.id], key=_theme_key)),
            working_group_id=r.working_group_id,
            measure_id=r.measure_id,
            merged_into=r.merged_into,
            submitted_at=r.submitted_at,
            updated_at=r.updated_at,
            decided_at=r.decided_at,
        )
        for r in rows
    ]


def list_themes(conn: Connection) -> list[ThemeCount]:
    """Every theme in use with its number of ideas, most used first."""
    count = func.count().label("count")
    rows = conn.execute(select(idea_themes.c.theme, count).group_by(idea_themes.c.theme))
    return sorted(
        (ThemeCount(theme=r.theme, count=r.count) for r in rows),
        key=lambda t: (-t.count, _german_key(t.theme)),
    )


def _idea_conditions(
    *,
    status: str | Sequence[str] | None,
    stage: str | Sequence[str] | None,
    department_id: UUID | str | None,
    theme: str | None,
    quick_win: bool | None,
    working_group_id: UUID | str | None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if status is not None:
        conditions.append(ideas.c.status.in_(_choices("status", status, IDEA_STATUSES)))
    if stage is not None:
        conditions.append(ideas.c.stage.in_(_choices("stage", stage, tuple(STAGE_LABELS))))
    if department_id is not None:
        conditions.append(ideas.c.department_id == _uuid("department_id", department_id))
    if theme is not None:
        conditions.append(_with_theme(_theme_name(theme)))
    if quick_win is not None:
        conditions.append(ideas.c.quick_win.is_(_bool("quick_win", quick_win, "Quick Win")))
    if working_group_id is not None:
        conditions.append(ideas.c.working_group_id == _uuid("working_group_id", working_group_id))
    return conditions


def _theme_name(theme: Any) -> str:
    if not isinstance(theme, str) or not theme.strip():
        raise InvalidQuery("theme", "Bitte ein Thema angeben.")
    return theme.strip()


# From this many ideas on, a theme's page is found sooner by walking the ideas in list order
# and probing each one's themes than by sorting all of the theme's ideas first; SQLite keeps
# no statistics to choose between the two by itself (B3, issue 9).
THEME_WALK_FROM = 500


def _with_theme(name: str, size: int | None = None) -> ColumnElement[bool]:
    """The condition "has this theme", shaped for a theme of `size` ideas (if known)."""
    if size is not None and size >= THEME_WALK_FROM:
        return exists().where(idea_themes.c.idea_id == ideas.c.id, idea_themes.c.theme == name)
    return ideas.c.id.in_(select(idea_themes.c.idea_id).where(idea_themes.c.theme == name))


def _check_sort(sort: str | None, has_text: bool) -> str:
    if sort is None:
        return "relevance" if has_text else "updated"
    if sort not in IDEA_SORTS:
        names = ", ".join(f"„{k}“ ({name})" for k, (name, _) in IDEA_SORTS.items())
        raise InvalidQuery("sort", f"Unbekannte Sortierung „{sort}“. Möglich sind: {names}.")
    if sort == "relevance" and not has_text:
        return "updated"  # relevance needs a search text; without one the newest come first
    return sort


def _check_direction(direction: str | None, default: str) -> str:
    if direction is None:
        return default
    if direction not in DIRECTIONS:
        raise InvalidQuery(
            "direction", "Die Sortierrichtung muss „asc“ (aufsteigend) oder „desc“ sein."
        )
    return direction


def check_page(page: int, page_size: int) -> tuple[int, int]:
    """Return (page, page size cut to 100), or raise InvalidQuery."""
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise InvalidQuery("page", "Die Seitenzahl muss eine ganze Zahl ab 1 sein.")
    if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
        raise InvalidQuery("page_size", "Die Seitengröße muss eine ganze Zahl ab 1 sein.")
    return page, min(page_size, MAX_PAGE_SIZE)


def _idea_order(sort: str, descending: bool) -> list[Any]:
    column = {
        "updated": ideas.c.updated_at,
        "submitted": ideas.c.submitted_at,
        "support": ideas.c.support_count,
        "impact": ideas.c.impact,
    }[sort]
    primary = column.desc() if descending else column.asc()
    # Only impact can be empty. NULLS LAST on a column that is never empty would keep
    # PostgreSQL from reading its index in order (its DESC puts NULLs first).
    order = [primary.nulls_last() if column.nullable else primary]
    if sort in ("support", "impact"):
        order.append(ideas.c.updated_at.desc())
    order.append(ideas.c.id.desc() if descending else ideas.c.id.asc())
    return order


def _sorted_ids(
    matches: Sequence[Row[Any]], sort: str, descending: bool, query: str | None
) -> list[UUID]:
    """Ids of (id, title) rows in German title order (ä with a, ß as ss) or by search rank.

    By rank (the rows come best first), ideas whose title holds more of the query's words
    come first: a person searching for words of a title expects that idea on top, even if a
    longer text mentions them more often.
    """
    rows = list(matches)
    if sort == "title":
        rows.sort(key=lambda r: (_german_key(r.title), r.title, r.id), reverse=descending)
        return [r.id for r in rows]
    # A stem is in a title if a folded word of the title starts with it.
    stems = [
        re.compile(r"(?<![^\W_])" + re.escape(light_stem(t))) for t in search_terms(query or "")
    ]

    def title_hits(title: str) -> int:
        folded = fold(title)
        return sum(1 for stem in stems if stem.search(folded))

    rows.sort(key=lambda r: -title_hits(r.title))  # stable: equal hits keep their rank
    ranked = [r.id for r in rows]
    return ranked if descending else ranked[::-1]


# -- measures ------------------------------------------------------------------------


def list_measures(
    conn: Connection,
    *,
    stage: str | Sequence[str] | None = None,
    owner_department_id: UUID | str | None = None,
    quick_win: bool | None = None,
    working_group_id: UUID | str | None = None,
    blocked: bool | None = None,
    sort: str = "updated",
    limit: int | None = None,
) -> list[MeasureRow]:
    """Measures matching every given filter, with their benefits.

    `stage` is a measure status ("planned", "in_progress", "implemented", "cancelled"), one
    or several. `sort` is "updated", "planned", "implemented" (newest first) or "title".
    """
    conditions: list[ColumnElement[bool]] = []
    if stage is not None:
        conditions.append(measures.c.status.in_(_choices("stage", stage, MEASURE_STATUSES)))
    if owner_department_id is not None:
        conditions.append(
            measures.c.owner_department_id == _uuid("owner_department_id", owner_department_id)
        )
    if quick_win is not None:
        conditions.append(measures.c.quick_win.is_(_bool("quick_win", quick_win, "Quick Win")))
    if working_group_id is not None:
        conditions.append(
            measures.c.working_group_id == _uuid("working_group_id", working_group_id)
        )
    if blocked is not None:
        conditions.append(measures.c.blocked.is_(_bool("blocked", blocked, "Blockiert")))
    if sort not in MEASURE_SORTS:
        raise InvalidQuery(
            "sort",
            f"Unbekannte Sortierung „{sort}“. Möglich sind: " + ", ".join(MEASURE_SORTS) + ".",
        )
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise InvalidQuery("limit", "Die Anzahl muss eine ganze Zahl ab 0 sein.")
    query = select(measures).where(*conditions)
    if sort == "title":
        rows = sorted(conn.execute(query), key=lambda r: (_german_key(r.title), r.id))
        return measure_rows(conn, rows[:limit] if limit is not None else rows)
    column = {
        "updated": measures.c.updated_at,
        "planned": measures.c.planned_at,
        "implemented": measures.c.implemented_at,
    }[sort]
    query = query.order_by(column.desc().nulls_last(), measures.c.id)
    if limit is not None:
        query = query.limit(limit)
    return measure_rows(conn, list(conn.execute(query)))


def measure_rows(conn: Connection, rows: Sequence[Row[Any]]) -> list[MeasureRow]:
    """Turn rows of the measures table into MeasureRows, with their benefits."""
    found: dict[UUID, list[BenefitRow]] = defaultdict(list)
    ids = [r.id for r in rows]
    if ids:
        query = (
            select(benefits)
            .where(benefits.c.measure_id.in_(ids))
            .order_by(benefits.c.measure_id, benefits.c.version)
        )
        for b in conn.execute(query):
            found[b.measure_id].append(
                BenefitRow(
                    department_id=b.department_id,
                    description=b.description,
                    recorded_at=b.recorded_at,
                )
            )
    return [
        MeasureRow(
            id=r.id,
            version=r.version,
            idea_id=r.idea_id,
            title=r.title,
            working_group_id=r.working_group_id,
            owner_department_id=r.owner_department_id,
            quick_win=r.quick_win,
            status=r.status,
            status_label=MEASURE_STATUS_LABELS[MeasureStatus(r.status)],
            progress=r.progress,
            blocked=r.blocked,
            goals_count=r.goals_count,
            next_milestone_title=r.next_milestone_title,
            next_milestone_due=r.next_milestone_due,
            implemented_on=r.implemented_on,
            implemented_at=r.implemented_at,
            planned_at=r.planned_at,
            updated_at=r.updated_at,
            benefits=tuple(found[r.id]),
        )
        for r in rows
    ]


# -- working groups and departments ----------------------------------------------------


def list_working_groups(
    conn: Connection, *, include_dissolved: bool = True
) -> list[WorkingGroupRow]:
    """Working groups by name, with the ideas they refine now and the measures they run."""
    open_ideas = _counts(
        conn,
        ideas.c.working_group_id,
        ideas.c.status == IdeaStatus.IN_WORKING_GROUP.value,
    )
    running = _counts(
        conn,
        measures.c.working_group_id,
        measures.c.status.in_([MeasureStatus.PLANNED.value, MeasureStatus.IN_PROGRESS.value]),
    )
    query = select(working_groups)
    if not _bool("include_dissolved", include_dissolved, "Aufgelöste Gruppen"):
        query = query.where(working_groups.c.status == "active")
    groups = [
        WorkingGroupRow(
            id=g.id,
            version=g.version,
            name=g.name,
            lead_department_id=g.lead_department_id,
            status=g.status,
            status_label=WORKING_GROUP_STATUS_LABELS.get(g.status, g.status),
            members_count=g.members_count,
            open_ideas=open_ideas.get(g.id, 0),
            running_measures=running.get(g.id, 0),
            formed_at=g.formed_at,
        )
        for g in conn.execute(query)
    ]
    return sorted(groups, key=lambda g: (_german_key(g.name), g.id))


def list_departments(conn: Connection) -> list[DepartmentRow]:
    """Departments by name, each with ideas submitted, supports pledged, measures owned and
    benefits received (support pledges count while they stand; a withdrawn one does not)."""
    submitted = _counts(conn, ideas.c.department_id)
    pledged = _counts(conn, idea_supports.c.department_id)
    owned = _counts(conn, measures.c.owner_department_id)
    received = _counts(conn, benefits.c.department_id)
    rows = [
        DepartmentRow(
            id=d.id,
            name=d.name,
            short_name=d.short_name,
            kind=d.kind,
            ideas_submitted=submitted.get(d.id, 0),
            supports_pledged=pledged.get(d.id, 0),
            measures_owned=owned.get(d.id, 0),
            benefits_received=received.get(d.id, 0),
        )
        for d in conn.execute(select(departments))
    ]
    return sorted(rows, key=lambda d: (_german_key(d.name), d.id))


def department_entries(conn: Connection) -> list[DepartmentEntry]:
    """Departments by name: names and kind only, one query (for names next to ids)."""
    rows = [
        DepartmentEntry(id=d.id, name=d.name, short_name=d.short_name, kind=d.kind)
        for d in conn.execute(
            select(
                departments.c.id, departments.c.name, departments.c.short_name, departments.c.kind
            )
        )
    ]
    return sorted(rows, key=lambda d: (_german_key(d.name), d.id))


def _counts(conn: Connection, column: Any, *conditions: ColumnElement[bool]) -> dict[UUID, int]:
    query = select(column, func.count()).where(column.is_not(None), *conditions).group_by(column)
    return {row[0]: row[1] for row in conn.execute(query)}


# -- dashboard ------------------------------------------------------------------------------


def funnel(conn: Connection) -> Funnel:
    """Ideas per visible stage: submitted … implemented, then the closed stages."""
    query = select(ideas.c.stage, func.count()).group_by(ideas.c.stage)
    counts = {row[0]: row[1] for row in conn.execute(query)}
    return Funnel(
        stages=tuple(
            FunnelStage(
                stage=stage,
                label=STAGE_LABELS[stage],
                count=counts.get(stage, 0),
                closed=stage in CLOSED_STAGES,
            )
            for stage in (*STAGE_SEQUENCE, *CLOSED_STAGES)
        )
    )


def dashboard(conn: Connection, *, latest: int = 5) -> Dashboard:
    """The dashboard: funnel, quick wins, median durations and per-department figures.

    Days to decision run from submission to the first decision (accepted, rejected, parked
    or merged); days to implementation from the acceptance to the measure's implementation.
    """
    if isinstance(latest, bool) or not isinstance(latest, int) or latest < 0:
        raise InvalidQuery("latest", "Die Anzahl der neuesten Quick Wins muss ab 0 sein.")
    quick_wins = and_(
        measures.c.quick_win.is_(True), measures.c.status == MeasureStatus.IMPLEMENTED.value
    )
    implemented_count = conn.execute(
        select(func.count()).select_from(measures).where(quick_wins)
    ).scalar_one()
    latest_rows = list(
        conn.execute(
            select(measures)
            .where(quick_wins)
            .order_by(measures.c.implemented_at.desc(), measures.c.id)
            .limit(latest)
        )
    )
    to_decision = _days(
        conn.execute(
            select(ideas.c.submitted_at, ideas.c.decided_at).where(ideas.c.decided_at.is_not(None))
        )
    )
    accepted_at = (
        select(activity.c.aggregate_id, func.min(activity.c.occurred_at).label("at"))
        .where(activity.c.event_type == "Idea.Accepted")
        .group_by(activity.c.aggregate_id)
        .subquery()
    )
    to_implementation = _days(
        conn.execute(
            select(
                func.coalesce(accepted_at.c.at, measures.c.planned_at), measures.c.implemented_at
            )
            .select_from(
                measures.outerjoin(accepted_at, accepted_at.c.aggregate_id == measures.c.idea_id)
            )
            .where(measures.c.implemented_at.is_not(None))
        )
    )
    return Dashboard(
        funnel=funnel(conn),
        quick_wins_implemented=implemented_count,
        latest_quick_wins=tuple(measure_rows(conn, latest_rows)),
        median_days_to_decision=_median(to_decision),
        decisions_counted=len(to_decision),
        median_days_to_implementation=_median(to_implementation),
        implementations_counted=len(to_implementation),
        departments=tuple(list_departments(conn)),
    )


def _days(spans: Iterable[Any]) -> list[float]:
    result = []
    for start, end in spans:
        start, end = _aware(start), _aware(end)
        result.append((end - start).total_seconds() / 86400)
    return result


def _aware(moment: dt.datetime) -> dt.datetime:
    # Raw SQL expressions (coalesce) bypass the UTC column type on SQLite: naive means UTC.
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


# -- similar ideas -----------------------------------------------------------------------


def similar_ideas(
    conn: Connection,
    title: str,
    summary: str = "",
    *,
    limit: int = 5,
    min_score: int = DEFAULT_MIN_SIMILARITY,
    exclude_idea_id: UUID | None = None,
) -> list[SimilarIdea]:
    """Existing ideas resembling a draft ("Ähnliche Ideen"), most similar first.

    Candidates are the ideas sharing a word with the draft (full-text index, best 200) plus
    the 100 most recently changed ones; each is scored 0–100 by `Similarity`. Merged and
    withdrawn ideas are left out, and so is `exclude_idea_id` (the idea being edited).
    """
    if not isinstance(title, str) or not isinstance(summary, str):
        raise InvalidQuery("title", "Titel und Kurzbeschreibung müssen Texte sein.")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidQuery("limit", "Die Anzahl muss eine ganze Zahl ab 1 sein.")
    if isinstance(min_score, bool) or not isinstance(min_score, int | float):
        raise InvalidQuery("min_score", "Die Mindestähnlichkeit muss eine Zahl sein.")
    draft = Similarity(title, summary)
    if not draft.words:
        return []
    content_words = " ".join(w for w in words(f"{title} {summary}") if w not in STOP_WORDS)
    candidates = matching_idea_ids(conn, content_words, any_term=True)[:SIMILAR_TEXT_CANDIDATES]
    recent = conn.execute(
        select(ideas.c.id)
        .where(ideas.c.status.not_in(NOT_SIMILAR_STATUSES))
        .order_by(ideas.c.updated_at.desc())
        .limit(SIMILAR_RECENT_CANDIDATES)
    ).scalars()
    ids = set(candidates) | set(recent)
    if exclude_idea_id is not None:
        ids.discard(exclude_idea_id)
    if not ids:
        return []
    rows = conn.execute(
        select(ideas.c.id, ideas.c.title, ideas.c.summary, ideas.c.stage, ideas.c.updated_at).where(
            ideas.c.id.in_(ids), ideas.c.status.not_in(NOT_SIMILAR_STATUSES)
        )
    )
    prepared = [(r, draft.prepare(r.title), draft.prepare(f"{r.title} {r.summary}")) for r in rows]
    draft.learn(w for _, _, idea_words in prepared for w in idea_words)
    scored = []
    for r, idea_title, idea_words in prepared:
        score = round(draft.score_words(idea_title, idea_words))
        if score >= min_score:
            scored.append((score, r))
    scored.sort(key=lambda item: (-item[0], -item[1].updated_at.timestamp(), str(item[1].id)))
    return [
        SimilarIdea(
            id=r.id,
            title=r.title,
            summary=r.summary,
            stage=r.stage,
            stage_label=STAGE_LABELS[r.stage],
            score=score,
        )
        for score, r in scored[:limit]
    ]


class Similarity:
    """How much an idea resembles a draft, from 0 (nothing in common) to 100 (the same words).

    Both texts become folded, lightly stemmed words without function words. Two words are
    compared with rapidfuzz's `ratio` (and, from five letters on, `partial_ratio` at 90 %,
    so "Parkplatzsensoren" shares something with "Sensoren"); a pair counts from 60 and
    fully at 100. The score is the mean of three fuzzy word-set figures: the titles' Dice
    coefficient, the whole texts' Dice coefficient, and how much of the draft the idea
    covers (so a short draft is not outweighed by a long summary).

    Word pairs are scored once per draft, in rapidfuzz's batch functions, and kept sparse
    (only pairs above the floor), so scoring hundreds of candidates stays cheap.
    """

    MAX_WORDS = 60
    FLOOR = 60.0
    PARTIAL_FROM = 5
    PARTIAL_WEIGHT = 0.9

    def __init__(self, title: str, summary: str = "") -> None:
        self.title_words = self.prepare(title)
        self.words = self.prepare(f"{title} {summary}")
        # idea word → {draft word: credit in (0, 1]} for the pairs above the floor
        self._credits: dict[str, dict[str, float]] = {}

    @classmethod
    def prepare(cls, value: str) -> list[str]:
        """Distinct folded, lightly stemmed content words, at most MAX_WORDS."""
        prepared = (light_stem(w) for w in words(value) if w not in STOP_WORDS and len(w) >= 2)
        return list(dict.fromkeys(prepared))[: cls.MAX_WORDS]

    def learn(self, idea_words: Iterable[str]) -> None:
        """Score the draft's words against idea words not seen yet (one batch per word)."""
        new = [w for w in dict.fromkeys(idea_words) if w not in self._credits]
        if not new:
            return
        for word in new:
            self._credits[word] = {}
        long_words = [w for w in new if len(w) >= self.PARTIAL_FROM]
        for a in self.words:
            best = {
                b: score
                for b, score, _ in process.extract(
                    a, new, scorer=fuzz.ratio, score_cutoff=self.FLOOR, limit=None
                )
            }
            if len(a) >= self.PARTIAL_FROM and long_words:
                for b, score, _ in process.extract(
                    a,
                    long_words,
                    scorer=fuzz.partial_ratio,
                    score_cutoff=self.FLOOR / self.PARTIAL_WEIGHT,
                    limit=None,
                ):
                    best[b] = max(best.get(b, 0.0), self.PARTIAL_WEIGHT * score)
            for b, score in best.items():
                if score > self.FLOOR:
                    self._credits[b][a] = (score - self.FLOOR) / (100 - self.FLOOR)

    def score(self, title: str, summary: str) -> float:
        """Score an idea's title and summary against the draft."""
        return self.score_words(self.prepare(title), self.prepare(f"{title} {summary}"))

    def score_words(self, idea_title: list[str], idea_words: list[str]) -> float:
        """Score prepared idea words (see `prepare`) against the draft."""
        if not self.words or not idea_words:
            return 0.0
        self.learn(idea_words)
        title_forward, title_backward = self._matches(
            self.title_words or self.words, idea_title or idea_words
        )
        forward, backward = self._matches(self.words, idea_words)
        title_dice = (title_forward + title_backward) / (
            len(self.title_words or self.words) + len(idea_title or idea_words)
        )
        dice = (forward + backward) / (len(self.words) + len(idea_words))
        coverage = forward / len(self.words)
        return 100 * (title_dice + dice + coverage) / 3

    def _matches(self, draft: list[str], idea: list[str]) -> tuple[float, float]:
        """(Sum of each draft word's best credit, sum of each idea word's best credit)."""
        wanted = set(draft)
        best_for_draft: dict[str, float] = {}
        backward = 0.0
        for b in idea:
            best = 0.0
            for a, credit in self._credits[b].items():
                if a in wanted:
                    best = max(best, credit)
                    if credit > best_for_draft.get(a, 0.0):
                        best_for_draft[a] = credit
            backward += best
        return sum(best_for_draft.values()), backward


# -- checks and helpers ---------------------------------------------------------------


_FIELD_NAMES = {
    "status": "Status",
    "stage": "Phase",
    "department_id": "Fachbereich",
    "owner_department_id": "Fachbereich",
    "working_group_id": "Arbeitsgruppe",
}


def _choices(field: str, value: str | Sequence[str], allowed: Sequence[str]) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list | tuple | set | frozenset) or not values:
        raise InvalidQuery(field, f"Bitte mindestens einen Wert für „{_FIELD_NAMES[field]}“.")
    for item in values:
        if item not in allowed:
            raise InvalidQuery(
                field,
                f"Unbekannter Wert „{item}“ für „{_FIELD_NAMES[field]}“. "
                f"Möglich sind: {', '.join(allowed)}.",
            )
    return [str(v) for v in values]


def _uuid(field: str, value: UUID | str) -> UUID:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        raise InvalidQuery(
            field, f"„{value}“ ist keine gültige Kennung für „{_FIELD_NAMES[field]}“."
        ) from None


def _bool(field: str, value: object, label: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidQuery(field, f"„{label}“ muss ja oder nein sein.")
    return value


def _german_key(value: str) -> str:
    """Sort key for German text: case-insensitive, ä with a, ß as ss."""
    return fold(value)


# A city uses a few dozen themes, and every listed idea sorts its own: fold each name once.
_theme_key = functools.lru_cache(maxsize=1024)(_german_key)


def list_people(conn: Connection) -> list[PersonRow]:
    """Every person with department, roles and active flag."""
    return [
        PersonRow(
            id=row.id,
            version=row.version,
            department_id=row.department_id,
            active=row.active,
            roles=tuple(row.roles.split()),
        )
        for row in conn.execute(select(people).order_by(people.c.id))
    ]


def count_active_admins(conn: Connection) -> int:
    """How many active people hold the admin role."""
    return sum(1 for person in list_people(conn) if person.active and "admin" in person.roles)


def ideas_after(
    conn: Connection,
    *,
    after: tuple[dt.datetime, UUID] | None,
    limit: int,
    status: str | Sequence[str] | None = None,
    stage: str | Sequence[str] | None = None,
    department_id: UUID | str | None = None,
    quick_win: bool | None = None,
    working_group_id: UUID | str | None = None,
    text: str | None = None,
) -> list[IdeaRow]:
    """Up to `limit` ideas in submission order after the key (submitted_at, id) of the last one.

    A key set cursor: ideas submitted meanwhile come at the end, so paging never skips or
    repeats one. The filters are those of `list_ideas`; `text` keeps the matches only.
    """
    conditions = _idea_conditions(
        status=status,
        stage=stage,
        department_id=department_id,
        theme=None,
        quick_win=quick_win,
        working_group_id=working_group_id,
    )
    if text is not None and text.strip():
        conditions.append(ideas.c.id.in_(matching_idea_ids(conn, text)))
    if after is not None:
        moment, last_id = after
        conditions.append(
            or_(
                ideas.c.submitted_at > moment,
                and_(ideas.c.submitted_at == moment, ideas.c.id > last_id),
            )
        )
    query = (
        select(ideas)
        .where(*conditions)
        .order_by(ideas.c.submitted_at, ideas.c.id)
        .limit(max(1, min(limit, 1000)))
    )
    return idea_rows(conn, list(conn.execute(query)))
