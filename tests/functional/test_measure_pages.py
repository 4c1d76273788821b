"""The measure pages (Maßnahmen): list with filters, measure page, action forms (CSRF on)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Cast
from tests.functional.conftest import csrf_token, sign_in

TITLE = "Parkplatzsensoren am Rathaus"


def _planner(web_app: Flask) -> Any:
    return web_app.extensions["ideation"]


def _accepted_measure(
    web_app: Flask,
    cast: Cast,
    *,
    title: str = TITLE,
    submitter: UUID | None = None,
    impact: int = 4,
    effort: int = 2,
) -> UUID:
    """An idea submitted, assessed, handed to the cast's group, recommended and accepted."""
    planner = _planner(web_app)
    idea = planner.submit_idea(
        submitter or cast.member, title=title, summary="Sensoren melden freie Plätze."
    )
    planner.assess_idea(
        cast.coordinator, idea, 1, impact=impact, effort=effort, expected_weeks=8, rationale="ok"
    )
    planner.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)
    planner.recommend(cast.group_member, idea, 3, "accept", "Pilot lohnt sich")
    return planner.accept_idea(cast.coordinator, idea, 4, "Quick Win, Mittel vorhanden")


@pytest.fixture
def measure(web_app: Flask, cast: Cast) -> UUID:
    return _accepted_measure(web_app, cast)


@pytest.fixture
def greta(client: FlaskClient, cast: Cast) -> FlaskClient:
    """The group member Greta, whose working group runs the measure."""
    assert sign_in(client, "greta").status_code == 302
    return client


def _post(
    client: FlaskClient,
    web_app: Flask,
    measure_id: UUID,
    path: str,
    prefix: str,
    version: int | None = None,
    **fields: object,
):
    """Send one action form as a browser would: prefixed fields, CSRF token, version."""
    if version is None:
        version = _planner(web_app).get_measure(measure_id).version
    data = {**fields, "version": version, "csrf_token": csrf_token(client)}
    return client.post(
        f"/measures/{measure_id}/{path}",
        data={f"{prefix}-{name}": str(value) for name, value in data.items()},
    )


def _recorded(web_app: Flask) -> int:
    return _planner(web_app).recorder.max_notification_id() or 0


