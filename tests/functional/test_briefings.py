"""Briefings of political rounds: the page, the chart, the PDF (read back), published measures."""

from __future__ import annotations

import html
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from tests.conftest import Cast
from tests.functional.conftest import sign_in
from tests.functional.political_story import Story, make_story

READERS = ("anna", "koordination", "pruefung", "admin", "tim", "greta")


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


@pytest.fixture
def story(web_app: Flask, cast: Cast) -> Story:
    return make_story(web_app.extensions["ideation"], cast)


def signed_in(client: FlaskClient, username: str) -> FlaskClient:
    assert sign_in(client, username).status_code == 302
    return client


@pytest.mark.parametrize("username", READERS)
def test_every_reader_role_sees_the_list_of_briefings_and_the_published_measures(
    client: FlaskClient, story: Story, username: str
) -> None:
    signed_in(client, username)

    index = client.get("/briefings/")
    measures = client.get("/briefings/massnahmen")

    assert index.status_code == 200
    assert f"/briefings/{story.first}" in index.text
    assert f"/briefings/{story.second}.pdf" in index.text
    assert measures.status_code == 200
    assert "Online-Terminbuchung" in measures.text
    assert "Heimlicher Entwurf" not in measures.text


def test_the_briefing_shows_the_quick_wins_since_the_previous_round_with_their_benefits(
    client: FlaskClient, story: Story
) -> None:
    signed_in(client, "anna")

    page = client.get(f"/briefings/{story.second}")

    assert page.status_code == 200
    text = text_of(page.text)
    assert "10.06.2030" in text
    assert "nach dem 10.03.2030 bis zum 10.06.2030" in text
    quick_wins = re.search(r'<ul class="briefing-quick-wins">(.*?)</ul>', page.text, re.S)
    assert quick_wins
    assert "Online-Terminbuchung" in quick_wins.group(1)
    assert "Digitale Parkraumkarte" not in quick_wins.group(1)
    assert "Mehrwert für Bürgerdienste" in text_of(quick_wins.group(1))
    assert "Kürzere Wartezeiten" in text
    assert "Sensorik im Stadtpark" in text  # in progress
    assert "Sensoren bestellt" in text  # upcoming milestone
    assert "Heimlicher Entwurf" not in text
    assert f'src="/briefings/{story.second}/chart.svg"' in page.text
    assert '<caption id="status-caption">' in page.text  # the chart's table alternative


def test_the_first_briefing_covers_everything_up_to_its_day(
    client: FlaskClient, story: Story
) -> None:
    signed_in(client, "koordination")

    text = text_of(client.get(f"/briefings/{story.first}").text)

    assert "seit Beginn; keine frühere Runde" in text
    assert "Digitale Parkraumkarte" in text
    assert "Online-Terminbuchung" not in text.split("Maßnahmen in Umsetzung")[0]


def test_the_chart_is_an_svg_without_scripts(client: FlaskClient, story: Story) -> None:
    signed_in(client, "anna")

    chart = client.get(f"/briefings/{story.second}/chart.svg")

    assert chart.status_code == 200
    assert chart.mimetype == "image/svg+xml"
    assert b"<script" not in chart.data
    assert "Umgesetzt" in chart.text


def test_the_briefing_pdf_has_the_rounds_date_and_exactly_the_right_quick_wins(
    client: FlaskClient, story: Story
) -> None:
    signed_in(client, "anna")

    response = client.get(f"/briefings/{story.second}.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Sommerrunde" in text
    assert "10.06.2030" in text
    assert "Online-Terminbuchung" in text
    assert "Kürzere Wartezeiten" in text
    assert "Digitale Parkraumkarte" not in text  # implemented before the previous round
    assert "Heimlicher Entwurf" not in text  # unpublished
    assert "Luftschloss" not in text  # an idea


def test_the_first_rounds_pdf_lists_the_quick_win_of_february_only(
    client: FlaskClient, story: Story
) -> None:
    signed_in(client, "koordination")

    text = pdf_text(client.get(f"/briefings/{story.first}.pdf").data)

    assert "10.03.2030" in text
    assert "Digitale Parkraumkarte" in text
    quick_wins = text.split("Umgesetzte Quick Wins im Zeitraum")[1].split("Maßnahmen in Umsetzung")[
        0
    ]
    assert "Online-Terminbuchung" not in quick_wins


def test_a_published_measure_shows_its_public_facts_only(client: FlaskClient, story: Story) -> None:
    signed_in(client, "anna")

    page = client.get(f"/briefings/massnahmen/{story.april}")

    assert page.status_code == 200
    text = text_of(page.text)
    assert "Online-Terminbuchung" in text
    assert "Tiefbauamt" in text  # owner department
    assert "Ziel: Online-Terminbuchung" in text
    assert "Kürzere Wartezeiten" in text
    assert "/ideas/" not in page.text
    assert "/working-groups/" not in page.text


def test_an_unpublished_or_unknown_measure_is_not_found(client: FlaskClient, story: Story) -> None:
    signed_in(client, "anna")

    assert client.get(f"/briefings/massnahmen/{story.draft}").status_code == 404
    assert client.get(f"/briefings/massnahmen/{story.idea}").status_code == 404
    assert client.get(f"/briefings/{story.idea}").status_code == 404
    assert client.get(f"/briefings/{story.idea}.pdf").status_code == 404


def test_briefings_need_a_role(web_app: Flask, client: FlaskClient, story: Story) -> None:
    planner = web_app.extensions["ideation"]
    nobody = planner.register_person(
        story.cast.admin, "Nora Niemand", "nora@example.org", story.cast.citizens, []
    )
    planner.create_account(story.cast.admin, nobody, "nora", "Rathaus-Linde-Brunnen")
    signed_in(client, "nora")

    assert client.get("/briefings/").status_code == 403
    assert client.get(f"/briefings/{story.first}.pdf").status_code == 403


def test_signed_out_visitors_are_sent_to_the_login(client: FlaskClient, story: Story) -> None:
    response = client.get(f"/briefings/{story.first}.pdf")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
