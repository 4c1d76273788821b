"""ES-12: rebuilding the read models from the log gives exactly the live read models.

A scripted city history (a seeded random.Random picks each idea's path) goes through the
application's commands: departments, people and roles, working groups, ideas submitted,
revised, commented, supported, assessed, assigned, recommended, accepted, rejected, parked,
reopened, merged and withdrawn, measures with goals, milestones, progress, blocks,
implementation, benefits and cancellation. A second, bulk part adds ideas and comments
through the domain methods, saved many aggregates at a time (still through the library's
recorder). The live read models, built batch by batch after every save, are dumped
canonically; `projector.rebuild()` replays the whole log; the dump must be identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from ideation.application.service import IdeationApplication
from ideation.domain.actor import Actor
from ideation.domain.idea import Idea
from ideation.domain.measure import Measure
from ideation.domain.stages import visible_stage
from ideation.readmodels.handlers import HANDLERS
from ideation.readmodels.search import SEARCH_TABLE
from ideation.readmodels.tables import (
    PROJECTED_TABLES,
    activity,
    idea_supports,
    ideas,
    measures,
)
from tests.conftest import Backend, make_cast

# Every table this history must fill (tables added later are dumped and compared too).
EXPECTED_FILLED = {
    "rm_ideas",
    "rm_idea_themes",
    "rm_idea_supports",
    "rm_comments",
    "rm_measures",
    "rm_milestones",
    "rm_benefits",
    "rm_working_groups",
    "rm_group_members",
    "rm_departments",
    "rm_people",
    "rm_activity",
    "rm_exchange_sessions",
    "rm_session_departments",
    "rm_pilots",
    "rm_factions",
    "rm_political_rounds",
    "rm_round_factions",
    "rm_engagement",
}
THEMES = ("Mobilität", "Energie", "Verwaltung", "Bildung", "Umwelt", "Sensorik", "Open Data")
TOPICS = ("Parken", "Straßenlaternen", "Bürgerbüro", "Schulen", "Müllabfuhr", "Radwege", "WLAN")
COMMENTS = (
    "Das hilft auch unserem Bürgerbüro.",
    "Gibt es dafür Fördermittel?",
    "Bitte den Datenschutz früh einbinden.",
    "Wie sieht es mit der Barrierefreiheit aus?",
    "Die Stadtwerke planen Ähnliches.",
    "Straßen und Gehwege müssen frei bleiben.",
)
OPEN = ("submitted", "in_review", "in_working_group")


# -- the scripted history ----------------------------------------------------------------


@dataclass
class IdeaState:
    id: UUID
    author: UUID
    department: UUID
    status: str = "submitted"
    group: UUID | None = None
    pledged: dict[UUID, UUID] = field(default_factory=dict)  # department → pledging person


class CityHistory:
    """Drives the application through a seeded, realistic history, tracking versions."""

    def __init__(self, app: IdeationApplication, seed: int) -> None:
        self.app = app
        self.rng = random.Random(seed)
        self.versions: Counter[UUID] = Counter()
        self.ideas: list[IdeaState] = []
        self.day = dt.date(2026, 3, 2)

    # Every command adds one event to its aggregate; `v` returns the version to expect.
    def v(self, aggregate_id: UUID) -> int:
        return self.versions[aggregate_id]

    def did(self, aggregate_id: UUID) -> None:
        self.versions[aggregate_id] += 1

    def next_day(self) -> dt.date:
        self.day += dt.timedelta(days=self.rng.randint(1, 9))
        return self.day

    def setup(self) -> None:
        app, rng = self.app, self.rng
        cast = self.cast = make_cast(app)
        self.admin, self.coordinator = cast.admin, cast.coordinator
        for department in (cast.digital, cast.mobility, cast.citizens):
            self.versions[department] = 1
        self.versions[cast.group] = 2
        departments = [cast.digital, cast.mobility, cast.citizens]
        for name, short, kind in (
            ("Umweltamt", "31", "administration"),
            ("Stadtwerke", "SW", "company"),
            ("Schulverwaltungsamt", "40", "administration"),
            ("Entsorgungsbetriebe", "EB", "company"),
        ):
            departments.append(app.register_department(self.admin, name, short, kind))
            self.versions[departments[-1]] = 1
        app.rename_department(self.admin, departments[3], 1, "Umwelt- und Grünflächenamt", "31")
        self.did(departments[3])
        app.reclassify_department(self.admin, departments[6], 1, "administration")
        self.did(departments[6])
        self.departments = departments

        # One member per department (the cast already has two), plus group members.
        self.members = [(cast.member, cast.mobility), (cast.other_member, cast.citizens)]
        for n, department in enumerate(departments):
            if department in (cast.mobility, cast.citizens):
                continue
            person = app.register_person(
                self.admin, f"Mitglied {n}", f"mitglied{n}@example.org", department, ["member"]
            )
            self.members.append((person, department))
        group_members = [cast.group_member]
        for n in range(4):
            department = departments[(n * 2 + 1) % len(departments)]
            roles = ["group_member", "member"] if n == 0 else ["group_member"]
            person = app.register_person(
                self.admin, f"AG-Mitglied {n}", f"ag{n}@example.org", department, roles
            )
            self.versions[person] = 1 + len(roles)
            group_members.append(person)

        # People change: a role granted and revoked, a move, a deactivation and return.
        helper = group_members[2]
        app.grant_role(self.admin, helper, self.v(helper), "auditor")
        self.did(helper)
        app.revoke_role(self.admin, helper, self.v(helper), "auditor", "Nur vertretungsweise")
        self.did(helper)
        outsider = cast.outsider_group_member
        self.versions[outsider] = 2
        app.move_person_to_department(self.admin, outsider, self.v(outsider), departments[4])
        self.did(outsider)
        app.deactivate_person(self.admin, outsider, self.v(outsider), "Elternzeit")
        self.did(outsider)
        app.reactivate_person(self.admin, outsider, self.v(outsider), "Zurück")
        self.did(outsider)

        # Three working groups with members; one member leaves; a fourth group dissolves.
        self.groups: dict[UUID, list[UUID]] = {cast.group: [cast.group_member]}
        for name, lead, people in (
            ("AG Umwelt und Energie", departments[3], group_members[1:3]),
            ("AG Verwaltung digital", departments[0], group_members[3:5]),
        ):
            group = app.form_working_group(self.coordinator, name, "Ideen verfeinern", lead)
            self.versions[group] = 1
            for person in people:
                app.add_working_group_member(self.coordinator, group, self.v(group), person)
                self.did(group)
            self.groups[group] = list(people)
        app.add_working_group_member(self.coordinator, cast.group, self.v(cast.group), outsider)
        self.did(cast.group)
        app.remove_working_group_member(
            self.coordinator, cast.group, self.v(cast.group), outsider, "Wechsel"
        )
        self.did(cast.group)
        short_lived = app.form_working_group(
            self.coordinator, "AG Übergang", "Kurzfristig", departments[1]
        )
        app.add_working_group_member(self.coordinator, short_lived, 1, group_members[4])
        app.dissolve_working_group(self.coordinator, short_lived, 2, "Auftrag erledigt")
        self.commenters = [p for p, _ in self.members] + [self.coordinator, *group_members]
        rng.shuffle(self.commenters)
        self.cooperation()

    def cooperation(self) -> None:
        """Exchange formats of every kind, pilots, factions and political rounds."""
        app, c, departments = self.app, self.coordinator, self.departments
        self.sessions: list[UUID] = []
        for n, kind in enumerate(
            ("consultation_hour", "online_qa", "round_visit", "regulars_table", "conference")
        ):
            session = app.plan_exchange_session(
                c,
                kind=kind,
                scheduled_on=self.next_day(),
                topic=f"Austausch Nr. {n + 1}",
                host_person_id=c,
                round_department_id=departments[n] if kind == "round_visit" else None,
                invited_department_ids=departments[n : n + 3],
            )
            app.reschedule_exchange_session(c, session, 1, self.next_day(), "Raum belegt")
            app.record_exchange_session(
                c,
                session,
                2,
                held_on=self.day,
                participating_department_ids=departments[n + 1 : n + 4],
                participant_count=5 + n,
                needs=[f"Bedarf {n}", "Mehr Austausch"],
            )
            self.sessions.append(session)
        called_off = app.plan_exchange_session(
            c, kind="online_qa", scheduled_on=self.next_day(), topic="Abgesagt", host_person_id=c
        )
        app.cancel_exchange_session(c, called_off, 1, "Zu wenige Anmeldungen")

        pilot = app.nominate_pilot(c, self.members[0][0], "Erklärt gern", self.sessions[0])
        app.confirm_pilot(c, pilot, 1, "Zugesagt")
        app.withdraw_pilot(c, pilot, 2, "Stellenwechsel")
        app.nominate_pilot(c, self.members[0][0], "Wieder da", self.sessions[1])
        app.nominate_pilot(c, self.members[1][0], "Neugierig", None)

        factions = [
            app.register_faction(self.admin, f"Fraktion {name}", name)
            for name in ("Grün", "Rot", "Blau")
        ]
        app.rename_faction(self.admin, factions[2], 1, "Fraktion Blau-Gelb", "Blau-Gelb")
        app.retire_faction(c, factions[2], 2, "Nicht mehr im Rat")
        held = app.plan_political_round(
            c, scheduled_on=self.next_day(), title="Digitalrunde", invited_faction_ids=factions
        )
        app.record_political_round(
            c,
            held,
            1,
            held_on=self.day,
            attending_faction_ids=factions[:2],
            questions=["Wann kommt das WLAN?"],
            suggestions=["Livestream", "Open Data"],
        )
        adopted = app.adopt_round_suggestion(
            c,
            held,
            2,
            suggestion_index=1,
            department_id=departments[0],
            title="Open-Data-Portal",
            summary="Aus der Politischen Runde",
        )
        self.versions[adopted] = 1
        later = app.plan_political_round(
            c, scheduled_on=self.next_day(), title="Haushaltsrunde", invited_faction_ids=[]
        )
        app.cancel_political_round(c, later, 1, "Haushaltssitzung")

    # -- ideas ---------------------------------------------------------------------

    def comment(self, idea: IdeaState, count: int) -> None:
        for _ in range(count):
            person = self.rng.choice(self.commenters)
            self.app.comment_on_idea(person, idea.id, self.v(idea.id), self.rng.choice(COMMENTS))
            self.did(idea.id)

    def pledge(self, idea: IdeaState) -> None:
        others = [m for m in self.members if m[1] != idea.department and m[1] not in idea.pledged]
        if others:
            person, department = self.rng.choice(others)
            self.app.pledge_support(person, idea.id, self.v(idea.id), "Wir machen mit.")
            self.did(idea.id)
            idea.pledged[department] = person

    def withdraw_pledge(self, idea: IdeaState) -> None:
        if idea.pledged:
            department = self.rng.choice(sorted(idea.pledged))
            person = idea.pledged.pop(department)
            self.app.withdraw_support(person, idea.id, self.v(idea.id), "Keine Kapazität")
            self.did(idea.id)

    def decide(self, idea: IdeaState, status: str) -> None:
        app, c, v = self.app, self.coordinator, self.v(idea.id)
        if status == "rejected":
            app.reject_idea(c, idea.id, v, "Passt nicht zur Strategie")
        elif status == "parked":
            app.park_idea(c, idea.id, v, "Haushalt 2027 abwarten")
        elif status == "in_review":
            app.reopen_idea(c, idea.id, v, "Fördermittel bewilligt")
            idea.group = None
        elif status == "withdrawn":
            app.withdraw_idea(idea.author, idea.id, v, "Hat sich erledigt")
        self.did(idea.id)
        idea.status = status

    def assign(self, idea: IdeaState) -> None:
        app, rng = self.app, self.rng
        group = rng.choice([g for g in self.groups if g != idea.group])
        app.assign_idea_to_working_group(self.coordinator, idea.id, self.v(idea.id), group)
        self.did(idea.id)
        idea.group, idea.status = group, "in_working_group"
        member = rng.choice(self.groups[group])
        app.record_meeting(
            member,
            group,
            self.v(group),
            held_on=self.next_day(),
            format=rng.choice(("in_person", "online", "hybrid")),
            notes="Idee besprochen",
            decisions="Empfehlung folgt",
            idea_ids=[idea.id],
        )
        self.did(group)

    def submit(self) -> IdeaState:
        app, rng = self.app, self.rng
        author, department = rng.choice(self.members)
        idea_id = app.submit_idea(
            author,
            title=f"{rng.choice(TOPICS)} digital Nr. {len(self.ideas) + 1}",
            summary=f"Vorschlag für {rng.choice(TOPICS)} mit {rng.choice(THEMES)}",
            description="Ausführlich beschrieben." if rng.random() < 0.5 else "",
            themes=rng.sample(THEMES, rng.randint(1, 3)),
            origin_session_id=rng.choice(self.sessions) if rng.random() < 0.3 else None,
        )
        self.versions[idea_id] = 1
        idea = IdeaState(idea_id, author, department)
        self.ideas.append(idea)
        return idea

    def idea_lifecycle(self) -> None:
        app, rng, c = self.app, self.rng, self.coordinator
        idea = self.submit()
        self.comment(idea, rng.randint(0, 4))
        for _ in range(rng.randint(0, 3)):
            self.pledge(idea)
        if rng.random() < 0.3:
            changes: dict[str, Any] = rng.choice(
                (
                    {"title": f"Überarbeitet: {rng.choice(TOPICS)} Nr. {len(self.ideas)}"},
                    {"summary": "Geschärfte Kurzbeschreibung"},
                    {"themes": ["Beteiligung", rng.choice(THEMES)]},
                    {"description": "Neue Beschreibung mit Details"},
                )
            )
            app.revise_idea(idea.author, idea.id, self.v(idea.id), changes, "nach Rückfragen")
            self.did(idea.id)
        if rng.random() < 0.15:
            self.withdraw_pledge(idea)
        path = rng.random()
        if path < 0.08:
            self.decide(idea, "withdrawn")
            return
        if path < 0.14:
            return  # stays submitted
        app.assess_idea(
            c,
            idea.id,
            self.v(idea.id),
            impact=rng.randint(1, 5),
            effort=rng.randint(1, 5),
            expected_weeks=rng.randint(1, 40),
            rationale="Nach Rücksprache bewertet",
        )
        self.did(idea.id)
        idea.status = "in_review"
        if rng.random() < 0.15:
            app.override_quick_win(
                c, idea.id, self.v(idea.id), rng.random() < 0.5, "Politisch gewünscht"
            )
            self.did(idea.id)
        branch = rng.random()
        if branch < 0.1:
            self.decide(idea, "rejected")
        elif branch < 0.2:
            self.decide(idea, "parked")
            if rng.random() < 0.5:
                self.decide(idea, "in_review")
                if rng.random() < 0.5:
                    self.assign(idea)
        elif branch < 0.28:
            targets = [i for i in self.ideas[:-1] if i.status in (*OPEN, "accepted")]
            if targets:
                target = rng.choice(targets)
                app.merge_idea(c, idea.id, self.v(idea.id), target.id, "Gleiche Idee")
                self.did(idea.id)
                idea.status = "merged"
        elif branch < 0.35:
            pass  # stays in review
        else:
            self.assign(idea)
            if rng.random() < 0.1:
                self.assign(idea)  # handed on to another group
            self.comment(idea, rng.randint(0, 2))
            member = rng.choice(self.groups[idea.group])  # type: ignore[index]
            outcome = rng.choices(("accept", "reject", "park"), (6, 2, 1))[0]
            app.recommend(member, idea.id, self.v(idea.id), outcome, "Nach Sitzung empfohlen")
            self.did(idea.id)
            decision = rng.random()
            if decision < 0.65:
                measure = app.accept_idea(c, idea.id, self.v(idea.id), "Mittel vorhanden")
                self.did(idea.id)
                idea.status = "accepted"
                self.versions[measure] = 1
                self.measure_lifecycle(idea, measure)
            elif decision < 0.8:
                self.decide(idea, "rejected")
            elif decision < 0.9:
                self.decide(idea, "parked")
        if rng.random() < 0.3:
            self.comment(idea, rng.randint(1, 3))  # comments go on after decisions
        if idea.status in (*OPEN, "accepted") and rng.random() < 0.2:
            self.pledge(idea)

    def measure_lifecycle(self, idea: IdeaState, measure: UUID) -> None:
        app, rng = self.app, self.rng
        member = rng.choice(self.groups[idea.group])  # type: ignore[index]

        def step(command: Any, *args: Any, **kwargs: Any) -> Any:
            result = command(member, measure, self.v(measure), *args, **kwargs)
            self.did(measure)
            return result

        goals = [
            step(app.set_goal, statement=f"Ziel {n}", indicator="Anteil", target=f"{10 * n} %")
            for n in range(1, rng.randint(1, 3) + 1)
        ]
        if rng.random() < 0.4:
            step(
                app.revise_goal,
                rng.choice(goals),
                statement="Ziel geschärft",
                indicator="Anteil",
                target="25 %",
                note="ehrgeiziger",
            )
        if rng.random() < 0.5:
            step(app.note_approach, "Pilot in einem Stadtteil, dann ausrollen")
        milestones = [
            step(app.add_milestone, f"Meilenstein {n}", self.next_day())
            for n in range(rng.randint(1, 3))
        ]
        in_progress = False
        for milestone in milestones:
            if rng.random() < 0.6:
                step(app.reach_milestone, milestone, self.next_day())
                in_progress = True
        for _ in range(rng.randint(0, 3)):
            step(app.report_progress, rng.randint(5, 95), "Zwischenstand")
            in_progress = True
        if rng.random() < 0.2:
            step(app.block_measure, "Lieferengpass")
            if rng.random() < 0.7:
                step(app.unblock_measure, "Geliefert")
            else:
                return  # stays blocked
        end = rng.random()
        if end < 0.5 and in_progress:
            step(app.implement_measure, self.next_day(), "Läuft im Regelbetrieb")
            for department in rng.sample(self.departments, rng.randint(1, 2)):
                step(app.record_benefit, department, "Weniger Aufwand, zufriedene Bürger")
        elif end < 0.65:
            app.cancel_measure(self.coordinator, measure, self.v(measure), "Kein Budget")
            self.did(measure)
        elif in_progress and rng.random() < 0.5:
            step(app.record_benefit, rng.choice(self.departments), "Erste Erfolge sichtbar")

    # -- bulk ------------------------------------------------------------------------

    def bulk(self, events: int, chunk: int = 25) -> None:
        """New ideas and comments on existing ones via domain methods, saved in chunks."""
        app, rng = self.app, self.rng
        stored = app.recorder.max_notification_id()
        target = stored + events

        def actor(person: UUID, department: UUID) -> Actor:
            return Actor(person_id=person, department_id=department, role="member")

        while stored < target:
            pending: list[Idea] = []
            for _ in range(chunk):
                if rng.random() < 0.5 and self.ideas:
                    state = rng.choice(self.ideas)
                    if any(i.id == state.id for i in pending):
                        continue
                    idea = app.repository.get(state.id)
                else:
                    author, department = rng.choice(self.members)
                    idea = Idea.submit(
                        id=uuid4(),
                        title=f"{rng.choice(TOPICS)} im Quartier Nr. {len(self.ideas) + 1}",
                        summary="Aus einer Sprechstunde mitgebracht",
                        description="",
                        themes=rng.sample(THEMES, rng.randint(0, 2)),
                        department_id=department,
                        actor=actor(author, department),
                    )
                    state = IdeaState(idea.id, author, department)
                    self.ideas.append(state)
                for _ in range(rng.randint(1, 6)):
                    person, department = rng.choice(self.members)
                    idea.comment(rng.choice(COMMENTS), actor(person, department))
                if idea.status in (*OPEN, "accepted") and rng.random() < 0.3:
                    others = [
                        m
                        for m in self.members
                        if m[1] != idea.department_id and m[1] not in idea.supporting_departments
                    ]
                    if others:
                        person, department = rng.choice(others)
                        idea.pledge_support(department, "", actor(person, department))
                        state.pledged[department] = person
                if idea.status == "submitted" and rng.random() < 0.2:
                    coordinator = Actor(self.coordinator, self.cast.digital, "coordinator")
                    idea.assess(
                        rng.randint(1, 5), rng.randint(1, 5), 6, "Kurz geprüft", coordinator
                    )
                    state.status = idea.status
                pending.append(idea)
            app.save(*pending)
            stored = app.recorder.max_notification_id()


# -- the canonical dump ------------------------------------------------------------------


def _normalise(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical_dump(engine: Engine) -> dict[str, list[list[Any]]]:
    """Every projected table and the search table: normalised rows, sorted."""
    dump: dict[str, list[list[Any]]] = {}
    with engine.connect() as conn:
        for table in PROJECTED_TABLES:
            rows = [[_normalise(v) for v in row] for row in conn.execute(select(table))]
            dump[table.name] = sorted(rows, key=json.dumps)
        search = conn.execute(text(f"SELECT idea_id, document FROM {SEARCH_TABLE}"))
        dump[SEARCH_TABLE] = sorted(
            ([str(r.idea_id if isinstance(r.idea_id, UUID) else UUID(r.idea_id)), r.document])
            for r in search
        )
    return dump


def digest(dump: dict[str, list[list[Any]]]) -> str:
    return hashlib.sha256(json.dumps(dump, sort_keys=True).encode()).hexdigest()


def first_difference(live: dict[str, list[Any]], rebuilt: dict[str, list[Any]]) -> str:
    for name in sorted(live.keys() | rebuilt.keys()):
        a, b = live.get(name, []), rebuilt.get(name, [])
        if a != b:
            only_live = [r for r in a if r not in b][:3]
            only_rebuilt = [r for r in b if r not in a][:3]
            return (
                f"{name}: {len(a)} vs {len(b)} rows; live only {only_live}; rebuilt {only_rebuilt}"
            )
    return "no difference"


def assert_live_model_matches_aggregates(app: IdeationApplication, engine: Engine) -> None:
    """The live rows agree with the aggregates (so the dump compared is not wrong twice)."""
    with engine.connect() as conn:
        idea_rows = {r.id: r for r in conn.execute(select(ideas))}
        measure_rows = {r.id: r for r in conn.execute(select(measures))}
        supports: dict[UUID, set[UUID]] = {}
        for row in conn.execute(select(idea_supports.c.idea_id, idea_supports.c.department_id)):
            supports.setdefault(row.idea_id, set()).add(row.department_id)
    measure_status: dict[UUID, str] = {}
    for measure_id, row in measure_rows.items():
        measure = app.repository.get(measure_id)
        assert isinstance(measure, Measure)
        measure_status[measure_id] = measure.status
        assert (row.version, row.status, row.progress, row.blocked, row.goals_count) == (
            measure.version,
            measure.status,
            measure.progress,
            measure.blocked,
            len(measure.goals),
        )
    for idea_id, row in idea_rows.items():
        idea = app.repository.get(idea_id)
        assert isinstance(idea, Idea)
        expected = (
            idea.version,
            idea.status,
            visible_stage(idea.status, measure_status.get(idea.measure_id)),
            idea.title,
            idea.quick_win,
            len(idea.comments),
            len(idea.supporting_departments),
            set(idea.supporting_departments),
            idea.working_group_id,
            idea.measure_id,
            idea.merged_into,
            idea.origin_session_id,
            idea.origin_round_id,
        )
        actual = (
            row.version,
            row.status,
            row.stage,
            row.title,
            row.quick_win,
            row.comment_count,
            row.support_count,
            supports.get(idea_id, set()),
            row.working_group_id,
            row.measure_id,
            row.merged_into,
            row.origin_session_id,
            row.origin_round_id,
        )
        assert actual == expected, idea_id


# -- the test --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lifecycles", "bulk_events"),
    [
        pytest.param(60, 1_300, id="2k"),
        pytest.param(200, 8_000, id="10k", marks=pytest.mark.slow),
    ],
)
def test_rebuilding_the_read_models_from_the_log_reproduces_them_exactly(
    backend: Backend, lifecycles: int, bulk_events: int
) -> None:
    app = backend.build()
    started = time.perf_counter()
    history = CityHistory(app, seed=12)
    history.setup()
    for _ in range(lifecycles):
        history.idea_lifecycle()
    commands_done = time.perf_counter()
    history.bulk(bulk_events)
    written = time.perf_counter()

    projector = app.read_models.projector
    app.read_models.catch_up()
    notifications = app.recorder.select_notifications(start=1, limit=1_000_000)
    assert len(notifications) >= 2_000
    assert projector.position() == notifications[-1].id
    topics = Counter(n.topic.split(":")[-1] for n in notifications)
    assert set(HANDLERS) - set(topics) == set(), "extend CityHistory to the new event types"
    engine = app.read_models.engine
    live = canonical_dump(engine)

    # Not trivially empty: every table this history touches holds rows, the search table
    # one document per idea, rm_activity one row per notification.
    counts = {name: len(rows) for name, rows in live.items()}
    assert {name for name in EXPECTED_FILLED if counts.get(name, 0) == 0} == set()
    assert counts[SEARCH_TABLE] == counts["rm_ideas"] == topics["Idea.Submitted"]
    with engine.connect() as conn:
        positions = list(conn.execute(select(activity.c.position).order_by(activity.c.position)))
    assert [p for (p,) in positions] == [n.id for n in notifications]
    assert_live_model_matches_aggregates(app, engine)

    rebuild_started = time.perf_counter()
    result = projector.rebuild()
    rebuild_seconds = time.perf_counter() - rebuild_started
    assert result.applied == len(notifications)
    assert result.position == notifications[-1].id
    rebuilt = canonical_dump(engine)

    assert rebuilt == live, first_difference(live, rebuilt)
    assert digest(rebuilt) == digest(live)
    print(
        f"\nES-12 [{backend.name}]: {len(notifications)} events "
        f"({commands_done - started:.1f} s through commands for {lifecycles} idea lifecycles, "
        f"{written - commands_done:.1f} s bulk), {len(topics)} event types; rows {counts}; "
        f"rebuild {rebuild_seconds:.1f} s ({len(notifications) / rebuild_seconds:,.0f} events/s); "
        f"sha256 {digest(live)[:16]}"
    )


def _sessions_blocked_by(engine: Engine, pid: int) -> int:
    """How many sessions wait, directly or behind another waiter, for the session `pid`."""
    # A new transaction each time: pg_stat_activity is a snapshot per transaction.
    with engine.connect() as conn:
        return conn.execute(
            text(
                "WITH RECURSIVE chain(pid) AS (SELECT CAST(:pid AS integer) UNION "
                "SELECT a.pid FROM pg_stat_activity a JOIN chain c ON c.pid = ANY("
                "pg_blocking_pids(a.pid))) SELECT count(*) - 1 FROM chain"
            ),
            {"pid": pid},
        ).scalar_one()


@pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_catch_up_waiting_for_the_tracking_lock_survives_a_concurrent_rebuild(
    backend: Backend,
) -> None:
    app = backend.build()
    cast = make_cast(app)
    writer = backend.build()
    writer.read_models = None  # another process's writes, not yet projected here
    for n in range(5):
        writer.submit_idea(cast.member, title=f"Noch nicht projiziert {n}", summary="s")
    projector = app.read_models.projector
    assert projector.is_behind()

    errors: dict[str, BaseException] = {}

    def run(name: str, call: Any) -> threading.Thread:
        def target() -> None:
            try:
                call()
            except BaseException as error:
                errors[name] = error

        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        return thread

    # Hold the tracking row so that the rebuild queues first and a catch-up second.
    holder = projector.engine.connect()
    threads: list[threading.Thread] = []
    try:
        hold = holder.begin()
        holder.execute(text("SELECT position FROM rm_tracking FOR UPDATE"))
        pid = holder.execute(text("SELECT pg_backend_pid()")).scalar_one()
        for name, call in (("rebuild", projector.rebuild), ("catch_up", projector.catch_up)):
            threads.append(run(name, call))
            deadline = time.monotonic() + 10
            while _sessions_blocked_by(projector.engine, pid) < len(threads):
                assert time.monotonic() < deadline, f"{name} never waited for the lock"
                time.sleep(0.02)
        hold.rollback()
        for thread in threads:
            thread.join(timeout=60)
            assert not thread.is_alive()
    finally:
        holder.close()
        for thread in threads:
            thread.join(timeout=60)

    if errors:
        raise next(iter(errors.values()))
    app.read_models.catch_up()
    assert projector.position() == app.recorder.max_notification_id()
