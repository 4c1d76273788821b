"""The history page (Verlauf): timeline, filters, state after a step, Stand am, compare, print."""

from __future__ import annotations

import datetime as dt
import html
import re
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ideation.domain.clock import utc_now
from tests.conftest import Cast
from tests.functional.conftest import sign_in


class SteppingClock:
    """A clock that starts at a fixed past moment and moves one day per reading."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(days=1)
        return self.now


def text_of(page: str) -> str:
    """The visible text of a page, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def planner(web_app: Flask):
    return web_app.extensions["ideation"]


@pytest.fixture
def idea(planner, cast: Cast) -> UUID:
    """An idea with a revision, a comment, an assessment, a meeting and a measure."""
    planner.clock = SteppingClock(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC))
    idea = planner.submit_idea(
        cast.member,
        title="Bäume per Sensor bewässern",
        summary="Bodenfeuchte messen und nur bei Bedarf gießen",
        themes=["Umwelt"],
    )  # 2 March
    planner.revise_idea(
        cast.member,
        idea,
        1,
        {"summary": "Bodenfeuchte an Straßenbäumen messen und nur bei Bedarf gießen"},
        "Straßenbäume präzisiert",
    )  # 3 March
    planner.comment_on_idea(cast.other_member, idea, 2, "Das spart Wasser.")  # 4 March
    planner.assess_idea(
        cast.coordinator, idea, 3, impact=4, effort=2, expected_weeks=8, rationale="Klein, sichtbar"
    )  # 5 March
    planner.assign_idea_to_working_group(cast.coordinator, idea, 4, cast.group)  # 6 March
    group_version = planner.get_working_group(cast.group).version
    planner.record_meeting(
        cast.group_member,
        cast.group,
        group_version,
        held_on=dt.date(2026, 3, 7),
        format="online",
        notes="Pilot an zehn Bäumen besprochen",
        idea_ids=[idea],
    )  # 7 March
    planner.recommend(cast.group_member, idea, 5, "accept", "Pilot lohnt sich")  # 8 March
    measure = planner.accept_idea(cast.coordinator, idea, 6, "Quick Win")  # 9 March (2 events)
    planner.report_progress(cast.group_member, measure, 1, 40, "Sensoren bestellt")
    planner.clock = utc_now
    return idea


def test_the_timeline_lists_every_step_in_order_with_person_role_and_reason(
    client: FlaskClient, cast: Cast, idea: UUID
) -> None:
    sign_in(client, "pruefung")
    page = client.get(f"/ideas/{idea}/history/")
    assert page.status_code == 200
    text = text_of(page.text)
    labels = [
        "Idee eingereicht",
        "Idee überarbeitet",
        "Kommentar",
        "Bewertet",
        "an Arbeitsgruppe übergeben",
        "Sitzung protokolliert",
        "Empfehlung der Arbeitsgruppe",
        "Angenommen",
        "Maßnahme geplant",
        "Fortschritt gemeldet",
    ]
    headings = re.findall(r'<h3 id="step-\d+">([^<]+)</h3>', page.text)
    assert [html.unescape(h) for h in headings] == labels
    assert "10 Schritte, älteste zuerst" in text
    assert "02.03.2026, 10:00 – Tim Tiefbau, Tiefbauamt, als Mitarbeitende" in text
    assert "Clara Koordination, Stabsstelle Digitalisierung, als Smart-City-Koordination" in text
    assert "Begründung: Pilot lohnt sich" in text
    assert "Begründung: Quick Win" in text
    # The revision shows the change as words removed and added, announced in text.
    assert "[hinzugefügt: an Straßenbäumen ]" in text or "[hinzugefügt: an Straßenbäumen" in text
    assert "<ins>" in page.text
    assert "Hinweis Straßenbäume präzisiert" in text
    assert "Protokoll Pilot an zehn Bäumen besprochen" in text


