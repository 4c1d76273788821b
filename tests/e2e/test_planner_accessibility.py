"""A11Y-1 on the planner of a past day (Stand am …): results, errors and 320 px."""

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

# Half a year ago the demo city had ideas, measures and roles to show.
HALF_A_YEAR_AGO = (dt.date.today() - dt.timedelta(days=182)).isoformat()


@pytest.mark.parametrize(
    ("query", "status", "viewport"),
    [
        pytest.param(f"date={HALF_A_YEAR_AGO}", 200, None, id="with-results"),
        pytest.param(f"date={HALF_A_YEAR_AGO}", 200, NARROW, id="with-results-320px"),
        pytest.param("date=31.02.2026", 400, None, id="invalid-date"),
    ],
)
def test_the_planner_of_a_past_day_has_no_violations(
    open_context: OpenContext,
    live_server: LiveServer,
    query: str,
    status: int,
    viewport: dict[str, int] | None,
) -> None:
    options = {"bypass_csp": True}
    if viewport:
        options["viewport"] = viewport
    page = open_context("pruefung", **options).new_page()
    response = page.goto(live_server.at(f"/planner/as-of?{query}"))
    assert response is not None
    assert response.status == status
    if status == 200:
        assert page.locator("table").count() >= 3, "funnel, ideas and roles tables expected"
    report = audit(page, f"/planner/as-of?{query}", response.status)
    assert_no_violations(report)
    assert_lang_and_statement(report)
    if viewport:
        assert report.scroll_width <= viewport["width"], _sticking_out(page)
