"""The API of factions, political rounds, briefings and published measures."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import Cast
from tests.functional.conftest import ApiClient, assert_api_error
from tests.functional.political_story import Story, make_story


@pytest.fixture
def planner(web_app: Flask):
    return web_app.extensions["ideation"]


@pytest.fixture
def story(planner, cast: Cast) -> Story:
    return make_story(planner, cast)


def test_factions_are_listed_for_every_working_role(api: ApiClient, story: Story) -> None:
    for username in ("tim", "pruefung", "koordination"):
        response = api.get("/factions", as_=username)
        assert response.status_code == 200
        items = response.get_json()["items"]
        assert [f["short_name"] for f in items] == ["GRÜNE", "SPD"]
        assert items[0]["status_label"] == "Im Rat vertreten"


def test_the_coordination_registers_renames_and_retires_a_faction(
    api: ApiClient, story: Story
) -> None:
    created = api.post(
        "/factions", as_="koordination", json={"name": "FDP-Fraktion", "short_name": "FDP"}
    )
    assert created.status_code == 201
    faction = created.get_json()
    assert created.headers["ETag"] == '"1"'
    assert created.headers["Location"].endswith(f"/api/v1/factions/{faction['id']}")

    renamed = api.post(
        f"/factions/{faction['id']}/rename",
        as_="admin",
        json={"name": "Freie Demokraten", "short_name": "FDP"},
        headers={"If-Match": '"1"'},
    )
    assert renamed.status_code == 200
    assert renamed.get_json()["name"] == "Freie Demokraten"

    stale = api.post(
        f"/factions/{faction['id']}/retire",
        as_="koordination",
        json={"reason": "Nach der Wahl"},
        headers={"If-Match": '"1"'},
    )
    assert_api_error(stale, 412, "precondition_failed")
    retired = api.post(
        f"/factions/{faction['id']}/retire",
        as_="koordination",
        json={"reason": "Nach der Wahl", "expected_version": 2},
    )
    assert retired.status_code == 200
    assert retired.get_json()["status"] == "retired"


def test_a_member_may_not_register_a_faction_and_bad_input_is_422(
    api: ApiClient, story: Story
) -> None:
    assert_api_error(
        api.post("/factions", as_="tim", json={"name": "Partei", "short_name": "P"}),
        403,
        "forbidden",
    )
    error = assert_api_error(
        api.post("/factions", as_="koordination", json={"name": "", "extra": 1}), 422, "validation"
    )
    assert {"name", "short_name", "extra"} <= set(error["fields"])


def test_rounds_are_planned_read_with_an_etag_and_recorded(api: ApiClient, story: Story) -> None:
    planned = api.post(
        "/political-rounds",
        as_="koordination",
        json={
            "scheduled_on": "2030-09-15",
            "title": "Herbstrunde",
            "invited_faction_ids": [str(story.greens)],
        },
    )
    assert planned.status_code == 201
    round_id = planned.get_json()["id"]
    read = api.get(f"/political-rounds/{round_id}", as_="tim")
    assert read.status_code == 200
    assert read.headers["ETag"] == '"1"'
    assert read.get_json()["status_label"] == "Geplant"

    recorded = api.post(
        f"/political-rounds/{round_id}/record",
        as_="koordination",
        json={
            "held_on": "2030-09-16",
            "attending_faction_ids": [str(story.greens)],
            "questions": ["Wie weiter?"],
            "suggestions": ["Mehr Bänke mit Solarstrom"],
        },
        headers={"If-Match": read.headers["ETag"]},
    )
    assert recorded.status_code == 200
    body = recorded.get_json()
    assert (body["status"], body["held_on"]) == ("held", "2030-09-16")
    assert body["suggestions"] == [
        {"index": 0, "text": "Mehr Bänke mit Solarstrom", "idea_id": None}
    ]
    listed = api.get("/political-rounds", as_="pruefung").get_json()["items"]
    assert [r["title"] for r in listed] == ["Sommerrunde", "Herbstrunde", "Frühjahrsrunde"]


def test_a_suggestion_becomes_an_idea_with_201(api: ApiClient, planner, story: Story) -> None:
    version = api.get(f"/political-rounds/{story.first}").headers["ETag"]

    adopted = api.post(
        f"/political-rounds/{story.first}/suggestions/1/adopt",
        as_="koordination",
        json={
            "department_id": str(story.cast.citizens),
            "title": "WLAN am Bahnhof",
            "summary": "Aus der Frühjahrsrunde",
        },
        headers={"If-Match": version},
    )

    assert adopted.status_code == 201
    idea_id = adopted.get_json()["idea_id"]
    assert adopted.headers["Location"].endswith(f"/api/v1/ideas/{idea_id}")
    idea = api.get(f"/ideas/{idea_id}", as_="koordination").get_json()
    assert idea["title"] == "WLAN am Bahnhof"
    round_ = api.get(f"/political-rounds/{story.first}").get_json()
    assert round_["suggestions"][1]["idea_id"] == idea_id
    again = api.post(
        f"/political-rounds/{story.first}/suggestions/1/adopt",
        as_="koordination",
        json={
            "department_id": str(story.cast.citizens),
            "title": "Noch einmal",
            "summary": "Doppelt",
            "expected_version": round_["version"],
        },
    )
    assert_api_error(again, 422, "rule_violation")


def test_cancelling_needs_the_coordination_and_a_version(api: ApiClient, story: Story) -> None:
    url = f"/political-rounds/{story.second}/cancel"
    assert_api_error(
        api.post(url, as_="koordination", json={"reason": "x"}), 428, "precondition_required"
    )
    assert_api_error(
        api.post(url, as_="tim", json={"reason": "x", "expected_version": 1}), 403, "forbidden"
    )

    cancelled = api.post(url, as_="koordination", json={"reason": "Krank", "expected_version": 1})

    assert cancelled.status_code == 200
    assert cancelled.get_json()["cancellation_reason"] == "Krank"


def test_the_briefing_as_json_lists_the_periods_published_quick_wins(
    api: ApiClient, story: Story
) -> None:
    response = api.get(f"/political-rounds/{story.second}/briefing", as_="pruefung")

    assert response.status_code == 200
    body = response.get_json()
    assert (body["period_start"], body["period_end"]) == ("2030-03-10", "2030-06-10")
    assert body["previous_round"]["title"] == "Frühjahrsrunde"
    assert [m["title"] for m in body["quick_wins"]] == ["Online-Terminbuchung"]
    assert {b["department_name"] for b in body["quick_wins"][0]["benefits"]} == {
        "Bürgerdienste",
        "Tiefbauamt",
    }
    assert [m["title"] for m in body["in_progress"]] == ["Sensorik im Stadtpark"]
    assert [m["title"] for m in body["upcoming_milestones"]] == ["Sensoren bestellt"]
    assert body["figures"]["quick_wins_in_period"] == 1
    assert_api_error(api.get(f"/political-rounds/{story.idea}/briefing"), 404, "not_found")


def test_published_measures_leave_drafts_out(api: ApiClient, story: Story) -> None:
    listed = api.get("/published-measures", as_="tim").get_json()["items"]
    detail = api.get(f"/published-measures/{story.april}", as_="tim").get_json()

    assert "Heimlicher Entwurf" not in {m["title"] for m in listed}
    assert detail["goals"][0]["statement"] == "Ziel: Online-Terminbuchung"
    assert detail["status"] == "implemented"
    assert_api_error(api.get(f"/published-measures/{story.draft}"), 404, "not_found")


def test_reading_rounds_needs_a_token(api: ApiClient, story: Story) -> None:
    assert_api_error(api.get("/political-rounds", as_=None), 401, "unauthenticated")
    assert_api_error(api.get("/published-measures", as_=None), 401, "unauthenticated")
