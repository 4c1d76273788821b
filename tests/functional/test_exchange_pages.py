"""Exchange formats and digital pilots through the pages: calendar, figures, a session's page,
planning, the pilots per department, the forms of the coordination and the refusals."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Cast
from tests.functional.conftest import csrf_token, sign_in

READERS = ("admin", "koordination", "tim", "berta", "greta", "pruefung")
REFUSED = ("tim", "greta", "pruefung")  # member, group member, auditor
D = dt.date


def text_of(page: str) -> str:
    """The visible text of a page, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def _planner(web_app: Flask) -> Any:
    return web_app.extensions["ideation"]


def _events(web_app: Flask) -> int:
    return _planner(web_app).recorder.max_notification_id() or 0


def _signed_in(client: FlaskClient, username: str) -> FlaskClient:
    assert sign_in(client, username).status_code == 302
    return client


def _plan(web_app: Flask, cast: Cast, topic: str, day: dt.date, kind: str = "consultation_hour"):
    return _planner(web_app).plan_exchange_session(
        cast.coordinator,
        kind=kind,
        scheduled_on=day,
        topic=topic,
        host_person_id=cast.coordinator,
        invited_department_ids=[cast.mobility, cast.citizens],
    )


def _held(web_app: Flask, cast: Cast, topic: str, day: dt.date, kind: str = "online_qa") -> UUID:
    planner = _planner(web_app)
    session = _plan(web_app, cast, topic, day, kind)
    planner.record_exchange_session(
        cast.coordinator,
        session,
        1,
        held_on=day,
        participating_department_ids=[cast.mobility],
        participant_count=7,
        notes="Lebhafte Runde",
        needs=["Mobile Endgeräte"],
    )
    return session


def _record_data(token: str, version: int, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "record-csrf_token": token,
        "record-version": str(version),
        "record-held_on": "2026-05-04",
        "record-participant_count": "12",
        "record-notes": "Viele Fragen zur E-Akte",
        "record-needs": "Schulung E-Akte\n\nWLAN im Sitzungssaal\n",
    }
    data.update({f"record-{k}": v for k, v in fields.items()})
    return data


# -- the calendar and the figures -------------------------------------------------------------


