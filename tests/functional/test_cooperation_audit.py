"""Auditors trace the cooperation like every decision: labels, subjects and links in the log."""

from __future__ import annotations

import datetime as dt
import html
import re

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Cast
from tests.functional.conftest import sign_in


def text_of(page: str) -> str:
    """The visible text of a page, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_audit_log_names_sessions_rounds_factions_and_adopted_suggestions(
    web_app: Flask, client: FlaskClient, cast: Cast
) -> None:
    # The coordination plans and holds a session, notes a pilot, keeps a faction and holds a
    # round whose suggestion becomes an idea.
    app = web_app.extensions["ideation"]
    day = dt.date(2030, 4, 2)
    session = app.plan_exchange_session(
        cast.coordinator,
        kind="regulars_table",
        scheduled_on=day,
        topic="Digital-Stammtisch Frühling",
        host_person_id=cast.coordinator,
        invited_department_ids=[cast.mobility],
    )
    app.nominate_pilot(cast.coordinator, cast.member, "Erklärt gern", session)
    faction = app.register_faction(cast.coordinator, "Fraktion Stadtgrün", "Grün")
    political_round = app.plan_political_round(
        cast.coordinator, scheduled_on=day, title="Digitalrunde April", invited_faction_ids=[]
    )
    app.record_political_round(
        cast.coordinator,
        political_round,
        1,
        held_on=day,
        attending_faction_ids=[faction],
        suggestions=["Ratsinfo als App"],
    )
    idea = app.adopt_round_suggestion(
        cast.coordinator,
        political_round,
        2,
        suggestion_index=0,
        department_id=cast.digital,
        title="Ratsinfo als App",
        summary="Sitzungsunterlagen mobil",
    )

    # The auditor reads the log: every step with its label, subject and link.
    assert sign_in(client, "pruefung").status_code == 302
    page = client.get("/audit/log").text
    text = text_of(page)
    for label in (
        "Austauschformat geplant",
        "Als Kandidatin / Kandidat vorgemerkt",
        "Fraktion angelegt",
        "Politische Runde durchgeführt",
        "Anregung als Idee übernommen",
    ):
        assert label in text
    assert "Digital-Stammtisch Frühling" in text
    assert "Digitalrunde April" in text
    assert f'href="/austausch/{session}"' in page
    assert f'href="/politik/runden/{political_round}"' in page
    assert f'href="/ideas/{idea}/history/"' in page
    assert 'href="/austausch/lotsen"' in page
