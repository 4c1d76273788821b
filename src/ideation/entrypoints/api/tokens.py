"""POST /api/v1/tokens: a username and password give a bearer token for 12 hours."""

from __future__ import annotations

from flask import Response

from ideation.entrypoints.api import fields as f
from ideation.entrypoints.api.core import (
    RequestSchema,
    ResponseSchema,
    api_blueprint,
    load_body,
    operation,
    perform,
    planner,
    respond,
)
from ideation.entrypoints.extensions import limiter

bp = api_blueprint("tokens")
TOKEN_LIMIT_PER_ADDRESS = "20 per minute"  # noqa: S105 - a rate, not a secret


class CreateTokenSchema(RequestSchema):
    username = f.String(required=True, validate=f.length(1, 80))
    password = f.String(required=True, validate=f.length(1, 1000))


class TokenSchema(ResponseSchema):
    token = f.String(
        required=True, metadata={"description": "Nur jetzt sichtbar; gespeichert wird nur ein Hash"}
    )
    expires_at = f.DateTime(required=True)


@operation(
    bp,
    "/tokens",
    "POST",
    summary="Token für Benutzername und Passwort ausstellen",
    tag="Anmeldung",
    body=CreateTokenSchema,
    response=TokenSchema,
    status=201,
    errors=(401, 422, 429),
    public=True,
)
@limiter.limit(TOKEN_LIMIT_PER_ADDRESS)
def create_token() -> Response:
    """Check the login (with the same per-account throttle as the login page) and issue a token.

    The token acts with the roles of its person, ends after 12 hours, on a password change
    and on "log out everywhere"; personal tokens with a longer life are made on the profile page.
    """
    body = load_body(CreateTokenSchema)
    issued = perform(planner().issue_token, body["username"], body["password"])
    return respond(TokenSchema, issued, status=201)
