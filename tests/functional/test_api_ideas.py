"""The idea commands and queries of the JSON API v1: revise, support, comments, assessment,
quick-win override, assignment, decisions, history, diff, similar ideas and the stage filter."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask

from tests.conftest import Cast, event_count
from tests.functional.conftest import ApiClient, assert_api_error

UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def planner(web_app: Flask):
    return web_app.extensions["ideation"]


def submit(api: ApiClient, as_: str = "tim", **fields: Any) -> dict[str, Any]:
    """Submit an idea through the API; return its JSON."""
    body = {
        "title": "Freie Parkplätze per Sensor anzeigen",
        "summary": "Sensoren melden freie Plätze; die App zeigt sie an.",
        "benefit": "Weniger Suchverkehr in der Innenstadt.",
        "themes": ["Mobilität"],
        **fields,
    }
    response = api.post("/ideas", as_=as_, json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def call(api: ApiClient, method: str, path: str, as_: str, **body: Any) -> dict[str, Any]:
    """A command that must succeed with 200 or 201; return the idea it answers with."""
    response = api.request(method, path, as_, json=body)
    assert response.status_code in (200, 201), response.get_data(as_text=True)
    idea = response.get_json()
    assert response.headers["ETag"] == f'"{idea["version"]}"'
    return idea


def assess(api: ApiClient, idea: dict[str, Any], **fields: Any) -> dict[str, Any]:
    body = {"impact": 4, "effort": 2, "expected_weeks": 6, "rationale": "Schnell machbar."}
    body.update(fields)
    return call(
        api,
        "POST",
        f"/ideas/{idea['id']}/assessment",
        "koordination",
        expected_version=idea["version"],
        **body,
    )


def assign(api: ApiClient, idea: dict[str, Any], cast: Cast) -> dict[str, Any]:
    return call(
        api,
        "POST",
        f"/ideas/{idea['id']}/assignment",
        "koordination",
        working_group_id=str(cast.group),
        expected_version=idea["version"],
    )


def recommend(api: ApiClient, planner, cast: Cast, idea: dict[str, Any]) -> dict[str, Any]:
    """The working group's recommendation through the application (its route is elsewhere)."""
    planner.recommend(
        cast.group_member,
        UUID(idea["id"]),
        idea["version"],
        "accept",
        "Die AG empfiehlt die Umsetzung.",
    )
    return api.get(f"/ideas/{idea['id']}").get_json()


def accept(api: ApiClient, idea: dict[str, Any]) -> dict[str, Any]:
    return call(
        api,
        "POST",
        f"/ideas/{idea['id']}/decision",
        "koordination",
        outcome="accept",
        reason="Passt in die Strategie.",
        expected_version=idea["version"],
    )


def accepted_idea(api: ApiClient, planner, cast: Cast, **fields: Any) -> dict[str, Any]:
    """Submit (tim) → assess → assign (koordination) → recommend (greta) → accept."""
    idea = submit(api, **fields)
    idea = assign(api, assess(api, idea), cast)
    return accept(api, recommend(api, planner, cast, idea))


# -- revise --------------------------------------------------------------------------------


def test_the_submitter_revises_title_and_benefit_and_a_following_get_shows_them(
    api: ApiClient,
) -> None:
    idea = submit(api)

    revised = call(
        api,
        "PATCH",
        f"/ideas/{idea['id']}",
        "tim",
        title="Freie Parkplätze live anzeigen",
        benefit="Weniger Suchverkehr und weniger Lärm.",
        note="Titel geschärft",
        expected_version=1,
    )

    assert revised["version"] == 2
    shown = api.get(f"/ideas/{idea['id']}", as_="berta").get_json()
    assert shown["title"] == "Freie Parkplätze live anzeigen"
    assert shown["benefit"] == "Weniger Suchverkehr und weniger Lärm."
    assert shown["summary"] == idea["summary"]
    assert shown["version"] == 2
    history = api.get(f"/ideas/{idea['id']}/history").get_json()["items"]
    revision = history[-1]
    assert revision["type"] == "Idea.Revised"
    assert {c["field"] for c in revision["changes"]} == {"title", "benefit"}
    assert revision["details"]["note"] == "Titel geschärft"


def test_a_revision_sends_only_the_given_fields_and_keeps_the_others(api: ApiClient) -> None:
    idea = submit(api, themes=["Mobilität", "Sensorik"])

    revised = call(
        api, "PATCH", f"/ideas/{idea['id']}", "tim", summary="Kürzer.", expected_version=1
    )

    assert revised["summary"] == "Kürzer."
    assert revised["title"] == idea["title"]
    assert revised["themes"] == ["Mobilität", "Sensorik"]
    assert revised["benefit"] == idea["benefit"]


