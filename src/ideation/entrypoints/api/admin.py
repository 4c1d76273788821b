"""Administration in the API: departments, people (with a login) and their roles."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, request, url_for
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, validates_schema

from ideation.application.errors import NotFound
from ideation.application.security_log import log_security_event
from ideation.application.service import check_username
from ideation.application.views import PersonView
from ideation.directory.passwords import MAX_LENGTH as MAX_PASSWORD_LENGTH
from ideation.directory.passwords import PasswordRejected, check_password_policy
from ideation.domain.actor import GRANTABLE_ROLES, Role
from ideation.domain.base import MAX_REASON_LENGTH
from ideation.domain.department import DepartmentKind
from ideation.domain.errors import InvalidValue
from ideation.domain.measure import MeasureStatus
from ideation.entrypoints.api import fields as f
from ideation.entrypoints.api.core import (
    COMMAND_ERRORS,
    RequestSchema,
    ResponseSchema,
    actor_id,
    api_blueprint,
    caller,
    expected_version,
    load_body,
    operation,
    perform,
    planner,
    respond,
)
from ideation.entrypoints.api.errors import ApiError

bp = api_blueprint("admin")
TAG_DEPARTMENTS = "Fachbereiche"
TAG_PEOPLE = "Personen und Rollen"

KINDS = tuple(k.value for k in DepartmentKind)
ROLES = tuple(r.value for r in GRANTABLE_ROLES)
ROLE_ACTIONS = ("grant", "revoke")


def require_roles(*roles: str) -> None:
    """403 (and a security-log line, like the pages) unless the caller holds one of `roles`."""
    person = caller()
    if any(role in person.roles for role in roles):
        return
    log_security_event("access.denied", person_id=person.id, endpoint=request.endpoint)
    raise ApiError(403, "forbidden", _l("Dafür fehlt Ihnen die Berechtigung."))


# -- schemas --------------------------------------------------------------------------------


class DepartmentSchema(ResponseSchema):
    """A department (Fachbereich, Amt) or municipal company."""

    id = f.UUID(required=True)
    version = f.Integer(required=True)
    name = f.String(required=True)
    short_name = f.String(required=True)
    kind = f.String(required=True, metadata={"enum": list(KINDS)})


class DepartmentListItemSchema(DepartmentSchema):
    """A department in the list, with what it put in and got out."""

    ideas_submitted = f.Integer(required=True)
    supports_pledged = f.Integer(required=True)
    measures_owned = f.Integer(required=True)
    benefits_received = f.Integer(required=True)


class DepartmentBenefitSchema(ResponseSchema):
    """A benefit a department received, with the measure (and its idea) it came from."""

    measure_id = f.UUID(required=True)
    measure_version = f.Integer(
        required=True, metadata={"description": "Version der Maßnahme, die ihn festhielt"}
    )
    description = f.String(required=True)
    recorded_at = f.DateTime(required=True)
    measure_title = f.String(required=True)
    measure_status = f.String(required=True, metadata={"enum": [s.value for s in MeasureStatus]})
    quick_win = f.Boolean(required=True)
    idea_id = f.UUID(required=True)
    owner_department_id = f.UUID(required=True)


class DepartmentBenefitsSchema(ResponseSchema):
    """A department with its figures and the benefits recorded for it, newest first."""

    department = f.Nested(DepartmentListItemSchema, required=True)
    items = f.List(f.Nested(DepartmentBenefitSchema), required=True)


class CreateDepartmentSchema(RequestSchema):
    name = f.String(required=True, validate=f.length(2, 200))
    short_name = f.String(required=True, validate=f.length(1, 30))
    kind = f.String(
        required=True,
        validate=f.one_of(KINDS),
        metadata={"description": "administration (Fachbereich/Amt) oder company"},
    )


class PersonSummarySchema(ResponseSchema):
    """A person in the list (name and e-mail come from the people directory)."""

    id = f.UUID(required=True)
    version = f.Integer(required=True)
    display_name = f.String(required=True)
    email = f.String(required=True, metadata={"description": "Leer, wenn gelöscht"})
    department_id = f.UUID(required=True)
    roles = f.List(f.String(metadata={"enum": list(ROLES)}), required=True)
    active = f.Boolean(required=True)


class PersonSchema(PersonSummarySchema):
    """A person with the state of their data and their login."""

    erased = f.Boolean(required=True, metadata={"description": "Personendaten gelöscht"})
    username = f.String(
        allow_none=True, required=True, metadata={"description": "null ohne Zugang"}
    )


class CreatePersonSchema(RequestSchema):
    display_name = f.String(required=True, validate=f.length(2, 200))
    email = f.String(required=True, validate=f.length(3, 320))
    department_id = f.UUID(required=True)
    roles = f.List(
        f.String(validate=f.one_of(ROLES)), load_default=list, validate=f.at_most_items(10)
    )
    username = f.String(
        validate=f.length(2, 80),
        metadata={"description": "Mit password zusammen: die Person bekommt einen Zugang"},
    )
    password = f.String(
        validate=f.length(maximum=MAX_PASSWORD_LENGTH),
        metadata={"description": "Mindestens 12 Zeichen, nicht leicht zu erraten"},
    )

    @validates_schema
    def username_with_password(self, data: dict[str, Any], **_: Any) -> None:
        """A login needs both a username and a password (or neither: a person without login)."""
        if "username" in data and "password" not in data:
            raise ValidationError(_l("Bitte auch ein Passwort angeben."), "password")
        if "password" in data and "username" not in data:
            raise ValidationError(_l("Bitte auch einen Benutzernamen angeben."), "username")


class ChangeRoleSchema(RequestSchema):
    action = f.String(required=True, validate=f.one_of(ROLE_ACTIONS))
    role = f.String(required=True, validate=f.one_of(ROLES))
    reason = f.String(
        validate=f.length(maximum=MAX_REASON_LENGTH),
        metadata={"description": "Pflicht beim Entziehen (revoke); beim Erteilen nicht möglich"},
    )
    expected_version = f.Integer(validate=f.between(1, 1_000_000_000))

    @validates_schema
    def reason_only_for_revoke(self, data: dict[str, Any], **_: Any) -> None:
        """Revoking needs a reason; granting stores none (Person.RoleGranted has no reason)."""
        reason = (data.get("reason") or "").strip()
        if data.get("action") == "revoke" and not reason:
            raise ValidationError(
                _l("Für das Entziehen einer Rolle ist eine Begründung erforderlich."), "reason"
            )
        if data.get("action") == "grant" and "reason" in data:
            raise ValidationError(
                _l("Beim Erteilen einer Rolle wird keine Begründung gespeichert."), "reason"
            )


# -- helpers ---------------------------------------------------------------------------------


def person_data(view: PersonView, username: str | None = None) -> dict[str, Any]:
    """A PersonView as the API shows it."""
    return {**view.__dict__, "roles": list(view.roles), "username": username}


def respond_department(
    department_id: UUID, status: int = 200, *, created: bool = False
) -> Response:
    """The department as it is now, with its ETag (and Location when just created)."""
    view = perform(planner().get_department, department_id)
    location = url_for("api_admin.get_department", department_id=department_id) if created else None
    return respond(
        DepartmentSchema, view.__dict__, status=status, version=view.version, location=location
    )


def respond_person(person_id: UUID, status: int = 200, *, created: bool = False) -> Response:
    """The person as they are now, with their ETag (and Location when just created)."""
    view = perform(planner().get_person, person_id)
    username = perform(planner().account_username, person_id)
    location = url_for("api_admin.get_person", person_id=person_id) if created else None
    return respond(
        PersonSchema,
        person_data(view, username),
        status=status,
        version=view.version,
        location=location,
    )


def check_login(username: str, password: str) -> str:
    """The normalised username, if it is valid and free and the password meets the policy.

    Checked before the person is registered, so a refused login leaves no person behind.
    """
    name = check_username(username)
    try:
        check_password_policy(password, username=name)
    except PasswordRejected as rejected:
        raise InvalidValue("password", rejected.args[0]) from None
    try:
        UUID(name)
    except ValueError:
        # find_person reads a username here (a UUID-like text would be taken as an id).
        try:
            planner().find_person(name)
        except NotFound:
            return name
        raise InvalidValue(
            "username", "Dieser Benutzername ist vergeben oder die Person hat schon einen Zugang."
        ) from None
    return name


# -- departments -----------------------------------------------------------------------------


@operation(
    bp,
    "/departments",
    "GET",
    summary="Fachbereiche und Kommunalunternehmen auflisten",
    tag=TAG_DEPARTMENTS,
    response=DepartmentListItemSchema,
    many=True,
)
def list_departments() -> Response:
    """Every department by name, with its version and what it put in and got out."""
    rows = perform(planner().read_models.list_departments)
    versions = {row.id: perform(planner().get_department, row.id).version for row in rows}
    items = [{**row.__dict__, "version": versions[row.id]} for row in rows]
    return respond(DepartmentListItemSchema, items, many=True)


@operation(
    bp,
    "/departments",
    "POST",
    summary="Fachbereich anlegen",
    tag=TAG_DEPARTMENTS,
    body=CreateDepartmentSchema,
    response=DepartmentSchema,
    status=201,
    errors=(403, 422),
)
def create_department() -> Response:
    """Register a department or municipal company (administrators only)."""
    body = load_body(CreateDepartmentSchema)
    department_id = perform(
        planner().register_department, actor_id(), body["name"], body["short_name"], body["kind"]
    )
    return respond_department(department_id, status=201, created=True)


@operation(
    bp,
    "/departments/<uuid:department_id>",
    "GET",
    summary="Einen Fachbereich lesen",
    tag=TAG_DEPARTMENTS,
    response=DepartmentSchema,
    errors=(404,),
)
def get_department(department_id: UUID) -> Response:
    """The department with its name, short name, kind and version."""
    return respond_department(department_id)


@operation(
    bp,
    "/departments/<uuid:department_id>/benefits",
    "GET",
    summary="Mehrwerte eines Fachbereichs mit ihren Maßnahmen lesen (neueste zuerst)",
    tag=TAG_DEPARTMENTS,
    response=DepartmentBenefitsSchema,
    errors=(404,),
)
def list_department_benefits(department_id: UUID) -> Response:
    """The department's figures and every benefit recorded for it, newest first."""
    view = perform(planner().get_department, department_id)
    values = perform(planner().read_models.department_values, department_id)
    if values is None:
        raise ApiError(404, "not_found", _l("Diesen Fachbereich gibt es nicht."))
    data = {
        "department": {**values.department.__dict__, "version": view.version},
        "items": [{**b.__dict__, "measure_version": b.version} for b in values.benefits],
    }
    return respond(DepartmentBenefitsSchema, data)