def test_the_group_member_plans_implements_and_records_a_benefit_and_the_page_shows_it(
    greta: FlaskClient, web_app: Flask, cast: Cast, measure: UUID
) -> None:
    page = greta.get(f"/measures/{measure}")
    assert page.status_code == 200
    assert '<h2 id="aktionen">Aktionen</h2>' in page.text
    assert "Ziel festlegen" in page.text
    assert "Maßnahme abbrechen" not in page.text  # the coordination's, not the group's

    goal = _post(
        greta,
        web_app,
        measure,
        "goals",
        "goal",
        statement="Parksuchverkehr senken",
        indicator="Suchzeit in Minuten",
        target="−20 %",
    )
    assert goal.status_code == 302
    assert "Ziel festgelegt." in greta.get(goal.headers["Location"]).text

    approach = _post(
        greta, web_app, measure, "approach", "approach", approach="Erst ein Pilot am Rathaus."
    )
    assert approach.status_code == 302

    milestone = _post(
        greta,
        web_app,
        measure,
        "milestones",
        "milestone",
        title="Sensoren montiert",
        due_on="2026-06-01",
    )
    assert milestone.status_code == 302
    assert "Meilenstein „Sensoren montiert“ geplant." in greta.get(f"/measures/{measure}").text
    (planned,) = _planner(web_app).get_measure(measure).milestones

    reached = _post(
        greta,
        web_app,
        measure,
        "milestones/reach",
        "reach",
        milestone_id=planned["milestone_id"],
        reached_on="2026-05-28",
    )
    assert reached.status_code == 302

    progress = _post(greta, web_app, measure, "progress", "progress", percent=60, note="Hälfte")
    assert progress.status_code == 302
    halfway = greta.get(f"/measures/{measure}").text
    assert "Fortschritt gemeldet: 60 Prozent." in halfway
    assert '<progress id="measure-progress" max="100" value="60">' in halfway
    assert "60 Prozent" in halfway
    assert "In Umsetzung" in halfway

    implemented = _post(
        greta,
        web_app,
        measure,
        "implement",
        "implement",
        implemented_on="2026-06-15",
        outcome="40 Plätze live",
    )
    assert implemented.status_code == 302
    benefit = _post(
        greta,
        web_app,
        measure,
        "benefits",
        "benefit",
        department_id=cast.citizens,
        description="Weniger Beschwerden am Bürgertelefon",
    )
    assert benefit.status_code == 302

    shown = greta.get(f"/measures/{measure}").text
    assert "Mehrwert für Bürgerdienste festgehalten." in shown
    for text in (
        TITLE,
        "Stand: Umgesetzt",
        "Quick Win",
        "Parksuchverkehr senken",
        "Suchzeit in Minuten",
        "−20 %",
        "Erst ein Pilot am Rathaus.",
        "Sensoren montiert",
        'fällig am <time datetime="2026-06-01">01.06.2026</time>',
        'erreicht am <time datetime="2026-05-28">28.05.2026</time>',
        '<time datetime="2026-06-15">15.06.2026</time>',
        "40 Plätze live",
        "Bürgerdienste",
        "Weniger Beschwerden am Bürgertelefon",
        "100 Prozent",
        "Tiefbauamt",  # the owner department: the submitting member's
        "AG Mobilität",
    ):
        assert text in shown, text
    assert '<progress id="measure-progress" max="100" value="100">' in shown
    idea_id = _planner(web_app).get_measure(measure).idea_id
    assert f'href="/ideas/{idea_id}"' in shown
    assert f'href="/ideas/{idea_id}/history/"' in shown
    assert f'href="/working-groups/{cast.group}"' in shown
    # Implemented: only the benefit form is left for the group.
    assert "Als umgesetzt melden</h3>" not in shown
    assert "Mehrwert festhalten</h3>" in shown

    measure_view = _planner(web_app).get_measure(measure)
    assert measure_view.status == "implemented"
    assert measure_view.goals[0]["target"] == "−20 %"
    assert measure_view.milestones[0]["reached_on"] == dt.date(2026, 5, 28)
    assert measure_view.benefits[0]["department_id"] == cast.citizens


def test_a_blocked_measure_shows_the_reason_and_cannot_be_implemented_until_unblocked(
    greta: FlaskClient, web_app: Flask, cast: Cast, measure: UUID
) -> None:
    _planner(web_app).report_progress(cast.group_member, measure, 1, 30)
    blocked = _post(greta, web_app, measure, "block", "block", reason="Lieferant insolvent")
    assert blocked.status_code == 302
    page = greta.get(f"/measures/{measure}").text
    assert "Die Maßnahme ist als blockiert gemeldet." in page
    assert "Blockiert" in page
    assert "Grund: Lieferant insolvent" in page
    assert "Blockade aufheben</h3>" in page
    assert "Als umgesetzt melden</h3>" not in page
    assert "blockiert" in greta.get("/measures/?blocked=yes").text

    unblocked = _post(greta, web_app, measure, "unblock", "unblock", note="Neuer Lieferant")
    assert unblocked.status_code == 302
    page = greta.get(f"/measures/{measure}").text
    assert "Blockade aufgehoben." in page
    assert "Lieferant insolvent" not in page
    assert "Als umgesetzt melden</h3>" in page


