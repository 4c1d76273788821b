"""The start page (dashboard), its funnel chart and the language switch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ideation.application.history import EVENT_LABELS
from ideation.entrypoints.charts import (
    funnel_chart_size,
    funnel_chart_svg,
    svg_response,
)
from ideation.entrypoints.i18n import SUPPORTED_LOCALES, TIMEZONE, localized
from ideation.entrypoints.labels import stage_label
from ideation.entrypoints.pages.common import planner, prefetch_people, working_group_names
from ideation.entrypoints.redirects import safe_next
from ideation.readmodels.tasks import WORK_AGGREGATE_TYPES
from ideation.readmodels.views import ActivityRow

bp = Blueprint("main", __name__)

LATEST_QUICK_WINS = 3
RECENT_STEPS = 10
TASKS_PER_LIST = 5
# The roles with a part in "Meine Aufgaben", in the order the page shows them.
TASK_ROLES = ("coordinator", "group_member", "member", "auditor", "admin")

# A decision's outcome is the stage the idea reached ("Zusammengeführt", not "… mit …").
DECISION_STAGES = {
    "Idea.Accepted": "accepted",
    "Idea.Rejected": "rejected",
    "Idea.Parked": "parked",
    "Idea.MergedInto": "merged",
    "Idea.Withdrawn": "withdrawn",
}

# Where a step's object lives: aggregate type → (endpoint, name of its id argument).
OBJECT_PAGES = {
    "Idea": ("ideas.detail", "idea_id"),
    "Measure": ("measures.detail", "measure_id"),
    "WorkingGroup": ("working_groups.detail", "group_id"),
    "ExchangeSession": ("exchange.detail", "session_id"),
    "PoliticalRound": ("politics.round_detail", "round_id"),
}


@dataclass(frozen=True)
class ActivityItem:
    """One recent step as the start page lists it."""

    occurred_at: dt.datetime
    person_id: UUID | None
    role: str | None
    label: str
    subject: str | None
    url: str | None


@bp.get("/")
def index() -> str:
    """Start page: my tasks, ideas per stage, quick wins implemented, the latest steps."""
    ideation = planner()
    reads = ideation.read_models
    tasks = reads.my_tasks(
        person_id=current_user.person_id,
        department_id=current_user.department_id,
        roles=current_user.roles,
        today=local_today(),
        limit=TASKS_PER_LIST,
    )
    activity = [
        activity_item(row)
        for row in reads.recent_activity(RECENT_STEPS, aggregate_types=WORK_AGGREGATE_TYPES)
    ]
    prefetch_people(
        [a.person_id for a in activity]
        + [i.recommended_by for i in tasks.awaiting_decision.items]
        + [d.actor_person_id for d in tasks.latest_decisions.items]
    )
    group_names = (
        working_group_names()
        if tasks.group_ids or tasks.awaiting_decision or tasks.blocked_measures
        else {}
    )
    dashboard = reads.dashboard(latest=LATEST_QUICK_WINS)
    return render_template(
        "main/index.html",
        tasks=tasks,
        task_roles=[role for role in TASK_ROLES if current_user.has_role(role)],
        group_names=group_names,
        dashboard=dashboard,
        chart_size=funnel_chart_size(dashboard.funnel),
        activity=activity,
        decision_label=decision_label,
        event_count=ideation.recorder.max_notification_id() or 0,
        initialised=ideation.is_initialised(),
    )


@bp.get("/charts/funnel.svg")
def funnel_chart() -> Response:
    """The ideas per stage as a bar chart (SVG without scripts; the start page's table
    carries the same numbers as text)."""
    return svg_response(funnel_chart_svg(planner().read_models.funnel()))


@bp.post("/sprache")
def choose_language() -> Response:
    """Remember the chosen language for this session and go back."""
    locale = request.form.get("locale", "")
    if locale in SUPPORTED_LOCALES:
        session["locale"] = locale
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


def local_today() -> dt.date:
    """Today in the planner's time zone, by the application's clock."""
    clock = planner().clock
    now = clock() if clock is not None else dt.datetime.now(dt.UTC)
    return now.astimezone(ZoneInfo(TIMEZONE)).date()


def event_label(event_type: str) -> str:
    """What a step did, in the current language ("Bewertet", "Maßnahme geplant", …)."""
    label = EVENT_LABELS.get(event_type)
    return localized(label[1]) if label else event_type


def decision_label(event_type: str) -> str:
    """A decision's outcome in the current language ("Angenommen", "Abgelehnt", …)."""
    stage = DECISION_STAGES.get(event_type)
    return stage_label(stage) if stage else event_label(event_type)


def object_url(aggregate_type: str, aggregate_id: UUID) -> str | None:
    """The page of an idea, measure or working group; None for other objects."""
    page = OBJECT_PAGES.get(aggregate_type)
    if page is None:
        return None
    endpoint, argument = page
    return url_for(endpoint, **{argument: aggregate_id})


def activity_item(row: ActivityRow) -> ActivityItem:
    return ActivityItem(
        occurred_at=row.occurred_at,
        person_id=row.actor_person_id,
        role=row.actor_role,
        label=event_label(row.event_type),
        subject=row.subject,
        url=object_url(row.aggregate_type, row.aggregate_id),
    )
