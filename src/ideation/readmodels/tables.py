"""Read-model tables: derived from the event log, disposable, rebuilt when their schema changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    Uuid,
)
from sqlalchemy.engine import Dialect


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on both databases (SQLite stores them naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# Bump whenever a table below changes: start-up then drops and rebuilds every read model
# from the event log (our documented equivalent of a migration; the event store is untouched).
# A new index alone needs no bump: start-up creates the indexes a table is missing.
SCHEMA_VERSION = 5

# The tracking row of the one projection that maintains every table below.
PROJECTION_NAME = "planner"

metadata = MetaData()

tracking = Table(
    "rm_tracking",
    metadata,
    Column("name", String(50), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

meta = Table(
    "rm_meta",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("value", String(200), nullable=False),
)

ideas = Table(
    "rm_ideas",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("version", Integer, nullable=False),
    # The position of the idea's submission: a stable integer key for its search row.
    Column("search_key", BigInteger, nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("summary", String(500), nullable=False),
    Column("department_id", Uuid, nullable=False, index=True),
    Column("submitted_by", Uuid, nullable=False),
    Column("status", String(30), nullable=False, index=True),
    Column("stage", String(30), nullable=False),
    Column("quick_win", Boolean, nullable=False, index=True),
    Column("quick_win_override", Boolean, nullable=True),
    Column("impact", Integer, nullable=True),
    Column("effort", Integer, nullable=True),
    Column("expected_weeks", Integer, nullable=True),
    Column("support_count", Integer, nullable=False),
    Column("comment_count", Integer, nullable=False),
    Column("working_group_id", Uuid, nullable=True, index=True),
    Column("measure_id", Uuid, nullable=True),
    Column("merged_into", Uuid, nullable=True),
    Column("submitted_at", UTCDateTime(), nullable=False, index=True),
    Column("updated_at", UTCDateTime(), nullable=False, index=True),
    Column("decided_at", UTCDateTime(), nullable=True),
    # Where the idea came from (issue 8): an exchange format session or a political round.
    Column("origin_session_id", Uuid, nullable=True, index=True),
    Column("origin_round_id", Uuid, nullable=True, index=True),
    # The idea list filtered by stage, newest change first, reads this index in order (B3).
    Index("ix_rm_ideas_stage_updated_at", "stage", "updated_at"),
)

idea_themes = Table(
    "rm_idea_themes",
    metadata,
    Column("idea_id", Uuid, primary_key=True),
    Column("theme", String(60), primary_key=True, index=True),
)

idea_supports = Table(
    "rm_idea_supports",
    metadata,
    Column("idea_id", Uuid, primary_key=True),
    Column("department_id", Uuid, primary_key=True, index=True),
    Column("pledged_at", UTCDateTime(), nullable=False),
)

comments = Table(
    "rm_comments",
    metadata,
    Column("idea_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("comment_id", Uuid, nullable=False),
    Column("text", Text, nullable=False),
    Column("person_id", Uuid, nullable=False),
    Column("written_at", UTCDateTime(), nullable=False),
)

measures = Table(
    "rm_measures",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("idea_id", Uuid, nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("working_group_id", Uuid, nullable=False, index=True),
    Column("owner_department_id", Uuid, nullable=False, index=True),
    Column("quick_win", Boolean, nullable=False),
    Column("status", String(30), nullable=False, index=True),
    Column("progress", Integer, nullable=False),
    Column("blocked", Boolean, nullable=False),
    Column("goals_count", Integer, nullable=False),
    Column("next_milestone_title", String(200), nullable=True),
    Column("next_milestone_due", Date, nullable=True),
    Column("implemented_on", Date, nullable=True),
    Column("implemented_at", UTCDateTime(), nullable=True),
    Column("planned_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

milestones = Table(
    "rm_milestones",
    metadata,
    Column("milestone_id", Uuid, primary_key=True),
    Column("measure_id", Uuid, nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("reached_on", Date, nullable=True),
)

benefits = Table(
    "rm_benefits",
    metadata,
    Column("measure_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("department_id", Uuid, nullable=False, index=True),
    Column("description", Text, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

working_groups = Table(
    "rm_working_groups",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("lead_department_id", Uuid, nullable=False),
    Column("status", String(30), nullable=False),
    Column("members_count", Integer, nullable=False),
    Column("formed_at", UTCDateTime(), nullable=False),
)

group_members = Table(
    "rm_group_members",
    metadata,
    Column("working_group_id", Uuid, primary_key=True),
    Column("person_id", Uuid, primary_key=True, index=True),
)

departments = Table(
    "rm_departments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("short_name", String(30), nullable=False),
    Column("kind", String(30), nullable=False),
)

people = Table(
    "rm_people",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("department_id", Uuid, nullable=False, index=True),
    Column("active", Boolean, nullable=False),
    Column("roles", String(200), nullable=False),  # space-separated role codes
)

activity = Table(
    "rm_activity",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("occurred_at", UTCDateTime(), nullable=False, index=True),
    Column("aggregate_type", String(50), nullable=False, index=True),
    Column("aggregate_id", Uuid, nullable=False, index=True),
    Column("aggregate_version", Integer, nullable=False),
    Column("event_type", String(80), nullable=False, index=True),
    Column("actor_person_id", Uuid, nullable=True, index=True),
    Column("actor_department_id", Uuid, nullable=True, index=True),
    Column("actor_role", String(30), nullable=True),
    Column("reason", Text, nullable=True),
    # What a decision decided, where the event type alone does not say it: a recommendation's
    # outcome, the role granted or revoked, "quick_win"/"no_quick_win" (audit register).
    Column("outcome", String(30), nullable=True),
    # The other object a decision names: the merge target, the accepted idea's measure, the
    # recommending working group.
    Column("related_id", Uuid, nullable=True),
)

# -- cooperation (issue 8) -------------------------------------------------------------

exchange_sessions = Table(
    "rm_exchange_sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("kind", String(30), nullable=False, index=True),
    Column("status", String(30), nullable=False, index=True),
    Column("scheduled_on", Date, nullable=False, index=True),
    Column("held_on", Date, nullable=True),
    Column("topic", String(200), nullable=False),
    Column("host_person_id", Uuid, nullable=False),
    Column("round_department_id", Uuid, nullable=True),
    Column("participant_count", Integer, nullable=False),
    Column("needs_count", Integer, nullable=False),
    Column("planned_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Departments invited to and taking part in a session (one row per pair).
session_departments = Table(
    "rm_session_departments",
    metadata,
    Column("session_id", Uuid, primary_key=True),
    Column("department_id", Uuid, primary_key=True, index=True),
    Column("invited", Boolean, nullable=False),
    Column("participated", Boolean, nullable=False),
)

pilots = Table(
    "rm_pilots",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("person_id", Uuid, nullable=False, unique=True),
    Column("status", String(30), nullable=False, index=True),
    Column("session_id", Uuid, nullable=True, index=True),
    Column("reason", Text, nullable=False),
    Column("nominated_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

factions = Table(
    "rm_factions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("short_name", String(30), nullable=False),
    Column("status", String(30), nullable=False),
)

political_rounds = Table(
    "rm_political_rounds",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("status", String(30), nullable=False, index=True),
    Column("scheduled_on", Date, nullable=False, index=True),
    Column("held_on", Date, nullable=True, index=True),
    Column("title", String(200), nullable=False),
    Column("questions_count", Integer, nullable=False),
    Column("suggestions_count", Integer, nullable=False),
    Column("adopted_count", Integer, nullable=False),
    Column("planned_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Factions invited to and attending a round (one row per pair).
round_factions = Table(
    "rm_round_factions",
    metadata,
    Column("round_id", Uuid, primary_key=True),
    Column("faction_id", Uuid, primary_key=True, index=True),
    Column("invited", Boolean, nullable=False),
    Column("attended", Boolean, nullable=False),
)

# The alliance of the willing: one row per act of engagement of a department, dated in
# Berlin time, so any period's ranking is one GROUP BY (readmodels/alliance.py).
ENGAGEMENT_KINDS = (
    "ideas_submitted",
    "supports_pledged",
    "group_seats",
    "sessions_attended",
    "measures_owned",
    "benefits_received",
)
engagement = Table(
    "rm_engagement",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("department_id", Uuid, primary_key=True, index=True),
    Column("kind", String(30), primary_key=True),
    Column("occurred_on", Date, nullable=False, index=True),
)

# The hash chain over the stored event records (tamper evidence, readmodels/chain.py): one
# link per record, in notification order, appended in the projector's batch transaction.
chain = Table(
    "rm_chain",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("link", String(64), nullable=False),  # SHA-256, hex
    Column("record", String(64), nullable=False),  # SHA-256 of the record alone, hex
    Column("occurred_at", UTCDateTime(), nullable=False),
)

# Tables that hold projected state (everything but the bookkeeping tables).
PROJECTED_TABLES = [t for t in metadata.sorted_tables if t.name not in ("rm_tracking", "rm_meta")]
