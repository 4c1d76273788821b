"""The forms of the profile page "Mein Zugang": password, sign-out everywhere, API tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ideation.application.tokens import DEFAULT_PERSONAL_TOKEN_DAYS, PERSONAL_TOKEN_DAYS

VALIDITY_LABELS = {
    30: _l("30 Tage"),
    90: _l("90 Tage"),
    365: _l("365 Tage (ein Jahr)"),
}


def validity_choices() -> list[tuple[int, str]]:
    """The validities the application offers, each with a German label."""
    return [
        (days, VALIDITY_LABELS.get(days) or _l("%(days)s Tage", days=days))
        for days in PERSONAL_TOKEN_DAYS
    ]


class ChangePasswordForm(FlaskForm):
    """The current password and the new one twice; the application checks the policy."""

    current_password = PasswordField(
        _l("Bisheriges Passwort"),
        validators=[DataRequired(_l("Bitte das bisherige Passwort angeben.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("Neues Passwort"),
        validators=[DataRequired(_l("Bitte ein neues Passwort angeben.")), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
    )
    new_password_repeat = PasswordField(
        _l("Neues Passwort wiederholen"),
        validators=[
            DataRequired(_l("Bitte das neue Passwort wiederholen.")),
            EqualTo("new_password", _l("Die beiden neuen Passwörter stimmen nicht überein.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class EndSessionsForm(FlaskForm):
    """Sign out everywhere (only the CSRF token)."""


class CreateTokenForm(FlaskForm):
    """A named personal API token with one of the offered validities."""

    name = StringField(
        _l("Bezeichnung"),
        validators=[
            DataRequired(_l("Bitte eine Bezeichnung angeben.")),
            Length(max=100, message=_l("Höchstens 100 Zeichen.")),
        ],
        render_kw={"autocomplete": "off", "maxlength": 100},
    )
    valid_days = SelectField(
        _l("Gültigkeit"),
        coerce=int,
        choices=validity_choices,
        default=DEFAULT_PERSONAL_TOKEN_DAYS,
        validate_choice=True,
    )


class RevokeTokenForm(FlaskForm):
    """Revoke one token (only the CSRF token; the token's id is in the URL)."""
