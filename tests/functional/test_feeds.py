"""Staying informed: the Atom feeds (planner, department) and the printable digest."""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ideation.entrypoints.demo import SteppingClock
from tests.conftest import Cast
from tests.functional.conftest import PASSWORD, sign_in

NS = {"a": "http://www.w3.org/2005/Atom"}
ATOM = "application/atom+xml"


@dataclass(frozen=True)
class Story:
    cast: Cast
    trees: UUID  # Tiefbauamt, quick win implemented, benefit for the Bürgerdienste
    portal: UUID  # Bürgerdienste, rejected
    parking: UUID  # Tiefbauamt, parked
    bridge: UUID  # Tiefbauamt, accepted and implemented, but no quick win


@pytest.fixture
def planner(web_app: Flask):
    return web_app.extensions["ideation"]


def _version(planner, idea: UUID) -> int:
    return planner.get_idea(idea).version


@pytest.fixture
def story(planner, cast: Cast) -> Story:
    """One event a day from 2 to 20 March 2030, each at 10:00 German time."""
    planner.clock = SteppingClock(
        dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC), dt.timedelta(days=1)
    )
    trees = planner.submit_idea(
        cast.member, title="Bäume per Sensor bewässern", summary="Nur bei Bedarf gießen"
    )  # 2 March
    portal = planner.submit_idea(cast.other_member, title="Bürgerportal", summary="Online")  # 3
    planner.reject_idea(cast.coordinator, portal, 1, "Gibt es schon")  # 4 March
    planner.assess_idea(
        cast.coordinator, trees, 1, impact=4, effort=2, expected_weeks=8, rationale="Sichtbar"
    )  # 5 March
    planner.assign_idea_to_working_group(cast.coordinator, trees, 2, cast.group)  # 6 March
    measure = planner.accept_idea(cast.coordinator, trees, 3, "Günstig und sichtbar")  # 7, 8
    planner.report_progress(cast.group_member, measure, 1, 50)  # 9 March
    planner.implement_measure(
        cast.group_member, measure, 2, dt.date(2030, 3, 10), "Sensoren laufen"
    )  # 10 March
    planner.record_benefit(
        cast.group_member, measure, 3, cast.citizens, "Weniger Anrufe wegen trockener Bäume"
    )  # 11 March
    parking = planner.submit_idea(cast.member, title="Parkraum-Sensoren", summary="Freie Plätze")
    planner.park_idea(cast.coordinator, parking, 1, "Erst nach dem Haushalt")  # 13 March
    bridge = planner.submit_idea(cast.member, title="Brückenmonitoring", summary="Große Sache")
    planner.assess_idea(
        cast.coordinator, bridge, 1, impact=5, effort=5, expected_weeks=80, rationale="Groß"
    )  # 15 March
    planner.assign_idea_to_working_group(cast.coordinator, bridge, 2, cast.group)  # 16 March
    big = planner.accept_idea(cast.coordinator, bridge, 3, "Wichtig für die Sicherheit")  # 17, 18
    planner.report_progress(cast.group_member, big, 1, 50)  # 19 March
    planner.implement_measure(cast.group_member, big, 2, dt.date(2030, 3, 20), "Fertig")  # 20
    planner.clock = None
    return Story(cast, trees, portal, parking, bridge)


PLANNER_TITLES = [
    "Angenommen: Brückenmonitoring",
    "Neue Idee: Brückenmonitoring",
    "Zurückgestellt: Parkraum-Sensoren",
    "Neue Idee: Parkraum-Sensoren",
    "Quick Win umgesetzt: Bäume per Sensor bewässern",
    "Angenommen: Bäume per Sensor bewässern",
    "Abgelehnt: Bürgerportal",
    "Neue Idee: Bürgerportal",
    "Neue Idee: Bäume per Sensor bewässern",
]


def _feed(response) -> ET.Element:
    assert response.status_code == 200, response.text
    assert response.mimetype == ATOM
    return ET.fromstring(response.data)


def _titles(feed: ET.Element) -> list[str]:
    return [e.findtext("a:title", namespaces=NS) for e in feed.findall("a:entry", NS)]


def _entry(feed: ET.Element, title: str) -> ET.Element:
    return next(e for e in feed.findall("a:entry", NS) if e.findtext("a:title", "", NS) == title)


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    following = page.find("<h2", start)
    return page[start : following if following != -1 else len(page)]


# -- the planner's feed ---------------------------------------------------------------------


def test_the_planner_feed_lists_new_ideas_decisions_and_quick_wins_newest_first(
    client: FlaskClient, story: Story
) -> None:
    sign_in(client, "tim")

    feed = _feed(client.get("/feeds/planner.atom"))

    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.findtext("a:title", namespaces=NS) == "Ideen- und Maßnahmenplaner: Neuigkeiten"
    assert feed.findtext("a:updated", namespaces=NS) == "2030-03-17T09:00:00+00:00"
    assert feed.findtext("a:id", namespaces=NS) == "http://localhost/feeds/planner.atom"
    assert _titles(feed) == PLANNER_TITLES


