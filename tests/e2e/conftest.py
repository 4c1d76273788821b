"""End-to-end fixtures: the real app on a real port, Debian's Chromium driven by Playwright.

The server is the Flask app from `create_app` on a fresh SQLite instance with the demo city
(Musterstadt) seeded, served by werkzeug in a background thread. The browser is Debian's
`/usr/bin/chromium` (Playwright's own browser download is not available offline). Without
Chromium or Playwright the tests are skipped on a developer machine and fail under CI.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from werkzeug.serving import make_server

from ideation.entrypoints.demo import DEMO_PASSWORD, seed_demo_city
from ideation.entrypoints.flask_app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# Timeouts in milliseconds for Playwright: generous for a 2-core CI machine, but bounded.
ACTION_TIMEOUT_MS = 15_000
NAVIGATION_TIMEOUT_MS = 30_000


def _skip_or_fail(reason: str) -> None:
    """Skip on a developer machine; under CI the browser must be there."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@dataclass(frozen=True)
class LiveServer:
    """The running app: its base URL (no trailing slash) and the Flask app behind it."""

    url: str
    app: Any

    def at(self, path: str) -> str:
        """The absolute URL of a path on the app."""
        return self.url + path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real app with the demo city on 127.0.0.1 and a free port, in a background thread."""
    instance = tmp_path_factory.mktemp("e2e") / "instance"
    app = create_app(
        {
            "IDEATION_INSTANCE_PATH": str(instance),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
        }
    )
    seed_demo_city(app.extensions["ideation"], progress=lambda _message: None)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        ideation = app.extensions["ideation"]
        ideation.close()
        ideation.directory.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Debian Chromium for the whole session."""
    if not CHROMIUM.exists():
        _skip_or_fail(
            f"{CHROMIUM} is missing (install Debian's chromium: apt-get install -y chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """A fresh context (own cookies) with German as the browser language and bounded timeouts."""
    options.setdefault("locale", "de-DE")
    context = browser.new_context(**options)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    return context


@pytest.fixture(scope="session")
def signed_in_state(browser: Browser, live_server: LiveServer) -> Callable[[str], dict[str, Any]]:
    """The cookies of a session signed in through the real form, once per account.

    Contexts reuse them instead of posting the form again: the app limits sign-in posts
    per address (30 a minute), and every browser here comes from 127.0.0.1.
    """
    cache: dict[str, dict[str, Any]] = {}

    def get(username: str) -> dict[str, Any]:
        if username not in cache:
            context = new_context(browser)
            try:
                sign_in(context.new_page(), live_server, username)
                cache[username] = context.storage_state()
            finally:
                context.close()
        return cache[username]

    return get


OpenContext = Callable[..., "BrowserContext"]


@pytest.fixture
def open_context(
    browser: Browser, signed_in_state: Callable[[str], dict[str, Any]]
) -> Iterator[OpenContext]:
    """Open contexts, signed in as a demo account or not; all are closed after the test.

    `open_context(username=None, **options)` passes options on to `new_context`, e.g.
    `bypass_csp=True` for axe runs or `viewport={"width": 320, "height": 640}`.
    """
    opened: list[BrowserContext] = []

    def open_(username: str | None = None, **options: Any) -> BrowserContext:
        if username is not None:
            options["storage_state"] = signed_in_state(username)
        context = new_context(browser, **options)
        opened.append(context)
        return context

    yield open_
    for context in opened:
        context.close()


def sign_in(page: Page, server: LiveServer, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form, as a person would, and wait for the start page."""
    page.goto(server.at("/login"))
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    response = navigation.value
    status = response.status if response else None
    current = page.url.removeprefix(server.url)
    assert not current.startswith("/login"), (
        f"signing in as {username!r} failed: HTTP {status} at {current}"
    )
