"""Cooperation (issue 8): exchange formats, digital pilots, factions and political rounds.

Mixed into IdeationApplication. Commands speak ids and plain data and return an id or
nothing; queries return the small frozen dataclasses below, never live aggregates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from ideation.application.errors import ConcurrencyConflict, NotFound
from ideation.application.permissions import permitted_role
from ideation.domain.actor import Actor
from ideation.domain.base import PlannerAggregate
from ideation.domain.clock import Clock, using_clock
from ideation.domain.department import Department
from ideation.domain.errors import DomainError, InvalidValue
from ideation.domain.exchange import ExchangeSession, ExchangeStatus
from ideation.domain.idea import Idea
from ideation.domain.person import Person
from ideation.domain.pilot import Pilot, PilotStatus, pilot_id_for
from ideation.domain.politics import Faction, PoliticalRound

A = TypeVar("A", bound=PlannerAggregate)

# Page actions → the permission each needs (the offered buttons use the same check).
EXCHANGE_ACTIONS = {
    "reschedule": "exchange.reschedule",
    "record": "exchange.record",
    "cancel": "exchange.cancel",
}
PILOT_ACTIONS = {"confirm": "pilot.confirm", "withdraw": "pilot.withdraw"}
FACTION_ACTIONS = {"rename": "faction.rename", "retire": "faction.retire"}
ROUND_ACTIONS = {
    "record": "political_round.record",
    "cancel": "political_round.cancel",
    "adopt_suggestion": "political_round.adopt_suggestion",
}


@dataclass(frozen=True)
class ExchangeSessionView:
    """An exchange format session as its page shows it."""

    id: UUID
    version: int
    kind: str
    status: str
    scheduled_on: dt.date
    topic: str
    host_person_id: UUID
    round_department_id: UUID | None
    invited_department_ids: tuple[UUID, ...]
    held_on: dt.date | None
    participating_department_ids: tuple[UUID, ...]
    participant_count: int
    notes: str
    needs: tuple[str, ...]
    cancellation_reason: str


@dataclass(frozen=True)
class PilotView:
    """A person's standing as a digital pilot."""

    id: UUID
    version: int
    person_id: UUID
    status: str
    session_id: UUID | None
    reason: str
    note: str


@dataclass(frozen=True)
class FactionView:
    """A council faction."""

    id: UUID
    version: int
    name: str
    short_name: str
    status: str


@dataclass(frozen=True)
class RoundSuggestion:
    """A suggestion raised in a political round, and the idea it became (if any)."""

    index: int
    text: str
    idea_id: UUID | None


@dataclass(frozen=True)
class PoliticalRoundView:
    """A political round as its page shows it."""

    id: UUID
    version: int
    status: str
    scheduled_on: dt.date
    title: str
    invited_faction_ids: tuple[UUID, ...]
    held_on: dt.date | None
    attending_faction_ids: tuple[UUID, ...]
    questions: tuple[str, ...]
    suggestions: tuple[RoundSuggestion, ...]
    notes: str
    cancellation_reason: str


