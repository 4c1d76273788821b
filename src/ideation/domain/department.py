"""The Department aggregate: an office of the administration or a municipal company."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from ideation.domain.actor import Actor
from ideation.domain.base import PlannerAggregate, check_text
from ideation.domain.errors import N_, DomainError, InvalidValue


class DepartmentKind(StrEnum):
    ADMINISTRATION = "administration"
    COMPANY = "company"


DEPARTMENT_KIND_LABELS = {
    DepartmentKind.ADMINISTRATION: N_("Fachbereich / Amt"),
    DepartmentKind.COMPANY: N_("Kommunalunternehmen"),
}


def check_kind(kind: object) -> str:
    """Return a valid department kind, or raise InvalidValue."""
    if kind not in tuple(DepartmentKind):
        raise InvalidValue("kind", "Die Art muss Fachbereich/Amt oder Kommunalunternehmen sein.")
    return str(kind)


class Department(PlannerAggregate):
    """A department (Fachbereich, Amt) or municipal company (Kommunalunternehmen)."""

    error_prefix = "department"

    @classmethod
    def register(
        cls,
        *,
        id: UUID,  # noqa: A002
        name: str,
        short_name: str,
        kind: str,
        actor: Actor,
    ) -> Department:
        """Check the names and register the department."""
        return cls(
            id=id,
            name=check_text("name", name, "Name", min_length=2, max_length=200),
            short_name=check_text("short_name", short_name, "Kurzname", max_length=30),
            kind=check_kind(kind),
            actor=actor,
        )

    @event("Registered")
    def __init__(
        self,
        id: UUID,  # noqa: A002
        name: str,
        short_name: str,
        kind: str,
        actor: Actor,
    ) -> None:
        self.name = name
        self.short_name = short_name
        self.kind = kind
        self.status = "active"

    @property
    def status_label(self) -> str:
        return "Aktiv"

    def rename(self, name: str, short_name: str, actor: Actor) -> None:
        """Give the department a new name and short name."""
        name = check_text("name", name, "Name", min_length=2, max_length=200)
        short_name = check_text("short_name", short_name, "Kurzname", max_length=30)
        if (name, short_name) == (self.name, self.short_name):
            raise DomainError("Es wurde nichts geändert.", code="department.no_changes")
        self._rename(name=name, short_name=short_name, actor=actor)

    @event("Renamed")
    def _rename(self, name: str, short_name: str, actor: Actor) -> None:
        self.name = name
        self.short_name = short_name

    def reclassify(self, kind: str, actor: Actor) -> None:
        """Change whether this is an office of the administration or a municipal company."""
        kind = check_kind(kind)
        if kind == self.kind:
            raise DomainError("Die Art ist bereits so eingetragen.", code="department.no_changes")
        self._reclassify(kind=kind, actor=actor)

    @event("Reclassified")
    def _reclassify(self, kind: str, actor: Actor) -> None:
        self.kind = kind
