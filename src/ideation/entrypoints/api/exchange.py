"""Exchange formats and digital pilots in the API (issue 8, parts 1 and 2).

Sessions: list (filters kind, status), plan, read (with ETag), reschedule, record as held,
cancel, and the figures per kind. Pilots: list, nominate, read, confirm, withdraw, and the
pilots of one department. Every signed-in caller may read; the commands are the
coordination's (the application refuses everyone else with 403).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ideation.application.cooperation import ExchangeSessionView, PilotView
from ideation.domain.exchange import (
    EXCHANGE_KIND_LABELS,
    EXCHANGE_STATUS_LABELS,
    MAX_DEPARTMENTS,
    MAX_NEED_LENGTH,
    MAX_NEEDS,
    MAX_PARTICIPANTS,
    ExchangeKind,
    ExchangeStatus,
)
from ideation.domain.pilot import PILOT_STATUS_LABELS, PilotStatus
from ideation.entrypoints.api import fields as f
from ideation.entrypoints.api.core import (
    COMMAND_ERRORS,
    RequestSchema,
    ResponseSchema,
    actor_id,
    api_blueprint,
    change,
    load_body,
    load_query,
    operation,
    perform,
    planner,
    respond,
)
from ideation.entrypoints.api.errors import ApiError
from ideation.entrypoints.api.ideas import API_STAGES, api_stage
from ideation.entrypoints.api.schemas import page_schema
from ideation.entrypoints.i18n import localized
from ideation.entrypoints.pages.common import department_names, person_name, prefetch_people

bp = api_blueprint("exchange")
TAG = "Austauschformate"
PILOT_TAG = "Digitallotsinnen und -lotsen"

KINDS = tuple(k.value for k in ExchangeKind)
SESSION_STATUSES = tuple(s.value for s in ExchangeStatus)
PILOT_STATUSES = tuple(s.value for s in PilotStatus)
MAX_REASON = 5000
MAX_NOTE = 2000


def _version() -> f.Integer:
    return f.Integer(
        validate=f.between(1, 1_000_000_000),
        metadata={"description": "Die Version, die Sie kennen (statt If-Match)"},
    )


def _kind_label(kind: str | None) -> str:
    if kind is None:
        return _("Alle Formate")
    return localized(EXCHANGE_KIND_LABELS[ExchangeKind(kind)])


# -- schemas --------------------------------------------------------------------------------


class SessionFactsSchema(ResponseSchema):
    """What a session's list entry and its full description share."""

    id = f.UUID(required=True)
    version = f.Integer(required=True)
    kind = f.String(required=True, metadata={"enum": list(KINDS)})
    kind_label = f.String(required=True)
    status = f.String(required=True, metadata={"enum": list(SESSION_STATUSES)})
    status_label = f.String(required=True)
    scheduled_on = f.Date(required=True)
    held_on = f.Date(allow_none=True, required=True)
    topic = f.String(required=True)
    host_person_id = f.UUID(required=True)
    host_name = f.String(required=True)
    round_department_id = f.UUID(allow_none=True, required=True)


class ExchangeSessionSummarySchema(SessionFactsSchema):
    """A session of an exchange format in a list."""

    invited_count = f.Integer(required=True)
    participating_count = f.Integer(required=True)
    participant_count = f.Integer(required=True)
    needs_count = f.Integer(required=True)
    ideas_collected = f.Integer(
        required=True, metadata={"description": "Ideen, die diesen Termin als Herkunft nennen"}
    )


ExchangeSessionPageSchema = page_schema(ExchangeSessionSummarySchema, "ExchangeSessionPage")


class ExchangeSessionIdeaSchema(ResponseSchema):
    """An idea that came from the session, with its measure."""

    id = f.UUID(required=True)
    title = f.String(required=True)
    stage = f.String(required=True, metadata={"enum": list(API_STAGES)})
    department_id = f.UUID(required=True)
    measure_id = f.UUID(allow_none=True, required=True)
    quick_win = f.Boolean(required=True)


