"""A11Y-1 on the integrity page: the head, an intact result, a broken one, a refused form, 320 px.

The link crawl of test_accessibility.py reaches the page as it opens; the results only exist
after the form is sent, so this file sends it (as the auditor and the coordination) and runs
axe-core on each state, wide and at 320 CSS px. A "broken" result comes from a kept head that
does not match (the demo city's store itself stays untouched).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import LiveServer, OpenContext
from tests.e2e.test_accessibility import (
    NARROW,
    _sticking_out,
    assert_lang_and_statement,
    assert_no_violations,
    audit,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

# (account, kept position, kept value, status, text the result shows)
STATES = [
    ("pruefung", None, None, 200, None),
    ("koordination", "", "", 200, "Ergebnis: Die Kette ist unversehrt"),
    ("pruefung", "head", "0" * 64, 200, "Ergebnis: Die Kette ist gebrochen"),
    ("pruefung", "12", "kein Hashwert", 400, "Bitte prüfen Sie Ihre Eingaben"),
]
IDS = ["opened", "intact", "kept-head-differs", "refused"]


def send(page: Page, position: str, link: str) -> int | None:
    form = page.locator("main form")
    form.get_by_label("Aufbewahrte Position").fill(position)
    form.get_by_label("Aufbewahrter Kettenwert (SHA-256)").fill(link)
    with page.expect_navigation() as navigation:
        form.get_by_role("button", name="Kette jetzt prüfen").click()
    response = navigation.value
    return response.status if response else None


@pytest.mark.parametrize("viewport", [None, NARROW], ids=["wide", "320px"])
@pytest.mark.parametrize(("username", "position", "link", "status", "shown"), STATES, ids=IDS)
def test_the_integrity_page_has_no_violations(
    open_context: OpenContext,
    live_server: LiveServer,
    username: str,
    position: str | None,
    link: str | None,
    status: int,
    shown: str | None,
    viewport: dict[str, int] | None,
) -> None:
    options: dict[str, object] = {"bypass_csp": True}
    if viewport:
        options["viewport"] = viewport
    page = open_context(username, **options).new_page()
    response = page.goto(live_server.at("/audit/verify"))
    assert response is not None
    got = response.status
    if position is not None:
        if position == "head":
            position = str(live_server.app.extensions["ideation"].read_models.chain_head().position)
        got = send(page, position, link or "")
    assert got == status
    if shown:
        assert shown in page.locator("main").inner_text()
    label = f"/audit/verify ({username}, {status}{', 320 px' if viewport else ''})"
    report = audit(page, label, got)
    assert_no_violations(report)
    assert_lang_and_statement(report)
    if viewport:
        assert report.scroll_width <= viewport["width"], (
            f"{label}: horizontal scrolling, scrollWidth={report.scroll_width}; "
            f"sticking out: {_sticking_out(page)}"
        )
