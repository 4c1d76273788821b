"""Domain errors: each has a stable machine-readable code and a German message for people."""

from __future__ import annotations

from typing import Any


class Message(str):
    """A German message that remembers its template and values, so others can translate it."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        text = super().__new__(cls, template % params if params else template)
        text.template = template
        text.params = params
        return text


def msg(template: str, **params: Any) -> Message:
    """A translatable message: `template` uses %(name)s placeholders (gettext style)."""
    return Message(template, **params)


def N_(text: str) -> str:  # noqa: N802 - the conventional gettext_noop name
    """Mark a label for translation without translating it here."""
    return text


class DomainError(Exception):
    """A rule of the planner was broken; nothing was recorded."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details

    def __str__(self) -> str:
        return self.message


class IllegalTransition(DomainError):
    """The action is not possible in the object's current stage."""

    code = "illegal_transition"


class ReasonRequired(DomainError):
    """A decision that closes a door or overrules someone was given no reason."""

    code = "reason_required"

    def __init__(self, action_label: str) -> None:
        super().__init__(
            msg("Für „%(action)s“ ist eine Begründung erforderlich.", action=action_label),
            action=action_label,
        )


class InvalidValue(DomainError):
    """A field value is outside what the planner accepts."""

    code = "invalid_value"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)
        self.field = field
