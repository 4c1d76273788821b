"""The measure part of the JSON API: list, read, goals, milestones, progress, blocks, the end."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from flask import Flask

from tests.conftest import Cast, event_count
from tests.functional.conftest import ApiClient, assert_api_error


@pytest.fixture
def ideation(web_app: Flask):
    return web_app.extensions["ideation"]


def plan_measure(ideation, cast: Cast, title: str = "Ampeln digital") -> UUID:
    """Tim's idea, assessed, refined by the cast's group and accepted: its measure (version 1)."""
    idea = ideation.submit_idea(cast.member, title=title, summary="Grüne Welle am Ring")
    ideation.assess_idea(
        cast.coordinator, idea, 1, impact=5, effort=1, expected_weeks=4, rationale="Schnell."
    )
    ideation.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)
    ideation.recommend(cast.group_member, idea, 3, "accept", "Lohnt sich.")
    return ideation.accept_idea(cast.coordinator, idea, 4, "Machen wir.")


@pytest.fixture
def measure(ideation, cast: Cast) -> UUID:
    return plan_measure(ideation, cast)


def path(measure: UUID, rest: str = "") -> str:
    return f"/measures/{measure}{rest}"


def shown(api: ApiClient, measure: UUID) -> dict:
    response = api.get(path(measure), as_="pruefung")
    assert response.status_code == 200
    return response.get_json()


# -- list and read --------------------------------------------------------------------------------


def test_reading_a_measure_shows_its_state_with_the_version_as_etag(
    api: ApiClient, cast: Cast, measure: UUID
) -> None:
    response = api.get(path(measure), as_="tim")

    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    body = response.get_json()
    assert body["version"] == 1
    assert body["title"] == "Ampeln digital"
    assert body["stage"] == "planned"
    assert body["stage_label"] == "Geplant"
    assert body["owner_department_id"] == str(cast.mobility)
    assert body["working_group_id"] == str(cast.group)
    assert body["quick_win"] is True
    assert body["goals"] == body["milestones"] == body["benefits"] == []
    assert body["implemented_on"] is None


def test_an_unknown_measure_is_not_found(api: ApiClient) -> None:
    assert_api_error(api.get(path(uuid4())), 404, "not_found")


def test_the_list_filters_by_stage_blocked_group_department_and_quick_win(
    api: ApiClient, cast: Cast, ideation, measure: UUID
) -> None:
    other = plan_measure(ideation, cast, title="Parkleitsystem")
    ideation.block_measure(cast.coordinator, other, 1, "Kein Geld")
    ideation.report_progress(cast.member, measure, 1, 20)

    everything = api.get("/measures", as_="pruefung").get_json()
    assert everything["next"] is None
    assert {m["id"] for m in everything["items"]} == {str(measure), str(other)}

    def ids(query: str) -> list[str]:
        response = api.get("/measures?" + query, as_="tim")
        assert response.status_code == 200
        return [m["id"] for m in response.get_json()["items"]]

    assert ids("stage=in_progress") == [str(measure)]
    assert ids("stage=planned") == [str(other)]
    assert ids("blocked=true") == [str(other)]
    assert ids("blocked=false") == [str(measure)]
    assert set(ids(f"working_group_id={cast.group}&quick_win=true")) == {
        str(measure),
        str(other),
    }
    assert ids(f"owner_department_id={cast.citizens}") == []
    item = next(m for m in everything["items"] if m["id"] == str(measure))
    assert item["progress"] == 20
    assert item["stage"] == "in_progress"


def test_an_unknown_stage_filter_names_the_field(api: ApiClient) -> None:
    error = assert_api_error(api.get("/measures?stage=done"), 422, "validation")
    assert "stage" in error["fields"]


# -- goals and approach ---------------------------------------------------------------------------


def test_a_group_member_sets_a_goal_and_gets_201_with_the_goal_id(
    api: ApiClient, measure: UUID
) -> None:
    response = api.post(
        path(measure, "/goals"),
        as_="greta",
        json={"statement": "Weniger Stau", "indicator": "Reisezeit", "target": "-10 %"},
        headers={"If-Match": '"1"'},
    )

    assert response.status_code == 201
    assert response.headers["ETag"] == '"2"'
    assert response.headers["Location"].endswith(f"/api/v1/measures/{measure}")
    body = response.get_json()
    goal_id = body["created_id"]
    assert shown(api, measure)["goals"] == [
        {"id": goal_id, "statement": "Weniger Stau", "indicator": "Reisezeit", "target": "-10 %"}
    ]


def test_a_member_of_another_department_may_not_set_a_goal_and_nothing_is_stored(
    api: ApiClient, ideation, measure: UUID
) -> None:
    before = event_count(ideation)
    response = api.post(
        path(measure, "/goals"),
        as_="berta",
        json={"statement": "x", "indicator": "y", "target": "z", "expected_version": 1},
    )
    assert_api_error(response, 403, "forbidden")
    assert event_count(ideation) == before
    assert shown(api, measure)["goals"] == []


def test_setting_a_goal_on_an_unknown_measure_is_not_found(api: ApiClient) -> None:
    response = api.post(
        path(uuid4(), "/goals"),
        as_="greta",
        json={"statement": "x", "indicator": "y", "target": "z", "expected_version": 1},
    )
    assert_api_error(response, 404, "not_found")


def test_a_goal_without_an_indicator_names_the_field(api: ApiClient, measure: UUID) -> None:
    response = api.post(
        path(measure, "/goals"),
        as_="greta",
        json={"statement": "x", "target": "z", "expected_version": 1},
    )
    assert "indicator" in assert_api_error(response, 422, "validation")["fields"]


def test_patching_a_goal_changes_only_the_given_fields(api: ApiClient, measure: UUID) -> None:
    goal_id = api.post(
        path(measure, "/goals"),
        as_="greta",
        json={"statement": "Weniger Stau", "indicator": "Reisezeit", "target": "-10 %"},
        headers={"If-Match": '"1"'},
    ).get_json()["created_id"]

    response = api.patch(
        path(measure, f"/goals/{goal_id}"),
        as_="greta",
        json={"target": "-20 %", "note": "ehrgeiziger", "expected_version": 2},
    )

    assert response.status_code == 200
    assert response.headers["ETag"] == '"3"'
    assert shown(api, measure)["goals"] == [
        {"id": goal_id, "statement": "Weniger Stau", "indicator": "Reisezeit", "target": "-20 %"}
    ]


def test_patching_an_unknown_goal_is_not_found(api: ApiClient, measure: UUID) -> None:
    response = api.patch(
        path(measure, f"/goals/{uuid4()}"),
        as_="greta",
        json={"target": "-20 %"},
        headers={"If-Match": '"1"'},
    )
    assert_api_error(response, 404, "not_found")


def test_the_owner_departments_member_notes_the_approach(api: ApiClient, measure: UUID) -> None:
    response = api.post(
        path(measure, "/approach"),
        as_="tim",
        json={"approach": "Adaptive Steuerung", "expected_version": 1},
    )
    assert response.status_code == 200
    assert shown(api, measure)["approach"] == "Adaptive Steuerung"


# -- milestones and progress ----------------------------------------------------------------------


def test_a_milestone_is_planned_then_reached_and_the_measure_is_in_progress(
    api: ApiClient, measure: UUID
) -> None:
    response = api.post(
        path(measure, "/milestones"),
        as_="tim",
        json={"title": "Pilot am Ring", "due_on": "2026-06-30", "expected_version": 1},
    )
    assert response.status_code == 201
    milestone_id = response.get_json()["created_id"]
    assert shown(api, measure)["milestones"] == [
        {"id": milestone_id, "title": "Pilot am Ring", "due_on": "2026-06-30", "reached_on": None}
    ]

    reached = api.post(
        path(measure, f"/milestones/{milestone_id}/reached"),
        as_="tim",
        json={"reached_on": "2026-06-15"},
        headers={"If-Match": '"2"'},
    )

    assert reached.status_code == 200
    assert reached.headers["ETag"] == '"3"'
    after = shown(api, measure)
    assert after["milestones"][0]["reached_on"] == "2026-06-15"
    assert after["stage"] == "in_progress"


def test_reaching_a_milestone_without_a_body_takes_today(api: ApiClient, measure: UUID) -> None:
    milestone_id = api.post(
        path(measure, "/milestones"),
        as_="tim",
        json={"title": "Pilot", "due_on": "2026-06-30", "expected_version": 1},
    ).get_json()["created_id"]
    response = api.post(
        path(measure, f"/milestones/{milestone_id}/reached"),
        as_="tim",
        headers={"If-Match": '"2"'},
    )
    assert response.status_code == 200
    assert response.get_json()["milestones"][0]["reached_on"] is not None


def test_reaching_an_unknown_milestone_is_not_found(api: ApiClient, measure: UUID) -> None:
    response = api.post(
        path(measure, f"/milestones/{uuid4()}/reached"),
        as_="tim",
        headers={"If-Match": '"1"'},
    )
    assert_api_error(response, 404, "not_found")


def test_a_milestone_due_morgen_names_the_field(api: ApiClient, measure: UUID) -> None:
    response = api.post(
        path(measure, "/milestones"),
        as_="tim",
        json={"title": "Pilot", "due_on": "morgen", "expected_version": 1},
    )
    assert "due_on" in assert_api_error(response, 422, "validation")["fields"]


def test_the_owner_departments_member_reports_progress(
    api: ApiClient, ideation, measure: UUID
) -> None:
    response = api.post(
        path(measure, "/progress"),
        as_="tim",
        json={"percent": 40, "note": "Hälfte der Ampeln", "expected_version": 1},
    )

    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    after = shown(api, measure)
    assert after["progress"] == 40
    assert after["stage"] == "in_progress"
    assert ideation.events_since(measure, 1)[-1].actor_role == "member"


def test_progress_of_150_percent_names_the_field_and_stores_nothing(
    api: ApiClient, ideation, measure: UUID
) -> None:
    before = event_count(ideation)
    response = api.post(
        path(measure, "/progress"), as_="tim", json={"percent": 150, "expected_version": 1}
    )
    assert "percent" in assert_api_error(response, 422, "validation")["fields"]
    assert event_count(ideation) == before


def test_progress_with_a_stale_if_match_gives_412_and_stores_nothing(
    api: ApiClient, ideation, cast: Cast, measure: UUID
) -> None:
    ideation.report_progress(cast.member, measure, 1, 10)
    before = event_count(ideation)
    response = api.post(
        path(measure, "/progress"), as_="tim", json={"percent": 30}, headers={"If-Match": '"1"'}
    )
    error = assert_api_error(response, 412, "precondition_failed")
    assert error["current_version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert event_count(ideation) == before
    assert shown(api, measure)["progress"] == 10


def test_progress_with_a_stale_body_version_is_a_conflict_listing_the_events(
    api: ApiClient, ideation, cast: Cast, measure: UUID
) -> None:
    ideation.report_progress(cast.member, measure, 1, 10, "erste Ampel")
    before = event_count(ideation)
    response = api.post(
        path(measure, "/progress"), as_="tim", json={"percent": 30, "expected_version": 1}
    )
    error = assert_api_error(response, 409, "conflict")
    assert error["current_version"] == 2
    assert [(e["type"], e["version"]) for e in error["events"]] == [("Measure.ProgressReported", 2)]
    assert error["events"][0]["actor"]["name"] == "Tim Tiefbau"
    assert event_count(ideation) == before


def test_progress_without_any_version_asks_for_one(api: ApiClient, measure: UUID) -> None:
    response = api.post(path(measure, "/progress"), as_="tim", json={"percent": 30})
    assert_api_error(response, 428, "precondition_required")


def test_a_member_of_another_department_may_not_report_progress(
    api: ApiClient, ideation, measure: UUID
) -> None:
    before = event_count(ideation)
    response = api.post(
        path(measure, "/progress"), as_="berta", json={"percent": 30, "expected_version": 1}
    )
    assert_api_error(response, 403, "forbidden")
    assert event_count(ideation) == before


# -- blocks ---------------------------------------------------------------------------------------


def test_a_measure_is_blocked_and_unblocked_and_the_list_follows(
    api: ApiClient, measure: UUID
) -> None:
    blocked = api.post(
        path(measure, "/block"),
        as_="koordination",
        json={"reason": "Lieferengpass", "expected_version": 1},
    )
    assert blocked.status_code == 200
    assert blocked.get_json()["block_reason"] == "Lieferengpass"
    listed = api.get("/measures?blocked=true").get_json()["items"]
    assert [m["id"] for m in listed] == [str(measure)]

    unblocked = api.post(
        path(measure, "/unblock"),
        as_="tim",
        json={"note": "Geliefert"},
        headers={"If-Match": '"2"'},
    )

    assert unblocked.status_code == 200
    after = shown(api, measure)
    assert after["blocked"] is False
    assert after["version"] == 3


def test_blocking_needs_a_reason(api: ApiClient, measure: UUID) -> None:
    response = api.post(path(measure, "/block"), as_="tim", json={"expected_version": 1})
    assert "reason" in assert_api_error(response, 422, "validation")["fields"]


def test_unblocking_a_measure_that_is_not_blocked_breaks_a_rule(
    api: ApiClient, measure: UUID
) -> None:
    response = api.post(path(measure, "/unblock"), as_="tim", headers={"If-Match": '"1"'})
    error = assert_api_error(response, 422, "rule_violation")
    assert error["rule"] == "measure.not_blocked"


def test_the_auditor_may_not_block(api: ApiClient, ideation, measure: UUID) -> None:
    before = event_count(ideation)
    response = api.post(
        path(measure, "/block"), as_="pruefung", json={"reason": "x", "expected_version": 1}
    )
    assert_api_error(response, 403, "forbidden")
    assert event_count(ideation) == before


# -- the end: implementation, benefits, cancellation ----------------------------------------------


def test_a_measure_in_progress_is_implemented_and_benefits_are_recorded(
    api: ApiClient, cast: Cast, ideation, measure: UUID
) -> None:
    ideation.report_progress(cast.member, measure, 1, 90)
    implemented = api.post(
        path(measure, "/implementation"),
        as_="tim",
        json={"implemented_on": "2026-07-01", "outcome": "Alle Ampeln vernetzt"},
        headers={"If-Match": '"2"'},
    )
    assert implemented.status_code == 200
    body = implemented.get_json()
    assert body["stage"] == "implemented"
    assert body["implemented_on"] == "2026-07-01"
    assert body["progress"] == 100

    benefit = api.post(
        path(measure, "/benefits"),
        as_="koordination",
        json={
            "department_id": str(cast.citizens),
            "description": "Weniger Beschwerden",
            "expected_version": 3,
        },
    )

    assert benefit.status_code == 201
    assert benefit.headers["ETag"] == '"4"'
    assert shown(api, measure)["benefits"] == [
        {"department_id": str(cast.citizens), "description": "Weniger Beschwerden"}
    ]
    listed = api.get("/measures?stage=implemented").get_json()["items"]
    assert [b["description"] for b in listed[0]["benefits"]] == ["Weniger Beschwerden"]


def test_a_planned_measure_cannot_be_implemented_yet(api: ApiClient, measure: UUID) -> None:
    response = api.post(
        path(measure, "/implementation"),
        as_="tim",
        json={"outcome": "fertig", "expected_version": 1},
    )
    assert_api_error(response, 422, "rule_violation")


def test_a_benefit_for_an_unknown_department_is_not_found(
    api: ApiClient, cast: Cast, ideation, measure: UUID
) -> None:
    ideation.report_progress(cast.member, measure, 1, 50)
    response = api.post(
        path(measure, "/benefits"),
        as_="koordination",
        json={"department_id": str(uuid4()), "description": "x", "expected_version": 2},
    )
    assert_api_error(response, 404, "not_found")


def test_the_coordination_cancels_a_measure_with_a_reason(api: ApiClient, measure: UUID) -> None:
    response = api.post(
        path(measure, "/cancel"),
        as_="koordination",
        json={"reason": "Förderung gestrichen", "expected_version": 1},
    )
    assert response.status_code == 200
    after = shown(api, measure)
    assert after["stage"] == "cancelled"
    assert after["cancel_reason"] == "Förderung gestrichen"


def test_a_group_member_may_not_cancel_a_measure(api: ApiClient, ideation, measure: UUID) -> None:
    before = event_count(ideation)
    response = api.post(
        path(measure, "/cancel"), as_="greta", json={"reason": "x", "expected_version": 1}
    )
    assert_api_error(response, 403, "forbidden")
    assert event_count(ideation) == before
