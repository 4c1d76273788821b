"""Erasing a person (GDPR Art. 17): recorded with ids and a reason, final, and replayable."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest

from ideation.domain.errors import IllegalTransition, ReasonRequired
from ideation.domain.person import Person
from tests.unit.builders import admin, assert_nothing_recorded, person, snapshot

ADMIN = admin()
REASON = "Auf eigenen Antrag (Art. 17 DSGVO)"


def fresh_person() -> Person:
    someone = person(ADMIN)
    someone.grant_role("member", ADMIN)
    someone.collect_events()
    return someone


def test_erasing_an_active_person_deactivates_them_and_records_the_erasure() -> None:
    someone = fresh_person()

    someone.erase(REASON, ADMIN)

    events = someone.collect_events()
    assert [type(e) for e in events] == [Person.Deactivated, Person.Erased]
    assert [(e.reason, e.actor) for e in events] == [(REASON, ADMIN), (REASON, ADMIN)]
    assert (someone.erased, someone.active, someone.status, someone.status_label) == (
        True,
        False,
        "erased",
        "Personendaten gelöscht",
    )
    assert not someone.has_role("member")


def test_erasing_a_deactivated_person_records_only_the_erasure() -> None:
    someone = fresh_person()
    someone.deactivate("Hat die Stadt verlassen", ADMIN)
    someone.collect_events()

    someone.erase(REASON, ADMIN)

    assert [type(e) for e in someone.collect_events()] == [Person.Erased]
    assert someone.erased


def test_the_erasure_event_holds_ids_a_reason_and_nothing_personal() -> None:
    someone = fresh_person()
    someone.erase(REASON, ADMIN)
    erased = someone.collect_events()[-1]

    state = {k: v for k, v in vars(erased).items() if not k.startswith("_")}
    assert set(state) == {"originator_id", "originator_version", "timestamp", "reason", "actor"}


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_an_erasure_needs_a_reason(reason: object) -> None:
    someone = fresh_person()
    before = snapshot(someone)

    with pytest.raises(ReasonRequired):
        someone.erase(reason, ADMIN)  # type: ignore[arg-type]

    assert_nothing_recorded(someone, before)


COMMANDS_AFTER_ERASURE: dict[str, Callable[[Person], None]] = {
    "erase": lambda p: p.erase("Noch einmal", ADMIN),
    "reactivate": lambda p: p.reactivate("Ist zurück", ADMIN),
    "deactivate": lambda p: p.deactivate("Noch einmal", ADMIN),
    "grant_role": lambda p: p.grant_role("coordinator", ADMIN),
    "revoke_role": lambda p: p.revoke_role("member", "Aufgabe gewechselt", ADMIN),
    "move_to_department": lambda p: p.move_to_department(uuid4(), ADMIN),
}


@pytest.mark.parametrize("command", COMMANDS_AFTER_ERASURE)
def test_an_erased_person_can_no_longer_be_changed(command: str) -> None:
    someone = fresh_person()
    someone.erase(REASON, ADMIN)
    someone.collect_events()
    before = snapshot(someone)

    with pytest.raises(IllegalTransition) as raised:
        COMMANDS_AFTER_ERASURE[command](someone)

    assert raised.value.code == "person.erased"
    assert "gelöscht" in str(raised.value)
    assert_nothing_recorded(someone, before)


def test_replaying_the_events_gives_the_erased_person_again() -> None:
    someone = person(ADMIN)
    someone.grant_role("admin", ADMIN)
    someone.erase(REASON, ADMIN)
    events = someone.collect_events()

    replayed = None
    for event in events:
        replayed = event.mutate(replayed)

    assert isinstance(replayed, Person)
    assert (replayed.version, replayed.erased, replayed.active, replayed.roles) == (
        someone.version,
        True,
        False,
        ["admin"],
    )
