"""SEC-8 output encoding: a payload corpus stored in every text field is inert on every view.

The corpus goes in through the application's commands (the same checks the forms and the API
run), one tagged value per field: ⟦field piece⟧ followed by as many payloads as the field holds,
split into pieces where a field is shorter than the corpus. A crawl of every GET route with the
Flask test client (every real id, every page of a list) finds which view shows which field;
`INVENTORY` and `EXPORTED` must list exactly that, and every page's source is checked. Every
field of a GET form must be in `REFLECTED`, the query parameters tried for echoes.

Chromium then opens pages that together show every (field × view) pair, the pages that echo a
query parameter, two posted forms shown again and the hints the submit form fetches while one
types. CSP is bypassed, so the escaping alone is tested (the policy would stop an inline
script too), a dialog handler records any `alert`, and every tagged value must appear whole as
literal text (in text, attribute values or field values): a view that hid or mangled the data
fails. A control test shows that each payload does run in its place when left unescaped.

Left out: the PDF exports (rendered by WeasyPrint, which runs no scripts); usernames (only
[a-z0-9._-]). No field holds a URL: every link target comes from `url_for`, and the browser
check counts `javascript:` URLs in attributes anyway.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from uuid import UUID
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from flask import url_for
from werkzeug.routing.converters import UUIDConverter
from werkzeug.serving import make_server

from ideation.domain.actor import GRANTABLE_ROLES
from ideation.entrypoints.flask_app import create_app
from tests.conftest import Cast, make_cast
from tests.e2e.conftest import LiveServer, new_context, sign_in

PASSWORD = "Rathaus-Linde-Brunnen"
VIEWER = "xaver"

# -- the payload corpus ------------------------------------------------------------------------

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{7*7}}",
    "'-alert(1)-'",
    "</textarea><script>alert(1)</script>",
    "</title><svg onload=alert(1)>",
    '" autofocus onfocus="alert(1)',
    "' autofocus onfocus='alert(1)",
    "</script><script>alert(1)</script>",
)
# The same attacks without spaces, for the e-mail address (the directory refuses spaces).
COMPACT_PAYLOADS = (
    "<script>alert(1)</script>",
    '"><svg/onload=alert(1)>',
    "<img/src=x/onerror=alert(1)>",
    "javascript:alert(1)",
    "{{7*7}}",
    "'-alert(1)-'",
    "</textarea><script>alert(1)</script>",
    "</title><svg/onload=alert(1)>",
    '"/autofocus/onfocus="alert(1)',
    "</script><script>alert(1)</script>",
)
TAG = re.compile(r"⟦([0-9a-z]{2})([a-z])⟧")
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
EMAIL_DOMAIN = "@example.org"


@dataclass(frozen=True)
class TextField:
    """A text a person can store, where it is entered and how long it may be."""

    key: str
    entered_by: str  # the form(s) or API route that store it
    max_length: int
    compact: bool = False  # no spaces allowed


def chunks(number: int, text_field: TextField) -> list[str]:
    """The corpus as tagged values that fit the field: ⟦field piece⟧ + the payloads that fit."""
    payloads = COMPACT_PAYLOADS if text_field.compact else PAYLOADS
    joiner = "" if text_field.compact else " "
    suffix = EMAIL_DOMAIN if text_field.compact else ""
    room = text_field.max_length - len("⟦00a⟧") - len(suffix)
    pieces: list[list[str]] = [[]]
    for payload in payloads:
        if len(payload) > room:
            continue  # a shorter field cannot hold this one at all
        if len(joiner.join([*pieces[-1], payload])) > room:
            pieces.append([])
        pieces[-1].append(payload)
    letters = "abcdefghijklmnopqrstuvwxyz"
    code = DIGITS[number // 36] + DIGITS[number % 36]
    return [f"⟦{code}{letters[i]}⟧{joiner.join(piece)}{suffix}" for i, piece in enumerate(pieces)]


# Every text field of the forms (src/ideation/entrypoints/forms) and the JSON API. The tag of a
# stored value holds the field's position here (two base-36 digits) and the piece's letter.
# Usernames are no field here: they allow only [a-z0-9._-]; passwords are never shown; the
# filters of GET forms are in REFLECTED below. Lengths are the stricter of form and domain.
FIELDS = (
    TextField(
        "department.name", "CreateDepartmentForm, EditDepartmentForm, POST /departments", 200
    ),
    TextField("department.short_name", "CreateDepartmentForm, EditDepartmentForm", 30),
    TextField("person.display_name", "CreatePersonForm, EditPersonForm, POST /people", 200),
    TextField("person.email", "CreatePersonForm, EditPersonForm, POST /people", 320, compact=True),
    TextField("person.revoke_reason", "RevokeRoleForm, POST /people/<id>/roles", 5000),
    TextField("person.deactivate_reason", "DeactivatePersonForm", 5000),
    TextField("person.erase_reason", "ErasePersonForm", 5000),
    TextField("idea.title", "SubmitIdeaForm, ReviseIdeaForm, AdoptRoundSuggestionForm", 200),
    TextField("idea.summary", "SubmitIdeaForm, ReviseIdeaForm, AdoptRoundSuggestionForm", 500),
    TextField("idea.description", "SubmitIdeaForm, ReviseIdeaForm, PATCH /ideas/<id>", 20000),
    TextField("idea.themes", "SubmitIdeaForm, ReviseIdeaForm (comma-separated, each)", 60),
    TextField("idea.origin", "POST /ideas (origin)", 200),
    TextField("idea.revision_note", "ReviseIdeaForm.note, PATCH /ideas/<id>", 2000),
    TextField("idea.comment", "CommentIdeaForm, POST /ideas/<id>/comments", 5000),
    TextField("idea.reply", "ReplyToCommentForm, POST /ideas/<id>/comments", 5000),
    TextField("idea.pledge_note", "PledgeSupportForm, POST /ideas/<id>/support", 2000),
    TextField("idea.withdraw_support_note", "WithdrawSupportForm, DELETE .../support", 2000),
    TextField("idea.assessment_rationale", "AssessIdeaForm, POST /ideas/<id>/assessment", 5000),
    TextField("idea.quick_win_reason", "OverrideQuickWinForm, POST .../quick-win-override", 5000),
    TextField("idea.recommendation", "RecommendIdeaForm, POST .../recommendations", 5000),
    TextField("idea.accept_reason", "AcceptIdeaForm, POST /ideas/<id>/decision", 5000),
    TextField("idea.reject_reason", "RejectIdeaForm, POST /ideas/<id>/decision", 5000),
    TextField("idea.park_reason", "ParkIdeaForm, POST /ideas/<id>/decision", 5000),
    TextField("idea.reopen_reason", "ReopenIdeaForm, POST /ideas/<id>/decision", 5000),
    TextField("idea.merge_reason", "MergeIdeaForm, POST /ideas/<id>/decision", 5000),
    TextField("idea.withdraw_reason", "WithdrawIdeaForm, POST /ideas/<id>/decision", 5000),
    TextField("group.name", "FormWorkingGroupForm, POST /working-groups", 200),
    TextField("group.mandate", "FormWorkingGroupForm, POST /working-groups", 5000),
    TextField("group.removal_note", "RemoveWorkingGroupMemberForm", 2000),
    TextField("group.meeting_notes", "RecordMeetingForm, POST .../meetings", 20000),
    TextField("group.meeting_decisions", "RecordMeetingForm, POST .../meetings", 5000),
    TextField("group.dissolve_reason", "DissolveWorkingGroupForm, POST .../dissolution", 5000),
    TextField("measure.goal_statement", "SetGoalForm, ReviseGoalForm, POST .../goals", 2000),
    TextField("measure.goal_indicator", "SetGoalForm, ReviseGoalForm, POST .../goals", 500),
    TextField("measure.goal_target", "SetGoalForm, ReviseGoalForm, POST .../goals", 200),
    TextField("measure.goal_revision_note", "ReviseGoalForm.note, PATCH .../goals/<id>", 2000),
    TextField("measure.approach", "NoteApproachForm, POST .../approach", 20000),
    TextField("measure.milestone_title", "AddMilestoneForm, POST .../milestones", 200),
    TextField("measure.progress_note", "ReportProgressForm, POST .../progress", 5000),
    TextField("measure.block_reason", "BlockMeasureForm, POST .../block", 5000),
    TextField("measure.unblock_note", "UnblockMeasureForm, POST .../unblock", 2000),
    TextField("measure.outcome", "ImplementMeasureForm, POST .../implementation", 20000),
    TextField("measure.benefit", "RecordBenefitForm, POST .../benefits", 5000),
    TextField("measure.cancel_reason", "CancelMeasureForm, POST .../cancel", 5000),
    TextField("exchange.topic", "PlanExchangeSessionForm, POST /exchange-sessions", 200),
    TextField("exchange.reschedule_note", "RescheduleExchangeSessionForm", 2000),
    TextField("exchange.notes", "RecordExchangeSessionForm, POST .../record", 20000),
    TextField("exchange.needs", "RecordExchangeSessionForm (one a line)", 500),
    TextField("exchange.cancel_reason", "CancelExchangeSessionForm, POST .../cancel", 5000),
    TextField("pilot.nomination_reason", "NominatePilotForm, POST /pilots", 5000),
    TextField("pilot.confirmation_note", "ConfirmPilotForm, POST /pilots/<id>/confirm", 2000),
    TextField("pilot.withdrawal_reason", "WithdrawPilotForm, POST /pilots/<id>/withdraw", 5000),
    TextField("faction.name", "RegisterFactionForm, RenameFactionForm, POST /factions", 200),
    TextField("faction.short_name", "RegisterFactionForm, RenameFactionForm", 30),
    TextField("faction.retire_reason", "RetireFactionForm, POST /factions/<id>/retire", 5000),
    TextField("round.title", "PlanPoliticalRoundForm, POST /political-rounds", 200),
    TextField("round.questions", "RecordPoliticalRoundForm (one a line)", 1000),
    TextField("round.suggestions", "RecordPoliticalRoundForm (one a line)", 1000),
    TextField("round.notes", "RecordPoliticalRoundForm, POST .../record", 20000),
    TextField("round.cancel_reason", "CancelPoliticalRoundForm, POST .../cancel", 5000),
    TextField("token.name", "CreateTokenForm (profile page)", 100),
)
FIELD_NUMBER = {f.key: n for n, f in enumerate(FIELDS)}


def values(key: str) -> list[str]:
    """The tagged values stored in one field."""
    return chunks(FIELD_NUMBER[key], FIELDS[FIELD_NUMBER[key]])


def value(key: str, index: int = 0) -> str:
    """One of a field's values, cycling when a subject has more instances than the field."""
    found = values(key)
    return found[index % len(found)]


