"""The whole planner as it was at the end of a past day (Stand am …), for auditors."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ideation.domain.clock import utc_now
from tests.conftest import event_count, make_cast
from tests.functional.conftest import PASSWORD, sign_in


class DailyClock:
    """Moves one day per reading, from a fixed past morning."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(days=1)
        return self.now


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@dataclass
class Story:
    """The planner and the days on which things happened."""

    app: object
    before_ideas: dt.date
    in_review: dt.date
    accepted: dt.date


@pytest.fixture
def story(web_app: Flask) -> Story:
    ideation = web_app.extensions["ideation"]
    clock = DailyClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))
    ideation.clock = clock
    cast = make_cast(ideation)
    for username, person in {
        "pruefung": cast.auditor,
        "koordination": cast.coordinator,
        "tim": cast.member,
        "greta": cast.group_member,
    }.items():
        ideation.create_account(cast.admin, person, username, PASSWORD)
    before_ideas = clock.now.date()
    idea = ideation.submit_idea(cast.member, title="Offenes WLAN", summary="Im Foyer")
    ideation.assess_idea(
        cast.coordinator, idea, 1, impact=3, effort=1, expected_weeks=2, rationale="Einfach"
    )
    in_review = clock.now.date()
    ideation.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)
    ideation.accept_idea(cast.coordinator, idea, 3, "Günstig")
    version = ideation.get_person(cast.other_member).version
    ideation.grant_role(cast.admin, cast.other_member, version, "coordinator")
    accepted = clock.now.date()
    ideation.clock = utc_now
    return Story(ideation, before_ideas, in_review, accepted)


def test_the_auditor_sees_ideas_measures_and_roles_as_they_were_that_day(
    client: FlaskClient, story: Story
) -> None:
    sign_in(client, "pruefung")
    before = event_count(story.app)
    in_review = client.get(f"/planner/as-of?date={story.in_review.isoformat()}")
    assert in_review.status_code == 200
    text = text_of(in_review.text)
    assert f"Stand am {story.in_review:%d.%m.%Y} (Tagesende)" in text
    assert "Offenes WLAN" in text
    assert "In Prüfung" in text
    assert "An diesem Tag gab es noch keine Maßnahmen." in text
    berta = "Berta Bürgerdienst 33 Mitarbeitende eines Fachbereichs oder Kommunalunternehmens"
    assert f"{berta} aktiv" in text
    typed = f"{story.accepted.day}.{story.accepted.month}.{story.accepted.year}"
    accepted = text_of(client.get(f"/planner/as-of?date={typed}").text)
    assert "Geplant" in accepted  # the measure exists now
    assert f"{berta}, Smart-City-Koordination aktiv" in accepted
    head = story.app.read_models.chain_head()
    assert f"Kettenkopf: Position {head.position}, SHA-256 {head.link}" in text
    assert event_count(story.app) == before  # looking changes nothing


def test_before_the_first_idea_the_planner_was_empty(client: FlaskClient, story: Story) -> None:
    sign_in(client, "koordination")
    text = text_of(client.get(f"/planner/as-of?date={story.before_ideas.isoformat()}").text)
    assert "An diesem Tag gab es noch keine Ideen." in text


@pytest.mark.parametrize("value", ["31.02.2026", "gestern", "2999-01-01"])
def test_a_bad_or_future_day_is_refused_in_german(
    client: FlaskClient, story: Story, value: str
) -> None:
    sign_in(client, "pruefung")
    response = client.get(f"/planner/as-of?date={value}")
    assert response.status_code == 400
    assert "Bitte prüfen Sie Ihre Eingaben" in response.text


@pytest.mark.parametrize("username", ["tim", "greta"])
def test_members_do_not_see_the_planner_of_a_past_day(
    client: FlaskClient, story: Story, username: str
) -> None:
    sign_in(client, username)
    assert client.get("/planner/as-of?date=2026-03-03").status_code == 403
    assert "/planner/as-of" not in client.get("/").text
