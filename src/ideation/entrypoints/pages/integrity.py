"""Integrity of the event log: the hash chain's head and its verification (catalogue GDPR-5).

Auditors and the coordination see the current chain head (to keep outside the system) and
can have the chain recomputed from the event table, optionally against a head they kept.
Verifying changes nothing, but it reads the whole log, so it runs on an explicit POST.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from ideation.application.security_log import log_security_event
from ideation.entrypoints.forms.integrity import VerifyChainForm
from ideation.entrypoints.i18n import localized
from ideation.entrypoints.pages.common import Page, form_status, planner
from ideation.readmodels.chain import describe_break
from ideation.readmodels.views import ChainVerification

bp = Blueprint("integrity", __name__, url_prefix="/audit")

READERS = ("auditor", "coordinator")


@bp.before_request
def only_readers() -> None:
    """Auditors and the coordination."""
    if not any(current_user.has_role(role) for role in READERS):
        log_security_event(
            "access.denied",
            person_id=getattr(current_user, "person_id", None),
            endpoint=request.endpoint,
        )
        abort(403)


@bp.route("/verify", methods=["GET", "POST"])
def verify() -> Page:
    """GET: the chain head and the form. POST: recompute the chain and show what was found.

    The verification is read-only, so its result is rendered directly (no redirect).
    """
    form = VerifyChainForm()
    if request.method == "GET":
        return _page(form, None), 200
    if not form.validate_on_submit():
        return _page(form, None), form_status(form)
    result = planner().read_models.verify_chain(expected=form.expected())
    return _page(form, result), 200


def _page(form: VerifyChainForm, result: ChainVerification | None) -> str:
    head = result.head if result is not None else planner().read_models.chain_head()
    problem = None
    if result is not None and result.first_break is not None:
        problem = localized(describe_break(result.first_break))
    return render_template(
        "integrity/verify.html", form=form, head=head, result=result, problem=problem
    )
