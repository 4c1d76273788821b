"""Erasure and subject access (GDPR Art. 15 and 17): what the planner holds about one person.

Events refer to people by id only; names, e-mail addresses and logins live in the people
directory. Erasing a person therefore records `Person.Erased` and deletes their directory
row and account (see `IdeationApplication.erase_person` and docs/privacy.md). The subject
access export lists everything stored that references the person: their directory entry,
their account (never the password hash), and every event they acted in, that concerns
their Person aggregate, or that names their id in a field (working-group membership, the
installation's first administrator).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from ideation.application.history import event_type, history_entry
from ideation.application.views import HistoryEntry
from ideation.domain.idea import comment_id

SUBJECT_ACCESS_FORMAT = "ideation.subject_access"
SUBJECT_ACCESS_VERSION = 1
# How many notifications one read of the log takes while searching for a person's events.
SCAN_PAGE_SIZE = 1_000

# How an event relates to the person.
ACTED = "acted"  # the person did it (the event's actor)
CONCERNS = "concerns"  # it happened to the person's own Person aggregate
NAMES = "names"  # a field of the event holds the person's id (e.g. a group membership)

NOT_INCLUDED = (
    "Texte, die andere Personen geschrieben haben (Kommentare, Begründungen, Notizen), werden "
    "nicht nach dem Namen dieser Person durchsucht; sie können ihn enthalten.",
    "Sicherungskopien der Datenbank, die vor einer Löschung angelegt wurden, enthalten die "
    "Daten bis zu ihrer Löschfrist weiter.",
)


@dataclass(frozen=True)
class ErasureReport:
    """What `erase_person` did."""

    person_id: UUID
    # Events recorded now: Deactivated and Erased (2), Erased alone (1), or 0 when an
    # earlier erasure was recorded but its directory clean-up had not finished.
    events_recorded: int
    directory_entry_removed: bool
    account_removed: bool
    # The storage files hold no leftover copy (SQLite checkpoint / PostgreSQL VACUUM FULL).
    storage_scrubbed: bool


def relation_to(event: Any, person_id: UUID) -> str | None:
    """How `event` relates to the person: ACTED, CONCERNS, NAMES, or None."""
    actor = getattr(event, "actor", None)
    if actor is not None and actor.person_id == person_id:
        return ACTED
    if event.originator_id == person_id:
        return CONCERNS
    for field in dataclasses.fields(event):
        if field.name not in ("actor", "originator_id") and _holds(
            getattr(event, field.name), person_id
        ):
            return NAMES
    return None


def _holds(value: Any, person_id: UUID) -> bool:
    if value == person_id:
        return True
    if isinstance(value, Mapping):
        return any(_holds(v, person_id) for v in value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_holds(v, person_id) for v in value)
    return False


def events_referencing(
    recorder: Any, mapper: Any, person_id: UUID
) -> Iterator[tuple[int, Any, str, int | None]]:
    """Every stored event that references the person, in log order.

    Yields (position, event, relation, comment index): the comment index is the position
    of an `Idea.Commented` event among its idea's comments (for the comment's id), else None.
    Reads the whole notification log page by page. Events that cannot mention the person
    are skipped without decoding when the stored state is plain JSON (no cipher or
    compressor): the state then holds every UUID as its hex text.
    """
    needle = person_id.hex.encode()
    plain_state = getattr(mapper, "cipher", None) is None and (
        getattr(mapper, "compressor", None) is None
    )
    comments_seen: Counter[UUID] = Counter()
    start = 1
    while True:
        page = recorder.select_notifications(start=start, limit=SCAN_PAGE_SIZE)
        for notification in page:
            index = None
            if notification.topic.endswith(":Idea.Commented"):
                index = comments_seen[notification.originator_id]
                comments_seen[notification.originator_id] += 1
            if (
                plain_state
                and notification.originator_id != person_id
                and needle not in bytes(notification.state)
            ):
                continue
            event = mapper.to_domain_event(notification)
            relation = relation_to(event, person_id)
            if relation is not None:
                yield notification.id, event, relation, index
        if len(page) < SCAN_PAGE_SIZE:
            return
        start = page[-1].id + 1


def plain(value: Any) -> Any:
    """The value as JSON data: UUIDs and times as text, tuples as lists, enums as values."""
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return str(value)


def _event_record(position: int, entry: HistoryEntry, relation: str) -> dict[str, Any]:
    return {
        "position": position,
        "relation": relation,
        "event_type": entry.event_type,
        "label": entry.label,
        "aggregate_type": entry.aggregate_type,
        "aggregate_id": plain(entry.aggregate_id),
        "version": entry.version,
        "timestamp": plain(entry.timestamp),
        "actor_person_id": plain(entry.actor_person_id),
        "actor_department_id": plain(entry.actor_department_id),
        "actor_role": entry.actor_role,
        "reason": entry.reason,
        "details": plain(entry.details),
    }


def subject_access_document(
    *,
    person: Any,
    department_name: str | None,
    account: Any,
    found: list[tuple[int, Any, str, int | None]],
    created_at: dt.datetime,
) -> dict[str, Any]:
    """The subject access export as JSON data (see docs/privacy.md for its fields).

    `person` is a PersonView, `account` an AccountRecord or None, `found` what
    `events_referencing` yielded.
    """
    events: list[dict[str, Any]] = []
    person_history: list[dict[str, Any]] = []
    comments: list[dict[str, Any]] = []
    ideas: list[dict[str, Any]] = []
    memberships: list[dict[str, Any]] = []
    pledges: list[dict[str, Any]] = []
    for position, event, relation, index in found:
        entry = history_entry(event)
        record = _event_record(position, entry, relation)
        events.append(record)
        kind = event_type(event)
        when = plain(entry.timestamp)
        if relation == CONCERNS:
            person_history.append(
                {
                    "timestamp": when,
                    "event_type": kind,
                    "label": entry.label,
                    "details": record["details"],
                    "reason": entry.reason,
                }
            )
        if relation == ACTED and kind == "Idea.Commented" and index is not None:
            comments.append(
                {
                    "idea_id": plain(event.originator_id),
                    "comment_id": plain(comment_id(event.originator_id, index)),
                    "written_at": when,
                    "text": event.text,
                    "reply_to": plain(event.reply_to),
                }
            )
        elif relation == ACTED and kind == "Idea.Submitted":
            ideas.append(
                {
                    "idea_id": plain(event.originator_id),
                    "title": event.title,
                    "summary": event.summary,
                    "department_id": plain(event.department_id),
                    "submitted_at": when,
                }
            )
        elif relation == ACTED and kind in ("Idea.SupportPledged", "Idea.SupportWithdrawn"):
            pledges.append(
                {
                    "idea_id": plain(event.originator_id),
                    "department_id": plain(event.department_id),
                    "pledged": kind == "Idea.SupportPledged",
                    "at": when,
                    "note": event.note,
                }
            )
        if kind in ("WorkingGroup.MemberAdded", "WorkingGroup.MemberRemoved") and (
            event.person_id == person.id
        ):
            memberships.append(
                {
                    "working_group_id": plain(event.originator_id),
                    "joined": kind == "WorkingGroup.MemberAdded",
                    "at": when,
                }
            )
    relations = Counter(e["relation"] for e in events)
    return {
        "format": SUBJECT_ACCESS_FORMAT,
        "format_version": SUBJECT_ACCESS_VERSION,
        "created_at": plain(created_at),
        "person": {
            "id": plain(person.id),
            "display_name": person.display_name,
            "email": person.email,
            "erased": person.erased,
            "active": person.active,
            "department_id": plain(person.department_id),
            "department_name": department_name,
            "roles": list(person.roles),
        },
        "account": None
        if account is None
        else {
            "username": account.username,
            "last_login_at": plain(account.last_login_at),
            "password_changed_at": plain(account.password_changed_at),
            "failed_logins": account.failed_logins,
            "locked_until": plain(account.locked_until),
        },
        "person_history": person_history,
        "ideas_submitted": ideas,
        "comments": comments,
        "pledges": pledges,
        "working_group_memberships": memberships,
        "events": events,
        "counts": {
            "events": len(events),
            ACTED: relations[ACTED],
            CONCERNS: relations[CONCERNS],
            NAMES: relations[NAMES],
        },
        "not_included": list(NOT_INCLUDED),
    }