class ExchangeSessionSchema(SessionFactsSchema):
    """A session with its departments, needs, notes and the ideas it brought."""

    invited_department_ids = f.List(f.UUID(), required=True)
    participating_department_ids = f.List(f.UUID(), required=True)
    participant_count = f.Integer(required=True)
    notes = f.String(required=True)
    needs = f.List(f.String(), required=True)
    cancellation_reason = f.String(required=True)
    ideas = f.List(f.Nested(ExchangeSessionIdeaSchema), required=True)


class ExchangeKindFiguresSchema(ResponseSchema):
    kind = f.String(
        allow_none=True,
        required=True,
        metadata={"enum": [*KINDS, None], "description": "null in der Summenzeile"},
    )
    kind_label = f.String(required=True)
    sessions_held = f.Integer(required=True)
    departments_reached = f.Integer(
        required=True, metadata={"description": "Verschiedene teilnehmende Fachbereiche"}
    )
    ideas_collected = f.Integer(required=True)
    measures = f.Integer(required=True)
    quick_wins = f.Integer(required=True)


class ExchangeFiguresSchema(ResponseSchema):
    """Per kind of format what the sessions brought, and the total."""

    kinds = f.List(f.Nested(ExchangeKindFiguresSchema), required=True)
    total = f.Nested(ExchangeKindFiguresSchema, required=True)


class ListExchangeSessionsQuerySchema(RequestSchema):
    kind = f.String(validate=f.one_of(KINDS))
    status = f.String(validate=f.one_of(SESSION_STATUSES))


class PlanExchangeSessionSchema(RequestSchema):
    kind = f.String(required=True, validate=f.one_of(KINDS))
    scheduled_on = f.Date(required=True)
    topic = f.String(required=True, validate=f.length(3, 200))
    host_person_id = f.UUID(required=True)
    round_department_id = f.UUID(
        allow_none=True,
        load_default=None,
        metadata={"description": "Nur bei round_visit (Pflicht): wessen Abstimmungsrunde"},
    )
    invited_department_ids = f.List(
        f.UUID(), load_default=list, validate=f.at_most_items(MAX_DEPARTMENTS)
    )


class RescheduleExchangeSessionSchema(RequestSchema):
    scheduled_on = f.Date(required=True)
    note = f.String(load_default="", validate=f.length(maximum=MAX_NOTE))
    expected_version = _version()


class RecordExchangeSessionSchema(RequestSchema):
    held_on = f.Date(required=True)
    participating_department_ids = f.List(
        f.UUID(), required=True, validate=f.at_most_items(MAX_DEPARTMENTS)
    )
    participant_count = f.Integer(required=True, validate=f.between(1, MAX_PARTICIPANTS))
    notes = f.String(load_default="", validate=f.length(maximum=20000))
    needs = f.List(
        f.String(validate=f.length(1, MAX_NEED_LENGTH)),
        load_default=list,
        validate=f.at_most_items(MAX_NEEDS),
    )
    expected_version = _version()


class CancelExchangeSessionSchema(RequestSchema):
    reason = f.String(required=True, validate=f.length(1, MAX_REASON))
    expected_version = _version()


class PilotSummarySchema(ResponseSchema):
    """A person noted as a digital pilot or candidate."""

    id = f.UUID(required=True)
    version = f.Integer(required=True)
    person_id = f.UUID(required=True)
    person_name = f.String(required=True)
    department_id = f.UUID(allow_none=True, required=True)
    status = f.String(required=True, metadata={"enum": list(PILOT_STATUSES)})
    status_label = f.String(required=True)
    session_id = f.UUID(allow_none=True, required=True)
    session_topic = f.String(allow_none=True, required=True)
    reason = f.String(required=True)
    nominated_at = f.DateTime(required=True)
    since = f.DateTime(required=True, metadata={"description": "Letzte Änderung des Stands"})


PilotPageSchema = page_schema(PilotSummarySchema, "PilotPage")


