"""Forms (flask-wtf), named <Verb><Noun>Form; rendered by web/templates/macros/forms.html."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

ROLE_CHOICES = [
    ("member", _l("Mitarbeitende eines Fachbereichs oder Kommunalunternehmens")),
    ("group_member", _l("Mitglied einer Arbeitsgruppe")),
    ("coordinator", _l("Smart-City-Koordination")),
    ("auditor", _l("Prüferin / Prüfer")),
    ("admin", _l("Administration")),
    ("ambassador", _l("Botschafterin / Botschafter (Politik)")),
]
ROLE_LABELS = dict(ROLE_CHOICES)
KIND_CHOICES = [
    ("administration", _l("Fachbereich / Amt")),
    ("company", _l("Kommunalunternehmen")),
]


class SignInForm(FlaskForm):
    """Username and password."""

    username = StringField(
        _l("Benutzername"),
        validators=[DataRequired(_l("Bitte den Benutzernamen angeben.")), Length(max=80)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Passwort"),
        validators=[DataRequired(_l("Bitte das Passwort angeben.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class VersionedForm(FlaskForm):
    """A form about an existing object: carries the version the person saw."""

    version = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])


class CreateDepartmentForm(FlaskForm):
    """A new department or municipal company."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Bitte einen Namen angeben."))])
    short_name = StringField(
        _l("Kurzname"), validators=[DataRequired(_l("Bitte einen Kurznamen angeben."))]
    )
    kind = SelectField(_l("Art"), choices=KIND_CHOICES)


class EditDepartmentForm(VersionedForm):
    """Rename a department or change its kind."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Bitte einen Namen angeben."))])
    short_name = StringField(
        _l("Kurzname"), validators=[DataRequired(_l("Bitte einen Kurznamen angeben."))]
    )
    kind = SelectField(_l("Art"), choices=KIND_CHOICES)


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice (accessible as a fieldset of labelled boxes)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CreatePersonForm(FlaskForm):
    """A new person with roles and, optionally, a login."""

    display_name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Bitte einen Namen angeben."))],
        render_kw={"autocomplete": "off"},
    )
    email = StringField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(_l("Bitte eine E-Mail-Adresse angeben.")),
        ],
        render_kw={"autocomplete": "off", "type": "email"},
    )
    department_id = SelectField(_l("Fachbereich"))
    roles = MultiCheckboxField(_l("Rollen"), choices=ROLE_CHOICES)
    username = StringField(_l("Benutzername (optional)"), validators=[Optional()])
    password = PasswordField(
        _l("Passwort (optional, mindestens 12 Zeichen)"),
        validators=[Optional()],
        render_kw={"autocomplete": "new-password"},
    )


class EditPersonForm(VersionedForm):
    """Name, e-mail and department of a person."""

    display_name = StringField(
        _l("Name"), validators=[DataRequired(_l("Bitte einen Namen angeben."))]
    )
    email = StringField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(_l("Bitte eine E-Mail-Adresse angeben.")),
        ],
        render_kw={"type": "email"},
    )
    department_id = SelectField(_l("Fachbereich"))


class ActionForm(VersionedForm):
    """One of several action forms on a page: each names its fields with its own prefix."""

    field_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.field_prefix)
        super().__init__(*args, **kwargs)


PersonActionForm = ActionForm


class GrantRoleForm(PersonActionForm):
    """Grant one role."""

    field_prefix = "grant"

    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES)


class RevokeRoleForm(PersonActionForm):
    """Revoke one role, with a reason."""

    field_prefix = "revoke"

    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES)
    reason = TextAreaField(
        _l("Begründung"), validators=[DataRequired(_l("Bitte eine Begründung angeben."))]
    )


class DeactivatePersonForm(PersonActionForm):
    """Deactivate a person, with a reason."""

    field_prefix = "deactivate"

    reason = TextAreaField(
        _l("Begründung"), validators=[DataRequired(_l("Bitte eine Begründung angeben."))]
    )


class ReactivatePersonForm(PersonActionForm):
    """Let a person act again."""

    field_prefix = "reactivate"


class ErasePersonForm(PersonActionForm):
    """Erase a person's personal data for good (GDPR Art. 17), with a reason."""

    field_prefix = "erase"

    reason = TextAreaField(
        _l("Begründung"),
        validators=[DataRequired(_l("Bitte eine Begründung für die Löschung angeben."))],
    )
