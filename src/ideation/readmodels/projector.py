"""The projector: follows the notification log and applies each batch exactly once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from eventsourcing.persistence import ApplicationRecorder, Mapper
from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine

from ideation.readmodels.chain import extend_chain
from ideation.readmodels.handlers import project_batch
from ideation.readmodels.schema import ensure_schema, reset_read_models
from ideation.readmodels.tables import PROJECTION_NAME, tracking

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500

Progress = Callable[[int, int], None]  # (position reached, last notification id)


@dataclass(frozen=True)
class CatchUpResult:
    """What one catch-up did."""

    applied: int
    position: int


class Projector:
    """Applies notifications after the tracking position, batch by batch, exactly once.

    Each batch and the new tracking position commit in one transaction that first locks
    the tracking row (PostgreSQL: SELECT … FOR UPDATE; SQLite: BEGIN IMMEDIATE on
    `engine`), so any number of processes may catch up at the same time: they take turns,
    and each re-reads the position after getting the lock.
    """

    def __init__(
        self,
        engine: Engine,
        recorder: ApplicationRecorder,
        mapper: Mapper,
        *,
        name: str = PROJECTION_NAME,
        read_engine: Engine | None = None,
    ) -> None:
        self.engine = engine
        # Reading the position needs no lock: on SQLite `engine` begins IMMEDIATE, which
        # would make every query's freshness check wait for (and hold) the write lock.
        self.read_engine = read_engine or engine
        self.recorder = recorder
        self.mapper = mapper
        self.name = name
        # The tracking position this projector last saw: a catch-up starts reading the log
        # after it without asking the database first (each batch checks it under the lock).
        self._seen: int | None = None

    def ensure_schema(self) -> bool:
        """Create or reset the read-model tables (True if they were reset)."""
        return ensure_schema(self.engine)

    def position(self) -> int:
        """The last notification id applied."""
        with self.read_engine.connect() as conn:
            return self._read_position(conn)

    def last_notification_id(self) -> int:
        """The highest notification id in the event store."""
        return self.recorder.max_notification_id() or 0

    def is_behind(self) -> bool:
        """Tell whether there are notifications not yet applied."""
        return self.position() < self.last_notification_id()

    def catch_up(
        self,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: Progress | None = None,
        max_batches: int | None = None,
    ) -> CatchUpResult:
        """Apply everything recorded so far; return how many notifications this call applied."""
        applied = 0
        batches = 0
        position = self.position() if self._seen is None else self._seen
        while max_batches is None or batches < max_batches:
            outcome = self._apply_one_batch(batch_size, seen=position)
            if outcome is None:  # the read models were reset meanwhile: start over
                position = self.position()
                continue
            fetched, count, position = outcome
            self._seen = position
            applied += count
            batches += 1
            if progress is not None:
                progress(position, self.last_notification_id())
            if fetched < batch_size:
                break
        return CatchUpResult(applied, position)

    def rebuild(
        self, *, batch_size: int = DEFAULT_BATCH_SIZE, progress: Progress | None = None
    ) -> CatchUpResult:
        """Drop every read model and replay the whole log."""
        with self.engine.begin() as conn:
            self._lock_tracking(conn)
            reset_read_models(conn)
        self._seen = None
        return self.catch_up(batch_size=batch_size, progress=progress)

    def run(
        self,
        stop: threading.Event,
        *,
        poll_interval: float = 0.5,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        """Follow the log until `stop` is set (polling; works on SQLite and PostgreSQL)."""
        while not stop.is_set():
            result = self.catch_up(batch_size=batch_size)
            if result.applied == 0:
                stop.wait(poll_interval)

    # -- internals -----------------------------------------------------------

    def _apply_one_batch(self, batch_size: int, *, seen: int) -> tuple[int, int, int] | None:
        """Return (notifications fetched, notifications applied, tracking position).

        `seen` is a recent tracking position (read without the lock). None means the
        position went backwards meanwhile (a rebuild reset it) and the batch was not used.
        """
        # Read the log before taking the tracking lock: on SQLite the lock is the database's
        # write lock, and the library's own reader may wait for an in-process writer that
        # itself waits for that lock.
        notifications = self.recorder.select_notifications(start=seen + 1, limit=batch_size)
        if not notifications:
            return 0, 0, seen
        with self.engine.begin() as conn:
            self._commit_without_waiting_for_disk(conn)
            position = self._lock_tracking(conn)
            if position < seen:
                return None
            # Another projector may have applied part of the batch meanwhile: skip that part.
            fresh = [n for n in notifications if n.id > position]
            events = [(n, self.mapper.to_domain_event(n)) for n in fresh]
            project_batch(conn, ((n.id, event) for n, event in events))
            extend_chain(conn, [(n, event.timestamp) for n, event in events])
            if fresh:
                position = fresh[-1].id
                conn.execute(
                    update(tracking).where(tracking.c.name == self.name).values(position=position)
                )
            return len(notifications), len(fresh), position

    @staticmethod
    def _commit_without_waiting_for_disk(conn: Connection) -> None:
        """Let this batch's commit skip the wait for the disk (ADR 0008).

        The batch and its tracking position commit together, and a commit the disk has not
        yet confirmed can only be lost together with every later one; after a power loss the
        projector re-applies what was lost, so the read models stay consistent with the log.
        On SQLite the projector's engine is built with synchronous=NORMAL for the same reason.
        """
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL synchronous_commit TO off")

    def _lock_tracking(self, conn: Connection) -> int:
        query = select(tracking.c.position).where(tracking.c.name == self.name)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        position = conn.execute(query).scalar()
        if position is None:
            raise RuntimeError("read-model schema missing: call ensure_schema() first")
        return position

    def _read_position(self, conn: Connection) -> int:
        position = conn.execute(
            select(tracking.c.position).where(tracking.c.name == self.name)
        ).scalar()
        return position or 0
