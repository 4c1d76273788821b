"""Maßnahmen: the list with filters, the measure page and one form per action on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ideation.entrypoints.forms.measures import (
    YES_NO,
    AddMilestoneForm,
    BlockMeasureForm,
    CancelMeasureForm,
    FilterMeasuresForm,
    ImplementMeasureForm,
    MeasureActionForm,
    NoteApproachForm,
    ReachMilestoneForm,
    RecordBenefitForm,
    ReportProgressForm,
    ReviseGoalForm,
    SetGoalForm,
    UnblockMeasureForm,
    as_uuid,
    measure_status_label,
)
from ideation.entrypoints.i18n import TIMEZONE, format_date_local, localized
from ideation.entrypoints.pages.common import (
    Page,
    department_choices,
    department_name,
    found,
    planner,
    run_command,
    working_group_names,
)
from ideation.readmodels.queries import InvalidQuery

bp = Blueprint("measures", __name__, url_prefix="/measures")

# The action forms of the measure page by permission key, in the order the page shows them.
ACTION_FORMS: dict[str, type[MeasureActionForm]] = {
    "measure.set_goal": SetGoalForm,
    "measure.revise_goal": ReviseGoalForm,
    "measure.note_approach": NoteApproachForm,
    "measure.add_milestone": AddMilestoneForm,
    "measure.reach_milestone": ReachMilestoneForm,
    "measure.report_progress": ReportProgressForm,
    "measure.block": BlockMeasureForm,
    "measure.unblock": UnblockMeasureForm,
    "measure.implement": ImplementMeasureForm,
    "measure.record_benefit": RecordBenefitForm,
    "measure.cancel": CancelMeasureForm,
}

# Filter field of the list → the query argument InvalidQuery names.
FILTER_FIELDS = {
    "stage": "status",
    "quick_win": "quick_win",
    "blocked": "blocked",
    "working_group_id": "group",
    "owner_department_id": "department",
    "sort": "sort",
}


@bp.app_context_processor
def measure_helpers() -> dict[str, Any]:
    """The label of a measure status, for every template (lists of other features too)."""
    return {"measure_status_label": measure_status_label}


def today() -> dt.date:
    """Today in the city's time zone (by the planner's clock, if one is set)."""
    clock = getattr(planner(), "clock", None)
    now = clock() if clock is not None else dt.datetime.now(dt.UTC)
    return now.astimezone(ZoneInfo(TIMEZONE)).date()


# -- the list --------------------------------------------------------------------------


@bp.get("/")
def index() -> Page:
    """All Maßnahmen, filtered by stand, quick win, block, working group and department."""
    form = FilterMeasuresForm(formdata=request.args)
    form.group.choices = [
        ("", _("alle")),
        *((str(i), name) for i, name in working_group_names().items()),
    ]
    form.department.choices = department_choices(empty=_("alle"))
    args = request.args
    filters: dict[str, Any] = {
        "stage": args.get("status") or None,
        "quick_win": YES_NO.get(args.get("quick_win", ""), args.get("quick_win") or None),
        "blocked": YES_NO.get(args.get("blocked", ""), args.get("blocked") or None),
        "working_group_id": args.get("group") or None,
        "owner_department_id": args.get("department") or None,
        "sort": args.get("sort") or "updated",
    }
    try:
        rows = planner().read_models.list_measures(**filters)
    except InvalidQuery as error:
        message = localized(error.message)
        field = getattr(form, FILTER_FIELDS.get(error.field, ""), None)
        if field is not None:
            field.errors = [message]
        page = render_template(
            "measures/index.html", form=form, rows=[], error=message, today=today()
        )
        return page, 400
    filtered = any(args.get(name) for name in FILTER_FIELDS.values() if name != "sort")
    return render_template(
        "measures/index.html",
        form=form,
        rows=rows,
        filtered=filtered,
        error=None,
        today=today(),
        group_names=working_group_names(),
    )


# -- the measure page ------------------------------------------------------------------


@bp.get("/<uuid:measure_id>")
def detail(measure_id: UUID) -> str:
    """A measure: goals, approach, milestones, progress, outcome, benefits and actions."""
    return _page(measure_id)


def _page(measure_id: UUID, failed: tuple[str, MeasureActionForm] | None = None) -> str:
    """The measure page with fresh forms for the offered actions (and a form that failed)."""
    measure = found(planner().get_measure, measure_id)
    offered = planner().measure_actions(current_user.person_id, measure_id)
    forms = {
        action: _fresh_form(form_class, measure)
        for action, form_class in ACTION_FORMS.items()
        if action in offered
    }
    if failed is not None:
        forms[failed[0]] = failed[1]
    forms = {action: forms[action] for action in ACTION_FORMS if action in forms}
    day = today()
    return render_template(
        "measures/detail.html",
        measure=measure,
        forms=forms,
        milestones=_milestones(measure.milestones, day),
        group_name=working_group_names().get(measure.working_group_id, "–"),
        today=day,
    )


def _milestones(milestones: Any, day: dt.date) -> list[dict[str, Any]]:
    """Milestones by due date, each with its state: reached, overdue or open."""
    rows = []
    for m in sorted(milestones, key=lambda m: (m["due_on"], m["title"])):
        if m["reached_on"] is not None:
            state = "reached"
        elif m["due_on"] < day:
            state = "overdue"
        else:
            state = "open"
        rows.append({**m, "state": state})
    return rows


def _fresh_form(form_class: type[MeasureActionForm], measure: Any) -> MeasureActionForm:
    data: dict[str, Any] = {"version": measure.version}
    if form_class is NoteApproachForm:
        data["approach"] = measure.approach
    elif form_class is ReportProgressForm:
        data["percent"] = measure.progress
    elif form_class in (ReachMilestoneForm, ImplementMeasureForm):
        data["reached_on" if form_class is ReachMilestoneForm else "implemented_on"] = today()
    elif form_class is ReviseGoalForm and len(measure.goals) == 1:
        goal = measure.goals[0]
        data.update(
            goal_id=str(goal["goal_id"]),
            statement=goal["statement"],
            indicator=goal["indicator"],
            target=goal["target"],
        )
    form = form_class(formdata=None, data=data)
    _choices(form, measure)
    return form


def _choices(form: MeasureActionForm, measure: Any) -> None:
    """The options of the form's selects, from the measure (goals, open milestones)."""
    if isinstance(form, ReviseGoalForm):
        goals = [(str(goal["goal_id"]), goal["statement"][:120]) for goal in measure.goals]
        # With several goals the person picks one; the fields start empty then.
        form.goal_id.choices = goals if len(goals) == 1 else [("", _("Bitte wählen")), *goals]
    elif isinstance(form, ReachMilestoneForm):
        form.milestone_id.choices = [
            (str(m["milestone_id"]), f"{m['title']} ({format_date_local(m['due_on'])})")
            for m in sorted(measure.milestones, key=lambda m: m["due_on"])
            if m["reached_on"] is None
        ]
    elif isinstance(form, RecordBenefitForm):
        form.department_id.choices = department_choices(empty=_("Bitte wählen"))


