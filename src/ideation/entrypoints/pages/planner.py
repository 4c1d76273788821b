"""The whole planner as it was at the end of a past day (Stand am …), for audit and politics."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ideation.application.security_log import log_security_event
from ideation.entrypoints.forms.ideas import AsOfForm
from ideation.entrypoints.i18n import end_of_day, format_date_local
from ideation.entrypoints.integrity_cli import format_chain_head
from ideation.entrypoints.pages.common import Page, planner, prefetch_people
from ideation.readmodels.queries import parse_day

bp = Blueprint("planner", __name__, url_prefix="/planner")

# Who may look at the whole planner of a past day, with everybody's roles then.
READERS = ("auditor", "coordinator", "admin")


@bp.before_request
def only_readers() -> None:
    """Auditors, the coordination and administrators."""
    if not any(current_user.has_role(role) for role in READERS):
        log_security_event(
            "access.denied",
            person_id=getattr(current_user, "person_id", None),
            endpoint=request.endpoint,
        )
        abort(403)


@bp.get("/as-of")
def as_of() -> Page:
    """Ideas, measures, the funnel and the roles at the end of the chosen day."""
    form = AsOfForm(request.args)
    text = (form.date.data or "").strip()
    if not text:
        return render_template("planner/as_of.html", form=form, then=None, caption=""), 200
    day = parse_day(text)
    if day is None:
        form.date.errors = [_("Bitte ein gültiges Datum im Format JJJJ-MM-TT angeben.")]
        return render_template("planner/as_of.html", form=form, then=None, caption=""), 400
    if day > dt.date.today():
        form.date.errors = [_("Der Tag liegt in der Zukunft; bitte einen vergangenen Tag wählen.")]
        return render_template("planner/as_of.html", form=form, then=None, caption=""), 400
    then = planner().read_models.planner_as_of(end_of_day(day))
    prefetch_people(p.id for p in then.people)
    return render_template(
        "planner/as_of.html",
        form=form,
        then=then,
        caption=_("Stand am %(day)s (Tagesende)", day=format_date_local(day)),
        end=end_of_day(day),
        chain_head=format_chain_head(planner().read_models.chain_head()),
    ), 200
