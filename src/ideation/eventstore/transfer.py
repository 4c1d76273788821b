"""Export the event log as JSON Lines and load such a file into an empty store (either backend).

The file holds every stored event record exactly as the recorder keeps it: the notification
id ("position", the commit order), the originator id and version, the topic and the state
bytes (base64). Nothing is decoded or re-encoded on the way, so the bytes a hash chain covers
arrive unchanged. Snapshots are left out: they are derived from the events.

Layout (one JSON object per line, UTF-8):

1. header: ``{"kind": "header", "format": "ideation-events", "format_version": 1,
   "created_at", "events", "last_position", "source_backend"}``
2. one line per event in position order: ``{"kind": "event", "position",
   "originator_id", "originator_version", "topic", "state"}``
3. trailer: ``{"kind": "trailer", "events", "last_position", "sha256", "chain_head"}``;
   `sha256` is the SHA-256 of every line before the trailer (each line's UTF-8 bytes and
   its newline), `chain_head` is what the caller passes (null without a chain).

`insert_records` writes the records with their original notification ids in ONE
transaction, after locking the events table and checking that it is empty; a broken file
(the reader raises while it is consumed) rolls everything back. The library's recorder API
cannot set notification ids, so this module talks SQL to the recorder's own datastore
(SQLite: the rowid; PostgreSQL: the bigserial column, whose sequence is moved past the
highest id afterwards).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder

FORMAT = "ideation-events"
FORMAT_VERSION = 1
DEFAULT_BATCH_SIZE = 1000
_EVENT_KEYS = frozenset(
    {"kind", "position", "originator_id", "originator_version", "topic", "state"}
)

Progress = Callable[[int], None]  # records done so far


class TransferError(Exception):
    """An export or import could not be done; the message is German and names the cause."""


class StoreNotEmpty(TransferError):
    """The target event store already holds events."""


class InvalidExportFile(TransferError):
    """The file is no complete, unchanged event export."""


@dataclass(frozen=True)
class EventRecord:
    """One stored event as the recorder keeps it."""

    position: int
    originator_id: UUID | str
    originator_version: int
    topic: str
    state: bytes


@dataclass
class ExportHeader:
    """The first line of an export."""

    created_at: str
    events: int
    last_position: int
    source_backend: str

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": "header",
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "events": self.events,
            "last_position": self.last_position,
            "source_backend": self.source_backend,
        }


@dataclass
class ExportTrailer:
    """The last line of an export."""

    events: int
    last_position: int
    sha256: str
    chain_head: dict[str, Any] | None = None


# -- reading the store -------------------------------------------------------------------


def backend_of(recorder: ApplicationRecorder) -> str:
    """ "sqlite" or "postgres" for the library's recorders; anything else is refused."""
    from eventsourcing.sqlite import SQLiteApplicationRecorder

    if isinstance(recorder, SQLiteApplicationRecorder):
        return "sqlite"
    from eventsourcing.postgres import PostgresApplicationRecorder

    if isinstance(recorder, PostgresApplicationRecorder):
        return "postgres"
    raise TransferError(
        f"Dieser Ereignisspeicher ({type(recorder).__name__}) kann nicht exportiert oder "
        "importiert werden; unterstützt sind SQLite und PostgreSQL."
    )


def last_position(recorder: ApplicationRecorder) -> int:
    """The highest notification id, 0 for an empty store."""
    return recorder.max_notification_id() or 0


def count_records(recorder: ApplicationRecorder, upto: int) -> int:
    """How many events the store holds up to and including position `upto`."""
    table = _qualified_table(recorder)
    if backend_of(recorder) == "sqlite":
        statement = f"SELECT COUNT(*) FROM {table} WHERE rowid <= ?"  # noqa: S608 - own name
    else:
        statement = f"SELECT COUNT(*) FROM {table} WHERE notification_id <= %s"  # noqa: S608
    with recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
        cursor.execute(statement, (upto,))
        row = cursor.fetchone()
    return int(row[0] if backend_of(recorder) == "sqlite" else row["count"])


