"""What feeds and the digest show: new ideas, decisions and implemented quick wins."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection


def feed_entries(conn: Connection, **options: Any) -> Any:
    """To be built (issue 8, part 6)."""
    raise NotImplementedError
