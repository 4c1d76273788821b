"""The measure lifecycle (DESIGN §3): planned -> in_progress -> implemented, or cancelled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from uuid import uuid4

import pytest

from ideation.domain.errors import DomainError, IllegalTransition, InvalidValue
from ideation.domain.measure import Measure
from tests.unit.builders import (
    MEASURE_STATUSES,
    MeasureFixture,
    assert_nothing_recorded,
    coordinator,
    snapshot,
)

ACTOR = coordinator()
TODAY = dt.date(2030, 7, 1)

STAGE_LABELS = {
    "planned": "Geplant",
    "in_progress": "In Umsetzung",
    "implemented": "Umgesetzt",
    "cancelled": "Abgebrochen",
}

Action = Callable[[MeasureFixture], None]

ACTIONS: dict[str, Action] = {
    "set_goal": lambda f: f.measure.set_goal(
        uuid4(), "Papier sparen", "Blatt/Monat", "-50 %", ACTOR
    ),
    "revise_goal": lambda f: f.measure.revise_goal(
        f.goal_id, "Wartezeit senken", "Wartezeit in Tagen", "unter 3", "ehrgeiziger", ACTOR
    ),
    "note_approach": lambda f: f.measure.note_approach("Erst ein Pilot, dann alle", ACTOR),
    "add_milestone": lambda f: f.measure.add_milestone(uuid4(), "Schulung", TODAY, ACTOR),
    "reach_milestone": lambda f: f.measure.reach_milestone(f.milestone_id, TODAY, ACTOR),
    "report_progress": lambda f: f.measure.report_progress(40, "Pilot läuft", ACTOR),
    "block": lambda f: f.measure.block("Lieferant insolvent", ACTOR),
    "unblock": lambda f: f.measure.unblock("Neuer Lieferant", ACTOR),
    "implement": lambda f: f.measure.implement(TODAY, "Alle Ämter nutzen es", ACTOR),
    "record_benefit": lambda f: f.measure.record_benefit(uuid4(), "Weniger Anrufe", ACTOR),
    "cancel": lambda f: f.measure.cancel("Fördermittel gestrichen", ACTOR),
}

EVENTS = {
    "set_goal": Measure.GoalSet,
    "revise_goal": Measure.GoalRevised,
    "note_approach": Measure.ApproachNoted,
    "add_milestone": Measure.MilestoneAdded,
    "reach_milestone": Measure.MilestoneReached,
    "report_progress": Measure.ProgressReported,
    "block": Measure.Blocked,
    "unblock": Measure.Unblocked,
    "implement": Measure.Implemented,
    "record_benefit": Measure.BenefitRecorded,
    "cancel": Measure.Cancelled,
}

# The expected-allowed table: one row per action, one column per status (order of
# MEASURE_STATUSES). An abbreviation says the action is allowed and where the measure lands;
# "--" says it is refused with IllegalTransition "measure.illegal_transition".
ABBREVIATIONS = {"PL": "planned", "IP": "in_progress", "IM": "implemented", "CA": "cancelled"}
# fmt: off
MATRIX: dict[str, tuple[str, ...]] = {
    #                   PL    IP    IM    CA
    "set_goal":        ("PL", "IP", "--", "--"),
    "revise_goal":     ("PL", "IP", "--", "--"),
    "note_approach":   ("PL", "IP", "--", "--"),
    "add_milestone":   ("PL", "IP", "--", "--"),
    "reach_milestone": ("IP", "IP", "--", "--"),
    "report_progress": ("IP", "IP", "--", "--"),
    "block":           ("PL", "IP", "--", "--"),
    "unblock":         ("PL", "IP", "--", "--"),
    # DESIGN §3: planned -> in_progress -> implemented; nothing is implemented unstarted.
    "implement":       ("--", "IM", "--", "--"),
    "record_benefit":  ("--", "IP", "IM", "--"),
    "cancel":          ("CA", "CA", "--", "--"),
}
# fmt: on

CELLS = [
    (status, action, MATRIX[action][column])
    for action in MATRIX
    for column, status in enumerate(MEASURE_STATUSES)
]
ALLOWED = [
    pytest.param(status, action, ABBREVIATIONS[cell], id=f"{status}-{action}")
    for status, action, cell in CELLS
    if cell != "--"
]
REFUSED = [
    pytest.param(status, action, id=f"{status}-{action}")
    for status, action, cell in CELLS
    if cell == "--"
]


def measure_for(status: str, action: str) -> MeasureFixture:
    """The measure in `status`; blocked for "unblock" (an implemented one was unblocked first)."""
    return MeasureFixture(status, blocked=action == "unblock" and status != "implemented")


def test_the_matrix_covers_every_action_and_status() -> None:
    assert set(MATRIX) == set(ACTIONS) == set(EVENTS)
    assert tuple(ABBREVIATIONS.values()) == MEASURE_STATUSES
    assert all(len(row) == len(MEASURE_STATUSES) for row in MATRIX.values())


@pytest.mark.parametrize(("status", "action", "expected_status"), ALLOWED)
def test_an_allowed_action_records_one_event_and_lands_in_the_expected_status(
    status: str, action: str, expected_status: str
) -> None:
    fixture = measure_for(status, action)
    version = fixture.measure.version

    ACTIONS[action](fixture)

    events = fixture.measure.collect_events()
    assert [type(e) for e in events] == [EVENTS[action]]
    assert fixture.measure.version == version + 1
    assert fixture.measure.status == expected_status


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_an_illegal_action_is_refused_naming_the_stage_and_records_nothing(
    status: str, action: str
) -> None:
    fixture = measure_for(status, action)
    before = snapshot(fixture.measure)

    with pytest.raises(IllegalTransition) as raised:
        ACTIONS[action](fixture)

    assert raised.value.code == "measure.illegal_transition"
    assert f"„{STAGE_LABELS[status]}“" in str(raised.value)
    assert raised.value.details["status"] == status
    assert_nothing_recorded(fixture.measure, before)


def test_a_blocked_measure_cannot_be_implemented_until_unblocked() -> None:
    measure = MeasureFixture("in_progress", blocked=True).measure
    before = snapshot(measure)

    with pytest.raises(IllegalTransition) as raised:
        measure.implement(TODAY, "Fertig", ACTOR)

    assert raised.value.code == "measure.is_blocked"
    assert_nothing_recorded(measure, before)

    measure.unblock("Lieferant gefunden", ACTOR)
    measure.implement(TODAY, "Fertig", ACTOR)

    assert measure.status == "implemented"
    assert measure.blocked is False


def test_blocking_records_the_reason_and_unblocking_clears_it() -> None:
    measure = MeasureFixture("in_progress").measure

    measure.block("Lieferant insolvent", ACTOR)
    assert (measure.blocked, measure.block_reason) == (True, "Lieferant insolvent")

    measure.unblock("", ACTOR)
    assert (measure.blocked, measure.block_reason) == (False, "")


@pytest.mark.parametrize("percent", [-1, 101, 1000, True, "50", 50.0, None])
def test_progress_outside_0_to_100_is_refused_with_the_field_name(percent: object) -> None:
    measure = MeasureFixture("planned").measure
    before = snapshot(measure)

    with pytest.raises(InvalidValue) as raised:
        measure.report_progress(percent, "", ACTOR)  # type: ignore[arg-type]

    assert raised.value.field == "percent"
    assert_nothing_recorded(measure, before)


@pytest.mark.parametrize("percent", [0, 100])
def test_progress_at_the_bounds_is_accepted(percent: int) -> None:
    measure = MeasureFixture("planned").measure

    measure.report_progress(percent, "", ACTOR)

    assert measure.progress == percent


NOT_DATES = [
    pytest.param("2030-06-01", id="text"),
    pytest.param(dt.datetime(2030, 6, 1, 12, 0, tzinfo=dt.UTC), id="datetime"),
    pytest.param(None, id="none"),
    pytest.param(20300601, id="number"),
]

DATED_COMMANDS = [
    pytest.param(
        "due_on",
        lambda f, value: f.measure.add_milestone(uuid4(), "Schulung", value, ACTOR),
        id="add_milestone",
    ),
    pytest.param(
        "reached_on",
        lambda f, value: f.measure.reach_milestone(f.milestone_id, value, ACTOR),
        id="reach_milestone",
    ),
    pytest.param(
        "implemented_on",
        lambda f, value: f.measure.implement(value, "Fertig", ACTOR),
        id="implement",
    ),
]


@pytest.mark.parametrize("value", NOT_DATES)
@pytest.mark.parametrize(("field", "command"), DATED_COMMANDS)
def test_a_date_that_is_not_a_calendar_date_is_refused_with_the_field_name(
    field: str, command: Callable[[MeasureFixture, object], None], value: object
) -> None:
    fixture = MeasureFixture("in_progress")
    before = snapshot(fixture.measure)

    with pytest.raises(InvalidValue) as raised:
        command(fixture, value)

    assert raised.value.field == field
    assert_nothing_recorded(fixture.measure, before)


def test_reporting_progress_moves_a_planned_measure_into_progress() -> None:
    measure = MeasureFixture("planned").measure

    measure.report_progress(10, "Auftakt", ACTOR)

    assert (measure.status, measure.progress, measure.progress_note) == (
        "in_progress",
        10,
        "Auftakt",
    )


def test_reaching_a_milestone_moves_a_planned_measure_into_progress() -> None:
    fixture = MeasureFixture("planned")

    fixture.measure.reach_milestone(fixture.milestone_id, TODAY, ACTOR)

    assert fixture.measure.status == "in_progress"
    assert fixture.measure.milestone(fixture.milestone_id)["reached_on"] == TODAY


def test_implementing_sets_progress_to_100() -> None:
    measure = MeasureFixture("in_progress").measure
    assert measure.progress < 100

    measure.implement(TODAY, "Alle Ämter nutzen es", ACTOR)

    assert measure.progress == 100
    assert measure.implemented_on == TODAY
    assert measure.outcome == "Alle Ämter nutzen es"


REFUSED_BY_OWN_RULES = [
    pytest.param(
        lambda f: f.measure.set_goal(f.goal_id, "Noch ein Ziel", "Anzahl", "10", ACTOR),
        "measure.goal_exists",
        id="set a goal id twice",
    ),
    pytest.param(
        lambda f: f.measure.revise_goal(
            f.goal_id, " Wartezeit senken ", "Wartezeit in Tagen", "unter 5", "", ACTOR
        ),
        "measure.no_changes",
        id="revise a goal without a change",
    ),
    pytest.param(
        lambda f: f.measure.revise_goal(uuid4(), "Ziel", "Indikator", "1", "", ACTOR),
        "measure.no_goal",
        id="revise an unknown goal",
    ),
    pytest.param(
        lambda f: f.measure.add_milestone(f.milestone_id, "Noch einmal", TODAY, ACTOR),
        "measure.milestone_exists",
        id="add a milestone id twice",
    ),
    pytest.param(
        lambda f: f.measure.reach_milestone(uuid4(), TODAY, ACTOR),
        "measure.no_milestone",
        id="reach an unknown milestone",
    ),
    pytest.param(
        lambda f: f.measure.unblock("", ACTOR),
        "measure.not_blocked",
        id="unblock a measure that is not blocked",
    ),
    pytest.param(
        lambda f: f.measure.note_approach("   ", ACTOR),
        "invalid_value",
        id="note an empty approach",
    ),
]


@pytest.mark.parametrize(("command", "code"), REFUSED_BY_OWN_RULES)
def test_a_command_against_the_measures_own_rules_is_refused_and_records_nothing(
    command: Action, code: str
) -> None:
    fixture = MeasureFixture("in_progress")
    before = snapshot(fixture.measure)

    with pytest.raises(DomainError) as raised:
        command(fixture)

    assert raised.value.code == code
    assert_nothing_recorded(fixture.measure, before)


def test_a_milestone_cannot_be_reached_twice() -> None:
    fixture = MeasureFixture("planned")
    fixture.measure.reach_milestone(fixture.milestone_id, TODAY, ACTOR)
    fixture.measure.collect_events()
    before = snapshot(fixture.measure)

    with pytest.raises(DomainError) as raised:
        fixture.measure.reach_milestone(fixture.milestone_id, TODAY, ACTOR)

    assert raised.value.code == "measure.milestone_reached"
    assert_nothing_recorded(fixture.measure, before)


def test_a_measure_cannot_be_blocked_twice() -> None:
    measure = MeasureFixture("planned", blocked=True).measure
    before = snapshot(measure)

    with pytest.raises(DomainError) as raised:
        measure.block("Noch ein Grund", ACTOR)

    assert raised.value.code == "measure.blocked"
    assert_nothing_recorded(measure, before)
