"""The peer for a WSGI server: `gunicorn -w 2 benchmarks.peer.wsgi:app` from the repository root.

PEER_DATABASE_URL names the database (default: sqlite:///instance/peer.sqlite3),
PEER_DATABASE_SCHEMA an optional PostgreSQL schema. Load a city first with
`python benchmarks/peer/generate.py` (tables are created before the workers start, so two
workers never race to create them).
"""

from __future__ import annotations

import os

from benchmarks.peer.app import create_peer_app

app = create_peer_app(
    os.environ.get("PEER_DATABASE_URL", "sqlite:///instance/peer.sqlite3"),
    schema=os.environ.get("PEER_DATABASE_SCHEMA") or None,
)
