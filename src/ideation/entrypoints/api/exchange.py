"""API: issue 8 (exchange)."""

from __future__ import annotations

from ideation.entrypoints.api.core import api_blueprint

bp = api_blueprint("exchange")
