"""A11Y-1 on the daily-work pages in the states a link crawl cannot reach.

test_accessibility.py crawls every page each role reaches by links. This file adds what only
sending a form, a query or a narrow window shows: forms sent with errors (the submit form,
the idea page's action forms inside <details>, the measure page's and the working group's
forms), every action form of the idea page opened, the conflict notice after a stale
version, empty and refused lists, the history's "Stand am" and compare views with wrong
input, a 320 px window, and the English pages. axe-core needs `bypass_csp=True` contexts
(the CSP forbids the injected script), as in test_accessibility.py.

Objects are looked up in the live demo city through the application (never hard-coded ids);
nothing here records anything: every form sent is refused (errors or conflict).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

import pytest

from ideation.application.history import HISTORY_KINDS
from ideation.entrypoints.demo import FLAGSHIP_TITLE
from tests.e2e.conftest import LiveServer, OpenContext
from tests.e2e.test_accessibility import (
    NARROW,
    PageReport,
    _sticking_out,
    assert_lang_and_statement,
    assert_no_violations,
    audit,
)

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

CLIMATE_GROUP = "AG Klimaanpassung und Stadtgrün"
RUNNING = ("planned", "in_progress")
MEASURE_STATUSES = ("planned", "in_progress", "implemented", "cancelled")


# ------------------------------------------------------------ demo city ----


@dataclass(frozen=True)
class DemoCity:
    """Ids of the demo objects the states below need, found through the application."""

    server: LiveServer
    flagship: UUID
    flagship_measure: UUID
    climate_group: UUID
    climate_idea: UUID  # an idea the climate group is working on (stage in_working_group)
    running_measure: UUID  # a running, unblocked measure of the climate group

    @property
    def ideation(self) -> Any:
        return self.server.app.extensions["ideation"]

    def person(self, username: str) -> UUID:
        account = self.ideation.accounts.by_username(username)
        assert account is not None, f"the demo city has no account {username!r}"
        return account.person_id

    def idea_offering(self, username: str, permission: str, stage: str | None = None) -> UUID:
        """The first idea (by title) on which the account may take the action."""
        person = self.person(username)
        rows = self.ideation.read_models.list_ideas(stage=stage, sort="title", page_size=100).rows
        for row in rows:
            if permission in self.ideation.idea_actions(person, row.id):
                return row.id
        pytest.fail(f"no idea{f' in {stage}' if stage else ''} offers {username} {permission}")

    def idea_with_most_actions(self, username: str) -> UUID:
        """The idea on which the account has the most action forms."""
        person = self.person(username)
        rows = self.ideation.read_models.list_ideas(sort="title", page_size=100).rows
        best = max(rows, key=lambda row: len(self.ideation.idea_actions(person, row.id)))
        assert self.ideation.idea_actions(person, best.id), f"{username} may act on no idea"
        return best.id


@pytest.fixture(scope="module")
def city(live_server: LiveServer) -> DemoCity:
    ideation = live_server.app.extensions["ideation"]
    read_models = ideation.read_models
    flagship = [
        r for r in read_models.list_ideas(text=FLAGSHIP_TITLE).rows if r.title == FLAGSHIP_TITLE
    ]
    assert len(flagship) == 1, f"the demo city has no idea {FLAGSHIP_TITLE!r}"
    groups = {g.name: g.id for g in read_models.list_working_groups()}
    climate = groups[CLIMATE_GROUP]
    ideas = read_models.list_ideas(
        stage="in_working_group", working_group_id=climate, sort="title"
    ).rows
    measures = read_models.list_measures(stage=list(RUNNING), working_group_id=climate)
    running = [m for m in measures if not m.blocked]
    assert ideas, f"{CLIMATE_GROUP} works on no idea"
    assert running, f"{CLIMATE_GROUP} has no running measure"
    measure_id = ideation.get_idea(flagship[0].id).measure_id
    assert measure_id is not None, "the flagship quick win has no measure"
    return DemoCity(
        server=live_server,
        flagship=flagship[0].id,
        flagship_measure=measure_id,
        climate_group=climate,
        climate_idea=ideas[0].id,
        running_measure=running[0].id,
    )


# -------------------------------------------------------------- helpers ----


def check(page: Page, label: str, status: int | None = None) -> PageReport:
    """axe-core finds nothing on the page as it is now; it has lang and the statement link."""
    report = audit(page, label, status)
    assert_no_violations(report)
    assert_lang_and_statement(report)
    return report


def send(page: Page, form: Locator, button: str) -> int | None:
    """Click the form's button and return the HTTP status of the page that comes back."""
    with page.expect_navigation() as navigation:
        form.get_by_role("button", name=button, exact=True).click()
    response = navigation.value
    return response.status if response else None


