"""The idea pages with CSRF on: list, submit, the idea page's actions, permissions, conflicts."""

from __future__ import annotations

import re
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ideation.entrypoints.pages.ideas import ACTIONS
from tests.conftest import Cast, event_count
from tests.functional.conftest import sign_in

ACTION_RE = re.compile(r'action="/ideas/[0-9a-f-]{36}/([a-z]+)"')


def token(page: str) -> str:
    """The CSRF token of the first form on the page (every form of a session has the same)."""
    pattern = r'name="(?:[a-z]+-)?csrf_token"(?: type="hidden")? value="([^"]+)"'
    return re.search(pattern, page).group(1)


def offered(page: str) -> set[str]:
    """The action forms an idea page offers."""
    return set(ACTION_RE.findall(page))


def post_action(client: FlaskClient, idea_id: UUID, action: str, version: int, **fields: str):
    """Post one action form of the idea page like a browser, with the page's CSRF token."""
    page = client.get(f"/ideas/{idea_id}").text
    prefix = ACTIONS[action].form.field_prefix
    data = {f"{prefix}-{k}": v for k, v in fields.items()}
    data[f"{prefix}-version"] = str(version)
    data[f"{prefix}-csrf_token"] = token(page)
    return client.post(f"/ideas/{idea_id}/{action}", data=data)


@pytest.fixture
def planner(web_app: Flask):
    return web_app.extensions["ideation"]


def submit_through_form(client: FlaskClient, **fields: str):
    page = client.get("/ideas/new").text
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    data = {"csrf_token": token(page), "idempotency_key": key, "send": "1", **fields}
    return client.post("/ideas/new", data=data), data


def test_a_member_submits_an_idea_and_a_double_click_creates_it_only_once(
    client: FlaskClient, cast: Cast, planner
) -> None:
    sign_in(client, "tim")
    response, data = submit_through_form(
        client,
        title="Freie Parkplätze per Sensor anzeigen",
        summary="Sensoren melden freie Plätze; die App zeigt sie an.",
        themes="Mobilität, Sensorik, Mobilität",
    )
    assert response.status_code == 302
    again = client.post("/ideas/new", data=data)  # the browser sends the same form again
    assert again.headers["Location"] == response.headers["Location"]

    page = client.get(response.headers["Location"]).text
    assert "Ihre Idee wurde eingereicht." in page
    assert "Freie Parkplätze per Sensor anzeigen" in page
    assert "Mobilität, Sensorik" in page
    assert 'aria-current="step"' in page
    assert "Eingereicht" in page
    assert planner.read_models.list_ideas().total == 1


def test_a_submit_form_without_title_shows_the_german_message_and_records_nothing(
    client: FlaskClient, cast: Cast, planner
) -> None:
    sign_in(client, "tim")
    before = event_count(planner)
    response, _ = submit_through_form(client, title="", summary="Etwas")
    assert response.status_code == 400
    assert "Bitte einen Titel angeben." in response.text
    assert 'aria-invalid="true"' in response.text
    assert event_count(planner) == before


def test_similar_ideas_are_shown_before_submitting_without_javascript(
    client: FlaskClient, cast: Cast, planner
) -> None:
    planner.submit_idea(
        cast.other_member,
        title="Online-Terminvergabe für alle Bürgerbüros",
        summary="Ein gemeinsamer Terminkalender statt Telefonwarteschleife.",
    )
    sign_in(client, "tim")
    page = client.get("/ideas/new").text
    before = event_count(planner)
    checked = client.post(
        "/ideas/new",
        data={
            "csrf_token": token(page),
            "idempotency_key": "k",
            "title": "Online Terminvergabe Bürgerbüro",
            "summary": "Termine online buchen",
            "check": "1",
        },
    )
    assert checked.status_code == 200
    assert "Ähnliche Ideen" in checked.text
    assert "Online-Terminvergabe für alle Bürgerbüros" in checked.text
    assert 'value="Online Terminvergabe Bürgerbüro"' in checked.text  # the input is kept
    assert event_count(planner) == before

    fragment = client.get("/ideas/similar?title=Terminvergabe+Bürgerbüros").text
    assert "Online-Terminvergabe für alle Bürgerbüros" in fragment
    assert "Keine ähnlichen Ideen gefunden." in client.get("/ideas/similar?title=Xylophon").text


