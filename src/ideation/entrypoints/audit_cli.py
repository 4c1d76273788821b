"""`ideation audit log|decisions`: the audit log and the decision register as CSV or JSON Lines.

The same filters and the same file format as the exports of the web pages /audit/log and
/audit/decisions (see `audit_export`); labels are German. Progress goes to stderr (when it
is a terminal), the export to --output or stdout.

Exit codes: 0 written; 1 the output file could not be written; 2 wrong invocation (argparse,
or a filter value the planner cannot use, e.g. a malformed date).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any, TextIO

from ideation.application.history import EVENT_LABELS
from ideation.bootstrap import build_application
from ideation.config import Settings
from ideation.entrypoints import audit_export
from ideation.readmodels.audit import AGGREGATE_TYPES, ROLES, audit_filter
from ideation.readmodels.queries import InvalidQuery

AUDIT_EXPORT_COMMANDS = {"log": "audit_log", "decisions": "decision_register"}
EXIT_NOT_WRITTEN = 1
EXIT_INVALID = 2


def add_audit_export_commands(audit_commands: Any) -> None:
    """Add `log` and `decisions` to the subcommands of `ideation audit`."""
    helps = {
        "log": "jedes gespeicherte Ereignis in Speicherreihenfolge exportieren (Prüfprotokoll)",
        "decisions": "Entscheidungen und Empfehlungen exportieren (Entscheidungsregister)",
    }
    for name, help_text in helps.items():
        command = audit_commands.add_parser(name, help=help_text, description=help_text)
        command.add_argument(
            "--from",
            dest="date_from",
            metavar="DATUM",
            help="ab diesem Tag (JJJJ-MM-TT oder TT.MM.JJJJ, deutsche Zeit, einschließlich)",
        )
        command.add_argument(
            "--to", dest="date_to", metavar="DATUM", help="bis zu diesem Tag (einschließlich)"
        )
        command.add_argument(
            "--person", metavar="ID", help="nur was diese Person tat (Personen-ID)"
        )
        command.add_argument(
            "--department",
            metavar="ID",
            help="nur was für diesen Fachbereich getan wurde (Fachbereichs-ID)",
        )
        command.add_argument("--role", choices=ROLES, help="nur in dieser Rolle")
        command.add_argument(
            "--type",
            dest="aggregate_type",
            choices=AGGREGATE_TYPES,
            help="nur Ereignisse dieser Objektart",
        )
        command.add_argument(
            "--event",
            dest="event_type",
            metavar="EREIGNIS",
            help="nur diese Ereignisart, z. B. Idea.Accepted",
        )
        command.add_argument(
            "--format",
            choices=("csv", "jsonl"),
            default="csv",
            help="CSV (UTF-8 mit BOM) oder JSON Lines; Vorgabe: csv",
        )
        command.add_argument(
            "--output",
            "-o",
            metavar="DATEI",
            help="in diese Datei schreiben statt auf die Standardausgabe",
        )
        command.add_argument(
            "--newest-first",
            action="store_true",
            help="neueste zuerst statt in Speicherreihenfolge",
        )


def run_audit_export(args: argparse.Namespace, stderr: TextIO | None = None) -> int:
    """Write the export the arguments ask for; return the exit code."""
    stderr = stderr or sys.stderr
    kind = AUDIT_EXPORT_COMMANDS[args.audit_command]
    decisions = kind == "decision_register"
    raw = {
        "date_from": args.date_from,
        "date_to": args.date_to,
        "person_id": args.person,
        "department_id": args.department,
        "role": args.role,
        "aggregate_type": args.aggregate_type,
        "event_type": args.event_type,
    }
    try:
        checked = audit_filter(raw, decisions=decisions)
    except InvalidQuery as problem:
        print(f"ideation audit {args.audit_command}: {problem.message}", file=stderr)
        return EXIT_INVALID
    app = build_application(Settings.from_env())
    try:
        return _write(app, args, kind, checked, stderr)
    finally:
        app.close()


def _write(app: Any, args: argparse.Namespace, kind: str, checked: Any, stderr: TextIO) -> int:
    from tqdm import tqdm

    read_models = app.read_models
    decisions = kind == "decision_register"
    count = read_models.decision_register if decisions else read_models.audit_log
    total = count(checked, page_size=1).total
    iterate = read_models.iter_decision_register if decisions else read_models.iter_audit_log
    rows = iterate(checked, newest_first=args.newest_first)
    now = dt.datetime.now(dt.UTC)
    meta = audit_export.export_meta(
        kind,
        checked,
        newest_first=args.newest_first,
        exported_at=now,
        chain_head=audit_export.chain_head_line(read_models),
    )
    departments = {d.id: d.name for d in read_models.list_departments()}
    names = audit_export.ExportNames(
        event_label=lambda t: EVENT_LABELS.get(t, (t, t))[1],
        person_names=app.directory.display_names,
        department_name=lambda d: departments.get(d, "–"),
    )
    write = audit_export.csv_chunks if args.format == "csv" else audit_export.jsonl_chunks
    title = audit_export.TITLES[kind]
    started = time.perf_counter()
    with ExitStack() as stack:
        try:
            out: TextIO = (
                stack.enter_context(open(args.output, "w", encoding="utf-8", newline=""))
                if args.output
                else sys.stdout
            )
        except OSError as error:
            print(f"{args.output}: {error.strerror}", file=stderr)
            return EXIT_NOT_WRITTEN
        bar = stack.enter_context(
            tqdm(
                total=total, unit=" Zeilen", desc=f"{title} exportieren", file=stderr, disable=None
            )
        )
        counter = _Counter(bar)
        try:
            for piece in write(counter.count(rows), names, meta):
                out.write(piece)
            out.flush()
        except OSError as error:
            print(f"{args.output or 'stdout'}: {error.strerror}", file=stderr)
            return EXIT_NOT_WRITTEN
        counter.flush()
        written = counter.rows
    elapsed = time.perf_counter() - started
    target = f"nach {args.output}" if args.output else "auf die Standardausgabe"
    print(f"{title}: {written} Zeilen {target} geschrieben ({elapsed:.1f} s).", file=stderr)
    return 0


class _Counter:
    """Counts the rows passing through and moves the progress bar every few hundred."""

    STEP = 500

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.rows = 0
        self.shown = 0

    def count(self, rows: Iterator[Any]) -> Iterator[Any]:
        for row in rows:
            self.rows += 1
            if self.rows - self.shown >= self.STEP:
                self.flush()
            yield row

    def flush(self) -> None:
        self.bar.update(self.rows - self.shown)
        self.shown = self.rows
