"""ES-15: a write lock held by someone else degrades to 503 with Retry-After, never 500.

Another connection holds the event table's write lock for longer than twice the planner's
lock timeout (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: the `LOCK TABLE … IN EXCLUSIVE MODE`
the library itself takes for every insert). Submitting ideas through the API and through
the form meanwhile must answer 503 with `Retry-After` and store nothing; once the lock is
gone, the same submission goes through.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from ideation.entrypoints.flask_app import create_app
from tests.conftest import POSTGRES_URL, Cast, event_count, make_cast
from tests.functional.conftest import PASSWORD, ApiClient, sign_in

LOCK_TIMEOUT_SECONDS = 1
# On PostgreSQL the library tries an insert 10 times, each waiting one second at least, so
# one attempt per route there keeps the test short; SQLite gives up after the timeout.
ATTEMPTS_PER_ROUTE = {"sqlite": 3, "postgres": 1}
IDEA = {
    "title": "Sensoren für freie Parkplätze",
    "summary": "Die App zeigt freie Plätze in der Innenstadt.",
    "themes": ["Mobilität"],
}


@pytest.fixture(params=["sqlite", "postgres"])
def planner(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Flask, str | None]]:
    """The web app with a one-second lock timeout on a fresh store; its PostgreSQL schema."""
    config = {
        "IDEATION_INSTANCE_PATH": str(tmp_path / "instance"),
        "IDEATION_PASSWORD_HASHING": "fast-for-tests",
        "IDEATION_LOCK_TIMEOUT_SECONDS": str(LOCK_TIMEOUT_SECONDS),
        "API_RATE_LIMIT": "100000 per minute",
    }
    schema = None
    if request.param == "postgres":
        schema = request.getfixturevalue("postgres_schema")
        config["IDEATION_DATABASE_URL"] = POSTGRES_URL
        config["IDEATION_DATABASE_SCHEMA"] = schema
    web_app = create_app(config)
    yield web_app, schema
    web_app.extensions["ideation"].close()


@contextmanager
def write_lock_held_elsewhere(web_app: Flask, schema: str | None) -> Iterator[None]:
    """Hold the event table's write lock on a connection of our own until the block ends."""
    ideation = web_app.extensions["ideation"]
    if schema is None:  # SQLite
        path = ideation.recorder.datastore.pool.db_name
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    table = f'"{schema}".{ideation.recorder.events_table_name.split(".")[-1]}'
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
            yield
    finally:
        engine.dispose()


def _form_fields(page: str) -> dict[str, str]:
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    return {"csrf_token": token, "idempotency_key": key, "send": "1", **IDEA, "themes": ""}


def test_a_held_write_lock_gives_503_with_retry_after_and_stores_nothing(
    planner: tuple[Flask, str | None],
) -> None:
    web_app, schema = planner
    ideation = web_app.extensions["ideation"]
    cast: Cast = make_cast(ideation)
    ideation.create_account(cast.admin, cast.member, "tim", PASSWORD)
    api = ApiClient(web_app)
    api.token("tim")
    browser = web_app.test_client()
    assert sign_in(browser, "tim").status_code == 302
    attempts = ATTEMPTS_PER_ROUTE["sqlite" if schema is None else "postgres"]
    forms = [_form_fields(browser.get("/ideas/new").text) for _ in range(attempts)]
    events_before = event_count(ideation)

    statuses: list[int] = []
    started = time.monotonic()
    with write_lock_held_elsewhere(web_app, schema):
        # Every attempt waits the full lock timeout, then gives up cleanly.
        for _ in range(attempts):
            response = api.post("/ideas", as_="tim", json=IDEA)
            statuses.append(response.status_code)
            assert response.headers.get("Retry-After"), response.headers
            assert response.status_code == 503, response.get_data(as_text=True)[:300]
            assert response.get_json()["error"]["code"] == "busy"
        for fields in forms:
            response = browser.post("/ideas/new", data=fields)
            statuses.append(response.status_code)
            assert response.headers.get("Retry-After"), response.headers
            assert "Die Datenbank ist gerade ausgelastet" in response.text
            assert IDEA["title"] in response.text  # the person's input is kept
        held = time.monotonic() - started

    assert statuses == [503] * (2 * attempts)
    assert held >= 2 * LOCK_TIMEOUT_SECONDS
    assert event_count(ideation) == events_before
    # Once the lock is gone, the same form (same idempotency key) goes through, once.
    assert browser.post("/ideas/new", data=forms[0]).status_code == 302
    assert api.post("/ideas", as_="tim", json=IDEA).status_code == 201
    assert event_count(ideation) == events_before + 2
