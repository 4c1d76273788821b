"""What every API view shares: the operation registry, auth, body and query loading, versions.

A view is thin: `load_body`/`load_query` (marshmallow) → one application call through
`perform` (which turns application errors into ApiErrors) → `respond` with the output schema.
The `operation` decorator registers the route and describes it for the OpenAPI document.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError

from ideation.application.errors import (
    ConcurrencyConflict,
    InvalidRequest,
    LoginFailed,
    LoginThrottled,
    NotFound,
    PermissionDenied,
    StorageBusy,
)
from ideation.application.views import PersonView
from ideation.domain.errors import DomainError
from ideation.entrypoints.api.errors import ApiError
from ideation.entrypoints.api_boundary import bearer_token
from ideation.entrypoints.auth import is_ambassador_only
from ideation.entrypoints.i18n import localized_error

T = TypeVar("T")
View = TypeVar("View", bound=Callable[..., Any])

API_PREFIX = "/api/v1"
RETRY_AFTER_BUSY = "5"
ETAG_PATTERN = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


@dataclass(frozen=True)
class Operation:
    """One route of the API as the OpenAPI document describes it."""

    endpoint: str
    rule: str
    method: str
    summary: str
    tag: str
    body: type[Schema] | None = None
    query: type[Schema] | None = None
    response: type[Schema] | None = None
    many: bool = False
    status: int = 200
    errors: tuple[int, ...] = ()
    public: bool = False
    description: str = ""
    headers: tuple[str, ...] = field(default=())
    # All fields of the body are optional, so the body itself may be left out.
    body_optional: bool = False


# What a command on an existing object can answer besides success (If-Match is implied by 412).
COMMAND_ERRORS = (403, 404, 409, 412, 422, 428)

OPERATIONS: list[Operation] = []
PUBLIC_ENDPOINTS: set[str] = set()
# What a token of an ambassador-only person may call (issue 8: briefings, published measures).
AMBASSADOR_ENDPOINTS: set[str] = set()
OPTIONAL_BODY_ENDPOINTS: set[str] = set()


def api_blueprint(name: str) -> Blueprint:
    """A feature's API blueprint under /api/v1 (its endpoints are named api_<name>.<view>)."""
    return Blueprint(f"api_{name}", __name__, url_prefix=API_PREFIX)


def operation(
    bp: Blueprint,
    rule: str,
    method: str,
    *,
    summary: str,
    tag: str,
    body: type[Schema] | None = None,
    query: type[Schema] | None = None,
    response: type[Schema] | None = None,
    many: bool = False,
    status: int = 200,
    errors: tuple[int, ...] = (),
    public: bool = False,
    description: str = "",
    headers: tuple[str, ...] = (),
    body_optional: bool = False,
) -> Callable[[View], View]:
    """Register `view` for `method rule` and describe it (schemas, status, possible errors).

    Every operation may also answer 400, 401 (unless public), 413, 415 (with a body), 429
    and 503; `errors` names the others (403, 404, 409, 412, 422, 428 …).
    """

    def decorate(view: View) -> View:
        endpoint = f"{bp.name}.{view.__name__}"
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=view, methods=[method])
        OPERATIONS.append(
            Operation(
                endpoint=endpoint,
                rule=bp.url_prefix + rule if bp.url_prefix else rule,
                method=method.lower(),
                summary=summary,
                tag=tag,
                body=body,
                query=query,
                response=response,
                many=many,
                status=status,
                errors=errors,
                public=public,
                description=description or (view.__doc__ or "").strip(),
                headers=headers,
                body_optional=body_optional,
            )
        )
        if public:
            PUBLIC_ENDPOINTS.add(endpoint)
        if body_optional:
            OPTIONAL_BODY_ENDPOINTS.add(endpoint)
        return view

    return decorate


class RequestSchema(Schema):
    """A request body or query: unknown fields are refused with a German message."""

    class Meta:
        unknown = RAISE

    error_messages = {  # noqa: RUF012 - marshmallow's own class attribute
        "unknown": _l("Unbekanntes Feld."),
        "type": _l("Bitte ein JSON-Objekt senden."),
    }


class ResponseSchema(Schema):
    """A response body; dumping ignores what the schema does not declare."""

    class Meta:
        unknown = EXCLUDE


# -- authentication -----------------------------------------------------------------------


def authenticate_request() -> None:
    """Before every API request: find the person behind the bearer token (cookies never count)."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    token = bearer_token()
    if token is None:
        raise ApiError(
            401,
            "unauthenticated",
            _l("Bitte mit einem API-Token anmelden (Kopfzeile Authorization: Bearer …)."),
        )
    grant = current_app.extensions["ideation"].person_for_token(token)
    if grant is None:
        raise ApiError(
            401, "unauthenticated", _l("Der Token ist ungültig, abgelaufen oder widerrufen.")
        )
    g.api_person = grant.person
    g.api_token_id = grant.token_id
    if is_ambassador_only(tuple(grant.person.roles)) and request.endpoint not in (
        AMBASSADOR_ENDPOINTS
    ):
        raise ApiError(403, "forbidden", _l("Diese Rolle darf nur die Briefings lesen."))


def actor_id() -> UUID:
    """The id of the person the request's token acts for."""
    return g.api_person.id


def caller() -> PersonView:
    """The person the request's token acts for (id, department, roles)."""
    return g.api_person


def planner() -> Any:
    """The application service."""
    return current_app.extensions["ideation"]


# -- input ----------------------------------------------------------------------------------


