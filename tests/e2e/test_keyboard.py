"""A11Y-2 (first cut): what axe cannot see, walked with the keyboard only.

The browser runs with the app's CSP enforced (no `bypass_csp`): these are the pages as users
get them. Every step presses keys; nothing is clicked.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pytest

from ideation.entrypoints.demo import DEMO_PASSWORD
from tests.e2e.conftest import LiveServer, OpenContext

if TYPE_CHECKING:
    from playwright.sync_api import Page

MAX_TABS = 40

# What has focus now, and whether a sighted keyboard user can see where it is.
FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body || e === document.documentElement) return null;
    const style = getComputedStyle(e);
    const rect = e.getBoundingClientRect();
    const main = document.querySelector('main');
    return {
        tag: e.tagName.toLowerCase(),
        id: e.id,
        name: e.getAttribute('name'),
        type: e.getAttribute('type'),
        role: e.getAttribute('role'),
        text: (e.innerText || e.value || '').trim().slice(0, 40),
        hash: e.tagName === 'A' ? e.hash : '',
        skipsToMain: e.tagName === 'A' && !!main && !!main.id && e.hash === '#' + main.id,
        isMain: e === main,
        formAction: e.form ? new URL(e.form.action).pathname : null,
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth) || 0,
        boxShadow: style.boxShadow,
        onScreen: rect.width > 0 && rect.height > 0 && rect.left >= 0 && rect.top >= 0
            && rect.right <= window.innerWidth && rect.bottom <= window.innerHeight,
        visible: style.visibility !== 'hidden' && parseFloat(style.opacity) > 0,
    };
}"""

# Every control a keyboard user must be able to reach, in document order.
TABBABLE = """() => Array.from(document.querySelectorAll(
        'a[href], button, input, select, textarea, [tabindex]'))
    .filter(e => !e.disabled && e.type !== 'hidden' && e.tabIndex >= 0)
    .filter(e => {
        const style = getComputedStyle(e);
        return style.visibility !== 'hidden' && style.display !== 'none'
            && e.getClientRects().length > 0;
    })
    .map((e, i) => { e.dataset.tabOrder = String(i); return e.outerHTML.slice(0, 100); })"""


def focused(page: Page) -> dict[str, Any] | None:
    return page.evaluate(FOCUSED)


def describe(element: dict[str, Any] | None) -> str:
    if element is None:
        return "nothing (the document)"
    label = element["tag"]
    if element["id"]:
        label += f"#{element['id']}"
    if element["name"]:
        label += f"[name={element['name']}]"
    if element["text"]:
        label += f" {element['text']!r}"
    return label


def focus_is_visible(element: dict[str, Any]) -> bool:
    """An outline (or a box shadow used as focus ring) is drawn around the focused element."""
    outline = element["outlineStyle"] != "none" and element["outlineWidth"] > 0
    return outline or element["boxShadow"] != "none"


def press_tab(page: Page) -> dict[str, Any]:
    """Press Tab and return the focused element, which must show that it has focus."""
    page.keyboard.press("Tab")
    element = focused(page)
    assert element is not None, "Tab left the page: focus went back to the document"
    assert focus_is_visible(element), (
        f"focus is not visible on {describe(element)}: outline-style={element['outlineStyle']}"
        f", outline-width={element['outlineWidth']}, box-shadow={element['boxShadow']}"
    )
    return element


def tab_to_field(page: Page, name: str) -> dict[str, Any]:
    """Tab (each stop with visible focus) until the form field `name` has focus."""
    stops = []
    for _ in range(MAX_TABS):
        element = press_tab(page)
        stops.append(describe(element))
        if element["name"] == name:
            return element
    pytest.fail(f"the field {name!r} is not reachable by Tab; focus went: {stops}")


def start_keyboard_walk(page: Page, server: LiveServer, path: str) -> None:
    page.goto(server.at(path))
    assert focused(page) is None, "nothing should have focus before the first Tab"


def test_keyboard_only_sign_in_through_the_skip_link(
    open_context: OpenContext, live_server: LiveServer
) -> None:
    page = open_context().new_page()
    start_keyboard_walk(page, live_server, "/login")

    skip = press_tab(page)
    assert skip["skipsToMain"], f"the first Tab stop is not the skip link: {describe(skip)}"
    assert skip["onScreen"], "the skip link has focus but is off screen"
    assert skip["visible"], "the skip link has focus but is invisible"
    page.keyboard.press("Enter")
    main = focused(page)
    assert main is not None
    assert main["isMain"], f"the skip link did not move focus to <main>: {describe(main)}"

    tab_to_field(page, "username")
    page.keyboard.type("koordination")
    assert press_tab(page)["name"] == "password", "Tab from the username must reach the password"
    page.keyboard.type(DEMO_PASSWORD)
    submit = press_tab(page)
    assert submit["tag"] == "button", f"after the password comes {describe(submit)}"
    assert submit["formAction"] == "/login"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url == live_server.at("/"), f"not on the start page but {page.url}"
    assert page.locator("form[action='/logout']").count() == 1, "not signed in"


