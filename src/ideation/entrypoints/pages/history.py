"""The history (Verlauf) of an idea: timeline, state after a step, as of a date, compare."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, render_template

from ideation.entrypoints.pages.common import found, planner

bp = Blueprint("history", __name__, url_prefix="/ideas/<uuid:idea_id>/history")


@bp.get("/")
def timeline(idea_id: UUID) -> str:
    """Every step of the idea, its working group's steps about it and its measure."""
    return render_template(
        "history/timeline.html",
        idea=found(planner().get_idea, idea_id),
        entries=planner().idea_history(idea_id),
    )
