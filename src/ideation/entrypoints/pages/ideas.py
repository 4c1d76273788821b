"""Ideas: the list, the submit form, the idea page and its action forms."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from ideation.application.security_log import log_security_event
from ideation.domain.stages import STAGE_SEQUENCE
from ideation.entrypoints.forms.groups import RecommendIdeaForm
from ideation.entrypoints.forms.ideas import (
    AcceptIdeaForm,
    AssessIdeaForm,
    AssignIdeaForm,
    CommentIdeaForm,
    FilterIdeasForm,
    IdeaActionForm,
    MergeIdeaForm,
    OverrideQuickWinForm,
    ParkIdeaForm,
    PledgeSupportForm,
    RejectIdeaForm,
    ReopenIdeaForm,
    ReplyToCommentForm,
    ReviseIdeaForm,
    SubmitIdeaForm,
    WithdrawIdeaForm,
    WithdrawSupportForm,
    reply_prefix,
    split_themes,
)
from ideation.entrypoints.i18n import localized
from ideation.entrypoints.labels import stage_label
from ideation.entrypoints.pages.common import (
    Page,
    department_choices,
    found,
    planner,
    prefetch_people,
    run_command,
)
from ideation.entrypoints.pages.exchange import origin_session_choices
from ideation.readmodels.queries import InvalidQuery

bp = Blueprint("ideas", __name__, url_prefix="/ideas")

PAGE_SIZE = 20
CLOSED_STAGES = ("rejected", "parked", "merged", "withdrawn", "cancelled")


# -- the list ------------------------------------------------------------------------------


@bp.get("/")
def index() -> Page:
    """All ideas, filtered, searched and paged."""
    read_models = planner().read_models
    form = FilterIdeasForm(request.args)
    form.stage.choices = [("", _("alle")), *((s, stage_label(s)) for s in _all_stages())]
    form.department.choices = department_choices(empty=_("alle"))
    form.theme.choices = [("", _("alle"))] + [(t.theme, t.theme) for t in read_models.list_themes()]
    form.group.choices = [("", _("alle"))] + [
        (str(g.id), g.name) for g in read_models.list_working_groups()
    ]
    filters = {
        "stage": form.stage.data or None,
        "department_id": form.department.data or None,
        "theme": form.theme.data or None,
        "quick_win": {"yes": True, "no": False}.get(form.quick_win.data or ""),
        "working_group_id": form.group.data or None,
        "text": (form.q.data or "").strip() or None,
        "sort": form.sort.data or None,
    }
    error = None
    try:
        page_number = int(request.args.get("page", "1"))
        result = read_models.list_ideas(**filters, page=page_number, page_size=PAGE_SIZE)
    except ValueError as problem:  # InvalidQuery is a ValueError, so is a bad page number
        error = localized(problem.message) if isinstance(problem, InvalidQuery) else None
        error = error or _("Die Seitenzahl muss eine ganze Zahl ab 1 sein.")
        result = None
    status = 400 if error else 200
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "ideas/index.html",
        form=form,
        result=result,
        error=error,
        query=query,
        filtered=bool(query),
        may_submit=planner().may(current_user.person_id, "idea.submit"),
    ), status


def _all_stages() -> tuple[str, ...]:
    return (*STAGE_SEQUENCE, *CLOSED_STAGES)


# -- submitting ----------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
def submit() -> Page:
    """Submit an idea for the person's department, with hints to similar ideas."""
    if not planner().may(current_user.person_id, "idea.submit"):
        abort(403)
    form = SubmitIdeaForm()
    form.origin_session_id.choices = origin_session_choices()
    if not form.is_submitted():
        form.idempotency_key.data = str(uuid.uuid4())
    checking = request.form.get("check") is not None
    similar = _similar(form) if form.is_submitted() else []
    if form.validate_on_submit() and not checking:
        idea_id, status = run_command(
            form,
            lambda: planner().submit_idea(
                current_user.person_id,
                title=form.title.data,
                summary=form.summary.data,
                description=form.description.data or "",
                themes=split_themes(form.themes.data),
                idempotency_key=form.idempotency_key.data or None,
                origin_session_id=(
                    UUID(form.origin_session_id.data) if form.origin_session_id.data else None
                ),
            ),
        )
        if idea_id is not None:
            flash(_("Ihre Idee wurde eingereicht."), "success")
            return redirect(url_for("ideas.detail", idea_id=idea_id))
    else:
        status = 200 if checking or not form.is_submitted() else 400
    return render_template("ideas/submit.html", form=form, similar=similar, checked=checking), (
        status
    )


def _similar(form: FlaskForm) -> list[Any]:
    title = (form.title.data or "").strip()
    if len(title) < 3:
        return []
    return planner().read_models.similar_ideas(title, form.summary.data or "")


