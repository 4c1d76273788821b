"""Permissions live in the application: a refused command raises and records nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest

from ideation.application.errors import PermissionDenied
from ideation.application.service import IdeationApplication
from tests.conftest import Cast, event_count

Command = Callable[[IdeationApplication, Cast, Any], Any]


def _idea_in_group(app: IdeationApplication, cast: Cast) -> Any:
    idea = app.submit_idea(cast.member, title="Digitale Bauakte", summary="Akten digital")
    app.assess_idea(
        cast.coordinator, idea, 1, impact=3, effort=3, expected_weeks=20, rationale="ok"
    )
    app.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)
    return idea


# Who tries what on an idea that sits in the working group (version 3), and must be refused.
REFUSED_ON_IDEA: dict[str, Command] = {
    "auditor comments": lambda app, c, i: app.comment_on_idea(c.auditor, i, 3, "Prüfvermerk"),
    "auditor rejects": lambda app, c, i: app.reject_idea(c.auditor, i, 3, "nein"),
    "admin assesses": lambda app, c, i: app.assess_idea(
        c.admin, i, 3, impact=1, effort=1, expected_weeks=1, rationale="x"
    ),
    "member assesses": lambda app, c, i: app.assess_idea(
        c.member, i, 3, impact=1, effort=1, expected_weeks=1, rationale="x"
    ),
    "member accepts": lambda app, c, i: app.accept_idea(c.member, i, 3, "gut"),
    "foreign member revises": lambda app, c, i: app.revise_idea(
        c.other_member, i, 3, {"title": "Fremde Änderung"}
    ),
    "foreign member withdraws": lambda app, c, i: app.withdraw_idea(c.other_member, i, 3, "weg"),
    "group member outside the group recommends": lambda app, c, i: app.recommend(
        c.outsider_group_member, i, 3, "accept", "gut"
    ),
    "coordinator recommends for the group": lambda app, c, i: app.recommend(
        c.coordinator, i, 3, "accept", "gut"
    ),
}


@pytest.mark.parametrize("attempt", REFUSED_ON_IDEA.values(), ids=REFUSED_ON_IDEA.keys())
def test_a_refused_idea_command_raises_and_records_nothing(
    app: IdeationApplication, cast: Cast, attempt: Command
) -> None:
    idea = _idea_in_group(app, cast)
    before = event_count(app)
    with pytest.raises(PermissionDenied) as refusal:
        attempt(app, cast, idea)
    assert "dürfen" in str(refusal.value)
    assert refusal.value.code == "permission_denied"
    assert event_count(app) == before
    assert app.get_idea(idea).version == 3


REFUSED_ELSEWHERE: dict[str, Command] = {
    "auditor submits": lambda app, c, _: app.submit_idea(c.auditor, title="Idee", summary="s"),
    "coordinator registers a department": lambda app, c, _: app.register_department(
        c.coordinator, "Neues Amt", "NA", "administration"
    ),
    "member grants a role": lambda app, c, _: app.grant_role(c.member, c.member, 2, "admin"),
    "member forms a working group": lambda app, c, _: app.form_working_group(
        c.member, "AG", "Auftrag", c.mobility
    ),
    "auditor registers a person": lambda app, c, _: app.register_person(
        c.auditor, "Neu", "neu@example.org", c.mobility
    ),
    "unknown person submits": lambda app, c, _: app.submit_idea(c.group, title="Idee", summary="s"),
}


@pytest.mark.parametrize("attempt", REFUSED_ELSEWHERE.values(), ids=REFUSED_ELSEWHERE.keys())
def test_refused_administrative_commands_record_nothing(
    app: IdeationApplication, cast: Cast, attempt: Command
) -> None:
    before = event_count(app)
    with pytest.raises(PermissionDenied):
        attempt(app, cast, None)
    assert event_count(app) == before
    assert app.directory.find_by_email("neu@example.org") is None


def test_a_deactivated_person_can_no_longer_act(app: IdeationApplication, cast: Cast) -> None:
    app.deactivate_person(cast.admin, cast.member, 2, "Ausgeschieden")
    before = event_count(app)
    with pytest.raises(PermissionDenied, match="deaktiviert"):
        app.submit_idea(cast.member, title="Noch eine Idee", summary="s")
    assert event_count(app) == before
    assert app.get_person(cast.member).active is False


def test_members_act_for_their_own_department_and_pledge_for_others(
    app: IdeationApplication, cast: Cast
) -> None:
    idea = app.submit_idea(cast.member, title="Sensorik an Brücken", summary="Zustand messen")
    assert app.get_idea(idea).department_id == cast.mobility
    app.pledge_support(cast.other_member, idea, 1)
    app.comment_on_idea(cast.other_member, idea, 2, "Gern")
    app.withdraw_support(cast.other_member, idea, 3, "Keine Kapazität")
    history = app.idea_history(idea)
    pledges = [e for e in history if e.label.startswith("Mitwirkung")]
    assert [e.details["department_id"] for e in pledges] == [cast.citizens, cast.citizens]


def test_a_refused_command_is_logged_as_a_security_record(
    app: IdeationApplication, cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="ideation.security")
    with pytest.raises(PermissionDenied):
        app.register_department(cast.auditor, "Neues Amt", "NA", "administration")
    assert '"event": "permission.denied"' in caplog.text
    assert str(cast.auditor) in caplog.text
    assert '"action": "department.register"' in caplog.text


@pytest.mark.parametrize(
    "command",
    [
        lambda app, cast, idea, missing: app.assign_idea_to_working_group(
            cast.member, idea, 1, missing
        ),
        lambda app, cast, idea, missing: app.merge_idea(cast.member, idea, 1, missing, "Dublette"),
        lambda app, cast, idea, missing: app.accept_idea(cast.member, idea, 1, "Gut", missing),
    ],
    ids=["assign to a missing group", "merge into a missing idea", "accept for a missing owner"],
)
def test_someone_without_the_role_is_refused_before_a_missing_target_is_looked_up(
    app: IdeationApplication, cast: Cast, command: Callable[..., Any]
) -> None:
    idea = app.submit_idea(cast.member, title="Zielprüfung", summary="Wer erfährt was?")
    before = event_count(app)
    with pytest.raises(PermissionDenied):
        command(app, cast, idea, uuid4())
    assert event_count(app) == before
