"""How our own value types are stored as JSON in the event store."""

from __future__ import annotations

import datetime as dt
from typing import Any

from eventsourcing.persistence import Transcoding

from ideation.domain.actor import Actor


class ActorAsDict(Transcoding):
    """Actor ↔ {"person_id", "department_id", "role"} (ids only, never names)."""

    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, Any]:
        return {"person_id": obj.person_id, "department_id": obj.department_id, "role": obj.role}

    def decode(self, data: dict[str, Any]) -> Actor:
        return Actor(**data)


class DateAsISO(Transcoding):
    """Calendar dates (milestones, meetings, implementation) ↔ "YYYY-MM-DD"."""

    type = dt.date
    name = "date_iso"

    def encode(self, obj: dt.date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> dt.date:
        return dt.date.fromisoformat(data)
