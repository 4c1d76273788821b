"""Arbeitsgruppen: list, page and forms."""

from __future__ import annotations

from flask import Blueprint, render_template

from ideation.entrypoints.pages.common import planner

bp = Blueprint("working_groups", __name__, url_prefix="/working-groups")


@bp.get("/")
def index() -> str:
    """All Arbeitsgruppen."""
    return render_template("working_groups/index.html", rows=[], planner=planner)
