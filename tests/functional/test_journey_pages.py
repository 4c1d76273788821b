"""The whole journey through the pages, as Musterstadt's demo accounts, with CSRF on.

From the proposal to the implemented quick win: every step is a form posted the way a browser
posts it (with the page's CSRF token), and at the end the history page tells the story.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ideation.entrypoints.demo import DEMO_PASSWORD, seed_demo_city
from tests.functional.conftest import sign_in

KLIMA_GROUP = "AG Klimaanpassung und Stadtgrün"
TITLE = "Trinkbrunnen mit Füllstandsmeldung in der Innenstadt"


def token(page: str) -> str:
    """The session's CSRF token as a page carries it."""
    pattern = r'name="(?:[a-z_]+-)?csrf_token"(?: type="hidden")? value="([^"]+)"'
    return re.search(pattern, page).group(1)


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def planner(web_app: Flask):
    ideation = web_app.extensions["ideation"]
    seed_demo_city(ideation, progress=lambda _message: None)
    return ideation


def as_user(web_app: Flask, username: str) -> FlaskClient:
    client = web_app.test_client()
    assert sign_in(client, username, DEMO_PASSWORD).status_code == 302
    return client


def post_form(client: FlaskClient, page_url: str, action_url: str, prefix: str, **fields):
    """Open the page, then post one of its forms with the version the page showed."""
    page = client.get(page_url)
    assert page.status_code == 200
    version = re.search(rf'name="{prefix}-version" type="hidden" value="(\d+)"', page.text)
    assert version, f"the page offers no {prefix} form"
    data = {f"{prefix}-{name}": value for name, value in fields.items()}
    data[f"{prefix}-version"] = version.group(1)
    data[f"{prefix}-csrf_token"] = token(page.text)
    response = client.post(action_url, data=data)
    assert response.status_code == 302, text_of(response.text)[:2000]
    return response


