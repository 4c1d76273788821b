"""Forms of the measure pages: the list's filters and one form per action on a measure."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ideation.entrypoints.forms import ActionForm

# Measure statuses in their order, with labels in the current language.
MEASURE_STATUS_LABELS = {
    "planned": _l("Geplant"),
    "in_progress": _l("In Umsetzung"),
    "implemented": _l("Umgesetzt"),
    "cancelled": _l("Abgebrochen"),
}

YES_NO = {"yes": True, "no": False}

REASON_REQUIRED = _l("Bitte eine Begründung angeben.")


def measure_status_label(status: str) -> str:
    """A measure status (planned, in_progress, implemented, cancelled) as a label."""
    return str(MEASURE_STATUS_LABELS.get(status, status))


def as_uuid(value: str | None) -> UUID | None:
    """The id chosen in a select, or None if there is none or it is no id."""
    try:
        return UUID(str(value)) if value else None
    except ValueError:
        return None


class FilterMeasuresForm(FlaskForm):
    """The filters of the measure list (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Stand"),
        choices=[("", _l("alle")), *MEASURE_STATUS_LABELS.items()],
        validators=[Optional()],
    )
    quick_win = SelectField(
        _l("Quick Win"),
        choices=[("", _l("alle")), ("yes", _l("nur Quick Wins")), ("no", _l("ohne Quick Wins"))],
        validators=[Optional()],
    )
    blocked = SelectField(
        _l("Blockiert"),
        choices=[("", _l("alle")), ("yes", _l("nur blockierte")), ("no", _l("nicht blockierte"))],
        validators=[Optional()],
    )
    group = SelectField(_l("Arbeitsgruppe"), validators=[Optional()])
    department = SelectField(_l("Verantwortlicher Fachbereich"), validators=[Optional()])
    sort = SelectField(
        _l("Sortierung"),
        choices=[
            ("", _l("zuletzt geändert")),
            ("planned", _l("zuletzt geplant")),
            ("implemented", _l("zuletzt umgesetzt")),
            ("title", _l("Titel (A–Z)")),
        ],
        validators=[Optional()],
    )


MeasureActionForm = ActionForm


def _statement() -> TextAreaField:
    return TextAreaField(
        _l("Ziel"),
        validators=[DataRequired(_l("Bitte das Ziel beschreiben.")), Length(max=2000)],
        render_kw={"rows": 3},
    )


def _indicator() -> StringField:
    return StringField(
        _l("Indikator"),
        validators=[
            DataRequired(_l("Bitte angeben, woran das Ziel gemessen wird.")),
            Length(max=500),
        ],
    )


def _target() -> StringField:
    return StringField(
        _l("Zielwert"),
        validators=[DataRequired(_l("Bitte einen Zielwert angeben.")), Length(max=200)],
    )


def _date(label: Any, message: Any) -> DateField:
    return DateField(label, validators=[InputRequired(message)], default=None)


class SetGoalForm(MeasureActionForm):
    """A goal: what the measure must achieve, by which indicator, up to which target."""

    field_prefix = "goal"

    statement = _statement()
    indicator = _indicator()
    target = _target()


class ReviseGoalForm(MeasureActionForm):
    """Change a goal's statement, indicator or target."""

    field_prefix = "revise_goal"

    goal_id = SelectField(
        _l("Welches Ziel?"), validators=[DataRequired(_l("Bitte ein Ziel auswählen."))]
    )
    statement = _statement()
    indicator = _indicator()
    target = _target()
    note = TextAreaField(
        _l("Hinweis zur Änderung (optional)"), validators=[Optional(), Length(max=2000)]
    )


class NoteApproachForm(MeasureActionForm):
    """The way the working group chose to reach the goals (Lösungsweg)."""

    field_prefix = "approach"

    approach = TextAreaField(
        _l("Lösungsweg"),
        validators=[DataRequired(_l("Bitte den Lösungsweg beschreiben.")), Length(max=20000)],
        render_kw={"rows": 6},
    )


class AddMilestoneForm(MeasureActionForm):
    """A dated step of the measure."""

    field_prefix = "milestone"

    title = StringField(
        _l("Meilenstein"),
        validators=[DataRequired(_l("Bitte den Meilenstein benennen.")), Length(max=200)],
    )
    due_on = _date(_l("Fällig am"), _l("Bitte das Fälligkeitsdatum angeben."))


class ReachMilestoneForm(MeasureActionForm):
    """An open milestone is reached."""

    field_prefix = "reach"

    milestone_id = SelectField(
        _l("Welcher Meilenstein?"),
        validators=[DataRequired(_l("Bitte einen Meilenstein auswählen."))],
    )
    reached_on = _date(_l("Erreicht am"), _l("Bitte das Datum angeben, an dem er erreicht wurde."))


class ReportProgressForm(MeasureActionForm):
    """How far the measure has come, in percent."""

    field_prefix = "progress"

    percent = IntegerField(
        _l("Fortschritt in Prozent (0 bis 100)"),
        validators=[
            InputRequired(_l("Bitte den Fortschritt in Prozent angeben.")),
            NumberRange(0, 100, _l("Der Fortschritt muss zwischen 0 und 100 Prozent liegen.")),
        ],
        render_kw={"inputmode": "numeric", "min": 0, "max": 100},
    )
    note = TextAreaField(_l("Hinweis (optional)"), validators=[Optional(), Length(max=5000)])


class BlockMeasureForm(MeasureActionForm):
    """The measure cannot go on, and why."""

    field_prefix = "block"

    reason = TextAreaField(
        _l("Begründung"), validators=[DataRequired(REASON_REQUIRED), Length(max=5000)]
    )


class UnblockMeasureForm(MeasureActionForm):
    """The block is lifted."""

    field_prefix = "unblock"

    note = TextAreaField(_l("Hinweis (optional)"), validators=[Optional(), Length(max=2000)])


class ImplementMeasureForm(MeasureActionForm):
    """The measure is implemented (Umgesetzt), with its outcome."""

    field_prefix = "implement"

    implemented_on = _date(_l("Umgesetzt am"), _l("Bitte das Datum der Umsetzung angeben."))
    outcome = TextAreaField(
        _l("Ergebnis"),
        validators=[DataRequired(_l("Bitte das Ergebnis beschreiben.")), Length(max=20000)],
        render_kw={"rows": 4},
    )


class RecordBenefitForm(MeasureActionForm):
    """The value the measure brought to a named department (Mehrwert)."""

    field_prefix = "benefit"

    department_id = SelectField(
        _l("Für welchen Fachbereich?"),
        validators=[DataRequired(_l("Bitte einen Fachbereich auswählen."))],
    )
    description = TextAreaField(
        _l("Mehrwert"),
        validators=[DataRequired(_l("Bitte den Mehrwert beschreiben.")), Length(max=5000)],
        render_kw={"rows": 3},
    )


class CancelMeasureForm(MeasureActionForm):
    """Stop the measure for good, with a reason."""

    field_prefix = "cancel"

    reason = TextAreaField(
        _l("Begründung"), validators=[DataRequired(REASON_REQUIRED), Length(max=5000)]
    )


def today_default(form: FlaskForm, day: dt.date, *names: str) -> None:
    """Fill the named date fields of a fresh form with `day`."""
    for name in names:
        if getattr(form, name).data is None:
            getattr(form, name).data = day
