"""The start page: my tasks per role, ideas per stage (chart and table), quick wins, activity."""

from __future__ import annotations

import datetime as dt
import re
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from ideation.application.service import IdeationApplication
from tests.conftest import Cast
from tests.functional.conftest import csrf_token, sign_in


def _planner(web_app: Flask) -> IdeationApplication:
    return web_app.extensions["ideation"]


def _start_page(client: FlaskClient, username: str) -> str:
    assert sign_in(client, username).status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    return response.text


def _section(page: str, heading_id: str) -> str:
    """The HTML of one <section> of the start page, by the id of its heading."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', page, flags=re.DOTALL
    )
    assert match, heading_id
    return match.group(0)


def _task_list(page: str, heading_id: str) -> str:
    """The part of "Meine Aufgaben" from one list's heading to the next heading."""
    match = re.search(rf'<h4 id="{heading_id}".*?(?=<h[234]|</section>)', page, flags=re.DOTALL)
    assert match, heading_id
    return match.group(0)


def _text(html: str) -> str:
    """What a person reads: tags gone, white space collapsed, none before punctuation."""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
    return re.sub(r" ([:,.;)])", r"\1", text)


def _version(app: IdeationApplication, idea: UUID) -> int:
    return app.get_idea(idea).version


def _assess(app: IdeationApplication, cast: Cast, idea: UUID, impact: int = 4) -> None:
    app.assess_idea(
        cast.coordinator,
        idea,
        _version(app, idea),
        impact=impact,
        effort=2,
        expected_weeks=8,
        rationale="Schnell machbar",
    )


def _measure(app: IdeationApplication, cast: Cast, title: str) -> UUID:
    """An idea of the Tiefbauamt, assessed as a quick win, accepted in Greta's group."""
    idea = app.submit_idea(cast.member, title=title, summary="Kurz beschrieben")
    _assess(app, cast, idea)
    app.assign_idea_to_working_group(cast.coordinator, idea, _version(app, idea), cast.group)
    return app.accept_idea(cast.coordinator, idea, _version(app, idea), "Passt gut")


def test_the_coordinator_sees_a_submitted_idea_waiting_for_assessment_until_it_is_assessed(
    web_app: Flask, cast: Cast, client: FlaskClient
) -> None:
    app = _planner(web_app)
    idea = app.submit_idea(cast.member, title="Freie Parkplätze per Sensor", summary="Sensoren")

    page = _start_page(client, "koordination")
    waiting = _task_list(page, "tasks-assessment")
    assert "Ideen warten auf Bewertung" in waiting
    assert "Freie Parkplätze per Sensor" in waiting
    assert f'href="/ideas/{idea}"' in waiting
    assert "(1)" in waiting

    _assess(app, cast, idea)

    waiting = _task_list(client.get("/").text, "tasks-assessment")
    assert "Freie Parkplätze per Sensor" not in waiting
    assert "Keine offenen Aufgaben." in waiting


def test_the_coordinator_sees_a_recommendation_waiting_for_the_decision(
    web_app: Flask, cast: Cast, client: FlaskClient
) -> None:
    app = _planner(web_app)
    idea = app.submit_idea(cast.member, title="Online-Terminvergabe", summary="Termine buchen")
    _assess(app, cast, idea)
    app.assign_idea_to_working_group(cast.coordinator, idea, _version(app, idea), cast.group)
    app.recommend(cast.group_member, idea, _version(app, idea), "accept", "Spart Wartezeit")

    decision = _task_list(_start_page(client, "koordination"), "tasks-decision")

    assert "Online-Terminvergabe" in decision
    assert "Greta Gruppe" in decision
    assert "Spart Wartezeit" in decision


def test_a_group_member_sees_ideas_waiting_for_the_groups_recommendation(
    web_app: Flask, cast: Cast, client: FlaskClient
) -> None:
    app = _planner(web_app)
    idea = app.submit_idea(cast.member, title="Baustellenkarte", summary="Eine Karte")
    _assess(app, cast, idea)
    app.assign_idea_to_working_group(cast.coordinator, idea, _version(app, idea), cast.group)

    page = _start_page(client, "greta")
    assert "Baustellenkarte" in _task_list(page, "tasks-recommendation")
    assert "AG Mobilität" in _section(page, "tasks-heading")

    app.recommend(cast.group_member, idea, _version(app, idea), "park", "Später")
    assert "Baustellenkarte" not in _task_list(client.get("/").text, "tasks-recommendation")