# -- storing the corpus through the application ------------------------------------------------


@dataclass(frozen=True)
class Stored:
    """A value stored in a field, with the ids of the objects that hold or show it."""

    key: str
    value: str
    ids: dict[str, UUID]


@dataclass
class City:
    """What `store_corpus` created: the stored values and every id, by kind."""

    cast: Cast
    viewer: UUID
    stored: list[Stored] = field(default_factory=list)
    ids: dict[str, list[UUID]] = field(default_factory=lambda: defaultdict(list))

    def keep(self, key: str, text: str, **ids: UUID) -> None:
        """Note a stored value and add the ids of its objects to the pools the crawl uses."""
        assert text.startswith("⟦"), text
        self.stored.append(Stored(key, text, dict(ids)))
        for kind, id_ in ids.items():
            if id_ not in self.ids[kind]:
                self.ids[kind].append(id_)


def store_corpus(app: Any) -> City:
    """The test cast plus objects holding every field's values, through the app's commands."""
    cast = make_cast(app)
    # Departments: as many as the short name needs pieces.
    departments = []
    for i in range(max(len(values("department.name")), len(values("department.short_name")))):
        name, short = value("department.name", i), value("department.short_name", i)
        department = app.register_department(cast.admin, name, short, "administration")
        departments.append(department)
    home = departments[0]

    viewer = app.register_person(
        cast.admin,
        "Xaver Alle-Rollen",
        "xaver@example.org",
        home,
        [str(r) for r in GRANTABLE_ROLES],
    )
    app.create_account(cast.admin, viewer, VIEWER, PASSWORD)
    city = City(cast, viewer)
    for i, department in enumerate(departments):
        city.keep("department.name", value("department.name", i), department_id=department)
        city.keep(
            "department.short_name", value("department.short_name", i), department_id=department
        )

    # People: named with the corpus; one loses a role, one is deactivated, one erased.
    people = []
    for i in range(max(len(values("person.display_name")), len(values("person.email")))):
        name = value("person.display_name", i)
        emails = values("person.email")
        email = emails[i] if i < len(emails) else f"person{i}@example.org"  # unique
        department = departments[i % len(departments)]
        person = app.register_person(
            cast.admin, name, email, department, ["member", "group_member"]
        )
        people.append(person)
        city.keep("person.display_name", name, person_id=person, department_id=department)
        if i < len(emails):
            city.keep("person.email", email.lower(), person_id=person)
    revoked = people[0]
    app.revoke_role(
        cast.admin,
        revoked,
        app.get_person(revoked).version,
        "group_member",
        value("person.revoke_reason"),
    )
    city.keep("person.revoke_reason", value("person.revoke_reason"), person_id=revoked)
    deactivated = app.register_person(
        cast.admin, "Dora Deaktiviert", "dora@example.org", home, ["member"]
    )
    app.deactivate_person(
        cast.admin,
        deactivated,
        app.get_person(deactivated).version,
        value("person.deactivate_reason"),
    )
    city.keep("person.deactivate_reason", value("person.deactivate_reason"), person_id=deactivated)
    erased = app.register_person(cast.admin, "Egon Erased", "egon@example.org", home, ["member"])
    app.erase_person(cast.admin, erased, value("person.erase_reason"))
    city.keep("person.erase_reason", value("person.erase_reason"), person_id=erased)

    groups = store_groups(app, city, departments, people)
    held_session = store_cooperation(app, city, departments, people)
    store_ideas(app, city, departments, groups, held_session)
    for name in values("token.name"):
        app.create_personal_token(viewer, name)
        city.keep("token.name", name, person_id=viewer)
    return city


def version_of(app: Any, kind: str, id_: UUID) -> int:
    """The current version of an aggregate, for the next command's expected version."""
    getter = {
        "idea": app.get_idea,
        "measure": app.get_measure,
        "group": app.get_working_group,
        "person": app.get_person,
        "session": app.get_exchange_session,
        "pilot": app.get_pilot,
        "faction": app.get_faction,
        "round": app.get_political_round,
    }[kind]
    return getter(id_).version


def store_groups(app: Any, city: City, departments: list[UUID], people: list[UUID]) -> list[UUID]:
    """Working groups named with the corpus; the first meets, the last is dissolved."""
    cast, viewer = city.cast, city.viewer
    groups = []
    for name in values("group.name"):
        group = app.form_working_group(
            cast.coordinator, name, value("group.mandate"), departments[0]
        )
        groups.append(group)
        city.keep("group.name", name, group_id=group, department_id=departments[0])
        city.keep("group.mandate", value("group.mandate"), group_id=group)
    active = groups[0]
    for person in (viewer, cast.group_member, people[1]):
        app.add_working_group_member(
            cast.coordinator, active, version_of(app, "group", active), person
        )
    app.remove_working_group_member(
        cast.coordinator,
        active,
        version_of(app, "group", active),
        people[1],
        value("group.removal_note"),
    )
    city.keep("group.removal_note", value("group.removal_note"), group_id=active)
    dissolved = app.form_working_group(
        cast.coordinator, "AG Aufgelöst", "Nur zum Auflösen", departments[0]
    )
    app.dissolve_working_group(
        cast.coordinator,
        dissolved,
        version_of(app, "group", dissolved),
        value("group.dissolve_reason"),
    )
    city.keep("group.dissolve_reason", value("group.dissolve_reason"), group_id=dissolved)
    return groups