@bp.get("/similar")
def similar() -> str:
    """The "Ähnliche Ideen" hints as an HTML fragment (fetched while typing, if scripts run)."""
    title = request.args.get("title", "").strip()[:200]
    summary = request.args.get("summary", "").strip()[:500]
    hints = planner().read_models.similar_ideas(title, summary) if len(title) >= 3 else []
    return render_template("ideas/_similar.html", similar=hints, checked=bool(title))


# -- the idea page -------------------------------------------------------------------------


@dataclass(frozen=True)
class IdeaAction:
    """One action on the idea page: its permission, form, command and message."""

    permission: str
    form: type[IdeaActionForm]
    heading: Any
    button: Any
    done: Any
    command: Callable[[Any, UUID, UUID, Any], Any]


def _opt_uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


def _uuid_choice(value: str | None) -> UUID | str | None:
    """A chosen id; a malformed one is passed on so the command names the field."""
    return _opt_uuid(value) or value


ACTIONS: dict[str, IdeaAction] = {
    "revise": IdeaAction(
        "idea.revise",
        ReviseIdeaForm,
        _l("Idee überarbeiten"),
        _l("Änderungen speichern"),
        _l("Die Idee wurde überarbeitet."),
        lambda p, actor, idea_id, f: p.revise_idea(
            actor, idea_id, f.version.data, _changed_content(p, idea_id, f), f.note.data or ""
        ),
    ),
    "comment": IdeaAction(
        "idea.comment",
        CommentIdeaForm,
        _l("Kommentieren"),
        _l("Kommentar veröffentlichen"),
        _l("Ihr Kommentar wurde veröffentlicht."),
        lambda p, actor, idea_id, f: p.comment_on_idea(
            actor, idea_id, f.version.data, f.text.data, _opt_uuid(f.reply_to.data)
        ),
    ),
    "pledge": IdeaAction(
        "idea.pledge_support",
        PledgeSupportForm,
        _l("Mitwirkung zusagen"),
        _l("Mitwirkung zusagen"),
        _l("Die Mitwirkung Ihres Fachbereichs ist zugesagt."),
        lambda p, actor, idea_id, f: p.pledge_support(
            actor, idea_id, f.version.data, f.note.data or ""
        ),
    ),
    "unpledge": IdeaAction(
        "idea.withdraw_support",
        WithdrawSupportForm,
        _l("Mitwirkung zurückziehen"),
        _l("Mitwirkung zurückziehen"),
        _l("Die Mitwirkung Ihres Fachbereichs ist zurückgezogen."),
        lambda p, actor, idea_id, f: p.withdraw_support(
            actor, idea_id, f.version.data, f.note.data or ""
        ),
    ),
    "assess": IdeaAction(
        "idea.assess",
        AssessIdeaForm,
        _l("Bewerten"),
        _l("Bewertung speichern"),
        _l("Die Bewertung wurde gespeichert."),
        lambda p, actor, idea_id, f: p.assess_idea(
            actor,
            idea_id,
            f.version.data,
            impact=int(f.impact.data),
            effort=int(f.effort.data),
            expected_weeks=f.expected_weeks.data,
            rationale=f.rationale.data,
        ),
    ),
    "override": IdeaAction(
        "idea.override_quick_win",
        OverrideQuickWinForm,
        _l("Quick-Win-Einstufung ändern"),
        _l("Einstufung ändern"),
        _l("Die Quick-Win-Einstufung wurde geändert."),
        lambda p, actor, idea_id, f: p.override_quick_win(
            actor, idea_id, f.version.data, f.quick_win.data == "yes", f.reason.data
        ),
    ),
    "assign": IdeaAction(
        "idea.assign_to_working_group",
        AssignIdeaForm,
        _l("An Arbeitsgruppe übergeben"),
        _l("Übergeben"),
        _l("Die Idee wurde an die Arbeitsgruppe übergeben."),
        lambda p, actor, idea_id, f: p.assign_idea_to_working_group(
            actor, idea_id, f.version.data, _uuid_choice(f.working_group_id.data)
        ),
    ),
    "recommend": IdeaAction(
        "idea.recommend",
        RecommendIdeaForm,
        _l("Empfehlung der Arbeitsgruppe"),
        _l("Empfehlung abgeben"),
        _l("Die Empfehlung der Arbeitsgruppe ist festgehalten."),
        lambda p, actor, idea_id, f: p.recommend(
            actor, idea_id, f.version.data, f.outcome.data, f.reasoning.data
        ),
    ),
    "accept": IdeaAction(
        "idea.accept",
        AcceptIdeaForm,
        _l("Annehmen"),
        _l("Annehmen"),
        _l("Die Idee ist angenommen; die Maßnahme ist geplant."),
        lambda p, actor, idea_id, f: p.accept_idea(
            actor,
            idea_id,
            f.version.data,
            f.reason.data,
            owner_department_id=_opt_uuid(f.owner_department_id.data),
        ),
    ),
    "reject": IdeaAction(
        "idea.reject",
        RejectIdeaForm,
        _l("Ablehnen"),
        _l("Ablehnen"),
        _l("Die Idee ist abgelehnt."),
        lambda p, actor, idea_id, f: p.reject_idea(actor, idea_id, f.version.data, f.reason.data),
    ),
    "park": IdeaAction(
        "idea.park",
        ParkIdeaForm,
        _l("Zurückstellen"),
        _l("Zurückstellen"),
        _l("Die Idee ist zurückgestellt."),
        lambda p, actor, idea_id, f: p.park_idea(actor, idea_id, f.version.data, f.reason.data),
    ),
    "reopen": IdeaAction(
        "idea.reopen",
        ReopenIdeaForm,
        _l("Wieder aufnehmen"),
        _l("Wieder aufnehmen"),
        _l("Die Idee ist wieder in Prüfung."),
        lambda p, actor, idea_id, f: p.reopen_idea(actor, idea_id, f.version.data, f.reason.data),
    ),
    "merge": IdeaAction(
        "idea.merge",
        MergeIdeaForm,
        _l("Zusammenführen"),
        _l("Zusammenführen"),
        _l("Die Idee wurde zusammengeführt."),
        lambda p, actor, idea_id, f: p.merge_idea(
            actor, idea_id, f.version.data, _uuid_choice(f.into_idea_id.data), f.reason.data
        ),
    ),
    "withdraw": IdeaAction(
        "idea.withdraw",
        WithdrawIdeaForm,
        _l("Idee zurückziehen"),
        _l("Zurückziehen"),
        _l("Die Idee ist zurückgezogen."),
        lambda p, actor, idea_id, f: p.withdraw_idea(actor, idea_id, f.version.data, f.reason.data),
    ),
}


