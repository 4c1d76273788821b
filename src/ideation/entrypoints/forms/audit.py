"""The filter form of the audit log and the decision register (a GET form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Optional

# Form field → the read models' filter name (readmodels.audit.AuditFilter).
FILTER_FIELDS = {
    "date_from": "date_from",
    "date_to": "date_to",
    "person": "person_id",
    "department": "department_id",
    "role": "role",
    "object_type": "aggregate_type",
    "event": "event_type",
}


class FilterAuditForm(FlaskForm):
    """Who did what when: the filters of the audit pages (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    date_from = StringField(_l("Von (Datum)"), validators=[Optional()], render_kw={"type": "date"})
    date_to = StringField(_l("Bis (Datum)"), validators=[Optional()], render_kw={"type": "date"})
    person = SelectField(_l("Person"), validators=[Optional()])
    department = SelectField(_l("Fachbereich"), validators=[Optional()])
    role = SelectField(_l("Rolle"), validators=[Optional()])
    object_type = SelectField(_l("Objektart"), validators=[Optional()])
    event = SelectField(_l("Ereignis"), validators=[Optional()])
    order = SelectField(
        _l("Reihenfolge"),
        choices=[
            ("", _l("älteste zuerst (Reihenfolge der Speicherung)")),
            ("desc", _l("neueste zuerst")),
        ],
        validators=[Optional()],
    )

    def filters(self) -> dict[str, str]:
        """The filter values as sent, keyed by the read models' filter names."""
        return {name: (self[field].data or "").strip() for field, name in FILTER_FIELDS.items()}
