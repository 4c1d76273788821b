"""GDPR-1/GDPR-2 on SQLite: an erased person's canary is in no byte of any file afterwards.

A unique canary (a random hex string) is planted in a person's name, e-mail address and
username. Before the erasure a byte search finds it in the database file or its
write-ahead log and in a subject access export; the logs never hold it (ids and
pseudonyms only). The person is erased through the command line (`ideation people erase`,
as an operator would). Afterwards a byte search of every file of the instance folder
(database, -wal, -shm), of the exports written after the erasure, of the captured logs and
of the command output finds it nowhere. The event count grew by exactly the two erasure
events, and the read models rebuild from the unchanged log.

PostgreSQL's data files are not readable from the tests (they belong to the server);
tests/integration/test_erasure.py checks there that the directory tables were rewritten.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from ideation.bootstrap import build_application
from ideation.config import Settings
from ideation.entrypoints.cli import main
from tests.conftest import event_count, make_cast

PASSWORD = "Rathaus-Linde-Brunnen"
REASON = "Löschantrag nach Art. 17 DSGVO vom 3. März"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """Every log record at INFO and above (as a server would keep them) in one file."""
    path = tmp_path / "logs" / "ideation.log"
    path.parent.mkdir()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()


def hits(paths: list[Path], needle: bytes) -> dict[str, int]:
    """How often the needle occurs in each file (read as raw bytes)."""
    return {path.name: path.read_bytes().count(needle) for path in paths if path.is_file()}


def test_an_erased_persons_canary_is_in_no_file_afterwards(
    tmp_path: Path, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = tmp_path / "instance"
    environ = {
        "IDEATION_INSTANCE_PATH": str(instance),
        "IDEATION_PASSWORD_HASHING": "fast-for-tests",
    }
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    app = build_application(Settings.from_env(environ))
    # Debian's SQLite deletes securely by default; the directory asks for it on any build.
    with app.directory.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    cast = make_cast(app)
    app.create_account(cast.admin, cast.admin, "admin", PASSWORD)

    canary = uuid4().hex
    needle = canary.encode()
    email = f"kanarie.{canary}@example.org"
    username = f"k{canary}"
    person = app.register_person(
        cast.admin, f"Kanarie {canary} (alt)", email, cast.mobility, ["member"]
    )
    # A corrected name frees the old one inside the page: secure_delete must zero it too.
    app.update_person_details(cast.admin, person, f"Erika Kanarie {canary}", email)
    app.create_account(cast.admin, person, username, PASSWORD)
    app.authenticate(username, PASSWORD)
    with pytest.raises(Exception, match="falsch"):
        app.authenticate(username, "falsches Passwort")
    with pytest.raises(Exception, match="falsch"):
        app.authenticate(f"{username}x", PASSWORD)  # unknown: logged as a pseudonym
    idea = app.submit_idea(person, title="Sensoren für Parkplätze", summary="Freie Plätze melden")
    app.comment_on_idea(person, idea, 1, "Das Tiefbauamt hat schon Sensoren.")

    exports_before = tmp_path / "exports-before"
    exports_before.mkdir()
    assert main(["people", "access", email, "--output", str(exports_before / "a.json")]) == 0

    before = hits(sorted(instance.iterdir()), needle)
    assert before["ideation.sqlite3-wal"] >= 1
    # SQLite checkpoints on its own every 1,000 pages; force one, so that the canary is in
    # the database file itself and the erasure must overwrite it there.
    assert app.directory.scrub()
    checkpointed = hits(sorted(instance.iterdir()), needle)
    print(f"\nGDPR-1 before erasure: storage {before}, after a checkpoint {checkpointed}")
    assert checkpointed["ideation.sqlite3"] >= 1
    assert hits([exports_before / "a.json"], needle)["a.json"] >= 3  # name, e-mail, username
    assert (exports_before / "a.json").stat().st_mode & 0o777 == 0o600
    assert log_file.stat().st_size > 0
    assert hits([log_file], needle) == {"ideation.log": 0}  # logs: ids and pseudonyms only
    events_before = event_count(app)

    output = io.StringIO()
    monkeypatch.setattr("sys.stdout", output)
    code = main(
        ["people", "erase", email, "--reason", REASON, "--as", "admin", "--yes"],
    )
    monkeypatch.undo()
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    assert code == 0, output.getvalue()
    assert "gelöscht" in output.getvalue()

    exports_after = tmp_path / "exports-after"
    exports_after.mkdir()
    assert main(["people", "access", str(person), "--output", str(exports_after / "a.json")]) == 0
    app.read_models.catch_up()

    def files_after() -> list[Path]:
        return [*sorted(instance.iterdir()), exports_after / "a.json", log_file]

    after = hits(files_after(), needle)
    print(f"GDPR-1 after erasure: {after}; command output {output.getvalue().strip()!r}")
    assert set(after) >= {"ideation.sqlite3", "ideation.sqlite3-wal", "ideation.sqlite3-shm"}
    assert sum(after.values()) == 0, after
    assert canary not in output.getvalue()
    assert (instance / "ideation.sqlite3-wal").stat().st_size == 0  # checkpointed, emptied

    # GDPR-2: the log is unchanged but for the erasure (Deactivated + Erased), and runs.
    assert event_count(app) == events_before + 2
    shown = app.get_person(person)
    assert (shown.display_name, shown.email, shown.erased) == ("gelöschte Person", "", True)
    assert [e.actor_person_id for e in app.idea_history(idea)] == [person, person]
    result = app.read_models.projector.rebuild()
    assert result.applied == event_count(app)
    verify_chain = getattr(app.read_models, "verify_chain", None)
    if verify_chain is not None:  # the hash chain (GDPR-5) holds after erasure
        assert verify_chain().intact
    assert sum(hits(files_after(), needle).values()) == 0
    app.close()
    app.directory.engine.dispose()
