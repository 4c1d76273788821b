"""Factions, political rounds, briefings and published measures in the API (issue 8, part 4).

A token of an ambassador-only person reaches only the three reading operations marked for
ambassadors here (the briefing of a round, the published measures); api/core.py refuses
everything else with 403 `forbidden`.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, url_for
from flask_babel import lazy_gettext as _l

from ideation.application.cooperation import FactionView, PoliticalRoundView
from ideation.domain.politics import (
    FACTION_STATUS_LABELS,
    ROUND_STATUS_LABELS,
    FactionStatus,
    RoundStatus,
)
from ideation.entrypoints.api import fields as f
from ideation.entrypoints.api.core import (
    AMBASSADOR_ENDPOINTS,
    COMMAND_ERRORS,
    RequestSchema,
    ResponseSchema,
    actor_id,
    api_blueprint,
    change,
    expected_version,
    load_body,
    operation,
    perform,
    planner,
    respond,
)
from ideation.entrypoints.api.errors import ApiError
from ideation.entrypoints.api.schemas import page_schema
from ideation.entrypoints.i18n import localized
from ideation.readmodels.politics import Briefing, PublishedMeasure

bp = api_blueprint("politics")
TAG = "Politische Runden"
BRIEFING_TAG = "Briefings"

FACTION_STATUSES = tuple(s.value for s in FactionStatus)
ROUND_STATUSES = tuple(s.value for s in RoundStatus)
MEASURE_STATUSES = ("planned", "in_progress", "implemented")
MAX_FACTIONS = 30
MAX_ENTRIES = 50


def _version() -> f.Integer:
    return f.Integer(
        validate=f.between(1, 1_000_000_000),
        metadata={"description": "Die Version, die Sie kennen (statt If-Match)"},
    )


def for_ambassadors(view: Any) -> Any:
    """Let an ambassador-only token call this (reading) operation."""
    AMBASSADOR_ENDPOINTS.add(f"{bp.name}.{view.__name__}")
    return view


# -- schemas --------------------------------------------------------------------------------


class FactionSchema(ResponseSchema):
    """A council faction."""

    id = f.UUID(required=True)
    version = f.Integer(required=True)
    name = f.String(required=True)
    short_name = f.String(required=True)
    status = f.String(required=True, metadata={"enum": list(FACTION_STATUSES)})
    status_label = f.String(required=True)


FactionPageSchema = page_schema(FactionSchema, "FactionPage")


class RegisterFactionSchema(RequestSchema):
    name = f.String(required=True, validate=f.length(2, 200))
    short_name = f.String(required=True, validate=f.length(1, 30))


class RenameFactionSchema(RequestSchema):
    name = f.String(required=True, validate=f.length(2, 200))
    short_name = f.String(required=True, validate=f.length(1, 30))
    expected_version = _version()


class RetireFactionSchema(RequestSchema):
    reason = f.String(required=True, validate=f.length(1, 5000))
    expected_version = _version()


class PoliticalRoundSummarySchema(ResponseSchema):
    """A political round in a list."""

    id = f.UUID(required=True)
    version = f.Integer(required=True)
    status = f.String(required=True, metadata={"enum": list(ROUND_STATUSES)})
    status_label = f.String(required=True)
    scheduled_on = f.Date(required=True)
    held_on = f.Date(required=True, allow_none=True)
    title = f.String(required=True)
    questions_count = f.Integer(required=True)
    suggestions_count = f.Integer(required=True)
    adopted_count = f.Integer(required=True)


PoliticalRoundPageSchema = page_schema(PoliticalRoundSummarySchema, "PoliticalRoundPage")


class RoundSuggestionSchema(ResponseSchema):
    index = f.Integer(required=True)
    text = f.String(required=True)
    idea_id = f.UUID(
        required=True,
        allow_none=True,
        metadata={"description": "Die Idee, die aus der Anregung wurde (null: noch keine)"},
    )


class PoliticalRoundSchema(ResponseSchema):
    """A political round with its factions, questions and suggestions."""

    id = f.UUID(required=True)
    version = f.Integer(required=True)
    status = f.String(required=True, metadata={"enum": list(ROUND_STATUSES)})
    status_label = f.String(required=True)
    scheduled_on = f.Date(required=True)
    title = f.String(required=True)
    invited_faction_ids = f.List(f.UUID(), required=True)
    held_on = f.Date(required=True, allow_none=True)
    attending_faction_ids = f.List(f.UUID(), required=True)
    questions = f.List(f.String(), required=True)
    suggestions = f.List(f.Nested(RoundSuggestionSchema), required=True)
    notes = f.String(required=True)
    cancellation_reason = f.String(required=True)


class PlanPoliticalRoundSchema(RequestSchema):
    scheduled_on = f.Date(required=True)
    title = f.String(required=True, validate=f.length(3, 200))
    invited_faction_ids = f.List(
        f.UUID(), load_default=list, validate=f.at_most_items(MAX_FACTIONS)
    )


class RecordPoliticalRoundSchema(RequestSchema):
    held_on = f.Date(required=True)
    attending_faction_ids = f.List(f.UUID(), required=True, validate=f.at_most_items(MAX_FACTIONS))
    questions = f.List(
        f.String(validate=f.length(1, 1000)),
        load_default=list,
        validate=f.at_most_items(MAX_ENTRIES),
    )
    suggestions = f.List(
        f.String(validate=f.length(1, 1000)),
        load_default=list,
        validate=f.at_most_items(MAX_ENTRIES),
    )
    notes = f.String(load_default="", validate=f.length(maximum=20000))
    expected_version = _version()


class CancelPoliticalRoundSchema(RequestSchema):
    reason = f.String(required=True, validate=f.length(1, 5000))
    expected_version = _version()


class AdoptRoundSuggestionSchema(RequestSchema):
    department_id = f.UUID(required=True)
    title = f.String(required=True, validate=f.length(1, 200))
    summary = f.String(required=True, validate=f.length(1, 500))
    description = f.String(load_default="", validate=f.length(maximum=20000))
    themes = f.List(
        f.String(validate=f.length(1, 60)), load_default=list, validate=f.at_most_items(20)
    )
    expected_version = _version()


class AdoptedSuggestionSchema(ResponseSchema):
    """The idea a suggestion became, and the round's new version."""

    idea_id = f.UUID(required=True)
    round_id = f.UUID(required=True)
    round_version = f.Integer(required=True)


