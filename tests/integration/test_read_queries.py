"""Idea and measure lists, departments, working groups and the dashboard, on both stores."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

import pytest

from ideation.application.service import IdeationApplication
from ideation.domain.stages import STAGE_SEQUENCE
from ideation.entrypoints.demo import SteppingClock
from ideation.readmodels import queries
from ideation.readmodels.facade import ReadModels
from tests.conftest import Backend, Cast, make_cast

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _reads(app: IdeationApplication) -> ReadModels:
    assert app.read_models is not None
    return app.read_models


def _version(app: IdeationApplication, idea: UUID) -> int:
    return app.get_idea(idea).version


def _assess(
    app: IdeationApplication, cast: Cast, idea: UUID, impact: int, effort: int, weeks: int
) -> None:
    app.assess_idea(
        cast.coordinator,
        idea,
        _version(app, idea),
        impact=impact,
        effort=effort,
        expected_weeks=weeks,
        rationale="Bewertet",
    )


def _accept(app: IdeationApplication, cast: Cast, idea: UUID, owner: UUID | None = None) -> UUID:
    """Hand an assessed idea to the working group and accept it; return the measure."""
    app.assign_idea_to_working_group(cast.coordinator, idea, _version(app, idea), cast.group)
    return app.accept_idea(
        cast.coordinator, idea, _version(app, idea), "Passt", owner_department_id=owner
    )


def _implement(app: IdeationApplication, cast: Cast, measure: UUID, on: dt.date) -> None:
    app.report_progress(cast.group_member, measure, app.get_measure(measure).version, 50)
    app.implement_measure(cast.group_member, measure, app.get_measure(measure).version, on, "Läuft")


def _benefit(
    app: IdeationApplication, cast: Cast, measure: UUID, department: UUID, text: str
) -> None:
    app.record_benefit(
        cast.group_member, measure, app.get_measure(measure).version, department, text
    )


@dataclass(frozen=True)
class City:
    """Ideas in every visible stage (who submitted it: mobility = Tiefbauamt, citizens =
    Bürgerdienste)."""

    parking: UUID  # mobility, quick win, implemented, 1 support (citizens), 2 benefits
    appointments: UUID  # citizens, in review, 1 support (mobility)
    defects: UUID  # citizens, submitted, 1 comment
    lanterns: UUID  # mobility, rejected
    chargers: UUID  # mobility, quick win by override, implemented, owned by citizens
    overview: UUID  # mobility, in the working group
    minutes: UUID  # citizens, accepted (measure planned)
    drones: UUID  # mobility, in progress
    traffic_light: UUID  # mobility, withdrawn
    parking_measure: UUID
    chargers_measure: UUID
    minutes_measure: UUID
    drones_measure: UUID


def _city(app: IdeationApplication, cast: Cast) -> City:
    parking = app.submit_idea(
        cast.member,
        title="Freie Parkplätze per Sensor",
        summary="Sensoren melden freie Plätze.",
        themes=["Mobilität", "Sensorik"],
    )
    appointments = app.submit_idea(
        cast.other_member,
        title="Online-Terminvergabe",
        summary="Termine im Bürgerbüro online buchen.",
        themes=["Verwaltung"],
    )
    defects = app.submit_idea(
        cast.other_member,
        title="Digitale Mängelmeldung",
        summary="Schlaglöcher mit Foto melden.",
        themes=["Beteiligung", "Mobilität"],
    )
    lanterns = app.submit_idea(cast.member, title="Smarte Laternen", summary="Licht nach Bedarf")
    chargers = app.submit_idea(
        cast.member, title="Ladesäulen-Karte", summary="Alle Ladesäulen", themes=["Mobilität"]
    )
    overview = app.submit_idea(cast.member, title="Übersicht Baustellen", summary="Eine Karte")
    minutes = app.submit_idea(
        cast.other_member, title="Sitzungsdienst digital", summary="Protokolle online"
    )
    drones = app.submit_idea(cast.member, title="Drohnen-Vermessung", summary="Luftbilder")
    traffic_light = app.submit_idea(cast.member, title="Baustellenampel", summary="Wartezeit")

    # Support: the citizens' office for the parking sensors, the Tiefbauamt for appointments;
    # a pledge taken back does not count.
    app.pledge_support(cast.other_member, parking, 1, "Wir machen mit.")
    app.pledge_support(cast.member, appointments, 1, "Gern.")
    app.pledge_support(cast.other_member, chargers, 1, "Vielleicht.")
    app.withdraw_support(cast.other_member, chargers, 2, "Doch nicht.")
    app.comment_on_idea(cast.member, defects, 1, "Auch für Radwege?")

    _assess(app, cast, parking, impact=4, effort=2, weeks=8)  # quick win by the rule
    _assess(app, cast, appointments, impact=5, effort=4, weeks=30)
    _assess(app, cast, lanterns, impact=2, effort=3, weeks=20)
    _assess(app, cast, chargers, impact=3, effort=4, weeks=20)
    app.override_quick_win(
        cast.coordinator, chargers, _version(app, chargers), True, "Sichtbar für alle"
    )
    _assess(app, cast, overview, impact=3, effort=3, weeks=16)
    _assess(app, cast, minutes, impact=2, effort=3, weeks=20)
    _assess(app, cast, drones, impact=1, effort=5, weeks=40)

    app.reject_idea(cast.coordinator, lanterns, _version(app, lanterns), "Zu teuer")
    app.withdraw_idea(cast.member, traffic_light, 1, "Erledigt sich")
    app.assign_idea_to_working_group(
        cast.coordinator, overview, _version(app, overview), cast.group
    )
    parking_measure = _accept(app, cast, parking)
    chargers_measure = _accept(app, cast, chargers, owner=cast.citizens)
    minutes_measure = _accept(app, cast, minutes)
    drones_measure = _accept(app, cast, drones)
    app.report_progress(cast.group_member, drones_measure, 1, 20)
    _implement(app, cast, parking_measure, dt.date(2026, 5, 4))
    _implement(app, cast, chargers_measure, dt.date(2026, 6, 1))
    _benefit(app, cast, parking_measure, cast.citizens, "Weniger Beschwerden")
    _benefit(app, cast, parking_measure, cast.digital, "Daten fürs Dashboard")
    _benefit(app, cast, chargers_measure, cast.mobility, "Weniger Suchverkehr")
    return City(
        parking=parking,
        appointments=appointments,
        defects=defects,
        lanterns=lanterns,
        chargers=chargers,
        overview=overview,
        minutes=minutes,
        drones=drones,
        traffic_light=traffic_light,
        parking_measure=parking_measure,
        chargers_measure=chargers_measure,
        minutes_measure=minutes_measure,
        drones_measure=drones_measure,
    )


@pytest.fixture
def city(app: IdeationApplication, cast: Cast) -> City:
    return _city(app, cast)


def _ids(page_or_rows: object) -> set[UUID]:
    rows = getattr(page_or_rows, "rows", page_or_rows)
    return {row.id for row in rows}  # type: ignore[attr-defined]


def test_ideas_can_be_filtered_by_status_stage_department_theme_quick_win_and_group(
    app: IdeationApplication, cast: Cast, city: City
) -> None:
    reads = _reads(app)

    assert _ids(reads.list_ideas(status="in_review")) == {city.appointments}
    assert _ids(reads.list_ideas(status="accepted")) == {
        city.parking,
        city.chargers,
        city.minutes,
        city.drones,
    }
    # The stage a person sees: an accepted idea shows its measure's stage.
    assert _ids(reads.list_ideas(stage="implemented")) == {city.parking, city.chargers}
    assert _ids(reads.list_ideas(stage=["accepted", "in_progress"])) == {
        city.minutes,
        city.drones,
    }
    assert _ids(reads.list_ideas(stage="withdrawn")) == {city.traffic_light}
    assert _ids(reads.list_ideas(department_id=cast.citizens)) == {
        city.appointments,
        city.defects,
        city.minutes,
    }
    assert _ids(reads.list_ideas(theme="Mobilität")) == {city.parking, city.defects, city.chargers}
    assert _ids(reads.list_ideas(theme="Sensorik")) == {city.parking}
    assert reads.list_ideas(theme="Unbekanntes Thema").total == 0
    assert _ids(reads.list_ideas(quick_win=True)) == {city.parking, city.chargers}
    assert reads.list_ideas(quick_win=False).total == 7
    assert _ids(reads.list_ideas(working_group_id=cast.group)) == {
        city.overview,
        city.parking,
        city.chargers,
        city.minutes,
        city.drones,
    }
    # Filters combine: mobility's quick wins that are implemented.
    both = reads.list_ideas(department_id=cast.mobility, quick_win=True, stage="implemented")
    assert _ids(both) == {city.parking, city.chargers}


@pytest.mark.parametrize("walk_from", [0, 10_000], ids=["walking-the-list", "theme-first"])
def test_a_theme_filter_finds_the_same_page_however_the_query_is_shaped(
    app: IdeationApplication,
    cast: Cast,
    city: City,
    monkeypatch: pytest.MonkeyPatch,
    walk_from: int,
) -> None:
    # A common theme's page is found by walking the list, a rare one's by its ideas first
    # (B3, issue 9); a person must see the same ideas, order and count either way.
    monkeypatch.setattr(queries, "THEME_WALK_FROM", walk_from)
    reads = _reads(app)

    newest_first = reads.list_ideas(theme="Mobilität")
    every_idea = reads.list_ideas(page_size=100).rows
    expected = [r.id for r in every_idea if "Mobilität" in r.themes]
    assert [r.id for r in newest_first.rows] == expected
    assert set(expected) == {city.parking, city.defects, city.chargers}
    assert newest_first.total == 3
    by_title = reads.list_ideas(theme="Mobilität", sort="title", page_size=2, page=2)
    assert ([r.id for r in by_title.rows], by_title.total) == ([city.chargers], 3)
    both = reads.list_ideas(theme="Mobilität", quick_win=True, sort="submitted")
    assert ([r.id for r in both.rows], both.total) == ([city.chargers, city.parking], 2)
    assert reads.list_ideas(theme="Unbekanntes Thema").total == 0


def test_an_idea_row_carries_what_a_list_shows(
    app: IdeationApplication, cast: Cast, city: City
) -> None:
    reads = _reads(app)
    [row] = reads.list_ideas(theme="Sensorik").rows

    assert (row.title, row.status_label, row.stage, row.stage_label) == (
        "Freie Parkplätze per Sensor",
        "Angenommen",
        "implemented",
        "Umgesetzt",
    )
    assert row.themes == ("Mobilität", "Sensorik")
    assert (row.impact, row.effort, row.expected_weeks) == (4, 2, 8)
    assert (row.support_count, row.quick_win, row.quick_win_overridden) == (1, True, False)
    assert row.measure_id == city.parking_measure
    assert row.department_id == cast.mobility
    assert row.submitted_by == cast.member
    assert row.decided_at is not None
    assert row.decided_at.tzinfo is not None
    [defects] = reads.list_ideas(stage="submitted").rows
    assert (defects.comment_count, defects.decided_at) == (1, None)
    # Mobility's ideas by title, three a page: the chargers open the second page.
    chargers = reads.list_ideas(department_id=cast.mobility, sort="title", page_size=3, page=2)
    first = chargers.rows[0]
    assert (first.id, first.quick_win, first.quick_win_overridden) == (city.chargers, True, True)
    assert first.support_count == 0  # pledged, then withdrawn


def test_ideas_sort_by_title_the_german_way_and_by_support_impact_and_time(
    app: IdeationApplication, city: City
) -> None:
    reads = _reads(app)

    titles = [r.title for r in reads.list_ideas(sort="title").rows]
    # "Übersicht" sorts with the U, not after the Z.
    assert titles == [
        "Baustellenampel",
        "Digitale Mängelmeldung",
        "Drohnen-Vermessung",
        "Freie Parkplätze per Sensor",
        "Ladesäulen-Karte",
        "Online-Terminvergabe",
        "Sitzungsdienst digital",
        "Smarte Laternen",
        "Übersicht Baustellen",
    ]
    assert [r.title for r in reads.list_ideas(sort="title", direction="desc").rows] == titles[::-1]

    by_support = reads.list_ideas(sort="support").rows
    assert [r.support_count for r in by_support] == [1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert {r.id for r in by_support[:2]} == {city.parking, city.appointments}

    impacts = [r.impact for r in reads.list_ideas(sort="impact").rows]
    assert impacts == [5, 4, 3, 3, 2, 2, 1, None, None]  # not assessed: last either way
    assert [r.impact for r in reads.list_ideas(sort="impact", direction="asc").rows] == [
        1,
        2,
        2,
        3,
        3,
        4,
        5,
        None,
        None,
    ]

    oldest_first = reads.list_ideas(sort="submitted", direction="asc").rows
    assert [r.id for r in oldest_first][:3] == [city.parking, city.appointments, city.defects]
    newest_first = reads.list_ideas(sort="submitted").rows
    assert [r.id for r in newest_first] == [r.id for r in oldest_first][::-1]

    # By default the most recently changed idea comes first.
    updated = [r.updated_at for r in reads.list_ideas().rows]
    assert updated == sorted(updated, reverse=True)


def test_pages_split_the_list_and_count_every_match(app: IdeationApplication, city: City) -> None:
    reads = _reads(app)
    everything = [r.id for r in reads.list_ideas(sort="title", page_size=100).rows]

    first = reads.list_ideas(sort="title", page_size=4)
    second = reads.list_ideas(sort="title", page_size=4, page=2)
    third = reads.list_ideas(sort="title", page_size=4, page=3)
    beyond = reads.list_ideas(sort="title", page_size=4, page=4)

    assert (first.total, first.page, first.page_size, first.pages) == (9, 1, 4, 3)
    assert [len(p.rows) for p in (first, second, third, beyond)] == [4, 4, 1, 0]
    assert [r.id for p in (first, second, third) for r in p.rows] == everything
    assert (first.has_previous, first.has_next, third.has_next) == (False, True, False)
    assert beyond.total == 9
    # Paging works the same for database-sorted lists.
    by_time = [r.id for p in (1, 2, 3) for r in reads.list_ideas(page=p, page_size=4).rows]
    assert by_time == [r.id for r in reads.list_ideas(page_size=100).rows]
    # A page size above 100 is cut to 100; an empty planner has one empty page.
    assert reads.list_ideas(page_size=500).page_size == 100
    filtered = reads.list_ideas(status="parked")
    assert (filtered.rows, filtered.total, filtered.pages) == ((), 0, 1)


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"status": "erledigt"}, "Unbekannter Wert „erledigt“ für „Status“"),
        ({"stage": "done"}, "Unbekannter Wert „done“ für „Phase“"),
        ({"stage": ["submitted", "nope"]}, "„nope“"),
        ({"sort": "popularity"}, "Unbekannte Sortierung „popularity“"),
        ({"direction": "up"}, "Sortierrichtung"),
        ({"page": 0}, "Seitenzahl"),
        ({"page": -3}, "Seitenzahl"),
        ({"page": "2"}, "Seitenzahl"),
        ({"page_size": 0}, "Seitengröße"),
        ({"department_id": "kein-fachbereich"}, "keine gültige Kennung für „Fachbereich“"),
        ({"working_group_id": "x"}, "„Arbeitsgruppe“"),
        ({"quick_win": "ja"}, "„Quick Win“ muss ja oder nein sein"),
        ({"theme": "   "}, "Thema"),
        ({"text": 42}, "Suchbegriff"),
    ],
)
def test_invalid_filter_values_raise_a_value_error_with_a_german_message(
    app: IdeationApplication, filters: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        _reads(app).list_ideas(**filters)  # type: ignore[arg-type]
    assert getattr(raised.value, "field", None) == next(iter(filters))


def test_invalid_measure_and_dashboard_arguments_raise_a_value_error(
    app: IdeationApplication,
) -> None:
    reads = _reads(app)
    with pytest.raises(ValueError, match="Unbekannter Wert „accepted“ für „Phase“"):
        reads.list_measures(stage="accepted")
    with pytest.raises(ValueError, match="Sortierung"):
        reads.list_measures(sort="progress")
    with pytest.raises(ValueError, match="Fachbereich"):
        reads.list_measures(owner_department_id="?")
    with pytest.raises(ValueError, match="Quick Wins"):
        reads.dashboard(latest=-1)


def test_measures_can_be_filtered_and_carry_their_benefits(
    app: IdeationApplication, cast: Cast, city: City
) -> None:
    reads = _reads(app)

    assert _ids(reads.list_measures()) == {
        city.parking_measure,
        city.chargers_measure,
        city.minutes_measure,
        city.drones_measure,
    }
    assert _ids(reads.list_measures(stage="implemented")) == {
        city.parking_measure,
        city.chargers_measure,
    }
    assert _ids(reads.list_measures(stage=["planned", "in_progress"])) == {
        city.minutes_measure,
        city.drones_measure,
    }
    # The chargers were handed to the citizens' office; the minutes are its own idea.
    assert _ids(reads.list_measures(owner_department_id=cast.citizens)) == {
        city.chargers_measure,
        city.minutes_measure,
    }
    assert _ids(reads.list_measures(quick_win=True)) == {
        city.parking_measure,
        city.chargers_measure,
    }
    assert _ids(reads.list_measures(working_group_id=cast.group, quick_win=False)) == {
        city.minutes_measure,
        city.drones_measure,
    }
    [parking] = [m for m in reads.list_measures() if m.id == city.parking_measure]
    assert (parking.status_label, parking.progress, parking.implemented_on) == (
        "Umgesetzt",
        100,
        dt.date(2026, 5, 4),
    )
    assert [(b.department_id, b.description) for b in parking.benefits] == [
        (cast.citizens, "Weniger Beschwerden"),
        (cast.digital, "Daten fürs Dashboard"),
    ]
    titles = [m.title for m in reads.list_measures(sort="title")]
    assert titles == [
        "Drohnen-Vermessung",
        "Freie Parkplätze per Sensor",
        "Ladesäulen-Karte",
        "Sitzungsdienst digital",
    ]
    assert [m.id for m in reads.list_measures(sort="implemented", limit=1)] == [
        city.chargers_measure
    ]


def test_working_groups_show_their_open_ideas_and_running_measures(
    app: IdeationApplication, cast: Cast, city: City
) -> None:
    reads = _reads(app)
    other = app.form_working_group(cast.coordinator, "AG Alt", "Erledigt", cast.citizens)
    app.dissolve_working_group(cast.coordinator, other, 1, "Auftrag erfüllt")

    groups = reads.list_working_groups()
    assert [(g.name, g.status_label) for g in groups] == [
        ("AG Alt", "Aufgelöst"),
        ("AG Mobilität", "Aktiv"),
    ]
    mobility = groups[1]
    assert (mobility.open_ideas, mobility.running_measures, mobility.members_count) == (1, 2, 1)
    assert mobility.lead_department_id == cast.mobility
    assert [g.id for g in reads.list_working_groups(include_dissolved=False)] == [cast.group]


def test_departments_show_what_they_put_in_and_got_out(
    app: IdeationApplication, cast: Cast, city: City
) -> None:
    figures = {
        d.name: (d.ideas_submitted, d.supports_pledged, d.measures_owned, d.benefits_received)
        for d in _reads(app).list_departments()
    }

    assert list(figures) == ["Bürgerdienste", "Stabsstelle Digitalisierung", "Tiefbauamt"]
    assert figures == {
        # appointments, defects, minutes; parking; chargers (owner); parking
        "Bürgerdienste": (3, 1, 2, 1),
        "Stabsstelle Digitalisierung": (0, 0, 0, 1),
        # six ideas; appointments; parking, drones; chargers
        "Tiefbauamt": (6, 1, 2, 1),
    }


def test_themes_are_listed_most_used_first(app: IdeationApplication, city: City) -> None:
    assert [(t.theme, t.count) for t in _reads(app).list_themes()] == [
        ("Mobilität", 3),
        ("Beteiligung", 1),
        ("Sensorik", 1),
        ("Verwaltung", 1),
    ]


def test_the_dashboard_funnel_counts_ideas_per_visible_stage(
    app: IdeationApplication, cast: Cast, city: City
) -> None:
    board = _reads(app).dashboard()

    assert [s.stage for s in board.funnel.way] == list(STAGE_SEQUENCE)
    assert [s.stage for s in board.funnel.closed] == [
        "rejected",
        "parked",
        "merged",
        "withdrawn",
        "cancelled",
    ]
    assert [(s.label, s.count) for s in board.funnel.stages] == [
        ("Eingereicht", 1),
        ("In Prüfung", 1),
        ("In Arbeitsgruppe", 1),
        ("Angenommen", 1),
        ("In Umsetzung", 1),
        ("Umgesetzt", 2),
        ("Abgelehnt", 1),
        ("Zurückgestellt", 0),
        ("Zusammengeführt", 0),
        ("Zurückgezogen", 1),
        ("Abgebrochen", 0),
    ]
    assert board.funnel.total == 9
    assert board.funnel.count("implemented") == 2
    assert board.funnel == _reads(app).funnel()
    assert board.quick_wins_implemented == 2
    assert [d.name for d in board.departments] == [
        "Bürgerdienste",
        "Stabsstelle Digitalisierung",
        "Tiefbauamt",
    ]

    # A cancelled measure moves its idea to the closed stage "Abgebrochen".
    app.cancel_measure(
        cast.coordinator,
        city.minutes_measure,
        app.get_measure(city.minutes_measure).version,
        "Kein Budget",
    )
    assert _reads(app).funnel().as_dict()["cancelled"] == 1
    assert _reads(app).funnel().count("accepted") == 0


def test_an_empty_planner_has_an_empty_dashboard(app: IdeationApplication, cast: Cast) -> None:
    board = _reads(app).dashboard()

    assert board.funnel.total == 0
    assert (board.quick_wins_implemented, board.latest_quick_wins) == (0, ())
    assert (board.median_days_to_decision, board.decisions_counted) == (None, 0)
    assert (board.median_days_to_implementation, board.implementations_counted) == (None, 0)
    assert all(d.ideas_submitted == 0 for d in board.departments)


def test_dashboard_medians_and_quick_wins_follow_the_recorded_days(backend: Backend) -> None:
    # Every event is one hour after the previous one; `on(day)` jumps so that the next
    # event happens exactly `day` days after 2 March 2026, 9:00 UTC.
    clock = SteppingClock(START, dt.timedelta(hours=1))
    app = backend.build(clock=clock)
    cast = make_cast(app)

    def on(day: int) -> None:
        clock.now = START + dt.timedelta(days=day) - clock.step

    on(1)
    parking = app.submit_idea(cast.member, title="Parkplatzsensoren", summary="Freie Plätze")
    on(3)
    lanterns = app.submit_idea(cast.member, title="Smarte Laternen", summary="Licht")
    on(4)
    chargers = app.submit_idea(cast.member, title="Ladesäulen-Karte", summary="Karte")
    on(5)
    app.submit_idea(cast.member, title="Baustellenampel", summary="Wartezeit")  # never decided
    _assess(app, cast, parking, impact=4, effort=2, weeks=8)  # a quick win
    _assess(app, cast, lanterns, impact=2, effort=3, weeks=20)
    _assess(app, cast, chargers, impact=3, effort=4, weeks=20)  # no quick win
    app.assign_idea_to_working_group(cast.coordinator, parking, 2, cast.group)
    app.assign_idea_to_working_group(cast.coordinator, chargers, 2, cast.group)
    on(7)
    app.reject_idea(cast.coordinator, lanterns, 2, "Zu teuer")  # decided after 4 days
    on(11)
    parking_measure = app.accept_idea(cast.coordinator, parking, 3, "Quick Win")  # 10 days
    on(32)
    chargers_measure = app.accept_idea(cast.coordinator, chargers, 3, "Wichtig")  # 28 days
    app.report_progress(cast.group_member, parking_measure, 1, 50)
    app.report_progress(cast.group_member, chargers_measure, 1, 50)
    on(25 + 14)
    app.implement_measure(  # 28 days after its acceptance on day 11
        cast.group_member, parking_measure, 2, dt.date(2026, 4, 9), "Live"
    )
    _benefit(app, cast, parking_measure, cast.citizens, "Weniger Beschwerden")
    on(42)
    app.implement_measure(  # 10 days after its acceptance on day 32
        cast.group_member, chargers_measure, 2, dt.date(2026, 4, 13), "Live"
    )

    board = _reads(app).dashboard()

    # Decisions after 4, 10 and 28 days; the withdrawn-or-open ideas do not count.
    assert (board.median_days_to_decision, board.decisions_counted) == (10.0, 3)
    # Implementations 28 and 10 days after acceptance.
    assert (board.median_days_to_implementation, board.implementations_counted) == (19.0, 2)
    assert board.quick_wins_implemented == 1
    [quick_win] = board.latest_quick_wins
    assert (quick_win.id, quick_win.title, quick_win.implemented_on) == (
        parking_measure,
        "Parkplatzsensoren",
        dt.date(2026, 4, 9),
    )
    assert quick_win.implemented_at == START + dt.timedelta(days=39)
    assert [(b.department_id, b.description) for b in quick_win.benefits] == [
        (cast.citizens, "Weniger Beschwerden")
    ]
    tiefbau = next(d for d in board.departments if d.id == cast.mobility)
    assert (tiefbau.ideas_submitted, tiefbau.measures_owned) == (4, 2)


def test_the_latest_quick_wins_come_newest_first_and_are_limited(
    app: IdeationApplication, city: City
) -> None:
    reads = _reads(app)

    board = reads.dashboard(latest=5)
    assert [m.id for m in board.latest_quick_wins] == [city.chargers_measure, city.parking_measure]
    assert [m.id for m in reads.dashboard(latest=1).latest_quick_wins] == [city.chargers_measure]
    assert reads.dashboard(latest=0).latest_quick_wins == ()
    assert board.latest_quick_wins[1].benefits[0].description == "Weniger Beschwerden"