def test_every_feed_entry_has_a_stable_id_a_date_a_link_to_the_idea_and_content(
    client: FlaskClient, story: Story
) -> None:
    sign_in(client, "tim")

    first = _feed(client.get("/feeds/planner.atom"))
    second = _feed(client.get("/feeds/planner.atom"))

    ids = [e.findtext("a:id", namespaces=NS) for e in first.findall("a:entry", NS)]
    assert ids == [e.findtext("a:id", namespaces=NS) for e in second.findall("a:entry", NS)]
    assert len(set(ids)) == len(ids) == 9
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i) for i in ids)
    for entry in first.findall("a:entry", NS):
        assert dt.datetime.fromisoformat(entry.findtext("a:updated", namespaces=NS)).tzinfo
        assert entry.findtext("a:content", namespaces=NS).strip()
    rejected = _entry(first, "Abgelehnt: Bürgerportal")
    assert rejected.find("a:link", NS).get("href") == f"http://localhost/ideas/{story.portal}"
    assert rejected.findtext("a:updated", namespaces=NS) == "2030-03-04T09:00:00+00:00"
    content = rejected.findtext("a:content", namespaces=NS)
    assert "Fachbereich: Bürgerdienste" in content
    assert "Begründung: Gibt es schon" in content
    quick_win = _entry(first, "Quick Win umgesetzt: Bäume per Sensor bewässern")
    assert quick_win.find("a:link", NS).get("href") == f"http://localhost/ideas/{story.trees}"
    assert quick_win.findtext("a:updated", namespaces=NS) == "2030-03-10T09:00:00+00:00"
    assert "Mehrwert für Bürgerdienste: Weniger Anrufe wegen trockener Bäume" in quick_win.findtext(
        "a:content", namespaces=NS
    )
    new_idea = _entry(first, "Neue Idee: Bäume per Sensor bewässern")
    assert "Nur bei Bedarf gießen" in new_idea.findtext("a:content", namespaces=NS)


# -- department feeds -----------------------------------------------------------------------


def test_a_department_feed_shows_its_ideas_decisions_and_quick_wins_and_nothing_else(
    client: FlaskClient, story: Story
) -> None:
    sign_in(client, "berta")

    feed = _feed(client.get(f"/feeds/fachbereiche/{story.cast.mobility}.atom"))

    assert feed.findtext("a:title", namespaces=NS) == "Tiefbauamt: Neuigkeiten"
    assert _titles(feed) == [t for t in PLANNER_TITLES if "Bürgerportal" not in t]


def test_a_department_feed_shows_the_quick_wins_that_brought_it_a_benefit(
    client: FlaskClient, story: Story
) -> None:
    sign_in(client, "tim")

    feed = _feed(client.get(f"/feeds/fachbereiche/{story.cast.citizens}.atom"))

    assert _titles(feed) == [
        "Quick Win umgesetzt: Bäume per Sensor bewässern",
        "Abgelehnt: Bürgerportal",
        "Neue Idee: Bürgerportal",
    ]


def test_a_department_without_news_gets_an_empty_valid_feed(
    client: FlaskClient, story: Story
) -> None:
    sign_in(client, "tim")

    feed = _feed(client.get(f"/feeds/fachbereiche/{story.cast.digital}.atom"))

    assert _titles(feed) == []
    assert feed.findtext("a:updated", namespaces=NS)


def test_an_unknown_department_has_no_feed(client: FlaskClient, story: Story) -> None:
    sign_in(client, "tim")

    response = client.get("/feeds/fachbereiche/00000000-0000-4000-8000-000000000000.atom")

    assert response.status_code == 404


# -- who may read the feeds ---------------------------------------------------------------


def test_a_feed_reader_with_a_bearer_token_gets_the_feed(
    web_app: Flask, client: FlaskClient, story: Story
) -> None:
    token = web_app.extensions["ideation"].issue_token("pruefung", PASSWORD).token

    response = client.get(
        f"/feeds/fachbereiche/{story.cast.citizens}.atom",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert len(_titles(_feed(response))) == 3


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer idt_falsch"}, {"Authorization": "Basic dGltOnRpbQ=="}],
    ids=["nothing", "wrong-token", "basic"],
)
def test_a_feed_without_a_session_or_valid_token_answers_401(
    client: FlaskClient, story: Story, headers: dict[str, str]
) -> None:
    for url in ("/feeds/planner.atom", f"/feeds/fachbereiche/{story.cast.mobility}.atom"):
        response = client.get(url, headers=headers)

        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="ideation"'
        assert "Bürgerportal" not in response.text
        assert "API-Token" in response.text


def test_a_token_in_the_url_does_not_count(
    web_app: Flask, client: FlaskClient, story: Story
) -> None:
    token = web_app.extensions["ideation"].issue_token("tim", PASSWORD).token

    response = client.get(f"/feeds/planner.atom?token={token}")

    assert response.status_code == 401


