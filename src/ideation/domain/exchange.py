"""The ExchangeSession aggregate: one low-threshold exchange format (Austauschformat).

The coordination plans a session of a kind (Sprechstunde, Online-Q&A, a visit to a
department's Abstimmungsrunde, Stammtisch, Fachkonferenz/Festival) and records it as held,
with the departments that took part and the needs they raised. Ideas name the session
they came from (`Idea.origin_session_id`).
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
    check_int_range,
    check_optional_text,
    check_reason,
    check_text,
)
from ideation.domain.errors import N_, DomainError, InvalidValue, msg
from ideation.domain.measure import check_date


class ExchangeKind(StrEnum):
    CONSULTATION_HOUR = "consultation_hour"
    ONLINE_QA = "online_qa"
    ROUND_VISIT = "round_visit"
    REGULARS_TABLE = "regulars_table"
    CONFERENCE = "conference"


EXCHANGE_KIND_LABELS = {
    ExchangeKind.CONSULTATION_HOUR: N_("Sprechstunde"),
    ExchangeKind.ONLINE_QA: N_("Online-Q&A"),
    ExchangeKind.ROUND_VISIT: N_("Besuch in einer Abstimmungsrunde"),
    ExchangeKind.REGULARS_TABLE: N_("Stammtisch"),
    ExchangeKind.CONFERENCE: N_("Fachkonferenz / Festival"),
}


class ExchangeStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


EXCHANGE_STATUS_LABELS = {
    ExchangeStatus.PLANNED: N_("Geplant"),
    ExchangeStatus.HELD: N_("Durchgeführt"),
    ExchangeStatus.CANCELLED: N_("Abgesagt"),
}

# The stages in which each action is possible (ADR 0004: one table for guards and pages).
EXCHANGE_ACTION_STATUSES: dict[str, tuple[str, ...]] = {
    "reschedule": (ExchangeStatus.PLANNED,),
    "record": (ExchangeStatus.PLANNED,),
    "cancel": (ExchangeStatus.PLANNED,),
}

MAX_NEEDS = 50
MAX_NEED_LENGTH = 500
MAX_PARTICIPANTS = 100_000
MAX_DEPARTMENTS = 200


def check_kind(kind: object) -> str:
    """Return a valid exchange kind, or raise InvalidValue."""
    if kind not in tuple(ExchangeKind):
        raise InvalidValue("kind", "Bitte eine der angebotenen Formate wählen.")
    return str(kind)


def check_department_ids(field: str, value: object, label: str) -> list[UUID]:
    """Return a de-duplicated list of department ids, or raise InvalidValue."""
    if not isinstance(value, list | tuple) or not all(isinstance(v, UUID) for v in value):
        raise InvalidValue(field, msg("„%(label)s“ ist ungültig angegeben.", label=label))
    ids = list(dict.fromkeys(value))
    if len(ids) > MAX_DEPARTMENTS:
        raise InvalidValue(field, msg("„%(label)s“: zu viele Einträge.", label=label))
    return ids


def check_text_list(field: str, value: object, label: str, *, limit: int, length: int) -> list[str]:
    """Return the non-empty stripped entries of a list of short texts."""
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidValue(field, msg("„%(label)s“ muss eine Liste von Texten sein.", label=label))
    entries = [check_text(field, v, label, max_length=length) for v in value if v.strip()]
    if len(entries) > limit:
        raise InvalidValue(
            field, msg("„%(label)s“: höchstens %(n)s Einträge.", label=label, n=limit)
        )
    return entries


class ExchangeSession(PlannerAggregate):
    """A session of an exchange format, from planning to being held (or cancelled)."""

    error_prefix = "exchange"

    @classmethod
    def plan(
        cls,
        *,
        id: UUID,  # noqa: A002
        kind: str,
        scheduled_on: dt.date,
        topic: str,
        host_person_id: UUID,
        round_department_id: UUID | None,
        invited_department_ids: list[UUID],
        actor: Actor,
    ) -> ExchangeSession:
        """Check the plan: a visit to an Abstimmungsrunde names whose round it is."""
        kind = check_kind(kind)
        if kind == ExchangeKind.ROUND_VISIT and round_department_id is None:
            raise InvalidValue(
                "round_department_id",
                "Bitte angeben, in welcher Abstimmungsrunde der Besuch stattfindet.",
            )
        if kind != ExchangeKind.ROUND_VISIT:
            round_department_id = None
        return cls(
            id=id,
            kind=kind,
            scheduled_on=check_date("scheduled_on", scheduled_on, "Datum"),
            topic=check_text("topic", topic, "Thema", min_length=3, max_length=200),
            host_person_id=host_person_id,
            round_department_id=round_department_id,
            invited_department_ids=check_department_ids(
                "invited_department_ids", invited_department_ids, "Eingeladene Fachbereiche"
            ),
            actor=actor,
        )

    @event("Planned")
    def __init__(
        self,
        id: UUID,  # noqa: A002
        kind: str,
        scheduled_on: dt.date,
        topic: str,
        host_person_id: UUID,
        round_department_id: UUID | None,
        invited_department_ids: list[UUID],
        actor: Actor,
    ) -> None:
        self.kind = kind
        self.scheduled_on = scheduled_on
        self.topic = topic
        self.host_person_id = host_person_id
        self.round_department_id = round_department_id
        self.invited_department_ids = list(invited_department_ids)
        self.status = ExchangeStatus.PLANNED.value
        self.held_on: dt.date | None = None
        self.participating_department_ids: list[UUID] = []
        self.participant_count = 0
        self.notes = ""
        self.needs: list[str] = []
        self.cancellation_reason = ""
        self.reschedulings: list[dict[str, Any]] = []

    @property
    def status_label(self) -> str:
        return EXCHANGE_STATUS_LABELS[ExchangeStatus(self.status)]

    @property
    def kind_label(self) -> str:
        return EXCHANGE_KIND_LABELS[ExchangeKind(self.kind)]

    def stage_allows(self, action: str) -> bool:
        """Tell whether the session's stage allows `action`."""
        return self.status in EXCHANGE_ACTION_STATUSES[action]

    def check_stage(self, action: str, action_label: str) -> None:
        """Raise IllegalTransition unless the stage allows `action`."""
        self.check_stage_allows(
            action,
            EXCHANGE_ACTION_STATUSES[action],
            subject=N_("Das Austauschformat"),
            action_label=action_label,
        )

    def reschedule(self, scheduled_on: dt.date, note: str, actor: Actor) -> None:
        """Move a planned session to another date."""
        self.check_stage("reschedule", "Verschieben")
        scheduled_on = check_date("scheduled_on", scheduled_on, "Datum")
        if scheduled_on == self.scheduled_on:
            raise DomainError("Das Datum ist unverändert.", code="exchange.no_changes")
        self._reschedule(
            scheduled_on=scheduled_on,
            note=check_optional_text("note", note, "Hinweis", max_length=2000),
            actor=actor,
        )

    @event("Rescheduled")
    def _reschedule(self, scheduled_on: dt.date, note: str, actor: Actor) -> None:
        self.reschedulings.append({"from": self.scheduled_on, "to": scheduled_on, "note": note})
        self.scheduled_on = scheduled_on

    def record_held(
        self,
        held_on: dt.date,
        participating_department_ids: list[UUID],
        participant_count: int,
        notes: str,
        needs: list[str],
        actor: Actor,
    ) -> None:
        """Record that the session took place: who came, how many, what they need."""
        self.check_stage("record", "Als durchgeführt festhalten")
        departments = check_department_ids(
            "participating_department_ids",
            participating_department_ids,
            "Teilnehmende Fachbereiche",
        )
        if not departments:
            raise InvalidValue(
                "participating_department_ids",
                "Bitte mindestens einen teilnehmenden Fachbereich angeben.",
            )
        count = check_int_range(
            "participant_count", participant_count, "Teilnehmende", 1, MAX_PARTICIPANTS
        )
        self._record_held(
            held_on=check_date("held_on", held_on, "Durchgeführt am"),
            participating_department_ids=departments,
            participant_count=count,
            notes=check_optional_text("notes", notes, "Notizen"),
            needs=check_text_list(
                "needs", needs, "Genannte Bedarfe", limit=MAX_NEEDS, length=MAX_NEED_LENGTH
            ),
            actor=actor,
        )

    @event("Held")
    def _record_held(
        self,
        held_on: dt.date,
        participating_department_ids: list[UUID],
        participant_count: int,
        notes: str,
        needs: list[str],
        actor: Actor,
    ) -> None:
        self.held_on = held_on
        self.participating_department_ids = list(participating_department_ids)
        self.participant_count = participant_count
        self.notes = notes
        self.needs = list(needs)
        self.status = ExchangeStatus.HELD.value

    def cancel(self, reason: str, actor: Actor) -> None:
        """Call a planned session off, with a reason."""
        self.check_stage("cancel", "Absagen")
        self._cancel(reason=check_reason(reason, "Absagen"), actor=actor)

    @event("Cancelled")
    def _cancel(self, reason: str, actor: Actor) -> None:
        self.cancellation_reason = reason
        self.status = ExchangeStatus.CANCELLED.value