def test_the_coordination_cancels_a_measure_with_a_reason_shown_on_the_page(
    client: FlaskClient, web_app: Flask, measure: UUID
) -> None:
    sign_in(client, "koordination")
    page = client.get(f"/measures/{measure}").text
    assert "Maßnahme abbrechen</h3>" in page
    assert "Ziel festlegen</h3>" not in page
    cancelled = _post(client, web_app, measure, "cancel", "cancel", reason="Förderung entfallen")
    assert cancelled.status_code == 302
    page = client.get(f"/measures/{measure}").text
    assert "Die Maßnahme ist abgebrochen." in page
    assert "Stand: Abgebrochen" in page
    assert "Begründung: Förderung entfallen" in page
    assert "Aktionen" not in page


def test_the_list_shows_the_measures_and_the_filters_narrow_it(
    greta: FlaskClient, web_app: Flask, cast: Cast, measure: UUID
) -> None:
    other = _accepted_measure(
        web_app, cast, title="Formulare digital ausfüllen", submitter=cast.other_member, effort=5
    )
    assert _planner(web_app).get_measure(other).quick_win is False
    _planner(web_app).add_milestone(
        cast.group_member, measure, 1, "Ausschreibung", dt.date(2099, 3, 1)
    )

    listing = greta.get("/measures/")
    assert listing.status_code == 200
    assert "2 Maßnahmen" in listing.text
    assert f'href="/measures/{measure}">{TITLE}</a>' in listing.text
    assert f'href="/measures/{other}">Formulare digital ausfüllen</a>' in listing.text
    assert "Quick Win</span>" in listing.text
    assert '<progress max="100" value="0"' in listing.text
    assert 'Ausschreibung,\n          fällig am <time datetime="2099-03-01">01.03.2099</time>' in (
        listing.text
    )
    assert "Geplant" in listing.text

    quick = greta.get("/measures/?quick_win=yes").text
    assert TITLE in quick
    assert "Formulare digital ausfüllen" not in quick
    assert "(gefiltert)" in quick

    citizens = greta.get(f"/measures/?department={cast.citizens}").text
    assert "Formulare digital ausfüllen" in citizens
    assert TITLE not in citizens

    grouped = greta.get(f"/measures/?group={cast.group}&sort=title").text
    assert grouped.index("Formulare digital") < grouped.index(TITLE)

    none = greta.get("/measures/?status=implemented")
    assert none.status_code == 200
    assert "Keine Maßnahme passt zu den gewählten Filtern." in none.text
    assert "<table" not in none.text


def test_the_list_without_measures_says_so(greta: FlaskClient) -> None:
    page = greta.get("/measures/")
    assert page.status_code == 200
    assert "Es gibt noch keine Maßnahmen." in page.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=fertig", "Unbekannter Wert „fertig“"),
        ("quick_win=vielleicht", "„Quick Win“ muss ja oder nein sein."),
        ("blocked=kaum", "„Blockiert“ muss ja oder nein sein."),
        ("group=keine-kennung", "„keine-kennung“ ist keine gültige Kennung"),
        ("department=42", "„42“ ist keine gültige Kennung"),
        ("sort=zufall", "Unbekannte Sortierung „zufall“"),
    ],
)
def test_a_bad_filter_value_gives_a_german_message_and_400(
    greta: FlaskClient, measure: UUID, query: str, message: str
) -> None:
    response = greta.get(f"/measures/?{query}")
    assert response.status_code == 400
    assert message in response.text
    assert 'role="alert"' in response.text
    assert TITLE not in response.text


def test_a_member_outside_the_group_and_the_owner_department_sees_no_forms_and_cannot_post_one(
    client: FlaskClient, cast: Cast, web_app: Flask, measure: UUID
) -> None:
    # Berta works in the Bürgerdienste: neither in the group nor the owner department.
    assert sign_in(client, "berta").status_code == 302
    member_client = client
    page = member_client.get(f"/measures/{measure}")
    assert page.status_code == 200
    assert TITLE in page.text
    assert "Aktionen" not in page.text
    assert '<form method="post" action="/measures/' not in page.text

    before = _recorded(web_app)
    valid = _post(
        member_client,
        web_app,
        measure,
        "goals",
        "goal",
        statement="Heimlich",
        indicator="x",
        target="y",
    )
    assert valid.status_code == 403
    empty = _post(member_client, web_app, measure, "block", "block", reason="")
    assert empty.status_code == 403
    progress = _post(member_client, web_app, measure, "progress", "progress", percent=90)
    assert progress.status_code == 403
    assert _recorded(web_app) == before
    assert _planner(web_app).get_measure(measure).goals == ()


