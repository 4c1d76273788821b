"""From the first proposal to the implemented quick win, through the application, on both stores."""

from __future__ import annotations

import datetime as dt

from ideation.application.service import IdeationApplication
from tests.conftest import Cast


def test_the_history_shows_every_step_from_proposal_to_implemented_quick_win(
    app: IdeationApplication, cast: Cast
) -> None:
    # A member of the Tiefbauamt submits an idea for their department.
    idea = app.submit_idea(
        cast.member,
        title="Freie Parkplätze per Sensor anzeigen",
        summary="Sensoren melden freie Plätze.",
        themes=["Mobilität"],
    )
    # The citizens' office pledges support and comments.
    app.pledge_support(cast.other_member, idea, 1, "Wir machen mit.")
    app.comment_on_idea(cast.other_member, idea, 2, "Auch für Behindertenparkplätze?")
    # The submitting member sharpens the title.
    app.revise_idea(cast.member, idea, 3, {"title": "Parkplatzsensoren am Rathaus"}, "Pilot")
    # The coordination assesses: small effort, quick value → a quick win by the rule.
    app.assess_idea(
        cast.coordinator, idea, 4, impact=4, effort=2, expected_weeks=8, rationale="Klein, sichtbar"
    )
    # The coordination hands it to the working group, which meets and recommends.
    app.assign_idea_to_working_group(cast.coordinator, idea, 5, cast.group)
    app.record_meeting(
        cast.group_member,
        cast.group,
        2,
        held_on=dt.date(2026, 5, 4),
        format="online",
        notes="Pilot besprochen",
        decisions="Empfehlung: annehmen",
        idea_ids=[idea],
    )
    app.recommend(cast.group_member, idea, 6, "accept", "Pilot lohnt sich")
    # The coordination accepts; the measure is planned in the same save.
    measure = app.accept_idea(cast.coordinator, idea, 7, "Quick Win, Mittel vorhanden")
    # The working group sets a goal, revises it, plans and reaches a milestone, implements.
    goal = app.set_goal(
        cast.group_member,
        measure,
        1,
        statement="Parksuchverkehr senken",
        indicator="Suchzeit",
        target="−10 %",
    )
    app.revise_goal(
        cast.group_member,
        measure,
        2,
        goal,
        statement="Parksuchverkehr senken",
        indicator="Suchzeit",
        target="−20 %",
        note="ehrgeiziger",
    )
    milestone = app.add_milestone(
        cast.group_member, measure, 3, "Sensoren montiert", dt.date(2026, 6, 1)
    )
    app.reach_milestone(cast.group_member, measure, 4, milestone, dt.date(2026, 5, 28))
    app.implement_measure(cast.group_member, measure, 5, dt.date(2026, 6, 15), "40 Plätze live")
    app.record_benefit(cast.group_member, measure, 6, cast.citizens, "Weniger Beschwerden")

    history = app.idea_history(idea)

    assert [entry.label for entry in history] == [
        "Idee eingereicht",
        "Mitwirkung zugesagt",
        "Kommentar",
        "Idee überarbeitet",
        "Bewertet",
        "an Arbeitsgruppe übergeben",
        "Sitzung protokolliert",
        "Empfehlung der Arbeitsgruppe",
        "Angenommen",
        "Maßnahme geplant",
        "Ziel festgelegt",
        "Ziel geändert",
        "Meilenstein geplant",
        "Meilenstein erreicht",
        "Umgesetzt",
        "Mehrwert festgehalten",
    ]
    timestamps = [entry.timestamp for entry in history]
    assert timestamps == sorted(timestamps)
    assert all(entry.timestamp.tzinfo is not None for entry in history)
    actors = {entry.label: (entry.actor_person_id, entry.actor_role) for entry in history}
    assert actors["Idee eingereicht"] == (cast.member, "member")
    assert actors["Mitwirkung zugesagt"] == (cast.other_member, "member")
    assert actors["Bewertet"] == (cast.coordinator, "coordinator")
    assert actors["Empfehlung der Arbeitsgruppe"] == (cast.group_member, "group_member")
    assert actors["Umgesetzt"] == (cast.group_member, "group_member")
    by_label = {entry.label: entry for entry in history}
    assert by_label["Idee eingereicht"].actor_department_id == cast.mobility
    assert by_label["Angenommen"].reason == "Quick Win, Mittel vorhanden"
    assert by_label["Empfehlung der Arbeitsgruppe"].reason == "Pilot lohnt sich"
    revision = by_label["Idee überarbeitet"].changes
    assert [(c.field, c.old, c.new) for c in revision] == [
        ("title", "Freie Parkplätze per Sensor anzeigen", "Parkplatzsensoren am Rathaus")
    ]
    goal_change = by_label["Ziel geändert"].changes
    assert [(c.field, c.old, c.new) for c in goal_change] == [("target", "−10 %", "−20 %")]
    assert by_label["Meilenstein erreicht"].details["reached_on"] == dt.date(2026, 5, 28)

    view = app.get_idea(idea)
    assert view.stage == "implemented"
    assert view.stage_label == "Umgesetzt"
    assert view.quick_win is True
    assert view.title == "Parkplatzsensoren am Rathaus"
    assert view.supporting_departments == (cast.citizens,)
    assert [c.text for c in view.comments] == ["Auch für Behindertenparkplätze?"]
    assert view.comments[0].written_at == by_label["Kommentar"].timestamp
    measure_view = app.get_measure(measure)
    assert measure_view.status_label == "Umgesetzt"
    assert measure_view.implemented_on == dt.date(2026, 6, 15)
    assert measure_view.benefits[0]["department_id"] == cast.citizens


def test_a_parked_idea_can_be_reopened_and_merged_with_reasons_in_its_history(
    app: IdeationApplication, cast: Cast
) -> None:
    first = app.submit_idea(cast.member, title="Smarte Laternen", summary="Licht nach Bedarf")
    second = app.submit_idea(cast.member, title="Bedarfslicht", summary="Laternen dimmen")
    app.park_idea(cast.coordinator, second, 1, "Haushalt 2027 abwarten")
    app.reopen_idea(cast.coordinator, second, 2, "Fördermittel bewilligt")
    app.merge_idea(cast.coordinator, second, 3, first, "Gleiche Idee wie „Smarte Laternen“")

    history = app.idea_history(second)
    assert [(e.label, e.reason) for e in history] == [
        ("Idee eingereicht", None),
        ("Zurückgestellt", "Haushalt 2027 abwarten"),
        ("Wieder aufgenommen", "Fördermittel bewilligt"),
        ("Zusammengeführt mit …", "Gleiche Idee wie „Smarte Laternen“"),
    ]
    assert history[-1].details["other_idea_id"] == first
    assert app.get_idea(second).stage_label == "Zusammengeführt"
