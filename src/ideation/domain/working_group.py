"""The WorkingGroup aggregate: people from several departments refining ideas."""

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
from ideation.domain.errors import N_, DomainError, InvalidValue


class WorkingGroupStatus(StrEnum):
    ACTIVE = "active"
    DISSOLVED = "dissolved"


WORKING_GROUP_STATUS_LABELS = {
    WorkingGroupStatus.ACTIVE: N_("Aktiv"),
    WorkingGroupStatus.DISSOLVED: N_("Aufgelöst"),
}


class MeetingFormat(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


MEETING_FORMAT_LABELS = {
    MeetingFormat.IN_PERSON: N_("Präsenz"),
    MeetingFormat.ONLINE: N_("Online"),
    MeetingFormat.HYBRID: N_("Hybrid"),
}


class WorkingGroup(PlannerAggregate):
    """A working group (Arbeitsgruppe) with a mandate and members."""

    error_prefix = "working_group"

    @classmethod
    def form(
        cls,
        *,
        id: UUID,  # noqa: A002
        name: str,
        mandate: str,
        lead_department_id: UUID,
        actor: Actor,
    ) -> WorkingGroup:
        """Check name and mandate and found the group."""
        return cls(
            id=id,
            name=check_text("name", name, "Name", min_length=3, max_length=200),
            mandate=check_text("mandate", mandate, "Auftrag", max_length=5000),
            lead_department_id=lead_department_id,
            actor=actor,
        )

    @event("Formed")
    def __init__(
        self,
        id: UUID,  # noqa: A002
        name: str,
        mandate: str,
        lead_department_id: UUID,
        actor: Actor,
    ) -> None:
        self.name = name
        self.mandate = mandate
        self.lead_department_id = lead_department_id
        self.members: list[UUID] = []
        self.meetings: list[dict[str, Any]] = []
        self.status = WorkingGroupStatus.ACTIVE.value
        self.dissolution_reason = ""

    @property
    def status_label(self) -> str:
        return WORKING_GROUP_STATUS_LABELS[WorkingGroupStatus(self.status)]

    @property
    def is_active(self) -> bool:
        return self.status == WorkingGroupStatus.ACTIVE

    def add_member(self, person_id: UUID, actor: Actor) -> None:
        """Take a person into the group."""
        self.check_active("add_member", "Mitglied aufnehmen")
        if person_id in self.members:
            raise DomainError(
                "Diese Person ist bereits Mitglied der Arbeitsgruppe.",
                code="working_group.already_member",
            )
        self._add_member(person_id=person_id, actor=actor)

    @event("MemberAdded")
    def _add_member(self, person_id: UUID, actor: Actor) -> None:
        self.members.append(person_id)

    def remove_member(self, person_id: UUID, note: str, actor: Actor) -> None:
        """Let a person leave the group."""
        self.check_active("remove_member", "Mitglied ausscheiden lassen")
        if person_id not in self.members:
            raise DomainError(
                "Diese Person ist kein Mitglied der Arbeitsgruppe.",
                code="working_group.not_member",
            )
        note = check_optional_text("note", note, "Hinweis", max_length=2000)
        self._remove_member(person_id=person_id, note=note, actor=actor)

    @event("MemberRemoved")
    def _remove_member(self, person_id: UUID, note: str, actor: Actor) -> None:
        self.members.remove(person_id)

    def record_meeting(
        self,
        held_on: dt.date,
        format: str,  # noqa: A002 - the glossary's word
        notes: str,
        decisions: str,
        idea_ids: list[UUID],
        actor: Actor,
    ) -> None:
        """Record a meeting with its notes, decisions and the ideas it dealt with."""
        self.check_active("record_meeting", "Sitzung protokollieren")
        if not isinstance(held_on, dt.date) or isinstance(held_on, dt.datetime):
            raise InvalidValue("held_on", "Bitte ein gültiges Sitzungsdatum angeben.")
        if format not in tuple(MeetingFormat):
            raise InvalidValue("format", "Das Format muss Präsenz, Online oder Hybrid sein.")
        if not isinstance(idea_ids, list | tuple) or not all(
            isinstance(idea_id, UUID) for idea_id in idea_ids
        ):
            raise InvalidValue("idea_ids", "Die besprochenen Ideen sind ungültig angegeben.")
        self._record_meeting(
            held_on=held_on,
            format=str(format),
            notes=check_text("notes", notes, "Protokoll", max_length=20000),
            decisions=check_optional_text("decisions", decisions, "Beschlüsse"),
            idea_ids=list(dict.fromkeys(idea_ids)),
            actor=actor,
        )

    @event("MeetingRecorded")
    def _record_meeting(
        self,
        held_on: dt.date,
        format: str,  # noqa: A002
        notes: str,
        decisions: str,
        idea_ids: list[UUID],
        actor: Actor,
    ) -> None:
        self.meetings.append(
            {
                "held_on": held_on,
                "format": format,
                "notes": notes,
                "decisions": decisions,
                "idea_ids": list(idea_ids),
            }
        )

    def dissolve(self, reason: str, actor: Actor) -> None:
        """Dissolve the group, with a reason."""
        self.check_active("dissolve", "Arbeitsgruppe auflösen")
        self._dissolve(reason=check_reason(reason, "Arbeitsgruppe auflösen"), actor=actor)

    @event("Dissolved")
    def _dissolve(self, reason: str, actor: Actor) -> None:
        self.dissolution_reason = reason
        self.status = WorkingGroupStatus.DISSOLVED.value

    def stage_allows(self, action: str) -> bool:
        """Tell whether the group's state allows `action` (only an active group acts)."""
        return self.is_active

    def check_active(self, action: str, action_label: str) -> None:
        """Raise IllegalTransition unless the group is active."""
        self.check_stage_allows(
            action,
            (WorkingGroupStatus.ACTIVE,),
            subject=N_("Die Arbeitsgruppe"),
            action_label=action_label,
        )
