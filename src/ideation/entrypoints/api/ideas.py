"""Ideas in the API: list, submit, read (now or as it was), and every idea command."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from flask import Response, request, url_for

from ideation.application.views import IdeaView
from ideation.domain.stages import STAGE_LABELS
from ideation.entrypoints.api import fields as f
from ideation.entrypoints.api.core import (
    RequestSchema,
    ResponseSchema,
    actor_id,
    api_blueprint,
    caller,
    load_body,
    load_query,
    operation,
    perform,
    planner,
    respond,
)
from ideation.entrypoints.api.errors import ApiError
from ideation.entrypoints.api.schemas import (
    PageQuerySchema,
    decode_cursor,
    encode_cursor,
    page_schema,
)
from ideation.readmodels.queries import InvalidQuery
from ideation.readmodels.views import IdeaRow

bp = api_blueprint("ideas")
TAG = "Ideen"

# The lifecycle codes of DESIGN §3. An accepted idea shows its measure's stage; "planned"
# is an accepted idea whose measure has not started, "accepted" filters every accepted idea.
API_STAGES = (
    "submitted",
    "in_review",
    "in_working_group",
    "accepted",
    "planned",
    "in_progress",
    "implemented",
    "cancelled",
    "rejected",
    "parked",
    "merged",
    "withdrawn",
)
MAX_IDEMPOTENCY_KEY_LENGTH = 200


def api_stage(status: str, stage: str) -> str:
    """The API's stage code for an idea (read-model stage "accepted" is the planned measure)."""
    if status == "accepted" and stage == "accepted":
        return "planned"
    return stage


def stage_filter(stage: str) -> dict[str, str]:
    """Read-model filter for an API stage code."""
    if stage == "accepted":
        return {"status": "accepted"}
    if stage == "planned":
        return {"stage": "accepted"}
    return {"stage": stage}


# -- schemas --------------------------------------------------------------------------------


class AssessmentSchema(ResponseSchema):
    impact = f.Integer(required=True)
    effort = f.Integer(required=True)
    expected_weeks = f.Integer(required=True)
    rationale = f.String(required=True)


class IdeaSummarySchema(ResponseSchema):
    """An idea in a list."""

    id = f.UUID(required=True)
    version = f.Integer(required=True)
    title = f.String(required=True)
    summary = f.String(required=True)
    themes = f.List(f.String(), required=True)
    department_id = f.UUID(required=True)
    stage = f.String(required=True, metadata={"enum": list(API_STAGES)})
    stage_label = f.String(required=True)
    quick_win = f.Boolean(required=True)
    support_count = f.Integer(required=True)
    working_group_id = f.UUID(allow_none=True, required=True)
    measure_id = f.UUID(allow_none=True, required=True)
    submitted_at = f.DateTime(required=True)
    updated_at = f.DateTime(required=True)


class CommentSchema(ResponseSchema):
    id = f.UUID(required=True)
    text = f.String(required=True)
    reply_to = f.UUID(allow_none=True, required=True)
    person_id = f.UUID(required=True)
    written_at = f.DateTime(required=True)


class RecommendationSchema(ResponseSchema):
    outcome = f.String(required=True)
    reasoning = f.String(required=True)


class IdeaSchema(ResponseSchema):
    """An idea with everything the idea page shows."""

    id = f.UUID(required=True)
    version = f.Integer(required=True)
    title = f.String(required=True)
    summary = f.String(required=True)
    benefit = f.String(required=True, metadata={"description": "Beschreibung und Nutzen"})
    themes = f.List(f.String(), required=True)
    origin = f.String(
        required=True, metadata={"description": "Herkunft, leer wenn nicht angegeben"}
    )
    department_id = f.UUID(required=True)
    submitted_by = f.UUID(required=True)
    stage = f.String(required=True, metadata={"enum": list(API_STAGES)})
    stage_label = f.String(required=True)
    status = f.String(required=True, metadata={"description": "Stand der Idee selbst"})
    quick_win = f.Boolean(required=True)
    quick_win_overridden = f.Boolean(required=True)
    assessment = f.Nested(AssessmentSchema, allow_none=True, required=True)
    supporters = f.List(
        f.UUID(), required=True, metadata={"description": "Mitwirkende Fachbereiche"}
    )
    comments = f.List(f.Nested(CommentSchema), required=True)
    working_group_id = f.UUID(allow_none=True, required=True)
    recommendation = f.Nested(RecommendationSchema, allow_none=True, required=True)
    measure_id = f.UUID(allow_none=True, required=True)
    merged_into = f.UUID(allow_none=True, required=True)
    decision_reason = f.String(required=True)
    submitted_at = f.DateTime(required=True)
    updated_at = f.DateTime(required=True)


IdeaPageSchema = page_schema(IdeaSummarySchema, "IdeaPage")


class ListIdeasQuerySchema(PageQuerySchema):
    stage = f.String(validate=f.one_of(API_STAGES))
    department_id = f.UUID()
    quick_win = f.QueryBoolean()
    working_group_id = f.UUID()
    q = f.String(validate=f.length(1, 200), metadata={"description": "Volltextsuche"})


class SubmitIdeaSchema(RequestSchema):
    title = f.String(required=True, validate=f.length(1, 200))
    summary = f.String(required=True, validate=f.length(1, 500))
    benefit = f.String(load_default="", validate=f.length(maximum=20000))
    themes = f.List(
        f.String(validate=f.length(1, 60)), load_default=list, validate=f.length(maximum=10)
    )
    department_id = f.UUID(
        metadata={"description": "Nur der eigene Fachbereich ist möglich; weglassen genügt"}
    )
    origin = f.String(load_default="", validate=f.length(maximum=200))


