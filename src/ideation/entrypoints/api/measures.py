"""Measures in the API: list, read, goals, approach, milestones, progress, blocks, the end."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, url_for
from flask_babel import lazy_gettext as _l

from ideation.application.views import MeasureView
from ideation.domain.measure import MeasureStatus
from ideation.entrypoints.api import fields as f
from ideation.entrypoints.api.core import (
    COMMAND_ERRORS,
    RequestSchema,
    ResponseSchema,
    actor_id,
    api_blueprint,
    change,
    expected_version,
    load_body,
    load_query,
    operation,
    perform,
    planner,
    respond,
)
from ideation.entrypoints.api.errors import ApiError
from ideation.entrypoints.api.schemas import page_schema
from ideation.entrypoints.i18n import localized
from ideation.entrypoints.pages.main import local_today
from ideation.readmodels.queries import InvalidQuery
from ideation.readmodels.views import MeasureRow

bp = api_blueprint("measures")
TAG = "Maßnahmen"

MEASURE_STAGES = tuple(s.value for s in MeasureStatus)


def _version() -> f.Integer:
    return f.Integer(
        validate=f.between(1, 1_000_000_000),
        metadata={"description": "Die Version der Maßnahme, die Sie kennen (statt If-Match)"},
    )


# -- schemas --------------------------------------------------------------------------------


class MeasureGoalSchema(ResponseSchema):
    id = f.UUID(required=True, metadata={"description": "goal_id für PATCH …/goals/{goal_id}"})
    statement = f.String(required=True)
    indicator = f.String(required=True)
    target = f.String(required=True)


class MeasureMilestoneSchema(ResponseSchema):
    id = f.UUID(required=True)
    title = f.String(required=True)
    due_on = f.Date(required=True)
    reached_on = f.Date(allow_none=True, required=True)


class MeasureBenefitSchema(ResponseSchema):
    department_id = f.UUID(required=True)
    description = f.String(required=True)


class MeasureListBenefitSchema(MeasureBenefitSchema):
    recorded_at = f.DateTime(required=True)


class MeasureSchema(ResponseSchema):
    """A measure with goals, approach, milestones, progress and benefits."""

    id = f.UUID(required=True)
    version = f.Integer(required=True)
    idea_id = f.UUID(required=True)
    working_group_id = f.UUID(required=True)
    owner_department_id = f.UUID(required=True)
    title = f.String(required=True)
    quick_win = f.Boolean(required=True)
    stage = f.String(required=True, metadata={"enum": list(MEASURE_STAGES)})
    stage_label = f.String(required=True)
    goals = f.List(f.Nested(MeasureGoalSchema), required=True)
    approach = f.String(required=True, metadata={"description": "Lösungsweg"})
    milestones = f.List(f.Nested(MeasureMilestoneSchema), required=True)
    progress = f.Integer(required=True, metadata={"description": "Fortschritt in Prozent"})
    blocked = f.Boolean(required=True)
    block_reason = f.String(required=True)
    implemented_on = f.Date(allow_none=True, required=True)
    outcome = f.String(required=True)
    benefits = f.List(f.Nested(MeasureBenefitSchema), required=True)
    cancel_reason = f.String(required=True)
    planned_at = f.DateTime(required=True)
    updated_at = f.DateTime(required=True)


class MeasureCreatedSchema(MeasureSchema):
    """The measure after a goal or milestone was added, with the new one's id."""

    created_id = f.UUID(
        required=True, metadata={"description": "Kennung des eben angelegten Ziels/Meilensteins"}
    )


class MeasureSummarySchema(ResponseSchema):
    """A measure in a list."""

    id = f.UUID(required=True)
    version = f.Integer(required=True)
    idea_id = f.UUID(required=True)
    title = f.String(required=True)
    working_group_id = f.UUID(required=True)
    owner_department_id = f.UUID(required=True)
    quick_win = f.Boolean(required=True)
    stage = f.String(required=True, metadata={"enum": list(MEASURE_STAGES)})
    stage_label = f.String(required=True)
    progress = f.Integer(required=True)
    blocked = f.Boolean(required=True)
    goals_count = f.Integer(required=True)
    next_milestone_title = f.String(allow_none=True, required=True)
    next_milestone_due = f.Date(allow_none=True, required=True)
    implemented_on = f.Date(allow_none=True, required=True)
    planned_at = f.DateTime(required=True)
    updated_at = f.DateTime(required=True)
    benefits = f.List(f.Nested(MeasureListBenefitSchema), required=True)


