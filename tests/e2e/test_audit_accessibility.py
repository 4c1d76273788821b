"""A11Y-1 on the audit log and the decision register: results, no results, errors, 320 px.

The link crawl of test_accessibility.py reaches the first page of each; this file adds what
only a query string shows (a filter without results, a refused date, a later page, newest
first) and checks each state at 320 CSS px as well. axe-core needs `bypass_csp=True`
contexts, as in test_accessibility.py.
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

NOTHING = "date_from=2000-01-01&date_to=2000-01-02"

STATES = [
    # (account, path, status, what the page must show)
    ("koordination", "/audit/log", 200, "main table.audit tbody tr"),
    ("pruefung", "/audit/decisions", 200, "main table.audit tbody tr"),
    ("pruefung", "/audit/log?page=2&order=desc", 200, "main nav.pagination"),
    ("koordination", "/audit/decisions?event=Idea.Recommended&role=group_member", 200, "main td"),
    ("pruefung", f"/audit/log?{NOTHING}", 200, "main .empty"),
    ("koordination", f"/audit/decisions?{NOTHING}", 200, "main .empty"),
    ("pruefung", "/audit/log?date_from=2026-02-30", 400, "main [aria-invalid=true]"),
    ("koordination", "/audit/decisions?event=Idea.Commented", 400, "main [role=alert]"),
]
IDS = [
    "log",
    "register",
    "log-page-2-newest-first",
    "register-filtered",
    "log-no-results",
    "register-no-results",
    "log-invalid-date",
    "register-no-decision",
]


@pytest.mark.parametrize("viewport", [None, NARROW], ids=["wide", "320px"])
@pytest.mark.parametrize(("username", "path", "status", "shown"), STATES, ids=IDS)
def test_the_audit_pages_have_no_violations(
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