def test_a_missing_reason_or_field_shows_the_german_message_and_records_nothing(
    greta: FlaskClient, web_app: Flask, measure: UUID
) -> None:
    before = _recorded(web_app)
    no_reason = _post(greta, web_app, measure, "block", "block", reason="  ")
    assert no_reason.status_code == 400
    assert "Bitte eine Begründung angeben." in no_reason.text
    assert 'id="block-reason"' in no_reason.text
    assert 'aria-invalid="true"' in no_reason.text

    no_target = _post(
        greta, web_app, measure, "goals", "goal", statement="Weniger Suchverkehr", indicator="Zeit"
    )
    assert no_target.status_code == 400
    assert "Bitte einen Zielwert angeben." in no_target.text
    assert "Weniger Suchverkehr" in no_target.text  # the input is kept

    too_much = _post(greta, web_app, measure, "progress", "progress", percent=150)
    assert too_much.status_code == 400
    assert "Der Fortschritt muss zwischen 0 und 100 Prozent liegen." in too_much.text

    no_date = _post(greta, web_app, measure, "milestones", "milestone", title="Ohne Datum")
    assert no_date.status_code == 400
    assert "Bitte das Fälligkeitsdatum angeben." in no_date.text

    assert _recorded(web_app) == before


def test_implementing_a_measure_that_is_only_planned_is_refused_in_german(
    greta: FlaskClient, web_app: Flask, measure: UUID
) -> None:
    before = _recorded(web_app)
    response = _post(
        greta, web_app, measure, "implement", "implement", implemented_on="2026-06-15", outcome="x"
    )
    assert response.status_code == 422
    assert "„Als umgesetzt melden“ ist so nicht möglich." in response.text
    assert _recorded(web_app) == before


def test_a_stale_form_gives_409_keeps_the_input_and_names_who_changed_what(
    greta: FlaskClient, web_app: Flask, cast: Cast, measure: UUID
) -> None:
    seen = _planner(web_app).get_measure(measure).version
    greta.get(f"/measures/{measure}")
    _planner(web_app).block_measure(cast.coordinator, measure, seen, "Haushaltssperre")
    before = _recorded(web_app)

    stale = _post(
        greta,
        web_app,
        measure,
        "goals",
        "goal",
        version=seen,
        statement="Parksuchverkehr senken",
        indicator="Suchzeit",
        target="−20 %",
    )
    assert stale.status_code == 409
    assert "Inzwischen hat jemand anderes etwas geändert" in stale.text
    assert "Blockiert" in stale.text
    assert "Clara Koordination" in stale.text
    assert "Haushaltssperre" in stale.text
    assert "Parksuchverkehr senken" in stale.text  # the input is kept
    assert f'name="goal-version" type="hidden" value="{seen + 1}"' in stale.text
    assert _recorded(web_app) == before

    resent = _post(
        greta,
        web_app,
        measure,
        "goals",
        "goal",
        version=seen + 1,
        statement="Parksuchverkehr senken",
        indicator="Suchzeit",
        target="−20 %",
    )
    assert resent.status_code == 302
    assert _planner(web_app).get_measure(measure).goals[0]["statement"] == "Parksuchverkehr senken"


