"""Briefings for political rounds and published measures, readable by ambassadors: issue 8, part 4."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("briefings", __name__, url_prefix="/briefings")


@bp.get("/")
def index() -> str:
    """Placeholder until the pages are built."""
    return render_template("base.html")
