"""Political rounds and factions in the pages: plan, record, cancel, adopt, the list of factions."""

from __future__ import annotations

import html
import re
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Cast
from tests.functional.conftest import sign_in
from tests.functional.political_story import Story, make_story

READERS = ("koordination", "admin", "pruefung", "tim", "greta")


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def token(page: str) -> str:
    pattern = r'name="(?:[a-z0-9_-]+-)?csrf_token"(?: type="hidden")? value="([^"]+)"'
    return re.search(pattern, page).group(1)


@pytest.fixture
def planner(web_app: Flask):
    return web_app.extensions["ideation"]


@pytest.fixture
def story(planner, cast: Cast) -> Story:
    return make_story(planner, cast)


def signed_in(client: FlaskClient, username: str) -> FlaskClient:
    assert sign_in(client, username).status_code == 302
    return client


def post_form(client: FlaskClient, page_url: str, action_url: str, prefix: str, **fields):
    """Open the page, then post one of its forms with the version the page showed."""
    page = client.get(page_url)
    assert page.status_code == 200
    data = {f"{prefix}-{name}": value for name, value in fields.items()}
    version = re.search(rf'name="{prefix}-version" type="hidden" value="(\d+)"', page.text)
    assert version, f"the page offers no {prefix} form"
    data[f"{prefix}-version"] = version.group(1)
    data[f"{prefix}-csrf_token"] = token(page.text)
    return client.post(action_url, data=data)


# -- the list of rounds -------------------------------------------------------------------


@pytest.mark.parametrize("username", READERS)
def test_every_working_role_reads_the_rounds_upcoming_and_past(
    client: FlaskClient, story: Story, username: str
) -> None:
    signed_in(client, username)

    page = client.get("/politik/")

    assert page.status_code == 200
    text = text_of(page.text)
    assert text.index("Geplante Runden") < text.index("Sommerrunde")
    assert text.index("Durchgeführte und abgesagte Runden") < text.index("Frühjahrsrunde")
    assert ("/politik/runden/neu" in page.text) is (username == "koordination")


def test_the_navigation_leads_to_exchange_alliance_politics_and_briefings(
    client: FlaskClient, story: Story
) -> None:
    signed_in(client, "tim")

    page = client.get("/politik/").text

    nav = re.search(r'<nav aria-label="Hauptnavigation">(.*?)</nav>', page, re.S).group(1)
    for label in ("Austausch", "Allianz", "Politik", "Briefings"):
        assert f">{label}</a>" in nav
    assert '<a href="/politik/" aria-current="page">Politik</a>' in nav


# -- planning -------------------------------------------------------------------------------


def test_the_coordination_plans_a_round_with_invited_factions(
    client: FlaskClient, planner, story: Story
) -> None:
    signed_in(client, "koordination")
    form = client.get("/politik/runden/neu")
    assert form.status_code == 200
    assert "Fraktion Die Grünen (GRÜNE)" in form.text

    response = client.post(
        "/politik/runden/neu",
        data={
            "csrf_token": token(form.text),
            "scheduled_on": "2030-09-15",
            "title": "Herbstrunde",
            "invited_faction_ids": [str(story.greens), str(story.social)],
        },
    )

    assert response.status_code == 302
    round_id = UUID(response.headers["Location"].rsplit("/", 1)[1])
    planned = planner.get_political_round(round_id)
    assert (planned.title, planned.scheduled_on.isoformat()) == ("Herbstrunde", "2030-09-15")
    assert set(planned.invited_faction_ids) == {story.greens, story.social}
    page = client.get(response.headers["Location"])
    assert "Politische Runde geplant." in page.text
    assert "Runde festhalten" in page.text
    assert "Runde absagen" in page.text


def test_a_plan_without_title_or_date_is_shown_again_with_german_messages(
    client: FlaskClient, story: Story
) -> None:
    signed_in(client, "koordination")
    form = client.get("/politik/runden/neu")

    response = client.post(
        "/politik/runden/neu",
        data={"csrf_token": token(form.text), "scheduled_on": "morgen", "title": ""},
    )

    assert response.status_code == 400
    text = text_of(response.text)
    assert "Bitte prüfen Sie Ihre Eingaben" in text
    assert "Bitte einen Titel angeben." in text
    assert "Bitte ein gültiges Datum angeben" in text