def read_records(
    recorder: ApplicationRecorder, *, upto: int, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[EventRecord]:
    """Every stored event up to position `upto`, in position (commit) order, batch by batch."""
    after = 0
    while after < upto:
        batch = recorder.select_notifications(
            start=after, limit=batch_size, stop=upto, inclusive_of_start=False
        )
        if not batch:
            return
        for notification in batch:
            yield EventRecord(
                position=notification.id,
                originator_id=notification.originator_id,
                originator_version=notification.originator_version,
                topic=notification.topic,
                state=bytes(notification.state),
            )
        after = batch[-1].id


# -- writing and reading the file ----------------------------------------------------------


def _line(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def event_line(record: EventRecord) -> str:
    """The JSON line of one record (state as standard base64)."""
    return _line(
        {
            "kind": "event",
            "position": record.position,
            "originator_id": str(record.originator_id),
            "originator_version": record.originator_version,
            "topic": record.topic,
            "state": base64.b64encode(record.state).decode("ascii"),
        }
    )


def write_export(
    out: TextIO,
    header: ExportHeader,
    records: Iterable[EventRecord],
    *,
    chain_head: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> ExportTrailer:
    """Write header, records and trailer; return the trailer written.

    Raises TransferError if the records do not match the header (count or last position):
    the store changed under the export in a way it never should.
    """
    digest = hashlib.sha256()

    def write(line: str) -> None:
        out.write(line)
        digest.update(line.encode("utf-8"))

    write(_line(header.as_json()))
    count = 0
    last = 0
    for record in records:
        write(event_line(record))
        count += 1
        last = record.position
        if progress is not None and count % DEFAULT_BATCH_SIZE == 0:
            progress(count)
    if progress is not None:
        progress(count)
    if (count, last) != (header.events, header.last_position):
        raise TransferError(
            f"Export abgebrochen: {count} Ereignisse bis Position {last} gelesen, erwartet "
            f"{header.events} bis Position {header.last_position}."
        )
    trailer = ExportTrailer(count, last, digest.hexdigest(), chain_head)
    out.write(
        _line(
            {
                "kind": "trailer",
                "events": trailer.events,
                "last_position": trailer.last_position,
                "sha256": trailer.sha256,
                "chain_head": chain_head,
            }
        )
    )
    return trailer


@dataclass
class ExportReader:
    """Reads an export: the header at once, the records lazily, the trailer at the end.

    Every problem raises InvalidExportFile with the line number; `records()` checks the
    trailer (count, last position, SHA-256) after the last record, so a consumer that
    stores records inside a transaction rolls back on a broken or shortened file.
    """

    lines: Iterator[str]
    header: ExportHeader = field(init=False)
    trailer: ExportTrailer | None = field(init=False, default=None)
    _digest: Any = field(init=False, repr=False)
    _line_number: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._digest = hashlib.sha256()
        first = self._next_line()
        if first is None:
            raise InvalidExportFile("Die Datei ist leer.")
        value = self._parse(first)
        if value.get("kind") != "header" or value.get("format") != FORMAT:
            raise InvalidExportFile(
                f"Zeile 1: Das ist kein Ereignisexport des Planers (erwartet „{FORMAT}“)."
            )
        if value.get("format_version") != FORMAT_VERSION:
            raise InvalidExportFile(
                f"Zeile 1: Formatversion {value.get('format_version')!r} wird nicht unterstützt "
                f"(nur {FORMAT_VERSION})."
            )
        self.header = ExportHeader(
            created_at=str(value.get("created_at", "")),
            events=self._count(value, "events"),
            last_position=self._count(value, "last_position"),
            source_backend=str(value.get("source_backend", "")),
        )
        self._digest.update(first.encode("utf-8"))

    def records(self) -> Iterator[EventRecord]:
        """Yield every record, then check the trailer (raising InvalidExportFile)."""
        count = 0
        previous = 0
        while True:
            line = self._next_line()
            if line is None:
                raise InvalidExportFile(
                    f"Die Datei endet nach Zeile {self._line_number} ohne Schlusszeile "
                    "(unvollständig kopiert oder abgeschnitten)."
                )
            value = self._parse(line)
            if value.get("kind") == "trailer":
                self._check_trailer(value, count, previous)
                return
            record = self._record(value, previous)
            self._digest.update(line.encode("utf-8"))
            count += 1
            if count > self.header.events:
                raise InvalidExportFile(
                    f"Zeile {self._line_number}: mehr Ereignisse als die Kopfzeile nennt "
                    f"({self.header.events})."
                )
            previous = record.position
            yield record

    # -- internals ---------------------------------------------------------------

    def _next_line(self) -> str | None:
        for raw in self.lines:
            self._line_number += 1
            line = raw[:-2] + "\n" if raw.endswith("\r\n") else raw
            if not line.endswith("\n"):
                line += "\n"
            return line
        return None

    def _parse(self, line: str) -> dict[str, Any]:
        if not line.strip():
            raise InvalidExportFile(f"Zeile {self._line_number}: leere Zeile.")
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise InvalidExportFile(
                f"Zeile {self._line_number}: kein gültiges JSON ({error.msg})."
            ) from None
        if not isinstance(value, dict):
            raise InvalidExportFile(f"Zeile {self._line_number}: kein JSON-Objekt.")
        return value

    def _count(self, value: dict[str, Any], key: str) -> int:
        number = value.get(key)
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise InvalidExportFile(
                f"Zeile {self._line_number}: „{key}“ muss eine ganze Zahl ab 0 sein."
            )
        return number

    def _record(self, value: dict[str, Any], previous: int) -> EventRecord:
        n = self._line_number
        if value.get("kind") != "event" or set(value) != _EVENT_KEYS:
            raise InvalidExportFile(f"Zeile {n}: keine Ereigniszeile.")
        position = value["position"]
        version = value["originator_version"]
        for name, number in (("position", position), ("originator_version", version)):
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                raise InvalidExportFile(f"Zeile {n}: „{name}“ muss eine ganze Zahl ab 1 sein.")
        if position <= previous:
            raise InvalidExportFile(
                f"Zeile {n}: Position {position} folgt nicht auf Position {previous} "
                "(die Ereignisse müssen aufsteigend geordnet sein)."
            )
        if position > self.header.last_position:
            raise InvalidExportFile(
                f"Zeile {n}: Position {position} liegt hinter der letzten Position der Kopfzeile "
                f"({self.header.last_position})."
            )
        originator_id, topic, state = value["originator_id"], value["topic"], value["state"]
        if not isinstance(originator_id, str) or not originator_id:
            raise InvalidExportFile(f"Zeile {n}: „originator_id“ fehlt.")
        if not isinstance(topic, str) or ":" not in topic:
            raise InvalidExportFile(f"Zeile {n}: „topic“ ist kein Ereignistyp.")
        if not isinstance(state, str):
            raise InvalidExportFile(f"Zeile {n}: „state“ fehlt.")
        try:
            data = base64.b64decode(state, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidExportFile(f"Zeile {n}: „state“ ist kein gültiges Base64.") from None
        return EventRecord(position, originator_id, version, topic, data)

    def _check_trailer(self, value: dict[str, Any], count: int, last: int) -> None:
        n = self._line_number
        events = self._count(value, "events")
        last_position = self._count(value, "last_position")
        if (events, last_position) != (self.header.events, self.header.last_position):
            raise InvalidExportFile(
                f"Zeile {n}: Die Schlusszeile ({events} Ereignisse bis Position {last_position}) "
                f"passt nicht zur Kopfzeile ({self.header.events} bis Position "
                f"{self.header.last_position})."
            )
        if (count, last) != (events, last_position):
            raise InvalidExportFile(
                f"Die Datei enthält {count} Ereignisse bis Position {last}, die Schlusszeile nennt "
                f"{events} bis Position {last_position} (Zeilen fehlen oder sind zu viel)."
            )
        if value.get("sha256") != self._digest.hexdigest():
            raise InvalidExportFile(
                "Die Prüfsumme (SHA-256) stimmt nicht: Die Datei wurde nach dem Export verändert."
            )
        chain_head = value.get("chain_head")
        if chain_head is not None and not isinstance(chain_head, dict):
            raise InvalidExportFile(f"Zeile {n}: „chain_head“ ist kein JSON-Objekt.")
        rest = self._next_line()
        if rest is not None:
            raise InvalidExportFile(f"Zeile {self._line_number}: Text nach der Schlusszeile.")
        self.trailer = ExportTrailer(events, last_position, value["sha256"], chain_head)


# -- writing the store ------------------------------------------------------------------


def insert_records(
    recorder: ApplicationRecorder,
    records: Iterable[EventRecord],
    *,
    progress: Progress | None = None,
) -> int:
    """Store `records` with their notification ids in one transaction; return how many.

    Refuses (StoreNotEmpty) unless the events table is empty, checked after taking the
    write lock. Any exception while `records` is consumed rolls the whole import back.
    """
    import sqlite3

    import psycopg
    from eventsourcing.persistence import PersistenceError

    try:
        if backend_of(recorder) == "sqlite":
            return _insert_sqlite(recorder, records, progress)
        return _insert_postgres(recorder, records, progress)
    except (PersistenceError, sqlite3.Error, psycopg.Error) as error:
        raise TransferError(
            f"Der Import ist gescheitert und wurde zurückgerollt: {error}"
        ) from error


def _not_empty(last: int) -> StoreNotEmpty:
    return StoreNotEmpty(
        f"Der Ereignisspeicher ist nicht leer (letzte Position {last}). Importiert wird nur in "
        "einen leeren Speicher; es wurde nichts verändert."
    )


def _originator_id(recorder: ApplicationRecorder, record: EventRecord) -> UUID | str:
    if recorder.datastore.originator_id_type == "text":  # type: ignore[attr-defined]
        return str(record.originator_id)
    try:
        return UUID(str(record.originator_id))
    except ValueError:
        raise InvalidExportFile(
            f"Position {record.position}: „{record.originator_id}“ ist keine UUID."
        ) from None


def _batches(
    records: Iterable[EventRecord], size: int = DEFAULT_BATCH_SIZE
) -> Iterator[list[EventRecord]]:
    batch: list[EventRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert_sqlite(
    recorder: ApplicationRecorder, records: Iterable[EventRecord], progress: Progress | None
) -> int:
    table = _qualified_table(recorder)
    insert = (
        f"INSERT INTO {table} (rowid, originator_id, originator_version, topic, state) "  # noqa: S608
        "VALUES (?, ?, ?, ?, ?)"
    )
    done = 0
    datastore = recorder.datastore  # type: ignore[attr-defined]
    with datastore.get_connection(commit=True) as connection:
        cursor = connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")  # the write lock first, then the emptiness check
        try:
            cursor.execute(f"SELECT MAX(rowid) FROM {table}")  # noqa: S608
            last = cursor.fetchone()[0]
            if last:
                raise _not_empty(last)
            for batch in _batches(records):
                rows = []
                for record in batch:
                    originator_id = _originator_id(recorder, record)
                    rows.append(
                        (
                            record.position,
                            originator_id.hex if isinstance(originator_id, UUID) else originator_id,
                            record.originator_version,
                            record.topic,
                            record.state,
                        )
                    )
                cursor.executemany(insert, rows)
                done += len(rows)
                if progress is not None:
                    progress(done)
        except BaseException:
            connection.rollback()
            raise
        connection.commit()
    return done


def _insert_postgres(
    recorder: ApplicationRecorder, records: Iterable[EventRecord], progress: Progress | None
) -> int:
    from psycopg.sql import SQL, Identifier, Literal

    datastore = recorder.datastore  # type: ignore[attr-defined]
    table = SQL("{}.{}").format(
        Identifier(datastore.schema),
        Identifier(recorder.events_table_name),  # type: ignore[attr-defined]
    )
    done = 0
    with datastore.transaction(commit=True) as cursor:
        cursor.execute(
            SQL("SET LOCAL lock_timeout = {}").format(Literal(f"{datastore.lock_timeout}s"))
        )
        # The same lock the library's writers take: nobody inserts while we check and load.
        cursor.execute(SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table))
        cursor.execute(SQL("SELECT MAX(notification_id) AS last FROM {}").format(table))
        last = cursor.fetchone()["last"]
        if last:
            raise _not_empty(last)
        highest = 0
        copy_statement = SQL(
            "COPY {} (notification_id, originator_id, originator_version, topic, state) FROM STDIN"
        ).format(table)
        with cursor.copy(copy_statement) as copy:
            for batch in _batches(records):
                for record in batch:
                    copy.write_row(
                        (
                            record.position,
                            _originator_id(recorder, record),
                            record.originator_version,
                            record.topic,
                            record.state,
                        )
                    )
                done += len(batch)
                highest = batch[-1].position
                if progress is not None:
                    progress(done)
        if highest:
            # New events continue after the highest imported id (the sequence is not rolled
            # back with the transaction, which only leaves a gap should the commit fail).
            cursor.execute(
                SQL("SELECT setval(pg_get_serial_sequence({}, 'notification_id'), {})").format(
                    Literal(table.as_string(cursor)), Literal(highest)
                )
            )
        cursor.execute(
            SQL("NOTIFY {}").format(
                Identifier(recorder.channel_name)  # type: ignore[attr-defined]
            )
        )
    return done


def _qualified_table(recorder: ApplicationRecorder) -> str:
    """The events table, quoted (and schema-qualified on PostgreSQL)."""
    name = recorder.events_table_name  # type: ignore[attr-defined]
    quoted = '"' + name.replace('"', '""') + '"'
    if backend_of(recorder) == "postgres":
        schema = recorder.datastore.schema  # type: ignore[attr-defined]
        return '"' + schema.replace('"', '""') + '".' + quoted
    return quoted


def utc_now_iso() -> str:
    """The current UTC time for the header, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