def store_ideas(
    app: Any, city: City, departments: list[UUID], groups: list[UUID], held_session: UUID
) -> None:
    """Ideas through every stage, each text of an idea and its measure carrying the corpus."""
    cast, viewer = city.cast, city.viewer
    home = departments[0]

    def submit(i: int, **extra: Any) -> UUID:
        title, origin = value("idea.title", i), value("idea.origin", i)
        idea = app.submit_idea(
            viewer,
            title=title,
            summary=value("idea.summary"),
            description=extra.pop("description", value("idea.description")),
            origin=origin,
            **extra,
        )
        city.keep("idea.title", title, idea_id=idea, department_id=home)
        city.keep("idea.summary", value("idea.summary"), idea_id=idea, department_id=home)
        city.keep("idea.origin", origin, idea_id=idea)
        return idea

    def version(idea: UUID) -> int:
        return version_of(app, "idea", idea)

    # The idea with every content field, a revision, comments and pledges.
    content = submit(0, description="Entwurf", themes=values("idea.themes"))
    for theme in values("idea.themes"):
        city.keep("idea.themes", theme, idea_id=content)
    app.revise_idea(
        viewer,
        content,
        version(content),
        {"description": value("idea.description")},
        value("idea.revision_note"),
    )
    city.keep("idea.description", value("idea.description"), idea_id=content)
    city.keep("idea.revision_note", value("idea.revision_note"), idea_id=content)
    app.comment_on_idea(viewer, content, version(content), value("idea.comment"))
    comment = app.get_idea(content).comments[0].comment_id
    app.comment_on_idea(
        cast.member, content, version(content), value("idea.reply"), reply_to=comment
    )
    city.keep("idea.comment", value("idea.comment"), idea_id=content)
    city.keep("idea.reply", value("idea.reply"), idea_id=content)
    app.pledge_support(cast.other_member, content, version(content), value("idea.pledge_note"))
    app.pledge_support(cast.member, content, version(content), "")
    app.withdraw_support(
        cast.member, content, version(content), value("idea.withdraw_support_note")
    )
    city.keep("idea.pledge_note", value("idea.pledge_note"), idea_id=content)
    city.keep("idea.withdraw_support_note", value("idea.withdraw_support_note"), idea_id=content)
    from_session = submit(1, origin_session_id=held_session)
    for topic in values("exchange.topic")[:1]:
        city.keep("exchange.topic", topic, idea_id=from_session, session_id=held_session)

    # Three accepted ideas: one measure implemented, one blocked, one cancelled.
    measures = []
    for i in range(3):
        idea = submit(i)
        app.assess_idea(
            cast.coordinator,
            idea,
            version(idea),
            impact=4,
            effort=2,
            expected_weeks=8,
            rationale=value("idea.assessment_rationale"),
        )
        city.keep("idea.assessment_rationale", value("idea.assessment_rationale"), idea_id=idea)
        app.override_quick_win(
            cast.coordinator, idea, version(idea), i != 1, value("idea.quick_win_reason")
        )
        city.keep("idea.quick_win_reason", value("idea.quick_win_reason"), idea_id=idea)
        app.assign_idea_to_working_group(cast.coordinator, idea, version(idea), groups[0])
        app.recommend(viewer, idea, version(idea), "accept", value("idea.recommendation"))
        city.keep(
            "idea.recommendation", value("idea.recommendation"), idea_id=idea, group_id=groups[0]
        )
        measure = app.accept_idea(
            cast.coordinator, idea, version(idea), value("idea.accept_reason")
        )
        city.keep(
            "idea.accept_reason", value("idea.accept_reason"), idea_id=idea, measure_id=measure
        )
        city.keep("idea.title", value("idea.title", i), idea_id=idea, measure_id=measure)
        measures.append(measure)
    store_measures(app, city, measures, departments)
    app.record_meeting(
        viewer,
        groups[0],
        version_of(app, "group", groups[0]),
        held_on=dt.date.today(),
        format="online",
        notes=value("group.meeting_notes"),
        decisions=value("group.meeting_decisions"),
        idea_ids=[content],
    )
    city.keep("group.meeting_notes", value("group.meeting_notes"), group_id=groups[0])
    city.keep("group.meeting_decisions", value("group.meeting_decisions"), group_id=groups[0])

    # One idea per closing decision.
    rejected = submit(0)
    app.reject_idea(cast.coordinator, rejected, version(rejected), value("idea.reject_reason"))
    city.keep("idea.reject_reason", value("idea.reject_reason"), idea_id=rejected)
    parked = submit(1)
    app.park_idea(cast.coordinator, parked, version(parked), value("idea.park_reason"))
    app.reopen_idea(cast.coordinator, parked, version(parked), value("idea.reopen_reason"))
    city.keep("idea.park_reason", value("idea.park_reason"), idea_id=parked)
    city.keep("idea.reopen_reason", value("idea.reopen_reason"), idea_id=parked)
    merged = submit(0)
    app.merge_idea(cast.coordinator, merged, version(merged), content, value("idea.merge_reason"))
    city.keep("idea.merge_reason", value("idea.merge_reason"), idea_id=merged)
    withdrawn = submit(1)
    app.withdraw_idea(viewer, withdrawn, version(withdrawn), value("idea.withdraw_reason"))
    city.keep("idea.withdraw_reason", value("idea.withdraw_reason"), idea_id=withdrawn)


def store_measures(app: Any, city: City, measures: list[UUID], departments: list[UUID]) -> None:
    """Goals, milestones, progress, a block and an outcome on the first measure; the second
    stays blocked, the third is cancelled."""
    viewer = city.viewer
    implemented, blocked, cancelled = measures

    def version(measure: UUID) -> int:
        return version_of(app, "measure", measure)

    for i, target in enumerate(values("measure.goal_target")):
        goal = app.set_goal(
            viewer,
            implemented,
            version(implemented),
            statement=value("measure.goal_statement") if i == 0 else "Vorläufig",
            indicator=value("measure.goal_indicator"),
            target=target,
        )
        city.keep("measure.goal_target", target, measure_id=implemented)
    # The last goal is revised to the corpus (the note says why).
    app.revise_goal(
        viewer,
        implemented,
        version(implemented),
        goal,
        statement=value("measure.goal_statement"),
        indicator=value("measure.goal_indicator"),
        target=values("measure.goal_target")[-1],
        note=value("measure.goal_revision_note"),
    )
    for key in ("measure.goal_statement", "measure.goal_indicator", "measure.goal_revision_note"):
        city.keep(key, value(key), measure_id=implemented)
    app.note_approach(viewer, implemented, version(implemented), value("measure.approach"))
    city.keep("measure.approach", value("measure.approach"), measure_id=implemented)
    milestones = []
    for i, title in enumerate(values("measure.milestone_title")):
        milestones.append(
            app.add_milestone(
                viewer,
                implemented,
                version(implemented),
                title,
                dt.date.today() + dt.timedelta(days=30 * (i + 1)),
            )
        )
        city.keep("measure.milestone_title", title, measure_id=implemented)
    app.reach_milestone(viewer, implemented, version(implemented), milestones[0], dt.date.today())
    app.report_progress(
        viewer, implemented, version(implemented), 60, value("measure.progress_note")
    )
    city.keep("measure.progress_note", value("measure.progress_note"), measure_id=implemented)
    app.block_measure(viewer, implemented, version(implemented), value("measure.block_reason"))
    app.unblock_measure(viewer, implemented, version(implemented), value("measure.unblock_note"))
    city.keep("measure.unblock_note", value("measure.unblock_note"), measure_id=implemented)
    app.implement_measure(
        viewer, implemented, version(implemented), dt.date.today(), value("measure.outcome")
    )
    city.keep("measure.outcome", value("measure.outcome"), measure_id=implemented)
    app.record_benefit(
        viewer, implemented, version(implemented), departments[1], value("measure.benefit")
    )
    city.keep(
        "measure.benefit",
        value("measure.benefit"),
        measure_id=implemented,
        department_id=departments[1],
    )
    app.block_measure(viewer, blocked, version(blocked), value("measure.block_reason"))
    city.keep("measure.block_reason", value("measure.block_reason"), measure_id=blocked)
    city.keep("measure.block_reason", value("measure.block_reason"), measure_id=implemented)
    app.cancel_measure(viewer, cancelled, version(cancelled), value("measure.cancel_reason"))
    city.keep("measure.cancel_reason", value("measure.cancel_reason"), measure_id=cancelled)


