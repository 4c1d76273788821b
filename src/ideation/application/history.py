"""German labels and stable keys for every event, and turning stored events into history."""

from __future__ import annotations

import dataclasses
from typing import Any

from ideation.application.views import FieldChange, HistoryEntry
from ideation.domain.errors import N_

# Event type → (stable label key for the UI, German label). One wording everywhere (DESIGN §2).
EVENT_LABELS: dict[str, tuple[str, str]] = {
    "Idea.Submitted": ("idea.submitted", N_("Idee eingereicht")),
    "Idea.Revised": ("idea.revised", N_("Idee überarbeitet")),
    "Idea.Commented": ("idea.commented", N_("Kommentar")),
    "Idea.SupportPledged": ("idea.support_pledged", N_("Mitwirkung zugesagt")),
    "Idea.SupportWithdrawn": ("idea.support_withdrawn", N_("Mitwirkung zurückgezogen")),
    "Idea.Assessed": ("idea.assessed", N_("Bewertet")),
    "Idea.QuickWinOverridden": ("idea.quick_win_overridden", N_("Quick-Win-Einstufung geändert")),
    "Idea.AssignedToWorkingGroup": ("idea.assigned", N_("an Arbeitsgruppe übergeben")),
    "Idea.Recommended": ("idea.recommended", N_("Empfehlung der Arbeitsgruppe")),
    "Idea.Accepted": ("idea.accepted", N_("Angenommen")),
    "Idea.Rejected": ("idea.rejected", N_("Abgelehnt")),
    "Idea.Parked": ("idea.parked", N_("Zurückgestellt")),
    "Idea.Reopened": ("idea.reopened", N_("Wieder aufgenommen")),
    "Idea.MergedInto": ("idea.merged", N_("Zusammengeführt mit …")),
    "Idea.Withdrawn": ("idea.withdrawn", N_("Zurückgezogen")),
    "Measure.Planned": ("measure.planned", N_("Maßnahme geplant")),
    "Measure.GoalSet": ("measure.goal_set", N_("Ziel festgelegt")),
    "Measure.GoalRevised": ("measure.goal_revised", N_("Ziel geändert")),
    "Measure.ApproachNoted": ("measure.approach_noted", N_("Lösungsweg beschrieben")),
    "Measure.MilestoneAdded": ("measure.milestone_added", N_("Meilenstein geplant")),
    "Measure.MilestoneReached": ("measure.milestone_reached", N_("Meilenstein erreicht")),
    "Measure.ProgressReported": ("measure.progress_reported", N_("Fortschritt gemeldet")),
    "Measure.Blocked": ("measure.blocked", N_("Blockiert")),
    "Measure.Unblocked": ("measure.unblocked", N_("Blockade aufgehoben")),
    "Measure.Implemented": ("measure.implemented", N_("Umgesetzt")),
    "Measure.BenefitRecorded": ("measure.benefit_recorded", N_("Mehrwert festgehalten")),
    "Measure.Cancelled": ("measure.cancelled", N_("Abgebrochen")),
    "WorkingGroup.Formed": ("working_group.formed", N_("Arbeitsgruppe gegründet")),
    "WorkingGroup.MemberAdded": ("working_group.member_added", N_("Mitglied aufgenommen")),
    "WorkingGroup.MemberRemoved": ("working_group.member_removed", N_("Mitglied ausgeschieden")),
    "WorkingGroup.MeetingRecorded": ("working_group.meeting_recorded", N_("Sitzung protokolliert")),
    "WorkingGroup.Dissolved": ("working_group.dissolved", N_("Arbeitsgruppe aufgelöst")),
    "Department.Registered": ("department.registered", N_("Fachbereich angelegt")),
    "Department.Renamed": ("department.renamed", N_("Fachbereich umbenannt")),
    "Department.Reclassified": ("department.reclassified", N_("Art des Fachbereichs geändert")),
    "Person.Registered": ("person.registered", N_("Person angelegt")),
    "Person.MovedToDepartment": ("person.moved", N_("Fachbereich der Person geändert")),
    "Person.RoleGranted": ("person.role_granted", N_("Rolle erteilt")),
    "Person.RoleRevoked": ("person.role_revoked", N_("Rolle entzogen")),
    "Person.Deactivated": ("person.deactivated", N_("Person deaktiviert")),
    "Person.Reactivated": ("person.reactivated", N_("Person reaktiviert")),
    "Person.Erased": ("person.erased", N_("Personendaten gelöscht")),
    "Installation.Initialised": ("installation.initialised", N_("Planer eingerichtet")),
    "ExchangeSession.Planned": ("exchange.planned", N_("Austauschformat geplant")),
    "ExchangeSession.Rescheduled": ("exchange.rescheduled", N_("Austauschformat verschoben")),
    "ExchangeSession.Held": ("exchange.held", N_("Austauschformat durchgeführt")),
    "ExchangeSession.Cancelled": ("exchange.cancelled", N_("Austauschformat abgesagt")),
    "Pilot.Nominated": ("pilot.nominated", N_("Als Kandidatin / Kandidat vorgemerkt")),
    "Pilot.Renominated": ("pilot.renominated", N_("Erneut als Kandidatin / Kandidat vorgemerkt")),
    "Pilot.Confirmed": ("pilot.confirmed", N_("Als Digitallotsin / -lotse bestätigt")),
    "Pilot.Withdrawn": ("pilot.withdrawn", N_("Lotsenschaft zurückgezogen")),
    "Faction.Registered": ("faction.registered", N_("Fraktion angelegt")),
    "Faction.Renamed": ("faction.renamed", N_("Fraktion umbenannt")),
    "Faction.Retired": ("faction.retired", N_("Fraktion ausgetragen")),
    "PoliticalRound.Planned": ("political_round.planned", N_("Politische Runde geplant")),
    "PoliticalRound.Held": ("political_round.held", N_("Politische Runde durchgeführt")),
    "PoliticalRound.SuggestionAdopted": (
        "political_round.suggestion_adopted",
        N_("Anregung als Idee übernommen"),
    ),
    "PoliticalRound.Cancelled": ("political_round.cancelled", N_("Politische Runde abgesagt")),
}

