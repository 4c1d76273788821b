"""Evidence export (Nachweis) of one idea: its complete trail as a PDF and as JSON.

The trail is the idea as it is now, its measure and every step of its history (the same
entries the history page shows, prepared by `history.prepare_step`), with the head of the
event log's hash chain. The PDF is the print template `evidence/evidence.html` rendered by
WeasyPrint; its stylesheet comes from the app's static folder and nothing else is fetched.
The JSON document's key names are stable and documented in docs/evidence.md.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from weasyprint import CSS, HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ideation.application.errors import NotFound
from ideation.application.security_log import log_security_event
from ideation.application.views import HistoryEntry, IdeaView, MeasureView
from ideation.entrypoints.forms import ROLE_LABELS
from ideation.entrypoints.i18n import TIMEZONE, format_datetime_local
from ideation.entrypoints.labels import field_label, recommendation_label, stage_label
from ideation.entrypoints.pages.common import (
    department_name,
    found,
    person_name,
    planner,
    prefetch_people,
)
from ideation.entrypoints.pages.history import Step, prepare_step, value_text
from ideation.readmodels.views import ChainHead

bp = Blueprint("evidence", __name__, url_prefix="/ideas/<uuid:idea_id>/evidence")

# Who may export the evidence of an idea: the audit side of the planner.
EXPORTERS = ("auditor", "coordinator", "admin")
# Version of the JSON document's layout; raise it when a key changes meaning or goes away.
JSON_FORMAT = "ideation.evidence/1"
LOCAL = ZoneInfo(TIMEZONE)


@dataclass(frozen=True)
class Evidence:
    """Everything one export shows, prepared once for the PDF and the JSON document."""

    idea: IdeaView
    measure: MeasureView | None
    steps: list[Step]
    chain_head: ChainHead
    exported_at: dt.datetime
    exported_by: UUID


def may_export() -> bool:
    """Whether the signed-in person may export evidence (auditors, coordination, admins)."""
    return any(current_user.has_role(role) for role in EXPORTERS)


@bp.app_context_processor
def evidence_helpers() -> dict[str, Any]:
    """`may_export_evidence()` for the history page's links to the export."""
    return {"may_export_evidence": may_export}


@bp.before_request
def only_exporters() -> None:
    """Auditors, the coordination and administrators; everyone else gets 403."""
    if not may_export():
        log_security_event(
            "access.denied",
            person_id=getattr(current_user, "person_id", None),
            endpoint=request.endpoint,
        )
        abort(403)


@bp.get("/evidence.pdf", endpoint="pdf")
def pdf_export(idea_id: UUID) -> Response:
    """The trail as an A4 PDF with page numbers and the chain head."""
    evidence = collect(idea_id, current_user.person_id)
    body = pdf_bytes(pdf_document(evidence))
    _log_export(idea_id, "pdf")
    return _download(body, "application/pdf", idea_id, "pdf")


@bp.get("/evidence.json", endpoint="json")
def json_export(idea_id: UUID) -> Response:
    """The trail as a JSON document (key names in docs/evidence.md), in document order."""
    evidence = collect(idea_id, current_user.person_id)
    body = json.dumps(evidence_document(evidence), ensure_ascii=False, indent=2)
    _log_export(idea_id, "json")
    return _download(body.encode("utf-8"), "application/json", idea_id, "json")


def _log_export(idea_id: UUID, kind: str) -> None:
    log_security_event(
        "evidence.exported", person_id=current_user.person_id, idea_id=idea_id, format=kind
    )


