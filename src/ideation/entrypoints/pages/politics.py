"""Factions and political rounds (Politische Runden): issue 8, part 4."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("politics", __name__, url_prefix="/politik")


@bp.get("/")
def index() -> str:
    """Placeholder until the pages are built."""
    return render_template("base.html")
