"""The Flask app factory: the only place a Flask app is created."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from ideation.bootstrap import build_application
from ideation.config import Settings
from ideation.entrypoints.api import register_api
from ideation.entrypoints.auth import register_auth
from ideation.entrypoints.demo import has_demo_passwords
from ideation.entrypoints.extensions import babel, csrf, limiter
from ideation.entrypoints.forms import ROLE_LABELS
from ideation.entrypoints.i18n import (
    DEFAULT_LOCALE,
    SUPPORTED_LOCALES,
    TIMEZONE,
    format_date_local,
    format_datetime_local,
    select_locale,
)
from ideation.entrypoints.labels import (
    display_value,
    field_label,
    meeting_format_label,
    recommendation_label,
    stage_label,
)
from ideation.entrypoints.pages import (
    admin,
    alliance,
    audit,
    auth,
    briefings,
    departments,
    errors,
    evidence,
    exchange,
    feeds,
    history,
    ideas,
    integrity,
    legal,
    main,
    measures,
    planner,
    politics,
    profile,
    working_groups,
)
from ideation.entrypoints.pages.common import template_helpers
from ideation.entrypoints.security import (
    load_or_create_secret_key,
    refuse_malformed_requests,
    register_security,
)

WEB_FOLDER_CANDIDATES = (
    Path(__file__).resolve().parents[3] / "web",  # a checkout or editable install
    Path(__file__).resolve().parents[1] / "web",  # the wheel (web/ is force-included)
)


def web_folder() -> Path:
    """The folder with templates/, static/ and translations/."""
    for candidate in WEB_FOLDER_CANDIDATES:
        if (candidate / "templates").is_dir():
            return candidate
    raise RuntimeError("web/ folder with templates not found")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app; `config` overrides IDEATION_* settings and Flask config keys."""
    config = dict(config or {})
    environ = {k: v for k, v in os.environ.items() if k.startswith("IDEATION_")}
    settings = Settings.from_env(
        {**environ, **{k: v for k, v in config.items() if k.startswith("IDEATION_")}}
    )
    web = web_folder()
    app = Flask(
        __name__,
        template_folder=str(web / "templates"),
        static_folder=str(web / "static"),
        instance_path=str(settings.instance_path),
    )
    app.config.update(
        SECRET_KEY=settings.secret_key or load_or_create_secret_key(settings.instance_path),
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.environment == "production",
        BABEL_DEFAULT_LOCALE=DEFAULT_LOCALE,
        BABEL_DEFAULT_TIMEZONE=TIMEZONE,
        BABEL_TRANSLATION_DIRECTORIES=str(web / "translations"),
        IDEATION_SETTINGS=settings,
    )
    app.config.update({k: v for k, v in config.items() if not k.startswith("IDEATION_")})

    babel.init_app(app, locale_selector=select_locale)
    app.before_request(refuse_malformed_requests)  # before the CSRF check reads the form
    csrf.init_app(app)
    limiter.init_app(app)
    register_auth(app)
    register_security(app)
    errors.register_error_pages(app)
    register_api(app)
    for blueprint in (
        main.bp,
        legal.bp,
        auth.bp,
        admin.bp,
        ideas.bp,
        history.bp,
        evidence.bp,
        working_groups.bp,
        measures.bp,
        planner.bp,
        audit.bp,
        integrity.bp,
        departments.bp,
        feeds.bp,
        profile.bp,
        exchange.bp,
        alliance.bp,
        politics.bp,
        briefings.bp,
    ):
        app.register_blueprint(blueprint)

    app.add_template_filter(stage_label, "stage_label")
    app.add_template_filter(display_value, "display_value")
    app.add_template_filter(meeting_format_label, "meeting_format_label")
    app.add_template_filter(recommendation_label, "recommendation_label")
    app.add_template_filter(format_datetime_local, "datetime_local")
    app.add_template_filter(format_date_local, "date_local")
    app.add_template_global(field_label, "field_label")
    app.jinja_env.globals.update(template_helpers())

    @app.template_filter("role_label")
    def role_label(role: str) -> str:
        return str(ROLE_LABELS.get(role, role))

    @app.context_processor
    def layout_values() -> dict[str, Any]:
        return {
            "supported_locales": SUPPORTED_LOCALES,
            "current_locale": select_locale(),
            "feedback_email": settings.feedback_email,
        }

    ideation = build_application(settings)
    if settings.environment == "production" and has_demo_passwords(ideation):
        raise RuntimeError(
            "IDEATION_ENV=production, aber Demo-Zugänge mit dem Passwort „demo“ sind vorhanden. "
            "Bitte die Passwörter ändern oder eine leere Datenbank verwenden."
        )
    app.extensions["ideation"] = ideation
    return app
