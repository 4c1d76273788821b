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


FIELD_LABELS = {
    "title": _l("Titel"),
    "summary": _l("Kurzbeschreibung"),
    "description": _l("Beschreibung"),
    "themes": _l("Themen"),
    "statement": _l("Ziel"),
    "indicator": _l("Indikator"),
    "target": _l("Zielwert"),
    "status": _l("Stand"),
    "quick_win": _l("Quick Win"),
    "assessment": _l("Bewertung"),
    "supporting_departments": _l("Mitwirkende Fachbereiche"),
    "working_group_id": _l("Arbeitsgruppe"),
    "recommendation": _l("Empfehlung der Arbeitsgruppe"),
    "measure_id": _l("Maßnahme"),
    "merged_into": _l("Zusammengeführt mit"),
    "decision_reason": _l("Begründung der Entscheidung"),
}

MEETING_FORMAT_LABELS = {
    "in_person": _l("Präsenz"),
    "online": _l("Online"),
    "hybrid": _l("Hybrid"),
}

RECOMMENDATION_LABELS = {
    "accept": _l("Annehmen"),
    "reject": _l("Ablehnen"),
    "park": _l("Zurückstellen"),
}


def field_label(field: str) -> str:
    """A content field's label in the current language (the name itself if unknown)."""
    return str(FIELD_LABELS.get(field, field))


def meeting_format_label(code: str) -> str:
    """Präsenz, Online or Hybrid in the current language."""
    return str(MEETING_FORMAT_LABELS.get(code, code))


def recommendation_label(code: str) -> str:
    """A working group's recommendation (accept, reject, park) in the current language."""
    return str(RECOMMENDATION_LABELS.get(code, code))


def display_value(value: object) -> str:
    """A stored value as text: lists joined with commas, nothing as "–"."""
    if value is None or value == "" or value == [] or value == ():
        return "–"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
