"""SEC-10: request limits at the production setting, uploads refused, downloads named by us.

The planner takes no uploads. What SEC-10 asks of uploads therefore becomes: a file sent to
any form is never written anywhere (0 user-chosen paths on disk), and every download the
planner offers carries a file name the server made, as an attachment (or inline for the
briefing PDF a person opens to read).
"""

from __future__ import annotations

import re
import time
from io import BytesIO
from pathlib import Path

from flask import Flask

from ideation.entrypoints.api.errors import API_ROOT
from tests.conftest import Cast
from tests.functional.conftest import csrf_token, sign_in
from tests.functional.test_security_sweeps import (
    PLAUSIBLE_FORM,
    UNSAFE_METHODS,
    first_url,
    id_pool,
    rules_for,
)

PRODUCTION_LIMIT = 1_000_000
SERVER_MADE_NAME = re.compile(r'^(attachment|inline); filename="[\w.-]+"$')
EVIL_NAMES = ("../../../../tmp/ideation-evil.sh", "..\\..\\boese.exe", "/etc/cron.d/x", "ok.pdf")


def files_under(folder: Path) -> set[Path]:
    """Every file below `folder`."""
    return {p for p in folder.rglob("*") if p.is_file()}


def test_a_form_one_byte_over_the_production_limit_gets_413_at_once(
    web_app: Flask, cast: Cast
) -> None:
    assert web_app.config["MAX_CONTENT_LENGTH"] == PRODUCTION_LIMIT
    client = web_app.test_client()
    token = csrf_token(client)
    head = f"locale=de&next=%2F&csrf_token={token}&pad="
    for size, expected in ((PRODUCTION_LIMIT, 302), (PRODUCTION_LIMIT + 1, 413)):
        body = head + "x" * (size - len(head))
        assert len(body) == size
        started = time.perf_counter()
        response = client.post(
            "/sprache", data=body, content_type="application/x-www-form-urlencoded"
        )
        seconds = time.perf_counter() - started
        assert response.status_code == expected
    assert "Zu groß" in response.text
    print(f"\nSEC-10: {PRODUCTION_LIMIT + 1} bytes refused with 413 in {seconds * 1000:.0f} ms")


def test_files_sent_to_any_form_are_never_written_to_disk(
    web_app: Flask, cast: Cast, tmp_path: Path
) -> None:
    client = web_app.test_client()
    assert sign_in(client, "admin").status_code == 302
    token = csrf_token(client)
    pool = id_pool(web_app, cast)
    before = files_under(tmp_path)
    sent = 0
    for rule in rules_for(web_app, UNSAFE_METHODS):
        if rule.rule.startswith(API_ROOT) or rule.endpoint in {"auth.logout"}:
            continue
        url = first_url(web_app, rule, pool)
        assert url is not None, rule.rule
        for name in EVIL_NAMES:
            data = {**PLAUSIBLE_FORM, "locale": "de", "csrf_token": token}
            data["file"] = (BytesIO(b"#!/bin/sh\necho pwned\n"), name)
            data["attachment"] = (BytesIO(b"%PDF-1.7\n"), name)
            response = client.post(url, data=data, content_type="multipart/form-data")
            sent += 1
            assert response.status_code < 500, (url, response.status_code)
    created = {p for p in files_under(tmp_path) - before if "-wal" not in p.name}
    created = {p for p in created if not p.name.endswith(("-shm", "-journal", ".start-lock"))}
    print(f"\nSEC-10: {sent} multipart posts with files to every form, {len(created)} new files")
    assert created == set()
    assert not Path("/tmp/ideation-evil.sh").exists()


def test_every_download_carries_a_file_name_the_server_made(web_app: Flask, cast: Cast) -> None:
    client = web_app.test_client()
    assert sign_in(client, "admin").status_code == 302
    pool = id_pool(web_app, cast)
    downloads = {}
    for rule in rules_for(web_app, {"GET"}):
        if rule.rule.startswith(API_ROOT) or rule.endpoint.split(".")[-1] == "static":
            continue
        url = first_url(web_app, rule, pool)
        if url is None:
            continue
        response = client.get(url)
        disposition = response.headers.get("Content-Disposition")
        if disposition is not None:
            downloads[url] = disposition
    print(f"\nSEC-10: {len(downloads)} downloads, each with a server-made file name")
    assert len(downloads) >= 3
    for url, disposition in downloads.items():
        assert SERVER_MADE_NAME.match(disposition), (url, disposition)
