"""`ideation events export/import` and `ideation directory export/import` (see cli.py).

Exit codes: 0 done, 1 refused or failed (the German reason goes to stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ideation.application.backup import (
    BackupRefused,
    export_directory,
    export_events,
    import_directory,
    import_events,
)
from ideation.bootstrap import build_application
from ideation.config import Settings
from ideation.entrypoints.integrity_cli import format_chain_head
from ideation.readmodels.views import ChainHead


def add_backup_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the `events` and `directory` subcommands."""
    events = commands.add_parser(
        "events", help="Ereignisprotokoll sichern, wiederherstellen, umziehen"
    )
    event_commands = events.add_subparsers(dest="events_command", required=True)
    export = event_commands.add_parser(
        "export", help="das ganze Ereignisprotokoll mit Kettenkopf in eine Datei schreiben"
    )
    export.add_argument("file", type=Path, help="Zieldatei (JSON Lines; mit .gz komprimiert)")
    export.add_argument("--overwrite", action="store_true", help="eine vorhandene Datei ersetzen")
    load = event_commands.add_parser(
        "import",
        help="einen Export in einen leeren Speicher laden, Lesemodelle neu bauen, Kette prüfen",
    )
    load.add_argument("file", type=Path)

    directory = commands.add_parser(
        "directory", help="Personenverzeichnis und Zugänge sichern und wiederherstellen"
    )
    directory_commands = directory.add_subparsers(dest="directory_command", required=True)
    export = directory_commands.add_parser(
        "export", help="Personen und Zugänge (mit Passwort-Hashes) in eine Datei schreiben"
    )
    export.add_argument("file", type=Path)
    export.add_argument("--overwrite", action="store_true", help="eine vorhandene Datei ersetzen")
    load = directory_commands.add_parser(
        "import", help="in ein leeres Verzeichnis laden (nach „events import“)"
    )
    load.add_argument("file", type=Path)


def run_backup_command(args: argparse.Namespace) -> int:
    """Run one of the commands registered by `add_backup_commands`."""
    try:
        if args.command == "events":
            if args.events_command == "export":
                return _export_events(args)
            return _import_events(args)
        if args.directory_command == "export":
            return _export_directory(args)
        return _import_directory(args)
    except BackupRefused as error:
        print(f"Abgelehnt: {error}", file=sys.stderr)
        return 1


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _head_text(head: dict[str, Any]) -> str:
    """The chain head in the wording of `ideation audit head`, plus the value to keep."""
    occurred = head.get("occurred_at")
    line = format_chain_head(
        ChainHead(
            position=head["position"],
            link=head["link"],
            occurred_at=dt.datetime.fromisoformat(occurred) if occurred else None,
            length=head["length"],
        )
    )
    kept = f"{head['position']}:{head['link']}"
    return f"{line}\nAufbewahren für „ideation audit verify --expect“: {kept}"


@contextmanager
def _bars() -> Iterator[Callable[[str], Callable[[int, int], None]]]:
    """Progress bars on stderr; each appears at its first report and closes the one before."""
    from tqdm import tqdm

    current: list[tqdm] = []

    def bar(description: str) -> Callable[[int, int], None]:
        mine: list[tqdm] = []

        def show(done: int, total: int) -> None:
            if not mine:
                if current:
                    current.pop().close()
                mine.append(tqdm(desc=description, total=total, unit="Ereignisse", file=sys.stderr))
                current.append(mine[0])
            progress = mine[0]
            if progress.total != total:
                progress.total = total
                progress.refresh()
            progress.update(done - progress.n)

        return show

    try:
        yield bar
    finally:
        for progress in current:
            progress.close()


def _export_events(args: argparse.Namespace) -> int:
    app = build_application(Settings.from_env())
    started = time.perf_counter()
    with _bars() as bar:
        result = export_events(
            app, args.file, overwrite=args.overwrite, progress=bar("Ereignisse exportieren")
        )
    elapsed = time.perf_counter() - started
    print(
        f"{_number(result.events)} Ereignisse bis Position {_number(result.last_position)} "
        f"nach {result.path} geschrieben ({elapsed:.1f} s)."
    )
    print(_head_text(result.chain_head))
    print("Das Personenverzeichnis sichert „ideation directory export DATEI“.")
    return 0


def _import_events(args: argparse.Namespace) -> int:
    app = build_application(Settings.from_env(), catch_up=False)
    started = time.perf_counter()
    with _bars() as bar:
        result = import_events(
            app,
            args.file,
            progress=bar("Ereignisse importieren"),
            rebuild_progress=bar("Lesemodelle neu aufbauen"),
        )
    elapsed = time.perf_counter() - started
    print(
        f"{_number(result.events)} Ereignisse bis Position {_number(result.last_position)} aus "
        f"{result.path} importiert (Quelle: {result.source_backend}), Lesemodelle neu "
        f"aufgebaut, {_number(result.snapshots)} Schnappschüsse angelegt ({elapsed:.1f} s)."
    )
    if result.chain_checked:
        print("Ereigniskette geprüft: Sie ergibt den Kettenkopf des Exports.")
        print(_head_text(result.chain_head))
    else:
        print("Keine Ereigniskette zu prüfen; Anzahl und Prüfsumme (SHA-256) stimmen.")
    print("Das Personenverzeichnis lädt „ideation directory import DATEI“.")
    return 0


def _export_directory(args: argparse.Namespace) -> int:
    app = build_application(Settings.from_env())
    result = export_directory(app, args.file, overwrite=args.overwrite)
    print(
        f"{_number(result.people)} Personen und {_number(result.accounts)} Zugänge nach "
        f"{result.path} geschrieben. Die Datei enthält Namen, E-Mail-Adressen und "
        "Passwort-Hashes: wie ein Passwortspeicher aufbewahren."
    )
    return 0


def _import_directory(args: argparse.Namespace) -> int:
    app = build_application(Settings.from_env())
    result = import_directory(app, args.file)
    print(
        f"{_number(result.people)} Personen und {_number(result.accounts)} Zugänge aus "
        f"{result.path} importiert."
    )
    if result.left_out:
        print(
            f"{_number(result.left_out)} Einträge ausgelassen: Personendaten gelöscht oder "
            "Person im Ereignisprotokoll unbekannt."
        )
    return 0
