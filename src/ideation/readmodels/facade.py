"""The read side as one object: the projector that keeps tables current, and the queries."""

from __future__ import annotations

import logging
import time

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from ideation.readmodels.projector import CatchUpResult, Projector

logger = logging.getLogger(__name__)

CATCH_UP_ATTEMPTS = 3


class ReadModels:
    """Read-model tables, kept current by `projector`, read through `engine`."""

    def __init__(self, projector: Projector, engine: Engine) -> None:
        self.projector = projector
        self.engine = engine

    def catch_up(self) -> CatchUpResult | None:
        """Apply what is new; a busy database is retried, then left to the next caller.

        The events are already stored when this runs, so a failure here must not turn a
        successful command into an error: the next command, query or worker catches up.
        """
        for attempt in range(1, CATCH_UP_ATTEMPTS + 1):
            try:
                return self.projector.catch_up()
            except OperationalError:
                logger.warning("read models busy (attempt %d); will catch up later", attempt)
                time.sleep(0.05 * attempt)
        return None

    def catch_up_if_behind(self) -> None:
        """Catch up only when the log has moved past the tracking position (cheap check)."""
        if self.projector.is_behind():
            self.catch_up()
