"""Aggregates in a chosen stage, reached through the real commands (no application, no store)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from ideation.domain.actor import Actor
from ideation.domain.department import Department
from ideation.domain.exchange import ExchangeSession
from ideation.domain.idea import Idea
from ideation.domain.installation import Installation
from ideation.domain.measure import Measure
from ideation.domain.person import Person
from ideation.domain.pilot import Pilot
from ideation.domain.politics import Faction, PoliticalRound
from ideation.domain.working_group import WorkingGroup


def member(department_id: UUID | None = None) -> Actor:
    return Actor(uuid4(), department_id or uuid4(), "member")


def coordinator() -> Actor:
    return Actor(uuid4(), uuid4(), "coordinator")


def admin() -> Actor:
    return Actor(uuid4(), uuid4(), "admin")


def submitted_idea(actor: Actor | None = None) -> Idea:
    actor = actor or member()
    return Idea.submit(
        id=uuid4(),
        title="Digitale Terminvergabe",
        summary="Termine im Bürgeramt online buchen",
        description="",
        themes=["Verwaltung"],
        department_id=actor.department_id or uuid4(),
        actor=actor,
    )


# The paths through the lifecycle (DESIGN §3 "Idea lifecycle") that lead into each status.
IDEA_PATHS: dict[str, tuple[str, ...]] = {
    "submitted": (),
    "in_review": ("assess",),
    "in_working_group": ("assess", "assign"),
    "accepted": ("assess", "assign", "accept"),
    "rejected": ("assess", "reject"),
    "parked": ("assess", "park"),
    "merged": ("merge",),
    "withdrawn": ("withdraw",),
}


def idea_in(status: str, *, actor: Actor | None = None, supporter: UUID | None = None) -> Idea:
    """An idea in `status`, with `supporter`'s pledge (made while it was open), events collected."""
    actor = actor or coordinator()
    idea = submitted_idea()
    if supporter is not None:
        idea.pledge_support(supporter, "", actor)
    for step in IDEA_PATHS[status]:
        if step == "assess":
            idea.assess(4, 2, 8, "Große Wirkung, wenig Aufwand", actor)
        elif step == "assign":
            idea.assign_to_working_group(uuid4(), actor)
        elif step == "accept":
            idea.accept(uuid4(), "Empfehlung überzeugt", actor)
        elif step == "reject":
            idea.reject("Kein Bedarf", actor)
        elif step == "park":
            idea.park("Später wieder ansehen", actor)
        elif step == "merge":
            idea.merge_into(uuid4(), "Doppelt eingereicht", actor)
        elif step == "withdraw":
            idea.withdraw("Hat sich erledigt", actor)
    assert idea.status == status
    idea.collect_events()
    return idea


MEASURE_STATUSES = ("planned", "in_progress", "implemented", "cancelled")


def planned_measure(actor: Actor | None = None) -> Measure:
    return Measure.plan(
        id=uuid4(),
        idea_id=uuid4(),
        working_group_id=uuid4(),
        owner_department_id=uuid4(),
        title="Digitale Terminvergabe",
        quick_win=True,
        actor=actor or coordinator(),
    )


class MeasureFixture:
    """A measure with one goal and one open milestone, whose ids the tests need."""

    def __init__(self, status: str, *, blocked: bool = False, actor: Actor | None = None) -> None:
        actor = actor or coordinator()
        self.goal_id = uuid4()
        self.milestone_id = uuid4()
        measure = planned_measure(actor)
        measure.set_goal(self.goal_id, "Wartezeit senken", "Wartezeit in Tagen", "unter 5", actor)
        measure.add_milestone(self.milestone_id, "Pilot im Bürgeramt", dt.date(2030, 6, 1), actor)
        if blocked:
            measure.block("Lieferant fehlt", actor)
        if status == "in_progress":
            measure.report_progress(20, "", actor)
        elif status == "implemented":
            if blocked:
                raise ValueError("an implemented measure cannot be blocked")
            measure.report_progress(90, "", actor)
            measure.implement(dt.date(2030, 9, 1), "Läuft im Regelbetrieb", actor)
        elif status == "cancelled":
            measure.cancel("Fördermittel gestrichen", actor)
        assert measure.status == status
        measure.collect_events()
        self.measure = measure


