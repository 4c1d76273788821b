"""Musterstadt's cooperation (issue 8): exchange formats, digital pilots, factions, rounds.

The script below is played by `demo._City` together with the ideas: sessions of every kind
(held, cancelled and upcoming) from which ideas come, pilots noted at those sessions, the
council's factions, and political rounds with briefings and suggestions that became ideas.
Days count like in `demo_data` (day 0 is a year ago); `ahead` gives a date that many days
after today for what is still to come.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID

from ideation.application.service import IdeationApplication

COORDINATOR = "koordination"
AMBASSADOR = "politik"


@dataclass(frozen=True)
class DemoSession:
    """A session planned on `planned` for `day` (or `ahead` days after today if given)."""

    key: str
    kind: str
    topic: str
    planned: int
    day: int = 0
    ahead: int | None = None
    round_department: str | None = None
    invited: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()  # empty: not held (yet)
    count: int = 0
    notes: str = ""
    needs: tuple[str, ...] = ()
    cancelled: tuple[int, str] | None = None  # (day, reason)


@dataclass(frozen=True)
class DemoPilot:
    """A person (account) noted at a session, then perhaps confirmed and withdrawn."""

    account: str
    session: str
    day: int
    reason: str
    confirmed: int | None = None
    withdrawn: tuple[int, str] | None = None


@dataclass(frozen=True)
class DemoSuggestion:
    text: str
    adopted: tuple[int, str, str, str] | None = None  # (day, department, title, summary)


@dataclass(frozen=True)
class DemoRound:
    key: str
    title: str
    planned: int
    day: int = 0
    ahead: int | None = None
    invited: tuple[str, ...] = ()
    attending: tuple[str, ...] = ()  # empty: not held (yet)
    questions: tuple[str, ...] = ()
    suggestions: tuple[DemoSuggestion, ...] = field(default=())
    notes: str = ""
    cancelled: tuple[int, str] | None = None


FACTIONS = (
    ("CDU-Fraktion im Rat der Stadt Musterstadt", "CDU"),
    ("SPD-Fraktion im Rat der Stadt Musterstadt", "SPD"),
    ("Fraktion Bündnis 90/Die Grünen", "Grüne"),
    ("FDP-Fraktion", "FDP"),
    ("Fraktion Die Linke", "Linke"),
    ("Fraktion Freie Wähler Musterstadt", "FW"),
)
FACTIONS_DAY = 88
RETIRED_FACTION = ("FW", 205, "Die Fraktion hat sich aufgelöst; ihre Mitglieder sind fraktionslos.")

SESSIONS: tuple[DemoSession, ...] = (
    DemoSession(
        key="s_sprechstunde_1",
        kind="consultation_hour",
        topic="Digitale Sprechstunde: Termine und Anliegen online",
        planned=0,
        day=5,
        invited=("BGD", "ORD", "SOZ"),
        participants=("BGD", "ORD"),
        count=9,
        notes="Offene Sprechstunde im Stadthaus; viele Fragen zu Online-Terminen.",
        needs=("Online-Terminvergabe für alle Schalter", "Kfz-Termine ohne Warteschlange"),
    ),
    DemoSession(
        key="s_umweltrunde",
        kind="round_visit",
        topic="Sensorik für Stadtbäume und Pegel",
        planned=1,
        day=8,
        round_department="UMW",
        invited=("UMW", "SWM"),
        participants=("UMW", "SWM"),
        count=11,
        notes="Zu Gast in der Abstimmungsrunde des Umweltamts; die Stadtwerke bieten LoRaWAN an.",
        needs=("Bodenfeuchte der Stadtbäume messen", "Ein Funknetz für alle Sensoren"),
    ),
    DemoSession(
        key="s_online_qa",
        kind="online_qa",
        topic="Online-Q&A: Räume und Ressourcen teilen",
        planned=20,
        day=33,
        invited=("KUL", "SVA", "VBM"),
        participants=("KUL", "SVA", "VBM"),
        count=23,
        notes="Fragen aus dem Chat gesammelt; Raumbuchung ist das große Thema.",
        needs=("Schulräume außerhalb der Unterrichtszeit buchen", "Kursräume teilen"),
    ),
    DemoSession(
        key="s_stammtisch",
        kind="regulars_table",
        topic="Digital-Stammtisch im Ratskeller",
        planned=52,
        day=66,
        invited=("FW", "SOZ", "ORD"),
        participants=("FW", "SOZ", "ORD"),
        count=14,
        notes="Lockere Runde nach Dienstschluss; Hitzeschutz für Ältere kam mehrfach zur Sprache.",
        needs=("Warnung bei Hitze für ältere Menschen", "Drohnen für Lagebilder"),
    ),
    DemoSession(
        key="s_digitaltag",
        kind="conference",
        topic="Digitaltag Musterstadt – Festival der guten Ideen",
        planned=150,
        day=180,
        invited=("SPA", "SOZ", "WBG", "KUL", "BGD", "DIG", "SWM", "SVA", "FW"),
        participants=("SPA", "SOZ", "WBG", "KUL", "BGD", "DIG", "SWM"),
        count=140,
        notes="Marktstände aller Fachbereiche, Vorträge und ein Ideen-Café.",
        needs=(
            "Digitale Akte im Sozialamt",
            "Fundsachen online suchen",
            "Beteiligung zu Bauleitplänen online",
        ),
    ),
    DemoSession(
        key="s_online_qa_abgesagt",
        kind="online_qa",
        topic="Online-Q&A: Künstliche Intelligenz in der Verwaltung",
        planned=196,
        day=215,
        invited=("BGD", "DIG"),
        cancelled=(210, "Zu wenige Anmeldungen; das Thema kommt auf den nächsten Stammtisch."),
    ),
    DemoSession(
        key="s_sprechstunde_2",
        kind="consultation_hour",
        topic="Sprechstunde Wohnen und Soziales",
        planned=255,
        day=270,
        invited=("WBG", "SOZ"),
        participants=("WBG", "SOZ", "BGD"),
        count=7,
        notes="Die Wohnungsbaugesellschaft bringt Schadensmeldungen der Mieter mit.",
        needs=("Schäden online melden", "Wohngeld digital beantragen"),
    ),
    DemoSession(
        key="s_feuerwehrrunde",
        kind="round_visit",
        topic="Karten und Daten für den Einsatz",
        planned=262,
        day=275,
        round_department="FW",
        invited=("FW",),
        participants=("FW",),
        count=16,
        notes="Zu Gast in der Dienstbesprechung der Feuerwehr.",
        needs=("Hydranten digital auf der Karte",),
    ),
    DemoSession(
        key="s_stammtisch_2",
        kind="regulars_table",
        topic="Digital-Stammtisch: KI im Alltag der Verwaltung",
        planned=345,
        ahead=10,
        invited=("BGD", "DIG", "ORD", "TBA"),
    ),
    DemoSession(
        key="s_sprechstunde_tba",
        kind="consultation_hour",
        topic="Sprechstunde im Tiefbauamt: Baustellen und Winterdienst",
        planned=350,
        ahead=38,
        invited=("TBA",),
    ),
)

# Ideas of demo_data.IDEAS (by key) that came from a session (by key).
IDEA_SESSIONS = {
    "kfz_termine": "s_sprechstunde_1",
    "terminvergabe": "s_sprechstunde_1",
    "baumsensoren": "s_umweltrunde",
    "lorawan": "s_umweltrunde",
    "kursraeume": "s_online_qa",
    "raumbuchung": "s_online_qa",
    "hitzewarnung": "s_stammtisch",
    "drohnen": "s_stammtisch",
    "eakte_sozial": "s_digitaltag",
    "fundbuero": "s_digitaltag",
    "beteiligung": "s_digitaltag",
    "wohngeld": "s_sprechstunde_2",
    "schadensmeldung": "s_sprechstunde_2",
    "hydrantenkarte": "s_feuerwehrrunde",
}

PILOTS: tuple[DemoPilot, ...] = (
    DemoPilot(
        account="ord",
        session="s_sprechstunde_1",
        day=6,
        reason="Hat in der Sprechstunde Kolleginnen die Online-Termine erklärt.",
        confirmed=30,
    ),
    DemoPilot(
        account="umw",
        session="s_umweltrunde",
        day=9,
        reason="Treibt die Sensorik im Umweltamt voran und erklärt sie gern.",
        confirmed=40,
    ),
    DemoPilot(
        account="kul",
        session="s_online_qa",
        day=34,
        reason="Hat im Online-Q&A die Raumbuchung mit den Schulen verabredet.",
        confirmed=60,
        withdrawn=(200, "Wechselt für ein Jahr in die Elternzeit."),
    ),
    DemoPilot(
        account="soz",
        session="s_stammtisch",
        day=67,
        reason="Bringt die Sicht der Älteren ein und möchte Multiplikator werden.",
    ),
    DemoPilot(
        account="wbg",
        session="s_digitaltag",
        day=181,
        reason="Hat am Digitaltag den Stand der Wohnungsbaugesellschaft betreut.",
        confirmed=220,
    ),
    DemoPilot(
        account="bgd",
        session="s_sprechstunde_2",
        day=272,
        reason="Kennt die Fragen am Schalter und möchte sie digital lösen helfen.",
    ),
)

ROUNDS: tuple[DemoRound, ...] = (
    DemoRound(
        key="r_fruehjahr",
        title="Digitalpolitische Runde im Frühjahr",
        planned=95,
        day=125,
        invited=("CDU", "SPD", "Grüne", "FDP", "Linke", "FW"),
        attending=("CDU", "SPD", "Grüne", "FDP"),
        questions=(
            "Wann können Bürgerinnen und Bürger alle Termine online buchen?",
            "Was kostet das LoRaWAN-Netz der Stadtwerke im Jahr?",
        ),
        suggestions=(
            DemoSuggestion(
                "Ratssitzungen im Livestream übertragen",
                adopted=(
                    127,
                    "DIG",
                    "Ratssitzungen im Livestream übertragen",
                    "Öffentliche Ratssitzungen live und als Aufzeichnung im Netz zeigen.",
                ),
            ),
            DemoSuggestion("Mehr Sitzbänke mit Schatten an Haltestellen"),
        ),
        notes="Großes Interesse an den ersten Quick Wins; Bitte um regelmäßige Briefings.",
    ),
    DemoRound(
        key="r_herbst",
        title="Digitalpolitische Runde im Herbst",
        planned=220,
        day=250,
        invited=("CDU", "SPD", "Grüne", "FDP", "Linke"),
        attending=("CDU", "SPD", "Grüne", "Linke"),
        questions=(
            "Wie viele Schulen haben schon schnelles WLAN?",
            "Wie erfahren ältere Menschen von der Hitzewarnung?",
        ),
        suggestions=(
            DemoSuggestion(
                "Freies WLAN in Bürgerhäusern",
                adopted=(
                    253,
                    "SWM",
                    "Freies WLAN in Bürgerhäusern",
                    "Offenes WLAN in den Bürgerhäusern über das Netz der Stadtwerke.",
                ),
            ),
            DemoSuggestion("Digitale Sprechstunde für Ratsmitglieder"),
        ),
        notes="Die Fraktionen wollen die Mehrwerte je Fachbereich in ihren Bürgersprechstunden "
        "erklären.",
    ),
    DemoRound(
        key="r_haushalt",
        title="Digitalpolitische Runde zum Haushalt",
        planned=290,
        day=315,
        invited=("CDU", "SPD", "Grüne", "FDP", "Linke"),
        cancelled=(308, "Fällt wegen der Haushaltssitzung des Rates aus."),
    ),
    DemoRound(
        key="r_winter",
        title="Digitalpolitische Runde im Winter",
        planned=340,
        ahead=14,
        invited=("CDU", "SPD", "Grüne", "FDP", "Linke"),
    ),
)


class City(Protocol):
    """What the cooperation script needs of the demo city being written."""

    app: IdeationApplication
    departments: dict[str, UUID]
    people: dict[str, UUID]

    @property
    def today(self) -> dt.date: ...

    def date_of(self, day: int) -> dt.date: ...

    def _at(self, day: int, run: Callable[[], None]) -> None: ...


class Cooperation:
    """Schedules the cooperation script on the city's queue and remembers the ids."""

    def __init__(self, city: City) -> None:
        self.city = city
        self.sessions: dict[str, UUID] = {}
        self.factions: dict[str, UUID] = {}  # short name → id
        self.rounds: dict[str, UUID] = {}

    def session_of(self, idea_key: str) -> UUID | None:
        """The session an idea of the script came from, if any (it is held by then)."""
        key = IDEA_SESSIONS.get(idea_key)
        return None if key is None else self.sessions[key]

    def schedule(self) -> None:
        """Put every session, pilot, faction and round step on the city's queue."""
        city = self.city
        city._at(FACTIONS_DAY, self._register_factions)
        short, day, reason = RETIRED_FACTION
        city._at(day, lambda: self._retire_faction(short, reason))
        for session in SESSIONS:
            self._schedule_session(session)
        for pilot in PILOTS:
            self._schedule_pilot(pilot)
        for political_round in ROUNDS:
            self._schedule_round(political_round)

    # -- exchange formats and pilots -----------------------------------------------------

    def _date(self, day: int, ahead: int | None) -> dt.date:
        if ahead is None:
            return self.city.date_of(day)
        date = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=ahead)
        while date.weekday() >= 5:
            date += dt.timedelta(days=1)
        return date

    def _schedule_session(self, session: DemoSession) -> None:
        self.city._at(session.planned, lambda: self._plan_session(session))
        if session.participants:
            self.city._at(session.day, lambda: self._hold_session(session))
        if session.cancelled is not None:
            day, reason = session.cancelled
            self.city._at(day, lambda: self._cancel_session(session.key, reason))

    def _plan_session(self, session: DemoSession) -> None:
        city = self.city
        self.sessions[session.key] = city.app.plan_exchange_session(
            city.people[COORDINATOR],
            kind=session.kind,
            scheduled_on=self._date(session.day, session.ahead),
            topic=session.topic,
            host_person_id=city.people[COORDINATOR],
            round_department_id=(
                city.departments[session.round_department] if session.round_department else None
            ),
            invited_department_ids=[city.departments[code] for code in session.invited],
        )

    def _hold_session(self, session: DemoSession) -> None:
        city, session_id = self.city, self.sessions[session.key]
        city.app.record_exchange_session(
            city.people[COORDINATOR],
            session_id,
            city.app.get_exchange_session(session_id).version,
            held_on=city.today,
            participating_department_ids=[city.departments[c] for c in session.participants],
            participant_count=session.count,
            notes=session.notes,
            needs=list(session.needs),
        )

    def _cancel_session(self, key: str, reason: str) -> None:
        city, session_id = self.city, self.sessions[key]
        version = city.app.get_exchange_session(session_id).version
        city.app.cancel_exchange_session(city.people[COORDINATOR], session_id, version, reason)

    def _schedule_pilot(self, pilot: DemoPilot) -> None:
        city = self.city
        city._at(pilot.day, lambda: self._nominate(pilot))
        if pilot.confirmed is not None:
            city._at(pilot.confirmed, lambda: self._pilot_step(pilot, "confirm", ""))
        if pilot.withdrawn is not None:
            day, reason = pilot.withdrawn
            city._at(day, lambda: self._pilot_step(pilot, "withdraw", reason))

    def _nominate(self, pilot: DemoPilot) -> None:
        city = self.city
        city.app.nominate_pilot(
            city.people[COORDINATOR],
            city.people[pilot.account],
            pilot.reason,
            self.sessions[pilot.session],
        )

    def _pilot_step(self, pilot: DemoPilot, step: str, text: str) -> None:
        city = self.city
        view = city.app.pilot_of_person(city.people[pilot.account])
        if view is None:
            raise ValueError(f"Demo-Drehbuch: „{pilot.account}“ ist noch nicht vorgemerkt.")
        command = city.app.confirm_pilot if step == "confirm" else city.app.withdraw_pilot
        command(city.people[COORDINATOR], view.id, view.version, text)

    # -- factions and political rounds ---------------------------------------------------

    def _register_factions(self) -> None:
        city = self.city
        for name, short_name in FACTIONS:
            self.factions[short_name] = city.app.register_faction(
                city.people[COORDINATOR], name, short_name
            )

    def _retire_faction(self, short_name: str, reason: str) -> None:
        city, faction_id = self.city, self.factions[short_name]
        version = city.app.get_faction(faction_id).version
        city.app.retire_faction(city.people[COORDINATOR], faction_id, version, reason)

    def _schedule_round(self, political_round: DemoRound) -> None:
        city = self.city
        city._at(political_round.planned, lambda: self._plan_round(political_round))
        if political_round.attending:
            city._at(political_round.day, lambda: self._hold_round(political_round))
        for index, suggestion in enumerate(political_round.suggestions):
            if suggestion.adopted is not None:
                city._at(
                    suggestion.adopted[0],
                    lambda index=index, suggestion=suggestion: self._adopt(
                        political_round.key, index, suggestion
                    ),
                )
        if political_round.cancelled is not None:
            day, reason = political_round.cancelled
            city._at(day, lambda: self._cancel_round(political_round.key, reason))

    def _plan_round(self, political_round: DemoRound) -> None:
        city = self.city
        self.rounds[political_round.key] = city.app.plan_political_round(
            city.people[COORDINATOR],
            scheduled_on=self._date(political_round.day, political_round.ahead),
            title=political_round.title,
            invited_faction_ids=[self.factions[s] for s in political_round.invited],
        )

    def _hold_round(self, political_round: DemoRound) -> None:
        city, round_id = self.city, self.rounds[political_round.key]
        city.app.record_political_round(
            city.people[COORDINATOR],
            round_id,
            city.app.get_political_round(round_id).version,
            held_on=city.today,
            attending_faction_ids=[self.factions[s] for s in political_round.attending],
            questions=list(political_round.questions),
            suggestions=[s.text for s in political_round.suggestions],
            notes=political_round.notes,
        )

    def _adopt(self, key: str, index: int, suggestion: DemoSuggestion) -> None:
        if suggestion.adopted is None:
            return
        _, department, title, summary = suggestion.adopted
        city, round_id = self.city, self.rounds[key]
        city.app.adopt_round_suggestion(
            city.people[COORDINATOR],
            round_id,
            city.app.get_political_round(round_id).version,
            suggestion_index=index,
            department_id=city.departments[department],
            title=title,
            summary=summary,
        )

    def _cancel_round(self, key: str, reason: str) -> None:
        city, round_id = self.city, self.rounds[key]
        version = city.app.get_political_round(round_id).version
        city.app.cancel_political_round(city.people[COORDINATOR], round_id, version, reason)
