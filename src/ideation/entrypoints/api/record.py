"""API v1: record (to be filled in)."""

from __future__ import annotations

from ideation.entrypoints.api.core import api_blueprint

bp = api_blueprint("record")
