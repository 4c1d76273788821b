"""The OpenAPI 3.1 description (from the operation registry) and the readable API page.

`GET /api/v1/openapi.json` is built with apispec's MarshmallowPlugin from `core.OPERATIONS`
the first time it is asked for, then kept in `app.extensions` for the app's life. `GET
/api/docs` renders the same document as a German HTML page on the server (no JavaScript).
Both are public: the description holds no data, only the shape of the API.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, Response, current_app, jsonify, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ideation.entrypoints.api.core import (
    API_PREFIX,
    OPERATIONS,
    PUBLIC_ENDPOINTS,
    Operation,
    operation,
)
from ideation.entrypoints.api.errors import ERROR_CODES
from ideation.entrypoints.api.schemas import ErrorSchema

bp = Blueprint("api_docs", __name__, url_prefix="/api")

DOCUMENT_PATH = "/v1/openapi.json"
PAGE_PATH = "/docs"
EXTENSION_KEY = "ideation_openapi"
OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"
TITLE = "ideation – JSON-API v1"
SECURITY_SCHEME = "bearerAuth"
MUTATING_METHODS = ("post", "put", "patch", "delete")

# Statuses every operation may answer besides the ones it lists (api-conventions.md).
ALWAYS = (400, 413, 429, 503)
UNLESS_PUBLIC = (401,)
WITH_BODY = (415,)

# What each status means here (the document is German; the page translates these).
STATUS_TEXT: dict[int, Any] = {
    200: _l("Erfolg"),
    201: _l("Angelegt"),
    202: _l("Angenommen"),
    204: _l("Erfolg ohne Inhalt"),
    400: _l("Fehlerhafte Anfrage: kein gültiges JSON oder eine unlesbare Kopfzeile (If-Match)"),
    401: _l("Nicht angemeldet: Token fehlt, ist ungültig, abgelaufen oder widerrufen"),
    403: _l("Dafür fehlt die Berechtigung (Rolle, Fachbereich oder Arbeitsgruppe)"),
    404: _l("Nicht gefunden: die Kennung gibt es nicht (mehr)"),
    405: _l("Diese Methode ist hier nicht erlaubt"),
    409: _l("Konflikt: expected_version ist veraltet (current_version und events im Fehler)"),
    412: _l("If-Match ist veraltet (current_version und events im Fehler)"),
    413: _l("Die gesendeten Daten sind zu groß"),
    415: _l("Kein JSON: bitte Content-Type: application/json senden"),
    422: _l("Angaben ungültig (validation, mit fields) oder Regel verletzt (rule_violation)"),
    428: _l("Version fehlt: bitte If-Match oder expected_version angeben"),
    429: _l("Zu viele Anfragen: bitte nach Retry-After Sekunden erneut versuchen"),
    500: _l("Unerwarteter Fehler; es wurde nichts gespeichert"),
    503: _l("Die Datenbank ist ausgelastet: bitte nach Retry-After Sekunden erneut versuchen"),
}

# What each stable error code says (the page's table of codes; api/errors.py lists them).
CODE_TEXT: dict[str, Any] = {
    "bad_request": _l("Die Anfrage ist kein gültiges JSON oder eine Kopfzeile ist unlesbar."),
    "unauthenticated": _l("Kein, ein ungültiger, abgelaufener oder widerrufener Token."),
    "login_failed": _l("Benutzername oder Passwort stimmen nicht (nur POST /api/v1/tokens)."),
    "forbidden": _l("Die Person des Tokens darf das nicht."),
    "not_found": _l("Die Adresse oder die Kennung gibt es nicht."),
    "method_not_allowed": _l("Die Adresse gibt es, aber nicht mit dieser Methode."),
    "conflict": _l("expected_version ist veraltet; die Antwort nennt current_version und events."),
    "precondition_failed": _l(
        "If-Match ist veraltet; die Antwort nennt current_version und events."
    ),
    "too_large": _l("Die gesendeten Daten überschreiten die erlaubte Größe."),
    "unsupported_media_type": _l("Der Inhalt ist nicht als application/json gesendet."),
    "validation": _l("Angaben fehlen oder sind ungültig; fields nennt je Feld die Meldungen."),
    "rule_violation": _l("Eine fachliche Regel verbietet den Schritt; rule nennt die Regel."),
    "precondition_required": _l("Die Version fehlt: If-Match oder expected_version angeben."),
    "too_many_requests": _l("Zu viele Anfragen; Retry-After nennt die Wartezeit in Sekunden."),
    "server_error": _l("Unerwarteter Fehler; es wurde nichts gespeichert."),
    "busy": _l("Die Datenbank ist ausgelastet; Retry-After nennt die Wartezeit in Sekunden."),
}

ERROR_RESPONSE_NAMES = {
    400: "BadRequest",
    401: "Unauthenticated",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    412: "PreconditionFailed",
    413: "TooLarge",
    415: "UnsupportedMediaType",
    422: "Unprocessable",
    428: "PreconditionRequired",
    429: "TooManyRequests",
    500: "ServerError",
    503: "Busy",
}

# Headers an error response may carry, by status.
ERROR_HEADERS: dict[int, dict[str, str]] = {
    401: {"WWW-Authenticate": 'Bearer realm="ideation"'},
    409: {"ETag": "Die aktuelle Version als ETag"},
    412: {"ETag": "Die aktuelle Version als ETag"},
    429: {"Retry-After": "Sekunden bis zum nächsten Versuch"},
    503: {"Retry-After": "Sekunden bis zum nächsten Versuch"},
}

# Request headers an operation may name in `headers=(...)`.
REQUEST_HEADERS: dict[str, dict[str, Any]] = {
    "Idempotency-Key": {
        "description": (
            "Frei gewählter Schlüssel (1–200 Zeichen): wer dieselbe Anfrage mit demselben "
            "Schlüssel wiederholt, bekommt dasselbe Objekt, statt ein zweites anzulegen."
        ),
        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
    },
    "If-Match": {
        "description": (
            'Die Version, die Sie kennen, als ETag der letzten Antwort, z. B. "3". Ist das '
            "Objekt inzwischen weiter, kommt 412 und es wird nichts gespeichert."
        ),
        "schema": {"type": "string", "examples": ['"3"']},
    },
}

CONVERTERS: dict[str, dict[str, Any]] = {
    "uuid": {"type": "string", "format": "uuid"},
    "int": {"type": "integer", "minimum": 0},
    "float": {"type": "number", "minimum": 0},
    "string": {"type": "string"},
    "default": {"type": "string"},
    "path": {"type": "string"},
}
RULE_VARIABLE = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")

_BUILD_LOCK = threading.Lock()

PUBLIC_ENDPOINTS.add("api_docs.api_page")  # openapi.json is public through `operation`


# -- the document ------------------------------------------------------------------------------


def error_statuses(op: Operation) -> list[int]:
    """Every error status an operation can answer: its own plus the ones always possible."""
    statuses = set(op.errors) | set(ALWAYS)
    if not op.public:
        statuses |= set(UNLESS_PUBLIC)
    if op.body is not None:
        statuses |= set(WITH_BODY)
    if RULE_VARIABLE.search(op.rule):
        statuses.add(404)  # an id that does not exist, or a path value that is no id at all
    return sorted(statuses)


def openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    """A Flask rule as an OpenAPI path with its path parameters."""
    parameters = []
    for match in RULE_VARIABLE.finditer(rule):
        converter = match.group("converter") or "default"
        parameters.append(
            {
                "name": match.group("name"),
                "in": "path",
                "required": True,
                "schema": dict(CONVERTERS.get(converter, CONVERTERS["default"])),
            }
        )
    return RULE_VARIABLE.sub(lambda m: "{" + m.group("name") + "}", rule), parameters


def operation_spec(op: Operation) -> dict[str, Any]:
    """The OpenAPI operation object of one registered operation (schemas still as classes)."""
    _, parameters = openapi_path(op.rule)
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query})
    headers = list(op.headers)
    if 412 in op.errors and "If-Match" not in headers:
        headers.append("If-Match")
    for name in headers:
        known = REQUEST_HEADERS.get(name, {"schema": {"type": "string"}})
        parameters.append({"name": name, "in": "header", "required": False, **known})

    spec: dict[str, Any] = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": parameters,
        "responses": {str(op.status): success_response(op)},
    }
    if op.description:
        spec["description"] = op.description
    if op.body is not None:
        spec["requestBody"] = {
            "required": not op.body_optional,
            "content": {"application/json": {"schema": op.body}},
        }
    for status in error_statuses(op):
        spec["responses"][str(status)] = ERROR_RESPONSE_NAMES[status]
    if op.public:
        spec["security"] = []
    return spec


def success_response(op: Operation) -> dict[str, Any]:
    """The documented answer when the operation succeeds (schema, ETag, Location)."""
    response: dict[str, Any] = {"description": str(STATUS_TEXT.get(op.status, "Erfolg"))}
    if op.response is None:
        return response
    schema: Any = op.response(many=True) if op.many else op.response
    response["content"] = {"application/json": {"schema": schema}}
    headers: dict[str, Any] = {}
    if not op.many and "version" in op.response().fields:
        headers["ETag"] = {
            "description": 'Die Version des Objekts, z. B. "3" (für If-Match)',
            "schema": {"type": "string"},
        }
    if op.status == 201:
        headers["Location"] = {
            "description": "Die Adresse des neuen Objekts",
            "schema": {"type": "string"},
        }
    if headers:
        response["headers"] = headers
    return response


def registered_operations(app: Flask) -> list[Operation]:
    """The registry's operations that this app serves, in the order of the feature modules."""
    from ideation.entrypoints.api import FEATURE_MODULES

    order = {module.bp.name: index for index, module in enumerate(FEATURE_MODULES)}
    served = [op for op in OPERATIONS if op.endpoint in app.view_functions]
    return sorted(
        served,
        key=lambda op: (order.get(op.endpoint.partition(".")[0], len(order)), OPERATIONS.index(op)),
    )


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every operation the app serves, as plain JSON data."""
    spec = APISpec(
        title=TITLE,
        version=API_VERSION,
        openapi_version=OPENAPI_VERSION,
        plugins=[MarshmallowPlugin()],
        info={
            "description": (
                "Alle Befehle und Abfragen des Ideen- und Maßnahmenplaners als JSON. "
                "Anmeldung mit einem Token (POST /api/v1/tokens oder die Profilseite) in der "
                "Kopfzeile Authorization: Bearer <Token>. Fehler kommen immer als "
                '{"error": {"code", "message", "fields"}}. Lesbare Beschreibung: /api/docs.'
            )
        },
        security=[{SECURITY_SCHEME: []}],
    )
    spec.components.security_scheme(
        SECURITY_SCHEME,
        {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Ein Token von POST /api/v1/tokens (12 Stunden gültig) oder ein persönlicher "
                "Token von der Profilseite; er handelt mit den Rollen seiner Person."
            ),
        },
    )
    spec.components.schema("Error", schema=ErrorSchema)
    operations = registered_operations(app)
    statuses = sorted({s for op in operations for s in error_statuses(op)})
    for status in statuses:
        response: dict[str, Any] = {
            "description": str(STATUS_TEXT[status]),
            "content": {"application/json": {"schema": "Error"}},
        }
        if status in ERROR_HEADERS:
            response["headers"] = {
                name: {"description": text, "schema": {"type": "string"}}
                for name, text in ERROR_HEADERS[status].items()
            }
        spec.components.response(ERROR_RESPONSE_NAMES[status], response)
    tags: list[str] = []
    for op in operations:
        if op.tag not in tags:
            tags.append(op.tag)
            spec.tag({"name": op.tag})
        path, _ = openapi_path(op.rule)
        spec.path(path=path, operations={op.method: operation_spec(op)})
    document = json.loads(json.dumps(spec.to_dict(), default=str))
    for schema in iter_schemas(document):
        null_in_enum(schema)
    return document


def openapi_document(app: Flask) -> dict[str, Any]:
    """The app's document, built on first use and kept for the app's life (in German)."""
    document = app.extensions.get(EXTENSION_KEY)
    if document is None:
        with _BUILD_LOCK:
            document = app.extensions.get(EXTENSION_KEY)
            if document is None:
                with force_locale("de"):
                    document = build_document(app)
                app.extensions[EXTENSION_KEY] = document
    return document


def iter_schemas(document: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """Every JSON Schema in the document, nested ones included."""
    roots: list[Any] = list(document.get("components", {}).get("schemas", {}).values())
    for methods in document.get("paths", {}).values():
        for op in methods.values():
            roots.extend(p.get("schema") for p in op.get("parameters", []))
            for media in op.get("requestBody", {}).get("content", {}).values():
                roots.append(media.get("schema"))
            for response in op.get("responses", {}).values():
                if isinstance(response, dict):
                    roots.extend(m.get("schema") for m in response.get("content", {}).values())
                    roots.extend(h.get("schema") for h in response.get("headers", {}).values())
    stack = [s for s in roots if isinstance(s, dict)]
    while stack:
        schema = stack.pop()
        yield schema
        for key in ("items", "additionalProperties", "not"):
            if isinstance(schema.get(key), dict):
                stack.append(schema[key])
        for key in ("properties", "patternProperties"):
            stack.extend(v for v in schema.get(key, {}).values() if isinstance(v, dict))
        for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
            stack.extend(v for v in schema.get(key, []) if isinstance(v, dict))


def null_in_enum(schema: dict[str, Any]) -> None:
    """A nullable field with an enum lists null among its values (else null fails the enum)."""
    types = schema.get("type")
    nullable = isinstance(types, list) and "null" in types
    if nullable and "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]


# -- the page -----------------------------------------------------------------------------------


@dataclass
class FieldRow:
    """One field of a request body or a data type, as the page lists it."""

    name: str
    type: str
    required: bool
    description: str = ""
    constraints: str = ""


@dataclass
class ParameterRow:
    name: str
    location: str
    type: str
    required: bool
    description: str = ""
    constraints: str = ""


@dataclass
class ResponseRow:
    status: str
    description: str
    type: str = ""


@dataclass
class OperationView:
    anchor: str
    method: str
    path: str
    summary: str
    public: bool
    parameters: list[ParameterRow] = field(default_factory=list)
    body_type: str = ""
    body_anchor: str = ""
    body_required: bool = False
    body_fields: list[FieldRow] = field(default_factory=list)
    responses: list[ResponseRow] = field(default_factory=list)


@dataclass
class TagView:
    anchor: str
    name: str
    operations: list[OperationView] = field(default_factory=list)


@dataclass
class TypeView:
    anchor: str
    name: str
    fields: list[FieldRow] = field(default_factory=list)


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_label(schema: dict[str, Any]) -> str:
    """A short, readable type: "string (uuid)", "Liste von Idea", "integer oder null" …"""
    if not schema:
        return "beliebig"
    if "$ref" in schema:
        return ref_name(schema["$ref"])
    if "anyOf" in schema:
        return " oder ".join(type_label(s) for s in schema["anyOf"])
    types = schema.get("type")
    names = types if isinstance(types, list) else [types] if types else []
    labels = []
    for name in names:
        if name == "array":
            labels.append("Liste von " + type_label(schema.get("items", {})))
        elif name == "object" and isinstance(schema.get("additionalProperties"), dict):
            labels.append("Objekt (Schlüssel → " + type_label(schema["additionalProperties"]) + ")")
        elif name in ("string", "integer", "number") and "format" in schema:
            labels.append(f"{name} ({schema['format']})")
        else:
            labels.append(str(name))
    return " oder ".join(labels) or "beliebig"


def constraint_label(schema: dict[str, Any]) -> str:
    """Limits and allowed values of a schema, as short German text."""
    parts = []
    if "enum" in schema:
        values = ", ".join("null" if v is None else str(v) for v in schema["enum"])
        parts.append(f"erlaubt: {values}")
    for key, text in (
        ("minLength", "min. {} Zeichen"),
        ("maxLength", "max. {} Zeichen"),
        ("minimum", "ab {}"),
        ("maximum", "bis {}"),
        ("minItems", "min. {} Einträge"),
        ("maxItems", "max. {} Einträge"),
    ):
        if key in schema:
            parts.append(text.format(schema[key]))
    if "default" in schema:
        parts.append(f"Vorgabe: {json.dumps(schema['default'], ensure_ascii=False)}")
    return "; ".join(parts)


def schema_fields(document: dict[str, Any], schema: dict[str, Any]) -> list[FieldRow]:
    """The properties of an object schema (a $ref is followed once)."""
    if "$ref" in schema:
        schema = document["components"]["schemas"].get(ref_name(schema["$ref"]), {})
    required = set(schema.get("required", []))
    return [
        FieldRow(
            name=name,
            type=type_label(prop),
            required=name in required,
            description=str(prop.get("description", "")),
            constraints=constraint_label(prop),
        )
        for name, prop in schema.get("properties", {}).items()
    ]


def response_type(response: dict[str, Any]) -> str:
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    return type_label(schema) if isinstance(schema, dict) else ""


def page_model(document: dict[str, Any]) -> tuple[list[TagView], list[TypeView]]:
    """What the page shows, read from the OpenAPI document itself."""
    tags = {t["name"]: TagView(f"tag-{i + 1}", t["name"]) for i, t in enumerate(document["tags"])}
    components = document.get("components", {})
    count = 0
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            count += 1
            view = OperationView(
                anchor=f"op-{count}",
                method=method.upper(),
                path=path,
                summary=op.get("summary", ""),
                public=op.get("security") == [],
            )
            for parameter in op.get("parameters", []):
                view.parameters.append(
                    ParameterRow(
                        name=parameter["name"],
                        location=parameter["in"],
                        type=type_label(parameter.get("schema", {})),
                        required=bool(parameter.get("required")),
                        description=str(parameter.get("description", "")),
                        constraints=constraint_label(parameter.get("schema", {})),
                    )
                )
            body = op.get("requestBody")
            if body:
                schema = body["content"]["application/json"]["schema"]
                view.body_type = type_label(schema)
                if "$ref" in schema:
                    view.body_anchor = "type-" + ref_name(schema["$ref"])
                view.body_required = bool(body.get("required"))
                view.body_fields = schema_fields(document, schema)
            for status, response in op["responses"].items():
                if "$ref" in response:
                    response = components["responses"][ref_name(response["$ref"])]
                view.responses.append(
                    ResponseRow(status, str(response["description"]), response_type(response))
                )
            tags[op["tags"][0]].operations.append(view)
    types = [
        TypeView(f"type-{name}", name, schema_fields(document, schema))
        for name, schema in sorted(components.get("schemas", {}).items())
    ]
    return list(tags.values()), types


# -- routes -----------------------------------------------------------------------------------


@operation(
    bp,
    DOCUMENT_PATH,
    "GET",
    summary="Diese Beschreibung der API (OpenAPI 3.1) abrufen",
    tag="Beschreibung",
    public=True,
)
def openapi_json() -> Response:
    """The OpenAPI 3.1 description of the API v1 (public: it holds no data)."""
    return jsonify(openapi_document(current_app._get_current_object()))  # type: ignore[attr-defined]


@bp.get(PAGE_PATH)
def api_page() -> str:
    """The readable API page: sign-in, errors, versions, every operation and data type."""
    document = openapi_document(current_app._get_current_object())  # type: ignore[attr-defined]
    tags, types = page_model(document)
    return render_template(
        "api_docs/index.html",
        document=document,
        tags=tags,
        types=types,
        error_codes=ERROR_CODES,
        code_text=CODE_TEXT,
        status_text=STATUS_TEXT,
        api_prefix=API_PREFIX,
    )