class PublishedBenefitSchema(ResponseSchema):
    department_id = f.UUID(required=True)
    department_name = f.String(required=True)
    description = f.String(required=True)


class PublishedMeasureSchema(ResponseSchema):
    """A published measure (at least one goal, not cancelled): public facts only."""

    id = f.UUID(required=True)
    title = f.String(required=True)
    owner_department_id = f.UUID(required=True)
    owner_department_name = f.String(required=True)
    quick_win = f.Boolean(required=True)
    status = f.String(required=True, metadata={"enum": list(MEASURE_STATUSES)})
    status_label = f.String(required=True)
    progress = f.Integer(required=True)
    implemented_on = f.Date(required=True, allow_none=True)
    benefits = f.List(f.Nested(PublishedBenefitSchema), required=True)


PublishedMeasurePageSchema = page_schema(PublishedMeasureSchema, "PublishedMeasurePage")


class PublishedGoalSchema(ResponseSchema):
    statement = f.String(required=True)
    indicator = f.String(required=True)
    target = f.String(required=True)


class PublishedMilestoneSchema(ResponseSchema):
    measure_id = f.UUID(required=True)
    measure_title = f.String(required=True)
    title = f.String(required=True)
    due_on = f.Date(required=True)
    reached_on = f.Date(required=True, allow_none=True)


class PublishedMeasureDetailSchema(PublishedMeasureSchema):
    """A published measure with its goals and milestones."""

    goals = f.List(f.Nested(PublishedGoalSchema), required=True)
    milestones = f.List(f.Nested(PublishedMilestoneSchema), required=True)


class BriefingFactionSchema(ResponseSchema):
    faction_id = f.UUID(required=True)
    name = f.String(required=True)
    short_name = f.String(required=True)
    invited = f.Boolean(required=True)
    attended = f.Boolean(required=True)


class KeyFiguresSchema(ResponseSchema):
    published = f.Integer(required=True)
    in_progress = f.Integer(required=True)
    implemented = f.Integer(required=True)
    quick_wins_in_period = f.Integer(required=True)
    departments_benefiting = f.Integer(required=True)


