"""The base aggregate: events stamped by the injectable clock, shared guards."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime

from eventsourcing.domain import Aggregate

from ideation.domain.clock import utc_now
from ideation.domain.errors import IllegalTransition, InvalidValue, ReasonRequired, msg

MAX_REASON_LENGTH = 5000


class PlannerAggregate(Aggregate):
    """Base of every aggregate in the planner."""

    # Prefix of this aggregate's stable error codes, e.g. "idea.illegal_transition".
    error_prefix = "aggregate"

    class Event(Aggregate.Event):
        @staticmethod
        def create_timestamp() -> datetime:
            return utc_now()

    def check_stage_allows(
        self, action: str, allowed: Iterable[str], *, subject: str, action_label: str
    ) -> None:
        """Raise IllegalTransition unless the current stage is one of `allowed`."""
        if self.status not in allowed:  # type: ignore[attr-defined]
            raise IllegalTransition(
                msg(
                    "%(subject)s ist im Stand „%(stage)s“; „%(action)s“ ist so nicht möglich.",
                    subject=subject,
                    stage=self.status_label,  # type: ignore[attr-defined]
                    action=action_label,
                ),
                code=f"{self.error_prefix}.illegal_transition",
                action=action,
                status=self.status,  # type: ignore[attr-defined]
            )


def check_reason(reason: str | None, action_label: str) -> str:
    """Return the stripped reason, or raise ReasonRequired if it is empty or blank."""
    if not isinstance(reason, str) or not reason.strip():
        raise ReasonRequired(action_label)
    reason = reason.strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidValue(
            "reason",
            msg("Die Begründung darf höchstens %(n)s Zeichen lang sein.", n=MAX_REASON_LENGTH),
        )
    return reason


# Tab, line feed and carriage return are text; every other control character, and a lone
# surrogate (not encodable as UTF-8), is refused: PostgreSQL cannot store NUL at all.
ALLOWED_CONTROLS = frozenset("\t\n\r")


def has_control_characters(text: str) -> bool:
    """Tell whether a text holds a control character other than tab and line breaks."""
    return any(unicodedata.category(c) in ("Cc", "Cs") and c not in ALLOWED_CONTROLS for c in text)


def check_text(
    field: str, value: object, label: str, *, min_length: int = 1, max_length: int = 20000
) -> str:
    """Return a stripped text within bounds, or raise InvalidValue with a German message."""
    if not isinstance(value, str):
        raise InvalidValue(field, msg("„%(label)s“ muss ein Text sein.", label=label))
    text = value.strip()
    if has_control_characters(text):
        raise InvalidValue(
            field, msg("„%(label)s“ enthält unzulässige Steuerzeichen.", label=label)
        )
    if len(text) < min_length:
        if min_length == 1:
            raise InvalidValue(field, msg("Bitte „%(label)s“ ausfüllen.", label=label))
        raise InvalidValue(
            field,
            msg("„%(label)s“ muss mindestens %(n)s Zeichen lang sein.", label=label, n=min_length),
        )
    if len(text) > max_length:
        raise InvalidValue(
            field,
            msg("„%(label)s“ darf höchstens %(n)s Zeichen lang sein.", label=label, n=max_length),
        )
    return text


def check_optional_text(field: str, value: object, label: str, *, max_length: int = 20000) -> str:
    """Return a stripped text (possibly empty) within the maximum length."""
    if value is None:
        return ""
    return check_text(field, value, label, min_length=0, max_length=max_length)


def check_int_range(field: str, value: object, label: str, low: int, high: int) -> int:
    """Return an int within [low, high], or raise InvalidValue."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(field, msg("„%(label)s“ muss eine ganze Zahl sein.", label=label))
    if not low <= value <= high:
        raise InvalidValue(
            field,
            msg(
                "„%(label)s“ muss zwischen %(low)s und %(high)s liegen.",
                label=label,
                low=low,
                high=high,
            ),
        )
    return value
