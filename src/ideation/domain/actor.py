"""Who acts: a person id, their department id and the role they act in (never names)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from ideation.domain.errors import N_


class Role(StrEnum):
    """Roles a person can hold (DESIGN §1); SYSTEM is the installation itself."""

    MEMBER = "member"
    GROUP_MEMBER = "group_member"
    COORDINATOR = "coordinator"
    AUDITOR = "auditor"
    ADMIN = "admin"
    # Digital-policy speakers of the council factions: read briefings and published measures.
    AMBASSADOR = "ambassador"
    SYSTEM = "system"


GRANTABLE_ROLES = (
    Role.MEMBER,
    Role.GROUP_MEMBER,
    Role.COORDINATOR,
    Role.AUDITOR,
    Role.ADMIN,
    Role.AMBASSADOR,
)

ROLE_LABELS = {
    Role.MEMBER: N_("Mitarbeitende eines Fachbereichs oder Kommunalunternehmens"),
    Role.GROUP_MEMBER: N_("Mitglied einer Arbeitsgruppe"),
    Role.COORDINATOR: N_("Smart-City-Koordination"),
    Role.AUDITOR: N_("Prüferin / Prüfer"),
    Role.ADMIN: N_("Administration"),
    Role.AMBASSADOR: N_("Botschafterin / Botschafter (Politik)"),
    Role.SYSTEM: N_("System"),
}


@dataclass(frozen=True)
class Actor:
    """The author of an event: stored with every event, holds ids only."""

    person_id: UUID
    department_id: UUID | None
    role: str


SYSTEM_PERSON_ID = UUID("00000000-0000-0000-0000-000000000001")
SYSTEM_ACTOR = Actor(person_id=SYSTEM_PERSON_ID, department_id=None, role=Role.SYSTEM.value)
