"""The Pilot aggregate: a person noted as a digital pilot (Digitallotsin / Digitallotse).

The coordination notes a person as a candidate (often met at an exchange format, always
with a reason), then confirms or withdraws. There is one Pilot per person (its id derives
from the person's id), so a person is never listed twice; a withdrawn pilot can be noted
again later.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID, uuid5

from eventsourcing.domain import event

from ideation.domain.actor import Actor
from ideation.domain.base import PlannerAggregate, check_optional_text, check_reason
from ideation.domain.errors import N_

PILOT_NAMESPACE = UUID("8c1f2a3b-4d5e-5f60-8172-93a4b5c6d7e8")


def pilot_id_for(person_id: UUID) -> UUID:
    """The id of a person's pilot record: one per person."""
    return uuid5(PILOT_NAMESPACE, str(person_id))


class PilotStatus(StrEnum):
    CANDIDATE = "candidate"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"


PILOT_STATUS_LABELS = {
    PilotStatus.CANDIDATE: N_("Kandidatin / Kandidat"),
    PilotStatus.CONFIRMED: N_("Digitallotsin / Digitallotse"),
    PilotStatus.WITHDRAWN: N_("Zurückgezogen"),
}

PILOT_ACTION_STATUSES: dict[str, tuple[str, ...]] = {
    "confirm": (PilotStatus.CANDIDATE,),
    "withdraw": (PilotStatus.CANDIDATE, PilotStatus.CONFIRMED),
    "nominate_again": (PilotStatus.WITHDRAWN,),
}


class Pilot(PlannerAggregate):
    """A person's standing as a digital pilot: candidate, confirmed or withdrawn."""

    error_prefix = "pilot"

    @classmethod
    def nominate(
        cls, *, person_id: UUID, session_id: UUID | None, reason: str, actor: Actor
    ) -> Pilot:
        """Note a person as a candidate, with the reason and the session they were met at."""
        return cls(
            id=pilot_id_for(person_id),
            person_id=person_id,
            session_id=session_id,
            reason=check_reason(reason, "Als Kandidatin / Kandidat vormerken"),
            actor=actor,
        )

    @event("Nominated")
    def __init__(
        self,
        id: UUID,  # noqa: A002
        person_id: UUID,
        session_id: UUID | None,
        reason: str,
        actor: Actor,
    ) -> None:
        self.person_id = person_id
        self.session_id = session_id
        self.reason = reason
        self.status = PilotStatus.CANDIDATE.value
        self.note = ""

    @property
    def status_label(self) -> str:
        return PILOT_STATUS_LABELS[PilotStatus(self.status)]

    def stage_allows(self, action: str) -> bool:
        """Tell whether the pilot's stage allows `action`."""
        return self.status in PILOT_ACTION_STATUSES[action]

    def check_stage(self, action: str, action_label: str) -> None:
        """Raise IllegalTransition unless the stage allows `action`."""
        self.check_stage_allows(
            action,
            PILOT_ACTION_STATUSES[action],
            subject=N_("Die Lotsenschaft"),
            action_label=action_label,
        )

    def confirm(self, note: str, actor: Actor) -> None:
        """Confirm the candidate as a digital pilot."""
        self.check_stage("confirm", "Als Digitallotsin / -lotse bestätigen")
        self._confirm(
            note=check_optional_text("note", note, "Hinweis", max_length=2000), actor=actor
        )

    @event("Confirmed")
    def _confirm(self, note: str, actor: Actor) -> None:
        self.note = note
        self.status = PilotStatus.CONFIRMED.value

    def withdraw(self, reason: str, actor: Actor) -> None:
        """End the candidacy or the pilot role, with a reason."""
        self.check_stage("withdraw", "Zurückziehen")
        self._withdraw(reason=check_reason(reason, "Zurückziehen"), actor=actor)

    @event("Withdrawn")
    def _withdraw(self, reason: str, actor: Actor) -> None:
        self.reason = reason
        self.status = PilotStatus.WITHDRAWN.value

    def nominate_again(self, session_id: UUID | None, reason: str, actor: Actor) -> None:
        """Note a withdrawn pilot as a candidate once more."""
        self.check_stage("nominate_again", "Als Kandidatin / Kandidat vormerken")
        self._nominate_again(
            session_id=session_id,
            reason=check_reason(reason, "Als Kandidatin / Kandidat vormerken"),
            actor=actor,
        )

    @event("Renominated")
    def _nominate_again(self, session_id: UUID | None, reason: str, actor: Actor) -> None:
        self.session_id = session_id
        self.reason = reason
        self.note = ""
        self.status = PilotStatus.CANDIDATE.value
