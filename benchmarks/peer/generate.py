"""Load the synthetic city of `benchmarks/generate.py` into the peer, through its model layer.

    python benchmarks/peer/generate.py --ideas 1000 --database-url sqlite:////tmp/peer.sqlite3

Same script (same seed: same commands, contents and order), same back-dated clock, one
transaction per command as the peer's HTTP API would run it. Every person gets the API
token `peer-<key>` (e.g. `peer-coord`, `peer-m0`), for load tests against the peer's routes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tqdm import tqdm

from benchmarks.generate import (
    READING_STEP,
    CastPlan,
    ScriptDigest,
    Step,
    city_cast,
    city_start,
    ensure_schema,
    heavy_ideas,
    iter_script,
    summarise_script,
)
from benchmarks.peer.service import PeerService
from ideation.entrypoints.demo import SteppingClock


def person_token(key: str) -> str:
    """The API token the loader gives the person with this cast key."""
    return f"peer-{key}"


@dataclass
class PeerCity:
    """The ids of what `load_city` wrote into the peer, by the script's keys."""

    ideas_count: int
    seed: int
    digest: str
    departments: list[UUID]
    people: dict[str, UUID]
    groups: list[UUID]
    ideas: list[UUID] = field(default_factory=list)
    measures: dict[int, UUID] = field(default_factory=dict)
    heavy: list[int] = field(default_factory=list)
    giant: int | None = None
    events_per_idea: list[int] = field(default_factory=list)
    commands: int = 0
    seconds: float = 0.0

    @property
    def heavy_ideas(self) -> list[UUID]:
        return [self.ideas[i] for i in self.heavy]


def create_cast(
    peer: PeerService, cast: CastPlan
) -> tuple[list[UUID], dict[str, UUID], list[UUID]]:
    """Departments, people (with tokens) and working groups."""
    departments = [peer.add_department(*department) for department in cast.departments]
    people = {
        key: peer.add_person(name, email, departments[d], roles, token=person_token(key))
        for key, name, email, d, roles in cast.people
    }
    groups = [
        peer.form_group(name, mandate, departments[lead], [people[m] for m in members])
        for name, mandate, lead, members in cast.groups
    ]
    return departments, people, groups


class _PeerPlayer:
    def __init__(self, peer: PeerService, city: PeerCity, clock: SteppingClock, start: dt.datetime):
        self.peer = peer
        self.city = city
        self.clock = clock
        self.start = start
        self.idea_versions: list[int] = []
        self.measure_versions: dict[int, int] = {}
        self.comments: dict[int, list[UUID]] = {}
        self.milestones: dict[int, list[UUID]] = {}

    def play(self, step: Step) -> None:
        peer, city = self.peer, self.city
        actor = city.people[step.actor]
        i, a = step.idea, step.args
        if step.op == "submit":
            assert len(city.ideas) == i
            city.ideas.append(
                peer.submit_idea(actor, title=a[0], summary=a[1], description=a[2], themes=a[3])
            )
            self.idea_versions.append(1)
            self.comments[i] = []
            return
        if step.target == "measure":
            self._measure(step, actor)
            return
        idea, version = city.ideas[i], self.idea_versions[i]
        match step.op:
            case "comment":
                reply = None if a[1] is None else self.comments[i][a[1]]
                self.comments[i].append(
                    peer.comment_on_idea(actor, idea, version, a[0], reply_to=reply)
                )
            case "revise":
                peer.revise_idea(actor, idea, version, dict(a[0]), a[1])
            case "pledge":
                peer.pledge_support(actor, idea, version, a[0])
            case "assess":
                peer.assess_idea(
                    actor,
                    idea,
                    version,
                    impact=a[0],
                    effort=a[1],
                    expected_weeks=a[2],
                    rationale=a[3],
                )
            case "assign":
                peer.assign_idea(actor, idea, version, city.groups[a[0]])
            case "recommend":
                peer.recommend(actor, idea, version, a[0], a[1])
            case "accept" | "reject" | "park":
                measure = peer.decide(actor, idea, version, step.op, a[0])
                if measure is not None:
                    city.measures[i] = measure
                    self.measure_versions[i] = 1
                    self.milestones[i] = []
            case _:  # pragma: no cover - the script uses no other step
                raise ValueError(f"unknown step {step.op}")
        self.idea_versions[i] += 1

    def _measure(self, step: Step, actor: UUID) -> None:
        peer, city = self.peer, self.city
        i, a = step.idea, step.args
        measure, version = city.measures[i], self.measure_versions[i]
        today = self.clock.now.date()
        match step.op:
            case "set_goal":
                peer.set_goal(actor, measure, version, statement=a[0], indicator=a[1], target=a[2])
            case "add_milestone":
                due = (self.start + dt.timedelta(days=a[1])).date()
                self.milestones[i].append(peer.add_milestone(actor, measure, version, a[0], due))
            case "reach_milestone":
                peer.reach_milestone(actor, measure, version, self.milestones[i][a[0]], today)
            case "report_progress":
                peer.report_progress(actor, measure, version, a[0], a[1])
            case "implement":
                peer.implement_measure(actor, measure, version, today, a[0])
            case "record_benefit":
                peer.record_benefit(actor, measure, version, city.departments[a[0]], a[1])
            case _:  # pragma: no cover - the script uses no other step
                raise ValueError(f"unknown step {step.op}")
        self.measure_versions[i] += 1