MeasurePageSchema = page_schema(MeasureSummarySchema, "MeasurePage")


class ListMeasuresQuerySchema(RequestSchema):
    stage = f.String(validate=f.one_of(MEASURE_STAGES))
    owner_department_id = f.UUID()
    quick_win = f.QueryBoolean()
    working_group_id = f.UUID()
    blocked = f.QueryBoolean()


class SetMeasureGoalSchema(RequestSchema):
    statement = f.String(required=True, validate=f.length(1, 2000))
    indicator = f.String(required=True, validate=f.length(1, 500))
    target = f.String(required=True, validate=f.length(1, 200))
    expected_version = _version()


class ReviseMeasureGoalSchema(RequestSchema):
    """What to change; a field left out keeps its value."""

    statement = f.String(validate=f.length(1, 2000))
    indicator = f.String(validate=f.length(1, 500))
    target = f.String(validate=f.length(1, 200))
    note = f.String(load_default="", validate=f.length(maximum=2000))
    expected_version = _version()


class NoteMeasureApproachSchema(RequestSchema):
    approach = f.String(required=True, validate=f.length(1, 20000))
    expected_version = _version()


class AddMeasureMilestoneSchema(RequestSchema):
    title = f.String(required=True, validate=f.length(1, 200))
    due_on = f.Date(required=True)
    expected_version = _version()


class ReachMeasureMilestoneSchema(RequestSchema):
    reached_on = f.Date(metadata={"description": "Standard: heute"})
    expected_version = _version()


class ReportMeasureProgressSchema(RequestSchema):
    percent = f.Integer(required=True, validate=f.between(0, 100))
    note = f.String(load_default="", validate=f.length(maximum=5000))
    expected_version = _version()


class BlockMeasureSchema(RequestSchema):
    reason = f.String(required=True, validate=f.length(1, 5000))
    expected_version = _version()


class UnblockMeasureSchema(RequestSchema):
    note = f.String(load_default="", validate=f.length(maximum=2000))
    expected_version = _version()


class ImplementMeasureSchema(RequestSchema):
    implemented_on = f.Date(metadata={"description": "Standard: heute"})
    outcome = f.String(required=True, validate=f.length(1, 20000))
    expected_version = _version()


class RecordMeasureBenefitSchema(RequestSchema):
    department_id = f.UUID(required=True)
    description = f.String(required=True, validate=f.length(1, 5000))
    expected_version = _version()


class CancelMeasureSchema(RequestSchema):
    reason = f.String(required=True, validate=f.length(1, 5000))
    expected_version = _version()


# -- helpers ---------------------------------------------------------------------------------


def measure_data(view: MeasureView) -> dict[str, Any]:
    """A MeasureView as the API shows it (goals and milestones with `id`)."""
    return {
        **view.__dict__,
        "stage": view.status,
        "stage_label": localized(view.status_label),
        "goals": [{**g, "id": g["goal_id"]} for g in view.goals],
        "milestones": [{**m, "id": m["milestone_id"]} for m in view.milestones],
    }


def summary_data(row: MeasureRow) -> dict[str, Any]:
    """A MeasureRow of the read model as a list item."""
    return {
        **row.__dict__,
        "stage": row.status,
        "stage_label": localized(row.status_label),
        "benefits": [b.__dict__ for b in row.benefits],
    }


def respond_measure(
    measure_id: UUID, status: int = 200, *, created_id: UUID | None = None
) -> Response:
    """The measure as it is now with its ETag (201: Location, and the new goal's or step's id)."""
    view = perform(planner().get_measure, measure_id)
    data = measure_data(view)
    schema: type[MeasureSchema] = MeasureSchema
    if created_id is not None:
        data["created_id"] = created_id
        schema = MeasureCreatedSchema
    location = None
    if status == 201:
        location = url_for("api_measures.get_measure", measure_id=measure_id)
    return respond(schema, data, status=status, version=view.version, location=location)


def not_found(message: object) -> ApiError:
    """A 404 for a part of a measure named in the path (a goal, a milestone)."""
    return ApiError(404, "not_found", message)


# -- routes ------------------------------------------------------------------------------------


