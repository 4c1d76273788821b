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
        if self.erased:
            return "Personendaten gelöscht"
        return "Aktiv" if self.active else "Deaktiviert"

    @property
    def erased(self) -> bool:
        """True once the person's personal data were erased (GDPR Art. 17): no more changes."""
        return self.status == "erased"

    def check_not_erased(self) -> None:
        """Raise IllegalTransition if the person's personal data were erased."""
        if self.erased:
            raise IllegalTransition(
                "Die Personendaten wurden gelöscht; die Person kann nicht mehr geändert werden.",
                code="person.erased",
            )

    def has_role(self, role: str) -> bool:
        return self.active and role in self.roles

    def move_to_department(self, department_id: UUID, actor: Actor) -> None:
        """Assign the person to another department."""
        self.check_not_erased()
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
        self.check_not_erased()
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
        self.check_not_erased()
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
        self.check_not_erased()
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
        self.check_not_erased()
        if self.active:
            raise IllegalTransition("Die Person ist bereits aktiv.", code="person.active")
        note = check_optional_text("note", note, "Hinweis", max_length=2000)
        self._reactivate(note=note, actor=actor)

    @event("Reactivated")
    def _reactivate(self, note: str, actor: Actor) -> None:
        self.active = True
        self.status = "active"

    def erase(self, reason: str, actor: Actor) -> None:
        """Record that the person's personal data are erased (GDPR Art. 17 / DSGVO).

        The events keep ids only; the name, e-mail address and login live in the people
        directory, which the application empties after this is saved. An active person is
        deactivated first (same reason), so they can no longer act. Irreversible.
        """
        reason = check_reason(reason, "Personendaten löschen")
        self.check_not_erased()
        if self.active:
            self._deactivate(reason=reason, actor=actor)
        self._erase(reason=reason, actor=actor)

    @event("Erased")
    def _erase(self, reason: str, actor: Actor) -> None:
        self.active = False
        self.status = "erased"
