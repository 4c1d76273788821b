"""The integrity page (/audit/verify) and `ideation audit verify|head` (catalogue GDPR-5).

Auditors and the coordination see the hash chain's head and can have it recomputed; others
get 403. On a store whose event table was changed behind the planner's back, the page and the
command name the first changed position (the command exits with 1).
"""

from __future__ import annotations

import html
import re
import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ideation.bootstrap import build_application
from ideation.config import Settings
from ideation.entrypoints.cli import main
from tests.conftest import Cast, make_cast
from tests.functional.conftest import csrf_token, sign_in


def text_of(page: str) -> str:
    """The visible text of a page, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def database_file(instance: Path) -> Path:
    return instance / "ideation.sqlite3"


def change_a_stored_state(database: Path, position: int) -> None:
    """What someone with file access could do: drop the triggers, then edit a stored event."""
    with sqlite3.connect(database) as conn:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            conn.execute(f'DROP TRIGGER "{name}"')
        (state,) = conn.execute(
            "SELECT state FROM stored_events WHERE rowid = ?", (position,)
        ).fetchone()
        changed = bytearray(state)
        changed[len(changed) // 2] ^= 0x01
        conn.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?", (bytes(changed), position)
        )


@pytest.fixture
def planner(web_app: Flask):
    return web_app.extensions["ideation"]


@pytest.fixture
def auditor_client(client: FlaskClient, cast: Cast) -> FlaskClient:
    assert sign_in(client, "pruefung").status_code == 302
    return client


def test_an_auditor_sees_the_chain_head_and_an_intact_chain(
    auditor_client: FlaskClient, planner
) -> None:
    head = planner.read_models.chain_head()
    page = auditor_client.get("/audit/verify")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Integrität des Ereignisprotokolls" in text
    assert f"Position {head.position}" in text
    assert head.link in page.text
    assert 'href="/audit/verify" aria-current="page"' in page.text  # the navigation entry

    result = auditor_client.post("/audit/verify", data={"csrf_token": csrf_token(auditor_client)})
    assert result.status_code == 200
    text = text_of(result.text)
    assert "Ergebnis: Die Kette ist unversehrt" in text
    assert f"{head.length} gespeicherte Ereignisse neu berechnet; alle Kettenwerte stimmen" in text


def test_the_coordination_may_verify_too(client: FlaskClient, cast: Cast) -> None:
    assert sign_in(client, "koordination").status_code == 302
    response = client.post("/audit/verify", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 200
    assert "Die Kette ist unversehrt" in text_of(response.text)


@pytest.mark.parametrize("username", ["tim", "greta", "admin"])
def test_other_roles_get_403_and_no_navigation_entry(
    client: FlaskClient, cast: Cast, username: str
) -> None:
    assert sign_in(client, username).status_code == 302
    assert client.get("/audit/verify").status_code == 403
    token = csrf_token(client)
    assert client.post("/audit/verify", data={"csrf_token": token}).status_code == 403
    assert "/audit/verify" not in client.get("/").text


def test_a_kept_head_is_confirmed_or_refuted(auditor_client: FlaskClient, planner) -> None:
    kept = planner.read_models.chain_head()
    token = csrf_token(auditor_client)
    same = auditor_client.post(
        "/audit/verify",
        data={
            "csrf_token": token,
            "expected_position": str(kept.position),
            "expected_link": kept.link.upper(),
        },
    )
    assert same.status_code == 200
    assert f"Kettenwert für Position {kept.position} stimmt überein" in text_of(same.text)

    other = auditor_client.post(
        "/audit/verify",
        data={
            "csrf_token": token,
            "expected_position": str(kept.position),
            "expected_link": "ab" * 32,
        },
    )
    assert other.status_code == 200
    text = text_of(other.text)
    assert "Ergebnis: Die Kette ist gebrochen" in text
    assert f"Kettenwert für Position {kept.position} stimmt nicht überein" in text


@pytest.mark.parametrize(
    ("position", "link", "message"),
    [
        ("12", "", "Bitte Position und Kettenwert zusammen angeben."),
        ("", "ab" * 32, "Bitte Position und Kettenwert zusammen angeben."),
        ("zwölf", "ab" * 32, "Bitte eine ganze Zahl ab 1 angeben."),
        ("0", "ab" * 32, "Bitte eine ganze Zahl ab 1 angeben."),
        ("12", "xyz", "Ein SHA-256-Wert hat genau 64 Zeichen aus 0–9 und a–f."),
    ],
)
def test_a_malformed_kept_head_gets_a_german_message_on_its_field(
    auditor_client: FlaskClient, position: str, link: str, message: str
) -> None:
    response = auditor_client.post(
        "/audit/verify",
        data={
            "csrf_token": csrf_token(auditor_client),
            "expected_position": position,
            "expected_link": link,
        },
    )
    assert response.status_code == 400
    assert message in text_of(response.text)
    assert 'aria-invalid="true"' in response.text
    assert "Ergebnis:" not in text_of(response.text)


def test_a_changed_event_is_named_on_the_page(
    auditor_client: FlaskClient, planner, tmp_path: Path
) -> None:
    change_a_stored_state(database_file(tmp_path / "instance"), 7)
    response = auditor_client.post("/audit/verify", data={"csrf_token": csrf_token(auditor_client)})
    assert response.status_code == 200
    text = text_of(response.text)
    assert "Ergebnis: Die Kette ist gebrochen" in text
    assert "Erste abweichende Position: 7" in text
    assert "Der Datensatz an Position 7 wurde verändert." in text
    assert "Die 6 Kettenwerte davor stimmen." in text


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite store with the test cast, as `ideation` finds it through the environment."""
    instance = tmp_path / "cli-instance"
    monkeypatch.setenv("IDEATION_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("IDEATION_PASSWORD_HASHING", "fast-for-tests")
    monkeypatch.delenv("IDEATION_DATABASE_URL", raising=False)
    monkeypatch.delenv("IDEATION_DATABASE_SCHEMA", raising=False)
    app = build_application(Settings.from_env())
    make_cast(app)
    app.close()
    return instance


def test_the_command_confirms_an_intact_chain_with_exit_code_0(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "Hash-Kette unversehrt: 20 Datensätze neu berechnet, alle Kettenwerte stimmen." in out
    assert re.search(r"Kettenkopf: Position 20, SHA-256 [0-9a-f]{64}, Ereignis vom ", out)


def test_the_command_names_the_changed_position_with_exit_code_1(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_a_stored_state(database_file(store), 13)
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert (
        "Hash-Kette GEBROCHEN an Position 13: Der Datensatz an Position 13 wurde verändert." in out
    )
    assert "Die 12 Kettenwerte davor stimmen." in out


def test_the_command_prints_the_head_and_checks_it_later(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "head"]) == 0
    head = re.search(r"Position (\d+), SHA-256 ([0-9a-f]{64})", capsys.readouterr().out)
    kept = f"{head.group(1)}:{head.group(2)}"
    assert main(["audit", "verify", "--expect", kept]) == 0
    assert f"Position {head.group(1)} stimmt überein" in capsys.readouterr().out
    assert main(["audit", "verify", "--expect", f"{head.group(1)}:{'0' * 64}"]) == 1
    assert "stimmt NICHT überein" in capsys.readouterr().out
    assert main(["audit", "verify", "--expect", "zwanzig"]) == 2
    assert "--expect erwartet POSITION:SHA256" in capsys.readouterr().err
