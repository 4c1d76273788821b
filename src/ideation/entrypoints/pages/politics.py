"""Political rounds (Politische Runden) and the council factions: issue 8, part 4.

Every signed-in role of the planner may read these pages (an ambassador-only person is kept
to the briefings by auth.py); the coordination plans and records rounds, calls them off and
turns suggestions into ideas; the coordination and administrators keep the list of factions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ideation.domain.politics import (
    FACTION_STATUS_LABELS,
    ROUND_STATUS_LABELS,
    FactionStatus,
    RoundStatus,
)
from ideation.entrypoints.forms.politics import (
    AdoptRoundSuggestionForm,
    CancelPoliticalRoundForm,
    PlanPoliticalRoundForm,
    RecordPoliticalRoundForm,
    RegisterFactionForm,
    RenameFactionForm,
    RetireFactionForm,
    lines,
)
from ideation.entrypoints.i18n import localized
from ideation.entrypoints.pages.common import (
    Page,
    department_choices,
    form_status,
    found,
    idea_title,
    planner,
    run_command,
)

bp = Blueprint("politics", __name__, url_prefix="/politik")


def round_status_label(status: str) -> str:
    """A round's status in the current language."""
    return localized(ROUND_STATUS_LABELS[RoundStatus(status)])


def faction_status_label(status: str) -> str:
    """A faction's status in the current language."""
    return localized(FACTION_STATUS_LABELS[FactionStatus(status)])


@bp.app_context_processor
def politics_helpers() -> dict[str, Any]:
    """The status labels of rounds and factions for every template (briefings use them too)."""
    return {"round_status_label": round_status_label, "faction_status_label": faction_status_label}


# The action forms of a round's page: template name → (form class, action key).
ROUND_FORMS: dict[str, tuple[type[FlaskForm], str]] = {
    "record_form": (RecordPoliticalRoundForm, "record"),
    "cancel_form": (CancelPoliticalRoundForm, "cancel"),
}


def _faction_choices(extra: tuple[UUID, ...] = ()) -> list[tuple[str, str]]:
    """Factions in the council (and any of `extra`, e.g. already invited) as choices."""
    rows = planner().read_models.list_factions()
    return [(str(f.id), f"{f.name} ({f.short_name})") for f in rows if f.is_active or f.id in extra]


# -- rounds ---------------------------------------------------------------------------------


@bp.get("/")
def index() -> str:
    """Planned rounds (soonest first) and held or cancelled rounds (newest first)."""
    return render_template(
        "politics/index.html",
        rounds=planner().read_models.list_political_rounds(),
        may_plan=planner().may(current_user.person_id, "political_round.plan"),
    )


@bp.route("/runden/neu", methods=["GET", "POST"])
def plan_round() -> Page:
    """Plan a round: date, title, the factions invited (the coordination)."""
    if not planner().may(current_user.person_id, "political_round.plan"):
        abort(403)
    form = PlanPoliticalRoundForm()
    form.invited_faction_ids.choices = _faction_choices()
    if form.validate_on_submit():
        round_id, status = run_command(
            form,
            lambda: planner().plan_political_round(
                current_user.person_id,
                scheduled_on=form.scheduled_on.data,
                title=form.title.data,
                invited_faction_ids=[UUID(i) for i in form.invited_faction_ids.data or []],
            ),
        )
        if not status:
            flash(_("Politische Runde geplant."), "success")
            return redirect(url_for("politics.round_detail", round_id=round_id))
        return render_template("politics/plan.html", form=form), status
    return render_template("politics/plan.html", form=form), form_status(form)


def _adopt_prefix(index: int) -> str:
    return f"adopt-{index}"


def _prepare(form: FlaskForm, political_round: Any) -> FlaskForm:
    """Give a round form the choices it offers (before validating or rendering it)."""
    if isinstance(form, RecordPoliticalRoundForm):
        form.attending_faction_ids.choices = _faction_choices(political_round.invited_faction_ids)
    elif isinstance(form, AdoptRoundSuggestionForm):
        form.department_id.choices = department_choices(empty=_("Bitte auswählen"))
    return form