def test_a_revision_with_if_match_succeeds_and_answers_the_new_etag(api: ApiClient) -> None:
    idea = submit(api)

    response = api.patch(
        f"/ideas/{idea['id']}", as_="tim", json={"themes": ["Verkehr"]}, headers={"If-Match": '"1"'}
    )

    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    assert response.get_json()["themes"] == ["Verkehr"]


def test_a_stale_if_match_gives_412_and_stores_no_event(api: ApiClient, planner) -> None:
    idea = submit(api)
    assess(api, idea)
    before = event_count(planner)

    response = api.patch(
        f"/ideas/{idea['id']}",
        as_="tim",
        json={"title": "Neuer Titel"},
        headers={"If-Match": '"1"'},
    )

    error = assert_api_error(response, 412, "precondition_failed")
    assert error["current_version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert event_count(planner) == before
    assert api.get(f"/ideas/{idea['id']}").get_json()["title"] == idea["title"]


def test_a_stale_expected_version_gives_409_naming_who_changed_what(
    api: ApiClient, planner
) -> None:
    idea = submit(api)
    assess(api, idea)
    before = event_count(planner)

    response = api.patch(
        f"/ideas/{idea['id']}", as_="tim", json={"title": "Neuer Titel", "expected_version": 1}
    )

    error = assert_api_error(response, 409, "conflict")
    assert error["current_version"] == 2
    [step] = error["events"]
    assert step["type"] == "Idea.Assessed"
    assert step["label"] == "Bewertet"
    assert step["version"] == 2
    assert step["actor"]["name"] == "Clara Koordination"
    assert step["actor"]["role"] == "coordinator"
    assert "Clara Koordination" in error["message"]
    assert event_count(planner) == before


def test_a_revision_without_any_version_gives_428(api: ApiClient, planner) -> None:
    idea = submit(api)
    before = event_count(planner)

    response = api.patch(f"/ideas/{idea['id']}", as_="tim", json={"title": "Neuer Titel"})

    assert_api_error(response, 428, "precondition_required")
    assert event_count(planner) == before


def test_berta_from_another_department_cannot_revise_tims_idea(api: ApiClient, planner) -> None:
    idea = submit(api)
    before = event_count(planner)

    response = api.patch(
        f"/ideas/{idea['id']}", as_="berta", json={"title": "Fremder Titel", "expected_version": 1}
    )

    assert_api_error(response, 403, "forbidden")
    assert event_count(planner) == before
    assert api.get(f"/ideas/{idea['id']}").get_json()["title"] == idea["title"]


def test_a_revision_without_content_fields_is_refused(api: ApiClient) -> None:
    idea = submit(api)

    response = api.patch(
        f"/ideas/{idea['id']}", as_="tim", json={"note": "nur ein Hinweis", "expected_version": 1}
    )

    error = assert_api_error(response, 422, "validation")
    assert "_schema" in error["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "ab"}, "title"),
        ({"title": "   ab   "}, "title"),
        ({"summary": ""}, "summary"),
        ({"themes": "Mobilität"}, "themes"),
        ({"themes": [f"Thema {n}" for n in range(11)]}, "themes"),
        ({"benefit": 7}, "benefit"),
        ({"title": "Gut genug", "colour": "blau"}, "colour"),
        ({"title": "Gut genug", "expected_version": "1"}, "expected_version"),
    ],
)
def test_bad_revision_fields_are_named_in_a_422(
    api: ApiClient, planner, body: dict[str, Any], field: str
) -> None:
    idea = submit(api)
    before = event_count(planner)

    response = api.patch(f"/ideas/{idea['id']}", as_="tim", json={"expected_version": 1, **body})

    error = assert_api_error(response, 422, "validation")
    assert field in error["fields"]
    assert event_count(planner) == before


def test_a_revision_that_changes_nothing_is_a_rule_violation(api: ApiClient) -> None:
    idea = submit(api)

    response = api.patch(
        f"/ideas/{idea['id']}", as_="tim", json={"title": idea["title"], "expected_version": 1}
    )

    error = assert_api_error(response, 422, "rule_violation")
    assert error["rule"] == "idea.no_changes"


# -- support -------------------------------------------------------------------------------