def idea_action(page: Page, heading: str) -> Locator:
    """The idea page's action form under this <h3>, opened."""
    details = page.locator("details").filter(
        has=page.get_by_role("heading", level=3, name=heading, exact=True)
    )
    assert details.count() == 1, f"the idea page offers no action {heading!r}"
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def open_every_action(page: Page) -> int:
    """Open every closed <details> on the page by clicking its summary; return how many."""
    closed = page.locator("details:not([open]) > summary")
    count = closed.count()
    for _ in range(count):
        closed.first.click()
    assert page.locator("details:not([open])").count() == 0
    return count


def assert_errors_shown(page: Page, scope: Locator, status: int | None) -> None:
    """The form came back refused, with an error summary and at least one marked field."""
    assert status == 400, f"expected 400 for a form with errors, got {status} at {page.url}"
    assert scope.locator("[role=alert]").count() >= 1, "no error summary with role=alert"
    assert scope.locator("[aria-invalid=true]").count() >= 1, "no field is marked invalid"


def assert_reflows(page: Page, label: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], (
        f"{label}: horizontal scrolling at 320 px, scrollWidth={width}; "
        f"too wide: {too_wide(page)}; text sticking out: {_sticking_out(page)}"
    )


def too_wide(page: Page) -> list[str]:
    """The innermost visible elements whose box reaches past 320 px (form controls too)."""
    return page.evaluate(
        """(limit) => {
            const past = e => e.getBoundingClientRect().right > limit + 0.5;
            const hidden = e => e.closest(
                '.visually-hidden, [hidden], details:not([open]) > :not(summary)');
            const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                + (typeof e.className === 'string' && e.className
                   ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                + (e.name ? '[name=' + e.name + ']' : '');
            return Array.from(document.querySelectorAll('body *'))
                .filter(e => past(e) && !hidden(e) && e.getClientRects().length > 0)
                .filter(e => !Array.from(e.children).some(c => past(c) && !hidden(c)))
                .slice(0, 10)
                .map(e => name(e) + ' right=' + Math.round(e.getBoundingClientRect().right));
        }""",
        NARROW["width"],
    )


def switch_to_english(page: Page) -> None:
    switch = page.locator("header form:has(select[name=locale])")
    switch.get_by_label("Sprache").select_option("en")
    with page.expect_navigation():
        switch.get_by_role("button").click()
    assert page.evaluate("document.documentElement.lang") == "en"


def params(*rows: Iterable[Any], ids: list[str]) -> list[Any]:
    return [pytest.param(*row, id=name) for row, name in zip(rows, ids, strict=True)]


# ------------------------------------------------------ forms with errors ----


@pytest.mark.parametrize("username", ["tba", "swm"])
def test_submit_form_sent_empty_has_no_violations(
    open_context: OpenContext, live_server: LiveServer, username: str
) -> None:
    page = open_context(username, bypass_csp=True).new_page()
    page.goto(live_server.at("/ideas/new"))
    form = page.locator("main form")
    status = send(page, form, "Idee einreichen")
    assert_errors_shown(page, page.locator("main"), status)
    assert page.locator("[aria-invalid=true]").count() == 2, "title and summary are required"
    check(page, f"/ideas/new sent empty ({username})", status)


def test_similar_ideas_hints_have_no_violations(
    open_context: OpenContext, live_server: LiveServer
) -> None:
    """The "Ähnliche Ideen prüfen" button shows existing ideas like the draft."""
    page = open_context("tba", bypass_csp=True).new_page()
    page.goto(live_server.at("/ideas/new"))
    form = page.locator("main form")
    form.get_by_label("Titel").fill("Bäume mit Bodenfeuchtesensoren gießen")
    status = send(page, form, "Ähnliche Ideen prüfen")
    assert status == 200
    hints = page.locator("#similar-ideas a")
    assert hints.count() >= 1, "no similar idea is shown for a draft like the flagship"
    check(page, "/ideas/new with similar ideas", status)


