"""The admin part of the JSON API: departments, people with logins, roles."""

from __future__ import annotations

from uuid import uuid4

from flask import Flask

from tests.conftest import Cast, event_count
from tests.functional.conftest import ApiClient, assert_api_error

NEW_PASSWORD = "Kastanien-Allee-Brunnen-7"


def _new_person(**changes: object) -> dict:
    body = {
        "display_name": "Nora Neu",
        "email": "nora@example.org",
        "department_id": None,
        "roles": ["member"],
        "username": "nora",
        "password": NEW_PASSWORD,
    }
    body.update(changes)
    return body


# -- departments -------------------------------------------------------------------------------


def test_an_admin_registers_a_department_and_everyone_then_finds_it(api: ApiClient) -> None:
    response = api.post(
        "/departments", json={"name": "Stadtwerke", "short_name": "SW", "kind": "company"}
    )

    assert response.status_code == 201
    created = response.get_json()
    assert created["name"] == "Stadtwerke"
    assert created["short_name"] == "SW"
    assert created["kind"] == "company"
    assert created["version"] == 1
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"].endswith(f"/api/v1/departments/{created['id']}")

    shown = api.get(f"/departments/{created['id']}", as_="tim")
    assert shown.status_code == 200
    assert shown.get_json() == created
    assert shown.headers["ETag"] == '"1"'

    listed = api.get("/departments", as_="berta").get_json()
    row = next(d for d in listed if d["id"] == created["id"])
    assert row["name"] == "Stadtwerke"
    assert row["version"] == 1
    assert row["ideas_submitted"] == 0


def test_the_department_list_shows_every_department_by_name_with_its_version(
    api: ApiClient, cast: Cast
) -> None:
    response = api.get("/departments", as_="pruefung")

    assert response.status_code == 200
    rows = response.get_json()
    assert [d["name"] for d in rows] == [
        "Bürgerdienste",
        "Stabsstelle Digitalisierung",
        "Tiefbauamt",
    ]
    mobility = next(d for d in rows if d["id"] == str(cast.mobility))
    assert mobility == {
        "id": str(cast.mobility),
        "version": 1,
        "name": "Tiefbauamt",
        "short_name": "66",
        "kind": "administration",
        "ideas_submitted": 0,
        "supports_pledged": 0,
        "measures_owned": 0,
        "benefits_received": 0,
    }


def test_a_member_may_not_register_a_department_and_nothing_is_stored(
    api: ApiClient, web_app: Flask
) -> None:
    before = event_count(web_app.extensions["ideation"])

    response = api.post(
        "/departments",
        as_="tim",
        json={"name": "Schattenamt", "short_name": "X", "kind": "company"},
    )

    assert_api_error(response, 403, "forbidden")
    assert event_count(web_app.extensions["ideation"]) == before


def test_a_department_of_an_unknown_kind_is_refused_on_the_kind_field(api: ApiClient) -> None:
    response = api.post(
        "/departments", json={"name": "Stadtwerke", "short_name": "SW", "kind": "verein"}
    )

    error = assert_api_error(response, 422, "validation")
    assert "administration" in error["fields"]["kind"][0]
    assert set(error["fields"]) == {"kind"}


def test_a_department_needs_a_name_and_a_short_name(api: ApiClient) -> None:
    response = api.post("/departments", json={"kind": "company"})

    error = assert_api_error(response, 422, "validation")
    assert set(error["fields"]) == {"name", "short_name"}


def test_a_blank_department_name_gets_the_planners_field_message(api: ApiClient) -> None:
    response = api.post("/departments", json={"name": "   ", "short_name": "SW", "kind": "company"})

    error = assert_api_error(response, 422, "validation")
    assert set(error["fields"]) == {"name"}


def test_an_unknown_department_is_not_found(api: ApiClient, cast: Cast) -> None:
    assert_api_error(api.get(f"/departments/{uuid4()}"), 404, "not_found")
    # A person's id is no department either.
    assert_api_error(api.get(f"/departments/{cast.member}"), 404, "not_found")


# -- people ------------------------------------------------------------------------------------