# -- the actions -----------------------------------------------------------------------


def _act(
    measure_id: UUID,
    action: str,
    command: Callable[[Any, UUID], object],
    done: Callable[[Any], str],
) -> Page:
    """Run one action form: redirect to the page on success, else show the page with it."""
    measure = found(planner().get_measure, measure_id)
    form = ACTION_FORMS[action]()
    _choices(form, measure)
    actor = current_user.person_id
    if not form.validate_on_submit():
        if action not in planner().measure_actions(actor, measure_id):
            abort(403)
        return _page(measure_id, (action, form)), 400
    _result, status = run_command(form, lambda: command(form, actor))
    if status:
        return _page(measure_id, (action, form)), status
    flash(done(form), "success")
    return redirect(url_for("measures.detail", measure_id=measure_id))


@bp.post("/<uuid:measure_id>/goals")
def set_goal(measure_id: UUID) -> Page:
    """Set a goal with indicator and target."""
    return _act(
        measure_id,
        "measure.set_goal",
        lambda f, actor: planner().set_goal(
            actor,
            measure_id,
            f.version.data,
            statement=f.statement.data,
            indicator=f.indicator.data,
            target=f.target.data,
        ),
        lambda f: _("Ziel festgelegt."),
    )


@bp.post("/<uuid:measure_id>/goals/revise")
def revise_goal(measure_id: UUID) -> Page:
    """Change a goal, with an optional note."""
    return _act(
        measure_id,
        "measure.revise_goal",
        lambda f, actor: planner().revise_goal(
            actor,
            measure_id,
            f.version.data,
            as_uuid(f.goal_id.data),
            statement=f.statement.data,
            indicator=f.indicator.data,
            target=f.target.data,
            note=f.note.data or "",
        ),
        lambda f: _("Ziel geändert."),
    )


