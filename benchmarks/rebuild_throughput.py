"""B4 (first cut): projection rebuild throughput next to the raw read rate of the log.

On a SQLite file, stores --events events (a city's mix: ideas submitted, supported,
commented, assessed, handed to working groups, accepted, measures planned and reported on),
then measures in the same run, --rounds times:

- the raw read rate of the notification log (`select_notifications`, pages of 500 rows);
- decoding those rows into domain events with the application's mapper;
- `projector.rebuild()` (drop every read model, replay the whole log, batches of 500).

Prints a Markdown table of medians for docs/benchmarks.md.
Run: `.venv/bin/python benchmarks/rebuild_throughput.py [--events 20000] [--rounds 3]`.
"""

from __future__ import annotations

import argparse
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from importlib.metadata import version
from uuid import UUID, uuid4

from ideation.application.service import IdeationApplication
from ideation.bootstrap import build_application
from ideation.config import Settings
from ideation.domain.actor import Actor
from ideation.domain.idea import Idea
from ideation.domain.measure import Measure

PAGE = 500
COMMENTS = (
    "Das hilft auch unserem Bürgerbüro.",
    "Gibt es dafür Fördermittel des Landes?",
    "Bitte den Datenschutz früh einbinden.",
    "Wie sieht es mit der Barrierefreiheit aus?",
    "Die Stadtwerke haben ein ähnliches Projekt in Planung.",
)
THEMES = ("Mobilität", "Energie", "Verwaltung", "Bildung", "Umwelt", "Sensorik", "Open Data")


def generate(app: IdeationApplication, events: int, seed: int = 4) -> None:
    """Store about `events` events: the departments and people through commands, the ideas
    and measures through the domain methods, saved 40 aggregates at a time."""
    rng = random.Random(seed)
    digital, admin = app.initialise(
        admin_display_name="Bench Admin",
        admin_email="admin@bench.invalid",
        department_name="Digitalisierung",
        department_short_name="DIG",
    )
    coordinator_id = app.register_person(
        admin, "Bench Koordination", "c@bench.invalid", digital, ["coordinator"]
    )
    members: list[tuple[UUID, UUID]] = []
    for n in range(8):
        department = app.register_department(admin, f"Fachbereich {n}", f"F{n}", "administration")
        person = app.register_person(
            admin, f"Mitglied {n}", f"m{n}@bench.invalid", department, ["member", "group_member"]
        )
        members.append((person, department))
    group = app.form_working_group(coordinator_id, "AG Bench", "Ideen verfeinern", digital)
    lead = members[0][0]
    app.add_working_group_member(coordinator_id, group, 1, lead)
    coordinator = Actor(coordinator_id, digital, "coordinator")
    group_actor = Actor(lead, members[0][1], "group_member")

    def member(person: UUID, department: UUID) -> Actor:
        return Actor(person, department, "member")

    stored = app.recorder.max_notification_id() or 0
    while stored < events:
        batch: list[Idea | Measure] = []
        for _ in range(40):
            author, department = rng.choice(members)
            idea = Idea.submit(
                id=uuid4(),
                title=f"Idee {rng.randint(1, 10**6)}: {rng.choice(THEMES)} digital",
                summary="Für den Benchmark erzeugt.",
                description="",
                themes=rng.sample(THEMES, rng.randint(0, 3)),
                department_id=department,
                actor=member(author, department),
            )
            others = [m for m in members if m[1] != department]
            for person, other in rng.sample(others, rng.randint(0, 3)):
                idea.pledge_support(other, "", member(person, other))
            for _ in range(rng.randint(0, 8)):
                person, home = rng.choice(members)
                idea.comment(rng.choice(COMMENTS), member(person, home))
            batch.append(idea)
            if rng.random() < 0.4:
                continue
            idea.assess(rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 30), "ok", coordinator)
            if rng.random() < 0.5:
                continue
            idea.assign_to_working_group(group, coordinator)
            idea.recommend("accept", "Empfohlen", group_actor)
            if rng.random() < 0.5:
                idea.reject("Kein Budget", coordinator)
                continue
            measure_id = uuid4()
            idea.accept(measure_id, "Angenommen", coordinator)
            measure = Measure.plan(
                id=measure_id,
                idea_id=idea.id,
                working_group_id=group,
                owner_department_id=department,
                title=idea.title,
                quick_win=idea.quick_win,
                actor=coordinator,
            )
            measure.set_goal(uuid4(), "Ziel", "Anteil", "20 %", group_actor)
            for percent in sorted(rng.sample(range(5, 100, 5), rng.randint(1, 4))):
                measure.report_progress(percent, "Zwischenstand", group_actor)
            batch.append(measure)
        app.save(*batch)
        stored = app.recorder.max_notification_id()


