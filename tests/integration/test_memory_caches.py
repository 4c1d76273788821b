"""History trails (ADR 0008) and loaded ideas stay correct beside other server processes."""

from __future__ import annotations

import datetime as dt

import pytest

from ideation.application.errors import ConcurrencyConflict, InvalidRequest, NotFound
from ideation.application.service import IdeationApplication
from tests.conftest import Backend, Cast


def _steps(app: IdeationApplication, idea) -> list[tuple[str, int]]:
    return [(e.event_type, e.version) for e in app.idea_history(idea)]


def test_a_history_read_before_another_process_wrote_shows_its_steps_afterwards(
    backend: Backend, app: IdeationApplication, cast: Cast
) -> None:
    other = backend.build()  # a second server process on the same store
    idea = app.submit_idea(cast.member, title="Ampeln vernetzen", summary="Grüne Welle")
    assert _steps(app, idea) == [("Idea.Submitted", 1)]  # the trail now exists

    # The other process comments, revises, assesses, assigns, holds a meeting and plans the
    # measure; the first process's trail must pick up every step, with the revision's diff.
    other.comment_on_idea(cast.other_member, idea, 1, "Gute Idee")
    other.revise_idea(cast.member, idea, 2, {"summary": "Grüne Welle für Busse"}, "präziser")
    other.assess_idea(
        cast.coordinator, idea, 3, impact=4, effort=2, expected_weeks=6, rationale="r"
    )
    other.assign_idea_to_working_group(cast.coordinator, idea, 4, cast.group)
    group_version = other.get_working_group(cast.group).version
    other.record_meeting(
        cast.group_member,
        cast.group,
        group_version,
        held_on=dt.date(2026, 3, 7),
        format="online",
        notes="Besprochen",
        idea_ids=[idea],
    )
    other.recommend(cast.group_member, idea, 5, "accept", "lohnt sich")
    measure = other.accept_idea(cast.coordinator, idea, 6, "Quick Win")
    other.report_progress(cast.group_member, measure, 1, 30, "begonnen")

    mine, theirs = app.idea_history(idea), other.idea_history(idea)
    assert [(e.event_type, e.version) for e in mine] == [(e.event_type, e.version) for e in theirs]
    kinds = [e.event_type for e in mine]
    assert "WorkingGroup.MeetingRecorded" in kinds
    assert "Measure.Planned" in kinds
    assert kinds[-1] == "Measure.ProgressReported"
    revision = next(e for e in mine if e.event_type == "Idea.Revised")
    assert [(c.field, c.new) for c in revision.changes] == [("summary", "Grüne Welle für Busse")]
    # A fresh process (no trail yet) builds the very same history.
    assert _steps(backend.build(), idea) == _steps(app, idea)


def test_an_idea_read_from_memory_shows_what_another_process_stored_since(
    backend: Backend, app: IdeationApplication, cast: Cast
) -> None:
    other = backend.build()
    idea = app.submit_idea(cast.member, title="Parkplätze zählen", summary="Sensoren")
    assert app.get_idea(idea).comments == ()  # now cached in this process
    other.comment_on_idea(cast.other_member, idea, 1, "Aus dem anderen Prozess")
    seen = app.get_idea(idea)
    assert seen.version == 2
    assert [c.text for c in seen.comments] == ["Aus dem anderen Prozess"]
    # A command with the version this process saw before is refused as a conflict.
    with pytest.raises(ConcurrencyConflict):
        app.comment_on_idea(cast.member, idea, 1, "Veraltet")
    app.comment_on_idea(cast.member, idea, 2, "Aktuell")
    assert [c.text for c in other.get_idea(idea).comments] == [
        "Aus dem anderen Prozess",
        "Aktuell",
    ]


def test_a_refused_command_leaves_nothing_behind_in_memory(
    app: IdeationApplication, cast: Cast
) -> None:
    idea = app.submit_idea(cast.member, title="Laternen dimmen", summary="Nachts")
    app.get_idea(idea)
    with pytest.raises(ConcurrencyConflict):
        app.revise_idea(cast.member, idea, 7, {"title": "Mit falscher Version"})
    with pytest.raises(InvalidRequest):
        app.idea_as_of(idea)
    after = app.get_idea(idea)
    assert (after.version, after.title) == (1, "Laternen dimmen")


def test_stand_am_and_comment_times_come_from_the_trail_as_stored(
    backend: Backend, app: IdeationApplication, cast: Cast
) -> None:
    idea = app.submit_idea(cast.member, title="Bänke zählen", summary="Im Park")
    app.comment_on_idea(cast.other_member, idea, 1, "Erster")
    first_state = app.get_idea(idea)
    other = backend.build()
    other.comment_on_idea(cast.member, idea, 2, "Zweiter")
    stored = {e.originator_version: e.timestamp for e in app.events.get(idea)}

    now = app.get_idea(idea)
    assert [c.written_at for c in now.comments] == [stored[2], stored[3]]
    assert app.idea_as_of(idea, at=stored[2]).version == 2
    assert app.idea_as_of(idea, at=stored[3]).version == 3
    assert app.idea_as_of(idea, at=stored[2]).comments == first_state.comments
    with pytest.raises(NotFound):
        app.idea_as_of(idea, at=stored[1] - dt.timedelta(seconds=1))
    with pytest.raises(NotFound):  # a person is not an idea, trail or not
        app.idea_history(cast.member)


def test_stand_am_after_the_ideas_last_step_shows_its_measure_as_it_was_then(
    app: IdeationApplication, cast: Cast
) -> None:
    # The idea's newest version comes from the trail, but its measure moved on afterwards:
    # "Stand am" between the two must show the measure's stage of that moment.
    idea = app.submit_idea(cast.member, title="Sensoren im Kanal", summary="Pegel messen")
    app.assess_idea(cast.coordinator, idea, 1, impact=4, effort=2, expected_weeks=6, rationale="r")
    app.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)
    measure = app.accept_idea(cast.coordinator, idea, 3, "Umsetzen")
    accepted_at = app.get_idea(idea).updated_at
    app.report_progress(cast.group_member, measure, 1, 60, "Hälfte verbaut")
    app.implement_measure(
        cast.group_member, measure, 2, implemented_on=dt.date(2026, 5, 1), outcome="fertig"
    )
    now, then = app.get_idea(idea), app.idea_as_of(idea, at=accepted_at)
    assert then.version == now.version
    assert now.stage == "implemented"
    assert then.stage != now.stage
