"""The record in the API: the events feed, the hash chain's check, the dashboard figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates_schema
from marshmallow import fields as mf

from ideation.domain.actor import Role
from ideation.entrypoints.api import fields as f
from ideation.entrypoints.api.admin import require_roles
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
from ideation.entrypoints.api.schemas import DEFAULT_LIMIT, MAX_LIMIT, ActorSchema
from ideation.entrypoints.i18n import localized
from ideation.entrypoints.pages.common import department_name, person_name, prefetch_people
from ideation.readmodels.chain import describe_break
from ideation.readmodels.views import AuditRow, ChainHead, ChainVerification, Dashboard, Funnel

bp = api_blueprint("record")
TAG = "Nachweis"

# Like the audit and integrity pages: auditors and the coordination.
RECORD_READERS = (Role.AUDITOR, Role.COORDINATOR)
MAX_POSITION = 2**62
HEX_LINK_LENGTH = 64  # a SHA-256 value in hex
# The read model's stage "accepted" is an accepted idea whose measure has not started: the
# API calls that stage "planned" (as GET /ideas does).
API_FUNNEL_STAGES = {"accepted": "planned"}


# -- schemas --------------------------------------------------------------------------------


class EventsQuerySchema(RequestSchema):
    after = f.QueryInteger(
        load_default=0,
        validate=f.between(0, MAX_POSITION),
        metadata={"description": "Position, nach der die Seite beginnt (`next` der vorigen)"},
    )
    limit = f.QueryInteger(validate=f.between(1, MAX_LIMIT), load_default=DEFAULT_LIMIT)


class EventSchema(ResponseSchema):
    """One stored event of the notification log."""

    position = f.Integer(required=True, metadata={"description": "Position im Ereignisprotokoll"})
    occurred_at = f.DateTime(required=True)
    aggregate = f.String(
        required=True, metadata={"description": "Idea, Measure, WorkingGroup, Person …"}
    )
    aggregate_id = f.UUID(required=True)
    version = f.Integer(required=True)
    type = f.String(required=True, metadata={"description": "Ereignistyp, z. B. Idea.Accepted"})
    actor = f.Nested(ActorSchema, required=True)
    reason = f.String(allow_none=True, required=True)
    outcome = f.String(
        allow_none=True,
        required=True,
        metadata={"description": "Was entschieden wurde, wo der Typ es nicht sagt (z. B. Rolle)"},
    )
    related_id = f.UUID(
        allow_none=True,
        required=True,
        metadata={"description": "Das andere Objekt (Ziel einer Zusammenführung, Maßnahme …)"},
    )


class EventPageSchema(ResponseSchema):
    """A page of the events feed."""

    items = f.List(f.Nested(EventSchema), required=True)
    next = f.String(
        allow_none=True,
        required=True,
        metadata={"description": "Position des letzten Eintrags (als after), null am Ende"},
    )


class VerifyQuerySchema(RequestSchema):
    expected_position = f.QueryInteger(
        validate=f.between(1, MAX_POSITION),
        metadata={"description": "Aufbewahrte Position des Kettenkopfs (mit expected_link)"},
    )
    expected_link = f.String(
        validate=f.length(HEX_LINK_LENGTH, HEX_LINK_LENGTH),
        metadata={"description": "Aufbewahrter Kettenwert (SHA-256, hex)"},
    )

    @validates_schema
    def kept_head(self, data: dict[str, Any], **_: Any) -> None:
        """A kept head is a position and a link, both or neither; the link is hex."""
        link = data.get("expected_link")
        if link is not None and any(c not in "0123456789abcdefABCDEF" for c in link):
            raise ValidationError(
                _l("Ein SHA-256-Wert hat genau 64 Zeichen aus 0–9 und a–f."), "expected_link"
            )
        if "expected_position" in data and link is None:
            raise ValidationError(
                _l("Bitte Position und Kettenwert zusammen angeben."), "expected_link"
            )
        if link is not None and "expected_position" not in data:
            raise ValidationError(
                _l("Bitte Position und Kettenwert zusammen angeben."), "expected_position"
            )


class ChainHeadSchema(ResponseSchema):
    position = f.Integer(
        required=True, metadata={"description": "0, solange nichts gespeichert ist"}
    )
    link = f.String(required=True, metadata={"description": "SHA-256 des Kettenglieds, hex"})
    occurred_at = f.DateTime(allow_none=True, required=True)
    length = f.Integer(
        required=True, metadata={"description": "Wie viele Datensätze verkettet sind"}
    )


class ChainBreakSchema(ResponseSchema):
    position = f.Integer(required=True)
    kind = f.String(
        required=True, metadata={"enum": ["changed", "removed", "inserted", "moved", "chain"]}
    )
    other_position = f.Integer(allow_none=True, required=True)
    message = f.String(required=True)


class VerificationSchema(ResponseSchema):
    """What recomputing the hash chain from the event table found."""

    status = f.String(
        required=True,
        metadata={"enum": ["ok", "broken"], "description": "ok: Kette intakt (und wie aufbewahrt)"},
    )
    intact = f.Boolean(required=True)
    checked = f.Integer(required=True, metadata={"description": "Nachgerechnete Datensätze"})
    head = f.Nested(ChainHeadSchema, required=True)
    first_break = f.Nested(ChainBreakSchema, allow_none=True, required=True)
    expected_matches = f.Boolean(
        allow_none=True,
        required=True,
        metadata={"description": "Stimmt der aufbewahrte Kopf? null, wenn nicht gefragt"},
    )


class DashboardQuerySchema(RequestSchema):
    as_of = f.DateTime(metadata={"description": "Der Trichter, wie er zu diesem Zeitpunkt war"})


class FunnelStageSchema(ResponseSchema):
    stage = f.String(required=True)
    label = f.String(required=True)
    count = f.Integer(required=True)
    closed = f.Boolean(required=True, metadata={"description": "Endet den Weg (abgelehnt …)"})


class QuickWinSchema(ResponseSchema):
    measure_id = f.UUID(required=True)
    idea_id = f.UUID(required=True)
    title = f.String(required=True)
    owner_department_id = f.UUID(required=True)
    implemented_on = f.Date(allow_none=True, required=True)


class DepartmentFiguresSchema(ResponseSchema):
    department_id = f.UUID(required=True)
    name = f.String(required=True)
    short_name = f.String(required=True)
    ideas_submitted = f.Integer(required=True)
    supports_pledged = f.Integer(required=True)
    measures_owned = f.Integer(required=True)
    benefits_received = f.Integer(required=True)


class FiguresSchema(ResponseSchema):
    quick_wins_implemented = f.Integer(required=True)
    latest_quick_wins = f.List(f.Nested(QuickWinSchema), required=True)
    median_days_to_decision = mf.Float(allow_none=True, required=True)
    decisions_counted = f.Integer(required=True)
    median_days_to_implementation = mf.Float(allow_none=True, required=True)
    implementations_counted = f.Integer(required=True)
    departments = f.List(f.Nested(DepartmentFiguresSchema), required=True)


class DashboardSchema(ResponseSchema):
    """The funnel (ideas per stage) and the coordination's figures."""

    as_of = f.DateTime(
        allow_none=True, required=True, metadata={"description": "null: der aktuelle Stand"}
    )
    funnel = f.Dict(
        keys=f.String(),
        values=f.Integer(),
        required=True,
        metadata={"description": "Stufe → Anzahl der Ideen (Reihenfolge: siehe stages)"},
    )
    stages = f.List(f.Nested(FunnelStageSchema), required=True)
    total = f.Integer(required=True)
    figures = f.Nested(
        FiguresSchema,
        allow_none=True,
        required=True,
        metadata={"description": "Kennzahlen; null mit as_of (nur der Trichter wird nachgespielt)"},
    )