def test_a_revoked_token_no_longer_reads_the_feed(
    web_app: Flask, client: FlaskClient, story: Story
) -> None:
    ideation = web_app.extensions["ideation"]
    issued = ideation.issue_token("tim", PASSWORD)
    ideation.revoke_token(story.cast.member, issued.id)

    response = client.get(
        "/feeds/planner.atom", headers={"Authorization": f"Bearer {issued.token}"}
    )

    assert response.status_code == 401


# -- the digest ---------------------------------------------------------------------------


def test_the_digest_shows_exactly_the_items_of_the_chosen_period(
    client: FlaskClient, story: Story
) -> None:
    sign_in(client, "greta")

    page = client.get("/digest?date_from=2030-03-03&date_to=10.03.2030")

    assert page.status_code == 200
    text = text_of(page.text)
    assert "Zeitraum: 03.03.2030 bis 10.03.2030" in text
    ideas = text_of(_section(page.text, "ideas-heading"))
    assert "Neue Ideen (1)" in ideas
    assert "Bürgerportal" in ideas
    assert "Bäume" not in ideas
    assert "Parkraum" not in ideas
    decisions = text_of(_section(page.text, "decisions-heading"))
    assert "Entscheidungen (2)" in decisions
    assert "Bürgerportal Abgelehnt Bürgerdienste Gibt es schon" in decisions
    assert "Bäume per Sensor bewässern Angenommen Tiefbauamt Günstig und sichtbar" in decisions
    assert decisions.index("Bürgerportal") < decisions.index("Bäume")  # oldest first
    quick_wins = text_of(_section(page.text, "quick-wins-heading"))
    assert "Umgesetzte Quick Wins (1)" in quick_wins
    assert "Bürgerdienste: Weniger Anrufe wegen trockener Bäume" in quick_wins
    assert f'href="/ideas/{story.trees}"' in page.text
    assert 'href="/static/css/print.css" media="print"' in page.text


def test_the_digest_includes_both_end_days_in_german_time(
    client: FlaskClient, story: Story
) -> None:
    sign_in(client, "tim")

    page = client.get("/digest?date_from=2030-03-13&date_to=2030-03-13")

    text = text_of(page.text)
    assert "Neue Ideen (0)" in text
    assert "Entscheidungen (1)" in text
    assert "Zurückgestellt" in text
    assert "Erst nach dem Haushalt" in text
    assert "Umgesetzte Quick Wins (0)" in text
    assert "Keine umgesetzten Quick Wins in diesem Zeitraum." in text


def test_the_digest_shows_the_last_30_days_by_default(
    planner, client: FlaskClient, story: Story
) -> None:
    planner.clock = lambda: dt.datetime(2030, 4, 2, 12, 0, tzinfo=dt.UTC)
    sign_in(client, "tim")

    page = client.get("/digest")

    text = text_of(page.text)
    assert "Zeitraum: 04.03.2030 bis 02.04.2030" in text
    assert 'value="2030-03-04"' in page.text
    assert 'value="2030-04-02"' in page.text
    assert "Neue Ideen (2)" in text  # Parkraum, Brücke; not the two of 2 and 3 March
    assert "Entscheidungen (4)" in text
    assert "Umgesetzte Quick Wins (1)" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2030-02-30", "„2030-02-30“ ist kein gültiges Datum."),
        ("date_to=morgen", "„morgen“ ist kein gültiges Datum."),
        (
            "date_from=2030-03-10&date_to=2030-03-01",
            "Das Datum „bis“ darf nicht vor dem Datum „von“ liegen.",
        ),
        ("date_from=0001-01-01", "Bitte ein Datum zwischen den Jahren 1900 und 9998 angeben."),
        ("date_to=9999-12-31", "Bitte ein Datum zwischen den Jahren 1900 und 9998 angeben."),
    ],
)
def test_a_bad_date_gets_a_german_message_and_status_400(
    client: FlaskClient, story: Story, query: str, message: str
) -> None:
    sign_in(client, "tim")

    page = client.get(f"/digest?{query}")

    assert page.status_code == 400
    assert message in text_of(page.text)
    assert 'aria-invalid="true"' in page.text
    assert "Neue Ideen (" not in page.text


def test_the_digest_links_the_feeds_of_the_planner_and_each_department(
    client: FlaskClient, story: Story
) -> None:
    sign_in(client, "tim")

    page = client.get("/digest").text

    assert '<a rel="alternate" type="application/atom+xml" href="/feeds/planner.atom">' in page
    for department in (story.cast.digital, story.cast.mobility, story.cast.citizens):
        assert f'href="/feeds/fachbereiche/{department}.atom"' in page
    assert "token=" not in page


def test_signed_out_visitors_are_sent_from_the_digest_to_the_login(
    client: FlaskClient, story: Story
) -> None:
    response = client.get("/digest?date_from=2030-03-01")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("username", ["admin", "koordination", "pruefung"])
def test_every_planner_role_may_read_the_digest_and_the_feed(
    client: FlaskClient, story: Story, username: str
) -> None:
    sign_in(client, username)

    assert client.get("/digest").status_code == 200
    assert client.get("/feeds/planner.atom").status_code == 200