def read_log(app: IdeationApplication) -> tuple[float, list]:  # type: ignore[type-arg]
    """Read the whole log in pages; return (seconds, notifications)."""
    notifications = []
    started = time.perf_counter()
    start = 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=PAGE)
        notifications.extend(page)
        if len(page) < PAGE:
            break
        start = page[-1].id + 1
    return time.perf_counter() - started, notifications


def decode(app: IdeationApplication, notifications: list) -> float:  # type: ignore[type-arg]
    """Decode every notification into a domain event; return the seconds it took."""
    to_domain_event = app.mapper.to_domain_event
    started = time.perf_counter()
    for notification in notifications:
        to_domain_event(notification)
    return time.perf_counter() - started


def main() -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({"IDEATION_INSTANCE_PATH": f"{tmp}/instance"})
        writer = build_application(settings, catch_up=False)
        writer.read_models = None  # store only; the rounds below do all projecting
        started = time.perf_counter()
        generate(writer, args.events)
        print(
            f"{args.events} events stored in {time.perf_counter() - started:.1f} s", file=sys.stderr
        )
        writer.close()

        app = build_application(settings, catch_up=False)
        projector = app.read_models.projector  # type: ignore[union-attr]
        raw, decoded, combined, rebuilt = [], [], [], []
        for r in range(1, args.rounds + 1):
            read_seconds, notifications = read_log(app)
            decode_seconds = decode(app, notifications)
            count = len(notifications)
            started = time.perf_counter()
            result = projector.rebuild(batch_size=PAGE)
            rebuild_seconds = time.perf_counter() - started
            assert result.applied == count, (result, count)
            raw.append(count / read_seconds)
            decoded.append(count / decode_seconds)
            combined.append(count / (read_seconds + decode_seconds))
            rebuilt.append(count / rebuild_seconds)
            print(
                f"round {r}: read {read_seconds:.2f} s, decode {decode_seconds:.2f} s, "
                f"rebuild {rebuild_seconds:.1f} s",
                file=sys.stderr,
            )
        mix = Counter(n.topic.split(":")[-1] for n in notifications)
        app.close()

    def row(name: str, rates: list[float]) -> str:
        return (
            f"| {name} | {statistics.median(rates):,.0f} | {min(rates):,.0f} | {max(rates):,.0f} |"
        )

    print(
        f"\n{count:,} events on a SQLite file, {args.rounds} rounds; Python "
        f"{platform.python_version()}, eventsourcing {version('eventsourcing')}, SQLAlchemy "
        f"{version('sqlalchemy')}, SQLite {sqlite3.sqlite_version}\n"
    )
    print("| step | events/s (median) | min | max |")
    print("|---|---:|---:|---:|")
    print(row(f"read the log: `select_notifications`, pages of {PAGE} (raw rows)", raw))
    print(row("decode: `mapper.to_domain_event` (events)", decoded))
    print(row("read + decode (the projector's input, upper bound)", combined))
    print(row(f"`projector.rebuild()` (batches of {PAGE})", rebuilt))
    ratio = statistics.median(rebuilt) / statistics.median(combined)
    print(f"\nRebuild reaches {ratio:.1%} of read + decode ({ratio:.3f}).")
    print("Event mix: " + ", ".join(f"{name} {n:,}" for name, n in mix.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
