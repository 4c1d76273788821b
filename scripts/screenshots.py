"""Screenshots of the flagship quick win for the docs: its history page and its idea page.

Run `.venv/bin/python scripts/screenshots.py` (or `make screenshots`). The script builds a
fresh instance in a temporary folder, seeds the demo city Musterstadt, serves it on
127.0.0.1 with a free port, signs in as the auditor (pruefung) in Debian's Chromium at
1280 px width and saves full-page PNGs to docs/images/. Nothing outside the temporary
folder and docs/images/ is touched.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from ideation.entrypoints.demo import DEMO_PASSWORD, FLAGSHIP_TITLE, seed_demo_city
from ideation.entrypoints.flask_app import create_app

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
ACCOUNT = "pruefung"
TIMEOUT_MS = 30_000


@contextmanager
def demo_server(folder: Path, progress: Any = print) -> Iterator[tuple[str, Any]]:
    """The app with a freshly seeded demo city, served in a thread: (base URL, Flask app)."""
    app = create_app(
        {
            "IDEATION_INSTANCE_PATH": str(folder / "instance"),
            # A throwaway instance: a slow password hash buys nothing here.
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
        }
    )
    ideation = app.extensions["ideation"]
    seed_demo_city(ideation, progress=progress)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="screenshots", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        ideation.close()
        ideation.directory.engine.dispose()


def flagship_id(app: Any) -> Any:
    """The id of the demo city's flagship quick win, found by its title."""
    rows = app.extensions["ideation"].read_models.list_ideas(text=FLAGSHIP_TITLE, page_size=50)
    matches = [row.id for row in rows.rows if row.title == FLAGSHIP_TITLE]
    if len(matches) != 1:
        raise SystemExit(f"expected one idea titled {FLAGSHIP_TITLE!r}, found {len(matches)}")
    return matches[0]


def take_screenshots(base_url: str, idea_id: Any, out: Path) -> list[Path]:
    """Sign in as the auditor and save the history page and the idea page as full-page PNGs."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    shots = [
        (f"/ideas/{idea_id}/history/", out / "verlauf-quick-win.png"),
        (f"/ideas/{idea_id}", out / "idee-quick-win.png"),
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(viewport=VIEWPORT, locale="de-DE")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.goto(base_url + "/login")
            form = page.locator("main form")
            form.get_by_label("Benutzername").fill(ACCOUNT)
            form.get_by_label("Passwort").fill(DEMO_PASSWORD)
            with page.expect_navigation():
                form.locator("button[type=submit]").click()
            if page.url.startswith(base_url + "/login"):
                raise SystemExit(f"signing in as {ACCOUNT} failed")
            for path, target in shots:
                response = page.goto(base_url + path)
                if response is None or response.status != 200:
                    status = response.status if response else None
                    raise SystemExit(f"{path} answered HTTP {status}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(target), full_page=True)
        finally:
            browser.close()
    return [target for _, target in shots]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=IMAGES, help="folder for the PNG files")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: apt-get install -y chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="ideation-screenshots-") as folder:
        print("Musterstadt wird angelegt …")
        with demo_server(Path(folder), progress=lambda _message: None) as (base_url, app):
            saved = take_screenshots(base_url, flagship_id(app), args.out)
    for path in saved:
        print(f"gespeichert: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
