"""B1 (first cut): command throughput through the application, next to raw sqlite3.

Run with `make bench` (or `python benchmarks/command_throughput.py --help`). Prints a
Markdown table for docs/benchmarks.md. Each figure is the median over --rounds runs.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from ideation.bootstrap import build_application
from ideation.config import Settings

POSTGRES_URL = os.environ.get(
    "IDEATION_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _cast(app):
    digital, admin = app.initialise(
        admin_display_name="Bench Admin",
        admin_email=f"admin-{uuid.uuid4().hex[:6]}@bench.invalid",
        department_name="Digitalisierung",
        department_short_name="DIG",
    )
    member = app.register_person(
        admin, "Bench Member", f"m-{uuid.uuid4().hex[:6]}@bench.invalid", digital, ["member"]
    )
    return member


def run_application(settings: Settings, commands: int) -> tuple[float, list[float]]:
    """Submit ideas and comment on them; return (events per second, per-command latencies)."""
    app = build_application(settings)
    member = _cast(app)
    latencies: list[float] = []
    ideas: list[tuple[uuid.UUID, int]] = []
    started = time.perf_counter()
    for n in range(commands):
        t0 = time.perf_counter()
        if n % 2 == 0 or not ideas:
            idea = app.submit_idea(member, title=f"Idee Nummer {n}", summary="Benchmark")
            ideas.append((idea, 1))
        else:
            index = n % len(ideas)
            idea, version = ideas[index]
            app.comment_on_idea(member, idea, version, f"Kommentar {n}")
            ideas[index] = (idea, version + 1)
        latencies.append(time.perf_counter() - t0)
        if n % 100 == 0:
            print(f"  {n}/{commands} Befehle", file=sys.stderr, end="\r")
    elapsed = time.perf_counter() - started
    app.close()
    return commands / elapsed, latencies


def run_raw_sqlite(path: Path, commands: int, state_size: int = 400) -> float:
    """Insert one event row per command with one commit each (WAL, synchronous=FULL)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER,"
        " topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"
    )
    payload = b"x" * state_size
    started = time.perf_counter()
    for _ in range(commands):
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO stored_events VALUES (?, ?, ?, ?)",
            (uuid.uuid4().hex, 1, "ideation.domain.idea:Idea.Submitted", payload),
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return commands / elapsed


def postgres_reachable() -> bool:
    """Tell whether the benchmark's PostgreSQL answers (the PostgreSQL rows need it)."""
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError:
        return False
    finally:
        engine.dispose()
    return True


def main() -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commands", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_results = []
        raw_results = []
        for r in range(args.rounds):
            settings = Settings.from_env({"IDEATION_INSTANCE_PATH": f"{tmp}/app{r}"})
            sqlite_results.append(run_application(settings, args.commands))
            raw_results.append(run_raw_sqlite(Path(tmp) / f"raw{r}.sqlite3", args.commands))
        app_rate = statistics.median(rate for rate, _ in sqlite_results)
        raw_rate = statistics.median(raw_results)
        lat = sorted(x for _, latencies in sqlite_results for x in latencies)
        rows.append(("SQLite file (application)", app_rate, lat))
        rows.append(("SQLite file (raw sqlite3, 1 commit/command)", raw_rate, None))
        if not args.skip_postgres and not postgres_reachable():
            print(f"PostgreSQL at {POSTGRES_URL} is not reachable: skipping its row.")
        elif not args.skip_postgres:
            pg_results = []
            for _ in range(args.rounds):
                schema = f"bench_{uuid.uuid4().hex[:10]}"
                engine = create_engine(POSTGRES_URL)
                with engine.begin() as conn:
                    conn.execute(text(f'CREATE SCHEMA "{schema}"'))
                settings = Settings.from_env(
                    {
                        "IDEATION_INSTANCE_PATH": f"{tmp}/pg",
                        "IDEATION_DATABASE_URL": POSTGRES_URL,
                        "IDEATION_DATABASE_SCHEMA": schema,
                    }
                )
                try:
                    pg_results.append(run_application(settings, args.commands))
                finally:
                    with engine.begin() as conn:
                        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                    engine.dispose()
            pg_lat = sorted(x for _, latencies in pg_results for x in latencies)
            rows.append(
                ("PostgreSQL (application)", statistics.median(r for r, _ in pg_results), pg_lat)
            )

    print(f"\n{args.commands} commands × {args.rounds} rounds (half submit, half comment)\n")
    print("| store | commands/s (median) | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for name, rate, latencies in rows:
        if latencies:
            p50 = statistics.median(latencies) * 1000
            p95 = latencies[int(len(latencies) * 0.95)] * 1000
            print(f"| {name} | {rate:,.0f} | {p50:.2f} | {p95:.2f} |")
        else:
            print(f"| {name} | {rate:,.0f} | – | – |")
    print(f"\nApplication on SQLite reaches {app_rate / raw_rate:.0%} of raw sqlite3.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
