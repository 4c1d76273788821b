"""Export the people directory and the login accounts as JSON Lines, and load them back.

The directory is not part of the event log (it holds the personal data the events leave
out), so a full backup needs this second file beside the event export. It holds names,
e-mail addresses and password hashes: keep it like a password database.

Layout (one JSON object per line, UTF-8):

1. header: ``{"kind": "header", "format": "ideation-directory", "format_version": 1,
   "created_at", "people", "accounts", "source_backend"}``
2. ``{"kind": "person", <every column of the people table>}`` lines, then
   ``{"kind": "account", <every column of the accounts table>}`` lines
3. trailer: ``{"kind": "trailer", "people", "accounts", "sha256"}`` (SHA-256 of every line
   before the trailer, newlines included)

Columns are written as the tables define them (UUIDs as text, times as ISO 8601 in UTC), so
a column added later travels without a change here. `import_rows` writes into an empty
directory only, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO
from uuid import UUID

from sqlalchemy import Boolean, DateTime, Integer, Table, Uuid, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ideation.directory.accounts import accounts
from ideation.directory.people import people

FORMAT = "ideation-directory"
FORMAT_VERSION = 1
KINDS: dict[str, Table] = {"person": people, "account": accounts}


class DirectoryTransferError(Exception):
    """A directory export or import could not be done (German message)."""


@dataclass(frozen=True)
class DirectoryRows:
    """The rows of a directory file, as column → Python value mappings."""

    created_at: str
    source_backend: str
    people: list[dict[str, Any]]
    accounts: list[dict[str, Any]]


def _encode(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat()
    return value


def _decode(table: Table, name: str, value: Any, line: int) -> Any:
    if value is None:
        return None
    column_type = table.c[name].type
    try:
        if isinstance(column_type, Uuid):
            return UUID(value)
        if isinstance(column_type, DateTime):
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError(value)
            return moment.astimezone(dt.UTC)
        if isinstance(column_type, Boolean):
            if not isinstance(value, bool):
                raise TypeError(value)
            return value
        if isinstance(column_type, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(value)
            return value
        if not isinstance(value, str):
            raise TypeError(value)
        return value
    except (TypeError, ValueError, AttributeError):
        raise DirectoryTransferError(
            f"Zeile {line}: Der Wert von „{name}“ passt nicht zur Spalte."
        ) from None


def _line(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def export_rows(engine: Engine, out: TextIO, *, created_at: str) -> tuple[int, int]:
    """Write every person and account in one read transaction; return (people, accounts)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            person_rows = [
                dict(r._mapping) for r in conn.execute(select(people).order_by(people.c.id))
            ]
            account_rows = [
                dict(r._mapping)
                for r in conn.execute(select(accounts).order_by(accounts.c.person_id))
            ]
    digest = hashlib.sha256()

    def write(line: str) -> None:
        out.write(line)
        digest.update(line.encode("utf-8"))

    write(
        _line(
            {
                "kind": "header",
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": created_at,
                "people": len(person_rows),
                "accounts": len(account_rows),
                "source_backend": engine.dialect.name,
            }
        )
    )
    for kind, rows in (("person", person_rows), ("account", account_rows)):
        for row in rows:
            write(_line({"kind": kind, **{k: _encode(v) for k, v in row.items()}}))
    out.write(
        _line(
            {
                "kind": "trailer",
                "people": len(person_rows),
                "accounts": len(account_rows),
                "sha256": digest.hexdigest(),
            }
        )
    )
    return len(person_rows), len(account_rows)


