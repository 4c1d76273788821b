"""Benchmarks B1–B4, B6 and B7 of issue 9 on synthetic cities, cached by script digest.

    .venv/bin/python benchmarks/run.py --scales 1k,10k --backends sqlite,postgres --rounds 3
    .venv/bin/python benchmarks/run.py --smoke --scales 20      # a tiny city, one round

Each city (scale × backend) is generated once with `benchmarks/generate.py` and kept: the
SQLite file under `benchmarks/.cache/<digest>/`, PostgreSQL in the schema `bench_<digest:16>`
of the `test` database; a later run with the same script digest reuses it. The first run
generates (about 150 commands/s: minutes at 1k, a quarter of an hour at 10k, hours at 100k).
Nothing measured writes into a cached city: B1 writes into a copy (SQLite) or a fresh schema
(PostgreSQL), B4 rebuilds a copy.

- B1 command throughput (half submit_idea, half comment_on_idea, read-your-writes projection)
  next to raw sqlite3 with one commit per command (WAL, synchronous=FULL), same round;
- B2 history of the heavy idea (`idea_history`, warm and first in a process; the history
  page's first page) and "Stand am" (`idea_as_of`) of the giant idea (1,000+ events,
  snapshots every 50) now and in the middle of its life;
- B3 idea list: stage filter, theme filter, full-text search, p50/p95;
- B4 projection rebuild next to reading and decoding the notification log (a subprocess);
- B6 peak RSS of the rebuild subprocess; RSS of a process that served the list, an idea and
  its history on the largest city;
- B7 B1–B3 per scale in one table.

Results: JSON at --out (default `benchmarks/results/<UTC timestamp>.json`) and a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

# The first cuts own the raw baselines; the runner reuses them.
from benchmarks.command_throughput import postgres_reachable, run_raw_sqlite  # noqa: E402
from benchmarks.generate import ensure_schema, generate, script_digest  # noqa: E402
from ideation.application.trails import TrailCache  # noqa: E402
from ideation.bootstrap import build_application  # noqa: E402
from ideation.config import Settings  # noqa: E402
from ideation.entrypoints.pages.history import STEPS_PER_PAGE  # noqa: E402

POSTGRES_URL = os.environ.get(
    "IDEATION_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CACHE = ROOT / "benchmarks" / ".cache"
USERNAME = "bench"
PASSWORD = "Bench-Linde-Brunnen-2026"
SEED = 1
PAGE = 500
KEYS = ("B1", "B2", "B3", "B4", "B6", "B7")


# -- helpers --------------------------------------------------------------------------------------


def parse_scale(word: str) -> int:
    """'1k' → 1000, '10k', '100k', or a plain number of ideas."""
    word = word.strip().lower()
    if word.endswith("k"):
        return int(float(word[:-1]) * 1000)
    return int(word)


def label(ideas: int) -> str:
    return f"{ideas // 1000}k" if ideas >= 1000 and ideas % 1000 == 0 else str(ideas)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary_ms(samples: list[float]) -> dict[str, float]:
    """Median and p95 of seconds, in milliseconds."""
    return {
        "n": len(samples),
        "p50_ms": round(statistics.median(samples) * 1000, 3),
        "p95_ms": round(percentile(samples, 0.95) * 1000, 3),
    }


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return samples


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def postgres_version() -> str | None:
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar())
    except OperationalError:
        return None
    finally:
        engine.dispose()


def machine() -> dict[str, Any]:
    """CPU, versions, git commit and the load average at the start (the machine is shared)."""
    model = None
    try:
        match = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        model = match.group(1).strip() if match else None
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "load_average": os.getloadavg(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "eventsourcing": version("eventsourcing"),
        "sqlalchemy": version("sqlalchemy"),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version(),
        "git_commit": commit,
    }


# -- cached cities --------------------------------------------------------------------------------


@dataclass
class City:
    """A generated city: where it is and the ids the benchmarks need."""

    backend: str
    ideas: int
    environ: dict[str, str]
    info: dict[str, Any]

    def settings(self) -> Settings:
        return Settings.from_env(self.environ)

    @property
    def heavy_index(self) -> int:
        """The first heavy idea that is not the giant (about 350 events)."""
        plain = [i for i, idea in enumerate(self.info["heavy"]) if idea != self.info["giant"]]
        return plain[0] if plain else 0

    @property
    def heavy(self) -> str:
        return self.info["heavy"][self.heavy_index]

    @property
    def giant(self) -> str | None:
        return self.info["giant"]


def _city_info(app: Any, city: Any) -> dict[str, Any]:
    admin = city.people["admin"]
    app.create_account(admin, city.people["coord"], USERNAME, PASSWORD, enforce_policy=False)
    return {
        "ideas": city.ideas_count,
        "seed": city.seed,
        "digest": city.digest,
        "events": city.events,
        "commands": city.commands,
        "generated_seconds": round(city.seconds, 1),
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "people": {k: str(v) for k, v in city.people.items()},
        "heavy": [str(i) for i in city.heavy_ideas],
        "heavy_events": [city.events_per_idea[i] for i in city.heavy],
        "giant": None if city.giant_idea is None else str(city.giant_idea),
    }


def _generate_city(environ: dict[str, str], ideas: int, digest: str) -> dict[str, Any]:
    """Write the city of `ideas` through the application in `environ`; return its info."""
    app = build_application(Settings.from_env(environ))
    try:
        city = generate(app, ideas=ideas, seed=SEED, progress=True)
        info = _city_info(app, city)
    finally:
        app.close()
    assert info["digest"] == digest, (info["digest"], digest)
    return info


def sqlite_city(ideas: int, digest: str, cache: Path) -> City:
    folder = cache / digest
    marker = folder / "sqlite.json"
    if not marker.exists():
        partial = cache / f"{digest}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        log(f"Generating the {label(ideas)} city on SQLite (first run; cached afterwards) …")
        environ = {
            "IDEATION_INSTANCE_PATH": str(partial),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
        }
        info = _generate_city(environ, ideas, digest)
        folder.mkdir(parents=True, exist_ok=True)
        for path in partial.iterdir():
            shutil.move(str(path), folder / path.name)
        partial.rmdir()
        marker.write_text(json.dumps(info, indent=1))
    environ = {"IDEATION_INSTANCE_PATH": str(folder), "IDEATION_PASSWORD_HASHING": "fast-for-tests"}
    return City("sqlite", ideas, environ, json.loads(marker.read_text()))


def postgres_schema(digest: str) -> str:
    return f"bench_{digest[:16]}"


def postgres_city(ideas: int, digest: str, cache: Path) -> City:
    folder = cache / digest
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / "postgres.json"
    schema = postgres_schema(digest)
    environ = {
        "IDEATION_INSTANCE_PATH": str(folder / "pg-instance"),
        "IDEATION_DATABASE_URL": POSTGRES_URL,
        "IDEATION_DATABASE_SCHEMA": schema,
        "IDEATION_PASSWORD_HASHING": "fast-for-tests",
    }
    if marker.exists() and not _schema_exists(schema):
        marker.unlink()
    if not marker.exists():
        log(f"Generating the {label(ideas)} city on PostgreSQL, schema {schema} …")
        _drop_schema(schema)
        ensure_schema(POSTGRES_URL, schema)
        info = _generate_city(environ, ideas, digest)
        marker.write_text(json.dumps(info, indent=1))
    _vacuum(schema)
    return City("postgres", ideas, environ, json.loads(marker.read_text()))


def _vacuum(schema: str) -> None:
    """VACUUM ANALYZE the city's tables, as autovacuum would have by now.

    This machine's PostgreSQL runs with autovacuum off: without it the read models of a
    freshly generated city carry ten dead rows per live one and no statistics, and the
    planner reads the wrong indexes. A production server keeps autovacuum on (the default).
    """
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            tables = conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
            ).scalars()
            for table in list(tables):
                conn.execute(text(f'VACUUM (ANALYZE) "{schema}"."{table}"'))
    finally:
        engine.dispose()


def _schema_exists(schema: str) -> bool:
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :s"),
                {"s": schema},
            ).scalar()
    finally:
        engine.dispose()
    return bool(found)


def _drop_schema(schema: str) -> None:
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()


def copy_sqlite(city: City, target: Path) -> dict[str, str]:
    """Copy the cached SQLite city into `target`; return the copy's environment."""
    target.mkdir(parents=True, exist_ok=True)
    source = Path(city.environ["IDEATION_INSTANCE_PATH"])
    for path in source.glob("ideation.sqlite3*"):
        if not path.name.endswith("start-lock"):
            shutil.copy2(path, target / path.name)
    return {**city.environ, "IDEATION_INSTANCE_PATH": str(target)}