@operation(
    bp,
    "/measures",
    "GET",
    summary="Maßnahmen auflisten (Filter)",
    tag=TAG,
    query=ListMeasuresQuerySchema,
    response=MeasurePageSchema,
    errors=(422,),
)
def list_measures() -> Response:
    """Every matching measure, last changed first (one page: `next` is always null)."""
    query = load_query(ListMeasuresQuerySchema)
    try:
        rows = planner().read_models.list_measures(**query)
    except InvalidQuery as error:
        raise ApiError(422, "validation", str(error), fields={error.field: [str(error)]}) from None
    return respond(MeasurePageSchema, {"items": [summary_data(r) for r in rows], "next": None})


@operation(
    bp,
    "/measures/<uuid:measure_id>",
    "GET",
    summary="Eine Maßnahme lesen",
    tag=TAG,
    response=MeasureSchema,
    errors=(404,),
)
def get_measure(measure_id: UUID) -> Response:
    """The measure with goals, approach, milestones, progress, benefits and version."""
    return respond_measure(measure_id)


@operation(
    bp,
    "/measures/<uuid:measure_id>/goals",
    "POST",
    summary="Ziel der Maßnahme festlegen",
    tag=TAG,
    body=SetMeasureGoalSchema,
    response=MeasureCreatedSchema,
    status=201,
    errors=COMMAND_ERRORS,
)
def set_measure_goal(measure_id: UUID) -> Response:
    """Set a goal (the working group); `created_id` is the new goal's id."""
    body = load_body(SetMeasureGoalSchema)
    goal_id = change(
        planner().set_goal,
        measure_id,
        body,
        statement=body["statement"],
        indicator=body["indicator"],
        target=body["target"],
    )
    return respond_measure(measure_id, status=201, created_id=goal_id)


@operation(
    bp,
    "/measures/<uuid:measure_id>/goals/<uuid:goal_id>",
    "PATCH",
    summary="Ziel der Maßnahme ändern",
    tag=TAG,
    body=ReviseMeasureGoalSchema,
    response=MeasureSchema,
    errors=COMMAND_ERRORS,
)
def revise_measure_goal(measure_id: UUID, goal_id: UUID) -> Response:
    """Change a goal's statement, indicator or target (fields left out stay as they are)."""
    body = load_body(ReviseMeasureGoalSchema)
    expected = expected_version(body)
    goals = perform(planner().get_measure, measure_id).goals
    current = next((g for g in goals if g["goal_id"] == goal_id), None)
    if current is None:
        raise not_found(_l("Dieses Ziel gibt es bei der Maßnahme nicht."))
    perform(
        planner().revise_goal,
        actor_id(),
        measure_id,
        expected.version,
        goal_id,
        statement=body.get("statement", current["statement"]),
        indicator=body.get("indicator", current["indicator"]),
        target=body.get("target", current["target"]),
        note=body["note"],
        caller_version=expected,
    )
    return respond_measure(measure_id)


@operation(
    bp,
    "/measures/<uuid:measure_id>/approach",
    "POST",
    summary="Lösungsweg der Maßnahme beschreiben",
    tag=TAG,
    body=NoteMeasureApproachSchema,
    response=MeasureSchema,
    errors=COMMAND_ERRORS,
)
def note_measure_approach(measure_id: UUID) -> Response:
    """Describe (or replace) the way chosen to reach the goals."""
    body = load_body(NoteMeasureApproachSchema)
    change(
        planner().note_approach,
        measure_id,
        body,
        body["approach"],
    )
    return respond_measure(measure_id)


@operation(
    bp,
    "/measures/<uuid:measure_id>/milestones",
    "POST",
    summary="Meilenstein planen",
    tag=TAG,
    body=AddMeasureMilestoneSchema,
    response=MeasureCreatedSchema,
    status=201,
    errors=COMMAND_ERRORS,
)
def add_measure_milestone(measure_id: UUID) -> Response:
    """Plan a dated milestone; `created_id` is the new milestone's id."""
    body = load_body(AddMeasureMilestoneSchema)
    milestone_id = change(
        planner().add_milestone,
        measure_id,
        body,
        body["title"],
        body["due_on"],
    )
    return respond_measure(measure_id, status=201, created_id=milestone_id)


