"""A11Y-1 on the value per department (Mehrwerte): the list and a department's page.

The demo city's department with the most benefits is checked with its list of benefits, one
without benefits with its empty state; each wide and at 320 CSS px, for the coordination and
an auditor. axe-core needs `bypass_csp=True` contexts, as in test_accessibility.py.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import LiveServer, OpenContext
from tests.e2e.test_accessibility import (
    NARROW,
    _sticking_out,
    assert_lang_and_statement,
    assert_no_violations,
    audit,
)


def _departments(live_server: LiveServer) -> list:
    return live_server.app.extensions["ideation"].read_models.list_departments()


def _path(live_server: LiveServer, state: str) -> str:
    departments = _departments(live_server)
    if state == "list":
        return "/fachbereiche/"
    if state == "benefits":
        chosen = max(departments, key=lambda d: d.benefits_received)
        assert chosen.benefits_received > 0, "the demo city records no benefits"
    else:
        empty = [d for d in departments if d.benefits_received == 0]
        if not empty:
            pytest.skip("every demo department has benefits")
        chosen = empty[0]
    return f"/fachbereiche/{chosen.id}"


SHOWN = {
    "list": "main table tbody th a",
    "benefits": "main li.department-benefit",
    "empty": "main .empty",
}


@pytest.mark.parametrize("viewport", [None, NARROW], ids=["wide", "320px"])
@pytest.mark.parametrize("username", ["koordination", "pruefung"])
@pytest.mark.parametrize("state", list(SHOWN))
def test_the_department_value_pages_have_no_violations(
    open_context: OpenContext,
    live_server: LiveServer,
    state: str,
    username: str,
    viewport: dict[str, int] | None,
) -> None:
    path = _path(live_server, state)
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
