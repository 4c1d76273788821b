"""B5 smoke check (benchmarks/http_load.py): both servers start and stop, every route answers.

A tiny city, 4 clients, 2 seconds per route; no timing assertions (timing lives in
docs/benchmarks-b5.md, never in tests).
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

from benchmarks import http_load


def port_is_closed(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_both_sides_answer_every_route_and_the_report_has_every_key(
    tmp_path: Path, monkeypatch
) -> None:
    servers: list[http_load.Server] = []
    original = http_load.Server.__init__

    def remember(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original(self, *args, **kwargs)
        servers.append(self)

    monkeypatch.setattr(http_load.Server, "__init__", remember)
    output = tmp_path / "b5.json"
    code = http_load.main(
        [
            "--ideas", "20", "--seconds", "2", "--warmup", "0", "--clients", "4",
            "--workdir", str(tmp_path / "work"), "--output", str(output), "--no-progress",
        ]
    )  # fmt: skip

    assert code == 0
    report = json.loads(output.read_text())
    assert {"benchmark", "started_at", "finished_at", "command", "machine", "parameters"} <= set(
        report
    )
    assert {"city", "routes", "all_targets_met"} <= set(report)
    assert {"cpu_count", "cpu_model", "python", "git_commit", "gunicorn"} <= set(report["machine"])
    assert set(report["routes"]) == set(http_load.ROUTES)
    for route, entry in report["routes"].items():
        for side in ("ours", "peer"):
            figures = entry[side]
            assert {"requests_per_second", "p50_ms", "p95_ms", "errors", "statuses"} <= set(figures)
            assert figures["requests"] > 0, (route, side)
            assert figures["errors"] == 0, (route, side, figures["statuses"])
            assert all(code.startswith("2") for code in figures["statuses"]), (route, side)
        assert len(entry["rounds"]) == 1
        assert {"throughput_ours_over_peer", "p95_ours_over_peer", "target_met"} <= set(
            entry["ratios"]
        )
    # Both servers were started and are stopped again.
    assert {s.side.name for s in servers} == {"ours", "peer"}
    for server in servers:
        assert server.process.poll() is not None
        assert port_is_closed(server.port)