def working_group(actor: Actor | None = None) -> WorkingGroup:
    return WorkingGroup.form(
        id=uuid4(),
        name="AG Bürgerservice",
        mandate="Ideen zum Bürgerservice ausarbeiten",
        lead_department_id=uuid4(),
        actor=actor or coordinator(),
    )


def department(actor: Actor | None = None) -> Department:
    return Department.register(
        id=uuid4(),
        name="Bürgeramt",
        short_name="BA",
        kind="administration",
        actor=actor or admin(),
    )


def person(actor: Actor | None = None) -> Person:
    return Person(id=uuid4(), department_id=uuid4(), actor=actor or admin())


def snapshot(aggregate: Aggregate) -> dict[str, Any]:
    """A deep copy of the aggregate's state (without its pending events)."""
    return copy.deepcopy({k: v for k, v in vars(aggregate).items() if k != "_pending_events"})


def assert_nothing_recorded(aggregate: Aggregate, before: dict[str, Any]) -> None:
    """A refused command leaves no pending event, the same version and the same state."""
    assert aggregate.collect_events() == []
    assert aggregate.version == before["_version"]
    assert snapshot(aggregate) == before


# -- every command once ------------------------------------------------------


def idea_events(actor: Actor) -> list[Aggregate.Event]:
    ideas = [submitted_idea(actor) for _ in range(4)]
    first, second, third, fourth = ideas
    first.revise({"summary": "Termine online und per Telefon buchen"}, "genauer", actor)
    first.comment("Gute Idee", actor)
    first.comment("Danke", actor, reply_to=first.comments[0]["comment_id"])
    supporter = uuid4()
    first.pledge_support(supporter, "Wir machen mit", actor)
    first.withdraw_support(supporter, "Doch keine Zeit", actor)
    first.assess(4, 2, 8, "Große Wirkung", actor)
    first.override_quick_win(False, "Zu riskant", actor)
    first.assign_to_working_group(uuid4(), actor)
    first.recommend("accept", "Passt", actor)
    first.accept(uuid4(), "Empfehlung überzeugt", actor)
    second.park("Haushalt abwarten", actor)
    second.reopen("Haushalt steht", actor)
    second.reject("Kein Bedarf", actor)
    third.merge_into(first.id, "Doppelt", actor)
    fourth.withdraw("Erledigt", actor)
    return [event for idea in ideas for event in idea.collect_events()]


def measure_events(actor: Actor) -> list[Aggregate.Event]:
    measure, cancelled = planned_measure(actor), planned_measure(actor)
    goal, milestone = uuid4(), uuid4()
    measure.set_goal(goal, "Wartezeit senken", "Tage", "unter 5", actor)
    measure.revise_goal(goal, "Wartezeit senken", "Tage", "unter 3", "ehrgeiziger", actor)
    measure.note_approach("Erst ein Pilot", actor)
    measure.add_milestone(milestone, "Pilot", dt.date(2030, 6, 1), actor)
    measure.reach_milestone(milestone, dt.date(2030, 6, 3), actor)
    measure.report_progress(60, "Pilot läuft", actor)
    measure.block("Lieferant fehlt", actor)
    measure.unblock("Lieferant gefunden", actor)
    measure.implement(dt.date(2030, 9, 1), "Im Regelbetrieb", actor)
    measure.record_benefit(uuid4(), "Weniger Anrufe", actor)
    cancelled.cancel("Fördermittel gestrichen", actor)
    return measure.collect_events() + cancelled.collect_events()


