"""The record in the JSON API: the events feed, the hash chain's check, the dashboard."""

from __future__ import annotations

import datetime as dt
import time
from uuid import UUID

from flask import Flask

from ideation.application.service import IdeationApplication
from tests.conftest import Cast, event_count
from tests.functional.conftest import ApiClient, assert_api_error


def _planner(web_app: Flask) -> IdeationApplication:
    return web_app.extensions["ideation"]


def _version(app: IdeationApplication, idea: UUID) -> int:
    return app.get_idea(idea).version


def _assess(app: IdeationApplication, cast: Cast, idea: UUID) -> None:
    app.assess_idea(
        cast.coordinator,
        idea,
        _version(app, idea),
        impact=4,
        effort=2,
        expected_weeks=8,
        rationale="Schnell machbar",
    )


def _accept(app: IdeationApplication, cast: Cast, idea: UUID) -> UUID:
    _assess(app, cast, idea)
    app.assign_idea_to_working_group(cast.coordinator, idea, _version(app, idea), cast.group)
    return app.accept_idea(cast.coordinator, idea, _version(app, idea), "Passt gut")


def _all_events(api: ApiClient, limit: int, as_: str = "pruefung") -> tuple[list[dict], int]:
    """Every item of the feed, page by page; and how many pages it took."""
    items: list[dict] = []
    after: str | None = None
    pages = 0
    while True:
        query = f"?limit={limit}" + (f"&after={after}" if after is not None else "")
        response = api.get("/events" + query, as_=as_)
        assert response.status_code == 200, response.text
        page = response.get_json()
        pages += 1
        assert len(page["items"]) <= limit
        items.extend(page["items"])
        after = page["next"]
        if after is None:
            return items, pages
        assert after == str(page["items"][-1]["position"])


# -- events feed -------------------------------------------------------------------------------