def store_cooperation(app: Any, city: City, departments: list[UUID], people: list[UUID]) -> UUID:
    """Exchange sessions, digital pilots, factions and political rounds with the corpus;
    return the session that was held."""
    viewer = city.viewer
    today = dt.date.today()
    sessions = []
    for i, topic in enumerate(values("exchange.topic")):
        session = app.plan_exchange_session(
            viewer,
            kind="round_visit" if i else "consultation_hour",
            scheduled_on=today,
            topic=topic,
            host_person_id=people[i % len(people)],
            round_department_id=departments[1] if i else None,
            invited_department_ids=departments[:2],
        )
        sessions.append(session)
        city.keep("exchange.topic", topic, session_id=session)
    held, moved = sessions
    app.record_exchange_session(
        viewer,
        held,
        version_of(app, "session", held),
        held_on=today,
        participating_department_ids=departments[:2],
        participant_count=7,
        notes=value("exchange.notes"),
        needs=values("exchange.needs"),
    )
    city.keep("exchange.notes", value("exchange.notes"), session_id=held)
    for need in values("exchange.needs"):
        city.keep("exchange.needs", need, session_id=held)
    app.reschedule_exchange_session(
        viewer,
        moved,
        version_of(app, "session", moved),
        today + dt.timedelta(days=14),
        value("exchange.reschedule_note"),
    )
    city.keep("exchange.reschedule_note", value("exchange.reschedule_note"), session_id=moved)
    called_off = app.plan_exchange_session(
        viewer,
        kind="online_qa",
        scheduled_on=today + dt.timedelta(days=7),
        topic="Abgesagte Fragestunde",
        host_person_id=viewer,
    )
    app.cancel_exchange_session(
        viewer, called_off, version_of(app, "session", called_off), value("exchange.cancel_reason")
    )
    city.keep("exchange.cancel_reason", value("exchange.cancel_reason"), session_id=called_off)

    confirmed = app.nominate_pilot(viewer, people[0], value("pilot.nomination_reason"), held)
    app.confirm_pilot(
        viewer, confirmed, version_of(app, "pilot", confirmed), value("pilot.confirmation_note")
    )
    withdrawn = app.nominate_pilot(viewer, people[1], value("pilot.nomination_reason"))
    app.withdraw_pilot(
        viewer, withdrawn, version_of(app, "pilot", withdrawn), value("pilot.withdrawal_reason")
    )
    for pilot, person in ((confirmed, people[0]), (withdrawn, people[1])):
        city.keep(
            "pilot.nomination_reason",
            value("pilot.nomination_reason"),
            pilot_id=pilot,
            person_id=person,
        )
    city.keep("pilot.confirmation_note", value("pilot.confirmation_note"), pilot_id=confirmed)
    city.keep("pilot.withdrawal_reason", value("pilot.withdrawal_reason"), pilot_id=withdrawn)

    factions = []
    for i in range(max(len(values("faction.name")), len(values("faction.short_name")))):
        name, short = value("faction.name", i), value("faction.short_name", i)
        if i == 0:  # the first gets its name through a renaming
            faction = app.register_faction(viewer, "Fraktion Vorher", "FV")
            app.rename_faction(viewer, faction, version_of(app, "faction", faction), name, short)
        else:
            faction = app.register_faction(viewer, name, short)
        factions.append(faction)
        city.keep("faction.name", name, faction_id=faction)
        city.keep("faction.short_name", short, faction_id=faction)
    retired = app.register_faction(viewer, "Fraktion Ausgetragen", "FA")
    app.retire_faction(
        viewer, retired, version_of(app, "faction", retired), value("faction.retire_reason")
    )
    city.keep("faction.retire_reason", value("faction.retire_reason"), faction_id=retired)

    rounds = []
    for title in values("round.title"):
        round_ = app.plan_political_round(
            viewer, scheduled_on=today, title=title, invited_faction_ids=factions
        )
        rounds.append(round_)
        city.keep("round.title", title, round_id=round_)
    held_round, called_off_round = rounds
    app.record_political_round(
        viewer,
        held_round,
        version_of(app, "round", held_round),
        held_on=today,
        attending_faction_ids=factions,
        questions=values("round.questions"),
        suggestions=[*values("round.suggestions"), "Eine Anregung zum Übernehmen"],
        notes=value("round.notes"),
    )
    for key in ("round.questions", "round.suggestions", "round.notes"):
        city.keep(key, value(key), round_id=held_round)
    adopted = app.adopt_round_suggestion(
        viewer,
        held_round,
        version_of(app, "round", held_round),
        suggestion_index=1,
        department_id=departments[1],
        title=value("idea.title", 1),
        summary=value("idea.summary"),
    )
    city.keep("idea.title", value("idea.title", 1), idea_id=adopted, round_id=held_round)
    app.cancel_political_round(
        viewer,
        called_off_round,
        version_of(app, "round", called_off_round),
        value("round.cancel_reason"),
    )
    city.keep("round.cancel_reason", value("round.cancel_reason"), round_id=called_off_round)
    return held


# -- reflected query parameters ----------------------------------------------------------------


@dataclass(frozen=True)
class Reflected:
    """A query parameter a GET page might echo (a filter, a date, the sign-in `next`)."""

    endpoint: str
    param: str
    ids: tuple[str, ...] = ()  # ids of the content idea the URL needs
    signed_in: bool = True


AUDIT_PARAMS = ("date_from", "date_to", "person", "department", "role", "object_type", "event")
REFLECTED = (
    Reflected("auth.login", "next", signed_in=False),
    *(
        Reflected("ideas.index", p)
        for p in ("q", "stage", "department", "theme", "quick_win", "group", "sort", "page")
    ),
    Reflected("ideas.similar", "title"),
    Reflected("ideas.similar", "summary"),
    *(
        Reflected("measures.index", p)
        for p in ("status", "quick_win", "blocked", "group", "department", "sort")
    ),
    *(Reflected("audit.log", p) for p in (*AUDIT_PARAMS, "order", "page")),
    *(Reflected("audit.decisions", p) for p in (*AUDIT_PARAMS, "order", "page")),
    Reflected("feeds.digest", "date_from"),
    Reflected("feeds.digest", "date_to"),
    *(Reflected("history.timeline", p, ("idea_id",)) for p in ("kind", "order", "page")),
    *(Reflected("history.as_of", p, ("idea_id",)) for p in ("date", "version", "at")),
    *(Reflected("history.compare", p, ("idea_id",)) for p in ("older", "newer")),
    Reflected("planner.as_of", "date"),
    Reflected("alliance.index", "from"),
    Reflected("alliance.index", "to"),
    Reflected("exchange.index", "kind"),
)


# Form fields whose posted text the next page shows again (checked by posting in the browser).
FORM_ECHOES = (
    "ideas.submit:title",
    "ideas.submit:summary",
    "ideas.submit:description",
    "ideas.submit:themes",
    "auth.login:username",
)


def reflected_value(index: int) -> str:
    """The whole corpus, tagged after the stored fields' numbers."""
    return chunks(len(FIELDS) + index, TextField("query", "", 1000))[0]


def reflected_url(app: Any, city: City, index: int) -> str:
    """The page of one reflected parameter, with the corpus as its value."""
    reflected = REFLECTED[index]
    ids = dict.fromkeys(reflected.ids, city.ids["idea_id"][0])  # the idea with every field
    with app.test_request_context():
        return url_for(reflected.endpoint, **ids, **{reflected.param: reflected_value(index)})


# -- crawling every GET page with the test client -----------------------------------------------


# Pages that need a query to show anything (the rest are opened as they are); the day is the
# planner's (Europe/Berlin), so "as of today" includes everything stored so far.
def crawl_queries() -> dict[str, dict[str, str]]:
    """The query of each page that needs one."""
    today = dt.datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()
    return {
        "history.as_of": {"date": today},
        "planner.as_of": {"date": today},
        "ideas.similar": {"title": "script alert onload", "summary": "svg onerror textarea"},
    }


# The PDFs are left out (see the module docstring); static files show no data.
NOT_CRAWLED = {"static", "evidence.pdf", "briefings.briefing_pdf"}
NEXT_PAGE = re.compile(r'<a href="([^"]+)" rel="next"')


