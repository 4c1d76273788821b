"""Who is signed in: Flask-Login with a per-account session version (catalogue SEC-2)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from flask import Flask, abort, current_app, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from ideation.application.security_log import log_security_event
from ideation.entrypoints.api_boundary import API_ROOT
from ideation.entrypoints.extensions import login_manager

View = TypeVar("View", bound=Callable[..., Any])

IDLE_TIMEOUT_SECONDS = 30 * 60
ABSOLUTE_LIFETIME_SECONDS = 12 * 60 * 60
# Reachable without signing in.
PUBLIC_ENDPOINTS = {
    "auth.login",
    "legal.accessibility",
    "main.choose_language",
    "static",
    "api_docs.api_page",
}
# Issue 8 part 6: the Atom feeds authenticate themselves (session cookie or an API bearer
# token for feed readers) and answer 401 instead of sending readers to the login form.
SELF_AUTHENTICATING_ENDPOINTS = {"feeds.planner_feed", "feeds.department_feed"}
# Issue 8 part 4: a person who is only an ambassador (digital-policy speaker of a faction)
# reads the briefings and published measures and nothing else (docs/political-rounds.md).
AMBASSADOR = "ambassador"
WORKING_ROLES = ("member", "group_member", "coordinator", "auditor", "admin")
AMBASSADOR_BLUEPRINTS = {"briefings", "profile", "auth", "legal"}
AMBASSADOR_ENDPOINTS = {"main.choose_language", "static"}


def is_ambassador_only(roles: tuple[str, ...] | list[str]) -> bool:
    """Whether the roles make an ambassador and nothing else that reads the planner."""
    return AMBASSADOR in roles and not any(role in roles for role in WORKING_ROLES)


@dataclass
class SignedInPerson:
    """The person behind the current session (Flask-Login's user object)."""

    person_id: UUID
    session_version: int
    display_name: str
    department_id: UUID
    roles: tuple[str, ...]

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        # The version travels in the cookie: raising it on the server ends the session.
        return f"{self.person_id}:{self.session_version}"

    def has_role(self, role: str) -> bool:
        return role in self.roles


class Anonymous(AnonymousUserMixin):
    roles: tuple[str, ...] = ()

    def has_role(self, role: str) -> bool:
        return False


def load_signed_in_person(user_id: str) -> SignedInPerson | None:
    """Rebuild the signed-in person from the cookie, if the session is still valid."""
    person_text, _, version_text = user_id.partition(":")
    try:
        person_id, version = UUID(person_text), int(version_text)
    except ValueError:
        return None
    person = current_app.extensions["ideation"].signed_in_person(person_id, version)
    if person is None:
        return None
    return SignedInPerson(
        person_id=person.id,
        session_version=version,
        display_name=person.display_name,
        department_id=person.department_id,
        roles=person.roles,
    )


def start_session(person: SignedInPerson, *, keep_locale: bool = False) -> None:
    """Sign `person` in with a fresh session (no fixation), valid for the absolute lifetime."""
    locale = session.get("locale")
    session.clear()
    if keep_locale and locale:
        session["locale"] = locale
    login_user(person)
    session.permanent = True
    session["signed_in_at"] = time.time()


def role_required(role: str) -> Callable[[View], View]:
    """Let only people holding `role` through; everyone else gets the German 403 page."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(role):
                log_security_event(
                    "access.denied",
                    person_id=getattr(current_user, "person_id", None),
                    endpoint=request.endpoint,
                )
                abort(403)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def require_sign_in() -> Response | None:
    """Send anonymous visitors to the login page; end sessions past their absolute lifetime."""
    if request.path.startswith(API_ROOT):
        return None  # the API authenticates by bearer token; a cookie never counts there
    if current_user.is_authenticated:
        started = session.get("signed_in_at", 0)
        if time.time() - started > ABSOLUTE_LIFETIME_SECONDS:
            logout_user()
            session.clear()
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return None
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if request.endpoint in SELF_AUTHENTICATING_ENDPOINTS:
        return None  # the feed view checks the bearer token itself (401 without one)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def confine_ambassadors() -> Response | None:
    """Keep an ambassador-only person to the briefings (start page → briefings; else 403)."""
    if request.path.startswith(API_ROOT) or not current_user.is_authenticated:
        return None
    if not is_ambassador_only(current_user.roles):
        return None
    if request.endpoint == "main.index":
        return redirect(url_for("briefings.index"))
    if request.endpoint is None or request.endpoint in AMBASSADOR_ENDPOINTS | PUBLIC_ENDPOINTS:
        return None
    if request.blueprint in AMBASSADOR_BLUEPRINTS:
        return None
    log_security_event("access.denied", person_id=current_user.person_id, endpoint=request.endpoint)
    abort(403)


def register_auth(app: Flask) -> None:
    """Configure Flask-Login and the sign-in requirement."""
    login_manager.init_app(app)
    login_manager.user_loader(load_signed_in_person)
    login_manager.anonymous_user = Anonymous
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Bitte melden Sie sich an.")
    login_manager.session_protection = "basic"
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", IDLE_TIMEOUT_SECONDS)
    app.config["REMEMBER_COOKIE_DURATION"] = 0
    app.before_request(require_sign_in)
    app.before_request(confine_ambassadors)
