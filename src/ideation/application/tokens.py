"""API tokens: issued for a login or created on the profile page, stored hashed, revocable."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from ideation.application.errors import NotFound
from ideation.application.security_log import log_security_event
from ideation.application.views import PersonView
from ideation.directory.tokens import TokenRecord, TokenStore, token_hash
from ideation.domain.base import check_text
from ideation.domain.errors import InvalidValue

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

TOKEN_PREFIX = "idt_"  # noqa: S105 - a prefix that marks our tokens, not a secret
LOGIN_TOKEN_LIFETIME = dt.timedelta(hours=12)
PERSONAL_TOKEN_DAYS = (30, 90, 365)
DEFAULT_PERSONAL_TOKEN_DAYS = 90
MAX_TOKEN_LENGTH = 200
# "Zuletzt benutzt" is shown to the minute: one write per minute and token is enough, and an
# API read then costs no write at all (benchmark B5, docs/benchmarks.md).
TOUCH_INTERVAL = dt.timedelta(minutes=1)
LOGIN_TOKEN_NAME = "Anmeldung über die API"  # noqa: S105 - a label


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the text is shown once and never stored."""

    id: UUID
    token: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class TokenView:
    """A token as the profile page lists it (without its text)."""

    id: UUID
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    active: bool


@dataclass(frozen=True)
class TokenGrant:
    """The person a valid token acts for."""

    token_id: UUID
    person: PersonView


class TokenCommands:
    """Mixed into IdeationApplication: commands and queries around API tokens."""

    tokens: TokenStore
    accounts: Any
    get_person: Callable[[UUID], PersonView]
    _now: Callable[[], dt.datetime]
    _storage: Callable[[], AbstractContextManager[None]]
    authenticate: Callable[[str, str], Any]

    def issue_token(self, username: str, password: str) -> IssuedToken:
        """Check a login (with the same throttle as the page) and issue a 12-hour token."""
        grant = self.authenticate(username, password)
        issued = self._new_token(grant.person_id, LOGIN_TOKEN_NAME, LOGIN_TOKEN_LIFETIME)
        log_security_event("token.issued", person_id=grant.person_id, token=str(issued.id))
        return issued

    def create_personal_token(
        self, person_id: UUID, name: str, valid_days: int = DEFAULT_PERSONAL_TOKEN_DAYS
    ) -> IssuedToken:
        """A signed-in person creates a named token for a script or another system."""
        name = check_text("name", name, "Bezeichnung", max_length=100)
        if valid_days not in PERSONAL_TOKEN_DAYS:
            raise InvalidValue("valid_days", "Bitte eine der angebotenen Laufzeiten wählen.")
        with self._storage():
            account = self.accounts.by_person(person_id)
        if account is None:
            raise NotFound("Diese Person hat keinen Zugang.")
        issued = self._new_token(person_id, name, dt.timedelta(days=valid_days))
        log_security_event("token.created", person_id=person_id, token=str(issued.id))
        return issued

    def revoke_token(self, person_id: UUID, token_id: UUID) -> None:
        """The person revokes one of their tokens; it stops working at once."""
        with self._storage():
            revoked = self.tokens.revoke(person_id, token_id, self._now())
        if not revoked:
            raise NotFound("Diesen aktiven Token gibt es nicht.")
        log_security_event("token.revoked", person_id=person_id, token=str(token_id))

    def revoke_all_tokens(self, person_id: UUID) -> int:
        """Revoke every token of the person (password change, "Überall abmelden")."""
        with self._storage():
            revoked = self.tokens.revoke_all(person_id, self._now())
        if revoked:
            log_security_event("token.revoked_all", person_id=person_id, count=revoked)
        return revoked

    def list_tokens(self, person_id: UUID) -> list[TokenView]:
        """The person's tokens, newest first, with whether each still works."""
        with self._storage():
            records = self.tokens.of_person(person_id)
        now = self._now()
        return [
            TokenView(
                id=r.id,
                name=r.name,
                created_at=r.created_at,
                expires_at=r.expires_at,
                revoked_at=r.revoked_at,
                last_used_at=r.last_used_at,
                active=r.revoked_at is None and r.expires_at > now,
            )
            for r in records
        ]

    def person_for_token(self, token: str) -> TokenGrant | None:
        """The active person a token acts for, or None if it is unknown, expired or revoked."""
        if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX):
            return None
        if len(token) > MAX_TOKEN_LENGTH:
            return None
        now = self._now()
        with self._storage():
            record = self.tokens.by_hash(token_hash(token))
            if record is None or record.revoked_at is not None or record.expires_at <= now:
                return None
            if self.accounts.by_person(record.person_id) is None:
                return None
            try:
                person = self.get_person(record.person_id)
            except NotFound:
                return None
            if not person.active:
                return None
            if record.last_used_at is None or now - record.last_used_at >= TOUCH_INTERVAL:
                self.tokens.touch(record.id, now)
        return TokenGrant(token_id=record.id, person=person)

    def _new_token(self, person_id: UUID, name: str, lifetime: dt.timedelta) -> IssuedToken:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self._now()
        record = TokenRecord(
            id=uuid4(),
            person_id=person_id,
            name=name,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + lifetime,
            revoked_at=None,
            last_used_at=None,
        )
        with self._storage():
            self.tokens.add(record)
        return IssuedToken(id=record.id, token=token, expires_at=record.expires_at)