# (account, permission, action heading, button, fields to clear first). Decisions and the
# recommendation are sent on an idea of the climate group; the rest on the first idea offering
# the action to the account.
CONTENT = ("Titel", "Kurzbeschreibung")
IDEA_FORM_ERRORS = params(
    ("koordination", "idea.accept", "Annehmen", "Annehmen", ()),
    ("koordination", "idea.reject", "Ablehnen", "Ablehnen", ()),
    ("koordination", "idea.merge", "Zusammenführen", "Zusammenführen", ()),
    ("koordination", "idea.assign_to_working_group", "An Arbeitsgruppe übergeben", "Übergeben", ()),
    ("koordination", "idea.assess", "Bewerten", "Bewertung speichern", ()),
    ("swm", "idea.recommend", "Empfehlung der Arbeitsgruppe", "Empfehlung abgeben", ()),
    ("tba", "idea.revise", "Idee überarbeiten", "Änderungen speichern", CONTENT),
    ("tba", "idea.withdraw", "Idee zurückziehen", "Zurückziehen", ()),
    ("tba", "idea.comment", "Kommentieren", "Kommentar veröffentlichen", ()),
    ids=[
        "coordinator-accept-without-reason",
        "coordinator-reject-without-reason",
        "coordinator-merge-without-target-and-reason",
        "coordinator-assign-without-group",
        "coordinator-assess-without-weeks-and-rationale",
        "group-member-recommend-without-outcome-and-reasoning",
        "member-revise-without-title-and-summary",
        "member-withdraw-without-reason",
        "member-empty-comment",
    ],
)
ON_CLIMATE_IDEA = {"idea.accept", "idea.reject", "idea.merge", "idea.recommend"}


@pytest.mark.parametrize(("username", "permission", "heading", "button", "clear"), IDEA_FORM_ERRORS)
def test_idea_action_form_sent_with_errors_has_no_violations(
    open_context: OpenContext,
    city: DemoCity,
    username: str,
    permission: str,
    heading: str,
    button: str,
    clear: tuple[str, ...],
) -> None:
    if permission in ON_CLIMATE_IDEA:
        idea_id = city.climate_idea
        assert permission in city.ideation.idea_actions(city.person(username), idea_id)
    else:
        idea_id = city.idea_offering(username, permission)
    page = open_context(username, bypass_csp=True).new_page()
    page.goto(city.server.at(f"/ideas/{idea_id}"))
    form = idea_action(page, heading)
    for label in clear:
        form.get_by_label(label, exact=True).fill("")
    status = send(page, form, button)
    form = page.locator("details[open]").filter(
        has=page.get_by_role("heading", level=3, name=heading, exact=True)
    )
    assert_errors_shown(page, form, status)
    check(page, f"idea page, {heading!r} sent with errors ({username})", status)


@pytest.mark.parametrize("username", ["koordination", "tba", "umw", "swm"])
def test_idea_page_with_every_action_form_open_has_no_violations(
    open_context: OpenContext, city: DemoCity, username: str
) -> None:
    """The crawl sees the action forms closed; here all of them are open."""
    idea_id = city.idea_with_most_actions(username)
    page = open_context(username, bypass_csp=True).new_page()
    page.goto(city.server.at(f"/ideas/{idea_id}"))
    assert page.locator("details.action").count() >= 1
    open_every_action(page)
    check(page, f"/ideas/{idea_id} with every action open ({username})")


def test_reply_to_a_comment_sent_empty_has_no_violations(
    open_context: OpenContext, city: DemoCity
) -> None:
    page = open_context("tba", bypass_csp=True).new_page()
    page.goto(city.server.at(f"/ideas/{city.flagship}"))
    reply = page.locator("details.reply").first
    assert reply.count() == 1, "the flagship's comments offer no reply"
    reply.locator("summary").click()
    status = send(page, reply.locator("form"), "Antwort veröffentlichen")
    opened = page.locator("details.reply[open]")
    assert opened.count() == 1, "the refused reply form is not shown open"
    assert_errors_shown(page, opened, status)
    check(page, f"/ideas/{city.flagship} reply sent empty (tba)", status)


# (account, the form's heading (also its button), {label: value to enter first})
MEASURE_FORM_ERRORS = params(
    ("swm", "Ziel festlegen", {}),
    ("swm", "Meilenstein planen", {}),
    ("umw", "Fortschritt melden", {"Fortschritt in Prozent (0 bis 100)": "150"}),
    ("umw", "Als umgesetzt melden", {"Umgesetzt am": ""}),
    ("swm", "Als blockiert melden", {}),
    ("koordination", "Maßnahme abbrechen", {}),
    ("koordination", "Mehrwert festhalten", {}),
    ids=[
        "group-member-goal",
        "group-member-milestone",
        "group-member-progress-out-of-range",
        "group-member-implement-without-date-and-outcome",
        "group-member-block-without-reason",
        "coordinator-cancel-without-reason",
        "coordinator-benefit-without-department",
    ],
)