class StatusCountSchema(ResponseSchema):
    status = f.String(required=True, metadata={"enum": list(MEASURE_STATUSES)})
    label = f.String(required=True)
    count = f.Integer(required=True)


class DepartmentBenefitCountSchema(ResponseSchema):
    department_id = f.UUID(required=True)
    name = f.String(required=True)
    count = f.Integer(required=True)


class BriefingSchema(ResponseSchema):
    """The briefing of a round: the period, published quick wins, measures, figures."""

    round = f.Nested(PoliticalRoundSummarySchema, required=True)
    factions = f.List(f.Nested(BriefingFactionSchema), required=True)
    previous_round = f.Nested(PoliticalRoundSummarySchema, required=True, allow_none=True)
    period_start = f.Date(
        required=True,
        allow_none=True,
        metadata={"description": "Ausschließlich; null: seit Beginn (keine frühere Runde)"},
    )
    period_end = f.Date(required=True, metadata={"description": "Einschließlich: Datum der Runde"})
    milestones_until = f.Date(required=True)
    quick_wins = f.List(f.Nested(PublishedMeasureSchema), required=True)
    in_progress = f.List(f.Nested(PublishedMeasureSchema), required=True)
    upcoming_milestones = f.List(f.Nested(PublishedMilestoneSchema), required=True)
    figures = f.Nested(KeyFiguresSchema, required=True)
    status_counts = f.List(f.Nested(StatusCountSchema), required=True)
    benefits_per_department = f.List(f.Nested(DepartmentBenefitCountSchema), required=True)


# -- helpers -----------------------------------------------------------------------------------


def faction_data(view: Any) -> dict[str, Any]:
    return {
        "id": view.id,
        "version": view.version,
        "name": view.name,
        "short_name": view.short_name,
        "status": view.status,
        "status_label": localized(FACTION_STATUS_LABELS[FactionStatus(view.status)]),
    }


def round_summary(row: Any) -> dict[str, Any]:
    return {
        **row.__dict__,
        "status_label": localized(ROUND_STATUS_LABELS[RoundStatus(row.status)]),
    }


def round_data(view: PoliticalRoundView) -> dict[str, Any]:
    return {
        **view.__dict__,
        "status_label": localized(ROUND_STATUS_LABELS[RoundStatus(view.status)]),
        "suggestions": [s.__dict__ for s in view.suggestions],
    }


def measure_data(m: PublishedMeasure) -> dict[str, Any]:
    return {
        **m.__dict__,
        "status_label": localized(m.status_label),
        "benefits": [b.__dict__ for b in m.benefits],
    }


def briefing_data(b: Briefing) -> dict[str, Any]:
    return {
        "round": round_summary(b.round),
        "factions": [x.__dict__ for x in b.factions],
        "previous_round": round_summary(b.previous_round) if b.previous_round else None,
        "period_start": b.period_start,
        "period_end": b.period_end,
        "milestones_until": b.milestones_until,
        "quick_wins": [measure_data(m) for m in b.quick_wins],
        "in_progress": [measure_data(m) for m in b.in_progress],
        "upcoming_milestones": [m.__dict__ for m in b.upcoming_milestones],
        "figures": b.figures.__dict__,
        "status_counts": [
            {"status": c.status, "label": localized(c.label), "count": c.count}
            for c in b.status_counts
        ],
        "benefits_per_department": [c.__dict__ for c in b.benefits_per_department],
    }


def respond_faction(faction_id: UUID, status: int = 200) -> Response:
    view: FactionView = perform(planner().get_faction, faction_id)
    location = None
    if status == 201:
        location = url_for("api_politics.get_faction", faction_id=faction_id)
    return respond(
        FactionSchema, faction_data(view), status=status, version=view.version, location=location
    )


def respond_round(round_id: UUID, status: int = 200) -> Response:
    view = perform(planner().get_political_round, round_id)
    location = None
    if status == 201:
        location = url_for("api_politics.get_political_round", round_id=round_id)
    return respond(
        PoliticalRoundSchema,
        round_data(view),
        status=status,
        version=view.version,
        location=location,
    )


def _not_found(message: Any) -> ApiError:
    return ApiError(404, "not_found", message)


# -- factions -----------------------------------------------------------------------------------


