"""SEC-11: errors fail closed on every route, and a refused form never stores anything.

Faults are injected into the application service behind every view: while a view runs, any
call it makes into the planner (or into the objects the planner hands out, like its read
models) raises one of three exceptions whose messages carry SQL and the app's secret key:
a plain RuntimeError, SQLAlchemy's OperationalError (what a lost database connection looks
like) and a KeyError. Every rule × method of `app.url_map` is requested with real ids, as a
signed-in admin (pages, with a valid CSRF token) or with the admin's token (API). Each
response must be the generic German 500 page or the API's JSON 500 error: no trace, no SQL,
no secret, no exception name. Sign-in and the session check run before the view, unfaulted,
so that the fault meets the view's own code path.
"""

from __future__ import annotations

import contextvars
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from ideation.entrypoints.api.errors import API_ROOT
from tests.functional.conftest import PASSWORD, csrf_token, sign_in
from tests.functional.test_security_sweeps import (
    LEAK_MARKERS,
    PLAUSIBLE_FORM,
    UNSAFE_METHODS,
    add_cast_with_accounts,
    first_url,
    id_pool,
    new_app,
    rules_for,
)

LEAKY_SQL = "SELECT password_hash FROM accounts WHERE username = 'admin'"
IN_VIEW: contextvars.ContextVar[bool] = contextvars.ContextVar("in_view", default=False)


def faults(secret: str) -> dict[str, Callable[[], BaseException]]:
    """The injected exceptions, each carrying SQL and the secret in its text."""
    return {
        "RuntimeError": lambda: RuntimeError(f"{LEAKY_SQL} key={secret}"),
        "OperationalError": lambda: OperationalError(
            LEAKY_SQL, {"key": secret}, Exception(f"server closed the connection; key={secret}")
        ),
        "KeyError": lambda: KeyError(f"{LEAKY_SQL} {secret}"),
    }


@dataclass
class Faulty:
    """Stands in for the planner: inside a view every call raises the current fault."""

    target: Any
    raise_fault: Callable[[], BaseException]
    fired: list[int] = field(default_factory=lambda: [0])

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.target, name)
        if not IN_VIEW.get():
            return value
        if callable(value):

            def failing(*args: Any, **kwargs: Any) -> Any:
                self.fired[0] += 1
                raise self.raise_fault()

            return failing
        if type(value).__module__.startswith("ideation."):
            return Faulty(value, self.raise_fault, self.fired)
        return value


def mark_views(app: Flask) -> None:
    """Let the fault fire only while a view function runs, not in hooks before it."""
    for endpoint, view in list(app.view_functions.items()):

        @functools.wraps(view)
        def marked(*args: Any, __view: Any = view, **kwargs: Any) -> Any:
            token = IN_VIEW.set(True)
            try:
                return __view(*args, **kwargs)
            finally:
                IN_VIEW.reset(token)

        app.view_functions[endpoint] = marked


@dataclass
class Sweep:
    """What the fault sweep saw."""

    requests: int = 0
    fired: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def body_problems(body: str, secret: str) -> list[str]:
    """Everything in a response body that tells more than a generic error would."""
    problems = []
    leak = LEAK_MARKERS.search(body)
    if leak:
        problems.append(f"leaks {leak.group(0)!r}")
    for text in ("SELECT", "password_hash", secret, "OperationalError", "RuntimeError", "KeyError"):
        if text in body:
            problems.append(f"shows {text!r}")
    return problems


