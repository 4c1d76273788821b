"""The Measure aggregate: an accepted idea being implemented, with goals and milestones."""

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
from ideation.domain.errors import N_, DomainError, IllegalTransition, InvalidValue, msg


class MeasureStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    CANCELLED = "cancelled"


MEASURE_STATUS_LABELS = {
    MeasureStatus.PLANNED: N_("Geplant"),
    MeasureStatus.IN_PROGRESS: N_("In Umsetzung"),
    MeasureStatus.IMPLEMENTED: N_("Umgesetzt"),
    MeasureStatus.CANCELLED: N_("Abgebrochen"),
}

RUNNING_STATUSES = (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)
# The stages in which each action is possible; the guards and the pages' offered actions
# read this one table.
MEASURE_ACTION_STATUSES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "set_goal",
            "revise_goal",
            "note_approach",
            "add_milestone",
            "reach_milestone",
            "report_progress",
            "block",
            "unblock",
            "cancel",
        ),
        RUNNING_STATUSES,
    ),
    "implement": (MeasureStatus.IN_PROGRESS,),
    "record_benefit": (MeasureStatus.IN_PROGRESS, MeasureStatus.IMPLEMENTED),
}


def check_date(field: str, value: object, label: str) -> dt.date:
    """Return a calendar date, or raise InvalidValue."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidValue(
            field, msg("Bitte ein gültiges Datum für „%(label)s“ angeben.", label=label)
        )
    return value


class Measure(PlannerAggregate):
    """A measure (Maßnahme): goals are set, the way to reach them stays open."""

    error_prefix = "measure"

    @classmethod
    def plan(
        cls,
        *,
        id: UUID,  # noqa: A002
        idea_id: UUID,
        working_group_id: UUID,
        owner_department_id: UUID,
        title: str,
        quick_win: bool,
        actor: Actor,
    ) -> Measure:
        """Plan the measure for an accepted idea."""
        return cls(
            id=id,
            idea_id=idea_id,
            working_group_id=working_group_id,
            owner_department_id=owner_department_id,
            title=check_text("title", title, "Titel", min_length=3, max_length=200),
            quick_win=bool(quick_win),
            actor=actor,
        )

    @event("Planned")
    def __init__(
        self,
        id: UUID,  # noqa: A002
        idea_id: UUID,
        working_group_id: UUID,
        owner_department_id: UUID,
        title: str,
        quick_win: bool,
        actor: Actor,
    ) -> None:
        self.idea_id = idea_id
        self.working_group_id = working_group_id
        self.owner_department_id = owner_department_id
        self.title = title
        self.quick_win = quick_win
        self.status = MeasureStatus.PLANNED.value
        self.goals: list[dict[str, Any]] = []
        self.approach = ""
        self.milestones: list[dict[str, Any]] = []
        self.progress = 0
        self.progress_note = ""
        self.blocked = False
        self.block_reason = ""
        self.implemented_on: dt.date | None = None
        self.outcome = ""
        self.benefits: list[dict[str, Any]] = []
        self.cancel_reason = ""

    @property
    def status_label(self) -> str:
        return MEASURE_STATUS_LABELS[MeasureStatus(self.status)]

    def goal(self, goal_id: UUID) -> dict[str, Any]:
        """Return the goal with the given id, or raise a domain error."""
        for goal in self.goals:
            if goal["goal_id"] == goal_id:
                return goal
        raise DomainError("Dieses Ziel gibt es bei der Maßnahme nicht.", code="measure.no_goal")

    def milestone(self, milestone_id: UUID) -> dict[str, Any]:
        """Return the milestone with the given id, or raise a domain error."""
        for milestone in self.milestones:
            if milestone["milestone_id"] == milestone_id:
                return milestone
        raise DomainError(
            "Diesen Meilenstein gibt es bei der Maßnahme nicht.", code="measure.no_milestone"
        )

    # -- goals and the open way --------------------------------------------

    def set_goal(
        self, goal_id: UUID, statement: str, indicator: str, target: str, actor: Actor
    ) -> None:
        """Set a goal: what the measure must achieve, measured by an indicator."""
        self.check_running("set_goal", "Ziel festlegen")
        if any(g["goal_id"] == goal_id for g in self.goals):
            raise DomainError("Dieses Ziel ist bereits festgelegt.", code="measure.goal_exists")
        self._set_goal(
            goal_id=goal_id, actor=actor, **self._clean_goal(statement, indicator, target)
        )

    @staticmethod
    def _clean_goal(statement: str, indicator: str, target: str) -> dict[str, str]:
        return {
            "statement": check_text("statement", statement, "Ziel", max_length=2000),
            "indicator": check_text("indicator", indicator, "Indikator", max_length=500),
            "target": check_text("target", target, "Zielwert", max_length=200),
        }

    @event("GoalSet")
    def _set_goal(
        self, goal_id: UUID, statement: str, indicator: str, target: str, actor: Actor
    ) -> None:
        self.goals.append(
            {"goal_id": goal_id, "statement": statement, "indicator": indicator, "target": target}
        )

    def revise_goal(
        self,
        goal_id: UUID,
        statement: str,
        indicator: str,
        target: str,
        note: str,
        actor: Actor,
    ) -> None:
        """Change a goal's statement, indicator or target."""
        self.check_running("revise_goal", "Ziel ändern")
        current = self.goal(goal_id)
        cleaned = self._clean_goal(statement, indicator, target)
        if all(current[k] == v for k, v in cleaned.items()):
            raise DomainError("Es wurde nichts geändert.", code="measure.no_changes")
        note = check_optional_text("note", note, "Hinweis", max_length=2000)
        self._revise_goal(goal_id=goal_id, note=note, actor=actor, **cleaned)

    @event("GoalRevised")
    def _revise_goal(
        self,
        goal_id: UUID,
        statement: str,
        indicator: str,
        target: str,
        note: str,
        actor: Actor,
    ) -> None:
        self.goal(goal_id).update(statement=statement, indicator=indicator, target=target)

    def note_approach(self, approach: str, actor: Actor) -> None:
        """Describe the way the working group chose (Lösungsweg)."""
        self.check_running("note_approach", "Lösungsweg beschreiben")
        self._note_approach(
            approach=check_text("approach", approach, "Lösungsweg", max_length=20000),
            actor=actor,
        )

    @event("ApproachNoted")
    def _note_approach(self, approach: str, actor: Actor) -> None:
        self.approach = approach

    # -- milestones and progress -------------------------------------------

    def add_milestone(self, milestone_id: UUID, title: str, due_on: dt.date, actor: Actor) -> None:
        """Plan a dated step."""
        self.check_running("add_milestone", "Meilenstein planen")
        if any(m["milestone_id"] == milestone_id for m in self.milestones):
            raise DomainError(
                "Dieser Meilenstein ist bereits geplant.", code="measure.milestone_exists"
            )
        self._add_milestone(
            milestone_id=milestone_id,
            title=check_text("title", title, "Meilenstein", max_length=200),
            due_on=check_date("due_on", due_on, "Fällig am"),
            actor=actor,
        )

    @event("MilestoneAdded")
    def _add_milestone(self, milestone_id: UUID, title: str, due_on: dt.date, actor: Actor) -> None:
        self.milestones.append(
            {"milestone_id": milestone_id, "title": title, "due_on": due_on, "reached_on": None}
        )

    def reach_milestone(self, milestone_id: UUID, reached_on: dt.date, actor: Actor) -> None:
        """Mark a milestone as reached; a planned measure is then in progress."""
        self.check_running("reach_milestone", "Meilenstein erreicht")
        if self.milestone(milestone_id)["reached_on"] is not None:
            raise DomainError(
                "Dieser Meilenstein ist bereits erreicht.", code="measure.milestone_reached"
            )
        self._reach_milestone(
            milestone_id=milestone_id,
            reached_on=check_date("reached_on", reached_on, "Erreicht am"),
            actor=actor,
        )

    @event("MilestoneReached")
    def _reach_milestone(self, milestone_id: UUID, reached_on: dt.date, actor: Actor) -> None:
        self.milestone(milestone_id)["reached_on"] = reached_on
        self.status = MeasureStatus.IN_PROGRESS.value

    def report_progress(self, percent: int, note: str, actor: Actor) -> None:
        """Report progress in percent; a planned measure is then in progress."""
        self.check_running("report_progress", "Fortschritt melden")
        self._report_progress(
            percent=check_int_range("percent", percent, "Fortschritt (%)", 0, 100),
            note=check_optional_text("note", note, "Hinweis", max_length=5000),
            actor=actor,
        )

    @event("ProgressReported")
    def _report_progress(self, percent: int, note: str, actor: Actor) -> None:
        self.progress = percent
        self.progress_note = note
        self.status = MeasureStatus.IN_PROGRESS.value

    def block(self, reason: str, actor: Actor) -> None:
        """Record that the measure cannot go on, with a reason."""
        self.check_running("block", "Blockieren")
        if self.blocked:
            raise DomainError("Die Maßnahme ist bereits blockiert.", code="measure.blocked")
        self._block(reason=check_reason(reason, "Blockieren"), actor=actor)

    @event("Blocked")
    def _block(self, reason: str, actor: Actor) -> None:
        self.blocked = True
        self.block_reason = reason

    def unblock(self, note: str, actor: Actor) -> None:
        """Lift the block."""
        self.check_running("unblock", "Blockade aufheben")
        if not self.blocked:
            raise DomainError("Die Maßnahme ist nicht blockiert.", code="measure.not_blocked")
        self._unblock(
            note=check_optional_text("note", note, "Hinweis", max_length=2000), actor=actor
        )

    @event("Unblocked")
    def _unblock(self, note: str, actor: Actor) -> None:
        self.blocked = False
        self.block_reason = ""

    def implement(self, implemented_on: dt.date, outcome: str, actor: Actor) -> None:
        """Record the measure as implemented (Umgesetzt); only a measure in progress can be."""
        self.check_stage_allows(
            "implement",
            MEASURE_ACTION_STATUSES["implement"],
            subject=N_("Die Maßnahme"),
            action_label=N_("Als umgesetzt melden"),
        )
        if self.blocked:
            raise IllegalTransition(
                "Die Maßnahme ist blockiert; erst die Blockade aufheben.",
                code="measure.is_blocked",
            )
        self._implement(
            implemented_on=check_date("implemented_on", implemented_on, "Umgesetzt am"),
            outcome=check_text("outcome", outcome, "Ergebnis", max_length=20000),
            actor=actor,
        )

    @event("Implemented")
    def _implement(self, implemented_on: dt.date, outcome: str, actor: Actor) -> None:
        self.implemented_on = implemented_on
        self.outcome = outcome
        self.progress = 100
        self.status = MeasureStatus.IMPLEMENTED.value

    def record_benefit(self, department_id: UUID, description: str, actor: Actor) -> None:
        """Record the value the measure brought to a named department (Mehrwert)."""
        self.check_stage_allows(
            "record_benefit",
            MEASURE_ACTION_STATUSES["record_benefit"],
            subject=N_("Die Maßnahme"),
            action_label=N_("Mehrwert festhalten"),
        )
        self._record_benefit(
            department_id=department_id,
            description=check_text("description", description, "Mehrwert", max_length=5000),
            actor=actor,
        )

    @event("BenefitRecorded")
    def _record_benefit(self, department_id: UUID, description: str, actor: Actor) -> None:
        self.benefits.append({"department_id": department_id, "description": description})

    def cancel(self, reason: str, actor: Actor) -> None:
        """Stop the measure for good, with a reason."""
        self.check_running("cancel", "Abbrechen")
        self._cancel(reason=check_reason(reason, "Abbrechen"), actor=actor)

    @event("Cancelled")
    def _cancel(self, reason: str, actor: Actor) -> None:
        self.cancel_reason = reason
        self.status = MeasureStatus.CANCELLED.value

    def check_running(self, action: str, action_label: str) -> None:
        """Raise IllegalTransition unless the measure is planned or in progress."""
        self.check_stage_allows(
            action,
            MEASURE_ACTION_STATUSES[action],
            subject=N_("Die Maßnahme"),
            action_label=action_label,
        )

    def stage_allows(self, action: str) -> bool:
        """Tell whether the measure's stage allows `action`."""
        return self.status in MEASURE_ACTION_STATUSES[action]
