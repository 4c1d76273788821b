"""Forms of the exchange-format and digital-pilot pages (the coordination's actions)."""

from __future__ import annotations

from uuid import UUID

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ideation.domain.exchange import EXCHANGE_KIND_LABELS, MAX_PARTICIPANTS
from ideation.entrypoints.forms import ActionForm, MultiCheckboxField
from ideation.readmodels.queries import DAY_FORMATS

REASON_REQUIRED = _l("Bitte eine Begründung angeben.")
DATE_INVALID = _l("Bitte ein gültiges Datum angeben, z. B. 04.05.2026.")
KIND_CHOICES = [("", _l("Bitte auswählen"))] + [
    (kind.value, _l(str(label))) for kind, label in EXCHANGE_KIND_LABELS.items()
]


def optional_choice_id(form: FlaskForm, field: Field) -> None:
    """An optional select of ids whose choices may have changed: empty, or a well-formed id."""
    if field.data:
        try:
            UUID(str(field.data))
        except ValueError:
            raise ValidationError(_l("Bitte einen der angebotenen Einträge wählen.")) from None


def offered_choices(form: FlaskForm, field: Field) -> None:
    """Checkboxes: every ticked value must be one the page offered (German message)."""
    offered = {str(choice[0]) for choice in field.choices or []}
    if any(str(value) not in offered for value in field.data or []):
        raise ValidationError(_l("Bitte nur die angebotenen Fachbereiche wählen."))


class PlanExchangeSessionForm(FlaskForm):
    """A new session: kind, date, topic, host, the round visited and who is invited."""

    kind = SelectField(
        _l("Format"),
        choices=KIND_CHOICES,
        validators=[DataRequired(_l("Bitte ein Format auswählen."))],
    )
    scheduled_on = DateField(
        _l("Datum"),
        format=list(DAY_FORMATS),
        validators=[InputRequired(_l("Bitte das Datum angeben."))],
        invalid_value_message=DATE_INVALID,
    )
    topic = StringField(
        _l("Thema"),
        validators=[DataRequired(_l("Bitte ein Thema angeben.")), Length(min=3, max=200)],
        render_kw={"autocomplete": "off"},
    )
    host_person_id = SelectField(
        _l("Gastgeberin / Gastgeber"),
        validators=[DataRequired(_l("Bitte eine Gastgeberin oder einen Gastgeber auswählen."))],
    )
    round_department_id = SelectField(
        _l("Abstimmungsrunde des Fachbereichs (nur bei „Besuch in einer Abstimmungsrunde“)"),
        validators=[Optional()],
    )
    invited_department_ids = MultiCheckboxField(
        _l("Eingeladene Fachbereiche (optional)"),
        validators=[Optional(), offered_choices],
        validate_choice=False,
    )


class RescheduleExchangeSessionForm(ActionForm):
    """Move a planned session to another day, with an optional note."""

    field_prefix = "reschedule"

    scheduled_on = DateField(
        _l("Neues Datum"),
        format=list(DAY_FORMATS),
        validators=[InputRequired(_l("Bitte das neue Datum angeben."))],
        invalid_value_message=DATE_INVALID,
    )
    note = TextAreaField(
        _l("Hinweis (optional)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )


class RecordExchangeSessionForm(ActionForm):
    """Record a session as held: day, departments that took part, head count, notes, needs."""

    field_prefix = "record"

    held_on = DateField(
        _l("Durchgeführt am"),
        format=list(DAY_FORMATS),
        validators=[InputRequired(_l("Bitte das Datum angeben, an dem es stattfand."))],
        invalid_value_message=DATE_INVALID,
    )
    participating_department_ids = MultiCheckboxField(
        _l("Teilnehmende Fachbereiche"),
        validators=[
            DataRequired(_l("Bitte mindestens einen teilnehmenden Fachbereich angeben.")),
            offered_choices,
        ],
        validate_choice=False,
    )
    participant_count = IntegerField(
        _l("Zahl der Teilnehmenden"),
        validators=[
            InputRequired(_l("Bitte angeben, wie viele teilgenommen haben.")),
            NumberRange(min=1, max=MAX_PARTICIPANTS, message=_l("Bitte eine Zahl ab 1 angeben.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    notes = TextAreaField(
        _l("Notizen (optional)"), validators=[Optional(), Length(max=20000)], render_kw={"rows": 4}
    )
    needs = TextAreaField(
        _l("Genannte Bedarfe (optional, einer je Zeile)"),
        validators=[Optional(), Length(max=30000)],
        render_kw={"rows": 4},
    )


class CancelExchangeSessionForm(ActionForm):
    """Call a planned session off, with a reason."""

    field_prefix = "cancel"

    reason = TextAreaField(
        _l("Begründung"), validators=[DataRequired(REASON_REQUIRED), Length(max=5000)]
    )


class NominatePilotForm(FlaskForm):
    """Note a person of the department as a candidate, with the reason (and where met)."""

    person_id = SelectField(
        _l("Person"), validators=[DataRequired(_l("Bitte eine Person auswählen."))]
    )
    session_id = SelectField(
        _l("Kennengelernt bei (optional)"),
        validators=[Optional(), optional_choice_id],
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Begründung"),
        validators=[DataRequired(REASON_REQUIRED), Length(max=5000)],
        render_kw={"rows": 3},
    )


class ConfirmPilotForm(ActionForm):
    """Confirm a candidate as a digital pilot (one per candidate: prefix names the pilot)."""

    field_prefix = "confirm"

    note = TextAreaField(
        _l("Hinweis (optional)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )


class WithdrawPilotForm(ActionForm):
    """End a candidacy or a pilot role, with a reason (prefix names the pilot)."""

    field_prefix = "withdraw"

    reason = TextAreaField(
        _l("Begründung"),
        validators=[DataRequired(REASON_REQUIRED), Length(max=5000)],
        render_kw={"rows": 2},
    )


def needs_lines(text: str | None) -> list[str]:
    """The needs of the record form: one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
