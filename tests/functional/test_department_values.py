"""Value per department (Mehrwerte): the list of departments, a department's page, the API."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from uuid import UUID, uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ideation.entrypoints.demo import SteppingClock
from tests.conftest import Cast
from tests.functional.conftest import ApiClient, assert_api_error, sign_in

ACCOUNTS = ("admin", "koordination", "tim", "berta", "greta", "pruefung")


def text_of(page: str) -> str:
    """The visible text of a page, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def benefit_items(page: str) -> list[str]:
    """The list items of the department's benefits, in page order."""
    return re.findall(r'<li class="department-benefit">.*?</li>', page, flags=re.S)


def figures(page: str) -> dict[str, str]:
    """The department page's figures: label → number as shown."""
    block = re.search(r'<dl class="facts department-figures">(.*?)</dl>', page, flags=re.S)
    assert block
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block.group(1))
    return {html.unescape(k): v for k, v in pairs}


def table_row(page: str, department_id: UUID) -> list[str]:
    """The numbers of a department's row in a table whose name links to its page."""
    row = re.search(
        rf'<tr>\s*<th scope="row"><a href="/fachbereiche/{department_id}">.*?</tr>',
        page,
        flags=re.S,
    )
    assert row, department_id
    return re.findall(r'<td class="number">([^<]*)</td>', row.group(0))


@dataclass(frozen=True)
class Story:
    cast: Cast
    parking_idea: UUID
    parking: UUID  # measure of the Tiefbauamt (quick win)
    booking_idea: UUID
    booking: UUID  # measure of the Bürgerdienste (no quick win)


@pytest.fixture
def planner(web_app: Flask):
    return web_app.extensions["ideation"]


def _v(planner, idea: UUID) -> int:
    return planner.get_idea(idea).version


def _m(planner, measure: UUID) -> int:
    return planner.get_measure(measure).version


def _accepted(planner, cast: Cast, member: UUID, title: str, effort: int, weeks: int) -> UUID:
    idea = planner.submit_idea(member, title=title, summary="Kurz beschrieben")
    planner.assess_idea(
        cast.coordinator,
        idea,
        _v(planner, idea),
        impact=4,
        effort=effort,
        expected_weeks=weeks,
        rationale="Gut",
    )
    planner.assign_idea_to_working_group(cast.coordinator, idea, _v(planner, idea), cast.group)
    planner.recommend(cast.group_member, idea, _v(planner, idea), "accept", "Lohnt sich")
    return idea


@pytest.fixture
def story(planner, cast: Cast) -> Story:
    """Two measures; three benefits, two of them for the Bürgerdienste, one minute apart."""
    planner.clock = SteppingClock(
        dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC), dt.timedelta(minutes=1)
    )
    parking_idea = _accepted(planner, cast, cast.member, "Digitale Parkraumkarte", 1, 4)
    planner.pledge_support(
        cast.other_member, parking_idea, _v(planner, parking_idea), "Wir helfen mit"
    )
    parking = planner.accept_idea(
        cast.coordinator, parking_idea, _v(planner, parking_idea), "Quick Win"
    )
    booking_idea = _accepted(planner, cast, cast.other_member, "Online-Terminbuchung", 5, 40)
    booking = planner.accept_idea(
        cast.coordinator, booking_idea, _v(planner, booking_idea), "Wichtig"
    )
    planner.report_progress(cast.group_member, parking, _m(planner, parking), 50, "Karte läuft")
    planner.report_progress(cast.group_member, booking, _m(planner, booking), 20, "Ausschreibung")
    planner.record_benefit(
        cast.group_member,
        parking,
        _m(planner, parking),
        cast.citizens,
        "Weniger Anrufe zu Parkplätzen",
    )
    planner.record_benefit(
        cast.group_member,
        parking,
        _m(planner, parking),
        cast.mobility,
        "Bessere Auslastung der Parkhäuser",
    )
    planner.record_benefit(
        cast.group_member,
        booking,
        _m(planner, booking),
        cast.citizens,
        "Kürzere Wartezeiten im Bürgerbüro",
    )
    planner.clock = None
    return Story(cast, parking_idea, parking, booking_idea, booking)