def test_an_admin_adds_a_person_with_a_login_who_can_then_get_a_token(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    response = api.post("/people", json=_new_person(department_id=str(cast.citizens)))

    assert response.status_code == 201
    person = response.get_json()
    assert person["display_name"] == "Nora Neu"
    assert person["email"] == "nora@example.org"
    assert person["department_id"] == str(cast.citizens)
    assert person["roles"] == ["member"]
    assert person["active"] is True
    assert person["erased"] is False
    assert person["username"] == "nora"
    assert "password" not in person
    assert response.headers["ETag"] == f'"{person["version"]}"'
    assert response.headers["Location"].endswith(f"/api/v1/people/{person['id']}")

    assert api.get(f"/people/{person['id']}").get_json() == person
    issued = web_app.extensions["ideation"].issue_token("nora", NEW_PASSWORD)
    me = api.client.get(
        f"/api/v1/people/{person['id']}", headers={"Authorization": f"Bearer {issued.token}"}
    )
    assert me.status_code == 200
    assert me.get_json()["username"] == "nora"


def test_a_person_without_username_and_password_is_added_without_a_login(
    api: ApiClient, cast: Cast
) -> None:
    body = _new_person(department_id=str(cast.citizens), roles=[])
    del body["username"], body["password"]

    response = api.post("/people", json=body)

    assert response.status_code == 201
    assert response.get_json()["username"] is None
    assert response.get_json()["roles"] == []


def test_a_username_without_a_password_is_refused_on_the_password_field(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    before = event_count(web_app.extensions["ideation"])
    body = _new_person(department_id=str(cast.citizens))
    del body["password"]

    error = assert_api_error(api.post("/people", json=body), 422, "validation")

    assert set(error["fields"]) == {"password"}
    assert event_count(web_app.extensions["ideation"]) == before


def test_the_admin_lists_people_with_names_emails_and_roles(api: ApiClient, cast: Cast) -> None:
    response = api.get("/people")

    assert response.status_code == 200
    people = response.get_json()
    names = [p["display_name"] for p in people]
    assert names == sorted(names, key=str.casefold)
    tim = next(p for p in people if p["id"] == str(cast.member))
    assert tim["email"] == "tim@example.org"
    assert tim["roles"] == ["member"]
    assert tim["department_id"] == str(cast.mobility)
    assert tim["active"] is True


def test_only_admins_list_people(api: ApiClient) -> None:
    for username in ("tim", "koordination", "pruefung", "greta"):
        assert_api_error(api.get("/people", as_=username), 403, "forbidden")


def test_a_member_may_not_add_people_even_with_a_valid_body(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    before = event_count(web_app.extensions["ideation"])

    response = api.post("/people", as_="tim", json=_new_person(department_id=str(cast.mobility)))

    assert_api_error(response, 403, "forbidden")
    assert event_count(web_app.extensions["ideation"]) == before


def test_a_member_reads_their_own_record_but_not_anyone_elses(api: ApiClient, cast: Cast) -> None:
    own = api.get(f"/people/{cast.member}", as_="tim")
    assert own.status_code == 200
    assert own.get_json()["username"] == "tim"

    assert_api_error(api.get(f"/people/{cast.other_member}", as_="tim"), 403, "forbidden")


def test_an_unknown_person_is_not_found(api: ApiClient, cast: Cast) -> None:
    assert_api_error(api.get(f"/people/{uuid4()}"), 404, "not_found")
    assert_api_error(api.get(f"/people/{cast.mobility}"), 404, "not_found")
    response = api.post(
        f"/people/{uuid4()}/roles",
        json={"action": "grant", "role": "auditor", "expected_version": 1},
    )
    assert_api_error(response, 404, "not_found")


def test_a_bad_email_is_refused_on_its_field_and_nobody_is_added(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    before = event_count(web_app.extensions["ideation"])

    response = api.post(
        "/people", json=_new_person(department_id=str(cast.citizens), email="nora-at-example")
    )

    error = assert_api_error(response, 422, "validation")
    assert set(error["fields"]) == {"email"}
    assert event_count(web_app.extensions["ideation"]) == before


def test_an_email_in_use_is_refused_on_its_field(api: ApiClient, cast: Cast) -> None:
    response = api.post(
        "/people", json=_new_person(department_id=str(cast.citizens), email="tim@example.org")
    )

    error = assert_api_error(response, 422, "validation")
    assert set(error["fields"]) == {"email"}


def test_a_weak_password_is_refused_before_the_person_is_registered(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    before = event_count(web_app.extensions["ideation"])

    for password in ("kurz", "nora-Kastanienallee"):  # too short; contains the username
        response = api.post(
            "/people", json=_new_person(department_id=str(cast.citizens), password=password)
        )
        error = assert_api_error(response, 422, "validation")
        assert set(error["fields"]) == {"password"}

    assert event_count(web_app.extensions["ideation"]) == before
    emails = [p["email"] for p in api.get("/people").get_json()]
    assert "nora@example.org" not in emails


def test_a_bad_or_taken_username_is_refused_before_the_person_is_registered(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    before = event_count(web_app.extensions["ideation"])

    for username in ("Nora Neu!", "tim"):
        response = api.post(
            "/people", json=_new_person(department_id=str(cast.citizens), username=username)
        )
        error = assert_api_error(response, 422, "validation")
        assert set(error["fields"]) == {"username"}

    assert event_count(web_app.extensions["ideation"]) == before


def test_an_unknown_role_or_department_is_refused_on_its_field(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    before = event_count(web_app.extensions["ideation"])

    response = api.post(
        "/people", json=_new_person(department_id=str(cast.citizens), roles=["member", "kaiser"])
    )
    error = assert_api_error(response, 422, "validation")
    assert list(error["fields"]) == ["roles"]
    assert "admin" in str(error["fields"]["roles"])

    response = api.post("/people", json=_new_person(department_id=str(uuid4())))
    error = assert_api_error(response, 422, "validation")
    assert set(error["fields"]) == {"department_id"}

    assert event_count(web_app.extensions["ideation"]) == before


# -- roles -------------------------------------------------------------------------------------


def test_an_admin_grants_and_revokes_a_role_and_the_history_keeps_the_reason(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    person = api.get(f"/people/{cast.member}")
    version = person.get_json()["version"]

    granted = api.post(
        f"/people/{cast.member}/roles",
        json={"action": "grant", "role": "auditor"},
        headers={"If-Match": person.headers["ETag"]},
    )

    assert granted.status_code == 200
    assert granted.get_json()["roles"] == ["member", "auditor"]
    assert granted.get_json()["version"] == version + 1
    assert granted.headers["ETag"] == f'"{version + 1}"'

    revoked = api.post(
        f"/people/{cast.member}/roles",
        json={
            "action": "revoke",
            "role": "auditor",
            "reason": "Nur für die Prüfung 2026",
            "expected_version": version + 1,
        },
    )

    assert revoked.status_code == 200
    assert revoked.get_json()["roles"] == ["member"]
    assert api.get(f"/people/{cast.member}").get_json()["version"] == version + 2
    rows = web_app.extensions["ideation"].read_models.audit_rows_after(0, 1000)
    last = rows[-1]
    assert (last.event_type, last.reason, last.outcome) == (
        "Person.RoleRevoked",
        "Nur für die Prüfung 2026",
        "auditor",
    )


def test_revoking_a_role_without_a_reason_is_refused_on_the_reason_field(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    before = event_count(web_app.extensions["ideation"])

    for body in (
        {"action": "revoke", "role": "member", "expected_version": 2},
        {"action": "revoke", "role": "member", "reason": "  ", "expected_version": 2},
    ):
        error = assert_api_error(
            api.post(f"/people/{cast.member}/roles", json=body), 422, "validation"
        )
        assert set(error["fields"]) == {"reason"}

    assert event_count(web_app.extensions["ideation"]) == before


def test_granting_takes_no_reason_because_none_would_be_stored(api: ApiClient, cast: Cast) -> None:
    response = api.post(
        f"/people/{cast.member}/roles",
        json={"action": "grant", "role": "auditor", "reason": "Prüfung", "expected_version": 2},
    )

    error = assert_api_error(response, 422, "validation")
    assert set(error["fields"]) == {"reason"}


def test_an_unknown_role_or_action_is_refused_on_its_field(api: ApiClient, cast: Cast) -> None:
    response = api.post(
        f"/people/{cast.member}/roles",
        json={"action": "promote", "role": "kaiser", "expected_version": 2},
    )

    error = assert_api_error(response, 422, "validation")
    assert set(error["fields"]) == {"action", "role"}


def test_a_stale_if_match_on_roles_gives_412_with_the_current_version_and_stores_nothing(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    current = api.get(f"/people/{cast.member}").get_json()["version"]
    ok = api.post(
        f"/people/{cast.member}/roles",
        json={"action": "grant", "role": "auditor"},
        headers={"If-Match": f'"{current}"'},
    )
    assert ok.status_code == 200
    before = event_count(web_app.extensions["ideation"])

    stale = api.post(
        f"/people/{cast.member}/roles",
        json={"action": "grant", "role": "coordinator"},
        headers={"If-Match": f'"{current}"'},
    )

    error = assert_api_error(stale, 412, "precondition_failed")
    assert error["current_version"] == current + 1
    assert [e["type"] for e in error["events"]] == ["Person.RoleGranted"]
    assert event_count(web_app.extensions["ideation"]) == before
    assert api.get(f"/people/{cast.member}").get_json()["roles"] == ["member", "auditor"]


def test_a_stale_expected_version_in_the_body_gives_409(api: ApiClient, cast: Cast) -> None:
    response = api.post(
        f"/people/{cast.member}/roles",
        json={"action": "grant", "role": "auditor", "expected_version": 1},
    )

    error = assert_api_error(response, 409, "conflict")
    assert error["current_version"] == 2


def test_a_role_change_without_a_version_asks_for_one(api: ApiClient, cast: Cast) -> None:
    response = api.post(f"/people/{cast.member}/roles", json={"action": "grant", "role": "auditor"})

    assert_api_error(response, 428, "precondition_required")


def test_only_admins_change_roles(api: ApiClient, cast: Cast, web_app: Flask) -> None:
    before = event_count(web_app.extensions["ideation"])

    for username in ("tim", "koordination"):
        response = api.post(
            f"/people/{cast.admin}/roles",
            as_=username,
            json={"action": "revoke", "role": "admin", "reason": "Putsch", "expected_version": 2},
        )
        assert_api_error(response, 403, "forbidden")

    assert event_count(web_app.extensions["ideation"]) == before


def test_the_last_admin_keeps_the_admin_role(api: ApiClient, cast: Cast) -> None:
    version = api.get(f"/people/{cast.admin}").get_json()["version"]

    response = api.post(
        f"/people/{cast.admin}/roles",
        json={"action": "revoke", "role": "admin", "reason": "Ruhestand"},
        headers={"If-Match": f'"{version}"'},
    )

    error = assert_api_error(response, 422, "rule_violation")
    assert error["rule"] == "person.last_admin"
