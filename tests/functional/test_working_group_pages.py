"""Working groups through the pages: list, page, the coordination's and the members' forms."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ideation.entrypoints.flask_app import create_app
from tests.conftest import Cast
from tests.functional.conftest import PASSWORD, csrf_token, sign_in


def _planner(web_app: Flask) -> Any:
    return web_app.extensions["ideation"]


def _events(web_app: Flask) -> int:
    return _planner(web_app).recorder.max_notification_id() or 0


def _idea_in_group(web_app: Flask, cast: Cast, title: str = "Parkplatzsensoren am Rathaus") -> UUID:
    """An idea submitted by Tim, assessed and handed to the cast's group (version 3)."""
    planner = _planner(web_app)
    idea = planner.submit_idea(cast.member, title=title, summary="Sensoren melden freie Plätze.")
    planner.assess_idea(
        cast.coordinator, idea, 1, impact=4, effort=2, expected_weeks=8, rationale="Klein"
    )
    planner.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)
    return idea


def _signed_in(client: FlaskClient, username: str) -> FlaskClient:
    assert sign_in(client, username).status_code == 302
    return client


def _meeting(token: str, version: int, **fields: Any) -> dict[str, Any]:
    data = {
        "meeting-held_on": "2026-05-04",
        "meeting-format": "online",
        "meeting-notes": "Pilot am Rathaus besprochen",
        "meeting-decisions": "Sensoren für 40 Plätze beschaffen",
        "meeting-version": str(version),
        "meeting-csrf_token": token,
    }
    data.update({f"meeting-{k}": v for k, v in fields.items()})
    return data


# -- the list -----------------------------------------------------------------------------


def test_the_list_shows_each_group_with_lead_department_status_and_members(
    client: FlaskClient, cast: Cast
) -> None:
    page = _signed_in(client, "tim").get("/working-groups/")
    assert page.status_code == 200
    assert f'href="/working-groups/{cast.group}"' in page.text
    assert "AG Mobilität" in page.text
    assert "Tiefbauamt" in page.text
    assert "Aktiv" in page.text
    assert "<caption" in page.text
    assert "Arbeitsgruppe gründen" not in page.text


def test_the_list_says_so_when_there_are_no_groups(tmp_path) -> None:
    web_app = create_app(
        {
            "IDEATION_INSTANCE_PATH": str(tmp_path / "empty"),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
        }
    )
    planner = _planner(web_app)
    _, admin = planner.initialise(
        admin_display_name="Ada Admin",
        admin_email="ada@example.org",
        department_name="Stabsstelle Digitalisierung",
        department_short_name="DIG",
    )
    planner.create_account(admin, admin, "admin", PASSWORD)
    client = _signed_in(web_app.test_client(), "admin")
    page = client.get("/working-groups/")
    assert page.status_code == 200
    assert "Es gibt noch keine Arbeitsgruppen." in page.text


# -- the coordination ---------------------------------------------------------------------


def test_the_coordination_forms_a_group_and_adds_a_member_whom_the_page_then_shows(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    coordination = _signed_in(client, "koordination")
    assert "Arbeitsgruppe gründen" in coordination.get("/working-groups/").text
    assert coordination.get("/working-groups/new").status_code == 200
    token = csrf_token(coordination)

    formed = coordination.post(
        "/working-groups/new",
        data={
            "name": "AG Klima",
            "mandate": "Ideen für klimafreundliche Verwaltung schärfen",
            "lead_department_id": str(cast.citizens),
            "csrf_token": token,
        },
    )
    assert formed.status_code == 302
    group_id = UUID(formed.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    page = coordination.get(formed.headers["Location"]).text
    assert "Arbeitsgruppe „AG Klima“ gegründet." in page
    assert "Ideen für klimafreundliche Verwaltung schärfen" in page
    assert "Bürgerdienste" in page
    assert "Die Arbeitsgruppe hat noch keine Mitglieder." in page

    added = coordination.post(
        f"/working-groups/{group_id}/members/add",
        data={
            "add-member-person_id": str(cast.member),
            "add-member-version": "1",
            "add-member-csrf_token": token,
        },
    )
    assert added.status_code == 302
    page = coordination.get(f"/working-groups/{group_id}").text
    assert "Mitglied aufgenommen." in page
    assert "Tim Tiefbau (Tiefbauamt)" in page
    assert _planner(web_app).get_working_group(group_id).members == (cast.member,)
    assert "AG Klima" in coordination.get("/working-groups/").text


def test_the_coordination_lets_a_member_leave_and_dissolves_the_group_with_a_reason(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    coordination = _signed_in(client, "koordination")
    token = csrf_token(coordination)
    removed = coordination.post(
        f"/working-groups/{cast.group}/members/remove",
        data={
            "remove-member-person_id": str(cast.group_member),
            "remove-member-note": "Wechsel in die AG Klima",
            "remove-member-version": "2",
            "remove-member-csrf_token": token,
        },
    )
    assert removed.status_code == 302
    page = coordination.get(f"/working-groups/{cast.group}").text
    assert "Mitglied ausgeschieden." in page
    assert "<li>Greta Gruppe (Bürgerdienste)</li>" not in page
    assert _planner(web_app).get_working_group(cast.group).members == ()

    dissolved = coordination.post(
        f"/working-groups/{cast.group}/dissolve",
        data={
            "dissolve-reason": "Auftrag erledigt",
            "dissolve-version": "3",
            "dissolve-csrf_token": token,
        },
    )
    assert dissolved.status_code == 302
    page = coordination.get(f"/working-groups/{cast.group}").text
    assert "Aufgelöst" in page
    assert "Mitglied aufnehmen" not in page
    history = _planner(web_app).events_since(cast.group, 3)
    assert [(e.label, e.reason) for e in history] == [
        ("Arbeitsgruppe aufgelöst", "Auftrag erledigt")
    ]


# -- the members --------------------------------------------------------------------------


def test_a_group_member_records_a_meeting_and_the_page_shows_date_notes_and_decisions(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    idea = _idea_in_group(web_app, cast)
    greta = _signed_in(client, "greta")
    page = greta.get(f"/working-groups/{cast.group}").text
    assert "Sitzung protokollieren" in page
    assert "Parkplatzsensoren am Rathaus" in page

    recorded = greta.post(
        f"/working-groups/{cast.group}/meetings",
        data=_meeting(csrf_token(greta), 2, idea_ids=[str(idea)]),
    )
    assert recorded.status_code == 302
    page = greta.get(f"/working-groups/{cast.group}").text
    assert "Sitzung protokolliert." in page
    assert '<time datetime="2026-05-04">04.05.2026</time>' in page
    assert "Online" in page
    assert "Pilot am Rathaus besprochen" in page
    assert "Sensoren für 40 Plätze beschaffen" in page
    assert f'href="/ideas/{idea}"' in page
    meeting = _planner(web_app).get_working_group(cast.group).meetings[0]
    assert (meeting["held_on"], meeting["format"], meeting["idea_ids"]) == (
        dt.date(2026, 5, 4),
        "online",
        [idea],
    )


def test_meetings_are_listed_newest_first(client: FlaskClient, web_app: Flask, cast: Cast) -> None:
    planner = _planner(web_app)
    for version, day, notes in ((2, 3, "Erste Sitzung"), (3, 20, "Dritte Sitzung")):
        planner.record_meeting(
            cast.group_member,
            cast.group,
            version,
            held_on=dt.date(2026, 5, day),
            format="in_person",
            notes=notes,
        )
    planner.record_meeting(
        cast.group_member,
        cast.group,
        4,
        held_on=dt.date(2026, 5, 10),
        format="hybrid",
        notes="Zweite Sitzung",
    )
    page = _signed_in(client, "greta").get(f"/working-groups/{cast.group}").text
    assert page.index("Dritte Sitzung") < page.index("Zweite Sitzung") < page.index("Erste")
    assert "Präsenz" in page
    assert "Hybrid" in page


def test_a_group_member_recommends_an_idea_with_reasoning_and_the_page_shows_it(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    idea = _idea_in_group(web_app, cast)
    greta = _signed_in(client, "greta")
    prefix = f"recommend-{idea.hex[:8]}"
    page = greta.get(f"/working-groups/{cast.group}").text
    assert "Empfehlung zu „Parkplatzsensoren am Rathaus“ abgeben" in page
    assert f'name="{prefix}-reasoning"' in page

    recommended = greta.post(
        f"/working-groups/{cast.group}/ideas/{idea}/recommend",
        data={
            f"{prefix}-outcome": "accept",
            f"{prefix}-reasoning": "Der Pilot lohnt sich und ist schnell umgesetzt.",
            f"{prefix}-version": "3",
            f"{prefix}-csrf_token": csrf_token(greta),
        },
    )
    assert recommended.status_code == 302
    page = greta.get(f"/working-groups/{cast.group}").text
    assert "Empfehlung zu „Parkplatzsensoren am Rathaus“ abgegeben." in page
    assert "Annehmen" in page
    assert "Der Pilot lohnt sich und ist schnell umgesetzt." in page
    assert _planner(web_app).get_idea(idea).recommendation == {
        "outcome": "accept",
        "reasoning": "Der Pilot lohnt sich und ist schnell umgesetzt.",
        "working_group_id": cast.group,
    }


def test_the_page_lists_the_measures_the_group_runs(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    idea = _idea_in_group(web_app, cast)
    planner = _planner(web_app)
    planner.recommend(cast.group_member, idea, 3, "accept", "Lohnt sich")
    measure = planner.accept_idea(cast.coordinator, idea, 4, "Quick Win")
    page = _signed_in(client, "greta").get(f"/working-groups/{cast.group}").text
    assert f'href="/measures/{measure}"' in page
    assert "<progress" in page


# -- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "prefix", "fields"),
    [
        ("members/add", "add-member", {"person_id": "{outsider}"}),
        ("members/remove", "remove-member", {"person_id": "{greta}"}),
        ("meetings", "meeting", {"held_on": "2026-05-04", "format": "online", "notes": "x"}),
        ("dissolve", "dissolve", {"reason": "Weil ich es will"}),
        ("dissolve", "dissolve", {"reason": ""}),
    ],
)
def test_a_member_sees_none_of_the_groups_forms_and_posting_them_records_nothing(
    client: FlaskClient,
    web_app: Flask,
    cast: Cast,
    path: str,
    prefix: str,
    fields: dict[str, str],
) -> None:
    tim = _signed_in(client, "tim")
    page = tim.get(f"/working-groups/{cast.group}")
    assert page.status_code == 200
    for action in (
        "Mitglied aufnehmen",
        "Ausscheiden lassen",
        "Sitzung protokollieren",
        "auflösen",
    ):
        assert action not in page.text
    before = _events(web_app)
    data = {
        f"{prefix}-{name}": value.format(
            outsider=cast.outsider_group_member, greta=cast.group_member
        )
        for name, value in fields.items()
    }
    data |= {f"{prefix}-version": "2", f"{prefix}-csrf_token": csrf_token(tim)}
    response = tim.post(f"/working-groups/{cast.group}/{path}", data=data)
    assert response.status_code == 403
    assert _events(web_app) == before


def test_only_the_coordination_may_form_a_group(client: FlaskClient, cast: Cast) -> None:
    greta = _signed_in(client, "greta")
    assert greta.get("/working-groups/new").status_code == 403
    refused = greta.post(
        "/working-groups/new",
        data={
            "name": "AG Eigenmächtig",
            "mandate": "Ohne Auftrag",
            "lead_department_id": str(cast.citizens),
            "csrf_token": csrf_token(greta),
        },
    )
    assert refused.status_code == 403
    assert "AG Eigenmächtig" not in greta.get("/working-groups/").text


def test_only_members_of_the_group_may_recommend(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    idea = _idea_in_group(web_app, cast)
    otto = _signed_in(client, "koordination")
    prefix = f"recommend-{idea.hex[:8]}"
    assert "abgeben" not in otto.get(f"/working-groups/{cast.group}").text
    before = _events(web_app)
    refused = otto.post(
        f"/working-groups/{cast.group}/ideas/{idea}/recommend",
        data={
            f"{prefix}-outcome": "reject",
            f"{prefix}-reasoning": "Zu teuer",
            f"{prefix}-version": "3",
            f"{prefix}-csrf_token": csrf_token(otto),
        },
    )
    assert refused.status_code == 403
    assert _events(web_app) == before


# -- invalid input, conflicts, unknown ids ---------------------------------------------------


def test_forms_without_reason_or_notes_show_the_german_message_and_record_nothing(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    idea = _idea_in_group(web_app, cast)
    before = _events(web_app)
    greta = _signed_in(client, "greta")
    token = csrf_token(greta)
    no_notes = greta.post(
        f"/working-groups/{cast.group}/meetings", data=_meeting(token, 2, notes="  ")
    )
    assert no_notes.status_code == 400
    assert "Bitte das Protokoll angeben." in no_notes.text
    assert 'aria-invalid="true"' in no_notes.text
    assert "Sensoren für 40 Plätze beschaffen" in no_notes.text  # the decisions are kept

    prefix = f"recommend-{idea.hex[:8]}"
    no_reasoning = greta.post(
        f"/working-groups/{cast.group}/ideas/{idea}/recommend",
        data={
            f"{prefix}-outcome": "park",
            f"{prefix}-reasoning": "",
            f"{prefix}-version": "3",
            f"{prefix}-csrf_token": token,
        },
    )
    assert no_reasoning.status_code == 400
    assert "Bitte eine Begründung angeben." in no_reasoning.text

    coordination = _signed_in(web_app.test_client(), "koordination")
    no_reason = coordination.post(
        f"/working-groups/{cast.group}/dissolve",
        data={
            "dissolve-reason": "",
            "dissolve-version": "2",
            "dissolve-csrf_token": csrf_token(coordination),
        },
    )
    assert no_reason.status_code == 400
    assert "Bitte eine Begründung angeben." in no_reason.text
    no_mandate = coordination.post(
        "/working-groups/new",
        data={
            "name": "AG Klima",
            "mandate": "",
            "lead_department_id": str(cast.citizens),
            "csrf_token": csrf_token(coordination),
        },
    )
    assert no_mandate.status_code == 400
    assert "Bitte den Auftrag angeben." in no_mandate.text
    assert _events(web_app) == before


def test_a_rule_the_application_enforces_is_shown_on_the_form(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    coordination = _signed_in(client, "koordination")
    page = coordination.get(f"/working-groups/{cast.group}")
    assert page.status_code == 200
    _planner(web_app).dissolve_working_group(cast.coordinator, cast.group, 2, "Auftrag erledigt")
    before = _events(web_app)
    refused = coordination.post(
        f"/working-groups/{cast.group}/members/add",
        data={
            "add-member-person_id": str(cast.member),
            "add-member-version": "3",
            "add-member-csrf_token": csrf_token(coordination),
        },
    )
    assert refused.status_code == 422
    assert "„Mitglied aufnehmen“ ist so nicht möglich" in refused.text
    assert _events(web_app) == before


def test_a_stale_meeting_form_keeps_the_input_and_names_who_changed_what(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    greta = _signed_in(client, "greta")
    greta.get(f"/working-groups/{cast.group}")
    _planner(web_app).add_working_group_member(
        cast.coordinator, cast.group, 2, cast.outsider_group_member
    )
    stale = greta.post(
        f"/working-groups/{cast.group}/meetings", data=_meeting(csrf_token(greta), 2)
    )
    assert stale.status_code == 409
    assert "Inzwischen hat jemand anderes etwas geändert" in stale.text
    assert "Mitglied aufgenommen" in stale.text
    assert "Clara Koordination" in stale.text
    assert "Pilot am Rathaus besprochen" in stale.text
    assert re.search(r'name="meeting-version" type="hidden" value="3"', stale.text)
    assert _planner(web_app).get_working_group(cast.group).meetings == ()

    again = greta.post(
        f"/working-groups/{cast.group}/meetings", data=_meeting(csrf_token(greta), 3)
    )
    assert again.status_code == 302
    assert len(_planner(web_app).get_working_group(cast.group).meetings) == 1


def test_a_stale_recommendation_keeps_the_reasoning_and_names_the_change(
    client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    idea = _idea_in_group(web_app, cast)
    _planner(web_app).comment_on_idea(cast.other_member, idea, 3, "Auch für Lieferzonen?")
    greta = _signed_in(client, "greta")
    prefix = f"recommend-{idea.hex[:8]}"
    stale = greta.post(
        f"/working-groups/{cast.group}/ideas/{idea}/recommend",
        data={
            f"{prefix}-outcome": "accept",
            f"{prefix}-reasoning": "Schnell umsetzbar",
            f"{prefix}-version": "3",
            f"{prefix}-csrf_token": csrf_token(greta),
        },
    )
    assert stale.status_code == 409
    assert "Berta Bürgerdienst" in stale.text
    assert "Schnell umsetzbar" in stale.text
    assert _planner(web_app).get_idea(idea).recommendation is None


def test_unknown_groups_and_ideas_give_404(client: FlaskClient, web_app: Flask, cast: Cast) -> None:
    idea = _idea_in_group(web_app, cast)
    other_idea = _planner(web_app).submit_idea(cast.member, title="Nicht übergeben", summary="x")
    coordination = _signed_in(client, "koordination")
    token = csrf_token(coordination)
    unknown = uuid.uuid4()
    assert coordination.get(f"/working-groups/{unknown}").status_code == 404
    assert coordination.get("/working-groups/kein-uuid").status_code == 404
    gone = coordination.post(
        f"/working-groups/{unknown}/dissolve",
        data={"dissolve-reason": "x", "dissolve-version": "1", "dissolve-csrf_token": token},
    )
    assert gone.status_code == 404
    for idea_id in (unknown, other_idea):
        prefix = f"recommend-{idea_id.hex[:8]}"
        response = coordination.post(
            f"/working-groups/{cast.group}/ideas/{idea_id}/recommend",
            data={
                f"{prefix}-outcome": "accept",
                f"{prefix}-reasoning": "x",
                f"{prefix}-version": "1",
                f"{prefix}-csrf_token": token,
            },
        )
        assert response.status_code == 404
    assert (
        coordination.post(
            f"/working-groups/{unknown}/ideas/{idea}/recommend", data={"csrf_token": token}
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        ("", "Bitte das Sitzungsdatum angeben."),
        ("31.02.2026", "Bitte ein gültiges Datum angeben, z. B. 04.05.2026."),
    ],
)
def test_a_meeting_without_a_valid_date_is_not_recorded(
    client: FlaskClient, web_app: Flask, cast: Cast, held_on: str, message: str
) -> None:
    greta = _signed_in(client, "greta")
    before = _events(web_app)
    response = greta.post(
        f"/working-groups/{cast.group}/meetings",
        data=_meeting(csrf_token(greta), 2, held_on=held_on),
    )
    assert response.status_code == 400
    assert message in response.text
    assert "Pilot am Rathaus besprochen" in response.text
    assert _events(web_app) == before
