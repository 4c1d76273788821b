"""Erasure and subject access on the admin person page (GDPR / DSGVO), CSRF on."""

from __future__ import annotations

import json
import re
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Cast, event_count
from tests.functional.conftest import csrf_token, sign_in

REASON = "Löschantrag nach Art. 17 DSGVO vom 3. März"
COMMENT = "Die Sensoren gibt es schon im Tiefbauamt."


def _form_token(page: str) -> str:
    return re.search(r'name="[a-z-]*csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def admin_client(client: FlaskClient, cast: Cast) -> FlaskClient:
    assert sign_in(client, "admin").status_code == 302
    return client


@pytest.fixture
def tims_idea(web_app: Flask, cast: Cast) -> UUID:
    """An idea Tim submitted and commented on."""
    planner = web_app.extensions["ideation"]
    idea = planner.submit_idea(cast.member, title="Digitale Parkplätze", summary="Freie Plätze")
    planner.comment_on_idea(cast.member, idea, 1, COMMENT)
    return idea


def _erase(client: FlaskClient, person: UUID, version: int, reason: str):
    token = _form_token(client.get(f"/admin/personen/{person}").text)
    return client.post(
        f"/admin/personen/{person}/loeschen",
        data={
            "erase-reason": reason,
            "erase-version": str(version),
            "erase-csrf_token": token,
        },
    )


def test_the_person_page_offers_erasure_with_a_clear_warning(
    admin_client: FlaskClient, cast: Cast
) -> None:
    page = admin_client.get(f"/admin/personen/{cast.member}").text

    assert "<h2>Personendaten löschen</h2>" in page
    assert "Das Löschen ist endgültig und lässt sich nicht rückgängig machen." in page
    assert f'action="/admin/personen/{cast.member}/loeschen"' in page
    assert 'name="erase-reason"' in page
    assert "bitte keinen Namen hineinschreiben" in page
    assert f'href="/admin/personen/{cast.member}/auskunft.json"' in page


def test_an_admin_erases_a_person_and_pages_then_show_a_deleted_person(
    web_app: Flask, admin_client: FlaskClient, cast: Cast, tims_idea: UUID
) -> None:
    planner = web_app.extensions["ideation"]
    client = admin_client
    tims_client = web_app.test_client()
    assert sign_in(tims_client, "tim").status_code == 302
    assert "Tim Tiefbau" in client.get(f"/ideas/{tims_idea}").text
    before = event_count(planner)

    response = _erase(client, cast.member, planner.get_person(cast.member).version, REASON)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/personen/{cast.member}")
    page = client.get(f"/admin/personen/{cast.member}").text
    assert "Personendaten gelöscht. Die Person erscheint jetzt als „gelöschte Person“." in page
    assert "<h1>gelöschte Person</h1>" in page
    assert "tim@example.org" not in page
    assert "Tim Tiefbau" not in page
    assert "kein Zugang" in page
    assert 'name="display_name"' not in page  # nothing left to edit
    assert 'name="erase-reason"' not in page
    assert event_count(planner) == before + 2
    # The idea page, its history and the people list name nobody any more.
    for path in (f"/ideas/{tims_idea}", f"/ideas/{tims_idea}/history/", "/admin/personen"):
        shown = client.get(path)
        assert shown.status_code == 200, path
        assert "Tim Tiefbau" not in shown.text, path
        assert "gelöschte Person" in shown.text, path
    assert COMMENT in client.get(f"/ideas/{tims_idea}").text  # the contribution stays
    # Tim's session is over and his login no longer works.
    assert tims_client.get("/").status_code == 302
    refused = sign_in(web_app.test_client(), "tim")
    assert refused.status_code == 401
    assert "Benutzername oder Passwort ist falsch" in refused.text


def test_an_erasure_without_a_reason_is_refused_in_german(
    web_app: Flask, admin_client: FlaskClient, cast: Cast
) -> None:
    planner = web_app.extensions["ideation"]
    before = event_count(planner)

    response = _erase(admin_client, cast.member, planner.get_person(cast.member).version, "  ")

    assert response.status_code == 400
    assert "Bitte eine Begründung für die Löschung angeben." in response.text
    assert 'aria-invalid="true"' in response.text
    assert event_count(planner) == before
    assert planner.get_person(cast.member).display_name == "Tim Tiefbau"


def test_the_last_admin_cannot_erase_themselves_on_the_page(
    web_app: Flask, admin_client: FlaskClient, cast: Cast
) -> None:
    planner = web_app.extensions["ideation"]

    response = _erase(admin_client, cast.admin, planner.get_person(cast.admin).version, REASON)

    assert response.status_code == 422
    assert "letzte aktive Administration" in response.text
    assert planner.get_person(cast.admin).display_name == "Ada Admin"


@pytest.mark.parametrize("username", ["tim", "koordination", "pruefung"])
def test_others_may_neither_erase_nor_download_and_nothing_is_recorded(
    web_app: Flask, client: FlaskClient, cast: Cast, username: str
) -> None:
    planner = web_app.extensions["ideation"]
    sign_in(client, username)
    token = csrf_token(client)
    before = event_count(planner)

    erased = client.post(
        f"/admin/personen/{cast.other_member}/loeschen",
        data={"erase-reason": REASON, "erase-version": "2", "erase-csrf_token": token},
    )
    download = client.get(f"/admin/personen/{cast.other_member}/auskunft.json")

    assert erased.status_code == 403
    assert download.status_code == 403
    assert "Berta Bürgerdienst" not in download.text
    assert event_count(planner) == before
    assert planner.get_person(cast.other_member).display_name == "Berta Bürgerdienst"


def test_an_erasure_post_without_the_csrf_token_is_refused(
    web_app: Flask, admin_client: FlaskClient, cast: Cast
) -> None:
    planner = web_app.extensions["ideation"]

    response = admin_client.post(
        f"/admin/personen/{cast.member}/loeschen",
        data={"erase-reason": REASON, "erase-version": "2"},
    )

    assert response.status_code == 400
    assert planner.get_person(cast.member).display_name == "Tim Tiefbau"


def test_the_subject_access_download_lists_their_comment_and_their_events(
    admin_client: FlaskClient, cast: Cast, tims_idea: UUID
) -> None:
    response = admin_client.get(f"/admin/personen/{cast.member}/auskunft.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="auskunft-{cast.member}.json"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    document = json.loads(response.text)
    assert document["person"]["display_name"] == "Tim Tiefbau"
    assert document["person"]["email"] == "tim@example.org"
    assert document["account"]["username"] == "tim"
    assert [c["text"] for c in document["comments"]] == [COMMENT]
    assert [i["title"] for i in document["ideas_submitted"]] == ["Digitale Parkplätze"]
    acted = [
        (e["event_type"], e["aggregate_id"]) for e in document["events"] if e["relation"] == "acted"
    ]
    assert acted == [("Idea.Submitted", str(tims_idea)), ("Idea.Commented", str(tims_idea))]


def test_the_download_of_an_unknown_person_is_not_found(admin_client: FlaskClient) -> None:
    response = admin_client.get(
        "/admin/personen/00000000-0000-0000-0000-00000000abcd/auskunft.json"
    )
    assert response.status_code == 404


def test_a_stale_erasure_form_shows_who_changed_what_and_erases_nothing(
    web_app: Flask, admin_client: FlaskClient, cast: Cast
) -> None:
    planner = web_app.extensions["ideation"]
    seen = planner.get_person(cast.member).version
    planner.grant_role(cast.admin, cast.member, seen, "auditor")

    response = _erase(admin_client, cast.member, seen, REASON)

    assert response.status_code == 409
    assert "Rolle erteilt" in response.text
    assert planner.get_person(cast.member).display_name == "Tim Tiefbau"
