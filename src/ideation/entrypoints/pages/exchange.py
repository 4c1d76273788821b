"""Exchange formats (Austauschformate) and digital pilots: issue 8, parts 1 and 2."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("exchange", __name__, url_prefix="/austausch")


@bp.get("/")
def index() -> str:
    """Placeholder until the pages are built."""
    return render_template("base.html")
