"""Musterstadt: the demo city that `make run` seeds on the first start."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ideation.entrypoints.cli import main
from ideation.entrypoints.demo import DEMO_PASSWORD, demo_usernames
from ideation.entrypoints.flask_app import create_app
from tests.functional.conftest import sign_in


@pytest.fixture
def demo_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {
        "IDEATION_INSTANCE_PATH": str(tmp_path / "instance"),
        "IDEATION_PASSWORD_HASHING": "fast-for-tests",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def _submitted(app) -> list:
    return [
        n
        for n in app.recorder.select_notifications(start=1, limit=100_000)
        if n.topic.endswith(":Idea.Submitted")
    ]


def test_the_demo_city_is_seeded_once_with_companies_accounts_and_a_year_of_history(
    demo_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 0
    assert main(["demo"]) == 0
    output = capsys.readouterr().out
    assert "13 Fachbereiche und Unternehmen, 16 Zugänge" in output
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
    assert len(_submitted(app)) == 3
    stages = {app.get_idea(n.originator_id).stage_label for n in _submitted(app)}
    assert stages == {"Umgesetzt", "In Prüfung", "Eingereicht"}

    # Back-dated: the history starts about a year ago and ends before now.
    quick_win = next(
        n.originator_id for n in _submitted(app) if app.get_idea(n.originator_id).quick_win
    )
    history = app.idea_history(quick_win)
    now = dt.datetime.now(dt.UTC)
    first_event = app.events_since(app.read_models.list_departments()[0].id, 0)[0].timestamp
    assert dt.timedelta(days=330) < now - first_event < dt.timedelta(days=366)
    assert history[-1].timestamp < now
    assert history[-1].label == "Mehrwert festgehalten"


def test_every_demo_account_signs_in_with_the_demo_password(demo_env: dict[str, str]) -> None:
    assert main(["demo"]) == 0
    web = create_app(demo_env)
    usernames = demo_usernames()
    assert {"admin", "koordination", "pruefung", "swm", "wbg", "vbm"} <= set(usernames)
    for username in usernames:
        client = web.test_client()
        assert sign_in(client, username, DEMO_PASSWORD).status_code == 302, username
        assert client.get("/").status_code == 200


def test_demo_reset_recreates_the_city(demo_env: dict[str, str]) -> None:
    assert main(["demo"]) == 0
    before = {n.originator_id for n in _submitted(create_app(demo_env).extensions["ideation"])}
    assert main(["demo", "--reset"]) == 0
    after = {n.originator_id for n in _submitted(create_app(demo_env).extensions["ideation"])}
    assert len(after) == len(before) == 3
    assert before.isdisjoint(after)


def test_a_production_start_refuses_demo_passwords(demo_env: dict[str, str]) -> None:
    assert main(["demo"]) == 0
    with pytest.raises(RuntimeError, match="Demo-Zugänge"):
        create_app({**demo_env, "IDEATION_ENV": "production"})