def signed_in(client: FlaskClient, username: str) -> FlaskClient:
    assert sign_in(client, username).status_code == 302
    return client


# -- a department's page ---------------------------------------------------------------------


def test_a_departments_page_lists_only_its_own_benefits_newest_first_with_their_measures(
    client: FlaskClient, story: Story
) -> None:
    response = signed_in(client, "tim").get(f"/fachbereiche/{story.cast.citizens}")

    assert response.status_code == 200
    page = response.text
    assert "<h1>Mehrwerte für Bürgerdienste</h1>" in page
    items = benefit_items(page)
    assert len(items) == 2
    assert "Kürzere Wartezeiten im Bürgerbüro" in items[0]
    assert "Online-Terminbuchung" in items[0]
    assert f'href="/measures/{story.booking}"' in items[0]
    assert f'href="/ideas/{story.booking_idea}"' in items[0]
    assert "Weniger Anrufe zu Parkplätzen" in items[1]
    assert "Digitale Parkraumkarte" in items[1]
    assert f'href="/measures/{story.parking}"' in items[1]
    assert f'href="/ideas/{story.parking_idea}"' in items[1]
    assert "Bessere Auslastung der Parkhäuser" not in page


def test_each_benefit_shows_when_it_was_recorded_the_measures_stage_owner_and_quick_win(
    client: FlaskClient, story: Story
) -> None:
    items = benefit_items(
        signed_in(client, "berta").get(f"/fachbereiche/{story.cast.citizens}").text
    )

    newest, older = (text_of(item) for item in items)
    # 09:18 and 09:16 UTC are 10:18 and 10:16 in Berlin.
    assert "Festgehalten am 01.03.2030, 10:18" in newest
    assert "Stand der Maßnahme In Umsetzung" in newest
    assert "Verantwortlich Bürgerdienste" in newest
    assert "Quick Win" not in newest
    assert "Festgehalten am 01.03.2030, 10:16" in older
    assert "Stand der Maßnahme In Umsetzung Quick Win" in older
    assert "Verantwortlich Tiefbauamt" in older


def test_a_departments_page_shows_its_figures_from_the_scripted_history(
    client: FlaskClient, story: Story
) -> None:
    client = signed_in(client, "greta")

    citizens = figures(client.get(f"/fachbereiche/{story.cast.citizens}").text)
    mobility = figures(client.get(f"/fachbereiche/{story.cast.mobility}").text)

    assert citizens == {
        "Ideen eingereicht": "1",
        "Mitwirkungen": "1",
        "Maßnahmen verantwortet": "1",
        "Mehrwerte erhalten": "2",
    }
    assert mobility == {
        "Ideen eingereicht": "1",
        "Mitwirkungen": "0",
        "Maßnahmen verantwortet": "1",
        "Mehrwerte erhalten": "1",
    }


def test_a_department_without_benefits_says_why_its_list_is_empty(
    client: FlaskClient, story: Story
) -> None:
    page = signed_in(client, "pruefung").get(f"/fachbereiche/{story.cast.digital}").text

    assert benefit_items(page) == []
    empty = re.search(r'<p class="empty">(.*?)</p>', page, flags=re.S)
    assert empty
    assert "Für Stabsstelle Digitalisierung wurde noch kein Mehrwert festgehalten." in text_of(
        empty.group(1)
    )
    assert "sobald die Maßnahme in Umsetzung oder umgesetzt ist" in text_of(empty.group(1))
    assert figures(page)["Mehrwerte erhalten"] == "0"


def test_an_unknown_department_is_not_found(client: FlaskClient, cast: Cast) -> None:
    assert signed_in(client, "tim").get(f"/fachbereiche/{uuid4()}").status_code == 404


# -- the list and the dashboard --------------------------------------------------------------


def test_the_list_shows_every_department_with_its_figures_linked_to_its_page(
    client: FlaskClient, story: Story
) -> None:
    response = signed_in(client, "koordination").get("/fachbereiche/")

    assert response.status_code == 200
    page = response.text
    assert "<h1>Fachbereiche und ihre Mehrwerte</h1>" in page
    assert table_row(page, story.cast.citizens) == ["1", "1", "1", "2"]
    assert table_row(page, story.cast.mobility) == ["1", "0", "1", "1"]
    assert table_row(page, story.cast.digital) == ["0", "0", "0", "0"]
    assert page.count('<th scope="row"><a href="/fachbereiche/') == 3