def test_from_proposal_to_implemented_quick_win_through_the_pages(web_app: Flask, planner) -> None:
    today = dt.date.today().isoformat()
    tiefbau, umwelt = as_user(web_app, "tba"), as_user(web_app, "umw")
    coordination, stadtwerke = as_user(web_app, "koordination"), as_user(web_app, "swm")

    # Tim (Tiefbauamt) submits the idea.
    form = tiefbau.get("/ideas/new").text
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', form).group(1)
    submitted = tiefbau.post(
        "/ideas/new",
        data={
            "csrf_token": token(form),
            "idempotency_key": key,
            "title": TITLE,
            "summary": "Trinkbrunnen melden Füllstand und Störungen per LoRaWAN.",
            "themes": "Klimaanpassung, Sensorik",
            "send": "1",
        },
    )
    assert submitted.status_code == 302
    idea_url = submitted.headers["Location"]
    idea_id = UUID(idea_url.rsplit("/", 1)[1])

    # Ulla (Umweltamt) pledges her department's support.
    post_form(umwelt, idea_url, f"{idea_url}/pledge", "pledge", note="Wir betreuen die Standorte.")

    # Clara (coordination) assesses it: small effort, quick, visible: a quick win.
    post_form(
        coordination,
        idea_url,
        f"{idea_url}/assess",
        "assess",
        impact="4",
        effort="2",
        expected_weeks="8",
        rationale="Geringer Aufwand, vorhandenes Funknetz, sichtbarer Nutzen im Sommer.",
    )
    assert "Quick Win" in coordination.get(idea_url).text

    # She hands it to the climate working group.
    group = next(g for g in planner.read_models.list_working_groups() if g.name == KLIMA_GROUP)
    post_form(
        coordination, idea_url, f"{idea_url}/assign", "assign", working_group_id=str(group.id)
    )

    # Sven (Stadtwerke, member of the group) recommends accepting it.
    post_form(
        stadtwerke,
        idea_url,
        f"{idea_url}/recommend",
        "recommend",
        outcome="accept",
        reasoning="Die Gateways decken alle fünf Standorte ab.",
    )

    # Clara accepts it, with a reason; the measure is planned.
    post_form(
        coordination,
        idea_url,
        f"{idea_url}/accept",
        "accept",
        reason="Quick Win mit Mehrwert für Hitzetage.",
        owner_department_id="",
    )
    measure_id = planner.get_idea(idea_id).measure_id
    measure_url = f"/measures/{measure_id}"
    assert measure_url in coordination.get(idea_url).text

    # Sven sets a goal and a milestone, reaches it, reports progress, implements, and
    # records the benefit for the Tiefbauamt.
    post_form(
        stadtwerke,
        measure_url,
        f"{measure_url}/goals",
        "goal",
        statement="Ausfälle der Trinkbrunnen früh erkennen",
        indicator="Zeit bis zur Störungsbehebung",
        target="unter 24 Stunden",
    )
    post_form(
        stadtwerke,
        measure_url,
        f"{measure_url}/milestones",
        "milestone",
        title="Sensoren an allen Brunnen montiert",
        due_on=today,
    )
    milestone_id = planner.get_measure(measure_id).milestones[0]["milestone_id"]
    post_form(
        stadtwerke,
        measure_url,
        f"{measure_url}/milestones/reach",
        "reach",
        milestone_id=str(milestone_id),
        reached_on=today,
    )
    post_form(
        stadtwerke,
        measure_url,
        f"{measure_url}/progress",
        "progress",
        percent="80",
        note="Alle Brunnen melden.",
    )
    post_form(
        stadtwerke,
        measure_url,
        f"{measure_url}/implement",
        "implement",
        implemented_on=today,
        outcome="Fünf Brunnen melden Füllstand und Störungen in Echtzeit.",
    )
    tiefbauamt = next(d for d in planner.read_models.list_departments() if d.short_name == "TBA")
    post_form(
        stadtwerke,
        measure_url,
        f"{measure_url}/benefits",
        "benefit",
        department_id=str(tiefbauamt.id),
        description="Keine Kontrollfahrten mehr zu leeren Brunnen.",
    )
    measure_page = text_of(stadtwerke.get(measure_url).text)
    assert "Umgesetzt" in measure_page
    assert "Keine Kontrollfahrten mehr zu leeren Brunnen." in measure_page

    # The history page lists every step in order, with person, role, label and reason.
    history = tiefbau.get(f"{idea_url}/history/").text
    steps = re.findall(
        r'<h3 id="step-\d+">([^<]+)</h3>\s*<p class="entry-meta">(.*?)</p>', history, re.S
    )
    told = [(html.unescape(label), text_of(meta).strip()) for label, meta in steps]
    expected = [
        ("Idee eingereicht", "Tim Tiefbau, Tiefbauamt, als Mitarbeitende"),
        ("Mitwirkung zugesagt", "Ulla Umwelt, Umweltamt, als Mitarbeitende"),
        ("Bewertet", "Clara Koordination, Stabsstelle Digitalisierung, als Smart-City"),
        ("an Arbeitsgruppe übergeben", "Clara Koordination"),
        ("Empfehlung der Arbeitsgruppe", "Sven Stadtwerke, Stadtwerke Musterstadt, als Mitglied"),
        ("Angenommen", "Clara Koordination, Stabsstelle Digitalisierung, als Smart-City"),
        ("Maßnahme geplant", "Clara Koordination"),
        ("Ziel festgelegt", "Sven Stadtwerke, Stadtwerke Musterstadt, als Mitglied"),
        ("Meilenstein geplant", "Sven Stadtwerke"),
        ("Meilenstein erreicht", "Sven Stadtwerke"),
        ("Fortschritt gemeldet", "Sven Stadtwerke"),
        ("Umgesetzt", "Sven Stadtwerke"),
        ("Mehrwert festgehalten", "Sven Stadtwerke"),
    ]
    assert [label for label, _ in told] == [label for label, _ in expected]
    for (label, meta), (_, who) in zip(told, expected, strict=True):
        assert who in meta, f"{label}: {meta}"
    text = text_of(history)
    assert "Begründung: Die Gateways decken alle fünf Standorte ab." in text
    assert "Begründung: Quick Win mit Mehrwert für Hitzetage." in text
    assert "Mehrwert Keine Kontrollfahrten mehr zu leeren Brunnen." in text
    assert "Fachbereich Tiefbauamt" in text
