"""Planner rules that live in exactly one place."""

from __future__ import annotations

# The quick-win rule (documented in docs/events.md): small effort, quickly visible value.
QUICK_WIN_MAX_EFFORT = 2
QUICK_WIN_MAX_WEEKS = 12
QUICK_WIN_MIN_IMPACT = 3


def is_quick_win(impact: int, effort: int, expected_weeks: int) -> bool:
    """Classify an assessment as a quick win: effort ≤ 2, done within 12 weeks, impact ≥ 3."""
    return (
        effort <= QUICK_WIN_MAX_EFFORT
        and expected_weeks <= QUICK_WIN_MAX_WEEKS
        and impact >= QUICK_WIN_MIN_IMPACT
    )