def test_the_timeline_filters_by_kind_and_shows_newest_first(
    client: FlaskClient, cast: Cast, idea: UUID
) -> None:
    sign_in(client, "tim")
    decisions = client.get(f"/ideas/{idea}/history/?kind=decisions&order=desc").text
    headings = [html.unescape(h) for h in re.findall(r'<h3 id="step-\d+">([^<]+)</h3>', decisions)]
    assert headings == [
        "Angenommen",
        "Empfehlung der Arbeitsgruppe",
        "Sitzung protokolliert",
        "an Arbeitsgruppe übergeben",
        "Bewertet",
    ]
    assert "5 von 10 Schritten (gefiltert: Entscheidungen)" in text_of(decisions)
    comments = client.get(f"/ideas/{idea}/history/?kind=comments").text
    assert re.findall(r'<h3 id="step-\d+">([^<]+)</h3>', comments) == ["Kommentar"]
    measure = client.get(f"/ideas/{idea}/history/?kind=measure").text
    assert re.findall(r'<h3 id="step-\d+">([^<]+)</h3>', measure) == [
        "Maßnahme geplant",
        "Fortschritt gemeldet",
    ]


def test_each_step_links_to_the_idea_as_it_was_right_after_it(
    client: FlaskClient, cast: Cast, idea: UUID
) -> None:
    sign_in(client, "tim")
    page = client.get(f"/ideas/{idea}/history/").text
    links = re.findall(r'href="([^"]+/history/as-of\?[^"]+)"', page)
    assert len(links) == 10
    after_submit = text_of(client.get(html.unescape(links[0])).text)
    assert "Stand nach Schritt 1 der Idee" in after_submit
    assert "Bodenfeuchte messen und nur bei Bedarf gießen" in after_submit
    assert "Noch nicht bewertet." in after_submit
    assert "Eingereicht" in after_submit
    after_accept = text_of(client.get(html.unescape(links[7])).text)
    assert "Angenommen" in after_accept
    assert "Quick Win" in after_accept


def test_the_stand_am_picker_shows_the_idea_at_the_end_of_a_day(
    client: FlaskClient, cast: Cast, idea: UUID
) -> None:
    sign_in(client, "tim")
    on_the_4th = text_of(client.get(f"/ideas/{idea}/history/as-of?date=2026-03-04").text)
    assert "Stand am 04.03.2026 (Tagesende)" in on_the_4th
    assert "an Straßenbäumen" in on_the_4th
    assert "1 Kommentar bis dahin" in on_the_4th
    assert "Noch nicht bewertet." in on_the_4th

    typed = text_of(client.get(f"/ideas/{idea}/history/as-of?date=4.3.2026").text)
    assert "Stand am 04.03.2026 (Tagesende)" in typed

    before = client.get(f"/ideas/{idea}/history/as-of?date=2026-01-01")
    assert before.status_code == 404
    assert "Die Idee gab es zu diesem Zeitpunkt noch nicht." in before.text
    bad = client.get(f"/ideas/{idea}/history/as-of?date=31.02.2026")
    assert bad.status_code == 400
    assert "Bitte ein gültiges Datum im Format JJJJ-MM-TT angeben." in bad.text


def test_the_compare_view_marks_what_changed_between_two_versions(
    client: FlaskClient, cast: Cast, idea: UUID
) -> None:
    sign_in(client, "tim")
    page = client.get(f"/ideas/{idea}/history/compare?older=1&newer=4")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Kurzbeschreibung" in text
    assert "[hinzugefügt: an Straßenbäumen" in text
    assessed = text_of(client.get(f"/ideas/{idea}/history/compare?older=3&newer=4").text)
    assert "hinzugefügt: Wirkung 4, Aufwand 2, 8 Wochen: Klein, sichtbar" in assessed
    assert "hinzugefügt: In Prüfung" in assessed
    same = text_of(client.get(f"/ideas/{idea}/history/compare?older=2&newer=3").text)
    assert "hat sich der Inhalt nicht geändert" in same
    # From the timeline a link leads to the compare page, which first compares the first
    # version with the newest.
    timeline = client.get(f"/ideas/{idea}/history/").text
    assert f'href="/ideas/{idea}/history/compare"' in timeline
    first_with_newest = client.get(f"/ideas/{idea}/history/compare")
    assert first_with_newest.status_code == 200
    assert "[hinzugefügt: an Straßenbäumen" in text_of(first_with_newest.text)
    assert '<option selected value="1">' in first_with_newest.text
    wrong = client.get(f"/ideas/{idea}/history/compare?older=4&newer=1")
    assert wrong.status_code == 400
    assert "Die ältere Version muss vor der neueren liegen." in wrong.text


