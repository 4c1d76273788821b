"""Exchange formats and digital pilots in the JSON API: sessions, figures, pilots, origins."""

from __future__ import annotations

import datetime as dt
from uuid import UUID, uuid4

import pytest
from flask import Flask

from tests.conftest import Cast, event_count
from tests.functional.conftest import ApiClient, assert_api_error

REFUSED = ("tim", "greta", "pruefung", "admin")  # member, group member, auditor, admin
D = dt.date


@pytest.fixture
def ideation(web_app: Flask):
    return web_app.extensions["ideation"]


def planned(ideation, cast: Cast, topic: str = "Sprechstunde", kind: str = "consultation_hour"):
    return ideation.plan_exchange_session(
        cast.coordinator,
        kind=kind,
        scheduled_on=D(2030, 5, 4),
        topic=topic,
        host_person_id=cast.coordinator,
        invited_department_ids=[cast.mobility],
    )


def held(ideation, cast: Cast, topic: str = "Fragen zur E-Akte", kind: str = "online_qa"):
    session = planned(ideation, cast, topic, kind)
    ideation.record_exchange_session(
        cast.coordinator,
        session,
        1,
        held_on=D(2030, 5, 4),
        participating_department_ids=[cast.mobility, cast.citizens],
        participant_count=9,
        needs=["Schulung"],
    )
    return session


RECORD = {
    "held_on": "2030-05-04",
    "participating_department_ids": [],
    "participant_count": 12,
    "notes": "Viele Fragen",
    "needs": ["Schulung E-Akte", "WLAN"],
}


# -- sessions: list, plan, read --------------------------------------------------------------


def test_every_signed_in_role_lists_sessions_with_counts_and_filters(
    api: ApiClient, cast: Cast, ideation
) -> None:
    online = held(ideation, cast)
    consultation = planned(ideation, cast, "Herbstsprechstunde")

    for username in ("admin", "koordination", "tim", "berta", "greta", "pruefung"):
        response = api.get("/exchange-sessions", as_=username)
        assert response.status_code == 200, username
    body = api.get("/exchange-sessions", as_="tim").get_json()
    only_held = api.get("/exchange-sessions?status=held", as_="tim").get_json()
    only_consultations = api.get("/exchange-sessions?kind=consultation_hour").get_json()

    assert body["next"] is None
    assert {i["id"] for i in body["items"]} == {str(online), str(consultation)}
    item = next(i for i in body["items"] if i["id"] == str(online))
    assert item["kind"] == "online_qa"
    assert item["kind_label"] == "Online-Q&A"
    assert item["status_label"] == "Durchgeführt"
    assert item["host_name"] == "Clara Koordination"
    assert (item["invited_count"], item["participating_count"], item["ideas_collected"]) == (
        1,
        2,
        0,
    )
    assert [i["id"] for i in only_held["items"]] == [str(online)]
    assert [i["id"] for i in only_consultations["items"]] == [str(consultation)]


def test_an_unknown_kind_or_status_filter_is_422(api: ApiClient, cast: Cast) -> None:
    error = assert_api_error(api.get("/exchange-sessions?kind=picknick"), 422, "validation")
    assert "kind" in error["fields"]
    assert_api_error(api.get("/exchange-sessions?status=maybe"), 422, "validation")
    assert_api_error(api.get("/pilots?status=maybe"), 422, "validation")


def test_the_coordination_plans_a_session_and_gets_it_with_etag_and_location(
    api: ApiClient, cast: Cast
) -> None:
    response = api.post(
        "/exchange-sessions",
        as_="koordination",
        json={
            "kind": "round_visit",
            "scheduled_on": "2030-06-12",
            "topic": "Besuch der Amtsleitungsrunde",
            "host_person_id": str(cast.coordinator),
            "round_department_id": str(cast.mobility),
            "invited_department_ids": [str(cast.mobility)],
        },
    )

    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"].endswith(f"/api/v1/exchange-sessions/{body['id']}")
    assert body["status"] == "planned"
    assert body["round_department_id"] == str(cast.mobility)
    assert body["invited_department_ids"] == [str(cast.mobility)]
    assert body["ideas"] == []
    again = api.get(f"/exchange-sessions/{body['id']}", as_="tim")
    assert again.status_code == 200
    assert again.headers["ETag"] == '"1"'
    assert again.get_json()["topic"] == "Besuch der Amtsleitungsrunde"