def test_every_signed_in_role_sees_the_calendar_by_month_and_the_figures_per_kind(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    _held(web_app, cast, "Fragen zur E-Akte", D(2026, 4, 2))
    _plan(web_app, cast, "Herbstsprechstunde", D(2030, 9, 1))
    for username in READERS:
        client.get("/logout")
        response = _signed_in(client, username).get("/austausch/")

        assert response.status_code == 200, username
        text = text_of(response.text)
        assert "Geplante Termine September 2030" in text
        assert "Herbstsprechstunde" in text
        assert "Durchgeführte und abgesagte Termine April 2026" in text
        row = re.search(r"<th scope=\"row\">Online-Q&amp;A</th>(.*?)</tr>", response.text, re.S)
        assert row is not None
        assert re.findall(r'<td class="number">([^<]*)</td>', row.group(1)) == [
            "1",
            "1",
            "0",
            "0",
            "0",
        ]
        assert 'src="/austausch/zahlen.svg"' in response.text
        assert ("Austauschformat planen" in text) == (username == "koordination")


def test_the_calendar_can_be_narrowed_to_one_kind(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    _held(web_app, cast, "Fragen zur E-Akte", D(2026, 4, 2))
    _plan(web_app, cast, "Stammtisch im Mai", D(2030, 5, 1), kind="regulars_table")

    page = _signed_in(client, "tim").get("/austausch/?kind=regulars_table").text
    unknown = client.get("/austausch/?kind=picknick")

    assert "Stammtisch im Mai" in page
    assert "Fragen zur E-Akte" not in page.split("figures-heading")[0]
    assert '<option value="regulars_table" selected>' in page
    assert unknown.status_code == 200
    assert "Fragen zur E-Akte" in unknown.text


def test_the_chart_is_an_svg_without_scripts_with_the_kinds_and_their_numbers(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    _held(web_app, cast, "Fragen zur E-Akte", D(2026, 4, 2))

    response = _signed_in(client, "pruefung").get("/austausch/zahlen.svg")

    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = response.text
    assert "<script" not in svg
    assert "Online-Q&amp;A" in svg
    assert "Gesammelte Ideen" in svg
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient, cast: Cast) -> None:
    response = client.get("/austausch/")

    assert response.status_code in (302, 401)


# -- planning ---------------------------------------------------------------------------------


def test_the_coordination_plans_a_session_and_lands_on_its_page(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    _signed_in(client, "koordination")
    form = client.get("/austausch/planen")
    assert form.status_code == 200
    assert "Besuch in einer Abstimmungsrunde" in form.text

    response = client.post(
        "/austausch/planen",
        data={
            "csrf_token": csrf_token(client),
            "kind": "round_visit",
            "scheduled_on": "12.06.2030",
            "topic": "Besuch der Amtsleitungsrunde",
            "host_person_id": str(cast.coordinator),
            "round_department_id": str(cast.mobility),
            "invited_department_ids": [str(cast.mobility), str(cast.digital)],
        },
    )

    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    text = text_of(page.text)
    assert "Austauschformat „Besuch der Amtsleitungsrunde“ geplant." in text
    assert "<h1>Besuch der Amtsleitungsrunde</h1>" in page.text
    assert "Format Besuch in einer Abstimmungsrunde" in text
    assert "Geplant für 12.06.2030" in text
    assert "Gastgeberin / Gastgeber Clara Koordination" in text
    assert "Abstimmungsrunde von Tiefbauamt" in text
    assert "Eingeladen Tiefbauamt Stabsstelle Digitalisierung" in text


def test_a_plan_without_kind_date_or_topic_shows_the_german_messages(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    _signed_in(client, "koordination")
    before = _events(web_app)

    response = client.post(
        "/austausch/planen",
        data={"csrf_token": csrf_token(client), "host_person_id": str(cast.coordinator)},
    )

    assert response.status_code == 400
    text = text_of(response.text)
    assert "Bitte ein Format auswählen." in text
    assert "Bitte das Datum angeben." in text
    assert "Bitte ein Thema angeben." in text
    assert _events(web_app) == before


def test_made_up_choices_and_dates_are_refused_in_german(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    session = _plan(web_app, cast, "Sprechstunde", D(2026, 5, 4))
    _signed_in(client, "koordination")
    before = _events(web_app)

    plan = client.post(
        "/austausch/planen",
        data={
            "csrf_token": csrf_token(client),
            "kind": "picknick",
            "scheduled_on": "31.02.2030",
            "topic": "Fragen",
            "host_person_id": "niemand",
            "invited_department_ids": ["kein-fachbereich"],
        },
    )
    record = client.post(
        f"/austausch/{session}/festhalten",
        data=_record_data(
            csrf_token(client),
            1,
            participant_count="zwölf",
            participating_department_ids=[str(cast.mobility), "kein-fachbereich"],
        ),
    )

    assert plan.status_code == 400
    text = text_of(plan.text)
    assert "Format: Keine gültige Auswahl." in text
    assert "Bitte ein gültiges Datum angeben, z. B. 04.05.2026." in text
    assert "Bitte nur die angebotenen Fachbereiche wählen." in text
    assert record.status_code == 400
    text = text_of(record.text)
    assert "Bitte nur die angebotenen Fachbereiche wählen." in text
    assert "Keine gültige, ganze Zahl." in text
    assert "not a valid choice" not in plan.text + record.text
    assert _events(web_app) == before


def test_a_visit_without_the_round_it_visits_is_refused_on_the_field(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    _signed_in(client, "koordination")

    response = client.post(
        "/austausch/planen",
        data={
            "csrf_token": csrf_token(client),
            "kind": "round_visit",
            "scheduled_on": "2030-06-12",
            "topic": "Besuch",
            "host_person_id": str(cast.coordinator),
        },
    )

    assert response.status_code == 422
    assert "Bitte angeben, in welcher Abstimmungsrunde der Besuch stattfindet." in text_of(
        response.text
    )


@pytest.mark.parametrize("username", REFUSED)
def test_only_the_coordination_may_plan(
    client: FlaskClient, web_app: Flask, cast: Cast, username: str
) -> None:
    _signed_in(client, username)
    before = _events(web_app)

    form = client.get("/austausch/planen")
    posted = client.post(
        "/austausch/planen",
        data={
            "csrf_token": csrf_token(client),
            "kind": "online_qa",
            "scheduled_on": "2030-06-12",
            "topic": "Fragen und Antworten",
            "host_person_id": str(cast.coordinator),
        },
    )

    assert form.status_code == 403
    assert posted.status_code == 403
    assert _events(web_app) == before


# -- a session's page and its forms -------------------------------------------------------------


def test_the_coordination_records_a_session_as_held_with_departments_needs_and_notes(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    session = _plan(web_app, cast, "Sprechstunde Digitalisierung", D(2026, 5, 4))
    _signed_in(client, "koordination")
    page = client.get(f"/austausch/{session}").text
    # The invited departments are ticked in advance.
    assert re.search(
        rf'checked[^>]*value="{cast.mobility}"|value="{cast.mobility}"[^>]*checked', page
    )

    response = client.post(
        f"/austausch/{session}/festhalten",
        data=_record_data(
            csrf_token(client),
            1,
            participating_department_ids=[str(cast.mobility), str(cast.digital)],
        ),
    )

    assert response.status_code == 302
    text = text_of(client.get(f"/austausch/{session}").text)
    assert "Austauschformat als durchgeführt festgehalten." in text
    assert "Stand Durchgeführt" in text
    assert "Durchgeführt am 04.05.2026" in text
    assert "Teilnehmende 12" in text
    assert "Teilgenommen Tiefbauamt Stabsstelle Digitalisierung" in text
    assert "Genannte Bedarfe Schulung E-Akte WLAN im Sitzungssaal" in text
    assert "Viele Fragen zur E-Akte" in text
    assert "Als durchgeführt festhalten" not in text  # nothing left to do


def test_recording_without_departments_or_head_count_shows_the_german_messages(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    session = _plan(web_app, cast, "Sprechstunde", D(2026, 5, 4))
    _signed_in(client, "koordination")
    before = _events(web_app)

    response = client.post(
        f"/austausch/{session}/festhalten",
        data=_record_data(csrf_token(client), 1, participant_count=""),
    )

    assert response.status_code == 400
    text = text_of(response.text)
    assert "Bitte mindestens einen teilnehmenden Fachbereich angeben." in text
    assert "Bitte angeben, wie viele teilgenommen haben." in text
    assert _events(web_app) == before


def test_the_coordination_moves_a_session_and_then_cancels_it_with_a_reason(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    session = _plan(web_app, cast, "Stammtisch", D(2030, 5, 4), kind="regulars_table")
    _signed_in(client, "koordination")

    moved = client.post(
        f"/austausch/{session}/verschieben",
        data={
            "reschedule-csrf_token": csrf_token(client),
            "reschedule-version": "1",
            "reschedule-scheduled_on": "11.05.2030",
            "reschedule-note": "Raum belegt",
        },
    )
    assert moved.status_code == 302
    assert "Geplant für 11.05.2030" in text_of(client.get(f"/austausch/{session}").text)

    cancelled = client.post(
        f"/austausch/{session}/absagen",
        data={
            "cancel-csrf_token": csrf_token(client),
            "cancel-version": "2",
            "cancel-reason": "Zu wenige Anmeldungen",
        },
    )

    assert cancelled.status_code == 302
    text = text_of(client.get(f"/austausch/{session}").text)
    assert "Austauschformat abgesagt." in text
    assert "Stand Abgesagt" in text
    assert "Grund der Absage Zu wenige Anmeldungen" in text


def test_cancelling_without_a_reason_shows_the_german_message(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    session = _plan(web_app, cast, "Stammtisch", D(2030, 5, 4))
    _signed_in(client, "koordination")

    response = client.post(
        f"/austausch/{session}/absagen",
        data={"cancel-csrf_token": csrf_token(client), "cancel-version": "1", "cancel-reason": ""},
    )

    assert response.status_code == 400
    assert "Bitte eine Begründung angeben." in text_of(response.text)


def test_moving_to_the_same_day_shows_the_rule_on_the_form(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    session = _plan(web_app, cast, "Stammtisch", D(2030, 5, 4))
    _signed_in(client, "koordination")

    response = client.post(
        f"/austausch/{session}/verschieben",
        data={
            "reschedule-csrf_token": csrf_token(client),
            "reschedule-version": "1",
            "reschedule-scheduled_on": "2030-05-04",
        },
    )

    assert response.status_code == 422
    assert "Das Datum ist unverändert." in text_of(response.text)


def test_a_stale_record_form_keeps_the_input_and_names_who_changed_what(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    session = _plan(web_app, cast, "Sprechstunde", D(2030, 5, 4))
    _planner(web_app).reschedule_exchange_session(cast.coordinator, session, 1, D(2030, 5, 6))
    _signed_in(client, "koordination")

    response = client.post(
        f"/austausch/{session}/festhalten",
        data=_record_data(csrf_token(client), 1, participating_department_ids=[str(cast.mobility)]),
    )

    assert response.status_code == 409
    text = text_of(response.text)
    assert "Inzwischen hat jemand anderes etwas geändert" in text
    assert "Clara Koordination" in text
    assert "Viele Fragen zur E-Akte" in response.text  # the notes are kept
    assert 'name="record-version" type="hidden" value="2"' in response.text


@pytest.mark.parametrize("username", REFUSED)
def test_only_the_coordination_sees_and_may_use_the_session_forms(
    client: FlaskClient, web_app: Flask, cast: Cast, username: str
) -> None:
    session = _plan(web_app, cast, "Sprechstunde", D(2030, 5, 4))
    _signed_in(client, username)
    before = _events(web_app)

    page = client.get(f"/austausch/{session}")
    token = csrf_token(client)
    refused = [
        client.post(
            f"/austausch/{session}/festhalten",
            data=_record_data(token, 1, participating_department_ids=[str(cast.mobility)]),
        ),
        client.post(
            f"/austausch/{session}/verschieben",
            data={
                "reschedule-csrf_token": token,
                "reschedule-version": "1",
                "reschedule-scheduled_on": "2030-05-11",
            },
        ),
        client.post(
            f"/austausch/{session}/absagen",
            data={"cancel-csrf_token": token, "cancel-version": "1", "cancel-reason": "Weil"},
        ),
        client.post(f"/austausch/{session}/absagen", data={"cancel-csrf_token": token}),
    ]

    assert page.status_code == 200
    assert "<form" not in page.text.split("<main", 1)[1].split("</main>")[0]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert _events(web_app) == before


def test_unknown_sessions_give_404(client: FlaskClient, cast: Cast) -> None:
    _signed_in(client, "koordination")
    unknown = uuid4()

    assert client.get(f"/austausch/{unknown}").status_code == 404
    posted = client.post(
        f"/austausch/{unknown}/absagen",
        data={"cancel-csrf_token": csrf_token(client), "cancel-version": "1", "cancel-reason": "x"},
    )
    assert posted.status_code == 404


# -- ideas from a session -------------------------------------------------------------------------


def test_an_idea_names_the_held_session_it_came_from_and_both_pages_link_each_other(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    older = _held(web_app, cast, "Fragen zur E-Akte", D(2026, 4, 2))
    newer = _held(web_app, cast, "Sprechstunde Mai", D(2026, 5, 7), kind="consultation_hour")
    _plan(web_app, cast, "Noch geplant", D(2030, 1, 1))
    _signed_in(client, "tim")
    form = client.get("/ideas/new").text
    options = re.findall(r'<option value="([^"]*)"', form.split('name="origin_session_id"')[1])
    assert options[:3] == ["", str(newer), str(older)]
    assert "Noch geplant" not in form

    response = client.post(
        "/ideas/new",
        data={
            "csrf_token": csrf_token(client),
            "title": "Digitale Akte für Baustellen",
            "summary": "Baustellenakten digital führen",
            "origin_session_id": str(older),
            "send": "1",
        },
    )

    assert response.status_code == 302
    idea_page = client.get(response.headers["Location"]).text
    origin = re.search(r'<dd class="idea-origin">(.*?)</dd>', idea_page, re.S)
    assert origin is not None
    assert f'href="/austausch/{older}"' in origin.group(1)
    assert "Fragen zur E-Akte" in origin.group(1)
    session_page = text_of(client.get(f"/austausch/{older}").text)
    assert "Digitale Akte für Baustellen Tiefbauamt Eingereicht" in session_page


def test_an_idea_cannot_name_a_session_that_has_not_taken_place(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    planned = _plan(web_app, cast, "Noch geplant", D(2030, 1, 1))
    _signed_in(client, "tim")
    before = _events(web_app)

    response = client.post(
        "/ideas/new",
        data={
            "csrf_token": csrf_token(client),
            "title": "Digitale Akte",
            "summary": "Akten digital führen",
            "origin_session_id": str(planned),
            "send": "1",
        },
    )
    garbage = client.post(
        "/ideas/new",
        data={
            "csrf_token": csrf_token(client),
            "title": "Digitale Akte",
            "summary": "Akten digital führen",
            "origin_session_id": "kein-termin",
            "send": "1",
        },
    )

    assert response.status_code == 422
    assert "Ideen können nur aus einem durchgeführten Austauschformat stammen." in text_of(
        response.text
    )
    assert garbage.status_code == 400
    assert "Bitte einen der angebotenen Einträge wählen." in text_of(garbage.text)
    assert _events(web_app) == before


def test_an_idea_from_a_political_round_names_the_round(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    planner = _planner(web_app)
    faction = planner.register_faction(cast.coordinator, "Grüne Fraktion", "GRÜNE")
    round_id = planner.plan_political_round(
        cast.coordinator, scheduled_on=D(2026, 3, 1), title="Digitalrunde", invited_faction_ids=[]
    )
    planner.record_political_round(
        cast.coordinator,
        round_id,
        1,
        held_on=D(2026, 3, 1),
        attending_faction_ids=[faction],
        suggestions=["Offenes WLAN"],
    )
    idea = planner.adopt_round_suggestion(
        cast.coordinator,
        round_id,
        2,
        suggestion_index=0,
        department_id=cast.mobility,
        title="Offenes WLAN in der Innenstadt",
        summary="Aus der Runde",
    )

    page = _signed_in(client, "tim").get(f"/ideas/{idea}").text

    origin = re.search(r'<dd class="idea-origin">(.*?)</dd>', page, re.S)
    assert origin is not None
    assert "Politische Runde" in origin.group(1)


# -- digital pilots --------------------------------------------------------------------------


def _nominate_data(token: str, person: UUID, reason: str = "Hat viele Ideen", session="") -> dict:
    return {
        "csrf_token": token,
        "person_id": str(person),
        "session_id": str(session),
        "reason": reason,
    }


def test_the_coordination_nominates_confirms_and_withdraws_pilots_of_a_department(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    session = _held(web_app, cast, "Fragen zur E-Akte", D(2026, 4, 2))
    _signed_in(client, "koordination")
    page = client.get(f"/austausch/lotsen/{cast.citizens}").text
    assert "Berta Bürgerdienst" in page  # offered in the person select

    nominated = client.post(
        f"/austausch/lotsen/{cast.citizens}/vormerken",
        data=_nominate_data(csrf_token(client), cast.other_member, session=session),
    )
    assert nominated.status_code == 302
    text = text_of(client.get(f"/austausch/lotsen/{cast.citizens}").text)
    assert "Berta Bürgerdienst als Kandidatin / Kandidat vorgemerkt." in text
    assert "Berta Bürgerdienst Kandidatin / Kandidat" in text
    assert "Kennengelernt bei Fragen zur E-Akte (Online-Q&A)" in text
    assert "Begründung Hat viele Ideen" in text

    pilot = _planner(web_app).pilot_of_person(cast.other_member)
    confirmed = client.post(
        f"/austausch/lotsen/{cast.citizens}/{pilot.id}/bestaetigen",
        data={
            f"confirm-{pilot.id.hex[:8]}-csrf_token": csrf_token(client),
            f"confirm-{pilot.id.hex[:8]}-version": "1",
            f"confirm-{pilot.id.hex[:8]}-note": "Zugesagt",
        },
    )
    assert confirmed.status_code == 302
    text = text_of(client.get(f"/austausch/lotsen/{cast.citizens}").text)
    assert "Berta Bürgerdienst als Digitallotsin / -lotse bestätigt." in text
    assert "Berta Bürgerdienst Digitallotsin / -lotse" in text

    withdrawn = client.post(
        f"/austausch/lotsen/{cast.citizens}/{pilot.id}/zurueckziehen",
        data={
            f"withdraw-{pilot.id.hex[:8]}-csrf_token": csrf_token(client),
            f"withdraw-{pilot.id.hex[:8]}-version": "2",
            f"withdraw-{pilot.id.hex[:8]}-reason": "Wechselt die Stelle",
        },
    )
    assert withdrawn.status_code == 302
    text = text_of(client.get(f"/austausch/lotsen/{cast.citizens}").text)
    assert "Lotsenschaft von Berta Bürgerdienst zurückgezogen." in text
    assert "Stand Zurückgezogen" in text
    assert "Begründung Wechselt die Stelle" in text


def test_the_overview_counts_pilots_per_department_and_links_to_each(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    planner = _planner(web_app)
    pilot = planner.nominate_pilot(cast.coordinator, cast.other_member, "Viele Ideen")
    planner.confirm_pilot(cast.coordinator, pilot, 1)
    planner.nominate_pilot(cast.coordinator, cast.group_member, "Technikaffin")
    planner.nominate_pilot(cast.coordinator, cast.member, "Neugierig")

    page = _signed_in(client, "pruefung").get("/austausch/lotsen").text

    row = re.search(
        rf'<a href="/austausch/lotsen/{cast.citizens}">Bürgerdienste</a>.*?</tr>', page, re.S
    )
    assert row is not None
    assert re.findall(r'<td class="number">([^<]*)</td>', row.group(0)) == ["1", "1", "0"]
    total = re.search(r"<tfoot>.*?</tfoot>", page, re.S).group(0)
    assert re.findall(r'<td class="number">([^<]*)</td>', total) == ["1", "2", "0"]


def test_nominating_someone_already_noted_or_without_reason_shows_the_german_message(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    _signed_in(client, "koordination")
    _planner(web_app).nominate_pilot(cast.coordinator, cast.other_member, "Viele Ideen")

    again = client.post(
        f"/austausch/lotsen/{cast.citizens}/vormerken",
        data=_nominate_data(csrf_token(client), cast.other_member),
    )
    no_reason = client.post(
        f"/austausch/lotsen/{cast.citizens}/vormerken",
        data=_nominate_data(csrf_token(client), cast.group_member, reason=""),
    )

    # Berta is no longer offered: someone already noted cannot be chosen again.
    assert again.status_code == 400
    assert no_reason.status_code == 400
    assert "Bitte eine Begründung angeben." in text_of(no_reason.text)


@pytest.mark.parametrize("username", REFUSED)
def test_only_the_coordination_sees_and_may_use_the_pilot_forms(
    client: FlaskClient, web_app: Flask, cast: Cast, username: str
) -> None:
    pilot = _planner(web_app).nominate_pilot(cast.coordinator, cast.other_member, "Viele Ideen")
    _signed_in(client, username)
    before = _events(web_app)
    hex8 = pilot.hex[:8]

    page = client.get(f"/austausch/lotsen/{cast.citizens}")
    token = csrf_token(client)
    refused = [
        client.post(
            f"/austausch/lotsen/{cast.citizens}/vormerken",
            data=_nominate_data(token, cast.group_member),
        ),
        client.post(
            f"/austausch/lotsen/{cast.citizens}/{pilot}/bestaetigen",
            data={f"confirm-{hex8}-csrf_token": token, f"confirm-{hex8}-version": "1"},
        ),
        client.post(
            f"/austausch/lotsen/{cast.citizens}/{pilot}/zurueckziehen",
            data={
                f"withdraw-{hex8}-csrf_token": token,
                f"withdraw-{hex8}-version": "1",
                f"withdraw-{hex8}-reason": "Weil",
            },
        ),
        client.post(
            f"/austausch/lotsen/{cast.citizens}/{pilot}/zurueckziehen",
            data={f"withdraw-{hex8}-csrf_token": token},
        ),
    ]

    assert page.status_code == 200
    assert "Berta Bürgerdienst" in page.text
    assert "<form" not in page.text.split("<main", 1)[1].split("</main>")[0]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert _events(web_app) == before


def test_unknown_departments_and_pilots_of_another_department_give_404(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    pilot = _planner(web_app).nominate_pilot(cast.coordinator, cast.other_member, "Viele Ideen")
    _signed_in(client, "koordination")
    hex8 = pilot.hex[:8]

    assert client.get(f"/austausch/lotsen/{uuid4()}").status_code == 404
    elsewhere = client.post(
        f"/austausch/lotsen/{cast.mobility}/{pilot}/bestaetigen",
        data={f"confirm-{hex8}-csrf_token": csrf_token(client), f"confirm-{hex8}-version": "1"},
    )
    assert elsewhere.status_code == 404


def test_the_pilot_badge_shows_on_the_group_the_department_and_the_session_pages(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    planner = _planner(web_app)
    pilot = planner.nominate_pilot(cast.coordinator, cast.group_member, "Technikaffin")
    planner.confirm_pilot(cast.coordinator, pilot, 1)
    planner.nominate_pilot(cast.coordinator, cast.coordinator, "Gastgeberin")
    session = _plan(web_app, cast, "Sprechstunde", D(2030, 5, 4))
    _signed_in(client, "tim")

    group = text_of(client.get(f"/working-groups/{cast.group}").text)
    department = client.get(f"/fachbereiche/{cast.citizens}").text
    session_page = text_of(client.get(f"/austausch/{session}").text)

    assert "Greta Gruppe (Bürgerdienste) Digitallotsin / -lotse" in group
    assert "Greta Gruppe Digitallotsin / -lotse" in text_of(department)
    assert f'href="/austausch/lotsen/{cast.citizens}"' in department
    assert "Gastgeberin / Gastgeber Clara Koordination Kandidatin / Kandidat" in session_page
