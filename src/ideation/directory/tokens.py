"""API tokens: only a SHA-256 of each token is stored, with its person, expiry and revocation."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
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

from ideation.directory.people import metadata as people_metadata
from ideation.directory.people import translated_errors

metadata: MetaData = people_metadata

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("person_id", Uuid, ForeignKey("people.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    # SHA-256 of the token text: a stolen copy of the table cannot be used to call the API.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)


@dataclass(frozen=True)
class TokenRecord:
    """One API token as stored (never the token text itself)."""

    id: UUID
    person_id: UUID
    name: str
    token_hash: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


def token_hash(token: str) -> str:
    """The stored form of a token (tokens are long random strings, so no salt is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands back naive datetimes; everything here is stored in UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


class TokenStore:
    """Reads and writes the api_tokens table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_schema(self) -> None:
        """Create the token table if it does not exist yet."""
        metadata.create_all(self.engine, tables=[api_tokens])

    def add(self, record: TokenRecord) -> None:
        """Store a new token."""
        with translated_errors(), self.engine.begin() as conn:
            conn.execute(insert(api_tokens).values(**record.__dict__))

    def by_hash(self, hashed: str) -> TokenRecord | None:
        """The token with this hash, or None."""
        rows = self._select(api_tokens.c.token_hash == hashed)
        return rows[0] if rows else None

    def of_person(self, person_id: UUID) -> list[TokenRecord]:
        """Every token of the person, newest first."""
        return self._select(api_tokens.c.person_id == person_id)

    def revoke(self, person_id: UUID, token_id: UUID, now: dt.datetime) -> bool:
        """Mark the person's token revoked; return whether there was such an active token."""
        with translated_errors(), self.engine.begin() as conn:
            result = conn.execute(
                update(api_tokens)
                .where(
                    api_tokens.c.id == token_id,
                    api_tokens.c.person_id == person_id,
                    api_tokens.c.revoked_at.is_(None),
                )
                .values(revoked_at=now)
            )
        return bool(result.rowcount)

    def revoke_all(self, person_id: UUID, now: dt.datetime) -> int:
        """Revoke every active token of the person; return how many there were."""
        with translated_errors(), self.engine.begin() as conn:
            result = conn.execute(
                update(api_tokens)
                .where(api_tokens.c.person_id == person_id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
        return int(result.rowcount or 0)

    def touch(self, token_id: UUID, now: dt.datetime) -> None:
        """Remember when the token was last used (shown on the profile page)."""
        with translated_errors(), self.engine.begin() as conn:
            conn.execute(
                update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=now)
            )

    def remove_all(self, person_id: UUID) -> int:
        """Delete every token of the person (erasure); return how many there were."""
        with translated_errors(), self.engine.begin() as conn:
            deleted = conn.execute(delete(api_tokens).where(api_tokens.c.person_id == person_id))
        return int(deleted.rowcount or 0)

    def _select(self, condition: object) -> list[TokenRecord]:
        query = select(api_tokens).where(condition).order_by(api_tokens.c.created_at.desc())
        with translated_errors(), self.engine.connect() as conn:
            rows = conn.execute(query).all()
        records = []
        for row in rows:
            values = dict(row._mapping)
            for key in ("created_at", "expires_at", "revoked_at", "last_used_at"):
                values[key] = _aware(values[key])
            records.append(TokenRecord(**values))
        return records
