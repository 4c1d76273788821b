"""People, roles and the first administrator: personal data stays in the directory."""

from __future__ import annotations

import pytest

from ideation.application.errors import ConcurrencyConflict, NotFound
from ideation.application.service import AlreadyInitialised, IdeationApplication
from ideation.domain.errors import InvalidValue, ReasonRequired
from tests.conftest import Cast, event_count


def test_the_planner_is_initialised_once_and_a_second_attempt_changes_nothing(
    app: IdeationApplication,
) -> None:
    assert app.is_initialised() is False
    department, admin = app.initialise(
        admin_display_name="Erste Admin",
        admin_email="erste@example.org",
        department_name="Hauptamt",
        department_short_name="10",
    )
    assert app.is_initialised() is True
    assert app.get_person(admin).roles == ("admin",)
    assert app.get_department(department).name == "Hauptamt"
    before = event_count(app)

    with pytest.raises(AlreadyInitialised, match="bereits eingerichtet"):
        app.initialise(
            admin_display_name="Zweite Admin",
            admin_email="zweite@example.org",
            department_name="Hauptamt",
            department_short_name="10",
        )

    assert event_count(app) == before
    assert app.directory.find_by_email("zweite@example.org") is None


def test_an_email_address_can_belong_to_one_person_only(app: IdeationApplication, cast: Cast):
    before = event_count(app)
    with pytest.raises(InvalidValue, match="bereits von einer anderen Person") as taken:
        app.register_person(cast.admin, "Tim Zwilling", "TIM@example.org", cast.mobility)
    assert taken.value.field == "email"
    with pytest.raises(InvalidValue, match="gültige E-Mail-Adresse"):
        app.register_person(cast.admin, "Ohne Mail", "keine-adresse", cast.mobility)
    assert event_count(app) == before


def test_a_person_registered_for_an_unknown_department_is_refused(
    app: IdeationApplication, cast: Cast
) -> None:
    before = event_count(app)
    with pytest.raises(NotFound, match="Fachbereich"):
        app.register_person(cast.admin, "Nie Da", "nie@example.org", cast.group)
    assert event_count(app) == before
    assert app.directory.find_by_email("nie@example.org") is None


def test_roles_are_granted_and_revoked_with_a_reason_through_events(
    app: IdeationApplication, cast: Cast
) -> None:
    app.grant_role(cast.admin, cast.member, 2, "group_member")
    with pytest.raises(ReasonRequired):
        app.revoke_role(cast.admin, cast.member, 3, "member", "  ")
    app.revoke_role(cast.admin, cast.member, 3, "member", "Wechsel in die Arbeitsgruppe")

    person = app.get_person(cast.member)
    assert person.roles == ("group_member",)
    revoked = app.events_since(cast.member, 3)
    assert [(e.label, e.reason, e.actor_role) for e in revoked] == [
        ("Rolle entzogen", "Wechsel in die Arbeitsgruppe", "admin")
    ]
    assert revoked[0].details == {"role": "member"}


def test_moving_and_deactivating_a_person_updates_the_directory_too(
    app: IdeationApplication, cast: Cast
) -> None:
    app.move_person_to_department(cast.admin, cast.member, 2, cast.citizens)
    app.deactivate_person(cast.admin, cast.member, 3, "Elternzeit")
    record = app.directory.get(cast.member)
    assert (record.department_id, record.active) == (cast.citizens, False)
    app.reactivate_person(cast.admin, cast.member, 4)
    assert app.directory.get(cast.member).active is True
    with pytest.raises(ConcurrencyConflict, match="Person reaktiviert"):
        app.deactivate_person(cast.admin, cast.member, 4, "Doppelt")


def test_an_erased_person_shows_as_deleted_while_their_history_stays(
    app: IdeationApplication, cast: Cast
) -> None:
    idea = app.submit_idea(cast.member, title="Bleibt erhalten", summary="auch ohne Namen")
    app.directory.remove(cast.member)  # what erasure (a later issue) does to the directory

    assert app.get_person(cast.member).display_name == "gelöschte Person"
    (submitted,) = app.idea_history(idea)
    assert submitted.actor_person_id == cast.member
