"""The Idea aggregate: a department's proposal from submission to decision."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID, uuid5

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
from ideation.domain.rules import is_quick_win


class IdeaStatus(StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    IN_WORKING_GROUP = "in_working_group"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PARKED = "parked"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"


IDEA_STATUS_LABELS = {
    IdeaStatus.SUBMITTED: N_("Eingereicht"),
    IdeaStatus.IN_REVIEW: N_("In Prüfung"),
    IdeaStatus.IN_WORKING_GROUP: N_("In Arbeitsgruppe"),
    IdeaStatus.ACCEPTED: N_("Angenommen"),
    IdeaStatus.REJECTED: N_("Abgelehnt"),
    IdeaStatus.PARKED: N_("Zurückgestellt"),
    IdeaStatus.MERGED: N_("Zusammengeführt"),
    IdeaStatus.WITHDRAWN: N_("Zurückgezogen"),
}

OPEN_STATUSES = (IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW, IdeaStatus.IN_WORKING_GROUP)
ALL_STATUSES = tuple(IdeaStatus)
# The stages in which each action is possible; the guards and the pages' offered actions
# read this one table.
IDEA_ACTION_STATUSES: dict[str, tuple[str, ...]] = {
    "revise": OPEN_STATUSES,
    "pledge_support": (*OPEN_STATUSES, IdeaStatus.ACCEPTED),
    "withdraw_support": (*OPEN_STATUSES, IdeaStatus.ACCEPTED),
    "assess": OPEN_STATUSES,
    "override_quick_win": OPEN_STATUSES,
    "assign_to_working_group": (IdeaStatus.IN_REVIEW, IdeaStatus.IN_WORKING_GROUP),
    "recommend": (IdeaStatus.IN_WORKING_GROUP,),
    "accept": (IdeaStatus.IN_WORKING_GROUP,),
    "reject": OPEN_STATUSES,
    "park": OPEN_STATUSES,
    "reopen": (IdeaStatus.PARKED,),
    "merge": OPEN_STATUSES,
    "withdraw": OPEN_STATUSES,
}


class RecommendationOutcome(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    PARK = "park"


RECOMMENDATION_LABELS = {
    RecommendationOutcome.ACCEPT: N_("Annehmen"),
    RecommendationOutcome.REJECT: N_("Ablehnen"),
    RecommendationOutcome.PARK: N_("Zurückstellen"),
}

# The fields a revision may change, with their German labels and length bounds.
REVISABLE_FIELDS: dict[str, tuple[str, int, int]] = {
    "title": (N_("Titel"), 3, 200),
    "summary": (N_("Kurzbeschreibung"), 1, 500),
    "description": (N_("Beschreibung"), 0, 20000),
    "themes": (N_("Themen"), 0, 10),
}
MAX_THEME_LENGTH = 60
MAX_COMMENT_LENGTH = 5000
MAX_ORIGIN_LENGTH = 200


def comment_id(idea_id: UUID, index: int) -> UUID:
    """A comment's id: derived from the idea and the comment's position, so replay agrees."""
    return uuid5(idea_id, f"comment-{index}")


def check_themes(value: object) -> list[str]:
    """Return a clean, de-duplicated list of at most 10 short themes."""
    if not isinstance(value, list | tuple) or not all(isinstance(t, str) for t in value):
        raise InvalidValue("themes", "„Themen“ muss eine Liste von Texten sein.")
    themes: list[str] = []
    for theme in value:
        theme = theme.strip()
        if not theme or theme in themes:
            continue
        if len(theme) > MAX_THEME_LENGTH:
            raise InvalidValue(
                "themes",
                msg("Ein Thema darf höchstens %(n)s Zeichen lang sein.", n=MAX_THEME_LENGTH),
            )
        themes.append(theme)
    if len(themes) > REVISABLE_FIELDS["themes"][2]:
        raise InvalidValue("themes", "Höchstens 10 Themen sind möglich.")
    return themes


def check_idea_field(field: str, value: object) -> Any:
    """Validate one revisable field and return its clean value."""
    if field not in REVISABLE_FIELDS:
        raise InvalidValue(
            field, msg("Das Feld „%(field)s“ kann nicht geändert werden.", field=field)
        )
    if field == "themes":
        return check_themes(value)
    label, low, high = REVISABLE_FIELDS[field]
    return check_text(field, value, label, min_length=low, max_length=high)


class Idea(PlannerAggregate):
    """A project idea proposed by a department (Projektidee)."""

    error_prefix = "idea"
    # Snapshots: version 2 added `origin`, version 3 the session or round it came from.
    class_version = 3

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["origin"] = ""

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state["origin_session_id"] = None
        state["origin_round_id"] = None

    @classmethod
    def submit(
        cls,
        *,
        id: UUID,  # noqa: A002 - the library's name for the aggregate id
        title: str,
        summary: str,
        description: str,
        themes: list[str],
        department_id: UUID,
        actor: Actor,
        origin: str = "",
        origin_session_id: UUID | None = None,
        origin_round_id: UUID | None = None,
    ) -> Idea:
        """Check the content and create a submitted idea."""
        return cls(
            id=id,
            title=check_idea_field("title", title),
            summary=check_idea_field("summary", summary),
            description=check_idea_field("description", description),
            themes=check_idea_field("themes", themes),
            department_id=department_id,
            origin=check_optional_text("origin", origin, "Herkunft", max_length=MAX_ORIGIN_LENGTH),
            origin_session_id=origin_session_id,
            origin_round_id=origin_round_id,
            actor=actor,
        )

    class Submitted(PlannerAggregate.Created):
        """Version 2 added `origin` (where the idea came from); version 3 the exchange
        format session or political round it came from (issue 8)."""

        class_version = 3
        title: str
        summary: str
        description: str
        themes: list[str]
        department_id: UUID
        origin: str
        origin_session_id: UUID | None
        origin_round_id: UUID | None
        actor: Actor

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["origin"] = ""

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["origin_session_id"] = None
            state["origin_round_id"] = None

    @event(Submitted)
    def __init__(
        self,
        id: UUID,  # noqa: A002
        title: str,
        summary: str,
        description: str,
        themes: list[str],
        department_id: UUID,
        origin: str,
        origin_session_id: UUID | None,
        origin_round_id: UUID | None,
        actor: Actor,
    ) -> None:
        self.title = title
        self.summary = summary
        self.description = description
        self.themes = list(themes)
        self.department_id = department_id
        # Where the idea came from: an exchange format, a political round, another system.
        self.origin = origin
        self.origin_session_id = origin_session_id
        self.origin_round_id = origin_round_id
        self.submitted_by = actor.person_id
        self.status = IdeaStatus.SUBMITTED.value
        self.supporting_departments: list[UUID] = []
        self.comments: list[dict[str, Any]] = []
        self.assessment: dict[str, Any] | None = None
        self.quick_win_override: bool | None = None
        self.working_group_id: UUID | None = None
        self.recommendation: dict[str, Any] | None = None
        self.measure_id: UUID | None = None
        self.merged_into: UUID | None = None
        self.decision_reason: str = ""

    # -- derived views ---------------------------------------------------

    @property
    def status_label(self) -> str:
        return IDEA_STATUS_LABELS[IdeaStatus(self.status)]

    @property
    def quick_win(self) -> bool:
        """The quick-win classification: the coordination's override, else the rule."""
        if self.quick_win_override is not None:
            return self.quick_win_override
        if self.assessment is None:
            return False
        return is_quick_win(
            self.assessment["impact"],
            self.assessment["effort"],
            self.assessment["expected_weeks"],
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def content(self) -> dict[str, Any]:
        """The revisable content as plain data."""
        return {
            "title": self.title,
            "summary": self.summary,
            "description": self.description,
            "themes": list(self.themes),
        }

    # -- commands --------------------------------------------------------

    def revise(self, changes: dict[str, Any], note: str, actor: Actor) -> None:
        """Change some content fields; only real changes are recorded."""
        self.check_stage("revise", "Überarbeiten")
        cleaned = {field: check_idea_field(field, value) for field, value in changes.items()}
        real = {f: v for f, v in cleaned.items() if getattr(self, f) != v}
        if not real:
            raise DomainError("Es wurde nichts geändert.", code="idea.no_changes")
        self._revise(
            changes=real,
            note=check_optional_text("note", note, "Hinweis", max_length=2000),
            actor=actor,
        )

    @event("Revised")
    def _revise(self, changes: dict[str, Any], note: str, actor: Actor) -> None:
        for field, value in changes.items():
            setattr(self, field, value)

    def comment(self, text: str, actor: Actor, reply_to: UUID | None = None) -> None:
        """Add a comment; comments are possible in every stage."""
        text = check_text("text", text, "Kommentar", max_length=MAX_COMMENT_LENGTH)
        if reply_to is not None and reply_to not in [c["comment_id"] for c in self.comments]:
            raise InvalidValue("reply_to", "Der Kommentar, auf den geantwortet wird, fehlt.")
        self._comment(text=text, reply_to=reply_to, actor=actor)

    class Commented(PlannerAggregate.Event):
        """Version 2 added `reply_to` (threaded comments); v1 events had none."""

        class_version = 2
        text: str
        reply_to: UUID | None
        actor: Actor

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reply_to"] = None

    @event(Commented)
    def _comment(self, text: str, reply_to: UUID | None, actor: Actor) -> None:
        self.comments.append(
            {
                "comment_id": self._comment_id(len(self.comments)),
                "text": text,
                "reply_to": reply_to,
                "person_id": actor.person_id,
                # The event's own version; its timestamp is set after this body runs.
                "version": self.version + 1,
            }
        )

    def _comment_id(self, index: int) -> UUID:
        return comment_id(self.id, index)

    def pledge_support(self, department_id: UUID, note: str, actor: Actor) -> None:
        """Record that a department will take part (Mitwirkung zusagen)."""
        self.check_stage("pledge_support", "Mitwirkung zusagen")
        if department_id == self.department_id:
            raise DomainError(
                "Der einreichende Fachbereich wirkt bereits mit und kann nicht zusätzlich zusagen.",
                code="idea.own_department_support",
            )
        if department_id in self.supporting_departments:
            raise DomainError(
                "Dieser Fachbereich hat seine Mitwirkung bereits zugesagt.",
                code="idea.support_already_pledged",
            )
        note = check_optional_text("note", note, "Hinweis", max_length=2000)
        self._pledge_support(department_id=department_id, note=note, actor=actor)

    @event("SupportPledged")
    def _pledge_support(self, department_id: UUID, note: str, actor: Actor) -> None:
        self.supporting_departments.append(department_id)

    def withdraw_support(self, department_id: UUID, note: str, actor: Actor) -> None:
        """Take back a department's pledge."""
        self.check_stage("withdraw_support", "Mitwirkung zurückziehen")
        if department_id not in self.supporting_departments:
            raise DomainError(
                "Dieser Fachbereich hat keine Mitwirkung zugesagt.",
                code="idea.support_not_pledged",
            )
        note = check_optional_text("note", note, "Hinweis", max_length=2000)
        self._withdraw_support(department_id=department_id, note=note, actor=actor)

    @event("SupportWithdrawn")
    def _withdraw_support(self, department_id: UUID, note: str, actor: Actor) -> None:
        self.supporting_departments.remove(department_id)

    def assess(
        self, impact: int, effort: int, expected_weeks: int, rationale: str, actor: Actor
    ) -> None:
        """Record the coordination's assessment; a submitted idea moves into review."""
        self.check_stage("assess", "Bewerten")
        self._assess(
            impact=check_int_range("impact", impact, "Wirkung", 1, 5),
            effort=check_int_range("effort", effort, "Aufwand", 1, 5),
            expected_weeks=check_int_range(
                "expected_weeks", expected_weeks, "Erwartete Dauer (Wochen)", 1, 520
            ),
            rationale=check_text("rationale", rationale, "Begründung der Bewertung"),
            actor=actor,
        )

    @event("Assessed")
    def _assess(
        self, impact: int, effort: int, expected_weeks: int, rationale: str, actor: Actor
    ) -> None:
        self.assessment = {
            "impact": impact,
            "effort": effort,
            "expected_weeks": expected_weeks,
            "rationale": rationale,
        }
        if self.status == IdeaStatus.SUBMITTED:
            self.status = IdeaStatus.IN_REVIEW.value

    def override_quick_win(self, quick_win: bool, reason: str, actor: Actor) -> None:
        """Overrule the rule's quick-win classification, with a reason."""
        self.check_stage("override_quick_win", "Quick-Win-Einstufung ändern")
        reason = check_reason(reason, "Quick-Win-Einstufung ändern")
        if self.assessment is None:
            raise IllegalTransition(
                "Die Quick-Win-Einstufung kann erst nach einer Bewertung geändert werden.",
                code="idea.not_assessed",
            )
        if not isinstance(quick_win, bool):
            raise InvalidValue("quick_win", "Die Einstufung muss ja oder nein sein.")
        self._override_quick_win(quick_win=quick_win, reason=reason, actor=actor)

    @event("QuickWinOverridden")
    def _override_quick_win(self, quick_win: bool, reason: str, actor: Actor) -> None:
        self.quick_win_override = quick_win

    def assign_to_working_group(self, working_group_id: UUID, actor: Actor) -> None:
        """Hand a reviewed idea to a working group (or to another one)."""
        self.check_stage("assign_to_working_group", "An Arbeitsgruppe übergeben")
        if not isinstance(working_group_id, UUID):
            raise InvalidValue("working_group_id", "Bitte eine Arbeitsgruppe auswählen.")
        if working_group_id == self.working_group_id:
            raise DomainError(
                "Die Idee liegt bereits bei dieser Arbeitsgruppe.",
                code="idea.already_in_working_group",
            )
        self._assign_to_working_group(working_group_id=working_group_id, actor=actor)

    @event("AssignedToWorkingGroup")
    def _assign_to_working_group(self, working_group_id: UUID, actor: Actor) -> None:
        self.working_group_id = working_group_id
        self.recommendation = None
        self.status = IdeaStatus.IN_WORKING_GROUP.value

    def recommend(self, outcome: str, reasoning: str, actor: Actor) -> None:
        """Record the working group's recommendation to the coordination."""
        self.check_stage("recommend", "Empfehlung der Arbeitsgruppe")
        if outcome not in tuple(RecommendationOutcome):
            raise InvalidValue(
                "outcome", "Die Empfehlung muss Annehmen, Ablehnen oder Zurückstellen sein."
            )
        reasoning = check_reason(reasoning, "Empfehlung der Arbeitsgruppe")
        self._recommend(
            outcome=str(outcome),
            reasoning=reasoning,
            working_group_id=self.working_group_id,
            actor=actor,
        )

    @event("Recommended")
    def _recommend(
        self, outcome: str, reasoning: str, working_group_id: UUID, actor: Actor
    ) -> None:
        self.recommendation = {
            "outcome": outcome,
            "reasoning": reasoning,
            "working_group_id": working_group_id,
        }

    def accept(self, measure_id: UUID, reason: str, actor: Actor) -> None:
        """Accept the idea as a measure (the measure is planned in the same save)."""
        self.check_stage("accept", "Annehmen")
        self._accept(measure_id=measure_id, reason=check_reason(reason, "Annehmen"), actor=actor)

    @event("Accepted")
    def _accept(self, measure_id: UUID, reason: str, actor: Actor) -> None:
        self.measure_id = measure_id
        self.decision_reason = reason
        self.status = IdeaStatus.ACCEPTED.value

    def reject(self, reason: str, actor: Actor) -> None:
        """Reject the idea, with a reason."""
        self.check_stage("reject", "Ablehnen")
        self._reject(reason=check_reason(reason, "Ablehnen"), actor=actor)

    @event("Rejected")
    def _reject(self, reason: str, actor: Actor) -> None:
        self.decision_reason = reason
        self.status = IdeaStatus.REJECTED.value

    def park(self, reason: str, actor: Actor) -> None:
        """Put the idea aside for later, with a reason."""
        self.check_stage("park", "Zurückstellen")
        self._park(reason=check_reason(reason, "Zurückstellen"), actor=actor)

    @event("Parked")
    def _park(self, reason: str, actor: Actor) -> None:
        self.decision_reason = reason
        self.status = IdeaStatus.PARKED.value

    def reopen(self, reason: str, actor: Actor) -> None:
        """Take a parked idea up again; it returns to review."""
        self.check_stage("reopen", "Wieder aufnehmen")
        self._reopen(reason=check_reason(reason, "Wieder aufnehmen"), actor=actor)

    @event("Reopened")
    def _reopen(self, reason: str, actor: Actor) -> None:
        self.decision_reason = reason
        self.working_group_id = None
        self.recommendation = None
        self.status = IdeaStatus.IN_REVIEW.value

    def merge_into(self, other_idea_id: UUID, reason: str, actor: Actor) -> None:
        """Merge this idea into another one, with a reason."""
        self.check_stage("merge", "Zusammenführen")
        reason = check_reason(reason, "Zusammenführen")
        if other_idea_id == self.id:
            raise InvalidValue(
                "other_idea_id", "Eine Idee kann nicht mit sich selbst zusammengeführt werden."
            )
        self._merge_into(other_idea_id=other_idea_id, reason=reason, actor=actor)

    @event("MergedInto")
    def _merge_into(self, other_idea_id: UUID, reason: str, actor: Actor) -> None:
        self.merged_into = other_idea_id
        self.decision_reason = reason
        self.status = IdeaStatus.MERGED.value

    def withdraw(self, reason: str, actor: Actor) -> None:
        """The submitting department takes its idea back, with a reason."""
        self.check_stage("withdraw", "Zurückziehen")
        self._withdraw(reason=check_reason(reason, "Zurückziehen"), actor=actor)

    @event("Withdrawn")
    def _withdraw(self, reason: str, actor: Actor) -> None:
        self.decision_reason = reason
        self.status = IdeaStatus.WITHDRAWN.value

    # -- guards ------------------------------------------------------------

    def check_stage(self, action: str, action_label: str) -> None:
        """Raise IllegalTransition unless the idea's stage allows the action."""
        self.check_stage_allows(
            action, IDEA_ACTION_STATUSES[action], subject=N_("Die Idee"), action_label=action_label
        )

    def stage_allows(self, action: str) -> bool:
        """Tell whether the idea's stage allows `action` (comments are always possible)."""
        return self.status in IDEA_ACTION_STATUSES.get(action, ALL_STATUSES)
