"""Every JSON error of the API is built here: {"error": {"code", "message", "fields", …}}."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask import Response, jsonify, request
from flask_babel import lazy_gettext as _l

from ideation.entrypoints.api_boundary import API_ROOT

# The stable codes and the status each one comes with (docs/api.md lists them).
ERROR_CODES = {
    "bad_request": 400,
    "unauthenticated": 401,
    "login_failed": 401,
    "forbidden": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "conflict": 409,
    "precondition_failed": 412,
    "too_large": 413,
    "unsupported_media_type": 415,
    "validation": 422,
    "rule_violation": 422,
    "precondition_required": 428,
    "too_many_requests": 429,
    "server_error": 500,
    "busy": 503,
}

HTTP_DEFAULTS = {
    400: ("bad_request", _l("Die Anfrage ist fehlerhaft.")),
    401: ("unauthenticated", _l("Bitte mit einem API-Token anmelden.")),
    403: ("forbidden", _l("Dafür fehlt Ihnen die Berechtigung.")),
    404: ("not_found", _l("Das gibt es nicht (mehr).")),
    405: ("method_not_allowed", _l("Diese Methode ist hier nicht erlaubt.")),
    413: ("too_large", _l("Die gesendeten Daten sind zu groß.")),
    415: ("unsupported_media_type", _l("Bitte JSON senden (Content-Type: application/json).")),
    429: ("too_many_requests", _l("Zu viele Anfragen. Bitte warten Sie einen Moment.")),
    500: ("server_error", _l("Etwas ist schiefgegangen. Es wurde nichts gespeichert.")),
    503: ("busy", _l("Die Datenbank ist gerade ausgelastet. Bitte gleich erneut versuchen.")),
}


class ApiError(Exception):
    """Raised anywhere in an API view; becomes the JSON error response."""

    def __init__(
        self,
        status: int,
        code: str,
        message: object,
        *,
        fields: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = message
        self.fields = dict(fields or {})
        self.headers = dict(headers or {})
        self.extra = extra


def is_api_request() -> bool:
    """Tell whether the current request is for the JSON API."""
    return request.path.startswith(API_ROOT)


def _plain(value: Any) -> Any:
    # Lazy translations and marshmallow's nested messages become plain JSON.
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()  # RFC 3339 date-time, as the response schemas promise
    return str(value)


def json_error(error: ApiError) -> Response:
    """The response for an ApiError."""
    body = {
        "code": error.code,
        "message": str(error.message),
        "fields": _plain(error.fields),
        **{key: _plain(value) for key, value in error.extra.items()},
    }
    response = jsonify({"error": body})
    response.status_code = error.status
    response.headers.update(error.headers)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="ideation"'
    return response


def http_json_error(status: int, headers: Mapping[str, str] | None = None) -> Response:
    """The JSON error for an HTTP status raised outside our views (404 route, 413, 429 …)."""
    code, message = HTTP_DEFAULTS.get(status, HTTP_DEFAULTS[500])
    return json_error(ApiError(status, code, message, headers=headers))
