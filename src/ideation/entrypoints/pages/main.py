"""The start page and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from ideation.entrypoints.i18n import SUPPORTED_LOCALES
from ideation.entrypoints.redirects import safe_next

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
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))