# -- helpers ---------------------------------------------------------------------------------


def event_items(rows: list[AuditRow]) -> list[dict[str, Any]]:
    """Audit rows as feed items, with names for people and departments."""
    prefetch_people(r.actor_person_id for r in rows if r.actor_role != Role.SYSTEM)
    return [
        {
            "position": r.position,
            "occurred_at": r.occurred_at,
            "aggregate": r.aggregate_type,
            "aggregate_id": r.aggregate_id,
            "version": r.aggregate_version,
            "type": r.event_type,
            "actor": {
                "id": r.actor_person_id,
                "name": str(_l("System"))
                if r.actor_role == Role.SYSTEM
                else person_name(r.actor_person_id),
                "department": department_name(r.actor_department_id)
                if r.actor_department_id
                else None,
                "department_id": r.actor_department_id,
                "role": r.actor_role,
            },
            "reason": r.reason,
            "outcome": r.outcome,
            "related_id": r.related_id,
        }
        for r in rows
    ]


def head_data(head: ChainHead) -> dict[str, Any]:
    return head.__dict__


def verification_data(result: ChainVerification) -> dict[str, Any]:
    broken = result.first_break
    return {
        "status": "ok" if result.intact else "broken",
        "intact": result.intact,
        "checked": result.checked,
        "head": head_data(result.head),
        "first_break": None
        if broken is None
        else {**broken.__dict__, "message": localized(describe_break(broken))},
        "expected_matches": result.expected_matches,
    }


