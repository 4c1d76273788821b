"""A11Y-1 and A11Y-3: axe-core on every page each role can reach, plus error and narrow states.

Pages are discovered, not listed: for each demo account the test signs in through the real
form, starts at "/" and follows same-origin links (GET only, bounded), so new pages are
covered as soon as some page links to them. axe-core runs in a context with `bypass_csp=True`
because the app's CSP forbids the injected script; the CSP itself stays enforced elsewhere.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.e2e.conftest import IN_CI, LiveServer, OpenContext, new_context

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
STATEMENT_PATH = "/barrierefreiheit"
MAX_PAGES_PER_ROLE = 60
MAX_PAGES_PER_PATTERN = 3  # e.g. three idea pages are enough to check the idea template
NARROW = {"width": 320, "height": 640}
# /api/docs is long (every API operation) and has its own test (test_api_docs_accessibility).
SKIPPED_PATHS = {"/logout", "/api/docs"}
SKIPPED_PREFIXES = ("/static/",)
FILE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")  # /x.css, /export.csv: not a page
ID_SEGMENT = re.compile(r"^(\d+|[0-9a-fA-F-]{32,36})$")

# Demo accounts (see ideation.entrypoints.demo): one per role; swm is a company member who
# also holds group_member. None is the signed-out visitor.
ROLES: dict[str, str | None] = {
    "admin": "admin",
    "coordinator": "koordination",
    "auditor": "pruefung",
    "member": "tba",
    "company-and-group-member": "swm",
    "signed-out": None,
}


def _axe() -> Any:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        reason = "axe-playwright-python is not installed (pip install -e '.[dev]')"
        if IN_CI:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return Axe()


@dataclass
class PageReport:
    """What one page (in one state) showed: axe violations and the A11Y-3 duties."""

    label: str
    status: int | None
    violations: list[dict[str, Any]]
    lang: str | None
    has_statement_link: bool
    scroll_width: int
    links: list[str] = field(default_factory=list)


def audit(page: Page, label: str, status: int | None = None) -> PageReport:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the page as it is now and read lang and links."""
    results = _axe().run(page, options=AXE_OPTIONS)
    facts = page.evaluate(
        """(statementPath) => {
            const anchors = Array.from(document.querySelectorAll('a[href]'));
            return {
                lang: document.documentElement.getAttribute('lang'),
                statement: anchors.some(a => {
                    try { return new URL(a.href).pathname === statementPath; }
                    catch (e) { return false; }
                }),
                scrollWidth: document.documentElement.scrollWidth,
                links: anchors.filter(a => !a.hasAttribute('download')).map(a => a.href),
            };
        }""",
        STATEMENT_PATH,
    )
    return PageReport(
        label=label,
        status=status,
        violations=results.response["violations"],
        lang=facts["lang"],
        has_statement_link=facts["statement"],
        scroll_width=facts["scrollWidth"],
        links=facts["links"],
    )


def describe_violations(reports: list[PageReport]) -> str:
    """One block per violation: page, rule, impact, help, then every failing node's target."""
    lines = []
    for report in reports:
        for violation in report.violations:
            lines.append(
                f"{report.label}: {violation['id']} ({violation['impact']}) – "
                f"{violation['help']} <{violation['helpUrl']}>"
            )
            for node in violation["nodes"]:
                target = " ".join(str(part) for part in node["target"])
                summary = " ".join((node.get("failureSummary") or "").split())
                lines.append(f"    {target}: {node['html'][:160]}")
                lines.append(f"        {summary[:400]}")
    return "\n".join(lines)


def assert_no_violations(*reports: PageReport) -> None:
    failing = [report for report in reports if report.violations]
    count = sum(len(report.violations) for report in failing)
    assert count == 0, f"axe-core found {count} violation(s):\n" + describe_violations(failing)


def assert_lang_and_statement(*reports: PageReport) -> None:
    problems = [
        f"{report.label}: lang={report.lang!r}, link to {STATEMENT_PATH}: "
        f"{report.has_statement_link}"
        for report in reports
        if not (report.lang or "").strip() or not report.has_statement_link
    ]
    assert len(problems) == 0, "pages without lang or statement link:\n" + "\n".join(problems)


# ---------------------------------------------------------------- crawling ----


def _page_path(url: str, server: LiveServer) -> str | None:
    """The path (with query) of a link worth visiting, or None for other sites, files, logout."""
    parts = urlsplit(url)
    base = urlsplit(server.url)
    if parts.scheme not in {"http", "https"} or parts.netloc != base.netloc:
        return None
    path = parts.path or "/"
    if path in SKIPPED_PATHS or path.startswith(SKIPPED_PREFIXES) or FILE_SUFFIX.search(path):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def _pattern(path: str) -> str:
    """The template a page probably uses: ids replaced, query values dropped."""
    parts = urlsplit(path)
    segments = ["<id>" if ID_SEGMENT.match(s) else s for s in parts.path.split("/")]
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


