"""ES-4: two people load the same version of a measure and submit at the same moment.

Real HTTP on loopback: the app runs in a threaded server, each person has their own session
(`requests`), both load the measure page (or read it through the API), then both submit in
the same instant (a barrier). Exactly one submit wins; the other gets 409 with the German
"reload" message naming who changed what, and stores nothing. The event count grows by one
per trial, never two. Trials per backend: 100 with forms and 30 through the API in CI,
300 each under `make reliability`.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import requests
from flask import Flask
from werkzeug.serving import make_server

from ideation.entrypoints.flask_app import create_app
from tests.conftest import POSTGRES_URL, Cast, event_count, make_cast, scaled

PASSWORD = "Rathaus-Linde-Brunnen"
TRIALS = scaled(100, 300)
# The API's pairs repeat the forms' race through another entry point: fewer in CI.
API_TRIALS = scaled(30, 300)
RELOAD_MESSAGE = "Inzwischen hat jemand anderes etwas geändert"
VERSION_FIELD = re.compile(r'name="goal-version" type="hidden" value="(\d+)"')
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
GOAL_CSRF_FIELD = re.compile(r'name="goal-csrf_token" type="hidden" value="([^"]+)"')


@dataclass(frozen=True)
class Served:
    """The running app, its address, the cast and the measure both people work on."""

    app: Flask
    backend: str
    url: str
    cast: Cast
    measure: UUID

    @property
    def planner(self) -> Any:
        """The application behind the server."""
        return self.app.extensions["ideation"]

    def events(self) -> int:
        """How many events the store holds (PostgreSQL's ids have holes, so they are counted)."""
        return event_count(self.planner)


@pytest.fixture(params=["sqlite", "postgres"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    """The web app on a fresh store, served on 127.0.0.1, with a measure of the cast's group."""
    config = {
        "IDEATION_INSTANCE_PATH": str(tmp_path / "instance"),
        "IDEATION_PASSWORD_HASHING": "fast-for-tests",
        "API_RATE_LIMIT": "100000 per minute",
    }
    if request.param == "postgres":
        config["IDEATION_DATABASE_URL"] = POSTGRES_URL
        config["IDEATION_DATABASE_SCHEMA"] = request.getfixturevalue("postgres_schema")
    app = create_app(config)
    planner = app.extensions["ideation"]
    cast = make_cast(planner)
    # Otto joins Greta's working group: two people who may both add goals to its measure.
    planner.add_working_group_member(cast.coordinator, cast.group, 2, cast.outsider_group_member)
    for username, person in {
        "greta": cast.group_member,
        "otto": cast.outsider_group_member,
    }.items():
        planner.create_account(cast.admin, person, username, PASSWORD)
    idea = planner.submit_idea(cast.member, title="Parkplatzsensoren", summary="Freie Plätze.")
    planner.assess_idea(
        cast.coordinator, idea, 1, impact=4, effort=2, expected_weeks=8, rationale="ok"
    )
    planner.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)
    planner.recommend(cast.group_member, idea, 3, "accept", "Pilot lohnt sich")
    measure = planner.accept_idea(cast.coordinator, idea, 4, "Quick Win")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="es4-server", daemon=True)
    thread.start()
    try:
        yield Served(app, request.param, f"http://127.0.0.1:{server.server_port}", cast, measure)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        planner.close()


def signed_in(served: Served, username: str) -> requests.Session:
    """A browser-like session of one person, signed in through the form."""
    session = requests.Session()
    page = session.get(f"{served.url}/login", timeout=30)
    token = CSRF_FIELD.search(page.text)
    assert token is not None
    response = session.post(
        f"{served.url}/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text
    return session


def loaded_goal_form(served: Served, session: requests.Session) -> dict[str, str]:
    """What the person's browser holds after loading the measure page: version and token."""
    page = session.get(f"{served.url}/measures/{served.measure}", timeout=30)
    assert page.status_code == 200
    version = VERSION_FIELD.search(page.text)
    token = GOAL_CSRF_FIELD.search(page.text)
    assert version is not None
    assert token is not None
    return {"goal-version": version.group(1), "goal-csrf_token": token.group(1)}


def post_together(post: tuple[requests.Session, str, dict[str, Any], threading.Barrier]) -> Any:
    """Send one request the moment the other person's is ready too (forms or JSON)."""
    session, url, data, barrier = post
    barrier.wait(timeout=30)
    if "/api/" in url:
        return session.post(url, json=data, timeout=60)
    return session.post(url, data=data, allow_redirects=False, timeout=60)


def test_of_two_people_submitting_the_same_version_of_a_measure_exactly_one_wins(
    served: Served,
) -> None:
    people = {"greta": signed_in(served, "greta"), "otto": signed_in(served, "otto")}
    names = {"greta": "Greta Gruppe", "otto": "Otto Außen"}
    winners: Counter[str] = Counter()
    pairs: Counter[tuple[int, int]] = Counter()
    extra_events = 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        for trial in range(TRIALS):
            # Both load the page: the same version and each their own CSRF token.
            forms = {name: loaded_goal_form(served, s) for name, s in people.items()}
            assert forms["greta"]["goal-version"] == forms["otto"]["goal-version"]
            before = served.events()
            barrier = threading.Barrier(2)
            posts = [
                (
                    people[name],
                    f"{served.url}/measures/{served.measure}/goals",
                    {
                        **forms[name],
                        "goal-statement": f"Ziel {trial} von {name}",
                        "goal-indicator": "Suchzeit",
                        "goal-target": "−20 %",
                    },
                    barrier,
                )
                for name in people
            ]

            # Both press "save" in the same instant.
            responses = dict(zip(people, pool.map(post_together, posts), strict=True))
            statuses = tuple(sorted(r.status_code for r in responses.values()))
            pairs[statuses] += 1  # type: ignore[index]
            assert statuses == (302, 409), {n: r.text[:500] for n, r in responses.items()}
            winner = next(n for n, r in responses.items() if r.status_code == 302)
            loser = next(n for n, r in responses.items() if r.status_code == 409)
            winners[winner] += 1
            # The loser is told to reload, who changed the measure, and keeps the input.
            refused = responses[loser].text
            assert RELOAD_MESSAGE in refused
            assert names[winner] in refused
            assert f"Ziel {trial} von {loser}" in refused
            extra_events += served.events() - before - 1

    goals = [g["statement"] for g in served.planner.get_measure(served.measure).goals]
    print(
        f"\nES-4 forms on {served.backend}: "
        f"{TRIALS} paired trials, outcomes {dict(pairs)}, winners {dict(winners)}, "
        f"{extra_events} extra events"
    )
    assert extra_events == 0
    assert len(goals) == TRIALS
    assert len(set(goals)) == TRIALS


def test_of_two_api_clients_sending_the_same_expected_version_exactly_one_wins(
    served: Served,
) -> None:
    planner = served.planner
    tokens = {name: planner.issue_token(name, PASSWORD).token for name in ("greta", "otto")}
    sessions = {name: requests.Session() for name in tokens}
    for name, session in sessions.items():
        session.headers["Authorization"] = f"Bearer {tokens[name]}"
    url = f"{served.url}/api/v1/measures/{served.measure}/progress"
    outcomes: Counter[tuple[int, int]] = Counter()
    extra_events = 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        for trial in range(API_TRIALS):
            version = planner.get_measure(served.measure).version
            before = served.events()
            barrier = threading.Barrier(2)
            body = {"percent": trial % 100, "expected_version": version}
            posts = [(sessions[name], url, {**body, "note": name}, barrier) for name in sessions]
            responses = list(pool.map(post_together, posts))
            statuses = tuple(sorted(r.status_code for r in responses))
            outcomes[statuses] += 1  # type: ignore[index]
            assert statuses[1] == 409, [r.text for r in responses]
            assert 200 <= statuses[0] < 300
            conflict = next(r for r in responses if r.status_code == 409).json()["error"]
            assert conflict["code"] == "conflict"
            assert conflict["current_version"] == version + 1
            extra_events += served.events() - before - 1
    print(
        f"\nES-4 API on {served.backend}: {API_TRIALS} paired trials, "
        f"outcomes {dict(outcomes)}, {extra_events} extra events"
    )
    assert extra_events == 0
