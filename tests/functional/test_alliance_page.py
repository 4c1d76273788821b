"""The alliance page (/allianz/): period form, chart, ranking table, not reached, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ideation.readmodels.alliance import default_period
from tests.conftest import Cast
from tests.functional.conftest import PASSWORD, sign_in
from tests.integration.test_alliance import History, script_history

READERS = ("admin", "koordination", "tim", "greta", "pruefung")
YEAR = "/allianz/?from=2030-01-01&to=2030-12-31"
SPRING = "/allianz/?from=2030-02-01&to=2030-03-31"


def text_of(page: str) -> str:
    """The visible text of a page, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def section(page: str, heading_id: str) -> str:
    """The <section> labelled by the heading with this id."""
    found = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page, flags=re.S)
    assert found, heading_id
    return found.group(1)


def ranking_rows(page: str) -> list[list[str]]:
    """The ranking table's body rows as visible cell texts (rank, name, six counts, …)."""
    body = re.search(r'<table class="alliance-ranking">.*?<tbody>(.*?)</tbody>', page, flags=re.S)
    assert body
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), flags=re.S)
    return [
        [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        for row in rows
    ]


def input_value(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert found, name
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


@pytest.fixture
def history(web_app: Flask, cast: Cast) -> History:
    return script_history(web_app.extensions["ideation"], cast)


def signed_in(client: FlaskClient, username: str) -> FlaskClient:
    assert sign_in(client, username).status_code == 302
    return client


@pytest.mark.parametrize("username", READERS)
def test_every_reading_role_sees_the_chart_and_the_ranking_table(
    client: FlaskClient, history: History, username: str
) -> None:
    response = signed_in(client, username).get(YEAR)

    assert response.status_code == 200
    page = response.text
    assert "<h1>Allianz der Willigen</h1>" in page
    assert 'src="/allianz/diagramm.svg?from=2030-01-01&amp;to=2030-12-31"' in page
    assert re.search(r'<img [^>]*alt="Gestapeltes Balkendiagramm: [^"]+"', page)
    assert re.search(r"<caption[^>]*>Rangfolge der Fachbereiche", page)
    assert [row[1] for row in ranking_rows(page)] == [
        "Bürgerdienste (33)",
        "Tiefbauamt (66)",
        "Stabsstelle Digitalisierung (DIG)",
        "Stadtwerke (SW)",
    ]


def test_the_ranking_table_shows_the_six_counts_the_score_the_rank_and_the_reach(
    client: FlaskClient, history: History
) -> None:
    page = signed_in(client, "tim").get(SPRING).text

    assert ranking_rows(page) == [
        ["1", "Tiefbauamt (66)", "0", "1", "1", "1", "1", "0", "4", "ja"],
        ["2", "Bürgerdienste (33)", "0", "0", "1", "0", "0", "0", "1", "nicht im Zeitraum"],
        ["2", "Stabsstelle Digitalisierung (DIG)", "0", "0", "0", "1", "0", "0", "1", "ja"],
        ["4", "Stadtwerke (SW)", "0", "0", "0", "0", "0", "0", "0", "noch nie"],
    ]
    table = re.search(r'<table class="alliance-ranking">.*?</table>', page, flags=re.S).group(0)
    headers = re.findall(r'<th scope="col"( class="number")?>([^<]*)</th>', table)
    assert [h[1] for h in headers] == [
        "Rang",
        "Fachbereich",
        "Ideen eingereicht",
        "Mitwirkungen zugesagt",
        "Sitze in Arbeitsgruppen",
        "Austauschformate besucht",
        "Maßnahmen verantwortet",
        "Mehrwerte erhalten",
        "Punkte",
        "Durch Austauschformate erreicht",
    ]
    texts = {"Fachbereich", "Durch Austauschformate erreicht"}
    assert all(h[0] for h in headers if h[1] not in texts)  # numbers are right-aligned
    assert '<th scope="row">Alle zusammen</th>' in table
    assert "1 von 4 Fachbereichen hat sich beteiligt" not in text_of(page)
    assert "3 von 4 Fachbereichen haben sich beteiligt." in text_of(page)


def test_department_names_link_to_their_pages_and_the_exchange_formats_are_linked(
    client: FlaskClient, history: History
) -> None:
    cast = history.cast
    page = signed_in(client, "greta").get(YEAR).text

    for department in (cast.digital, cast.mobility, cast.citizens, history.utilities):
        assert f'<a href="/fachbereiche/{department}">' in page
    assert '<a href="/austausch/">Zu den Austauschformaten</a>' in page
    assert 'href="/allianz/allianz.csv?from=2030-01-01&amp;to=2030-12-31"' in page


def test_the_departments_not_reached_in_the_period_are_listed_and_never_reached_is_marked(
    client: FlaskClient, history: History
) -> None:
    spring = section(signed_in(client, "pruefung").get(SPRING).text, "not-reached-heading")
    year = section(client.get(YEAR).text, "not-reached-heading")

    assert spring.count("<h2") == 1  # only its own heading
    items = [text_of(i) for i in re.findall(r"<li>(.*?)</li>", spring, flags=re.S)]
    assert items == ["Bürgerdienste – früher schon erreicht", "Stadtwerke – noch nie erreicht"]
    assert [text_of(i) for i in re.findall(r"<li>(.*?)</li>", year, flags=re.S)] == [
        "Stadtwerke – noch nie erreicht"
    ]


def test_the_period_form_keeps_the_chosen_period_and_offers_quick_choices(
    client: FlaskClient, history: History
) -> None:
    page = signed_in(client, "koordination").get("/allianz/?from=01.02.2030&to=31.03.2030").text

    assert '<label for="from">Von</label>' in page
    assert '<label for="to">Bis</label>' in page
    assert input_value(page, "from") == "2030-02-01"
    assert input_value(page, "to") == "2030-03-31"
    assert "Zeitraum: 01.02.2030 bis 31.03.2030 (beide Tage eingeschlossen)." in text_of(page)
    choices = re.search(r'<ul class="alliance-quick-choices"[^>]*>(.*?)</ul>', page, flags=re.S)
    labels = [text_of(a) for a in re.findall(r"<a [^>]*>(.*?)</a>", choices.group(1))]
    assert labels == ["letzte 3 Monate", "letzte 12 Monate", "dieses Jahr", "letztes Jahr"]
    assert "aria-current" not in choices.group(1)


def test_without_a_period_the_last_twelve_months_are_shown_and_that_choice_is_current(
    client: FlaskClient, history: History
) -> None:
    today = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    start, end = default_period(today)

    page = signed_in(client, "tim").get("/allianz/").text

    assert input_value(page, "from") == start.isoformat()
    assert input_value(page, "to") == end.isoformat()
    current = re.findall(r'<a href="([^"]*)" aria-current="true">([^<]*)</a>', page)
    assert [label for _, label in current] == ["letzte 12 Monate"]
    assert html.unescape(current[0][0]) == f"/allianz/?from={start}&to={end}"


@pytest.mark.parametrize(
    ("query", "message", "field"),
    [
        ("from=2030-03-01&to=2030-02-01", "„bis“ darf nicht vor dem Datum „von“ liegen.", "to"),
        ("from=2010-01-01&to=2030-12-31", "Der Zeitraum darf höchstens zehn Jahre umfassen.", "to"),
        ("from=morgen&to=2030-02-01", "Bitte für „von“ ein gültiges Datum angeben", "from"),
        ("from=2030-01-01&to=2030-02-30", "Bitte für „bis“ ein gültiges Datum angeben", "to"),
    ],
)
def test_a_bad_period_shows_a_german_message_at_the_field_instead_of_the_ranking(
    client: FlaskClient, history: History, query: str, message: str, field: str
) -> None:
    response = signed_in(client, "tim").get(f"/allianz/?{query}")

    assert response.status_code == 400
    page = response.text
    assert '<div class="error-summary" role="alert"' in page
    assert message in html.unescape(page)
    assert re.search(rf'<input[^>]*aria-invalid="true"[^>]*name="{field}"', page) or re.search(
        rf'<input[^>]*name="{field}"[^>]*aria-invalid="true"', page
    )
    assert "alliance-ranking" not in page
    assert "diagramm.svg" not in page


def test_the_chart_is_an_svg_without_scripts_naming_every_department_and_kind(
    client: FlaskClient, history: History
) -> None:
    client = signed_in(client, "pruefung")

    response = client.get("/allianz/diagramm.svg?from=2030-01-01&to=2030-12-31")

    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "style-src 'unsafe-inline'" in response.headers["Content-Security-Policy"]
    svg = response.text
    assert "<script" not in svg
    for name in ("Bürgerdienste", "Tiefbauamt", "Stabsstelle Digitalisierung", "Stadtwerke"):
        assert name in svg
    for kind in ("Ideen eingereicht", "Austauschformate besucht", "Mehrwerte erhalten"):
        assert kind in svg
    assert "Engagement je Fachbereich, 01.01.2030 bis 31.12.2030" in svg
    bad = client.get("/allianz/diagramm.svg?from=2030-02-01&to=2030-01-01")
    assert bad.status_code == 400


def test_the_table_downloads_as_csv_for_the_same_period(
    client: FlaskClient, history: History
) -> None:
    response = signed_in(client, "tim").get("/allianz/allianz.csv?from=2030-02-01&to=2030-03-31")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="allianz-2030-02-01-2030-03-31.csv"' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["Rang", "Fachbereich", "Kürzel", "Art"]
    assert rows[0][-5:] == ["Punkte", "Im Zeitraum erreicht", "Je erreicht", "Von", "Bis"]
    assert rows[1] == [
        "1",
        "Tiefbauamt",
        "66",
        "Fachbereich / Amt",
        "0",
        "1",
        "1",
        "1",
        "1",
        "0",
        "4",
        "ja",
        "ja",
        "2030-02-01",
        "2030-03-31",
    ]
    assert rows[4][:4] == ["4", "Stadtwerke", "SW", "Kommunalunternehmen"]
    assert rows[4][-4:] == ["nein", "nein", "2030-02-01", "2030-03-31"]
    assert client.get("/allianz/allianz.csv?from=2030-02-01&to=2029-01-01").status_code == 400


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient, history: History) -> None:
    for path in (YEAR, "/allianz/diagramm.svg", "/allianz/allianz.csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_an_ambassador_is_refused_the_alliance_page_its_chart_and_csv(
    web_app: Flask, client: FlaskClient, history: History
) -> None:
    planner = web_app.extensions["ideation"]
    anna = planner.register_person(
        history.cast.admin,
        "Anna Botschaft",
        "anna@example.org",
        history.cast.citizens,
        ["ambassador"],
    )
    planner.create_account(history.cast.admin, anna, "anna", PASSWORD)
    client = signed_in(client, "anna")

    for path in (YEAR, "/allianz/diagramm.svg", "/allianz/allianz.csv"):
        assert client.get(path).status_code == 403, path