@pytest.mark.parametrize(("username", "heading", "values"), MEASURE_FORM_ERRORS)
def test_measure_action_form_sent_with_errors_has_no_violations(
    open_context: OpenContext, city: DemoCity, username: str, heading: str, values: dict[str, str]
) -> None:
    page = open_context(username, bypass_csp=True).new_page()
    page.goto(city.server.at(f"/measures/{city.running_measure}"))
    form = page.get_by_role("region", name=heading, exact=True)
    assert form.count() == 1, f"{username} is not offered {heading!r} on a running measure"
    for label, value in values.items():
        form.get_by_label(label, exact=True).fill(value)
    status = send(page, form, heading)
    form = page.get_by_role("region", name=heading, exact=True)
    assert_errors_shown(page, form, status)
    check(page, f"measure page, {heading!r} sent with errors ({username})", status)


# (account, section heading, button)
GROUP_FORM_ERRORS = params(
    ("swm", "Sitzung protokollieren", "Sitzung protokollieren"),
    ("umw", "Sitzung protokollieren", "Sitzung protokollieren"),
    ("koordination", "Mitglied aufnehmen", "Mitglied aufnehmen"),
    ("koordination", "Arbeitsgruppe auflösen", "Arbeitsgruppe auflösen"),
    ids=[
        "group-member-swm-meeting",
        "group-member-umw-meeting",
        "coordinator-add-member",
        "coordinator-dissolve-without-reason",
    ],
)


@pytest.mark.parametrize(("username", "heading", "button"), GROUP_FORM_ERRORS)
def test_working_group_form_sent_with_errors_has_no_violations(
    open_context: OpenContext, city: DemoCity, username: str, heading: str, button: str
) -> None:
    page = open_context(username, bypass_csp=True).new_page()
    page.goto(city.server.at(f"/working-groups/{city.climate_group}"))
    title = page.get_by_role("heading", level=2, name=heading, exact=True)
    assert title.count() == 1, f"{username} is not offered {heading!r} on the group page"
    form = page.locator("main form").filter(has=page.get_by_role("button", name=button, exact=True))
    status = send(page, form, button)
    assert_errors_shown(page, page.locator("main"), status)
    check(page, f"group page, {heading!r} sent with errors ({username})", status)


def test_recommendation_on_the_group_page_sent_empty_has_no_violations(
    open_context: OpenContext, city: DemoCity
) -> None:
    page = open_context("swm", bypass_csp=True).new_page()
    page.goto(city.server.at(f"/working-groups/{city.climate_group}"))
    form = page.locator(f"form[action$='/ideas/{city.climate_idea}/recommend']")
    assert form.count() == 1, "the group page offers no recommendation form for its idea"
    status = send(page, form, "Empfehlung abgeben")
    assert_errors_shown(page, page.locator("main"), status)
    check(page, "group page, recommendation sent empty (swm)", status)


# ------------------------------------------------------ conflict notice ----


def _make_stale(form: Locator) -> None:
    """Let the form claim an older version, as if someone acted since it was opened."""
    version = form.locator("input[name$='version']")
    current = int(version.input_value())
    assert current > 1
    version.evaluate("(e, v) => { e.value = v; }", str(current - 1))


@pytest.mark.parametrize("username", ["tba", "koordination"])
def test_conflict_notice_on_the_idea_page_has_no_violations(
    open_context: OpenContext, city: DemoCity, username: str
) -> None:
    page = open_context(username, bypass_csp=True).new_page()
    page.goto(city.server.at(f"/ideas/{city.flagship}"))
    comments = page.locator("ol.comments > li").count()
    form = idea_action(page, "Kommentieren")
    _make_stale(form)
    form.get_by_label("Kommentar", exact=True).fill("Ein Kommentar auf einem alten Stand.")
    status = send(page, form, "Kommentar veröffentlichen")
    assert status == 409, f"a stale version must be refused with 409, got {status}"
    assert page.locator(".conflict-notice[role=alert]").count() == 1
    assert page.locator("ol.comments > li").count() == comments, "the comment was recorded"
    check(page, f"idea page with the conflict notice ({username})", status)


