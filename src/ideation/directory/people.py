"""SQLAlchemy table and gateway for personal data, so events hold ids only (GDPR Art. 17)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import (
    Boolean,
    Column,
    MetaData,
    String,
    Table,
    Uuid,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

metadata = MetaData()

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


class PeopleDirectory:
    """Reads and writes the people table; the only place that holds names and e-mail addresses."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

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