def test_a_group_member_sees_an_overdue_milestone_of_their_groups_measure(
    web_app: Flask, cast: Cast, client: FlaskClient
) -> None:
    app = _planner(web_app)
    measure = _measure(app, cast, "Digitale Mängelmeldung")
    version = app.get_measure(measure).version
    app.add_milestone(cast.group_member, measure, version, "Pilot im Westend", dt.date(2020, 3, 2))
    app.add_milestone(
        cast.group_member, measure, version + 1, "Rollout", dt.date.today() + dt.timedelta(days=60)
    )

    page = _start_page(client, "greta")
    overdue = _task_list(page, "tasks-overdue")

    assert "Überfällige Meilensteine" in overdue
    assert "Pilot im Westend" in overdue
    assert "02.03.2020" in overdue
    assert '<time datetime="2020-03-02">' in overdue
    assert f'href="/measures/{measure}"' in overdue
    assert "Rollout" not in overdue  # due later: not overdue
    assert "Digitale Mängelmeldung" in _task_list(page, "tasks-running")

    # Tim's Tiefbauamt owns the measure: he sees it with its overdue milestone too.
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    owned = _text(_task_list(_start_page(client, "tim"), "tasks-department-measures"))
    assert "Digitale Mängelmeldung" in owned
    assert "Pilot im Westend ( 02.03.2020) – überfällig" in owned


def test_the_funnel_table_counts_ideas_per_stage(
    web_app: Flask, cast: Cast, client: FlaskClient
) -> None:
    app = _planner(web_app)
    app.submit_idea(cast.member, title="Idee eins", summary="Eins")
    app.submit_idea(cast.other_member, title="Idee zwei", summary="Zwei")
    third = app.submit_idea(cast.member, title="Idee drei", summary="Drei")
    app.reject_idea(cast.coordinator, third, 1, "Passt nicht")

    funnel = _text(_section(_start_page(client, "tim"), "funnel-heading"))

    assert "Eingereicht 2" in funnel
    assert "In Prüfung 0" in funnel
    assert "Abgelehnt 1" in funnel
    assert "Alle Ideen 3" in funnel


def test_the_start_page_shows_the_funnel_chart_as_an_image_with_a_text_alternative(
    cast: Cast, client: FlaskClient
) -> None:
    funnel = _section(_start_page(client, "tim"), "funnel-heading")

    figure = re.search(r"<figure.*?</figure>", funnel, flags=re.DOTALL).group(0)
    assert 'src="/charts/funnel.svg"' in figure
    assert (
        'alt="Balkendiagramm: Ideen je Stand; die Zahlen stehen in der Tabelle darunter"' in figure
    )
    assert "<figcaption>" in figure
    # The table with the same numbers follows right below the chart.
    assert funnel.index("</figure>") < funnel.index("<table")


def test_the_funnel_chart_is_an_svg_with_german_labels_counts_and_its_own_policy(
    web_app: Flask, cast: Cast, client: FlaskClient
) -> None:
    app = _planner(web_app)
    for title in ("Idee eins", "Idee zwei"):
        app.submit_idea(cast.member, title=title, summary="Kurz")
    sign_in(client, "tim")

    response = client.get("/charts/funnel.svg")

    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    # Its own policy: pygal's inline <style> is allowed, nothing else is loaded or run.
    assert directives["default-src"] == "'none'"
    assert directives["style-src"] == "'unsafe-inline'"
    assert directives["img-src"] == "data:"
    assert "script-src" not in directives
    assert directives["object-src"] == directives["frame-ancestors"] == "'none'"
    assert response.headers["Cache-Control"] == "no-store"
    svg = response.get_data(as_text=True)
    assert svg.startswith("<?xml")
    assert "<svg" in svg
    assert "<script" not in svg
    for label in ("Eingereicht", "In Prüfung", "In Arbeitsgruppe", "Umgesetzt", "Abgebrochen"):
        assert f">{label}</text>" in svg
    values = re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]*)</text>', svg)
    assert values.count("2") == 1  # two submitted ideas
    assert values.count("0") == 10  # every other stage


def test_the_funnel_chart_needs_a_signed_in_person(cast: Cast, client: FlaskClient) -> None:
    response = client.get("/charts/funnel.svg")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_latest_implemented_quick_win_shows_with_its_benefit(
    web_app: Flask, cast: Cast, client: FlaskClient
) -> None:
    app = _planner(web_app)
    measure = _measure(app, cast, "Ladesäulen-Karte")
    app.report_progress(cast.group_member, measure, app.get_measure(measure).version, 50)
    app.implement_measure(
        cast.group_member, measure, app.get_measure(measure).version, dt.date(2026, 5, 4), "Fertig"
    )
    app.record_benefit(
        cast.group_member,
        measure,
        app.get_measure(measure).version,
        cast.citizens,
        "Weniger Anfragen am Telefon",
    )

    quick_wins = _section(_start_page(client, "berta"), "quick-wins-heading")

    assert "1 Quick Win umgesetzt." in _text(quick_wins)
    assert f'href="/measures/{measure}"' in quick_wins
    assert "Ladesäulen-Karte" in quick_wins
    assert '<time datetime="2026-05-04">04.05.2026</time>' in quick_wins
    assert "Mehrwert für Bürgerdienste: Weniger Anfragen am Telefon" in _text(quick_wins)