def working_group_events(actor: Actor) -> list[Aggregate.Event]:
    group = working_group(actor)
    someone = uuid4()
    group.add_member(someone, actor)
    group.record_meeting(dt.date(2030, 3, 12), "hybrid", "Protokoll", "Beschluss", [], actor)
    group.remove_member(someone, "Stellenwechsel", actor)
    group.dissolve("Auftrag erledigt", actor)
    return group.collect_events()


def department_events(actor: Actor) -> list[Aggregate.Event]:
    office = department(actor)
    office.rename("Bürger- und Ordnungsamt", "BOA", actor)
    office.reclassify("company", actor)
    return office.collect_events()


def person_events(actor: Actor) -> list[Aggregate.Event]:
    someone = person(actor)
    someone.move_to_department(uuid4(), actor)
    someone.grant_role("member", actor)
    someone.revoke_role("member", "Aufgabe gewechselt", actor)
    someone.deactivate("Hat die Stadt verlassen", actor)
    someone.reactivate("Ist zurück", actor)
    someone.erase("Auf eigenen Antrag (Art. 17 DSGVO)", actor)
    return someone.collect_events()


def exchange_session(actor: Actor, kind: str = "consultation_hour") -> ExchangeSession:
    return ExchangeSession.plan(
        id=uuid4(),
        kind=kind,
        scheduled_on=dt.date(2030, 4, 2),
        topic="Sprechstunde Digitalisierung",
        host_person_id=uuid4(),
        round_department_id=None,
        invited_department_ids=[uuid4()],
        actor=actor,
    )


def exchange_session_events(actor: Actor) -> list[Aggregate.Event]:
    held, cancelled = exchange_session(actor), exchange_session(actor)
    held.reschedule(dt.date(2030, 4, 9), "Raum belegt", actor)
    held.record_held(dt.date(2030, 4, 9), [uuid4()], 12, "Notizen", ["E-Akte"], actor)
    cancelled.cancel("Zu wenige Anmeldungen", actor)
    return held.collect_events() + cancelled.collect_events()


def pilot_events(actor: Actor) -> list[Aggregate.Event]:
    pilot = Pilot.nominate(person_id=uuid4(), session_id=None, reason="Engagiert", actor=actor)
    pilot.confirm("Zugesagt", actor)
    pilot.withdraw("Stellenwechsel", actor)
    pilot.nominate_again(uuid4(), "Wieder da", actor)
    return pilot.collect_events()


def faction_events(actor: Actor) -> list[Aggregate.Event]:
    faction = Faction.register(id=uuid4(), name="Fraktion Grün", short_name="Grüne", actor=actor)
    faction.rename("Fraktion Bündnis 90/Die Grünen", "Grüne", actor)
    faction.retire("Nicht mehr im Rat", actor)
    return faction.collect_events()


def political_round(actor: Actor) -> PoliticalRound:
    return PoliticalRound.plan(
        id=uuid4(),
        scheduled_on=dt.date(2030, 5, 6),
        title="Digitalrunde Mai",
        invited_faction_ids=[uuid4()],
        actor=actor,
    )


def political_round_events(actor: Actor) -> list[Aggregate.Event]:
    held, cancelled = political_round(actor), political_round(actor)
    held.record_held(dt.date(2030, 5, 6), [uuid4()], ["Frage"], ["Anregung"], "", actor)
    held.adopt_suggestion(0, uuid4(), actor)
    cancelled.cancel("Sitzungswoche", actor)
    return held.collect_events() + cancelled.collect_events()


def installation_events(actor: Actor) -> list[Aggregate.Event]:
    return Installation(id=uuid4(), first_admin_id=uuid4(), actor=actor).collect_events()


# Every command of every aggregate once, all by `actor`; returns the collected events.
EVERY_COMMAND: dict[type[Aggregate], Callable[[Actor], list[Aggregate.Event]]] = {
    Idea: idea_events,
    Measure: measure_events,
    WorkingGroup: working_group_events,
    Department: department_events,
    Person: person_events,
    Installation: installation_events,
    ExchangeSession: exchange_session_events,
    Pilot: pilot_events,
    Faction: faction_events,
    PoliticalRound: political_round_events,
}
