"""Who may do what (DESIGN §1), as data, and the check that picks the role an actor acts in."""

from __future__ import annotations

from collections.abc import Container
from uuid import UUID

from ideation.application.errors import PermissionDenied
from ideation.application.security_log import log_security_event
from ideation.domain.actor import Actor, Role
from ideation.domain.errors import N_, msg
from ideation.domain.person import Person

M, G, C, A = Role.MEMBER, Role.GROUP_MEMBER, Role.COORDINATOR, Role.ADMIN

# How far a role reaches for an action: anywhere, only for the actor's own department's
# objects, or only for objects of a working group the actor belongs to.
ANY, OWN_DEPARTMENT, OWN_GROUP = "any", "own_department", "own_group"

Grant = tuple[Role, str]

# action → (role, reach) pairs, in the order the acting role is chosen.
# Auditors appear nowhere: they never write.
PERMISSIONS: dict[str, tuple[Grant, ...]] = {
    "department.register": ((A, ANY),),
    "department.rename": ((A, ANY),),
    "department.reclassify": ((A, ANY),),
    "person.register": ((A, ANY),),
    "person.update_directory": ((A, ANY),),
    "person.move_to_department": ((A, ANY),),
    "person.grant_role": ((A, ANY),),
    "person.revoke_role": ((A, ANY),),
    "person.deactivate": ((A, ANY),),
    "person.reactivate": ((A, ANY),),
    "person.manage_account": ((A, ANY),),
    "person.erase": ((A, ANY),),
    "idea.submit": ((M, OWN_DEPARTMENT),),
    "idea.revise": ((M, OWN_DEPARTMENT), (G, OWN_GROUP)),
    "idea.comment": ((M, ANY), (G, ANY), (C, ANY)),
    # A pledge is always for the actor's own department, on anyone's idea.
    "idea.pledge_support": ((M, ANY),),
    "idea.withdraw_support": ((M, ANY),),
    "idea.assess": ((C, ANY),),
    "idea.override_quick_win": ((C, ANY),),
    "idea.assign_to_working_group": ((C, ANY),),
    "idea.recommend": ((G, OWN_GROUP),),
    "idea.accept": ((C, ANY),),
    "idea.reject": ((C, ANY),),
    "idea.park": ((C, ANY),),
    "idea.reopen": ((C, ANY),),
    "idea.merge": ((C, ANY),),
    "idea.withdraw": ((M, OWN_DEPARTMENT),),
    "working_group.form": ((C, ANY),),
    "working_group.add_member": ((C, ANY),),
    "working_group.remove_member": ((C, ANY),),
    "working_group.record_meeting": ((G, OWN_GROUP),),
    "working_group.dissolve": ((C, ANY),),
    # Goals are the working group's; the owner department (the measure's responsible
    # department) carries out the way to them: milestones, progress, blocks, implementation.
    "measure.set_goal": ((G, OWN_GROUP),),
    "measure.revise_goal": ((G, OWN_GROUP),),
    "measure.note_approach": ((G, OWN_GROUP), (M, OWN_DEPARTMENT)),
    "measure.add_milestone": ((G, OWN_GROUP), (M, OWN_DEPARTMENT)),
    "measure.reach_milestone": ((G, OWN_GROUP), (M, OWN_DEPARTMENT)),
    "measure.report_progress": ((G, OWN_GROUP), (M, OWN_DEPARTMENT)),
    "measure.block": ((G, OWN_GROUP), (M, OWN_DEPARTMENT), (C, ANY)),
    "measure.unblock": ((G, OWN_GROUP), (M, OWN_DEPARTMENT), (C, ANY)),
    "measure.implement": ((G, OWN_GROUP), (M, OWN_DEPARTMENT)),
    "measure.record_benefit": ((G, OWN_GROUP), (M, OWN_DEPARTMENT), (C, ANY)),
    "measure.cancel": ((C, ANY),),
    # Issue 8: the coordination runs the exchange formats, notes digital pilots and holds
    # the political rounds; the list of factions is kept by the coordination or the admins.
    "exchange.plan": ((C, ANY),),
    "exchange.reschedule": ((C, ANY),),
    "exchange.record": ((C, ANY),),
    "exchange.cancel": ((C, ANY),),
    "pilot.nominate": ((C, ANY),),
    "pilot.confirm": ((C, ANY),),
    "pilot.withdraw": ((C, ANY),),
    "faction.register": ((C, ANY), (A, ANY)),
    "faction.rename": ((C, ANY), (A, ANY)),
    "faction.retire": ((C, ANY), (A, ANY)),
    "political_round.plan": ((C, ANY),),
    "political_round.record": ((C, ANY),),
    "political_round.cancel": ((C, ANY),),
    "political_round.adopt_suggestion": ((C, ANY),),
}

