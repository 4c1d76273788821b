"""A11Y-1 on the alliance page (Allianz der Willigen): axe-core finds nothing, for every role.

The demo city's ranking of the last twelve months (chart, table, not reached) and the page
with a refused period (message at the field), each wide and at 320 CSS px, for each role that
may read it. axe-core needs `bypass_csp=True` contexts, as in test_accessibility.py.
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

# Demo accounts: one per role that may read the page (swm also holds group_member).
READERS = {
    "member": "tba",
    "group_member": "swm",
    "coordinator": "koordination",
    "auditor": "pruefung",
    "admin": "admin",
}
STATES = {
    "ranking": ("/allianz/", 200, "main table.alliance-ranking tbody th a"),
    "bad-period": ("/allianz/?from=2026-03-01&to=2026-02-01", 400, "main [aria-invalid=true]"),
}


@pytest.mark.parametrize("viewport", [None, NARROW], ids=["wide", "320px"])
@pytest.mark.parametrize("username", [pytest.param(u, id=r) for r, u in READERS.items()])
@pytest.mark.parametrize("state", list(STATES))
def test_the_alliance_page_has_no_violations(
    open_context: OpenContext,
    live_server: LiveServer,
    state: str,
    username: str,
    viewport: dict[str, int] | None,
) -> None:
    path, status, shown = STATES[state]
    options: dict[str, object] = {"bypass_csp": True}
    if viewport:
        options["viewport"] = viewport
    page = open_context(username, **options).new_page()

    response = page.goto(live_server.at(path))

    assert response is not None
    assert response.status == status, f"{path}: HTTP {response.status}"
    assert page.locator(shown).count() >= 1, f"{path}: {shown} is missing"
    if state == "ranking":
        chart = page.locator("main figure.alliance-chart img")
        chart.wait_for()
        assert page.evaluate("img => img.complete && img.naturalWidth > 0", chart.element_handle())
    label = f"{path} ({username}{', 320 px' if viewport else ''})"
    report = audit(page, label, response.status)
    assert_no_violations(report)
    assert_lang_and_statement(report)
    if viewport:
        assert report.scroll_width <= viewport["width"], (
            f"{label}: horizontal scrolling, scrollWidth={report.scroll_width}; "
            f"sticking out: {_sticking_out(page)}"
        )