@dataclass(frozen=True)
class Crawled:
    """One fetched page: where, what it is and its body."""

    endpoint: str
    url: str
    status: int
    mimetype: str
    nosniff: bool
    body: str


def fetch(client: Any, endpoint: str, url: str) -> Crawled:
    """GET one page with the test client."""
    response = client.get(url)
    return Crawled(
        endpoint,
        url,
        response.status_code,
        response.mimetype,
        response.headers.get("X-Content-Type-Options") == "nosniff",
        response.get_data().decode("utf-8", "replace"),
    )


def crawl(app: Any, city: City, client: Any) -> Iterator[Crawled]:
    """Every GET route outside the API, with every real id for its parameters, all pages."""
    queries = crawl_queries()

    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if "GET" not in (rule.methods or ()) or rule.rule.startswith("/api/"):
            continue
        if rule.endpoint in NOT_CRAWLED:
            continue
        names = sorted(rule.arguments)
        for name in names:
            assert isinstance(rule._converters[name], UUIDConverter), rule.rule
            assert city.ids.get(name), f"no ids for {name} of {rule.rule}"
        for combo in itertools.product(*(city.ids[name] for name in names)):
            with app.test_request_context():
                url: str | None = url_for(
                    rule.endpoint,
                    **dict(zip(names, combo, strict=True)),
                    **queries.get(rule.endpoint, {}),
                )
            while url:
                page = fetch(client, rule.endpoint, url)
                yield page
                following = NEXT_PAGE.search(page.body)
                url = following.group(1).replace("&amp;", "&") if following else None


def inventory(table: str) -> dict[str, tuple[str, ...]]:
    """Parse "field: view view …" lines (indented lines continue the one above; - for none)."""
    parsed: dict[str, tuple[str, ...]] = {}
    for entry in re.split(r"\n(?! )", table.strip()):
        key, _, views = entry.partition(":")
        parsed[key] = tuple(v for v in views.split() if v != "-")
    return parsed


# -- the inventory: which rendered view shows which field (found by the crawl, checked by it) --

# Pages, SVG charts and Atom feeds a browser renders.
RENDERED_TYPES = frozenset({"text/html", "image/svg+xml", "application/atom+xml"})
# Data exports: never rendered as markup (checked for their type and nosniff instead).
EXPORT_TYPES = frozenset({"application/json", "application/jsonl", "text/csv"})

INVENTORY: dict[str, tuple[str, ...]] = inventory(
    """
department.name: admin.create_person admin.departments admin.edit_department admin.person
    alliance.chart alliance.index audit.decisions audit.log briefings.briefing briefings.measure
    briefings.measures departments.detail departments.index exchange.department_pilots
    exchange.detail exchange.pilots exchange.plan feeds.department_feed feeds.digest
    feeds.planner_feed history.as_of history.timeline ideas.detail ideas.index ideas.submit
    main.index measures.detail measures.index politics.round_detail profile.index
    working_groups.create working_groups.detail working_groups.index
department.short_name: admin.create_person admin.departments admin.edit_department admin.people
    admin.person alliance.index audit.decisions audit.log departments.detail departments.index
    exchange.detail exchange.pilots exchange.plan ideas.index main.index measures.detail
    measures.index planner.as_of politics.round_detail working_groups.create
person.display_name: admin.people admin.person audit.decisions audit.log departments.detail
    exchange.department_pilots exchange.detail exchange.index exchange.plan planner.as_of
    working_groups.detail
person.email: admin.person
person.revoke_reason: audit.decisions audit.log
person.deactivate_reason: audit.log
person.erase_reason: audit.log
idea.title: audit.decisions audit.log briefings.briefing briefings.measure briefings.measures
    departments.detail exchange.detail feeds.department_feed feeds.digest feeds.planner_feed
    history.as_of history.compare history.timeline ideas.detail ideas.index ideas.similar
    main.index measures.detail measures.index planner.as_of politics.round_detail
    working_groups.detail
idea.summary: feeds.department_feed feeds.digest feeds.planner_feed history.as_of ideas.detail
    ideas.index
idea.description: history.as_of history.compare history.timeline ideas.detail
idea.themes: history.as_of ideas.detail ideas.index
idea.origin: history.as_of ideas.detail
idea.revision_note: history.timeline
idea.comment: history.timeline ideas.detail
idea.reply: history.timeline ideas.detail
idea.pledge_note: history.timeline
idea.withdraw_support_note: history.timeline
idea.assessment_rationale: history.as_of history.compare history.timeline ideas.detail
idea.quick_win_reason: audit.decisions audit.log history.timeline
idea.recommendation: audit.decisions audit.log history.as_of history.compare history.timeline
    ideas.detail working_groups.detail
idea.accept_reason: audit.decisions audit.log feeds.department_feed feeds.digest
    feeds.planner_feed history.as_of history.compare history.timeline ideas.detail main.index
idea.reject_reason: audit.decisions audit.log feeds.department_feed feeds.digest
    feeds.planner_feed history.as_of history.compare history.timeline ideas.detail main.index
idea.park_reason: audit.decisions audit.log feeds.department_feed feeds.digest
    feeds.planner_feed history.timeline main.index
idea.reopen_reason: audit.decisions audit.log feeds.department_feed feeds.digest
    feeds.planner_feed history.as_of history.compare history.timeline
idea.merge_reason: audit.decisions audit.log feeds.department_feed feeds.digest
    feeds.planner_feed history.as_of history.compare history.timeline ideas.detail main.index
idea.withdraw_reason: audit.decisions audit.log feeds.department_feed feeds.digest
    feeds.planner_feed history.as_of history.compare history.timeline ideas.detail main.index
group.name: audit.decisions audit.log history.compare history.timeline ideas.detail ideas.index
    main.index measures.detail measures.index working_groups.detail working_groups.index
group.mandate: working_groups.detail
group.removal_note: -
group.meeting_notes: working_groups.detail
group.meeting_decisions: working_groups.detail
group.dissolve_reason: audit.log
measure.goal_statement: briefings.measure history.timeline measures.detail
measure.goal_indicator: briefings.measure history.timeline measures.detail
measure.goal_target: briefings.measure history.timeline measures.detail
measure.goal_revision_note: history.timeline
measure.approach: history.timeline measures.detail
measure.milestone_title: briefings.measure history.timeline measures.detail measures.index
measure.progress_note: history.timeline
measure.block_reason: audit.log history.timeline measures.detail
measure.unblock_note: history.timeline
measure.outcome: history.timeline measures.detail
measure.benefit: briefings.briefing briefings.measure departments.detail feeds.department_feed
    feeds.digest feeds.planner_feed history.timeline main.index measures.detail
measure.cancel_reason: audit.decisions audit.log feeds.department_feed feeds.digest
    feeds.planner_feed history.timeline measures.detail
exchange.topic: audit.log exchange.department_pilots exchange.detail exchange.index
    history.as_of ideas.detail ideas.submit
exchange.reschedule_note: -
exchange.notes: exchange.detail
exchange.needs: exchange.detail
exchange.cancel_reason: audit.log exchange.detail
pilot.nomination_reason: audit.log exchange.department_pilots
pilot.confirmation_note: -
pilot.withdrawal_reason: audit.log exchange.department_pilots
faction.name: audit.log briefings.briefing politics.factions politics.plan_round
    politics.round_detail
faction.short_name: politics.factions politics.plan_round politics.round_detail
faction.retire_reason: audit.log
round.title: audit.log briefings.briefing briefings.index politics.index politics.round_detail
round.questions: politics.round_detail
round.suggestions: politics.round_detail
round.notes: politics.round_detail
round.cancel_reason: audit.log politics.round_detail
token.name: profile.index
"""
)

