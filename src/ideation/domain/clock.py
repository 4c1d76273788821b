"""The time events are stamped with: the real UTC clock unless one is injected."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

Clock = Callable[[], datetime]

_injected_clock: ContextVar[Clock | None] = ContextVar("ideation_clock", default=None)


def utc_now() -> datetime:
    """Return the current time from the injected clock, or the real one, as aware UTC."""
    clock = _injected_clock.get()
    moment = clock() if clock is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("clock must return timezone-aware datetimes")
    return moment.astimezone(UTC)


@contextmanager
def using_clock(clock: Clock | None) -> Iterator[None]:
    """Stamp events created inside the block with the given clock (None keeps the real one)."""
    token = _injected_clock.set(clock)
    try:
        yield
    finally:
        _injected_clock.reset(token)