def test_another_department_pledges_and_withdraws_its_support(api: ApiClient, cast: Cast) -> None:
    idea = submit(api)

    pledged = call(
        api,
        "POST",
        f"/ideas/{idea['id']}/support",
        "berta",
        note="Wir liefern die Daten.",
        expected_version=1,
    )
    assert pledged["supporters"] == [str(cast.citizens)]
    assert api.get(f"/ideas/{idea['id']}").get_json()["supporters"] == [str(cast.citizens)]

    withdrawn = call(
        api,
        "DELETE",
        f"/ideas/{idea['id']}/support",
        "berta",
        reason="Keine Kapazität mehr.",
        expected_version=2,
    )
    assert withdrawn["supporters"] == []
    history = api.get(f"/ideas/{idea['id']}/history").get_json()["items"]
    assert [e["type"] for e in history[-2:]] == ["Idea.SupportPledged", "Idea.SupportWithdrawn"]
    assert history[-1]["details"]["note"] == "Keine Kapazität mehr."
    assert history[-1]["actor"]["name"] == "Berta Bürgerdienst"


def test_support_can_be_pledged_and_withdrawn_with_if_match_and_no_body(
    api: ApiClient,
) -> None:
    idea = submit(api)

    pledged = api.post(f"/ideas/{idea['id']}/support", as_="berta", headers={"If-Match": '"1"'})
    withdrawn = api.delete(f"/ideas/{idea['id']}/support", as_="berta", headers={"If-Match": '"2"'})

    assert pledged.status_code == 200
    assert len(pledged.get_json()["supporters"]) == 1
    assert withdrawn.status_code == 200
    assert withdrawn.get_json()["supporters"] == []


def test_a_pledge_without_a_version_gives_428(api: ApiClient) -> None:
    idea = submit(api)

    assert_api_error(
        api.post(f"/ideas/{idea['id']}/support", as_="berta"), 428, "precondition_required"
    )


def test_the_submitting_department_cannot_pledge_support_to_its_own_idea(
    api: ApiClient, planner
) -> None:
    idea = submit(api)
    before = event_count(planner)

    response = api.post(f"/ideas/{idea['id']}/support", as_="tim", json={"expected_version": 1})

    error = assert_api_error(response, 422, "rule_violation")
    assert error["rule"] == "idea.own_department_support"
    assert event_count(planner) == before


def test_the_coordination_cannot_pledge_support(api: ApiClient, planner) -> None:
    idea = submit(api)
    before = event_count(planner)

    response = api.post(
        f"/ideas/{idea['id']}/support", as_="koordination", json={"expected_version": 1}
    )

    assert_api_error(response, 403, "forbidden")
    assert event_count(planner) == before


def test_withdrawing_support_that_was_never_pledged_is_a_rule_violation(
    api: ApiClient,
) -> None:
    idea = submit(api)

    response = api.delete(f"/ideas/{idea['id']}/support", as_="berta", json={"expected_version": 1})

    error = assert_api_error(response, 422, "rule_violation")
    assert error["rule"] == "idea.support_not_pledged"


# -- comments -----------------------------------------------------------------------------


def test_a_comment_answers_201_and_a_reply_names_the_comment_it_answers(
    api: ApiClient, cast: Cast
) -> None:
    idea = submit(api)

    first = api.post(
        f"/ideas/{idea['id']}/comments",
        as_="berta",
        json={"text": "Gibt es schon Sensoren?", "expected_version": 1},
    )
    assert first.status_code == 201
    [comment] = first.get_json()["comments"]
    assert comment["text"] == "Gibt es schon Sensoren?"
    assert comment["person_id"] == str(cast.other_member)
    assert comment["reply_to"] is None

    reply = call(
        api,
        "POST",
        f"/ideas/{idea['id']}/comments",
        "tim",
        text="Ja, an zwei Parkhäusern.",
        reply_to=comment["id"],
        expected_version=2,
    )
    assert reply["comments"][1]["reply_to"] == comment["id"]
    shown = api.get(f"/ideas/{idea['id']}").get_json()
    assert [c["text"] for c in shown["comments"]] == [
        "Gibt es schon Sensoren?",
        "Ja, an zwei Parkhäusern.",
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({}, "text"),
        ({"text": "Antwort", "reply_to": "kein-uuid"}, "reply_to"),
        ({"text": "Antwort", "reply_to": UNKNOWN}, "reply_to"),
    ],
)
def test_bad_comments_are_refused_with_the_field_named(
    api: ApiClient, planner, body: dict[str, Any], field: str
) -> None:
    idea = submit(api)
    before = event_count(planner)

    response = api.post(
        f"/ideas/{idea['id']}/comments", as_="berta", json={"expected_version": 1, **body}
    )

    error = assert_api_error(response, 422, "validation")
    assert field in error["fields"]
    assert event_count(planner) == before


