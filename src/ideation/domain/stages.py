"""The stage a person sees: an idea's own status, or its measure's stage once accepted."""

from __future__ import annotations

from ideation.domain.idea import IDEA_STATUS_LABELS, IdeaStatus
from ideation.domain.measure import MeasureStatus

# The progress bar of an idea page, in order.
STAGE_SEQUENCE = (
    "submitted",
    "in_review",
    "in_working_group",
    "accepted",
    "in_progress",
    "implemented",
)

STAGE_LABELS = {
    **{status.value: label for status, label in IDEA_STATUS_LABELS.items()},
    "in_progress": "In Umsetzung",
    "implemented": "Umgesetzt",
    "cancelled": "Abgebrochen",
}

_MEASURE_STAGE = {
    MeasureStatus.PLANNED: "accepted",
    MeasureStatus.IN_PROGRESS: "in_progress",
    MeasureStatus.IMPLEMENTED: "implemented",
    MeasureStatus.CANCELLED: "cancelled",
}


def visible_stage(idea_status: str, measure_status: str | None) -> str:
    """Return the stage key shown for an idea (an accepted idea shows its measure's stage)."""
    if idea_status == IdeaStatus.ACCEPTED and measure_status is not None:
        return _MEASURE_STAGE[MeasureStatus(measure_status)]
    return idea_status