def test_conflict_notice_on_the_measure_page_has_no_violations(
    open_context: OpenContext, city: DemoCity
) -> None:
    page = open_context("swm", bypass_csp=True).new_page()
    page.goto(city.server.at(f"/measures/{city.running_measure}"))
    form = page.get_by_role("region", name="Fortschritt melden", exact=True)
    _make_stale(form.locator("form"))
    status = send(page, form, "Fortschritt melden")
    assert status == 409, f"a stale version must be refused with 409, got {status}"
    assert page.locator(".conflict-notice[role=alert]").count() == 1
    check(page, "measure page with the conflict notice (swm)", status)


# --------------------------------------------------------------- history ----


@pytest.mark.parametrize("username", ["pruefung", "swm"])
def test_history_views_with_wrong_input_have_no_violations(
    open_context: OpenContext, city: DemoCity, username: str
) -> None:
    """ "Stand am" without a date, with an impossible one, before the idea; compare reversed."""
    page = open_context(username, bypass_csp=True).new_page()
    base = f"/ideas/{city.flagship}/history"
    reports = []

    page.goto(city.server.at(f"{base}/"))
    picker = page.locator("form.as-of-picker")
    status = send(page, picker, "Stand zeigen")
    assert_date_refused(page, status)
    reports.append(audit(page, f"{base}/as-of without a date ({username})", status))

    response = page.goto(city.server.at(f"{base}/as-of?date=2026-02-30"))
    assert response is not None
    assert_date_refused(page, response.status)
    reports.append(audit(page, f"{base}/as-of?date=2026-02-30 ({username})", response.status))

    response = page.goto(city.server.at(f"{base}/as-of?date=2000-01-01"))
    assert response is not None
    assert response.status == 404, "before the idea existed there is nothing to show"
    assert page.locator("main .notice[role=status]").count() == 1
    reports.append(audit(page, f"{base}/as-of before the idea ({username})", response.status))

    response = page.goto(city.server.at(f"{base}/compare?older=3&newer=2"))
    assert response is not None
    assert response.status == 400, "a reversed comparison must be refused"
    reports.append(audit(page, f"{base}/compare reversed ({username})", response.status))

    assert_no_violations(*reports)
    assert_lang_and_statement(*reports)


def assert_date_refused(page: Page, status: int | None) -> None:
    """The "Stand am" page refuses the date: the field is marked and says why."""
    assert status == 400, f"expected 400 for a missing or wrong date, got {status}"
    date = page.locator("form.as-of-picker input[aria-invalid=true]")
    assert date.count() == 1, "the date field is not marked invalid"
    message = page.locator("#" + date.get_attribute("aria-describedby").split()[-1])
    assert message.inner_text().strip(), "the date field has no error message"


def test_history_with_order_and_a_kind_without_entries_has_no_violations(
    open_context: OpenContext, city: DemoCity
) -> None:
    ideation = city.ideation
    rows = ideation.read_models.list_ideas(sort="title", page_size=100).rows
    empty = next(
        (
            (row.id, kind)
            for row in rows
            for kind in HISTORY_KINDS
            if all(entry.kind != kind for entry in ideation.idea_history(row.id))
        ),
        None,
    )
    assert empty is not None, "every idea has steps of every kind"
    idea_id, kind = empty
    page = open_context("pruefung", bypass_csp=True).new_page()
    reports = []
    page.goto(city.server.at(f"/ideas/{idea_id}/history/?kind={kind}&order=desc"))
    assert page.locator("main .empty").count() == 1, "no notice that no step is shown"
    reports.append(audit(page, f"/ideas/{idea_id}/history/?kind={kind} (no entries)"))
    page.goto(city.server.at(f"/ideas/{city.flagship}/history/?kind=decisions&order=desc"))
    assert page.locator("ol.timeline[reversed] > li").count() >= 1
    reports.append(audit(page, "flagship history, decisions, newest first"))
    assert_no_violations(*reports)
    assert_lang_and_statement(*reports)


# ----------------------------------------------------------- list states ----


