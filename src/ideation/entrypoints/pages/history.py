"""The history (Verlauf) of an idea: timeline, state after a step, as of a date, compare."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ideation.application.errors import InvalidRequest, NotFound
from ideation.application.history import HISTORY_KINDS
from ideation.application.views import HistoryEntry
from ideation.entrypoints.forms import ROLE_LABELS
from ideation.entrypoints.forms.ideas import AsOfForm, CompareVersionsForm
from ideation.entrypoints.i18n import end_of_day, format_date_local, localized
from ideation.entrypoints.labels import (
    display_value,
    field_label,
    meeting_format_label,
    recommendation_label,
    stage_label,
)
from ideation.entrypoints.pages.common import (
    Page,
    department_name,
    found,
    idea_title,
    person_name,
    planner,
    prefetch_people,
    working_group_name,
)
from ideation.readmodels.queries import parse_day
from ideation.readmodels.views import PageNumbers

bp = Blueprint("history", __name__, url_prefix="/ideas/<uuid:idea_id>/history")

# Steps per page of the timeline: an idea with hundreds of steps is read page by page.
STEPS_PER_PAGE = 50

# Event fields worth showing, in this order, with their labels (ids are turned into names).
DETAIL_LABELS: dict[str, Any] = {
    "impact": _l("Wirkung"),
    "effort": _l("Aufwand"),
    "expected_weeks": _l("Erwartete Dauer (Wochen)"),
    "rationale": _l("Begründung der Bewertung"),
    "quick_win": _l("Quick Win"),
    "outcome": _l("Ergebnis"),
    "text": _l("Kommentar"),
    "title": _l("Titel"),
    "statement": _l("Ziel"),
    "indicator": _l("Indikator"),
    "target": _l("Zielwert"),
    "approach": _l("Lösungsweg"),
    "due_on": _l("Fällig am"),
    "reached_on": _l("Erreicht am"),
    "percent": _l("Fortschritt (%)"),
    "implemented_on": _l("Umgesetzt am"),
    "held_on": _l("Sitzung am"),
    "format": _l("Format"),
    "notes": _l("Protokoll"),
    "decisions": _l("Beschlüsse"),
    "description": _l("Beschreibung"),
    "department_id": _l("Fachbereich"),
    "owner_department_id": _l("Verantwortlicher Fachbereich"),
    "working_group_id": _l("Arbeitsgruppe"),
    "other_idea_id": _l("Zusammengeführt mit"),
    "note": _l("Hinweis"),
}
# Where one event names a field differently.
EVENT_DETAIL_LABELS: dict[tuple[str, str], Any] = {
    ("Measure.BenefitRecorded", "description"): _l("Mehrwert"),
    ("Measure.MilestoneAdded", "title"): _l("Meilenstein"),
}
# Fields of the first event that repeat the idea's content: the content section shows them.
HIDDEN_DETAILS = {"Idea.Submitted": {"title", "description"}, "Idea.Revised": {"title"}}


@dataclass(frozen=True)
class Detail:
    """One shown field of a history entry; `url` links to the object it names."""

    label: str
    text: str
    url: str | None = None
    key: str = ""  # the event field it shows


@dataclass(frozen=True)
class Segment:
    """A piece of a word diff: kept, removed or added text."""

    op: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    """One changed field with its old and new value as a word diff."""

    label: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class StepsPage(PageNumbers):
    """The part of the (filtered) timeline one page shows; `first` is its first step's number."""

    page: int
    pages: int
    first: int
    last: int
    shown: int