def _content_of(form: Any) -> dict[str, Any]:
    return {
        "title": (form.title.data or "").strip(),
        "summary": (form.summary.data or "").strip(),
        "description": (form.description.data or "").strip(),
        "themes": split_themes(form.themes.data),
    }


def _content_at(ideation: Any, idea_id: UUID, version: int) -> dict[str, Any]:
    then = ideation.idea_as_of(idea_id, version=version)
    return {
        "title": then.title,
        "summary": then.summary,
        "description": then.description,
        "themes": list(then.themes),
    }


def _changed_content(ideation: Any, idea_id: UUID, form: Any) -> dict[str, Any]:
    """Only the fields the person changed against the version they edited.

    So a revision never reverts what someone else changed meanwhile in another field.
    """
    base = _content_at(ideation, idea_id, form.version.data)
    wanted = _content_of(form)
    changed = {k: v for k, v in wanted.items() if v != base[k]}
    return changed or wanted


def _merge_after_conflict(form: Any, idea_id: UUID, seen_version: int) -> None:
    """After a conflict, fields the person left alone take the current values."""
    ideation = planner()
    base = _content_at(ideation, idea_id, seen_version)
    now = ideation.get_idea(idea_id)
    mine = _content_of(form)
    current = {
        "title": now.title,
        "summary": now.summary,
        "description": now.description,
        "themes": ", ".join(now.themes),
    }
    for name in current:
        if mine[name] == base[name]:
            getattr(form, name).data = current[name]
            getattr(form, name).raw_data = [current[name]]


@bp.get("/<uuid:idea_id>")
def detail(idea_id: UUID) -> str:
    """One idea with everything the viewer may do with it."""
    return _idea_page(idea_id)


@bp.post("/<uuid:idea_id>/<action>")
def act(idea_id: UUID, action: str) -> Page:
    """Run one action from the idea page (Post/Redirect/Get)."""
    spec = ACTIONS.get(action)
    if spec is None:
        abort(404)
    idea = found(planner().get_idea, idea_id)
    form = spec.form()
    _fill_choices(action, form, idea)
    if form.validate_on_submit():
        seen_version = form.version.data
        _result, status = run_command(
            form, lambda: spec.command(planner(), current_user.person_id, idea_id, form)
        )
        if status == 409 and action == "revise":
            _merge_after_conflict(form, idea_id, seen_version)
        if status == 0:
            flash(str(spec.done), "success")
            if action == "accept":
                return redirect(url_for("ideas.detail", idea_id=idea_id) + "#massnahme")
            return redirect(url_for("ideas.detail", idea_id=idea_id))
    else:
        # A form the person may not use is refused even when it is also malformed.
        if spec.permission not in planner().idea_actions(current_user.person_id, idea_id):
            log_security_event(
                "access.denied", person_id=current_user.person_id, endpoint=request.endpoint
            )
            abort(403)
        status = 400
    return _idea_page(idea_id, bound=(action, form)), status


