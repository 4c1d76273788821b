"""The whole planner as it was at a past moment (Stand am …), replayed from the events."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete

from ideation.entrypoints.demo import SteppingClock
from ideation.readmodels.facade import ReadModels
from ideation.readmodels.tables import ideas
from tests.conftest import Backend, event_count, make_cast

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_the_planner_as_of_a_past_moment_shows_stages_and_titles_of_then(
    backend: Backend,
) -> None:
    # Every event is one day after the previous one.
    clock = SteppingClock(START, dt.timedelta(days=1))
    app = backend.build(clock=clock)
    cast = make_cast(app)
    reads = app.read_models
    assert isinstance(reads, ReadModels)
    before_any_idea = clock.now

    # A member submits the Wi-Fi idea and the coordination assesses it (in review).
    wifi = app.submit_idea(cast.member, title="Offenes WLAN", summary="Im Rathausfoyer")
    app.assess_idea(
        cast.coordinator, wifi, 1, impact=3, effort=1, expected_weeks=2, rationale="Einfach"
    )
    # The citizens' office submits the lanterns idea.
    lanterns = app.submit_idea(cast.other_member, title="Smarte Laternen", summary="Licht")
    while_in_review = clock.now
    # The title is sharpened; the working group takes the idea; it is accepted and begun.
    app.revise_idea(cast.member, wifi, 2, {"title": "Offenes WLAN im Foyer"})
    app.assign_idea_to_working_group(cast.coordinator, wifi, 3, cast.group)
    measure = app.accept_idea(cast.coordinator, wifi, 4, "Günstig")
    app.report_progress(cast.group_member, measure, 1, 30)
    # The lanterns are rejected; a third idea comes in last.
    app.reject_idea(cast.coordinator, lanterns, 1, "Kein Budget")
    late = app.submit_idea(cast.member, title="Digitale Bauakte", summary="Akten digital")

    then = reads.planner_as_of(while_in_review + dt.timedelta(hours=1))

    assert [(i.id, i.title, i.stage, i.stage_label) for i in then.ideas] == [
        (wifi, "Offenes WLAN", "in_review", "In Prüfung"),
        (lanterns, "Smarte Laternen", "submitted", "Eingereicht"),
    ]
    assert late not in {i.id for i in then.ideas}
    assert then.funnel.as_dict() == {
        "submitted": 1,
        "in_review": 1,
        "in_working_group": 0,
        "accepted": 0,
        "in_progress": 0,
        "implemented": 0,
        "rejected": 0,
        "parked": 0,
        "merged": 0,
        "withdrawn": 0,
        "cancelled": 0,
    }
    assert then.ideas[0].quick_win is True
    assert then.ideas[0].measure_id is None
    assert then.moment == while_in_review + dt.timedelta(hours=1)

    # Today the same ideas have moved on.
    now = reads.planner_as_of(clock.now)
    assert [(i.title, i.stage) for i in now.ideas] == [
        ("Offenes WLAN im Foyer", "in_progress"),
        ("Smarte Laternen", "rejected"),
        ("Digitale Bauakte", "submitted"),
    ]
    # Before the first idea, the planner was empty but the city already existed.
    empty = reads.planner_as_of(before_any_idea)
    assert (empty.ideas, empty.funnel.total) == ((), 0)
    assert 0 < empty.events_applied < now.events_applied == event_count(app)


def test_the_planner_as_of_now_matches_the_live_read_model(backend: Backend) -> None:
    clock = SteppingClock(START, dt.timedelta(hours=5))
    app = backend.build(clock=clock)
    cast = make_cast(app)
    reads = app.read_models
    assert isinstance(reads, ReadModels)
    first = app.submit_idea(
        cast.member, title="Bewässerung per Sensor", summary="Bäume", themes=["Grün"]
    )
    second = app.submit_idea(cast.other_member, title="Bürgerbüro online", summary="Termine")
    app.pledge_support(cast.other_member, first, 1, "Dabei")
    app.comment_on_idea(cast.member, second, 1, "Gute Idee")
    app.assess_idea(
        cast.coordinator, first, 2, impact=4, effort=2, expected_weeks=6, rationale="Klein"
    )
    app.assign_idea_to_working_group(cast.coordinator, first, 3, cast.group)
    measure = app.accept_idea(cast.coordinator, first, 4, "Ja")
    app.report_progress(cast.group_member, measure, 1, 50)
    app.implement_measure(cast.group_member, measure, 2, dt.date(2026, 4, 1), "Fertig")
    app.park_idea(cast.coordinator, second, 2, "Später")

    replayed = reads.planner_as_of(clock.now + dt.timedelta(seconds=1))

    live = reads.list_ideas(sort="submitted", direction="asc", page_size=100)
    assert replayed.ideas == live.rows
    assert replayed.funnel == reads.funnel()
    assert replayed.funnel.count("implemented") == 1
    assert replayed.funnel.count("parked") == 1


def test_the_planner_as_of_a_moment_is_computed_from_the_events_not_the_read_model(
    backend: Backend,
) -> None:
    app = backend.build()
    cast = make_cast(app)
    reads = app.read_models
    assert isinstance(reads, ReadModels)
    idea = app.submit_idea(cast.member, title="Offene Daten", summary="Portal")
    # Someone empties the live idea table behind the projector's back.
    with reads.engine.begin() as conn:
        conn.execute(delete(ideas))
    assert reads.list_ideas().total == 0

    replayed = reads.planner_as_of(dt.datetime.now(dt.UTC))

    assert [i.id for i in replayed.ideas] == [idea]


def test_an_object_is_not_shown_before_it_existed_even_if_a_clock_went_back(
    backend: Backend,
) -> None:
    clock = SteppingClock(START, dt.timedelta(days=1))
    app = backend.build(clock=clock)
    cast = make_cast(app)
    reads = app.read_models
    assert isinstance(reads, ReadModels)
    idea = app.submit_idea(cast.member, title="Offenes WLAN", summary="Foyer")
    submitted = clock.now
    # Another process with a clock ten days behind records a comment.
    clock.now = submitted - dt.timedelta(days=10)
    app.comment_on_idea(cast.other_member, idea, 1, "Frühe Notiz")

    before = reads.planner_as_of(submitted - dt.timedelta(days=5))
    after = reads.planner_as_of(submitted)

    # Five days before the submission the idea did not exist, whatever its later events say.
    assert before.ideas == ()
    assert [(i.id, i.comment_count) for i in after.ideas] == [(idea, 1)]


def test_a_moment_without_a_time_zone_is_refused_in_german(backend: Backend) -> None:
    app = backend.build()
    assert app.read_models is not None
    with pytest.raises(ValueError, match="Zeitzone"):
        app.read_models.planner_as_of(dt.datetime(2026, 3, 2, 9, 0))


def test_the_planner_as_of_a_moment_shows_measures_and_roles_of_then(
    backend: Backend,
) -> None:
    # Every event is one day after the previous one.
    clock = SteppingClock(START, dt.timedelta(days=1))
    app = backend.build(clock=clock)
    cast = make_cast(app)
    idea = app.submit_idea(cast.member, title="Offenes WLAN", summary="Im Rathausfoyer")
    app.assess_idea(
        cast.coordinator, idea, 1, impact=3, effort=1, expected_weeks=2, rationale="Einfach"
    )
    app.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)
    measure = app.accept_idea(cast.coordinator, idea, 3, "Günstig")
    planned = clock.now
    app.report_progress(cast.group_member, measure, 1, 40, "Router bestellt")
    # Berta becomes a coordinator later.
    berta_version = app.get_person(cast.other_member).version
    app.grant_role(cast.admin, cast.other_member, berta_version, "coordinator")

    then = app.read_models.planner_as_of(planned + dt.timedelta(hours=1))
    now = app.read_models.planner_as_of(clock.now)

    assert [(m.id, m.status, m.progress) for m in then.measures] == [(measure, "planned", 0)]
    assert [(m.id, m.status, m.progress) for m in now.measures] == [(measure, "in_progress", 40)]
    roles_then = {p.id: p.roles for p in then.people}
    roles_now = {p.id: p.roles for p in now.people}
    assert roles_then[cast.other_member] == ("member",)
    assert set(roles_now[cast.other_member]) == {"member", "coordinator"}