def test_an_injected_fault_in_any_view_gives_the_generic_500_and_leaks_nothing(
    tmp_path: Path,
) -> None:
    app = new_app(tmp_path / "faults", API_RATE_LIMIT="100000 per minute")
    cast = add_cast_with_accounts(app)
    pool = id_pool(app, cast)
    planner = app.extensions["ideation"]
    token = planner.issue_token("admin", PASSWORD).token
    secret = app.config["SECRET_KEY"]
    mark_views(app)
    client = app.test_client()
    assert sign_in(client, "admin").status_code == 302
    form_token = csrf_token(client)
    before = planner.recorder.max_notification_id()

    sweep = Sweep()
    for kind, make in faults(secret).items():
        faulty = Faulty(planner, make)
        app.extensions["ideation"] = faulty
        try:
            for rule in rules_for(app, {"GET", *UNSAFE_METHODS}):
                if rule.endpoint.split(".")[-1] == "static":
                    continue
                url = first_url(app, rule, pool)
                assert url is not None, rule.rule
                for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                    fired_before = faulty.fired[0]
                    if url.startswith(API_ROOT):
                        headers = {"Authorization": f"Bearer {token}"}
                        json = {} if method in UNSAFE_METHODS else None
                        response = client.open(url, method=method, headers=headers, json=json)
                    else:
                        # German stays on: the language switch is among the routes swept.
                        data = {**PLAUSIBLE_FORM, "locale": "de", "csrf_token": form_token}
                        data = data if method in UNSAFE_METHODS else None
                        response = client.open(url, method=method, data=data)
                    sweep.requests += 1
                    sweep.statuses[response.status_code] += 1
                    where = f"{kind}: {method} {url} ({rule.endpoint})"
                    body = response.get_data(as_text=True)
                    sweep.problems += [f"{where}: {p}" for p in body_problems(body, secret)]
                    if faulty.fired[0] == fired_before:
                        continue  # the view answered without asking the planner
                    sweep.fired += 1
                    if response.status_code != 500:
                        sweep.problems.append(f"{where}: status {response.status_code}")
                    elif url.startswith(API_ROOT):
                        if response.get_json()["error"]["code"] != "server_error":
                            sweep.problems.append(f"{where}: {body[:200]}")
                    elif "Etwas ist schiefgegangen" not in body:
                        sweep.problems.append(f"{where}: not the German 500 page: {body[:300]}")
        finally:
            app.extensions["ideation"] = planner

    print(
        f"\nSEC-11: {sweep.requests} requests with an injected fault (3 kinds × every rule × "
        f"method), {sweep.fired} reached the planner and failed closed, statuses "
        f"{dict(sorted(sweep.statuses.items()))}"
    )
    assert not sweep.problems, "\n".join(sweep.problems[:40])
    # Most views ask the planner; the fault must really have met them.
    assert sweep.fired >= sweep.requests * 0.6
    assert planner.recorder.max_notification_id() == before


@pytest.mark.parametrize("who", ["admin", "tim"])
def test_a_form_that_is_refused_stores_nothing_on_any_page_route(tmp_path: Path, who: str) -> None:
    app = new_app(tmp_path / "refused")
    cast = add_cast_with_accounts(app)
    pool = id_pool(app, cast)
    recorder = app.extensions["ideation"].recorder
    client = app.test_client()
    assert sign_in(client, who).status_code == 302
    token = csrf_token(client)
    checked = refused = 0
    problems = []
    # Blank values and nonsense: whatever the form checks, it must refuse without writing.
    invalid = dict.fromkeys(PLAUSIBLE_FORM, "") | {"version": "kaputt", "csrf_token": token}
    for rule in rules_for(app, UNSAFE_METHODS):
        if rule.rule.startswith(API_ROOT) or rule.endpoint in {"auth.login", "auth.logout"}:
            continue
        url = first_url(app, rule, pool)
        assert url is not None, rule.rule
        for method in sorted(UNSAFE_METHODS & set(rule.methods or ())):
            before = recorder.max_notification_id()
            response = client.open(url, method=method, data=invalid)
            checked += 1
            if response.status_code >= 500:
                problems.append(f"{method} {url}: {response.status_code}")
            # Post/Redirect/Get: only a redirect means the command ran.
            if response.status_code in (302, 303):
                continue
            refused += 1
            if recorder.max_notification_id() != before:
                problems.append(f"{method} {url}: {response.status_code} but an event was stored")
    print(f"\nSEC-11 as {who}: {checked} form posts, {refused} refused, 0 events stored by those")
    assert refused >= 20
    assert not problems, "\n".join(problems)


def test_the_leak_check_itself_flags_a_trace_sql_and_the_secret() -> None:
    page = f'Traceback (most recent call last): File "x.py"\n{LEAKY_SQL} key=geheim'
    assert len(body_problems(page, "geheim")) >= 4
    assert body_problems("<h1>Fehler (500)</h1>", "geheim") == []
