"""A11Y-1 on the political rounds and the briefings (issue 8, part 4).

The demo city's rounds, factions and published measures: the rounds' list, the planning form,
a held round (with the forms to adopt suggestions for the coordination), a planned round
(with the record and cancel forms), the factions; the briefings' list, a briefing, the
published measures and one of them. Each wide and at 320 CSS px, for every role that can
see the page among the coordination, an auditor and the ambassador (`politik`).
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

AMBASSADOR = "politik"


def _reads(live_server: LiveServer):
    return live_server.app.extensions["ideation"].read_models


def _held_round(live_server: LiveServer):
    rounds = _reads(live_server).list_political_rounds()
    held = [r for r in rounds.past if r.status == "held"]
    assert held, "the demo city holds no political round"
    with_open = [r for r in held if r.suggestions_count > r.adopted_count]
    return (with_open or held)[0]


def _path(live_server: LiveServer, page: str) -> str:
    reads = _reads(live_server)
    if page == "rounds":
        return "/politik/"
    if page == "plan":
        return "/politik/runden/neu"
    if page == "held-round":
        return f"/politik/runden/{_held_round(live_server).id}"
    if page == "planned-round":
        upcoming = reads.list_political_rounds().upcoming
        assert upcoming, "the demo city plans no political round"
        return f"/politik/runden/{upcoming[0].id}"
    if page == "factions":
        return "/politik/fraktionen"
    if page == "briefings":
        return "/briefings/"
    if page == "briefing":
        return f"/briefings/{_held_round(live_server).id}"
    if page == "published-measures":
        return "/briefings/massnahmen"
    measures = reads.list_published_measures()
    assert measures, "the demo city publishes no measure"
    return f"/briefings/massnahmen/{measures[0].id}"


# Page → (the roles that see it, an element that must be there).
PAGES = {
    "rounds": (("koordination", "pruefung"), "main table.political-rounds"),
    "plan": (("koordination",), "main form input[name=title]"),
    "held-round": (("koordination", "pruefung"), "main ol.round-suggestions"),
    "planned-round": (("koordination", "pruefung"), "main table.round-factions"),
    "factions": (("koordination", "pruefung"), "main table.factions"),
    "briefings": ((AMBASSADOR, "koordination"), "main ul.briefing-rounds"),
    "briefing": ((AMBASSADOR, "koordination"), "main .briefing-figures"),
    "published-measures": ((AMBASSADOR, "koordination"), "main table.published-measures"),
    "published-measure": ((AMBASSADOR, "koordination"), "main .published-measure-facts"),
}
CASES = [(page, username) for page, (roles, _shown) in PAGES.items() for username in roles]


@pytest.mark.parametrize("viewport", [None, NARROW], ids=["wide", "320px"])
@pytest.mark.parametrize(("page_name", "username"), CASES)
def test_the_political_pages_and_briefings_have_no_violations(
    open_context: OpenContext,
    live_server: LiveServer,
    page_name: str,
    username: str,
    viewport: dict[str, int] | None,
) -> None:
    path = _path(live_server, page_name)
    options: dict[str, object] = {"bypass_csp": True}
    if viewport:
        options["viewport"] = viewport
    page = open_context(username, **options).new_page()

    response = page.goto(live_server.at(path))

    assert response is not None
    assert response.status == 200, f"{path}: HTTP {response.status}"
    shown = PAGES[page_name][1]
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
