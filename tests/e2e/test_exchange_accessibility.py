"""A11Y-1 on the exchange formats and the digital pilots: calendar and figures, a held session
with an idea and a pilot, the planning form (also with errors), the pilots overview and a
department's pilots, for every role that can see them; wide and at 320 CSS px.

The demo city has no exchange formats, so the first test seeds a few through the application
(once per server). axe-core needs `bypass_csp=True` contexts, as in test_accessibility.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

import pytest

from tests.e2e.conftest import LiveServer, OpenContext
from tests.e2e.test_accessibility import (
    NARROW,
    _sticking_out,
    assert_lang_and_statement,
    assert_no_violations,
    audit,
)

READERS = ["admin", "koordination", "pruefung", "tba", "swm"]
SEED_TOPIC = "Sprechstunde Digitalisierung (A11Y)"


@dataclass(frozen=True)
class Seeded:
    session: UUID
    department: UUID


def _seed(live_server: LiveServer) -> Seeded:
    """A held consultation hour with one idea and one candidate pilot; a planned Stammtisch."""
    planner = live_server.app.extensions["ideation"]
    existing = [s for s in planner.read_models.list_exchange_sessions() if s.topic == SEED_TOPIC]
    people = planner.list_people()
    coordinator = next(p for p in people if "coordinator" in p.roles and p.active)
    member = next(p for p in people if p.roles == ("member",) and p.active)
    if existing:
        return Seeded(existing[0].id, member.department_id)
    session = planner.plan_exchange_session(
        coordinator.id,
        kind="consultation_hour",
        scheduled_on=dt.date(2026, 3, 10),
        topic=SEED_TOPIC,
        host_person_id=coordinator.id,
        invited_department_ids=[member.department_id],
    )
    planner.record_exchange_session(
        coordinator.id,
        session,
        1,
        held_on=dt.date(2026, 3, 10),
        participating_department_ids=[member.department_id, coordinator.department_id],
        participant_count=14,
        notes="Viele Fragen zur E-Akte.",
        needs=["Schulung E-Akte", "WLAN im Sitzungssaal"],
    )
    planner.plan_exchange_session(
        coordinator.id,
        kind="regulars_table",
        scheduled_on=dt.date(2031, 5, 4),
        topic="Digitaler Stammtisch (A11Y)",
        host_person_id=coordinator.id,
    )
    planner.submit_idea(
        member.id,
        title="Akteneinsicht digital (A11Y)",
        summary="Aus der Sprechstunde",
        origin_session_id=session,
    )
    planner.nominate_pilot(coordinator.id, member.id, "Hat die Sprechstunde mitgestaltet", session)
    return Seeded(session, member.department_id)


@pytest.fixture(scope="module")
def seeded(live_server: LiveServer) -> Seeded:
    return _seed(live_server)


def _path(state: str, seeded: Seeded) -> str:
    return {
        "index": "/austausch/",
        "detail": f"/austausch/{seeded.session}",
        "pilots": "/austausch/lotsen",
        "department_pilots": f"/austausch/lotsen/{seeded.department}",
        "plan": "/austausch/planen",
    }[state]


SHOWN = {
    "index": "main table.exchange-figures tbody th",
    "detail": "main table.session-ideas tbody th a",
    "pilots": "main table tbody th a",
    "department_pilots": "main li.department-pilot",
    "plan": "main form select#kind",
}
CASES = [
    (state, username)
    for state in SHOWN
    for username in (["koordination"] if state == "plan" else READERS)
]


@pytest.mark.parametrize("viewport", [None, NARROW], ids=["wide", "320px"])
@pytest.mark.parametrize(("state", "username"), CASES)
def test_the_exchange_pages_have_no_violations(
    open_context: OpenContext,
    live_server: LiveServer,
    seeded: Seeded,
    state: str,
    username: str,
    viewport: dict[str, int] | None,
) -> None:
    path = _path(state, seeded)
    options: dict[str, object] = {"bypass_csp": True}
    if viewport:
        options["viewport"] = viewport
    page = open_context(username, **options).new_page()

    response = page.goto(live_server.at(path))

    assert response is not None
    assert response.status == 200, f"{path}: HTTP {response.status}"
    assert page.locator(SHOWN[state]).count() >= 1, f"{path}: {SHOWN[state]} is missing"
    label = f"{path} ({username}{', 320 px' if viewport else ''})"
    report = audit(page, label, response.status)
    assert_no_violations(report)
    assert_lang_and_statement(report)
    if viewport:
        assert report.scroll_width <= viewport["width"], (
            f"{label}: horizontal scrolling, scrollWidth={report.scroll_width}; "
            f"sticking out: {_sticking_out(page)}"
        )


@pytest.mark.parametrize("viewport", [None, NARROW], ids=["wide", "320px"])
def test_the_planning_form_with_errors_has_no_violations(
    open_context: OpenContext,
    live_server: LiveServer,
    seeded: Seeded,
    viewport: dict[str, int] | None,
) -> None:
    options: dict[str, object] = {"bypass_csp": True}
    if viewport:
        options["viewport"] = viewport
    page = open_context("koordination", **options).new_page()
    page.goto(live_server.at("/austausch/planen"))

    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()

    response = navigation.value
    assert response is not None
    assert response.status == 400
    assert page.locator("main .error-summary").count() == 1
    report = audit(page, "/austausch/planen (Fehler)", response.status)
    assert_no_violations(report)
    if viewport:
        assert report.scroll_width <= viewport["width"], _sticking_out(page)
