"""B5: HTTP under load on loopback, ours and the peer on the same synthetic city.

    .venv/bin/python benchmarks/http_load.py --ideas 1000 --seconds 20

Builds the city of `benchmarks/generate.py` into our planner (a SQLite file) and, with the
same script and clock, into the peer (its own SQLite file); serves each with gunicorn
(2 sync workers, 127.0.0.1, a free port); then, route by route and side by side
(ours, then the peer, for each route), 16 client threads send requests for a bounded time:

- `idea`: GET /api/v1/ideas/<id> for random generated ideas
- `history`: GET /api/v1/ideas/<id>/history for random generated ideas
- `history_heavy`: GET /api/v1/ideas/<id>/history of the giant idea (heavy below 1k ideas)
- `list`: GET /api/v1/ideas?stage=accepted&limit=50
- `submit`: POST /api/v1/ideas (a member of the first department; no Idempotency-Key,
  the peer has none)

Both sides get the same sequence of idea indexes (each side's own ids for them) and the
same bodies. Reports requests/s, p50, p95 and errors per route and side, the ratios
ours/peer, and writes JSON to `benchmarks/results/b5-<UTC timestamp>.json`.

Our API's rate limit (600 per minute per address) is raised for the run (`API_RATE_LIMIT`),
the limiter itself still runs; the peer has none.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(ROOT))

API = "/api/v1"
ROUTES = ("idea", "history", "history_heavy", "list", "submit")
LIST_QUERY = "stage=accepted&limit=50"
BENCH_RATE_LIMIT = "100000000 per minute"
SUBMIT_BODY = {
    "summary": "Eine Idee aus dem Lasttest, damit Einreichen unter Last gemessen wird.",
    "benefit": "Zeigt, wie schnell der Planer Ideen annimmt.",
    "themes": ["Lasttest"],
}


# -- our planner as a WSGI app (gunicorn 'benchmarks.http_load:ours_wsgi()') --------------------


def ours_wsgi():  # type: ignore[no-untyped-def]
    """Our Flask app from the IDEATION_* environment, with the API's rate limit raised."""
    from ideation.entrypoints.flask_app import create_app

    return create_app({"API_RATE_LIMIT": os.environ.get("BENCH_API_RATE_LIMIT", BENCH_RATE_LIMIT)})


# -- building the city on both sides -------------------------------------------------------------


@dataclass
class Side:
    """What the load needs of one side: ids by the script's indexes, tokens, how to serve."""

    name: str
    ideas: list[str]
    heavy: str
    reader_token: str  # the coordination: sees every idea
    submit_token: str  # a member of the first department
    app_target: str
    env: dict[str, str]
    build_seconds: float = 0.0
    commands: int = 0


def ours_env(folder: Path) -> dict[str, str]:
    return {
        "IDEATION_INSTANCE_PATH": str(folder),
        "IDEATION_DATABASE_URL": f"sqlite:///{folder / 'ideation.sqlite3'}",
        "IDEATION_ENV": "production",
        "IDEATION_SECRET_KEY": "http-load-benchmark-secret-key-not-for-use",
        "IDEATION_PASSWORD_HASHING": "fast-for-tests",
    }


def build_ours(folder: Path, ideas: int, seed: int, start: dt.datetime, progress: bool) -> Side:
    """The city through our application's commands; API tokens for the coordination and m0."""
    from benchmarks.generate import generate
    from ideation.bootstrap import build_application
    from ideation.config import Settings

    folder.mkdir(parents=True, exist_ok=True)
    env = ours_env(folder)
    app = build_application(Settings.from_env(env))
    try:
        city = generate(app, ideas=ideas, seed=seed, progress=progress, start=start)
        admin = city.people["admin"]
        tokens = {}
        for key in ("coord", "m0"):
            person = city.people[key]
            app.create_account(
                admin, person, f"bench-{key}", "Lasttest-Passwort-lang-genug", enforce_policy=False
            )
            tokens[key] = app.create_personal_token(person, "bench", 30).token
    finally:
        app.close()
    heavy = city.giant_idea or city.heavy_ideas[0]
    return Side(
        name="ours",
        ideas=[str(i) for i in city.ideas],
        heavy=str(heavy),
        reader_token=tokens["coord"],
        submit_token=tokens["m0"],
        app_target="benchmarks.http_load:ours_wsgi()",
        env=env,
        build_seconds=city.seconds,
        commands=city.commands,
    )


