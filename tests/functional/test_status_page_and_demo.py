"""The placeholder page starts, and the demo city is created once through real commands."""

from __future__ import annotations

from pathlib import Path

from ideation.entrypoints.cli import main
from ideation.entrypoints.flask_app import create_app


def test_the_start_page_counts_ideas_per_stage_after_seeding(web_app, cast, member_client) -> None:
    client = member_client
    fresh = client.get("/")
    assert fresh.status_code == 200
    assert "<dt>Eingerichtet</dt><dd>ja</dd>" in fresh.text
    assert '<th scope="row">Eingereicht</th><td class="number">0</td>' in fresh.text

    ideation = web_app.extensions["ideation"]
    ideation.submit_idea(cast.member, title="Eine neue Idee", summary="Zum Zählen")
    counted = client.get("/")
    assert '<th scope="row">Eingereicht</th><td class="number">1</td>' in counted.text


def test_the_demo_city_holds_an_implemented_quick_win_and_is_seeded_only_once(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("IDEATION_INSTANCE_PATH", str(tmp_path))
    assert main(["seed-demo"]) == 0
    assert main(["seed-demo"]) == 0
    output = capsys.readouterr().out
    assert "Quick Win umgesetzt" in output
    assert "bereits vorhanden" in output

    app = create_app({"IDEATION_INSTANCE_PATH": str(tmp_path)}).extensions["ideation"]
    submitted = [
        n
        for n in app.recorder.select_notifications(start=1, limit=10_000)
        if n.topic.endswith(":Idea.Submitted")
    ]
    assert len(submitted) == 3
    stages = {app.get_idea(n.originator_id).stage_label for n in submitted}
    assert stages == {"Umgesetzt", "In Prüfung", "Eingereicht"}
    history = app.idea_history(
        next(n.originator_id for n in submitted if app.get_idea(n.originator_id).quick_win)
    )
    # The demo is back-dated: it starts in March 2026, long before today.
    assert (history[0].timestamp.year, history[0].timestamp.month) == (2026, 3)
    assert history[-1].label == "Mehrwert festgehalten"
