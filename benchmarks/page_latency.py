"""Page latency of the daily-work pages on the demo city, over real HTTP on loopback.

Builds a fresh instance in a temporary folder, seeds Musterstadt, serves it with werkzeug on
127.0.0.1 (one process, threaded, as `make run` does), signs in as the coordination and
requests each page `--rounds` times in a row from one client. Prints median and p95 per page.

Run: `.venv/bin/python benchmarks/page_latency.py [--rounds 30]`
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.screenshots import demo_server, flagship_id  # noqa: E402


def sign_in(base: str) -> urllib.request.OpenerDirector:
    """A client with the session cookie of the demo coordination account."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = {"username": "koordination", "password": "demo", "csrf_token": token}
    opener.open(base + "/login", data=urllib.parse.urlencode(form).encode())
    return opener


def measure(opener: urllib.request.OpenerDirector, url: str, rounds: int) -> list[float]:
    """Milliseconds per request, each response read completely."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        with opener.open(url) as response:
            response.read()
            if response.status != 200:
                raise SystemExit(f"{url}: HTTP {response.status}")
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        demo_server(Path(folder), progress=lambda _m: None) as (base, app),
    ):
        idea = flagship_id(app)
        pages = {
            "start page": "/",
            "idea list": "/ideas/",
            "idea list, search": "/ideas/?q=Sensor",
            "idea page": f"/ideas/{idea}",
            "history (27 steps)": f"/ideas/{idea}/history/",
            "history, as of a date": f"/ideas/{idea}/history/as-of?date=2026-06-01",
            "history, compare": f"/ideas/{idea}/history/compare?older=1&newer=12",
            "measure list": "/measures/",
            "working-group list": "/working-groups/",
            "funnel chart (SVG)": "/charts/funnel.svg",
        }
        opener = sign_in(base)
        print(f"| page | median ms | p95 ms |  ({args.rounds} requests each)")
        print("|---|---:|---:|")
        for name, path in pages.items():
            times = sorted(measure(opener, base + path, args.rounds))
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"| {name} | {statistics.median(times):.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
