"""Musterstadt: the demo city that `make run` seeds on the first start."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ideation.domain.exchange import ExchangeKind
from ideation.entrypoints.cli import main
from ideation.entrypoints.demo import DEMO_PASSWORD, FLAGSHIP_TITLE, demo_usernames
from ideation.entrypoints.flask_app import create_app
from ideation.readmodels.tables import (
    exchange_sessions,
    factions,
    ideas,
    pilots,
    political_rounds,
)
from tests.functional.conftest import sign_in

EVERY_STAGE = {
    "submitted",
    "in_review",
    "in_working_group",
    "accepted",
    "in_progress",
    "implemented",
    "rejected",
    "parked",
    "merged",
    "withdrawn",
    "cancelled",
}
CLOSED_BY_DECISION = ["rejected", "parked", "merged", "withdrawn"]
FLAGSHIP_LABELS = {
    "Idee eingereicht",
    "Mitwirkung zugesagt",
    "Kommentar",
    "Idee überarbeitet",
    "Bewertet",
    "an Arbeitsgruppe übergeben",
    "Sitzung protokolliert",
    "Empfehlung der Arbeitsgruppe",
    "Angenommen",
    "Ziel festgelegt",
    "Lösungsweg beschrieben",
    "Meilenstein erreicht",
    "Fortschritt gemeldet",
    "Umgesetzt",
    "Mehrwert festgehalten",
}


@pytest.fixture
def demo_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {
        "IDEATION_INSTANCE_PATH": str(tmp_path / "instance"),
        "IDEATION_PASSWORD_HASHING": "fast-for-tests",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def city(demo_env: dict[str, str]):
    """The application of a freshly seeded demo city."""
    assert main(["demo"]) == 0
    return create_app(demo_env).extensions["ideation"]


def _submitted(app) -> list:
    return [
        n
        for n in app.recorder.select_notifications(start=1, limit=100_000)
        if n.topic.endswith(":Idea.Submitted")
    ]


def _ideas(app, **filters) -> list:
    page = app.read_models.list_ideas(page_size=100, **filters)
    assert page.pages == 1
    return list(page.rows)


def _timestamps(app) -> list[dt.datetime]:
    notifications = app.recorder.select_notifications(start=1, limit=100_000)
    return [app.mapper.to_domain_event(n).timestamp for n in notifications]


def test_the_demo_city_is_seeded_once_with_companies_and_accounts(
    demo_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 0
    assert main(["demo"]) == 0
    output = capsys.readouterr().out
    assert "13 Fachbereiche und Unternehmen, 17 Zugänge" in output
    assert "bereits vorhanden" in output

    app = create_app(demo_env).extensions["ideation"]
    departments = app.read_models.list_departments()
    assert len(departments) == 13
    companies = {d.name for d in departments if d.kind == "company"}
    assert {
        "Stadtwerke Musterstadt",
        "Wohnungsbaugesellschaft Musterstadt",
        "Verkehrsbetriebe Musterstadt",
    } <= companies
    roles = {app.account_username(p.id): set(p.roles) for p in app.list_people()}
    assert roles["tba"] == {"member"}
    assert roles["swm"] == roles["vbm"] == {"member", "group_member"}
    assert roles["koordination"] == {"coordinator"}
    assert roles["pruefung"] == {"auditor"}
    assert roles["politik"] == {"ambassador"}


def test_the_city_has_at_least_40_ideas_in_every_stage_with_reasons(city) -> None:
    funnel = city.read_models.funnel()
    assert funnel.total == len(_submitted(city)) >= 40
    present = {stage for stage, count in funnel.as_dict().items() if count}
    assert present == EVERY_STAGE
    # The coordination has ideas waiting for an assessment.
    assert funnel.count("submitted") >= 3

    for row in _ideas(city, stage=CLOSED_BY_DECISION):
        assert city.get_idea(row.id).decision_reason.strip(), row.title

    # A parked idea was taken up again, and the quick-win rule was overridden with a reason.
    labels = {row.id: {entry.label for entry in city.idea_history(row.id)} for row in _ideas(city)}
    assert any({"Zurückgestellt", "Wieder aufgenommen"} <= found for found in labels.values())
    assert any(row.quick_win_overridden for row in _ideas(city))
    assert sum("Idee überarbeitet" in found for found in labels.values()) >= 3
    assert sum("Abgelehnt" in found for found in labels.values()) >= 1


def test_working_groups_meet_and_their_members_may_act_for_them(city) -> None:
    groups = city.read_models.list_working_groups()
    assert len(groups) >= 3
    for row in groups:
        group = city.get_working_group(row.id)
        assert len(group.meetings) >= 1, group.name
        assert {m["format"] for m in group.meetings} <= {"in_person", "online", "hybrid"}
        assert all(m["notes"] and m["idea_ids"] for m in group.meetings), group.name
        assert len(group.members) >= 2, group.name
        for person_id in group.members:
            assert "group_member" in city.get_person(person_id).roles
    formats = {m["format"] for row in groups for m in city.get_working_group(row.id).meetings}
    assert formats == {"in_person", "online", "hybrid"}


def test_measures_include_implemented_quick_wins_with_benefits_and_overdue_milestones(
    city,
) -> None:
    measures = city.read_models.list_measures()
    assert len(measures) >= 8
    departments = {d.id for d in city.read_models.list_departments()}
    quick_wins = [m for m in measures if m.quick_win and m.status == "implemented"]
    assert len(quick_wins) >= 4
    for measure in quick_wins:
        assert measure.benefits, measure.title
        assert {b.department_id for b in measure.benefits} <= departments

    today = dt.datetime.now(dt.UTC).date()
    views = [city.get_measure(m.id) for m in measures]
    overdue = [
        m
        for m in views
        if m.status in ("planned", "in_progress")
        and any(x["reached_on"] is None and x["due_on"] < today for x in m.milestones)
    ]
    assert len(overdue) >= 2
    assert any(m.blocked and m.block_reason for m in views)
    assert any(m.status == "cancelled" and m.cancel_reason for m in views)
    for m in views:
        assert all(x["reached_on"] is None or x["reached_on"] <= today for x in m.milestones)
        assert m.implemented_on is None or m.implemented_on <= today


def test_the_flagship_quick_win_has_the_whole_way_in_its_history(city) -> None:
    [flagship] = [row for row in _ideas(city) if row.title == FLAGSHIP_TITLE]
    idea = city.get_idea(flagship.id)
    assert idea.quick_win
    assert idea.stage == "implemented"
    assert city.get_department(idea.department_id).short_name == "UMW"
    supporters = {city.get_department(d).short_name for d in idea.supporting_departments}
    assert {"SWM", "TBA"} <= supporters

    history = city.idea_history(flagship.id)
    assert {entry.label for entry in history} >= FLAGSHIP_LABELS
    assert sum(entry.label == "Meilenstein erreicht" for entry in history) >= 2
    assert sum(entry.label == "Mehrwert festgehalten" for entry in history) >= 2
    revision = next(entry for entry in history if entry.label == "Idee überarbeitet")
    assert revision.changes
    assert [entry.timestamp for entry in history] == sorted(e.timestamp for e in history)

    # Back-dated across most of a year, ending before now.
    now = dt.datetime.now(dt.UTC)
    assert history[-1].timestamp - history[0].timestamp > dt.timedelta(days=240)
    assert history[-1].timestamp < now
    measure = city.get_measure(idea.measure_id)
    assert len({b["department_id"] for b in measure.benefits}) >= 2


def test_the_city_has_a_year_of_history_that_ends_before_now(city) -> None:
    timestamps = _timestamps(city)
    now = dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=360) < now - min(timestamps) < dt.timedelta(days=366)
    assert dt.timedelta(0) < now - max(timestamps) < dt.timedelta(days=30)
    months = {(t.year, t.month) for t in timestamps}
    assert len(months) >= 12
    assert all(t.weekday() < 5 for t in timestamps)


def test_every_demo_account_signs_in_with_the_demo_password(demo_env: dict[str, str]) -> None:
    assert main(["demo"]) == 0
    web = create_app(demo_env)
    usernames = demo_usernames()
    assert {"admin", "koordination", "pruefung", "swm", "wbg", "vbm"} <= set(usernames)
    for username in usernames:
        client = web.test_client()
        assert sign_in(client, username, DEMO_PASSWORD).status_code == 302, username
        assert client.get("/", follow_redirects=True).status_code == 200, username


def test_demo_reset_recreates_the_city(demo_env: dict[str, str]) -> None:
    assert main(["demo"]) == 0
    before = {n.originator_id for n in _submitted(create_app(demo_env).extensions["ideation"])}
    assert main(["demo", "--reset"]) == 0
    after = {n.originator_id for n in _submitted(create_app(demo_env).extensions["ideation"])}
    assert len(after) == len(before) >= 40
    assert before.isdisjoint(after)


def test_a_production_start_refuses_demo_passwords(demo_env: dict[str, str]) -> None:
    assert main(["demo"]) == 0
    with pytest.raises(RuntimeError, match="Demo-Zugänge"):
        create_app({**demo_env, "IDEATION_ENV": "production"})


def test_the_city_cooperates_through_every_exchange_format_pilots_and_political_rounds(
    city,
) -> None:
    city.read_models.catch_up()
    with city.read_models.engine.connect() as conn:
        sessions = list(conn.execute(select(exchange_sessions)))
        rounds = list(conn.execute(select(political_rounds)))
        pilot_statuses = list(conn.execute(select(pilots.c.status)).scalars())
        from_sessions = conn.execute(
            select(func.count()).where(ideas.c.origin_session_id.is_not(None))
        ).scalar_one()
        from_rounds = list(
            conn.execute(select(ideas.c.title).where(ideas.c.origin_round_id.is_not(None)))
        )
        faction_count = conn.execute(select(func.count()).select_from(factions)).scalar_one()

    held_kinds = {s.kind for s in sessions if s.status == "held"}
    assert held_kinds == {kind.value for kind in ExchangeKind}
    assert {s.status for s in sessions} == {"held", "planned", "cancelled"}
    assert any(s.scheduled_on > dt.date.today() for s in sessions)  # upcoming sessions
    assert {"candidate", "confirmed", "withdrawn"} <= set(pilot_statuses)
    assert len([r for r in rounds if r.status == "held"]) >= 2
    assert any(r.scheduled_on > dt.date.today() for r in rounds)
    assert from_sessions >= 10
    assert len(from_rounds) >= 2
    assert faction_count >= 5
