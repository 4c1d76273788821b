"""A11Y-1 on the readable API page (/api/docs): axe-core finds nothing, wide and at 320 px.

The page is public and long, so the link crawl of test_accessibility.py leaves it to this
file, which opens it as a signed-out visitor (wide) and as a signed-in member (320 px): the
layout differs (navigation, sign-out form), the content does not.
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

PATH = "/api/docs"


@pytest.mark.parametrize(
    ("username", "viewport"),
    [(None, None), ("tba", NARROW)],
    ids=["signed-out-wide", "member-320px"],
)
def test_the_api_page_has_no_violations(
    open_context: OpenContext,
    live_server: LiveServer,
    username: str | None,
    viewport: dict[str, int] | None,
) -> None:
    options: dict[str, object] = {"bypass_csp": True}
    if viewport:
        options["viewport"] = viewport
    page = open_context(username, **options).new_page()
    response = page.goto(live_server.at(PATH))
    assert response is not None
    assert response.status == 200
    assert page.url == live_server.at(PATH)  # not sent to the sign-in page
    assert page.locator("h1").inner_text() == "JSON-API v1"
    label = f"{PATH} ({username or 'signed out'}{', 320 px' if viewport else ''})"
    report = audit(page, label, response.status)
    assert_no_violations(report)
    assert_lang_and_statement(report)
    if viewport:
        assert report.scroll_width <= viewport["width"], (
            f"{label}: horizontal scrolling, scrollWidth={report.scroll_width}; "
            f"sticking out: {_sticking_out(page)}"
        )


def test_every_scrolling_box_on_the_api_page_can_be_reached_by_keyboard(
    open_context: OpenContext, live_server: LiveServer
) -> None:
    page = open_context(None, viewport=NARROW).new_page()
    page.goto(live_server.at(PATH))
    unreachable = page.evaluate(
        """() => Array.from(document.querySelectorAll('main *'))
            .filter(e => e.scrollWidth > e.clientWidth + 1
                && getComputedStyle(e).overflowX !== 'visible'
                && e.tabIndex < 0)
            .map(e => e.outerHTML.slice(0, 120))"""
    )
    assert unreachable == []