class IdeaAsOfQuerySchema(RequestSchema):
    as_of = f.DateTime(metadata={"description": "Die Idee, wie sie zu diesem Zeitpunkt war"})
    version = f.QueryInteger(validate=f.between(1, 1_000_000_000))


# -- helpers ---------------------------------------------------------------------------------


def idea_data(view: IdeaView) -> dict[str, Any]:
    """An IdeaView as the API shows it."""
    return {
        **view.__dict__,
        "benefit": view.description,
        "stage": api_stage(view.status, view.stage),
        "stage_label": view.stage_label,
        "supporters": list(view.supporting_departments),
        "comments": [
            {
                "id": c.comment_id,
                "text": c.text,
                "reply_to": c.reply_to,
                "person_id": c.person_id,
                "written_at": c.written_at,
            }
            for c in view.comments
        ],
    }


def summary_data(row: IdeaRow) -> dict[str, Any]:
    """An IdeaRow of the read model as a list item."""
    return {
        **row.__dict__,
        "stage": api_stage(row.status, row.stage),
        "stage_label": STAGE_LABELS[row.stage],
    }


def respond_idea(idea_id: UUID, status: int = 200, *, created: bool = False) -> Response:
    """The idea as it is now, with its ETag (and Location when it was just created)."""
    view = perform(planner().get_idea, idea_id)
    location = url_for("api_ideas.get_idea", idea_id=idea_id) if created else None
    return respond(
        IdeaSchema, idea_data(view), status=status, version=view.version, location=location
    )


# -- routes ------------------------------------------------------------------------------------


@operation(
    bp,
    "/ideas",
    "GET",
    summary="Ideen auflisten (Filter, Volltextsuche, Cursor)",
    tag=TAG,
    query=ListIdeasQuerySchema,
    response=IdeaPageSchema,
    errors=(422,),
)
def list_ideas() -> Response:
    """Ideas in submission order; `next` is the cursor for the following page (`after`)."""
    query = load_query(ListIdeasQuerySchema)
    after = None
    if "after" in query:
        moment_text, id_text = decode_cursor(query["after"], 2)
        try:
            after = (dt.datetime.fromisoformat(moment_text), UUID(id_text))
        except ValueError:
            decode_cursor("", 2)  # the same 422 as any other broken cursor
    filters: dict[str, Any] = {}
    if "stage" in query:
        filters.update(stage_filter(query["stage"]))
    for name in ("department_id", "quick_win", "working_group_id"):
        if name in query:
            filters[name] = query[name]
    if "q" in query:
        filters["text"] = query["q"]
    limit = query["limit"]
    try:
        rows = planner().read_models.ideas_after(after=after, limit=limit + 1, **filters)
    except InvalidQuery as error:
        raise ApiError(422, "validation", str(error), fields={error.field: [str(error)]}) from None
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(last.submitted_at.isoformat(), last.id)
    return respond(IdeaPageSchema, {"items": [summary_data(r) for r in rows], "next": next_cursor})


@operation(
    bp,
    "/ideas",
    "POST",
    summary="Idee einreichen",
    tag=TAG,
    body=SubmitIdeaSchema,
    response=IdeaSchema,
    status=201,
    errors=(403, 422),
    headers=("Idempotency-Key",),
)
def submit_idea() -> Response:
    """Submit an idea for the caller's department; the same Idempotency-Key gives the same idea."""
    body = load_body(SubmitIdeaSchema)
    person = caller()
    if body.get("department_id") not in (None, person.department_id):
        raise ApiError(
            403,
            "forbidden",
            "Ideen reicht man für den eigenen Fachbereich ein.",
        )
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (0 < len(key.strip()) <= MAX_IDEMPOTENCY_KEY_LENGTH):
        raise ApiError(
            422,
            "validation",
            "Bitte die Angaben prüfen.",
            fields={"Idempotency-Key": ["Der Schlüssel muss 1 bis 200 Zeichen lang sein."]},
        )
    idea_id = perform(
        planner().submit_idea,
        actor_id(),
        title=body["title"],
        summary=body["summary"],
        description=body["benefit"],
        themes=body["themes"],
        origin=body["origin"],
        idempotency_key=key.strip() if key else None,
    )
    return respond_idea(idea_id, status=201, created=True)


@operation(
    bp,
    "/ideas/<uuid:idea_id>",
    "GET",
    summary="Eine Idee lesen (auch wie sie zu einem Zeitpunkt oder in einer Version war)",
    tag=TAG,
    query=IdeaAsOfQuerySchema,
    response=IdeaSchema,
    errors=(404, 422),
)
def get_idea(idea_id: UUID) -> Response:
    """The idea now, or with `as_of` (ISO time) or `version` as it was then."""
    query = load_query(IdeaAsOfQuerySchema)
    if "as_of" in query and "version" in query:
        raise ApiError(
            422,
            "validation",
            "Bitte entweder as_of oder version angeben.",
            fields={"version": ["Nicht zusammen mit as_of."]},
        )
    if "as_of" in query or "version" in query:
        view = perform(
            planner().idea_as_of, idea_id, at=query.get("as_of"), version=query.get("version")
        )
        return respond(IdeaSchema, idea_data(view), version=view.version)
    return respond_idea(idea_id)