# -- B1 -------------------------------------------------------------------------------------------


def run_commands(app: Any, member: uuid.UUID, commands: int) -> tuple[float, list[float]]:
    """Half submit_idea, half comment_on_idea; (events per second, latencies)."""
    latencies: list[float] = []
    ideas: list[tuple[uuid.UUID, int]] = []
    started = time.perf_counter()
    for n in range(commands):
        t0 = time.perf_counter()
        if n % 2 == 0 or not ideas:
            idea = app.submit_idea(member, title=f"Messidee Nummer {n}", summary="Benchmark")
            ideas.append((idea, 1))
        else:
            index = n % len(ideas)
            idea, v = ideas[index]
            app.comment_on_idea(member, idea, v, f"Kommentar {n}")
            ideas[index] = (idea, v + 1)
        latencies.append(time.perf_counter() - t0)
    return commands / (time.perf_counter() - started), latencies


def b1_sqlite(city: City, commands: int, rounds: int, tmp: Path) -> dict[str, Any]:
    environ = copy_sqlite(city, tmp / f"b1-{city.ideas}")
    app = build_application(Settings.from_env(environ))
    member = uuid.UUID(city.info["people"]["m0"])
    rates, raws, latencies = [], [], []
    try:
        for r in range(rounds):
            rate, lat = run_commands(app, member, commands)
            raw = run_raw_sqlite(tmp / f"raw-{city.ideas}-{r}.sqlite3", commands)
            rates.append(rate)
            raws.append(raw)
            latencies += lat
    finally:
        app.close()
    return {
        "backend": "sqlite",
        "scale": city.ideas,
        "commands_per_round": commands,
        "rounds": rounds,
        "events_per_s": round(statistics.median(rates), 1),
        "raw_sqlite_events_per_s": round(statistics.median(raws), 1),
        "ratio": round(statistics.median(a / b for a, b in zip(rates, raws, strict=True)), 4),
        "ratios_per_round": [round(a / b, 4) for a, b in zip(rates, raws, strict=True)],
        "latency": summary_ms(latencies),
        "note": "on a copy of the cached city; raw sqlite3 in the same round",
    }


