"""The Flask app factory. Until the web issue lands it serves one status page."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template_string

from ideation.bootstrap import build_application
from ideation.config import Settings

STATUS_PAGE = """<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ideation – Ideen- und Maßnahmenplaner</title></head>
<body>
<main>
<h1>ideation – Ideen- und Maßnahmenplaner</h1>
<p>Der Planer läuft. Die Seiten für Ideen, Arbeitsgruppen und Maßnahmen folgen.</p>
<dl>
  <dt>Gespeicherte Ereignisse</dt><dd>{{ event_count }}</dd>
  <dt>Eingerichtet</dt><dd>{{ "ja" if initialised else "nein" }}</dd>
</dl>
</main>
</body>
</html>"""


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app; `config` overrides settings (IDEATION_* keys) for tests."""
    app = Flask(__name__)
    settings = Settings.from_env({**_environ(), **(config or {})})
    ideation = build_application(settings)
    app.extensions["ideation"] = ideation

    @app.get("/")
    def status() -> str:
        return render_template_string(
            STATUS_PAGE,
            event_count=ideation.recorder.max_notification_id() or 0,
            initialised=ideation.is_initialised(),
        )

    return app


def _environ() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k.startswith("IDEATION_")}
