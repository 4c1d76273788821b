"""The web shell: German by default, English on request, headers and error pages everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ideation.entrypoints.flask_app import create_app
from ideation.entrypoints.security import SECRET_KEY_FILE
from tests.functional.conftest import csrf_token, sign_in

REQUIRED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def test_the_start_page_is_german_with_skip_link_and_accessibility_statement(
    member_client: FlaskClient,
) -> None:
    page = member_client.get("/")
    assert page.status_code == 200
    assert '<html lang="de">' in page.text
    assert '<a class="skip-link" href="#inhalt">Zum Inhalt springen</a>' in page.text
    assert '<main id="inhalt"' in page.text
    assert "Erklärung zur Barrierefreiheit" in page.text
    assert "mailto:barrierefreiheit@musterstadt.example" in page.text
    assert member_client.get("/barrierefreiheit").status_code == 200


def test_a_person_can_switch_to_english_and_back(client: FlaskClient) -> None:
    token = csrf_token(client)
    switched = client.post(
        "/sprache", data={"locale": "en", "next": "/barrierefreiheit", "csrf_token": token}
    )
    assert switched.status_code == 302
    assert switched.headers["Location"] == "/barrierefreiheit"
    english = client.get("/barrierefreiheit").text
    assert '<html lang="en">' in english
    assert "Accessibility statement" in english
    assert "Skip to content" in english

    client.post("/sprache", data={"locale": "de", "csrf_token": token})
    assert "Erklärung zur Barrierefreiheit" in client.get("/barrierefreiheit").text


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_the_language_switch_never_redirects_to_another_site(
    client: FlaskClient, target: str
) -> None:
    token = csrf_token(client)
    response = client.post("/sprache", data={"locale": "en", "next": target, "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_a_form_without_or_with_a_wrong_csrf_token_is_refused_with_a_german_page(
    client: FlaskClient,
) -> None:
    missing = client.post("/sprache", data={"locale": "en"})
    wrong = client.post("/sprache", data={"locale": "en", "csrf_token": "falsch"})
    for response in (missing, wrong):
        assert response.status_code == 400
        assert "Das Formular ist abgelaufen oder ungültig" in response.text
    assert '<html lang="de">' in client.get("/barrierefreiheit").text  # nothing changed


@pytest.mark.parametrize(
    ("path", "method", "status", "title"),
    [
        ("/gibt-es-nicht", "get", 404, "Seite nicht gefunden"),
        ("/sprache", "get", 405, "Nicht erlaubt"),
        ("/barrierefreiheit", "post", 405, "Nicht erlaubt"),
    ],
)
def test_errors_show_a_german_page_with_headers_and_no_trace(
    client: FlaskClient, path: str, method: str, status: int, title: str
) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert title in response.text
    assert "Traceback" not in response.text
    for name, value in REQUIRED_HEADERS.items():
        assert response.headers[name] == value


def test_an_unexpected_error_is_a_german_500_page_without_details(web_app: Flask, cast) -> None:
    @web_app.get("/kaputt")
    def broken() -> str:
        raise RuntimeError("geheimes Detail")

    client = web_app.test_client()
    sign_in(client, "tim")
    response = client.get("/kaputt")
    assert response.status_code == 500
    assert "Etwas ist schiefgegangen" in response.text
    assert "geheimes Detail" not in response.text


def test_a_request_body_over_the_limit_gets_413(tmp_path: Path) -> None:
    app = create_app(
        {"IDEATION_INSTANCE_PATH": str(tmp_path), "IDEATION_MAX_REQUEST_BYTES": "1000"}
    )
    response = app.test_client().post("/sprache", data={"locale": "x" * 5000})
    assert response.status_code == 413
    assert "Die gesendeten Daten sind zu groß." in response.text


@pytest.mark.parametrize(
    "path", ["/", "/login", "/barrierefreiheit", "/static/css/site.css", "/nix"]
)
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    for name, value in REQUIRED_HEADERS.items():
        assert response.headers[name] == value
    if response.mimetype == "text/html":
        assert response.headers["Cache-Control"] == "no-store"


def test_the_secret_key_is_created_once_and_kept_in_the_instance_folder(tmp_path: Path) -> None:
    first = create_app({"IDEATION_INSTANCE_PATH": str(tmp_path)})
    second = create_app({"IDEATION_INSTANCE_PATH": str(tmp_path)})
    key_file = tmp_path / SECRET_KEY_FILE
    assert first.secret_key == second.secret_key == key_file.read_text()
    assert len(first.secret_key) == 64
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    configured = create_app(
        {"IDEATION_INSTANCE_PATH": str(tmp_path), "IDEATION_SECRET_KEY": "aus-der-umgebung"}
    )
    assert configured.secret_key == "aus-der-umgebung"


def test_session_cookies_are_http_only_and_same_site_lax(client: FlaskClient) -> None:
    token = csrf_token(client)
    response = client.post("/sprache", data={"locale": "en", "csrf_token": token})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    ("error", "status", "text"),
    [
        ("permission", 403, "Sie dürfen „Bewerten“ hier nicht ausführen."),
        ("missing", 404, "Die Idee wurde nicht gefunden."),
        ("conflict", 409, "Inzwischen wurde etwas geändert"),
    ],
)
def test_application_errors_escaping_a_view_become_german_pages(
    web_app: Flask, cast, error: str, status: int, text: str
) -> None:
    from uuid import uuid4

    planner = web_app.extensions["ideation"]
    idea = planner.submit_idea(cast.member, title="Fehlerprobe", summary="s")
    calls = {
        "permission": lambda: planner.assess_idea(
            cast.member, idea, 1, impact=1, effort=1, expected_weeks=1, rationale="x"
        ),
        "missing": lambda: planner.get_idea(uuid4()),
        "conflict": lambda: planner.comment_on_idea(cast.member, idea, 0, "veraltet"),
    }

    @web_app.get("/probe")
    def probe() -> str:
        calls[error]()
        return "nie"

    client = web_app.test_client()
    sign_in(client, "tim")
    response = client.get("/probe")
    assert response.status_code == status
    assert text in response.text


def test_stage_names_on_the_start_page_follow_the_chosen_language(
    member_client: FlaskClient,
) -> None:
    assert '<th scope="row">Eingereicht</th>' in member_client.get("/").text
    member_client.post("/sprache", data={"locale": "en", "csrf_token": csrf_token(member_client)})
    english = member_client.get("/").text
    assert '<th scope="row">Submitted</th>' in english
    assert '<th scope="row">Implemented</th>' in english
    assert "Ideas by stage" in english