@pytest.mark.parametrize("username", ["tba", "pruefung"])
def test_empty_and_refused_lists_have_no_violations(
    open_context: OpenContext, city: DemoCity, username: str
) -> None:
    read_models = city.ideation.read_models
    groups = [g.id for g in read_models.list_working_groups()]
    nothing = next(
        (
            (status, group)
            for group in groups
            for status in MEASURE_STATUSES
            if not read_models.list_measures(stage=status, working_group_id=group)
        ),
        None,
    )
    assert nothing is not None, "every group has measures in every status"
    status, group = nothing
    nonsense = f"xq{uuid.uuid4().hex[:10]}zv"
    cases = [
        (f"/ideas/?q={nonsense}", 200, "main .empty"),
        (f"/measures/?status={status}&group={group}", 200, "main .empty, main p"),
        ("/ideas/?stage=unsinn", 400, "main [role=alert]"),
        ("/ideas/?page=abc", 400, "main [role=alert]"),
        ("/measures/?status=unsinn", 400, "main [role=alert]"),
    ]
    page = open_context(username, bypass_csp=True).new_page()
    reports = []
    for path, expected, shown in cases:
        response = page.goto(city.server.at(path))
        assert response is not None
        assert response.status == expected, f"{path}: HTTP {response.status}, not {expected}"
        assert page.locator(shown).count() >= 1, f"{path}: nothing says why the list is empty"
        reports.append(audit(page, f"{path} ({username})", response.status))
    assert_no_violations(*reports)
    assert_lang_and_statement(*reports)


# ------------------------------------------------------------- at 320 px ----


NARROW_PAGES = params(
    ("koordination", "idea"),
    ("tba", "idea"),
    ("pruefung", "history"),
    ("pruefung", "as-of"),
    ("pruefung", "compare"),
    ("swm", "running-measure"),
    ("pruefung", "implemented-measure"),
    ("swm", "group"),
    ("koordination", "group"),
    ("tba", "/ideas/"),
    ("tba", "/ideas/new"),
    ("tba", "/measures/"),
    ("koordination", "/working-groups/"),
    ids=[
        "idea-coordinator",
        "idea-member",
        "history",
        "as-of",
        "compare",
        "measure-group-member",
        "measure-implemented",
        "group-group-member",
        "group-coordinator",
        "idea-list",
        "submit-form",
        "measure-list",
        "group-list",
    ],
)


@pytest.mark.parametrize(("username", "which"), NARROW_PAGES)
def test_daily_work_page_at_320_px_reflows_and_has_no_violations(
    open_context: OpenContext, city: DemoCity, username: str, which: str
) -> None:
    """WCAG 1.4.10: no horizontal scrolling at 320 CSS px, every action form opened."""
    paths = {
        "idea": f"/ideas/{city.climate_idea}",
        "history": f"/ideas/{city.flagship}/history/",
        "as-of": f"/ideas/{city.flagship}/history/as-of?version=5",
        "compare": f"/ideas/{city.flagship}/history/compare?older=1&newer=8",
        "running-measure": f"/measures/{city.running_measure}",
        "implemented-measure": f"/measures/{city.flagship_measure}",
        "group": f"/working-groups/{city.climate_group}",
    }
    path = paths.get(which, which)
    page = open_context(username, bypass_csp=True, viewport=NARROW).new_page()
    response = page.goto(city.server.at(path))
    assert response is not None
    assert response.status == 200, f"{path}: HTTP {response.status}"
    open_every_action(page)
    label = f"{path} at 320 px ({username})"
    check(page, label)
    assert_reflows(page, label)


# ------------------------------------------------------------- in English ----


def test_daily_work_pages_in_english_have_no_violations(
    open_context: OpenContext, city: DemoCity
) -> None:
    """Switched with the language form; the action forms of the idea page opened."""
    page = open_context("koordination", bypass_csp=True).new_page()
    idea_page = city.server.at(f"/ideas/{city.climate_idea}")
    page.goto(idea_page)
    switch_to_english(page)
    assert page.url == idea_page, f"the language form did not lead back, but to {page.url}"
    open_every_action(page)
    reports = [audit(page, "idea page in English, actions open")]
    for path in [
        f"/ideas/{city.flagship}/history/",
        f"/ideas/{city.flagship}/history/as-of?version=5",
        f"/measures/{city.flagship_measure}",
        f"/working-groups/{city.climate_group}",
        "/ideas/",
        "/measures/",
    ]:
        page.goto(city.server.at(path))
        assert page.evaluate("document.documentElement.lang") == "en", f"{path} is not English"
        reports.append(audit(page, f"{path} in English"))
    assert_no_violations(*reports)
    assert_lang_and_statement(*reports)