def test_the_list_filters_searches_and_pages_and_explains_bad_filters(
    client: FlaskClient, cast: Cast, planner
) -> None:
    for n in range(23):
        planner.submit_idea(
            cast.member, title=f"Idee Nummer {n:02d}", summary="Sensoren", themes=["Mobilität"]
        )
    planner.submit_idea(cast.other_member, title="Digitale Bauakte", summary="Bauanträge online")
    sign_in(client, "berta")

    first = client.get("/ideas/").text
    assert "24 Ideen gefunden" in first
    assert "Seite 1 von 2" in first
    second = client.get("/ideas/?page=2").text
    assert "Seite 2 von 2" in second

    found = client.get("/ideas/?q=Bauakte").text
    assert "1 Idee gefunden" in found
    assert "Digitale Bauakte" in found
    themed = client.get("/ideas/?theme=Mobilit%C3%A4t&sort=title").text
    assert "23 Ideen gefunden" in themed
    assert themed.index("Idee Nummer 00") < themed.index("Idee Nummer 01")
    assert "Keine Idee passt zu diesen Filtern." in client.get("/ideas/?q=Zeppelin").text

    bad = client.get("/ideas/?stage=gibtsnicht")
    assert bad.status_code == 400
    assert "Die Suche ist so nicht möglich" in bad.text
    assert client.get("/ideas/?page=null").status_code == 400


def test_an_empty_planner_says_there_are_no_ideas_yet(client: FlaskClient, cast: Cast) -> None:
    sign_in(client, "tim")
    page = client.get("/ideas/")
    assert page.status_code == 200
    assert "Noch keine Ideen eingereicht." in page.text


def _idea_in_working_group(planner, cast: Cast) -> UUID:
    idea = planner.submit_idea(
        cast.member, title="Sensorbasierte Baumbewässerung", summary="Bodenfeuchte messen"
    )
    planner.assess_idea(
        cast.coordinator, idea, 1, impact=4, effort=2, expected_weeks=8, rationale="Klein"
    )
    planner.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)
    return idea


# Who sees which forms on an idea in a working group (Tim's department submitted it; Greta is
# in the group). This is the permission matrix as a person experiences it.
EXPECTED_FORMS = {
    "tim": {"revise", "comment", "withdraw"},
    "berta": {"comment", "pledge"},
    "greta": {"revise", "comment", "recommend"},
    "koordination": {
        "comment",
        "assess",
        "override",
        "assign",
        "accept",
        "reject",
        "park",
        "merge",
    },
    "pruefung": set(),
    "admin": set(),
}
# Forms absent because of the idea's state, not the role: refused with the rule's message.
ABSENT_BY_STATE = {
    "tim": {"pledge", "unpledge"},  # his own department's idea; nothing pledged
    "berta": {"unpledge"},  # her department has not pledged
    "koordination": {"reopen"},  # the idea is not parked
}
VALID_FIELDS = {
    "revise": {"title": "Neuer Titel", "summary": "Neu", "description": "", "themes": ""},
    "comment": {"text": "Ein Kommentar"},
    "pledge": {"note": ""},
    "unpledge": {"note": ""},
    "assess": {"impact": "3", "effort": "3", "expected_weeks": "5", "rationale": "Weil"},
    "override": {"quick_win": "no", "reason": "Weil"},
    "assign": {"working_group_id": "00000000-0000-0000-0000-000000000000"},
    "recommend": {"outcome": "accept", "reasoning": "Weil"},
    "accept": {"reason": "Weil", "owner_department_id": ""},
    "reject": {"reason": "Weil"},
    "park": {"reason": "Weil"},
    "reopen": {"reason": "Weil"},
    "merge": {"into_idea_id": "00000000-0000-0000-0000-000000000000", "reason": "Weil"},
    "withdraw": {"reason": "Weil"},
}


