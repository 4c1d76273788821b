"""German error pages for every status; never a trace."""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from ideation.application.errors import (
    ConcurrencyConflict,
    NotFound,
    PermissionDenied,
    StorageBusy,
)
from ideation.entrypoints.api.errors import http_json_error, is_api_request
from ideation.entrypoints.i18n import localized_error

logger = logging.getLogger(__name__)

BUSY_RETRY_AFTER = "5"  # seconds: the lock timeout plus a little

MESSAGES = {
    400: (_l("Ungültige Anfrage"), _l("Die Anfrage konnte nicht verarbeitet werden.")),
    403: (_l("Keine Berechtigung"), _l("Für diese Seite fehlt Ihnen die Berechtigung.")),
    404: (_l("Seite nicht gefunden"), _l("Diese Seite gibt es nicht (mehr).")),
    405: (_l("Nicht erlaubt"), _l("Diese Aktion ist hier nicht möglich.")),
    409: (_l("Konflikt"), _l("Jemand anderes hat inzwischen etwas geändert.")),
    413: (_l("Zu groß"), _l("Die gesendeten Daten sind zu groß.")),
    429: (
        _l("Zu viele Anfragen"),
        _l("Bitte warten Sie einen Moment und versuchen Sie es dann erneut."),
    ),
    500: (
        _l("Fehler"),
        _l("Etwas ist schiefgegangen. Ihre Daten sind sicher; bitte versuchen Sie es erneut."),
    ),
    503: (
        _l("Gerade ausgelastet"),
        _l("Die Datenbank ist gerade ausgelastet. Bitte versuchen Sie es in einigen Sekunden."),
    ),
}


def render_error(status: int, detail: str | None = None) -> tuple[str, int]:
    """The error page for a status, with an optional more specific German message."""
    title, message = MESSAGES.get(status, MESSAGES[500])
    return render_template(
        "errors/error.html", status=status, title=title, message=detail or message
    ), status


def register_error_pages(app: Flask) -> None:
    """Map HTTP errors, CSRF failures, a busy database and unexpected errors to pages."""

    @app.after_request
    def busy_means_retry_later(response: Response) -> Response:
        # A form shown again after a busy database (with the person's input) is a 503 too,
        # and tells the browser or client when to try again, like the error page (ES-15).
        if response.status_code == 503:
            response.headers.setdefault("Retry-After", BUSY_RETRY_AFTER)
        return response

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400,
            str(
                _l(
                    "Das Formular ist abgelaufen oder ungültig. "
                    "Bitte laden Sie die Seite neu und senden Sie es erneut."
                )
            ),
        )

    @app.errorhandler(PermissionDenied)
    def denied(error: PermissionDenied) -> tuple[str, int]:
        return render_error(403, localized_error(error))

    @app.errorhandler(NotFound)
    def missing(error: NotFound) -> tuple[str, int]:
        return render_error(404, localized_error(error))

    @app.errorhandler(ConcurrencyConflict)
    def conflict(error: ConcurrencyConflict) -> tuple[str, int]:
        return render_error(409, localized_error(error))

    @app.errorhandler(StorageBusy)
    def busy(error: StorageBusy) -> tuple[str, int] | Response:
        # Also raised before an API view runs (a token's last use is written while
        # authenticating): the API answers in JSON there too (ES-15). Retry-After comes
        # from `busy_means_retry_later`, the one place for every 503.
        if is_api_request():
            return http_json_error(503)
        return render_error(503)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | Response:
        if is_api_request():
            return http_json_error(error.code or 500, _retry_after(error))
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str, int] | Response:
        logger.exception("unexpected error", exc_info=error)
        if is_api_request():
            return http_json_error(InternalServerError.code)
        return render_error(InternalServerError.code)


def _retry_after(error: HTTPException) -> dict[str, str]:
    """Retry-After for a 429 from the rate limiter (seconds until its window ends)."""
    if error.code != 429:
        return {}
    limit = getattr(error, "limit", None)
    seconds = getattr(getattr(limit, "limit", None), "get_expiry", lambda: 60)()
    return {"Retry-After": str(int(seconds))}
