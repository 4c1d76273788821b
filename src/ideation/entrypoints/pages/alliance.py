"""The alliance of the willing (Allianz der Willigen): who is on board, whom not yet reached.

Every signed-in role may read the ranking, as the published figures of the departments: a
period form (GET, parameters `from` and `to` as in the API; quick choices), the chart, the
ranking table, the departments the exchange formats have not reached in the period, and the
table as CSV. The counts, the score, the rank and the period rules live in
readmodels/alliance.py; a bad period is shown on the page with the read model's message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _

from ideation.entrypoints.alliance_chart import (
    alliance_chart_size,
    alliance_chart_svg,
    kind_labels,
)
from ideation.entrypoints.charts import svg_response
from ideation.entrypoints.forms.alliance import ChoosePeriodForm
from ideation.entrypoints.i18n import TIMEZONE, localized
from ideation.entrypoints.pages.common import planner
from ideation.readmodels.alliance import PERIOD_CHOICES, Alliance, choice_period
from ideation.readmodels.queries import InvalidQuery
from ideation.readmodels.tables import ENGAGEMENT_KINDS

bp = Blueprint("alliance", __name__, url_prefix="/allianz")

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class QuickChoice:
    """A link that sets the period in one step, e.g. "letzte 3 Monate"."""

    label: str
    url: str
    current: bool


def local_today() -> dt.date:
    """Today in the planner's time zone, by the application's clock."""
    clock = planner().clock
    now = clock() if clock is not None else dt.datetime.now(dt.UTC)
    return now.astimezone(ZoneInfo(TIMEZONE)).date()


def _ranking(form: ChoosePeriodForm) -> tuple[Alliance | None, str | None]:
    """The ranking of the requested period, or the German message why there is none."""
    try:
        result = planner().read_models.alliance(
            request.args.get("from"), request.args.get("to"), today=local_today()
        )
    except InvalidQuery as error:
        message = localized(error.message)
        field = form.end if error.field == "end" else form.start
        field.errors = [message]
        return None, message
    for field, day in ((form.start, result.start), (form.end, result.end)):
        field.raw_data = None
        field.data = day
    return result, None


def _period_args(result: Alliance) -> dict[str, str]:
    return {"from": result.start.isoformat(), "to": result.end.isoformat()}


def _quick_choices(result: Alliance | None) -> list[QuickChoice]:
    labels = {
        "3m": _("letzte 3 Monate"),
        "12m": _("letzte 12 Monate"),
        "year": _("dieses Jahr"),
        "last_year": _("letztes Jahr"),
    }
    today = local_today()
    choices = []
    for key in PERIOD_CHOICES:
        start, end = choice_period(key, today)
        url = url_for("alliance.index", **{"from": start.isoformat(), "to": end.isoformat()})
        current = result is not None and (result.start, result.end) == (start, end)
        choices.append(QuickChoice(labels[key], url, current))
    return choices


@bp.get("/")
def index() -> Any:
    """The ranking of a period: chart, table, the departments not reached yet."""
    form = ChoosePeriodForm(formdata=request.args)
    result, error = _ranking(form)
    page = render_template(
        "alliance/index.html",
        form=form,
        result=result,
        error=error,
        choices=_quick_choices(result),
        kinds=kind_labels(),
        period_args=_period_args(result) if result is not None else {},
        chart_size=alliance_chart_size(result) if result is not None else None,
    )
    return (page, 400) if error else page


@bp.get("/diagramm.svg")
def chart() -> Response:
    """The ranking as stacked bars (SVG without scripts; the page's table has the numbers)."""
    result, error = _ranking(ChoosePeriodForm(formdata=request.args))
    if result is None:
        return Response(error or "", status=400, mimetype="text/plain")
    return svg_response(alliance_chart_svg(result))


@bp.get("/allianz.csv", endpoint="csv")
def csv_export() -> Any:
    """The ranking table as CSV (UTF-8 with BOM, comma-separated, CRLF), same period."""
    form = ChoosePeriodForm(formdata=request.args)
    result, error = _ranking(form)
    if result is None:
        return Response(error or "", status=400, mimetype="text/plain")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    labels = kind_labels()
    writer.writerow(
        [
            _("Rang"),
            _("Fachbereich"),
            _("Kürzel"),
            _("Art"),
            *(labels[kind] for kind in ENGAGEMENT_KINDS),
            _("Punkte"),
            _("Im Zeitraum erreicht"),
            _("Je erreicht"),
            _("Von"),
            _("Bis"),
        ]
    )
    for row in result.rows:
        writer.writerow(
            [
                row.rank,
                _cell(row.name),
                _cell(row.short_name),
                _("Kommunalunternehmen") if row.kind == "company" else _("Fachbereich / Amt"),
                *(getattr(row, kind) for kind in ENGAGEMENT_KINDS),
                row.score,
                _("ja") if row.reached_in_period else _("nein"),
                _("ja") if row.reached_ever else _("nein"),
                result.start.isoformat(),
                result.end.isoformat(),
            ]
        )
    name = f"allianz-{result.start.isoformat()}-{result.end.isoformat()}.csv"
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Type"] = CSV_MEDIA_TYPE
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _cell(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
