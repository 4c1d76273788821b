"""German labels and stable keys for every event, and turning stored events into history."""

from __future__ import annotations

import dataclasses
from typing import Any

from ideation.application.views import FieldChange, HistoryEntry

# Event type → (stable label key for the UI, German label). One wording everywhere (DESIGN §2).
EVENT_LABELS: dict[str, tuple[str, str]] = {
    "Idea.Submitted": ("idea.submitted", "Idee eingereicht"),
    "Idea.Revised": ("idea.revised", "Idee überarbeitet"),
    "Idea.Commented": ("idea.commented", "Kommentar"),
    "Idea.SupportPledged": ("idea.support_pledged", "Mitwirkung zugesagt"),
    "Idea.SupportWithdrawn": ("idea.support_withdrawn", "Mitwirkung zurückgezogen"),
    "Idea.Assessed": ("idea.assessed", "Bewertet"),
    "Idea.QuickWinOverridden": ("idea.quick_win_overridden", "Quick-Win-Einstufung geändert"),
    "Idea.AssignedToWorkingGroup": ("idea.assigned", "an Arbeitsgruppe übergeben"),
    "Idea.Recommended": ("idea.recommended", "Empfehlung der Arbeitsgruppe"),
    "Idea.Accepted": ("idea.accepted", "Angenommen"),
    "Idea.Rejected": ("idea.rejected", "Abgelehnt"),
    "Idea.Parked": ("idea.parked", "Zurückgestellt"),
    "Idea.Reopened": ("idea.reopened", "Wieder aufgenommen"),
    "Idea.MergedInto": ("idea.merged", "Zusammengeführt mit …"),
    "Idea.Withdrawn": ("idea.withdrawn", "Zurückgezogen"),
    "Measure.Planned": ("measure.planned", "Maßnahme geplant"),
    "Measure.GoalSet": ("measure.goal_set", "Ziel festgelegt"),
    "Measure.GoalRevised": ("measure.goal_revised", "Ziel geändert"),
    "Measure.ApproachNoted": ("measure.approach_noted", "Lösungsweg beschrieben"),
    "Measure.MilestoneAdded": ("measure.milestone_added", "Meilenstein geplant"),
    "Measure.MilestoneReached": ("measure.milestone_reached", "Meilenstein erreicht"),
    "Measure.ProgressReported": ("measure.progress_reported", "Fortschritt gemeldet"),
    "Measure.Blocked": ("measure.blocked", "Blockiert"),
    "Measure.Unblocked": ("measure.unblocked", "Blockade aufgehoben"),
    "Measure.Implemented": ("measure.implemented", "Umgesetzt"),
    "Measure.BenefitRecorded": ("measure.benefit_recorded", "Mehrwert festgehalten"),
    "Measure.Cancelled": ("measure.cancelled", "Abgebrochen"),
    "WorkingGroup.Formed": ("working_group.formed", "Arbeitsgruppe gegründet"),
    "WorkingGroup.MemberAdded": ("working_group.member_added", "Mitglied aufgenommen"),
    "WorkingGroup.MemberRemoved": ("working_group.member_removed", "Mitglied ausgeschieden"),
    "WorkingGroup.MeetingRecorded": ("working_group.meeting_recorded", "Sitzung protokolliert"),
    "WorkingGroup.Dissolved": ("working_group.dissolved", "Arbeitsgruppe aufgelöst"),
    "Department.Registered": ("department.registered", "Fachbereich angelegt"),
    "Department.Renamed": ("department.renamed", "Fachbereich umbenannt"),
    "Department.Reclassified": ("department.reclassified", "Art des Fachbereichs geändert"),
    "Person.Registered": ("person.registered", "Person angelegt"),
    "Person.MovedToDepartment": ("person.moved", "Fachbereich der Person geändert"),
    "Person.RoleGranted": ("person.role_granted", "Rolle erteilt"),
    "Person.RoleRevoked": ("person.role_revoked", "Rolle entzogen"),
    "Person.Deactivated": ("person.deactivated", "Person deaktiviert"),
    "Person.Reactivated": ("person.reactivated", "Person reaktiviert"),
    "Installation.Initialised": ("installation.initialised", "Planer eingerichtet"),
}

_BASE_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor"}
_REASON_FIELDS = ("reason", "reasoning")


def event_type(event: Any) -> str:
    """Return "Aggregate.EventName" for a domain event."""
    return type(event).__qualname__


def history_entry(event: Any, changes: tuple[FieldChange, ...] = ()) -> HistoryEntry:
    """Turn one domain event into a history entry of plain data."""
    kind = event_type(event)
    label_key, label = EVENT_LABELS.get(kind, (kind.lower(), kind))
    actor = getattr(event, "actor", None)
    reason = next(
        (getattr(event, name) for name in _REASON_FIELDS if getattr(event, name, None)), None
    )
    details = {
        f.name: getattr(event, f.name)
        for f in dataclasses.fields(event)
        if f.name not in _BASE_FIELDS and f.name not in _REASON_FIELDS
    }
    return HistoryEntry(
        aggregate_type=kind.split(".")[0],
        aggregate_id=event.originator_id,
        version=event.originator_version,
        timestamp=event.timestamp,
        actor_person_id=actor.person_id if actor else None,
        actor_department_id=actor.department_id if actor else None,
        actor_role=actor.role if actor else None,
        event_type=kind,
        label_key=label_key,
        label=label,
        reason=reason,
        changes=changes,
        details=details,
    )


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[FieldChange, ...]:
    """List the fields whose values differ between two plain-data states."""
    return tuple(
        FieldChange(field=name, old=before.get(name), new=after.get(name))
        for name in after
        if before.get(name) != after.get(name)
    )
