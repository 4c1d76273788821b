"""The period form of the alliance page (a GET form: no CSRF token, nothing is changed)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Optional

from ideation.readmodels.queries import DAY_FORMATS


class ChoosePeriodForm(FlaskForm):
    """Von / Bis of the ranking; the query parameters are `from` and `to` (as in the API).

    The read model checks the period (readmodels/alliance.py); its German message is shown
    at the field it names.
    """

    class Meta:
        csrf = False

    start = DateField(
        _l("Von"),
        name="from",
        format=list(DAY_FORMATS),
        validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )
    end = DateField(
        _l("Bis"),
        name="to",
        format=list(DAY_FORMATS),
        validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )
