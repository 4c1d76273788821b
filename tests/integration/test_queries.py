"""As-of and diff queries: the planner as it was at a past moment or version."""

from __future__ import annotations

import datetime as dt

import pytest

from ideation.application.errors import NotFound
from ideation.entrypoints.demo import SteppingClock
from tests.conftest import Backend, make_cast

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_idea_as_of_a_past_date_shows_the_stage_and_content_it_had_then(backend: Backend) -> None:
    # Every event is one day after the previous one, starting on 2 March 2026.
    clock = SteppingClock(START, dt.timedelta(days=1))
    app = backend.build(clock=clock)
    cast = make_cast(app)
    idea = app.submit_idea(cast.member, title="Offenes WLAN", summary="Im Rathausfoyer")
    submitted_on = clock.now
    app.revise_idea(cast.member, idea, 1, {"title": "Offenes WLAN im Foyer"})
    app.assess_idea(
        cast.coordinator, idea, 2, impact=3, effort=1, expected_weeks=2, rationale="Einfach"
    )
    app.assign_idea_to_working_group(cast.coordinator, idea, 3, cast.group)
    measure = app.accept_idea(cast.coordinator, idea, 4, "Günstig")
    accepted_on = clock.now
    app.report_progress(cast.group_member, measure, 1, 30)

    before_submission = submitted_on - dt.timedelta(hours=1)
    with pytest.raises(NotFound, match="noch nicht"):
        app.idea_as_of(idea, at=before_submission)

    on_day_one = app.idea_as_of(idea, at=submitted_on + dt.timedelta(hours=1))
    assert (on_day_one.version, on_day_one.title, on_day_one.stage) == (
        1,
        "Offenes WLAN",
        "submitted",
    )
    assert on_day_one.quick_win is False

    at_acceptance = app.idea_as_of(idea, at=accepted_on)
    assert at_acceptance.stage_label == "Angenommen"
    assert at_acceptance.quick_win is True
    assert app.get_idea(idea).stage_label == "In Umsetzung"

    by_version = app.idea_as_of(idea, version=3)
    assert by_version.stage == "in_review"
    assert by_version.assessment["effort"] == 1


def test_diff_between_two_versions_lists_old_and_new_values(backend: Backend) -> None:
    app = backend.build()
    cast = make_cast(app)
    idea = app.submit_idea(
        cast.member, title="Baustellenampel-App", summary="Wartezeiten zeigen", themes=["Verkehr"]
    )
    app.revise_idea(cast.member, idea, 1, {"summary": "Wartezeiten live zeigen"})
    app.revise_idea(cast.member, idea, 2, {"themes": ["Verkehr", "Baustellen"]})
    app.assess_idea(
        cast.coordinator, idea, 3, impact=2, effort=3, expected_weeks=20, rationale="Mittel"
    )

    changes = {c.field: (c.old, c.new) for c in app.idea_diff(idea, 1, 4)}
    assert changes["summary"] == ("Wartezeiten zeigen", "Wartezeiten live zeigen")
    assert changes["themes"] == (["Verkehr"], ["Verkehr", "Baustellen"])
    assert changes["status"] == ("submitted", "in_review")
    assert "title" not in changes
    assert app.idea_diff(idea, 2, 2) == []
    with pytest.raises(NotFound):
        app.idea_diff(idea, 1, 99)
