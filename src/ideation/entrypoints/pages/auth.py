"""Sign in and sign out."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from ideation.application.errors import LoginFailed, LoginThrottled
from ideation.entrypoints.auth import load_signed_in_person, start_session
from ideation.entrypoints.extensions import limiter
from ideation.entrypoints.forms import SignInForm
from ideation.entrypoints.i18n import localized_error
from ideation.entrypoints.redirects import safe_next

bp = Blueprint("auth", __name__)
LOGIN_LIMIT_PER_ADDRESS = "30 per minute"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT_PER_ADDRESS, methods=["POST"])
def login() -> Response | str | tuple[str, int, dict[str, str]]:
    """Show the sign-in form; on success start a fresh session and go on."""
    form = SignInForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form), status
    ideation = current_app.extensions["ideation"]
    try:
        grant = ideation.authenticate(form.username.data, form.password.data)
    except LoginThrottled as throttled:
        form.password.errors = [localized_error(throttled)]
        page = render_template("auth/login.html", form=form)
        return page, 429, {"Retry-After": str(throttled.retry_after_seconds)}
    except LoginFailed as failed:
        form.password.errors = [localized_error(failed)]
        return render_template("auth/login.html", form=form), 401
    person = load_signed_in_person(f"{grant.person_id}:{grant.session_version}")
    target = safe_next(form.next.data) or url_for("main.index")
    start_session(person)
    flash(_("Sie sind angemeldet."), "success")
    return redirect(target)


@bp.post("/logout")
def logout() -> Response:
    """Sign out; cookies copied before stay useless because the session version moves on."""
    if current_user.is_authenticated:
        current_app.extensions["ideation"].end_all_sessions(current_user.person_id)
    logout_user()
    session.clear()
    flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("auth.login"))
