"""marshmallow fields with German error messages (English through the message catalogue)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from ideation.domain.base import has_control_characters

REQUIRED = _l("Dieses Feld ist erforderlich.")
NOT_NULL = _l("Dieses Feld darf nicht leer (null) sein.")


def _messages(**specific: object) -> dict[str, object]:
    return {"required": REQUIRED, "null": NOT_NULL, **specific}


class String(fields.String):
    default_error_messages = _messages(
        invalid=_l("Bitte einen Text angeben."),
        invalid_utf8=_l("Der Text ist kein gültiges UTF-8."),
        control=_l("Der Text enthält unzulässige Steuerzeichen."),
    )

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        # NUL cannot be stored in PostgreSQL, lone surrogates not in UTF-8: refuse them here.
        if has_control_characters(text):
            raise self.make_error("control")
        return text


class Integer(fields.Integer):
    default_error_messages = _messages(
        invalid=_l("Bitte eine ganze Zahl angeben."),
        not_an_integer=_l("Bitte eine ganze Zahl angeben."),
        too_large=_l("Die Zahl ist zu groß."),
    )

    def __init__(self, **kwargs: object) -> None:
        super().__init__(strict=True, **kwargs)  # type: ignore[arg-type]


class QueryInteger(fields.Integer):
    """A whole number in a query string, where "7" is the only way to write 7."""

    default_error_messages = Integer.default_error_messages


class Boolean(fields.Boolean):
    default_error_messages = _messages(invalid=_l("Bitte true oder false angeben."))

    # Only real JSON booleans: "yes", 1 or "on" are refused, so a typo never decides.
    truthy = frozenset({True})
    falsy = frozenset({False})


class QueryBoolean(fields.Boolean):
    """A query-string boolean: "true" or "false" (a query string has no JSON types)."""

    default_error_messages = _messages(invalid=_l("Bitte true oder false angeben."))
    truthy = frozenset({"true"})
    falsy = frozenset({"false"})


class UUID(fields.UUID):
    default_error_messages = _messages(
        invalid_uuid=_l("Bitte eine gültige Kennung (UUID) angeben.")
    )


class Date(fields.Date):
    default_error_messages = _messages(
        invalid=_l("Bitte ein Datum im Format JJJJ-MM-TT angeben."),
        format=_l("Das Datum lässt sich nicht darstellen."),
    )


class DateTime(fields.AwareDateTime):
    default_error_messages = _messages(
        invalid=_l("Bitte einen Zeitpunkt nach ISO 8601 angeben, z. B. 2026-03-04T12:00:00+01:00."),
        invalid_awareness=_l("Bitte den Zeitpunkt mit Zeitzone angeben (z. B. +01:00 oder Z)."),
        format=_l("Der Zeitpunkt lässt sich nicht darstellen."),
    )


class List(fields.List):
    default_error_messages = _messages(invalid=_l("Bitte eine Liste angeben."))


class Nested(fields.Nested):
    default_error_messages = _messages(
        type=_l("Bitte ein Objekt angeben."), invalid=_l("Bitte ein Objekt angeben.")
    )


class Dict(fields.Dict):
    default_error_messages = _messages(invalid=_l("Bitte ein Objekt angeben."))


def length(minimum: int | None = None, maximum: int | None = None) -> validate.Length:
    """A length check with a German message."""
    if minimum and maximum:
        message = _l("Bitte {min} bis {max} Zeichen angeben.")
    elif maximum:
        message = _l("Höchstens {max} Zeichen.")
    else:
        message = _l("Mindestens {min} Zeichen.")
    return validate.Length(min=minimum, max=maximum, error=message)


def one_of(choices: tuple[str, ...]) -> validate.OneOf:
    """A choice check that names the allowed values."""
    return validate.OneOf(choices, error=_l("Erlaubt sind: {choices}."))


def between(minimum: int, maximum: int) -> validate.Range:
    """A range check with a German message."""
    return validate.Range(
        min=minimum, max=maximum, error=_l("Bitte eine Zahl von {min} bis {max}.")
    )


def at_most_items(maximum: int) -> validate.Length:
    """A list-length check with a German message."""
    return validate.Length(max=maximum, error=_l("Höchstens {max} Einträge."))
