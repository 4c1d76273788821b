"""Backup, restore and moving between backends: the event export and the directory export.

`export_events` writes the whole event log (JSON Lines, see `eventstore.transfer`) with the
chain head in its trailer; `import_events` loads such a file into an EMPTY store of either
backend, keeping notification ids, topics and state bytes, rebuilds the read models, takes
the snapshots the library would have taken, and checks the chain against the exported head.
`export_directory` / `import_directory` do the same for the people directory and the login
accounts, which live outside the event log (see `directory.transfer`). A directory import
leaves out everyone whose erasure the event log records, so an older directory backup
cannot bring erased personal data back. How to use them: docs/operations.md.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from ideation.application.service import IdeationApplication
from ideation.directory import transfer as directory_transfer
from ideation.eventstore import transfer
from ideation.readmodels import chain
from ideation.readmodels.facade import ReadModels

Progress = Callable[[int, int], None]  # (done, total)


class BackupRefused(Exception):
    """An export or import was refused or failed; the German message says why."""


@dataclass(frozen=True)
class EventExport:
    """What `export_events` wrote."""

    path: Path
    events: int
    last_position: int
    chain_head: dict[str, Any]


@dataclass(frozen=True)
class EventImport:
    """What `import_events` loaded and checked."""

    path: Path
    events: int
    last_position: int
    source_backend: str
    snapshots: int
    chain_head: dict[str, Any]
    chain_checked: bool  # False: the file carried no chain head (count and SHA-256 checked)


@dataclass(frozen=True)
class DirectoryExport:
    path: Path
    people: int
    accounts: int


@dataclass(frozen=True)
class DirectoryImport:
    path: Path
    people: int
    accounts: int
    left_out: int  # people (with their accounts) whose erasure the event log records


# -- files -------------------------------------------------------------------------------


@contextlib.contextmanager
def _writing(path: Path, overwrite: bool) -> Iterator[TextIO]:
    """A private file (mode 600), gzip-compressed for *.gz, renamed into place when complete."""
    if path.exists() and not overwrite:
        raise BackupRefused(
            f"Die Datei {path} gibt es schon; bitte einen neuen Namen wählen (oder --overwrite)."
        )
    partial = path.with_name(path.name + ".part")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise BackupRefused(f"Die Datei {path} kann nicht geschrieben werden: {error}") from None
    try:
        with os.fdopen(descriptor, "wb") as raw:
            if path.suffix == ".gz":
                with (
                    gzip.GzipFile(fileobj=raw, mode="wb") as packed,
                    _text(packed) as out,
                ):
                    yield out
            else:
                with _text(raw) as out:
                    yield out
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _text(binary: Any) -> Iterator[TextIO]:
    wrapper = io.TextIOWrapper(binary, encoding="utf-8", newline="\n")
    try:
        yield wrapper
    finally:
        wrapper.flush()
        wrapper.detach()


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[TextIO]:
    try:
        if path.suffix == ".gz":
            handle: TextIO = gzip.open(path, "rt", encoding="utf-8", newline="")  # noqa: SIM115
        else:
            handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise BackupRefused(f"Die Datei {path} kann nicht gelesen werden: {error}") from None
    try:
        yield handle
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError) as error:
        raise BackupRefused(f"Die Datei {path} ist beschädigt ({type(error).__name__}).") from None
    finally:
        handle.close()


# -- the chain (readmodels/chain.py) ---------------------------------------------------------


def chain_head(app: IdeationApplication) -> dict[str, Any]:
    """The hash chain's head as JSON data: position, link (hex), occurred_at, length."""
    head = _read_models(app).chain_head()
    return {
        "position": head.position,
        "link": head.link,
        "occurred_at": None if head.occurred_at is None else head.occurred_at.isoformat(),
        "length": head.length,
    }


def _read_models(app: IdeationApplication) -> ReadModels:
    if app.read_models is None:  # pragma: no cover - bootstrap always attaches them
        raise BackupRefused("Die Lesemodelle fehlen; bitte über bootstrap.build_application.")
    return app.read_models


class _ChainCheck:
    """Recomputes the chain over the records while they are imported (before the commit)."""

    def __init__(self) -> None:
        self.link = chain.GENESIS
        self.length = 0

    def add(self, record: transfer.EventRecord) -> None:
        body = chain.record_body(
            record.originator_id, record.originator_version, record.topic, record.state
        )
        self.link = chain.next_link(self.link, record.position, body)
        self.length += 1

    def check(self, expected: dict[str, Any] | None, last_position: int) -> None:
        """Raise InvalidExportFile unless the file's chain head is the one recomputed."""
        if expected is None:
            return  # an export without a chain head: count and SHA-256 were checked
        if (expected.get("position"), expected.get("link"), expected.get("length")) != (
            last_position,
            self.link.hex(),
            self.length,
        ):
            raise transfer.InvalidExportFile(
                "Die Ereigniskette der Datei ergibt nicht den Kettenkopf aus der Schlusszeile "
                f"(berechnet: Position {last_position}, {self.link.hex()}; in der Datei: Position "
                f"{expected.get('position')}, {expected.get('link')}). Die Datei wurde "
                "verändert; es wurde nichts importiert."
            )


# -- events ------------------------------------------------------------------------------


def export_events(
    app: IdeationApplication,
    path: Path,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> EventExport:
    """Write the whole log, up to the chain head after catching up, to `path`.

    Safe while the planner runs: the export covers the log up to the head's position when
    it started (later events are left for the next export), and the chain head in the
    trailer is the head at exactly that position.
    """
    recorder = app.recorder
    try:
        backend = transfer.backend_of(recorder)
        _read_models(app).catch_up()
        head = chain_head(app)
        upto = head["position"]
        header = transfer.ExportHeader(
            created_at=transfer.utc_now_iso(),
            events=transfer.count_records(recorder, upto),
            last_position=upto,
            source_backend=backend,
        )
        with _writing(path, overwrite) as out:
            transfer.write_export(
                out,
                header,
                transfer.read_records(recorder, upto=upto),
                chain_head=head,
                progress=None if progress is None else lambda n: progress(n, header.events),
            )
    except transfer.TransferError as error:
        raise BackupRefused(str(error)) from error
    return EventExport(path, header.events, upto, head)


def import_events(
    app: IdeationApplication,
    path: Path,
    *,
    progress: Progress | None = None,
    rebuild_progress: Progress | None = None,
) -> EventImport:
    """Load an export into the empty store of `app`, then rebuild and check everything.

    Refused (nothing changed) if the store holds events or the file is broken: the records
    are checked while they are inserted, in one transaction, and before it commits the
    trailer (count, last position, SHA-256) and the hash chain recomputed over the records
    against the exported head. Afterwards the read models are rebuilt (with the chain), the
    snapshots taken again, and the rebuilt chain verified against the store and the head.
    """
    recorder = app.recorder
    versions: dict[UUID | str, int] = {}
    try:
        transfer.backend_of(recorder)
        last = transfer.last_position(recorder)
        if last:
            raise transfer.StoreNotEmpty(
                f"Der Ereignisspeicher ist nicht leer (letzte Position {last}). Importiert wird "
                "nur in einen leeren Speicher; es wurde nichts verändert."
            )
        with _reading(path) as handle:
            reader = transfer.ExportReader(iter(handle))
            total = reader.header.events

            def checked(records: Iterator[transfer.EventRecord]) -> Iterator[transfer.EventRecord]:
                # Runs inside the import transaction: a failed check rolls everything back.
                recomputed = _ChainCheck()
                for record in records:
                    recomputed.add(record)
                    versions[_as_id(record.originator_id)] = record.originator_version
                    yield record
                assert reader.trailer is not None  # records() ends only after checking it
                recomputed.check(reader.trailer.chain_head, reader.trailer.last_position)

            imported = transfer.insert_records(
                recorder,
                checked(reader.records()),
                progress=None if progress is None else lambda n: progress(n, total),
            )
    except transfer.TransferError as error:
        raise BackupRefused(str(error)) from error
    trailer = reader.trailer
    assert trailer is not None  # records() checked it before the transaction committed
    _read_models(app).projector.rebuild(
        progress=None
        if rebuild_progress is None
        else lambda position, _last: rebuild_progress(position, trailer.last_position)
    )
    snapshots = _take_snapshots(app, versions)
    chain_checked = _verify_rebuilt_chain(app, trailer.chain_head)
    return EventImport(
        path=path,
        events=imported,
        last_position=trailer.last_position,
        source_backend=reader.header.source_backend,
        snapshots=snapshots,
        chain_head=chain_head(app),
        chain_checked=chain_checked,
    )


def _as_id(originator_id: UUID | str) -> UUID | str:
    try:
        return UUID(str(originator_id))
    except ValueError:
        return originator_id


def _take_snapshots(app: IdeationApplication, versions: dict[UUID | str, int]) -> int:
    """Take the snapshots the library would have taken (every interval-th version).

    Snapshots are not exported (they are derived); without them a large aggregate would be
    replayed from its first event on every load until its next interval-th event.
    """
    intervals = type(app).snapshotting_intervals or {}
    if app.snapshots is None or not intervals:
        return 0
    smallest = min(intervals.values())
    taken = 0
    for originator_id, version in versions.items():
        if version < smallest:
            continue
        aggregate = app.repository.get(originator_id)
        interval = intervals.get(type(aggregate))
        if interval and version >= interval:
            app.take_snapshot(originator_id, version=version - version % interval)
            taken += 1
    return taken


def _verify_rebuilt_chain(app: IdeationApplication, expected: dict[str, Any] | None) -> bool:
    """Verify the rebuilt chain against the store and the exported head; False: no head."""
    if expected is None:
        return False
    kept = (expected["position"], expected["link"]) if expected["position"] else None
    verdict = _read_models(app).verify_chain(expected=kept)  # nothing to meet in an empty log
    if not verdict.intact or verdict.head.position != expected["position"]:
        problem = (
            chain.describe_break(verdict.first_break)
            if verdict.first_break is not None
            else f"Kettenkopf Position {verdict.head.position}, {verdict.head.link}"
        )
        raise BackupRefused(
            "Die Ereignisse wurden importiert, aber die neu aufgebaute Ereigniskette passt nicht "
            f"zum Export: {problem}. Diesen Speicher nicht verwenden: leeren und neu importieren."
        )
    return True


# -- the people directory ------------------------------------------------------------------


def export_directory(
    app: IdeationApplication, path: Path, *, overwrite: bool = False
) -> DirectoryExport:
    """Write every person and login account to `path` (private file, mode 600)."""
    with _writing(path, overwrite) as out:
        people, accounts = directory_transfer.export_rows(
            app.directory.engine, out, created_at=transfer.utc_now_iso()
        )
    return DirectoryExport(path, people, accounts)


def import_directory(app: IdeationApplication, path: Path) -> DirectoryImport:
    """Load a directory export into the empty directory of `app`.

    Import the events first: people whose erasure the event log records, and entries for
    people the log does not know, are left out (with their accounts), so an older backup
    never brings back personal data that were erased since.
    """
    if not transfer.last_position(app.recorder):
        raise BackupRefused(
            "Der Ereignisspeicher ist leer: Bitte zuerst die Ereignisse importieren "
            "(„ideation events import“), dann das Personenverzeichnis."
        )
    try:
        with _reading(path) as handle:
            rows = directory_transfer.read_rows(handle)
        kept = [row for row in rows.people if _may_restore(app, row["id"])]
        kept_ids = {row["id"] for row in kept}
        accounts = [row for row in rows.accounts if row["person_id"] in kept_ids]
        directory_transfer.import_rows(app.directory.engine, kept, accounts)
    except directory_transfer.DirectoryTransferError as error:
        raise BackupRefused(str(error)) from error
    return DirectoryImport(path, len(kept), len(accounts), len(rows.people) - len(kept))


def _may_restore(app: IdeationApplication, person_id: UUID) -> bool:
    try:
        person = app.repository.get(person_id)
    except AggregateNotFoundError:
        return False
    return not getattr(person, "erased", False)
