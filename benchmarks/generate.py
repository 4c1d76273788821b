"""A deterministic synthetic city at a chosen scale, written through the application's commands.

    python benchmarks/generate.py --ideas 1000 --database-url sqlite:///tmp/city.sqlite3

(or the IDEATION_* variables of `Settings.from_env`). The city is a script first: plain data
built from the seed (`city_cast`, `iter_script`), then played through `IdeationApplication`
(`generate`) or, by the peer's loader, through the peer's model layer. The same seed gives
the same script: the same commands in the same order with the same contents, and so the same
number of events per idea; only the ids (uuid4 from the application) differ. `script_digest`
is a SHA-256 over the whole script.

Shape: departments, people and working groups first; then ideas submitted over the first
85 % of a three-year span ending a week ago, each with its own life (pledges, comments,
revisions, assessment, working group, recommendation, decision; for accepted ideas a measure
with a goal, milestones, progress reports, implementation and benefits). About 15 events per
idea on average; a few heavy ideas carry 300+ events across idea and measure, and from 1,000
ideas on the first heavy idea is a giant whose idea aggregate alone has more than 1,000
events (for "Stand am" at 1,000 events). Every command is back-dated by a stepping clock.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import heapq
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from tqdm import tqdm

from ideation.application.service import IdeationApplication
from ideation.domain.idea import comment_id
from ideation.entrypoints.demo import SteppingClock

SPAN_DAYS = 3 * 365
SUBMISSION_SHARE = 0.85  # ideas are submitted over the first 85 % of the span
DAY = 86_400
HOUR = 3_600
READING_STEP = dt.timedelta(milliseconds=5)
TARGET_EVENTS_PER_IDEA = 15
# Mean number of events of a normal idea without its comments (measured on the script).
BASE_EVENTS_WITHOUT_COMMENTS = 9.0

# -- vocabulary ----------------------------------------------------------------------------

DEPARTMENT_NAMES = (
    ("Stabsstelle Digitalisierung", "DIG", "administration"),
    ("Tiefbauamt", "TBA", "administration"),
    ("Bürgerdienste", "BGD", "administration"),
    ("Umweltamt", "UMW", "administration"),
    ("Stadtplanungsamt", "SPA", "administration"),
    ("Schulverwaltungsamt", "SVA", "administration"),
    ("Kulturamt", "KUL", "administration"),
    ("Ordnungsamt", "ORD", "administration"),
    ("Sozialamt", "SOZ", "administration"),
    ("Feuerwehr", "FW", "administration"),
    ("Stadtwerke", "SW", "company"),
    ("Wohnungsbaugesellschaft", "WBG", "company"),
    ("Verkehrsbetriebe", "VB", "company"),
    ("Kämmerei", "KÄM", "administration"),
    ("Jugendamt", "JUG", "administration"),
)
THEMES = (
    "Mobilität",
    "Energie",
    "Verwaltung",
    "Bildung",
    "Umwelt",
    "Sensorik",
    "Open Data",
    "Gesundheit",
    "Kultur",
    "Sicherheit",
    "Beteiligung",
    "Wohnen",
)
OBJECTS = (
    "Parkplätze",
    "Straßenbäume",
    "Schulwege",
    "Bürgeranträge",
    "Ladesäulen",
    "Mülleimer",
    "Spielplätze",
    "Radwege",
    "Bushaltestellen",
    "Ratsbeschlüsse",
    "Sporthallen",
    "Trinkbrunnen",
    "Baustellen",
    "Stadtteilbibliotheken",
    "Wertstoffhöfe",
    "Ampeln",
)
VERBS = (
    "digital erfassen",
    "mit Sensoren überwachen",
    "online buchbar machen",
    "als offene Daten veröffentlichen",
    "per App melden",
    "automatisch auswerten",
    "in einer Karte zeigen",
    "papierlos verwalten",
)
PLACES = (
    "in der Innenstadt",
    "im Nordviertel",
    "am Bahnhof",
    "in allen Stadtteilen",
    "an Schulen",
    "im Gewerbegebiet",
    "am Hafen",
    "in der Altstadt",
)
SENTENCES = (
    "Das spart den Fachbereichen viele Anrufe und Wege.",
    "Die Daten liegen teilweise schon vor, aber verteilt auf mehrere Systeme.",
    "Ein Pilot in einem Stadtteil würde zeigen, ob es trägt.",
    "Fördermittel des Landes kämen infrage.",
    "Der Datenschutz ist früh einzubinden.",
    "Die Bürgerinnen und Bürger fragen seit Jahren danach.",
    "Eine Nachbarstadt hat gute Erfahrungen damit gemacht.",
    "Ohne Schnittstelle zum Fachverfahren wird es doppelte Arbeit.",
    "Barrierefreiheit muss von Anfang an mitgedacht werden.",
    "Die Betriebskosten sind gering, die Einrichtung braucht Zeit.",
)
COMMENTS = (
    "Das hilft auch unserem Bürgerbüro.",
    "Gibt es dafür Fördermittel des Landes?",
    "Bitte den Datenschutz früh einbinden.",
    "Wie sieht es mit der Barrierefreiheit aus?",
    "Die Stadtwerke planen etwas Ähnliches.",
    "Wir können Messdaten beisteuern.",
    "Wer betreibt das nach dem Pilot?",
    "Guter Vorschlag, bitte mit dem Personalrat abstimmen.",
    "Das Fachverfahren hat dafür eine Schnittstelle.",
    "Gibt es schon eine Kostenschätzung?",
)
REASONS = (
    "Hoher Nutzen bei überschaubarem Aufwand.",
    "Passt zur Digitalstrategie der Stadt.",
    "Kein Budget in diesem Haushaltsjahr.",
    "Doppelt sich mit einem laufenden Projekt.",
    "Erst nach der Neuaufstellung des Fachverfahrens sinnvoll.",
    "Die Arbeitsgruppe hat die Umsetzung geprüft.",
)
INDICATORS = (
    "Anteil digital bearbeiteter Vorgänge",
    "Zahl der Meldungen pro Monat",
    "Durchschnittliche Bearbeitungszeit in Tagen",
    "Zahl der angeschlossenen Standorte",
)
MILESTONES = (
    "Ausschreibung",
    "Pilotstandort in Betrieb",
    "Schulung der Beschäftigten",
    "Schnittstelle fertig",
    "Auswertung des Pilots",
    "Ausrollen in alle Stadtteile",
)


# -- the cast --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CastPlan:
    """Departments, people and working groups of a city of a given size (plain data).

    People are named by key: "m<d>" is the member of department d, "g<d>" its group member
    (also a member), "coord" the coordination, "admin" the administration, "audit" the audit.
    """

    departments: tuple[tuple[str, str, str], ...]  # (name, short name, kind)
    people: tuple[tuple[str, str, str, int, tuple[str, ...]], ...]  # key, name, email, dept, roles
    groups: tuple[tuple[str, str, int, tuple[str, ...]], ...]  # name, mandate, lead, member keys


def department_count(ideas: int) -> int:
    """8 departments for a small city, up to 60 for a state-wide deployment."""
    return min(60, max(8, ideas // 150))


def city_cast(ideas: int) -> CastPlan:
    """The cast of a city with `ideas` ideas (depends on the scale only, not on the seed)."""
    count = department_count(ideas)
    departments = []
    for d in range(count):
        name, short, kind = DEPARTMENT_NAMES[d % len(DEPARTMENT_NAMES)]
        round_ = d // len(DEPARTMENT_NAMES)
        if round_:
            name, short = f"{name} {round_ + 1}", f"{short}{round_ + 1}"
        departments.append((name, short, kind))
    people: list[tuple[str, str, str, int, tuple[str, ...]]] = [
        ("coord", "Clara Koordination", "koordination@synth.example", 0, ("coordinator",)),
        ("audit", "Paula Prüfung", "pruefung@synth.example", 0, ("auditor",)),
    ]
    for d, (_name, short, _kind) in enumerate(departments):
        slug = short.lower().replace("ä", "ae")
        people.append((f"m{d}", f"Mitglied {short}", f"m.{slug}@synth.example", d, ("member",)))
        people.append(
            (
                f"g{d}",
                f"Gruppe {short}",
                f"g.{slug}@synth.example",
                d,
                ("member", "group_member"),
            )
        )
    groups = []
    for k in range(max(3, count // 4)):
        members = tuple(dict.fromkeys(f"g{(k * 3 + j) % count}" for j in range(4)))
        theme = THEMES[k % len(THEMES)]
        groups.append((f"AG {theme} {k + 1}", f"{theme} digital voranbringen", k % count, members))
    return CastPlan(tuple(departments), tuple(people), tuple(groups))


# -- the script ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One command of the script.

    `at` is seconds after the city's start; `idea` the idea's index in submission order;
    `n` the step's number within its idea; `target` "idea" or "measure"; `actor` a person
    key of the cast; `args` the command's contents (plain data).
    """

    at: int
    idea: int
    n: int
    target: str
    op: str
    actor: str
    args: tuple[Any, ...]

    @property
    def events(self) -> int:
        """Events this command stores (accepting an idea also plans its measure)."""
        return 2 if self.op == "accept" else 1

    def canonical(self) -> str:
        """The step as one line of JSON (for the digest)."""
        return json.dumps(
            [self.at, self.idea, self.n, self.target, self.op, self.actor, list(self.args)],
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
        )