class PilotSchema(PilotSummarySchema):
    """A pilot record with the note of the confirmation."""

    note = f.String(required=True)


class ListPilotsQuerySchema(RequestSchema):
    status = f.String(validate=f.one_of(PILOT_STATUSES))
    department_id = f.UUID()


class NominatePilotSchema(RequestSchema):
    person_id = f.UUID(required=True)
    reason = f.String(required=True, validate=f.length(1, MAX_REASON))
    session_id = f.UUID(
        allow_none=True,
        load_default=None,
        metadata={"description": "Das Austauschformat, bei dem man sich kennengelernt hat"},
    )


class ConfirmPilotSchema(RequestSchema):
    note = f.String(load_default="", validate=f.length(maximum=MAX_NOTE))
    expected_version = _version()


class WithdrawPilotSchema(RequestSchema):
    reason = f.String(required=True, validate=f.length(1, MAX_REASON))
    expected_version = _version()


# -- helpers ---------------------------------------------------------------------------------


def _summary(row: Any) -> dict[str, Any]:
    return {
        **row.__dict__,
        "kind_label": _kind_label(row.kind),
        "status_label": localized(EXCHANGE_STATUS_LABELS[ExchangeStatus(row.status)]),
        "host_name": person_name(row.host_person_id),
    }


def session_data(view: ExchangeSessionView) -> dict[str, Any]:
    """An ExchangeSessionView as the API shows it, with the ideas that came from it."""
    return {
        **view.__dict__,
        "kind_label": _kind_label(view.kind),
        "status_label": localized(EXCHANGE_STATUS_LABELS[ExchangeStatus(view.status)]),
        "host_name": person_name(view.host_person_id),
        "ideas": [
            {**i.__dict__, "stage": api_stage(i.status, i.stage)}
            for i in planner().read_models.exchange_session_ideas(view.id)
        ],
    }


def respond_session(session_id: UUID, status: int = 200) -> Response:
    """The session as it is now, with its ETag (and Location with 201)."""
    view = perform(planner().get_exchange_session, session_id)
    location = None
    if status == 201:
        location = url_for("api_exchange.get_exchange_session", session_id=session_id)
    return respond(
        ExchangeSessionSchema,
        session_data(view),
        status=status,
        version=view.version,
        location=location,
    )


def _pilot_summary(row: Any) -> dict[str, Any]:
    return {
        **row.__dict__,
        "person_name": person_name(row.person_id),
        "status_label": localized(PILOT_STATUS_LABELS[PilotStatus(row.status)]),
    }


def respond_pilot(pilot_id: UUID, status: int = 200) -> Response:
    """The pilot record as it is now, with its ETag (and Location with 201)."""
    view: PilotView = perform(planner().get_pilot, pilot_id)
    rows = planner().read_models.list_pilots(pilot_id=pilot_id)
    if not rows:
        raise ApiError(404, "not_found", _l("Diese Lotsenschaft gibt es nicht."))
    data = {**_pilot_summary(rows[0]), **view.__dict__}
    data["status_label"] = localized(PILOT_STATUS_LABELS[PilotStatus(view.status)])
    location = url_for("api_exchange.get_pilot", pilot_id=pilot_id) if status == 201 else None
    return respond(PilotSchema, data, status=status, version=view.version, location=location)


def _pilot_list(rows: list[Any]) -> Response:
    prefetch_people(r.person_id for r in rows)
    return respond(PilotPageSchema, {"items": [_pilot_summary(r) for r in rows], "next": None})


# -- sessions --------------------------------------------------------------------------------


@operation(
    bp,
    "/exchange-sessions",
    "GET",
    summary="Austauschformate auflisten",
    tag=TAG,
    query=ListExchangeSessionsQuerySchema,
    response=ExchangeSessionPageSchema,
    errors=(422,),
)
def list_exchange_sessions() -> Response:
    """Sessions, newest date first (held: the day held, else the planned day); all in one page."""
    query = load_query(ListExchangeSessionsQuerySchema)
    rows = planner().read_models.list_exchange_sessions(
        kind=query.get("kind"), status=query.get("status")
    )
    prefetch_people(r.host_person_id for r in rows)
    return respond(ExchangeSessionPageSchema, {"items": [_summary(r) for r in rows], "next": None})


