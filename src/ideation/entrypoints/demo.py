"""Musterstadt, the demo city: a year of planning written through the application's commands.

The texts and the script live in `demo_data.py`; this module turns them into commands, each
one back-dated by a clock that is moved to the day the script names. Day 0 lies a year ago,
the last step about a week before today, and everything happens on working days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from ideation.application.service import IdeationApplication
from ideation.config import Settings
from ideation.entrypoints import demo_data as script
from ideation.entrypoints.demo_cooperation import AMBASSADOR, ROUNDS, SESSIONS, Cooperation
from ideation.entrypoints.demo_data import DemoGroup, DemoIdea, Meeting, Step
from ideation.eventstore.settings import storage_settings

DEMO_PASSWORD = "demo"  # noqa: S105 - public demo password, refused in production
DEMO_SPAN = dt.timedelta(days=365)
FLAGSHIP_TITLE = "Straßenbäume mit Bodenfeuchtesensoren bewässern"
COORDINATOR = "koordination"

# The script's last day: a Sunday moves to Monday, which must still lie in the past.
LAST_DAY = 358
# Each scenario day starts at 07:30 UTC (08:30 or 09:30 in Berlin); steps on the same day
# follow each other at these gaps (minutes), and every clock reading inside a command adds
# READING_STEP, so the events of one command stay together and in order.
WORKDAY_START = dt.time(7, 30, tzinfo=dt.UTC)
FIRST_STEP_SPREAD = 6 * 60  # the day's first step falls within six hours after the start
STEP_GAPS = (17, 34, 9, 26, 41, 13, 22)
READING_STEP = dt.timedelta(seconds=2)

# (name, short code, kind, display name of its member account)
DEPARTMENTS = [
    ("Stabsstelle Digitalisierung", "DIG", "administration", "Dana Digital"),
    ("Tiefbauamt", "TBA", "administration", "Tim Tiefbau"),
    ("Bürgerdienste", "BGD", "administration", "Berta Bürgerdienst"),
    ("Umweltamt", "UMW", "administration", "Ulla Umwelt"),
    ("Stadtplanungsamt", "SPA", "administration", "Stefan Planung"),
    ("Schulverwaltungsamt", "SVA", "administration", "Sina Schule"),
    ("Kulturamt", "KUL", "administration", "Karl Kultur"),
    ("Ordnungsamt", "ORD", "administration", "Olga Ordnung"),
    ("Sozialamt", "SOZ", "administration", "Sami Sozial"),
    ("Feuerwehr", "FW", "administration", "Frieda Feuerwehr"),
    ("Stadtwerke Musterstadt", "SWM", "company", "Sven Stadtwerke"),
    ("Wohnungsbaugesellschaft Musterstadt", "WBG", "company", "Wiebke Wohnen"),
    ("Verkehrsbetriebe Musterstadt", "VBM", "company", "Volker Verkehr"),
]
ROLE_ACCOUNTS = {
    "admin": "admin",
    "koordination": "coordinator",
    "pruefung": "auditor",
    AMBASSADOR: "ambassador",
}
# Department accounts that also hold group_member: exactly those sitting in a working group.
GROUP_MEMBER_DEPARTMENTS = frozenset(
    code for group in script.WORKING_GROUPS for code in group.members
)


def demo_usernames() -> list[str]:
    """Every account the demo creates (all with the password DEMO_PASSWORD)."""
    return [*ROLE_ACCOUNTS, *(code.lower() for _, code, _, _ in DEPARTMENTS)]


def reset_sqlite_database(settings: Settings) -> bool:
    """Delete the SQLite database file (and its WAL files); False on PostgreSQL."""
    storage = storage_settings(settings.database_url, schema=settings.database_schema)
    if storage.backend != "sqlite":
        return False
    database = Path(storage.sqlalchemy_url.database)
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        path.unlink(missing_ok=True)
    return True


def has_demo_passwords(app: IdeationApplication) -> bool:
    """Tell whether any demo account still accepts the demo password."""
    for username in demo_usernames():
        account = app.accounts.by_username(username)
        if account is not None and app.passwords.verify(account.password_hash, DEMO_PASSWORD):
            return True
    return False


class SteppingClock:
    """A clock that advances a fixed step on every reading, starting at a past moment.

    `advance_to` moves it forward to a later moment (never back), so a scenario can jump
    from day to day while the events inside one command stay strictly ordered.
    """

    def __init__(self, start: dt.datetime, step: dt.timedelta) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> dt.datetime:
        self.now += self.step
        return self.now

    def advance_to(self, moment: dt.datetime) -> None:
        """Jump forward to `moment`; a moment in the clock's past changes nothing."""
        self.now = max(self.now, moment)


