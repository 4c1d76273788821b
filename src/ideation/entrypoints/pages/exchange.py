"""Exchange formats (Austauschformate) and digital pilots: issue 8, parts 1 and 2.

Every signed-in role may read these pages: the calendar of sessions with what each kind of
format brought (chart and table), a session's page with the ideas that came from it, and the
digital pilots per department. Only the coordination gets the forms: the page offers what
`exchange_session_actions`, `pilot_actions` and `may()` allow; the application enforces it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_number
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

from ideation.domain.exchange import (
    EXCHANGE_KIND_LABELS,
    EXCHANGE_STATUS_LABELS,
    ExchangeKind,
    ExchangeStatus,
)
from ideation.domain.pilot import PILOT_STATUS_LABELS, PilotStatus
from ideation.entrypoints.charts import (
    CountBars,
    chart_style,
    count_ticks,
    svg_response,
    without_scripts,
)
from ideation.entrypoints.forms.exchange import (
    CancelExchangeSessionForm,
    ConfirmPilotForm,
    NominatePilotForm,
    PlanExchangeSessionForm,
    RecordExchangeSessionForm,
    RescheduleExchangeSessionForm,
    WithdrawPilotForm,
    needs_lines,
)
from ideation.entrypoints.i18n import localized
from ideation.entrypoints.pages.common import (
    Page,
    department_choices,
    department_name,
    department_names,
    form_status,
    found,
    person_name,
    planner,
    prefetch_people,
    run_command,
)
from ideation.entrypoints.pages.main import local_today
from ideation.readmodels.queries import InvalidQuery

bp = Blueprint("exchange", __name__, url_prefix="/austausch")

# The action forms of a session's page: template name → (form class, action key).
SESSION_FORMS: dict[str, tuple[type[FlaskForm], str]] = {
    "reschedule_form": (RescheduleExchangeSessionForm, "reschedule"),
    "record_form": (RecordExchangeSessionForm, "record"),
    "cancel_form": (CancelExchangeSessionForm, "cancel"),
}
# The figures per kind, in the order of the table's columns and the chart's bars.
FIGURE_COLUMNS = (
    "sessions_held",
    "departments_reached",
    "ideas_collected",
    "measures",
    "quick_wins",
)
CHART_COLOURS = ("#004b87", "#4a4a4a", "#00704a", "#8a3b00", "#6a1b9a")
CHART_WIDTH = 800
CHART_HEIGHT = 760


def kind_label(kind: str | None) -> str:
    """The German (or translated) name of a kind of format."""
    if kind is None or kind not in tuple(ExchangeKind):
        return "–"
    return localized(EXCHANGE_KIND_LABELS[ExchangeKind(kind)])


def session_status_label(status: str) -> str:
    return localized(EXCHANGE_STATUS_LABELS[ExchangeStatus(status)])


def pilot_status_label(status: str) -> str:
    return localized(PILOT_STATUS_LABELS[PilotStatus(status)])


def figure_labels() -> dict[str, str]:
    """Column headings of the figures table (and the chart's legend)."""
    return {
        "sessions_held": _("Durchgeführt"),
        "departments_reached": _("Erreichte Fachbereiche"),
        "ideas_collected": _("Gesammelte Ideen"),
        "measures": _("Daraus Maßnahmen"),
        "quick_wins": _("Davon Quick Wins"),
    }


@bp.app_context_processor
def exchange_helpers() -> dict[str, Any]:
    """Labels of kinds and statuses for every template (the idea page shows an origin)."""
    return {
        "exchange_kind_label": kind_label,
        "exchange_status_label": session_status_label,
        "pilot_status_label": pilot_status_label,
        "month_label": lambda month: format_date(month.first_day, "MMMM yyyy"),
    }


def _kind_filter() -> str | None:
    kind = request.args.get("kind") or None
    if kind is not None and kind not in tuple(ExchangeKind):
        return None
    return kind


# -- the calendar and the figures ------------------------------------------------------------


@bp.get("/")
def index() -> str:
    """The sessions by month (upcoming and past), filterable by kind, and the figures per kind."""
    reads = planner().read_models
    kind = _kind_filter()
    try:
        calendar = reads.exchange_calendar(kind=kind, today=local_today())
    except InvalidQuery:
        abort(400)
    prefetch_people(
        s.host_person_id for m in (*calendar.upcoming, *calendar.past) for s in m.sessions
    )
    return render_template(
        "exchange/index.html",
        calendar=calendar,
        figures=reads.exchange_figures(),
        kind=kind,
        kinds=[(k.value, kind_label(k.value)) for k in ExchangeKind],
        columns=FIGURE_COLUMNS,
        column_labels=figure_labels(),
        chart_size=(CHART_WIDTH, CHART_HEIGHT),
        may_plan=planner().may(current_user.person_id, "exchange.plan"),
    )


@bp.get("/zahlen.svg")
def figures_chart() -> Response:
    """The figures per kind as grouped bars (SVG without scripts; the table is the text)."""
    return svg_response(_figures_svg(planner().read_models.exchange_figures()))


def _figures_svg(figures: Any) -> bytes:
    style = chart_style(CHART_COLOURS)
    highest = max(
        (getattr(row, column) for row in figures.kinds for column in FIGURE_COLUMNS), default=0
    )
    ticks = count_ticks(highest)
    # Horizontal bars: the long names of the formats stay readable beside their group.
    chart = CountBars(
        style=style,
        js=[],
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        title=_("Was die Austauschformate gebracht haben"),
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        print_values=True,
        print_values_position="top",
        value_formatter=lambda value: format_number(int(value)),
        show_x_guides=False,
        show_y_guides=True,
        x_label_rotation=0,
        truncate_label=-1,
        truncate_legend=-1,
        margin=16,
        margin_right=40,  # room for a count beside the longest bar
        margin_bottom=40,  # room for the third row of the legend
        spacing=8,
        range=(0, ticks[-1]),
        include_x_axis=True,
        no_data_text=_("Noch keine Austauschformate"),
    )
    chart.add_xml_filter(without_scripts)
    # pygal draws the first label at the bottom: reverse, so the first format is on top.
    kinds = tuple(reversed(figures.kinds))
    chart.x_labels = [kind_label(row.kind) for row in kinds]
    chart.y_labels = ticks
    labels = figure_labels()
    for column in FIGURE_COLUMNS:
        chart.add(labels[column], [getattr(row, column) for row in kinds])
    return chart.render()


# -- planning -----------------------------------------------------------------------------------


def _people_choices(empty: str) -> list[tuple[str, str]]:
    """Active people as (id, "Name (Fachbereich)"), by name."""
    return [("", empty)] + [
        (str(p.id), f"{p.display_name} ({department_name(p.department_id)})")
        for p in planner().list_people()
        if p.active
    ]


@bp.route("/planen", methods=["GET", "POST"])
def plan() -> Page:
    """Plan a session of an exchange format (the coordination)."""
    if not planner().may(current_user.person_id, "exchange.plan"):
        abort(403)
    form = PlanExchangeSessionForm()
    form.host_person_id.choices = _people_choices(_("Bitte auswählen"))
    form.round_department_id.choices = department_choices(empty=_("Keine (kein Besuch)"))
    form.invited_department_ids.choices = department_choices()
    if not form.is_submitted():
        form.host_person_id.data = str(current_user.person_id)
    if form.validate_on_submit():
        session_id, status = run_command(
            form,
            lambda: planner().plan_exchange_session(
                current_user.person_id,
                kind=form.kind.data,
                scheduled_on=form.scheduled_on.data,
                topic=form.topic.data,
                host_person_id=UUID(form.host_person_id.data),
                round_department_id=(
                    UUID(form.round_department_id.data) if form.round_department_id.data else None
                ),
                invited_department_ids=[UUID(d) for d in form.invited_department_ids.data or []],
            ),
        )
        if not status:
            flash(
                _("Austauschformat „%(topic)s“ geplant.", topic=form.topic.data.strip()), "success"
            )
            return redirect(url_for("exchange.detail", session_id=session_id))
        return render_template("exchange/plan.html", form=form), status
    return render_template("exchange/plan.html", form=form), form_status(form)


# -- a session's page ---------------------------------------------------------------------------


def _prepare(form: FlaskForm) -> FlaskForm:
    if isinstance(form, RecordExchangeSessionForm):
        form.participating_department_ids.choices = department_choices()
    return form


def _fresh(name: str, session: Any) -> FlaskForm:
    form_class, _action = SESSION_FORMS[name]
    if form_class is RecordExchangeSessionForm:
        return _prepare(
            form_class(
                data={
                    "version": session.version,
                    "held_on": session.scheduled_on,
                    "participating_department_ids": [
                        str(d) for d in session.invited_department_ids
                    ],
                }
            )
        )
    if form_class is RescheduleExchangeSessionForm:
        return form_class(data={"version": session.version})
    return _prepare(form_class(data={"version": session.version}))


def _session_page(
    session_id: UUID, status: int = 200, bound: tuple[str, FlaskForm] | None = None
) -> Any:
    app = planner()
    session = found(app.get_exchange_session, session_id)
    actions = app.exchange_session_actions(current_user.person_id, session_id)
    forms: dict[str, FlaskForm | None] = {}
    for name, (_form_class, action) in SESSION_FORMS.items():
        if bound is not None and bound[0] == name:
            forms[name] = _prepare(bound[1])
        elif action in actions:
            forms[name] = _fresh(name, session)
        else:
            forms[name] = None
    pilots = app.read_models.list_pilots(session_id=session_id)
    prefetch_people([session.host_person_id, *(p.person_id for p in pilots)])
    page = render_template(
        "exchange/detail.html",
        session=session,
        ideas=app.read_models.exchange_session_ideas(session_id),
        pilots=pilots,
        **forms,
    )
    return page, status


@bp.get("/<uuid:session_id>")
def detail(session_id: UUID) -> Page:
    """A session: facts, departments, needs, notes, the ideas it brought, the actions."""
    return _session_page(session_id)


def _session_action(
    session_id: UUID, name: str, command: Callable[[Any, int], Any], done: str
) -> Page:
    """Validate one action form of the session page, run it, redirect or re-render."""
    form_class, action = SESSION_FORMS[name]
    found(planner().get_exchange_session, session_id)
    form = _prepare(form_class())
    if form.validate_on_submit():
        _done, status = run_command(form, lambda: command(form, form.version.data))
        if not status:
            flash(done, "success")
            return redirect(url_for("exchange.detail", session_id=session_id))
        return _session_page(session_id, status, bound=(name, form))
    if action not in planner().exchange_session_actions(current_user.person_id, session_id):
        abort(403)
    return _session_page(session_id, form_status(form), bound=(name, form))


@bp.post("/<uuid:session_id>/verschieben")
def reschedule(session_id: UUID) -> Page:
    """Move a planned session to another day (the coordination)."""
    return _session_action(
        session_id,
        "reschedule_form",
        lambda form, version: planner().reschedule_exchange_session(
            current_user.person_id,
            session_id,
            version,
            form.scheduled_on.data,
            form.note.data or "",
        ),
        _("Austauschformat verschoben."),
    )


@bp.post("/<uuid:session_id>/festhalten")
def record(session_id: UUID) -> Page:
    """Record the session as held (the coordination)."""
    return _session_action(
        session_id,
        "record_form",
        lambda form, version: planner().record_exchange_session(
            current_user.person_id,
            session_id,
            version,
            held_on=form.held_on.data,
            participating_department_ids=[
                UUID(d) for d in form.participating_department_ids.data or []
            ],
            participant_count=form.participant_count.data,
            notes=form.notes.data or "",
            needs=needs_lines(form.needs.data),
        ),
        _("Austauschformat als durchgeführt festgehalten."),
    )


@bp.post("/<uuid:session_id>/absagen")
def cancel(session_id: UUID) -> Page:
    """Call the session off, with a reason (the coordination)."""
    return _session_action(
        session_id,
        "cancel_form",
        lambda form, version: planner().cancel_exchange_session(
            current_user.person_id, session_id, version, form.reason.data
        ),
        _("Austauschformat abgesagt."),
    )


# -- digital pilots --------------------------------------------------------------------------


@bp.get("/lotsen")
def pilots() -> str:
    """Digitallotsinnen und -lotsen: confirmed pilots and candidates per department."""
    return render_template("exchange/pilots.html", overview=planner().read_models.pilots_overview())


def _department_or_404(department_id: UUID) -> Any:
    department = department_names().get(department_id)
    if department is None:
        abort(404)
    return department


def _confirm_prefix(pilot_id: UUID) -> str:
    return f"confirm-{pilot_id.hex[:8]}"


def _withdraw_prefix(pilot_id: UUID) -> str:
    return f"withdraw-{pilot_id.hex[:8]}"


def _prepare_nominate(form: NominatePilotForm, department_id: UUID, rows: list[Any]) -> Any:
    noted = {p.person_id for p in rows if p.status != PilotStatus.WITHDRAWN}
    people = [p for p in planner().list_people() if p.active and p.department_id == department_id]
    form.person_id.choices = [("", _("Bitte auswählen"))] + [
        (str(p.id), p.display_name) for p in people if p.id not in noted
    ]
    form.session_id.choices = [("", _("Keine Angabe"))] + [
        (str(s.id), f"{format_date(s.date, 'medium')} – {kind_label(s.kind)}: {s.topic}")
        for s in planner().read_models.held_exchange_sessions()
    ]
    return form


def _department_pilots_page(
    department_id: UUID,
    status: int = 200,
    nominate: NominatePilotForm | None = None,
    bound: tuple[UUID, FlaskForm] | None = None,
) -> Any:
    app = planner()
    department = _department_or_404(department_id)
    rows = app.read_models.list_pilots(department_id=department_id)
    viewer = current_user.person_id
    if nominate is not None:
        nominate_form: NominatePilotForm | None = _prepare_nominate(nominate, department_id, rows)
    elif app.may(viewer, "pilot.nominate"):
        nominate_form = _prepare_nominate(NominatePilotForm(), department_id, rows)
    else:
        nominate_form = None
    entries = []
    for pilot in rows:
        actions = app.pilot_actions(viewer, pilot.id)
        confirm_form = withdraw_form = None
        if bound is not None and bound[0] == pilot.id:
            if isinstance(bound[1], ConfirmPilotForm):
                confirm_form = bound[1]
            else:
                withdraw_form = bound[1]
        if confirm_form is None and "confirm" in actions:
            confirm_form = ConfirmPilotForm(
                prefix=_confirm_prefix(pilot.id), data={"version": pilot.version}
            )
        if withdraw_form is None and "withdraw" in actions:
            withdraw_form = WithdrawPilotForm(
                prefix=_withdraw_prefix(pilot.id), data={"version": pilot.version}
            )
        entries.append((pilot, confirm_form, withdraw_form))
    prefetch_people(p.person_id for p in rows)
    entries.sort(key=lambda e: (_status_rank(e[0].status), person_name(e[0].person_id).casefold()))
    page = render_template(
        "exchange/department_pilots.html",
        department=department,
        entries=entries,
        nominate_form=nominate_form,
    )
    return page, status


def _status_rank(status: str) -> int:
    return {"confirmed": 0, "candidate": 1}.get(status, 2)


@bp.get("/lotsen/<uuid:department_id>")
def department_pilots(department_id: UUID) -> Page:
    """A department's pilots and candidates, with the coordination's forms."""
    return _department_pilots_page(department_id)


@bp.post("/lotsen/<uuid:department_id>/vormerken")
def nominate(department_id: UUID) -> Page:
    """Note a person of the department as a candidate (the coordination)."""
    _department_or_404(department_id)
    form = NominatePilotForm()
    _prepare_nominate(
        form, department_id, planner().read_models.list_pilots(department_id=department_id)
    )
    if form.validate_on_submit():
        _pilot_id, status = run_command(
            form,
            lambda: planner().nominate_pilot(
                current_user.person_id,
                UUID(form.person_id.data),
                form.reason.data,
                UUID(form.session_id.data) if form.session_id.data else None,
            ),
        )
        if not status:
            flash(
                _(
                    "%(name)s als Kandidatin / Kandidat vorgemerkt.",
                    name=person_name(UUID(form.person_id.data)),
                ),
                "success",
            )
            return redirect(url_for("exchange.department_pilots", department_id=department_id))
        return _department_pilots_page(department_id, status, nominate=form)
    if not planner().may(current_user.person_id, "pilot.nominate"):
        abort(403)
    return _department_pilots_page(department_id, form_status(form), nominate=form)


def _pilot_action(
    department_id: UUID,
    pilot_id: UUID,
    form: FlaskForm,
    action: str,
    command: Callable[[Any, int], Any],
    done: Callable[[str], str],
) -> Page:
    _department_or_404(department_id)
    pilot = found(planner().get_pilot, pilot_id)
    if not any(
        p.id == pilot_id for p in planner().read_models.list_pilots(department_id=department_id)
    ):
        abort(404)
    if form.validate_on_submit():
        _done, status = run_command(form, lambda: command(form, form.version.data))
        if not status:
            flash(done(person_name(pilot.person_id)), "success")
            return redirect(url_for("exchange.department_pilots", department_id=department_id))
        return _department_pilots_page(department_id, status, bound=(pilot_id, form))
    if action not in planner().pilot_actions(current_user.person_id, pilot_id):
        abort(403)
    return _department_pilots_page(department_id, form_status(form), bound=(pilot_id, form))


@bp.post("/lotsen/<uuid:department_id>/<uuid:pilot_id>/bestaetigen")
def confirm(department_id: UUID, pilot_id: UUID) -> Page:
    """Confirm a candidate as a digital pilot (the coordination)."""
    return _pilot_action(
        department_id,
        pilot_id,
        ConfirmPilotForm(prefix=_confirm_prefix(pilot_id)),
        "confirm",
        lambda form, version: planner().confirm_pilot(
            current_user.person_id, pilot_id, version, form.note.data or ""
        ),
        lambda name: _("%(name)s als Digitallotsin / -lotse bestätigt.", name=name),
    )


@bp.post("/lotsen/<uuid:department_id>/<uuid:pilot_id>/zurueckziehen")
def withdraw(department_id: UUID, pilot_id: UUID) -> Page:
    """End a candidacy or a pilot role, with a reason (the coordination)."""
    return _pilot_action(
        department_id,
        pilot_id,
        WithdrawPilotForm(prefix=_withdraw_prefix(pilot_id)),
        "withdraw",
        lambda form, version: planner().withdraw_pilot(
            current_user.person_id, pilot_id, version, form.reason.data
        ),
        lambda name: _("Lotsenschaft von %(name)s zurückgezogen.", name=name),
    )


# -- where an idea came from (the idea pages) ---------------------------------------------------


def origin_session_choices() -> list[tuple[str, str]]:
    """The held sessions an idea may name as its origin, newest first, for a select field."""
    return [("", _("Aus keinem Austauschformat"))] + [
        (str(s.id), f"{format_date(s.date, 'medium')} – {kind_label(s.kind)}: {s.topic}")
        for s in planner().read_models.held_exchange_sessions()
    ]


@bp.app_template_global("idea_origin")
def idea_origin(idea: Any) -> Markup | None:
    """A link to the session or political round an idea came from; None if neither is set."""
    session_id = getattr(idea, "origin_session_id", None)
    if session_id:
        row = planner().read_models.exchange_session_row(session_id)
        if row is None:
            return escape(_("Austauschformat"))
        return Markup('<a href="{}">{}</a> ({})').format(
            url_for("exchange.detail", session_id=session_id), row.topic, kind_label(row.kind)
        )
    round_id = getattr(idea, "origin_round_id", None)
    if round_id:
        try:
            href = url_for("politics.round_detail", round_id=round_id)
        except BuildError:
            return escape(_("Politische Runde"))
        return Markup('<a href="{}">{}</a>').format(href, _("Politische Runde"))
    return None
