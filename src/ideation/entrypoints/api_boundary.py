"""What the rest of the web layer knows of the API: where it lives, how a request names its token.

Kept apart from the `api` package so that importing it never imports every API module.
"""

from __future__ import annotations

from flask import request

# The JSON routes; the readable page /api/docs is an ordinary page (session, HTML errors).
API_ROOT = "/api/v1/"


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer …` header, or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