@operation(
    bp,
    "/measures/<uuid:measure_id>/milestones/<uuid:milestone_id>/reached",
    "POST",
    summary="Meilenstein als erreicht melden",
    tag=TAG,
    body=ReachMeasureMilestoneSchema,
    body_optional=True,
    response=MeasureSchema,
    errors=COMMAND_ERRORS,
)
def reach_measure_milestone(measure_id: UUID, milestone_id: UUID) -> Response:
    """Mark a milestone as reached (`reached_on`, today if left out)."""
    body = load_body(ReachMeasureMilestoneSchema)
    expected = expected_version(body)
    milestones = perform(planner().get_measure, measure_id).milestones
    if not any(m["milestone_id"] == milestone_id for m in milestones):
        raise not_found(_l("Diesen Meilenstein gibt es bei der Maßnahme nicht."))
    perform(
        planner().reach_milestone,
        actor_id(),
        measure_id,
        expected.version,
        milestone_id,
        body.get("reached_on") or local_today(),
        caller_version=expected,
    )
    return respond_measure(measure_id)


@operation(
    bp,
    "/measures/<uuid:measure_id>/progress",
    "POST",
    summary="Fortschritt melden",
    tag=TAG,
    body=ReportMeasureProgressSchema,
    response=MeasureSchema,
    errors=COMMAND_ERRORS,
)
def report_measure_progress(measure_id: UUID) -> Response:
    """Report progress in percent (0–100) with an optional note."""
    body = load_body(ReportMeasureProgressSchema)
    change(
        planner().report_progress,
        measure_id,
        body,
        body["percent"],
        body["note"],
    )
    return respond_measure(measure_id)


@operation(
    bp,
    "/measures/<uuid:measure_id>/block",
    "POST",
    summary="Maßnahme als blockiert melden",
    tag=TAG,
    body=BlockMeasureSchema,
    response=MeasureSchema,
    errors=COMMAND_ERRORS,
)
def block_measure(measure_id: UUID) -> Response:
    """Record that the measure cannot go on, with a reason."""
    body = load_body(BlockMeasureSchema)
    change(
        planner().block_measure,
        measure_id,
        body,
        body["reason"],
    )
    return respond_measure(measure_id)


@operation(
    bp,
    "/measures/<uuid:measure_id>/unblock",
    "POST",
    summary="Blockade der Maßnahme aufheben",
    tag=TAG,
    body=UnblockMeasureSchema,
    body_optional=True,
    response=MeasureSchema,
    errors=COMMAND_ERRORS,
)
def unblock_measure(measure_id: UUID) -> Response:
    """Lift the block, with an optional note."""
    body = load_body(UnblockMeasureSchema)
    change(
        planner().unblock_measure,
        measure_id,
        body,
        body["note"],
    )
    return respond_measure(measure_id)


@operation(
    bp,
    "/measures/<uuid:measure_id>/implementation",
    "POST",
    summary="Maßnahme als umgesetzt melden",
    tag=TAG,
    body=ImplementMeasureSchema,
    response=MeasureSchema,
    errors=COMMAND_ERRORS,
)
def implement_measure(measure_id: UUID) -> Response:
    """Record the measure as implemented (`implemented_on`, today if left out) with its outcome."""
    body = load_body(ImplementMeasureSchema)
    change(
        planner().implement_measure,
        measure_id,
        body,
        body.get("implemented_on") or local_today(),
        body["outcome"],
    )
    return respond_measure(measure_id)


@operation(
    bp,
    "/measures/<uuid:measure_id>/benefits",
    "POST",
    summary="Mehrwert für einen Fachbereich festhalten",
    tag=TAG,
    body=RecordMeasureBenefitSchema,
    response=MeasureSchema,
    status=201,
    errors=COMMAND_ERRORS,
)
def record_measure_benefit(measure_id: UUID) -> Response:
    """Record the value the measure brought to a department (the new one is last in `benefits`)."""
    body = load_body(RecordMeasureBenefitSchema)
    change(
        planner().record_benefit,
        measure_id,
        body,
        body["department_id"],
        body["description"],
    )
    return respond_measure(measure_id, status=201)


@operation(
    bp,
    "/measures/<uuid:measure_id>/cancel",
    "POST",
    summary="Maßnahme abbrechen",
    tag=TAG,
    body=CancelMeasureSchema,
    response=MeasureSchema,
    errors=COMMAND_ERRORS,
)
def cancel_measure(measure_id: UUID) -> Response:
    """Stop the measure for good, with a reason (coordination)."""
    body = load_body(CancelMeasureSchema)
    change(
        planner().cancel_measure,
        measure_id,
        body,
        body["reason"],
    )
    return respond_measure(measure_id)