@pytest.mark.parametrize("username", ["tim", "pruefung", "admin", "greta"])
def test_only_the_coordination_plans_rounds(
    client: FlaskClient, story: Story, username: str
) -> None:
    signed_in(client, username)
    page = client.get("/politik/")

    assert client.get("/politik/runden/neu").status_code == 403
    response = client.post(
        "/politik/runden/neu",
        data={"csrf_token": token(page.text), "scheduled_on": "2030-09-15", "title": "Heimlich"},
    )
    assert response.status_code == 403


# -- a round's page -------------------------------------------------------------------------------


def test_a_held_round_shows_factions_questions_suggestions_and_the_briefing_link(
    client: FlaskClient, story: Story
) -> None:
    signed_in(client, "tim")

    page = client.get(f"/politik/runden/{story.first}")

    assert page.status_code == 200
    text = text_of(page.text)
    assert "Durchgeführt am 10.03.2030" in text
    assert "Fraktion Die Grünen (GRÜNE) ja ja" in text
    assert "SPD-Fraktion (SPD) ja nein" in text
    assert "Wann kommt das WLAN?" in text
    assert "Sensoren im Park" in text
    assert "Gute Stimmung" in text
    assert f"/briefings/{story.first}" in page.text
    assert "Als Idee übernehmen" not in text  # a member reads, the coordination acts


def test_the_coordination_turns_a_suggestion_into_an_idea_of_a_department(
    client: FlaskClient, planner, story: Story
) -> None:
    signed_in(client, "koordination")
    url = f"/politik/runden/{story.first}"
    assert "Als Idee übernehmen" in client.get(url).text

    response = post_form(
        client,
        url,
        f"{url}/anregungen/1/uebernehmen",
        "adopt-1",
        department_id=str(story.cast.mobility),
        title="WLAN am Bahnhof",
        summary="Offenes WLAN am Bahnhof, angeregt in der Politischen Runde",
    )

    assert response.status_code == 302
    idea_id = UUID(response.headers["Location"].rsplit("/", 1)[1])
    idea = planner.get_idea(idea_id)
    assert idea.title == "WLAN am Bahnhof"
    assert idea.department_id == story.cast.mobility
    assert idea.origin == "Politische Runde"
    page = client.get(url)
    assert f'href="/ideas/{idea_id}"' in page.text
    assert 'action="/politik/runden/' + str(story.first) + "/anregungen/1/" not in page.text
    assert "/anregungen/0/uebernehmen" in page.text  # the other one still can be adopted


def test_adopting_without_a_department_shows_the_message_on_the_form(
    client: FlaskClient, story: Story
) -> None:
    signed_in(client, "koordination")
    url = f"/politik/runden/{story.first}"

    response = post_form(
        client,
        url,
        f"{url}/anregungen/0/uebernehmen",
        "adopt-0",
        department_id="",
        title="Sensoren",
        summary="Sensoren im Park",
    )

    assert response.status_code == 400
    assert "Bitte einen Fachbereich auswählen." in text_of(response.text)


def test_a_member_cannot_adopt_a_suggestion(client: FlaskClient, story: Story) -> None:
    signed_in(client, "tim")
    page = client.get(f"/politik/runden/{story.first}")

    response = client.post(
        f"/politik/runden/{story.first}/anregungen/0/uebernehmen",
        data={
            "adopt-0-csrf_token": token(page.text),
            "adopt-0-version": "2",
            "adopt-0-department_id": str(story.cast.mobility),
            "adopt-0-title": "Sensoren",
            "adopt-0-summary": "Sensoren im Park",
        },
    )

    assert response.status_code == 403


def test_the_coordination_records_a_planned_round(
    client: FlaskClient, planner, story: Story
) -> None:
    signed_in(client, "koordination")
    url = f"/politik/runden/{story.second}"

    response = post_form(
        client,
        url,
        f"{url}/festhalten",
        "record",
        held_on="2030-06-11",
        attending_faction_ids=[str(story.social)],
        questions="Was kostet das?\n\nWer pflegt die Daten?",
        suggestions="Bürgerhaushalt digital",
        notes="",
    )

    assert response.status_code == 302
    held = planner.get_political_round(story.second)
    assert held.status == "held"
    assert held.held_on.isoformat() == "2030-06-11"
    assert held.questions == ("Was kostet das?", "Wer pflegt die Daten?")
    assert [s.text for s in held.suggestions] == ["Bürgerhaushalt digital"]
    assert "Runde festgehalten." in client.get(url).text


def test_recording_without_attending_faction_says_so(client: FlaskClient, story: Story) -> None:
    signed_in(client, "koordination")
    url = f"/politik/runden/{story.second}"

    response = post_form(client, url, f"{url}/festhalten", "record", held_on="2030-06-11")

    assert response.status_code == 422
    assert "Bitte mindestens eine anwesende Fraktion angeben." in text_of(response.text)