@operation(
    bp,
    "/factions",
    "GET",
    summary="Fraktionen auflisten",
    tag=TAG,
    response=FactionPageSchema,
)
def list_factions() -> Response:
    """The council factions, those in the council first, then retired ones; by name."""
    rows = planner().read_models.list_factions()
    return respond(FactionPageSchema, {"items": [faction_data(r) for r in rows], "next": None})


@operation(
    bp,
    "/factions",
    "POST",
    summary="Fraktion eintragen",
    tag=TAG,
    body=RegisterFactionSchema,
    response=FactionSchema,
    status=201,
    errors=(403, 422),
)
def register_faction() -> Response:
    """Add a council faction to the list (coordination or administration)."""
    body = load_body(RegisterFactionSchema)
    faction_id = perform(planner().register_faction, actor_id(), body["name"], body["short_name"])
    return respond_faction(faction_id, status=201)


@operation(
    bp,
    "/factions/<uuid:faction_id>",
    "GET",
    summary="Eine Fraktion lesen",
    tag=TAG,
    response=FactionSchema,
    errors=(404,),
)
def get_faction(faction_id: UUID) -> Response:
    """The faction with its status and version (ETag)."""
    return respond_faction(faction_id)


@operation(
    bp,
    "/factions/<uuid:faction_id>/rename",
    "POST",
    summary="Fraktion umbenennen",
    tag=TAG,
    body=RenameFactionSchema,
    response=FactionSchema,
    errors=COMMAND_ERRORS,
)
def rename_faction(faction_id: UUID) -> Response:
    """Give a faction a new name and short name (coordination or administration)."""
    body = load_body(RenameFactionSchema)
    change(planner().rename_faction, faction_id, body, body["name"], body["short_name"])
    return respond_faction(faction_id)


@operation(
    bp,
    "/factions/<uuid:faction_id>/retire",
    "POST",
    summary="Fraktion austragen",
    tag=TAG,
    body=RetireFactionSchema,
    response=FactionSchema,
    errors=COMMAND_ERRORS,
)
def retire_faction(faction_id: UUID) -> Response:
    """Take a faction off the council's list, with a reason."""
    body = load_body(RetireFactionSchema)
    change(planner().retire_faction, faction_id, body, body["reason"])
    return respond_faction(faction_id)


# -- rounds ---------------------------------------------------------------------------------------


@operation(
    bp,
    "/political-rounds",
    "GET",
    summary="Politische Runden auflisten",
    tag=TAG,
    response=PoliticalRoundPageSchema,
)
def list_political_rounds() -> Response:
    """Planned rounds (soonest first), then held and cancelled ones (newest first)."""
    rounds = planner().read_models.list_political_rounds()
    items = [round_summary(r) for r in (*rounds.upcoming, *rounds.past)]
    return respond(PoliticalRoundPageSchema, {"items": items, "next": None})


@operation(
    bp,
    "/political-rounds",
    "POST",
    summary="Politische Runde planen",
    tag=TAG,
    body=PlanPoliticalRoundSchema,
    response=PoliticalRoundSchema,
    status=201,
    errors=(403, 422),
)
def plan_political_round() -> Response:
    """Plan a round: date, title, invited factions (coordination)."""
    body = load_body(PlanPoliticalRoundSchema)
    round_id = perform(
        planner().plan_political_round,
        actor_id(),
        scheduled_on=body["scheduled_on"],
        title=body["title"],
        invited_faction_ids=body["invited_faction_ids"],
    )
    return respond_round(round_id, status=201)


@operation(
    bp,
    "/political-rounds/<uuid:round_id>",
    "GET",
    summary="Eine Politische Runde lesen",
    tag=TAG,
    response=PoliticalRoundSchema,
    errors=(404,),
)
def get_political_round(round_id: UUID) -> Response:
    """The round with its factions, questions, suggestions and version (ETag)."""
    return respond_round(round_id)


@operation(
    bp,
    "/political-rounds/<uuid:round_id>/record",
    "POST",
    summary="Politische Runde festhalten",
    tag=TAG,
    body=RecordPoliticalRoundSchema,
    response=PoliticalRoundSchema,
    errors=COMMAND_ERRORS,
)
def record_political_round(round_id: UUID) -> Response:
    """Record a planned round as held: day, attending factions, questions, suggestions."""
    body = load_body(RecordPoliticalRoundSchema)
    change(
        planner().record_political_round,
        round_id,
        body,
        held_on=body["held_on"],
        attending_faction_ids=body["attending_faction_ids"],
        questions=body["questions"],
        suggestions=body["suggestions"],
        notes=body["notes"],
    )
    return respond_round(round_id)