@bp.post("/<uuid:measure_id>/approach")
def note_approach(measure_id: UUID) -> Page:
    """Describe the chosen way (Lösungsweg)."""
    return _act(
        measure_id,
        "measure.note_approach",
        lambda f, actor: planner().note_approach(
            actor, measure_id, f.version.data, f.approach.data
        ),
        lambda f: _("Lösungsweg gespeichert."),
    )


@bp.post("/<uuid:measure_id>/milestones")
def add_milestone(measure_id: UUID) -> Page:
    """Plan a dated milestone."""
    return _act(
        measure_id,
        "measure.add_milestone",
        lambda f, actor: planner().add_milestone(
            actor, measure_id, f.version.data, f.title.data, f.due_on.data
        ),
        lambda f: _("Meilenstein „%(title)s“ geplant.", title=f.title.data.strip()),
    )


@bp.post("/<uuid:measure_id>/milestones/reach")
def reach_milestone(measure_id: UUID) -> Page:
    """Report an open milestone as reached."""
    return _act(
        measure_id,
        "measure.reach_milestone",
        lambda f, actor: planner().reach_milestone(
            actor, measure_id, f.version.data, as_uuid(f.milestone_id.data), f.reached_on.data
        ),
        lambda f: _("Meilenstein als erreicht gemeldet."),
    )


@bp.post("/<uuid:measure_id>/progress")
def report_progress(measure_id: UUID) -> Page:
    """Report progress in percent."""
    return _act(
        measure_id,
        "measure.report_progress",
        lambda f, actor: planner().report_progress(
            actor, measure_id, f.version.data, f.percent.data, f.note.data or ""
        ),
        lambda f: _("Fortschritt gemeldet: %(percent)s Prozent.", percent=f.percent.data),
    )


@bp.post("/<uuid:measure_id>/block")
def block(measure_id: UUID) -> Page:
    """Report the measure as blocked, with a reason."""
    return _act(
        measure_id,
        "measure.block",
        lambda f, actor: planner().block_measure(actor, measure_id, f.version.data, f.reason.data),
        lambda f: _("Die Maßnahme ist als blockiert gemeldet."),
    )


@bp.post("/<uuid:measure_id>/unblock")
def unblock(measure_id: UUID) -> Page:
    """Lift the block."""
    return _act(
        measure_id,
        "measure.unblock",
        lambda f, actor: planner().unblock_measure(
            actor, measure_id, f.version.data, f.note.data or ""
        ),
        lambda f: _("Blockade aufgehoben."),
    )


@bp.post("/<uuid:measure_id>/implement")
def implement(measure_id: UUID) -> Page:
    """Report the measure as implemented, with date and outcome."""
    return _act(
        measure_id,
        "measure.implement",
        lambda f, actor: planner().implement_measure(
            actor, measure_id, f.version.data, f.implemented_on.data, f.outcome.data
        ),
        lambda f: _("Die Maßnahme ist als umgesetzt gemeldet."),
    )


@bp.post("/<uuid:measure_id>/benefits")
def record_benefit(measure_id: UUID) -> Page:
    """Record the value the measure brought to a department."""
    return _act(
        measure_id,
        "measure.record_benefit",
        lambda f, actor: planner().record_benefit(
            actor, measure_id, f.version.data, as_uuid(f.department_id.data), f.description.data
        ),
        lambda f: _(
            "Mehrwert für %(department)s festgehalten.",
            department=department_name(as_uuid(f.department_id.data)),
        ),
    )


@bp.post("/<uuid:measure_id>/cancel")
def cancel(measure_id: UUID) -> Page:
    """Stop the measure for good, with a reason."""
    return _act(
        measure_id,
        "measure.cancel",
        lambda f, actor: planner().cancel_measure(actor, measure_id, f.version.data, f.reason.data),
        lambda f: _("Die Maßnahme ist abgebrochen."),
    )
