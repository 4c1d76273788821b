"""SQLAlchemy table and gateway for personal data, so events hold ids only (GDPR Art. 17)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    Column,
    MetaData,
    String,
    Table,
    Uuid,
    delete,
    event,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

logger = logging.getLogger(__name__)

metadata = MetaData()

# How often a SQLite checkpoint that readers kept from finishing is tried again.
CHECKPOINT_ATTEMPTS = 5
# PostgreSQL: how long VACUUM FULL may wait for its table lock before giving up.
VACUUM_LOCK_TIMEOUT = "5s"

people = Table(
    "people",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("email", String(320), nullable=False, unique=True),
    Column("department_id", Uuid, nullable=False, index=True),
    Column("active", Boolean, nullable=False, default=True),
)


@dataclass(frozen=True)
class PersonRecord:
    """One person's entry in the directory."""

    id: UUID
    display_name: str
    email: str
    department_id: UUID
    active: bool


class EmailTaken(Exception):
    """Another person already uses this e-mail address."""


class DirectoryUnavailable(Exception):
    """The people table could not be reached (locked or disconnected)."""


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn SQLAlchemy operational errors into DirectoryUnavailable."""
    try:
        yield
    except OperationalError as error:
        raise DirectoryUnavailable(str(error.orig)) from error


def _secure_delete(dbapi_connection: Any, _record: Any) -> None:
    # SQLite overwrites deleted content with zeros instead of leaving it in free space, so
    # an erased name (or a name replaced by a correction) leaves no bytes in the file.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


class PeopleDirectory:
    """Reads and writes the people table; the only place that holds names and e-mail addresses."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        if engine.dialect.name == "sqlite" and not event.contains(
            engine, "connect", _secure_delete
        ):
            event.listen(engine, "connect", _secure_delete)

    def create_schema(self) -> None:
        """Create the people table if it does not exist yet."""
        metadata.create_all(self.engine, tables=[people])

    def add(self, record: PersonRecord) -> None:
        """Insert a person; raise EmailTaken if the address is in use."""
        try:
            with translated_errors(), self.engine.begin() as conn:
                conn.execute(insert(people).values(**record.__dict__))
        except IntegrityError as error:
            raise EmailTaken(record.email) from error

    def remove(self, person_id: UUID) -> None:
        """Delete a person's row (used to undo a registration that could not be recorded)."""
        with translated_errors(), self.engine.begin() as conn:
            conn.execute(delete(people).where(people.c.id == person_id))

    def erase(self, person_id: UUID) -> bool:
        """Delete a person's row for good (GDPR erasure); return whether there was one.

        The row is deleted with SQLite's secure_delete on (its bytes are overwritten); call
        `scrub()` afterwards so that no older copy stays in the write-ahead log.
        """
        with translated_errors(), self.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA secure_delete=ON")
            deleted = conn.execute(delete(people).where(people.c.id == person_id)).rowcount
        return bool(deleted)

    def scrub(self) -> bool:
        """Remove leftover copies of deleted rows from the storage files; True if complete.

        SQLite: a TRUNCATE checkpoint writes the write-ahead log (which still holds the
        pages as they were before the delete) into the database file and empties it; it is
        retried while readers hold an older snapshot. PostgreSQL: VACUUM FULL rewrites the
        tables of the directory (people, accounts) into new files, so the deleted rows'
        bytes are no longer in a table file; PostgreSQL's own WAL segments and backups keep
        them until they are recycled (see docs/privacy.md). Failures are logged, not raised:
        the rows are deleted either way.
        """
        try:
            if self.engine.dialect.name == "sqlite":
                return self._checkpoint()
            return self._vacuum()
        except DBAPIError as error:
            logger.warning("directory scrub failed: %s", type(error.orig).__name__)
            return False

    def _checkpoint(self) -> bool:
        # Outside any transaction (the driver connection is in autocommit mode): a checkpoint
        # inside one could not finish.
        raw = self.engine.raw_connection()
        try:
            for attempt in range(CHECKPOINT_ATTEMPTS):
                cursor = raw.cursor()
                busy, _log, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                cursor.close()
                if not busy:
                    return True
                time.sleep(0.05 * (attempt + 1))
        finally:
            raw.close()
        logger.warning("directory scrub: the WAL checkpoint stayed busy")
        return False

    def _vacuum(self) -> bool:
        names = [table.name for table in metadata.sorted_tables]
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            quoted = ", ".join(conn.dialect.identifier_preparer.quote(name) for name in names)
            conn.execute(text(f"SET lock_timeout = '{VACUUM_LOCK_TIMEOUT}'"))
            try:
                conn.execute(text(f"VACUUM (FULL) {quoted}"))
            finally:
                conn.execute(text("RESET lock_timeout"))
        return True

    def update(self, person_id: UUID, **values: object) -> None:
        """Change some columns of a person's row."""
        try:
            with translated_errors(), self.engine.begin() as conn:
                conn.execute(update(people).where(people.c.id == person_id).values(**values))
        except IntegrityError as error:
            raise EmailTaken(str(values.get("email"))) from error

    def get(self, person_id: UUID) -> PersonRecord | None:
        """Return the person's entry, or None (for example after erasure)."""
        with translated_errors(), self.engine.connect() as conn:
            row = conn.execute(select(people).where(people.c.id == person_id)).first()
        return PersonRecord(**row._mapping) if row else None

    def list_all(self) -> list[PersonRecord]:
        """Every entry of the directory."""
        with translated_errors(), self.engine.connect() as conn:
            return [PersonRecord(**row._mapping) for row in conn.execute(select(people))]

    def find_by_email(self, email: str) -> PersonRecord | None:
        """Return the person with this e-mail address, or None."""
        with translated_errors(), self.engine.connect() as conn:
            row = conn.execute(select(people).where(people.c.email == email)).first()
        return PersonRecord(**row._mapping) if row else None

    def display_names(self, person_ids: set[UUID]) -> dict[UUID, str]:
        """Map person ids to display names; unknown or erased ids are missing."""
        if not person_ids:
            return {}
        with translated_errors(), self.engine.connect() as conn:
            rows = conn.execute(
                select(people.c.id, people.c.display_name).where(people.c.id.in_(person_ids))
            )
            return {row.id: row.display_name for row in rows}