def test_the_last_activities_name_the_person_their_role_and_what_happened(
    web_app: Flask, cast: Cast, client: FlaskClient
) -> None:
    app = _planner(web_app)
    idea = app.submit_idea(cast.member, title="Smarte Laternen", summary="Licht nach Bedarf")
    _assess(app, cast, idea)

    activity = _section(_start_page(client, "berta"), "activity-heading")
    entries = re.findall(r"<li>.*?</li>", activity, flags=re.DOTALL)
    newest, second = _text(entries[0]), _text(entries[1])

    assert "Clara Koordination (Smart-City-Koordination) – Bewertet: Smarte Laternen" in newest
    assert "Tim Tiefbau" in second
    assert "Idee eingereicht" in second
    assert f'href="/ideas/{idea}"' in entries[0]
    assert re.search(r'<time datetime="[^"]+">\d\d\.\d\d\.\d{4}, \d\d:\d\d</time>', entries[0])
    # Administration (people, departments) is not daily work and stays off this list.
    assert "Person angelegt" not in activity
    assert "Arbeitsgruppe gegründet" in activity


def test_a_member_sees_the_departments_open_ideas_and_ideas_open_for_support(
    web_app: Flask, cast: Cast, client: FlaskClient
) -> None:
    app = _planner(web_app)
    own = app.submit_idea(cast.member, title="Baustellenampel", summary="Wartezeit zeigen")
    _assess(app, cast, own)
    app.submit_idea(cast.other_member, title="Digitale Bürgerakte", summary="Alles an einem Ort")
    supported = app.submit_idea(cast.other_member, title="Termin-App", summary="Termine")
    app.pledge_support(cast.member, supported, 1, "Machen mit")

    page = _start_page(client, "tim")
    department = _text(_task_list(page, "tasks-department"))
    support = _text(_task_list(page, "tasks-support"))

    assert "Baustellenampel Stand: In Prüfung" in department
    assert "Digitale Bürgerakte" in support
    assert "Termin-App" not in support  # already supported by the Tiefbauamt
    assert "Baustellenampel" not in support
    measures = _text(_task_list(page, "tasks-department-measures"))
    assert "Ihr Fachbereich verantwortet keine laufenden Maßnahmen." in measures


def test_an_auditor_sees_the_latest_decisions_with_their_reasons(
    web_app: Flask, cast: Cast, client: FlaskClient
) -> None:
    app = _planner(web_app)
    idea = app.submit_idea(cast.member, title="Drohnen-Vermessung", summary="Luftbilder")
    app.reject_idea(cast.coordinator, idea, 1, "Datenschutz ungeklärt")

    page = _start_page(client, "pruefung")
    decisions = _task_list(page, "tasks-decisions")

    assert "Drohnen-Vermessung" in decisions
    assert "Abgelehnt" in decisions
    assert "Datenschutz ungeklärt" in decisions
    assert "Clara Koordination" in decisions
    assert f'href="/ideas/{idea}/history/"' in decisions
    assert "tasks-assessment" not in page  # no coordinator's lists for the auditor


def test_the_administration_is_linked_from_the_admins_tasks(
    cast: Cast, client: FlaskClient
) -> None:
    tasks = _section(_start_page(client, "admin"), "tasks-heading")

    assert 'href="/admin/"' in tasks
    assert "Keine offenen Aufgaben." not in tasks


def test_an_empty_planner_shows_the_empty_states(
    web_app: Flask, cast: Cast, client: FlaskClient
) -> None:
    page = _start_page(client, "koordination")

    tasks = _section(page, "tasks-heading")
    assert tasks.count("Keine offenen Aufgaben.") == 3
    assert "Noch keine Quick Wins umgesetzt." in _section(page, "quick-wins-heading")
    assert "0 Quick Wins umgesetzt." in _text(page)
    assert "Alle Ideen 0" in _text(_section(page, "funnel-heading"))

    member_page = _start_page(web_app.test_client(), "tim")
    assert "Ihr Fachbereich hat keine offenen Ideen." in member_page
    assert "Keine offenen Ideen anderer Fachbereiche." in member_page


def test_a_group_member_without_a_group_is_told_so(
    web_app: Flask, cast: Cast, client: FlaskClient
) -> None:
    app = _planner(web_app)
    app.create_account(cast.admin, cast.outsider_group_member, "otto", "Rathaus-Linde-Brunnen")

    tasks = _section(_start_page(client, "otto"), "tasks-heading")

    assert "Sie gehören zurzeit keiner Arbeitsgruppe an. Keine offenen Aufgaben." in _text(tasks)
