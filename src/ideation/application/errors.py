"""Errors the application raises at its boundary; library exceptions never leave it."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from ideation.domain.errors import DomainError, msg

if TYPE_CHECKING:
    from ideation.application.views import HistoryEntry


class ApplicationError(DomainError):
    """A command or query could not be carried out; nothing was recorded."""

    code = "application_error"


class NotFound(ApplicationError):
    """The object does not exist (or did not exist at the requested moment)."""

    code = "not_found"


class PermissionDenied(ApplicationError):
    """The person may not do this; nothing was recorded."""

    code = "permission_denied"


class ConcurrencyConflict(ApplicationError):
    """Someone changed the object after the caller saw it; `events_since` says who and what."""

    code = "conflict"

    def __init__(
        self,
        aggregate_id: UUID,
        expected_version: int,
        actual_version: int,
        events_since: list[HistoryEntry],
        message: str,
    ) -> None:
        super().__init__(
            message,
            aggregate_id=aggregate_id,
            expected_version=expected_version,
            actual_version=actual_version,
        )
        self.aggregate_id = aggregate_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        self.events_since = events_since


class StorageBusy(ApplicationError):
    """The database did not answer in time (a lock was held too long); retry later."""

    code = "busy"

    def __init__(self) -> None:
        super().__init__(
            "Die Datenbank ist gerade ausgelastet. "
            "Bitte versuchen Sie es in einigen Sekunden erneut."
        )


class InvalidRequest(ApplicationError):
    """A command's input is malformed (for example an empty idempotency key)."""

    code = "invalid_request"


class LoginFailed(ApplicationError):
    """Wrong username or password (deliberately not saying which)."""

    code = "login_failed"

    def __init__(self) -> None:
        super().__init__("Benutzername oder Passwort ist falsch.")


class LoginThrottled(ApplicationError):
    """Too many failed logins for this account: wait before the next attempt."""

    code = "login_throttled"

    def __init__(self, retry_after_seconds: int) -> None:
        minutes = max(1, round(retry_after_seconds / 60))
        super().__init__(
            msg(
                "Zu viele fehlgeschlagene Anmeldungen. "
                "Bitte versuchen Sie es in etwa %(minutes)s Minute(n) erneut.",
                minutes=minutes,
            )
        )
        self.retry_after_seconds = retry_after_seconds