def read_rows(lines: Iterable[str]) -> DirectoryRows:
    """Parse and check a whole directory file; raise DirectoryTransferError on any problem."""
    digest = hashlib.sha256()
    header: dict[str, Any] | None = None
    rows: dict[str, list[dict[str, Any]]] = {"person": [], "account": []}
    trailer: dict[str, Any] | None = None
    number = 0
    for number, raw in enumerate(_normalised(lines), start=1):
        if trailer is not None:
            raise DirectoryTransferError(f"Zeile {number}: Text nach der Schlusszeile.")
        value = _parse(raw, number)
        kind = value.pop("kind", None)
        if header is None:
            if kind != "header" or value.get("format") != FORMAT:
                raise DirectoryTransferError(
                    f"Zeile 1: Das ist kein Verzeichnisexport des Planers (erwartet „{FORMAT}“)."
                )
            if value.get("format_version") != FORMAT_VERSION:
                raise DirectoryTransferError(
                    f"Zeile 1: Formatversion {value.get('format_version')!r} wird nicht "
                    f"unterstützt (nur {FORMAT_VERSION})."
                )
            header = value
        elif kind == "trailer":
            trailer = value
            continue
        elif kind in KINDS:
            table = KINDS[kind]
            if set(value) != set(table.c.keys()):
                raise DirectoryTransferError(
                    f"Zeile {number}: Die Felder passen nicht zur Tabelle „{table.name}“."
                )
            rows[kind].append({k: _decode(table, k, v, number) for k, v in value.items()})
        else:
            raise DirectoryTransferError(f"Zeile {number}: unbekannte Zeilenart {kind!r}.")
        digest.update(raw.encode("utf-8"))
    if header is None:
        raise DirectoryTransferError("Die Datei ist leer.")
    if trailer is None:
        raise DirectoryTransferError(
            f"Die Datei endet nach Zeile {number} ohne Schlusszeile (unvollständig?)."
        )
    counts = (len(rows["person"]), len(rows["account"]))
    for name, source in (("Kopfzeile", header), ("Schlusszeile", trailer)):
        if (source.get("people"), source.get("accounts")) != counts:
            raise DirectoryTransferError(
                f"Die Datei enthält {counts[0]} Personen und {counts[1]} Zugänge, die {name} "
                f"nennt {source.get('people')} und {source.get('accounts')}."
            )
    if trailer.get("sha256") != digest.hexdigest():
        raise DirectoryTransferError(
            "Die Prüfsumme (SHA-256) stimmt nicht: Die Datei wurde nach dem Export verändert."
        )
    return DirectoryRows(
        created_at=str(header.get("created_at", "")),
        source_backend=str(header.get("source_backend", "")),
        people=rows["person"],
        accounts=rows["account"],
    )


def import_rows(
    engine: Engine, person_rows: list[dict[str, Any]], account_rows: list[dict[str, Any]]
) -> None:
    """Insert people, then accounts, in one transaction; only into an empty directory."""
    try:
        with engine.begin() as conn:
            held_people, held_accounts = (
                conn.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (people, accounts)
            )
            if held_people or held_accounts:
                raise DirectoryTransferError(
                    f"Das Personenverzeichnis ist nicht leer ({held_people} Personen, "
                    f"{held_accounts} Zugänge). Importiert wird nur in ein leeres Verzeichnis; "
                    "es wurde nichts verändert."
                )
            if person_rows:
                conn.execute(insert(people), person_rows)
            if account_rows:
                conn.execute(insert(accounts), account_rows)
    except SQLAlchemyError as error:
        raise DirectoryTransferError(
            f"Der Import ist gescheitert und wurde zurückgerollt: {error.orig or error}"
        ) from error


def _normalised(lines: Iterable[str]) -> Iterator[str]:
    for raw in lines:
        line = raw[:-2] + "\n" if raw.endswith("\r\n") else raw
        yield line if line.endswith("\n") else line + "\n"


def _parse(line: str, number: int) -> dict[str, Any]:
    if not line.strip():
        raise DirectoryTransferError(f"Zeile {number}: leere Zeile.")
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        raise DirectoryTransferError(f"Zeile {number}: kein gültiges JSON ({error.msg}).") from None
    if not isinstance(value, dict):
        raise DirectoryTransferError(f"Zeile {number}: kein JSON-Objekt.")
    return value
