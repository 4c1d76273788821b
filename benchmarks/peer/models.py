"""The peer's tables: SQLAlchemy ORM models, ideas and measures versioned by Continuum.

What a Flask team would write: one row per idea and per measure holding the current state,
an integer `version` column that SQLAlchemy checks on every UPDATE (`version_id_col`, so a
lost update raises StaleDataError), and SQLAlchemy-Continuum recording every committed state
of an idea or a measure in `peer_idea_version` / `peer_measure_version` (one row per
transaction, the `transaction` table holding when). `change_kind`, `changed_by` and
`change_reason` say which action made a version and who did it: Continuum copies them into
each version row, so the history reads them from there. Comments, milestones and benefits
are plain child rows; adding one also bumps the idea's or the measure's version.

Indexes: the list's sort key (submitted_at, id), every filter column (status, department,
working group, quick win), foreign keys used in lookups, the token hash; Continuum adds its
own (transaction id, end transaction id, operation type) on the version tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, configure_mappers, mapped_column
from sqlalchemy_continuum import make_versioned, version_class

# Must run before the versioned models are declared (Continuum hooks the mappers).
make_versioned(user_cls=None)

UTC_NOW_TYPE = sa.DateTime(timezone=True)


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy's class-level setting
        dict[str, Any]: sa.JSON,
        list[str]: sa.JSON,
        dt.datetime: UTC_NOW_TYPE,
    }


class Department(Base):
    __tablename__ = "peer_department"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    short_name: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[str] = mapped_column(sa.String(40))


class Person(Base):
    __tablename__ = "peer_person"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(320), unique=True)
    department_id: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_department.id"), index=True)
    roles: Mapped[list[str]]
    # SHA-256 of the person's API token (hex), looked up on every request.
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)


class WorkingGroup(Base):
    __tablename__ = "peer_working_group"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    mandate: Mapped[str] = mapped_column(sa.Text)
    lead_department_id: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_department.id"))


class GroupMember(Base):
    __tablename__ = "peer_group_member"

    group_id: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_working_group.id"), primary_key=True)
    person_id: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_person.id"), primary_key=True)


class Idea(Base):
    __tablename__ = "peer_idea"
    __versioned__: dict[str, Any] = {}  # noqa: RUF012 - Continuum's marker

    id: Mapped[UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str] = mapped_column(sa.Text)
    themes: Mapped[list[str]]
    origin: Mapped[str] = mapped_column(sa.String(200), default="")
    department_id: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_department.id"), index=True)
    submitted_by: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_person.id"))
    status: Mapped[str] = mapped_column(sa.String(30), index=True)
    supporters: Mapped[list[str]]
    comment_count: Mapped[int] = mapped_column(default=0)
    impact: Mapped[int | None]
    effort: Mapped[int | None]
    expected_weeks: Mapped[int | None]
    rationale: Mapped[str | None] = mapped_column(sa.Text)
    quick_win: Mapped[bool] = mapped_column(default=False, index=True)
    working_group_id: Mapped[UUID | None] = mapped_column(
        sa.ForeignKey("peer_working_group.id"), index=True
    )
    recommendation_outcome: Mapped[str | None] = mapped_column(sa.String(20))
    recommendation_reasoning: Mapped[str | None] = mapped_column(sa.Text)
    measure_id: Mapped[UUID | None]
    decision_reason: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    # What made this version (copied into every version row by Continuum).
    change_kind: Mapped[str] = mapped_column(sa.String(40))
    changed_by: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_person.id"))
    change_reason: Mapped[str | None] = mapped_column(sa.Text)
    change_note: Mapped[str | None] = mapped_column(sa.Text)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (sa.Index("ix_peer_idea_list", "submitted_at", "id"),)


class Comment(Base):
    __tablename__ = "peer_comment"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    idea_id: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_idea.id"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    reply_to: Mapped[UUID | None]
    person_id: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_person.id"))
    written_at: Mapped[dt.datetime]

    __table_args__ = (sa.UniqueConstraint("idea_id", "position", name="uq_peer_comment_pos"),)


class Measure(Base):
    __tablename__ = "peer_measure"
    __versioned__: dict[str, Any] = {}  # noqa: RUF012

    id: Mapped[UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(nullable=False)
    idea_id: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_idea.id"), unique=True)
    working_group_id: Mapped[UUID] = mapped_column(
        sa.ForeignKey("peer_working_group.id"), index=True
    )
    owner_department_id: Mapped[UUID] = mapped_column(
        sa.ForeignKey("peer_department.id"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    quick_win: Mapped[bool]
    status: Mapped[str] = mapped_column(sa.String(30), index=True)
    goal_statement: Mapped[str | None] = mapped_column(sa.Text)
    goal_indicator: Mapped[str | None] = mapped_column(sa.String(500))
    goal_target: Mapped[str | None] = mapped_column(sa.String(200))
    approach: Mapped[str] = mapped_column(sa.Text, default="")
    progress: Mapped[int] = mapped_column(default=0)
    progress_note: Mapped[str] = mapped_column(sa.Text, default="")
    milestone_count: Mapped[int] = mapped_column(default=0)
    benefit_count: Mapped[int] = mapped_column(default=0)
    implemented_on: Mapped[dt.date | None]
    outcome: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[dt.datetime]
    change_kind: Mapped[str] = mapped_column(sa.String(40))
    changed_by: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_person.id"))
    change_reason: Mapped[str | None] = mapped_column(sa.Text)
    change_note: Mapped[str | None] = mapped_column(sa.Text)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Milestone(Base):
    __tablename__ = "peer_milestone"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    measure_id: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_measure.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    due_on: Mapped[dt.date]
    reached_on: Mapped[dt.date | None]


class Benefit(Base):
    __tablename__ = "peer_benefit"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    measure_id: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_measure.id"), index=True)
    department_id: Mapped[UUID] = mapped_column(sa.ForeignKey("peer_department.id"))
    description: Mapped[str] = mapped_column(sa.Text)
    recorded_at: Mapped[dt.datetime]


configure_mappers()  # builds Continuum's version classes and tables
IdeaVersion = version_class(Idea)
MeasureVersion = version_class(Measure)