def _round_page(
    round_id: UUID,
    status: int = 200,
    bound: tuple[str, FlaskForm] | None = None,
    bound_adopt: tuple[int, AdoptRoundSuggestionForm] | None = None,
) -> Any:
    """Render a round's page: fresh forms for what the viewer may do, or one bound form."""
    app = planner()
    political_round = found(app.get_political_round, round_id)
    actions = app.political_round_actions(current_user.person_id, round_id)
    forms: dict[str, FlaskForm | None] = {}
    for name, (form_class, action) in ROUND_FORMS.items():
        if bound is not None and bound[0] == name:
            forms[name] = _prepare(bound[1], political_round)
        elif action in actions:
            data: dict[str, Any] = {"version": political_round.version}
            if form_class is RecordPoliticalRoundForm:
                data["held_on"] = political_round.scheduled_on
                data["attending_faction_ids"] = [
                    str(i) for i in political_round.invited_faction_ids
                ]
            forms[name] = _prepare(form_class(data=data), political_round)
        else:
            forms[name] = None
    suggestions = []
    for suggestion in political_round.suggestions:
        form = None
        if bound_adopt is not None and bound_adopt[0] == suggestion.index:
            form = _prepare(bound_adopt[1], political_round)
        elif suggestion.idea_id is None and "adopt_suggestion" in actions:
            form = _prepare(
                AdoptRoundSuggestionForm(
                    prefix=_adopt_prefix(suggestion.index),
                    data={
                        "version": political_round.version,
                        "title": suggestion.text[:200],
                        "summary": suggestion.text[:500],
                    },
                ),
                political_round,
            )
        title = idea_title(suggestion.idea_id) if suggestion.idea_id else None
        suggestions.append((suggestion, title, form))
    page = render_template(
        "politics/round.html",
        round=political_round,
        factions=app.read_models.political_round_factions(round_id),
        suggestions=suggestions,
        **forms,
    )
    return page, status


@bp.get("/runden/<uuid:round_id>")
def round_detail(round_id: UUID) -> Page:
    """One round: facts, factions, questions, suggestions and what the coordination may do."""
    return _round_page(round_id)


def _round_action(round_id: UUID, name: str, command: Callable[[Any, int], Any], done: str) -> Page:
    """Validate one action form of the round's page, run its command, redirect or re-render."""
    form_class, action = ROUND_FORMS[name]
    political_round = found(planner().get_political_round, round_id)
    form = _prepare(form_class(), political_round)
    if form.validate_on_submit():
        _done, status = run_command(form, lambda: command(form, form.version.data))
        if not status:
            flash(done, "success")
            return redirect(url_for("politics.round_detail", round_id=round_id))
        return _round_page(round_id, status, bound=(name, form))
    if action not in planner().political_round_actions(current_user.person_id, round_id):
        abort(403)
    return _round_page(round_id, form_status(form), bound=(name, form))


@bp.post("/runden/<uuid:round_id>/festhalten")
def record_round(round_id: UUID) -> Page:
    """Record the round as held (the coordination)."""
    return _round_action(
        round_id,
        "record_form",
        lambda form, version: planner().record_political_round(
            current_user.person_id,
            round_id,
            version,
            held_on=form.held_on.data,
            attending_faction_ids=[UUID(i) for i in form.attending_faction_ids.data or []],
            questions=lines(form.questions.data),
            suggestions=lines(form.suggestions.data),
            notes=form.notes.data or "",
        ),
        _("Runde festgehalten."),
    )


@bp.post("/runden/<uuid:round_id>/absagen")
def cancel_round(round_id: UUID) -> Page:
    """Call the round off, with a reason (the coordination)."""
    return _round_action(
        round_id,
        "cancel_form",
        lambda form, version: planner().cancel_political_round(
            current_user.person_id, round_id, version, form.reason.data
        ),
        _("Runde abgesagt."),
    )


@bp.post("/runden/<uuid:round_id>/anregungen/<int:index>/uebernehmen")
def adopt_suggestion(round_id: UUID, index: int) -> Page:
    """Turn a suggestion into an idea of a department, origin "Politische Runde"."""
    political_round = found(planner().get_political_round, round_id)
    if index >= len(political_round.suggestions):
        abort(404)
    form = _prepare(AdoptRoundSuggestionForm(prefix=_adopt_prefix(index)), political_round)
    if form.validate_on_submit():
        idea_id, status = run_command(
            form,
            lambda: planner().adopt_round_suggestion(
                current_user.person_id,
                round_id,
                form.version.data,
                suggestion_index=index,
                department_id=UUID(form.department_id.data),
                title=form.title.data,
                summary=form.summary.data,
            ),
        )
        if not status:
            flash(_("Die Anregung ist jetzt eine Idee."), "success")
            return redirect(url_for("ideas.detail", idea_id=idea_id))
        return _round_page(round_id, status, bound_adopt=(index, form))
    actions = planner().political_round_actions(current_user.person_id, round_id)
    if "adopt_suggestion" not in actions:
        abort(403)
    return _round_page(round_id, form_status(form), bound_adopt=(index, form))


