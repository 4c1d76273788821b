"""The peer's HTTP API: the planner's routes and JSON shapes for the operations it offers.

Routes (under /api/v1, as in docs/api.md): `GET/POST /ideas`, `GET/PATCH /ideas/{id}`,
`POST /ideas/{id}/support`, `POST …/comments`, `…/assessment`, `…/assignment`,
`…/decision` (accept, reject, park), `GET …/history` (`kind`),
`POST /working-groups/{id}/recommendations` and `POST /measures/{id}/progress`.
Bodies are checked with marshmallow; a change needs the version the caller saw (If-Match
or `expected_version`): 428 without, 412 / 409 when stale. Auth is a plain bearer token
looked up by its SHA-256 (no sessions, no rate limit, no CSRF: the API only).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Any
from uuid import UUID

from flask import Flask, Response, g, jsonify, request
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from benchmarks.peer.service import PeerError, PeerService

API = "/api/v1"
ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')
STAGES = (
    "submitted", "in_review", "in_working_group", "accepted", "planned", "in_progress",
    "implemented", "cancelled", "rejected", "parked", "merged", "withdrawn",
)  # fmt: skip
KINDS = ("decisions", "content", "measure", "comments")


class Body(Schema):
    class Meta:
        unknown = RAISE

    expected_version = fields.Integer(validate=validate.Range(1, 1_000_000_000))


class SubmitBody(Schema):
    class Meta:
        unknown = RAISE

    title = fields.String(required=True, validate=validate.Length(1, 200))
    summary = fields.String(required=True, validate=validate.Length(1, 500))
    benefit = fields.String(load_default="", validate=validate.Length(max=20000))
    themes = fields.List(fields.String(validate=validate.Length(1, 60)), load_default=list)
    department_id = fields.UUID()
    origin = fields.String(load_default="", validate=validate.Length(max=200))


class ReviseBody(Body):
    title = fields.String(validate=validate.Length(3, 200))
    summary = fields.String(validate=validate.Length(1, 500))
    benefit = fields.String(validate=validate.Length(max=20000))
    themes = fields.List(fields.String(validate=validate.Length(1, 60)))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class CommentBody(Body):
    text = fields.String(required=True, validate=validate.Length(1, 5000))
    reply_to = fields.UUID()


class SupportBody(Body):
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class AssessBody(Body):
    impact = fields.Integer(required=True, validate=validate.Range(1, 5))
    effort = fields.Integer(required=True, validate=validate.Range(1, 5))
    expected_weeks = fields.Integer(required=True, validate=validate.Range(1, 520))
    rationale = fields.String(required=True, validate=validate.Length(1, 20000))


class AssignBody(Body):
    working_group_id = fields.UUID(required=True)


class DecideBody(Body):
    outcome = fields.String(required=True, validate=validate.OneOf(("accept", "reject", "park")))
    reason = fields.String(required=True, validate=validate.Length(1, 5000))
    owner_department_id = fields.UUID()


class RecommendBody(Body):
    idea_id = fields.UUID(required=True)
    recommendation = fields.String(
        required=True, validate=validate.OneOf(("accept", "reject", "park"))
    )
    reasoning = fields.String(required=True, validate=validate.Length(1, 5000))


class ProgressBody(Body):
    percent = fields.Integer(required=True, validate=validate.Range(0, 100))
    note = fields.String(load_default="", validate=validate.Length(max=5000))


class ListQuery(Schema):
    class Meta:
        unknown = EXCLUDE

    stage = fields.String(validate=validate.OneOf(STAGES))
    department_id = fields.UUID()
    quick_win = fields.Boolean()
    working_group_id = fields.UUID()
    q = fields.String(validate=validate.Length(1, 200))
    after = fields.String()
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))


def create_peer_app(
    database_url: str, *, schema: str | None = None, service: PeerService | None = None
) -> Flask:
    """The peer as a Flask app on `database_url` (a SQLite file or PostgreSQL), tables created."""
    if service is None:
        service = PeerService.connect(database_url, schema=schema)
    app = Flask("ideation-peer")
    app.extensions["peer"] = service
    app.json.sort_keys = False  # type: ignore[attr-defined]

    @app.errorhandler(PeerError)
    def peer_error(error: PeerError) -> tuple[Response, int]:
        body: dict[str, Any] = {
            "code": error.code,
            "message": error.message,
            "fields": error.fields,
        }
        if error.current_version is not None:
            body["current_version"] = error.current_version
        return jsonify({"error": body}), error.status

    @app.errorhandler(404)
    def not_found(_error: Exception) -> tuple[Response, int]:
        return jsonify(
            {"error": {"code": "not_found", "message": "Nicht gefunden.", "fields": {}}}
        ), 404

    @app.before_request
    def authenticate() -> None:
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        person = service.person_for_token(token) if token else None
        if person is None:
            raise PeerError(401, "unauthenticated", "Bitte mit einem API-Token anmelden.")
        g.person = person

    def body(schema: type[Schema]) -> dict[str, Any]:
        data = request.get_json(silent=True)
        if data is None:
            data = {} if not request.get_data().strip() else None
        if not isinstance(data, dict):
            raise PeerError(400, "bad_request", "Der Inhalt ist kein JSON-Objekt.")
        try:
            return schema().load(data)
        except ValidationError as error:
            messages = error.messages if isinstance(error.messages, dict) else {}
            raise PeerError(
                422, "validation", "Bitte die Angaben prüfen.", fields=messages
            ) from None

    def expected(data: dict[str, Any]) -> tuple[int, bool]:
        header = request.headers.get("If-Match")
        if header is not None:
            match = ETAG.match(header)
            if match is None:
                raise PeerError(400, "bad_request", "If-Match muss eine Version sein.")
            return int(match.group(1)), True
        if "expected_version" not in data:
            raise PeerError(428, "precondition_required", "Bitte die Version angeben.")
        return data["expected_version"], False

    def change(data: dict[str, Any], command: Any, *args: Any, **kwargs: Any) -> Any:
        version, from_header = expected(data)
        try:
            return command(g.person.id, *args[:1], version, *args[1:], **kwargs)
        except PeerError as error:
            if error.status == 409 and from_header:
                error.status, error.code = 412, "precondition_failed"
            raise

    def idea_response(idea_id: UUID, status: int = 200, location: bool = False) -> Response:
        idea = service.get_idea(idea_id)
        response = jsonify(_json(idea))
        response.status_code = status
        response.headers["ETag"] = f'"{idea["version"]}"'
        if location:
            response.headers["Location"] = f"{API}/ideas/{idea_id}"
        return response

    @app.get(f"{API}/ideas")
    def list_ideas() -> Response:
        try:
            query = ListQuery().load(request.args.to_dict())
        except ValidationError as error:
            raise PeerError(422, "validation", "Bitte prüfen.", fields=error.messages) from None  # type: ignore[arg-type]
        after = _decode_cursor(query["after"]) if "after" in query else None
        limit = query["limit"]
        rows = service.list_ideas(
            after=after,
            limit=limit + 1,
            stage=query.get("stage"),
            department_id=query.get("department_id"),
            quick_win=query.get("quick_win"),
            working_group_id=query.get("working_group_id"),
            text=query.get("q"),
        )
        cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            cursor = _encode_cursor(rows[-1]["submitted_at"].isoformat(), rows[-1]["id"])
        return jsonify({"items": [_json(r) for r in rows], "next": cursor})

    @app.post(f"{API}/ideas")
    def submit_idea() -> Response:
        data = body(SubmitBody)
        if data.get("department_id") not in (None, g.person.department_id):
            raise PeerError(403, "forbidden", "Ideen reicht man für den eigenen Fachbereich ein.")
        idea_id = service.submit_idea(
            g.person.id,
            title=data["title"],
            summary=data["summary"],
            description=data["benefit"],
            themes=data["themes"],
            origin=data["origin"],
        )
        return idea_response(idea_id, 201, location=True)

    @app.get(f"{API}/ideas/<uuid:idea_id>")
    def get_idea(idea_id: UUID) -> Response:
        return idea_response(idea_id)

    @app.patch(f"{API}/ideas/<uuid:idea_id>")
    def revise_idea(idea_id: UUID) -> Response:
        data = body(ReviseBody)
        names = {
            "title": "title",
            "summary": "summary",
            "benefit": "description",
            "themes": "themes",
        }
        changes = {model: data[api] for api, model in names.items() if api in data}
        if not changes:
            raise PeerError(422, "validation", "Bitte ein Feld ändern.", fields={"_schema": []})
        change(data, service.revise_idea, idea_id, changes, data["note"])
        return idea_response(idea_id)

    @app.post(f"{API}/ideas/<uuid:idea_id>/support")
    def pledge_support(idea_id: UUID) -> Response:
        data = body(SupportBody)
        change(data, service.pledge_support, idea_id, data["note"])
        return idea_response(idea_id)

    @app.post(f"{API}/ideas/<uuid:idea_id>/comments")
    def comment_on_idea(idea_id: UUID) -> Response:
        data = body(CommentBody)
        change(data, service.comment_on_idea, idea_id, data["text"], reply_to=data.get("reply_to"))
        return idea_response(idea_id, 201)

    @app.post(f"{API}/ideas/<uuid:idea_id>/assessment")
    def assess_idea(idea_id: UUID) -> Response:
        data = body(AssessBody)
        change(
            data,
            service.assess_idea,
            idea_id,
            impact=data["impact"],
            effort=data["effort"],
            expected_weeks=data["expected_weeks"],
            rationale=data["rationale"],
        )
        return idea_response(idea_id)

    @app.post(f"{API}/ideas/<uuid:idea_id>/assignment")
    def assign_idea(idea_id: UUID) -> Response:
        data = body(AssignBody)
        change(data, service.assign_idea, idea_id, data["working_group_id"])
        return idea_response(idea_id)

    @app.post(f"{API}/ideas/<uuid:idea_id>/decision")
    def decide_idea(idea_id: UUID) -> Response:
        data = body(DecideBody)
        change(
            data,
            service.decide,
            idea_id,
            data["outcome"],
            data["reason"],
            data.get("owner_department_id"),
        )
        return idea_response(idea_id)

    @app.get(f"{API}/ideas/<uuid:idea_id>/history")
    def idea_history(idea_id: UUID) -> Response:
        kind = request.args.get("kind")
        if kind is not None and kind not in KINDS:
            raise PeerError(422, "validation", "Unbekannte Art.", fields={"kind": []})
        entries = service.idea_history(idea_id)
        if kind is not None:
            entries = [e for e in entries if e["kind"] == kind]
        return jsonify({"items": [_json(e) for e in entries]})

    @app.post(f"{API}/working-groups/<uuid:group_id>/recommendations")
    def recommend(group_id: UUID) -> Response:
        data = body(RecommendBody)
        idea = service.get_idea(data["idea_id"])
        if idea["working_group_id"] != group_id:
            raise PeerError(
                422,
                "validation",
                "Die Idee liegt nicht bei dieser Arbeitsgruppe.",
                fields={"idea_id": []},
            )
        change(data, service.recommend, data["idea_id"], data["recommendation"], data["reasoning"])
        return idea_response(data["idea_id"])

    @app.post(f"{API}/measures/<uuid:measure_id>/progress")
    def report_progress(measure_id: UUID) -> Response:
        data = body(ProgressBody)
        change(data, service.report_progress, measure_id, data["percent"], data["note"])
        return jsonify({"id": measure_id, "progress": data["percent"]})

    return app


def _json(value: Any) -> Any:
    """Plain JSON: ids as strings, times in ISO 8601, dates as dates."""
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _encode_cursor(*parts: object) -> str:
    text = "|".join(str(p) for p in parts)
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dt.datetime, UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, idea_id = base64.urlsafe_b64decode(padded.encode("ascii")).decode().split("|")
        return dt.datetime.fromisoformat(moment), UUID(idea_id)
    except (binascii.Error, UnicodeError, ValueError):
        raise PeerError(
            422, "validation", "Der Cursor ist ungültig.", fields={"after": []}
        ) from None