# The filter kinds of the history page: what a reader looks for.
HISTORY_KINDS: dict[str, str] = {
    "decisions": N_("Entscheidungen"),
    "content": N_("Inhaltliche Änderungen"),
    "measure": N_("Fortschritt der Maßnahme"),
    "comments": N_("Kommentare"),
}
_KIND_OF_EVENT = {
    **dict.fromkeys(
        (
            "Idea.Assessed",
            "Idea.QuickWinOverridden",
            "Idea.AssignedToWorkingGroup",
            "Idea.Recommended",
            "Idea.Accepted",
            "Idea.Rejected",
            "Idea.Parked",
            "Idea.Reopened",
            "Idea.MergedInto",
            "Idea.Withdrawn",
            "Measure.Cancelled",
            "WorkingGroup.MeetingRecorded",
        ),
        "decisions",
    ),
    **dict.fromkeys(
        ("Idea.Submitted", "Idea.Revised", "Idea.SupportPledged", "Idea.SupportWithdrawn"),
        "content",
    ),
    "Idea.Commented": "comments",
}


def history_kind(kind: str) -> str:
    """The filter kind of an event type (measure events other than cancelling: progress)."""
    if kind in _KIND_OF_EVENT:
        return _KIND_OF_EVENT[kind]
    return "measure" if kind.startswith("Measure.") else "other"


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
        kind=history_kind(kind),
    )


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[FieldChange, ...]:
    """List the fields whose values differ between two plain-data states."""
    return tuple(
        FieldChange(field=name, old=before.get(name), new=after.get(name))
        for name in after
        if before.get(name) != after.get(name)
    )