@pytest.mark.parametrize("username", sorted(EXPECTED_FORMS))
def test_each_role_sees_only_its_action_forms_and_posting_another_is_refused_unrecorded(
    client: FlaskClient, cast: Cast, planner, username: str
) -> None:
    idea = _idea_in_working_group(planner, cast)
    sign_in(client, username)
    page = client.get(f"/ideas/{idea}")
    assert page.status_code == 200
    assert offered(page.text) == EXPECTED_FORMS[username]

    before = event_count(planner)
    by_state = ABSENT_BY_STATE.get(username, set())
    for action in sorted(set(ACTIONS) - EXPECTED_FORMS[username] - by_state):
        response = post_action(client, idea, action, 3, **VALID_FIELDS[action])
        assert response.status_code == 403, action
        assert "Keine Berechtigung" in response.text
    for action in sorted(by_state):
        response = post_action(client, idea, action, 3, **VALID_FIELDS[action])
        assert response.status_code == 422, action
        assert "Bitte prüfen Sie Ihre Eingaben" in response.text
    assert event_count(planner) == before


def test_a_decision_without_reason_is_refused_with_a_german_message(
    client: FlaskClient, cast: Cast, planner
) -> None:
    idea = _idea_in_working_group(planner, cast)
    sign_in(client, "koordination")
    before = event_count(planner)
    response = post_action(client, idea, "reject", 3, reason="  ")
    assert response.status_code in (400, 422)
    assert "Bitte eine Begründung angeben." in response.text or "Begründung" in response.text
    assert event_count(planner) == before
    assert planner.get_idea(idea).status == "in_working_group"


def test_two_sessions_revising_from_the_same_version_lose_nothing(
    web_app: Flask, cast: Cast, planner
) -> None:
    idea = planner.submit_idea(
        cast.member, title="Digitale Raumbuchung", summary="Räume der Schulen online buchen"
    )
    planner.assess_idea(
        cast.coordinator, idea, 1, impact=4, effort=2, expected_weeks=8, rationale="Klein"
    )
    planner.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)
    tim, greta = web_app.test_client(), web_app.test_client()
    sign_in(tim, "tim")
    sign_in(greta, "greta")
    # Both open the idea at version 3.
    tim_page, greta_page = tim.get(f"/ideas/{idea}").text, greta.get(f"/ideas/{idea}").text
    assert 'name="revise-version" type="hidden" value="3"' in tim_page

    # Tim changes the title first.
    first = tim.post(
        f"/ideas/{idea}/revise",
        data={
            "revise-csrf_token": token(tim_page),
            "revise-version": "3",
            "revise-title": "Digitale Raumbuchung für Schulen und Vereine",
            "revise-summary": "Räume der Schulen online buchen",
            "revise-description": "",
            "revise-themes": "",
        },
    )
    assert first.status_code == 302

    # Greta, still on version 3, changes the summary: she is told who changed what.
    second = greta.post(
        f"/ideas/{idea}/revise",
        data={
            "revise-csrf_token": token(greta_page),
            "revise-version": "3",
            "revise-title": "Digitale Raumbuchung",
            "revise-summary": "Turnhallen und Aulen online buchen, auch für Vereine",
            "revise-description": "",
            "revise-themes": "",
            "revise-note": "Vereine ergänzt",
        },
    )
    assert second.status_code == 409
    assert "Inzwischen hat jemand anderes etwas geändert" in second.text
    assert "Idee überarbeitet" in second.text
    assert "Tim Tiefbau" in second.text
    # Her input is kept, the title she did not touch now shows Tim's, the version moved on.
    assert "Turnhallen und Aulen online buchen, auch für Vereine" in second.text
    assert 'value="Digitale Raumbuchung für Schulen und Vereine"' in second.text
    assert 'name="revise-version" type="hidden" value="4"' in second.text

    # She sends it again: both changes are there, and the history holds both steps.
    again = greta.post(
        f"/ideas/{idea}/revise",
        data={
            "revise-csrf_token": token(second.text),
            "revise-version": "4",
            "revise-title": "Digitale Raumbuchung für Schulen und Vereine",
            "revise-summary": "Turnhallen und Aulen online buchen, auch für Vereine",
            "revise-description": "",
            "revise-themes": "",
            "revise-note": "Vereine ergänzt",
        },
    )
    assert again.status_code == 302
    now = planner.get_idea(idea)
    assert now.title == "Digitale Raumbuchung für Schulen und Vereine"
    assert now.summary == "Turnhallen und Aulen online buchen, auch für Vereine"
    revisions = [e for e in planner.idea_history(idea) if e.event_type == "Idea.Revised"]
    assert [e.actor_person_id for e in revisions] == [cast.member, cast.group_member]
    assert [c.field for c in revisions[1].changes] == ["summary"]


