"""`ideation people erase|access`: erasure and subject access (GDPR Art. 17 and 15).

Exit codes: 0 done; 1 refused by the planner (unknown person, no permission, last admin,
one's own data, empty reason, database busy); 2 wrong invocation (argparse); 3 cancelled
at the confirmation prompt (nothing changed); 4 erased, but the storage files could not
be cleaned up yet (run the same command again later).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from ideation.bootstrap import build_application
from ideation.config import Settings
from ideation.domain.errors import DomainError

EXIT_REFUSED = 1
EXIT_CANCELLED = 3
EXIT_NOT_SCRUBBED = 4
PERSON_HELP = "Personen-ID, E-Mail-Adresse oder Benutzername"


def add_people_commands(commands: Any) -> None:
    """Add `people erase` and `people access` to the `ideation` subcommands."""
    people = commands.add_parser("people", help="Personendaten: Auskunft und Löschung (DSGVO)")
    people_commands = people.add_subparsers(dest="people_command", required=True)
    erase = people_commands.add_parser(
        "erase",
        help="Personendaten endgültig löschen (Art. 17 DSGVO); der Verlauf bleibt",
        description=(
            "Löscht Name, E-Mail-Adresse und Zugang einer Person. Der Verlauf bleibt und "
            "zeigt „gelöschte Person“. Texte, die andere geschrieben haben, bleiben unverändert."
        ),
    )
    erase.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    erase.add_argument(
        "--reason",
        required=True,
        help="Begründung; sie bleibt im Verlauf, bitte ohne Namen",
    )
    erase.add_argument(
        "--as",
        dest="as_user",
        required=True,
        metavar="ADMIN",
        help="wer löscht: Benutzername (oder E-Mail, ID) einer aktiven Administration",
    )
    erase.add_argument("--yes", action="store_true", help="ohne Rückfrage löschen")
    access = people_commands.add_parser(
        "access",
        help="Auskunft (Art. 15 DSGVO): alles, was auf die Person verweist, als JSON",
    )
    access.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    access.add_argument(
        "--output",
        "-o",
        metavar="DATEI",
        help="in diese Datei schreiben (nur für den Eigentümer lesbar) statt auf die Ausgabe",
    )


def run_people_command(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run `people erase` or `people access`; return the exit code."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    app = build_application(Settings.from_env())
    try:
        if args.people_command == "erase":
            return _erase(app, args, stdin, stdout, stderr)
        return _access(app, args, stdout, stderr)
    except DomainError as error:
        print(f"Abgelehnt: {error}", file=stderr)
        return EXIT_REFUSED
    finally:
        app.close()
        app.directory.engine.dispose()


def _erase(
    app: Any, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO
) -> int:
    actor_id = app.find_person(args.as_user)
    person_id = app.find_person(args.person)
    if not args.yes:
        shown = app.get_person(person_id)
        who = shown.display_name + (f" <{shown.email}>" if shown.email else "")
        print(
            f"Die Personendaten von {who} ({person_id}) werden endgültig gelöscht: Name, "
            "E-Mail-Adresse und Zugang. Das lässt sich nicht rückgängig machen.",
            file=stdout,
        )
        print("Wirklich löschen? Bitte „ja“ eingeben: ", end="", file=stdout, flush=True)
        answer = stdin.readline().strip().lower()
        if answer != "ja":
            print("Abgebrochen; nichts wurde gelöscht.", file=stderr)
            return EXIT_CANCELLED
    report = app.erase_person(actor_id, person_id, args.reason)
    if report.events_recorded:
        print(
            f"Personendaten von {person_id} gelöscht ({report.events_recorded} Ereignis(se) "
            "im Verlauf). Die Person erscheint jetzt als „gelöschte Person“.",
            file=stdout,
        )
    else:
        print(f"Die Personendaten von {person_id} waren bereits gelöscht.", file=stdout)
    if not report.storage_scrubbed:
        print(
            "Warnung: Die Datenbankdateien konnten noch nicht bereinigt werden (belegt). "
            "Bitte den Befehl später noch einmal ausführen.",
            file=stderr,
        )
        return EXIT_NOT_SCRUBBED
    return 0


def _access(app: Any, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    person_id = app.find_person(args.person)
    document = app.subject_access(person_id)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if not args.output:
        stdout.write(text)
        return 0
    path = Path(args.output)
    # Personal data: readable by the owner only, also when the file existed before.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
    print(
        f"Auskunft über {person_id} in {path} geschrieben "
        f"({document['counts']['events']} Ereignisse).",
        file=stderr,
    )
    return 0