def test_an_auditor_cannot_comment(api: ApiClient, planner) -> None:
    idea = submit(api)
    before = event_count(planner)

    response = api.post(
        f"/ideas/{idea['id']}/comments",
        as_="pruefung",
        json={"text": "Prüfvermerk", "expected_version": 1},
    )

    assert_api_error(response, 403, "forbidden")
    assert event_count(planner) == before


# -- assessment and quick win --------------------------------------------------------------


def test_the_coordination_assesses_an_idea_and_it_moves_into_review_as_a_quick_win(
    api: ApiClient,
) -> None:
    idea = submit(api)

    assessed = assess(api, idea, impact=4, effort=2, expected_weeks=6)

    shown = api.get(f"/ideas/{idea['id']}", as_="tim").get_json()
    assert shown == assessed
    assert shown["stage"] == "in_review"
    assert shown["assessment"] == {
        "impact": 4,
        "effort": 2,
        "expected_weeks": 6,
        "rationale": "Schnell machbar.",
    }
    assert shown["quick_win"] is True
    assert shown["quick_win_overridden"] is False


def test_a_member_cannot_assess_an_idea_and_nothing_is_stored(api: ApiClient, planner) -> None:
    idea = submit(api)
    before = event_count(planner)

    response = api.post(
        f"/ideas/{idea['id']}/assessment",
        as_="tim",
        json={
            "impact": 5,
            "effort": 1,
            "expected_weeks": 2,
            "rationale": "Eigenlob.",
            "expected_version": 1,
        },
    )

    assert_api_error(response, 403, "forbidden")
    assert event_count(planner) == before
    assert api.get(f"/ideas/{idea['id']}").get_json()["assessment"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"impact": 7}, "impact"),
        ({"impact": 0}, "impact"),
        ({"effort": "3"}, "effort"),
        ({"effort": 2.5}, "effort"),
        ({"expected_weeks": 0}, "expected_weeks"),
        ({"rationale": ""}, "rationale"),
        ({"rationale": None}, "rationale"),
    ],
)
def test_a_bad_assessment_is_refused_with_the_field_named(
    api: ApiClient, planner, change: dict[str, Any], field: str
) -> None:
    idea = submit(api)
    before = event_count(planner)
    body = {"impact": 4, "effort": 2, "expected_weeks": 6, "rationale": "Gut."}
    body.update(change, expected_version=1)

    response = api.post(f"/ideas/{idea['id']}/assessment", as_="koordination", json=body)

    error = assert_api_error(response, 422, "validation")
    assert list(error["fields"]) == [field]
    assert event_count(planner) == before


def test_the_coordination_overrides_the_quick_win_rule_with_a_reason(api: ApiClient) -> None:
    idea = assess(api, submit(api))
    assert idea["quick_win"] is True

    overridden = call(
        api,
        "POST",
        f"/ideas/{idea['id']}/quick-win-override",
        "koordination",
        quick_win=False,
        reason="Abhängig von der Ausschreibung.",
        expected_version=idea["version"],
    )

    assert overridden["quick_win"] is False
    assert overridden["quick_win_overridden"] is True
    history = api.get(f"/ideas/{idea['id']}/history").get_json()["items"]
    assert history[-1]["type"] == "Idea.QuickWinOverridden"
    assert history[-1]["reason"] == "Abhängig von der Ausschreibung."


def test_the_quick_win_cannot_be_overridden_before_an_assessment(api: ApiClient) -> None:
    idea = submit(api)

    response = api.post(
        f"/ideas/{idea['id']}/quick-win-override",
        as_="koordination",
        json={"quick_win": True, "reason": "Dringend.", "expected_version": 1},
    )

    error = assert_api_error(response, 422, "rule_violation")
    assert error["rule"] == "idea.not_assessed"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quick_win": "yes", "reason": "Dringend."}, "quick_win"),
        ({"quick_win": True, "reason": " "}, "reason"),
        ({"quick_win": True}, "reason"),
    ],
)
def test_a_bad_quick_win_override_names_the_field(
    api: ApiClient, body: dict[str, Any], field: str
) -> None:
    idea = assess(api, submit(api))

    response = api.post(
        f"/ideas/{idea['id']}/quick-win-override",
        as_="koordination",
        json={"expected_version": idea["version"], **body},
    )

    error = assert_api_error(response, 422, "validation")
    assert field in error["fields"]