def test_failed_keyboard_sign_in_announces_the_error_summary(
    open_context: OpenContext, live_server: LiveServer
) -> None:
    page = open_context().new_page()
    start_keyboard_walk(page, live_server, "/login")
    tab_to_field(page, "username")
    page.keyboard.type(f"niemand-{uuid.uuid4().hex[:8]}")
    press_tab(page)
    page.keyboard.type("falsches-passwort")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a field submits its form

    # The summary is announced (role=alert) and, by the site's own script, focused: the next
    # Tab starts at the links to the fields.
    summary = page.locator("[role=alert]")
    assert summary.count() == 1, "no error summary with role=alert"
    assert summary.inner_text().strip(), "the error summary is empty"
    has_focus = page.evaluate("document.activeElement.closest('[role=alert]') !== null")
    assert has_focus, f"the focus is on {describe(focused(page))}, not on the error summary"
    first = press_tab(page)
    assert first["tag"] == "a", f"the first Tab reached {describe(first)}, not a link to a field"
    _assert_errors_are_tied_to_their_fields(page)


def test_empty_keyboard_submit_marks_both_fields(
    open_context: OpenContext, live_server: LiveServer
) -> None:
    page = open_context().new_page()
    start_keyboard_walk(page, live_server, "/login")
    tab_to_field(page, "password")
    submit = press_tab(page)
    assert submit["tag"] == "button"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator("[role=alert]").count() == 1, "no error summary with role=alert"
    invalid = page.locator("[aria-invalid=true]")
    assert sorted(invalid.evaluate_all("els => els.map(e => e.name)")) == ["password", "username"]
    _assert_errors_are_tied_to_their_fields(page)


def _assert_errors_are_tied_to_their_fields(page: Page) -> None:
    """Invalid fields point to their message (aria-describedby); summary links hit fields."""
    problems = page.evaluate(
        """() => {
            const problems = [];
            for (const field of document.querySelectorAll('[aria-invalid=true]')) {
                const ids = (field.getAttribute('aria-describedby') || '').split(/\\s+/)
                    .filter(Boolean);
                const texts = ids.map(id => document.getElementById(id))
                    .filter(Boolean).map(e => e.textContent.trim()).filter(Boolean);
                if (!texts.length) problems.push(field.name + ': no aria-describedby message');
            }
            for (const link of document.querySelectorAll('[role=alert] a[href^="#"]')) {
                const target = document.getElementById(link.hash.slice(1));
                if (!target || !target.matches('input, select, textarea')) {
                    problems.push('summary link ' + link.hash + ' does not lead to a field');
                }
            }
            return problems;
        }"""
    )
    assert not problems, problems


@pytest.mark.parametrize(
    ("username", "path"),
    [
        pytest.param(None, "/login", id="login"),
        pytest.param("koordination", "/", id="start-page"),
        pytest.param("admin", "/", id="start-page-admin"),
    ],
)
def test_every_control_is_reachable_by_tab_in_order_without_trap(
    open_context: OpenContext, live_server: LiveServer, username: str | None, path: str
) -> None:
    page = open_context(username).new_page()
    start_keyboard_walk(page, live_server, path)
    tabbable = page.evaluate(TABBABLE)
    assert tabbable, "no control on the page"
    reached = []
    for _ in range(len(tabbable)):
        element = press_tab(page)
        order = page.evaluate("document.activeElement.dataset.tabOrder ?? null")
        reached.append(None if order is None else int(order))
    expected = list(range(len(tabbable)))
    assert reached == expected, (
        f"Tab order differs from the document order (or some control is skipped or traps "
        f"focus): reached {reached}, expected {expected}; controls: {tabbable}; last: "
        f"{describe(element)}"
    )
    # One more Tab leaves the last control (no trap at the end of the page).
    page.keyboard.press("Tab")
    after = page.evaluate("document.activeElement.dataset.tabOrder ?? null")
    assert after != str(len(tabbable) - 1), "focus is trapped on the last control"
