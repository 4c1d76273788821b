"""The Flask app on a fresh SQLite file with a small cast and accounts, and test clients."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ideation.entrypoints.flask_app import create_app
from tests.conftest import Cast, make_cast

PASSWORD = "Rathaus-Linde-Brunnen"


@pytest.fixture
def web_app(tmp_path: Path) -> Flask:
    """A fresh planner with CSRF on, as in production."""
    return create_app(
        {
            "IDEATION_INSTANCE_PATH": str(tmp_path / "instance"),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
            # The API's per-address limit is tested on its own (test_api_errors).
            "API_RATE_LIMIT": "100000 per minute",
        }
    )


@pytest.fixture
def cast(web_app: Flask) -> Cast:
    """The test cast, each with an account named like their role and the same password."""
    ideation = web_app.extensions["ideation"]
    cast = make_cast(ideation)
    for username, person in {
        "admin": cast.admin,
        "koordination": cast.coordinator,
        "tim": cast.member,
        "berta": cast.other_member,
        "greta": cast.group_member,
        "pruefung": cast.auditor,
    }.items():
        ideation.create_account(cast.admin, person, username, PASSWORD)
    return cast


@pytest.fixture
def client(web_app: Flask) -> FlaskClient:
    return web_app.test_client()


def csrf_token(client: FlaskClient) -> str:
    """The CSRF token of the client's session, read from a public page."""
    page = client.get("/barrierefreiheit").text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD, next_url: str = ""):
    """Post the sign-in form like a browser would."""
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post(
        "/login",
        data={"username": username, "password": password, "next": next_url, "csrf_token": token},
    )


@pytest.fixture
def member_client(client: FlaskClient, cast: Cast) -> FlaskClient:
    """A client signed in as the member Tim."""
    assert sign_in(client, "tim").status_code == 302
    return client


class ApiClient:
    """JSON requests to /api/v1 with a bearer token of one of the cast's accounts.

    `api.get("/ideas", as_="tim")`; `as_=None` sends no token. Tokens are issued through the
    application (the HTTP token route has its own rate limit and its own tests).
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client = app.test_client()
        self._tokens: dict[str, str] = {}

    def token(self, username: str) -> str:
        """A valid token for the account (one per username and test)."""
        if username not in self._tokens:
            issued = self.app.extensions["ideation"].issue_token(username, PASSWORD)
            self._tokens[username] = issued.token
        return self._tokens[username]

    def request(self, method: str, path: str, as_: str | None = "admin", **kwargs):
        """Send a request to /api/v1 + path; `headers` are merged with the bearer token."""
        headers = dict(kwargs.pop("headers", None) or {})
        if as_ is not None:
            headers.setdefault("Authorization", f"Bearer {self.token(as_)}")
        return self.client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, as_: str | None = "admin", **kwargs):
        return self.request("GET", path, as_, **kwargs)

    def post(self, path: str, as_: str | None = "admin", **kwargs):
        return self.request("POST", path, as_, **kwargs)

    def patch(self, path: str, as_: str | None = "admin", **kwargs):
        return self.request("PATCH", path, as_, **kwargs)

    def delete(self, path: str, as_: str | None = "admin", **kwargs):
        return self.request("DELETE", path, as_, **kwargs)


def assert_api_error(response, status: int, code: str) -> dict:
    """Check the JSON error shape of every API error; return the inner error object."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"].strip()
    assert isinstance(error["fields"], dict)
    return error


@pytest.fixture
def api(web_app: Flask, cast: Cast) -> ApiClient:
    """An API client for the cast's accounts (admin, koordination, tim, berta, greta, pruefung)."""
    return ApiClient(web_app)
