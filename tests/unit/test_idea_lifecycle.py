"""The idea lifecycle (DESIGN §3): which action is possible in which status, and where it leads."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID, uuid4

import pytest

from ideation.domain.errors import DomainError, IllegalTransition
from ideation.domain.idea import Idea
from tests.unit.builders import (
    assert_nothing_recorded,
    coordinator,
    idea_in,
    snapshot,
)

ACTOR = coordinator()
SUPPORTER = uuid4()  # pledged while the idea was still open, so withdraw_support has a pledge

STATUSES = (
    "submitted",
    "in_review",
    "in_working_group",
    "accepted",
    "rejected",
    "parked",
    "merged",
    "withdrawn",
)

STAGE_LABELS = {
    "submitted": "Eingereicht",
    "in_review": "In Prüfung",
    "in_working_group": "In Arbeitsgruppe",
    "accepted": "Angenommen",
    "rejected": "Abgelehnt",
    "parked": "Zurückgestellt",
    "merged": "Zusammengeführt",
    "withdrawn": "Zurückgezogen",
}

Action = Callable[[Idea], None]

ACTIONS: dict[str, Action] = {
    "revise": lambda idea: idea.revise({"title": "Ein neuer Titel"}, "genauer", ACTOR),
    "comment": lambda idea: idea.comment("Gute Idee", ACTOR),
    "pledge_support": lambda idea: idea.pledge_support(uuid4(), "", ACTOR),
    "withdraw_support": lambda idea: idea.withdraw_support(SUPPORTER, "", ACTOR),
    "assess": lambda idea: idea.assess(3, 3, 20, "Mittlere Wirkung", ACTOR),
    "override_quick_win": lambda idea: idea.override_quick_win(False, "Zu riskant", ACTOR),
    "assign_to_working_group": lambda idea: idea.assign_to_working_group(uuid4(), ACTOR),
    "recommend": lambda idea: idea.recommend("accept", "Passt zum Auftrag", ACTOR),
    "accept": lambda idea: idea.accept(uuid4(), "Empfehlung überzeugt", ACTOR),
    "reject": lambda idea: idea.reject("Kein Bedarf", ACTOR),
    "park": lambda idea: idea.park("Haushalt abwarten", ACTOR),
    "reopen": lambda idea: idea.reopen("Haushalt steht", ACTOR),
    "merge_into": lambda idea: idea.merge_into(uuid4(), "Doppelt", ACTOR),
    "withdraw": lambda idea: idea.withdraw("Erledigt", ACTOR),
}

EVENTS = {
    "revise": Idea.Revised,
    "comment": Idea.Commented,
    "pledge_support": Idea.SupportPledged,
    "withdraw_support": Idea.SupportWithdrawn,
    "assess": Idea.Assessed,
    "override_quick_win": Idea.QuickWinOverridden,
    "assign_to_working_group": Idea.AssignedToWorkingGroup,
    "recommend": Idea.Recommended,
    "accept": Idea.Accepted,
    "reject": Idea.Rejected,
    "park": Idea.Parked,
    "reopen": Idea.Reopened,
    "merge_into": Idea.MergedInto,
    "withdraw": Idea.Withdrawn,
}

# The expected-allowed table: one row per action, one column per status (order of STATUSES).
# A status abbreviation says the action is allowed and where the idea lands;
# "--" says it is refused with IllegalTransition "idea.illegal_transition" naming the stage;
# "NA" says it is refused with IllegalTransition "idea.not_assessed".
ABBREVIATIONS = {
    "SU": "submitted",
    "RV": "in_review",
    "WG": "in_working_group",
    "AC": "accepted",
    "RJ": "rejected",
    "PK": "parked",
    "MG": "merged",
    "WD": "withdrawn",
}
REFUSALS = {"--": "idea.illegal_transition", "NA": "idea.not_assessed"}
# fmt: off
MATRIX: dict[str, tuple[str, ...]] = {
    #                           SU    RV    WG    AC    RJ    PK    MG    WD
    "revise":                  ("SU", "RV", "WG", "--", "--", "--", "--", "--"),
    "comment":                 ("SU", "RV", "WG", "AC", "RJ", "PK", "MG", "WD"),
    "pledge_support":          ("SU", "RV", "WG", "AC", "--", "--", "--", "--"),
    "withdraw_support":        ("SU", "RV", "WG", "AC", "--", "--", "--", "--"),
    "assess":                  ("RV", "RV", "WG", "--", "--", "--", "--", "--"),
    # A submitted idea is never assessed: assessing it moves it into review.
    "override_quick_win":      ("NA", "RV", "WG", "--", "--", "--", "--", "--"),
    "assign_to_working_group": ("--", "WG", "WG", "--", "--", "--", "--", "--"),
    "recommend":               ("--", "--", "WG", "--", "--", "--", "--", "--"),
    "accept":                  ("--", "--", "AC", "--", "--", "--", "--", "--"),
    "reject":                  ("RJ", "RJ", "RJ", "--", "--", "--", "--", "--"),
    "park":                    ("PK", "PK", "PK", "--", "--", "--", "--", "--"),
    "reopen":                  ("--", "--", "--", "--", "--", "RV", "--", "--"),
    "merge_into":              ("MG", "MG", "MG", "--", "--", "--", "--", "--"),
    "withdraw":                ("WD", "WD", "WD", "--", "--", "--", "--", "--"),
}
# fmt: on

CELLS = [
    (status, action, MATRIX[action][column])
    for action in MATRIX
    for column, status in enumerate(STATUSES)
]
ALLOWED = [
    pytest.param(status, action, ABBREVIATIONS[cell], id=f"{status}-{action}")
    for status, action, cell in CELLS
    if cell in ABBREVIATIONS
]
REFUSED = [
    pytest.param(status, action, REFUSALS[cell], id=f"{status}-{action}")
    for status, action, cell in CELLS
    if cell in REFUSALS
]


def test_the_matrix_covers_every_action_and_status() -> None:
    assert set(MATRIX) == set(ACTIONS) == set(EVENTS)
    assert all(len(row) == len(STATUSES) for row in MATRIX.values())
    assert tuple(ABBREVIATIONS.values()) == STATUSES
    assert len(ALLOWED) + len(REFUSED) == len(STATUSES) * len(ACTIONS)


@pytest.mark.parametrize("status", STATUSES)
def test_the_helper_reaches_every_status_through_real_commands(status: str) -> None:
    idea = idea_in(status, supporter=SUPPORTER)

    assert idea.status == status
    assert idea.status_label == STAGE_LABELS[status]
    assert SUPPORTER in idea.supporting_departments
    assert idea.is_open is (status in ("submitted", "in_review", "in_working_group"))


@pytest.mark.parametrize(("status", "action", "expected_status"), ALLOWED)
def test_an_allowed_action_records_one_event_and_lands_in_the_expected_status(
    status: str, action: str, expected_status: str
) -> None:
    idea = idea_in(status, supporter=SUPPORTER)
    version = idea.version

    ACTIONS[action](idea)

    events = idea.collect_events()
    assert [type(e) for e in events] == [EVENTS[action]]
    assert idea.version == version + 1
    assert idea.status == expected_status


@pytest.mark.parametrize(("status", "action", "code"), REFUSED)
def test_an_illegal_action_is_refused_with_a_stable_code_and_records_nothing(
    status: str, action: str, code: str
) -> None:
    idea = idea_in(status, supporter=SUPPORTER)
    before = snapshot(idea)

    with pytest.raises(IllegalTransition) as raised:
        ACTIONS[action](idea)

    assert raised.value.code == code
    assert_nothing_recorded(idea, before)


@pytest.mark.parametrize(
    ("status", "action", "code"),
    [p for p in REFUSED if p.values[2] == "idea.illegal_transition"],
)
def test_the_refusal_message_names_the_current_stage_in_german(
    status: str, action: str, code: str
) -> None:
    idea = idea_in(status, supporter=SUPPORTER)

    with pytest.raises(IllegalTransition) as raised:
        ACTIONS[action](idea)

    assert str(raised.value) == raised.value.message
    assert f"„{STAGE_LABELS[status]}“" in str(raised.value)
    assert raised.value.details["status"] == status


def test_a_rejected_idea_cannot_be_assessed() -> None:
    idea = idea_in("rejected")

    with pytest.raises(IllegalTransition) as raised:
        idea.assess(5, 1, 4, "Doch gut", ACTOR)

    assert str(raised.value) == (
        "Die Idee ist im Stand „Abgelehnt“; „Bewerten“ ist so nicht möglich."
    )


def test_a_parked_idea_reopens_into_review_without_its_working_group() -> None:
    idea = idea_in("in_working_group")
    idea.recommend("park", "Erst nach der Haushaltsberatung", ACTOR)
    idea.park("Haushalt abwarten", ACTOR)

    idea.reopen("Haushalt steht", ACTOR)

    assert idea.status == "in_review"
    assert idea.working_group_id is None
    assert idea.recommendation is None
    assert idea.decision_reason == "Haushalt steht"


def test_assigning_to_another_working_group_clears_the_old_recommendation() -> None:
    idea = idea_in("in_working_group")
    idea.recommend("reject", "Kein Auftrag der Gruppe", ACTOR)
    other_group = uuid4()

    idea.assign_to_working_group(other_group, ACTOR)

    assert idea.working_group_id == other_group
    assert idea.recommendation is None


def test_an_accepted_idea_remembers_its_measure_and_reason() -> None:
    idea = idea_in("in_working_group")
    measure_id = uuid4()

    idea.accept(measure_id, "Empfehlung überzeugt", ACTOR)

    assert idea.measure_id == measure_id
    assert idea.decision_reason == "Empfehlung überzeugt"


def _own_department(idea: Idea) -> UUID:
    return idea.department_id


REFUSED_BY_OWN_RULES = [
    pytest.param(
        lambda idea: idea.revise({"title": f"  {idea.title}  "}, "", ACTOR),
        "idea.no_changes",
        id="revise without a real change",
    ),
    pytest.param(
        lambda idea: idea.pledge_support(_own_department(idea), "", ACTOR),
        "idea.own_department_support",
        id="the submitting department pledges",
    ),
    pytest.param(
        lambda idea: idea.pledge_support(SUPPORTER, "", ACTOR),
        "idea.support_already_pledged",
        id="a department pledges twice",
    ),
    pytest.param(
        lambda idea: idea.withdraw_support(uuid4(), "", ACTOR),
        "idea.support_not_pledged",
        id="a department withdraws a pledge it never made",
    ),
    pytest.param(
        lambda idea: idea.assign_to_working_group(idea.working_group_id, ACTOR),
        "idea.already_in_working_group",
        id="assign to the group that already has it",
    ),
    pytest.param(
        lambda idea: idea.recommend("merge", "Doppelt", ACTOR),
        "invalid_value",
        id="recommend an unknown outcome",
    ),
    pytest.param(
        lambda idea: idea.merge_into(idea.id, "Doppelt", ACTOR),
        "invalid_value",
        id="merge an idea into itself",
    ),
    pytest.param(
        lambda idea: idea.assess(6, 1, 4, "Sehr gut", ACTOR),
        "invalid_value",
        id="assess with an impact of 6",
    ),
    pytest.param(
        lambda idea: idea.revise({"status": "accepted"}, "", ACTOR),
        "invalid_value",
        id="revise a field that is not content",
    ),
    pytest.param(
        lambda idea: idea.comment("Stimmt", ACTOR, reply_to=uuid4()),
        "invalid_value",
        id="reply to an unknown comment",
    ),
]


@pytest.mark.parametrize(("command", "code"), REFUSED_BY_OWN_RULES)
def test_a_command_against_the_ideas_own_rules_is_refused_and_records_nothing(
    command: Action, code: str
) -> None:
    idea = idea_in("in_working_group", supporter=SUPPORTER)
    before = snapshot(idea)

    with pytest.raises(DomainError) as raised:
        command(idea)

    assert raised.value.code == code
    assert_nothing_recorded(idea, before)