class CooperationCommands:
    """Mixed into IdeationApplication: exchange formats, pilots, factions, political rounds."""

    clock: Clock
    _storage: Callable[[], AbstractContextManager[None]]
    _load: Callable[..., Any]
    _create: Callable[..., UUID]
    _change: Callable[..., None]
    _active_person: Callable[[UUID], Person]
    _person_or_none: Callable[[UUID], Person | None]
    _refuse_without_role: Callable[[str, UUID], None]
    _actor: Callable[..., Actor]
    _conflict: Callable[[UUID, int, int], ConcurrencyConflict]
    save: Callable[..., Any]

    # -- exchange formats ------------------------------------------------------------

    def plan_exchange_session(
        self,
        actor_id: UUID,
        *,
        kind: str,
        scheduled_on: dt.date,
        topic: str,
        host_person_id: UUID,
        round_department_id: UUID | None = None,
        invited_department_ids: Sequence[UUID] = (),
    ) -> UUID:
        """Plan a session of an exchange format; return its id."""
        self._refuse_without_role("exchange.plan", actor_id)
        self._check_person("host_person_id", host_person_id)
        if round_department_id is not None:
            self._check_department("round_department_id", round_department_id)
        invited = self._check_departments("invited_department_ids", invited_department_ids)
        return self._create(
            "exchange.plan",
            actor_id,
            lambda actor: ExchangeSession.plan(
                id=uuid4(),
                kind=kind,
                scheduled_on=scheduled_on,
                topic=topic,
                host_person_id=host_person_id,
                round_department_id=round_department_id,
                invited_department_ids=invited,
                actor=actor,
            ),
        )

    def reschedule_exchange_session(
        self,
        actor_id: UUID,
        session_id: UUID,
        expected_version: int,
        scheduled_on: dt.date,
        note: str = "",
    ) -> None:
        """Move a planned session to another date."""
        self._change(
            "exchange.reschedule",
            actor_id,
            ExchangeSession,
            session_id,
            expected_version,
            lambda s, actor: s.reschedule(scheduled_on, note, actor),
        )

    def record_exchange_session(
        self,
        actor_id: UUID,
        session_id: UUID,
        expected_version: int,
        *,
        held_on: dt.date,
        participating_department_ids: Sequence[UUID],
        participant_count: int,
        notes: str = "",
        needs: Sequence[str] = (),
    ) -> None:
        """Record a session as held: departments that took part, how many came, needs."""
        self._refuse_without_role("exchange.record", actor_id)
        departments = self._check_departments(
            "participating_department_ids", participating_department_ids
        )
        if not isinstance(needs, list | tuple):
            raise InvalidValue("needs", "„Genannte Bedarfe“ muss eine Liste von Texten sein.")
        self._change(
            "exchange.record",
            actor_id,
            ExchangeSession,
            session_id,
            expected_version,
            lambda s, actor: s.record_held(
                held_on, departments, participant_count, notes, list(needs), actor
            ),
        )

    def cancel_exchange_session(
        self, actor_id: UUID, session_id: UUID, expected_version: int, reason: str
    ) -> None:
        """Call a planned session off, with a reason."""
        self._change(
            "exchange.cancel",
            actor_id,
            ExchangeSession,
            session_id,
            expected_version,
            lambda s, actor: s.cancel(reason, actor),
        )

    def get_exchange_session(self, session_id: UUID) -> ExchangeSessionView:
        """Return an exchange format session."""
        with self._storage():
            s: ExchangeSession = self._load(ExchangeSession, session_id)
        return ExchangeSessionView(
            id=s.id,
            version=s.version,
            kind=s.kind,
            status=s.status,
            scheduled_on=s.scheduled_on,
            topic=s.topic,
            host_person_id=s.host_person_id,
            round_department_id=s.round_department_id,
            invited_department_ids=tuple(s.invited_department_ids),
            held_on=s.held_on,
            participating_department_ids=tuple(s.participating_department_ids),
            participant_count=s.participant_count,
            notes=s.notes,
            needs=tuple(s.needs),
            cancellation_reason=s.cancellation_reason,
        )

    def exchange_session_actions(self, person_id: UUID, session_id: UUID) -> frozenset[str]:
        """The actions the person may take on the session now (for the page's forms)."""
        return self._offered(person_id, ExchangeSession, session_id, EXCHANGE_ACTIONS)

    # -- digital pilots --------------------------------------------------------------

    def nominate_pilot(
        self, actor_id: UUID, person_id: UUID, reason: str, session_id: UUID | None = None
    ) -> UUID:
        """Note a person as a candidate pilot (again, if withdrawn); return the pilot id."""
        self._refuse_without_role("pilot.nominate", actor_id)
        self._check_person("person_id", person_id)
        if session_id is not None:
            self._check_exchange_session("session_id", session_id)
        pilot_id = pilot_id_for(person_id)
        with self._storage():
            actor = self._actor("pilot.nominate", actor_id)
            existing = self._pilot_or_none(pilot_id)
            with using_clock(self.clock):
                if existing is None:
                    pilot = Pilot.nominate(
                        person_id=person_id, session_id=session_id, reason=reason, actor=actor
                    )
                elif existing.status == PilotStatus.WITHDRAWN:
                    pilot = existing
                    pilot.nominate_again(session_id, reason, actor)
                else:
                    raise DomainError(
                        "Diese Person ist bereits als Kandidatin, Kandidat oder Lotse vermerkt.",
                        code="pilot.already_noted",
                    )
            try:
                self.save(pilot)
            except IntegrityError:
                # Someone noted the same person at the same moment: one record wins.
                current = self._load(Pilot, pilot_id)
                raise self._conflict(pilot_id, pilot.version - 1, current.version) from None
        return pilot_id

    def confirm_pilot(
        self, actor_id: UUID, pilot_id: UUID, expected_version: int, note: str = ""
    ) -> None:
        """Confirm a candidate as a digital pilot."""
        self._change(
            "pilot.confirm",
            actor_id,
            Pilot,
            pilot_id,
            expected_version,
            lambda p, actor: p.confirm(note, actor),
        )

    def withdraw_pilot(
        self, actor_id: UUID, pilot_id: UUID, expected_version: int, reason: str
    ) -> None:
        """End a candidacy or a pilot role, with a reason."""
        self._change(
            "pilot.withdraw",
            actor_id,
            Pilot,
            pilot_id,
            expected_version,
            lambda p, actor: p.withdraw(reason, actor),
        )

    def get_pilot(self, pilot_id: UUID) -> PilotView:
        """Return a pilot record."""
        with self._storage():
            p: Pilot = self._load(Pilot, pilot_id)
        return PilotView(
            id=p.id,
            version=p.version,
            person_id=p.person_id,
            status=p.status,
            session_id=p.session_id,
            reason=p.reason,
            note=p.note,
        )

    def pilot_of_person(self, person_id: UUID) -> PilotView | None:
        """The person's pilot record, or None if they were never noted."""
        try:
            return self.get_pilot(pilot_id_for(person_id))
        except NotFound:
            return None

    def pilot_actions(self, person_id: UUID, pilot_id: UUID) -> frozenset[str]:
        """The actions the person may take on the pilot record now."""
        return self._offered(person_id, Pilot, pilot_id, PILOT_ACTIONS)

    # -- factions ----------------------------------------------------------------------

    def register_faction(self, actor_id: UUID, name: str, short_name: str) -> UUID:
        """Add a council faction to the list; return its id."""
        return self._create(
            "faction.register",
            actor_id,
            lambda actor: Faction.register(
                id=uuid4(), name=name, short_name=short_name, actor=actor
            ),
        )

    def rename_faction(
        self, actor_id: UUID, faction_id: UUID, expected_version: int, name: str, short_name: str
    ) -> None:
        """Give a faction a new name and short name."""
        self._change(
            "faction.rename",
            actor_id,
            Faction,
            faction_id,
            expected_version,
            lambda f, actor: f.rename(name, short_name, actor),
        )

    def retire_faction(
        self, actor_id: UUID, faction_id: UUID, expected_version: int, reason: str
    ) -> None:
        """Take a faction off the council's list, with a reason."""
        self._change(
            "faction.retire",
            actor_id,
            Faction,
            faction_id,
            expected_version,
            lambda f, actor: f.retire(reason, actor),
        )

    def get_faction(self, faction_id: UUID) -> FactionView:
        """Return a faction."""
        with self._storage():
            f: Faction = self._load(Faction, faction_id)
        return FactionView(
            id=f.id, version=f.version, name=f.name, short_name=f.short_name, status=f.status
        )

    def faction_actions(self, person_id: UUID, faction_id: UUID) -> frozenset[str]:
        """The actions the person may take on the faction now."""
        return self._offered(person_id, Faction, faction_id, FACTION_ACTIONS)

    # -- political rounds --------------------------------------------------------------

    def plan_political_round(
        self,
        actor_id: UUID,
        *,
        scheduled_on: dt.date,
        title: str,
        invited_faction_ids: Sequence[UUID] = (),
    ) -> UUID:
        """Plan a round with the factions' digital-policy speakers; return its id."""
        self._refuse_without_role("political_round.plan", actor_id)
        invited = self._check_factions("invited_faction_ids", invited_faction_ids)
        return self._create(
            "political_round.plan",
            actor_id,
            lambda actor: PoliticalRound.plan(
                id=uuid4(),
                scheduled_on=scheduled_on,
                title=title,
                invited_faction_ids=invited,
                actor=actor,
            ),
        )

    def record_political_round(
        self,
        actor_id: UUID,
        round_id: UUID,
        expected_version: int,
        *,
        held_on: dt.date,
        attending_faction_ids: Sequence[UUID],
        questions: Sequence[str] = (),
        suggestions: Sequence[str] = (),
        notes: str = "",
    ) -> None:
        """Record a round as held, with the attending factions, questions and suggestions."""
        self._refuse_without_role("political_round.record", actor_id)
        attending = self._check_factions("attending_faction_ids", attending_faction_ids)
        for field, value in (("questions", questions), ("suggestions", suggestions)):
            if not isinstance(value, list | tuple):
                raise InvalidValue(field, "Bitte eine Liste von Texten angeben.")
        self._change(
            "political_round.record",
            actor_id,
            PoliticalRound,
            round_id,
            expected_version,
            lambda r, actor: r.record_held(
                held_on, attending, list(questions), list(suggestions), notes, actor
            ),
        )

    def cancel_political_round(
        self, actor_id: UUID, round_id: UUID, expected_version: int, reason: str
    ) -> None:
        """Call a planned round off, with a reason."""
        self._change(
            "political_round.cancel",
            actor_id,
            PoliticalRound,
            round_id,
            expected_version,
            lambda r, actor: r.cancel(reason, actor),
        )

    def adopt_round_suggestion(
        self,
        actor_id: UUID,
        round_id: UUID,
        expected_version: int,
        *,
        suggestion_index: int,
        department_id: UUID,
        title: str,
        summary: str,
        description: str = "",
        themes: Sequence[str] = (),
    ) -> UUID:
        """Turn a round's suggestion into an idea of `department_id` (origin: the round).

        The idea and the round's note of it are stored together, or neither is.
        """
        self._refuse_without_role("political_round.adopt_suggestion", actor_id)
        self._check_department("department_id", department_id)
        idea_id = uuid4()

        def adopt(political_round: PoliticalRound, actor: Actor) -> list[PlannerAggregate]:
            political_round.adopt_suggestion(suggestion_index, idea_id, actor)
            idea = Idea.submit(
                id=idea_id,
                title=title,
                summary=summary,
                description=description,
                themes=list(themes),
                department_id=department_id,
                origin="Politische Runde",
                origin_round_id=political_round.id,
                actor=actor,
            )
            return [idea]

        self._change(
            "political_round.adopt_suggestion",
            actor_id,
            PoliticalRound,
            round_id,
            expected_version,
            adopt,
        )
        return idea_id

    def get_political_round(self, round_id: UUID) -> PoliticalRoundView:
        """Return a political round."""
        with self._storage():
            r: PoliticalRound = self._load(PoliticalRound, round_id)
        return PoliticalRoundView(
            id=r.id,
            version=r.version,
            status=r.status,
            scheduled_on=r.scheduled_on,
            title=r.title,
            invited_faction_ids=tuple(r.invited_faction_ids),
            held_on=r.held_on,
            attending_faction_ids=tuple(r.attending_faction_ids),
            questions=tuple(r.questions),
            suggestions=tuple(
                RoundSuggestion(index=i, text=s["text"], idea_id=s["idea_id"])
                for i, s in enumerate(r.suggestions)
            ),
            notes=r.notes,
            cancellation_reason=r.cancellation_reason,
        )

    def political_round_actions(self, person_id: UUID, round_id: UUID) -> frozenset[str]:
        """The actions the person may take on the round now."""
        return self._offered(person_id, PoliticalRound, round_id, ROUND_ACTIONS)

    # -- internals ---------------------------------------------------------------------

    def _offered(
        self, person_id: UUID, cls: type[A], aggregate_id: UUID, actions: dict[str, str]
    ) -> frozenset[str]:
        with self._storage():
            person = self._person_or_none(person_id)
            if person is None:
                return frozenset()
            aggregate = self._load(cls, aggregate_id)
        return frozenset(
            action
            for action, permission in actions.items()
            if aggregate.stage_allows(action) and permitted_role(permission, person)
        )

    def _pilot_or_none(self, pilot_id: UUID) -> Pilot | None:
        try:
            return self._load(Pilot, pilot_id)
        except NotFound:
            return None

    def _check_person(self, field: str, person_id: object) -> None:
        try:
            with self._storage():
                person: Person = self._load(Person, person_id)
        except NotFound:
            raise InvalidValue(field, "Diese Person ist im Planer nicht bekannt.") from None
        if not person.active:
            raise InvalidValue(field, "Diese Person ist deaktiviert.")

    def _check_department(self, field: str, department_id: object) -> None:
        try:
            with self._storage():
                self._load(Department, department_id)
        except NotFound:
            raise InvalidValue(field, "Diesen Fachbereich gibt es nicht.") from None

    def _check_departments(self, field: str, department_ids: object) -> list[UUID]:
        if not isinstance(department_ids, list | tuple):
            raise InvalidValue(field, "Die Fachbereiche sind ungültig angegeben.")
        for department_id in department_ids:
            self._check_department(field, department_id)
        return list(department_ids)

    def _check_factions(self, field: str, faction_ids: object) -> list[UUID]:
        if not isinstance(faction_ids, list | tuple):
            raise InvalidValue(field, "Die Fraktionen sind ungültig angegeben.")
        for faction_id in faction_ids:
            try:
                with self._storage():
                    self._load(Faction, faction_id)
            except NotFound:
                raise InvalidValue(field, "Diese Fraktion gibt es nicht.") from None
        return list(faction_ids)

    def _check_exchange_session(self, field: str, session_id: object) -> ExchangeSession:
        try:
            with self._storage():
                session: ExchangeSession = self._load(ExchangeSession, session_id)
        except NotFound:
            raise InvalidValue(field, "Dieses Austauschformat gibt es nicht.") from None
        return session

    def _check_origin_session(self, session_id: object) -> None:
        """An idea can only come from a session that has taken place."""
        session = self._check_exchange_session("origin_session_id", session_id)
        if session.status != ExchangeStatus.HELD:
            raise InvalidValue(
                "origin_session_id",
                "Ideen können nur aus einem durchgeführten Austauschformat stammen.",
            )
