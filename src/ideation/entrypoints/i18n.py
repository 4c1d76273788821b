"""Locale and time zone: German by default, English selectable, times in Europe/Berlin."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, gettext

from ideation.entrypoints.api_boundary import API_ROOT

DEFAULT_LOCALE = "de"
SUPPORTED_LOCALES = {"de": "Deutsch", "en": "English"}
TIMEZONE = "Europe/Berlin"
BERLIN = ZoneInfo(TIMEZONE)


def select_locale() -> str:
    """The session's chosen language, else German; the API follows Accept-Language."""
    if has_request_context() and request.path.startswith(API_ROOT):
        return request.accept_languages.best_match(SUPPORTED_LOCALES) or DEFAULT_LOCALE
    locale = session.get("locale")
    return locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE


def format_datetime_local(moment: dt.datetime | None) -> str:
    """A stored UTC moment as local date and time (Europe/Berlin), e.g. 27.11.2026, 14:05."""
    if moment is None:
        return "–"
    if select_locale() == "de":
        # Digits only, so the standard library writes what Babel's "dd.MM.yyyy, HH:mm" would,
        # at a fraction of the cost (a timeline shows dozens); a naive moment counts as UTC.
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
        return aware.astimezone(BERLIN).strftime("%d.%m.%Y, %H:%M")
    return format_datetime(moment, "medium")


def format_date_local(day: dt.date | dt.datetime | None) -> str:
    """A date as the current language writes it, e.g. 27.11.2026."""
    if day is None:
        return "–"
    return format_date(day, "dd.MM.yyyy" if select_locale() == "de" else "medium")


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of a day in Europe/Berlin: everything that happened on it counts."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=ZoneInfo(TIMEZONE))


def localized(message: object) -> str:
    """A message from the lower layers in the current language.

    Their texts are German; a `Message` (ideation.domain.errors.msg) also carries its
    template and values, so the template and each text value are looked up in the catalogue.
    """
    text = str(message)
    if select_locale() == DEFAULT_LOCALE:
        return text
    template = getattr(message, "template", None)
    if template is None:
        return gettext(text)
    values = {k: gettext(v) if isinstance(v, str) else v for k, v in message.params.items()}
    return gettext(template, **values)


def localized_error(error: Exception) -> str:
    """A domain or application error's message in the current language."""
    if select_locale() != DEFAULT_LOCALE and hasattr(error, "events_since"):
        return _conflict_text(error)
    return localized(getattr(error, "message", None) or str(error))


def _conflict_text(conflict: Any) -> str:
    """Who changed what since the version the person saw, in the current language."""
    names = current_app.extensions["ideation"].directory.display_names(
        {e.actor_person_id for e in conflict.events_since if e.actor_person_id}
    )
    steps = "; ".join(
        gettext(
            "„%(label)s“ von %(name)s (%(when)s)",
            label=gettext(e.label),
            name=names.get(e.actor_person_id, gettext("gelöschte Person")),
            when=format_datetime(e.timestamp, "short"),
        )
        for e in conflict.events_since[-5:]
    )
    return gettext(
        "Inzwischen wurde etwas geändert (Version %(seen)s → %(now)s): %(steps)s. "
        "Bitte laden Sie neu und prüfen Sie die Änderungen.",
        seen=conflict.expected_version,
        now=conflict.actual_version,
        steps=steps,
    )
