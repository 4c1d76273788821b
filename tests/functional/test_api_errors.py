"""Every API error has one shape and a stable code; a stale version stores nothing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import UUID

from flask import Flask

from ideation.entrypoints.flask_app import create_app
from tests.conftest import Cast, event_count, make_cast
from tests.functional.conftest import PASSWORD, ApiClient, assert_api_error, sign_in


def submit(api: ApiClient, title: str = "Sensoren an Straßenbäumen") -> dict:
    response = api.post("/ideas", as_="tim", json={"title": title, "summary": "Gießen nach Bedarf"})
    assert response.status_code == 201
    return response.get_json()


def small_app(tmp_path: Path, **config: object) -> tuple[Flask, Cast]:
    app = create_app(
        {
            "IDEATION_INSTANCE_PATH": str(tmp_path / "limited"),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
            **config,
        }
    )
    ideation = app.extensions["ideation"]
    cast = make_cast(ideation)
    ideation.create_account(cast.admin, cast.member, "tim", PASSWORD)
    return app, cast


def test_malformed_json_is_a_400_bad_request(api: ApiClient) -> None:
    response = api.post("/ideas", as_="tim", data='{"title": ', content_type="application/json")
    assert_api_error(response, 400, "bad_request")


def test_a_request_without_a_token_is_a_401_that_names_the_bearer_scheme(api: ApiClient) -> None:
    response = api.get("/ideas", as_=None)
    assert_api_error(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_a_401(api: ApiClient) -> None:
    response = api.get("/ideas", as_=None, headers={"Authorization": "Bearer idt_erfunden"})
    assert_api_error(response, 401, "unauthenticated")


def test_a_signed_in_browser_session_does_not_count_for_the_api(client, cast: Cast) -> None:
    assert sign_in(client, "tim").status_code == 302
    assert client.get("/").status_code == 200
    assert_api_error(client.get("/api/v1/ideas"), 401, "unauthenticated")


def test_a_wrong_password_for_a_token_is_a_401_login_failed(api: ApiClient) -> None:
    response = api.post("/tokens", as_=None, json={"username": "tim", "password": "falsch"})
    assert_api_error(response, 401, "login_failed")


def test_a_member_assessing_an_idea_is_a_403_and_nothing_is_stored(
    api: ApiClient, web_app: Flask
) -> None:
    idea = submit(api)
    before = event_count(web_app.extensions["ideation"])
    response = api.post(
        f"/ideas/{idea['id']}/assessment",
        as_="berta",
        json={
            "impact": 5,
            "effort": 1,
            "expected_weeks": 4,
            "rationale": "Schnell",
            "expected_version": 1,
        },
    )
    assert_api_error(response, 403, "forbidden")
    assert event_count(web_app.extensions["ideation"]) == before


def test_an_unknown_idea_and_an_unknown_route_are_404s(api: ApiClient) -> None:
    assert_api_error(api.get("/ideas/6f1c2d3e-0000-4000-8000-000000000000"), 404, "not_found")
    assert_api_error(api.get("/gibt-es-nicht"), 404, "not_found")


def test_a_wrong_method_is_a_405(api: ApiClient) -> None:
    assert_api_error(api.request("PUT", "/ideas"), 405, "method_not_allowed")


def test_a_stale_version_in_the_body_is_a_409_that_lists_who_changed_what(
    api: ApiClient, web_app: Flask, cast: Cast
) -> None:
    idea = submit(api)
    web_app.extensions["ideation"].comment_on_idea(
        cast.other_member, UUID(idea["id"]), 1, "Gute Idee"
    )
    before = event_count(web_app.extensions["ideation"])

    response = api.patch(
        f"/ideas/{idea['id']}",
        as_="tim",
        json={"title": "Bodenfeuchtesensoren", "expected_version": 1},
    )

    error = assert_api_error(response, 409, "conflict")
    assert error["current_version"] == 2
    (step,) = error["events"]
    assert step["type"] == "Idea.Commented"
    assert step["actor"]["name"] == "Berta Bürgerdienst"
    assert step["actor"]["role"] == "member"
    assert step["version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert event_count(web_app.extensions["ideation"]) == before
    assert api.get(f"/ideas/{idea['id']}").get_json()["title"] == "Sensoren an Straßenbäumen"


def test_a_stale_if_match_is_a_412_and_no_event_is_stored(
    api: ApiClient, web_app: Flask, cast: Cast
) -> None:
    idea = submit(api)
    etag = api.get(f"/ideas/{idea['id']}").headers["ETag"]
    assert etag == '"1"'
    web_app.extensions["ideation"].comment_on_idea(
        cast.other_member, UUID(idea["id"]), 1, "Gute Idee"
    )
    before = event_count(web_app.extensions["ideation"])

    response = api.patch(
        f"/ideas/{idea['id']}",
        as_="tim",
        json={"title": "Bodenfeuchtesensoren"},
        headers={"If-Match": etag},
    )

    error = assert_api_error(response, 412, "precondition_failed")
    assert error["current_version"] == 2
    assert [e["type"] for e in error["events"]] == ["Idea.Commented"]
    assert event_count(web_app.extensions["ideation"]) == before


def test_a_current_if_match_is_accepted_and_the_new_etag_comes_back(api: ApiClient) -> None:
    idea = submit(api)
    response = api.patch(
        f"/ideas/{idea['id']}",
        as_="tim",
        json={"title": "Bodenfeuchtesensoren"},
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    assert response.get_json()["title"] == "Bodenfeuchtesensoren"


def test_a_change_without_any_version_is_a_428(api: ApiClient) -> None:
    idea = submit(api)
    response = api.patch(f"/ideas/{idea['id']}", as_="tim", json={"title": "Ohne Version"})
    assert_api_error(response, 428, "precondition_required")


def test_a_malformed_if_match_is_a_400(api: ApiClient) -> None:
    idea = submit(api)
    response = api.patch(
        f"/ideas/{idea['id']}",
        as_="tim",
        json={"title": "Neu"},
        headers={"If-Match": "version eins"},
    )
    assert_api_error(response, 400, "bad_request")


def test_a_body_larger_than_the_limit_is_a_413(api: ApiClient) -> None:
    response = api.post(
        "/ideas",
        as_="tim",
        data='{"title": "' + "x" * 1_100_000 + '"}',
        content_type="application/json",
    )
    assert_api_error(response, 413, "too_large")


def test_a_form_encoded_body_is_a_415(api: ApiClient) -> None:
    response = api.post("/ideas", as_="tim", data={"title": "Formular", "summary": "x"})
    assert_api_error(response, 415, "unsupported_media_type")


def test_invalid_fields_are_a_422_with_a_german_message_per_field(api: ApiClient) -> None:
    response = api.post("/ideas", as_="tim", json={"title": "", "themes": "Klima", "farbe": "grün"})
    error = assert_api_error(response, 422, "validation")
    assert set(error["fields"]) == {"title", "summary", "themes", "farbe"}
    assert error["fields"]["summary"] == ["Dieses Feld ist erforderlich."]
    assert error["fields"]["farbe"] == ["Unbekanntes Feld."]


def test_a_broken_rule_is_a_422_rule_violation_naming_the_rule(api: ApiClient) -> None:
    idea = submit(api)
    response = api.post(
        f"/ideas/{idea['id']}/decision",
        as_="koordination",
        json={"outcome": "accept", "reason": "Passt", "expected_version": 1},
    )
    error = assert_api_error(response, 422, "rule_violation")
    assert error["rule"] == "idea.illegal_transition"
    assert "Eingereicht" in error["message"]


def test_too_many_requests_from_one_address_are_a_429_with_retry_after(tmp_path: Path) -> None:
    app, _ = small_app(tmp_path, API_RATE_LIMIT="3 per minute")
    token = app.extensions["ideation"].issue_token("tim", PASSWORD).token
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    statuses = [client.get("/api/v1/ideas", headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/ideas", headers=headers)
    assert_api_error(response, 429, "too_many_requests")
    assert int(response.headers["Retry-After"]) > 0


def test_token_requests_have_their_own_limit_per_address(tmp_path: Path) -> None:
    app, _ = small_app(tmp_path)
    client = app.test_client()
    answers = [
        # Unknown accounts: the per-account throttle (429 after five failures) stays out of it.
        client.post("/api/v1/tokens", json={"username": f"niemand{n}", "password": "falsch"})
        for n in range(21)
    ]
    assert {a.status_code for a in answers[:20]} == {401}
    assert_api_error(answers[20], 429, "too_many_requests")


def test_concurrent_patches_on_the_same_version_give_one_200_and_one_409(
    api: ApiClient, web_app: Flask
) -> None:
    ideation = web_app.extensions["ideation"]
    tokens = {name: api.token(name) for name in ("tim",)}
    for trial in range(10):
        idea = submit(api, title=f"Wettlauf {trial}")
        before = event_count(ideation)
        start = threading.Barrier(2)

        def patch(title: str, idea_id: str = idea["id"], start: threading.Barrier = start) -> int:
            client = web_app.test_client()
            start.wait()
            return client.patch(
                f"/api/v1/ideas/{idea_id}",
                json={"title": title, "expected_version": 1},
                headers={"Authorization": f"Bearer {tokens['tim']}"},
            ).status_code

        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(patch, ["Variante A", "Variante B"]))

        assert statuses == [200, 409]
        assert event_count(ideation) == before + 1
        final = api.get(f"/ideas/{idea['id']}").get_json()
        assert final["version"] == 2
        assert final["title"] in {"Variante A", "Variante B"}


def test_control_characters_in_a_text_are_a_422_not_a_storage_failure(api: ApiClient) -> None:
    response = api.post("/ideas", as_="tim", json={"title": "Null\u0000Byte", "summary": "ok"})
    error = assert_api_error(response, 422, "validation")
    assert error["fields"]["title"] == ["Der Text enthält unzulässige Steuerzeichen."]
    response = api.post("/ideas", as_="tim", json={"title": "Zeile", "summary": "a\ud800b"})
    assert_api_error(response, 422, "validation")
