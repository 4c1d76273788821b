"""Two hosts, one database (LOAD-1 with ES-2 and ES-10): mixed HTTP load, then one host dies.

Two gunicorn instances (2 workers × 4 threads each, on two loopback ports, each with its own
instance folder) serve the planner from ONE PostgreSQL schema, as two stateless web hosts
would; a `ideation projections run` worker runs beside them, and every request catches the
read models up as the app does. Client threads send a bounded mixed load over real HTTP to
both hosts with API tokens: 80 % reads, 20 % commands (submissions with an Idempotency-Key,
comments on the client's own ideas), 10 % of the commands comments on one hot idea at the
version the client last saw; a conflict (409, counted) is retried once at the version it
reports.

Phase 1 (LOAD-1): no 5xx; every acknowledged command stored exactly once; the hot idea's
versions 1..n without holes and n = 1 + the comments acknowledged on it; the read models
hold every event exactly once and catch up within 2 s of the load's end.

Phase 2: one host is SIGKILLed (master and workers) while the clients keep sending to both.
Requests to the dead host fail at connection level (counted; a submission is then resent
to the other host with the same Idempotency-Key); the surviving host gives no 5xx, and the
same invariants hold, allowing only for commands whose request died with the host after
they were stored (committed but unacknowledged, counted).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import requests
from flask import Flask

from ideation.bootstrap import build_application
from ideation.config import Settings
from tests.conftest import POSTGRES_URL, scaled
from tests.reliability.conftest import (
    Launcher,
    check_exactly_once,
    close_app,
    make_city,
    notification_log,
    read_engine,
    tracking_position,
)

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
PHASE_1_SECONDS = scaled(60, 120)
PHASE_2_SECONDS = scaled(12, 60)
CLIENTS = 16
READ_SHARE = 0.8
HOT_SHARE = 0.1  # of the commands
MAX_LAG_SECONDS = 2.0
PASSWORD = "Rathaus-Linde-Brunnen"
REQUEST_TIMEOUT = 30.0
RATE_LIMIT = "1000000 per minute"  # the per-address limit would throttle one loopback client


def planner_app() -> Flask:
    """The gunicorn entry point: the planner from IDEATION_*, with the API's limit raised."""
    from ideation.entrypoints.flask_app import create_app

    return create_app({"API_RATE_LIMIT": RATE_LIMIT})


