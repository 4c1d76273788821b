"""Time and profile one hot path on the cached SQLite city (issue 9, part 5; ADR 0008).

    .venv/bin/python benchmarks/profile_paths.py history          # idea_history, heavy idea
    .venv/bin/python benchmarks/profile_paths.py page --profile   # + a pyinstrument profile
    .venv/bin/python benchmarks/profile_paths.py commands --scale 10k

Paths: `history` (`idea_history` of the heavy idea), `page` (its history page through the
Flask test client), `as-of` ("Stand am" of the giant idea now), `idea-page` (the heavy
idea's page), `api-idea` / `api-history` / `api-list` (the API routes of B5 with a personal
token, random ideas of the first page), `commands` (B1's mix of submit and comment on a copy
of the city), `rebuild` (`projector.rebuild()` on a copy). Prints median and p95 of
`--repeat` calls after `--warmup` calls; with `--profile`, a pyinstrument profile of
another `--repeat` calls. The city comes from benchmarks/.cache (generated on first use,
like `run.py`). Figures are for finding where time goes, not results: those are run.py's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import run  # noqa: E402
from benchmarks.generate import script_digest  # noqa: E402
from ideation.bootstrap import build_application  # noqa: E402
from ideation.config import Settings  # noqa: E402

PATHS = (
    "history",
    "page",
    "as-of",
    "idea-page",
    "api-idea",
    "api-history",
    "api-list",
    "commands",
    "rebuild",
)


def _web_path(name: str, city: run.City) -> Callable[[], Any]:
    web, client = run.web_client(city)
    app = web.extensions["ideation"]
    heavy = uuid.UUID(city.heavy)
    giant = uuid.UUID(city.giant) if city.giant else heavy
    now = dt.datetime.now(dt.UTC)
    return {
        "history": lambda: app.idea_history(heavy),
        "page": lambda: run.get_ok(client, f"/ideas/{heavy}/history/"),
        "as-of": lambda: app.idea_as_of(giant, at=now),
        "idea-page": lambda: run.get_ok(client, f"/ideas/{heavy}"),
    }[name]


def _api_path(name: str, city: run.City, workdir: Path) -> Callable[[], Any]:
    from ideation.entrypoints.flask_app import create_app

    environ = run.copy_sqlite(city, workdir / "api")
    web = create_app(
        {**environ, "API_RATE_LIMIT": "100000000 per minute", "IDEATION_ENV": "production"}
    )
    app = web.extensions["ideation"]
    token = app.create_personal_token(uuid.UUID(city.info["people"]["coord"]), "profil", 30)
    headers = {"Authorization": f"Bearer {token.token}"}
    client = web.test_client()
    ids = [row.id for row in app.read_models.list_ideas(page_size=100).rows]
    pick = random.Random(1).choice
    urls = {
        "api-idea": lambda: f"/api/v1/ideas/{pick(ids)}",
        "api-history": lambda: f"/api/v1/ideas/{pick(ids)}/history",
        "api-list": lambda: "/api/v1/ideas?stage=accepted&limit=50",
    }

    def call() -> None:
        response = client.get(urls[name](), headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{name}: HTTP {response.status_code}")

    return call


def _commands(city: run.City, workdir: Path) -> Callable[[], Any]:
    environ = run.copy_sqlite(city, workdir / "commands")
    app = build_application(Settings.from_env(environ))
    member = uuid.UUID(city.info["people"]["m0"])
    return lambda: run.run_commands(app, member, 20)


def _rebuild(city: run.City, workdir: Path) -> Callable[[], Any]:
    environ = run.copy_sqlite(city, workdir / "rebuild")
    app = build_application(Settings.from_env(environ))
    return lambda: app.read_models.projector.rebuild()  # keeps `app` (and its pool) alive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", choices=PATHS)
    parser.add_argument("--scale", default="1k", help="city size: 1k (default), 10k, 100k")
    parser.add_argument("--repeat", type=int, default=0, help="timed calls (default by path)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile")
    parser.add_argument("--cache-dir", default=str(run.CACHE), help="where the cities are kept")
    args = parser.parse_args(argv)
    ideas = run.parse_scale(args.scale)
    city = run.sqlite_city(ideas, script_digest(ideas, run.SEED), Path(args.cache_dir))
    slow = args.path in ("commands", "rebuild")
    repeat = args.repeat or (3 if slow else 50)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.path.startswith("api-"):
            call = _api_path(args.path, city, workdir)
        elif args.path == "commands":
            call = _commands(city, workdir)
        elif args.path == "rebuild":
            call = _rebuild(city, workdir)
        else:
            call = _web_path(args.path, city)
        for _ in range(0 if slow else args.warmup):
            call()
        figures = run.summary_ms(run.timed(call, repeat))
        unit = "per 20 commands" if args.path == "commands" else "per call"
        print(
            f"{args.path} on the {args.scale} city: median {figures['p50_ms']:.2f} ms, "
            f"p95 {figures['p95_ms']:.2f} ms {unit} ({repeat} calls)"
        )
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(repeat):
                call()
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
