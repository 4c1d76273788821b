"""The alliance of the willing (Allianz der Willigen): issue 8, part 3."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("alliance", __name__, url_prefix="/allianz")


@bp.get("/")
def index() -> str:
    """Placeholder until the pages are built."""
    return render_template("base.html")