def test_a_member_cannot_override_the_quick_win(api: ApiClient, planner) -> None:
    idea = assess(api, submit(api))
    before = event_count(planner)

    response = api.post(
        f"/ideas/{idea['id']}/quick-win-override",
        as_="tim",
        json={"quick_win": True, "reason": "Bitte!", "expected_version": idea["version"]},
    )

    assert_api_error(response, 403, "forbidden")
    assert event_count(planner) == before


# -- assignment ---------------------------------------------------------------------------


def test_the_coordination_hands_an_idea_to_a_working_group(api: ApiClient, cast: Cast) -> None:
    idea = assess(api, submit(api))

    assigned = assign(api, idea, cast)

    shown = api.get(f"/ideas/{idea['id']}", as_="greta").get_json()
    assert shown == assigned
    assert shown["working_group_id"] == str(cast.group)
    assert shown["stage"] == "in_working_group"
    listed = api.get(f"/ideas?working_group_id={cast.group}").get_json()["items"]
    assert [i["id"] for i in listed] == [idea["id"]]


def test_a_member_cannot_assign_an_idea(api: ApiClient, planner, cast: Cast) -> None:
    idea = assess(api, submit(api))
    before = event_count(planner)

    response = api.post(
        f"/ideas/{idea['id']}/assignment",
        as_="tim",
        json={"working_group_id": str(cast.group), "expected_version": idea["version"]},
    )

    assert_api_error(response, 403, "forbidden")
    assert event_count(planner) == before


def test_an_assignment_to_an_unknown_working_group_gives_404(api: ApiClient) -> None:
    idea = assess(api, submit(api))

    response = api.post(
        f"/ideas/{idea['id']}/assignment",
        as_="koordination",
        json={"working_group_id": UNKNOWN, "expected_version": idea["version"]},
    )

    assert_api_error(response, 404, "not_found")


def test_a_submitted_idea_cannot_be_assigned_before_review(api: ApiClient, cast: Cast) -> None:
    idea = submit(api)

    response = api.post(
        f"/ideas/{idea['id']}/assignment",
        as_="koordination",
        json={"working_group_id": str(cast.group), "expected_version": 1},
    )

    assert_api_error(response, 422, "rule_violation")


# -- decisions ------------------------------------------------------------------------------


def test_accepting_an_idea_plans_its_measure_and_the_idea_names_it(
    api: ApiClient, planner, cast: Cast
) -> None:
    idea = accepted_idea(api, planner, cast)

    assert idea["stage"] == "planned"
    assert idea["status"] == "accepted"
    assert idea["decision_reason"] == "Passt in die Strategie."
    assert idea["measure_id"] is not None
    measure = planner.get_measure(UUID(idea["measure_id"]))
    assert measure.idea_id == UUID(idea["id"])
    assert measure.owner_department_id == cast.mobility
    assert api.get(f"/ideas/{idea['id']}", as_="pruefung").get_json()["stage"] == "planned"


def test_accepting_with_an_owner_department_makes_it_responsible_for_the_measure(
    api: ApiClient, planner, cast: Cast
) -> None:
    idea = submit(api)
    idea = recommend(api, planner, cast, assign(api, assess(api, idea), cast))

    accepted = call(
        api,
        "POST",
        f"/ideas/{idea['id']}/decision",
        "koordination",
        outcome="accept",
        reason="Die Bürgerdienste führen.",
        owner_department_id=str(cast.citizens),
        expected_version=idea["version"],
    )

    measure = planner.get_measure(UUID(accepted["measure_id"]))
    assert measure.owner_department_id == cast.citizens


def test_an_accepted_idea_with_a_planned_measure_counts_as_planned_and_accepted(
    api: ApiClient, planner, cast: Cast
) -> None:
    idea = accepted_idea(api, planner, cast)
    submit(api, title="Bänke im Stadtpark erneuern", summary="Neue Bänke.")

    def listed(stage: str) -> list[str]:
        response = api.get(f"/ideas?stage={stage}")
        assert response.status_code == 200
        return [i["id"] for i in response.get_json()["items"]]

    assert listed("planned") == [idea["id"]]
    assert listed("accepted") == [idea["id"]]
    assert listed("in_working_group") == []
    [item] = [i for i in api.get("/ideas").get_json()["items"] if i["id"] == idea["id"]]
    assert item["stage"] == "planned"

    planner.report_progress(cast.member, UUID(idea["measure_id"]), 1, 10, "Los geht's")

    assert listed("planned") == []
    assert listed("accepted") == [idea["id"]]
    assert listed("in_progress") == [idea["id"]]
    assert api.get(f"/ideas/{idea['id']}").get_json()["stage"] == "in_progress"


