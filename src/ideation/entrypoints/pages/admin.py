"""Administration: departments, people, roles (admins only)."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ideation.application.errors import ConcurrencyConflict, NotFound
from ideation.domain.errors import DomainError
from ideation.entrypoints.auth import role_required
from ideation.entrypoints.forms import (
    CreateDepartmentForm,
    CreatePersonForm,
    DeactivatePersonForm,
    EditDepartmentForm,
    EditPersonForm,
    ErasePersonForm,
    GrantRoleForm,
    ReactivatePersonForm,
    RevokeRoleForm,
)
from ideation.entrypoints.i18n import localized_error

bp = Blueprint("admin", __name__, url_prefix="/admin")
Page = str | tuple[str, int] | Response


@bp.before_request
@role_required("admin")
def only_admins() -> None:
    """Every page here needs the admin role."""


def _planner() -> Any:
    return current_app.extensions["ideation"]


def _department_choices() -> list[tuple[str, str]]:
    return [
        (str(d.id), f"{d.name} ({d.short_name})") for d in _planner().read_models.list_departments()
    ]


def _refuse(form: FlaskForm, error: DomainError) -> int:
    """Put a known error on the form (on its field where it names one); return the status."""
    if isinstance(error, ConcurrencyConflict):
        flash(localized_error(error), "error")
        return 409
    field = getattr(error, "field", None) or error.details.get("field")
    target = getattr(form, field, None) if field else None
    if target is not None:
        target.errors = [*target.errors, localized_error(error)]
    else:
        flash(localized_error(error), "error")
    return 422


@bp.get("/")
def index() -> str:
    """Overview of the administration."""
    return render_template("admin/index.html")


# -- departments -------------------------------------------------------------------


@bp.get("/fachbereiche")
def departments() -> str:
    """All departments and municipal companies."""
    return render_template(
        "admin/departments.html", departments=_planner().read_models.list_departments()
    )


@bp.route("/fachbereiche/neu", methods=["GET", "POST"])
def create_department() -> Page:
    """Register a department."""
    form = CreateDepartmentForm()
    if form.validate_on_submit():
        try:
            _planner().register_department(
                current_user.person_id, form.name.data, form.short_name.data, form.kind.data
            )
        except DomainError as error:
            status = _refuse(form, error)
            return render_template("admin/department_form.html", form=form, creating=True), status
        flash(_("Fachbereich „%(name)s“ angelegt.", name=form.name.data.strip()), "success")
        return redirect(url_for("admin.departments"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/department_form.html", form=form, creating=True), status


@bp.route("/fachbereiche/<uuid:department_id>", methods=["GET", "POST"])
def edit_department(department_id: UUID) -> Page:
    """Rename a department or change its kind."""
    planner = _planner()
    try:
        department = planner.get_department(department_id)
    except NotFound:
        abort(404)
    form = EditDepartmentForm(obj=department)
    if form.validate_on_submit():
        try:
            version = form.version.data
            if (form.name.data.strip(), form.short_name.data.strip()) != (
                department.name,
                department.short_name,
            ):
                planner.rename_department(
                    current_user.person_id,
                    department_id,
                    version,
                    form.name.data,
                    form.short_name.data,
                )
                version += 1
            if form.kind.data != department.kind:
                planner.reclassify_department(
                    current_user.person_id, department_id, version, form.kind.data
                )
        except DomainError as error:
            status = _refuse(form, error)
            page = render_template(
                "admin/department_form.html", form=form, creating=False, department=department
            )
            return page, status
        flash(_("Änderungen gespeichert."), "success")
        return redirect(url_for("admin.departments"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "admin/department_form.html", form=form, creating=False, department=department
    ), status


# -- people and roles ------------------------------------------------------------------


@bp.get("/personen")
def people() -> str:
    """Everyone with department, roles and state."""
    planner = _planner()
    names = {d.id: d.short_name for d in planner.read_models.list_departments()}
    return render_template("admin/people.html", people=planner.list_people(), departments=names)


@bp.route("/personen/neu", methods=["GET", "POST"])
def create_person() -> Page:
    """Add a person with roles and, optionally, an account."""
    form = CreatePersonForm()
    form.department_id.choices = _department_choices()
    if form.validate_on_submit():
        planner = _planner()
        if bool(form.username.data) != bool(form.password.data):
            form.username.errors = [_("Für einen Zugang bitte Benutzername und Passwort angeben.")]
            return render_template("admin/person_new.html", form=form), 422
        try:
            person_id = planner.register_person(
                current_user.person_id,
                form.display_name.data,
                form.email.data,
                UUID(form.department_id.data),
                form.roles.data,
            )
        except DomainError as error:
            status = _refuse(form, error)
            return render_template("admin/person_new.html", form=form), status
        if form.username.data:
            try:
                planner.create_account(
                    current_user.person_id, person_id, form.username.data, form.password.data
                )
            except DomainError as error:
                flash(_("Die Person wurde angelegt, der Zugang noch nicht."), "error")
                _refuse(form, error)
                return redirect(url_for("admin.person", person_id=person_id))
        flash(_("%(name)s angelegt.", name=form.display_name.data.strip()), "success")
        return redirect(url_for("admin.person", person_id=person_id))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/person_new.html", form=form), status


@bp.route("/personen/<uuid:person_id>", methods=["GET", "POST"])
def person(person_id: UUID) -> Page:
    """A person's details, roles and state; POST saves name, e-mail and department."""
    planner = _planner()
    try:
        shown = planner.get_person(person_id)
    except NotFound:
        abort(404)
    form = EditPersonForm(obj=shown)
    form.department_id.choices = _department_choices()
    if not form.is_submitted():
        form.department_id.data = str(shown.department_id)
    if form.validate_on_submit():
        try:
            planner.update_person_details(
                current_user.person_id, person_id, form.display_name.data, form.email.data
            )
            if UUID(form.department_id.data) != shown.department_id:
                planner.move_person_to_department(
                    current_user.person_id,
                    person_id,
                    form.version.data,
                    UUID(form.department_id.data),
                )
        except DomainError as error:
            status = _refuse(form, error)
            return _person_page(shown, form), status
        flash(_("Änderungen gespeichert."), "success")
        return redirect(url_for("admin.person", person_id=person_id))
    return _person_page(shown, form), 400 if form.is_submitted() else 200