def load_city(
    peer: PeerService,
    *,
    ideas: int = 1_000,
    seed: int = 1,
    progress: bool | Callable[[int], None] = False,
    start: dt.datetime | None = None,
) -> PeerCity:
    """Write the synthetic city into an empty peer database; return its ids and counts."""
    start = start or city_start()
    digest = ScriptDigest(ideas)
    clock = SteppingClock(start, READING_STEP)
    saved_clock = peer.clock
    peer.clock = clock
    heavy, giant = heavy_ideas(ideas)
    started = time.perf_counter()
    bar = None
    if progress is True:
        total = summarise_script(ideas, seed).commands  # a first pass, for the bar's total
        bar = tqdm(total=total, unit="Befehl", desc="Peer")
    try:
        departments, people, groups = create_cast(peer, city_cast(ideas))
        city = PeerCity(
            ideas_count=ideas,
            seed=seed,
            digest="",
            departments=departments,
            people=people,
            groups=groups,
            heavy=heavy,
            giant=giant,
        )
        player = _PeerPlayer(peer, city, clock, start)
        counts = [0] * ideas
        n = 0
        for n, step in enumerate(iter_script(ideas, seed), start=1):
            clock.advance_to(start + dt.timedelta(seconds=step.at))
            player.play(step)
            digest.add(step)
            counts[step.idea] += step.events
            if n % 100 == 0:
                if bar is not None:
                    bar.update(100)
                elif callable(progress):
                    progress(n)
        if bar is not None:
            bar.update(n - bar.n)
    finally:
        peer.clock = saved_clock
        if bar is not None:
            bar.close()
    city.digest = digest.hexdigest()
    city.events_per_idea = counts
    city.commands = n
    city.seconds = time.perf_counter() - started
    return city


def main(argv: list[str] | None = None) -> int:
    """Load the city into the peer's database."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ideas", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--database-schema", help="PostgreSQL schema")
    args = parser.parse_args(argv)
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if args.database_schema:
        ensure_schema(args.database_url, args.database_schema)
    peer = PeerService.connect(args.database_url, schema=args.database_schema)
    try:
        city = load_city(peer, ideas=args.ideas, seed=args.seed, progress=True)
    finally:
        peer.dispose()
    print(
        f"Peer: {city.ideas_count} Ideen, {city.commands} Befehle in {city.seconds:.1f} s "
        f"({city.commands / city.seconds:.0f} Befehle/s); schwere Ideen: "
        + ", ".join(str(city.ideas[i]) for i in city.heavy)
    )
    print(f"Drehbuch-Prüfsumme {city.digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
