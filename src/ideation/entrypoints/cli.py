"""The `ideation` command line."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time

from ideation.bootstrap import build_application
from ideation.config import Settings
from ideation.entrypoints.audit_cli import (
    AUDIT_EXPORT_COMMANDS,
    add_audit_export_commands,
    run_audit_export,
)
from ideation.entrypoints.backup_cli import add_backup_commands, run_backup_command
from ideation.entrypoints.integrity_cli import (
    INTEGRITY_COMMANDS,
    add_integrity_commands,
    run_integrity_command,
)
from ideation.entrypoints.people_cli import add_people_commands, run_people_command


def main(argv: list[str] | None = None) -> int:
    """Run an `ideation` subcommand."""
    parser = argparse.ArgumentParser(prog="ideation", description="Ideen- und Maßnahmenplaner")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="Den Planer lokal starten (legt Demo-Daten an)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--no-demo", action="store_true", help="keine Demo-Daten anlegen")
    demo = commands.add_parser(
        "demo", help="Musterstadt anlegen (Demo-Fachbereiche, -Zugänge, -Ideen)"
    )
    demo.add_argument(
        "--reset",
        action="store_true",
        help="die SQLite-Datenbank löschen und Musterstadt neu anlegen",
    )
    commands.add_parser("seed-demo", help="wie „demo“ (älterer Name)")
    projections = commands.add_parser(
        "projections", help="Lesemodelle fortschreiben oder neu bauen"
    )
    projection_commands = projections.add_subparsers(dest="projection_command", required=True)
    run = projection_commands.add_parser("run", help="dem Ereignisprotokoll folgen (Worker)")
    run.add_argument("--poll-interval", type=float, default=0.5, help="Sekunden zwischen Abfragen")
    run.add_argument("--batch-size", type=int, default=500)
    run.add_argument(
        "--until-caught-up", action="store_true", help="nach dem Aufholen beenden statt warten"
    )
    rebuild = projection_commands.add_parser("rebuild", help="alle Lesemodelle neu aufbauen")
    rebuild.add_argument("--batch-size", type=int, default=500)
    add_people_commands(commands)
    add_backup_commands(commands)
    # `ideation audit …`: one subparser shared by every audit subcommand (log, decisions, …)
    audit = commands.add_parser("audit", help="Prüfprotokoll, Entscheidungsregister, Prüfungen")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    add_audit_export_commands(audit_commands)
    add_integrity_commands(audit_commands)
    args = parser.parse_args(argv)

    if args.command == "projections":
        return _projections(args)
    if args.command == "people":
        return run_people_command(args)
    if args.command == "audit" and args.audit_command in AUDIT_EXPORT_COMMANDS:
        return run_audit_export(args)
    if args.command == "audit" and args.audit_command in INTEGRITY_COMMANDS:
        return run_integrity_command(args)
    if args.command in ("events", "directory"):
        return run_backup_command(args)

    if args.command in ("demo", "seed-demo"):
        from ideation.entrypoints.demo import reset_sqlite_database, seed_demo_city

        settings = Settings.from_env()
        if getattr(args, "reset", False) and not reset_sqlite_database(settings):
            print("--reset löscht nur eine SQLite-Datei; PostgreSQL bitte selbst leeren.")
            return 2
        seed_demo_city(build_application(settings))
        return 0
    if args.command == "serve":
        from ideation.entrypoints.demo import seed_demo_city
        from ideation.entrypoints.flask_app import create_app

        app = create_app()
        if not args.no_demo:
            seed_demo_city(app.extensions["ideation"])
        app.run(host=args.host, port=args.port)
        return 0
    return 2  # pragma: no cover - argparse rejects unknown commands


def _projections(args: argparse.Namespace) -> int:
    """Run the projector as a worker, or rebuild every read model with a progress bar."""
    from tqdm import tqdm

    app = build_application(Settings.from_env(), catch_up=False)
    projector = app.read_models.projector
    if args.projection_command == "rebuild":
        total = projector.last_notification_id()
        with tqdm(total=total, unit="Ereignisse", desc="Lesemodelle neu aufbauen") as bar:

            def show(position: int, _last: int) -> None:
                bar.update(position - bar.n)

            started = time.perf_counter()
            result = projector.rebuild(batch_size=args.batch_size, progress=show)
            elapsed = time.perf_counter() - started
        rate = result.applied / elapsed if elapsed else 0.0
        print(
            f"{result.applied} Ereignisse in {elapsed:.1f} s neu projiziert "
            f"({rate:,.0f} Ereignisse/s)"
        )
        return 0
    if args.until_caught_up:
        result = projector.catch_up(batch_size=args.batch_size)
        print(f"{result.applied} Ereignisse projiziert, Stand {result.position}")
        return 0
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print(f"Projektor läuft ab Stand {projector.position()}; Strg+C beendet.", flush=True)
    projector.run(stop, poll_interval=args.poll_interval, batch_size=args.batch_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
