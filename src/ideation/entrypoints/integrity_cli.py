"""`ideation audit verify|head`: check the hash chain over the stored events (GDPR-5).

`verify` recomputes the chain from the event table and compares it with the stored links;
it prints the head when everything matches, else the first position that differs and what
happened there. `--expect POSITION:SHA256` also checks a head kept outside the system (as
printed on an earlier export or report). `head` prints the current head for keeping.

Exit codes: 0 intact; 1 the chain is broken or the kept head does not match; 2 wrong
invocation.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from typing import Any
from zoneinfo import ZoneInfo

from ideation.bootstrap import build_application
from ideation.config import Settings
from ideation.readmodels.chain import describe_break
from ideation.readmodels.views import ChainHead, ChainVerification

INTEGRITY_COMMANDS = ("verify", "head")
EXIT_BROKEN = 1
EXIT_INVALID = 2
BERLIN = ZoneInfo("Europe/Berlin")
KEPT_HEAD = re.compile(r"^\s*(\d+)\s*:\s*([0-9a-fA-F]{64})\s*$")


def add_integrity_commands(audit_commands: Any) -> None:
    """Add `verify` and `head` to the subcommands of `ideation audit`."""
    verify = audit_commands.add_parser(
        "verify",
        help="die Hash-Kette über alle gespeicherten Ereignisse neu berechnen und prüfen",
        description="Berechnet die Hash-Kette aus der Ereignistabelle neu und vergleicht sie "
        "mit der gespeicherten; nennt die erste Position, an der ein Datensatz verändert, "
        "entfernt oder eingefügt wurde. Exit-Code 0: unversehrt, 1: gebrochen.",
    )
    verify.add_argument(
        "--expect",
        metavar="POSITION:SHA256",
        help="einen außerhalb des Systems aufbewahrten Kettenkopf mitprüfen",
    )
    verify.add_argument("--batch-size", type=int, default=2000, help="Datensätze je Lesevorgang")
    audit_commands.add_parser(
        "head", help="den aktuellen Kettenkopf (Position, SHA-256, Zeit) zum Aufbewahren zeigen"
    )


def format_chain_head(head: ChainHead) -> str:
    """The head in one German line, as exports and reports print it."""
    if head.occurred_at is None:
        return f"Kettenkopf: Position 0 (noch keine Ereignisse), SHA-256 {head.link}"
    local = head.occurred_at.astimezone(BERLIN)
    return (
        f"Kettenkopf: Position {head.position}, SHA-256 {head.link}, "
        f"Ereignis vom {local:%d.%m.%Y, %H:%M:%S} (Europe/Berlin)"
    )


def run_integrity_command(args: argparse.Namespace) -> int:
    """Run `ideation audit verify` or `ideation audit head`."""
    expected = None
    if args.audit_command == "verify" and args.expect:
        match = KEPT_HEAD.match(args.expect)
        if match is None:
            print(
                "--expect erwartet POSITION:SHA256, z. B. 1234:9f86d08188…(64 Hexadezimalziffern)",
                file=sys.stderr,
            )
            return EXIT_INVALID
        expected = (int(match.group(1)), match.group(2).lower())
    if args.audit_command == "verify" and args.batch_size < 1:
        print("--batch-size muss mindestens 1 sein.", file=sys.stderr)
        return EXIT_INVALID
    # No catch-up at start: a tampered store may be one the projector cannot follow;
    # verify_chain tries to catch up itself and verifies what is chained either way.
    app = build_application(Settings.from_env(), catch_up=False)
    try:
        if args.audit_command == "head":
            print(format_chain_head(app.read_models.chain_head()))
            return 0
        return _verify(app, expected, args.batch_size)
    finally:
        app.close()


def _verify(app: Any, expected: tuple[int, str] | None, batch_size: int) -> int:
    from tqdm import tqdm

    started = time.perf_counter()
    with tqdm(unit="Datensätze", desc="Hash-Kette prüfen", disable=None, file=sys.stderr) as bar:

        def show(position: int, head: int) -> None:
            bar.total = head
            bar.update(position - bar.n)

        result = app.read_models.verify_chain(
            expected=expected, batch_size=batch_size, progress=show
        )
    elapsed = time.perf_counter() - started
    for line in verification_lines(result):
        print(line)
    print(f"({result.checked} Datensätze in {elapsed:.1f} s geprüft)")
    return 0 if result.intact else EXIT_BROKEN


def verification_lines(result: ChainVerification) -> list[str]:
    """What the verification found, in German sentences."""
    lines = []
    if result.first_break is not None:
        lines.append(
            f"Hash-Kette GEBROCHEN an Position {result.first_break.position}: "
            f"{describe_break(result.first_break)}"
        )
        if result.checked:
            lines.append(f"Die {result.checked} Kettenwerte davor stimmen.")
    else:
        lines.append(
            f"Hash-Kette unversehrt: {result.checked} Datensätze neu berechnet, "
            "alle Kettenwerte stimmen."
        )
    lines.append(format_chain_head(result.head))
    if result.expected is not None:
        position = result.expected[0]
        if result.expected_matches:
            lines.append(f"Der aufbewahrte Kettenwert für Position {position} stimmt überein.")
        elif result.expected_matches is None:
            lines.append(
                f"Der aufbewahrte Kettenwert für Position {position} wurde nicht verglichen, "
                f"weil die Kette an Position {result.first_break.position} bricht."
            )
        elif position > result.head.position:
            lines.append(
                f"Der aufbewahrte Kettenwert für Position {position} liegt hinter dem "
                f"aktuellen Kettenkopf (Position {result.head.position}): Datensätze fehlen "
                "oder die Kette wurde neu aufgebaut."
            )
        else:
            lines.append(
                f"Der aufbewahrte Kettenwert für Position {position} stimmt NICHT überein: "
                "Die Kette wurde seit der Aufbewahrung neu berechnet; mindestens ein Datensatz "
                "bis zu dieser Position wurde verändert, entfernt oder eingefügt."
            )
    return lines