@bp.post("/<uuid:idea_id>/comments/<uuid:comment_id>/reply")
def reply(idea_id: UUID, comment_id: UUID) -> Page:
    """Answer one comment (Post/Redirect/Get)."""
    idea = found(planner().get_idea, idea_id)
    if comment_id not in {c.comment_id for c in idea.comments}:
        abort(404)
    form = ReplyToCommentForm(prefix=reply_prefix(comment_id))
    if form.validate_on_submit():
        seen = form.version.data
        _result, status = run_command(
            form,
            lambda: planner().comment_on_idea(
                current_user.person_id, idea_id, seen, form.text.data, comment_id
            ),
        )
        if status == 0:
            flash(_("Ihre Antwort wurde veröffentlicht."), "success")
            return redirect(url_for("ideas.detail", idea_id=idea_id) + "#kommentare-heading")
    else:
        if "idea.comment" not in planner().idea_actions(current_user.person_id, idea_id):
            abort(403)
        status = 400
    return _idea_page(idea_id, replying=(comment_id, form)), status


def _idea_page(
    idea_id: UUID,
    bound: tuple[str, FlaskForm] | None = None,
    replying: tuple[UUID, FlaskForm] | None = None,
) -> str:
    ideation = planner()
    idea = found(ideation.get_idea, idea_id)
    allowed = ideation.idea_actions(current_user.person_id, idea_id)
    forms: dict[str, FlaskForm] = {}
    for name, spec in ACTIONS.items():
        if spec.permission not in allowed:
            continue
        if bound and bound[0] == name:
            forms[name] = bound[1]
            continue
        form = spec.form(formdata=None, data={"version": idea.version})
        if name == "revise":
            form.process(
                formdata=None,
                data={
                    "version": idea.version,
                    "title": idea.title,
                    "summary": idea.summary,
                    "description": idea.description,
                    "themes": ", ".join(idea.themes),
                },
            )
        _fill_choices(name, form, idea)
        forms[name] = form
    if bound and bound[0] not in forms:
        forms[bound[0]] = bound[1]
    replies: dict[UUID, FlaskForm] = {}
    if "idea.comment" in allowed:
        for comment in idea.comments:
            if replying and replying[0] == comment.comment_id:
                replies[comment.comment_id] = replying[1]
            else:
                replies[comment.comment_id] = ReplyToCommentForm(
                    formdata=None,
                    data={"version": idea.version},
                    prefix=reply_prefix(comment.comment_id),
                )
    prefetch_people([idea.submitted_by, *(c.person_id for c in idea.comments)])
    group = ideation.get_working_group(idea.working_group_id) if idea.working_group_id else None
    measure = ideation.get_measure(idea.measure_id) if idea.measure_id else None
    merged_into = ideation.get_idea(idea.merged_into) if idea.merged_into else None
    return render_template(
        "ideas/detail.html",
        idea=idea,
        steps=stage_steps(idea.stage),
        closed=idea.stage in CLOSED_STAGES,
        forms=forms,
        actions=ACTIONS,
        bound=bound[0] if bound else None,
        group=group,
        measure=measure,
        merged_into=merged_into,
        replies=replies,
        replying=replying[0] if replying else None,
    )


def _fill_choices(action: str, form: FlaskForm, idea: Any) -> None:
    """The choices of the select fields that depend on the planner's current data."""
    read_models = planner().read_models
    if action == "assign":
        form.working_group_id.choices = [("", _("Bitte wählen"))] + [
            (str(g.id), g.name)
            for g in read_models.list_working_groups(include_dissolved=False)
            if g.id != idea.working_group_id
        ]
    elif action == "accept":
        form.owner_department_id.choices = department_choices(
            empty=_("wie einreichender Fachbereich")
        )
    elif action == "merge":
        targets = read_models.list_ideas(
            stage=["submitted", "in_review", "in_working_group", "accepted", "in_progress"],
            sort="title",
            page_size=100,
        )
        form.into_idea_id.choices = [("", _("Bitte wählen"))] + [
            (str(row.id), row.title) for row in targets.rows if row.id != idea.id
        ]


@dataclass(frozen=True)
class StageStep:
    """One step of the stage progress bar."""

    stage: str
    label: str
    state: str  # "done", "current" or "todo"


def stage_steps(stage: str) -> list[StageStep]:
    """The progress bar from Eingereicht to Umgesetzt, with the idea's stage marked."""
    position = STAGE_SEQUENCE.index(stage) if stage in STAGE_SEQUENCE else -1
    steps = []
    for index, key in enumerate(STAGE_SEQUENCE):
        if index < position or (index == position and key == "implemented"):
            state = "done"
        elif index == position:
            state = "current"
        else:
            state = "todo"
        steps.append(StageStep(key, stage_label(key), state))
    return steps