@operation(
    bp,
    "/exchange-sessions",
    "POST",
    summary="Austauschformat planen",
    tag=TAG,
    body=PlanExchangeSessionSchema,
    response=ExchangeSessionSchema,
    status=201,
    errors=(403, 422),
)
def plan_exchange_session() -> Response:
    """Plan a session (coordination); unknown people or departments are 422 on their field."""
    body = load_body(PlanExchangeSessionSchema)
    session_id = perform(
        planner().plan_exchange_session,
        actor_id(),
        kind=body["kind"],
        scheduled_on=body["scheduled_on"],
        topic=body["topic"],
        host_person_id=body["host_person_id"],
        round_department_id=body["round_department_id"],
        invited_department_ids=body["invited_department_ids"],
    )
    return respond_session(session_id, status=201)


@operation(
    bp,
    "/exchange-sessions/figures",
    "GET",
    summary="Zahlen je Austauschformat",
    tag=TAG,
    response=ExchangeFiguresSchema,
)
def exchange_figures() -> Response:
    """Per kind: sessions held, departments reached, ideas collected, measures, quick wins."""
    figures = planner().read_models.exchange_figures()

    def row(r: Any) -> dict[str, Any]:
        return {**r.__dict__, "kind_label": _kind_label(r.kind)}

    return respond(
        ExchangeFiguresSchema,
        {"kinds": [row(r) for r in figures.kinds], "total": row(figures.total)},
    )


@operation(
    bp,
    "/exchange-sessions/<uuid:session_id>",
    "GET",
    summary="Ein Austauschformat lesen",
    tag=TAG,
    response=ExchangeSessionSchema,
    errors=(404,),
)
def get_exchange_session(session_id: UUID) -> Response:
    """The session with its departments, needs, notes, ideas, status and version (ETag)."""
    return respond_session(session_id)


@operation(
    bp,
    "/exchange-sessions/<uuid:session_id>/reschedule",
    "POST",
    summary="Austauschformat verschieben",
    tag=TAG,
    body=RescheduleExchangeSessionSchema,
    response=ExchangeSessionSchema,
    errors=COMMAND_ERRORS,
)
def reschedule_exchange_session(session_id: UUID) -> Response:
    """Move a planned session to another day (coordination)."""
    body = load_body(RescheduleExchangeSessionSchema)
    change(
        planner().reschedule_exchange_session,
        session_id,
        body,
        body["scheduled_on"],
        body["note"],
    )
    return respond_session(session_id)


@operation(
    bp,
    "/exchange-sessions/<uuid:session_id>/record",
    "POST",
    summary="Austauschformat als durchgeführt festhalten",
    tag=TAG,
    body=RecordExchangeSessionSchema,
    response=ExchangeSessionSchema,
    errors=COMMAND_ERRORS,
)
def record_exchange_session(session_id: UUID) -> Response:
    """Record a planned session as held: departments, head count, notes, needs (coordination)."""
    body = load_body(RecordExchangeSessionSchema)
    change(
        planner().record_exchange_session,
        session_id,
        body,
        held_on=body["held_on"],
        participating_department_ids=body["participating_department_ids"],
        participant_count=body["participant_count"],
        notes=body["notes"],
        needs=body["needs"],
    )
    return respond_session(session_id)


@operation(
    bp,
    "/exchange-sessions/<uuid:session_id>/cancel",
    "POST",
    summary="Austauschformat absagen",
    tag=TAG,
    body=CancelExchangeSessionSchema,
    response=ExchangeSessionSchema,
    errors=COMMAND_ERRORS,
)
def cancel_exchange_session(session_id: UUID) -> Response:
    """Call a planned session off, with a reason (coordination)."""
    body = load_body(CancelExchangeSessionSchema)
    change(planner().cancel_exchange_session, session_id, body, body["reason"])
    return respond_session(session_id)


