"""Briefings for political rounds and the published measures: issue 8, part 4.

The material the digital-policy speakers of the council factions (ambassadors) use to explain
the value to citizens. Readable by every role of the planner and by ambassadors; an
ambassador-only person can reach nothing else (auth.py). Only published measures appear
(at least one goal, not cancelled; docs/political-rounds.md), never an idea.

The briefing of a round is a page and an A4 PDF (WeasyPrint, the print template
`briefings/briefing_pdf.html` with css/briefing.css from the static folder, nothing else
fetched; tagged PDF/UA-1 like the evidence export, so its text can be extracted).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from weasyprint import HTML

from ideation.application.errors import NotFound
from ideation.application.security_log import log_security_event
from ideation.entrypoints.auth import is_ambassador_only
from ideation.entrypoints.charts import (
    CHART_WIDTH,
    Bar,
    count_bars_svg,
    count_chart_height,
    svg_response,
)
from ideation.entrypoints.pages.common import planner
from ideation.entrypoints.pages.evidence import StaticFilesOnly, pdf_bytes
from ideation.readmodels.politics import Briefing

bp = Blueprint("briefings", __name__, url_prefix="/briefings")

# Who may read briefings: ambassadors and every working role of the planner.
READER_ROLES = ("ambassador", "member", "group_member", "coordinator", "auditor", "admin")


@bp.app_context_processor
def ambassador_helpers() -> dict[str, Any]:
    """`ambassador_only()` for the navigation: an ambassador-only person sees the briefings."""
    return {"ambassador_only": lambda: is_ambassador_only(getattr(current_user, "roles", ()))}


@bp.before_request
def only_readers() -> None:
    """People holding one of READER_ROLES; everyone else gets 403."""
    if not any(current_user.has_role(role) for role in READER_ROLES):
        log_security_event(
            "access.denied",
            person_id=getattr(current_user, "person_id", None),
            endpoint=request.endpoint,
        )
        abort(403)


def _briefing(round_id: UUID) -> Briefing:
    briefing = planner().read_models.briefing(round_id)
    if briefing is None:
        abort(404)
    return briefing


@bp.get("/")
def index() -> str:
    """The rounds (planned and held) with links to their briefings; the published measures."""
    rounds = planner().read_models.list_political_rounds()
    return render_template(
        "briefings/index.html",
        upcoming=rounds.upcoming,
        held=[r for r in rounds.past if r.status == "held"],
    )


@bp.get("/<uuid:round_id>")
def briefing(round_id: UUID) -> str:
    """The briefing of one round as a page."""
    data = _briefing(round_id)
    return render_template("briefings/briefing.html", briefing=data, chart_size=chart_size(data))


@bp.get("/<uuid:round_id>.pdf")
def briefing_pdf(round_id: UUID) -> Response:
    """The briefing of one round as an A4 PDF (text extractable, tagged)."""
    data = _briefing(round_id)
    static = Path(current_app.static_folder or "")
    page_html = render_template(
        "briefings/briefing_pdf.html",
        briefing=data,
        chart_svg=status_chart_svg(data).decode("utf-8"),
        chart_size=chart_size(data),
    )
    document = HTML(
        string=page_html,
        base_url=static.resolve().as_uri() + "/",
        url_fetcher=StaticFilesOnly(static),
    ).render()
    response = Response(pdf_bytes(document), mimetype="application/pdf")
    day = data.round.date.isoformat()
    response.headers["Content-Disposition"] = f'inline; filename="briefing-{day}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<uuid:round_id>/chart.svg")
def briefing_chart(round_id: UUID) -> Response:
    """Published measures per status as a bar chart (the page's table has the same numbers)."""
    return svg_response(status_chart_svg(_briefing(round_id)))


@bp.get("/massnahmen")
def measures() -> str:
    """Every published measure with its status, progress and benefits."""
    return render_template(
        "briefings/measures.html", measures=planner().read_models.list_published_measures()
    )


@bp.get("/massnahmen/<uuid:measure_id>")
def measure(measure_id: UUID) -> str:
    """A published measure's public facts; 404 for an unpublished one."""
    detail = planner().read_models.published_measure(measure_id)
    if detail is None:
        abort(404)
    try:
        goals = planner().get_measure(measure_id).goals
    except NotFound:
        abort(404)
    return render_template(
        "briefings/measure.html", detail=detail, measure=detail.measure, goals=goals
    )


# -- the chart --------------------------------------------------------------------------------


def chart_size(briefing: Briefing) -> tuple[int, int]:
    """Width and height of the status chart."""
    return CHART_WIDTH, count_chart_height(len(briefing.status_counts))


def status_chart_svg(briefing: Briefing) -> bytes:
    """A horizontal bar per status of the published measures, each with its count."""
    return count_bars_svg(
        [Bar(_(c.label), c.count) for c in briefing.status_counts],
        title=_("Veröffentlichte Maßnahmen je Stand"),
        series=_("Maßnahmen"),
        no_data_text=_("Noch keine veröffentlichten Maßnahmen"),
    )