def test_the_dashboard_links_each_department_to_its_page_with_the_benefits_received(
    client: FlaskClient, story: Story
) -> None:
    page = signed_in(client, "berta").get("/").text
    section = re.search(
        r'<section[^>]*aria-labelledby="departments-heading".*?</section>', page, flags=re.S
    )

    assert section
    assert "Mehrwerte erhalten" in section.group(0)
    assert table_row(section.group(0), story.cast.citizens) == ["1", "1", "1", "2"]
    assert table_row(section.group(0), story.cast.mobility) == ["1", "0", "1", "1"]
    assert 'href="/fachbereiche/"' in section.group(0)


# -- who may look ----------------------------------------------------------------------------


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_signed_in_role_can_read_the_list_and_a_departments_page(
    client: FlaskClient, story: Story, username: str
) -> None:
    client = signed_in(client, username)

    assert client.get("/fachbereiche/").status_code == 200
    page = client.get(f"/fachbereiche/{story.cast.citizens}")
    assert page.status_code == 200
    assert len(benefit_items(page.text)) == 2


@pytest.mark.parametrize("path", ["/fachbereiche/", "/fachbereiche/{id}"])
def test_an_anonymous_visitor_is_sent_to_the_login(
    client: FlaskClient, cast: Cast, path: str
) -> None:
    response = client.get(path.format(id=cast.citizens))

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# -- the API ---------------------------------------------------------------------------------


def test_the_api_answers_the_same_benefits_newest_first_with_the_figures(
    api: ApiClient, story: Story, planner
) -> None:
    response = api.get(f"/departments/{story.cast.citizens}/benefits", as_="tim")

    assert response.status_code == 200
    body = response.get_json()
    assert body["department"] == {
        "id": str(story.cast.citizens),
        "version": planner.get_department(story.cast.citizens).version,
        "name": "Bürgerdienste",
        "short_name": "33",
        "kind": "administration",
        "ideas_submitted": 1,
        "supports_pledged": 1,
        "measures_owned": 1,
        "benefits_received": 2,
    }
    assert [item["description"] for item in body["items"]] == [
        "Kürzere Wartezeiten im Bürgerbüro",
        "Weniger Anrufe zu Parkplätzen",
    ]
    newest, older = body["items"]
    assert newest["measure_id"] == str(story.booking)
    assert newest["measure_title"] == "Online-Terminbuchung"
    assert newest["measure_status"] == "in_progress"
    assert newest["quick_win"] is False
    assert newest["idea_id"] == str(story.booking_idea)
    assert newest["owner_department_id"] == str(story.cast.citizens)
    assert newest["measure_version"] == 3
    assert newest["recorded_at"].startswith("2030-03-01T09:18")
    assert older["measure_id"] == str(story.parking)
    assert older["quick_win"] is True
    assert older["owner_department_id"] == str(story.cast.mobility)


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_role_can_read_the_benefits_through_the_api(
    api: ApiClient, story: Story, username: str
) -> None:
    response = api.get(f"/departments/{story.cast.mobility}/benefits", as_=username)

    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [item["description"] for item in items] == ["Bessere Auslastung der Parkhäuser"]


def test_the_api_answers_an_empty_list_for_a_department_without_benefits(
    api: ApiClient, story: Story
) -> None:
    body = api.get(f"/departments/{story.cast.digital}/benefits").get_json()

    assert body["items"] == []
    assert body["department"]["benefits_received"] == 0


def test_the_api_answers_404_for_an_unknown_department_and_401_without_a_token(
    api: ApiClient, cast: Cast
) -> None:
    assert_api_error(api.get(f"/departments/{uuid4()}/benefits"), 404, "not_found")
    assert_api_error(
        api.get(f"/departments/{cast.citizens}/benefits", as_=None), 401, "unauthenticated"
    )
