"""Departments' pages: what each department received from the measures (Mehrwerte).

Every signed-in role may read these published figures, as on the dashboard: the list of
departments and municipal companies with their figures, and one page per department with the
benefits recorded for it, newest first, each with the measure it came from, and its digital
pilots and candidates (issue 8), linking to their page.
"""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template

from ideation.entrypoints.pages.common import planner, prefetch_people

bp = Blueprint("departments", __name__, url_prefix="/fachbereiche")


@bp.get("/")
def index() -> str:
    """Every department and municipal company with ideas, supports, measures and benefits."""
    return render_template(
        "departments/index.html", departments=planner().read_models.list_departments()
    )


@bp.get("/<uuid:department_id>")
def detail(department_id: UUID) -> str:
    """Mehrwerte für …: the department's figures and its benefits, newest first."""
    values = planner().read_models.department_values(department_id)
    if values is None:
        abort(404)
    pilots = [
        p
        for p in planner().read_models.list_pilots(department_id=department_id)
        if p.status != "withdrawn"
    ]
    prefetch_people(p.person_id for p in pilots)
    return render_template("departments/detail.html", values=values, pilots=pilots)
