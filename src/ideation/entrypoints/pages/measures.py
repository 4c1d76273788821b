"""Maßnahmen: list, page and forms."""

from __future__ import annotations

from flask import Blueprint, render_template

from ideation.entrypoints.pages.common import planner

bp = Blueprint("measures", __name__, url_prefix="/measures")


@bp.get("/")
def index() -> str:
    """All Maßnahmen."""
    return render_template("measures/index.html", rows=[], planner=planner)