def b1_postgres(commands: int, rounds: int, tmp: Path) -> dict[str, Any]:
    """Absolute, in a fresh schema (the cached city's schema is not written to)."""
    rates, latencies = [], []
    for _ in range(rounds):
        schema = f"bench_b1_{uuid.uuid4().hex[:10]}"
        ensure_schema(POSTGRES_URL, schema)
        environ = {
            "IDEATION_INSTANCE_PATH": str(tmp / "b1-pg"),
            "IDEATION_DATABASE_URL": POSTGRES_URL,
            "IDEATION_DATABASE_SCHEMA": schema,
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
        }
        try:
            app = build_application(Settings.from_env(environ))
            digital, admin = app.initialise(
                admin_display_name="Bench Admin",
                admin_email="admin@bench.invalid",
                department_name="Digitalisierung",
                department_short_name="DIG",
            )
            member = app.register_person(
                admin, "Bench Member", "m@bench.invalid", digital, ["member"]
            )
            rate, lat = run_commands(app, member, commands)
            app.close()
            rates.append(rate)
            latencies += lat
        finally:
            _drop_schema(schema)
    return {
        "backend": "postgres",
        "scale": None,
        "commands_per_round": commands,
        "rounds": rounds,
        "events_per_s": round(statistics.median(rates), 1),
        "latency": summary_ms(latencies),
        "note": "fresh schema per round (a cached city is never written to)",
    }