@pytest.mark.parametrize(
    ("outcome", "stage"), [("reject", "rejected"), ("park", "parked"), ("withdraw", "withdrawn")]
)
def test_a_decision_closes_an_open_idea_with_its_reason(
    api: ApiClient, outcome: str, stage: str
) -> None:
    idea = submit(api)
    who = "tim" if outcome == "withdraw" else "koordination"

    decided = call(
        api,
        "POST",
        f"/ideas/{idea['id']}/decision",
        who,
        outcome=outcome,
        reason="Begründet.",
        expected_version=1,
    )

    assert decided["stage"] == stage
    assert decided["decision_reason"] == "Begründet."
    assert api.get(f"/ideas/{idea['id']}").get_json()["stage"] == stage


def test_a_parked_idea_is_reopened_into_review(api: ApiClient) -> None:
    idea = submit(api)
    parked = call(
        api,
        "POST",
        f"/ideas/{idea['id']}/decision",
        "koordination",
        outcome="park",
        reason="Erst im nächsten Haushalt.",
        expected_version=1,
    )

    reopened = call(
        api,
        "POST",
        f"/ideas/{idea['id']}/decision",
        "koordination",
        outcome="reopen",
        reason="Der Haushalt ist da.",
        expected_version=parked["version"],
    )

    assert reopened["stage"] == "in_review"


def test_an_idea_is_merged_into_a_near_duplicate(api: ApiClient) -> None:
    target = submit(api)
    duplicate = submit(api, as_="berta", title="Parkplatzsensoren in der Innenstadt")

    merged = call(
        api,
        "POST",
        f"/ideas/{duplicate['id']}/decision",
        "koordination",
        outcome="merge",
        merge_into=target["id"],
        reason="Dieselbe Idee.",
        expected_version=1,
    )

    assert merged["stage"] == "merged"
    assert merged["merged_into"] == target["id"]


def test_an_idea_cannot_be_merged_into_itself(api: ApiClient, planner) -> None:
    idea = submit(api)
    before = event_count(planner)

    response = api.post(
        f"/ideas/{idea['id']}/decision",
        as_="koordination",
        json={
            "outcome": "merge",
            "merge_into": idea["id"],
            "reason": "Doppelt.",
            "expected_version": 1,
        },
    )

    error = assert_api_error(response, 422, "validation")
    assert list(error["fields"]) == ["merge_into"]
    assert event_count(planner) == before


def test_a_merge_into_an_unknown_idea_gives_404(api: ApiClient) -> None:
    idea = submit(api)

    response = api.post(
        f"/ideas/{idea['id']}/decision",
        as_="koordination",
        json={"outcome": "merge", "merge_into": UNKNOWN, "reason": "x", "expected_version": 1},
    )

    assert_api_error(response, 404, "not_found")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome": "approve", "reason": "Gut."}, "outcome"),
        ({"outcome": "merge", "reason": "Doppelt."}, "merge_into"),
        ({"outcome": "reject", "reason": ""}, "reason"),
        ({"outcome": "reject", "reason": "   "}, "reason"),
        ({"outcome": "reject"}, "reason"),
        ({"reason": "Gut."}, "outcome"),
        ({"outcome": "reject", "reason": "Nein.", "merge_into": UNKNOWN}, "merge_into"),
        (
            {"outcome": "park", "reason": "Später.", "owner_department_id": UNKNOWN},
            "owner_department_id",
        ),
    ],
)
def test_a_bad_decision_is_refused_with_the_field_named_and_nothing_stored(
    api: ApiClient, planner, body: dict[str, Any], field: str
) -> None:
    idea = submit(api)
    before = event_count(planner)

    response = api.post(
        f"/ideas/{idea['id']}/decision",
        as_="koordination",
        json={"expected_version": 1, **body},
    )

    error = assert_api_error(response, 422, "validation")
    assert field in error["fields"]
    assert event_count(planner) == before
    assert api.get(f"/ideas/{idea['id']}").get_json()["stage"] == "submitted"


def test_a_member_cannot_reject_and_another_department_cannot_withdraw(
    api: ApiClient, planner
) -> None:
    idea = submit(api)
    before = event_count(planner)

    rejected = api.post(
        f"/ideas/{idea['id']}/decision",
        as_="tim",
        json={"outcome": "reject", "reason": "Doch nicht.", "expected_version": 1},
    )
    withdrawn = api.post(
        f"/ideas/{idea['id']}/decision",
        as_="berta",
        json={"outcome": "withdraw", "reason": "Fremd.", "expected_version": 1},
    )

    assert_api_error(rejected, 403, "forbidden")
    assert_api_error(withdrawn, 403, "forbidden")
    assert event_count(planner) == before


