"""The daily work end to end: from a submitted idea to a recorded benefit, told by its history.

Each step runs as the demo account whose job it is, in its own browser context, against the
live demo server with the app's CSP enforced (no `bypass_csp`). Two steps are walked with the
keyboard only (A11Y-2): the member submits the idea and the coordination accepts it. There
every field and button is reached with Tab / Shift+Tab, text is typed and forms are sent
with Enter; each stop must show a visible focus indicator. The other steps click, as most
people do, through role- and label-based locators.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.conftest import LiveServer, OpenContext
from tests.e2e.test_keyboard import describe, focus_is_visible, focused

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

# The idea page offers the coordination many controls before the "Annehmen" form.
MAX_PRESSES = 120
CLIMATE_GROUP = "AG Klimaanpassung und Stadtgrün"
IDEA_ID = re.compile(r"/ideas/([0-9a-f-]{36})")
MEASURE_ID = re.compile(r"/measures/([0-9a-f-]{36})")

# Display names and roles of the demo accounts (ideation.entrypoints.demo, forms.ROLE_LABELS).
TIM, ULLA, CLARA, SVEN = "Tim Tiefbau", "Ulla Umwelt", "Clara Koordination", "Sven Stadtwerke"
MEMBER = "Mitarbeitende eines Fachbereichs oder Kommunalunternehmens"
GROUP_MEMBER = "Mitglied einer Arbeitsgruppe"
COORDINATOR = "Smart-City-Koordination"


# -------------------------------------------------------------- keyboard ----


def press(page: Page, key: str = "Tab") -> dict[str, Any]:
    """Press Tab (or Shift+Tab); the focused control must show that it has focus."""
    page.keyboard.press(key)
    element = focused(page)
    assert element is not None, f"{key} left the page: focus went back to the document"
    assert focus_is_visible(element), (
        f"focus is not visible on {describe(element)}: outline-style={element['outlineStyle']}"
        f", outline-width={element['outlineWidth']}, box-shadow={element['boxShadow']}"
    )
    return element


def tab_to(
    page: Page,
    predicate: Callable[[dict[str, Any]], bool],
    what: str,
    *,
    backwards: bool = False,
    max_presses: int = MAX_PRESSES,
) -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until the focused element matches, failing after N presses."""
    key = "Shift+Tab" if backwards else "Tab"
    stops = []
    for _ in range(max_presses):
        element = press(page, key)
        if predicate(element):
            return element
        stops.append(describe(element))
    pytest.fail(f"{what} is not reachable with {key} in {max_presses} presses; went: {stops}")


def named(name: str) -> Callable[[dict[str, Any]], bool]:
    """The form field with this name attribute."""
    return lambda element: element["name"] == name


def button(text: str) -> Callable[[dict[str, Any]], bool]:
    """The button with this text."""
    return lambda element: element["tag"] == "button" and element["text"] == text


def summary(text: str) -> Callable[[dict[str, Any]], bool]:
    """The <summary> (of a <details>) with this text."""
    return lambda element: element["tag"] == "summary" and element["text"] == text


def type_into(page: Page, element: dict[str, Any], text: str) -> None:
    """Type with the keyboard into the focused field; it must then hold the text."""
    page.keyboard.type(text)
    value = page.evaluate("document.activeElement.value")
    assert value == text, f"typed into {describe(element)}, but it holds {value!r}"


# ----------------------------------------------------------------- mouse ----


def action(page: Page, heading: str) -> Locator:
    """The action form of the idea page under this <h3>, opened if it is closed."""
    details = page.locator("details").filter(
        has=page.get_by_role("heading", level=3, name=heading, exact=True)
    )
    assert details.count() == 1, f"the idea page offers no action {heading!r}"
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def measure_action(page: Page, heading: str) -> Locator:
    """The action form of the measure page in the region named by its heading."""
    region = page.get_by_role("region", name=heading, exact=True)
    assert region.count() == 1, f"the measure page offers no action {heading!r}"
    return region


def send(page: Page, form: Locator, button_name: str, done: str) -> None:
    """Click the form's button, wait for the next page and see the success message."""
    with page.expect_navigation():
        form.get_by_role("button", name=button_name, exact=True).click()
    expect_flash(page, done)


