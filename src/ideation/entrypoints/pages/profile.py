"""The profile page "Mein Zugang": one's own data, password, sessions and personal API tokens.

Every signed-in person reaches it. Every form follows Post/Redirect/Get. A new token's text is
kept in the session for exactly one GET (never in a URL) and shown there once.

Sessions and tokens carry the account's session version: changing the password or signing
out everywhere raises it, which ends every session and every API token of the person. After
a password change the person stays signed in here (a fresh session at the new version), as
they expect from other systems; every other session and every token ends. "Überall
abmelden" ends this session too and leads to the login page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm

from ideation.application.errors import LoginFailed, LoginThrottled
from ideation.application.tokens import TokenView
from ideation.domain.errors import InvalidValue
from ideation.entrypoints.auth import load_signed_in_person, start_session
from ideation.entrypoints.extensions import limiter
from ideation.entrypoints.forms.profile import (
    ChangePasswordForm,
    CreateTokenForm,
    EndSessionsForm,
    RevokeTokenForm,
)
from ideation.entrypoints.pages.common import Page, form_status, planner, run_command

bp = Blueprint("profile", __name__, url_prefix="/profil")

# The session key that carries a new token's text to the one GET that shows it.
NEW_TOKEN_KEY = "profile_new_token"  # noqa: S105 - a session key, not a secret
# Guessing the current password through a hijacked session: a few tries per person.
PASSWORD_LIMIT_PER_PERSON = "5 per minute; 20 per hour"  # noqa: S105 - a rate, no secret


@dataclass(frozen=True)
class TokenRow:
    """A token as the page lists it: its data, its state and whether it can be revoked."""

    token: TokenView
    state: str
    state_label: str


def _state(token: TokenView) -> tuple[str, str]:
    if token.revoked_at is not None:
        return "revoked", _("widerrufen")
    if token.active:
        return "active", _("aktiv")
    return "expired", _("abgelaufen")


def _token_rows() -> list[TokenRow]:
    return [
        TokenRow(token, *_state(token)) for token in planner().list_tokens(current_user.person_id)
    ]


def _page(**forms: FlaskForm) -> str:
    """The profile page; forms that were sent are passed in, the others are fresh."""
    person_id = current_user.person_id
    ideation = planner()
    return render_template(
        "profile/index.html",
        person=ideation.get_person(person_id),
        username=ideation.account_username(person_id),
        tokens=_token_rows(),
        new_token=forms.pop("new_token", None),
        password_form=forms.get("password_form") or ChangePasswordForm(formdata=None),
        sessions_form=forms.get("sessions_form") or EndSessionsForm(formdata=None),
        token_form=forms.get("token_form") or CreateTokenForm(formdata=None),
        revoke_form=forms.get("revoke_form") or RevokeTokenForm(formdata=None),
    )


@bp.get("")
def index() -> str:
    """Who I am, my password, my sessions and my API tokens (a new one shown once)."""
    kept = session.pop(NEW_TOKEN_KEY, None)
    new_token = None
    if isinstance(kept, dict):
        new_token = {**kept, "expires_at": dt.datetime.fromisoformat(kept["expires_at"])}
    return _page(new_token=new_token)


# -- password ------------------------------------------------------------------------


def _person_key() -> str:
    """Limit per person (an anonymous request is sent to the login page anyway)."""
    person_id = getattr(current_user, "person_id", None)
    return f"person:{person_id}" if person_id else f"address:{get_remote_address()}"


@bp.post("/passwort")
@limiter.limit(PASSWORD_LIMIT_PER_PERSON, key_func=_person_key)
def change_password() -> Page:
    """Change one's password; every other session and every API token ends, this one stays."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _page(password_form=form), form_status(form)
    person_id = current_user.person_id

    def change() -> None:
        try:
            planner().change_password(person_id, form.current_password.data, form.new_password.data)
        except InvalidValue as error:
            if error.field == "password":  # the policy names the new password "password"
                raise InvalidValue("new_password", error.message) from None
            raise

    _done, status = run_command(form, change)
    if status:
        return _page(password_form=form), status
    if not _sign_in_again(person_id, form.new_password.data):
        logout_user()
        session.clear()
        flash(
            _("Ihr Passwort ist geändert. Bitte melden Sie sich mit dem neuen Passwort an."),
            "success",
        )
        return redirect(url_for("auth.login"))
    flash(
        _(
            "Ihr Passwort ist geändert. Sie bleiben hier angemeldet; alle anderen Sitzungen "
            "und Ihre API-Tokens sind beendet."
        ),
        "success",
    )
    return redirect(url_for("profile.index"))


def _sign_in_again(person_id: UUID, password: str) -> bool:
    """Start a fresh session at the new session version (the old one has just ended)."""
    ideation = planner()
    username = ideation.account_username(person_id)
    if username is None:
        return False
    try:
        grant = ideation.authenticate(username, password)
    except (LoginFailed, LoginThrottled):
        return False
    person = load_signed_in_person(f"{grant.person_id}:{grant.session_version}")
    if person is None or person.person_id != person_id:
        return False
    start_session(person, keep_locale=True)
    return True


# -- sessions ------------------------------------------------------------------------


@bp.post("/ueberall-abmelden")
def end_all_sessions() -> Page:
    """Sign out everywhere: every session (this one too) and every API token ends."""
    form = EndSessionsForm()
    if not form.validate_on_submit():
        return _page(sessions_form=form), form_status(form)
    _done, status = run_command(
        form,
        lambda: planner().end_all_sessions(current_user.person_id, including_tokens=True),
    )
    if status:
        return _page(sessions_form=form), status
    logout_user()
    session.clear()
    flash(
        _("Sie sind überall abgemeldet. Ihre API-Tokens gelten nicht mehr."),
        "success",
    )
    return redirect(url_for("auth.login"))


# -- API tokens ----------------------------------------------------------------------


@bp.post("/tokens")
def create_token() -> Page:
    """Create a personal API token; its text is shown once on the following page."""
    form = CreateTokenForm()
    if not form.validate_on_submit():
        return _page(token_form=form), form_status(form)
    issued, status = run_command(
        form,
        lambda: planner().create_personal_token(
            current_user.person_id, form.name.data, form.valid_days.data
        ),
    )
    if status or issued is None:
        return _page(token_form=form), status or 422
    name = form.name.data.strip()
    session[NEW_TOKEN_KEY] = {
        "name": name,
        "token": issued.token,
        "expires_at": issued.expires_at.isoformat(),
    }
    flash(_("Token „%(name)s“ erstellt.", name=name), "success")
    return redirect(url_for("profile.index", _anchor="neuer-token"))


@bp.post("/tokens/<uuid:token_id>/widerrufen")
def revoke_token(token_id: UUID) -> Page:
    """Revoke one of one's own tokens; it stops working at once."""
    form = RevokeTokenForm()
    if not form.validate_on_submit():
        return _page(revoke_form=form), form_status(form)
    names = {t.id: t.name for t in planner().list_tokens(current_user.person_id)}
    _done, status = run_command(
        form, lambda: planner().revoke_token(current_user.person_id, token_id)
    )
    if status:
        return _page(revoke_form=form), status
    flash(
        _(
            "Token „%(name)s“ widerrufen; er gilt ab sofort nicht mehr.",
            name=names.get(token_id, ""),
        ),
        "success",
    )
    return redirect(url_for("profile.index"))
