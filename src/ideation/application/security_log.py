"""Structured security records (catalogue SEC-12): who, what, when (UTC), never a secret."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any

security_logger = logging.getLogger("ideation.security")


def pseudonym(value: str) -> str:
    """A stable short stand-in for a username, so logs hold no personal data."""
    return hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:16]


def log_security_event(event: str, **fields: Any) -> None:
    """Write one JSON record; json.dumps escapes CR/LF, so values cannot forge lines."""
    record = {"event": event, "at": dt.datetime.now(dt.UTC).isoformat(), **fields}
    security_logger.info(json.dumps(record, default=str, ensure_ascii=True))