def _download(body: bytes, mimetype: str, idea_id: UUID, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="nachweis-idee-{idea_id}.{extension}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# -- collecting the trail -------------------------------------------------------------------


def collect(idea_id: UUID, exported_by: UUID) -> Evidence:
    """The idea, its measure, every history entry (oldest first) and the chain head."""
    ideation = planner()
    idea = found(ideation.get_idea, idea_id)
    entries = found(ideation.idea_history, idea_id)
    measure = None
    if idea.measure_id is not None:
        try:
            measure = ideation.get_measure(idea.measure_id)
        except NotFound:
            measure = None
    prefetch_people([idea.submitted_by, *(e.actor_person_id for e in entries)])
    return Evidence(
        idea=idea,
        measure=measure,
        steps=[prepare_step(idea_id, e) for e in entries],
        chain_head=chain_head(),
        exported_at=_now(),
        exported_by=exported_by,
    )


def _now() -> dt.datetime:
    """Now, by the planner's clock if one is set."""
    clock = getattr(planner(), "clock", None)
    now = clock() if clock is not None else dt.datetime.now(dt.UTC)
    return now.astimezone(dt.UTC)


def chain_head() -> ChainHead:
    """The hash chain's newest link (position, link, time): kept outside, it proves the trail."""
    return planner().read_models.chain_head()


# -- the PDF --------------------------------------------------------------------------------


class StaticFilesOnly(URLFetcher):
    """Lets WeasyPrint read files below the app's static folder and nothing else."""

    def __init__(self, static_folder: Path) -> None:
        super().__init__(allowed_protocols=("file",), fail_on_errors=True)
        self.root = static_folder.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if not url.startswith("file:"):
            raise ValueError(f"Nur Dateien aus dem static-Ordner: {url}")
        path = Path(url2pathname(urlparse(url).path)).resolve()
        if not path.is_file() or not path.is_relative_to(self.root):
            raise ValueError(f"Nur Dateien aus dem static-Ordner: {url}")
        content_type = "text/css" if path.suffix == ".css" else "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


def pdf_document(evidence: Evidence) -> Document:
    """The laid-out PDF (its `pages` can be counted, `write_pdf()` gives the bytes)."""
    static = Path(current_app.static_folder or "")
    page_html = render_template(
        "evidence/evidence.html",
        evidence=evidence,
        idea=evidence.idea,
        measure=evidence.measure,
        steps=evidence.steps,
        chain=evidence.chain_head,
        exported_by=person_name(evidence.exported_by),
        group_name=value_text("working_group_id", evidence.idea.working_group_id),
        merged_title=value_text("merged_into", evidence.idea.merged_into),
    )
    return HTML(
        string=page_html,
        base_url=static.resolve().as_uri() + "/",
        url_fetcher=StaticFilesOnly(static),
    ).render(stylesheets=[CSS(string=_running_texts())])


def pdf_bytes(document: Document) -> bytes:
    """The PDF file: tagged (PDF/UA-1), so screen readers get headings, lists and tables."""
    return document.write_pdf(pdf_variant="pdf/ua-1")


def _running_texts() -> str:
    """The words of the running header and footer in the current language.

    The values come from the page (`string-set` in css/evidence.css); the footer counts
    pages as "Seite 1 von 3".
    """
    page_words = _("Seite %(page)s von %(pages)s", page="\0page\0", pages="\0pages\0")
    counter = []
    for i, piece in enumerate(page_words.split("\0")):
        if i % 2:
            counter.append("counter(pages)" if piece == "pages" else "counter(page)")
        elif piece:
            counter.append(_css_string(piece))
    return (
        "@page {"
        f" @top-right {{ content: {_css_string(_('Exportiert am') + ' ')} string(export) }}"
        f" @bottom-left {{ content: {_css_string(_('Kettenkopf') + ': ')} string(chain) }}"
        f" @bottom-right {{ content: {' '.join(counter)} }}"
        " }"
    )


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


# -- the JSON document ----------------------------------------------------------------------


def evidence_document(evidence: Evidence) -> dict[str, Any]:
    """The trail as plain JSON values; times in UTC and local (Europe/Berlin)."""
    return {
        "format": JSON_FORMAT,
        "exported_at": _time(evidence.exported_at),
        "exported_by": {
            "person_id": str(evidence.exported_by),
            "name": person_name(evidence.exported_by),
        },
        "chain_head": _chain_json(evidence.chain_head),
        "idea": _idea_json(evidence.idea),
        "measure": _measure_json(evidence.measure) if evidence.measure else None,
        "history": [_entry_json(i, step) for i, step in enumerate(evidence.steps, start=1)],
    }


def _time(moment: dt.datetime | None) -> dict[str, str] | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return {
        "utc": moment.astimezone(dt.UTC).isoformat(),
        "local": moment.astimezone(LOCAL).isoformat(),
        "text": format_datetime_local(moment),
    }


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _department(department_id: UUID | None) -> dict[str, str] | None:
    if department_id is None:
        return None
    return {"id": str(department_id), "name": department_name(department_id)}


def _person(person_id: UUID | None) -> dict[str, Any]:
    return {"id": str(person_id) if person_id else None, "name": person_name(person_id)}


def _plain(value: Any) -> Any:
    """A stored value as JSON: ids and dates as strings, tuples as lists."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)


def _chain_json(head: ChainHead) -> dict[str, Any]:
    return {
        "position": head.position,
        "link": head.link,
        "time": _time(head.occurred_at),
        "length": head.length,
    }


def _idea_json(idea: IdeaView) -> dict[str, Any]:
    recommendation = None
    if idea.recommendation:
        outcome = idea.recommendation.get("outcome")
        recommendation = {
            "outcome": outcome,
            "label": recommendation_label(outcome or ""),
            "reasoning": idea.recommendation.get("reasoning"),
        }
    return {
        "id": str(idea.id),
        "version": idea.version,
        "title": idea.title,
        "summary": idea.summary,
        "description": idea.description,
        "themes": list(idea.themes),
        "department": _department(idea.department_id),
        "submitted_by": _person(idea.submitted_by),
        "submitted_at": _time(idea.submitted_at),
        "updated_at": _time(idea.updated_at),
        "stage": {"code": idea.stage, "label": stage_label(idea.stage)},
        "status": {"code": idea.status, "label": idea.status_label},
        "quick_win": idea.quick_win,
        "quick_win_overridden": idea.quick_win_overridden,
        "assessment": _plain(idea.assessment),
        "supporting_departments": [_department(d) for d in idea.supporting_departments],
        "working_group": (
            {
                "id": str(idea.working_group_id),
                "name": value_text("working_group_id", idea.working_group_id),
            }
            if idea.working_group_id
            else None
        ),
        "recommendation": recommendation,
        "decision_reason": idea.decision_reason or None,
        "merged_into": (
            {"id": str(idea.merged_into), "title": value_text("merged_into", idea.merged_into)}
            if idea.merged_into
            else None
        ),
        "measure_id": str(idea.measure_id) if idea.measure_id else None,
    }


def _measure_json(measure: MeasureView) -> dict[str, Any]:
    return {
        "id": str(measure.id),
        "version": measure.version,
        "title": measure.title,
        "status": {"code": measure.status, "label": measure.status_label},
        "quick_win": measure.quick_win,
        "owner_department": _department(measure.owner_department_id),
        "working_group": {
            "id": str(measure.working_group_id),
            "name": value_text("working_group_id", measure.working_group_id),
        },
        "goals": [
            {
                "id": _plain(g.get("goal_id")),
                "statement": g.get("statement"),
                "indicator": g.get("indicator"),
                "target": g.get("target"),
            }
            for g in measure.goals
        ],
        "approach": measure.approach or None,
        "milestones": [
            {
                "id": _plain(m.get("milestone_id")),
                "title": m.get("title"),
                "due_on": _day(m.get("due_on")),
                "reached_on": _day(m.get("reached_on")),
            }
            for m in sorted(measure.milestones, key=lambda m: (m["due_on"], m["title"]))
        ],
        "progress": measure.progress,
        "blocked": measure.blocked,
        "block_reason": measure.block_reason or None,
        "implemented_on": _day(measure.implemented_on),
        "outcome": measure.outcome or None,
        "benefits": [
            {"department": _department(b.get("department_id")), "description": b["description"]}
            for b in measure.benefits
        ],
        "cancel_reason": measure.cancel_reason or None,
        "planned_at": _time(measure.planned_at),
        "updated_at": _time(measure.updated_at),
    }


def _entry_json(number: int, step: Step) -> dict[str, Any]:
    entry: HistoryEntry = step.entry
    return {
        "number": number,
        "object": {
            "type": entry.aggregate_type,
            "id": str(entry.aggregate_id),
            "version": entry.version,
        },
        "time": _time(entry.timestamp),
        "event_type": entry.event_type,
        "kind": entry.kind,
        "label_key": entry.label_key,
        "label": step.label,
        "actor": {
            "person_id": str(entry.actor_person_id) if entry.actor_person_id else None,
            "name": step.person,
            "department": _department(entry.actor_department_id),
            "role": (
                {
                    "code": entry.actor_role,
                    "label": str(ROLE_LABELS.get(entry.actor_role, entry.actor_role)),
                }
                if entry.actor_role
                else None
            ),
        },
        "reason": entry.reason,
        "changes": [
            {
                "field": c.field,
                "label": field_label(c.field),
                "old": _plain(c.old),
                "new": _plain(c.new),
                "old_text": value_text(c.field, c.old),
                "new_text": value_text(c.field, c.new),
            }
            for c in entry.changes
        ],
        "details": [
            {
                "field": d.key,
                "label": d.label,
                "value": _plain(entry.details.get(d.key)),
                "text": d.text,
            }
            for d in step.details
        ],
        "data": _plain(entry.details),
    }