# -- people and roles ------------------------------------------------------------------------


@operation(
    bp,
    "/people",
    "GET",
    summary="Personen auflisten (nur Administration)",
    tag=TAG_PEOPLE,
    response=PersonSummarySchema,
    many=True,
    errors=(403,),
)
def list_people() -> Response:
    """Everyone with name, e-mail, department, roles and state, sorted by name (admins only)."""
    require_roles(Role.ADMIN)
    people = perform(planner().list_people)
    return respond(PersonSummarySchema, [person_data(p) for p in people], many=True)


@operation(
    bp,
    "/people",
    "POST",
    summary="Person anlegen (mit Rollen und, wenn angegeben, einem Zugang)",
    tag=TAG_PEOPLE,
    body=CreatePersonSchema,
    response=PersonSchema,
    status=201,
    errors=(403, 422),
)
def create_person() -> Response:
    """Register a person with roles and, with username and password, a login (admins only).

    Username and password are checked before the person is registered, so a refused login
    stores nothing.
    """
    require_roles(Role.ADMIN)  # before the login checks, which tell whether a username is taken
    body = load_body(CreatePersonSchema)
    ideation = planner()
    username = (
        perform(check_login, body["username"], body["password"]) if "username" in body else None
    )
    try:
        person_id = perform(
            ideation.register_person,
            actor_id(),
            body["display_name"],
            body["email"],
            body["department_id"],
            body["roles"],
        )
    except ApiError as error:
        if error.status != 404:
            raise
        raise ApiError(
            422, "validation", error.message, fields={"department_id": [str(error.message)]}
        ) from None
    if username is not None:
        try:
            perform(ideation.create_account, actor_id(), person_id, username, body["password"])
        except ApiError as error:
            # Only a race (the username taken meanwhile) or a busy store gets here: say that
            # the person exists, and where.
            error.message = _l(
                "Die Person wurde angelegt, der Zugang noch nicht: %(problem)s",
                problem=str(error.message),
            )
            error.headers["Location"] = url_for("api_admin.get_person", person_id=person_id)
            raise
    return respond_person(person_id, status=201, created=True)


