"""`ideation events export/import` and `ideation directory export/import` on the command line.

A planner in one instance folder is backed up through the CLI and restored into a fresh
instance folder; people then sign in there and find their ideas. Refusals print a German
reason and exit with 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ideation.bootstrap import build_application
from ideation.config import Settings
from ideation.entrypoints.cli import main
from ideation.entrypoints.flask_app import create_app
from tests.conftest import make_cast
from tests.functional.conftest import PASSWORD, sign_in


def use_instance(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Point the CLI at an instance folder (its default SQLite file)."""
    monkeypatch.setenv("IDEATION_INSTANCE_PATH", str(folder))
    monkeypatch.setenv("IDEATION_PASSWORD_HASHING", "fast-for-tests")
    for name in ("IDEATION_DATABASE_URL", "IDEATION_DATABASE_SCHEMA"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """A planner with the test cast, an account and an idea, in its own instance folder."""
    folder = tmp_path / "original"
    use_instance(monkeypatch, folder)
    app = build_application(Settings.from_env())
    cast = make_cast(app)
    app.create_account(cast.admin, cast.member, "tim", PASSWORD)
    idea = app.submit_idea(cast.member, title="Sitzbänke am Markt", summary="Mehr Pausenplätze")
    head = app.read_models.chain_head()
    app.close()
    app.directory.engine.dispose()
    return {"folder": folder, "idea": idea, "head": head}


def test_a_planner_moves_to_a_fresh_instance_folder_through_export_and_import(
    original: dict[str, object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    events, people = tmp_path / "sicherung.jsonl", tmp_path / "personen.jsonl"
    head = original["head"]

    assert main(["events", "export", str(events)]) == 0
    exported = capsys.readouterr().out
    assert f"Ereignisse bis Position {head.position} nach {events} geschrieben" in exported
    assert f"Kettenkopf: Position {head.position}, SHA-256 {head.link}" in exported
    assert f"„ideation audit verify --expect“: {head.position}:{head.link}" in exported
    assert main(["directory", "export", str(people)]) == 0
    assert "Passwort-Hashes" in capsys.readouterr().out
    assert json.loads(events.read_text().splitlines()[-1])["chain_head"]["link"] == head.link

    use_instance(monkeypatch, tmp_path / "fresh")
    assert main(["events", "import", str(events)]) == 0
    imported = capsys.readouterr().out
    assert f"Ereignisse bis Position {head.position} aus {events} importiert" in imported
    assert "Lesemodelle neu aufgebaut" in imported
    assert "Ereigniskette geprüft: Sie ergibt den Kettenkopf des Exports." in imported
    assert f"Kettenkopf: Position {head.position}, SHA-256 {head.link}" in imported
    assert main(["directory", "import", str(people)]) == 0
    assert "Personen und 1 Zugänge" in capsys.readouterr().out

    web = create_app(
        {
            "IDEATION_INSTANCE_PATH": str(tmp_path / "fresh"),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
        }
    )
    client = web.test_client()
    assert sign_in(client, "tim").status_code == 302
    page = client.get(f"/ideas/{original['idea']}")
    assert page.status_code == 200
    assert "Sitzbänke am Markt" in page.text
    assert "Sitzbänke am Markt" in client.get("/ideas/").text


def test_importing_twice_is_refused_with_a_german_reason_and_exit_code_1(
    original: dict[str, object],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    events = tmp_path / "sicherung.jsonl"
    assert main(["events", "export", str(events)]) == 0
    capsys.readouterr()

    assert main(["events", "import", str(events)]) == 1  # into the original, not empty
    assert "Abgelehnt: Der Ereignisspeicher ist nicht leer" in capsys.readouterr().err

    assert main(["events", "export", str(events)]) == 1
    assert "gibt es schon" in capsys.readouterr().err
    assert main(["events", "export", "--overwrite", str(events)]) == 0


def test_a_damaged_export_is_refused_and_the_fresh_store_stays_empty(
    original: dict[str, object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    events = tmp_path / "sicherung.jsonl"
    assert main(["events", "export", str(events)]) == 0
    lines = events.read_text().splitlines(keepends=True)
    events.write_text("".join(lines[:-3] + lines[-1:]))  # two events lost on the way
    capsys.readouterr()

    use_instance(monkeypatch, tmp_path / "fresh")
    assert main(["events", "import", str(events)]) == 1
    assert "Zeilen fehlen oder sind zu viel" in capsys.readouterr().err
    app = build_application(Settings.from_env())
    assert not app.is_initialised()
    assert main(["directory", "import", str(tmp_path / "fehlt.jsonl")]) == 1
    assert "zuerst die Ereignisse importieren" in capsys.readouterr().err