def test_unknown_ideas_and_actions_are_not_found(client: FlaskClient, cast: Cast, planner) -> None:
    sign_in(client, "tim")
    assert client.get("/ideas/00000000-0000-0000-0000-000000000000").status_code == 404
    idea = planner.submit_idea(cast.member, title="Eine Idee", summary="Kurz")
    assert client.post(f"/ideas/{idea}/zaubern").status_code in (400, 404)


def test_the_live_hints_never_send_the_session_cookie_back(client: FlaskClient, cast: Cast) -> None:
    # A late hints response must not overwrite the cookie of the submit's redirect (which
    # carries the "eingereicht" message).
    sign_in(client, "tim")
    assert "Set-Cookie" in client.get("/ideas/").headers
    hints = client.get("/ideas/similar?title=Parkpl%C3%A4tze")
    assert hints.status_code == 200
    assert "Set-Cookie" not in hints.headers


def test_a_member_answers_a_comment_and_the_answer_points_to_it(
    client: FlaskClient, cast: Cast, planner
) -> None:
    idea = planner.submit_idea(cast.member, title="Digitale Bauakte", summary="Bauanträge online")
    planner.comment_on_idea(cast.other_member, idea, 1, "Wer pflegt die Schnittstelle?")
    question = planner.get_idea(idea).comments[0].comment_id
    sign_in(client, "tim")
    page = client.get(f"/ideas/{idea}").text
    prefix = f"reply-{question.hex[:12]}"
    assert f'action="/ideas/{idea}/comments/{question}/reply"' in page

    empty = client.post(
        f"/ideas/{idea}/comments/{question}/reply",
        data={f"{prefix}-version": "2", f"{prefix}-csrf_token": token(page), f"{prefix}-text": ""},
    )
    assert empty.status_code == 400
    assert "Bitte eine Antwort schreiben." in empty.text

    answered = client.post(
        f"/ideas/{idea}/comments/{question}/reply",
        data={
            f"{prefix}-version": "2",
            f"{prefix}-csrf_token": token(page),
            f"{prefix}-text": "Das Tiefbauamt, gemeinsam mit der IT.",
        },
    )
    assert answered.status_code == 302
    shown = client.get(f"/ideas/{idea}").text
    assert "Ihre Antwort wurde veröffentlicht." in shown
    assert "Das Tiefbauamt, gemeinsam mit der IT." in shown
    assert f'href="#kommentar-{question}">Antwort auf einen Kommentar' in shown
    assert planner.get_idea(idea).comments[1].reply_to == question


def test_an_auditor_cannot_answer_a_comment(client: FlaskClient, cast: Cast, planner) -> None:
    idea = planner.submit_idea(cast.member, title="Digitale Bauakte", summary="Bauanträge online")
    planner.comment_on_idea(cast.other_member, idea, 1, "Frage")
    question = planner.get_idea(idea).comments[0].comment_id
    sign_in(client, "pruefung")
    page = client.get(f"/ideas/{idea}").text
    assert "/reply" not in page
    before = event_count(planner)
    prefix = f"reply-{question.hex[:12]}"
    refused = client.post(
        f"/ideas/{idea}/comments/{question}/reply",
        data={f"{prefix}-version": "2", f"{prefix}-csrf_token": token(page), f"{prefix}-text": "x"},
    )
    assert refused.status_code == 403
    assert event_count(planner) == before
    missing = client.post(f"/ideas/{idea}/comments/{UUID(int=5)}/reply", data={})
    assert missing.status_code in (400, 404)