EXPORTED: dict[str, tuple[str, ...]] = inventory(
    """
department.name: admin.subject_access alliance.csv audit.decisions_csv audit.decisions_jsonl
    audit.log_csv audit.log_jsonl evidence.json
department.short_name: alliance.csv
person.display_name: admin.subject_access audit.decisions_csv audit.decisions_jsonl
    audit.log_csv audit.log_jsonl
person.email: admin.subject_access
person.revoke_reason: admin.subject_access audit.decisions_csv audit.decisions_jsonl
    audit.log_csv audit.log_jsonl
person.deactivate_reason: admin.subject_access audit.log_csv audit.log_jsonl
person.erase_reason: admin.subject_access audit.log_csv audit.log_jsonl
idea.title: admin.subject_access audit.decisions_csv audit.decisions_jsonl audit.log_csv
    audit.log_jsonl evidence.json
idea.summary: admin.subject_access evidence.json
idea.description: admin.subject_access evidence.json
idea.themes: admin.subject_access evidence.json
idea.origin: admin.subject_access evidence.json
idea.revision_note: admin.subject_access evidence.json
idea.comment: admin.subject_access evidence.json
idea.reply: evidence.json
idea.pledge_note: evidence.json
idea.withdraw_support_note: evidence.json
idea.assessment_rationale: evidence.json
idea.quick_win_reason: audit.decisions_csv audit.decisions_jsonl audit.log_csv audit.log_jsonl
    evidence.json
idea.recommendation: admin.subject_access audit.decisions_csv audit.decisions_jsonl
    audit.log_csv audit.log_jsonl evidence.json
idea.accept_reason: audit.decisions_csv audit.decisions_jsonl audit.log_csv audit.log_jsonl
    evidence.json
idea.reject_reason: audit.decisions_csv audit.decisions_jsonl audit.log_csv audit.log_jsonl
    evidence.json
idea.park_reason: audit.decisions_csv audit.decisions_jsonl audit.log_csv audit.log_jsonl
    evidence.json
idea.reopen_reason: audit.decisions_csv audit.decisions_jsonl audit.log_csv audit.log_jsonl
    evidence.json
idea.merge_reason: audit.decisions_csv audit.decisions_jsonl audit.log_csv audit.log_jsonl
    evidence.json
idea.withdraw_reason: admin.subject_access audit.decisions_csv audit.decisions_jsonl
    audit.log_csv audit.log_jsonl evidence.json
group.name: audit.decisions_csv audit.decisions_jsonl audit.log_csv audit.log_jsonl
    evidence.json
group.mandate: -
group.removal_note: admin.subject_access
group.meeting_notes: admin.subject_access
group.meeting_decisions: admin.subject_access
group.dissolve_reason: audit.log_csv audit.log_jsonl
measure.goal_statement: admin.subject_access evidence.json
measure.goal_indicator: admin.subject_access evidence.json
measure.goal_target: admin.subject_access evidence.json
measure.goal_revision_note: admin.subject_access evidence.json
measure.approach: admin.subject_access evidence.json
measure.milestone_title: admin.subject_access evidence.json
measure.progress_note: admin.subject_access evidence.json
measure.block_reason: admin.subject_access audit.log_csv audit.log_jsonl evidence.json
measure.unblock_note: admin.subject_access evidence.json
measure.outcome: admin.subject_access evidence.json
measure.benefit: admin.subject_access evidence.json
measure.cancel_reason: admin.subject_access audit.decisions_csv audit.decisions_jsonl
    audit.log_csv audit.log_jsonl evidence.json
exchange.topic: admin.subject_access audit.log_csv audit.log_jsonl
exchange.reschedule_note: admin.subject_access
exchange.notes: admin.subject_access
exchange.needs: admin.subject_access
exchange.cancel_reason: admin.subject_access audit.log_csv audit.log_jsonl
pilot.nomination_reason: admin.subject_access audit.log_csv audit.log_jsonl
pilot.confirmation_note: admin.subject_access
pilot.withdrawal_reason: admin.subject_access audit.log_csv audit.log_jsonl
faction.name: admin.subject_access audit.log_csv audit.log_jsonl
faction.short_name: admin.subject_access
faction.retire_reason: admin.subject_access audit.log_csv audit.log_jsonl
round.title: admin.subject_access audit.log_csv audit.log_jsonl
round.questions: admin.subject_access
round.suggestions: admin.subject_access
round.notes: admin.subject_access
round.cancel_reason: admin.subject_access audit.log_csv audit.log_jsonl
token.name: -
"""
)

# Views beyond the crawl: the submit form shows stored titles as hints after "Ähnliche Ideen
# prüfen" and while one types (fetched and put in with innerHTML by similar-ideas.js).
DYNAMIC_PAIRS = frozenset({("idea.title", "ideas.submit")})
# The query parameters a page shows back (the rest only filter, or are refused quietly).
ECHOED = frozenset(
    {
        "alliance.index?from",
        "alliance.index?to",
        *(f"{view}?{param}" for view in ("audit.log", "audit.decisions") for param in AUDIT_PARAMS),
        "auth.login?next",
        "feeds.digest?date_from",
        "feeds.digest?date_to",
        "history.as_of?date",
        *(f"ideas.index?{p}" for p in ("q", "stage", "department", "group", "sort")),
        *(f"measures.index?{p}" for p in ("status", "group", "department", "sort")),
        "planner.as_of?date",
    }
)

# (field, view) pairs whose view shortens long texts on purpose: what it shows must still be the
# text's start, with at least the tag and the first payload literal.
SHORTENED: frozenset[tuple[str, str]] = frozenset(
    {
        # The start page's task lists cut reasons at 200 characters.
        *(
            (f"idea.{decision}_reason", "main.index")
            for decision in ("accept", "reject", "park", "merge", "withdraw")
        ),
        # "Als Idee übernehmen" fills in a title (at most 200 characters) from the suggestion.
        ("round.suggestions", "politics.round_detail"),
        # Refused filter values are quoted in the message, cut at 40 (event names at 80).
        *((f"audit.log?{p}", "audit.log") for p in AUDIT_PARAMS),
        *((f"audit.decisions?{p}", "audit.decisions") for p in AUDIT_PARAMS),
        ("feeds.digest?date_from", "feeds.digest"),
        ("feeds.digest?date_to", "feeds.digest"),
        # Posted fields come back cut to their maximum length.
        ("auth.login:username", "auth.login"),
        ("ideas.submit:title", "ideas.submit"),
    }
)
SHORTENED_MINIMUM = len("⟦00a⟧") + len(PAYLOADS[0]) + 1

# -- the site: the app with the corpus on a real port, crawled once ----------------------------


def pairs_on(page: Crawled) -> set[tuple[str, str]]:
    """The (field, view) pairs one crawled page shows."""
    return {(field_key(m.group(0)), page.endpoint) for m in TAG.finditer(page.body)}


def covering_pages(pages: list[Crawled]) -> list[Crawled]:
    """Few pages that together show every (field, view) pair the crawl found, greedily.

    Every pair then meets Chromium at least once, each stored value on the page of its own
    object where the view is one per object; the static check sees all the others.
    """
    left = set().union(*(pairs_on(p) for p in pages))
    chosen = []
    while left:
        best = max(pages, key=lambda p: len(pairs_on(p) & left))
        chosen.append(best)
        left -= pairs_on(best)
    return chosen


@dataclass
class Site:
    """The running app with the corpus, and every GET page the crawl fetched."""

    server: LiveServer
    city: City
    pages: list[Crawled]
    reflected: list[Crawled]  # one per entry of REFLECTED, in its order
    expected: dict[str, str]  # tag → the whole value that must follow it

    def rendered(self) -> list[Crawled]:
        """The crawled pages, charts and feeds a browser renders (no data exports)."""
        return [p for p in self.pages if p.mimetype in RENDERED_TYPES]


def sign_in_client(client: Any, username: str, password: str) -> None:
    """Sign the Flask test client in through the form."""
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code


def field_key(tag: str) -> str:
    """The stored field (or echoed query parameter) a tag belongs to."""
    code = TAG.fullmatch(tag).group(1)
    number = DIGITS.index(code[0]) * 36 + DIGITS.index(code[1])
    if number < len(FIELDS):
        return FIELDS[number].key
    extra = number - len(FIELDS)
    if extra < len(REFLECTED):
        return reflected_key(extra)
    return FORM_ECHOES[extra - len(REFLECTED)]