def test_an_overdue_milestone_is_marked_in_text(
    greta: FlaskClient, web_app: Flask, cast: Cast, measure: UUID
) -> None:
    planner = _planner(web_app)
    planner.add_milestone(cast.group_member, measure, 1, "Ausschreibung", dt.date(2020, 1, 15))
    planner.add_milestone(cast.group_member, measure, 2, "Abnahme", dt.date(2099, 12, 1))

    page = greta.get(f"/measures/{measure}").text
    overdue = page.index("Ausschreibung")
    later = page.index("Abnahme")
    assert overdue < later  # by due date
    assert "überfällig" in page[overdue:later]
    assert "offen" in page[later:]
    assert "überfällig" not in page[later : page.index("</ol>", later)]
    assert "überfällig" in greta.get("/measures/").text


def test_an_unknown_measure_is_not_found(greta: FlaskClient, web_app: Flask) -> None:
    unknown = uuid.uuid4()
    assert greta.get(f"/measures/{unknown}").status_code == 404
    response = greta.post(
        f"/measures/{unknown}/goals",
        data={"goal-csrf_token": csrf_token(greta), "goal-version": "1"},
    )
    assert response.status_code == 404


def test_the_group_member_revises_a_goal_with_a_note(
    greta: FlaskClient, web_app: Flask, cast: Cast, measure: UUID
) -> None:
    planner = _planner(web_app)
    goal = planner.set_goal(
        cast.group_member,
        measure,
        1,
        statement="Parksuchverkehr senken",
        indicator="Suchzeit",
        target="−10 %",
    )
    page = greta.get(f"/measures/{measure}").text
    assert 'id="revise_goal-target"' in page
    assert 'value="−10 %"' in page  # the only goal is filled in

    revised = _post(
        greta,
        web_app,
        measure,
        "goals/revise",
        "revise_goal",
        goal_id=goal,
        statement="Parksuchverkehr senken",
        indicator="Suchzeit",
        target="−20 %",
        note="ehrgeiziger",
    )
    assert revised.status_code == 302
    page = greta.get(f"/measures/{measure}").text
    assert "Ziel geändert." in page
    assert "<td>−20 %</td>" in page
    history = planner.idea_history(planner.get_measure(measure).idea_id)
    (entry,) = [e for e in history if e.label == "Ziel geändert"]
    assert [(c.field, c.old, c.new) for c in entry.changes] == [("target", "−10 %", "−20 %")]


def test_the_measure_pages_also_open_in_english(
    greta: FlaskClient, web_app: Flask, measure: UUID
) -> None:
    greta.post("/sprache", data={"locale": "en", "csrf_token": csrf_token(greta)})
    assert greta.get(f"/measures/{measure}").status_code == 200
    assert greta.get("/measures/?quick_win=yes").status_code == 200
    assert greta.get("/measures/?quick_win=perhaps").status_code == 400


def test_the_owner_department_carries_out_the_measure_but_leaves_goals_to_the_group(
    member_client: FlaskClient, web_app: Flask, measure: UUID, cast: Cast
) -> None:
    # Tim's Tiefbauamt submitted the idea and owns the measure.
    page = member_client.get(f"/measures/{measure}").text
    for offered in ("/progress", "/milestones", "/approach", "/block"):
        assert f'action="/measures/{measure}{offered}' in page, offered
    for withheld in ("/goals", "/cancel"):
        assert f'action="/measures/{measure}{withheld}' not in page, withheld

    reported = _post(
        member_client, web_app, measure, "progress", "progress", percent=35, note="Ausschreibung"
    )
    assert reported.status_code == 302
    assert _planner(web_app).get_measure(measure).progress == 35
    before = _recorded(web_app)
    goal = _post(
        member_client, web_app, measure, "goals", "goal", statement="S", indicator="I", target="T"
    )
    assert goal.status_code == 403
    assert _recorded(web_app) == before
    entry = _planner(web_app).idea_history(_planner(web_app).get_measure(measure).idea_id)[-1]
    assert (entry.label, entry.actor_person_id, entry.actor_role) == (
        "Fortschritt gemeldet",
        cast.member,
        "member",
    )