def steps_page(shown: int, requested: str) -> StepsPage:
    """Which steps a page holds; a page past the end shows the last one."""
    number = int(requested)
    if number < 1:
        raise ValueError(requested)
    pages = max(1, -(-shown // STEPS_PER_PAGE))
    number = min(number, pages)
    first = (number - 1) * STEPS_PER_PAGE + 1
    return StepsPage(number, pages, first, min(shown, first + STEPS_PER_PAGE - 1), shown)


@dataclass(frozen=True)
class Step:
    """A history entry prepared for the timeline."""

    entry: HistoryEntry
    label: str
    person: str
    department: str
    role: str
    details: tuple[Detail, ...]
    diffs: tuple[FieldDiff, ...]
    after_url: str


@bp.get("/")
def timeline(idea_id: UUID) -> Page:
    """Every step of the idea, its working group's steps about it and its measure."""
    ideation = planner()
    idea = found(ideation.get_idea, idea_id)
    entries = found(ideation.idea_history, idea_id)
    kind = request.args.get("kind", "")
    newest_first = request.args.get("order") == "desc"
    if kind and kind not in HISTORY_KINDS:
        kind = ""
    shown = [e for e in entries if not kind or e.kind == kind]
    if newest_first:
        shown.reverse()
    error = None
    try:
        part = steps_page(len(shown), request.args.get("page", "1"))
    except ValueError:
        error = _("Die Seitenzahl muss eine ganze Zahl ab 1 sein.")
        part = steps_page(len(shown), "1")
    on_page = shown[part.first - 1 : part.last]
    as_of_url = url_for("history.as_of", idea_id=idea_id)
    prefetch_people(e.actor_person_id for e in on_page)
    query = {k: v for k, v in request.args.items() if k in ("kind", "order") and v}
    return render_template(
        "history/timeline.html",
        idea=idea,
        steps=[prepare_step(idea_id, e, as_of_url) for e in on_page],
        part=part,
        query=query,
        error=error,
        total=len(entries),
        kinds=HISTORY_KINDS,
        kind=kind,
        newest_first=newest_first,
        as_of_form=AsOfForm(formdata=None),
        # The version picker lives on the compare page: an idea may have hundreds of versions.
        may_compare=len(_comparable_versions(idea_id, entries)) > 1,
    ), (400 if error else 200)


@bp.get("/as-of")
def as_of(idea_id: UUID) -> Page:
    """The idea as it was after a step (version or moment) or at the end of a chosen day."""
    ideation = planner()
    current = found(ideation.get_idea, idea_id)
    form = AsOfForm(request.args)
    try:
        moment, version, caption = _as_of_request(form)
    except ValueError as problem:
        form.date.errors = [str(problem)]
        return _as_of_page(current, form, None, None), 400
    try:
        then = ideation.idea_as_of(idea_id, at=moment, version=version)
    except NotFound as problem:
        return _as_of_page(current, form, None, localized(problem.message)), 404
    except InvalidRequest:
        abort(400)
    return _as_of_page(current, form, then, None, caption=caption), 200


def _as_of_page(
    current: Any, form: AsOfForm, then: Any, missing: str | None, caption: str = ""
) -> str:
    return render_template(
        "history/as_of.html",
        idea=current,
        then=then,
        missing=missing,
        caption=caption,
        as_of_form=form,
    )


def _as_of_request(form: AsOfForm) -> tuple[dt.datetime | None, int | None, str]:
    """(moment, version, caption) from ?version=, ?at= (ISO moment) or ?date= (a local day)."""
    args = request.args
    if args.get("version"):
        try:
            version = int(args["version"])
        except ValueError:
            raise ValueError(_("Die Version muss eine ganze Zahl sein.")) from None
        if version < 1:
            raise ValueError(_("Die Version muss eine ganze Zahl sein."))
        return None, version, _("Stand nach Schritt %(version)s der Idee", version=version)
    if args.get("at"):
        try:
            moment = dt.datetime.fromisoformat(args["at"])
        except ValueError:
            raise ValueError(_("Der Zeitpunkt ist ungültig.")) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment, None, _("Stand nach dem gewählten Schritt")
    day_text = (form.date.data or "").strip()
    if not day_text:
        raise ValueError(_("Bitte ein Datum wählen."))
    day = parse_day(day_text)
    if day is None:
        raise ValueError(_("Bitte ein gültiges Datum im Format JJJJ-MM-TT angeben."))
    return end_of_day(day), None, _("Stand am %(day)s (Tagesende)", day=format_date_local(day))


@bp.get("/compare")
def compare(idea_id: UUID) -> Page:
    """What changed in the idea's content between two of its versions."""
    ideation = planner()
    idea = found(ideation.get_idea, idea_id)
    entries = found(ideation.idea_history, idea_id)
    # Without a choice yet, the page compares the first version with the newest.
    chosen = "older" in request.args or "newer" in request.args
    form = _compare_form(idea_id, entries, formdata=request.args if chosen else None)
    error = None
    diffs: list[FieldDiff] = []
    try:
        older, newer = int(form.older.data or ""), int(form.newer.data or "")
    except ValueError:
        error = _("Bitte zwei Versionen wählen.")
    else:
        if older >= newer:
            error = _("Die ältere Version muss vor der neueren liegen.")
        else:
            try:
                changes = ideation.idea_diff(idea_id, older, newer)
            except NotFound as problem:
                error = localized(problem.message)
            else:
                diffs = [
                    _field_diff(c.field, value_text(c.field, c.old), value_text(c.field, c.new))
                    for c in changes
                ]
    return render_template(
        "history/compare.html", idea=idea, form=form, diffs=diffs, error=error
    ), (400 if error else 200)


def _compare_form(idea_id: UUID, entries: list[HistoryEntry], formdata: Any) -> CompareVersionsForm:
    form = CompareVersionsForm(formdata)
    asked = {form.older.data, form.newer.data} if formdata is not None else set()
    choices = [
        (str(e.version), f"{e.version}: {localized(e.label)} ({e.timestamp:%d.%m.%Y})")
        for e in _comparable_versions(idea_id, entries, asked)
    ]
    form.older.choices = choices
    form.newer.choices = choices
    if formdata is None and len(choices) > 1:
        form.older.data, form.newer.data = choices[0][0], choices[-1][0]
    return form


def _comparable_versions(
    idea_id: UUID, entries: list[HistoryEntry], asked: set[str] | frozenset[str] = frozenset()
) -> list[HistoryEntry]:
    """The idea's own steps worth comparing: comments do not change the compared content, so
    their versions are not offered (an idea may have hundreds); versions asked for stay."""
    return [
        e
        for e in entries
        if e.aggregate_type == "Idea"
        and e.aggregate_id == idea_id
        and (e.kind != "comments" or str(e.version) in asked)
    ]


# -- preparing entries ----------------------------------------------------------------------


def prepare_step(idea_id: UUID, entry: HistoryEntry, as_of_url: str | None = None) -> Step:
    """A history entry with names, labels, details and word diffs, as the timeline shows it.

    `as_of_url` is the idea's "Stand nach …" address without a query (built once per page).
    """
    as_of_url = as_of_url or url_for("history.as_of", idea_id=idea_id)
    if entry.aggregate_type == "Idea" and entry.aggregate_id == idea_id:
        after = f"{as_of_url}?{urlencode({'version': entry.version})}"
    else:
        after = f"{as_of_url}?{urlencode({'at': entry.timestamp.isoformat()})}"
    return Step(
        entry=entry,
        label=localized(entry.label),
        person=person_name(entry.actor_person_id),
        department=department_name(entry.actor_department_id),
        role=str(ROLE_LABELS.get(entry.actor_role or "", entry.actor_role or "")),
        details=tuple(_details(entry)),
        diffs=tuple(_field_diff(c.field, c.old, c.new) for c in entry.changes),
        after_url=after,
    )


def _details(entry: HistoryEntry) -> list[Detail]:
    hidden = HIDDEN_DETAILS.get(entry.event_type, set())
    if entry.changes:
        hidden = hidden | {"statement", "indicator", "target"}
    shown = []
    for key, label in DETAIL_LABELS.items():
        value = entry.details.get(key)
        if key in hidden or value is None or value == "" or value == []:
            continue
        label = EVENT_DETAIL_LABELS.get((entry.event_type, key), label)
        shown.append(replace(_detail(key, str(label), value), key=key))
    return shown


def _detail(key: str, label: str, value: Any) -> Detail:
    if key in ("department_id", "owner_department_id"):
        return Detail(label, department_name(value))
    if key == "working_group_id":
        name = working_group_name(value)
        return Detail(label, name, url_for("working_groups.detail", group_id=value))
    if key == "other_idea_id":
        title = idea_title(value)
        return Detail(label, title, url_for("ideas.detail", idea_id=value))
    if key == "quick_win":
        return Detail(label, _("ja") if value else _("nein"))
    if key == "format":
        return Detail(label, meeting_format_label(value))
    if key == "outcome" and value in ("accept", "reject", "park"):
        return Detail(_("Empfehlung"), recommendation_label(value))
    if isinstance(value, dt.date):
        return Detail(label, format_date_local(value))
    return Detail(label, display_value(value))


def value_text(field: str, value: Any) -> str:
    """A compared field's value as a person reads it (names for ids, labels for codes)."""
    if value is None or value == "" or value == []:
        return ""
    if field == "status":
        return stage_label(value)
    if field == "quick_win":
        return _("ja") if value else _("nein")
    if field == "assessment":
        return _(
            "Wirkung %(impact)s, Aufwand %(effort)s, %(weeks)s Wochen: %(rationale)s",
            impact=value["impact"],
            effort=value["effort"],
            weeks=value["expected_weeks"],
            rationale=value["rationale"],
        )
    if field == "supporting_departments":
        return ", ".join(department_name(d) for d in value)
    if field == "working_group_id":
        return working_group_name(value)
    if field == "recommendation":
        return f"{recommendation_label(value['outcome'])}: {value['reasoning']}"
    if field == "measure_id":
        return _("Maßnahme geplant")
    if field == "merged_into":
        return idea_title(value)
    return display_value(value)


_WORDS = re.compile(r"\s+|[^\s]+")


def _field_diff(field: str, old: Any, new: Any) -> FieldDiff:
    """A word diff of a field's old and new text (lists as comma-joined text)."""
    before = "" if old is None else display_value(old) if old else ""
    after = "" if new is None else display_value(new) if new else ""
    return FieldDiff(field_label(field), _word_segments(before, after))


@functools.lru_cache(maxsize=4096)
def _word_segments(before_text: str, after_text: str) -> tuple[Segment, ...]:
    # Kept per process: a step's texts never change, and diffing them was a tenth of the
    # history page (ADR 0008). Segments are immutable, so sharing them is safe.
    before = _WORDS.findall(before_text)
    after = _WORDS.findall(after_text)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(before[a1:a2])))
            continue
        if a2 > a1:
            segments.append(Segment("removed", "".join(before[a1:a2])))
        if b2 > b1:
            segments.append(Segment("added", "".join(after[b1:b2])))
    return tuple(segments)
