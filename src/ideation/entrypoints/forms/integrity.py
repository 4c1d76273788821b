"""The form that runs the hash-chain check, optionally against a head kept outside the system."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

HEX_64 = re.compile(r"^[0-9a-fA-F]{64}$")


class VerifyChainForm(FlaskForm):
    """Recompute the chain; a kept position and SHA-256 value (both or neither) are compared too."""

    expected_position = StringField(
        _l("Aufbewahrte Position"),
        validators=[Optional(), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    expected_link = StringField(
        _l("Aufbewahrter Kettenwert (SHA-256)"),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        position = (self.expected_position.data or "").strip()
        link = (self.expected_link.data or "").strip()
        ok = True
        if position and not (position.isdigit() and int(position) >= 1):
            self.expected_position.errors = [_l("Bitte eine ganze Zahl ab 1 angeben.")]
            ok = False
        if link and not HEX_64.match(link):
            self.expected_link.errors = [
                _l("Ein SHA-256-Wert hat genau 64 Zeichen aus 0–9 und a–f.")
            ]
            ok = False
        if ok and bool(position) != bool(link):
            missing = self.expected_link if position else self.expected_position
            missing.errors = [_l("Bitte Position und Kettenwert zusammen angeben.")]
            ok = False
        return ok

    def expected(self) -> tuple[int, str] | None:
        """The kept (position, link) to compare with, or None when none was given."""
        position = (self.expected_position.data or "").strip()
        link = (self.expected_link.data or "").strip().lower()
        return (int(position), link) if position and link else None
