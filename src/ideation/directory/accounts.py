"""Login accounts: username, password hash, session version and login throttling per account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
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
from sqlalchemy.exc import IntegrityError

from ideation.directory.people import metadata as people_metadata
from ideation.directory.people import translated_errors

metadata: MetaData = people_metadata

accounts = Table(
    "accounts",
    metadata,
    Column("person_id", Uuid, ForeignKey("people.id"), primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    # Raised on logout-everywhere, password change and deactivation: old sessions die.
    Column("session_version", Integer, nullable=False, default=1),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    Column("last_login_at", DateTime(timezone=True), nullable=True),
    Column("password_changed_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class AccountRecord:
    """One login account."""

    person_id: UUID
    username: str
    password_hash: str
    session_version: int
    failed_logins: int
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None
    password_changed_at: dt.datetime


class UsernameTaken(Exception):
    """Another account already uses this username (or the person has an account)."""


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands back naive datetimes; everything here is stored in UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


class AccountStore:
    """Reads and writes the accounts table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_schema(self) -> None:
        """Create the accounts table if it does not exist yet."""
        metadata.create_all(self.engine, tables=[accounts])

    def add(self, person_id: UUID, username: str, password_hash: str, now: dt.datetime) -> None:
        """Create an account; raise UsernameTaken on a duplicate username or person."""
        try:
            with translated_errors(), self.engine.begin() as conn:
                conn.execute(
                    insert(accounts).values(
                        person_id=person_id,
                        username=username,
                        password_hash=password_hash,
                        session_version=1,
                        failed_logins=0,
                        password_changed_at=now,
                    )
                )
        except IntegrityError as error:
            raise UsernameTaken(username) from error

    def by_username(self, username: str) -> AccountRecord | None:
        """The account with this (normalised) username, or None."""
        return self._one(accounts.c.username == username)

    def by_person(self, person_id: UUID) -> AccountRecord | None:
        """The person's account, or None."""
        return self._one(accounts.c.person_id == person_id)

    def update(self, person_id: UUID, **values: object) -> None:
        """Change some columns of an account."""
        with translated_errors(), self.engine.begin() as conn:
            conn.execute(update(accounts).where(accounts.c.person_id == person_id).values(**values))

    def remove(self, person_id: UUID) -> bool:
        """Delete the person's account (username, password hash); return whether there was one.

        Every session of the person ends with it: a session is valid only while its account
        exists. On SQLite the directory's connections delete with secure_delete on.
        """
        with translated_errors(), self.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA secure_delete=ON")
            deleted = conn.execute(delete(accounts).where(accounts.c.person_id == person_id))
        return bool(deleted.rowcount)

    def bump_session_version(self, person_id: UUID) -> None:
        """End every session of the person."""
        self.update(person_id, session_version=accounts.c.session_version + 1)

    def _one(self, condition: object) -> AccountRecord | None:
        with translated_errors(), self.engine.connect() as conn:
            row = conn.execute(select(accounts).where(condition)).first()
        if row is None:
            return None
        values = dict(row._mapping)
        for key in ("locked_until", "last_login_at", "password_changed_at"):
            values[key] = _aware(values[key])
        return AccountRecord(**values)
