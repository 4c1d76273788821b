"""Locale and time zone: German by default, English selectable, times in Europe/Berlin."""

from __future__ import annotations

from flask import session

DEFAULT_LOCALE = "de"
SUPPORTED_LOCALES = {"de": "Deutsch", "en": "English"}
TIMEZONE = "Europe/Berlin"


def select_locale() -> str:
    """The session's chosen language, else German."""
    locale = session.get("locale")
    return locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE
