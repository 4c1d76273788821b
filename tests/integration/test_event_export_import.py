"""Backup, restore and migration: `events export` / `events import` between both backends.

A scripted city history (the one of test_rebuild.py, plus an idea with more events than the
snapshot interval and an erased person) is exported from SQLite, imported into PostgreSQL,
exported again and imported into a fresh SQLite file. Each copy must hold the same event
records (notification ids, originators, versions, topics, state bytes), the same read
models, the same history for every idea and the same hash-chain head. Broken files and
non-empty stores are refused without changing anything.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from ideation.application.backup import (
    BackupRefused,
    export_directory,
    export_events,
    import_directory,
    import_events,
)
from ideation.application.service import IdeationApplication
from ideation.config import Settings
from ideation.domain.actor import Actor
from ideation.domain.idea import Idea
from tests.conftest import POSTGRES_URL, Backend, make_cast
from tests.integration.test_rebuild import CityHistory, canonical_dump, first_difference

SNAPSHOT_INTERVAL = 50
PASSWORD = "Rathaus-Linde-Brunnen"


# -- stores ------------------------------------------------------------------------------


@pytest.fixture
def stores() -> Iterator[list[Backend]]:
    """Collects the stores a test builds and closes their applications afterwards."""
    built: list[Backend] = []
    yield built
    for store in built:
        store.close_all()


def sqlite_store(stores: list[Backend], tmp_path: Path, name: str) -> Backend:
    settings = Settings.from_env(
        {
            "IDEATION_INSTANCE_PATH": str(tmp_path / name),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
        }
    )
    stores.append(Backend(f"sqlite:{name}", settings))
    return stores[-1]


def postgres_store(stores: list[Backend], tmp_path: Path, schema: str) -> Backend:
    settings = Settings.from_env(
        {
            "IDEATION_INSTANCE_PATH": str(tmp_path / "postgres-instance"),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
            "IDEATION_DATABASE_URL": POSTGRES_URL,
            "IDEATION_DATABASE_SCHEMA": schema,
        }
    )
    stores.append(Backend("postgres", settings))
    return stores[-1]


# -- what must survive -------------------------------------------------------------------


def records(app: IdeationApplication) -> list[tuple[int, str, int, str, bytes]]:
    """Every stored event record: notification id, originator, version, topic, bytes."""
    return [
        (n.id, str(n.originator_id), n.originator_version, n.topic, bytes(n.state))
        for n in app.recorder.select_notifications(start=1, limit=10_000_000)
    ]


def idea_histories(app: IdeationApplication, idea_ids: list[UUID]) -> dict[UUID, list[Any]]:
    return {idea_id: app.idea_history(idea_id) for idea_id in idea_ids}


def latest_snapshot(app: IdeationApplication, aggregate_id: UUID) -> tuple[int, str, Any]:
    """Version, topic and aggregate state of the newest snapshot (not when it was taken)."""
    assert app.snapshots is not None
    (snapshot,) = app.snapshots.recorder.select_events(aggregate_id, desc=True, limit=1)
    state = json.loads(snapshot.state)
    del state["timestamp"]
    return snapshot.originator_version, snapshot.topic, state


def store_is_empty(app: IdeationApplication) -> bool:
    return not app.recorder.max_notification_id() and not app.is_initialised()


# -- the history -------------------------------------------------------------------------


def write_history(app: IdeationApplication) -> tuple[CityHistory, UUID, UUID]:
    """The scripted city, a long-lived idea (two snapshot intervals) and an erased person.

    Returns the history, the long idea's id and the erased person's id.
    """
    history = CityHistory(app, seed=6)
    history.setup()
    for _ in range(25):
        history.idea_lifecycle()
    history.bulk(400)
    author, department = history.members[0]
    actor = Actor(person_id=author, department_id=department, role="member")
    long_idea = Idea.submit(
        id=UUID("6c0f2b1e-8a4d-4c3e-9f10-2b7d5e4a1c99"),
        title="Straßenbeleuchtung nach Bedarf",
        summary="Laternen dimmen, wenn niemand unterwegs ist",
        description="",
        themes=["Energie"],
        department_id=department,
        actor=actor,
    )
    for n in range(2 * SNAPSHOT_INTERVAL + 7):
        long_idea.comment(f"Rückmeldung aus der Bürgersprechstunde Nr. {n}", actor)
    app.save(long_idea)
    app.create_account(history.admin, history.admin, "ada", PASSWORD)
    leaving = history.members[-1][0]
    app.erase_person(history.admin, leaving, "Antrag auf Löschung nach Art. 17 DSGVO")
    return history, long_idea.id, leaving


def assert_same_store(
    source: IdeationApplication,
    copy: IdeationApplication,
    idea_ids: list[UUID],
    long_idea: UUID,
) -> None:
    assert records(copy) == records(source)
    live, restored = (
        canonical_dump(source.read_models.engine),
        canonical_dump(copy.read_models.engine),
    )
    assert restored == live, first_difference(live, restored)
    assert idea_histories(copy, idea_ids) == idea_histories(source, idea_ids)
    assert copy.read_models.chain_head() == source.read_models.chain_head()
    verdict = copy.read_models.verify_chain()
    assert verdict.intact
    assert verdict.checked == len(records(source))
    assert latest_snapshot(copy, long_idea) == latest_snapshot(source, long_idea)


# -- the round trip ----------------------------------------------------------------------


def test_a_round_trip_sqlite_to_postgresql_and_back_keeps_records_read_models_history_and_chain(
    stores: list[Backend], tmp_path: Path, postgres_schema: str
) -> None:
    source = sqlite_store(stores, tmp_path, "source").build()
    history, long_idea, erased = write_history(source)
    idea_ids = [idea.id for idea in history.ideas] + [long_idea]
    head = source.read_models.chain_head()
    assert head.position == len(records(source)) > 1_000

    # SQLite → PostgreSQL: events, then the directory.
    exported = export_events(source, tmp_path / "sqlite.jsonl")
    assert (exported.events, exported.last_position) == (head.position, head.position)
    assert exported.chain_head["link"] == head.link
    export_directory(source, tmp_path / "people.jsonl")
    postgres = postgres_store(stores, tmp_path, postgres_schema).build()
    imported = import_events(postgres, tmp_path / "sqlite.jsonl")
    assert imported.chain_checked
    assert (imported.events, imported.last_position) == (head.position, head.position)
    assert imported.source_backend == "sqlite"
    assert imported.snapshots >= 1  # the long idea; no snapshot was exported
    assert imported.chain_head == exported.chain_head
    restored_people = import_directory(postgres, tmp_path / "people.jsonl")
    assert restored_people.left_out == 0  # the erased person was no longer in the directory
    assert restored_people.accounts == 1
    assert_same_store(source, postgres, idea_ids, long_idea)

    # PostgreSQL → a fresh SQLite file.
    export_events(postgres, tmp_path / "postgres.jsonl.gz")
    export_directory(postgres, tmp_path / "people-again.jsonl")
    again = sqlite_store(stores, tmp_path, "again").build()
    back = import_events(again, tmp_path / "postgres.jsonl.gz")
    assert (back.source_backend, back.chain_head) == ("postgres", exported.chain_head)
    import_directory(again, tmp_path / "people-again.jsonl")
    assert_same_store(source, again, idea_ids, long_idea)

    # The copies are planners like the original: people sign in, work goes on, the next
    # event follows the last imported position on both backends.
    for copy in (postgres, again):
        assert copy.get_person(history.admin) == source.get_person(history.admin)
        assert copy.get_person(erased).display_name == "gelöschte Person"
        assert copy.get_person(history.coordinator).display_name == "Clara Koordination"
        assert copy.authenticate("ada", PASSWORD).person_id == history.admin  # restored
        copy.create_account(history.admin, history.coordinator, "clara", PASSWORD)
        assert copy.authenticate("clara", PASSWORD).person_id == history.coordinator
        idea = copy.submit_idea(history.members[0][0], title="Nach dem Umzug", summary="Geht")
        (after,) = copy.recorder.select_notifications(start=head.position + 1, limit=5)
        assert (after.id, after.originator_id) == (head.position + 1, idea)
        assert copy.read_models.verify_chain().intact


def test_gaps_in_postgresql_notification_ids_move_to_sqlite_unchanged(
    stores: list[Backend], tmp_path: Path, postgres_schema: str
) -> None:
    source = postgres_store(stores, tmp_path, postgres_schema).build()
    cast = make_cast(source)
    # A write that loses a race still draws a notification id from the sequence: a gap.
    (first,) = source.recorder.select_notifications(start=1, limit=1)
    with pytest.raises(IntegrityError):
        source.recorder.insert_events(
            [StoredEvent(first.originator_id, 1, first.topic, bytes(first.state))]
        )
    source.submit_idea(cast.member, title="Lücke im Protokoll", summary="Bleibt erhalten")
    ids = [record[0] for record in records(source)]
    assert ids[-1] == len(ids) + 1, "expected exactly one gap before the last event"

    export_events(source, tmp_path / "gap.jsonl")
    copy = sqlite_store(stores, tmp_path, "copy").build()
    import_events(copy, tmp_path / "gap.jsonl")

    assert records(copy) == records(source)
    assert copy.read_models.chain_head() == source.read_models.chain_head()
    copy.submit_idea(cast.member, title="Danach", summary="Weiter ab dem höchsten Stand")
    assert records(copy)[-1][0] == ids[-1] + 1


def test_an_empty_store_exports_and_imports_as_an_empty_log(
    stores: list[Backend], tmp_path: Path, backend: Backend
) -> None:
    empty = sqlite_store(stores, tmp_path, "empty").build()
    exported = export_events(empty, tmp_path / "empty.jsonl")
    assert (exported.events, exported.chain_head["position"]) == (0, 0)

    target = backend.build()
    imported = import_events(target, tmp_path / "empty.jsonl")

    assert (imported.events, imported.chain_checked) == (0, True)
    assert store_is_empty(target)
    assert target.read_models.chain_head() == empty.read_models.chain_head()


# -- refusals ------------------------------------------------------------------------------


@pytest.fixture
def small_export(stores: list[Backend], tmp_path: Path) -> Path:
    """A valid export of a small SQLite store (cast, two ideas, a comment)."""
    source = sqlite_store(stores, tmp_path, "small").build()
    cast = make_cast(source)
    idea = source.submit_idea(cast.member, title="Sitzbänke", summary="Mehr Bänke am Markt")
    source.comment_on_idea(cast.other_member, idea, 1, "Gern mit Schatten")
    source.submit_idea(cast.other_member, title="Trinkbrunnen", summary="Am Rathausplatz")
    path = tmp_path / "small.jsonl"
    export_events(source, path)
    return path


def test_an_import_into_a_store_that_holds_events_is_refused_and_changes_nothing(
    backend: Backend, small_export: Path
) -> None:
    app = backend.build()
    make_cast(app)
    before = records(app)
    head = app.read_models.chain_head()

    with pytest.raises(BackupRefused, match="Der Ereignisspeicher ist nicht leer"):
        import_events(app, small_export)

    assert records(app) == before
    assert app.read_models.chain_head() == head


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _event(line: str) -> dict[str, Any]:
    return json.loads(line)


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def _flip_state(line: str) -> str:
    value = _event(line)
    state = bytearray(base64.b64decode(value["state"]))
    state[len(state) // 2] ^= 0x01
    value["state"] = base64.b64encode(bytes(state)).decode("ascii")
    return _dump(value)


def _resealed(lines: list[str]) -> list[str]:
    """Recompute the trailer's SHA-256 over the (changed) lines, as a forger would."""
    trailer = _event(lines[-1])
    trailer["sha256"] = hashlib.sha256("".join(lines[:-1]).encode("utf-8")).hexdigest()
    return [*lines[:-1], _dump(trailer)]