def reflected_key(index: int) -> str:
    """How ECHOED names a reflected parameter: endpoint?param."""
    return f"{REFLECTED[index].endpoint}?{REFLECTED[index].param}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The corpus stored in a fresh planner, crawled, and served on 127.0.0.1."""
    app = create_app(
        {
            "IDEATION_INSTANCE_PATH": str(tmp_path_factory.mktemp("xss") / "instance"),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
        }
    )
    ideation = app.extensions["ideation"]
    city = store_corpus(ideation)
    client = app.test_client()
    sign_in_client(client, VIEWER, PASSWORD)
    pages = list(crawl(app, city, client))
    anonymous = app.test_client()
    reflected = [
        fetch(client if r.signed_in else anonymous, r.endpoint, reflected_url(app, city, i))
        for i, r in enumerate(REFLECTED)
    ]
    expected = {TAG.match(s.value).group(0): s.value for s in city.stored}
    for index in range(len(REFLECTED) + len(FORM_ECHOES)):
        text = reflected_value(index)
        expected[TAG.match(text).group(0)] = text
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="xss-server", daemon=True)
    thread.start()
    try:
        served = LiveServer(f"http://127.0.0.1:{server.server_port}", app)
        yield Site(served, city, pages, reflected, expected)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        ideation.close()
        ideation.directory.engine.dispose()


# -- looking at a page in Chromium ------------------------------------------------------------

# Everything a person could read on the page or the browser could act on: the document's text
# (including <title>, <textarea> and <option>), every attribute and every field's value; and
# what would have become active markup (handler attributes, javascript: URLs, inline scripts).
COLLECT = """async (feed) => {
  let doc = document;
  if (feed) {
    // Chromium shows a feed as plain source text; a feed reader reads the parsed XML.
    const source = await (await fetch(location.href, {credentials: "same-origin"})).text();
    doc = new DOMParser().parseFromString(source, "application/xml");
  }
  const root = doc.documentElement;
  const parts = [root ? root.textContent : "", doc === document ? document.title : ""];
  let handlers = 0, scriptUrls = 0, inlineScripts = 0;
  for (const el of doc.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      parts.push(attr.value);
      if (attr.name.toLowerCase().startsWith("on")) handlers++;
      if (/^[\\s\\u0000-\\u001f]*javascript:/i.test(attr.value)) scriptUrls++;
    }
    if (typeof el.value === "string") parts.push(el.value);
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (el.localName === "script" && !el.hasAttribute("src") && !type.includes("json")) {
      inlineScripts++;
    }
  }
  return {text: parts.join("\\n"), handlers, scriptUrls, inlineScripts};
}"""


class MarkupReader(HTMLParser):
    """What `COLLECT` gathers in the browser, read from the HTML source with Python's parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.counts = {"handlers": 0, "scriptUrls": 0, "inlineScripts": 0}
        self._script: bool = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, text in attrs:
            self.parts.append(text or "")
            self.counts["handlers"] += name.startswith("on")
            self.counts["scriptUrls"] += bool(JAVASCRIPT_URL.match(text or ""))
        self._script = tag == "script" and "src" not in named
        if self._script and "json" not in (named.get("type") or ""):
            self.counts["inlineScripts"] += 1

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


JAVASCRIPT_URL = re.compile(r"[\s\x00-\x1f]*javascript:", re.IGNORECASE)


def read_source(page: Crawled) -> dict[str, Any]:
    """The text, attribute values and active-markup counts of a crawled page's source."""
    if page.mimetype == "text/html":
        reader = MarkupReader()
        reader.feed(page.body)
        reader.close()
        return {"text": "\n".join(reader.parts), **reader.counts}
    root = ElementTree.fromstring(page.body.encode())
    parts = ["".join(root.itertext())]
    handlers = scripts = 0
    for element in root.iter():
        parts += element.attrib.values()
        handlers += sum(name.startswith("on") for name in element.attrib)
        scripts += element.tag.rsplit("}", 1)[-1] == "script"
    return {
        "text": "\n".join(parts),
        "handlers": handlers,
        "scriptUrls": 0,
        "inlineScripts": scripts,
    }