# -- factions -------------------------------------------------------------------------------


def _rename_prefix(faction_id: UUID) -> str:
    return f"rename-{faction_id.hex[:8]}"


def _retire_prefix(faction_id: UUID) -> str:
    return f"retire-{faction_id.hex[:8]}"


def _factions_page(
    status: int = 200,
    register_form: RegisterFactionForm | None = None,
    bound: tuple[UUID, FlaskForm] | None = None,
) -> Any:
    """Render the list of factions with the forms the viewer may use."""
    app = planner()
    viewer = current_user.person_id
    may_register = app.may(viewer, "faction.register")
    if register_form is None and may_register:
        register_form = RegisterFactionForm(formdata=None)
    entries = []
    for faction in app.read_models.list_factions():
        actions = app.faction_actions(viewer, faction.id) if may_register else frozenset()
        rename = retire = None
        if bound is not None and bound[0] == faction.id:
            if isinstance(bound[1], RenameFactionForm):
                rename = bound[1]
            else:
                retire = bound[1]
        if rename is None and "rename" in actions:
            rename = RenameFactionForm(
                formdata=None,
                prefix=_rename_prefix(faction.id),
                data={
                    "version": faction.version,
                    "name": faction.name,
                    "short_name": faction.short_name,
                },
            )
        if retire is None and "retire" in actions:
            retire = RetireFactionForm(
                formdata=None,
                prefix=_retire_prefix(faction.id),
                data={"version": faction.version},
            )
        entries.append((faction, rename, retire))
    page = render_template(
        "politics/factions.html",
        entries=entries,
        managed=any(rename or retire for _faction, rename, retire in entries),
        register_form=register_form if may_register else None,
    )
    return page, status


@bp.route("/fraktionen", methods=["GET", "POST"])
def factions() -> Page:
    """The council factions; the coordination and administrators add to the list."""
    if not planner().may(current_user.person_id, "faction.register"):
        if request.method == "POST":
            abort(403)
        return _factions_page()
    form = RegisterFactionForm()
    if form.validate_on_submit():
        _id, status = run_command(
            form,
            lambda: planner().register_faction(
                current_user.person_id, form.name.data, form.short_name.data
            ),
        )
        if not status:
            flash(_("Fraktion „%(name)s“ aufgenommen.", name=form.name.data.strip()), "success")
            return redirect(url_for("politics.factions"))
        return _factions_page(status, register_form=form)
    return _factions_page(form_status(form), register_form=form)


def _faction_action(
    faction_id: UUID,
    form: FlaskForm,
    action: str,
    command: Callable[[Any, int], Any],
    done: str,
) -> Page:
    if not planner().may(current_user.person_id, f"faction.{action}"):
        abort(403)
    found(planner().get_faction, faction_id)
    if form.validate_on_submit():
        _done, status = run_command(form, lambda: command(form, form.version.data))
        if not status:
            flash(done, "success")
            return redirect(url_for("politics.factions"))
        return _factions_page(status, bound=(faction_id, form))
    return _factions_page(form_status(form), bound=(faction_id, form))


@bp.post("/fraktionen/<uuid:faction_id>/umbenennen")
def rename_faction(faction_id: UUID) -> Page:
    """Give a faction a new name (the coordination or an administrator)."""
    return _faction_action(
        faction_id,
        RenameFactionForm(prefix=_rename_prefix(faction_id)),
        "rename",
        lambda form, version: planner().rename_faction(
            current_user.person_id, faction_id, version, form.name.data, form.short_name.data
        ),
        _("Fraktion umbenannt."),
    )


@bp.post("/fraktionen/<uuid:faction_id>/austragen")
def retire_faction(faction_id: UUID) -> Page:
    """Take a faction off the council's list, with a reason."""
    return _faction_action(
        faction_id,
        RetireFactionForm(prefix=_retire_prefix(faction_id)),
        "retire",
        lambda form, version: planner().retire_faction(
            current_user.person_id, faction_id, version, form.reason.data
        ),
        _("Fraktion ausgetragen."),
    )
