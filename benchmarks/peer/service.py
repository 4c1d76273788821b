"""The peer's operations on its models: one transaction per command, one query per read.

Each command opens a session, loads the row, checks the caller's role, the stage and the
version the caller saw (409 when stale), changes the row and commits; SQLAlchemy's
`version_id_col` refuses a lost update between the check and the commit the same way.
Continuum writes the version rows inside the same transaction. The stage rules and the
quick-win rule are the planner's own tables (imported), so both refuse the same things.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from benchmarks.peer.models import (
    Base,
    Benefit,
    Comment,
    Department,
    GroupMember,
    Idea,
    IdeaVersion,
    Measure,
    MeasureVersion,
    Milestone,
    Person,
    WorkingGroup,
)
from ideation.application.history import EVENT_LABELS, history_kind
from ideation.domain.idea import IDEA_ACTION_STATUSES
from ideation.domain.measure import MEASURE_ACTION_STATUSES
from ideation.domain.rules import is_quick_win
from ideation.domain.stages import STAGE_LABELS

Clock = Callable[[], dt.datetime]

# The content fields of an idea (model name → the API's name) and their diff in the history.
CONTENT_FIELDS = {
    "title": "title",
    "summary": "summary",
    "description": "benefit",
    "themes": "themes",
}
# Columns that are bookkeeping, never shown as a change.
BOOKKEEPING = frozenset(
    {
        "id",
        "version",
        "updated_at",
        "submitted_at",
        "change_kind",
        "changed_by",
        "change_reason",
        "change_note",
        "transaction_id",
        "end_transaction_id",
        "operation_type",
        "comment_count",
        "milestone_count",
        "benefit_count",
    }
)
IDEA_COLUMNS = [c.name for c in Idea.__table__.columns]
MEASURE_COLUMNS = [c.name for c in Measure.__table__.columns]
DECISIONS = {"accept": "Idea.Accepted", "reject": "Idea.Rejected", "park": "Idea.Parked"}
MEASURE_STAGES = {"planned": "accepted", "in_progress": "in_progress"}


class PeerError(Exception):
    """An error the API answers with `status` and `{"error": {...}}`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        current_version: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.current_version = current_version


