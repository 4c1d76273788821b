"""The accessibility statement (Erklärung zur Barrierefreiheit) with its feedback address."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("legal", __name__)


@bp.get("/barrierefreiheit")
def accessibility() -> str:
    """The statement BITV 2.0 requires, with the feedback mechanism."""
    return render_template("legal/accessibility.html")
