"""The audit log (Prüfprotokoll) and the decision register, with CSV and JSON Lines exports.

Only auditors and the coordination may open these pages. Every view reads the filters from
the query string and makes one read-model call; bad values are shown in German on their
field with status 400 (exports answer 400 with the message as plain text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ideation.application.history import EVENT_LABELS
from ideation.application.security_log import log_security_event
from ideation.entrypoints import audit_export
from ideation.entrypoints.forms import ROLE_CHOICES, ROLE_LABELS
from ideation.entrypoints.forms.audit import FILTER_FIELDS, FilterAuditForm
from ideation.entrypoints.i18n import localized
from ideation.entrypoints.labels import recommendation_label
from ideation.entrypoints.pages.common import (
    Page,
    department_choices,
    department_name,
    person_name,
    planner,
    prefetch_people,
)
from ideation.readmodels.audit import DECISION_EVENT_TYPES, audit_filter
from ideation.readmodels.queries import InvalidQuery
from ideation.readmodels.views import AuditPage, AuditRow

bp = Blueprint("audit", __name__, url_prefix="/audit")

PAGE_SIZE = 50
ALLOWED_ROLES = ("auditor", "coordinator")
OBJECT_TYPES = {
    "Idea": _l("Idee"),
    "Measure": _l("Maßnahme"),
    "WorkingGroup": _l("Arbeitsgruppe"),
    "Person": _l("Person"),
    "Department": _l("Fachbereich"),
    "Installation": _l("Planer"),
    "ExchangeSession": _l("Austauschformat"),
    "Pilot": _l("Digitallotsin / -lotse"),
    "Faction": _l("Fraktion"),
    "PoliticalRound": _l("Politische Runde"),
}
SYSTEM_ROLE_LABEL = _l("System")


@bp.before_request
def only_auditors_and_coordination() -> None:
    """Every page here needs the auditor or the coordinator role."""
    if not any(current_user.has_role(role) for role in ALLOWED_ROLES):
        log_security_event(
            "access.denied",
            person_id=getattr(current_user, "person_id", None),
            endpoint=request.endpoint,
        )
        abort(403)


@dataclass(frozen=True)
class Entry:
    """One row of the audit log or the register, prepared for the table."""

    row: AuditRow
    label: str
    person: str
    department: str
    role: str
    object_kind: str
    object_text: str
    object_url: str | None
    outcome: str
    outcome_url: str | None


@dataclass(frozen=True)
class Kind:
    """What distinguishes the audit log from the register."""

    name: str  # audit_log or decision_register
    endpoint: str
    decisions: bool


LOG = Kind("audit_log", "audit.log", decisions=False)
REGISTER = Kind("decision_register", "audit.decisions", decisions=True)


# -- pages ---------------------------------------------------------------------------------


@bp.get("/")
def index() -> Page:
    """The audit area starts with the log."""
    return redirect(url_for("audit.log"))


@bp.get("/log")
def log() -> Page:
    """Every recorded event of the planner, filtered and paged."""
    return _list_page(LOG)


@bp.get("/decisions")
def decisions() -> Page:
    """Every decision and recommendation, with who, when, in which role and why."""
    return _list_page(REGISTER)


def _list_page(kind: Kind) -> Page:
    form = _filter_form(kind)
    newest_first = form.order.data == "desc"
    result: AuditPage | None = None
    error = None
    try:
        page_number = _page_number()
        read_models = planner().read_models
        query = read_models.decision_register if kind.decisions else read_models.audit_log
        result = query(
            form.filters(), page=page_number, page_size=PAGE_SIZE, newest_first=newest_first
        )
    except InvalidQuery as problem:
        error = localized(problem.message)
        target = _form_field(problem.field)
        if target is not None:
            form[target].errors = [error]
        else:
            form.form_errors.append(error)
    entries = _entries(result.rows) if result else []
    query_args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "audit/list.html",
        title=_("Entscheidungsregister") if kind.decisions else _("Prüfprotokoll"),
        kind=kind,
        form=form,
        result=result,
        entries=entries,
        error=error,
        query=query_args,
        filtered=any(k in FILTER_FIELDS for k in query_args),
    ), (400 if error else 200)


def _page_number() -> int:
    text = request.args.get("page", "1")
    try:
        return int(text)
    except ValueError:
        raise InvalidQuery("page", _("Die Seitenzahl muss eine ganze Zahl ab 1 sein.")) from None


def _form_field(filter_name: str) -> str | None:
    return next((f for f, name in FILTER_FIELDS.items() if name == filter_name), None)


def _filter_form(kind: Kind) -> FilterAuditForm:
    form = FilterAuditForm(request.args)
    everyone = _("alle")
    people = planner().list_people()
    form.person.choices = [("", everyone)] + [(str(p.id), p.display_name) for p in people]
    form.department.choices = department_choices(empty=everyone)
    form.role.choices = [
        ("", everyone),
        *((code, str(label)) for code, label in ROLE_CHOICES),
        ("system", str(SYSTEM_ROLE_LABEL)),
    ]
    form.object_type.choices = [("", everyone)] + [(k, str(v)) for k, v in OBJECT_TYPES.items()]
    types = DECISION_EVENT_TYPES if kind.decisions else tuple(EVENT_LABELS)
    form.event.choices = [("", everyone)] + [(t, _event_choice(t)) for t in types]
    return form


def _event_choice(event_type: str) -> str:
    aggregate = event_type.split(".")[0]
    return f"{_event_label(event_type)} ({OBJECT_TYPES.get(aggregate, aggregate)})"


# -- exports -------------------------------------------------------------------------------


@bp.get("/log.csv")
def log_csv() -> Response:
    """The filtered audit log as CSV."""
    return _export(LOG, "csv")


@bp.get("/log.jsonl")
def log_jsonl() -> Response:
    """The filtered audit log as JSON Lines."""
    return _export(LOG, "jsonl")


@bp.get("/decisions.csv")
def decisions_csv() -> Response:
    """The filtered decision register as CSV."""
    return _export(REGISTER, "csv")


@bp.get("/decisions.jsonl")
def decisions_jsonl() -> Response:
    """The filtered decision register as JSON Lines."""
    return _export(REGISTER, "jsonl")


def _export(kind: Kind, extension: str) -> Response:
    """Stream the rows matching the page's filters; a bad filter is a plain-text 400."""
    read_models = planner().read_models
    form = FilterAuditForm(request.args)
    newest_first = form.order.data == "desc"
    try:
        checked = audit_filter(form.filters(), decisions=kind.decisions)
        iterate = (
            read_models.iter_decision_register if kind.decisions else read_models.iter_audit_log
        )
        rows = iterate(checked, newest_first=newest_first)
    except InvalidQuery as problem:
        return Response(localized(problem.message) + "\n", status=400, mimetype="text/plain")
    now = dt.datetime.now(dt.UTC)
    meta = audit_export.export_meta(
        kind.name,
        checked,
        newest_first=newest_first,
        exported_at=now,
        chain_head=_chain_head_line(),
    )
    log_security_event(
        "audit.export",
        person_id=current_user.person_id,
        kind=kind.name,
        format=extension,
        filters=checked.as_dict(),
    )
    write: Callable[..., Iterator[str]] = audit_export.jsonl_chunks
    content_type = audit_export.JSONL_MEDIA_TYPE
    if extension == "csv":
        write, content_type = audit_export.csv_chunks, audit_export.CSV_MEDIA_TYPE
    body = stream_with_context(write(rows, _export_names(), meta))
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{audit_export.filename(kind.name, extension, now)}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _chain_head_line() -> str:
    """ "Kettenkopf: <position> <hash> <time>" for export headers."""
    return audit_export.chain_head_line(planner().read_models)


