"""The Flask app on a fresh SQLite file, and its test client."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ideation.entrypoints.flask_app import create_app


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
def client(web_app: Flask) -> FlaskClient:
    return web_app.test_client()
