"""The OpenAPI 3.1 description (from the operation registry) and the readable API page."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api_docs", __name__, url_prefix="/api")