@dataclass
class Visitor:
    """One Chromium page with CSP bypassed that records every dialog and what it saw."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    visited: int = 0

    def look(self, feed: bool = False) -> dict[str, Any]:
        """What the current document shows (for a feed: what its parsed XML says)."""
        self.visited += 1
        return self.page.evaluate(COLLECT, feed)

    def open(self, url: str, feed: bool = False) -> dict[str, Any]:
        """Go to `url` and look at what it shows."""
        self.page.goto(url, wait_until="load")
        return self.look(feed)


def open_visitor(browser: Any, site: Site, username: str | None) -> tuple[Any, Visitor]:
    """A fresh context (CSP bypassed: the escaping alone must hold) and its recording page."""
    context = new_context(browser, bypass_csp=True)
    page = context.new_page()
    visitor = Visitor(page)

    def record(dialog: Any) -> None:
        visitor.dialogs.append(f"{dialog.type}({dialog.message!r}) on {page.url}")
        dialog.dismiss()

    page.on("dialog", record)
    if username is not None:
        sign_in(page, site.server, username, PASSWORD)
    return context, visitor


@pytest.fixture(scope="module")
def viewer(browser: Any, site: Site) -> Iterator[Visitor]:
    """Xaver, who holds every role, in Chromium."""
    context, visitor = open_visitor(browser, site, VIEWER)
    yield visitor
    context.close()


@dataclass
class Findings:
    """Which (field, view) pairs the checked pages showed, and everything wrong on them."""

    pairs: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    problems: list[str] = field(default_factory=list)
    literal_49: int = 0

    def check(self, site: Site, view: str, where: str, seen: dict[str, Any]) -> None:
        """Every tag on the page is followed by its whole value, and nothing became markup."""
        text = seen["text"]
        for name in ("handlers", "scriptUrls", "inlineScripts"):
            if seen[name]:
                self.problems.append(f"{where}: {seen[name]} {name}")
        for match in TAG.finditer(text):
            tag = match.group(0)
            want = site.expected.get(tag)
            if want is None:
                self.problems.append(f"{where}: unknown tag {tag}")
                continue
            key = field_key(tag)
            self.pairs[(key, view)] += 1
            shown = text[match.start() : match.start() + len(want)]
            if shown == want:
                continue
            common = next(
                (i for i, (a, b) in enumerate(zip(shown, want, strict=False)) if a != b), len(shown)
            )
            if (key, view) in SHORTENED and common >= SHORTENED_MINIMUM:
                continue
            start = match.start() + common
            self.problems.append(
                f"{where[:90]}: {key} differs after {common} of {len(want)} characters: "
                f"…{text[max(match.start(), start - 20) : start + 40]!r}"
            )
            if "{{7*7}}" in want and "{{7*7}}" not in shown and "49" in shown:
                self.literal_49 += 1


# -- the tests --------------------------------------------------------------------------------


def test_the_inventory_names_every_view_that_shows_a_stored_text_and_no_other(
    site: Site,
) -> None:
    shown: dict[str, set[str]] = defaultdict(set)
    problems = []
    for page in site.pages:
        if page.status >= 500:
            problems.append(f"{page.url}: {page.status}")
        if page.mimetype not in RENDERED_TYPES | EXPORT_TYPES:
            problems.append(f"{page.url}: unexpected type {page.mimetype}")
        if not page.nosniff:
            problems.append(f"{page.url}: without X-Content-Type-Options: nosniff")
        for match in TAG.finditer(page.body):
            shown[field_key(match.group(0))].add(page.endpoint)
    rendered = {p.endpoint for p in site.rendered()}
    # The source of every page (Chromium sees a covering selection of them).
    findings = Findings()
    for page in site.rendered():
        findings.check(site, page.endpoint, page.url, read_source(page))
    echoed = set()
    for index, page in enumerate(site.reflected):
        if page.status >= 500:
            problems.append(f"{page.url}: {page.status}")
        findings.check(site, page.endpoint, page.url, read_source(page))
        if TAG.match(reflected_value(index)).group(0) in page.body:
            echoed.add(reflected_key(index))
    problems += findings.problems
    if echoed != ECHOED:
        problems.append(f"the echoed query parameters are {sorted(echoed)}")
    for text_field in FIELDS:
        found = shown.pop(text_field.key, set())
        pages, exports = found & rendered, found - rendered
        if set(INVENTORY[text_field.key]) != pages:
            problems.append(
                f"{text_field.key}: the crawl found it on {sorted(pages)}, "
                f"the inventory says {sorted(INVENTORY[text_field.key])}"
            )
        if set(EXPORTED[text_field.key]) != exports:
            problems.append(
                f"{text_field.key}: the crawl found it in {sorted(exports)}, "
                f"the export list says {sorted(EXPORTED[text_field.key])}"
            )
        if not found:
            problems.append(f"{text_field.key}: stored but shown nowhere")
    assert not shown, f"tags of no stored field: {sorted(shown)}"
    assert INVENTORY.keys() == EXPORTED.keys() == {f.key for f in FIELDS}
    print(f"\nSEC-8 crawl: {len(site.pages)} GET responses, {len(rendered)} rendered views")
    assert not problems, "\n".join(problems)


class GetFormReader(HTMLParser):
    """The (action, field name) pairs of a page's GET forms (no action: the page itself)."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.fields: set[tuple[str, str]] = set()
        self._action: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {k: v or "" for k, v in attrs}
        if tag == "form":
            get = named.get("method", "get").lower() == "get"
            self._action = (named.get("action") or self.page_url) if get else None
        elif self._action is not None and tag in ("input", "select", "textarea"):
            kind = named.get("type", "").lower()
            if named.get("name") and kind not in ("submit", "button", "reset"):
                self.fields.add((self._action, named["name"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._action = None


def test_every_field_of_a_get_form_is_in_the_list_of_reflected_parameters(site: Site) -> None:
    adapter = site.server.app.url_map.bind("localhost")
    offered = set()
    for page in site.rendered():
        if page.mimetype != "text/html":
            continue
        reader = GetFormReader(page.url)
        reader.feed(page.body)
        for action, name in reader.fields:
            endpoint, _ = adapter.match(action.split("?")[0], method="GET")
            offered.add((endpoint, name))
    listed = {(r.endpoint, r.param) for r in REFLECTED}
    assert len(offered) >= 20
    assert offered - listed == set()


def test_no_payload_runs_and_each_text_shows_literally_on_every_view_in_chromium(
    site: Site, viewer: Visitor, browser: Any
) -> None:
    started = time.perf_counter()
    findings = Findings()
    # Every stored text on every page, chart and feed that shows it.
    for page in covering_pages(site.rendered()):
        feed = page.mimetype == "application/atom+xml"
        findings.check(site, page.endpoint, page.url, viewer.open(site.server.at(page.url), feed))

    # Query parameters the pages echo.
    anonymous_context, anonymous = open_visitor(browser, site, None)
    try:
        for index, page in enumerate(site.reflected):
            if reflected_key(index) in ECHOED:
                visitor = viewer if REFLECTED[index].signed_in else anonymous
                seen = visitor.open(site.server.at(page.url))
                findings.check(site, page.endpoint, page.url, seen)
        # Posted forms shown again: the sign-in form after a refused name, ...
        login = anonymous.page
        login.goto(site.server.at("/login"))
        login.locator("main form input[name=username]").fill(echo_value("auth.login:username"))
        login.locator("main form input[name=password]").fill("falsch")
        with login.expect_navigation():
            login.locator("main form button[type=submit]").click()
        findings.check(site, "auth.login", "POST /login", anonymous.look())
    finally:
        anonymous_context.close()
    # ... the idea form after "Ähnliche Ideen prüfen" (no script needed) ...
    form = viewer.page
    form.goto(site.server.at("/ideas/new"))
    for name in ("title", "summary", "description", "themes"):
        form.locator(f"form.submit-idea [name={name}]").fill(echo_value(f"ideas.submit:{name}"))
    with form.expect_navigation():
        form.locator("form.submit-idea button[name=check]").click()
    findings.check(site, "ideas.submit", "POST /ideas/new (check)", viewer.look())
    # ... and the hints fetched while typing a title, put in with innerHTML by the script.
    form.goto(site.server.at("/ideas/new"))
    form.locator("form.submit-idea [name=title]").fill("script alert onload")
    form.wait_for_function("document.querySelector('#similar-ideas').textContent.includes('⟦')")
    findings.check(site, "ideas.submit", "/ideas/new (typing)", viewer.look())
    # An autofocus payload fires after load: give the last page a moment.
    form.wait_for_timeout(300)

    stored = {(f, v) for f, views in INVENTORY.items() for v in views}
    extra = {p for p in findings.pairs if p[0] in INVENTORY} - stored - DYNAMIC_PAIRS
    echoes = {(k, k.partition("?")[0]) for k in ECHOED}
    echoes |= {(k, k.partition(":")[0]) for k in FORM_ECHOES}
    missing = (stored | DYNAMIC_PAIRS | echoes) - findings.pairs.keys()
    fields = {f for f, _ in findings.pairs}
    views = {v for _, v in findings.pairs}
    dialogs = [*viewer.dialogs, *anonymous.dialogs]
    stored_fields = len(fields & INVENTORY.keys())
    print(
        f"\nSEC-8: {len(fields)} fields × {len(views)} views = {len(findings.pairs)} pairs, "
        f"{len(PAYLOADS)} payloads, {len(dialogs)} dialogs ({stored_fields} stored fields, "
        f"{len(ECHOED)} echoed query parameters, {len(FORM_ECHOES)} posted fields; "
        f"{viewer.visited + anonymous.visited} documents in {time.perf_counter() - started:.1f} s)"
    )
    assert dialogs == [], "\n".join(dialogs)
    assert findings.literal_49 == 0, "{{7*7}} was rendered as 49"
    assert not findings.problems, "\n".join(findings.problems)
    assert not missing, f"pairs of the inventory the browser did not see: {sorted(missing)}"
    assert not extra, f"pairs the browser saw that the inventory lacks: {sorted(extra)}"


def echo_value(name: str) -> str:
    """The tagged corpus for one echoed form field."""
    return reflected_value(len(REFLECTED) + FORM_ECHOES.index(name))


# Where a text can land, unescaped, and the payload of the corpus made for that place: each one
# runs there, so the check above, had escaping failed anywhere, would have seen a dialog.
PROBES = (
    ("text", "<p>{}</p>", "<script>alert(1)</script>"),
    ("text", "<p>{}</p>", "<img src=x onerror=alert(1)>"),
    ("double-quoted attribute", '<input value="{}">', '"><svg onload=alert(1)>'),
    ("double-quoted attribute", '<input value="{}">', '" autofocus onfocus="alert(1)'),
    ("single-quoted attribute", "<input value='{}'>", "' autofocus onfocus='alert(1)"),
    ("textarea", "<textarea>{}</textarea>", "</textarea><script>alert(1)</script>"),
    ("title", "<title>{}</title><p>Text</p>", "</title><svg onload=alert(1)>"),
    ("string in a script", "<script>var text = '{}';</script>", "'-alert(1)-'"),
    ("inline JSON", '<script type="application/json">{}</script>', PAYLOADS[-1]),
    ("link", '<a id="probe" href="{}">Link</a>', "javascript:alert(1)"),
)
PROBE_ORIGIN = "http://unescaped.test"


def test_each_payload_runs_in_the_place_it_is_made_for_when_left_unescaped(
    browser: Any,
) -> None:
    # {{7*7}} is for the server's template engine: the literal-text check covers it.
    assert {payload for _, _, payload in PROBES} == set(PAYLOADS) - {"{{7*7}}"}
    context = new_context(browser)
    page = context.new_page()
    fired: list[str] = []
    page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
    # A document of its own per case, as a real page is (autofocus works once per document).
    html: dict[str, str] = {}
    page.route(
        f"{PROBE_ORIGIN}/**",
        lambda route: route.fulfill(body=html["now"], content_type="text/html; charset=utf-8"),
    )
    silent = []
    try:
        for number, (place, template, payload) in enumerate(PROBES):
            html["now"] = template.format(payload)
            page.goto(f"{PROBE_ORIGIN}/{number}")
            if place == "link":
                page.click("#probe")
            if "autofocus" in payload:
                page.wait_for_timeout(50)  # the focus event comes just after load
            if not fired:
                silent.append(f"{payload!r} in {place}")
            fired.clear()
    finally:
        context.close()
    assert silent == []
