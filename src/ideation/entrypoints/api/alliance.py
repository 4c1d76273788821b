"""The alliance of the willing in the API: the ranking of a period and who is not reached yet.

GET /api/v1/alliance?from=YYYY-MM-DD&to=YYYY-MM-DD answers the same figures as the page
/allianz/ (readmodels/alliance.py): every department with its six counts, score, rank and
reach, and the departments no held exchange session reached in the period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response
from flask_babel import lazy_gettext as _l

from ideation.entrypoints.api import fields as f
from ideation.entrypoints.api.core import (
    RequestSchema,
    ResponseSchema,
    api_blueprint,
    load_query,
    operation,
    perform,
    planner,
    respond,
)
from ideation.entrypoints.api.errors import ApiError
from ideation.entrypoints.i18n import TIMEZONE, localized
from ideation.readmodels.alliance import Alliance, AllianceRow
from ideation.readmodels.queries import InvalidQuery
from ideation.readmodels.tables import ENGAGEMENT_KINDS

bp = api_blueprint("alliance")
TAG = "Allianz der Willigen"

# The read model names the bounds start and end; the API's query calls them from and to.
QUERY_FIELDS = {"start": "from", "end": "to"}


# -- schemas --------------------------------------------------------------------------------


class AllianceQuerySchema(RequestSchema):
    start = f.Date(
        data_key="from",
        metadata={"description": "Erster Tag des Zeitraums (Standard: vor zwölf Monaten)"},
    )
    end = f.Date(
        data_key="to",
        metadata={"description": "Letzter Tag, eingeschlossen (Standard: heute, Berlin)"},
    )


def _count(description: str) -> f.Integer:
    return f.Integer(required=True, metadata={"description": description})


class AllianceRowSchema(ResponseSchema):
    """A department with its engagement in the period."""

    department_id = f.UUID(required=True)
    name = f.String(required=True)
    short_name = f.String(required=True)
    kind = f.String(required=True, metadata={"enum": ["administration", "company"]})
    rank = _count("1 = am meisten beteiligt; gleiche Punktzahl, gleicher Rang")
    score = _count("Summe der sechs Zahlen")
    ideas_submitted = _count("Eingereichte Ideen")
    supports_pledged = _count("Zugesagte Mitwirkungen (auch später zurückgezogene)")
    group_seats = _count("Aufnahmen von Personen des Fachbereichs in Arbeitsgruppen")
    sessions_attended = _count("Besuchte Austauschformate (am Tag der Durchführung)")
    measures_owned = _count("Übernommene Maßnahmen (am Tag der Annahme)")
    benefits_received = _count("Festgehaltene Mehrwerte für den Fachbereich")
    reached_in_period = f.Boolean(
        required=True,
        metadata={"description": "Im Zeitraum an einem durchgeführten Austauschformat dabei"},
    )
    reached_ever = f.Boolean(
        required=True,
        metadata={"description": "Je an einem durchgeführten Austauschformat dabei"},
    )


class NotReachedSchema(ResponseSchema):
    """A department no exchange session held in the period reached."""

    department_id = f.UUID(required=True)
    name = f.String(required=True)
    short_name = f.String(required=True)
    reached_ever = f.Boolean(required=True, metadata={"description": "false: noch nie erreicht"})


class AllianceSchema(ResponseSchema):
    """The ranking of a period (both days included), most engaged first."""

    start = f.Date(data_key="from", required=True)
    end = f.Date(data_key="to", required=True)
    items = f.List(f.Nested(AllianceRowSchema), required=True)
    not_reached = f.List(f.Nested(NotReachedSchema), required=True)
    totals = f.Dict(
        keys=f.String(),
        values=f.Integer(),
        required=True,
        metadata={"description": "Art des Beitrags → Summe über alle Fachbereiche"},
    )


# -- helpers ---------------------------------------------------------------------------------


def _today() -> dt.date:
    clock = planner().clock
    now = clock() if clock is not None else dt.datetime.now(dt.UTC)
    return now.astimezone(ZoneInfo(TIMEZONE)).date()


def _row(row: AllianceRow) -> dict[str, Any]:
    return {
        "department_id": row.department_id,
        "name": row.name,
        "short_name": row.short_name,
        "kind": row.kind,
        "rank": row.rank,
        "score": row.score,
        **{kind: getattr(row, kind) for kind in ENGAGEMENT_KINDS},
        "reached_in_period": row.reached_in_period,
        "reached_ever": row.reached_ever,
    }


def alliance_data(result: Alliance) -> dict[str, Any]:
    return {
        "start": result.start,
        "end": result.end,
        "items": [_row(r) for r in result.rows],
        "not_reached": [
            {
                "department_id": r.department_id,
                "name": r.name,
                "short_name": r.short_name,
                "reached_ever": r.reached_ever,
            }
            for r in result.not_reached
        ],
        "totals": result.totals,
    }


# -- routes ------------------------------------------------------------------------------------


@operation(
    bp,
    "/alliance",
    "GET",
    summary="Allianz der Willigen: Beteiligung je Fachbereich in einem Zeitraum",
    tag=TAG,
    query=AllianceQuerySchema,
    response=AllianceSchema,
    errors=(422,),
)
def get_alliance() -> Response:
    """Every department ranked by its engagement from `from` to `to` (both included).

    Without `from` and `to`: the last twelve months up to today (Berlin). The score is the sum
    of the six counts; equal scores share a rank. `not_reached` lists the departments that
    took part in no exchange session held in the period.
    """
    query = load_query(AllianceQuerySchema)
    try:
        result = perform(
            planner().read_models.alliance, query.get("start"), query.get("end"), today=_today()
        )
    except InvalidQuery as error:
        message = localized(error.message)
        field = QUERY_FIELDS.get(error.field, error.field)
        raise ApiError(
            422, "validation", _l("Bitte die markierten Angaben prüfen."), fields={field: [message]}
        ) from None
    return respond(AllianceSchema, alliance_data(result))
