"""Staying informed: Atom feeds for the planner and each department, and a printable digest.

The feeds carry internal planning data, so they are never public. A feed reader that cannot
sign in with the form sends an API token in the header (`Authorization: Bearer idt_…`, made
on the profile page); a browser's session counts as well. Anything else gets 401 with
`WWW-Authenticate: Bearer` (the sign-in hook in auth.py lets these two endpoints through for
that reason). Tokens never travel in URLs.

Who may read: every person holding one of the planner's working roles (the dashboard shows
the same items to all of them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Optional

from ideation.application.security_log import log_security_event
from ideation.entrypoints.api_boundary import bearer_token
from ideation.entrypoints.i18n import TIMEZONE, end_of_day
from ideation.entrypoints.pages.common import department_name, department_names, planner
from ideation.entrypoints.pages.main import decision_label, local_today
from ideation.readmodels.feeds import (
    DECISION,
    IDEA_SUBMITTED,
    QUICK_WIN_IMPLEMENTED,
    FeedEntry,
)
from ideation.readmodels.queries import parse_day

bp = Blueprint("feeds", __name__)

# The endpoints that authenticate themselves (session or bearer token), see auth.py.
FEED_ENDPOINTS = frozenset({"feeds.planner_feed", "feeds.department_feed"})
# Everyone with a part in the planner's work; not, e.g., a read-only outside role.
READER_ROLES = ("member", "group_member", "coordinator", "auditor", "admin")
FEED_SIZE = 50
DIGEST_DAYS = 30
MAX_DIGEST_ENTRIES = 10_000
FIRST_YEAR, LAST_YEAR = 1900, 9998
ATOM = "application/atom+xml"


# -- who is asking ------------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    person_id: UUID
    roles: tuple[str, ...]


def _reader() -> Reader | None:
    """The signed-in person, or the person behind a valid bearer token; None otherwise."""
    if current_user.is_authenticated:
        return Reader(current_user.person_id, tuple(current_user.roles))
    token = bearer_token()
    if token is None:
        return None
    grant = planner().person_for_token(token)
    if grant is None:
        return None
    return Reader(grant.person.id, tuple(grant.person.roles))


def _unauthenticated() -> Response:
    response = Response(
        _(
            "Bitte anmelden: im Browser über die Anmeldeseite, im Feedreader mit einem API-Token "
            "(Kopfzeile Authorization: Bearer …)."
        ),
        status=401,
        mimetype="text/plain",
    )
    response.headers["WWW-Authenticate"] = 'Bearer realm="ideation"'
    return response


def _check_role(person_id: UUID | None, roles: tuple[str, ...]) -> None:
    if not any(role in roles for role in READER_ROLES):
        log_security_event("access.denied", person_id=person_id, endpoint=request.endpoint)
        abort(403)


# -- feeds ----------------------------------------------------------------------------------


@bp.get("/feeds/planner.atom")
def planner_feed() -> Response:
    """The whole planner: new ideas, decisions with reasons, implemented quick wins."""
    return _feed(None)


@bp.get("/feeds/fachbereiche/<uuid:department_id>.atom")
def department_feed(department_id: UUID) -> Response:
    """One department: its ideas, decisions on them, its quick wins and benefits it received."""
    return _feed(department_id)


def _feed(department_id: UUID | None) -> Response:
    reader = _reader()
    if reader is None:
        return _unauthenticated()
    _check_role(reader.person_id, reader.roles)
    if department_id is not None and department_id not in department_names():
        abort(404)
    entries = planner().read_models.feed_entries(department_id=department_id, limit=FEED_SIZE)
    if department_id is None:
        title = _("Ideen- und Maßnahmenplaner: Neuigkeiten")
        self_url = url_for("feeds.planner_feed", _external=True)
    else:
        title = _("%(department)s: Neuigkeiten", department=department_name(department_id))
        self_url = url_for("feeds.department_feed", department_id=department_id, _external=True)
    updated = entries[0].occurred_at if entries else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    body = render_template(
        "feeds/feed.atom.xml",
        title=title,
        feed_id=self_url,
        self_url=self_url,
        home_url=url_for("feeds.digest", _external=True),
        updated=updated,
        entries=[_item(e, external=True) for e in entries],
    )
    response = Response(body, mimetype=ATOM)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# -- what an entry says -------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A feed entry prepared for a feed or the digest."""

    entry: FeedEntry
    heading: str
    label: str
    department: str
    url: str
    detail: str
    benefits: tuple[tuple[str, str], ...]