@operation(
    bp,
    "/people/<uuid:person_id>",
    "GET",
    summary="Eine Person lesen (Administration oder die Person selbst)",
    tag=TAG_PEOPLE,
    response=PersonSchema,
    errors=(403, 404),
)
def get_person(person_id: UUID) -> Response:
    """The person with name, e-mail, roles, state and username (admins, or the person)."""
    if person_id != actor_id():
        require_roles(Role.ADMIN)
    return respond_person(person_id)


@operation(
    bp,
    "/people/<uuid:person_id>/roles",
    "POST",
    summary="Rolle erteilen (grant) oder mit Begründung entziehen (revoke)",
    tag=TAG_PEOPLE,
    body=ChangeRoleSchema,
    response=PersonSchema,
    errors=COMMAND_ERRORS,
)
def change_role(person_id: UUID) -> Response:
    """Grant a role, or revoke one with a reason; answers the person as they are now."""
    require_roles(Role.ADMIN)  # like every admin page (the last-admin check comes first)
    body = load_body(ChangeRoleSchema)
    expected = expected_version(body)
    if body["action"] == "grant":
        perform(
            planner().grant_role,
            actor_id(),
            person_id,
            expected.version,
            body["role"],
            caller_version=expected,
        )
    else:
        perform(
            planner().revoke_role,
            actor_id(),
            person_id,
            expected.version,
            body["role"],
            body["reason"],
            caller_version=expected,
        )
    return respond_person(person_id)