def test_the_history_has_a_print_stylesheet_and_unknown_ideas_are_not_found(
    client: FlaskClient, cast: Cast, idea: UUID
) -> None:
    sign_in(client, "tim")
    page = client.get(f"/ideas/{idea}/history/").text
    assert 'href="/static/css/print.css" media="print"' in page
    css = client.get("/static/css/print.css").text
    assert ".history-tools" in css
    assert "display: none" in css
    assert client.get(f"/ideas/{UUID(int=0)}/history/").status_code == 404


def test_a_person_whose_data_was_erased_appears_as_deleted_person(
    client: FlaskClient, cast: Cast, idea: UUID, planner
) -> None:
    # The events keep only ids; without the directory row the history names nobody.
    planner.directory.remove(cast.other_member)
    sign_in(client, "tim")
    german = text_of(client.get(f"/ideas/{idea}/history/?kind=comments").text)
    assert "– gelöschte Person, Bürgerdienste, als Mitarbeitende" in german
    assert "Berta" not in german
    page = client.get("/ideas/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/sprache", data={"locale": "en", "next": "/", "csrf_token": token})
    english = text_of(client.get(f"/ideas/{idea}/history/?kind=comments").text)
    assert "deleted person" in english


def test_a_long_timeline_is_read_page_by_page_in_either_order(
    client: FlaskClient, planner, cast: Cast
) -> None:
    # An idea with 60 comments: 61 steps, so two pages of at most 50.
    idea = planner.submit_idea(cast.member, title="Lange Debatte", summary="Viele Kommentare")
    for number in range(1, 61):
        planner.comment_on_idea(cast.other_member, idea, number, f"Beitrag {number}")
    sign_in(client, "tim")

    first = client.get(f"/ideas/{idea}/history/")
    assert first.status_code == 200
    assert len(re.findall(r'<h3 id="step-\d+">', first.text)) == 50
    assert "61 Schritte, älteste zuerst; hier Schritt 1 bis 50" in text_of(first.text)
    assert "Seite 1 von 2" in text_of(first.text)
    assert "Beitrag 49" in first.text
    assert "Beitrag 50" not in first.text
    # Comments change no compared content: with nothing but comments there is nothing to compare.
    assert "Versionen vergleichen" not in first.text

    second = client.get(f"/ideas/{idea}/history/?page=2")
    assert len(re.findall(r'<h3 id="step-\d+">', second.text)) == 11
    assert 'start="51"' in second.text
    assert "Beitrag 60" in second.text
    assert "Beitrag 49" not in second.text
    assert 'rel="prev"' in second.text

    # Newest first, the filter and order stay in the page links.
    newest = client.get(f"/ideas/{idea}/history/?order=desc&kind=comments")
    assert "Beitrag 60" in newest.text
    assert "Beitrag 10" not in newest.text
    assert "page=2" in newest.text
    assert "order=desc" in newest.text
    assert "kind=comments" in newest.text

    # A page past the end shows the last page; a page that is no number says so.
    assert "Beitrag 60" in client.get(f"/ideas/{idea}/history/?page=7").text
    wrong = client.get(f"/ideas/{idea}/history/?page=zwei")
    assert wrong.status_code == 400
    assert "Die Seitenzahl muss eine ganze Zahl ab 1 sein." in text_of(wrong.text)