def test_the_coordination_cancels_a_planned_round_with_a_reason(
    client: FlaskClient, planner, story: Story
) -> None:
    signed_in(client, "koordination")
    url = f"/politik/runden/{story.second}"

    missing = post_form(client, url, f"{url}/absagen", "cancel", reason="")
    assert missing.status_code == 400
    assert "Bitte eine Begründung angeben." in text_of(missing.text)

    response = post_form(client, url, f"{url}/absagen", "cancel", reason="Haushaltssperre")

    assert response.status_code == 302
    assert planner.get_political_round(story.second).status == "cancelled"
    text = text_of(client.get(url).text)
    assert "Abgesagt" in text
    assert "Haushaltssperre" in text


def test_a_member_cannot_record_or_cancel(client: FlaskClient, story: Story) -> None:
    signed_in(client, "tim")
    url = f"/politik/runden/{story.second}"
    page = client.get(url)
    assert "Runde festhalten" not in page.text

    cancel = client.post(
        f"{url}/absagen",
        data={"cancel-csrf_token": token(page.text), "cancel-version": "1", "cancel-reason": "x"},
    )

    assert cancel.status_code == 403


def test_an_unknown_round_is_not_found(client: FlaskClient, story: Story) -> None:
    signed_in(client, "koordination")

    assert client.get(f"/politik/runden/{story.idea}").status_code == 404


# -- factions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["koordination", "admin"])
def test_the_coordination_and_administrators_register_rename_and_retire_factions(
    client: FlaskClient, planner, story: Story, username: str
) -> None:
    signed_in(client, username)
    page = client.get("/politik/fraktionen")
    assert page.status_code == 200

    registered = client.post(
        "/politik/fraktionen",
        data={"csrf_token": token(page.text), "name": "FDP-Fraktion", "short_name": "FDP"},
    )
    assert registered.status_code == 302
    faction = next(f for f in planner.read_models.list_factions() if f.short_name == "FDP")
    key = faction.id.hex[:8]

    renamed = post_form(
        client,
        "/politik/fraktionen",
        f"/politik/fraktionen/{faction.id}/umbenennen",
        f"rename-{key}",
        name="Fraktion der Freien Demokraten",
        short_name="FDP",
    )
    assert renamed.status_code == 302
    retired = post_form(
        client,
        "/politik/fraktionen",
        f"/politik/fraktionen/{faction.id}/austragen",
        f"retire-{key}",
        reason="Nach der Wahl nicht mehr im Rat",
    )
    assert retired.status_code == 302

    view = planner.get_faction(faction.id)
    assert (view.name, view.status) == ("Fraktion der Freien Demokraten", "retired")
    text = text_of(client.get("/politik/fraktionen").text)
    assert "Fraktion der Freien Demokraten FDP Nicht mehr im Rat" in text
    assert (
        f"/politik/fraktionen/{faction.id}/umbenennen" not in client.get("/politik/fraktionen").text
    )


def test_a_faction_without_name_is_refused_with_a_message(
    client: FlaskClient, story: Story
) -> None:
    signed_in(client, "koordination")
    page = client.get("/politik/fraktionen")

    response = client.post(
        "/politik/fraktionen", data={"csrf_token": token(page.text), "name": "", "short_name": ""}
    )

    assert response.status_code == 400
    assert "Bitte einen Namen angeben." in text_of(response.text)


@pytest.mark.parametrize("username", ["tim", "pruefung", "greta"])
def test_other_roles_read_the_factions_but_cannot_change_them(
    client: FlaskClient, story: Story, username: str
) -> None:
    signed_in(client, username)
    page = client.get("/politik/fraktionen")

    assert page.status_code == 200
    assert "Fraktion Die Grünen" in page.text
    assert "Fraktion eintragen" not in page.text
    assert "umbenennen" not in page.text
    csrf = token(page.text)
    assert (
        client.post(
            "/politik/fraktionen", data={"csrf_token": csrf, "name": "X-Partei", "short_name": "X"}
        ).status_code
        == 403
    )
    key = story.greens.hex[:8]
    retire = client.post(
        f"/politik/fraktionen/{story.greens}/austragen",
        data={
            f"retire-{key}-csrf_token": csrf,
            f"retire-{key}-version": "1",
            f"retire-{key}-reason": "x",
        },
    )
    assert retire.status_code == 403