def _with(value: dict[str, Any], **changes: Any) -> str:
    return _dump({**value, **changes})


CORRUPTIONS = {
    "a line that is no JSON": (
        lambda lines: [*lines[:3], "{kaputt\n", *lines[4:]],
        "Zeile 4: kein gültiges JSON",
    ),
    "a missing event line": (
        lambda lines: [*lines[:5], *lines[6:]],
        "Zeilen fehlen oder sind zu viel",
    ),
    "the trailer cut off": (lambda lines: lines[:-1], "ohne Schlusszeile"),
    "a wrong count in the trailer": (
        lambda lines: [
            *lines[:-1],
            _with(_event(lines[-1]), events=_event(lines[-1])["events"] + 1),
        ],
        "passt nicht zur Kopfzeile",
    ),
    "a wrong count in the header": (
        lambda lines: [_with(_event(lines[0]), events=_event(lines[0])["events"] - 1), *lines[1:]],
        "mehr Ereignisse als die Kopfzeile nennt",
    ),
    "changed state bytes": (
        lambda lines: [*lines[:7], _flip_state(lines[7]), *lines[8:]],
        "Die Prüfsumme (SHA-256) stimmt nicht",
    ),
    "changed state bytes with a recomputed checksum": (
        lambda lines: _resealed([*lines[:7], _flip_state(lines[7]), *lines[8:]]),
        "Die Ereigniskette der Datei ergibt nicht den Kettenkopf",
    ),
    "two events swapped": (
        lambda lines: [*lines[:4], lines[5], lines[4], *lines[6:]],
        "folgt nicht auf Position",
    ),
    "no export at all": (lambda lines: ['{"name": "Musterstadt"}\n'], "kein Ereignisexport"),
    "an unknown format version": (
        lambda lines: [_with(_event(lines[0]), format_version=99), *lines[1:]],
        "Formatversion 99 wird nicht unterstützt",
    ),
    "an empty file": (lambda lines: [], "Die Datei ist leer"),
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_a_corrupted_file_is_refused_with_a_german_message_and_leaves_the_store_empty(
    backend: Backend, small_export: Path, tmp_path: Path, corruption: str
) -> None:
    change, message = CORRUPTIONS[corruption]
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(change(_lines(small_export))), encoding="utf-8")
    app = backend.build()

    with pytest.raises(BackupRefused) as refused:
        import_events(app, broken)

    assert message in str(refused.value)
    assert store_is_empty(app)
    assert app.read_models.chain_head().position == 0
    # The store stays usable: the intact file goes in afterwards.
    assert import_events(app, small_export).chain_checked