def heavy_ideas(ideas: int) -> tuple[list[int], int | None]:
    """Indexes of the heavy ideas (spread evenly) and of the giant one (from 1,000 ideas)."""
    if ideas < 300:
        count = 1
    elif ideas < 5_000:
        count = 3
    elif ideas < 50_000:
        count = 5
    else:
        count = 10
    count = min(count, ideas)
    indexes = [(k + 1) * ideas // (count + 1) for k in range(count)]
    return indexes, (indexes[0] if ideas >= 1_000 else None)


class _IdeaWriter:
    """Builds the steps of one idea from its own random generator."""

    def __init__(self, rng: random.Random, cast: CastPlan, index: int, start: int, end: int):
        self.rng = rng
        self.cast = cast
        self.index = index
        self.at = start
        self.end = end
        self.steps: list[Step] = []
        self.departments = len(cast.departments)
        self.department = rng.randrange(self.departments)
        self.content: dict[str, Any] = {}
        self.comments = 0
        self.group: int | None = None
        self.milestones = 0
        self.reached = 0
        self.revision = 1

    # time and bookkeeping

    def add(self, target: str, op: str, actor: str, *args: Any, gap: tuple[int, int]) -> None:
        if self.steps:
            self.at += self.rng.randint(*gap)
        self.steps.append(
            Step(min(self.at, self.end), self.index, len(self.steps), target, op, actor, args)
        )

    def anyone(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.1:
            return "coord"
        return f"{'m' if roll < 0.6 else 'g'}{rng.randrange(self.departments)}"

    def group_member(self) -> str:
        assert self.group is not None
        return self.rng.choice(self.cast.groups[self.group][3])

    # the steps

    def submit(self) -> None:
        rng = self.rng
        thing, verb, place = rng.choice(OBJECTS), rng.choice(VERBS), rng.choice(PLACES)
        themes = rng.sample(THEMES, rng.randint(1, 3))
        self.content = {
            "title": f"{thing} {verb} ({self.index + 1})",
            "summary": f"{thing} {place} {verb}. {rng.choice(SENTENCES)}",
            "description": " ".join(rng.sample(SENTENCES, rng.randint(1, 4))),
            "themes": themes,
        }
        c = self.content
        self.add(
            "idea",
            "submit",
            f"m{self.department}",
            c["title"],
            c["summary"],
            c["description"],
            list(c["themes"]),
            gap=(0, 0),
        )

    def comment(self, gap: tuple[int, int]) -> None:
        rng = self.rng
        reply = rng.randrange(self.comments) if self.comments and rng.random() < 0.3 else None
        text = f"{rng.choice(COMMENTS)} {rng.choice(SENTENCES)}"
        self.add("idea", "comment", self.anyone(), text, reply, gap=gap)
        self.comments += 1

    def revise(self, gap: tuple[int, int]) -> None:
        rng = self.rng
        self.revision += 1
        fields = rng.sample(["title", "summary", "description", "themes"], rng.randint(1, 2))
        changes: dict[str, Any] = {}
        for name in sorted(fields):
            if name == "title":
                base = self.content["title"].split(" – Fassung")[0]
                changes[name] = f"{base} – Fassung {self.revision}"
            elif name == "summary":
                changes[name] = f"{self.content['summary'].split(' [')[0]} [Stand {self.revision}]"
            elif name == "description":
                changes[name] = f"{rng.choice(SENTENCES)} (Fassung {self.revision})"
            else:
                themes = rng.sample(THEMES, rng.randint(1, 3))
                if themes == self.content["themes"]:
                    themes = [t for t in THEMES if t not in themes][:1] + themes[:2]
                changes[name] = themes
        self.content.update(changes)
        note = rng.choice(("", "Nach Rückmeldungen ergänzt.", "Präzisiert."))
        self.add("idea", "revise", f"m{self.department}", changes, note, gap=gap)

    def pledge(self, department: int, gap: tuple[int, int]) -> None:
        note = self.rng.choice(("", "Wir wirken gern mit.", "Daten können wir liefern."))
        self.add("idea", "pledge", f"m{department}", note, gap=gap)

    def assess(self, gap: tuple[int, int]) -> None:
        rng = self.rng
        self.add(
            "idea",
            "assess",
            "coord",
            rng.randint(1, 5),
            rng.randint(1, 5),
            rng.randint(2, 52),
            rng.choice(REASONS),
            gap=gap,
        )

    def assign(self, gap: tuple[int, int]) -> None:
        self.group = self.rng.randrange(len(self.cast.groups))
        self.add("idea", "assign", "coord", self.group, gap=gap)

    def recommend(self, outcome: str, gap: tuple[int, int]) -> None:
        self.add(
            "idea", "recommend", self.group_member(), outcome, self.rng.choice(REASONS), gap=gap
        )

    def decide(self, outcome: str, gap: tuple[int, int]) -> None:
        self.add("idea", outcome, "coord", self.rng.choice(REASONS), gap=gap)

    def measure(self, op: str, *args: Any, gap: tuple[int, int]) -> None:
        self.add("measure", op, self.group_member(), *args, gap=gap)

    def measure_life(
        self, milestones: int, reports: int, implement: bool, benefits: int, gap: tuple[int, int]
    ) -> None:
        rng = self.rng
        self.measure(
            "set_goal",
            f"{self.content['title'][:150]} wirkt messbar",
            rng.choice(INDICATORS),
            f"{rng.randint(2, 9) * 10} %",
            gap=gap,
        )
        due_day = self.at // DAY
        for m in range(milestones):
            due_day += rng.randint(14, 90)
            self.measure("add_milestone", MILESTONES[m % len(MILESTONES)], due_day, gap=gap)
        self.milestones = milestones
        for r in range(reports):
            percent = min(95, 5 + (r + 1) * 90 // max(reports, 1))
            note = rng.choice(("", "Läuft nach Plan.", "Lieferung verzögert sich.", "Pilot gut."))
            self.measure("report_progress", percent, note, gap=gap)
            if self.reached < milestones and rng.random() < milestones / max(reports, 1):
                self.measure("reach_milestone", self.reached, gap=gap)
                self.reached += 1
        if implement:
            self.measure("implement", "Umgesetzt wie geplant; Auswertung liegt vor.", gap=gap)
        for _ in range(benefits):
            department = rng.randrange(self.departments)
            self.measure("record_benefit", department, rng.choice(SENTENCES), gap=gap)


def _normal_idea(writer: _IdeaWriter, comment_mean: float) -> None:
    """An ordinary idea: most stop somewhere on the way, about one in five is accepted."""
    rng = writer.rng
    short, long_ = (2 * HOUR, 5 * DAY), (DAY, 20 * DAY)
    writer.submit()
    others = [d for d in range(writer.departments) if d != writer.department]
    pledges = rng.sample(others, min(len(others), rng.choice((0, 0, 1, 1, 1, 2, 2, 3))))
    comments = rng.randint(0, max(0, round(2 * comment_mean)))
    before = rng.randint(0, comments)
    revisions = rng.choice((0, 0, 0, 1, 1, 2))
    early = ["pledge"] * len(pledges) + ["comment"] * before + ["revise"] * revisions
    rng.shuffle(early)
    for kind in early:
        if kind == "pledge":
            writer.pledge(pledges.pop(), short)
        elif kind == "comment":
            writer.comment(short)
        else:
            writer.revise(short)
    fate = rng.random()
    if fate >= 0.2:
        writer.assess(long_)
        fate2 = rng.random()
        if fate2 < 0.1:
            writer.decide("reject", long_)
        elif fate2 < 0.18:
            writer.decide("park", long_)
        elif fate2 >= 0.3:
            writer.assign(short)
            outcome = rng.choices(("accept", "reject", "park", None), (60, 20, 8, 12))[0]
            if outcome is not None:
                writer.recommend(outcome, long_)
                writer.decide(outcome, short)
                if outcome == "accept":
                    writer.measure_life(
                        milestones=rng.randint(1, 3),
                        reports=rng.randint(1, 6),
                        implement=rng.random() < 0.5,
                        benefits=rng.choice((0, 0, 1, 2)),
                        gap=long_,
                    )
    for _ in range(comments - before):
        writer.comment(long_)


def _heavy_idea(writer: _IdeaWriter, giant: bool) -> None:
    """A long-lived idea: long comment threads, many revisions, many progress reports."""
    rng = writer.rng
    gap = (20 * 60, 6 * HOUR) if not giant else (10 * 60, 2 * HOUR)
    comments, revisions, reports = (850, 150, 100) if giant else (100, 60, 150)
    writer.submit()
    others = [d for d in range(writer.departments) if d != writer.department]
    pledges = rng.sample(others, min(7, len(others)))
    early = ["comment"] * comments + ["revise"] * revisions + ["pledge"] * len(pledges)
    rng.shuffle(early)
    for k, kind in enumerate(early):
        if k == len(early) // 3:
            writer.assess(gap)
        if k == 2 * len(early) // 3:
            writer.assess(gap)
        if kind == "comment":
            writer.comment(gap)
        elif kind == "revise":
            writer.revise(gap)
        else:
            writer.pledge(pledges.pop(), gap)
    writer.assess(gap)
    writer.assign(gap)
    writer.recommend("accept", gap)
    writer.decide("accept", gap)
    writer.measure_life(milestones=10, reports=reports, implement=True, benefits=5, gap=gap)


def _idea_steps(
    seed: int,
    ideas: int,
    index: int,
    cast: CastPlan,
    comment_mean: float,
    heavy: set[int],
    giant: int | None,
) -> list[Step]:
    span = SPAN_DAYS * DAY
    slot = SUBMISSION_SHARE * span / ideas
    rng = random.Random(f"ideation-city:{seed}:{index}")
    start = int((index + 0.9 * rng.random()) * slot)
    writer = _IdeaWriter(rng, cast, index, start, span)
    if index in heavy:
        _heavy_idea(writer, giant=index == giant)
    else:
        _normal_idea(writer, comment_mean)
    return writer.steps


def comment_mean_for(ideas: int) -> float:
    """Mean comments of an ordinary idea, chosen so that the city averages about 15 events."""
    heavy, giant = heavy_ideas(ideas)
    heavy_events = 355 * len(heavy) + (800 if giant is not None else 0)
    normal = ideas - len(heavy)
    if normal <= 0:
        return 0.0
    target = (TARGET_EVENTS_PER_IDEA * ideas - heavy_events) / normal
    return max(1.0, target - BASE_EVENTS_WITHOUT_COMMENTS)


def iter_script(ideas: int, seed: int = 1) -> Iterator[Step]:
    """Every command on ideas and measures, in the order they happen (after the cast).

    The order is that of sorting all steps by (time, idea, step number); ideas are built one
    at a time (each from its own generator) and merged with a heap, so memory stays bounded.
    """
    if ideas < 1:
        raise ValueError("a city needs at least one idea")
    cast = city_cast(ideas)
    heavy_list, giant = heavy_ideas(ideas)
    heavy = set(heavy_list)
    mean = comment_mean_for(ideas)
    span = SPAN_DAYS * DAY
    slot = SUBMISSION_SHARE * span / ideas
    pending: list[tuple[int, int, int, Step]] = []
    for index in range(ideas):
        for step in _idea_steps(seed, ideas, index, cast, mean, heavy, giant):
            heapq.heappush(pending, (step.at, step.idea, step.n, step))
        # Every later idea starts at or after the next slot: what lies before it is final.
        horizon = int((index + 1) * slot)
        while pending and pending[0][0] < horizon:
            yield heapq.heappop(pending)[3]
    while pending:
        yield heapq.heappop(pending)[3]


@dataclass(frozen=True)
class ScriptSummary:
    """What a script holds, without playing it."""

    digest: str
    commands: int
    events: int
    events_per_idea: tuple[int, ...]


class ScriptDigest:
    """SHA-256 over the cast and each step as it is played (or only listed)."""

    def __init__(self, ideas: int) -> None:
        self._hash = hashlib.sha256()
        cast = city_cast(ideas)
        self._hash.update(json.dumps([cast.departments, cast.people, cast.groups]).encode())
        self._hash.update(b"\n")

    def add(self, step: Step) -> None:
        self._hash.update(step.canonical().encode("utf-8"))
        self._hash.update(b"\n")

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def summarise_script(ideas: int, seed: int = 1) -> ScriptSummary:
    """The digest, the number of commands and events, and the events of each idea."""
    digest = ScriptDigest(ideas)
    counts = [0] * ideas
    commands = 0
    for step in iter_script(ideas, seed):
        digest.add(step)
        counts[step.idea] += step.events
        commands += 1
    return ScriptSummary(digest.hexdigest(), commands, sum(counts), tuple(counts))


def script_digest(ideas: int, seed: int = 1) -> str:
    """SHA-256 over the cast and every step of the script."""
    return summarise_script(ideas, seed).digest


# -- playing the script through the application ------------------------------------------------


@dataclass
class GeneratedCity:
    """The ids of what `generate` wrote, by the script's keys."""

    ideas_count: int
    seed: int
    digest: str
    start: dt.datetime
    departments: list[UUID]
    people: dict[str, UUID]  # person key of the cast → id
    groups: list[UUID]
    ideas: list[UUID]  # by submission index
    measures: dict[int, UUID] = field(default_factory=dict)  # idea index → measure id
    heavy: list[int] = field(default_factory=list)  # indexes of the heavy ideas
    giant: int | None = None
    events_per_idea: list[int] = field(default_factory=list)  # as written (idea + measure)
    commands: int = 0
    events: int = 0
    seconds: float = 0.0

    @property
    def heavy_ideas(self) -> list[UUID]:
        return [self.ideas[i] for i in self.heavy]

    @property
    def giant_idea(self) -> UUID | None:
        return None if self.giant is None else self.ideas[self.giant]


def city_start(now: dt.datetime | None = None) -> dt.datetime:
    """The city's day 0: three years before a week ago, at 07:00 UTC."""
    now = now or dt.datetime.now(dt.UTC)
    day = (now - dt.timedelta(days=7 + SPAN_DAYS)).date()
    return dt.datetime.combine(day, dt.time(7, 0, tzinfo=dt.UTC))


def create_cast(
    app: IdeationApplication, cast: CastPlan
) -> tuple[list[UUID], dict[str, UUID], list[UUID]]:
    """Departments, people and working groups through the application's commands."""
    (name, short, kind), *rest = cast.departments
    first, admin = app.initialise(
        admin_display_name="Ada Admin",
        admin_email="admin@synth.example",
        department_name=name,
        department_short_name=short,
        department_kind=kind,
    )
    departments = [first]
    for name, short, kind in rest:
        departments.append(app.register_department(admin, name, short, kind))
    people = {"admin": admin}
    for key, display_name, email, department, roles in cast.people:
        people[key] = app.register_person(
            admin, display_name, email, departments[department], list(roles)
        )
    groups = []
    for name, mandate, lead, members in cast.groups:
        group = app.form_working_group(people["coord"], name, mandate, departments[lead])
        for version, member in enumerate(members, start=1):
            app.add_working_group_member(people["coord"], group, version, people[member])
        groups.append(group)
    return departments, people, groups


class _Player:
    """Runs the script's steps as application commands, keeping versions locally."""

    def __init__(self, app: IdeationApplication, city: GeneratedCity, clock: SteppingClock) -> None:
        self.app = app
        self.clock = clock
        self.city = city
        self.idea_versions: list[int] = []
        self.measure_versions: dict[int, int] = {}
        self.groups: dict[int, int] = {}
        self.milestones: dict[int, list[UUID]] = {}

    def play(self, step: Step) -> None:
        app, city = self.app, self.city
        actor = city.people[step.actor]
        i = step.idea
        a = step.args
        if step.op == "submit":
            assert len(city.ideas) == i, "ideas are submitted in index order"
            city.ideas.append(
                app.submit_idea(actor, title=a[0], summary=a[1], description=a[2], themes=a[3])
            )
            self.idea_versions.append(1)
            return
        if step.target == "measure":
            self._measure(step, actor)
            return
        idea, version = city.ideas[i], self.idea_versions[i]
        match step.op:
            case "comment":
                reply = None if a[1] is None else comment_id(idea, a[1])
                app.comment_on_idea(actor, idea, version, a[0], reply_to=reply)
            case "revise":
                app.revise_idea(actor, idea, version, dict(a[0]), a[1])
            case "pledge":
                app.pledge_support(actor, idea, version, a[0])
            case "assess":
                app.assess_idea(
                    actor,
                    idea,
                    version,
                    impact=a[0],
                    effort=a[1],
                    expected_weeks=a[2],
                    rationale=a[3],
                )
            case "assign":
                app.assign_idea_to_working_group(actor, idea, version, city.groups[a[0]])
            case "recommend":
                app.recommend(actor, idea, version, a[0], a[1])
            case "accept":
                city.measures[i] = app.accept_idea(actor, idea, version, a[0])
                self.measure_versions[i] = 1
                self.milestones[i] = []
            case "reject":
                app.reject_idea(actor, idea, version, a[0])
            case "park":
                app.park_idea(actor, idea, version, a[0])
            case _:  # pragma: no cover - the script uses no other step
                raise ValueError(f"unknown step {step.op}")
        self.idea_versions[i] += 1

    def _measure(self, step: Step, actor: UUID) -> None:
        app, city = self.app, self.city
        i, a = step.idea, step.args
        measure, version = city.measures[i], self.measure_versions[i]
        match step.op:
            case "set_goal":
                app.set_goal(actor, measure, version, statement=a[0], indicator=a[1], target=a[2])
            case "add_milestone":
                due = (city.start + dt.timedelta(days=a[1])).date()
                self.milestones[i].append(app.add_milestone(actor, measure, version, a[0], due))
            case "reach_milestone":
                today = self.clock.now.date()
                app.reach_milestone(actor, measure, version, self.milestones[i][a[0]], today)
            case "report_progress":
                app.report_progress(actor, measure, version, a[0], a[1])
            case "implement":
                today = self.clock.now.date()
                app.implement_measure(actor, measure, version, today, a[0])
            case "record_benefit":
                app.record_benefit(actor, measure, version, city.departments[a[0]], a[1])
            case _:  # pragma: no cover - the script uses no other step
                raise ValueError(f"unknown step {step.op}")
        self.measure_versions[i] += 1


def generate(
    app: IdeationApplication,
    *,
    ideas: int = 1_000,
    seed: int = 1,
    progress: bool | Callable[[int], None] = False,
    project_every: int = 500,
    start: dt.datetime | None = None,
) -> GeneratedCity:
    """Write the synthetic city into a fresh application; return its ids and counts.

    `project_every`: the read models catch up after every so many commands (1 = after each
    command, as the web application does; larger batches write the same events faster, the
    read models are complete when this returns). `progress`: True for a tqdm bar on stderr,
    or a callable given the number of commands done so far.
    """
    start = start or city_start()
    clock = SteppingClock(start, READING_STEP)
    digest = ScriptDigest(ideas)
    saved_clock, read_models = app.clock, app.read_models
    app.clock = clock
    heavy, giant = heavy_ideas(ideas)
    started = time.perf_counter()
    bar = None
    if progress is True:
        total = summarise_script(ideas, seed).commands  # a first pass, for the bar's total
        bar = tqdm(total=total, unit="Befehl", desc=f"Stadt mit {ideas} Ideen")
    try:
        departments, people, groups = create_cast(app, city_cast(ideas))
        city = GeneratedCity(
            ideas_count=ideas,
            seed=seed,
            digest="",
            start=start,
            departments=departments,
            people=people,
            groups=groups,
            ideas=[],
            heavy=heavy,
            giant=giant,
        )
        player = _Player(app, city, clock)
        if project_every > 1:
            app.read_models = None
        counts = [0] * ideas
        n = 0
        for n, step in enumerate(iter_script(ideas, seed), start=1):
            clock.advance_to(start + dt.timedelta(seconds=step.at))
            player.play(step)
            digest.add(step)
            counts[step.idea] += step.events
            if read_models is not None and project_every > 1 and n % project_every == 0:
                read_models.catch_up()
            if bar is not None and n % 100 == 0:
                bar.update(100)
            elif callable(progress) and n % 100 == 0:
                progress(n)
        if bar is not None:
            bar.update(n - bar.n)
    finally:
        app.clock, app.read_models = saved_clock, read_models
        if bar is not None:
            bar.close()
    if read_models is not None:
        read_models.catch_up()
    city.digest = digest.hexdigest()
    city.events_per_idea = counts
    city.commands = n
    city.events = sum(counts)
    city.seconds = time.perf_counter() - started
    return city


def ensure_schema(database_url: str, schema: str) -> None:
    """Create a PostgreSQL schema if it is missing (the planner expects it to exist)."""
    if not database_url.startswith("postgresql"):
        return
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    finally:
        engine.dispose()


# -- command line ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Generate a city into the database of the settings (or --database-url)."""
    from ideation.bootstrap import build_application
    from ideation.config import Settings

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--ideas", type=int, default=1_000, help="1000, 10000 or 100000 (any ≥ 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="default: IDEATION_DATABASE_URL or the instance")
    parser.add_argument("--database-schema", help="PostgreSQL schema (IDEATION_DATABASE_SCHEMA)")
    parser.add_argument(
        "--project-every",
        type=int,
        default=500,
        help="catch the read models up after so many commands (1: after each, like the web app)",
    )
    parser.add_argument("--digest-only", action="store_true", help="print the script's digest")
    args = parser.parse_args(argv)

    if args.digest_only:
        summary = summarise_script(args.ideas, args.seed)
        print(f"{summary.digest}  {summary.commands} Befehle, {summary.events} Ereignisse")
        return 0
    environ = dict(os.environ)
    if args.database_url:
        environ["IDEATION_DATABASE_URL"] = args.database_url
        url = make_url(args.database_url)
        if url.get_backend_name() == "sqlite" and url.database:
            # The file's folder is made and holds the instance unless one is configured.
            folder = Path(url.database).resolve().parent
            folder.mkdir(parents=True, exist_ok=True)
            environ.setdefault("IDEATION_INSTANCE_PATH", str(folder))
    if args.database_schema:
        environ["IDEATION_DATABASE_SCHEMA"] = args.database_schema
        ensure_schema(environ.get("IDEATION_DATABASE_URL", ""), args.database_schema)
    environ.setdefault("IDEATION_INSTANCE_PATH", str(Path(tempfile.gettempdir()) / "ideation-city"))
    settings = Settings.from_env(environ)
    app = build_application(settings)
    try:
        if app.is_initialised():
            print("Die Datenbank enthält bereits einen Planer; bitte eine leere angeben.")
            return 1
        city = generate(
            app, ideas=args.ideas, seed=args.seed, progress=True, project_every=args.project_every
        )
    finally:
        app.close()
    print(
        f"{city.ideas_count} Ideen, {city.commands} Befehle, {city.events} Ereignisse "
        f"({city.events / city.ideas_count:.1f} je Idee) in {city.seconds:.1f} s "
        f"({city.commands / city.seconds:.0f} Befehle/s); schwere Ideen: "
        + ", ".join(f"{city.ideas[i]} ({city.events_per_idea[i]})" for i in city.heavy)
    )
    print(f"Drehbuch-Prüfsumme {city.digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
