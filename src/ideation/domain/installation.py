"""The Installation aggregate: exists once per planner and names its first administrator."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from ideation.domain.actor import Actor
from ideation.domain.base import PlannerAggregate

# One fixed id, so a second initialisation collides in the event store instead of racing.
INSTALLATION_ID = UUID("6f1d0c8e-3b7a-5e39-9a61-7c2f4d5e8a10")


class Installation(PlannerAggregate):
    """The planner itself; created once when the first administrator is set up."""

    error_prefix = "installation"

    @event("Initialised")
    def __init__(self, id: UUID, first_admin_id: UUID, actor: Actor) -> None:  # noqa: A002
        self.first_admin_id = first_admin_id
        self.status = "initialised"