def load_body(schema: type[Schema]) -> dict[str, Any]:
    """The request's JSON body checked by `schema`; 415, 400 and 422 as JSON errors.

    For an operation declared with `body_optional`, an empty body counts as `{}`.
    """
    raw = request.get_data(cache=True)
    if request.endpoint in OPTIONAL_BODY_ENDPOINTS and not raw.strip():
        data: Any = {}
    else:
        if not request.mimetype or not (
            request.mimetype == "application/json" or request.mimetype.endswith("+json")
        ):
            raise ApiError(
                415,
                "unsupported_media_type",
                _l("Bitte JSON senden (Content-Type: application/json)."),
            )
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):  # nested too deep: refused too
            raise ApiError(400, "bad_request", _l("Der Inhalt ist kein gültiges JSON.")) from None
    return _load(schema, data)


def load_query(schema: type[Schema]) -> dict[str, Any]:
    """The query string checked by `schema` (each parameter once)."""
    return _load(schema, request.args.to_dict())


@functools.cache
def schema_instance(schema: type[Schema], *, many: bool = False) -> Schema:
    """One instance per schema and `many`, built once: building costs more than using it.

    Schema instances keep no state between load and dump calls, and their messages are
    translated lazily, so one instance serves every request and language.
    """
    return schema(many=many)


def _load(schema: type[Schema], data: Any) -> dict[str, Any]:
    try:
        return schema_instance(schema).load(data)
    except ValidationError as error:
        messages = (
            error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        )
        # Every field's messages as a list (a lazily translated message arrives on its own).
        messages = {k: v if isinstance(v, list | dict) else [v] for k, v in messages.items()}
        raise ApiError(
            422, "validation", _l("Bitte die markierten Angaben prüfen."), fields=messages
        ) from None


@dataclass(frozen=True)
class Expected:
    """The version the caller saw, and whether it came as If-Match (412) or in the body (409)."""

    version: int
    from_header: bool


def expected_version(body: dict[str, Any]) -> Expected:
    """The caller's version from If-Match (an ETag like "7") or `expected_version`; else 428."""
    header = request.headers.get("If-Match")
    if header is not None:
        match = ETAG_PATTERN.match(header)
        if match is None or int(match.group(1)) < 1:
            raise ApiError(
                400,
                "bad_request",
                _l('If-Match muss die Version als ETag enthalten, z. B. If-Match: "3".'),
            )
        return Expected(int(match.group(1)), from_header=True)
    version = body.get("expected_version")
    if version is None:
        raise ApiError(
            428,
            "precondition_required",
            _l(
                "Bitte die Version angeben, die Sie kennen: die Kopfzeile If-Match "
                "(der ETag der letzten Antwort) oder expected_version im Inhalt."
            ),
        )
    return Expected(int(version), from_header=False)


# -- running a command or query ---------------------------------------------------------------


def perform(
    call: Callable[..., T], *args: Any, caller_version: Expected | None = None, **kwargs: Any
) -> T:
    """Run one application call; its known errors become JSON errors with stable codes."""
    try:
        return call(*args, **kwargs)
    except PermissionDenied as error:
        raise ApiError(403, "forbidden", localized_error(error)) from None
    except NotFound as error:
        raise ApiError(404, "not_found", localized_error(error)) from None
    except StorageBusy as error:
        raise ApiError(
            503, "busy", localized_error(error), headers={"Retry-After": RETRY_AFTER_BUSY}
        ) from None
    except ConcurrencyConflict as error:
        raise conflict_error(error, caller_version) from None
    except LoginThrottled as error:
        raise ApiError(
            429,
            "too_many_requests",
            localized_error(error),
            headers={"Retry-After": str(error.retry_after_seconds)},
        ) from None
    except LoginFailed as error:
        raise ApiError(401, "login_failed", localized_error(error)) from None
    except InvalidRequest as error:
        raise ApiError(422, "validation", localized_error(error)) from None
    except DomainError as error:
        field_name = getattr(error, "field", None) or error.details.get("field")
        message = localized_error(error)
        if field_name:
            raise ApiError(422, "validation", message, fields={field_name: [message]}) from None
        raise ApiError(422, "rule_violation", message, rule=error.code) from None


def change(
    command: Callable[..., T], object_id: UUID, body: dict[str, Any], *args: Any, **kwargs: Any
) -> T:
    """Run a command on an existing object at the version the caller saw, as the actor.

    The version comes from If-Match or the body's `expected_version` (`expected_version`);
    a stale one is 412 or 409 with the steps since (`perform`).
    """
    expected = expected_version(body)
    return perform(
        command, actor_id(), object_id, expected.version, *args, caller_version=expected, **kwargs
    )


def conflict_error(error: ConcurrencyConflict, expected: Expected | None) -> ApiError:
    """409 (or 412 for If-Match) with the current version and every step since the caller's."""
    from ideation.entrypoints.api.schemas import history_items

    if expected is not None and expected.from_header:
        status, code = 412, "precondition_failed"
    else:
        status, code = 409, "conflict"
    return ApiError(
        status,
        code,
        localized_error(error),
        current_version=error.actual_version,
        events=history_items(error.events_since),
        headers={"ETag": etag(error.actual_version)},
    )


# -- output ---------------------------------------------------------------------------------


def etag(version: int) -> str:
    """The ETag of an object at a version."""
    return f'"{version}"'


def respond(
    schema: type[Schema],
    data: Any,
    *,
    status: int = 200,
    many: bool = False,
    version: int | None = None,
    location: str | None = None,
) -> Response:
    """Dump `data` with `schema`; set the ETag for a versioned object and Location for 201."""
    response = jsonify(schema_instance(schema, many=many).dump(data))
    response.status_code = status
    if version is not None:
        response.headers["ETag"] = etag(version)
    if location is not None:
        response.headers["Location"] = location
    return response
