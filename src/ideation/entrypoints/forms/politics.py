"""Forms of the political rounds and factions (Politische Runden, Fraktionen)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ideation.entrypoints.forms import ActionForm, MultiCheckboxField
from ideation.readmodels.queries import DAY_FORMATS

REASON_REQUIRED = _l("Bitte eine Begründung angeben.")
DATE_INVALID = _l("Bitte ein gültiges Datum angeben, z. B. 04.05.2026.")


def lines(text: str | None) -> list[str]:
    """The non-empty lines of a text area, stripped (one question or suggestion a line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PlanPoliticalRoundForm(FlaskForm):
    """A new round: date, title and the factions invited."""

    scheduled_on = DateField(
        _l("Datum"),
        format=list(DAY_FORMATS),
        validators=[InputRequired(_l("Bitte das Datum der Runde angeben."))],
        invalid_value_message=DATE_INVALID,
    )
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(_l("Bitte einen Titel angeben.")), Length(min=3, max=200)],
        render_kw={"autocomplete": "off"},
    )
    invited_faction_ids = MultiCheckboxField(_l("Eingeladene Fraktionen"), validators=[Optional()])


class RecordPoliticalRoundForm(ActionForm):
    """The record of a held round: day, attending factions, questions, suggestions, notes."""

    field_prefix = "record"

    held_on = DateField(
        _l("Durchgeführt am"),
        format=list(DAY_FORMATS),
        validators=[InputRequired(_l("Bitte das Datum angeben, an dem die Runde stattfand."))],
        invalid_value_message=DATE_INVALID,
    )
    attending_faction_ids = MultiCheckboxField(_l("Anwesende Fraktionen"), validators=[Optional()])
    questions = TextAreaField(
        _l("Fragen (eine je Zeile)"),
        validators=[Optional(), Length(max=50_000)],
        render_kw={"rows": 4},
    )
    suggestions = TextAreaField(
        _l("Anregungen (eine je Zeile)"),
        validators=[Optional(), Length(max=50_000)],
        render_kw={"rows": 4},
    )
    notes = TextAreaField(
        _l("Notizen (optional)"),
        validators=[Optional(), Length(max=20_000)],
        render_kw={"rows": 4},
    )


class CancelPoliticalRoundForm(ActionForm):
    """Call a planned round off, with a reason."""

    field_prefix = "cancel"

    reason = TextAreaField(
        _l("Begründung"),
        validators=[DataRequired(REASON_REQUIRED), Length(max=5000)],
        render_kw={"rows": 3},
    )


class AdoptRoundSuggestionForm(ActionForm):
    """Turn a suggestion into an idea of a department (one form per suggestion).

    Built with a prefix unique per suggestion: ``AdoptRoundSuggestionForm(prefix="adopt-2")``.
    """

    field_prefix = "adopt"

    department_id = SelectField(
        _l("Fachbereich der Idee"),
        validators=[DataRequired(_l("Bitte einen Fachbereich auswählen."))],
    )
    title = StringField(
        _l("Titel der Idee"),
        validators=[DataRequired(_l("Bitte einen Titel angeben.")), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )
    summary = TextAreaField(
        _l("Kurzbeschreibung"),
        validators=[DataRequired(_l("Bitte eine Kurzbeschreibung angeben.")), Length(max=500)],
        render_kw={"rows": 3},
    )


class RegisterFactionForm(FlaskForm):
    """A council faction for the list."""

    name = StringField(
        _l("Name der Fraktion"),
        validators=[DataRequired(_l("Bitte einen Namen angeben.")), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )
    short_name = StringField(
        _l("Kurzname"),
        validators=[DataRequired(_l("Bitte einen Kurznamen angeben.")), Length(max=30)],
        render_kw={"autocomplete": "off"},
    )


class RenameFactionForm(ActionForm):
    """A faction's new name and short name (one form per faction, prefix per faction)."""

    field_prefix = "rename"

    name = StringField(
        _l("Neuer Name"),
        validators=[DataRequired(_l("Bitte einen Namen angeben.")), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )
    short_name = StringField(
        _l("Neuer Kurzname"),
        validators=[DataRequired(_l("Bitte einen Kurznamen angeben.")), Length(max=30)],
        render_kw={"autocomplete": "off"},
    )


class RetireFactionForm(ActionForm):
    """Take a faction off the council's list, with a reason (prefix per faction)."""

    field_prefix = "retire"

    reason = TextAreaField(
        _l("Begründung"),
        validators=[DataRequired(REASON_REQUIRED), Length(max=5000)],
        render_kw={"rows": 2},
    )
