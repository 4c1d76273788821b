"""Forms of the working-group pages: form a group, the coordination's and members' actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ideation.entrypoints.forms import ActionForm, MultiCheckboxField
from ideation.readmodels.queries import DAY_FORMATS

REASON_REQUIRED = _l("Bitte eine Begründung angeben.")
MEETING_FORMAT_CHOICES = [
    ("in_person", _l("Präsenz")),
    ("online", _l("Online")),
    ("hybrid", _l("Hybrid")),
]
RECOMMENDATION_CHOICES = [
    ("", _l("Bitte auswählen")),
    ("accept", _l("Annehmen")),
    ("reject", _l("Ablehnen")),
    ("park", _l("Zurückstellen")),
]


class FormWorkingGroupForm(FlaskForm):
    """A new working group: name, mandate and the department that leads it."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Bitte einen Namen angeben.")), Length(min=3, max=200)],
        render_kw={"autocomplete": "off"},
    )
    mandate = TextAreaField(
        _l("Auftrag"),
        validators=[DataRequired(_l("Bitte den Auftrag angeben.")), Length(max=5000)],
        render_kw={"rows": 5},
    )
    lead_department_id = SelectField(
        _l("Federführender Fachbereich"),
        validators=[DataRequired(_l("Bitte einen federführenden Fachbereich auswählen."))],
    )


GroupActionForm = ActionForm


class AddWorkingGroupMemberForm(GroupActionForm):
    """Take a person into the group."""

    field_prefix = "add-member"

    person_id = SelectField(
        _l("Person"), validators=[DataRequired(_l("Bitte eine Person auswählen."))]
    )


class RemoveWorkingGroupMemberForm(GroupActionForm):
    """Let a member leave the group, with an optional note."""

    field_prefix = "remove-member"

    person_id = SelectField(
        _l("Mitglied"), validators=[DataRequired(_l("Bitte ein Mitglied auswählen."))]
    )
    note = TextAreaField(
        _l("Hinweis (optional)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )


class RecordMeetingForm(GroupActionForm):
    """A meeting: date, format, notes, decisions and the ideas it dealt with."""

    field_prefix = "meeting"

    held_on = DateField(
        _l("Sitzungsdatum"),
        format=list(DAY_FORMATS),
        validators=[InputRequired(_l("Bitte das Sitzungsdatum angeben."))],
        invalid_value_message=_l("Bitte ein gültiges Datum angeben, z. B. 04.05.2026."),
    )
    format = SelectField(_l("Format"), choices=MEETING_FORMAT_CHOICES)
    notes = TextAreaField(
        _l("Protokoll"),
        validators=[DataRequired(_l("Bitte das Protokoll angeben.")), Length(max=20000)],
        render_kw={"rows": 6},
    )
    decisions = TextAreaField(
        _l("Beschlüsse (optional)"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 3},
    )
    idea_ids = MultiCheckboxField(_l("Besprochene Ideen"), validators=[Optional()])


class DissolveWorkingGroupForm(GroupActionForm):
    """Dissolve the group, with a reason."""

    field_prefix = "dissolve"

    reason = TextAreaField(
        _l("Begründung"), validators=[DataRequired(REASON_REQUIRED), Length(max=5000)]
    )


class RecommendIdeaForm(ActionForm):
    """The working group's recommendation on an idea (carries the idea's version).

    Used on the idea page (prefix "recommend") and on the group page, one per idea there, so
    built with a prefix unique per idea: ``RecommendIdeaForm(prefix=f"recommend-{hex8}")``.
    """

    field_prefix = "recommend"

    outcome = SelectField(
        _l("Empfehlung"),
        choices=RECOMMENDATION_CHOICES,
        validators=[DataRequired(_l("Bitte eine Empfehlung auswählen."))],
    )
    reasoning = TextAreaField(
        _l("Begründung"),
        validators=[DataRequired(REASON_REQUIRED), Length(max=5000)],
        render_kw={"rows": 4},
    )
