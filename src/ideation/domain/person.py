"""The Person aggregate: department membership, roles and activity; never personal data."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from ideation.domain.actor import GRANTABLE_ROLES, ROLE_LABELS, Actor, Role
from ideation.domain.base import PlannerAggregate, check_optional_text, check_reason
from ideation.domain.errors import DomainError, IllegalTransition, InvalidValue, msg


def check_role(role: object) -> str:
    """Return a grantable role, or raise InvalidValue."""
    if role not in tuple(GRANTABLE_ROLES):
        raise InvalidValue("role", "Diese Rolle gibt es nicht.")
    return str(role)


class Person(PlannerAggregate):
    """A person's part in the planner. Name and e-mail live in the people directory."""

    error_prefix = "person"

    @event("Registered")
    def __init__(self, id: UUID, department_id: UUID, actor: Actor) -> None:  # noqa: A002
        self.department_id = department_id
        self.roles: list[str] = []
        self.active = True
        self.status = "active"

    @property
    def status_label(self) -> str:
        return "Aktiv" if self.active else "Deaktiviert"

    def has_role(self, role: str) -> bool:
        return self.active and role in self.roles

    def move_to_department(self, department_id: UUID, actor: Actor) -> None:
        """Assign the person to another department."""
        if department_id == self.department_id:
            raise DomainError(
                "Die Person gehört bereits zu diesem Fachbereich.", code="person.no_changes"
            )
        self._move_to_department(department_id=department_id, actor=actor)

    @event("MovedToDepartment")
    def _move_to_department(self, department_id: UUID, actor: Actor) -> None:
        self.department_id = department_id

    def grant_role(self, role: str, actor: Actor) -> None:
        """Grant a role."""
        role = check_role(role)
        if role in self.roles:
            raise DomainError(
                msg("Die Person hat die Rolle „%(role)s“ bereits.", role=ROLE_LABELS[Role(role)]),
                code="person.role_already_granted",
            )
        self._grant_role(role=role, actor=actor)

    @event("RoleGranted")
    def _grant_role(self, role: str, actor: Actor) -> None:
        self.roles.append(role)

    def revoke_role(self, role: str, reason: str, actor: Actor) -> None:
        """Revoke a role, with a reason."""
        role = check_role(role)
        reason = check_reason(reason, "Rolle entziehen")
        if role not in self.roles:
            raise DomainError(
                msg("Die Person hat die Rolle „%(role)s“ nicht.", role=ROLE_LABELS[Role(role)]),
                code="person.role_not_granted",
            )
        self._revoke_role(role=role, reason=reason, actor=actor)

    @event("RoleRevoked")
    def _revoke_role(self, role: str, reason: str, actor: Actor) -> None:
        self.roles.remove(role)

    def deactivate(self, reason: str, actor: Actor) -> None:
        """Deactivate the person: they can no longer act, their history stays."""
        reason = check_reason(reason, "Deaktivieren")
        if not self.active:
            raise IllegalTransition("Die Person ist bereits deaktiviert.", code="person.inactive")
        self._deactivate(reason=reason, actor=actor)

    @event("Deactivated")
    def _deactivate(self, reason: str, actor: Actor) -> None:
        self.active = False
        self.status = "inactive"

    def reactivate(self, note: str, actor: Actor) -> None:
        """Let a deactivated person act again."""
        if self.active:
            raise IllegalTransition("Die Person ist bereits aktiv.", code="person.active")
        note = check_optional_text("note", note, "Hinweis", max_length=2000)
        self._reactivate(note=note, actor=actor)

    @event("Reactivated")
    def _reactivate(self, note: str, actor: Actor) -> None:
        self.active = True
        self.status = "active"
