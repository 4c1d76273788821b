"""A small demo city written through the application's own commands, back-dated by a clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ideation.application.service import IdeationApplication

DEMO_START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


class SteppingClock:
    """A clock that advances a fixed step on every reading, starting at a past moment."""

    def __init__(self, start: dt.datetime, step: dt.timedelta) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> dt.datetime:
        self.now += self.step
        return self.now


def seed_demo_city(app: IdeationApplication, progress: Callable[[str], None] = print) -> None:
    """Create demo departments, accounts for every role and ideas in several stages."""
    if app.is_initialised():
        progress("Demo-Daten sind bereits vorhanden.")
        return
    saved_clock = app.clock
    app.clock = SteppingClock(DEMO_START, dt.timedelta(hours=7))
    try:
        _seed(app, progress)
    finally:
        app.clock = saved_clock


def _seed(app: IdeationApplication, progress: Callable[[str], None]) -> None:
    digital, admin = app.initialise(
        admin_display_name="Ada Admin",
        admin_email="admin@demo.ideation.invalid",
        department_name="Stabsstelle Digitalisierung",
        department_short_name="DIG",
    )
    progress("Planer eingerichtet")
    mobility = app.register_department(admin, "Tiefbauamt", "66", "administration")
    citizens = app.register_department(admin, "Bürgerdienste", "33", "administration")
    utilities = app.register_department(admin, "Stadtwerke", "SW", "company")
    coordinator = app.register_person(
        admin, "Clara Koordination", "koordination@demo.ideation.invalid", digital, ["coordinator"]
    )
    member = app.register_person(
        admin, "Tim Tiefbau", "tiefbau@demo.ideation.invalid", mobility, ["member"]
    )
    citizen_member = app.register_person(
        admin, "Berta Bürgerdienst", "buergerdienste@demo.ideation.invalid", citizens, ["member"]
    )
    utility_member = app.register_person(
        admin,
        "Sven Stadtwerke",
        "stadtwerke@demo.ideation.invalid",
        utilities,
        ["member", "group_member"],
    )
    app.register_person(
        admin, "Paula Prüfung", "pruefung@demo.ideation.invalid", digital, ["auditor"]
    )
    progress("Fachbereiche und Konten angelegt")

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
        utility_member, measure, 3, dt.date(2026, 4, 20), "40 Plätze live in der App"
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
