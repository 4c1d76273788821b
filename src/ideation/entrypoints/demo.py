"""A small demo city written through the application's own commands, back-dated by a clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from ideation.application.service import IdeationApplication
from ideation.config import Settings
from ideation.eventstore.settings import storage_settings

DEMO_PASSWORD = "demo"  # noqa: S105 - public demo password, refused in production
DEMO_SPAN = dt.timedelta(days=365)
DEMO_STEP = dt.timedelta(hours=61)  # about a year across the demo's events

# (name, short code, kind, display name of its member account)
DEPARTMENTS = [
    ("Stabsstelle Digitalisierung", "DIG", "administration", "Dana Digital"),
    ("Tiefbauamt", "TBA", "administration", "Tim Tiefbau"),
    ("Bürgerdienste", "BGD", "administration", "Berta Bürgerdienst"),
    ("Umweltamt", "UMW", "administration", "Ulla Umwelt"),
    ("Stadtplanungsamt", "SPA", "administration", "Stefan Planung"),
    ("Schulverwaltungsamt", "SVA", "administration", "Sina Schule"),
    ("Kulturamt", "KUL", "administration", "Karl Kultur"),
    ("Ordnungsamt", "ORD", "administration", "Olga Ordnung"),
    ("Sozialamt", "SOZ", "administration", "Sami Sozial"),
    ("Feuerwehr", "FW", "administration", "Frieda Feuerwehr"),
    ("Stadtwerke Musterstadt", "SWM", "company", "Sven Stadtwerke"),
    ("Wohnungsbaugesellschaft Musterstadt", "WBG", "company", "Wiebke Wohnen"),
    ("Verkehrsbetriebe Musterstadt", "VBM", "company", "Volker Verkehr"),
]
ROLE_ACCOUNTS = {"admin": "admin", "koordination": "coordinator", "pruefung": "auditor"}


def demo_usernames() -> list[str]:
    """Every account the demo creates (all with the password DEMO_PASSWORD)."""
    return [*ROLE_ACCOUNTS, *(code.lower() for _, code, _, _ in DEPARTMENTS)]


def reset_sqlite_database(settings: Settings) -> bool:
    """Delete the SQLite database file (and its WAL files); False on PostgreSQL."""
    storage = storage_settings(settings.database_url, schema=settings.database_schema)
    if storage.backend != "sqlite":
        return False
    database = Path(storage.sqlalchemy_url.database)
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        path.unlink(missing_ok=True)
    return True


def has_demo_passwords(app: IdeationApplication) -> bool:
    """Tell whether any demo account still accepts the demo password."""
    for username in demo_usernames():
        account = app.accounts.by_username(username)
        if account is not None and app.passwords.verify(account.password_hash, DEMO_PASSWORD):
            return True
    return False


class SteppingClock:
    """A clock that advances a fixed step on every reading, starting at a past moment."""

    def __init__(self, start: dt.datetime, step: dt.timedelta) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> dt.datetime:
        self.now += self.step
        return self.now


def seed_demo_city(app: IdeationApplication, progress: Callable[[str], None] = print) -> None:
    """Create Musterstadt: departments, accounts for every role, ideas in several stages.

    Everything goes through the application's own commands, back-dated by a clock that
    starts a year ago, so histories and "as of" views have something to show.
    """
    if app.is_initialised():
        progress("Demo-Daten sind bereits vorhanden.")
        return
    saved_clock = app.clock
    app.clock = SteppingClock(dt.datetime.now(dt.UTC) - DEMO_SPAN, DEMO_STEP)
    try:
        _seed(app, progress)
    finally:
        app.clock = saved_clock


def _seed(app: IdeationApplication, progress: Callable[[str], None]) -> None:
    name, code, kind, _ = DEPARTMENTS[0]
    digital, admin = app.initialise(
        admin_display_name="Ada Admin",
        admin_email="admin@musterstadt.example",
        department_name=name,
        department_short_name=code,
        department_kind=kind,
    )
    progress("Planer eingerichtet")
    departments = {code: digital}
    members = {}
    for name, code, kind, _ in DEPARTMENTS[1:]:
        departments[code] = app.register_department(admin, name, code, kind)
    for _, code, _, person in DEPARTMENTS:
        roles = ["member", "group_member"] if code in ("SWM", "VBM") else ["member"]
        email = f"{code.lower()}@musterstadt.example"
        members[code] = app.register_person(admin, person, email, departments[code], roles)
        app.create_account(admin, members[code], code.lower(), DEMO_PASSWORD, enforce_policy=False)
    coordinator = app.register_person(
        admin, "Clara Koordination", "koordination@musterstadt.example", digital, ["coordinator"]
    )
    auditor = app.register_person(
        admin, "Paula Prüfung", "pruefung@musterstadt.example", digital, ["auditor"]
    )
    for username, person in (
        ("admin", admin),
        ("koordination", coordinator),
        ("pruefung", auditor),
    ):
        app.create_account(admin, person, username, DEMO_PASSWORD, enforce_policy=False)
    progress(f"{len(DEPARTMENTS)} Fachbereiche und Unternehmen, {len(demo_usernames())} Zugänge")

    member = members["TBA"]
    citizen_member = members["BGD"]
    utility_member = members["SWM"]
    mobility, citizens = departments["TBA"], departments["BGD"]

    sensors = app.submit_idea(
        member,
        title="Freie Parkplätze per Sensor anzeigen",
        summary="Sensoren melden freie Plätze; die App der Stadtwerke zeigt sie an.",
        themes=["Mobilität", "Sensorik"],
    )
    app.pledge_support(utility_member, sensors, 1, "Wir bringen das LoRaWAN-Netz ein.")
    app.assess_idea(
        coordinator,
        sensors,
        2,
        impact=4,
        effort=2,
        expected_weeks=10,
        rationale="Sichtbarer Nutzen, vorhandenes Funknetz.",
    )
    group = app.form_working_group(
        coordinator, "AG Smarte Mobilität", "Mobilitätsideen verfeinern", mobility
    )
    app.add_working_group_member(coordinator, group, 1, utility_member)
    app.assign_idea_to_working_group(coordinator, sensors, 3, group)
    app.recommend(utility_member, sensors, 4, "accept", "Pilot auf dem Rathausparkplatz.")
    measure = app.accept_idea(coordinator, sensors, 5, "Quick Win mit Mehrwert für Pendler.")
    app.set_goal(
        utility_member,
        measure,
        1,
        statement="Parksuchverkehr am Rathaus senken",
        indicator="durchschnittliche Suchzeit",
        target="−20 %",
    )
    app.report_progress(utility_member, measure, 2, 60, "Sensoren montiert")
    app.implement_measure(
        utility_member, measure, 3, app.clock.now.date(), "40 Plätze live in der App"
    )
    app.record_benefit(
        utility_member, measure, 4, citizens, "Weniger Beschwerden zur Parkplatzsuche"
    )
    progress("Quick Win umgesetzt")

    appointments = app.submit_idea(
        citizen_member,
        title="Online-Terminvergabe für alle Bürgerbüros",
        summary="Ein gemeinsamer Terminkalender statt Telefonwarteschleife.",
        themes=["Verwaltung", "Service"],
    )
    app.comment_on_idea(member, appointments, 1, "Das würde auch unsere Sprechstunden entlasten.")
    app.assess_idea(
        coordinator,
        appointments,
        2,
        impact=5,
        effort=4,
        expected_weeks=30,
        rationale="Großer Nutzen, aber Schnittstellen zum Fachverfahren nötig.",
    )
    app.submit_idea(
        citizen_member,
        title="Digitale Mängelmeldung",
        summary="Bürgerinnen und Bürger melden Schlaglöcher mit Foto und Ort.",
        themes=["Beteiligung"],
    )
    progress("Ideen eingereicht")