def _person_page(shown: Any, form: EditPersonForm, **forms: FlaskForm) -> str:
    version = {"version": shown.version}
    return render_template(
        "admin/person.html",
        person=shown,
        username=_planner().account_username(shown.id),
        form=form,
        grant_form=forms.get("grant_form") or GrantRoleForm(data=version),
        revoke_form=forms.get("revoke_form") or RevokeRoleForm(data=version),
        deactivate_form=forms.get("deactivate_form") or DeactivatePersonForm(data=version),
        reactivate_form=forms.get("reactivate_form") or ReactivatePersonForm(data=version),
        erase_form=forms.get("erase_form") or ErasePersonForm(data=version),
    )


def _person_action(person_id: UUID, form: FlaskForm, name: str, act: Any, done: str) -> Page:
    planner = _planner()
    try:
        shown = planner.get_person(person_id)
    except NotFound:
        abort(404)
    if form.validate_on_submit():
        try:
            act(planner, form)
        except DomainError as error:
            status = _refuse(form, error)
            return _person_page(shown, EditPersonForm(obj=shown), **{name: form}), status
        flash(done, "success")
        return redirect(url_for("admin.person", person_id=person_id))
    return _person_page(shown, EditPersonForm(obj=shown), **{name: form}), 400


@bp.post("/personen/<uuid:person_id>/rolle-erteilen")
def grant_role(person_id: UUID) -> Page:
    """Grant a role."""
    form = GrantRoleForm()
    return _person_action(
        person_id,
        form,
        "grant_form",
        lambda planner, f: planner.grant_role(
            current_user.person_id, person_id, f.version.data, f.role.data
        ),
        _("Rolle erteilt."),
    )


@bp.post("/personen/<uuid:person_id>/rolle-entziehen")
def revoke_role(person_id: UUID) -> Page:
    """Revoke a role, with a reason."""
    form = RevokeRoleForm()
    return _person_action(
        person_id,
        form,
        "revoke_form",
        lambda planner, f: planner.revoke_role(
            current_user.person_id, person_id, f.version.data, f.role.data, f.reason.data
        ),
        _("Rolle entzogen."),
    )


@bp.post("/personen/<uuid:person_id>/deaktivieren")
def deactivate(person_id: UUID) -> Page:
    """Deactivate a person, with a reason."""
    form = DeactivatePersonForm()
    return _person_action(
        person_id,
        form,
        "deactivate_form",
        lambda planner, f: planner.deactivate_person(
            current_user.person_id, person_id, f.version.data, f.reason.data
        ),
        _("Person deaktiviert; ihre Sitzungen sind beendet."),
    )


@bp.post("/personen/<uuid:person_id>/reaktivieren")
def reactivate(person_id: UUID) -> Page:
    """Let a person act again."""
    form = ReactivatePersonForm()
    return _person_action(
        person_id,
        form,
        "reactivate_form",
        lambda planner, f: planner.reactivate_person(
            current_user.person_id, person_id, f.version.data
        ),
        _("Person reaktiviert."),
    )


# -- erasure and subject access (GDPR; docs/privacy.md) ------------------------------------


@bp.post("/personen/<uuid:person_id>/loeschen")
def erase(person_id: UUID) -> Page:
    """Erase a person's personal data for good, with a reason; their history stays."""
    form = ErasePersonForm()

    def act(planner: Any, f: ErasePersonForm) -> None:
        report = planner.erase_person(
            current_user.person_id, person_id, f.reason.data, f.version.data
        )
        if not report.storage_scrubbed:
            flash(
                _(
                    "Die Datenbankdateien konnten noch nicht bereinigt werden. Bitte die "
                    "Löschung später noch einmal auslösen (ideation people erase)."
                ),
                "error",
            )

    return _person_action(
        person_id,
        form,
        "erase_form",
        act,
        _("Personendaten gelöscht. Die Person erscheint jetzt als „gelöschte Person“."),
    )


@bp.get("/personen/<uuid:person_id>/auskunft.json")
def subject_access(person_id: UUID) -> Response:
    """Download everything the planner stores about a person as JSON (Art. 15 DSGVO)."""
    try:
        document = _planner().subject_access(person_id, requested_by=current_user.person_id)
    except NotFound:
        abort(404)
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="auskunft-{person_id}.json"',
            "Cache-Control": "no-store",
        },
    )
