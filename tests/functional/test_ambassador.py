"""An ambassador (digital-policy speaker of a faction) reads briefings and never writes.

An ambassador-only person reaches the briefings, published measures, their own access page,
the sign-in and the legal pages; everything else answers 403, in the pages, the feeds and
the API. Unpublished drafts (ideas at any stage, measures without goals) never show.
"""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Cast
from tests.functional.conftest import PASSWORD, ApiClient, assert_api_error, sign_in
from tests.functional.political_story import Story, make_story

DRAFTS = ("Heimlicher Entwurf", "Luftschloss", "Noch geheim", "Geheimer")


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


@pytest.fixture
def anna(client: FlaskClient, story: Story) -> FlaskClient:
    assert sign_in(client, "anna").status_code == 302
    return client


def test_the_start_page_sends_an_ambassador_to_the_briefings(anna: FlaskClient) -> None:
    response = anna.get("/")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/briefings/")


def test_an_ambassador_reads_briefings_pdfs_and_published_measures(
    anna: FlaskClient, story: Story
) -> None:
    for path in (
        "/briefings/",
        f"/briefings/{story.first}",
        f"/briefings/{story.second}",
        f"/briefings/{story.second}/chart.svg",
        f"/briefings/{story.second}.pdf",
        "/briefings/massnahmen",
        f"/briefings/massnahmen/{story.april}",
        f"/briefings/massnahmen/{story.running}",
        "/profil",
        "/barrierefreiheit",
        "/api/docs",  # public anyway
    ):
        assert anna.get(path).status_code == 200, path


def test_the_navigation_of_an_ambassador_shows_briefings_and_the_own_access_only(
    anna: FlaskClient,
) -> None:
    page = anna.get("/briefings/").text

    nav = re.search(r'<nav aria-label="Hauptnavigation">(.*?)</nav>', page, re.S).group(1)
    assert re.findall(r">([^<>]+)</a>", nav) == ["Briefings", "Mein Zugang"]


def test_an_ambassador_never_sees_drafts_or_ideas_in_the_briefings(
    anna: FlaskClient, planner, story: Story
) -> None:
    # An adopted suggestion is an idea: it stays out of the briefings too.
    version = planner.get_political_round(story.first).version
    planner.adopt_round_suggestion(
        story.cast.coordinator,
        story.first,
        version,
        suggestion_index=0,
        department_id=story.cast.mobility,
        title="Parksensoren aus der Runde",
        summary="Angeregt von den Fraktionen",
    )
    for path in (
        "/briefings/",
        f"/briefings/{story.first}",
        f"/briefings/{story.second}",
        "/briefings/massnahmen",
        f"/briefings/massnahmen/{story.running}",
    ):
        page = anna.get(path).text
        text = text_of(page)
        for draft in (*DRAFTS, "Parksensoren aus der Runde"):
            assert draft not in text, (path, draft)
        assert "/ideas/" not in page, path
        assert "/working-groups/" not in page, path
        assert "/measures/" not in page, path
    assert anna.get(f"/briefings/massnahmen/{story.draft}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/ideas/",
        "/ideas/new",
        "/ideas/{idea}",
        "/ideas/{idea}/history/",
        "/measures/",
        "/measures/{running}",
        "/working-groups/",
        "/working-groups/{group}",
        "/fachbereiche/",
        "/digest",
        "/feeds/planner.atom",
        "/charts/funnel.svg",
        "/planner/as-of",
        "/audit/log",
        "/audit/verify",
        "/admin/",
        "/austausch/",
        "/allianz/",
        "/politik/",
        "/politik/fraktionen",
        "/politik/runden/{first}",
        "/politik/runden/neu",
    ],
)
def test_an_ambassador_gets_403_everywhere_else(anna: FlaskClient, story: Story, path: str) -> None:
    url = path.format(
        idea=story.idea, running=story.running, group=story.cast.group, first=story.first
    )

    response = anna.get(url)

    assert response.status_code == 403, url
    assert "Briefings" in response.text  # the 403 page keeps the ambassador's navigation


