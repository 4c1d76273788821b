"""Ideas: the list, the submit form, the idea page and its action forms."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, render_template

from ideation.entrypoints.pages.common import found, planner

bp = Blueprint("ideas", __name__, url_prefix="/ideas")


@bp.get("/")
def index() -> str:
    """All ideas, filtered, searched and paged."""
    return render_template("ideas/index.html", result=planner().read_models.list_ideas())


@bp.get("/<uuid:idea_id>")
def detail(idea_id: UUID) -> str:
    """One idea with everything the viewer may do with it."""
    return render_template("ideas/detail.html", idea=found(planner().get_idea, idea_id))