def funnel_data(funnel: Funnel) -> dict[str, Any]:
    stages = [
        {
            "stage": API_FUNNEL_STAGES.get(s.stage, s.stage),
            "label": localized(s.label),
            "count": s.count,
            "closed": s.closed,
        }
        for s in funnel.stages
    ]
    return {
        "funnel": {s["stage"]: s["count"] for s in stages},
        "stages": stages,
        "total": funnel.total,
    }


def figures_data(dashboard: Dashboard) -> dict[str, Any]:
    return {
        **dashboard.__dict__,
        "latest_quick_wins": [
            {
                "measure_id": m.id,
                "idea_id": m.idea_id,
                "title": m.title,
                "owner_department_id": m.owner_department_id,
                "implemented_on": m.implemented_on,
            }
            for m in dashboard.latest_quick_wins
        ],
        "departments": [{**d.__dict__, "department_id": d.id} for d in dashboard.departments],
    }


def utc_moment(moment: dt.datetime) -> dt.datetime:
    """The moment in UTC; 422 for a moment past the calendar's ends in UTC."""
    try:
        return moment.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise ApiError(
            422,
            "validation",
            _l("Bitte die markierten Angaben prüfen."),
            fields={"as_of": [str(_l("Der Zeitpunkt lässt sich nicht darstellen."))]},
        ) from None


# -- routes ------------------------------------------------------------------------------------


@operation(
    bp,
    "/events",
    "GET",
    summary="Ereignisprotokoll als Feed (Prüfung und Koordination)",
    tag=TAG,
    query=EventsQuerySchema,
    response=EventPageSchema,
    errors=(403, 422),
)
def list_events() -> Response:
    """Every stored event after `after` in commit order; `next` is the position to ask after."""
    require_roles(*RECORD_READERS)
    query = load_query(EventsQuerySchema)
    limit = query["limit"]
    rows = perform(planner().read_models.audit_rows_after, query["after"], limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    next_position = str(rows[-1].position) if more else None
    return respond(EventPageSchema, {"items": event_items(rows), "next": next_position})


@operation(
    bp,
    "/audit/verify",
    "GET",
    summary="Hash-Kette prüfen (Status und Kettenkopf)",
    tag=TAG,
    query=VerifyQuerySchema,
    response=VerificationSchema,
    errors=(403, 422),
)
def verify_chain() -> Response:
    """Recompute the hash chain from the event table, optionally against a kept head."""
    require_roles(*RECORD_READERS)
    query = load_query(VerifyQuerySchema)
    expected = None
    if "expected_position" in query:
        expected = (query["expected_position"], query["expected_link"].lower())
    result = perform(planner().read_models.verify_chain, expected=expected)
    return respond(VerificationSchema, verification_data(result))


@operation(
    bp,
    "/dashboard",
    "GET",
    summary="Trichter und Kennzahlen (auch zu einem früheren Zeitpunkt)",
    tag=TAG,
    query=DashboardQuerySchema,
    response=DashboardSchema,
    errors=(422,),
)
def get_dashboard() -> Response:
    """The ideas per stage and the figures now, or with `as_of` the funnel as it was then."""
    query = load_query(DashboardQuerySchema)
    if "as_of" in query:
        moment = utc_moment(query["as_of"])
        then = perform(planner().read_models.planner_as_of, moment)
        data = {"as_of": moment, **funnel_data(then.funnel), "figures": None}
    else:
        dashboard = perform(planner().read_models.dashboard)
        data = {"as_of": None, **funnel_data(dashboard.funnel), "figures": figures_data(dashboard)}
    return respond(DashboardSchema, data)