@dataclass
class Crawl:
    """Everything one account reached by following links from the start page."""

    reports: list[PageReport]
    problems: list[str]

    def paths(self) -> set[str]:
        """The requested paths that showed a page."""
        return {report.label.split(" → ")[0] for report in self.reports}


def crawl(context: BrowserContext, server: LiveServer, signed_in: bool) -> Crawl:
    """Visit pages breadth-first from "/" and audit each once (the context may be signed in)."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        page = context.new_page()
        queue: deque[str] = deque(["/"])
        queued = {"/"}
        per_pattern: Counter[str] = Counter({_pattern("/"): 1})
        audited: set[str] = set()
        reports: list[PageReport] = []
        problems: list[str] = []
        while queue and len(reports) < MAX_PAGES_PER_ROLE:
            path = queue.popleft()
            try:
                response = page.goto(server.at(path))
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file export behind a plain link: not a page
                raise
            status = response.status if response else None
            landed = _page_path(page.url, server) or page.url
            content_type = (response.headers.get("content-type", "") if response else "").lower()
            if status is not None and (status >= 500 or status == 404):
                problems.append(f"{path}: HTTP {status} (linked from a page)")
            if signed_in and landed.startswith("/login"):
                problems.append(f"{path}: landed on {landed}, the session ended while crawling")
                break
            if "text/html" not in content_type or landed in audited:
                continue
            audited.add(landed)
            label = path if landed == path else f"{path} → {landed}"
            report = audit(page, label, status)
            reports.append(report)
            for link in report.links:
                target = _page_path(link.split("#", 1)[0], server)
                if target is None or target in queued:
                    continue
                pattern = _pattern(target)
                if per_pattern[pattern] >= MAX_PAGES_PER_PATTERN:
                    continue
                per_pattern[pattern] += 1
                queued.add(target)
                queue.append(target)
        return Crawl(reports=reports, problems=problems)
    finally:
        context.close()


@pytest.fixture(scope="session")
def crawled(
    browser: Browser,
    live_server: LiveServer,
    signed_in_state: Callable[[str], dict[str, Any]],
) -> Callable[[str | None], Crawl]:
    """Crawl each account at most once per session; several tests read the same crawl."""
    cache: dict[str | None, Crawl] = {}

    def get(username: str | None) -> Crawl:
        if username not in cache:
            options: dict[str, Any] = {"bypass_csp": True}
            if username is not None:
                options["storage_state"] = signed_in_state(username)
            context = new_context(browser, **options)
            cache[username] = crawl(context, live_server, signed_in=username is not None)
        return cache[username]

    return get


ROLE_PARAMS = [pytest.param(username, id=role) for role, username in ROLES.items()]


@pytest.mark.parametrize("username", ROLE_PARAMS)
def test_every_reachable_page_has_no_axe_violations(
    crawled: Callable[[str | None], Crawl], username: str | None
) -> None:
    result = crawled(username)
    assert len(result.reports) >= 2, f"the crawl found almost nothing: {result.paths()}"
    assert_no_violations(*result.reports)


@pytest.mark.parametrize("username", ROLE_PARAMS)
def test_every_reachable_page_has_lang_and_a_link_to_the_accessibility_statement(
    crawled: Callable[[str | None], Crawl], username: str | None
) -> None:
    result = crawled(username)
    assert_lang_and_statement(*result.reports)
    langs = {report.lang for report in result.reports}
    assert langs == {"de"}, f"German is the default language, got {langs}"


@pytest.mark.parametrize("username", ROLE_PARAMS)
def test_every_linked_page_loads_without_error(
    crawled: Callable[[str | None], Crawl], username: str | None
) -> None:
    result = crawled(username)
    assert len(result.problems) == 0, "\n".join(result.problems)


@pytest.mark.parametrize("username", ROLE_PARAMS)
def test_every_reachable_page_reflows_at_320_px(
    crawled: Callable[[str | None], Crawl],
    open_context: OpenContext,
    live_server: LiveServer,
    username: str | None,
) -> None:
    """WCAG 1.4.10 on every crawled page: no horizontal scrolling at 320 CSS px."""
    page = open_context(username, viewport=NARROW).new_page()
    too_wide = []
    for path in sorted(crawled(username).paths()):
        page.goto(live_server.at(path))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            too_wide.append(f"{path}: scrollWidth={width}; sticking out: {_sticking_out(page)}")
    assert len(too_wide) == 0, "horizontal scrolling at 320 px:\n" + "\n".join(too_wide)


# ------------------------------------------------------------------ states ----


def test_sign_in_form_with_errors_has_no_violations(
    open_context: OpenContext, live_server: LiveServer
) -> None:
    page = open_context(bypass_csp=True).new_page()
    page.goto(live_server.at("/login"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("[role=alert]").count() == 1, "the error summary is missing"
    assert page.locator("[aria-invalid=true]").count() == 2
    report = audit(page, "/login (submitted empty)")
    assert_no_violations(report)
    assert_lang_and_statement(report)


def test_failed_sign_in_has_no_violations(
    open_context: OpenContext, live_server: LiveServer
) -> None:
    page = open_context(bypass_csp=True).new_page()
    page.goto(live_server.at("/login"))
    form = page.locator("main form")
    form.locator("input[name=username]").fill(f"niemand-{uuid.uuid4().hex[:8]}")
    form.locator("input[name=password]").fill("falsch")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("[role=alert]").count() == 1, "the error summary is missing"
    report = audit(page, "/login (wrong password)")
    assert_no_violations(report)
    assert_lang_and_statement(report)


@pytest.mark.parametrize("username", [None, "koordination"], ids=["signed-out", "signed-in"])
def test_not_found_page_has_no_violations(
    open_context: OpenContext, live_server: LiveServer, username: str | None
) -> None:
    page = open_context(username, bypass_csp=True).new_page()
    path = f"/gibt-es-nicht-{uuid.uuid4().hex[:8]}"
    response = page.goto(live_server.at(path))
    assert response is not None
    assert response.status == 404
    report = audit(page, f"{path} (404, {username or 'signed out'})", response.status)
    assert_no_violations(report)
    assert_lang_and_statement(report)


def test_forbidden_page_has_no_violations(
    crawled: Callable[[str | None], Crawl], open_context: OpenContext, live_server: LiveServer
) -> None:
    """A member opens pages only the admin reached (found by the crawls, so none is listed)."""
    admin_only = sorted(crawled("admin").paths() - crawled("tba").paths())
    page = open_context("tba", bypass_csp=True).new_page()
    reports = []
    for path in admin_only:
        response = page.goto(live_server.at(path))
        if response is not None and response.status == 403:
            reports.append(audit(page, f"{path} (403 for a member)", 403))
        if len(reports) >= 3:
            break
    if not reports:
        pytest.skip(f"no page answers 403 to a member yet (admin-only pages: {admin_only})")
    assert_no_violations(*reports)
    assert_lang_and_statement(*reports)


@pytest.mark.parametrize(
    ("username", "path"),
    [
        pytest.param(None, "/login", id="login"),
        pytest.param("koordination", "/", id="start-page"),
    ],
)
def test_narrow_viewport_reflows_without_horizontal_scrolling(
    open_context: OpenContext, live_server: LiveServer, username: str | None, path: str
) -> None:
    """WCAG 1.4.10: 320 CSS px (1280 px at 400 % zoom) without horizontal scrolling."""
    page = open_context(username, bypass_csp=True, viewport=NARROW).new_page()
    page.goto(live_server.at(path))
    label = f"{path} at 320 px"
    report = audit(page, label)
    assert_no_violations(report)
    assert_lang_and_statement(report)
    assert report.scroll_width <= NARROW["width"], (
        f"{label}: horizontal scrolling, scrollWidth={report.scroll_width}; "
        f"sticking out: {_sticking_out(page)}"
    )


def _sticking_out(page: Page) -> list[str]:
    """What reaches past the viewport's right edge (innermost elements and overflowing text)."""
    return page.evaluate(
        """(limit) => {
            const past = rect => rect.right > limit + 0.5;
            const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                + (typeof e.className === 'string' && e.className
                   ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
            const path = e => {
                const parts = [];
                for (let n = e; n && n !== document.body; n = n.parentElement) {
                    parts.unshift(name(n));
                }
                return parts.join(' > ');
            };
            const found = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const range = document.createRange();
                range.selectNodeContents(node);
                const rect = range.getBoundingClientRect();
                if (past(rect) && node.textContent.trim()) {
                    found.push(path(node.parentElement) + ' text '
                        + JSON.stringify(node.textContent.trim().slice(0, 50))
                        + ' right=' + Math.round(rect.right));
                }
            }
            for (const e of document.querySelectorAll('body *')) {
                const rect = e.getBoundingClientRect();
                if (past(rect) && !Array.from(e.children).some(c => past(c.getBoundingClientRect()))
                    && !e.textContent.trim()) {
                    found.push(path(e) + ' right=' + Math.round(rect.right));
                }
            }
            return found.slice(0, 10);
        }""",
        NARROW["width"],
    )


def test_english_start_page_has_no_violations(
    open_context: OpenContext, live_server: LiveServer
) -> None:
    page = open_context("koordination", bypass_csp=True).new_page()
    page.goto(live_server.at("/"))
    switch = page.locator("header form:has(select[name=locale])")
    switch.locator("select[name=locale]").select_option("en")
    with page.expect_navigation():
        switch.locator("button[type=submit]").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    report = audit(page, "/ in English")
    assert_no_violations(report)
    assert_lang_and_statement(report)


def test_accessibility_statement_offers_a_feedback_mechanism(
    open_context: OpenContext, live_server: LiveServer
) -> None:
    """A11Y-3: BITV 2.0 requires a way to report barriers, reachable without signing in."""
    page = open_context().new_page()
    response = page.goto(live_server.at(STATEMENT_PATH))
    assert response is not None
    assert response.status == 200
    feedback = page.locator("main a[href^='mailto:'], main form")
    assert feedback.count() >= 1, "the accessibility statement offers no feedback mechanism"
