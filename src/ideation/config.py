"""Settings from IDEATION_* environment variables, with defaults that work on a fresh machine."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_INSTANCE_PATH = Path("instance")


@dataclass(frozen=True)
class Settings:
    """Everything configurable, read once from the environment."""

    instance_path: Path
    database_url: str
    database_schema: str | None
    lock_timeout_seconds: int
    environment: str = "development"
    secret_key: str | None = None
    feedback_email: str = "barrierefreiheit@musterstadt.example"
    max_request_bytes: int = 1_000_000
    fast_password_hashing: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read IDEATION_* variables; the default store is a SQLite file in the instance folder."""
        env = os.environ if environ is None else environ
        instance_path = Path(env.get("IDEATION_INSTANCE_PATH") or DEFAULT_INSTANCE_PATH).resolve()
        database_url = env.get("IDEATION_DATABASE_URL") or (
            f"sqlite:///{instance_path / 'ideation.sqlite3'}"
        )
        return cls(
            instance_path=instance_path,
            database_url=database_url,
            database_schema=env.get("IDEATION_DATABASE_SCHEMA") or None,
            lock_timeout_seconds=int(env.get("IDEATION_LOCK_TIMEOUT_SECONDS") or 10),
            environment=env.get("IDEATION_ENV") or "development",
            secret_key=env.get("IDEATION_SECRET_KEY") or None,
            feedback_email=env.get("IDEATION_FEEDBACK_EMAIL")
            or "barrierefreiheit@musterstadt.example",
            max_request_bytes=int(env.get("IDEATION_MAX_REQUEST_BYTES") or 1_000_000),
            # Tests only: argon2's cheapest profile instead of the ASVS-compliant default.
            fast_password_hashing=env.get("IDEATION_PASSWORD_HASHING") == "fast-for-tests",
        )
