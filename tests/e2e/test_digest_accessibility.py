"""A11Y-1 on the printable digest (Überblick): with items, the default period, a refused date.

The digest of the whole demo year shows every kind of item; the default (the last 30 days)
and a refused date are checked too, each as a member and as the coordination, wide and at
320 CSS px. axe-core needs `bypass_csp=True` contexts, as in test_accessibility.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.conftest import LiveServer, OpenContext
from tests.e2e.test_accessibility import (
    NARROW,
    _sticking_out,
    assert_lang_and_statement,
    assert_no_violations,
    audit,
)

TODAY = dt.date.today()
YEAR = f"date_from={(TODAY - dt.timedelta(days=400)).isoformat()}&date_to={TODAY.isoformat()}"

STATES = [
    # (account, path, status, what the page must show)
    ("tba", f"/digest?{YEAR}", 200, "main table.digest tbody tr"),
    ("koordination", f"/digest?{YEAR}", 200, "main table.digest ul.benefits li"),
    ("tba", "/digest", 200, "main h2#decisions-heading"),
    ("koordination", "/digest?date_from=2026-02-30", 400, "main [aria-invalid=true]"),
    ("tba", "/digest?date_from=2026-03-10&date_to=2026-03-01", 400, "main [role=alert]"),
]
IDS = ["year-member", "year-coordinator", "default", "invalid-date", "end-before-start"]


@pytest.mark.parametrize("viewport", [None, NARROW], ids=["wide", "320px"])
@pytest.mark.parametrize(("username", "path", "status", "shown"), STATES, ids=IDS)
def test_the_digest_has_no_violations(
    open_context: OpenContext,
    live_server: LiveServer,
    username: str,
    path: str,
    status: int,
    shown: str,
    viewport: dict[str, int] | None,
) -> None:
    options: dict[str, object] = {"bypass_csp": True}
    if viewport:
        options["viewport"] = viewport
    page = open_context(username, **options).new_page()

    response = page.goto(live_server.at(path))

    assert response is not None
    assert response.status == status, f"{path}: HTTP {response.status}"
    assert page.locator(shown).count() >= 1, f"{path}: {shown} is missing"
    label = f"{path} ({username}{', 320 px' if viewport else ''})"
    report = audit(page, label, response.status)
    assert_no_violations(report)
    assert_lang_and_statement(report)
    if viewport:
        assert report.scroll_width <= viewport["width"], (
            f"{label}: horizontal scrolling, scrollWidth={report.scroll_width}; "
            f"sticking out: {_sticking_out(page)}"
        )