def test_an_ambassador_cannot_post_to_any_form(anna: FlaskClient, story: Story) -> None:
    csrf = token(anna.get("/briefings/").text)

    for url, data in (
        ("/ideas/new", {"title": "Meine Idee", "summary": "Kurz"}),
        (f"/ideas/{story.idea}/comment", {"comment-text": "Hallo"}),
        (f"/measures/{story.running}/progress", {"progress-percent": "99"}),
        ("/politik/fraktionen", {"name": "Partei", "short_name": "P"}),
        (f"/politik/runden/{story.second}/absagen", {"cancel-reason": "x"}),
    ):
        response = anna.post(url, data={"csrf_token": csrf, **data})
        assert response.status_code == 403, url


def test_a_feed_refuses_an_ambassadors_token(web_app: Flask, story: Story) -> None:
    grant = web_app.extensions["ideation"].issue_token("anna", PASSWORD)

    response = web_app.test_client().get(
        "/feeds/planner.atom", headers={"Authorization": f"Bearer {grant.token}"}
    )

    assert response.status_code == 403


def test_an_ambassadors_token_reads_briefings_and_published_measures(
    api: ApiClient, story: Story
) -> None:
    briefing = api.get(f"/political-rounds/{story.second}/briefing", as_="anna")
    listed = api.get("/published-measures", as_="anna")
    one = api.get(f"/published-measures/{story.april}", as_="anna")

    assert briefing.status_code == 200
    assert [m["title"] for m in briefing.get_json()["quick_wins"]] == ["Online-Terminbuchung"]
    assert listed.status_code == 200
    titles = {m["title"] for m in listed.get_json()["items"]}
    assert "Heimlicher Entwurf" not in titles
    assert one.status_code == 200
    assert_api_error(api.get(f"/published-measures/{story.draft}", as_="anna"), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/ideas"),
        ("GET", "/ideas/{idea}"),
        ("POST", "/ideas"),
        ("GET", "/measures"),
        ("GET", "/measures/{running}"),
        ("POST", "/measures/{running}/progress"),
        ("GET", "/working-groups"),
        ("GET", "/departments"),
        ("GET", "/people"),
        ("GET", "/factions"),
        ("POST", "/factions"),
        ("GET", "/political-rounds"),
        ("GET", "/political-rounds/{first}"),
        ("POST", "/political-rounds"),
        ("POST", "/political-rounds/{first}/suggestions/0/adopt"),
        ("POST", "/political-rounds/{second}/cancel"),
        ("GET", "/events"),
    ],
)
def test_an_ambassadors_token_is_refused_on_everything_else(
    api: ApiClient, story: Story, method: str, path: str
) -> None:
    url = path.format(
        idea=story.idea, running=story.running, first=story.first, second=story.second
    )

    response = api.request(method, url, as_="anna", json={})

    assert_api_error(response, 403, "forbidden")


def test_an_admin_can_grant_the_ambassador_role_on_the_person_page(
    client: FlaskClient, planner, story: Story
) -> None:
    assert sign_in(client, "admin").status_code == 302
    page = client.get(f"/admin/personen/{story.cast.member}")
    assert '<option value="ambassador">' in page.text
    version = re.search(r'name="grant-version" type="hidden" value="(\d+)"', page.text).group(1)

    response = client.post(
        f"/admin/personen/{story.cast.member}/rolle-erteilen",
        data={
            "grant-csrf_token": token(page.text),
            "grant-version": version,
            "grant-role": "ambassador",
        },
    )

    assert response.status_code == 302
    assert "ambassador" in planner.get_person(story.cast.member).roles


def test_a_member_who_is_also_an_ambassador_keeps_the_whole_planner(
    client: FlaskClient, planner, story: Story
) -> None:
    version = planner.get_person(story.cast.member).version
    planner.grant_role(story.cast.admin, story.cast.member, version, "ambassador")
    assert sign_in(client, "tim").status_code == 302

    assert client.get("/").status_code == 200
    assert client.get("/ideas/").status_code == 200
    assert client.get("/briefings/").status_code == 200