ACTION_LABELS: dict[str, str] = {
    "department.register": N_("Fachbereich anlegen"),
    "department.rename": N_("Fachbereich umbenennen"),
    "department.reclassify": N_("Art des Fachbereichs ändern"),
    "person.register": N_("Person anlegen"),
    "person.update_directory": N_("Personendaten ändern"),
    "person.move_to_department": N_("Fachbereich einer Person ändern"),
    "person.grant_role": N_("Rolle erteilen"),
    "person.revoke_role": N_("Rolle entziehen"),
    "person.deactivate": N_("Person deaktivieren"),
    "person.reactivate": N_("Person reaktivieren"),
    "person.manage_account": N_("Zugang verwalten"),
    "person.erase": N_("Personendaten löschen"),
    "idea.submit": N_("Idee einreichen"),
    "idea.revise": N_("Idee überarbeiten"),
    "idea.comment": N_("Kommentieren"),
    "idea.pledge_support": N_("Mitwirkung zusagen"),
    "idea.withdraw_support": N_("Mitwirkung zurückziehen"),
    "idea.assess": N_("Bewerten"),
    "idea.override_quick_win": N_("Quick-Win-Einstufung ändern"),
    "idea.assign_to_working_group": N_("An Arbeitsgruppe übergeben"),
    "idea.recommend": N_("Empfehlung abgeben"),
    "idea.accept": N_("Annehmen"),
    "idea.reject": N_("Ablehnen"),
    "idea.park": N_("Zurückstellen"),
    "idea.reopen": N_("Wieder aufnehmen"),
    "idea.merge": N_("Zusammenführen"),
    "idea.withdraw": N_("Zurückziehen"),
    "working_group.form": N_("Arbeitsgruppe gründen"),
    "working_group.add_member": N_("Mitglied aufnehmen"),
    "working_group.remove_member": N_("Mitglied ausscheiden lassen"),
    "working_group.record_meeting": N_("Sitzung protokollieren"),
    "working_group.dissolve": N_("Arbeitsgruppe auflösen"),
    "measure.set_goal": N_("Ziel festlegen"),
    "measure.revise_goal": N_("Ziel ändern"),
    "measure.note_approach": N_("Lösungsweg beschreiben"),
    "measure.add_milestone": N_("Meilenstein planen"),
    "measure.reach_milestone": N_("Meilenstein als erreicht melden"),
    "measure.report_progress": N_("Fortschritt melden"),
    "measure.block": N_("Blockieren"),
    "measure.unblock": N_("Blockade aufheben"),
    "measure.implement": N_("Als umgesetzt melden"),
    "measure.record_benefit": N_("Mehrwert festhalten"),
    "measure.cancel": N_("Maßnahme abbrechen"),
    "exchange.plan": N_("Austauschformat planen"),
    "exchange.reschedule": N_("Austauschformat verschieben"),
    "exchange.record": N_("Austauschformat als durchgeführt festhalten"),
    "exchange.cancel": N_("Austauschformat absagen"),
    "pilot.nominate": N_("Als Kandidatin / Kandidat vormerken"),
    "pilot.confirm": N_("Als Digitallotsin / -lotse bestätigen"),
    "pilot.withdraw": N_("Lotsenschaft zurückziehen"),
    "faction.register": N_("Fraktion anlegen"),
    "faction.rename": N_("Fraktion umbenennen"),
    "faction.retire": N_("Fraktion austragen"),
    "political_round.plan": N_("Politische Runde planen"),
    "political_round.record": N_("Politische Runde festhalten"),
    "political_round.cancel": N_("Politische Runde absagen"),
    "political_round.adopt_suggestion": N_("Anregung als Idee übernehmen"),
}


def permitted_role(
    action: str,
    person: Person,
    *,
    department_id: UUID | None = None,
    group_members: Container[UUID] | None = None,
) -> Role | None:
    """The first role in which `person` may take `action` on the object, or None.

    `department_id` is the department the object belongs to; `group_members` are the
    members of the working group responsible for the object (None if there is none).
    """
    for role, reach in PERMISSIONS[action]:
        if not person.has_role(role):
            continue
        if reach == OWN_DEPARTMENT and department_id != person.department_id:
            continue
        if reach == OWN_GROUP and (group_members is None or person.id not in group_members):
            continue
        return role
    return None


def authorize(
    action: str,
    person: Person,
    *,
    department_id: UUID | None = None,
    group_members: Container[UUID] | None = None,
) -> Actor:
    """Return the actor in the first permitted role, or raise PermissionDenied."""
    role = permitted_role(action, person, department_id=department_id, group_members=group_members)
    if role is not None:
        return Actor(person_id=person.id, department_id=person.department_id, role=role.value)
    log_security_event("permission.denied", person_id=person.id, action=action)
    raise PermissionDenied(
        msg("Sie dürfen „%(action)s“ hier nicht ausführen.", action=ACTION_LABELS[action]),
        action=action,
    )
