"""GET /api/v1/alliance: the ranking of a period, the departments not reached, bad dates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from ideation.readmodels.alliance import default_period
from tests.conftest import Cast
from tests.functional.conftest import PASSWORD, ApiClient, assert_api_error
from tests.integration.test_alliance import History, script_history

KINDS = (
    "ideas_submitted",
    "supports_pledged",
    "group_seats",
    "sessions_attended",
    "measures_owned",
    "benefits_received",
)


@pytest.fixture
def history(web_app: Flask, cast: Cast) -> History:
    return script_history(web_app.extensions["ideation"], cast)


def test_the_ranking_of_a_period_lists_every_department_with_counts_score_rank_and_reach(
    api: ApiClient, history: History
) -> None:
    response = api.get("/alliance?from=2030-02-01&to=2030-03-31", as_="tim")

    assert response.status_code == 200, response.text
    body = response.get_json()
    assert (body["from"], body["to"]) == ("2030-02-01", "2030-03-31")
    rows = [
        (
            r["name"],
            *(r[kind] for kind in KINDS),
            r["score"],
            r["rank"],
            r["reached_in_period"],
            r["reached_ever"],
        )
        for r in body["items"]
    ]
    assert rows == [
        ("Tiefbauamt", 0, 1, 1, 1, 1, 0, 4, 1, True, True),
        ("Bürgerdienste", 0, 0, 1, 0, 0, 0, 1, 2, False, True),
        ("Stabsstelle Digitalisierung", 0, 0, 0, 1, 0, 0, 1, 2, True, True),
        ("Stadtwerke", 0, 0, 0, 0, 0, 0, 0, 4, False, False),
    ]
    assert body["items"][0]["department_id"] == str(history.cast.mobility)
    assert body["items"][3]["kind"] == "company"
    assert body["not_reached"] == [
        {
            "department_id": str(history.cast.citizens),
            "name": "Bürgerdienste",
            "short_name": "33",
            "reached_ever": True,
        },
        {
            "department_id": str(history.utilities),
            "name": "Stadtwerke",
            "short_name": "SW",
            "reached_ever": False,
        },
    ]
    assert body["totals"] == {
        "ideas_submitted": 0,
        "supports_pledged": 1,
        "group_seats": 2,
        "sessions_attended": 2,
        "measures_owned": 1,
        "benefits_received": 0,
    }


@pytest.mark.parametrize("username", ["admin", "koordination", "tim", "greta", "pruefung"])
def test_every_reading_role_may_ask_and_without_dates_gets_the_last_twelve_months(
    api: ApiClient, history: History, username: str
) -> None:
    start, end = default_period(dt.datetime.now(ZoneInfo("Europe/Berlin")).date())

    response = api.get("/alliance", as_=username)

    assert response.status_code == 200, response.text
    body = response.get_json()
    assert (body["from"], body["to"]) == (start.isoformat(), end.isoformat())
    assert len(body["items"]) == 4


def test_without_a_token_the_ranking_is_refused(api: ApiClient, history: History) -> None:
    assert_api_error(api.get("/alliance", as_=None), 401, "unauthenticated")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2030-13-01", "from", "Bitte ein Datum im Format JJJJ-MM-TT angeben."),
        ("to=gestern", "to", "Bitte ein Datum im Format JJJJ-MM-TT angeben."),
        ("from=2030-03-01&to=2030-02-01", "to", "„bis“ darf nicht vor dem Datum „von“ liegen"),
        ("from=2010-01-01&to=2030-01-01", "to", "höchstens zehn Jahre"),
        ("since=2030-01-01", "since", "Unbekanntes Feld."),
    ],
)
def test_bad_dates_are_refused_with_422_and_a_german_message_at_the_field(
    api: ApiClient, history: History, query: str, field: str, message: str
) -> None:
    error = assert_api_error(api.get(f"/alliance?{query}", as_="tim"), 422, "validation")

    assert list(error["fields"]) == [field]
    assert message in error["fields"][field][0]


def test_an_ambassador_token_is_refused(web_app: Flask, api: ApiClient, history: History) -> None:
    planner = web_app.extensions["ideation"]
    anna = planner.register_person(
        history.cast.admin,
        "Anna Botschaft",
        "anna@example.org",
        history.cast.citizens,
        ["ambassador"],
    )
    planner.create_account(history.cast.admin, anna, "anna", PASSWORD)

    assert_api_error(api.get("/alliance", as_="anna"), 403, "forbidden")
