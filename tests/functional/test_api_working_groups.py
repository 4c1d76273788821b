"""The working-group part of the JSON API: list, form, read, members, meetings, recommendations."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from flask import Flask

from tests.conftest import Cast, event_count
from tests.functional.conftest import ApiClient, assert_api_error


@pytest.fixture
def ideation(web_app: Flask):
    return web_app.extensions["ideation"]


def group_path(group: UUID, rest: str = "") -> str:
    return f"/working-groups/{group}{rest}"


def idea_in_group(ideation, cast: Cast) -> UUID:
    """An idea of Tim's, assessed and handed to the cast's group (idea version 3)."""
    idea = ideation.submit_idea(cast.member, title="Ampeln digital", summary="Grüne Welle")
    ideation.assess_idea(
        cast.coordinator, idea, 1, impact=5, effort=1, expected_weeks=4, rationale="Schnell."
    )
    ideation.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)
    return idea


# -- list and read --------------------------------------------------------------------------------


def test_the_list_shows_active_groups_and_dissolved_ones_only_on_request(
    api: ApiClient, cast: Cast, ideation
) -> None:
    other = ideation.form_working_group(cast.coordinator, "AG Alt", "Erledigt", cast.citizens)
    ideation.dissolve_working_group(cast.coordinator, other, 1, "Auftrag erfüllt")

    response = api.get("/working-groups", as_="pruefung")

    assert response.status_code == 200
    body = response.get_json()
    assert body["next"] is None
    assert [g["id"] for g in body["items"]] == [str(cast.group)]
    item = body["items"][0]
    assert item["name"] == "AG Mobilität"
    assert item["members_count"] == 1
    assert item["status"] == "active"
    everything = api.get("/working-groups?include_dissolved=true", as_="tim").get_json()
    assert {g["id"] for g in everything["items"]} == {str(cast.group), str(other)}


def test_a_malformed_include_dissolved_is_refused_with_the_field_named(api: ApiClient) -> None:
    error = assert_api_error(api.get("/working-groups?include_dissolved=ja"), 422, "validation")
    assert "include_dissolved" in error["fields"]


def test_reading_a_group_shows_members_by_name_meetings_status_and_version(
    api: ApiClient, cast: Cast
) -> None:
    response = api.get(group_path(cast.group), as_="tim")

    assert response.status_code == 200
    body = response.get_json()
    assert response.headers["ETag"] == f'"{body["version"]}"' == '"2"'
    assert body["members"] == [{"id": str(cast.group_member), "name": "Greta Gruppe"}]
    assert body["meetings"] == []
    assert body["status"] == "active"
    assert body["lead_department_id"] == str(cast.mobility)
    assert body["mandate"] == "Mobilität digital"


def test_an_unknown_group_is_not_found(api: ApiClient) -> None:
    assert_api_error(api.get(group_path(uuid4())), 404, "not_found")


# -- forming --------------------------------------------------------------------------------------


def test_the_coordination_forms_a_group_and_gets_201_with_location(
    api: ApiClient, cast: Cast
) -> None:
    response = api.post(
        "/working-groups",
        as_="koordination",
        json={
            "name": "AG Bürgerportal",
            "mandate": "Online-Dienste",
            "lead_department_id": str(cast.citizens),
        },
    )

    assert response.status_code == 201
    body = response.get_json()
    assert body["version"] == 1
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"].endswith(f"/api/v1/working-groups/{body['id']}")
    shown = api.get(group_path(UUID(body["id"])), as_="tim").get_json()
    assert shown["name"] == "AG Bürgerportal"
    assert shown["members"] == []


def test_a_member_may_not_form_a_group_and_nothing_is_stored(
    api: ApiClient, cast: Cast, ideation
) -> None:
    before = event_count(ideation)
    response = api.post(
        "/working-groups",
        as_="tim",
        json={"name": "AG Eigenbau", "mandate": "Alles", "lead_department_id": str(cast.mobility)},
    )
    assert_api_error(response, 403, "forbidden")
    assert event_count(ideation) == before


def test_forming_a_group_with_a_short_name_names_the_field(api: ApiClient, cast: Cast) -> None:
    response = api.post(
        "/working-groups",
        as_="koordination",
        json={"name": "AG", "mandate": "x", "lead_department_id": str(cast.mobility)},
    )
    assert "name" in assert_api_error(response, 422, "validation")["fields"]


def test_forming_a_group_for_an_unknown_department_is_not_found(api: ApiClient) -> None:
    response = api.post(
        "/working-groups",
        as_="koordination",
        json={"name": "AG Nirgends", "mandate": "x", "lead_department_id": str(uuid4())},
    )
    assert_api_error(response, 404, "not_found")


# -- members --------------------------------------------------------------------------------------


def test_the_coordination_adds_a_member_and_the_group_lists_them(
    api: ApiClient, cast: Cast
) -> None:
    response = api.post(
        group_path(cast.group, "/members"),
        as_="koordination",
        json={"person_id": str(cast.outsider_group_member)},
        headers={"If-Match": '"2"'},
    )

    assert response.status_code == 200
    assert response.headers["ETag"] == '"3"'
    members = [m["id"] for m in api.get(group_path(cast.group)).get_json()["members"]]
    assert members == [str(cast.group_member), str(cast.outsider_group_member)]


def test_a_group_member_may_not_add_members(api: ApiClient, cast: Cast, ideation) -> None:
    before = event_count(ideation)
    response = api.post(
        group_path(cast.group, "/members"),
        as_="greta",
        json={"person_id": str(cast.other_member), "expected_version": 2},
    )
    assert_api_error(response, 403, "forbidden")
    assert event_count(ideation) == before


def test_adding_an_unknown_person_is_not_found(api: ApiClient, cast: Cast) -> None:
    response = api.post(
        group_path(cast.group, "/members"),
        as_="koordination",
        json={"person_id": str(uuid4()), "expected_version": 2},
    )
    assert_api_error(response, 404, "not_found")


def test_adding_a_member_without_a_version_asks_for_one(api: ApiClient, cast: Cast) -> None:
    response = api.post(
        group_path(cast.group, "/members"),
        as_="koordination",
        json={"person_id": str(cast.other_member)},
    )
    assert_api_error(response, 428, "precondition_required")


def test_a_stale_if_match_on_members_gives_412_and_stores_nothing(
    api: ApiClient, cast: Cast, ideation
) -> None:
    before = event_count(ideation)
    response = api.post(
        group_path(cast.group, "/members"),
        as_="koordination",
        json={"person_id": str(cast.other_member)},
        headers={"If-Match": '"1"'},
    )
    error = assert_api_error(response, 412, "precondition_failed")
    assert error["current_version"] == 2
    assert [e["type"] for e in error["events"]] == ["WorkingGroup.MemberAdded"]
    assert event_count(ideation) == before


def test_a_member_leaves_with_a_reason_recorded_in_the_history(
    api: ApiClient, cast: Cast, ideation
) -> None:
    response = api.delete(
        group_path(cast.group, f"/members/{cast.group_member}"),
        as_="koordination",
        json={"reason": "Wechsel ins Bauamt", "expected_version": 2},
    )

    assert response.status_code == 200
    assert response.get_json()["members"] == []
    assert api.get(group_path(cast.group)).get_json()["version"] == 3
    last = ideation.events_since(cast.group, 2)[-1]
    assert last.event_type == "WorkingGroup.MemberRemoved"


def test_removing_with_only_if_match_and_no_body_works(api: ApiClient, cast: Cast) -> None:
    response = api.delete(
        group_path(cast.group, f"/members/{cast.group_member}"),
        as_="koordination",
        headers={"If-Match": '"2"'},
    )
    assert response.status_code == 200
    assert response.headers["ETag"] == '"3"'


def test_removing_someone_who_is_no_member_is_not_found(api: ApiClient, cast: Cast) -> None:
    response = api.delete(
        group_path(cast.group, f"/members/{cast.member}"),
        as_="koordination",
        headers={"If-Match": '"2"'},
    )
    assert_api_error(response, 404, "not_found")


# -- meetings -------------------------------------------------------------------------------------


def test_a_group_member_records_a_meeting_that_the_group_then_shows(
    api: ApiClient, cast: Cast, ideation
) -> None:
    idea = idea_in_group(ideation, cast)
    response = api.post(
        group_path(cast.group, "/meetings"),
        as_="greta",
        json={
            "held_on": "2026-03-04",
            "format": "hybrid",
            "notes": "Ampeln besprochen",
            "decisions": "Pilot am Ring",
            "idea_ids": [str(idea)],
            "expected_version": 2,
        },
    )

    assert response.status_code == 201
    assert response.headers["ETag"] == '"3"'
    assert response.headers["Location"].endswith(f"/api/v1/working-groups/{cast.group}")
    meetings = api.get(group_path(cast.group), as_="tim").get_json()["meetings"]
    assert meetings == [
        {
            "held_on": "2026-03-04",
            "format": "hybrid",
            "format_label": "Hybrid",
            "notes": "Ampeln besprochen",
            "decisions": "Pilot am Ring",
            "idea_ids": [str(idea)],
        }
    ]


def test_a_meeting_with_an_unknown_format_or_date_names_the_fields(
    api: ApiClient, cast: Cast
) -> None:
    response = api.post(
        group_path(cast.group, "/meetings"),
        as_="greta",
        json={"held_on": "gestern", "format": "telepathy", "notes": "x", "expected_version": 2},
    )
    error = assert_api_error(response, 422, "validation")
    assert {"held_on", "format"} <= set(error["fields"])


def test_someone_outside_the_group_may_not_record_a_meeting(
    api: ApiClient, cast: Cast, ideation
) -> None:
    before = event_count(ideation)
    response = api.post(
        group_path(cast.group, "/meetings"),
        as_="tim",
        json={"held_on": "2026-03-04", "format": "online", "notes": "x", "expected_version": 2},
    )
    assert_api_error(response, 403, "forbidden")
    assert event_count(ideation) == before


def test_a_meeting_on_an_unknown_group_is_not_found(api: ApiClient) -> None:
    response = api.post(
        group_path(uuid4(), "/meetings"),
        as_="greta",
        json={"held_on": "2026-03-04", "format": "online", "notes": "x", "expected_version": 1},
    )
    assert_api_error(response, 404, "not_found")


# -- recommendations ------------------------------------------------------------------------------


def test_a_group_member_recommends_and_gets_the_idea_with_its_etag(
    api: ApiClient, cast: Cast, ideation
) -> None:
    idea = idea_in_group(ideation, cast)
    response = api.post(
        group_path(cast.group, "/recommendations"),
        as_="greta",
        json={"idea_id": str(idea), "recommendation": "accept", "reasoning": "Lohnt sich."},
        headers={"If-Match": '"3"'},
    )

    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == str(idea)
    assert body["version"] == 4
    assert response.headers["ETag"] == '"4"'
    shown = api.get(f"/ideas/{idea}", as_="tim").get_json()
    assert shown["recommendation"] == {"outcome": "accept", "reasoning": "Lohnt sich."}


def test_a_recommendation_with_a_stale_idea_version_in_the_body_is_a_conflict(
    api: ApiClient, cast: Cast, ideation
) -> None:
    idea = idea_in_group(ideation, cast)
    before = event_count(ideation)
    response = api.post(
        group_path(cast.group, "/recommendations"),
        as_="greta",
        json={
            "idea_id": str(idea),
            "recommendation": "park",
            "reasoning": "Später.",
            "expected_version": 2,
        },
    )
    error = assert_api_error(response, 409, "conflict")
    assert error["current_version"] == 3
    assert [e["type"] for e in error["events"]] == ["Idea.AssignedToWorkingGroup"]
    assert event_count(ideation) == before


def test_an_unknown_recommendation_names_the_field(api: ApiClient, cast: Cast, ideation) -> None:
    idea = idea_in_group(ideation, cast)
    response = api.post(
        group_path(cast.group, "/recommendations"),
        as_="greta",
        json={"idea_id": str(idea), "recommendation": "maybe", "reasoning": "x"},
        headers={"If-Match": '"3"'},
    )
    assert "recommendation" in assert_api_error(response, 422, "validation")["fields"]


def test_recommending_an_idea_of_another_group_is_refused(
    api: ApiClient, cast: Cast, ideation
) -> None:
    idea = idea_in_group(ideation, cast)
    other = ideation.form_working_group(cast.coordinator, "AG Andere", "Anderes", cast.citizens)
    response = api.post(
        group_path(other, "/recommendations"),
        as_="greta",
        json={"idea_id": str(idea), "recommendation": "accept", "reasoning": "x"},
        headers={"If-Match": '"3"'},
    )
    assert "idea_id" in assert_api_error(response, 422, "validation")["fields"]


def test_someone_outside_the_group_may_not_recommend(api: ApiClient, cast: Cast, ideation) -> None:
    idea = idea_in_group(ideation, cast)
    before = event_count(ideation)
    response = api.post(
        group_path(cast.group, "/recommendations"),
        as_="tim",
        json={"idea_id": str(idea), "recommendation": "accept", "reasoning": "x"},
        headers={"If-Match": '"3"'},
    )
    assert_api_error(response, 403, "forbidden")
    assert event_count(ideation) == before


def test_recommending_an_unknown_idea_is_not_found(api: ApiClient, cast: Cast) -> None:
    response = api.post(
        group_path(cast.group, "/recommendations"),
        as_="greta",
        json={"idea_id": str(uuid4()), "recommendation": "accept", "reasoning": "x"},
        headers={"If-Match": '"1"'},
    )
    assert_api_error(response, 404, "not_found")


# -- dissolution ----------------------------------------------------------------------------------


def test_the_coordination_dissolves_a_group_which_then_leaves_the_default_list(
    api: ApiClient, cast: Cast
) -> None:
    response = api.post(
        group_path(cast.group, "/dissolution"),
        as_="koordination",
        json={"reason": "Auftrag erfüllt", "expected_version": 2},
    )

    assert response.status_code == 200
    assert response.get_json()["status"] == "dissolved"
    assert api.get("/working-groups").get_json()["items"] == []


def test_a_dissolved_group_takes_no_members(api: ApiClient, cast: Cast) -> None:
    api.post(
        group_path(cast.group, "/dissolution"),
        as_="koordination",
        json={"reason": "Auftrag erfüllt", "expected_version": 2},
    )
    response = api.post(
        group_path(cast.group, "/members"),
        as_="koordination",
        json={"person_id": str(cast.other_member), "expected_version": 3},
    )
    assert_api_error(response, 422, "rule_violation")


def test_dissolving_needs_a_reason(api: ApiClient, cast: Cast) -> None:
    response = api.post(
        group_path(cast.group, "/dissolution"), as_="koordination", json={"expected_version": 2}
    )
    assert "reason" in assert_api_error(response, 422, "validation")["fields"]
