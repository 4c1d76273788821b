"""Council factions and political rounds (Politische Runden) with their digital-policy speakers.

Factions are a managed list. The coordination plans a round, records it as held with the
attending factions and the questions and suggestions raised; a suggestion can become an
idea (origin "Politische Runde"), which the round remembers.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from ideation.domain.actor import Actor
from ideation.domain.base import (
    PlannerAggregate,
    check_optional_text,
    check_reason,
    check_text,
)
from ideation.domain.errors import N_, DomainError, InvalidValue, msg
from ideation.domain.exchange import check_text_list
from ideation.domain.measure import check_date

MAX_ENTRIES = 50
MAX_ENTRY_LENGTH = 1000
MAX_FACTIONS = 30


class FactionStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


FACTION_STATUS_LABELS = {
    FactionStatus.ACTIVE: N_("Im Rat vertreten"),
    FactionStatus.RETIRED: N_("Nicht mehr im Rat"),
}


class Faction(PlannerAggregate):
    """A council faction (Ratsfraktion) whose digital-policy speaker the rounds invite."""

    error_prefix = "faction"

    @classmethod
    def register(
        cls,
        *,
        id: UUID,  # noqa: A002
        name: str,
        short_name: str,
        actor: Actor,
    ) -> Faction:
        """Check the names and add the faction to the list."""
        return cls(
            id=id,
            name=check_text("name", name, "Name", min_length=2, max_length=200),
            short_name=check_text("short_name", short_name, "Kurzname", max_length=30),
            actor=actor,
        )

    @event("Registered")
    def __init__(
        self,
        id: UUID,  # noqa: A002
        name: str,
        short_name: str,
        actor: Actor,
    ) -> None:
        self.name = name
        self.short_name = short_name
        self.status = FactionStatus.ACTIVE.value
        self.retirement_reason = ""

    @property
    def status_label(self) -> str:
        return FACTION_STATUS_LABELS[FactionStatus(self.status)]

    @property
    def is_active(self) -> bool:
        return self.status == FactionStatus.ACTIVE

    def stage_allows(self, action: str) -> bool:
        """Only a faction still in the council is renamed or retired."""
        return self.is_active

    def check_active(self, action: str, action_label: str) -> None:
        """Raise IllegalTransition unless the faction is in the council."""
        self.check_stage_allows(
            action,
            (FactionStatus.ACTIVE,),
            subject=N_("Die Fraktion"),
            action_label=action_label,
        )

    def rename(self, name: str, short_name: str, actor: Actor) -> None:
        """Give the faction a new name and short name."""
        self.check_active("rename", "Fraktion umbenennen")
        name = check_text("name", name, "Name", min_length=2, max_length=200)
        short_name = check_text("short_name", short_name, "Kurzname", max_length=30)
        if (name, short_name) == (self.name, self.short_name):
            raise DomainError("Es wurde nichts geändert.", code="faction.no_changes")
        self._rename(name=name, short_name=short_name, actor=actor)

    @event("Renamed")
    def _rename(self, name: str, short_name: str, actor: Actor) -> None:
        self.name = name
        self.short_name = short_name

    def retire(self, reason: str, actor: Actor) -> None:
        """Take the faction off the list of the council (after an election), with a reason."""
        self.check_active("retire", "Fraktion austragen")
        self._retire(reason=check_reason(reason, "Fraktion austragen"), actor=actor)

    @event("Retired")
    def _retire(self, reason: str, actor: Actor) -> None:
        self.retirement_reason = reason
        self.status = FactionStatus.RETIRED.value


class RoundStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


ROUND_STATUS_LABELS = {
    RoundStatus.PLANNED: N_("Geplant"),
    RoundStatus.HELD: N_("Durchgeführt"),
    RoundStatus.CANCELLED: N_("Abgesagt"),
}

ROUND_ACTION_STATUSES: dict[str, tuple[str, ...]] = {
    "record": (RoundStatus.PLANNED,),
    "cancel": (RoundStatus.PLANNED,),
    "adopt_suggestion": (RoundStatus.HELD,),
}


def check_faction_ids(field: str, value: object, label: str) -> list[UUID]:
    """Return a de-duplicated list of faction ids, or raise InvalidValue."""
    if not isinstance(value, list | tuple) or not all(isinstance(v, UUID) for v in value):
        raise InvalidValue(field, msg("„%(label)s“ ist ungültig angegeben.", label=label))
    ids = list(dict.fromkeys(value))
    if len(ids) > MAX_FACTIONS:
        raise InvalidValue(field, msg("„%(label)s“: zu viele Einträge.", label=label))
    return ids


class PoliticalRound(PlannerAggregate):
    """A round with the factions' digital-policy speakers, from planning to its record."""

    error_prefix = "political_round"

    @classmethod
    def plan(
        cls,
        *,
        id: UUID,  # noqa: A002
        scheduled_on: dt.date,
        title: str,
        invited_faction_ids: list[UUID],
        actor: Actor,
    ) -> PoliticalRound:
        """Check the plan of a round."""
        return cls(
            id=id,
            scheduled_on=check_date("scheduled_on", scheduled_on, "Datum"),
            title=check_text("title", title, "Titel", min_length=3, max_length=200),
            invited_faction_ids=check_faction_ids(
                "invited_faction_ids", invited_faction_ids, "Eingeladene Fraktionen"
            ),
            actor=actor,
        )

    @event("Planned")
    def __init__(
        self,
        id: UUID,  # noqa: A002
        scheduled_on: dt.date,
        title: str,
        invited_faction_ids: list[UUID],
        actor: Actor,
    ) -> None:
        self.scheduled_on = scheduled_on
        self.title = title
        self.invited_faction_ids = list(invited_faction_ids)
        self.status = RoundStatus.PLANNED.value
        self.held_on: dt.date | None = None
        self.attending_faction_ids: list[UUID] = []
        self.questions: list[str] = []
        self.suggestions: list[dict[str, Any]] = []
        self.notes = ""
        self.cancellation_reason = ""

    @property
    def status_label(self) -> str:
        return ROUND_STATUS_LABELS[RoundStatus(self.status)]

    def stage_allows(self, action: str) -> bool:
        """Tell whether the round's stage allows `action`."""
        return self.status in ROUND_ACTION_STATUSES[action]

    def check_stage(self, action: str, action_label: str) -> None:
        """Raise IllegalTransition unless the stage allows `action`."""
        self.check_stage_allows(
            action,
            ROUND_ACTION_STATUSES[action],
            subject=N_("Die Politische Runde"),
            action_label=action_label,
        )

    def record_held(
        self,
        held_on: dt.date,
        attending_faction_ids: list[UUID],
        questions: list[str],
        suggestions: list[str],
        notes: str,
        actor: Actor,
    ) -> None:
        """Record the round: who attended, which questions and suggestions came up."""
        self.check_stage("record", "Runde festhalten")
        factions = check_faction_ids(
            "attending_faction_ids", attending_faction_ids, "Anwesende Fraktionen"
        )
        if not factions:
            raise InvalidValue(
                "attending_faction_ids", "Bitte mindestens eine anwesende Fraktion angeben."
            )
        self._record_held(
            held_on=check_date("held_on", held_on, "Durchgeführt am"),
            attending_faction_ids=factions,
            questions=check_text_list(
                "questions", questions, "Fragen", limit=MAX_ENTRIES, length=MAX_ENTRY_LENGTH
            ),
            suggestions=check_text_list(
                "suggestions",
                suggestions,
                "Anregungen",
                limit=MAX_ENTRIES,
                length=MAX_ENTRY_LENGTH,
            ),
            notes=check_optional_text("notes", notes, "Notizen"),
            actor=actor,
        )

    @event("Held")
    def _record_held(
        self,
        held_on: dt.date,
        attending_faction_ids: list[UUID],
        questions: list[str],
        suggestions: list[str],
        notes: str,
        actor: Actor,
    ) -> None:
        self.held_on = held_on
        self.attending_faction_ids = list(attending_faction_ids)
        self.questions = list(questions)
        self.suggestions = [{"text": text, "idea_id": None} for text in suggestions]
        self.notes = notes
        self.status = RoundStatus.HELD.value

    def adopt_suggestion(self, index: int, idea_id: UUID, actor: Actor) -> None:
        """Remember that suggestion `index` became the idea `idea_id`."""
        self.check_stage("adopt_suggestion", "Anregung als Idee übernehmen")
        if isinstance(index, bool) or not isinstance(index, int):
            raise InvalidValue("suggestion", "Diese Anregung gibt es nicht.")
        if not 0 <= index < len(self.suggestions):
            raise InvalidValue("suggestion", "Diese Anregung gibt es nicht.")
        if self.suggestions[index]["idea_id"] is not None:
            raise DomainError(
                "Diese Anregung wurde bereits als Idee übernommen.",
                code="political_round.already_adopted",
            )
        self._adopt_suggestion(index=index, idea_id=idea_id, actor=actor)

    @event("SuggestionAdopted")
    def _adopt_suggestion(self, index: int, idea_id: UUID, actor: Actor) -> None:
        self.suggestions[index]["idea_id"] = idea_id

    def cancel(self, reason: str, actor: Actor) -> None:
        """Call a planned round off, with a reason."""
        self.check_stage("cancel", "Runde absagen")
        self._cancel(reason=check_reason(reason, "Runde absagen"), actor=actor)

    @event("Cancelled")
    def _cancel(self, reason: str, actor: Actor) -> None:
        self.cancellation_reason = reason
        self.status = RoundStatus.CANCELLED.value