# -- the people directory ----------------------------------------------------------------


def test_a_directory_backup_taken_before_an_erasure_does_not_bring_the_person_back(
    stores: list[Backend], tmp_path: Path, backend: Backend
) -> None:
    source = sqlite_store(stores, tmp_path, "people-source").build()
    cast = make_cast(source)
    source.create_account(cast.admin, cast.member, "tim", "Rathaus-Linde-Brunnen")
    export_directory(source, tmp_path / "before.jsonl")  # Tim is still in it
    source.erase_person(cast.admin, cast.member, "Antrag auf Löschung")
    export_events(source, tmp_path / "events.jsonl")

    target = backend.build()
    with pytest.raises(BackupRefused, match="zuerst die Ereignisse importieren"):
        import_directory(target, tmp_path / "before.jsonl")
    import_events(target, tmp_path / "events.jsonl")
    restored = import_directory(target, tmp_path / "before.jsonl")

    assert restored.left_out == 1
    assert target.get_person(cast.member).display_name == "gelöschte Person"
    assert target.account_username(cast.member) is None
    assert target.directory.find_by_email("tim@example.org") is None
    assert target.get_person(cast.other_member).display_name == "Berta Bürgerdienst"
    with pytest.raises(BackupRefused, match="Das Personenverzeichnis ist nicht leer"):
        import_directory(target, tmp_path / "before.jsonl")


def test_an_existing_file_is_not_overwritten_unless_asked(
    stores: list[Backend], tmp_path: Path, small_export: Path
) -> None:
    app = sqlite_store(stores, tmp_path, "small").build()
    before = small_export.read_bytes()

    with pytest.raises(BackupRefused, match="gibt es schon"):
        export_events(app, small_export)
    assert small_export.read_bytes() == before

    export_events(app, small_export, overwrite=True)
    assert (
        _event(_lines(small_export)[-1])["chain_head"]
        == _event(before.decode().splitlines()[-1])["chain_head"]
    )
    assert small_export.stat().st_mode & 0o777 == 0o600
