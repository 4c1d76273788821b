"""A11Y-1 on the profile page "Mein Zugang" in the states a link crawl cannot reach.

test_accessibility.py crawls the page as it opens. This file creates a personal API token
through the form (the page then shows the token's text once), reloads (the token list), and
sends the password form with a wrong current password (the error on its field), and runs
axe-core on each state, wide and at 320 CSS px. Nothing here ends a session: the demo
accounts' cookies are shared by the whole e2e session. A created token is the only trace
(it lives in the token table, not in the event log).
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

ACCOUNT = "tba"  # a member of a department (demo city)


def submit(page: Page, button: str) -> int | None:
    """Click a button of the main area and wait for the page that follows; its status."""
    with page.expect_navigation() as navigation:
        page.locator("main").get_by_role("button", name=button, exact=True).click()
    response = navigation.value
    return response.status if response else None


def create_token(page: Page, name: str) -> int | None:
    page.locator("main").get_by_label("Bezeichnung").fill(name)
    page.locator("main").get_by_label("Gültigkeit").select_option("30")
    return submit(page, "Token erstellen")


def opened(page: Page, server: LiveServer, viewport_id: str) -> int | None:
    response = page.goto(server.at("/profil"))
    return response.status if response else None


def with_new_token(page: Page, server: LiveServer, viewport_id: str) -> int | None:
    page.goto(server.at("/profil"))
    status = create_token(page, f"Barrierefreiheitstest {viewport_id}")
    main = page.locator("main")
    assert "Dieser Token wird nur jetzt angezeigt." in main.inner_text()
    assert main.get_by_label("Token (gültig bis", exact=False).input_value().startswith("idt_")
    return status


def with_token_list(page: Page, server: LiveServer, viewport_id: str) -> int | None:
    page.goto(server.at("/profil"))
    create_token(page, f"Liste {viewport_id}")
    response = page.reload()
    main = page.locator("main")
    assert "Dieser Token wird nur jetzt angezeigt." not in main.inner_text()
    assert main.get_by_role("table", name="Ihre API-Tokens").is_visible()
    return response.status if response else None


def with_password_error(page: Page, server: LiveServer, viewport_id: str) -> int | None:
    page.goto(server.at("/profil"))
    main = page.locator("main")
    main.get_by_label("Bisheriges Passwort").fill("nicht-das-richtige-Passwort")
    main.get_by_label("Neues Passwort", exact=True).fill("Marktplatz-Eiche-Fähre")
    main.get_by_label("Neues Passwort wiederholen").fill("Marktplatz-Eiche-Fähre")
    status = submit(page, "Passwort ändern")
    assert "Das bisherige Passwort stimmt nicht." in main.inner_text()
    return status


STATES = {
    "opened": (opened, 200),
    "new-token-shown-once": (with_new_token, 200),
    "token-list": (with_token_list, 200),
    "wrong-current-password": (with_password_error, 422),
}


@pytest.mark.parametrize("viewport", [None, NARROW], ids=["wide", "320px"])
@pytest.mark.parametrize("state", list(STATES))
def test_the_profile_page_has_no_violations(
    open_context: OpenContext,
    live_server: LiveServer,
    state: str,
    viewport: dict[str, int] | None,
) -> None:
    options: dict[str, object] = {"bypass_csp": True}
    if viewport:
        options["viewport"] = viewport
    page = open_context(ACCOUNT, **options).new_page()
    reach, expected = STATES[state]
    status = reach(page, live_server, "320px" if viewport else "wide")
    assert status == expected
    label = f"/profil ({state}, {status}{', 320 px' if viewport else ''})"
    report = audit(page, label, status)
    assert_no_violations(report)
    assert_lang_and_statement(report)
    if viewport:
        assert report.scroll_width <= viewport["width"], (
            f"{label}: horizontal scrolling, scrollWidth={report.scroll_width}; "
            f"sticking out: {_sticking_out(page)}"
        )