@operation(
    bp,
    "/political-rounds/<uuid:round_id>/cancel",
    "POST",
    summary="Politische Runde absagen",
    tag=TAG,
    body=CancelPoliticalRoundSchema,
    response=PoliticalRoundSchema,
    errors=COMMAND_ERRORS,
)
def cancel_political_round(round_id: UUID) -> Response:
    """Call a planned round off, with a reason (coordination)."""
    body = load_body(CancelPoliticalRoundSchema)
    change(planner().cancel_political_round, round_id, body, body["reason"])
    return respond_round(round_id)


@operation(
    bp,
    "/political-rounds/<uuid:round_id>/suggestions/<int:index>/adopt",
    "POST",
    summary="Anregung als Idee übernehmen",
    tag=TAG,
    body=AdoptRoundSuggestionSchema,
    response=AdoptedSuggestionSchema,
    status=201,
    errors=COMMAND_ERRORS,
    description=(
        "Macht aus der Anregung Nummer index (ab 0) eine Idee des Fachbereichs mit der "
        "Herkunft „Politische Runde“. If-Match bzw. expected_version meinen die Version der "
        "RUNDE; Location zeigt auf die neue Idee."
    ),
)
def adopt_round_suggestion(round_id: UUID, index: int) -> Response:
    """Turn a held round's suggestion into an idea; answers the idea's id (201)."""
    body = load_body(AdoptRoundSuggestionSchema)
    expected = expected_version(body)
    idea_id = perform(
        planner().adopt_round_suggestion,
        actor_id(),
        round_id,
        expected.version,
        suggestion_index=index,
        department_id=body["department_id"],
        title=body["title"],
        summary=body["summary"],
        description=body["description"],
        themes=body["themes"],
        caller_version=expected,
    )
    view = perform(planner().get_political_round, round_id)
    return respond(
        AdoptedSuggestionSchema,
        {"idea_id": idea_id, "round_id": round_id, "round_version": view.version},
        status=201,
        version=view.version,
        location=url_for("api_ideas.get_idea", idea_id=idea_id),
    )


# -- briefings and published measures (also for ambassadors) --------------------------------------


@operation(
    bp,
    "/political-rounds/<uuid:round_id>/briefing",
    "GET",
    summary="Briefing einer Politischen Runde",
    tag=BRIEFING_TAG,
    response=BriefingSchema,
    errors=(404,),
)
@for_ambassadors
def get_briefing(round_id: UUID) -> Response:
    """The briefing: published quick wins of the period, measures, milestones, figures."""
    data = planner().read_models.briefing(round_id)
    if data is None:
        raise _not_found(_l("Diese Politische Runde gibt es nicht."))
    return respond(BriefingSchema, briefing_data(data))


@operation(
    bp,
    "/published-measures",
    "GET",
    summary="Veröffentlichte Maßnahmen auflisten",
    tag=BRIEFING_TAG,
    response=PublishedMeasurePageSchema,
)
@for_ambassadors
def list_published_measures() -> Response:
    """Measures with at least one goal that are not cancelled; running ones first."""
    rows = planner().read_models.list_published_measures()
    return respond(
        PublishedMeasurePageSchema, {"items": [measure_data(m) for m in rows], "next": None}
    )


@operation(
    bp,
    "/published-measures/<uuid:measure_id>",
    "GET",
    summary="Eine veröffentlichte Maßnahme lesen",
    tag=BRIEFING_TAG,
    response=PublishedMeasureDetailSchema,
    errors=(404,),
)
@for_ambassadors
def get_published_measure(measure_id: UUID) -> Response:
    """A published measure's public facts; 404 for an unknown or unpublished measure."""
    detail = planner().read_models.published_measure(measure_id)
    if detail is None:
        raise _not_found(_l("Diese Maßnahme ist nicht veröffentlicht."))
    goals = perform(planner().get_measure, measure_id).goals
    return respond(
        PublishedMeasureDetailSchema,
        {
            **measure_data(detail.measure),
            "goals": [
                {"statement": g["statement"], "indicator": g["indicator"], "target": g["target"]}
                for g in goals
            ],
            "milestones": [m.__dict__ for m in detail.milestones],
        },
    )
