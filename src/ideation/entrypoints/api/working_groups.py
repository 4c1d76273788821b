"""Working groups in the API: list, form, read, members, meetings, recommendations, dissolution."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, url_for
from flask_babel import lazy_gettext as _l

from ideation.application.views import WorkingGroupView
from ideation.domain.idea import RecommendationOutcome
from ideation.domain.working_group import MEETING_FORMAT_LABELS, MeetingFormat
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
from ideation.entrypoints.api.ideas import IdeaSchema, respond_idea
from ideation.entrypoints.api.schemas import page_schema
from ideation.entrypoints.i18n import localized
from ideation.entrypoints.pages.common import person_name, prefetch_people

bp = api_blueprint("working_groups")
TAG = "Arbeitsgruppen"

MEETING_FORMATS = tuple(m.value for m in MeetingFormat)
RECOMMENDATIONS = tuple(r.value for r in RecommendationOutcome)
WORKING_GROUP_STATUSES = ("active", "dissolved")
MAX_MEETING_IDEAS = 100


def _version() -> f.Integer:
    return f.Integer(
        validate=f.between(1, 1_000_000_000),
        metadata={"description": "Die Version, die Sie kennen (statt If-Match)"},
    )


# -- schemas --------------------------------------------------------------------------------


class WorkingGroupSummarySchema(ResponseSchema):
    """A working group in a list."""

    id = f.UUID(required=True)
    version = f.Integer(required=True)
    name = f.String(required=True)
    lead_department_id = f.UUID(required=True)
    status = f.String(required=True, metadata={"enum": list(WORKING_GROUP_STATUSES)})
    status_label = f.String(required=True)
    members_count = f.Integer(required=True)
    open_ideas = f.Integer(
        required=True, metadata={"description": "Ideen, die die Gruppe gerade bearbeitet"}
    )
    running_measures = f.Integer(required=True)
    formed_at = f.DateTime(required=True)


WorkingGroupPageSchema = page_schema(WorkingGroupSummarySchema, "WorkingGroupPage")


class WorkingGroupMemberSchema(ResponseSchema):
    id = f.UUID(required=True)
    name = f.String(required=True)


class WorkingGroupMeetingSchema(ResponseSchema):
    held_on = f.Date(required=True)
    format = f.String(required=True, metadata={"enum": list(MEETING_FORMATS)})
    format_label = f.String(required=True)
    notes = f.String(required=True)
    decisions = f.String(required=True)
    idea_ids = f.List(f.UUID(), required=True)


class WorkingGroupSchema(ResponseSchema):
    """A working group with its members and meetings."""

    id = f.UUID(required=True)
    version = f.Integer(required=True)
    name = f.String(required=True)
    mandate = f.String(required=True)
    lead_department_id = f.UUID(required=True)
    status = f.String(required=True, metadata={"enum": list(WORKING_GROUP_STATUSES)})
    status_label = f.String(required=True)
    members = f.List(f.Nested(WorkingGroupMemberSchema), required=True)
    meetings = f.List(
        f.Nested(WorkingGroupMeetingSchema),
        required=True,
        metadata={"description": "Sitzungen in der Reihenfolge, in der sie protokolliert wurden"},
    )


class ListWorkingGroupsQuerySchema(RequestSchema):
    include_dissolved = f.QueryBoolean(
        load_default=False,
        metadata={"description": "Auch aufgelöste Arbeitsgruppen (Standard: false)"},
    )


class FormWorkingGroupSchema(RequestSchema):
    name = f.String(required=True, validate=f.length(3, 200))
    mandate = f.String(required=True, validate=f.length(1, 5000))
    lead_department_id = f.UUID(required=True)


class AddWorkingGroupMemberSchema(RequestSchema):
    person_id = f.UUID(required=True)
    expected_version = _version()


class RemoveWorkingGroupMemberSchema(RequestSchema):
    reason = f.String(load_default="", validate=f.length(maximum=2000))
    expected_version = _version()


class RecordWorkingGroupMeetingSchema(RequestSchema):
    held_on = f.Date(required=True)
    format = f.String(required=True, validate=f.one_of(MEETING_FORMATS))
    notes = f.String(required=True, validate=f.length(1, 20000))
    decisions = f.String(load_default="", validate=f.length(maximum=20000))
    idea_ids = f.List(f.UUID(), load_default=list, validate=f.at_most_items(MAX_MEETING_IDEAS))
    expected_version = _version()


class RecommendIdeaSchema(RequestSchema):
    idea_id = f.UUID(required=True)
    recommendation = f.String(required=True, validate=f.one_of(RECOMMENDATIONS))
    reasoning = f.String(required=True, validate=f.length(1, 5000))
    expected_version = f.Integer(
        validate=f.between(1, 1_000_000_000),
        metadata={"description": "Die Version der IDEE, die Sie kennen (statt If-Match)"},
    )


class DissolveWorkingGroupSchema(RequestSchema):
    reason = f.String(required=True, validate=f.length(1, 5000))
    expected_version = _version()


# -- helpers ---------------------------------------------------------------------------------


def group_data(view: WorkingGroupView) -> dict[str, Any]:
    """A WorkingGroupView as the API shows it (members with their names)."""
    prefetch_people(view.members)
    return {
        **view.__dict__,
        "status_label": localized(view.status_label),
        "members": [{"id": pid, "name": person_name(pid)} for pid in view.members],
        "meetings": [
            {**m, "format_label": localized(MEETING_FORMAT_LABELS.get(m["format"], m["format"]))}
            for m in view.meetings
        ],
    }


def respond_group(group_id: UUID, status: int = 200) -> Response:
    """The working group as it is now, with its ETag (and Location with 201)."""
    view = perform(planner().get_working_group, group_id)
    location = None
    if status == 201:
        location = url_for("api_working_groups.get_working_group", group_id=group_id)
    return respond(
        WorkingGroupSchema, group_data(view), status=status, version=view.version, location=location
    )


# -- routes ------------------------------------------------------------------------------------


@operation(
    bp,
    "/working-groups",
    "GET",
    summary="Arbeitsgruppen auflisten",
    tag=TAG,
    query=ListWorkingGroupsQuerySchema,
    response=WorkingGroupPageSchema,
    errors=(422,),
)
def list_working_groups() -> Response:
    """Working groups by name (active ones; dissolved ones too with include_dissolved=true)."""
    query = load_query(ListWorkingGroupsQuerySchema)
    rows = planner().read_models.list_working_groups(include_dissolved=query["include_dissolved"])
    items = [{**r.__dict__, "status_label": localized(r.status_label)} for r in rows]
    return respond(WorkingGroupPageSchema, {"items": items, "next": None})


@operation(
    bp,
    "/working-groups",
    "POST",
    summary="Arbeitsgruppe gründen",
    tag=TAG,
    body=FormWorkingGroupSchema,
    response=WorkingGroupSchema,
    status=201,
    errors=(403, 404, 422),
)
def form_working_group() -> Response:
    """Form a working group led by a department (coordination); 404 for an unknown department."""
    body = load_body(FormWorkingGroupSchema)
    group_id = perform(
        planner().form_working_group,
        actor_id(),
        body["name"],
        body["mandate"],
        body["lead_department_id"],
    )
    return respond_group(group_id, status=201)


@operation(
    bp,
    "/working-groups/<uuid:group_id>",
    "GET",
    summary="Eine Arbeitsgruppe lesen (Mitglieder, Sitzungen)",
    tag=TAG,
    response=WorkingGroupSchema,
    errors=(404,),
)
def get_working_group(group_id: UUID) -> Response:
    """The working group with its members, meetings, status and version."""
    return respond_group(group_id)


@operation(
    bp,
    "/working-groups/<uuid:group_id>/members",
    "POST",
    summary="Mitglied in die Arbeitsgruppe aufnehmen",
    tag=TAG,
    body=AddWorkingGroupMemberSchema,
    response=WorkingGroupSchema,
    errors=COMMAND_ERRORS,
)
def add_working_group_member(group_id: UUID) -> Response:
    """Take a person into the group (coordination); answers the group as it is now."""
    body = load_body(AddWorkingGroupMemberSchema)
    change(
        planner().add_working_group_member,
        group_id,
        body,
        body["person_id"],
    )
    return respond_group(group_id)


@operation(
    bp,
    "/working-groups/<uuid:group_id>/members/<uuid:person_id>",
    "DELETE",
    summary="Mitglied aus der Arbeitsgruppe ausscheiden lassen",
    tag=TAG,
    body=RemoveWorkingGroupMemberSchema,
    body_optional=True,
    response=WorkingGroupSchema,
    errors=COMMAND_ERRORS,
)
def remove_working_group_member(group_id: UUID, person_id: UUID) -> Response:
    """Let a member leave the group (optional `reason`); 404 if the person is no member."""
    body = load_body(RemoveWorkingGroupMemberSchema)
    expected = expected_version(body)
    if person_id not in perform(planner().get_working_group, group_id).members:
        raise ApiError(404, "not_found", _l("Diese Person ist kein Mitglied der Arbeitsgruppe."))
    perform(
        planner().remove_working_group_member,
        actor_id(),
        group_id,
        expected.version,
        person_id,
        note=body["reason"],
        caller_version=expected,
    )
    return respond_group(group_id)


@operation(
    bp,
    "/working-groups/<uuid:group_id>/meetings",
    "POST",
    summary="Sitzung der Arbeitsgruppe protokollieren",
    tag=TAG,
    body=RecordWorkingGroupMeetingSchema,
    response=WorkingGroupSchema,
    status=201,
    errors=COMMAND_ERRORS,
)
def record_working_group_meeting(group_id: UUID) -> Response:
    """Record a meeting (members of the group); the new meeting is the last of `meetings`."""
    body = load_body(RecordWorkingGroupMeetingSchema)
    change(
        planner().record_meeting,
        group_id,
        body,
        held_on=body["held_on"],
        format=body["format"],
        notes=body["notes"],
        decisions=body["decisions"],
        idea_ids=body["idea_ids"],
    )
    return respond_group(group_id, status=201)


@operation(
    bp,
    "/working-groups/<uuid:group_id>/recommendations",
    "POST",
    summary="Empfehlung der Arbeitsgruppe zu einer Idee abgeben",
    tag=TAG,
    body=RecommendIdeaSchema,
    response=IdeaSchema,
    errors=COMMAND_ERRORS,
    description=(
        "Die Empfehlung ändert die Idee: If-Match bzw. expected_version meinen die Version "
        "der IDEE (nicht der Arbeitsgruppe), und die Antwort ist die Idee mit ihrem ETag. "
        "Die Idee muss bei dieser Arbeitsgruppe liegen (sonst 422, Feld idea_id)."
    ),
)
def recommend_idea(group_id: UUID) -> Response:
    """Recommend accept, reject or park for an idea the group refines; answers the idea."""
    body = load_body(RecommendIdeaSchema)
    expected = expected_version(body)
    perform(planner().get_working_group, group_id)
    idea = perform(planner().get_idea, body["idea_id"])
    if idea.working_group_id != group_id:
        raise ApiError(
            422,
            "validation",
            _l("Bitte die markierten Angaben prüfen."),
            fields={"idea_id": [_l("Die Idee liegt nicht bei dieser Arbeitsgruppe.")]},
        )
    perform(
        planner().recommend,
        actor_id(),
        body["idea_id"],
        expected.version,
        body["recommendation"],
        body["reasoning"],
        caller_version=expected,
    )
    return respond_idea(body["idea_id"])


@operation(
    bp,
    "/working-groups/<uuid:group_id>/dissolution",
    "POST",
    summary="Arbeitsgruppe auflösen",
    tag=TAG,
    body=DissolveWorkingGroupSchema,
    response=WorkingGroupSchema,
    errors=COMMAND_ERRORS,
)
def dissolve_working_group(group_id: UUID) -> Response:
    """Dissolve the group with a reason (coordination); answers the group as it is now."""
    body = load_body(DissolveWorkingGroupSchema)
    change(
        planner().dissolve_working_group,
        group_id,
        body,
        body["reason"],
    )
    return respond_group(group_id)