def seed_demo_city(app: IdeationApplication, progress: Callable[[str], None] = print) -> None:
    """Create Musterstadt: departments, accounts for every role and a year of planning.

    Everything goes through the application's own commands, back-dated by a clock that
    starts a year ago, so histories, dashboards and "as of" views have something to show.
    """
    if app.is_initialised():
        progress("Demo-Daten sind bereits vorhanden.")
        return
    now = dt.datetime.now(dt.UTC)
    start = (now - DEMO_SPAN).date()
    while start.weekday() >= 5:  # the city is founded on a working day
        start += dt.timedelta(days=1)
    clock = SteppingClock(dt.datetime.combine(start, WORKDAY_START), READING_STEP)
    saved_clock = app.clock
    app.clock = clock
    try:
        city = _City(app, clock, start)
        city.found(progress)
        city.play(progress)
    finally:
        app.clock = saved_clock


@dataclass(order=True)
class _Scheduled:
    """One command of the script, run in (day, seq) order."""

    day: int
    seq: int
    run: Callable[[], None] = field(compare=False)


class _City:
    """The demo city while it is being written: ids by script key, and the clock."""

    def __init__(self, app: IdeationApplication, clock: SteppingClock, start: dt.date) -> None:
        self.app = app
        self.clock = clock
        self.start = start
        self.departments: dict[str, UUID] = {}  # short code → id
        self.people: dict[str, UUID] = {}  # username → person id
        self.groups: dict[str, UUID] = {}
        self.group_members: dict[str, tuple[str, ...]] = {}  # group key → usernames
        self.ideas: dict[str, UUID] = {}
        self.idea_group: dict[str, str] = {}  # idea key → key of its current group
        self.measures: dict[str, UUID] = {}  # idea key → measure id
        self.milestones: dict[tuple[str, str], UUID] = {}  # (idea key, title) → id
        self._queue: list[_Scheduled] = []
        self.cooperation = Cooperation(self)

    # -- time ------------------------------------------------------------------------------

    def date_of(self, day: int) -> dt.date:
        """The working day of a script day: Saturday moves to Friday, Sunday to Monday."""
        date = self.start + dt.timedelta(days=day)
        weekday = date.weekday()
        if weekday == 5:
            return date - dt.timedelta(days=1)
        if weekday == 6:
            return date + dt.timedelta(days=1)
        return date

    def move_to(self, day: int, seq: int) -> None:
        """Set the clock to the step's day: the day's first step at some time in the morning
        or early afternoon, later steps on the same day a little after the one before."""
        opening = dt.datetime.combine(self.date_of(day), WORKDAY_START)
        if self.clock.now < opening:
            self.clock.advance_to(opening + dt.timedelta(minutes=(seq * 137) % FIRST_STEP_SPREAD))
        else:
            self.clock.advance_to(
                self.clock.now + dt.timedelta(minutes=STEP_GAPS[seq % len(STEP_GAPS)])
            )

    @property
    def today(self) -> dt.date:
        return self.clock.now.date()

    # -- the first day: departments and accounts -------------------------------------------

    def found(self, progress: Callable[[str], None]) -> None:
        app = self.app
        name, code, kind, _ = DEPARTMENTS[0]
        digital, admin = app.initialise(
            admin_display_name="Ada Admin",
            admin_email="admin@musterstadt.example",
            department_name=name,
            department_short_name=code,
            department_kind=kind,
        )
        progress("Planer eingerichtet")
        self.departments[code] = digital
        for name, code, kind, _ in DEPARTMENTS[1:]:
            self.departments[code] = app.register_department(admin, name, code, kind)
        for _, code, _, display_name in DEPARTMENTS:
            roles = ["member"]
            if code in GROUP_MEMBER_DEPARTMENTS:
                roles.append("group_member")
            email = f"{code.lower()}@musterstadt.example"
            person = app.register_person(admin, display_name, email, self.departments[code], roles)
            self.people[code.lower()] = person
        coordinator = app.register_person(
            admin,
            "Clara Koordination",
            "koordination@musterstadt.example",
            digital,
            ["coordinator"],
        )
        auditor = app.register_person(
            admin, "Paula Prüfung", "pruefung@musterstadt.example", digital, ["auditor"]
        )
        # The digital-policy speaker of a faction: reads briefings and published measures.
        ambassador = app.register_person(
            admin, "Rita Rat", "politik@musterstadt.example", digital, ["ambassador"]
        )
        self.people |= {
            "admin": admin,
            "koordination": coordinator,
            "pruefung": auditor,
            AMBASSADOR: ambassador,
        }
        for username in demo_usernames():
            app.create_account(
                admin, self.people[username], username, DEMO_PASSWORD, enforce_policy=False
            )
        progress(
            f"{len(DEPARTMENTS)} Fachbereiche und Unternehmen, {len(demo_usernames())} Zugänge"
        )

    # -- the year: groups, meetings and ideas ----------------------------------------------

    def play(self, progress: Callable[[str], None]) -> None:
        for group in script.WORKING_GROUPS:
            self._schedule_group(group)
        for idea in script.IDEAS:
            self._schedule_idea(idea)
        self.cooperation.schedule()
        quarter = 1
        for item in sorted(self._queue):
            while item.day >= quarter * 91 and quarter < 4:
                progress(f"{quarter}. Quartal nachgespielt: {len(self.ideas)} Ideen")
                quarter += 1
            self.move_to(item.day, item.seq)
            item.run()
        meetings = sum(len(g.meetings) for g in script.WORKING_GROUPS)
        implemented = sum(
            1
            for measure_id in self.measures.values()
            if (m := self.app.get_measure(measure_id)).quick_win and m.status == "implemented"
        )
        progress(
            f"Ein Jahr nachgespielt: {len(self.ideas)} Ideen, {len(self.measures)} Maßnahmen "
            f"({implemented} Quick Wins umgesetzt), {len(self.groups)} Arbeitsgruppen "
            f"mit {meetings} Sitzungen"
        )
        progress(
            f"Zusammenarbeit: {len(SESSIONS)} Austauschformate, "
            f"{len(self.cooperation.factions)} Fraktionen, {len(ROUNDS)} Politische Runden"
        )

    def _at(self, day: int, run: Callable[[], None]) -> None:
        if not 0 <= day <= LAST_DAY:
            raise ValueError(f"Demo-Drehbuch: Tag {day} liegt außerhalb von 0 bis {LAST_DAY}.")
        self._queue.append(_Scheduled(day, len(self._queue), run))

    def _schedule_group(self, group: DemoGroup) -> None:
        self.group_members[group.key] = tuple(code.lower() for code in group.members)
        self._at(group.day, lambda: self._form(group))
        for meeting in group.meetings:
            self._at(meeting.day, lambda meeting=meeting: self._meet(group, meeting))

    def _form(self, group: DemoGroup) -> None:
        app, coordinator = self.app, self.people[COORDINATOR]
        group_id = app.form_working_group(
            coordinator, group.name, group.mandate, self.departments[group.lead]
        )
        self.groups[group.key] = group_id
        for username in self.group_members[group.key]:
            version = app.get_working_group(group_id).version
            app.add_working_group_member(coordinator, group_id, version, self.people[username])

    def _meet(self, group: DemoGroup, meeting: Meeting) -> None:
        group_id = self.groups[group.key]
        self.app.record_meeting(
            self.people[self.group_members[group.key][0]],
            group_id,
            self.app.get_working_group(group_id).version,
            held_on=self.today,
            format=meeting.format,
            notes=meeting.notes,
            decisions=meeting.decisions,
            idea_ids=[self.ideas[key] for key in meeting.ideas],
        )

    def _schedule_idea(self, idea: DemoIdea) -> None:
        self._at(idea.day, lambda: self._submit(idea))
        last = idea.day
        for step in idea.steps:
            if step.day < last:
                raise ValueError(f"Demo-Drehbuch: „{idea.key}“ geht an Tag {step.day} zurück.")
            last = step.day
            self._at(step.day, lambda step=step: self._act(idea, step))

    def _submit(self, idea: DemoIdea) -> None:
        self.ideas[idea.key] = self.app.submit_idea(
            self.people[idea.department.lower()],
            title=idea.title,
            summary=idea.summary,
            description=idea.description,
            themes=idea.themes,
            origin_session_id=self.cooperation.session_of(idea.key),
        )

    def _group_actor(self, idea: DemoIdea) -> UUID:
        """Who acts for the idea's working group: its `lead`, else the first member."""
        return self.people[idea.lead or self.group_members[self.idea_group[idea.key]][0]]

    def _act(self, idea: DemoIdea, step: Step) -> None:
        if isinstance(step, script.MEASURE_STEPS):
            self._act_on_measure(idea, step)
        else:
            self._act_on_idea(idea, step)

    def _act_on_idea(self, idea: DemoIdea, step: Step) -> None:
        app, key = self.app, idea.key
        idea_id = self.ideas[key]
        view = app.get_idea(idea_id)
        version, coordinator = view.version, self.people[COORDINATOR]
        match step:
            case script.Pledge(department=department, note=note):
                app.pledge_support(self.people[department.lower()], idea_id, version, note)
            case script.Comment(author=author, text=text, reply_to=reply_to):
                reply = None if reply_to is None else view.comments[reply_to].comment_id
                app.comment_on_idea(self.people[author], idea_id, version, text, reply_to=reply)
            case script.Revise(changes=changes, note=note, author=author):
                actor = self.people[author or idea.department.lower()]
                app.revise_idea(actor, idea_id, version, dict(changes), note)
            case script.Assess():
                app.assess_idea(
                    coordinator,
                    idea_id,
                    version,
                    impact=step.impact,
                    effort=step.effort,
                    expected_weeks=step.weeks,
                    rationale=step.rationale,
                )
            case script.OverrideQuickWin(quick_win=quick_win, reason=reason):
                app.override_quick_win(coordinator, idea_id, version, quick_win, reason)
            case script.Assign(group=group):
                app.assign_idea_to_working_group(coordinator, idea_id, version, self.groups[group])
                self.idea_group[key] = group
            case script.Recommend(outcome=outcome, reasoning=reasoning):
                app.recommend(self._group_actor(idea), idea_id, version, outcome, reasoning)
            case script.Accept(reason=reason, owner=owner):
                owner_id = self.departments[owner] if owner else None
                self.measures[key] = app.accept_idea(
                    coordinator, idea_id, version, reason, owner_department_id=owner_id
                )
            case script.Reject(reason=reason):
                app.reject_idea(coordinator, idea_id, version, reason)
            case script.Park(reason=reason):
                app.park_idea(coordinator, idea_id, version, reason)
            case script.Reopen(reason=reason):
                app.reopen_idea(coordinator, idea_id, version, reason)
            case script.Merge(into=into, reason=reason):
                app.merge_idea(coordinator, idea_id, version, self.ideas[into], reason)
            case script.Withdraw(reason=reason):
                app.withdraw_idea(self.people[idea.department.lower()], idea_id, version, reason)
            case _:  # pragma: no cover - the data module lists every step type
                raise TypeError(f"Unbekannter Schritt im Demo-Drehbuch: {step!r}")

    def _act_on_measure(self, idea: DemoIdea, step: Step) -> None:
        app = self.app
        measure_id = self.measures[idea.key]
        version = app.get_measure(measure_id).version
        actor = self._group_actor(idea)
        match step:
            case script.SetGoal():
                app.set_goal(
                    actor,
                    measure_id,
                    version,
                    statement=step.statement,
                    indicator=step.indicator,
                    target=step.target,
                )
            case script.ReviseGoal():
                goal_id = app.get_measure(measure_id).goals[0]["goal_id"]
                app.revise_goal(
                    actor,
                    measure_id,
                    version,
                    goal_id,
                    statement=step.statement,
                    indicator=step.indicator,
                    target=step.target,
                    note=step.note,
                )
            case script.NoteApproach(approach=approach):
                app.note_approach(actor, measure_id, version, approach)
            case script.AddMilestone(title=title, due=due):
                self.milestones[idea.key, title] = app.add_milestone(
                    actor, measure_id, version, title, self.date_of(due)
                )
            case script.ReachMilestone(title=title):
                milestone_id = self.milestones[idea.key, title]
                app.reach_milestone(actor, measure_id, version, milestone_id, self.today)
            case script.ReportProgress(percent=percent, note=note):
                app.report_progress(actor, measure_id, version, percent, note)
            case script.Block(reason=reason):
                app.block_measure(actor, measure_id, version, reason)
            case script.Unblock(note=note):
                app.unblock_measure(actor, measure_id, version, note)
            case script.Implement(outcome=outcome):
                app.implement_measure(actor, measure_id, version, self.today, outcome)
            case script.RecordBenefit(department=department, description=description):
                app.record_benefit(
                    actor, measure_id, version, self.departments[department], description
                )
            case script.Cancel(reason=reason):
                app.cancel_measure(self.people[COORDINATOR], measure_id, version, reason)
            case _:  # pragma: no cover - the data module lists every step type
                raise TypeError(f"Unbekannter Schritt im Demo-Drehbuch: {step!r}")