def test_accepting_before_the_working_group_is_a_rule_violation(api: ApiClient) -> None:
    idea = submit(api)

    response = api.post(
        f"/ideas/{idea['id']}/decision",
        as_="koordination",
        json={"outcome": "accept", "reason": "Sofort.", "expected_version": 1},
    )

    error = assert_api_error(response, 422, "rule_violation")
    assert error["rule"] == "idea.illegal_transition"


def test_a_stale_decision_gives_409_and_a_stale_if_match_412(api: ApiClient, planner) -> None:
    idea = assess(api, submit(api))
    before = event_count(planner)
    body = {"outcome": "reject", "reason": "Nein."}

    conflict = api.post(
        f"/ideas/{idea['id']}/decision", as_="koordination", json={**body, "expected_version": 1}
    )
    failed = api.post(
        f"/ideas/{idea['id']}/decision",
        as_="koordination",
        json=body,
        headers={"If-Match": '"1"'},
    )

    assert assert_api_error(conflict, 409, "conflict")["current_version"] == 2
    assert assert_api_error(failed, 412, "precondition_failed")["current_version"] == 2
    assert event_count(planner) == before


# -- history and diff ---------------------------------------------------------------------


def test_the_history_after_a_short_lifecycle_lists_every_step_in_order(
    api: ApiClient, planner, cast: Cast
) -> None:
    idea = accepted_idea(api, planner, cast)

    response = api.get(f"/ideas/{idea['id']}/history", as_="pruefung")

    assert response.status_code == 200
    items = response.get_json()["items"]
    steps = [(e["type"], e["actor"]["name"], e["actor"]["role"], e["reason"]) for e in items]
    assert steps == [
        ("Idea.Submitted", "Tim Tiefbau", "member", None),
        ("Idea.Assessed", "Clara Koordination", "coordinator", None),
        ("Idea.AssignedToWorkingGroup", "Clara Koordination", "coordinator", None),
        ("Idea.Recommended", "Greta Gruppe", "group_member", "Die AG empfiehlt die Umsetzung."),
        ("Idea.Accepted", "Clara Koordination", "coordinator", "Passt in die Strategie."),
        ("Measure.Planned", "Clara Koordination", "coordinator", None),
    ]
    assert items[1]["details"]["rationale"] == "Schnell machbar."
    first = items[0]
    assert first["label"] == "Idee eingereicht"
    assert first["aggregate"] == "Idea"
    assert first["aggregate_id"] == idea["id"]
    assert first["version"] == 1
    assert first["actor"]["department"] == "Tiefbauamt"
    assert first["actor"]["department_id"] == str(cast.mobility)
    assert [e["occurred_at"] for e in items] == sorted(e["occurred_at"] for e in items)


def test_the_history_can_show_only_the_decisions(api: ApiClient, planner, cast: Cast) -> None:
    idea = accepted_idea(api, planner, cast)

    items = api.get(f"/ideas/{idea['id']}/history?kind=decisions").get_json()["items"]

    assert [e["type"] for e in items] == [
        "Idea.Assessed",
        "Idea.AssignedToWorkingGroup",
        "Idea.Recommended",
        "Idea.Accepted",
    ]
    assert {e["kind"] for e in items} == {"decisions"}


def test_an_unknown_history_kind_is_refused(api: ApiClient) -> None:
    idea = submit(api)

    error = assert_api_error(api.get(f"/ideas/{idea['id']}/history?kind=gossip"), 422, "validation")
    assert "kind" in error["fields"]


def test_the_diff_lists_the_fields_changed_between_two_versions(api: ApiClient) -> None:
    idea = submit(api)
    call(api, "PATCH", f"/ideas/{idea['id']}", "tim", title="Parken per App", expected_version=1)
    assess(api, {**idea, "version": 2})

    response = api.get(f"/ideas/{idea['id']}/diff?from=1&to=2", as_="berta")

    assert response.status_code == 200
    assert response.get_json() == {
        "from": 1,
        "to": 2,
        "changes": [
            {"field": "title", "old": idea["title"], "new": "Parken per App"},
        ],
    }
    later = api.get(f"/ideas/{idea['id']}/diff?from=2&to=3").get_json()
    fields = {c["field"]: c for c in later["changes"]}
    assert fields["status"]["old"] == "submitted"
    assert fields["status"]["new"] == "in_review"
    assert "title" not in fields


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2&to=1", "to"),
        ("from=1&to=1", "to"),
        ("from=0&to=1", "from"),
        ("from=abc&to=2", "from"),
        ("to=2", "from"),
        ("from=1", "to"),
    ],
)
def test_bad_diff_versions_are_refused_with_the_parameter_named(
    api: ApiClient, query: str, field: str
) -> None:
    idea = submit(api)

    error = assert_api_error(api.get(f"/ideas/{idea['id']}/diff?{query}"), 422, "validation")
    assert field in error["fields"]


