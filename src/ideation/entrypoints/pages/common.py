"""What every feature blueprint shares: the planner, names for ids, commands run from forms."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from flask import abort, current_app, flash, g
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.wrappers import Response

from ideation.application.errors import (
    ConcurrencyConflict,
    NotFound,
    PermissionDenied,
    StorageBusy,
)
from ideation.domain.errors import DomainError
from ideation.entrypoints.forms import ROLE_LABELS
from ideation.entrypoints.i18n import localized, localized_error

T = TypeVar("T")
Page = str | tuple[str, int] | Response
SYSTEM_PERSON_NAME = "System"


def planner() -> Any:
    """The application service of this app."""
    return current_app.extensions["ideation"]


def found(query: Callable[..., T], *args: Any) -> T:
    """Run a detail query; a missing object becomes the German 404 page."""
    try:
        return query(*args)
    except NotFound:
        abort(404)


# -- names for ids (departments, people), cached per request -------------------------


def department_names() -> dict[UUID, Any]:
    """Department id → read-model entry (name, short_name, kind), once per request."""
    if "department_rows" not in g:
        g.department_rows = {d.id: d for d in planner().read_models.department_entries()}
    return g.department_rows


def department_name(department_id: UUID | None, short: bool = False) -> str:
    """A department's name (or short name); "–" when there is none."""
    row = department_names().get(department_id) if department_id else None
    if row is None:
        return "–"
    return row.short_name if short else row.name


def working_group_names() -> dict[UUID, str]:
    """Working group id → name, from the read model, once per request."""
    if "working_group_names" not in g:
        g.working_group_names = {
            row.id: row.name for row in planner().read_models.list_working_groups()
        }
    return g.working_group_names


def working_group_name(group_id: UUID | None) -> str:
    """A working group's name; "–" when there is none."""
    return working_group_names().get(group_id, "–") if group_id else "–"


def idea_title(idea_id: UUID, missing: str = "–") -> str:
    """An idea's current title (for links to other ideas); `missing` if there is none."""
    try:
        return str(planner().get_idea(idea_id).title)
    except NotFound:
        return missing


def prefetch_people(person_ids: Iterable[UUID | None]) -> None:
    """Load the display names of many people with one query before a page lists them."""
    cache = g.setdefault("person_names", {})
    missing = {pid for pid in person_ids if pid and pid not in cache}
    if missing:
        names = planner().directory.display_names(missing)
        cache.update({pid: names.get(pid) for pid in missing})


def person_name(person_id: UUID | None) -> str:
    """A person's display name; "gelöschte Person" once erased, "System" for the system."""
    if person_id is None:
        return _("System")
    prefetch_people([person_id])
    name = g.person_names.get(person_id)
    if name is None:
        return _("gelöschte Person")
    return name


def department_choices(*, empty: str | None = None) -> list[tuple[str, str]]:
    """(id, "Name (KURZ)") pairs for a select field, sorted by name."""
    choices = [
        (str(d.id), f"{d.name} ({d.short_name})")
        for d in sorted(department_names().values(), key=lambda d: d.name)
    ]
    return [("", empty), *choices] if empty is not None else choices


# -- running a command from a form ---------------------------------------------------------


@dataclass(frozen=True)
class ConflictStep:
    """One change someone else made since the person opened the form."""

    label: str
    person: str
    role: str
    when: str
    reason: str | None
    changes: tuple[tuple[str, Any, Any], ...]


def conflict_steps(conflict: ConcurrencyConflict) -> list[ConflictStep]:
    """Who changed what since the version the person saw, for the conflict notice."""
    prefetch_people(e.actor_person_id for e in conflict.events_since)
    return [
        ConflictStep(
            label=localized(e.label),
            person=person_name(e.actor_person_id),
            role=str(ROLE_LABELS.get(e.actor_role or "", e.actor_role or "")),
            when=format_datetime(e.timestamp, "medium"),
            reason=e.reason,
            changes=tuple((c.field, c.old, c.new) for c in e.changes),
        )
        for e in conflict.events_since
    ]


def run_command(form: FlaskForm, command: Callable[[], T]) -> tuple[T | None, int]:
    """Run a command for a validated form; return (result, 0) or (None, HTTP status).

    A refused permission is the 403 page and a missing object the 404 page. A conflict keeps
    the person's input, moves the form's version to the current one (so sending again applies
    the input on top) and lists who changed what (`form.conflict_steps`); a broken rule puts
    its German message on the field it names, or on the form.
    """
    try:
        return command(), 0
    except PermissionDenied:
        abort(403)
    except NotFound:
        abort(404)
    except StorageBusy as error:
        flash(localized_error(error), "error")
        return None, 503
    except ConcurrencyConflict as error:
        form.conflict_steps = conflict_steps(error)  # type: ignore[attr-defined]
        if hasattr(form, "version"):
            form.version.data = error.actual_version
            form.version.raw_data = [str(error.actual_version)]
        return None, 409
    except DomainError as error:
        field_name = getattr(error, "field", None) or error.details.get("field")
        target = getattr(form, field_name, None) if field_name else None
        if target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, localized_error(error)]
        else:
            form.form_errors.append(localized_error(error))
        return None, 422


def form_status(form: FlaskForm) -> int:
    """400 for a sent form that did not validate, 200 for a fresh one."""
    return 400 if form.is_submitted() else 200


def pilot_badge(person_id: UUID | None) -> Markup:
    """The pilot badge next to a name ("Digitallotsin / -lotse"); one query per page."""
    if "pilot_statuses" not in g:
        g.pilot_statuses = planner().read_models.pilot_statuses()
    status = g.pilot_statuses.get(person_id) if person_id else None
    if status is None:
        return Markup("")
    label = _("Digitallotsin / -lotse") if status == "confirmed" else _("Kandidatin / Kandidat")
    return Markup('<span class="badge badge-pilot badge-pilot-{}">{}</span>').format(status, label)


def template_helpers() -> dict[str, Any]:
    """Functions every template may call (registered by the app factory)."""
    return {
        "department_name": department_name,
        "person_name": person_name,
        "pilot_badge": pilot_badge,
    }
