"""Ideas in the API: list, submit, read (now or as it was), and every idea command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Response, request, url_for
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates_schema

from ideation.application.history import HISTORY_KINDS
from ideation.application.views import IdeaView
from ideation.domain.base import MAX_REASON_LENGTH
from ideation.domain.idea import MAX_COMMENT_LENGTH
from ideation.domain.stages import STAGE_LABELS
from ideation.entrypoints.api import fields as f
from ideation.entrypoints.api.core import (
    COMMAND_ERRORS,
    RequestSchema,
    ResponseSchema,
    actor_id,
    api_blueprint,
    caller,
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
from ideation.entrypoints.api.schemas import (
    FieldChangeSchema,
    HistoryEntrySchema,
    PageQuerySchema,
    change_items,
    decode_cursor,
    encode_cursor,
    history_items,
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
MAX_NOTE_LENGTH = 2000
# The content fields of a revision: API name → the application's name.
REVISE_FIELDS = {
    "title": "title",
    "summary": "summary",
    "benefit": "description",
    "themes": "themes",
}
DECISION_OUTCOMES = ("accept", "reject", "park", "reopen", "merge", "withdraw")


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
    origin_session_id = f.UUID(
        allow_none=True,
        required=True,
        metadata={"description": "Das Austauschformat, aus dem die Idee stammt"},
    )
    origin_round_id = f.UUID(
        allow_none=True,
        required=True,
        metadata={"description": "Die politische Runde, aus der die Idee stammt"},
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
        f.String(validate=f.length(1, 60)), load_default=list, validate=f.at_most_items(10)
    )
    department_id = f.UUID(
        metadata={"description": "Nur der eigene Fachbereich ist möglich; weglassen genügt"}
    )
    origin = f.String(load_default="", validate=f.length(maximum=200))
    origin_session_id = f.UUID(
        allow_none=True,
        load_default=None,
        metadata={"description": "Ein durchgeführtes Austauschformat, aus dem die Idee stammt"},
    )


class IdeaAsOfQuerySchema(RequestSchema):
    as_of = f.DateTime(metadata={"description": "Die Idee, wie sie zu diesem Zeitpunkt war"})
    version = f.QueryInteger(validate=f.between(1, 1_000_000_000))


# Every body of a call on an existing idea may carry the version the caller saw (or If-Match).
def expected_version_field() -> f.Integer:
    """The optional `expected_version` of a body (If-Match is the alternative)."""
    return f.Integer(
        validate=f.between(1, 1_000_000_000),
        metadata={"description": "Die Version, die Sie kennen (oder die Kopfzeile If-Match)"},
    )


def not_blank(value: str) -> None:
    """Refuse a text of only spaces (the application would strip it to nothing)."""
    if not value.strip():
        raise ValidationError(_l("Bitte einen Text angeben, nicht nur Leerzeichen."))


def reason_field(description: str = "Begründung") -> f.String:
    """A required reason of 1 to 5000 characters."""
    return f.String(
        required=True,
        validate=[f.length(1, MAX_REASON_LENGTH), not_blank],
        metadata={"description": description},
    )


def note_field(description: str) -> f.String:
    """An optional note of at most 2000 characters."""
    return f.String(
        load_default="",
        validate=f.length(maximum=MAX_NOTE_LENGTH),
        metadata={"description": description},
    )


class ReviseIdeaSchema(RequestSchema):
    title = f.String(validate=f.length(3, 200))
    summary = f.String(validate=f.length(1, 500))
    benefit = f.String(
        validate=f.length(maximum=20000), metadata={"description": "Beschreibung und Nutzen"}
    )
    themes = f.List(f.String(validate=f.length(1, 60)), validate=f.at_most_items(10))
    note = note_field("Hinweis zur Überarbeitung")
    expected_version = expected_version_field()

    @validates_schema
    def at_least_one_field(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not any(name in data for name in REVISE_FIELDS):
            raise ValidationError(
                _l("Bitte mindestens eines der Felder title, summary, benefit, themes senden.")
            )


class PledgeSupportSchema(RequestSchema):
    note = note_field("Hinweis zur Mitwirkung")
    expected_version = expected_version_field()


class WithdrawSupportSchema(RequestSchema):
    reason = note_field("Warum der Fachbereich nicht mehr mitwirkt (freiwillig)")
    expected_version = expected_version_field()


class CommentIdeaSchema(RequestSchema):
    text = f.String(required=True, validate=[f.length(1, MAX_COMMENT_LENGTH), not_blank])
    reply_to = f.UUID(metadata={"description": "Kennung des Kommentars, auf den Sie antworten"})
    expected_version = expected_version_field()


class AssessIdeaSchema(RequestSchema):
    impact = f.Integer(required=True, validate=f.between(1, 5), metadata={"description": "Wirkung"})
    effort = f.Integer(required=True, validate=f.between(1, 5), metadata={"description": "Aufwand"})
    expected_weeks = f.Integer(
        required=True, validate=f.between(1, 520), metadata={"description": "Erwartete Dauer"}
    )
    rationale = f.String(required=True, validate=[f.length(1, 20000), not_blank])
    expected_version = expected_version_field()


class QuickWinOverrideSchema(RequestSchema):
    quick_win = f.Boolean(required=True)
    reason = reason_field()
    expected_version = expected_version_field()


class AssignIdeaSchema(RequestSchema):
    working_group_id = f.UUID(required=True)
    expected_version = expected_version_field()


class DecideIdeaSchema(RequestSchema):
    outcome = f.String(required=True, validate=f.one_of(DECISION_OUTCOMES))
    reason = reason_field()
    merge_into = f.UUID(metadata={"description": "Ziel-Idee; nur und immer bei outcome merge"})
    owner_department_id = f.UUID(
        metadata={
            "description": "Nur bei accept: der verantwortliche Fachbereich der Maßnahme "
            "(sonst der einreichende)"
        }
    )
    expected_version = expected_version_field()

    @validates_schema
    def fields_fit_the_outcome(self, data: dict[str, Any], **_kwargs: Any) -> None:
        outcome = data.get("outcome")
        if outcome is None:
            return  # the outcome's own message says what is missing
        errors: dict[str, list[Any]] = {}
        if outcome == "merge" and "merge_into" not in data:
            errors["merge_into"] = [_l("Beim Zusammenführen ist die Ziel-Idee erforderlich.")]
        if outcome != "merge" and "merge_into" in data:
            errors["merge_into"] = [_l("Nur beim Zusammenführen (outcome merge).")]
        if outcome != "accept" and "owner_department_id" in data:
            errors["owner_department_id"] = [_l("Nur beim Annehmen (outcome accept).")]
        if errors:
            raise ValidationError(errors)


class HistoryQuerySchema(RequestSchema):
    kind = f.String(
        validate=f.one_of(tuple(HISTORY_KINDS)),
        metadata={"description": "Nur Schritte dieser Art (wie der Filter der Verlaufsseite)"},
    )


class IdeaHistorySchema(ResponseSchema):
    """Every step of an idea, its measure and its group's meetings about it, oldest first."""

    items = f.List(f.Nested(HistoryEntrySchema), required=True)