def _export_names() -> audit_export.ExportNames:
    directory = planner().directory
    return audit_export.ExportNames(
        event_label=_event_label,
        person_names=directory.display_names,
        department_name=department_name,
        system_name=_("System"),
        erased_name=_("gelöschte Person"),
    )


# -- preparing rows ------------------------------------------------------------------------


def _entries(rows: tuple[AuditRow, ...]) -> list[Entry]:
    prefetch_people(
        [r.actor_person_id for r in rows]
        + [r.aggregate_id for r in rows if r.aggregate_type == "Person"]
    )
    is_admin = current_user.has_role("admin")
    return [_entry(r, is_admin) for r in rows]


def _entry(row: AuditRow, is_admin: bool) -> Entry:
    text, url = _object(row, is_admin)
    outcome, outcome_url = _outcome(row)
    return Entry(
        row=row,
        label=_event_label(row.event_type),
        person=_("System") if row.actor_role == "system" else person_name(row.actor_person_id),
        department=department_name(row.actor_department_id),
        role=_role_label(row.actor_role),
        object_kind=str(OBJECT_TYPES.get(row.aggregate_type, row.aggregate_type)),
        object_text=text,
        object_url=url,
        outcome=outcome,
        outcome_url=outcome_url,
    )


def _object(row: AuditRow, is_admin: bool) -> tuple[str, str | None]:
    """The object's name and where its history is: ideas and measures link to the idea's
    history, groups to their page, people and departments to the administration (admins)."""
    kind = row.aggregate_type
    if kind == "Idea":
        return row.subject or "–", url_for("history.timeline", idea_id=row.aggregate_id)
    if kind == "Measure":
        if row.idea_id is not None:
            return row.subject or "–", url_for("history.timeline", idea_id=row.idea_id)
        return row.subject or "–", url_for("measures.detail", measure_id=row.aggregate_id)
    if kind == "WorkingGroup":
        return row.subject or "–", url_for("working_groups.detail", group_id=row.aggregate_id)
    if kind == "Person":
        url = url_for("admin.person", person_id=row.aggregate_id) if is_admin else None
        return person_name(row.aggregate_id), url
    if kind == "Department":
        url = url_for("admin.edit_department", department_id=row.aggregate_id) if is_admin else None
        return row.subject or department_name(row.aggregate_id), url
    if kind == "ExchangeSession":
        return row.subject or "–", url_for("exchange.detail", session_id=row.aggregate_id)
    if kind == "PoliticalRound":
        return row.subject or "–", url_for("politics.round_detail", round_id=row.aggregate_id)
    if kind == "Faction":
        return row.subject or "–", url_for("politics.factions")
    if kind == "Pilot":
        return _("Digitallotsinnen und -lotsen"), url_for("exchange.pilots")
    return _("der Planer"), None


