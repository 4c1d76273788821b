"""Every event records who acted (ids only) and no event carries personal data (DESIGN §3)."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate

import ideation.domain
from ideation.domain.actor import Actor
from ideation.domain.base import PlannerAggregate
from ideation.domain.department import Department
from ideation.domain.exchange import ExchangeSession
from ideation.domain.idea import Idea
from ideation.domain.installation import Installation
from ideation.domain.measure import Measure
from ideation.domain.person import Person
from ideation.domain.pilot import Pilot
from ideation.domain.politics import Faction, PoliticalRound
from ideation.domain.working_group import WorkingGroup
from tests.unit.builders import EVERY_COMMAND

AGGREGATES = (
    Idea,
    Measure,
    WorkingGroup,
    Department,
    Person,
    Installation,
    ExchangeSession,
    Pilot,
    Faction,
    PoliticalRound,
)

PERSONAL_DATA_NAMES = (
    "display_name",
    "email",
    "e_mail",
    "first_name",
    "last_name",
    "full_name",
    "phone",
)


def declared_event_classes(aggregate_class: type[Aggregate]) -> list[type[Aggregate.Event]]:
    """The concrete event classes an aggregate declares (without the library's base classes)."""
    return [
        value
        for name, value in vars(aggregate_class).items()
        if isinstance(value, type)
        and issubclass(value, Aggregate.Event)
        and name not in {"Event", "Created"}
    ]


def test_every_aggregate_of_the_domain_is_driven_here() -> None:
    found = set()
    for module_info in pkgutil.iter_modules(ideation.domain.__path__):
        module = importlib.import_module(f"ideation.domain.{module_info.name}")
        found |= {
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, PlannerAggregate)
            and value is not PlannerAggregate
            and value.__module__ == module.__name__
        }

    assert found == set(AGGREGATES) == set(EVERY_COMMAND)


@pytest.mark.parametrize("aggregate_class", AGGREGATES, ids=lambda cls: cls.__name__)
def test_every_collected_event_carries_the_actor_passed_in(
    aggregate_class: type[Aggregate],
) -> None:
    actor = Actor(person_id=uuid4(), department_id=uuid4(), role="coordinator")

    events = EVERY_COMMAND[aggregate_class](actor)

    assert events
    assert [type(e).__name__ for e in events if getattr(e, "actor", None) != actor] == []


@pytest.mark.parametrize("aggregate_class", AGGREGATES, ids=lambda cls: cls.__name__)
def test_the_commands_driven_produce_every_declared_event(
    aggregate_class: type[Aggregate],
) -> None:
    actor = Actor(person_id=uuid4(), department_id=None, role="system")

    produced = {type(e) for e in EVERY_COMMAND[aggregate_class](actor)}

    assert produced == set(declared_event_classes(aggregate_class))


@pytest.mark.parametrize("aggregate_class", AGGREGATES, ids=lambda cls: cls.__name__)
def test_every_event_class_declares_an_actor_field(aggregate_class: type[Aggregate]) -> None:
    classes = declared_event_classes(aggregate_class)

    assert classes
    missing = [
        cls.__name__
        for cls in classes
        if "actor" not in {field.name for field in dataclasses.fields(cls)}
    ]
    assert missing == []


def personal_data_fields(cls: type) -> list[str]:
    return [
        f"{cls.__qualname__}.{field.name}"
        for field in dataclasses.fields(cls)
        if any(word in field.name.lower() for word in PERSONAL_DATA_NAMES)
    ]


@pytest.mark.parametrize("aggregate_class", AGGREGATES, ids=lambda cls: cls.__name__)
def test_no_event_field_is_named_like_personal_data(aggregate_class: type[Aggregate]) -> None:
    classes = declared_event_classes(aggregate_class)

    assert classes
    assert [name for cls in classes for name in personal_data_fields(cls)] == []


def test_the_actor_holds_ids_and_a_role_only() -> None:
    assert [field.name for field in dataclasses.fields(Actor)] == [
        "person_id",
        "department_id",
        "role",
    ]


@dataclasses.dataclass
class LeakyEvent:
    actor: Actor
    contact_email: str
    phone_number: str
    title: str


def test_the_personal_data_check_notices_a_field_like_an_email() -> None:
    assert personal_data_fields(LeakyEvent) == [
        "LeakyEvent.contact_email",
        "LeakyEvent.phone_number",
    ]