def expect_flash(page: Page, done: str) -> None:
    flashes = page.locator(".flashes[role=status]")
    errors = page.locator("[role=alert]")
    assert flashes.count() == 1, (
        f"no success message after the step (expected {done!r}) at {page.url}; "
        f"alerts: {errors.all_inner_texts()}"
    )
    assert done in flashes.inner_text(), f"expected {done!r}, got {flashes.inner_text()!r}"


# --------------------------------------------------------------- journey ----


def test_an_idea_goes_from_submission_to_a_recorded_benefit_and_its_history_tells_every_step(
    open_context: OpenContext, live_server: LiveServer
) -> None:
    suffix = uuid.uuid4().hex[:8]
    title = f"Regenwasser von Dachflächen für Stadtbäume speichern {suffix}"

    # 1. Tim Tiefbau (member, Tiefbauamt) submits the idea with the keyboard only.
    page = open_context("tba").new_page()
    page.goto(live_server.at("/ideas/new"))
    assert focused(page) is None, "nothing should have focus before the first Tab"
    field = tab_to(page, named("title"), "the title field")
    type_into(page, field, title)
    field = tab_to(page, named("summary"), "the summary field")
    # While typing, similar-ideas.js fetches hints (400 ms after the last key). Its response
    # sets the session cookie as it was before; arriving after the submit, it would drop the
    # success message. So wait for it, as a person reading the hints would.
    with page.expect_response(
        lambda response: "/ideas/similar?" in response.url and "summary=Zisternen" in response.url
    ):
        type_into(page, field, "Zisternen an städtischen Gebäuden sammeln Regenwasser zum Gießen.")
    field = tab_to(page, named("description"), "the description field")
    type_into(page, field, "Die Bauhöfe füllen die Gießwagen dort statt am Hydranten.")
    field = tab_to(page, named("themes"), "the themes field")
    type_into(page, field, "Klimaanpassung, Stadtgrün")
    # Back to the title with Shift+Tab: the typed text is still there.
    field = tab_to(page, named("title"), "the title field", backwards=True)
    assert page.evaluate("document.activeElement.value") == title
    submit = tab_to(page, button("Idee einreichen"), "the button „Idee einreichen“")
    assert submit["formAction"] == "/ideas/new"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect_flash(page, "Ihre Idee wurde eingereicht.")
    match = IDEA_ID.search(page.url)
    assert match, f"not on the idea page after submitting: {page.url}"
    idea_path = f"/ideas/{match.group(1)}"
    assert page.get_by_role("heading", level=1).inner_text().startswith(title)

    # 2. Ulla Umwelt (Umweltamt) pledges her department's support.
    page = open_context("umw").new_page()
    page.goto(live_server.at(idea_path))
    form = action(page, "Mitwirkung zusagen")
    pledge = "Das Umweltamt wählt die Standorte der Zisternen mit aus."
    form.get_by_label("Wie bringt sich Ihr Fachbereich ein? (optional)").fill(pledge)
    send(page, form, "Mitwirkung zusagen", "Die Mitwirkung Ihres Fachbereichs ist zugesagt.")

    # 3. Clara Koordination assesses it as a quick win and hands it to the climate group.
    coordination = open_context("koordination").new_page()
    page = coordination
    page.goto(live_server.at(idea_path))
    form = action(page, "Bewerten")
    form.get_by_label("Wirkung (1 = gering, 5 = sehr hoch)").select_option("4")
    form.get_by_label("Aufwand (1 = sehr gering, 5 = sehr hoch)").select_option("2")
    form.get_by_label("Erwartete Dauer (Wochen)").fill("8")
    rationale = "Hohe Wirkung für das Stadtgrün bei geringem Aufwand: Zisternen sind vorhanden."
    form.get_by_label("Begründung der Bewertung").fill(rationale)
    send(page, form, "Bewertung speichern", "Die Bewertung wurde gespeichert.")
    assert page.locator("h1 .badge-quick-win").count() == 1, "the idea is no quick win"
    form = action(page, "An Arbeitsgruppe übergeben")
    form.get_by_label("Arbeitsgruppe", exact=True).select_option(label=CLIMATE_GROUP)
    send(page, form, "Übergeben", "Die Idee wurde an die Arbeitsgruppe übergeben.")
    group_section = page.get_by_role("region", name="Arbeitsgruppe", exact=True)
    assert CLIMATE_GROUP in group_section.inner_text()

    # 4. Sven Stadtwerke (member of the climate group) recommends accepting it.
    page = open_context("swm").new_page()
    page.goto(live_server.at(idea_path))
    form = action(page, "Empfehlung der Arbeitsgruppe")
    form.get_by_label("Empfehlung", exact=True).select_option(label="Annehmen")
    reasoning = "Die AG empfiehlt die Annahme: Stadtwerke und Umweltamt setzen es gemeinsam um."
    form.get_by_label("Begründung", exact=True).fill(reasoning)
    send(page, form, "Empfehlung abgeben", "Die Empfehlung der Arbeitsgruppe ist festgehalten.")
    swm = page

    # 5. Clara Koordination accepts it with the keyboard only.
    page = coordination
    page.goto(live_server.at(idea_path))
    assert focused(page) is None, "nothing should have focus before the first Tab"
    tab_to(page, summary("Annehmen"), "the <summary> „Annehmen“")
    page.keyboard.press("Enter")
    accept = page.locator("details#aktion-accept")
    assert accept.get_attribute("open") is not None, "Enter on the summary did not open it"
    field = tab_to(page, named("accept-reason"), "the reason field of „Annehmen“")
    reason = f"Angenommen als Quick Win mit Mehrwert für Tiefbauamt und Umweltamt ({suffix})."
    type_into(page, field, reason)
    submit = press(page)
    assert submit["tag"] == "button", f"after the reason comes {describe(submit)}"
    assert submit["text"] == "Annehmen"
    assert submit["formAction"] == f"{idea_path}/accept"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect_flash(page, "Die Idee ist angenommen; die Maßnahme ist geplant.")

    # 6. Sven Stadtwerke follows the link to the measure and carries it out.
    page = swm
    page.goto(live_server.at(idea_path))
    measure_section = page.get_by_role("region", name="Maßnahme", exact=True)
    with page.expect_navigation():
        measure_section.get_by_role("link", name=title).click()
    assert MEASURE_ID.search(page.url), f"the link did not lead to the measure: {page.url}"
    assert page.get_by_role("heading", level=1).inner_text() == title

    form = measure_action(page, "Ziel festlegen")
    form.get_by_label("Ziel", exact=True).fill("Stadtbäume in Trockenzeiten mit Regenwasser gießen")
    form.get_by_label("Indikator").fill("Anteil Regenwasser am Gießwasser")
    form.get_by_label("Zielwert").fill("mindestens 50 %")
    send(page, form, "Ziel festlegen", "Ziel festgelegt.")

    due = dt.date.today() + dt.timedelta(days=21)
    form = measure_action(page, "Meilenstein planen")
    form.get_by_label("Meilenstein", exact=True).fill(f"Erste Zisterne angeschlossen {suffix}")
    form.get_by_label("Fällig am").fill(due.isoformat())
    send(page, form, "Meilenstein planen", "geplant.")

    form = measure_action(page, "Meilenstein als erreicht melden")
    form.get_by_label("Welcher Meilenstein?").select_option(index=0)
    send(page, form, "Als erreicht melden", "Meilenstein als erreicht gemeldet.")

    form = measure_action(page, "Fortschritt melden")
    form.get_by_label("Fortschritt in Prozent (0 bis 100)").fill("60")
    form.get_by_label("Hinweis (optional)").fill("Drei von fünf Zisternen sind angeschlossen.")
    send(page, form, "Fortschritt melden", "Fortschritt gemeldet: 60 Prozent.")

    form = measure_action(page, "Als umgesetzt melden")
    outcome = "Alle fünf Zisternen liefern Gießwasser; 55 % des Gießwassers ist Regenwasser."
    form.get_by_label("Ergebnis").fill(outcome)
    send(page, form, "Als umgesetzt melden", "Die Maßnahme ist als umgesetzt gemeldet.")

    form = measure_action(page, "Mehrwert festhalten")
    form.get_by_label("Für welchen Fachbereich?").select_option(label="Tiefbauamt (TBA)")
    benefit = "Weniger Fahrten zum Hydranten: die Gießkolonnen sparen zwei Stunden am Tag."
    form.get_by_label("Mehrwert", exact=True).fill(benefit)
    send(page, form, "Mehrwert festhalten", "Mehrwert für Tiefbauamt festgehalten.")
    benefits = page.get_by_role("table", name="Mehrwert je Fachbereich")
    assert "Tiefbauamt" in benefits.inner_text()
    assert benefit in benefits.inner_text()

    # 7. The history of the idea tells every step in order: who, in which role, and why.
    page.goto(live_server.at(f"{idea_path}/history/"))
    steps = read_timeline(page)
    assert [step["label"] for step in steps] == [
        "Idee eingereicht",
        "Mitwirkung zugesagt",
        "Bewertet",
        "an Arbeitsgruppe übergeben",
        "Empfehlung der Arbeitsgruppe",
        "Angenommen",
        "Maßnahme geplant",
        "Ziel festgelegt",
        "Meilenstein geplant",
        "Meilenstein erreicht",
        "Fortschritt gemeldet",
        "Umgesetzt",
        "Mehrwert festgehalten",
    ]
    tim, ulla, clara, sven = (
        actor(live_server, username, role)
        for username, role in [
            ("tba", MEMBER),
            ("umw", MEMBER),
            ("koordination", COORDINATOR),
            ("swm", GROUP_MEMBER),
        ]
    )
    assert (tim.name, ulla.name, clara.name, sven.name) == (TIM, ULLA, CLARA, SVEN)
    actors = [tim, ulla, clara, clara, sven, clara, clara, sven, sven, sven, sven, sven, sven]
    wrong = [
        f"{step['label']}: {step['meta']!r} does not end in {who.meta!r}"
        for step, who in zip(steps, actors, strict=True)
        if not step["meta"].endswith(who.meta)
    ]
    assert not wrong, "the history names the wrong person or role:\n" + "\n".join(wrong)

    texts = {step["label"]: step["text"] for step in steps}
    assert pledge in texts["Mitwirkung zugesagt"]
    assert "Begründung: " + reason in texts["Angenommen"]
    assert reasoning in texts["Empfehlung der Arbeitsgruppe"]
    assert "Annehmen" in texts["Empfehlung der Arbeitsgruppe"]
    assert rationale in texts["Bewertet"]
    assert CLIMATE_GROUP in texts["an Arbeitsgruppe übergeben"]
    assert "Anteil Regenwasser am Gießwasser" in texts["Ziel festgelegt"]
    assert "60" in texts["Fortschritt gemeldet"]
    assert outcome in texts["Umgesetzt"]
    assert "Tiefbauamt" in texts["Mehrwert festgehalten"]
    assert benefit in texts["Mehrwert festgehalten"]


@dataclass(frozen=True)
class Actor:
    """A demo account as the history names it: "– Name, Fachbereich, als Rolle"."""

    name: str
    department: str
    role: str

    @property
    def meta(self) -> str:
        return f"– {self.name}, {self.department}, als {self.role}"


def actor(server: LiveServer, username: str, role: str) -> Actor:
    """The display name and department of a demo account, read from the live app."""
    ideation = server.app.extensions["ideation"]
    account = ideation.accounts.by_username(username)
    assert account is not None, f"the demo city has no account {username!r}"
    person = ideation.get_person(account.person_id)
    department = ideation.get_department(person.department_id)
    return Actor(person.display_name, department.name, role)


def read_timeline(page: Page) -> list[dict[str, str]]:
    """Each step of the history: its <h3> label, the meta line (who, role) and all its text."""
    return page.locator("ol.timeline > li article").evaluate_all(
        """articles => articles.map(a => ({
            label: a.querySelector('h3').innerText.trim(),
            meta: a.querySelector('.entry-meta').innerText.replace(/\\s+/g, ' ').trim(),
            text: a.innerText.replace(/\\s+/g, ' ').trim(),
        }))"""
    )
