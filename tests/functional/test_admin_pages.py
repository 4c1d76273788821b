"""Administration through the pages: departments, people, roles; only for admins."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Cast
from tests.functional.conftest import sign_in


def _form_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def admin_client(client: FlaskClient, cast: Cast) -> FlaskClient:
    assert sign_in(client, "admin").status_code == 302
    return client


@pytest.mark.parametrize("username", ["tim", "koordination", "pruefung", "greta"])
@pytest.mark.parametrize("path", ["/admin/", "/admin/fachbereiche", "/admin/personen/neu"])
def test_only_admins_reach_the_administration(
    client: FlaskClient, cast: Cast, username: str, path: str
) -> None:
    sign_in(client, username)
    response = client.get(path)
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.text
    assert "Administration</a>" not in client.get("/").text


def test_an_admin_registers_and_renames_a_department(admin_client: FlaskClient, web_app) -> None:
    form = admin_client.get("/admin/fachbereiche/neu")
    created = admin_client.post(
        "/admin/fachbereiche/neu",
        data={
            "name": "Grünflächenamt",
            "short_name": "GFA",
            "kind": "administration",
            "csrf_token": _form_token(form.text),
        },
    )
    assert created.status_code == 302
    listing = admin_client.get("/admin/fachbereiche").text
    assert "Grünflächenamt" in listing
    assert "Fachbereich „Grünflächenamt“ angelegt." in listing

    planner = web_app.extensions["ideation"]
    department = next(d for d in planner.read_models.list_departments() if d.short_name == "GFA")
    page = admin_client.get(f"/admin/fachbereiche/{department.id}")
    renamed = admin_client.post(
        f"/admin/fachbereiche/{department.id}",
        data={
            "name": "Amt für Stadtgrün",
            "short_name": "ASG",
            "kind": "company",
            "version": "1",
            "csrf_token": _form_token(page.text),
        },
    )
    assert renamed.status_code == 302
    shown = planner.get_department(department.id)
    assert (shown.name, shown.short_name, shown.kind, shown.version) == (
        "Amt für Stadtgrün",
        "ASG",
        "company",
        3,
    )


def test_a_stale_department_form_says_who_changed_what(
    admin_client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    page = admin_client.get(f"/admin/fachbereiche/{cast.citizens}")
    web_app.extensions["ideation"].rename_department(
        cast.admin, cast.citizens, 1, "Bürgeramt", "33"
    )
    stale = admin_client.post(
        f"/admin/fachbereiche/{cast.citizens}",
        data={
            "name": "Bürgerservice",
            "short_name": "33",
            "kind": "administration",
            "version": "1",
            "csrf_token": _form_token(page.text),
        },
    )
    assert stale.status_code == 409
    assert "Fachbereich umbenannt" in stale.text
    assert "Ada Admin" in stale.text
    assert web_app.extensions["ideation"].get_department(cast.citizens).name == "Bürgeramt"


def test_a_department_without_a_name_gets_a_german_field_message(admin_client) -> None:
    page = admin_client.get("/admin/fachbereiche/neu")
    response = admin_client.post(
        "/admin/fachbereiche/neu",
        data={
            "name": "",
            "short_name": "X",
            "kind": "administration",
            "csrf_token": _form_token(page.text),
        },
    )
    assert response.status_code == 400
    assert "Bitte einen Namen angeben." in response.text
    assert 'aria-invalid="true"' in response.text


def test_an_admin_adds_a_person_with_roles_and_an_account_who_can_then_sign_in(
    admin_client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    page = admin_client.get("/admin/personen/neu")
    created = admin_client.post(
        "/admin/personen/neu",
        data={
            "display_name": "Nora Neu",
            "email": "nora@example.org",
            "department_id": str(cast.mobility),
            "roles": ["member", "group_member"],
            "username": "nora",
            "password": "Neue-Kollegin-2026",
            "csrf_token": _form_token(page.text),
        },
    )
    assert created.status_code == 302
    person_page = admin_client.get(created.headers["Location"]).text
    assert "Nora Neu" in person_page
    assert "Mitglied einer Arbeitsgruppe" in person_page
    assert "Nora Neu" in admin_client.get("/admin/personen").text

    other = web_app.test_client()
    assert sign_in(other, "nora", "Neue-Kollegin-2026").status_code == 302


def test_a_duplicate_email_is_shown_on_its_field(admin_client: FlaskClient, cast: Cast) -> None:
    page = admin_client.get("/admin/personen/neu")
    response = admin_client.post(
        "/admin/personen/neu",
        data={
            "display_name": "Doppelt",
            "email": "tim@example.org",
            "department_id": str(cast.mobility),
            "csrf_token": _form_token(page.text),
        },
    )
    assert response.status_code == 422

    assert "bereits von einer anderen Person genutzt" in response.text


def test_roles_are_granted_and_revoked_with_a_reason_and_deactivation_ends_sessions(
    admin_client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    tims_client = web_app.test_client()
    sign_in(tims_client, "tim")
    page = admin_client.get(f"/admin/personen/{cast.member}").text
    token = _form_token(page)

    granted = admin_client.post(
        f"/admin/personen/{cast.member}/rolle-erteilen",
        data={"grant-role": "coordinator", "grant-version": "2", "grant-csrf_token": token},
    )
    assert granted.status_code == 302
    no_reason = admin_client.post(
        f"/admin/personen/{cast.member}/rolle-entziehen",
        data={
            "revoke-role": "coordinator",
            "revoke-reason": "",
            "revoke-version": "3",
            "revoke-csrf_token": token,
        },
    )
    assert no_reason.status_code == 400
    assert "Bitte eine Begründung angeben." in no_reason.text
    revoked = admin_client.post(
        f"/admin/personen/{cast.member}/rolle-entziehen",
        data={
            "revoke-role": "coordinator",
            "revoke-reason": "Vertretung beendet",
            "revoke-version": "3",
            "revoke-csrf_token": token,
        },
    )
    assert revoked.status_code == 302
    history = web_app.extensions["ideation"].events_since(cast.member, 2)
    assert [(e.label, e.reason) for e in history] == [
        ("Rolle erteilt", None),
        ("Rolle entzogen", "Vertretung beendet"),
    ]

    deactivated = admin_client.post(
        f"/admin/personen/{cast.member}/deaktivieren",
        data={
            "deactivate-reason": "Ausgeschieden",
            "deactivate-version": "4",
            "deactivate-csrf_token": token,
        },
    )
    assert deactivated.status_code == 302
    assert tims_client.get("/").status_code == 302  # Tim's session is over


def test_the_last_admin_cannot_lock_the_administration_out(
    admin_client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    token = _form_token(admin_client.get(f"/admin/personen/{cast.admin}").text)
    version = str(web_app.extensions["ideation"].get_person(cast.admin).version)
    for path, prefix, data in [
        ("rolle-entziehen", "revoke", {"role": "admin", "reason": "Versehen"}),
        ("deaktivieren", "deactivate", {"reason": "Versehen"}),
    ]:
        fields = {**data, "version": version, "csrf_token": token}
        response = admin_client.post(
            f"/admin/personen/{cast.admin}/{path}",
            data={f"{prefix}-{name}": value for name, value in fields.items()},
        )
        assert response.status_code == 422
        assert "letzte aktive Administration" in response.text
    assert "admin" in web_app.extensions["ideation"].get_person(cast.admin).roles


def test_messages_from_the_planner_follow_the_chosen_language(admin_client: FlaskClient) -> None:
    page = admin_client.get("/admin/fachbereiche/neu")
    token = _form_token(page.text)
    data = {"name": "X", "short_name": "X", "kind": "administration", "csrf_token": token}
    german = admin_client.post("/admin/fachbereiche/neu", data=data)
    assert "„Name“ muss mindestens 2 Zeichen lang sein." in german.text

    admin_client.post("/sprache", data={"locale": "en", "csrf_token": token})
    english = admin_client.post("/admin/fachbereiche/neu", data=data)
    assert english.status_code == 422
    assert "“Name” needs at least 2 characters." in english.text
    assert "Zeichen" not in english.text


def test_a_conflict_in_english_names_the_change_in_english(
    admin_client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    page = admin_client.get(f"/admin/fachbereiche/{cast.citizens}")
    token = _form_token(page.text)
    admin_client.post("/sprache", data={"locale": "en", "csrf_token": token})
    web_app.extensions["ideation"].rename_department(
        cast.admin, cast.citizens, 1, "Bürgeramt", "33"
    )
    stale = admin_client.post(
        f"/admin/fachbereiche/{cast.citizens}",
        data={
            "name": "Bürgerservice",
            "short_name": "33",
            "kind": "administration",
            "version": "1",
            "csrf_token": token,
        },
    )
    assert stale.status_code == 409
    assert "Something was changed in the meantime (version 1 → 2)" in stale.text
    assert "“Department renamed” by Ada Admin" in stale.text
