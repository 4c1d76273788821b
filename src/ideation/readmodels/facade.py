"""The read side as one object: the projector that keeps tables current, and the queries."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from ideation.readmodels import alliance as alliance_ranking
from ideation.readmodels import (
    asof,
    audit,
    chain,
    exchange,
    feeds,
    politics,
    queries,
    tasks,
    values,
)
from ideation.readmodels.projector import CatchUpResult, Projector
from ideation.readmodels.views import (
    ActivityRow,
    AuditPage,
    AuditRow,
    ChainHead,
    ChainVerification,
    Dashboard,
    DecisionRow,
    DepartmentEntry,
    DepartmentRow,
    Funnel,
    IdeaPage,
    IdeaRow,
    MeasureRow,
    MyTasks,
    PersonRow,
    PlannerAsOf,
    SimilarIdea,
    TaskList,
    ThemeCount,
    WorkingGroupRow,
)

logger = logging.getLogger(__name__)

CATCH_UP_ATTEMPTS = 3
MAX_KEPT_BRIEFINGS = 32


class ReadModels:
    """Read-model tables, kept current by `projector`, read through `engine`.

    Every query first catches up if the log moved on (read your writes in embedded mode),
    then reads in one transaction, so the figures of one answer agree with each other.
    Invalid filter values raise `queries.InvalidQuery` (a ValueError with a German message).
    """

    def __init__(self, projector: Projector, engine: Engine) -> None:
        self.projector = projector
        self.engine = engine
        # Briefings of held rounds, by (round, moment): replayed once, then kept.
        self._briefings: dict[tuple[UUID, dt.datetime], politics.Briefing | None] = {}
        self._briefings_lock = threading.Lock()

    def catch_up(self) -> CatchUpResult | None:
        """Apply what is new; a busy database is retried, then left to the next caller.

        The events are already stored when this runs, so a failure here must not turn a
        successful command into an error: the next command, query or worker catches up.
        """
        for attempt in range(1, CATCH_UP_ATTEMPTS + 1):
            try:
                return self.projector.catch_up()
            except OperationalError:
                logger.warning("read models busy (attempt %d); will catch up later", attempt)
                time.sleep(0.05 * attempt)
        return None

    def catch_up_if_behind(self) -> None:
        """Catch up only when the log has moved past the tracking position (cheap check)."""
        if self.projector.is_behind():
            self.catch_up()

    # -- queries -------------------------------------------------------------------

    def list_ideas(
        self,
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
        page_size: int = queries.DEFAULT_PAGE_SIZE,
    ) -> IdeaPage:
        """One page of ideas; see `queries.list_ideas` for filters and sort keys."""
        with self._reading() as conn:
            return queries.list_ideas(
                conn,
                status=status,
                stage=stage,
                department_id=department_id,
                theme=theme,
                quick_win=quick_win,
                working_group_id=working_group_id,
                text=text,
                sort=sort,
                direction=direction,
                page=page,
                page_size=page_size,
            )

    def ideas_after(
        self,
        *,
        after: tuple[dt.datetime, UUID] | None = None,
        limit: int = 50,
        **filters: Any,
    ) -> list[IdeaRow]:
        """Ideas in submission order after a cursor key; see `queries.ideas_after`."""
        with self._reading() as conn:
            return queries.ideas_after(conn, after=after, limit=limit, **filters)

    def department_values(self, department_id: UUID, **options: Any) -> Any:
        """The benefits recorded for a department, with their measures (`values`)."""
        with self._reading() as conn:
            return values.department_values(conn, department_id, **options)

    def feed_entries(self, **options: Any) -> Any:
        """New ideas, decisions and implemented quick wins for feeds and the digest (`feeds`)."""
        with self._reading() as conn:
            return feeds.feed_entries(conn, **options)

    def search_ideas(
        self, text: str, *, page: int = 1, page_size: int = queries.DEFAULT_PAGE_SIZE
    ) -> IdeaPage:
        """Full-text search over titles, summaries and comments, best match first.

        A query without words (empty, only punctuation) finds nothing.
        """
        if isinstance(text, str) and not text.strip():
            page, page_size = queries.check_page(page, page_size)
            return IdeaPage(rows=(), total=0, page=page, page_size=page_size, pages=1)
        return self.list_ideas(text=text, sort="relevance", page=page, page_size=page_size)

    def list_themes(self) -> list[ThemeCount]:
        """Every theme in use with its number of ideas, most used first."""
        with self._reading() as conn:
            return queries.list_themes(conn)

    def list_measures(
        self,
        *,
        stage: str | Sequence[str] | None = None,
        owner_department_id: UUID | str | None = None,
        quick_win: bool | None = None,
        working_group_id: UUID | str | None = None,
        blocked: bool | None = None,
        sort: str = "updated",
        limit: int | None = None,
    ) -> list[MeasureRow]:
        """Measures with their benefits; see `queries.list_measures`."""
        with self._reading() as conn:
            return queries.list_measures(
                conn,
                stage=stage,
                owner_department_id=owner_department_id,
                quick_win=quick_win,
                working_group_id=working_group_id,
                blocked=blocked,
                sort=sort,
                limit=limit,
            )

    def list_working_groups(self, *, include_dissolved: bool = True) -> list[WorkingGroupRow]:
        """Working groups by name with open ideas and running measures."""
        with self._reading() as conn:
            return queries.list_working_groups(conn, include_dissolved=include_dissolved)

    def list_departments(self) -> list[DepartmentRow]:
        """Departments by name with ideas, supports, measures and benefits counted."""
        with self._reading() as conn:
            return queries.list_departments(conn)

    def department_entries(self) -> list[DepartmentEntry]:
        """Departments by name: names and kind, without figures (one query)."""
        with self._reading() as conn:
            return queries.department_entries(conn)

    def list_people(self) -> list[PersonRow]:
        """Every person with department, roles and active flag (names: see the directory)."""
        with self._reading() as conn:
            return queries.list_people(conn)

    def count_active_admins(self) -> int:
        """How many active people hold the admin role."""
        with self._reading() as conn:
            return queries.count_active_admins(conn)

    def funnel(self) -> Funnel:
        """Ideas per visible stage."""
        with self._reading() as conn:
            return queries.funnel(conn)

    def dashboard(self, *, latest: int = 5) -> Dashboard:
        """Funnel, quick wins (the `latest` implemented ones), medians, department figures."""
        with self._reading() as conn:
            return queries.dashboard(conn, latest=latest)

    def recent_activity(
        self, limit: int = 10, *, aggregate_types: Sequence[str] | None = None
    ) -> list[ActivityRow]:
        """The latest recorded steps, newest first (see `tasks.recent_activity`).

        `aggregate_types` keeps only steps on those kinds of objects, e.g.
        `tasks.WORK_AGGREGATE_TYPES` ("Idea", "Measure", "WorkingGroup").
        """
        with self._reading() as conn:
            return tasks.recent_activity(conn, limit=limit, aggregate_types=aggregate_types)

    def latest_decisions(self, limit: int = tasks.DEFAULT_TASK_LIMIT) -> TaskList[DecisionRow]:
        """The latest decisions on ideas with their reasons, newest first."""
        with self._reading() as conn:
            return tasks.latest_decisions(conn, limit=limit)

    def working_group_ids_of(self, person_id: UUID) -> tuple[UUID, ...]:
        """The working groups the person belongs to now."""
        with self._reading() as conn:
            return tasks.working_group_ids_of(conn, person_id)

    def my_tasks(
        self,
        *,
        person_id: UUID,
        department_id: UUID,
        roles: Iterable[str],
        today: dt.date,
        group_ids: Iterable[UUID] | None = None,
        limit: int = tasks.DEFAULT_TASK_LIMIT,
    ) -> MyTasks:
        """What waits for the person in each role they hold ("Meine Aufgaben").

        `group_ids` default to the groups the person belongs to; see `tasks.my_tasks`.
        """
        with self._reading() as conn:
            return tasks.my_tasks(
                conn,
                person_id=person_id,
                department_id=department_id,
                roles=roles,
                today=today,
                group_ids=group_ids,
                limit=limit,
            )

    def similar_ideas(
        self,
        title: str,
        summary: str = "",
        *,
        limit: int = 5,
        min_score: int = queries.DEFAULT_MIN_SIMILARITY,
        exclude_idea_id: UUID | None = None,
    ) -> list[SimilarIdea]:
        """Existing ideas resembling a draft, most similar first ("Ähnliche Ideen")."""
        with self._reading() as conn:
            return queries.similar_ideas(
                conn,
                title,
                summary,
                limit=limit,
                min_score=min_score,
                exclude_idea_id=exclude_idea_id,
            )

    def chain_head(self) -> ChainHead:
        """The hash chain's newest link with its position and event time (tamper evidence).

        Print it on exports and reports: an auditor who keeps it outside the system can later
        check with `verify_chain(expected=…)` that nothing up to it was changed.
        """
        with self._reading() as conn:
            return chain.chain_head(conn)

    def verify_chain(
        self,
        *,
        expected: tuple[int, str] | None = None,
        batch_size: int = chain.DEFAULT_BATCH_SIZE,
        progress: chain.Progress | None = None,
    ) -> ChainVerification:
        """Recompute the hash chain from the event table; name the first position that differs.

        `expected` is a kept (position, link hex) to compare the recomputed chain with;
        `progress(position, head)` is called after every `batch_size` records.
        See `chain.verify_chain`.

        It first tries to chain what is new, but verifies the stored chain even if that
        fails: a tampered store may be one the projector can no longer follow.
        """
        try:
            self.catch_up_if_behind()
        except Exception:  # the stored chain can still be verified; the error is logged
            logger.exception("catching up before verifying the hash chain failed")
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                return chain.verify_chain(
                    conn,
                    self.projector.recorder,
                    expected=expected,
                    batch_size=batch_size,
                    progress=progress,
                )

    def planner_as_of(self, moment: dt.datetime) -> PlannerAsOf:
        """The funnel and every idea as they were at `moment`, replayed from the events.

        Replays the whole log up to the moment (see `asof.planner_as_of` for the cost).
        """
        return asof.planner_as_of(self.projector, moment)

    # -- audit log and decision register (readmodels/audit.py) ----------------------------

    def audit_log(
        self,
        filters: audit.FilterInput = None,
        *,
        page: int = 1,
        page_size: int = audit.DEFAULT_AUDIT_PAGE_SIZE,
        newest_first: bool = False,
    ) -> AuditPage:
        """One page of every recorded event, in commit order (or newest first).

        `filters` is an `audit.AuditFilter` or a mapping of its field names to raw values
        (text from a form is checked; bad values raise `queries.InvalidQuery`).
        """
        checked = audit.audit_filter(filters)
        with self._reading() as conn:
            return audit.audit_page(
                conn, checked, page=page, page_size=page_size, newest_first=newest_first
            )

    def decision_register(
        self,
        filters: audit.FilterInput = None,
        *,
        page: int = 1,
        page_size: int = audit.DEFAULT_AUDIT_PAGE_SIZE,
        newest_first: bool = False,
    ) -> AuditPage:
        """One page of decisions and recommendations (`audit.DECISION_EVENT_TYPES`)."""
        checked = audit.audit_filter(filters, decisions=True)
        with self._reading() as conn:
            return audit.audit_page(
                conn,
                checked,
                decisions=True,
                page=page,
                page_size=page_size,
                newest_first=newest_first,
            )

    def iter_audit_log(
        self,
        filters: audit.FilterInput = None,
        *,
        newest_first: bool = False,
        batch_size: int = audit.DEFAULT_BATCH_SIZE,
    ) -> Iterator[AuditRow]:
        """Every matching event, for an export: checked now, read lazily in batches.

        The filters are checked before this returns (bad ones raise `InvalidQuery` at once);
        the rows are read in batches of `batch_size`, each in its own short transaction, up
        to the last position when this was called.
        """
        checked = audit.audit_filter(filters)
        return self._stream(checked, False, newest_first, batch_size)

    def iter_decision_register(
        self,
        filters: audit.FilterInput = None,
        *,
        newest_first: bool = False,
        batch_size: int = audit.DEFAULT_BATCH_SIZE,
    ) -> Iterator[AuditRow]:
        """Every matching decision and recommendation, for an export (see `iter_audit_log`)."""
        checked = audit.audit_filter(filters, decisions=True)
        return self._stream(checked, True, newest_first, batch_size)

    def audit_rows_after(self, position: int = 0, limit: int = 50) -> list[AuditRow]:
        """At most `limit` events after the log position `position`, in commit order.

        The events feed for other systems (`audit.audit_rows_after`): ask again with the
        last position seen; bad values raise `queries.InvalidQuery`.
        """
        with self._reading() as conn:
            return audit.audit_rows_after(conn, position, limit)

    # -- issue 8: exchange formats and digital pilots ------------------------------

    def list_exchange_sessions(
        self, *, kind: str | None = None, status: str | None = None
    ) -> list[exchange.SessionRow]:
        """Exchange format sessions with their counts, newest first (`exchange`)."""
        with self._reading() as conn:
            return exchange.list_sessions(conn, kind=kind, status=status)

    def exchange_session_row(self, session_id: UUID) -> exchange.SessionRow | None:
        """One session with its counts, or None (`exchange`)."""
        with self._reading() as conn:
            return exchange.get_session_row(conn, session_id)

    def exchange_calendar(
        self, *, kind: str | None = None, today: dt.date | None = None
    ) -> exchange.SessionCalendar:
        """Upcoming and past sessions grouped by month (`exchange`)."""
        with self._reading() as conn:
            return exchange.session_calendar(conn, kind=kind, today=today)

    def exchange_figures(self) -> exchange.ExchangeFigures:
        """Per kind of format: sessions held, departments reached, ideas, measures (`exchange`)."""
        with self._reading() as conn:
            return exchange.exchange_figures(conn)

    def exchange_session_ideas(self, session_id: UUID) -> list[exchange.SessionIdea]:
        """The ideas that came from one session, with their measures (`exchange`)."""
        with self._reading() as conn:
            return exchange.session_ideas(conn, session_id)

    def held_exchange_sessions(self) -> list[exchange.SessionRow]:
        """Sessions that took place, newest first: the origins an idea may name (`exchange`)."""
        with self._reading() as conn:
            return exchange.held_sessions(conn)

    def list_pilots(
        self,
        *,
        department_id: UUID | None = None,
        status: str | None = None,
        session_id: UUID | None = None,
        pilot_id: UUID | None = None,
    ) -> list[exchange.PilotRow]:
        """Digital pilots and candidates with their departments (`exchange`)."""
        with self._reading() as conn:
            return exchange.list_pilots(
                conn,
                department_id=department_id,
                status=status,
                session_id=session_id,
                pilot_id=pilot_id,
            )

    def pilots_overview(self) -> exchange.PilotsOverview:
        """Pilots and candidates counted per department (`exchange`)."""
        with self._reading() as conn:
            return exchange.pilots_overview(conn)

    def pilot_statuses(self) -> dict[UUID, str]:
        """Person id → pilot status for everyone currently noted (`exchange`)."""
        with self._reading() as conn:
            return exchange.pilot_statuses(conn)

    # -- issue 8: the alliance of the willing ---------------------------------------

    def alliance(
        self, start: Any = None, end: Any = None, *, today: dt.date | None = None
    ) -> alliance_ranking.Alliance:
        """Every department ranked by its engagement in [start, end], both days included.

        Bounds may be dates or text (JJJJ-MM-TT, TT.MM.JJJJ); a missing one follows the
        default, the last twelve months up to `today` (Berlin; by default the real date).
        Answers an `alliance.Alliance`; raises InvalidQuery for a bad period.
        """
        day = today if today is not None else dt.datetime.now(alliance_ranking.BERLIN).date()
        first, last = alliance_ranking.resolve_period(start, end, day)
        with self._reading() as conn:
            return alliance_ranking.alliance(conn, first, last)

    # -- issue 8: factions, political rounds and briefings --------------------------

    def list_factions(self, *, include_retired: bool = True) -> list[politics.FactionRow]:
        """Council factions, active ones first (`politics.list_factions`)."""
        with self._reading() as conn:
            return politics.list_factions(conn, include_retired=include_retired)

    def list_political_rounds(self) -> politics.Rounds:
        """Planned rounds and held or cancelled ones (`politics.list_rounds`)."""
        with self._reading() as conn:
            return politics.list_rounds(conn)

    def political_round_factions(self, round_id: UUID) -> list[politics.RoundFaction]:
        """The factions invited to or attending a round (`politics.round_factions_of`)."""
        with self._reading() as conn:
            return politics.round_factions_of(conn, round_id)

    def briefing(self, round_id: UUID) -> politics.Briefing | None:
        """The briefing of a round for ambassadors, or None (`politics.briefing`).

        A held round's briefing is the planner replayed up to `politics.briefing_moment`
        (`asof.briefing_as_of`); a past moment's answer never changes, so it is kept.
        """
        with self._reading() as conn:
            moment = politics.briefing_moment(conn, round_id)
            if moment is None:
                return politics.briefing(conn, round_id)
        key = (round_id, moment)
        with self._briefings_lock:
            if key in self._briefings:
                return self._briefings[key]
        briefing = asof.briefing_as_of(self.projector, round_id, moment)
        with self._briefings_lock:
            while len(self._briefings) >= MAX_KEPT_BRIEFINGS:
                self._briefings.pop(next(iter(self._briefings)))
            self._briefings[key] = briefing
        return briefing

    def list_published_measures(self) -> list[politics.PublishedMeasure]:
        """Measures with a goal that are not cancelled (`politics.list_published_measures`)."""
        with self._reading() as conn:
            return politics.list_published_measures(conn)

    def published_measure(self, measure_id: UUID) -> politics.PublishedMeasureDetail | None:
        """One published measure with its milestones; None if not published (`politics`)."""
        with self._reading() as conn:
            return politics.published_measure(conn, measure_id)

    def _stream(
        self, checked: audit.AuditFilter, decisions: bool, newest_first: bool, batch_size: int
    ) -> Iterator[AuditRow]:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise queries.InvalidQuery("batch_size", "Die Stapelgröße muss ab 1 sein.")
        if not isinstance(newest_first, bool):
            raise queries.InvalidQuery("newest_first", "„newest_first“ muss ja oder nein sein.")
        with self._reading() as conn:
            upto = audit.last_position(conn)

        def rows() -> Iterator[AuditRow]:
            after: int | None = None
            while True:
                with self.engine.connect() as conn:
                    batch = audit.audit_batch(
                        conn,
                        checked,
                        decisions=decisions,
                        after=after,
                        upto=upto,
                        newest_first=newest_first,
                        limit=batch_size,
                    )
                yield from batch
                if len(batch) < batch_size:
                    return
                after = batch[-1].position

        return rows()

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A connection after catching up; one snapshot for the whole answer."""
        self.catch_up_if_behind()
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn
