"""The audit log and the decision register as CSV or JSON Lines (web exports and the CLI).

Both formats start with what was exported: the kind, the moment (UTC), the filters, the
order and, once the hash chain exists, its head ("Kettenkopf: <position> <hash> <time>"),
so a printout can later be checked against the chain. Then one record per event, with the
same keys in both formats (`COLUMNS`):

- CSV: UTF-8 with a byte order mark (Excel then reads umlauts right), comma-separated,
  CRLF line ends. The first line is a comment starting with "#", the second the header row.
  Text a spreadsheet would run as a formula (starting with =, +, -, @) gets a leading
  apostrophe; the JSON Lines export keeps every value exactly as recorded.
- JSON Lines: UTF-8, one JSON object per line. The first line is {"export": {...}}, every
  further line one event.

Names come from outside (`ExportNames`): the web passes the page language's labels and the
directory, the CLI German labels. Rows are read and named in chunks, so an export of any
length keeps only one chunk in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from ideation.readmodels.audit import AuditFilter
from ideation.readmodels.views import AuditRow

BERLIN = ZoneInfo("Europe/Berlin")
CHUNK_SIZE = 500
COLUMNS = (
    "position",
    "occurred_at",
    "occurred_at_local",
    "event_type",
    "label",
    "aggregate_type",
    "aggregate_id",
    "aggregate_version",
    "subject",
    "idea_id",
    "actor_person_id",
    "actor_name",
    "actor_department_id",
    "actor_department",
    "actor_role",
    "outcome",
    "related_id",
    "related_subject",
    "reason",
)
TITLES = {"audit_log": "Prüfprotokoll", "decision_register": "Entscheidungsregister"}
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
JSONL_MEDIA_TYPE = "application/jsonl; charset=utf-8"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TEXT_COLUMNS = ("subject", "actor_name", "actor_department", "related_subject", "reason")


@dataclass
class ExportNames:
    """How an export turns ids and codes into words.

    `person_names` maps a set of person ids to display names in one lookup (missing ids
    are erased people); `department_name` names one department; `event_label` labels an
    event type.
    """

    event_label: Callable[[str], str]
    person_names: Callable[[set[UUID]], dict[UUID, str]]
    department_name: Callable[[UUID], str]
    system_name: str = "System"
    erased_name: str = "gelöschte Person"
    _known: dict[UUID, str] = field(default_factory=dict)

    def learn(self, rows: list[AuditRow]) -> None:
        """Look up the people of a chunk of rows that are not known yet."""
        wanted = {r.actor_person_id for r in rows if r.actor_person_id and r.actor_role != "system"}
        wanted |= {r.aggregate_id for r in rows if r.aggregate_type == "Person"}
        missing = wanted - set(self._known)
        if missing:
            found = self.person_names(missing)
            self._known.update({pid: found.get(pid, self.erased_name) for pid in missing})

    def person(self, person_id: UUID | None, role: str | None = None) -> str:
        if person_id is None or role == "system":
            return self.system_name
        return self._known.get(person_id, self.erased_name)


def chain_head_line(read_models: Any) -> str:
    """ "Kettenkopf: <position> <hash> <UTC time>" of the hash chain, for export headers."""
    head = read_models.chain_head()
    when = head.occurred_at.astimezone(dt.UTC).isoformat() if head.occurred_at else "–"
    return f"Kettenkopf: {head.position} {head.link} {when}"


def export_meta(
    kind: str,
    checked: AuditFilter,
    *,
    newest_first: bool,
    exported_at: dt.datetime,
    chain_head: str = "",
) -> dict[str, Any]:
    """What an export says about itself (its first line)."""
    return {
        "kind": kind,
        "title": TITLES[kind],
        "exported_at": exported_at.astimezone(dt.UTC).isoformat(),
        "filters": checked.as_dict(),
        "order": "newest_first" if newest_first else "commit_order",
        "chain_head": chain_head or None,
        "columns": list(COLUMNS),
    }


def record(row: AuditRow, names: ExportNames) -> dict[str, Any]:
    """One event as plain JSON values, keyed by `COLUMNS` (call `names.learn` first)."""
    subject = row.subject
    if row.aggregate_type == "Person":
        subject = names.person(row.aggregate_id)
    return {
        "position": row.position,
        "occurred_at": row.occurred_at.astimezone(dt.UTC).isoformat(),
        "occurred_at_local": row.occurred_at.astimezone(BERLIN).isoformat(),
        "event_type": row.event_type,
        "label": names.event_label(row.event_type),
        "aggregate_type": row.aggregate_type,
        "aggregate_id": str(row.aggregate_id),
        "aggregate_version": row.aggregate_version,
        "subject": subject,
        "idea_id": _text(row.idea_id),
        "actor_person_id": _text(row.actor_person_id),
        "actor_name": names.person(row.actor_person_id, row.actor_role),
        "actor_department_id": _text(row.actor_department_id),
        "actor_department": (
            names.department_name(row.actor_department_id) if row.actor_department_id else None
        ),
        "actor_role": row.actor_role,
        "outcome": row.outcome,
        "related_id": _text(row.related_id),
        "related_subject": row.related_subject,
        "reason": row.reason,
    }


def _text(value: UUID | None) -> str | None:
    return None if value is None else str(value)


def records(rows: Iterable[AuditRow], names: ExportNames) -> Iterator[list[dict[str, Any]]]:
    """The records of `rows` in chunks, people looked up once per chunk."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK_SIZE)):
        names.learn(chunk)
        yield [record(row, names) for row in chunk]


def csv_chunks(rows: Iterable[AuditRow], names: ExportNames, meta: dict[str, Any]) -> Iterator[str]:
    """The CSV export as text pieces: BOM and comment line, header row, then rows."""
    yield "\ufeff" + comment_line(meta) + "\r\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield _drain(buffer)
    for chunk in records(rows, names):
        for item in chunk:
            writer.writerow([_csv_cell(name, item[name]) for name in COLUMNS])
        yield _drain(buffer)


def jsonl_chunks(
    rows: Iterable[AuditRow], names: ExportNames, meta: dict[str, Any]
) -> Iterator[str]:
    """The JSON Lines export as text pieces: the {"export": …} line, then one per event."""
    yield json.dumps({"export": meta}, ensure_ascii=False) + "\n"
    for chunk in records(rows, names):
        yield "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in chunk)


def comment_line(meta: dict[str, Any]) -> str:
    """The CSV's first line: "# Prüfprotokoll (ideation); exportiert am …; Filter: …"."""
    filters = " ".join(f"{k}={v}" for k, v in meta["filters"].items()) or "keine"
    order = "neueste zuerst" if meta["order"] == "newest_first" else "Commit-Reihenfolge"
    parts = [
        f"# {meta['title']} (ideation)",
        f"exportiert am {meta['exported_at']}",
        f"Filter: {filters}",
        f"Reihenfolge: {order}",
    ]
    if meta["chain_head"]:
        parts.append(meta["chain_head"])
    return "; ".join(parts).replace("\r", " ").replace("\n", " ")


def _csv_cell(name: str, value: Any) -> Any:
    if value is None:
        return ""
    if name in _TEXT_COLUMNS and isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def filename(kind: str, extension: str, moment: dt.datetime) -> str:
    """pruefprotokoll-20260331-090000.csv, entscheidungsregister-….jsonl (UTC time)."""
    stem = {"audit_log": "pruefprotokoll", "decision_register": "entscheidungsregister"}[kind]
    return f"{stem}-{moment.astimezone(dt.UTC):%Y%m%d-%H%M%S}.{extension}"