def build_peer(folder: Path, ideas: int, seed: int, start: dt.datetime, progress: bool) -> Side:
    """The same script through the peer's model layer; tokens are `peer-<key>`."""
    from benchmarks.peer.generate import load_city, person_token
    from benchmarks.peer.service import PeerService

    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'peer.sqlite3'}"
    peer = PeerService.connect(url)
    try:
        city = load_city(peer, ideas=ideas, seed=seed, progress=progress, start=start)
    finally:
        peer.dispose()
    heavy = city.ideas[city.giant] if city.giant is not None else city.heavy_ideas[0]
    return Side(
        name="peer",
        ideas=[str(i) for i in city.ideas],
        heavy=str(heavy),
        reader_token=person_token("coord"),
        submit_token=person_token("m0"),
        app_target="benchmarks.peer.wsgi:app",
        env={"PEER_DATABASE_URL": url},
        build_seconds=city.seconds,
        commands=city.commands,
    )


# -- serving -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn with 2 sync workers on 127.0.0.1 for one side; stop() always ends it."""

    def __init__(self, side: Side, workers: int, log: Path) -> None:
        self.side = side
        self.port = free_port()
        self.log = log
        env = {**os.environ, **side.env, "PYTHONPATH": str(ROOT)}
        self.logfile = log.open("w")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn) if gunicorn.exists() else "gunicorn",
                "-w",
                str(workers),
                "-k",
                "sync",
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                side.app_target,
            ],
            cwd=ROOT,
            env=env,
            stdout=self.logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.side.name}: gunicorn ended, see {self.log}")
            try:
                status, _ = request(
                    "127.0.0.1", self.port, "GET", f"{API}/ideas?limit=1", self.side.reader_token
                )
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.side.name}: not ready after {timeout} s, see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.logfile.close()


