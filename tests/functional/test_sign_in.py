"""Signing in and out through the pages: fresh sessions, dead cookies, safe redirects."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import Cast
from tests.functional.conftest import PASSWORD, csrf_token, sign_in


def test_an_anonymous_visitor_is_sent_to_the_login_page_and_back_afterwards(
    client: FlaskClient, cast: Cast
) -> None:
    redirected = client.get("/?stand=eingereicht")
    assert redirected.status_code == 302
    assert redirected.headers["Location"].startswith("/login?next=")

    signed_in = sign_in(client, "tim", next_url="/?stand=eingereicht")
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == "/?stand=eingereicht"
    page = client.get("/").text
    assert "Angemeldet als Tim Tiefbau" in page
    assert "Sie sind angemeldet." in page


def test_a_wrong_password_shows_the_form_again_with_a_german_message(
    client: FlaskClient, cast: Cast
) -> None:
    response = sign_in(client, "tim", "falsches-passwort")
    assert response.status_code == 401
    assert "Benutzername oder Passwort ist falsch." in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'autocomplete="current-password"' in response.text
    assert client.get("/").status_code == 302  # still anonymous


def test_an_empty_form_names_the_missing_fields(client: FlaskClient, cast: Cast) -> None:
    response = sign_in(client, "", "")
    assert response.status_code == 400
    assert "Bitte den Benutzernamen angeben." in response.text
    assert "Bitte das Passwort angeben." in response.text
    assert 'class="error-summary" role="alert"' in response.text


def test_signing_in_starts_a_new_session_and_signing_out_kills_copied_cookies(
    client: FlaskClient, cast: Cast
) -> None:
    client.get("/login")
    before = client.get_cookie("session").value
    sign_in(client, "tim")
    stolen = client.get_cookie("session").value
    assert stolen != before
    assert client.get("/").status_code == 200

    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert client.get("/").status_code == 302

    # Replaying the cookie captured before the logout no longer signs anyone in.
    client.set_cookie("session", stolen)
    assert client.get("/").status_code == 302


def test_a_password_change_elsewhere_ends_this_session(web_app, client, cast: Cast) -> None:
    sign_in(client, "tim")
    assert client.get("/").status_code == 200
    web_app.extensions["ideation"].change_password(cast.member, PASSWORD, "Ganz-Neues-Passwort")
    assert client.get("/").status_code == 302


def test_a_deactivated_person_is_signed_out_at_the_next_request(
    web_app, client, cast: Cast
) -> None:
    sign_in(client, "tim")
    web_app.extensions["ideation"].deactivate_person(cast.admin, cast.member, 2, "Ausgeschieden")
    assert client.get("/").status_code == 302
    assert sign_in(client, "tim").status_code == 401


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "http:evil.example",
        "/\\evil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
        "/\r\nLocation: https://evil.example",
        "https:/evil.example",
    ],
)
def test_after_sign_in_a_foreign_next_target_leads_home(
    client: FlaskClient, cast: Cast, target: str
) -> None:
    response = sign_in(client, "tim", next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_repeated_wrong_passwords_are_throttled_with_429(client: FlaskClient, cast: Cast) -> None:
    statuses = [sign_in(client, "tim", "rate-mal-rate-mal").status_code for _ in range(8)]
    assert statuses[:5] == [401] * 5
    assert 429 in statuses[5:]
    throttled = sign_in(client, "tim")
    assert throttled.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldungen" in throttled.text
    assert int(throttled.headers["Retry-After"]) > 0


def test_one_address_trying_many_accounts_is_limited_per_address(
    client: FlaskClient, cast: Cast
) -> None:
    # Rotating usernames defeats the per-account throttle; the per-address limit holds.
    statuses = [
        sign_in(client, f"gibt-es-nicht-{n}", "rate-mal-rate-mal").status_code for n in range(35)
    ]
    assert statuses[0] == 401
    assert statuses[-1] == 429
    assert statuses.count(429) >= 5
