"""API: issue 8 (alliance)."""

from __future__ import annotations

from ideation.entrypoints.api.core import api_blueprint

bp = api_blueprint("alliance")
