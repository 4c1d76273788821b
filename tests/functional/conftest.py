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