class DiffQuerySchema(RequestSchema):
    from_version = f.QueryInteger(
        data_key="from", required=True, validate=f.between(1, 1_000_000_000)
    )
    to_version = f.QueryInteger(data_key="to", required=True, validate=f.between(1, 1_000_000_000))

    @validates_schema
    def older_first(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data.get("from_version", 0) >= data.get("to_version", 1_000_000_001):
            raise ValidationError(
                _l("Die neuere Version muss nach der älteren (from) liegen."), field_name="to"
            )


class IdeaDiffSchema(ResponseSchema):
    """What changed between two versions of an idea."""

    from_version = f.Integer(data_key="from", required=True)
    to_version = f.Integer(data_key="to", required=True)
    changes = f.List(
        f.Nested(FieldChangeSchema),
        required=True,
        metadata={
            "description": "Geänderte Felder mit altem und neuem Wert, mit den Feldnamen der API"
        },
    )


class SimilarQuerySchema(RequestSchema):
    title = f.String(required=True, validate=[f.length(1, 200), not_blank])
    summary = f.String(load_default="", validate=f.length(maximum=500))
    limit = f.QueryInteger(load_default=5, validate=f.between(1, 20))


class SimilarIdeaSchema(ResponseSchema):
    id = f.UUID(required=True)
    title = f.String(required=True)
    summary = f.String(required=True)
    stage = f.String(required=True, metadata={"enum": list(API_STAGES)})
    stage_label = f.String(required=True)
    score = f.Integer(required=True, metadata={"description": "Ähnlichkeit von 0 bis 100"})


class SimilarIdeasSchema(ResponseSchema):
    """Existing ideas resembling a draft, most similar first (merged and withdrawn left out)."""

    items = f.List(f.Nested(SimilarIdeaSchema), required=True)


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


def perform_named(
    names: dict[str, str], call: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """`perform`, with the application's field names in a 422 renamed to the API's."""
    try:
        return perform(call, *args, **kwargs)
    except ApiError as error:
        error.fields = {names.get(name, name): messages for name, messages in error.fields.items()}
        raise


# outcome → the one application command that records the decision
DECISIONS: dict[str, Callable[[Any, UUID, UUID, int, dict[str, Any]], Any]] = {
    "accept": lambda p, actor, idea_id, version, body: p.accept_idea(
        actor, idea_id, version, body["reason"], body.get("owner_department_id")
    ),
    "reject": lambda p, actor, idea_id, version, body: p.reject_idea(
        actor, idea_id, version, body["reason"]
    ),
    "park": lambda p, actor, idea_id, version, body: p.park_idea(
        actor, idea_id, version, body["reason"]
    ),
    "reopen": lambda p, actor, idea_id, version, body: p.reopen_idea(
        actor, idea_id, version, body["reason"]
    ),
    "merge": lambda p, actor, idea_id, version, body: p.merge_idea(
        actor, idea_id, version, body["merge_into"], body["reason"]
    ),
    "withdraw": lambda p, actor, idea_id, version, body: p.withdraw_idea(
        actor, idea_id, version, body["reason"]
    ),
}


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
        origin_session_id=body["origin_session_id"],
        idempotency_key=key.strip() if key else None,
    )
    return respond_idea(idea_id, status=201, created=True)


@operation(
    bp,
    "/ideas/similar",
    "GET",
    summary="Ähnliche Ideen zu einem Entwurf finden",
    tag=TAG,
    query=SimilarQuerySchema,
    response=SimilarIdeasSchema,
    errors=(422,),
)
def similar_ideas() -> Response:
    """Existing ideas resembling a draft's title and summary, most similar first."""
    query = load_query(SimilarQuerySchema)
    hints = perform(
        planner().read_models.similar_ideas,
        query["title"].strip(),
        query["summary"].strip(),
        limit=query["limit"],
    )
    items = [
        {
            **hint.__dict__,
            # The read model's stage "accepted" is an accepted idea whose measure is planned.
            "stage": "planned" if hint.stage == "accepted" else hint.stage,
        }
        for hint in hints
    ]
    return respond(SimilarIdeasSchema, {"items": items})


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


@operation(
    bp,
    "/ideas/<uuid:idea_id>",
    "PATCH",
    summary="Idee überarbeiten (Titel, Kurzbeschreibung, Nutzen, Themen)",
    tag=TAG,
    body=ReviseIdeaSchema,
    response=IdeaSchema,
    errors=COMMAND_ERRORS,
)
def revise_idea(idea_id: UUID) -> Response:
    """Change the sent content fields of an open idea (unchanged values are not recorded)."""
    body = load_body(ReviseIdeaSchema)
    expected = expected_version(body)
    changes = {REVISE_FIELDS[name]: body[name] for name in REVISE_FIELDS if name in body}
    perform_named(
        {"description": "benefit"},
        planner().revise_idea,
        actor_id(),
        idea_id,
        expected.version,
        changes,
        body["note"],
        caller_version=expected,
    )
    return respond_idea(idea_id)


@operation(
    bp,
    "/ideas/<uuid:idea_id>/support",
    "POST",
    summary="Mitwirkung des eigenen Fachbereichs zusagen",
    tag=TAG,
    body=PledgeSupportSchema,
    body_optional=True,
    response=IdeaSchema,
    errors=COMMAND_ERRORS,
)
def pledge_support(idea_id: UUID) -> Response:
    """Pledge the caller's department's support; the body may be empty when If-Match is sent."""
    body = load_body(PledgeSupportSchema)
    change(
        planner().pledge_support,
        idea_id,
        body,
        body["note"],
    )
    return respond_idea(idea_id)


@operation(
    bp,
    "/ideas/<uuid:idea_id>/support",
    "DELETE",
    summary="Mitwirkung des eigenen Fachbereichs zurückziehen",
    tag=TAG,
    body=WithdrawSupportSchema,
    body_optional=True,
    response=IdeaSchema,
    errors=COMMAND_ERRORS,
)
def withdraw_support(idea_id: UUID) -> Response:
    """Withdraw the caller's department's pledge; `reason` is optional (like a pledge's note)."""
    body = load_body(WithdrawSupportSchema)
    expected = expected_version(body)
    perform_named(
        {"note": "reason"},
        planner().withdraw_support,
        actor_id(),
        idea_id,
        expected.version,
        body["reason"],
        caller_version=expected,
    )
    return respond_idea(idea_id)


@operation(
    bp,
    "/ideas/<uuid:idea_id>/comments",
    "POST",
    summary="Idee kommentieren (auch als Antwort auf einen Kommentar)",
    tag=TAG,
    body=CommentIdeaSchema,
    response=IdeaSchema,
    status=201,
    errors=COMMAND_ERRORS,
)
def comment_on_idea(idea_id: UUID) -> Response:
    """Add a comment; the answer is the idea with the new comment last in `comments`."""
    body = load_body(CommentIdeaSchema)
    change(
        planner().comment_on_idea,
        idea_id,
        body,
        body["text"],
        reply_to=body.get("reply_to"),
    )
    return respond_idea(idea_id, status=201)


@operation(
    bp,
    "/ideas/<uuid:idea_id>/assessment",
    "POST",
    summary="Idee bewerten (Wirkung, Aufwand, Dauer, Begründung)",
    tag=TAG,
    body=AssessIdeaSchema,
    response=IdeaSchema,
    errors=COMMAND_ERRORS,
)
def assess_idea(idea_id: UUID) -> Response:
    """Record the coordination's assessment; a submitted idea moves into review."""
    body = load_body(AssessIdeaSchema)
    change(
        planner().assess_idea,
        idea_id,
        body,
        impact=body["impact"],
        effort=body["effort"],
        expected_weeks=body["expected_weeks"],
        rationale=body["rationale"],
    )
    return respond_idea(idea_id)


@operation(
    bp,
    "/ideas/<uuid:idea_id>/quick-win-override",
    "POST",
    summary="Quick-Win-Einstufung mit Begründung übersteuern",
    tag=TAG,
    body=QuickWinOverrideSchema,
    response=IdeaSchema,
    errors=COMMAND_ERRORS,
)
def override_quick_win(idea_id: UUID) -> Response:
    """Overrule the quick-win rule for an assessed idea, with a reason."""
    body = load_body(QuickWinOverrideSchema)
    change(
        planner().override_quick_win,
        idea_id,
        body,
        body["quick_win"],
        body["reason"],
    )
    return respond_idea(idea_id)


@operation(
    bp,
    "/ideas/<uuid:idea_id>/assignment",
    "POST",
    summary="Idee an eine Arbeitsgruppe übergeben",
    tag=TAG,
    body=AssignIdeaSchema,
    response=IdeaSchema,
    errors=COMMAND_ERRORS,
)
def assign_idea(idea_id: UUID) -> Response:
    """Hand an idea in review to an active working group (404 for an unknown group)."""
    body = load_body(AssignIdeaSchema)
    change(
        planner().assign_idea_to_working_group,
        idea_id,
        body,
        body["working_group_id"],
    )
    return respond_idea(idea_id)


@operation(
    bp,
    "/ideas/<uuid:idea_id>/decision",
    "POST",
    summary="Über die Idee entscheiden (annehmen, ablehnen, zurückstellen, wieder aufnehmen, "
    "zusammenführen, zurückziehen)",
    tag=TAG,
    body=DecideIdeaSchema,
    response=IdeaSchema,
    errors=COMMAND_ERRORS,
)
def decide_idea(idea_id: UUID) -> Response:
    """Record a decision with its reason; after `accept` the idea's `measure_id` is its measure."""
    body = load_body(DecideIdeaSchema)
    expected = expected_version(body)
    perform_named(
        {"into_idea_id": "merge_into", "other_idea_id": "merge_into"},
        DECISIONS[body["outcome"]],
        planner(),
        actor_id(),
        idea_id,
        expected.version,
        body,
        caller_version=expected,
    )
    return respond_idea(idea_id)


@operation(
    bp,
    "/ideas/<uuid:idea_id>/history",
    "GET",
    summary="Verlauf einer Idee (mit Maßnahme und Sitzungen der Arbeitsgruppe)",
    tag=TAG,
    query=HistoryQuerySchema,
    response=IdeaHistorySchema,
    errors=(404, 422),
)
def idea_history(idea_id: UUID) -> Response:
    """Every step as the history page shows it, oldest first, optionally only one `kind`."""
    query = load_query(HistoryQuerySchema)
    entries = perform(planner().idea_history, idea_id)
    if "kind" in query:
        entries = [e for e in entries if e.kind == query["kind"]]
    return respond(IdeaHistorySchema, {"items": history_items(entries)})


@operation(
    bp,
    "/ideas/<uuid:idea_id>/diff",
    "GET",
    summary="Unterschiede einer Idee zwischen zwei Versionen",
    tag=TAG,
    query=DiffQuerySchema,
    response=IdeaDiffSchema,
    errors=(404, 422),
)
def idea_diff(idea_id: UUID) -> Response:
    """The fields that differ between version `from` and the later version `to`."""
    query = load_query(DiffQuerySchema)
    changes = perform(planner().idea_diff, idea_id, query["from_version"], query["to_version"])
    return respond(
        IdeaDiffSchema,
        {
            "from_version": query["from_version"],
            "to_version": query["to_version"],
            "changes": change_items(changes),
        },
    )
