"""API tokens: issued for a login, stored hashed, ended by expiry, password change, erasure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from ideation.directory.tokens import api_tokens, token_hash
from ideation.entrypoints.flask_app import create_app
from tests.conftest import Cast, make_cast
from tests.functional.conftest import PASSWORD, ApiClient, assert_api_error


def test_a_username_and_password_give_a_token_that_acts_for_the_person(
    api: ApiClient, cast: Cast
) -> None:
    response = api.post("/tokens", as_=None, json={"username": "tim", "password": PASSWORD})
    assert response.status_code == 201
    body = response.get_json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(hours=11) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=12)
    assert "Set-Cookie" not in response.headers

    headers = {"Authorization": f"Bearer {body['token']}"}
    created = api.post(
        "/ideas", as_=None, headers=headers, json={"title": "Per Skript", "summary": "Aus Excel"}
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["submitted_by"] == str(cast.member)
    assert created.get_json()["department_id"] == str(cast.mobility)


def test_only_a_hash_of_the_token_is_stored(api: ApiClient, web_app: Flask) -> None:
    token = api.post(
        "/tokens", as_=None, json={"username": "tim", "password": PASSWORD}
    ).get_json()["token"]
    engine = web_app.extensions["ideation"].directory.engine
    with engine.connect() as conn:
        stored = conn.execute(select(api_tokens.c.token_hash)).scalars().all()
    assert token_hash(token) in stored
    assert all(token not in value for value in stored)


def test_a_token_acts_with_the_roles_of_its_person(api: ApiClient) -> None:
    idea = api.post("/ideas", as_="tim", json={"title": "Rollen", "summary": "S"}).get_json()
    body = {"impact": 3, "effort": 3, "expected_weeks": 8, "rationale": "r", "expected_version": 1}
    assert_api_error(
        api.post(f"/ideas/{idea['id']}/assessment", as_="tim", json=body), 403, "forbidden"
    )
    assert (
        api.post(f"/ideas/{idea['id']}/assessment", as_="koordination", json=body).status_code
        == 200
    )


def clocked_app(tmp_path: Path, now: list[dt.datetime]) -> tuple[Flask, Cast]:
    """An app whose clock reads `now[0]`, with the test cast and an account for "tim"."""
    app = create_app(
        {
            "IDEATION_INSTANCE_PATH": str(tmp_path / "clocked"),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
        }
    )
    ideation = app.extensions["ideation"]
    cast: Cast = make_cast(ideation)
    ideation.create_account(cast.admin, cast.member, "tim", PASSWORD)
    ideation.clock = lambda: now[0]
    return app, cast


def test_an_expired_token_is_refused(tmp_path: Path) -> None:
    now = [dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)]
    app, _cast = clocked_app(tmp_path, now)
    token = app.extensions["ideation"].issue_token("tim", PASSWORD).token
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/ideas", headers=headers).status_code == 200
    now[0] += dt.timedelta(hours=12, seconds=1)
    assert_api_error(client.get("/api/v1/ideas", headers=headers), 401, "unauthenticated")


def test_a_tokens_last_use_is_remembered_to_the_minute(tmp_path: Path) -> None:
    now = [dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)]
    app, cast = clocked_app(tmp_path, now)
    ideation = app.extensions["ideation"]
    issued = ideation.create_personal_token(cast.member, "Skript", 30)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {issued.token}"}

    def last_used() -> dt.datetime | None:
        (listed,) = ideation.list_tokens(cast.member)
        return listed.last_used_at

    assert last_used() is None
    client.get("/api/v1/ideas", headers=headers)
    assert last_used() == now[0]
    # Within the same minute a read writes nothing: the profile page shows minutes only.
    first_use = now[0]
    now[0] += dt.timedelta(seconds=50)
    client.get("/api/v1/ideas", headers=headers)
    assert last_used() == first_use
    now[0] += dt.timedelta(seconds=20)
    client.get("/api/v1/ideas", headers=headers)
    assert last_used() == now[0]


def test_a_password_change_ends_every_token_of_the_person(api: ApiClient, cast: Cast) -> None:
    token = api.token("tim")
    ideation = api.app.extensions["ideation"]
    ideation.change_password(cast.member, PASSWORD, "Neues-Rathaus-Passwort-2026")
    response = api.get("/ideas", as_=None, headers={"Authorization": f"Bearer {token}"})
    assert_api_error(response, 401, "unauthenticated")


def test_a_revoked_token_stops_working_at_once(api: ApiClient, cast: Cast) -> None:
    ideation = api.app.extensions["ideation"]
    issued = ideation.create_personal_token(cast.member, "Fachverfahren Tiefbau", 30)
    headers = {"Authorization": f"Bearer {issued.token}"}
    assert api.get("/ideas", as_=None, headers=headers).status_code == 200
    ideation.revoke_token(cast.member, issued.id)
    assert_api_error(api.get("/ideas", as_=None, headers=headers), 401, "unauthenticated")
    (listed,) = ideation.list_tokens(cast.member)
    assert (listed.name, listed.active) == ("Fachverfahren Tiefbau", False)


def test_signing_out_in_the_browser_keeps_a_personal_token_but_everywhere_ends_it(
    api: ApiClient, cast: Cast
) -> None:
    ideation = api.app.extensions["ideation"]
    issued = ideation.create_personal_token(cast.member, "Auswertungsskript", 365)
    headers = {"Authorization": f"Bearer {issued.token}"}
    ideation.end_all_sessions(cast.member)  # what "Abmelden" in the browser does
    assert api.get("/ideas", as_=None, headers=headers).status_code == 200
    ideation.end_all_sessions(cast.member, including_tokens=True)  # "Überall abmelden"
    assert_api_error(api.get("/ideas", as_=None, headers=headers), 401, "unauthenticated")


def test_a_deactivated_or_erased_person_has_no_working_token(api: ApiClient, cast: Cast) -> None:
    ideation = api.app.extensions["ideation"]
    token = api.token("berta")
    person = ideation.get_person(cast.other_member)
    ideation.deactivate_person(cast.admin, cast.other_member, person.version, "Ausgeschieden")
    headers = {"Authorization": f"Bearer {token}"}
    assert_api_error(api.get("/ideas", as_=None, headers=headers), 401, "unauthenticated")
    person = ideation.get_person(cast.other_member)
    ideation.reactivate_person(cast.admin, cast.other_member, person.version, "Zurück")
    assert_api_error(api.get("/ideas", as_=None, headers=headers), 401, "unauthenticated")
    ideation.erase_person(cast.admin, cast.other_member, "Löschantrag nach Art. 17 DSGVO")
    assert ideation.list_tokens(cast.other_member) == []