def _outcome(row: AuditRow) -> tuple[str, str | None]:
    """What a decision decided, in words, where the event's label does not say it all."""
    kind, value = row.event_type, row.outcome
    if kind == "Idea.Recommended" and value:
        group = row.related_subject or "–"
        return _("%(outcome)s (%(group)s)", outcome=recommendation_label(value), group=group), (
            url_for("working_groups.detail", group_id=row.related_id) if row.related_id else None
        )
    if kind in ("Person.RoleGranted", "Person.RoleRevoked") and value:
        return _role_label(value), None
    if kind == "PoliticalRound.SuggestionAdopted" and row.related_id:
        return row.related_subject or "–", url_for("ideas.detail", idea_id=row.related_id)
    if kind == "Idea.QuickWinOverridden":
        if value == "quick_win":
            return _("als Quick Win eingestuft"), None
        return _("nicht als Quick Win eingestuft"), None
    if kind == "Idea.MergedInto" and row.related_id:
        return _("mit „%(title)s“", title=row.related_subject or "–"), url_for(
            "history.timeline", idea_id=row.related_id
        )
    if kind == "Idea.Accepted" and row.related_id:
        return _("Maßnahme geplant"), url_for("measures.detail", measure_id=row.related_id)
    return "", None


def _event_label(event_type: str) -> str:
    label = EVENT_LABELS.get(event_type, (event_type, event_type))[1]
    return localized(label)


def _role_label(role: str | None) -> str:
    if not role:
        return "–"
    if role == "system":
        return str(SYSTEM_ROLE_LABEL)
    return str(ROLE_LABELS.get(role, role))
