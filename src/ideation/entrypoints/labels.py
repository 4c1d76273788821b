"""Translatable labels for codes the lower layers use (stages, kinds), keyed by code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STAGE_LABELS = {
    "submitted": _l("Eingereicht"),
    "in_review": _l("In Prüfung"),
    "in_working_group": _l("In Arbeitsgruppe"),
    "accepted": _l("Angenommen"),
    "in_progress": _l("In Umsetzung"),
    "implemented": _l("Umgesetzt"),
    "rejected": _l("Abgelehnt"),
    "parked": _l("Zurückgestellt"),
    "merged": _l("Zusammengeführt"),
    "withdrawn": _l("Zurückgezogen"),
    "cancelled": _l("Abgebrochen"),
}


def stage_label(stage: str) -> str:
    """The stage's label in the current language (the code itself if unknown)."""
    return str(STAGE_LABELS.get(stage, stage))
