"""The `ideation` command line."""

from __future__ import annotations

import argparse
import sys

from ideation.bootstrap import build_application
from ideation.config import Settings


def main(argv: list[str] | None = None) -> int:
    """Run an `ideation` subcommand."""
    parser = argparse.ArgumentParser(prog="ideation", description="Ideen- und Maßnahmenplaner")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="Den Planer lokal starten (legt Demo-Daten an)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--no-demo", action="store_true", help="keine Demo-Daten anlegen")
    commands.add_parser("seed-demo", help="Demo-Fachbereiche, -Konten und -Ideen anlegen")
    args = parser.parse_args(argv)

    if args.command == "seed-demo":
        from ideation.entrypoints.demo import seed_demo_city

        seed_demo_city(build_application(Settings.from_env()))
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


if __name__ == "__main__":
    sys.exit(main())
