"""Arbeitsgruppen: list, page and forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ideation.entrypoints.forms.groups import (
    AddWorkingGroupMemberForm,
    DissolveWorkingGroupForm,
    FormWorkingGroupForm,
    RecommendIdeaForm,
    RecordMeetingForm,
    RemoveWorkingGroupMemberForm,
)
from ideation.entrypoints.pages.common import (
    Page,
    department_choices,
    department_name,
    form_status,
    found,
    idea_title,
    person_name,
    planner,
    prefetch_people,
    run_command,
)

bp = Blueprint("working_groups", __name__, url_prefix="/working-groups")

# The action forms of the group page: template name → (form class, permission key).
GROUP_FORMS: dict[str, tuple[type[FlaskForm], str]] = {
    "add_member_form": (AddWorkingGroupMemberForm, "working_group.add_member"),
    "remove_member_form": (RemoveWorkingGroupMemberForm, "working_group.remove_member"),
    "meeting_form": (RecordMeetingForm, "working_group.record_meeting"),
    "dissolve_form": (DissolveWorkingGroupForm, "working_group.dissolve"),
}


@bp.get("/")
def index() -> str:
    """All Arbeitsgruppen."""
    return render_template(
        "working_groups/index.html",
        rows=planner().read_models.list_working_groups(),
        may_form=planner().may(current_user.person_id, "working_group.form"),
    )


@bp.route("/new", methods=["GET", "POST"])
def create() -> Page:
    """Form a working group (the coordination)."""
    if not planner().may(current_user.person_id, "working_group.form"):
        abort(403)
    form = FormWorkingGroupForm()
    form.lead_department_id.choices = department_choices(empty=_("Bitte auswählen"))
    if form.validate_on_submit():
        group_id, status = run_command(
            form,
            lambda: planner().form_working_group(
                current_user.person_id,
                form.name.data,
                form.mandate.data,
                UUID(form.lead_department_id.data),
            ),
        )
        if not status:
            flash(_("Arbeitsgruppe „%(name)s“ gegründet.", name=form.name.data.strip()), "success")
            return redirect(url_for("working_groups.detail", group_id=group_id))
        return render_template("working_groups/new.html", form=form), status
    return render_template("working_groups/new.html", form=form), form_status(form)


@bp.get("/<uuid:group_id>")
def detail(group_id: UUID) -> Page:
    """One working group with everything its members and the coordination may do."""
    return _group_page(group_id)


# -- the page and its forms -------------------------------------------------------------


def _ideas_of(group_id: UUID) -> list[Any]:
    return list(planner().read_models.list_ideas(working_group_id=group_id, page_size=100).rows)


def _candidates(group: Any) -> list[tuple[str, str]]:
    """Active people not yet in the group, as (id, "Name (Fachbereich)") choices."""
    return [
        (str(p.id), f"{p.display_name} ({department_name(p.department_id)})")
        for p in planner().list_people()
        if p.active and p.id not in group.members
    ]


def _member_choices(group: Any) -> list[tuple[str, str]]:
    prefetch_people(group.members)
    choices = [(str(pid), person_name(pid)) for pid in group.members]
    return sorted(choices, key=lambda c: c[1].casefold())


def _prepare(form: FlaskForm, group: Any, ideas: list[Any]) -> FlaskForm:
    """Give a group form the choices it offers (before validating or rendering it)."""
    if isinstance(form, AddWorkingGroupMemberForm):
        form.person_id.choices = [("", _("Bitte auswählen")), *_candidates(group)]
    elif isinstance(form, RemoveWorkingGroupMemberForm):
        form.person_id.choices = [("", _("Bitte auswählen")), *_member_choices(group)]
    elif isinstance(form, RecordMeetingForm):
        form.idea_ids.choices = [(str(i.id), i.title) for i in ideas]
    return form


def _recommend_prefix(idea_id: UUID) -> str:
    return f"recommend-{idea_id.hex[:8]}"


def _group_page(
    group_id: UUID,
    status: int = 200,
    bound: tuple[str, FlaskForm] | None = None,
    bound_recommendation: tuple[UUID, RecommendIdeaForm] | None = None,
) -> Any:
    """Render the group page: fresh forms for what the viewer may do, or one bound form."""
    app = planner()
    group = found(app.get_working_group, group_id)
    ideas = _ideas_of(group_id)
    viewer = current_user.person_id
    actions = app.working_group_actions(viewer, group_id)

    forms: dict[str, FlaskForm | None] = {}
    for name, (form_class, action) in GROUP_FORMS.items():
        if bound is not None and bound[0] == name:
            forms[name] = _prepare(bound[1], group, ideas)
        elif action in actions:
            forms[name] = _prepare(form_class(data={"version": group.version}), group, ideas)
        else:
            forms[name] = None

    details = {i.id: app.get_idea(i.id) for i in ideas}
    recommendations = [
        (i, details[i.id].recommendation)
        for i in ideas
        if details[i.id].recommendation
        and details[i.id].recommendation.get("working_group_id") == group_id
    ]
    recommend_forms: list[tuple[Any, RecommendIdeaForm]] = []
    for i in ideas:
        if bound_recommendation is not None and bound_recommendation[0] == i.id:
            recommend_forms.append((i, bound_recommendation[1]))
        elif i.stage == "in_working_group" and "idea.recommend" in app.idea_actions(viewer, i.id):
            recommend_forms.append(
                (
                    i,
                    RecommendIdeaForm(
                        prefix=_recommend_prefix(i.id), data={"version": details[i.id].version}
                    ),
                )
            )

    people = {p.id: p for p in app.list_people()}
    prefetch_people(group.members)
    members = sorted(
        (
            (pid, person_name(pid), people[pid].department_id if pid in people else None)
            for pid in group.members
        ),
        key=lambda m: m[1].casefold(),
    )
    titles = {i.id: i.title for i in ideas}
    meetings = [m for _i, m in sorted(enumerate(group.meetings), key=_meeting_order, reverse=True)]
    for meeting in meetings:
        for idea_id in meeting["idea_ids"]:
            if idea_id not in titles:
                titles[idea_id] = idea_title(idea_id, _("Idee nicht gefunden"))

    page = render_template(
        "working_groups/detail.html",
        group=group,
        members=members,
        ideas=ideas,
        recommended={i.id: r for i, r in recommendations},
        recommendations=recommendations,
        recommend_forms=recommend_forms,
        meetings=meetings,
        titles=titles,
        measures=app.read_models.list_measures(working_group_id=group_id, sort="updated"),
        **forms,
    )
    return page, status


def _meeting_order(item: tuple[int, dict[str, Any]]) -> tuple[Any, int]:
    index, meeting = item
    return meeting["held_on"], index


def _group_action(group_id: UUID, name: str, command: Callable[[Any, Any], Any], done: str) -> Page:
    """Validate one action form of the group page, run its command, redirect or re-render."""
    form_class, action = GROUP_FORMS[name]
    group = found(planner().get_working_group, group_id)
    form = _prepare(form_class(), group, _ideas_of(group_id))
    if form.validate_on_submit():
        _done, status = run_command(form, lambda: command(form, form.version.data))
        if not status:
            flash(done, "success")
            return redirect(url_for("working_groups.detail", group_id=group_id))
        return _group_page(group_id, status, bound=(name, form))
    if action not in planner().working_group_actions(current_user.person_id, group_id):
        abort(403)
    return _group_page(group_id, form_status(form), bound=(name, form))


@bp.post("/<uuid:group_id>/members/add")
def add_member(group_id: UUID) -> Page:
    """Take a person into the group (the coordination)."""
    return _group_action(
        group_id,
        "add_member_form",
        lambda form, version: planner().add_working_group_member(
            current_user.person_id, group_id, version, UUID(form.person_id.data)
        ),
        _("Mitglied aufgenommen."),
    )


@bp.post("/<uuid:group_id>/members/remove")
def remove_member(group_id: UUID) -> Page:
    """Let a member leave the group (the coordination)."""
    return _group_action(
        group_id,
        "remove_member_form",
        lambda form, version: planner().remove_working_group_member(
            current_user.person_id,
            group_id,
            version,
            UUID(form.person_id.data),
            form.note.data or "",
        ),
        _("Mitglied ausgeschieden."),
    )


@bp.post("/<uuid:group_id>/meetings")
def record_meeting(group_id: UUID) -> Page:
    """Record a meeting with notes, decisions and the ideas discussed (group members)."""
    return _group_action(
        group_id,
        "meeting_form",
        lambda form, version: planner().record_meeting(
            current_user.person_id,
            group_id,
            version,
            held_on=form.held_on.data,
            format=form.format.data,
            notes=form.notes.data,
            decisions=form.decisions.data or "",
            idea_ids=[UUID(i) for i in form.idea_ids.data or []],
        ),
        _("Sitzung protokolliert."),
    )


@bp.post("/<uuid:group_id>/dissolve")
def dissolve(group_id: UUID) -> Page:
    """Dissolve the group, with a reason (the coordination)."""
    return _group_action(
        group_id,
        "dissolve_form",
        lambda form, version: planner().dissolve_working_group(
            current_user.person_id, group_id, version, form.reason.data
        ),
        _("Arbeitsgruppe aufgelöst."),
    )


@bp.post("/<uuid:group_id>/ideas/<uuid:idea_id>/recommend")
def recommend(group_id: UUID, idea_id: UUID) -> Page:
    """The group's recommendation on one of its ideas, with reasoning (group members)."""
    found(planner().get_working_group, group_id)
    idea = found(planner().get_idea, idea_id)
    if idea.working_group_id != group_id:
        abort(404)
    form = RecommendIdeaForm(prefix=_recommend_prefix(idea_id))
    if form.validate_on_submit():
        _done, status = run_command(
            form,
            lambda: planner().recommend(
                current_user.person_id,
                idea_id,
                form.version.data,
                form.outcome.data,
                form.reasoning.data,
            ),
        )
        if not status:
            flash(_("Empfehlung zu „%(title)s“ abgegeben.", title=idea.title), "success")
            return redirect(url_for("working_groups.detail", group_id=group_id))
        return _group_page(group_id, status, bound_recommendation=(idea_id, form))
    if "idea.recommend" not in planner().idea_actions(current_user.person_id, idea_id):
        abort(403)
    return _group_page(group_id, form_status(form), bound_recommendation=(idea_id, form))