def test_a_diff_to_a_version_the_idea_does_not_have_yet_gives_404(api: ApiClient) -> None:
    idea = submit(api)

    assert_api_error(api.get(f"/ideas/{idea['id']}/diff?from=1&to=5"), 404, "not_found")


# -- similar ideas --------------------------------------------------------------------------


def test_similar_ideas_finds_a_near_duplicate_title(api: ApiClient) -> None:
    idea = submit(api)
    submit(api, title="Bänke im Stadtpark erneuern", summary="Neue Bänke für den Park.")

    response = api.get(
        "/ideas/similar",
        as_="berta",
        query_string={"title": "Freie Parkplätze mit Sensoren anzeigen", "summary": "Sensoren"},
    )

    assert response.status_code == 200
    items = response.get_json()["items"]
    assert items[0]["id"] == idea["id"]
    assert items[0]["stage"] == "submitted"
    assert items[0]["stage_label"] == "Eingereicht"
    assert 0 < items[0]["score"] <= 100
    assert "Bänke im Stadtpark erneuern" not in [i["title"] for i in items]


def test_similar_ideas_shows_an_accepted_idea_as_planned(
    api: ApiClient, planner, cast: Cast
) -> None:
    idea = accepted_idea(api, planner, cast)

    items = api.get(
        "/ideas/similar", query_string={"title": "Freie Parkplätze per Sensor anzeigen"}
    ).get_json()["items"]

    assert [(i["id"], i["stage"]) for i in items] == [(idea["id"], "planned")]


@pytest.mark.parametrize(
    ("query", "field"),
    [({}, "title"), ({"title": ""}, "title"), ({"title": "Park", "limit": "0"}, "limit")],
)
def test_similar_ideas_needs_a_title(api: ApiClient, query: dict[str, str], field: str) -> None:
    error = assert_api_error(api.get("/ideas/similar", query_string=query), 422, "validation")
    assert field in error["fields"]


def test_similar_ideas_needs_a_token(api: ApiClient) -> None:
    assert_api_error(api.get("/ideas/similar?title=Parken", as_=None), 401, "unauthenticated")


# -- unknown ideas ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "", {"title": "Neuer Titel"}),
        ("POST", "/support", {}),
        ("DELETE", "/support", {}),
        ("POST", "/comments", {"text": "Hallo"}),
        (
            "POST",
            "/assessment",
            {"impact": 3, "effort": 3, "expected_weeks": 4, "rationale": "Gut."},
        ),
        ("POST", "/quick-win-override", {"quick_win": True, "reason": "Gut."}),
        ("POST", "/decision", {"outcome": "reject", "reason": "Nein."}),
        ("GET", "/history", None),
        ("GET", "/diff?from=1&to=2", None),
    ],
)
def test_an_unknown_idea_gives_404_for_every_idea_route(
    api: ApiClient, planner, method: str, path: str, body: dict[str, Any] | None
) -> None:
    before = event_count(planner)
    who = "berta" if path == "/support" else ("tim" if method == "PATCH" else "koordination")
    kwargs = {} if body is None else {"json": {"expected_version": 1, **body}}

    response = api.request(method, f"/ideas/{uuid4()}{path}", who, **kwargs)

    assert_api_error(response, 404, "not_found")
    assert event_count(planner) == before


def test_an_assignment_of_an_unknown_idea_gives_404(api: ApiClient, cast: Cast) -> None:
    response = api.post(
        f"/ideas/{uuid4()}/assignment",
        as_="koordination",
        json={"working_group_id": str(cast.group), "expected_version": 1},
    )

    assert_api_error(response, 404, "not_found")


def test_a_measure_id_is_not_an_idea(api: ApiClient, planner, cast: Cast) -> None:
    idea = accepted_idea(api, planner, cast)

    assert_api_error(api.get(f"/ideas/{idea['measure_id']}/history"), 404, "not_found")
    assert_api_error(api.get(f"/ideas/{idea['measure_id']}/diff?from=1&to=2"), 404, "not_found")
