"""ES-6: a command with several events (accept + plan) is stored whole or not at all."""

from __future__ import annotations

import pytest

from ideation.application.errors import ConcurrencyConflict
from ideation.application.service import MEASURE_NAMESPACE, IdeationApplication
from ideation.domain.actor import SYSTEM_ACTOR
from ideation.domain.measure import Measure
from tests.conftest import Cast, event_count


def _idea_in_group(app: IdeationApplication, cast: Cast):
    idea = app.submit_idea(cast.member, title="Digitale Schulanmeldung", summary="Online")
    app.assess_idea(
        cast.coordinator, idea, 1, impact=4, effort=4, expected_weeks=30, rationale="ok"
    )
    app.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)
    return idea


def test_accepting_stores_the_decision_and_the_planned_measure_together(
    app: IdeationApplication, cast: Cast
) -> None:
    idea = _idea_in_group(app, cast)
    before = event_count(app)
    measure = app.accept_idea(cast.coordinator, idea, 3, "Hoher Nutzen")
    assert event_count(app) == before + 2
    assert app.get_idea(idea).measure_id == measure
    assert app.get_measure(measure).idea_id == idea


def test_when_planning_the_measure_fails_the_acceptance_is_not_stored_either(
    app: IdeationApplication, cast: Cast
) -> None:
    idea = _idea_in_group(app, cast)
    # Occupy the measure's id in the store, so the measure's insert conflicts.
    from uuid import uuid5

    squatter = Measure.plan(
        id=uuid5(MEASURE_NAMESPACE, str(idea)),
        idea_id=idea,
        working_group_id=cast.group,
        owner_department_id=cast.mobility,
        title="Platzhalter",
        quick_win=False,
        actor=SYSTEM_ACTOR,
    )
    app.save(squatter)
    before = event_count(app)

    with pytest.raises(ConcurrencyConflict):
        app.accept_idea(cast.coordinator, idea, 3, "Hoher Nutzen")

    assert event_count(app) == before
    view = app.get_idea(idea)
    assert (view.version, view.status, view.measure_id) == (3, "in_working_group", None)


def test_an_idea_can_be_accepted_only_once(app: IdeationApplication, cast: Cast) -> None:
    idea = _idea_in_group(app, cast)
    app.accept_idea(cast.coordinator, idea, 3, "Hoher Nutzen")
    before = event_count(app)
    with pytest.raises(ConcurrencyConflict) as conflict:
        app.accept_idea(cast.coordinator, idea, 3, "Noch einmal")
    assert [e.label for e in conflict.value.events_since] == ["Angenommen"]
    assert "Clara Koordination" in str(conflict.value)
    assert event_count(app) == before
