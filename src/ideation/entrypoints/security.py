"""The web security baseline: secret key, cookie flags, security headers on every response."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask, Response, abort, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from ideation.entrypoints.api_boundary import API_ROOT

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret

# One policy for every response, errors and static files included (catalogue SEC-9).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    # Keeps the same-origin Referer that flask-wtf's CSRF check needs over HTTPS (SEC-1).
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"


def load_or_create_secret_key(instance_path: Path) -> str:
    """Read the instance folder's secret key, creating a random one on first start."""
    path = instance_path / SECRET_KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


def refuse_malformed_requests() -> None:
    """Answer 400 to what werkzeug cannot read as text, before anything reads it.

    A query string of raw bytes that are not UTF-8 (a browser percent-encodes them) makes
    `request.args` raise; a multipart part without a name lands under the key None, which the
    CSRF check (like every form) cannot handle. Either made any page a 500.
    """
    try:
        request.query_string.decode()
    except UnicodeDecodeError:
        abort(400)
    if None in request.form or None in request.files:
        abort(400)


def add_security_headers(response: Response) -> Response:
    """Set the security headers; pages that may show personal data are never cached."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Content-Type", "text/html; charset=utf-8")
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


# Requests a page makes on its own (live hints, the chart image) never send the session
# cookie back: arriving after a form's redirect, an old cookie would undo what the form
# stored in the session (its confirmation message).
BACKGROUND_ENDPOINTS = frozenset(
    {
        "ideas.similar",
        "main.funnel_chart",
        "exchange.figures_chart",
        "alliance.chart",
        "briefings.briefing_chart",
        "static",
    }
)


class PageSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session that leaves the cookie alone on background requests."""

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if request.endpoint in BACKGROUND_ENDPOINTS or request.path.startswith(API_ROOT):
            return False
        return super().should_set_cookie(app, session)


def register_security(app: Flask) -> None:
    """Install the header hook and the session interface."""
    app.after_request(add_security_headers)
    app.session_interface = PageSessionInterface()