def test_a_plan_with_bad_fields_is_422_with_field_messages(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    before = event_count(web_app.extensions["ideation"])

    missing = api.post("/exchange-sessions", as_="koordination", json={"kind": "picknick"})
    visit = api.post(
        "/exchange-sessions",
        as_="koordination",
        json={
            "kind": "round_visit",
            "scheduled_on": "2030-06-12",
            "topic": "Besuch",
            "host_person_id": str(cast.coordinator),
        },
    )
    stranger = api.post(
        "/exchange-sessions",
        as_="koordination",
        json={
            "kind": "online_qa",
            "scheduled_on": "2030-06-12",
            "topic": "Fragen",
            "host_person_id": str(uuid4()),
        },
    )

    fields = assert_api_error(missing, 422, "validation")["fields"]
    assert {"kind", "scheduled_on", "topic", "host_person_id"} <= set(fields)
    assert "round_department_id" in assert_api_error(visit, 422, "validation")["fields"]
    assert "host_person_id" in assert_api_error(stranger, 422, "validation")["fields"]
    assert event_count(web_app.extensions["ideation"]) == before


@pytest.mark.parametrize("username", REFUSED)
def test_only_the_coordination_may_plan_through_the_api(
    api: ApiClient, cast: Cast, username: str
) -> None:
    response = api.post(
        "/exchange-sessions",
        as_=username,
        json={
            "kind": "online_qa",
            "scheduled_on": "2030-06-12",
            "topic": "Fragen",
            "host_person_id": str(cast.coordinator),
        },
    )

    assert_api_error(response, 403, "forbidden")


def test_without_a_token_every_endpoint_is_401(api: ApiClient, cast: Cast, ideation) -> None:
    session = planned(ideation, cast)
    for method, path in [
        ("GET", "/exchange-sessions"),
        ("GET", "/exchange-sessions/figures"),
        ("GET", f"/exchange-sessions/{session}"),
        ("POST", f"/exchange-sessions/{session}/cancel"),
        ("GET", "/pilots"),
        ("GET", f"/departments/{cast.mobility}/pilots"),
    ]:
        response = api.request(method, path, as_=None, json={})
        assert_api_error(response, 401, "unauthenticated")


def test_unknown_sessions_pilots_and_departments_are_404(api: ApiClient, cast: Cast) -> None:
    assert_api_error(api.get(f"/exchange-sessions/{uuid4()}"), 404, "not_found")
    assert_api_error(api.get(f"/pilots/{uuid4()}"), 404, "not_found")
    assert_api_error(api.get(f"/departments/{uuid4()}/pilots"), 404, "not_found")
    cancelled = api.post(
        f"/exchange-sessions/{uuid4()}/cancel",
        as_="koordination",
        json={"reason": "Weil", "expected_version": 1},
    )
    assert_api_error(cancelled, 404, "not_found")


# -- sessions: commands -------------------------------------------------------------------------


def test_the_coordination_records_a_session_as_held_with_if_match(
    api: ApiClient, cast: Cast, ideation
) -> None:
    session = planned(ideation, cast)

    response = api.post(
        f"/exchange-sessions/{session}/record",
        as_="koordination",
        headers={"If-Match": '"1"'},
        json={**RECORD, "participating_department_ids": [str(cast.mobility), str(cast.digital)]},
    )

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["ETag"] == '"2"'
    body = response.get_json()
    assert body["status"] == "held"
    assert body["held_on"] == "2030-05-04"
    assert body["participating_department_ids"] == [str(cast.mobility), str(cast.digital)]
    assert body["participant_count"] == 12
    assert body["needs"] == ["Schulung E-Akte", "WLAN"]


def test_reschedule_and_cancel_take_expected_version_in_the_body(
    api: ApiClient, cast: Cast, ideation
) -> None:
    session = planned(ideation, cast)

    moved = api.post(
        f"/exchange-sessions/{session}/reschedule",
        as_="koordination",
        json={"scheduled_on": "2030-05-11", "note": "Raum belegt", "expected_version": 1},
    )
    cancelled = api.post(
        f"/exchange-sessions/{session}/cancel",
        as_="koordination",
        json={"reason": "Zu wenige Anmeldungen", "expected_version": 2},
    )

    assert moved.status_code == 200
    assert moved.get_json()["scheduled_on"] == "2030-05-11"
    assert cancelled.status_code == 200
    body = cancelled.get_json()
    assert body["status"] == "cancelled"
    assert body["cancellation_reason"] == "Zu wenige Anmeldungen"


def test_a_command_without_a_version_is_428_a_stale_if_match_412_a_stale_body_409(
    api: ApiClient, cast: Cast, ideation, web_app: Flask
) -> None:
    session = planned(ideation, cast)
    ideation.reschedule_exchange_session(cast.coordinator, session, 1, D(2030, 5, 6))
    before = event_count(ideation)

    no_version = api.post(
        f"/exchange-sessions/{session}/cancel", as_="koordination", json={"reason": "Weil"}
    )
    stale_header = api.post(
        f"/exchange-sessions/{session}/cancel",
        as_="koordination",
        headers={"If-Match": '"1"'},
        json={"reason": "Weil"},
    )
    stale_body = api.post(
        f"/exchange-sessions/{session}/reschedule",
        as_="koordination",
        json={"scheduled_on": "2030-05-20", "expected_version": 1},
    )

    assert_api_error(no_version, 428, "precondition_required")
    error = assert_api_error(stale_header, 412, "precondition_failed")
    assert error["current_version"] == 2
    assert stale_header.headers["ETag"] == '"2"'
    assert assert_api_error(stale_body, 409, "conflict")["current_version"] == 2
    assert event_count(ideation) == before


def test_a_command_the_stage_forbids_is_422_with_the_rule(
    api: ApiClient, cast: Cast, ideation
) -> None:
    session = held(ideation, cast)

    response = api.post(
        f"/exchange-sessions/{session}/cancel",
        as_="koordination",
        json={"reason": "Zu spät", "expected_version": 2},
    )
    same_day = api.post(
        f"/exchange-sessions/{planned(ideation, cast)}/reschedule",
        as_="koordination",
        json={"scheduled_on": "2030-05-04", "expected_version": 1},
    )

    error = assert_api_error(response, 422, "rule_violation")
    assert error["rule"]
    assert assert_api_error(same_day, 422, "rule_violation")["rule"] == "exchange.no_changes"


def test_a_record_with_bad_fields_is_422(api: ApiClient, cast: Cast, ideation) -> None:
    session = planned(ideation, cast)

    empty = api.post(
        f"/exchange-sessions/{session}/record",
        as_="koordination",
        json={**RECORD, "expected_version": 1},
    )
    zero = api.post(
        f"/exchange-sessions/{session}/record",
        as_="koordination",
        json={
            **RECORD,
            "participating_department_ids": [str(cast.mobility)],
            "participant_count": 0,
            "expected_version": 1,
        },
    )

    fields = assert_api_error(empty, 422, "validation")["fields"]
    assert "participating_department_ids" in fields
    assert "participant_count" in assert_api_error(zero, 422, "validation")["fields"]


@pytest.mark.parametrize("username", REFUSED)
def test_only_the_coordination_may_reschedule_record_or_cancel(
    api: ApiClient, cast: Cast, ideation, username: str
) -> None:
    session = planned(ideation, cast)
    before = event_count(ideation)

    responses = [
        api.post(
            f"/exchange-sessions/{session}/reschedule",
            as_=username,
            json={"scheduled_on": "2030-05-11", "expected_version": 1},
        ),
        api.post(
            f"/exchange-sessions/{session}/record",
            as_=username,
            json={
                **RECORD,
                "participating_department_ids": [str(cast.mobility)],
                "expected_version": 1,
            },
        ),
        api.post(
            f"/exchange-sessions/{session}/cancel",
            as_=username,
            json={"reason": "Weil", "expected_version": 1},
        ),
    ]

    for response in responses:
        assert_api_error(response, 403, "forbidden")
    assert event_count(ideation) == before


# -- figures and ideas from sessions ------------------------------------------------------------


def test_ideas_name_their_session_and_the_figures_count_them_per_kind(
    api: ApiClient, cast: Cast, ideation
) -> None:
    session = held(ideation, cast)

    submitted = api.post(
        "/ideas",
        as_="tim",
        json={
            "title": "Digitale Akte",
            "summary": "Akten digital",
            "origin_session_id": str(session),
        },
    )
    figures = api.get("/exchange-sessions/figures", as_="pruefung")
    detail = api.get(f"/exchange-sessions/{session}")

    assert submitted.status_code == 201, submitted.get_data(as_text=True)
    idea = submitted.get_json()
    assert idea["origin_session_id"] == str(session)
    assert idea["origin_round_id"] is None
    assert figures.status_code == 200
    body = figures.get_json()
    rows = {r["kind"]: r for r in body["kinds"]}
    assert list(rows) == [
        "consultation_hour",
        "online_qa",
        "round_visit",
        "regulars_table",
        "conference",
    ]
    assert rows["online_qa"] == {
        "kind": "online_qa",
        "kind_label": "Online-Q&A",
        "sessions_held": 1,
        "departments_reached": 2,
        "ideas_collected": 1,
        "measures": 0,
        "quick_wins": 0,
    }
    assert body["total"]["kind"] is None
    assert body["total"]["ideas_collected"] == 1
    assert [i["id"] for i in detail.get_json()["ideas"]] == [idea["id"]]
    assert detail.get_json()["ideas"][0]["stage"] == "submitted"


def test_an_idea_cannot_name_a_planned_or_unknown_session(
    api: ApiClient, cast: Cast, ideation
) -> None:
    session = planned(ideation, cast)

    not_held = api.post(
        "/ideas",
        as_="tim",
        json={"title": "Digitale Akte", "summary": "Akten", "origin_session_id": str(session)},
    )
    unknown = api.post(
        "/ideas",
        as_="tim",
        json={"title": "Digitale Akte", "summary": "Akten", "origin_session_id": str(uuid4())},
    )

    assert "origin_session_id" in assert_api_error(not_held, 422, "validation")["fields"]
    assert "origin_session_id" in assert_api_error(unknown, 422, "validation")["fields"]


# -- pilots ---------------------------------------------------------------------------------------


def test_the_coordination_nominates_confirms_and_withdraws_a_pilot(
    api: ApiClient, cast: Cast, ideation
) -> None:
    session = held(ideation, cast)

    nominated = api.post(
        "/pilots",
        as_="koordination",
        json={
            "person_id": str(cast.other_member),
            "reason": "Viele Ideen",
            "session_id": str(session),
        },
    )
    assert nominated.status_code == 201, nominated.get_data(as_text=True)
    pilot = nominated.get_json()
    assert nominated.headers["ETag"] == '"1"'
    assert nominated.headers["Location"].endswith(f"/api/v1/pilots/{pilot['id']}")
    assert pilot["status"] == "candidate"
    assert pilot["status_label"] == "Kandidatin / Kandidat"
    assert pilot["person_name"] == "Berta Bürgerdienst"
    assert pilot["department_id"] == str(cast.citizens)
    assert pilot["session_id"] == str(session)
    assert pilot["session_topic"] == "Fragen zur E-Akte"

    confirmed = api.post(
        f"/pilots/{pilot['id']}/confirm",
        as_="koordination",
        headers={"If-Match": '"1"'},
    )
    assert confirmed.status_code == 200, confirmed.get_data(as_text=True)
    assert confirmed.get_json()["status"] == "confirmed"

    withdrawn = api.post(
        f"/pilots/{pilot['id']}/withdraw",
        as_="koordination",
        json={"reason": "Wechselt die Stelle", "expected_version": 2},
    )
    assert withdrawn.status_code == 200
    assert withdrawn.get_json()["status"] == "withdrawn"
    assert withdrawn.get_json()["reason"] == "Wechselt die Stelle"

    read = api.get(f"/pilots/{pilot['id']}", as_="tim")
    assert read.status_code == 200
    assert read.headers["ETag"] == '"3"'


def test_pilots_are_listed_overall_by_status_and_per_department(
    api: ApiClient, cast: Cast, ideation
) -> None:
    berta = ideation.nominate_pilot(cast.coordinator, cast.other_member, "Viele Ideen")
    ideation.confirm_pilot(cast.coordinator, berta, 1)
    tim = ideation.nominate_pilot(cast.coordinator, cast.member, "Neugierig")

    everyone = api.get("/pilots", as_="greta").get_json()
    candidates = api.get("/pilots?status=candidate").get_json()
    citizens = api.get(f"/departments/{cast.citizens}/pilots", as_="tim").get_json()
    by_filter = api.get(f"/pilots?department_id={cast.mobility}").get_json()

    assert [p["id"] for p in everyone["items"]] == [str(berta), str(tim)]
    assert [p["id"] for p in candidates["items"]] == [str(tim)]
    assert [p["id"] for p in citizens["items"]] == [str(berta)]
    assert [p["id"] for p in by_filter["items"]] == [str(tim)]


def test_nominating_someone_already_noted_is_422_and_a_stranger_is_422(
    api: ApiClient, cast: Cast, ideation
) -> None:
    ideation.nominate_pilot(cast.coordinator, cast.other_member, "Viele Ideen")

    again = api.post(
        "/pilots",
        as_="koordination",
        json={"person_id": str(cast.other_member), "reason": "Nochmal"},
    )
    stranger = api.post(
        "/pilots", as_="koordination", json={"person_id": str(uuid4()), "reason": "Wer?"}
    )
    no_reason = api.post("/pilots", as_="koordination", json={"person_id": str(cast.member)})

    assert assert_api_error(again, 422, "rule_violation")["rule"] == "pilot.already_noted"
    assert "person_id" in assert_api_error(stranger, 422, "validation")["fields"]
    assert "reason" in assert_api_error(no_reason, 422, "validation")["fields"]


def test_pilot_commands_need_a_version_and_refuse_stale_ones(
    api: ApiClient, cast: Cast, ideation
) -> None:
    pilot = ideation.nominate_pilot(cast.coordinator, cast.other_member, "Viele Ideen")
    ideation.confirm_pilot(cast.coordinator, pilot, 1)

    no_version = api.post(f"/pilots/{pilot}/withdraw", as_="koordination", json={"reason": "x"})
    stale = api.post(
        f"/pilots/{pilot}/withdraw",
        as_="koordination",
        headers={"If-Match": '"1"'},
        json={"reason": "x"},
    )
    stale_body = api.post(
        f"/pilots/{pilot}/withdraw",
        as_="koordination",
        json={"reason": "x", "expected_version": 1},
    )
    confirmed_again = api.post(
        f"/pilots/{pilot}/confirm", as_="koordination", json={"expected_version": 2}
    )

    assert_api_error(no_version, 428, "precondition_required")
    assert_api_error(stale, 412, "precondition_failed")
    assert_api_error(stale_body, 409, "conflict")
    assert_api_error(confirmed_again, 422, "rule_violation")
    assert_api_error(
        api.post(f"/pilots/{uuid4()}/confirm", as_="koordination", json={"expected_version": 1}),
        404,
        "not_found",
    )


@pytest.mark.parametrize("username", REFUSED)
def test_only_the_coordination_may_nominate_confirm_or_withdraw(
    api: ApiClient, cast: Cast, ideation, username: str
) -> None:
    pilot = ideation.nominate_pilot(cast.coordinator, cast.other_member, "Viele Ideen")
    before = event_count(ideation)

    responses = [
        api.post("/pilots", as_=username, json={"person_id": str(cast.member), "reason": "x"}),
        api.post(f"/pilots/{pilot}/confirm", as_=username, json={"expected_version": 1}),
        api.post(
            f"/pilots/{pilot}/withdraw",
            as_=username,
            json={"reason": "x", "expected_version": 1},
        ),
    ]

    for response in responses:
        assert_api_error(response, 403, "forbidden")
    assert event_count(ideation) == before


def test_unknown_fields_are_refused(api: ApiClient, cast: Cast, ideation) -> None:
    session: UUID = planned(ideation, cast)

    response = api.post(
        f"/exchange-sessions/{session}/cancel",
        as_="koordination",
        json={"reason": "Weil", "expected_version": 1, "colour": "blau"},
    )

    assert "colour" in assert_api_error(response, 422, "validation")["fields"]