# -- B2, B3 ---------------------------------------------------------------------------------------


def web_client(city: City) -> tuple[Any, Any]:
    """The Flask app on the city and a test client signed in as the coordination."""
    from ideation.entrypoints.flask_app import create_app

    web = create_app({**city.environ, "API_RATE_LIMIT": "100000 per minute"})
    client = web.test_client()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"username": USERNAME, "password": PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed on the {city.backend} city: HTTP {response.status_code}")
    return web, client


def get_ok(client: Any, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")


def b2_b3(city: City, rounds: int, repeat: int) -> tuple[dict[str, Any], dict[str, Any]]:
    web, client = web_client(city)
    app = web.extensions["ideation"]
    heavy = uuid.UUID(city.heavy)
    giant = uuid.UUID(city.giant) if city.giant else heavy
    rm = app.read_models
    history, page, as_of, as_of_past, cold = [], [], [], [], []
    stage, theme, search, plain = [], [], [], []
    now = dt.datetime.now(dt.UTC)
    # warm-up: the first request compiles templates and fills caches
    app.idea_history(heavy)
    get_ok(client, f"/ideas/{heavy}/history/")
    app.idea_as_of(giant, at=now)
    # "Stand am" in the middle of the giant's life: an older version, loaded from a snapshot.
    giant_steps = [e for e in app.idea_history(giant) if e.aggregate_id == giant]
    middle = giant_steps[len(giant_steps) // 2]
    app.idea_as_of(giant, at=middle.timestamp)

    def history_without_trail() -> None:
        app.trails = TrailCache()  # as the first request for the idea in a fresh process
        app.idea_history(heavy)

    rm.list_ideas(stage="submitted")
    rm.search_ideas("Radwege")
    for _ in range(rounds):
        history += timed(lambda: app.idea_history(heavy), repeat)
        page += timed(lambda: get_ok(client, f"/ideas/{heavy}/history/"), repeat)
        as_of += timed(lambda: app.idea_as_of(giant, at=now), repeat)
        as_of_past += timed(lambda: app.idea_as_of(giant, at=middle.timestamp), repeat)
        cold += timed(history_without_trail, max(1, repeat // 4))
        plain += timed(lambda: rm.list_ideas(), repeat)
        stage += timed(lambda: rm.list_ideas(stage="submitted"), repeat)
        theme += timed(lambda: rm.list_ideas(theme="Energie"), repeat)
        search += timed(lambda: rm.search_ideas("Radwege"), repeat)
    heavy_steps = len(app.idea_history(heavy))
    giant_version = app.recorder.select_events(giant, desc=True, limit=1)[0].originator_version
    app.close()
    b2 = {
        "backend": city.backend,
        "scale": city.ideas,
        "heavy_idea_history_steps": heavy_steps,
        "heavy_idea_events": city.info["heavy_events"][city.heavy_index],
        "history_query": summary_ms(history),
        "history_query_first_in_process": summary_ms(cold),
        "history_page": summary_ms(page),
        "history_page_steps_shown": min(heavy_steps, STEPS_PER_PAGE),
        "as_of_aggregate": "giant" if city.giant else "heavy (no giant below 1,000 ideas)",
        "as_of_aggregate_events": giant_version,
        "as_of": summary_ms(as_of),
        "as_of_middle_version": middle.version,
        "as_of_middle": summary_ms(as_of_past),
    }
    b3 = {
        "backend": city.backend,
        "scale": city.ideas,
        "list_first_page": summary_ms(plain),
        "stage_filter": summary_ms(stage),
        "theme_filter": summary_ms(theme),
        "search": summary_ms(search),
        "queries": {
            "list_first_page": "list_ideas()",
            "stage_filter": "list_ideas(stage='submitted')",
            "theme_filter": "list_ideas(theme='Energie')",
            "search": "search_ideas('Radwege')",
        },
    }
    return b2, b3


# -- B4, B6 (subprocesses) ------------------------------------------------------------------------


def rss_mb() -> dict[str, float]:
    """Current and peak RSS of this process (VmRSS, VmHWM: ru_maxrss would carry the
    parent's peak over fork and exec on Linux)."""
    status = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            status[key] = int(value.split()[0]) / 1024
    if "VmHWM" not in status:  # not Linux
        status["VmHWM"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rss_mb": round(status.get("VmRSS", 0.0), 1), "peak_rss_mb": round(status["VmHWM"], 1)}


def read_and_decode(app: Any) -> tuple[float, float, int]:
    """Read the log page by page and decode each page, keeping nothing: (read s, decode s, n).

    Page by page, like the rebuild itself: holding the whole log would make this baseline,
    not the rebuild, the process's peak memory (1.3 GB at 100k ideas, B6).
    """
    to_domain_event = app.mapper.to_domain_event
    read_s = decode_s = 0.0
    count, start = 0, 1
    while True:
        t0 = time.perf_counter()
        page = app.recorder.select_notifications(start=start, limit=PAGE)
        t1 = time.perf_counter()
        for notification in page:
            to_domain_event(notification)
        decode_s += time.perf_counter() - t1
        read_s += t1 - t0
        count += len(page)
        if len(page) < PAGE:
            return read_s, decode_s, count
        start = page[-1].id + 1


def child_rebuild(environ: dict[str, str], rounds: int) -> dict[str, Any]:
    """In a subprocess: read + decode the log, then rebuild, `rounds` times; rates and RSS."""
    app = build_application(Settings.from_env(environ), catch_up=False)
    projector = app.read_models.projector
    reads, decodes, combined, rebuilt = [], [], [], []
    count = 0
    for _ in range(rounds):
        read_s, decode_s, count = read_and_decode(app)
        t0 = time.perf_counter()
        projector.rebuild(batch_size=PAGE)
        rebuild_s = time.perf_counter() - t0
        reads.append(count / read_s)
        decodes.append(count / decode_s)
        combined.append(count / (read_s + decode_s))
        rebuilt.append(count / rebuild_s)
    app.close()
    return {
        "events": count,
        "rounds": rounds,
        "read_events_per_s": round(statistics.median(reads)),
        "decode_events_per_s": round(statistics.median(decodes)),
        "read_decode_events_per_s": round(statistics.median(combined)),
        "rebuild_events_per_s": round(statistics.median(rebuilt)),
        "ratio": round(statistics.median(a / b for a, b in zip(rebuilt, combined, strict=True)), 4),
        **rss_mb(),
    }


def child_serve(environ: dict[str, str], info: dict[str, Any]) -> dict[str, Any]:
    """In a subprocess: serve the list, an idea and its history; RSS afterwards."""
    city = City("?", info["ideas"], environ, info)
    before = rss_mb()
    _web, client = web_client(city)
    for url in ("/ideas/", f"/ideas/{city.heavy}", f"/ideas/{city.heavy}/history/"):
        get_ok(client, url)
    return {"rss_after_start_mb": before["rss_mb"], **rss_mb()}


def in_subprocess(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, json.dumps(payload)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{kind} subprocess failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# -- the run --------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    scales = sorted({parse_scale(s) for s in args.scales.split(",") if s.strip()})
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if args.smoke:
        scales, args.rounds = scales[:1], 1
    cache = Path(args.cache_dir)
    report: dict[str, Any] = {
        "issue": 9,
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "smoke": args.smoke,
        "scales": scales,
        "backends": backends,
        "rounds": args.rounds,
        "machine": machine(),
        "skipped": [],
        **{key: [] for key in KEYS},
    }
    if "postgres" in backends and not postgres_reachable():
        report["skipped"].append(f"postgres: {POSTGRES_URL} not reachable")
        backends = [b for b in backends if b != "postgres"]
    commands = 20 if args.smoke else args.commands
    repeat = 3 if args.smoke else args.repeat
    cities: dict[tuple[str, int], City] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        tmp = Path(folder)
        for ideas in scales:
            digest = script_digest(ideas, SEED)
            for backend in backends:
                log(f"{backend} {label(ideas)} (digest {digest[:12]})")
                city = (
                    sqlite_city(ideas, digest, cache)
                    if backend == "sqlite"
                    else postgres_city(ideas, digest, cache)
                )
                cities[(backend, ideas)] = city
                if backend == "sqlite":
                    report["B1"].append(b1_sqlite(city, commands, args.rounds, tmp))
                b2, b3 = b2_b3(city, args.rounds, repeat)
                report["B2"].append(b2)
                report["B3"].append(b3)
        if "postgres" in backends:
            log("B1 on PostgreSQL (fresh schema)")
            report["B1"].append(b1_postgres(commands, args.rounds, tmp))
        if "sqlite" in backends:
            rebuild_scale = parse_scale(args.rebuild_scale) if args.rebuild_scale else scales[0]
            city = cities.get(("sqlite", rebuild_scale)) or sqlite_city(
                rebuild_scale, script_digest(rebuild_scale, SEED), cache
            )
            log(f"B4 rebuild of the {label(rebuild_scale)} city (copy, subprocess)")
            environ = copy_sqlite(city, tmp / "b4")
            b4 = in_subprocess("rebuild", {"environ": environ, "rounds": args.rounds})
            report["B4"].append({"backend": "sqlite", "scale": rebuild_scale, **b4})
            report["B6"].append(
                {
                    "what": "peak RSS of the rebuild process",
                    "backend": "sqlite",
                    "scale": rebuild_scale,
                    "peak_rss_mb": b4["peak_rss_mb"],
                }
            )
        largest = scales[-1]
        for backend in backends:
            city = cities[(backend, largest)]
            log(f"B6 serving process on the {backend} {label(largest)} city")
            served = in_subprocess("serve", {"environ": city.environ, "info": city.info})
            report["B6"].append(
                {
                    "what": "RSS after serving list, idea page and history page",
                    "backend": backend,
                    "scale": largest,
                    **served,
                }
            )
    report["B7"] = growth(report)
    report["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return report


def growth(report: dict[str, Any]) -> list[dict[str, Any]]:
    """B1–B3 per backend and scale in one table."""
    rows = []
    b1 = {(r["backend"], r["scale"]): r for r in report["B1"]}
    for b2, b3 in zip(report["B2"], report["B3"], strict=True):
        key = (b2["backend"], b2["scale"])
        row = b1.get(key) or {}
        rows.append(
            {
                "backend": key[0],
                "scale": key[1],
                "b1_events_per_s": row.get("events_per_s"),
                "b1_ratio_raw_sqlite": row.get("ratio"),
                "b2_history_query_p95_ms": b2["history_query"]["p95_ms"],
                "b2_history_page_p95_ms": b2["history_page"]["p95_ms"],
                "b2_as_of_p95_ms": b2["as_of"]["p95_ms"],
                "b2_as_of_middle_p95_ms": b2["as_of_middle"]["p95_ms"],
                "b3_stage_p95_ms": b3["stage_filter"]["p95_ms"],
                "b3_theme_p95_ms": b3["theme_filter"]["p95_ms"],
                "b3_search_p95_ms": b3["search"]["p95_ms"],
            }
        )
    return rows


def print_tables(report: dict[str, Any]) -> None:
    m = report["machine"]
    print(
        f"\n{report['command']}\n{m['cpu_count']} × {m['cpu_model']}, load {m['load_average']}, "
        f"Python {m['python']}, eventsourcing {m['eventsourcing']}, SQLite {m['sqlite']}, "
        f"PostgreSQL {m['postgresql']}, commit {str(m['git_commit'])[:10]}\n"
    )
    print("| B1 | backend | scale | events/s | raw sqlite3 events/s | ratio | p50 ms | p95 ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in report["B1"]:
        raw = r.get("raw_sqlite_events_per_s")
        ratio = r.get("ratio")
        print(
            f"| B1 | {r['backend']} | {r['scale'] or 'fresh'} | {r['events_per_s']:,.0f} | "
            f"{'–' if raw is None else f'{raw:,.0f}'} | "
            f"{'–' if ratio is None else f'{ratio:.1%}'} | "
            f"{r['latency']['p50_ms']:.2f} | {r['latency']['p95_ms']:.2f} |"
        )
    print("\n| B2/B3 | backend | scale | p50 ms | p95 ms |")
    print("|---|---|---:|---:|---:|")
    for b2, b3 in zip(report["B2"], report["B3"], strict=True):
        rows = [
            (f"B2 history query ({b2['heavy_idea_history_steps']} steps)", b2["history_query"]),
            ("B2 history query, first in a process", b2["history_query_first_in_process"]),
            (f"B2 history page ({b2['history_page_steps_shown']} steps)", b2["history_page"]),
            (f"B2 Stand am, now ({b2['as_of_aggregate_events']} events)", b2["as_of"]),
            (f"B2 Stand am, version {b2['as_of_middle_version']}", b2["as_of_middle"]),
            ("B3 list, first page", b3["list_first_page"]),
            ("B3 list, stage filter", b3["stage_filter"]),
            ("B3 list, theme filter", b3["theme_filter"]),
            ("B3 full-text search", b3["search"]),
        ]
        for name, s in rows:
            print(
                f"| {name} | {b2['backend']} | {label(b2['scale'])} | "
                f"{s['p50_ms']:.2f} | {s['p95_ms']:.2f} |"
            )
    for r in report["B4"]:
        print(
            f"\nB4 rebuild ({r['backend']} {label(r['scale'])}, {r['events']:,} events): "
            f"{r['rebuild_events_per_s']:,} events/s; read + decode "
            f"{r['read_decode_events_per_s']:,} events/s; ratio {r['ratio']:.1%}"
        )
    for r in report["B6"]:
        figure = r.get("rss_mb", r["peak_rss_mb"])
        print(
            f"B6 {r['what']} ({r['backend']} {label(r['scale'])}): {figure} MB"
            f" (peak {r['peak_rss_mb']} MB)"
        )
    for s in report["skipped"]:
        print(f"skipped: {s}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", default="1k,10k", help="1k, 10k, 100k or a number of ideas")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per round (B2, B3)")
    parser.add_argument("--commands", type=int, default=300, help="commands per round (B1)")
    parser.add_argument("--rebuild-scale", help="city for B4 (default: the smallest scale)")
    parser.add_argument("--out", help="JSON file (default benchmarks/results/<UTC time>.json)")
    parser.add_argument("--cache-dir", default=str(CACHE))
    parser.add_argument("--smoke", action="store_true", help="smallest scale, 1 round, no table")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, payload = args.child[0], json.loads(args.child[1])
        if kind == "rebuild":
            result = child_rebuild(payload["environ"], payload["rounds"])
        else:
            result = child_serve(payload["environ"], payload["info"])
        print(json.dumps(result))
        return 0

    report = run(args)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = Path(args.out or ROOT / "benchmarks" / "results" / f"{stamp}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, default=str))
    if args.smoke:
        print(f"Smoke run complete (figures are not results): {out}")
    else:
        print_tables(report)
        print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
