"""Schemas every feature of the API shares: errors, history entries, pages with a cursor."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from ideation.application.views import FieldChange, HistoryEntry
from ideation.entrypoints.api import fields as f
from ideation.entrypoints.api.core import RequestSchema, ResponseSchema
from ideation.entrypoints.api.errors import ApiError
from ideation.entrypoints.i18n import localized
from ideation.entrypoints.pages.common import department_name, person_name, prefetch_people

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class ErrorBodySchema(ResponseSchema):
    code = fields.String(required=True, metadata={"description": "Stabiler Fehlercode"})
    message = fields.String(required=True, metadata={"description": "Meldung auf Deutsch"})
    field_messages = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.Raw(),
        required=True,
        metadata={"description": "Feldname → Meldungen (bei 422)"},
    )
    rule = fields.String(metadata={"description": "Welche Regel verletzt wurde (rule_violation)"})
    current_version = fields.Integer(metadata={"description": "Aktuelle Version (409, 412)"})
    events = fields.List(
        fields.Nested(lambda: HistoryEntrySchema()),
        metadata={"description": "Was seit Ihrer Version geschah (409, 412)"},
    )


class ErrorSchema(ResponseSchema):
    """Every error of the API."""

    error = fields.Nested(ErrorBodySchema, required=True)


class ActorSchema(ResponseSchema):
    id = fields.UUID(allow_none=True, required=True)
    name = fields.String(required=True)
    department = fields.String(allow_none=True, required=True)
    department_id = fields.UUID(allow_none=True, required=True)
    role = fields.String(allow_none=True, required=True)


class FieldChangeSchema(ResponseSchema):
    field = fields.String(required=True)
    old = fields.Raw(allow_none=True, required=True)
    new = fields.Raw(allow_none=True, required=True)


class HistoryEntrySchema(ResponseSchema):
    """One step of a history, as the history page shows it."""

    occurred_at = fields.AwareDateTime(required=True)
    aggregate = fields.String(
        required=True, metadata={"description": "Idea, Measure, WorkingGroup …"}
    )
    aggregate_id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    type = fields.String(
        required=True, metadata={"description": "Ereignistyp, z. B. Idea.Assessed"}
    )
    label = fields.String(required=True)
    kind = fields.String(required=True)
    actor = fields.Nested(ActorSchema, required=True)
    reason = fields.String(allow_none=True, required=True)
    changes = fields.List(fields.Nested(FieldChangeSchema), required=True)
    details = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)


# The application's field names where the API says it differently.
API_FIELD_NAMES = {"description": "benefit", "supporting_departments": "supporters"}


def change_items(changes: Iterable[FieldChange]) -> list[dict[str, Any]]:
    """Field changes as plain data, with the API's field names."""
    return [
        {"field": API_FIELD_NAMES.get(c.field, c.field), "old": c.old, "new": c.new}
        for c in changes
    ]


def history_items(entries: Iterable[HistoryEntry]) -> list[dict[str, Any]]:
    """History entries as plain data with names for people and departments."""
    entries = list(entries)
    prefetch_people(e.actor_person_id for e in entries)
    return [
        {
            "occurred_at": e.timestamp,
            "aggregate": e.aggregate_type,
            "aggregate_id": e.aggregate_id,
            "version": e.version,
            "type": e.event_type,
            "label": localized(e.label),
            "kind": e.kind,
            "actor": {
                "id": e.actor_person_id,
                "name": person_name(e.actor_person_id),
                "department": department_name(e.actor_department_id)
                if e.actor_department_id
                else None,
                "department_id": e.actor_department_id,
                "role": e.actor_role,
            },
            "reason": e.reason,
            "changes": change_items(e.changes),
            "details": dict(e.details),
        }
        for e in entries
    ]


# -- cursor pages -------------------------------------------------------------------------------


class PageQuerySchema(RequestSchema):
    """`after` (the `next` of the previous page) and `limit` (1–200, default 50)."""

    after = f.String(
        validate=f.length(1, 200), metadata={"description": "Cursor: `next` der vorigen Seite"}
    )
    limit = f.QueryInteger(validate=f.between(1, MAX_LIMIT), load_default=DEFAULT_LIMIT)


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """A response schema `{"items": [item …], "next": cursor or null}`."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "next": fields.String(
                allow_none=True,
                required=True,
                metadata={"description": "Cursor der nächsten Seite (als after), null am Ende"},
            ),
        },
        name=name,
    )


def encode_cursor(*parts: object) -> str:
    """An opaque cursor from the sort key of the last item of a page."""
    text = "|".join(str(p) for p in parts)
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, count: int) -> list[str]:
    """The parts of a cursor made by `encode_cursor`; a 422 for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        parts = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8").split("|")
    except (binascii.Error, UnicodeError, ValueError):
        parts = []
    if len(parts) != count:
        raise ApiError(
            422,
            "validation",
            _l("Bitte die Angaben prüfen."),
            fields={
                "after": [str(_l("Der Cursor ist ungültig; bitte `next` einer Seite verwenden."))]
            },
        )
    return parts
