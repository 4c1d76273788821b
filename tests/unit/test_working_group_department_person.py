"""Working groups, departments and people: the rules of the supporting aggregates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from uuid import uuid4

import pytest

from ideation.domain.errors import DomainError, IllegalTransition, InvalidValue
from ideation.domain.person import Person
from ideation.domain.working_group import WorkingGroup
from tests.unit.builders import (
    admin,
    assert_nothing_recorded,
    coordinator,
    department,
    person,
    snapshot,
    working_group,
)

ACTOR = coordinator()
ADMIN = admin()
MEETING_DAY = dt.date(2030, 3, 12)


def active_group() -> WorkingGroup:
    group = working_group(ACTOR)
    group.collect_events()
    return group


def fresh_person() -> Person:
    someone = person(ADMIN)
    someone.collect_events()
    return someone


# -- working group -------------------------------------------------------------


def test_a_member_is_added_and_removed() -> None:
    group = active_group()
    someone = uuid4()

    group.add_member(someone, ACTOR)
    assert group.members == [someone]

    group.remove_member(someone, "Wechselt die Stelle", ACTOR)
    assert group.members == []

    assert [type(e) for e in group.collect_events()] == [
        WorkingGroup.MemberAdded,
        WorkingGroup.MemberRemoved,
    ]


def test_a_person_cannot_be_added_twice() -> None:
    group = active_group()
    someone = uuid4()
    group.add_member(someone, ACTOR)
    group.collect_events()
    before = snapshot(group)

    with pytest.raises(DomainError) as raised:
        group.add_member(someone, ACTOR)

    assert raised.value.code == "working_group.already_member"
    assert_nothing_recorded(group, before)


def test_a_person_who_is_no_member_cannot_be_removed() -> None:
    group = active_group()
    group.add_member(uuid4(), ACTOR)
    group.collect_events()
    before = snapshot(group)

    with pytest.raises(DomainError) as raised:
        group.remove_member(uuid4(), "", ACTOR)

    assert raised.value.code == "working_group.not_member"
    assert_nothing_recorded(group, before)


@pytest.mark.parametrize("meeting_format", ["in_person", "online", "hybrid"])
def test_a_meeting_is_recorded_in_every_format(meeting_format: str) -> None:
    group = active_group()
    idea = uuid4()

    group.record_meeting(MEETING_DAY, meeting_format, " Protokoll ", None, [idea, idea], ACTOR)

    assert group.meetings == [
        {
            "held_on": MEETING_DAY,
            "format": meeting_format,
            "notes": "Protokoll",
            "decisions": "",
            "idea_ids": [idea],
        }
    ]
    [event] = group.collect_events()
    assert type(event) is WorkingGroup.MeetingRecorded


@pytest.mark.parametrize(
    ("field", "held_on", "meeting_format", "notes"),
    [
        pytest.param("held_on", "2030-03-12", "online", "Protokoll", id="date as text"),
        pytest.param(
            "held_on",
            dt.datetime(2030, 3, 12, 10, 0, tzinfo=dt.UTC),
            "online",
            "Protokoll",
            id="datetime instead of date",
        ),
        pytest.param("held_on", None, "online", "Protokoll", id="no date"),
        pytest.param("format", MEETING_DAY, "telefon", "Protokoll", id="unknown format"),
        pytest.param("format", MEETING_DAY, "", "Protokoll", id="no format"),
        pytest.param("notes", MEETING_DAY, "online", "   ", id="blank notes"),
    ],
)
def test_a_meeting_with_a_bad_date_format_or_notes_is_refused_with_the_field_name(
    field: str, held_on: object, meeting_format: str, notes: str
) -> None:
    group = active_group()
    before = snapshot(group)

    with pytest.raises(InvalidValue) as raised:
        group.record_meeting(held_on, meeting_format, notes, "", [], ACTOR)  # type: ignore[arg-type]

    assert raised.value.field == field
    assert_nothing_recorded(group, before)


@pytest.mark.parametrize(
    "idea_ids",
    [None, "abc", [None], ["8f1c2a9e-0000-0000-0000-000000000000"]],
    ids=["none", "a string", "a list with None", "a list of id strings"],
)
def test_a_meeting_naming_ideas_by_anything_but_ids_is_refused(idea_ids: object) -> None:
    group = active_group()
    before = snapshot(group)

    with pytest.raises(InvalidValue) as raised:
        group.record_meeting(MEETING_DAY, "online", "Protokoll", "", idea_ids, ACTOR)  # type: ignore[arg-type]

    assert raised.value.field == "idea_ids"
    assert_nothing_recorded(group, before)


GROUP_COMMANDS: dict[str, Callable[[WorkingGroup], None]] = {
    "add_member": lambda group: group.add_member(uuid4(), ACTOR),
    "remove_member": lambda group: group.remove_member(group.members[0], "", ACTOR),
    "record_meeting": lambda group: group.record_meeting(
        MEETING_DAY, "online", "Protokoll", "", [], ACTOR
    ),
    "dissolve": lambda group: group.dissolve("Noch einmal", ACTOR),
}


@pytest.mark.parametrize("command", GROUP_COMMANDS.values(), ids=GROUP_COMMANDS.keys())
def test_a_dissolved_group_refuses_everything(
    command: Callable[[WorkingGroup], None],
) -> None:
    group = active_group()
    group.add_member(uuid4(), ACTOR)
    group.dissolve("Auftrag erledigt", ACTOR)
    group.collect_events()
    before = snapshot(group)

    with pytest.raises(IllegalTransition) as raised:
        command(group)

    assert raised.value.code == "working_group.illegal_transition"
    assert "„Aufgelöst“" in str(raised.value)
    assert_nothing_recorded(group, before)


def test_dissolving_records_the_reason_and_ends_the_group() -> None:
    group = active_group()

    group.dissolve("Auftrag erledigt", ACTOR)

    assert (group.status, group.status_label, group.is_active) == ("dissolved", "Aufgelöst", False)
    assert group.dissolution_reason == "Auftrag erledigt"


@pytest.mark.parametrize(
    ("field", "name", "mandate"),
    [("name", "AG", "Auftrag"), ("name", "   ", "Auftrag"), ("mandate", "AG Verkehr", " ")],
)
def test_a_group_without_a_proper_name_or_mandate_is_not_formed(
    field: str, name: str, mandate: str
) -> None:
    with pytest.raises(InvalidValue) as raised:
        WorkingGroup.form(
            id=uuid4(), name=name, mandate=mandate, lead_department_id=uuid4(), actor=ACTOR
        )

    assert raised.value.field == field


# -- department ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "short_name"),
    [("Bürgeramt", "BA"), ("  Bürgeramt ", " BA ")],
    ids=["same names", "same names with spaces"],
)
def test_renaming_a_department_without_a_change_is_refused(name: str, short_name: str) -> None:
    office = department(ADMIN)
    office.collect_events()
    before = snapshot(office)

    with pytest.raises(DomainError) as raised:
        office.rename(name, short_name, ADMIN)

    assert raised.value.code == "department.no_changes"
    assert_nothing_recorded(office, before)


def test_renaming_only_the_short_name_is_a_change() -> None:
    office = department(ADMIN)

    office.rename("Bürgeramt", "BüA", ADMIN)

    assert (office.name, office.short_name) == ("Bürgeramt", "BüA")


@pytest.mark.parametrize("kind", ["verein", "", None, "Administration"])
def test_reclassifying_to_an_invalid_kind_is_refused(kind: object) -> None:
    office = department(ADMIN)
    office.collect_events()
    before = snapshot(office)

    with pytest.raises(InvalidValue) as raised:
        office.reclassify(kind, ADMIN)  # type: ignore[arg-type]

    assert raised.value.field == "kind"
    assert_nothing_recorded(office, before)


def test_reclassifying_to_the_same_kind_is_refused() -> None:
    office = department(ADMIN)
    office.collect_events()
    before = snapshot(office)

    with pytest.raises(DomainError) as raised:
        office.reclassify("administration", ADMIN)

    assert raised.value.code == "department.no_changes"
    assert_nothing_recorded(office, before)


def test_a_department_becomes_a_municipal_company() -> None:
    office = department(ADMIN)

    office.reclassify("company", ADMIN)

    assert office.kind == "company"


# -- person ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "group_member", "coordinator", "auditor", "admin"])
def test_every_grantable_role_can_be_granted(role: str) -> None:
    someone = fresh_person()

    someone.grant_role(role, ADMIN)

    assert someone.roles == [role]
    assert someone.has_role(role)


@pytest.mark.parametrize("role", ["system", "superuser", "", None, "Admin"])
def test_only_grantable_roles_are_accepted(role: object) -> None:
    someone = fresh_person()
    before = snapshot(someone)

    with pytest.raises(InvalidValue) as raised:
        someone.grant_role(role, ADMIN)  # type: ignore[arg-type]

    assert raised.value.field == "role"
    assert_nothing_recorded(someone, before)


def test_a_role_cannot_be_granted_twice() -> None:
    someone = fresh_person()
    someone.grant_role("coordinator", ADMIN)
    someone.collect_events()
    before = snapshot(someone)

    with pytest.raises(DomainError) as raised:
        someone.grant_role("coordinator", ADMIN)

    assert raised.value.code == "person.role_already_granted"
    assert "„Smart-City-Koordination“" in str(raised.value)
    assert_nothing_recorded(someone, before)


def test_a_role_the_person_does_not_hold_cannot_be_revoked() -> None:
    someone = fresh_person()
    someone.grant_role("member", ADMIN)
    someone.collect_events()
    before = snapshot(someone)

    with pytest.raises(DomainError) as raised:
        someone.revoke_role("auditor", "Keine Prüfung mehr", ADMIN)

    assert raised.value.code == "person.role_not_granted"
    assert_nothing_recorded(someone, before)


def test_a_revoked_role_is_gone() -> None:
    someone = fresh_person()
    someone.grant_role("member", ADMIN)
    someone.grant_role("auditor", ADMIN)

    someone.revoke_role("auditor", "Prüfung beendet", ADMIN)

    assert someone.roles == ["member"]
    assert not someone.has_role("auditor")


def test_a_deactivated_person_has_no_role_until_reactivated() -> None:
    someone = fresh_person()
    someone.grant_role("coordinator", ADMIN)

    someone.deactivate("Hat die Stadt verlassen", ADMIN)

    assert (someone.active, someone.status, someone.status_label) == (
        False,
        "inactive",
        "Deaktiviert",
    )
    assert not someone.has_role("coordinator")
    assert someone.roles == ["coordinator"]

    someone.reactivate("Ist zurück", ADMIN)

    assert (someone.active, someone.status, someone.status_label) == (True, "active", "Aktiv")
    assert someone.has_role("coordinator")


def test_an_inactive_person_cannot_be_deactivated_again() -> None:
    someone = fresh_person()
    someone.deactivate("Hat die Stadt verlassen", ADMIN)
    someone.collect_events()
    before = snapshot(someone)

    with pytest.raises(IllegalTransition) as raised:
        someone.deactivate("Noch einmal", ADMIN)

    assert raised.value.code == "person.inactive"
    assert_nothing_recorded(someone, before)


def test_an_active_person_cannot_be_reactivated() -> None:
    someone = fresh_person()
    before = snapshot(someone)

    with pytest.raises(IllegalTransition) as raised:
        someone.reactivate("", ADMIN)

    assert raised.value.code == "person.active"
    assert_nothing_recorded(someone, before)


def test_moving_a_person_to_their_own_department_is_refused() -> None:
    someone = fresh_person()
    before = snapshot(someone)

    with pytest.raises(DomainError) as raised:
        someone.move_to_department(someone.department_id, ADMIN)

    assert raised.value.code == "person.no_changes"
    assert_nothing_recorded(someone, before)