def token_hash(token: str) -> str:
    """The stored form of an API token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored time as aware UTC (SQLite gives it back naive)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class PeerService:
    """Commands and queries of the peer on one database."""

    def __init__(
        self, engine: Engine, clock: Clock | None = None, *, write_engine: Engine | None = None
    ) -> None:
        self.engine = engine
        self.write_engine = write_engine or engine
        self.clock = clock or _now
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)

    @classmethod
    def connect(cls, database_url: str, *, schema: str | None = None) -> PeerService:
        """The service on a database, with its tables created."""
        from benchmarks.peer import build_engine

        engine = build_engine(database_url, schema=schema)
        writer = (
            build_engine(database_url, immediate=True)
            if engine.dialect.name == "sqlite"
            else engine
        )
        service = cls(engine, write_engine=writer)
        service.create_schema()
        return service

    def dispose(self) -> None:
        self.engine.dispose()
        self.write_engine.dispose()

    def create_schema(self) -> None:
        Base.metadata.create_all(self.engine)

    # -- plumbing -----------------------------------------------------------------------

    @contextmanager
    def _command(self) -> Any:
        """One transaction; a lost update detected by SQLAlchemy is a 409."""
        session = self.write_sessions()
        try:
            with session.begin():
                yield session
        except StaleDataError:
            raise PeerError(
                409, "conflict", "Inzwischen wurde etwas geändert. Bitte neu laden."
            ) from None
        finally:
            session.close()

    @staticmethod
    def _person(session: Session, person_id: UUID) -> Person:
        person = session.get(Person, person_id)
        if person is None:
            raise PeerError(403, "forbidden", "Diese Person ist nicht bekannt.")
        return person

    @staticmethod
    def _require(person: Person, *roles: str) -> None:
        if not any(role in person.roles for role in roles):
            raise PeerError(403, "forbidden", "Ihre Rolle erlaubt das nicht.")

    @staticmethod
    def _in_group(session: Session, person: Person, group_id: UUID | None) -> bool:
        if group_id is None or "group_member" not in person.roles:
            return False
        return session.get(GroupMember, (group_id, person.id)) is not None

    @staticmethod
    def _idea(session: Session, idea_id: UUID, expected_version: int | None = None) -> Idea:
        idea = session.get(Idea, idea_id)
        if idea is None:
            raise PeerError(404, "not_found", "Die Idee wurde nicht gefunden.")
        if expected_version is not None and idea.version != expected_version:
            raise PeerError(
                409,
                "conflict",
                f"Inzwischen wurde etwas geändert (Version {expected_version} → "
                f"{idea.version}). Bitte neu laden.",
                current_version=idea.version,
            )
        return idea

    @staticmethod
    def _stage_allows(idea: Idea, action: str) -> None:
        if idea.status not in IDEA_ACTION_STATUSES[action]:
            raise PeerError(
                422, "rule_violation", f"Im Stand „{idea.status}“ ist „{action}“ nicht möglich."
            )

    def _touch(
        self,
        row: Idea | Measure,
        kind: str,
        person: Person,
        now: dt.datetime,
        reason: str | None = None,
        note: str | None = None,
    ) -> None:
        row.updated_at = now
        row.change_kind = kind
        row.changed_by = person.id
        row.change_reason = reason
        row.change_note = note

    # -- cast ----------------------------------------------------------------------------

    def add_department(self, name: str, short_name: str, kind: str) -> UUID:
        with self._command() as s:
            department = Department(id=uuid4(), name=name, short_name=short_name, kind=kind)
            s.add(department)
        return department.id

    def add_person(
        self,
        display_name: str,
        email: str,
        department_id: UUID,
        roles: Sequence[str],
        token: str | None = None,
    ) -> UUID:
        with self._command() as s:
            person = Person(
                id=uuid4(),
                display_name=display_name,
                email=email,
                department_id=department_id,
                roles=list(roles),
                token_hash=token_hash(token) if token else None,
            )
            s.add(person)
        return person.id

    def form_group(
        self, name: str, mandate: str, lead_department_id: UUID, members: Sequence[UUID]
    ) -> UUID:
        with self._command() as s:
            group = WorkingGroup(
                id=uuid4(), name=name, mandate=mandate, lead_department_id=lead_department_id
            )
            s.add(group)
            s.flush()
            s.add_all(GroupMember(group_id=group.id, person_id=p) for p in members)
        return group.id

    def person_for_token(self, token: str) -> Person | None:
        with self.sessions() as s:
            return s.scalars(
                sa.select(Person).where(Person.token_hash == token_hash(token))
            ).one_or_none()

    # -- idea commands -------------------------------------------------------------------

    def submit_idea(
        self,
        actor_id: UUID,
        *,
        title: str,
        summary: str,
        description: str = "",
        themes: Sequence[str] = (),
        origin: str = "",
    ) -> UUID:
        with self._command() as s:
            person = self._person(s, actor_id)
            self._require(person, "member")
            now = self.clock()
            idea = Idea(
                id=uuid4(),
                title=title.strip(),
                summary=summary.strip(),
                description=description.strip(),
                themes=list(dict.fromkeys(t.strip() for t in themes if t.strip())),
                origin=origin,
                department_id=person.department_id,
                submitted_by=person.id,
                status="submitted",
                supporters=[],
                comment_count=0,
                quick_win=False,
                decision_reason="",
                submitted_at=now,
            )
            self._touch(idea, "Idea.Submitted", person, now)
            s.add(idea)
        return idea.id

    def revise_idea(
        self,
        actor_id: UUID,
        idea_id: UUID,
        expected_version: int,
        changes: dict[str, Any],
        note: str = "",
    ) -> None:
        with self._command() as s:
            person = self._person(s, actor_id)
            idea = self._idea(s, idea_id, expected_version)
            if not (
                ("member" in person.roles and person.department_id == idea.department_id)
                or self._in_group(s, person, idea.working_group_id)
            ):
                raise PeerError(403, "forbidden", "Ihre Rolle erlaubt das nicht.")
            self._stage_allows(idea, "revise")
            real = {k: v for k, v in changes.items() if getattr(idea, k) != v}
            if not real:
                raise PeerError(422, "rule_violation", "Es wurde nichts geändert.")
            for name, value in real.items():
                setattr(idea, name, list(value) if name == "themes" else value)
            self._touch(idea, "Idea.Revised", person, self.clock(), note=note)

    def comment_on_idea(
        self,
        actor_id: UUID,
        idea_id: UUID,
        expected_version: int,
        text: str,
        reply_to: UUID | None = None,
    ) -> UUID:
        with self._command() as s:
            person = self._person(s, actor_id)
            self._require(person, "member", "group_member", "coordinator")
            idea = self._idea(s, idea_id, expected_version)
            if reply_to is not None and s.get(Comment, reply_to) is None:
                raise PeerError(422, "validation", "Der Kommentar fehlt.", fields={"reply_to": []})
            now = self.clock()
            comment = Comment(
                id=uuid4(),
                idea_id=idea.id,
                position=idea.comment_count,
                text=text.strip(),
                reply_to=reply_to,
                person_id=person.id,
                written_at=now,
            )
            s.add(comment)
            idea.comment_count += 1
            self._touch(idea, "Idea.Commented", person, now)
        return comment.id

    def pledge_support(
        self, actor_id: UUID, idea_id: UUID, expected_version: int, note: str = ""
    ) -> None:
        with self._command() as s:
            person = self._person(s, actor_id)
            self._require(person, "member")
            idea = self._idea(s, idea_id, expected_version)
            self._stage_allows(idea, "pledge_support")
            department = str(person.department_id)
            if person.department_id == idea.department_id or department in idea.supporters:
                raise PeerError(422, "rule_violation", "Der Fachbereich wirkt bereits mit.")
            idea.supporters = [*idea.supporters, department]
            self._touch(idea, "Idea.SupportPledged", person, self.clock(), note=note)

    def assess_idea(
        self,
        actor_id: UUID,
        idea_id: UUID,
        expected_version: int,
        *,
        impact: int,
        effort: int,
        expected_weeks: int,
        rationale: str,
    ) -> None:
        with self._command() as s:
            person = self._person(s, actor_id)
            self._require(person, "coordinator")
            idea = self._idea(s, idea_id, expected_version)
            self._stage_allows(idea, "assess")
            idea.impact, idea.effort, idea.expected_weeks = impact, effort, expected_weeks
            idea.rationale = rationale.strip()
            idea.quick_win = is_quick_win(impact, effort, expected_weeks)
            if idea.status == "submitted":
                idea.status = "in_review"
            self._touch(idea, "Idea.Assessed", person, self.clock())

    def assign_idea(
        self, actor_id: UUID, idea_id: UUID, expected_version: int, working_group_id: UUID
    ) -> None:
        with self._command() as s:
            person = self._person(s, actor_id)
            self._require(person, "coordinator")
            if s.get(WorkingGroup, working_group_id) is None:
                raise PeerError(404, "not_found", "Die Arbeitsgruppe wurde nicht gefunden.")
            idea = self._idea(s, idea_id, expected_version)
            self._stage_allows(idea, "assign_to_working_group")
            idea.working_group_id = working_group_id
            idea.status = "in_working_group"
            self._touch(idea, "Idea.AssignedToWorkingGroup", person, self.clock())

    def recommend(
        self, actor_id: UUID, idea_id: UUID, expected_version: int, outcome: str, reasoning: str
    ) -> None:
        with self._command() as s:
            person = self._person(s, actor_id)
            idea = self._idea(s, idea_id, expected_version)
            if not self._in_group(s, person, idea.working_group_id):
                raise PeerError(403, "forbidden", "Nur Mitglieder der Arbeitsgruppe.")
            self._stage_allows(idea, "recommend")
            idea.recommendation_outcome = outcome
            idea.recommendation_reasoning = reasoning.strip()
            self._touch(idea, "Idea.Recommended", person, self.clock(), reason=reasoning.strip())

    def decide(
        self,
        actor_id: UUID,
        idea_id: UUID,
        expected_version: int,
        outcome: str,
        reason: str,
        owner_department_id: UUID | None = None,
    ) -> UUID | None:
        """Accept (planning the measure in the same transaction), reject or park an idea."""
        if outcome not in DECISIONS:
            raise PeerError(422, "validation", "Unbekannte Entscheidung.", fields={"outcome": []})
        if not reason.strip():
            raise PeerError(422, "validation", "Bitte begründen.", fields={"reason": []})
        with self._command() as s:
            person = self._person(s, actor_id)
            self._require(person, "coordinator")
            idea = self._idea(s, idea_id, expected_version)
            self._stage_allows(idea, outcome)
            now = self.clock()
            reason = reason.strip()
            idea.decision_reason = reason
            measure_id = None
            if outcome == "accept":
                idea.status = "accepted"
                measure_id = uuid4()
                idea.measure_id = measure_id
                measure = Measure(
                    id=measure_id,
                    idea_id=idea.id,
                    working_group_id=idea.working_group_id,
                    owner_department_id=owner_department_id or idea.department_id,
                    title=idea.title,
                    quick_win=idea.quick_win,
                    status="planned",
                    approach="",
                    progress=0,
                    progress_note="",
                    milestone_count=0,
                    benefit_count=0,
                    outcome="",
                )
                self._touch(measure, "Measure.Planned", person, now)
                s.add(measure)
            else:
                idea.status = {"reject": "rejected", "park": "parked"}[outcome]
            self._touch(idea, DECISIONS[outcome], person, now, reason=reason)
        return measure_id

    # -- measure commands ----------------------------------------------------------------

    def _measure_change(
        self,
        actor_id: UUID,
        measure_id: UUID,
        expected_version: int,
        action: str,
        kind: str,
        apply: Callable[[Session, Measure, dt.datetime], Any],
    ) -> Any:
        with self._command() as s:
            person = self._person(s, actor_id)
            measure = s.get(Measure, measure_id)
            if measure is None:
                raise PeerError(404, "not_found", "Die Maßnahme wurde nicht gefunden.")
            if not (
                self._in_group(s, person, measure.working_group_id)
                or (
                    "member" in person.roles and person.department_id == measure.owner_department_id
                )
            ):
                raise PeerError(403, "forbidden", "Ihre Rolle erlaubt das nicht.")
            if measure.version != expected_version:
                raise PeerError(
                    409, "conflict", "Inzwischen geändert.", current_version=measure.version
                )
            if measure.status not in MEASURE_ACTION_STATUSES[action]:
                raise PeerError(
                    422, "rule_violation", f"Im Stand „{measure.status}“ nicht möglich."
                )
            now = self.clock()
            result = apply(s, measure, now)
            self._touch(measure, kind, person, now)
            return result

    def set_goal(
        self,
        actor_id: UUID,
        measure_id: UUID,
        expected_version: int,
        *,
        statement: str,
        indicator: str,
        target: str,
    ) -> None:
        def apply(_s: Session, m: Measure, _now: dt.datetime) -> None:
            m.goal_statement, m.goal_indicator, m.goal_target = statement, indicator, target

        self._measure_change(
            actor_id, measure_id, expected_version, "set_goal", "Measure.GoalSet", apply
        )

    def add_milestone(
        self, actor_id: UUID, measure_id: UUID, expected_version: int, title: str, due_on: dt.date
    ) -> UUID:
        def apply(s: Session, m: Measure, _now: dt.datetime) -> UUID:
            milestone = Milestone(id=uuid4(), measure_id=m.id, title=title, due_on=due_on)
            s.add(milestone)
            m.milestone_count += 1
            return milestone.id

        return self._measure_change(
            actor_id, measure_id, expected_version, "add_milestone", "Measure.MilestoneAdded", apply
        )

    def reach_milestone(
        self,
        actor_id: UUID,
        measure_id: UUID,
        expected_version: int,
        milestone_id: UUID,
        reached_on: dt.date,
    ) -> None:
        def apply(s: Session, m: Measure, _now: dt.datetime) -> None:
            milestone = s.get(Milestone, milestone_id)
            if milestone is None or milestone.measure_id != m.id:
                raise PeerError(422, "rule_violation", "Diesen Meilenstein gibt es nicht.")
            milestone.reached_on = reached_on

        self._measure_change(
            actor_id,
            measure_id,
            expected_version,
            "reach_milestone",
            "Measure.MilestoneReached",
            apply,
        )

    def report_progress(
        self, actor_id: UUID, measure_id: UUID, expected_version: int, percent: int, note: str = ""
    ) -> None:
        def apply(_s: Session, m: Measure, _now: dt.datetime) -> None:
            m.progress, m.progress_note, m.status = percent, note, "in_progress"

        self._measure_change(
            actor_id,
            measure_id,
            expected_version,
            "report_progress",
            "Measure.ProgressReported",
            apply,
        )

    def implement_measure(
        self,
        actor_id: UUID,
        measure_id: UUID,
        expected_version: int,
        implemented_on: dt.date,
        outcome: str,
    ) -> None:
        def apply(_s: Session, m: Measure, _now: dt.datetime) -> None:
            m.implemented_on, m.outcome = implemented_on, outcome
            m.progress, m.status = 100, "implemented"

        self._measure_change(
            actor_id, measure_id, expected_version, "implement", "Measure.Implemented", apply
        )

    def record_benefit(
        self,
        actor_id: UUID,
        measure_id: UUID,
        expected_version: int,
        department_id: UUID,
        description: str,
    ) -> None:
        def apply(s: Session, m: Measure, now: dt.datetime) -> None:
            s.add(
                Benefit(
                    id=uuid4(),
                    measure_id=m.id,
                    department_id=department_id,
                    description=description,
                    recorded_at=now,
                )
            )
            m.benefit_count += 1

        self._measure_change(
            actor_id,
            measure_id,
            expected_version,
            "record_benefit",
            "Measure.BenefitRecorded",
            apply,
        )

    # -- queries -------------------------------------------------------------------------

    def get_idea(self, idea_id: UUID) -> dict[str, Any]:
        """The idea as the API shows it (with its comments and its measure's stage)."""
        with self.sessions() as s:
            row = s.execute(
                sa.select(Idea, Measure.status)
                .outerjoin(Measure, Measure.id == Idea.measure_id)
                .where(Idea.id == idea_id)
            ).one_or_none()
            if row is None:
                raise PeerError(404, "not_found", "Die Idee wurde nicht gefunden.")
            idea, measure_status = row
            comments = s.scalars(
                sa.select(Comment).where(Comment.idea_id == idea_id).order_by(Comment.position)
            ).all()
        stage = _stage(idea.status, measure_status)
        return {
            "id": idea.id,
            "version": idea.version,
            "title": idea.title,
            "summary": idea.summary,
            "benefit": idea.description,
            "themes": list(idea.themes),
            "origin": idea.origin,
            "department_id": idea.department_id,
            "submitted_by": idea.submitted_by,
            "stage": _api_stage(idea.status, stage),
            "stage_label": STAGE_LABELS[stage],
            "status": idea.status,
            "quick_win": idea.quick_win,
            "quick_win_overridden": False,
            "assessment": None
            if idea.impact is None
            else {
                "impact": idea.impact,
                "effort": idea.effort,
                "expected_weeks": idea.expected_weeks,
                "rationale": idea.rationale,
            },
            "supporters": [UUID(d) for d in idea.supporters],
            "comments": [
                {
                    "id": c.id,
                    "text": c.text,
                    "reply_to": c.reply_to,
                    "person_id": c.person_id,
                    "written_at": utc(c.written_at),
                }
                for c in comments
            ],
            "working_group_id": idea.working_group_id,
            "recommendation": None
            if idea.recommendation_outcome is None
            else {
                "outcome": idea.recommendation_outcome,
                "reasoning": idea.recommendation_reasoning,
            },
            "measure_id": idea.measure_id,
            "merged_into": None,
            "decision_reason": idea.decision_reason,
            "submitted_at": utc(idea.submitted_at),
            "updated_at": utc(idea.updated_at),
        }

    def list_ideas(
        self,
        *,
        after: tuple[dt.datetime, UUID] | None = None,
        limit: int = 50,
        stage: str | None = None,
        department_id: UUID | None = None,
        quick_win: bool | None = None,
        working_group_id: UUID | None = None,
        text: str | None = None,
    ) -> list[dict[str, Any]]:
        """Ideas in submission order, filtered; `text` is a case-insensitive substring."""
        query = sa.select(Idea, Measure.status).outerjoin(Measure, Measure.id == Idea.measure_id)
        if stage is not None:
            if stage == "accepted":
                query = query.where(Idea.status == "accepted")
            elif stage in ("planned", "in_progress", "implemented", "cancelled"):
                query = query.where(Idea.status == "accepted", Measure.status == stage)
            else:
                query = query.where(Idea.status == stage)
        if department_id is not None:
            query = query.where(Idea.department_id == department_id)
        if quick_win is not None:
            query = query.where(Idea.quick_win == quick_win)
        if working_group_id is not None:
            query = query.where(Idea.working_group_id == working_group_id)
        if text:
            pattern = f"%{text}%"
            query = query.where(sa.or_(Idea.title.ilike(pattern), Idea.summary.ilike(pattern)))
        if after is not None:
            query = query.where(sa.tuple_(Idea.submitted_at, Idea.id) > sa.tuple_(*after))
        query = query.order_by(Idea.submitted_at, Idea.id).limit(limit)
        with self.sessions() as s:
            rows = s.execute(query).all()
        items = []
        for idea, measure_status in rows:
            stage_key = _stage(idea.status, measure_status)
            items.append(
                {
                    "id": idea.id,
                    "version": idea.version,
                    "title": idea.title,
                    "summary": idea.summary,
                    "themes": list(idea.themes),
                    "department_id": idea.department_id,
                    "stage": _api_stage(idea.status, stage_key),
                    "stage_label": STAGE_LABELS[stage_key],
                    "quick_win": idea.quick_win,
                    "support_count": len(idea.supporters),
                    "working_group_id": idea.working_group_id,
                    "measure_id": idea.measure_id,
                    "submitted_at": utc(idea.submitted_at),
                    "updated_at": utc(idea.updated_at),
                }
            )
        return items

    def idea_history(self, idea_id: UUID) -> list[dict[str, Any]]:
        """Every version of the idea and of its measure, read from Continuum's version
        tables (one query each), with the fields that changed from the version before."""
        with self.sessions() as s:
            idea_rows = s.execute(
                sa.select(*[IdeaVersion.__table__.c[name] for name in IDEA_COLUMNS])
                .where(IdeaVersion.id == idea_id)
                .order_by(IdeaVersion.transaction_id)
            ).all()
            if not idea_rows:
                raise PeerError(404, "not_found", "Die Idee wurde nicht gefunden.")
            measure_id = idea_rows[-1].measure_id
            measure_rows = (
                s.execute(
                    sa.select(*[MeasureVersion.__table__.c[name] for name in MEASURE_COLUMNS])
                    .where(MeasureVersion.id == measure_id)
                    .order_by(MeasureVersion.transaction_id)
                ).all()
                if measure_id is not None
                else []
            )
            comments = {
                c.position: c
                for c in s.scalars(sa.select(Comment).where(Comment.idea_id == idea_id))
            }
            actor_ids = {r.changed_by for r in (*idea_rows, *measure_rows)}
            people = {p.id: p for p in s.scalars(sa.select(Person).where(Person.id.in_(actor_ids)))}
            department_ids = {p.department_id for p in people.values()}
            departments = {
                d.id: d.name
                for d in s.scalars(sa.select(Department).where(Department.id.in_(department_ids)))
            }
        entries = _entries("Idea", idea_rows, people, departments, comments)
        entries += _entries("Measure", measure_rows, people, departments, {})
        order = {"Idea": 0, "Measure": 2}
        entries.sort(key=lambda e: (e["occurred_at"], order[e["aggregate"]], e["version"]))
        return entries


def _stage(status: str, measure_status: str | None) -> str:
    """The read-model stage key (an accepted idea shows its measure's stage)."""
    if status == "accepted" and measure_status is not None:
        return MEASURE_STAGES.get(measure_status, measure_status)
    return status


def _api_stage(status: str, stage: str) -> str:
    return "planned" if status == "accepted" and stage == "accepted" else stage


def _entries(
    aggregate: str,
    rows: Sequence[Any],
    people: dict[UUID, Person],
    departments: dict[UUID, str],
    comments: dict[int, Comment],
) -> list[dict[str, Any]]:
    entries = []
    before = None
    for row in rows:
        state = row._asdict()
        changes, details = [], {}
        if before is not None:
            for name, value in state.items():
                if name in BOOKKEEPING or before[name] == value:
                    continue
                if aggregate == "Idea" and name in CONTENT_FIELDS:
                    changes.append(
                        {"field": CONTENT_FIELDS[name], "old": before[name], "new": value}
                    )
                else:
                    details[name] = value
        if state["change_kind"] == "Idea.Commented":
            comment = comments.get(state["comment_count"] - 1)
            if comment is not None:
                details = {"text": comment.text, "reply_to": comment.reply_to}
        person = people.get(state["changed_by"])
        kind = state["change_kind"]
        entries.append(
            {
                "occurred_at": utc(state["updated_at"]),
                "aggregate": aggregate,
                "aggregate_id": state["id"],
                "version": state["version"],
                "type": kind,
                "label": EVENT_LABELS.get(kind, (kind, kind))[1],
                "kind": history_kind(kind),
                "actor": {
                    "id": person.id if person else None,
                    "name": person.display_name if person else "",
                    "department": departments.get(person.department_id) if person else None,
                    "department_id": person.department_id if person else None,
                    "role": _role(person),
                },
                "reason": state["change_reason"],
                "changes": changes,
                "details": details,
            }
        )
        before = state
    return entries


def _role(person: Person | None) -> str | None:
    if person is None:
        return None
    for role in ("coordinator", "group_member", "member"):
        if role in person.roles:
            return role
    return person.roles[0] if person.roles else None