def test_the_events_feed_pages_through_every_stored_event_exactly_once(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    app = _planner(web_app)
    for n in range(3):
        app.submit_idea(cast.member, title=f"Idee {n}", summary="Kurz beschrieben")
    total = event_count(app)

    items, pages = _all_events(api, limit=7)

    assert [i["position"] for i in items] == list(range(1, total + 1))
    assert pages == -(-total // 7)
    one_page, _ = _all_events(api, limit=200, as_="koordination")
    assert one_page == items


def test_the_events_feed_shows_a_scripted_history_with_types_actors_and_reasons(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    app = _planner(web_app)
    start = event_count(app)
    idea = app.submit_idea(cast.member, title="Ampel mit Sensor", summary="Weniger Stau")
    _assess(app, cast, idea)
    app.park_idea(cast.coordinator, idea, _version(app, idea), "Erst nach dem Haushalt")
    app.revoke_role(cast.admin, cast.auditor, 2, "auditor", "Prüfung beendet")

    response = api.get(f"/events?after={start}", as_="koordination")

    assert response.status_code == 200
    page = response.get_json()
    assert page["next"] is None
    steps = [
        (
            i["type"],
            i["aggregate"],
            i["actor"]["name"],
            i["actor"]["department"],
            i["actor"]["role"],
            i["reason"],
        )
        for i in page["items"]
    ]
    assert steps == [
        ("Idea.Submitted", "Idea", "Tim Tiefbau", "Tiefbauamt", "member", None),
        (
            "Idea.Assessed",
            "Idea",
            "Clara Koordination",
            "Stabsstelle Digitalisierung",
            "coordinator",
            None,
        ),
        (
            "Idea.Parked",
            "Idea",
            "Clara Koordination",
            "Stabsstelle Digitalisierung",
            "coordinator",
            "Erst nach dem Haushalt",
        ),
        (
            "Person.RoleRevoked",
            "Person",
            "Ada Admin",
            "Stabsstelle Digitalisierung",
            "admin",
            "Prüfung beendet",
        ),
    ]
    first, *_, last = page["items"]
    assert first["position"] == start + 1
    assert first["aggregate_id"] == str(idea)
    assert [i["version"] for i in page["items"][:3]] == [1, 2, 3]
    assert first["actor"]["id"] == str(cast.member)
    assert first["actor"]["department_id"] == str(cast.mobility)
    assert last["aggregate_id"] == str(cast.auditor)
    assert last["outcome"] == "auditor"
    assert dt.datetime.fromisoformat(first["occurred_at"]).tzinfo is not None


def test_the_first_event_is_the_installation_by_the_system(api: ApiClient) -> None:
    first = api.get("/events?limit=1", as_="pruefung").get_json()

    assert first["next"] == "1"
    assert first["items"][0]["position"] == 1
    assert first["items"][0]["actor"]["role"] == "system"
    assert first["items"][0]["actor"]["name"] == "System"


def test_after_the_last_position_the_feed_is_empty(api: ApiClient, web_app: Flask) -> None:
    total = event_count(_planner(web_app))

    page = api.get(f"/events?after={total}", as_="pruefung").get_json()

    assert page == {"items": [], "next": None}


def test_members_admins_and_working_groups_may_not_read_the_events_feed(api: ApiClient) -> None:
    for username in ("tim", "greta", "admin"):
        assert_api_error(api.get("/events", as_=username), 403, "forbidden")


def test_a_bad_position_or_limit_is_refused_on_its_field(api: ApiClient) -> None:
    for query, field in (
        ("after=-1", "after"),
        ("after=abc", "after"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("since=3", "since"),
    ):
        error = assert_api_error(api.get(f"/events?{query}", as_="pruefung"), 422, "validation")
        assert set(error["fields"]) == {field}, query


def test_the_events_feed_needs_a_token(api: ApiClient) -> None:
    assert_api_error(api.get("/events", as_=None), 401, "unauthenticated")


# -- hash chain --------------------------------------------------------------------------------


def test_verify_reports_an_intact_chain_with_its_head(api: ApiClient, web_app: Flask) -> None:
    total = event_count(_planner(web_app))

    response = api.get("/audit/verify", as_="pruefung")

    assert response.status_code == 200
    result = response.get_json()
    assert result["status"] == "ok"
    assert result["intact"] is True
    assert result["first_break"] is None
    assert result["expected_matches"] is None
    assert result["checked"] == total
    head = result["head"]
    assert head["position"] == total
    assert head["length"] == total
    assert len(head["link"]) == 64
    assert head["occurred_at"] is not None
    assert (head["position"], head["link"]) == (
        _planner(web_app).read_models.chain_head().position,
        _planner(web_app).read_models.chain_head().link,
    )


def test_verify_compares_a_kept_head_and_reports_a_wrong_one_as_broken(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    head = api.get("/audit/verify", as_="koordination").get_json()["head"]
    _planner(web_app).submit_idea(cast.member, title="Später", summary="Danach eingereicht")

    kept = api.get(
        f"/audit/verify?expected_position={head['position']}&expected_link={head['link']}",
        as_="koordination",
    ).get_json()
    wrong = api.get(
        f"/audit/verify?expected_position={head['position']}&expected_link={'0' * 64}",
        as_="koordination",
    ).get_json()

    assert (kept["status"], kept["expected_matches"]) == ("ok", True)
    assert kept["head"]["position"] == head["position"] + 1
    assert (wrong["status"], wrong["intact"], wrong["expected_matches"]) == (
        "broken",
        False,
        False,
    )


def test_a_kept_head_needs_position_and_link_together(api: ApiClient) -> None:
    for query, field in (
        ("expected_position=3", "expected_link"),
        (f"expected_link={'a' * 64}", "expected_position"),
        (f"expected_position=3&expected_link={'g' * 64}", "expected_link"),
        ("expected_position=3&expected_link=abc", "expected_link"),
    ):
        response = api.get(f"/audit/verify?{query}", as_="pruefung")
        error = assert_api_error(response, 422, "validation")
        assert set(error["fields"]) == {field}, query


def test_only_auditors_and_the_coordination_verify_the_chain(api: ApiClient) -> None:
    for username in ("tim", "greta", "admin"):
        assert_api_error(api.get("/audit/verify", as_=username), 403, "forbidden")


# -- dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_funnel_counts_a_scripted_set_of_ideas(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    app = _planner(web_app)
    for n in range(3):
        app.submit_idea(cast.member, title=f"Eingereicht {n}", summary="Kurz")
    reviewed = app.submit_idea(cast.other_member, title="In Prüfung", summary="Kurz")
    _assess(app, cast, reviewed)
    rejected = app.submit_idea(cast.member, title="Abgelehnt", summary="Kurz")
    _assess(app, cast, rejected)
    app.reject_idea(cast.coordinator, rejected, _version(app, rejected), "Zu teuer")
    accepted = app.submit_idea(cast.member, title="Angenommen", summary="Kurz")
    _accept(app, cast, accepted)

    response = api.get("/dashboard", as_="tim")

    assert response.status_code == 200
    board = response.get_json()
    assert board["as_of"] is None
    assert board["funnel"] == {
        "submitted": 3,
        "in_review": 1,
        "in_working_group": 0,
        "planned": 1,
        "in_progress": 0,
        "implemented": 0,
        "rejected": 1,
        "parked": 0,
        "merged": 0,
        "withdrawn": 0,
        "cancelled": 0,
    }
    assert [s["stage"] for s in board["stages"]] == [
        "submitted",
        "in_review",
        "in_working_group",
        "planned",
        "in_progress",
        "implemented",
        "rejected",
        "parked",
        "merged",
        "withdrawn",
        "cancelled",
    ]
    assert {s["stage"]: s["count"] for s in board["stages"]} == board["funnel"]
    assert board["total"] == 6
    assert [s["closed"] for s in board["stages"]] == [False] * 6 + [True] * 5
    figures = board["figures"]
    assert figures["quick_wins_implemented"] == 0
    assert figures["decisions_counted"] == 2
    assert figures["median_days_to_decision"] is not None
    mobility = next(d for d in figures["departments"] if d["department_id"] == str(cast.mobility))
    assert (mobility["ideas_submitted"], mobility["measures_owned"]) == (5, 1)


def test_the_dashboard_as_of_a_moment_before_some_ideas_shows_the_smaller_funnel(
    api: ApiClient, cast: Cast, web_app: Flask
) -> None:
    app = _planner(web_app)
    early = app.submit_idea(cast.member, title="Früh", summary="Kurz")
    app.submit_idea(cast.member, title="Auch früh", summary="Kurz")
    time.sleep(0.01)
    moment = dt.datetime.now(dt.UTC)
    time.sleep(0.01)
    _assess(app, cast, early)
    for n in range(3):
        app.submit_idea(cast.other_member, title=f"Spät {n}", summary="Kurz")

    then = api.get("/dashboard", as_="greta", query_string={"as_of": moment.isoformat()}).get_json()
    now = api.get("/dashboard", as_="greta").get_json()

    assert dt.datetime.fromisoformat(then["as_of"]) == moment
    assert then["funnel"]["submitted"] == 2
    assert then["funnel"]["in_review"] == 0
    assert then["total"] == 2
    assert then["figures"] is None
    assert (now["funnel"]["submitted"], now["funnel"]["in_review"], now["total"]) == (4, 1, 5)


def test_the_dashboard_before_anything_existed_has_an_empty_funnel(api: ApiClient) -> None:
    response = api.get("/dashboard", query_string={"as_of": "2000-01-01T00:00:00+01:00"})

    assert response.status_code == 200
    assert response.get_json()["total"] == 0
    assert set(response.get_json()["funnel"].values()) == {0}


def test_every_signed_in_role_reads_the_dashboard(api: ApiClient) -> None:
    for username in ("admin", "koordination", "tim", "berta", "greta", "pruefung"):
        assert api.get("/dashboard", as_=username).status_code == 200


def test_a_dashboard_moment_without_a_time_zone_or_out_of_range_is_refused_on_as_of(
    api: ApiClient,
) -> None:
    for moment in ("2026-03-04T12:00:00", "gestern", "0001-01-01T00:00:00+01:00"):
        response = api.get("/dashboard", query_string={"as_of": moment})
        error = assert_api_error(response, 422, "validation")
        assert set(error["fields"]) == {"as_of"}, moment