# -- pilots ----------------------------------------------------------------------------------


@operation(
    bp,
    "/pilots",
    "GET",
    summary="Digitallotsinnen, -lotsen und Kandidaturen auflisten",
    tag=PILOT_TAG,
    query=ListPilotsQuerySchema,
    response=PilotPageSchema,
    errors=(422,),
)
def list_pilots() -> Response:
    """Confirmed pilots first, then candidates, then withdrawn ones; all in one page."""
    query = load_query(ListPilotsQuerySchema)
    rows = planner().read_models.list_pilots(
        status=query.get("status"), department_id=query.get("department_id")
    )
    return _pilot_list(rows)


@operation(
    bp,
    "/pilots",
    "POST",
    summary="Person als Kandidatin / Kandidat vormerken",
    tag=PILOT_TAG,
    body=NominatePilotSchema,
    response=PilotSchema,
    status=201,
    errors=(403, 409, 422),
    description=(
        "Vermerkt eine Person als Kandidatin oder Kandidat (die Koordination). Eine "
        "zurückgezogene Person wird erneut vorgemerkt (gleiche id). Ist die Person schon "
        "vermerkt, antwortet die API mit 422 und rule pilot.already_noted."
    ),
)
def nominate_pilot() -> Response:
    """Note a person as a candidate pilot, with a reason and optionally the session."""
    body = load_body(NominatePilotSchema)
    pilot_id = perform(
        planner().nominate_pilot,
        actor_id(),
        body["person_id"],
        body["reason"],
        body["session_id"],
    )
    return respond_pilot(pilot_id, status=201)


@operation(
    bp,
    "/pilots/<uuid:pilot_id>",
    "GET",
    summary="Eine Lotsenschaft lesen",
    tag=PILOT_TAG,
    response=PilotSchema,
    errors=(404,),
)
def get_pilot(pilot_id: UUID) -> Response:
    """The pilot record with status, session, reason, note and version (ETag)."""
    return respond_pilot(pilot_id)


@operation(
    bp,
    "/pilots/<uuid:pilot_id>/confirm",
    "POST",
    summary="Als Digitallotsin / -lotse bestätigen",
    tag=PILOT_TAG,
    body=ConfirmPilotSchema,
    body_optional=True,
    response=PilotSchema,
    errors=COMMAND_ERRORS,
)
def confirm_pilot(pilot_id: UUID) -> Response:
    """Confirm a candidate as a digital pilot, with an optional note (coordination)."""
    body = load_body(ConfirmPilotSchema)
    change(planner().confirm_pilot, pilot_id, body, body["note"])
    return respond_pilot(pilot_id)


@operation(
    bp,
    "/pilots/<uuid:pilot_id>/withdraw",
    "POST",
    summary="Lotsenschaft zurückziehen",
    tag=PILOT_TAG,
    body=WithdrawPilotSchema,
    response=PilotSchema,
    errors=COMMAND_ERRORS,
)
def withdraw_pilot(pilot_id: UUID) -> Response:
    """End a candidacy or a pilot role, with a reason (coordination)."""
    body = load_body(WithdrawPilotSchema)
    change(planner().withdraw_pilot, pilot_id, body, body["reason"])
    return respond_pilot(pilot_id)


@operation(
    bp,
    "/departments/<uuid:department_id>/pilots",
    "GET",
    summary="Digitallotsinnen und -lotsen eines Fachbereichs",
    tag=PILOT_TAG,
    response=PilotPageSchema,
    errors=(404,),
)
def list_department_pilots(department_id: UUID) -> Response:
    """The department's pilots and candidates (confirmed first); 404 for an unknown one."""
    if department_id not in department_names():
        raise ApiError(404, "not_found", _l("Diesen Fachbereich gibt es nicht."))
    return _pilot_list(planner().read_models.list_pilots(department_id=department_id))