def request(
    host: str, port: int, method: str, path: str, token: str, body: bytes | None = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        headers = {"Authorization": f"Bearer {token}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# -- load ----------------------------------------------------------------------------------------


@dataclass
class RouteResult:
    requests: int = 0
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    seconds: float = 0.0

    def add(self, other: RouteResult) -> None:
        """Pool another window's requests into this one (for several rounds)."""
        self.requests += other.requests
        self.errors += other.errors
        self.seconds += other.seconds
        self.latencies.extend(other.latencies)
        for code, count in other.statuses.items():
            self.statuses[code] = self.statuses.get(code, 0) + count

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        return {
            "requests": self.requests,
            "errors": self.errors,
            "statuses": dict(sorted(self.statuses.items())),
            "seconds": round(self.seconds, 3),
            "requests_per_second": round(self.requests / self.seconds, 2) if self.seconds else 0.0,
            "p50_ms": round(percentile(lat, 0.50) * 1000, 2),
            "p95_ms": round(percentile(lat, 0.95) * 1000, 2),
            "max_ms": round(lat[-1] * 1000, 2) if lat else 0.0,
        }


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted values (0 when empty)."""
    if not values:
        return 0.0
    rank = max(1, min(len(values), math.ceil(q * len(values))))
    return values[rank - 1]


class Client:
    """One client thread's connection: keep-alive when the server allows it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> int:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            response.read()
            if response.will_close:
                self.conn.close()
                self.conn = None
            return response.status
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def route_request(
    route: str, side: Side, rng: random.Random, serial: str
) -> tuple[str, str, str, bytes | None]:
    """Method, path, token and body for one request of the route (same rng → same request)."""
    if route == "idea":
        return (
            "GET",
            f"{API}/ideas/{side.ideas[rng.randrange(len(side.ideas))]}",
            side.reader_token,
            None,
        )
    if route == "history":
        idea = side.ideas[rng.randrange(len(side.ideas))]
        return "GET", f"{API}/ideas/{idea}/history", side.reader_token, None
    if route == "history_heavy":
        return "GET", f"{API}/ideas/{side.heavy}/history", side.reader_token, None
    if route == "list":
        return "GET", f"{API}/ideas?{LIST_QUERY}", side.reader_token, None
    if route == "submit":
        body = {"title": f"Lasttest-Idee {serial}", **SUBMIT_BODY}
        return "POST", f"{API}/ideas", side.submit_token, json.dumps(body).encode()
    raise ValueError(route)


def run_load(
    port: int, side: Side, route: str, clients: int, seconds: float, seed: object, warmup: float
) -> RouteResult:
    """`clients` threads send the route's requests for `seconds` (after `warmup`)."""
    result = RouteResult()
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)
    measuring = threading.Event()
    stop = threading.Event()

    def worker(number: int) -> None:
        rng = random.Random(f"{seed}-{route}-{number}")
        client = Client(port)
        latencies: list[float] = []
        statuses: dict[str, int] = {}
        count = errors = n = 0
        start_gate.wait()
        try:
            while not stop.is_set():
                n += 1
                method, path, token, body = route_request(route, side, rng, f"{number}-{n}")
                headers = {"Authorization": f"Bearer {token}"}
                if body is not None:
                    headers["Content-Type"] = "application/json"
                began = time.perf_counter()
                try:
                    status = client.send(method, path, headers, body)
                except (OSError, http.client.HTTPException) as error:
                    status, code = 0, type(error).__name__
                else:
                    code = str(status)
                took = time.perf_counter() - began
                if not measuring.is_set() or stop.is_set():
                    continue
                count += 1
                statuses[code] = statuses.get(code, 0) + 1
                if 200 <= status < 300:
                    latencies.append(took)
                else:
                    errors += 1
        finally:
            client.close()
            with lock:
                result.requests += count
                result.errors += errors
                result.latencies.extend(latencies)
                for code, k in statuses.items():
                    result.statuses[code] = result.statuses.get(code, 0) + k

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    time.sleep(warmup)
    measuring.set()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    result.seconds = time.perf_counter() - began
    for t in threads:
        t.join(timeout=120)
    return result


# -- report --------------------------------------------------------------------------------------


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    try:
        from importlib.metadata import version

        gunicorn_version = version("gunicorn")
    except Exception:  # pragma: no cover - gunicorn comes with the bench extras
        gunicorn_version = "unknown"
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "gunicorn": gunicorn_version,
        "git_commit": git_commit(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def ratios(ours: dict[str, Any], peer: dict[str, Any]) -> dict[str, Any]:
    def div(a: float, b: float) -> float | None:
        return round(a / b, 3) if b else None

    throughput = div(ours["requests_per_second"], peer["requests_per_second"])
    p95 = div(ours["p95_ms"], peer["p95_ms"])
    return {
        "throughput_ours_over_peer": throughput,
        "p50_ours_over_peer": div(ours["p50_ms"], peer["p50_ms"]),
        "p95_ours_over_peer": p95,
        # B5's target: at least the peer's throughput and no worse p95, without errors.
        "target_met": bool(
            throughput is not None
            and p95 is not None
            and throughput >= 1.0
            and p95 <= 1.0
            and ours["errors"] == 0
        ),
    }


def table(results: dict[str, Any]) -> str:
    head = (
        f"{'route':<14} {'side':<5} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}"
        f"  {'req/s o/p':>9} {'p95 o/p':>8} {'target':>6}"
    )
    lines = [head, "-" * len(head)]
    for route, entry in results["routes"].items():
        r = entry["ratios"]
        for side in ("ours", "peer"):
            s = entry[side]
            tail = ""
            if side == "ours":
                tail = (
                    f"  {r['throughput_ours_over_peer'] or 0:>9.2f}"
                    f" {r['p95_ours_over_peer'] or 0:>8.2f}"
                    f" {'yes' if r['target_met'] else 'no':>6}"
                )
            lines.append(
                f"{route:<14} {side:<5} {s['requests_per_second']:>8.1f} {s['p50_ms']:>8.1f}"
                f" {s['p95_ms']:>8.1f} {s['errors']:>6}{tail}"
            )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks.generate import city_start

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="b5-"))
    started = dt.datetime.now(dt.UTC)
    start = city_start()
    routes = [r for r in ROUTES if r in args.routes]
    servers: list[Server] = []
    try:
        print(f"Stadt mit {args.ideas} Ideen in {work} …", file=sys.stderr)
        ours = build_ours(work / "ours", args.ideas, args.seed, start, args.progress)
        peer = build_peer(work / "peer", args.ideas, args.seed, start, args.progress)
        sides = {"ours": ours, "peer": peer}
        for side in sides.values():
            servers.append(Server(side, args.workers, work / f"gunicorn-{side.name}.log"))
        for server in servers:
            server.wait_ready()
        ports = {server.side.name: server.port for server in servers}
        machine_before = machine()
        report: dict[str, Any] = {
            "benchmark": "B5 HTTP under load on loopback",
            "started_at": started.isoformat(timespec="seconds"),
            "command": "benchmarks/http_load.py " + " ".join(args.argv),
            "machine": machine_before,
            "parameters": {
                "ideas": args.ideas,
                "seed": args.seed,
                "seconds_per_route": args.seconds,
                "rounds": args.rounds,
                "warmup_seconds": args.warmup,
                "clients": args.clients,
                "workers": args.workers,
                "worker_class": "sync",
                "database": "sqlite (file, WAL)",
                "list_query": LIST_QUERY,
                "api_rate_limit_ours": BENCH_RATE_LIMIT,
            },
            "city": {
                name: {
                    "commands": s.commands,
                    "build_seconds": round(s.build_seconds, 1),
                    "heavy_idea": s.heavy,
                }
                for name, s in sides.items()
            },
            "routes": {},
        }
        for route in routes:
            entry: dict[str, Any] = {}
            pooled = {"ours": RouteResult(), "peer": RouteResult()}
            rounds: list[dict[str, Any]] = []
            for number in range(args.rounds):
                # Alternate which side goes first, so a drift in the machine's load between
                # the two windows does not always count against the same side.
                order = ("ours", "peer") if number % 2 == 0 else ("peer", "ours")
                this_round: dict[str, Any] = {"first": order[0]}
                for name in order:
                    print(f"{route}: {name} (Runde {number + 1}) …", file=sys.stderr)
                    result = run_load(
                        ports[name],
                        sides[name],
                        route,
                        args.clients,
                        args.seconds,
                        f"{args.seed}-{number}",
                        args.warmup,
                    )
                    pooled[name].add(result)
                    this_round[name] = result.summary()
                this_round["ratios"] = ratios(this_round["ours"], this_round["peer"])
                rounds.append(this_round)
            for name in ("ours", "peer"):
                entry[name] = pooled[name].summary()
            entry["rounds"] = rounds
            entry["ratios"] = ratios(entry["ours"], entry["peer"])
            report["routes"][route] = entry
        report["machine"]["load_average_after"] = (
            list(os.getloadavg()) if hasattr(os, "getloadavg") else None
        )
        report["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        report["all_targets_met"] = all(
            e["ratios"]["target_met"] for e in report["routes"].values()
        )
        return report
    finally:
        for server in servers:
            server.stop()
        if not args.workdir and not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--ideas", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds per route")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="windows per route and side, alternating which side goes first; figures pooled",
    )
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--routes", default=",".join(ROUTES), help=f"comma-separated, of {', '.join(ROUTES)}"
    )
    parser.add_argument("--workdir", help="folder for the databases (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument("--output", help="JSON file (default benchmarks/results/b5-<UTC>.json)")
    parser.add_argument("--no-progress", dest="progress", action="store_false")
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    args.routes = [r.strip() for r in args.routes.split(",") if r.strip()]
    unknown = set(args.routes) - set(ROUTES)
    if unknown:
        parser.error(f"unknown routes: {', '.join(sorted(unknown))}")

    report = run(args)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    output = (
        Path(args.output) if args.output else ROOT / "benchmarks" / "results" / f"b5-{stamp}.json"
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(table(report))
    print(f"\n{output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
