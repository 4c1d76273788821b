"""The JSON API v1 (marshmallow schemas, bearer tokens, OpenAPI description)."""

from __future__ import annotations

from flask import Flask

from ideation.entrypoints.api import (
    admin,
    ideas,
    measures,
    openapi,
    record,
    tokens,
    working_groups,
)
from ideation.entrypoints.api.core import authenticate_request
from ideation.entrypoints.api.errors import ApiError, json_error
from ideation.entrypoints.extensions import csrf, limiter

DEFAULT_API_RATE_LIMIT = "600 per minute"

FEATURE_MODULES = (tokens, ideas, working_groups, measures, admin, record, openapi)


def _rate_limit() -> str:
    from flask import current_app

    return str(current_app.config.get("API_RATE_LIMIT", DEFAULT_API_RATE_LIMIT))


def register_api(app: Flask) -> None:
    """Register every API blueprint: token auth first, CSRF off (no cookies), JSON errors."""
    for module in FEATURE_MODULES:
        bp = module.bp
        bp.before_request(authenticate_request)
        csrf.exempt(bp)
        limiter.limit(_rate_limit)(bp)
        app.register_blueprint(bp)
    app.register_error_handler(ApiError, json_error)