# -- the two hosts ---------------------------------------------------------------------------


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Host:
    """One gunicorn instance in its own process group, so one killpg ends master and workers."""

    def __init__(self, name: str, env: dict[str, str], log_path: Path) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api/v1"
        self.log_path = log_path
        with log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [
                    str(GUNICORN),
                    "--workers",
                    "2",
                    "--worker-class",
                    "gthread",
                    "--threads",
                    "4",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "2",
                    # Longer than any pause of a client: an idle connection the server closes
                    # just as the client reuses it would look like a dead host.
                    "--keep-alive",
                    "30",
                    # The default control socket is one path per user, shared by all instances.
                    "--no-control-socket",
                    f"{__name__}:planner_app()",
                ],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, token: str, timeout: float = 90.0) -> None:
        """Wait until the instance answers an API request (its workers built the planner)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"{self.name} ended:\n{self.log_path.read_text()[-3000:]}")
            try:
                answer = requests.get(
                    f"{self.url}/ideas?limit=1",
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=5,
                )
                if answer.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        pytest.fail(f"{self.name} not ready in {timeout} s:\n{self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the master and its workers at once, as a host that loses power."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.wait_until_gone()

    def stop(self) -> None:
        """End the instance (SIGTERM, then SIGKILL) and any worker left in its group."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        if self.proc.poll() is None:
            self.proc.wait(timeout=30)
        self.wait_until_gone()

    def wait_until_gone(self) -> None:
        """Fail unless every process of the instance's group has ended within 10 s."""
        deadline = time.monotonic() + 10
        while group_members(self.proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert group_members(self.proc.pid) == [], f"{self.name} left processes behind"


def group_members(pgid: int) -> list[int]:
    """The live (not zombie) processes of a process group, from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


# -- the load --------------------------------------------------------------------------------


@dataclass
class Tally:
    """What one client thread sent and got (merged afterwards)."""

    requests: int = 0
    reads: int = 0
    commands: int = 0
    conflicts: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    refused: Counter[str] = field(default_factory=Counter)  # connection failures by host
    refusals: list[str] = field(default_factory=list)  # the first few, for a failure message
    read_seconds: list[float] = field(default_factory=list)
    # Acknowledged commands: comment text -> (idea, version); submission title -> idea.
    comments: dict[str, tuple[UUID, int]] = field(default_factory=dict)
    submissions: dict[str, UUID] = field(default_factory=dict)
    hot_acks: int = 0
    # Commands whose request died with a host: stored or not, nobody knows.
    in_doubt: set[str] = field(default_factory=set)
    resent: int = 0

    def merge(self, other: Tally) -> None:
        """Add another tally's counts and acknowledgements to this one."""
        for name in ("requests", "reads", "commands", "conflicts", "hot_acks", "resent"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.statuses.update(other.statuses)
        self.server_errors.extend(other.server_errors)
        self.refused.update(other.refused)
        self.refusals.extend(other.refusals)
        self.read_seconds.extend(other.read_seconds)
        self.comments.update(other.comments)
        self.submissions.update(other.submissions)
        self.in_doubt |= other.in_doubt


class Dead(Exception):
    """The request failed at connection level (the host is gone)."""


@dataclass
class Shared:
    """What all clients see: the hosts, the hot idea, the ideas to read."""

    hosts: list[Host]
    hot: UUID
    ideas: list[UUID]  # appended to by clients (list.append is atomic)
    stop: threading.Event = field(default_factory=threading.Event)


class Client:
    """One person's client thread: a session per host, its own ideas, a version of the hot one."""

    def __init__(self, index: int, token: str, shared: Shared, phase: str, tally: Tally) -> None:
        self.index = index
        self.shared = shared
        self.phase = phase
        self.tally = tally
        self.rng = random.Random(f"{phase}-{index}")
        self.sessions = {}
        for host in shared.hosts:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {token}"
            self.sessions[host.name] = session
        self.own: dict[UUID, int] = {}  # this client's ideas and their versions
        self.hot_version: int | None = None  # read before the first comment on it
        self.n = 0

    def send(self, host: Host, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One request; a connection failure is counted and raised as Dead, 5xx recorded."""
        self.tally.requests += 1
        try:
            answer = self.sessions[host.name].request(
                method, host.url + path, timeout=REQUEST_TIMEOUT, **kwargs
            )
        except requests.ConnectionError as error:
            self.tally.refused[host.name] += 1
            if len(self.tally.refusals) < 5:
                self.tally.refusals.append(f"{host.name} {method} {path}: {error}")
            raise Dead from None
        self.tally.statuses[answer.status_code] += 1
        if answer.status_code >= 500:
            self.tally.server_errors.append(
                f"{host.name} {method} {path}: {answer.status_code} {answer.text[:300]}"
            )
        return answer

    def run(self) -> None:
        """Send reads and commands to a random host until told to stop."""
        while not self.shared.stop.is_set():
            self.n += 1
            host = self.rng.choice(self.shared.hosts)
            try:
                if self.rng.random() < READ_SHARE:
                    self.read(host)
                else:
                    self.command(host)
            except Dead:
                time.sleep(0.01)  # a refused connection returns at once; do not spin

    def read(self, host: Host) -> None:
        """Read an idea, the list or an idea's history, timing the answer."""
        self.tally.reads += 1
        roll = self.rng.random()
        if roll < 0.5:
            path = f"/ideas/{self.rng.choice(self.shared.ideas)}"
        elif roll < 0.8:
            path = "/ideas?limit=20"
        else:
            path = f"/ideas/{self.rng.choice(self.shared.ideas)}/history"
        started = time.perf_counter()
        answer = self.send(host, "GET", path)
        if answer.status_code == 200:
            self.tally.read_seconds.append(time.perf_counter() - started)
        else:
            assert answer.status_code >= 500, (path, answer.status_code, answer.text[:300])

    def command(self, host: Host) -> None:
        """A comment on the hot idea, a submission or a comment on one of the client's ideas."""
        self.tally.commands += 1
        marker = f"{self.phase}-{self.index}-{self.n}"
        roll = self.rng.random()
        if roll < HOT_SHARE:
            # get → command, and once more at the version a conflict reports (ES-2).
            if self.hot_version is None:
                answer = self.send(host, "GET", f"/ideas/{self.shared.hot}")
                if answer.status_code != 200:
                    assert answer.status_code >= 500, (answer.status_code, answer.text[:300])
                    return  # counted as a server error
                self.hot_version = int(answer.json()["version"])
            for _attempt in range(2):
                if self.comment(host, self.shared.hot, self.hot_version, marker, hot=True) != 409:
                    break
        elif roll < 0.5 or not self.own:
            self.submit(host, marker)
        else:
            idea = self.rng.choice(list(self.own))
            self.comment(host, idea, self.own[idea], marker, hot=False)

    def submit(self, host: Host, marker: str) -> None:
        """Submit an idea with an Idempotency-Key; resend it to the other host if this one died."""
        body = {"title": f"Idee {marker}", "summary": "Eingereicht unter Last auf zwei Hosts."}
        headers = {"Idempotency-Key": marker}
        try:
            answer = self.send(host, "POST", "/ideas", json=body, headers=headers)
        except Dead:
            # Resend to the other host with the same key: at most one idea may result.
            self.tally.in_doubt.add(body["title"])
            other = next(h for h in self.shared.hosts if h is not host)
            self.tally.resent += 1
            answer = self.send(other, "POST", "/ideas", json=body, headers=headers)
        if answer.status_code == 201:
            idea = UUID(answer.json()["id"])
            self.tally.submissions[body["title"]] = idea
            self.tally.in_doubt.discard(body["title"])
            self.own[idea] = int(answer.json()["version"])
            self.shared.ideas.append(idea)
        else:
            assert answer.status_code >= 500, (answer.status_code, answer.text[:300])

    def comment(self, host: Host, idea: UUID, version: int, marker: str, *, hot: bool) -> int:
        """Comment at `version`; return the status (a conflict updates the version known)."""
        text = f"Kommentar {marker}"
        body = {"text": text, "expected_version": version}
        try:
            answer = self.send(host, "POST", f"/ideas/{idea}/comments", json=body)
        except Dead:
            self.tally.in_doubt.add(text)
            if not hot:
                self.own.pop(idea)  # its version is unknown now; leave the idea alone
            raise
        if answer.status_code == 201:
            self.tally.comments[text] = (idea, version + 1)
            self.tally.hot_acks += hot
            seen = int(answer.json()["version"])
        elif answer.status_code == 409:
            self.tally.conflicts += 1
            seen = int(answer.json()["error"]["current_version"])
        else:
            assert answer.status_code >= 500, (answer.status_code, answer.text[:300])
            return answer.status_code
        if hot:
            self.hot_version = seen
        else:
            self.own[idea] = seen
        return answer.status_code


def run_load(
    shared: Shared,
    tokens: list[str],
    phase: str,
    seconds: float,
    during: Any = None,
) -> Tally:
    """Run the clients for `seconds`; `during(elapsed)` is called every 0.1 s meanwhile."""
    tallies = [Tally() for _ in range(CLIENTS)]
    clients = [
        Client(i, tokens[i % len(tokens)], shared, phase, tallies[i]) for i in range(CLIENTS)
    ]
    failures: list[BaseException] = []

    def guarded(client: Client) -> None:
        try:
            client.run()
        except BaseException as error:  # an unexpected answer: stop everything, report it
            failures.append(error)
            shared.stop.set()

    shared.stop.clear()
    threads = [threading.Thread(target=guarded, args=(c,), daemon=True) for c in clients]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while time.monotonic() - started < seconds and not shared.stop.is_set():
        if during is not None:
            during(time.monotonic() - started)
        time.sleep(0.1)
    shared.stop.set()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT + 10)
    for client in clients:
        for session in client.sessions.values():
            session.close()
    if failures:
        raise failures[0]
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total


# -- the checks ------------------------------------------------------------------------------


def wait_until_caught_up(engine: Any, app: Any, timeout: float) -> float:
    """Seconds until the read models' tracking position reached the last notification id."""
    started = time.perf_counter()
    while True:
        last = app.recorder.max_notification_id() or 0
        if tracking_position(engine) >= last:
            return time.perf_counter() - started
        if time.perf_counter() - started > timeout:
            pytest.fail(f"read models still behind {timeout} s after the load")
        time.sleep(0.02)


@dataclass(frozen=True)
class StoreCheck:
    """What the event store showed (the assertions ran in `check_store`)."""

    hot_version: int
    committed_in_doubt: int  # commands whose request died with the host, stored anyway
    events: int


def check_store(app: Any, hot: UUID, acked: Tally, in_doubt: set[str]) -> StoreCheck:
    """ES-2 against the event store: every acked command once, the hot idea without holes."""
    log = notification_log(app)
    comments: dict[str, list[tuple[UUID, int]]] = defaultdict(list)
    titles: Counter[str] = Counter()
    hot_versions: list[int] = []
    for n in log:
        if n.originator_id == hot:
            hot_versions.append(n.originator_version)
        if n.topic.endswith(":Idea.Commented"):
            event = app.mapper.to_domain_event(n)
            comments[event.text].append((n.originator_id, n.originator_version))
        elif n.topic.endswith(":Idea.Submitted"):
            titles[app.mapper.to_domain_event(n).title] += 1
    # Every acknowledged comment is stored once, on its idea at the version it built on.
    for text, at in acked.comments.items():
        assert comments.get(text) == [at], (text, at, comments.get(text))
    # Every acknowledged submission is stored once, even the ones resent to the other host.
    for title, idea in acked.submissions.items():
        assert titles[title] == 1, (title, idea, titles[title])
    # Nothing stored that nobody sent, and nothing twice.
    sent = set(acked.comments) | set(acked.submissions) | in_doubt
    for text, at in comments.items():
        if text.startswith("Kommentar "):
            assert text in sent, text
            assert len(at) == 1, (text, at)
    for title, count in titles.items():
        if title.startswith("Idee "):
            assert title in sent, title
        assert count == 1, (title, count)
    # The hot idea: versions 1..n without holes; n = 1 + acked comments + in-doubt ones stored.
    assert sorted(hot_versions) == list(range(1, len(hot_versions) + 1)), hot_versions
    on_hot = {text for text, at in comments.items() if at[0][0] == hot}
    acked_on_hot = sum(1 for at in acked.comments.values() if at[0] == hot)
    assert len(hot_versions) == 1 + acked_on_hot + len(on_hot & in_doubt)
    committed_in_doubt = len(in_doubt & (set(comments) | set(titles)))
    return StoreCheck(len(hot_versions), committed_in_doubt, len(log))


def merged(*tallies: Tally) -> Tally:
    """One tally of several phases."""
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile of `values` (NaN when there are none)."""
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def figures(name: str, tally: Tally, lag: float, check: StoreCheck, seconds: float) -> str:
    """The figures line of one phase."""
    return (
        f"\nLOAD-1 {name}: {tally.requests} requests in {seconds:.0f} s "
        f"({tally.requests / seconds:,.0f}/s), {tally.reads} reads, {tally.commands} commands "
        f"({len(tally.comments)} comments, {len(tally.submissions)} submissions acked, "
        f"{tally.hot_acks} on the hot idea), {tally.conflicts} conflicts (409), "
        f"{sum(c for s, c in tally.statuses.items() if s >= 500)} 5xx, "
        f"{sum(tally.refused.values())} refused connections {dict(tally.refused)}, "
        f"{tally.resent} submissions resent, {check.committed_in_doubt} committed-unacked; "
        f"read p50 {percentile(tally.read_seconds, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(tally.read_seconds, 0.95) * 1000:.0f} ms; hot idea at version "
        f"{check.hot_version}; {check.events} events in the store; read models caught up "
        f"{lag:.2f} s after the load; "
        f"statuses {dict(sorted(tally.statuses.items()))}"
    )


# -- the test --------------------------------------------------------------------------------


@pytest.fixture
def hosts_env(postgres_schema: str, tmp_path: Path) -> dict[str, str]:
    """The IDEATION_* settings both hosts share (each adds its own instance folder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IDEATION_")}
    env.update(
        {
            "IDEATION_DATABASE_URL": POSTGRES_URL,
            "IDEATION_DATABASE_SCHEMA": postgres_schema,
            "IDEATION_SECRET_KEY": "two-hosts-test-secret-key-not-for-use",
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
            "IDEATION_INSTANCE_PATH": str(tmp_path / "setup"),
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@pytest.mark.postgres
@pytest.mark.timeout(scaled(300, 600))
def test_two_hosts_on_one_database_keep_every_command_once_and_survive_losing_one(
    hosts_env: dict[str, str], tmp_path: Path
) -> None:
    started = time.perf_counter()
    settings = Settings.from_env(hosts_env)

    # Two hosts and a projection worker on one schema, booting while the test builds the
    # city (accounts and a token per member, a few ideas, the hot one); none may outlive it.
    hosts: list[Host] = []
    launcher = Launcher(settings, tmp_path)
    app = build_application(settings)
    engine = read_engine(settings)
    try:
        for name in ("host-a", "host-b"):
            env = {**hosts_env, "IDEATION_INSTANCE_PATH": str(tmp_path / name)}
            hosts.append(Host(name, env, tmp_path / f"{name}.log"))
        launcher.start("projections", "run", "--poll-interval", "0.2")
        city = make_city(app)
        tokens = []
        for n, (person, _department) in enumerate(city.members):
            app.create_account(city.cast.admin, person, f"mitglied{n}", PASSWORD)
            tokens.append(app.issue_token(f"mitglied{n}", PASSWORD).token)
        ideas = [
            app.submit_idea(city.members[n % 3][0], title=f"Ausgangsidee {n}", summary="Lesen")
            for n in range(12)
        ]
        hot = ideas[0]
        for host in hosts:
            host.wait_ready(tokens[0])
        shared = Shared(hosts=list(hosts), hot=hot, ideas=list(ideas))
        setup_seconds = time.perf_counter() - started

        # Phase 1: the mixed load on both hosts.
        phase_1 = run_load(shared, tokens, "p1", PHASE_1_SECONDS)
        lag_1 = wait_until_caught_up(engine, app, timeout=30)
        check_1 = check_store(app, hot, phase_1, phase_1.in_doubt)
        exact_1 = check_exactly_once(app, engine)
        print(figures("phase 1, two hosts", phase_1, lag_1, check_1, PHASE_1_SECONDS))
        assert phase_1.server_errors == [], phase_1.server_errors[:5]
        assert sum(phase_1.refused.values()) == 0, phase_1.refusals
        assert check_1.committed_in_doubt == 0
        assert (exact_1.missing, exact_1.duplicates) == (0, 0)
        assert lag_1 <= MAX_LAG_SECONDS

        # Phase 2: the same load; a third of the way in, host B loses power.
        victim, survivor = hosts[1], hosts[0]
        killed_at: list[float] = []

        def kill_host_b(elapsed: float) -> None:
            if not killed_at and elapsed >= PHASE_2_SECONDS / 3:
                victim.kill()
                killed_at.append(elapsed)

        phase_2 = run_load(shared, tokens, "p2", PHASE_2_SECONDS, during=kill_host_b)
        lag_2 = wait_until_caught_up(engine, app, timeout=30)
        both = merged(phase_1, phase_2)
        check_2 = check_store(app, hot, both, both.in_doubt)
        exact_2 = check_exactly_once(app, engine)
        print(figures("phase 2, host B killed", phase_2, lag_2, check_2, PHASE_2_SECONDS))
        assert killed_at, "host B was not killed"
        assert phase_2.server_errors == [], phase_2.server_errors[:5]
        assert phase_2.refused[victim.name] > 0
        assert phase_2.refused[survivor.name] == 0
        assert (exact_2.missing, exact_2.duplicates) == (0, 0)
        assert lag_2 <= MAX_LAG_SECONDS
    finally:
        for host in hosts:
            host.stop()
        launcher.kill_survivors()
        engine.dispose()
        close_app(app)
    print(
        f"LOAD-1 two hosts: set-up {setup_seconds:.1f} s, host B killed {killed_at[0]:.1f} s "
        f"into phase 2, {time.perf_counter() - started:.1f} s in all"
    )
