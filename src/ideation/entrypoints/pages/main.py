"""The start page and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from ideation.entrypoints.i18n import SUPPORTED_LOCALES

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    """Start page: what the planner holds right now."""
    ideation = current_app.extensions["ideation"]
    return render_template(
        "main/index.html",
        funnel=ideation.read_models.funnel(),
        event_count=ideation.recorder.max_notification_id() or 0,
        initialised=ideation.is_initialised(),
    )


@bp.post("/sprache")
def choose_language() -> Response:
    """Remember the chosen language for this session and go back."""
    locale = request.form.get("locale", "")
    if locale in SUPPORTED_LOCALES:
        session["locale"] = locale
    return redirect(_safe_back() or url_for("main.index"))


def _safe_back() -> str | None:
    target = request.form.get("next", "")
    # Only paths on this site: no scheme, no host, no protocol-relative "//".
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None
