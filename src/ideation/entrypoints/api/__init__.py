"""The JSON API v1 (marshmallow schemas, bearer tokens, OpenAPI description)."""

from __future__ import annotations

from flask import Flask, current_app, request

from ideation.entrypoints.api import (
    admin,
    alliance,
    exchange,
    ideas,
    measures,
    openapi,
    politics,
    record,
    tokens,
    working_groups,
)
from ideation.entrypoints.api.core import authenticate_request
from ideation.entrypoints.api.errors import ApiError, json_error
from ideation.entrypoints.extensions import csrf, limiter

DEFAULT_API_RATE_LIMIT = "600 per minute"
API_BLUEPRINT_PREFIX = "api_"

FEATURE_MODULES = (
    tokens,
    ideas,
    working_groups,
    measures,
    admin,
    record,
    exchange,
    alliance,
    politics,
    openapi,
)


def _rate_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", DEFAULT_API_RATE_LIMIT))


def _authenticate_api_requests() -> None:
    if (request.blueprint or "").startswith(API_BLUEPRINT_PREFIX):
        authenticate_request()


# The blueprints are module-level objects shared by every app (tests build many): their limits
# and CSRF exemptions are registered once, with the unbound extensions.
for _module in FEATURE_MODULES:
    csrf.exempt(_module.bp)
    limiter.limit(_rate_limit)(_module.bp)


def register_api(app: Flask) -> None:
    """Register every API blueprint: token auth first (no cookies), JSON errors."""
    for module in FEATURE_MODULES:
        app.register_blueprint(module.bp)
    app.before_request(_authenticate_api_requests)
    app.register_error_handler(ApiError, json_error)
