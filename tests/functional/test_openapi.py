"""The OpenAPI description (GET /api/v1/openapi.json) and the readable API page (GET /api/docs)."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient

from ideation.entrypoints.api.core import OPERATIONS
from ideation.entrypoints.api.errors import ERROR_CODES
from ideation.entrypoints.api.openapi import EXTENSION_KEY, iter_schemas, openapi_path

API_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def document(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every operation of the document by (method, path)."""
    return {
        (method, path): op
        for path, methods in document["paths"].items()
        for method, op in methods.items()
    }


def resolve(document: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """Follow a local $ref like #/components/responses/NotFound."""
    while "$ref" in item:
        node: Any = document
        for part in item["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        item = node
    return item


def test_the_description_is_a_valid_openapi_3_1_document(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"]
    assert document["info"]["version"]
    # schemathesis checks the document against the OpenAPI 3.1 schema …
    schemathesis.openapi.from_dict(document).validate()
    # … which does not look into the JSON Schemas: each one must be valid JSON Schema 2020-12.
    schemas = list(iter_schemas(document))
    assert len(schemas) > 50
    invalid = [schema for schema in schemas if not jsonschema_rs.meta.is_valid(schema)]
    assert invalid == []


def test_every_api_route_of_the_app_is_described_with_its_methods_and_nothing_else(
    web_app: Flask, document: dict[str, Any]
) -> None:
    served = set()
    for rule in web_app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path, _ = openapi_path(rule.rule)
            served |= {(method.lower(), path) for method in rule.methods or ()}
    served = {(method, path) for method, path in served if method in API_METHODS}
    assert set(operations(document)) == served
    assert len(served) == len(OPERATIONS)


def test_path_parameters_follow_the_flask_converters(document: dict[str, Any]) -> None:
    for op in OPERATIONS:
        path, _ = openapi_path(op.rule)
        described = document["paths"][path][op.method]
        in_path = {p["name"]: p for p in described.get("parameters", []) if p["in"] == "path"}
        for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", op.rule):
            assert in_path[name]["required"] is True
            if converter == "uuid":
                assert in_path[name]["schema"] == {"type": "string", "format": "uuid"}
        assert set(in_path) == set(re.findall(r"\{(\w+)\}", path))


def test_every_operation_has_a_summary_a_tag_and_its_success_response(
    document: dict[str, Any],
) -> None:
    for op in OPERATIONS:
        path, _ = openapi_path(op.rule)
        described = document["paths"][path][op.method]
        assert described["summary"] == op.summary
        assert described["summary"].strip()
        assert described["tags"] == [op.tag]
        assert str(op.status) in described["responses"]
        assert described["operationId"] == op.endpoint
    ids = [op["operationId"] for op in operations(document).values()]
    assert len(ids) == len(set(ids))


def test_every_operation_declares_its_error_responses_with_the_error_schema(
    document: dict[str, Any],
) -> None:
    error_schema = document["components"]["schemas"]["Error"]
    assert error_schema["required"] == ["error"]
    for op in OPERATIONS:
        path, _ = openapi_path(op.rule)
        described = document["paths"][path][op.method]
        expected = {400, 413, 429, 503, *op.errors}
        if not op.public:
            expected.add(401)
        if op.body is not None:
            expected.add(415)
        declared = {int(s) for s in described["responses"] if int(s) >= 400}
        assert expected <= declared, f"{op.method.upper()} {path}"
        assert 500 not in declared
        for status in declared:
            response = resolve(document, described["responses"][str(status)])
            assert response["description"].strip()
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}


def test_the_error_body_describes_code_message_fields_and_the_conflict_details(
    document: dict[str, Any],
) -> None:
    body = resolve(document, document["components"]["schemas"]["Error"]["properties"]["error"])
    assert set(body["required"]) == {"code", "message", "fields"}
    assert {"rule", "current_version", "events"} <= set(body["properties"])
    assert body["properties"]["fields"]["type"] == "object"
    events = body["properties"]["events"]
    assert events["items"] == {"$ref": "#/components/schemas/HistoryEntry"}


def test_bodies_queries_and_responses_come_from_the_marshmallow_schemas(
    document: dict[str, Any],
) -> None:
    listing = document["paths"]["/api/v1/ideas"]["get"]
    query = {p["name"]: p for p in listing["parameters"] if p["in"] == "query"}
    assert {"stage", "department_id", "quick_win", "working_group_id", "q", "after", "limit"} <= (
        set(query)
    )
    assert "submitted" in query["stage"]["schema"]["enum"]
    assert query["limit"]["schema"]["maximum"] == 200
    page = resolve(document, listing["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(page["required"]) == {"items", "next"}

    submit = document["paths"]["/api/v1/ideas"]["post"]
    assert submit["requestBody"]["required"] is True
    body = resolve(document, submit["requestBody"]["content"]["application/json"]["schema"])
    assert body["additionalProperties"] is False  # unknown fields are refused
    assert set(body["required"]) == {"title", "summary"}
    assert body["properties"]["title"]["maxLength"] == 200
    created = submit["responses"]["201"]
    assert {"ETag", "Location"} <= set(created["headers"])


def test_nullable_fields_are_json_schema_null_types_not_the_openapi_3_0_keyword(
    document: dict[str, Any],
) -> None:
    idea = document["components"]["schemas"]["Idea"]["properties"]
    assert idea["measure_id"]["type"] == ["string", "null"]
    assert {"type": "null"} in idea["assessment"]["anyOf"]
    assert '"nullable"' not in json.dumps(document)
    for schema in iter_schemas(document):
        if isinstance(schema.get("type"), list) and "enum" in schema and "null" in schema["type"]:
            assert None in schema["enum"]


def test_version_and_idempotency_headers_are_described_where_they_apply(
    document: dict[str, Any],
) -> None:
    for op in OPERATIONS:
        path, _ = openapi_path(op.rule)
        described = document["paths"][path][op.method]
        headers = {p["name"]: p for p in described.get("parameters", []) if p["in"] == "header"}
        if 412 in op.errors:
            assert headers["If-Match"]["required"] is False
        for name in op.headers:
            assert name in headers
    submit = document["paths"]["/api/v1/ideas"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in submit)


def test_bearer_tokens_are_required_everywhere_except_on_public_operations(
    document: dict[str, Any],
) -> None:
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert document["security"] == [{"bearerAuth": []}]
    public = {(op.method, openapi_path(op.rule)[0]) for op in OPERATIONS if op.public}
    assert ("post", "/api/v1/tokens") in public
    assert ("get", "/api/v1/openapi.json") in public
    for key, op in operations(document).items():
        if key in public:
            assert op["security"] == []
            assert "401" not in op["responses"] or key == ("post", "/api/v1/tokens")
        else:
            assert "security" not in op
            assert "401" in op["responses"]


def test_the_description_is_public_and_built_once_per_app(
    web_app: Flask, client: FlaskClient
) -> None:
    assert EXTENSION_KEY not in web_app.extensions
    first = client.get("/api/v1/openapi.json")
    assert first.status_code == 200
    built = web_app.extensions[EXTENSION_KEY]
    client.get("/api/docs")
    assert client.get("/api/v1/openapi.json").get_json() == first.get_json()
    assert web_app.extensions[EXTENSION_KEY] is built


def test_the_description_stays_german_whatever_language_the_caller_prefers(
    client: FlaskClient,
) -> None:
    english = client.get("/api/v1/openapi.json", headers={"Accept-Language": "en"}).get_json()
    not_found = english["components"]["responses"]["NotFound"]["description"]
    assert not_found.startswith("Nicht gefunden")


# -- the readable page ------------------------------------------------------------------------


def test_the_api_page_opens_without_signing_in(client: FlaskClient) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<h1>JSON-API v1</h1>" in page
    assert 'href="/api/v1/openapi.json"' in page
    assert "login" not in response.headers.get("Location", "")


def test_the_api_page_lists_every_operation_with_its_summary(
    client: FlaskClient, document: dict[str, Any]
) -> None:
    page = client.get("/api/docs").get_data(as_text=True)
    for (method, path), op in operations(document).items():
        assert f'<span class="api-method">{method.upper()}</span> {html.escape(path)}' in page
        assert html.escape(op["summary"]) in page
    for tag in document["tags"]:
        assert html.escape(tag["name"]) in page


def test_the_api_page_explains_tokens_errors_versions_and_idempotency(
    client: FlaskClient,
) -> None:
    page = client.get("/api/docs").get_data(as_text=True)
    for text in (
        "Authorization: Bearer",
        "POST /api/v1/tokens",
        "Profilseite",
        "If-Match",
        "expected_version",
        "ETag",
        "409",
        "412",
        "428",
        "Idempotency-Key",
    ):
        assert text in page, text
    for code in ERROR_CODES:
        assert f"<code>{code}</code>" in page


def test_the_api_page_shows_request_fields_and_response_statuses(client: FlaskClient) -> None:
    page = client.get("/api/docs").get_data(as_text=True)
    submit = page.split('<span class="api-method">POST</span> /api/v1/ideas</code>')[1]
    submit = submit.split("</article>")[0]
    assert "<code>title</code>" in submit
    assert "<code>Idempotency-Key</code>" in submit
    assert "max. 200 Zeichen" in submit
    assert "<strong>201</strong>" in submit
    assert "<strong>422</strong>" in submit


def test_the_api_page_needs_no_script_and_no_foreign_host(client: FlaskClient) -> None:
    page = client.get("/api/docs").get_data(as_text=True)
    main = page.split('<main id="inhalt"', 1)[1].split("</main>", 1)[0]
    assert "<script" not in main
    assert not re.search(r'(src|href)="(https?:)?//', main)
    assert '/static/css/api-docs.css"' in main
    assert client.get("/static/css/api-docs.css").status_code == 200


def test_a_first_time_visitor_can_switch_the_api_page_to_english(client: FlaskClient) -> None:
    page = client.get("/api/docs").text
    token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)
    switched = client.post(
        "/sprache", data={"locale": "en", "next": "/api/docs", "csrf_token": token}
    )
    assert switched.status_code == 302
    assert client.get("/api/docs").text.count('lang="en"') >= 1
