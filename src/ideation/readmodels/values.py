"""Value per department (Mehrwerte): the benefits recorded for a department, with their measures."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.engine import Connection


def department_values(conn: Connection, department_id: UUID, **options: Any) -> Any:
    """To be built (issue 8, part 5)."""
    raise NotImplementedError