def _item(entry: FeedEntry, external: bool = False) -> Item:
    benefits = tuple((department_name(b.department_id), b.description) for b in entry.benefits)
    if entry.kind == IDEA_SUBMITTED:
        label = _("Neue Idee")
        detail = entry.text or ""
    elif entry.kind == DECISION:
        label = decision_label(entry.event_type)
        detail = _("Begründung: %(reason)s", reason=entry.reason or "–")
    else:
        label = _("Quick Win umgesetzt")
        detail = (
            "; ".join(
                _("Mehrwert für %(department)s: %(text)s", department=d, text=t)
                for d, t in benefits
            )
            if benefits
            else _("Noch kein Mehrwert festgehalten.")
        )
    return Item(
        entry=entry,
        heading=f"{label}: {entry.title}",
        label=label,
        department=department_name(entry.department_id),
        url=url_for("ideas.detail", idea_id=entry.idea_id, _external=external),
        detail=detail,
        benefits=benefits,
    )


# -- the digest ---------------------------------------------------------------------------


class DigestForm(FlaskForm):
    """The period of the digest (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    date_from = StringField(_l("Von (Datum)"), validators=[Optional()], render_kw={"type": "date"})
    date_to = StringField(_l("Bis (Datum)"), validators=[Optional()], render_kw={"type": "date"})


@bp.get("/digest")
def digest() -> Any:
    """A printable overview of a period (default: the last 30 days, Europe/Berlin)."""
    _check_role(getattr(current_user, "person_id", None), tuple(current_user.roles))
    form = DigestForm(request.args)
    start, end = _period(form, local_today())
    failed = bool(form.date_from.errors or form.date_to.errors)
    groups: dict[str, list[Item]] = {IDEA_SUBMITTED: [], DECISION: [], QUICK_WIN_IMPLEMENTED: []}
    if not failed and start and end:
        since = dt.datetime.combine(start, dt.time.min, tzinfo=ZoneInfo(TIMEZONE))
        entries = planner().read_models.feed_entries(
            since=since, until=end_of_day(end), limit=MAX_DIGEST_ENTRIES
        )
        for entry in reversed(entries):  # oldest first reads like a report
            groups[entry.kind].append(_item(entry))
    departments = sorted(department_names().values(), key=lambda d: d.name.casefold())
    return render_template(
        "feeds/digest.html",
        form=form,
        failed=failed,
        start=start,
        end=end,
        new_ideas=groups[IDEA_SUBMITTED],
        decisions=groups[DECISION],
        quick_wins=groups[QUICK_WIN_IMPLEMENTED],
        departments=departments,
    ), (400 if failed else 200)


def _period(form: DigestForm, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The chosen days (both included); a missing end is today, a missing start 30 days
    before the end. Errors go on the fields."""
    start, end = _day(form.date_from), _day(form.date_to)
    if form.date_from.errors or form.date_to.errors:
        return start, end
    span = dt.timedelta(days=DIGEST_DAYS - 1)
    if end is None:
        end = max(start, today) if start else today
    if start is None:
        start = end - span
    if end < start:
        form.date_to.errors = [_("Das Datum „bis“ darf nicht vor dem Datum „von“ liegen.")]
    else:  # the form shows the period the page shows
        form.date_from.data, form.date_to.data = start.isoformat(), end.isoformat()
    return start, end


def _day(field: Any) -> dt.date | None:
    """The day a date field holds; a German error on the field if it holds no usable day."""
    text = (field.data or "").strip()
    if not text:
        return None
    day = parse_day(text)
    if day is None:
        field.errors = [
            _(
                "„%(value)s“ ist kein gültiges Datum. Bitte als JJJJ-MM-TT oder TT.MM.JJJJ "
                "angeben.",
                value=text[:40],
            )
        ]
    elif not FIRST_YEAR <= day.year <= LAST_YEAR:
        field.errors = [
            _(
                "Bitte ein Datum zwischen den Jahren %(first)s und %(last)s angeben.",
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        ]
        return None
    return day
