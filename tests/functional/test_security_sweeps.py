"""Security sweeps over every route the app has when the test runs (catalogue SEC-1, 9, 10, 11, 13).

Routes are enumerated from `app.url_map` at test time, never listed by hand: a new page is swept
the moment its blueprint is registered. Path parameters are filled with real ids (departments,
people, the working group, an idea) so that pages needing an existing object are reached too.
"""

from __future__ import annotations

import itertools
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit
from uuid import UUID

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.routing.converters import (
    AnyConverter,
    FloatConverter,
    IntegerConverter,
    PathConverter,
    UUIDConverter,
)
from werkzeug.test import TestResponse

from ideation.entrypoints.api.errors import API_ROOT
from ideation.entrypoints.extensions import csrf
from ideation.entrypoints.flask_app import create_app
from tests.conftest import Cast, make_cast
from tests.functional.conftest import PASSWORD, csrf_token, sign_in

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_TEXT = "Das Formular ist abgelaufen oder ungültig"
HTTPS = "https://localhost"
HSTS_MIN_AGE = 31_536_000

# Fields a state-changing form might read, so an unprotected route would really act.
PLAUSIBLE_FORM = {
    "locale": "en",
    "next": "/",
    "username": "admin",
    "password": PASSWORD,
    "name": "CSRF-Probe",
    "short_name": "CSRF",
    "kind": "administration",
    "display_name": "CSRF Probe",
    "email": "csrf@example.org",
    "role": "admin",
    "roles": "admin",
    "title": "CSRF-Probe",
    "summary": "Sollte nie gespeichert werden.",
    "reason": "CSRF-Probe",
    "version": "1",
    "expected_version": "1",
    "confirm": "y",
}

# Which kind of object a path parameter names (first match wins, the rest are tried after).
ID_HINTS = {
    "department": ("department", "abteilung", "fachbereich", "dept", "org", "unit"),
    "person": ("person", "people", "user", "account", "member", "mitglied", "benutzer", "konto"),
    "group": ("group", "gruppe", "arbeitsgruppe"),
    "idea": ("idea", "idee"),
}

LEAK_MARKERS = re.compile(
    r'Traceback|File "|site-packages|werkzeug\.debug|[/\\][\w.-]+\.py\b', re.IGNORECASE
)
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
BROWSER_STRIPPED = re.compile(r"[\t\n\r]")  # the URL parser drops these before anything else

ERROR_TITLES = {
    400: "Ungültige Anfrage",
    403: "Keine Berechtigung",
    404: "Seite nicht gefunden",
    405: "Nicht erlaubt",
    413: "Zu groß",
    500: "Etwas ist schiefgegangen",
}


# --------------------------------------------------------------------------------------------
# Apps, accounts and real ids
# --------------------------------------------------------------------------------------------


def accounts_of(cast: Cast) -> dict[str, UUID]:
    return {
        "admin": cast.admin,
        "koordination": cast.coordinator,
        "tim": cast.member,
        "berta": cast.other_member,
        "greta": cast.group_member,
        "pruefung": cast.auditor,
    }


def new_app(instance: Path, **config: str) -> Flask:
    """A fresh app (no request served yet, so test routes can still be added)."""
    return create_app(
        {
            "IDEATION_INSTANCE_PATH": str(instance),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
            **config,
        }
    )


def add_cast_with_accounts(app: Flask) -> Cast:
    ideation = app.extensions["ideation"]
    cast = make_cast(ideation)
    for username, person in accounts_of(cast).items():
        ideation.create_account(cast.admin, person, username, PASSWORD)
    return cast


LEAKY_MESSAGE = "SELECT password_hash FROM accounts WHERE username = 'admin'"


def build_probe_app(instance: Path, *, with_exempt_route: bool = False) -> tuple[Flask, Cast]:
    """An app with a 1000-byte request limit and test routes that fail on purpose."""
    app = new_app(instance, IDEATION_MAX_REQUEST_BYTES="1000")

    @app.get("/__probe__/kaputt")
    def probe_crash() -> str:
        raise RuntimeError(f"{LEAKY_MESSAGE} key={app.config['SECRET_KEY']}")

    @app.get("/__probe__/verboten")
    def probe_forbidden() -> str:
        abort(403)

    if with_exempt_route:

        @app.post("/__probe__/ohne-csrf")
        def probe_without_csrf() -> str:
            return "angenommen"

        csrf.exempt(probe_without_csrf)

    return app, add_cast_with_accounts(app)


@pytest.fixture
def probe(tmp_path: Path) -> tuple[Flask, Cast]:
    return build_probe_app(tmp_path / "probe")


@dataclass
class IdPool:
    """Real ids by kind; any uuid parameter tries its hinted kind first, then all the others."""

    by_kind: dict[str, list[UUID]]

    def candidates(self, parameter: str) -> list[UUID]:
        name = parameter.lower()
        hinted = [kind for kind, words in ID_HINTS.items() if any(w in name for w in words)]
        ordered = [i for kind in hinted for i in self.by_kind.get(kind, [])]
        ordered += [i for ids in self.by_kind.values() for i in ids]
        return [*dict.fromkeys(ordered), uuid.uuid4()]


def id_pool(app: Flask, cast: Cast) -> IdPool:
    ideation = app.extensions["ideation"]
    idea = ideation.submit_idea(
        cast.member, title="Sensoren für Parkplätze", summary="Freie Plätze in Echtzeit anzeigen."
    )
    return IdPool(
        {
            "department": [row.id for row in ideation.read_models.list_departments()],
            "person": [
                cast.member,
                cast.other_member,
                cast.group_member,
                cast.outsider_group_member,
                cast.auditor,
                cast.coordinator,
                cast.admin,
            ],
            "group": [cast.group],
            "idea": [idea],
        }
    )


# --------------------------------------------------------------------------------------------
# Building URLs from url_map rules
# --------------------------------------------------------------------------------------------


def rules_for(app: Flask, methods: Iterable[str]) -> list[Rule]:
    wanted = set(methods)
    return sorted(
        (rule for rule in app.url_map.iter_rules() if wanted & set(rule.methods or ())),
        key=lambda rule: (rule.rule, rule.endpoint),
    )


def static_files(app: Flask, endpoint: str) -> list[str]:
    """Real files behind a (blueprint) static endpoint, as paths relative to its folder."""
    if endpoint == "static":
        folder = app.static_folder
    else:
        blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
        folder = blueprint.static_folder if blueprint else None
    if not folder or not Path(folder).is_dir():
        return []
    root = Path(folder)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())[:3]


def parameter_values(app: Flask, rule: Rule, name: str, pool: IdPool) -> list[Any]:
    converter = rule._converters.get(name)  # the only way to see the type
    if isinstance(converter, UUIDConverter):
        return pool.candidates(name)
    if isinstance(converter, IntegerConverter):
        return [max(1, converter.min or 1)]
    if isinstance(converter, FloatConverter):
        return [1.0]
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)
    if isinstance(converter, PathConverter) and rule.endpoint.split(".")[-1] == "static":
        return static_files(app, rule.endpoint) or ["x"]
    return ["x"]


def candidate_urls(app: Flask, rule: Rule, pool: IdPool, limit: int = 20) -> Iterator[str]:
    """URLs for `rule`, real ids first; each one is checked to route back to `rule` itself."""
    names = sorted(rule.arguments)
    choices = [parameter_values(app, rule, name, pool) for name in names]
    adapter = app.url_map.bind("localhost")
    # The rule's own method: several rules may share a path (one per method, as in the API).
    method = next(iter(sorted((rule.methods or {"GET"}) - {"HEAD", "OPTIONS"})))
    for combo in itertools.islice(itertools.product(*choices), limit):
        values = {**(rule.defaults or {}), **dict(zip(names, combo, strict=True))}
        built = rule.build(values, append_unknown=False)
        if built is None:
            continue
        path = built[1]
        try:
            matched, _ = adapter.match(path, method=method, return_rule=True)
        except Exception:  # a redirect or 404: this combination does not route here
            continue
        if matched is rule:
            yield path


def first_url(app: Flask, rule: Rule, pool: IdPool) -> str | None:
    return next(candidate_urls(app, rule, pool), None)


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def csp_directives(value: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    return directives


def header_problems(response: TestResponse, *, https: bool) -> list[str]:
    """Everything wrong with one response's headers and body (empty when compliant)."""
    problems = []
    csp = csp_directives(response.headers.get("Content-Security-Policy", ""))
    # 'none' is stricter still (the SVG chart, shown as an image, loads nothing).
    if not {"'self'", "'none'"} & set(csp.get("default-src", [])):
        problems.append("CSP lacks default-src 'self' or 'none'")
    if "'unsafe-inline'" in csp.get("script-src", []) or "'unsafe-eval'" in csp.get(
        "script-src", []
    ):
        problems.append("CSP allows inline or eval scripts")
    for directive in ("object-src", "base-uri", "frame-ancestors"):
        if csp.get(directive) != ["'none'"]:
            problems.append(f"CSP {directive} is {csp.get(directive)!r}, not 'none'")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("X-Content-Type-Options is not nosniff")
    if response.headers.get("Referrer-Policy") != "strict-origin-when-cross-origin":
        problems.append(f"Referrer-Policy is {response.headers.get('Referrer-Policy')!r}")
    if response.mimetype == "text/html":
        if "no-store" not in response.headers.get("Cache-Control", ""):
            problems.append("HTML without Cache-Control: no-store")
        if not response.mimetype_params.get("charset"):
            problems.append("HTML without a charset")
    if https:
        hsts = response.headers.get("Strict-Transport-Security", "")
        age = re.search(r"max-age=(\d+)", hsts)
        if not age or int(age.group(1)) < HSTS_MIN_AGE or "includesubdomains" not in hsts.lower():
            problems.append(f"HSTS over https is {hsts!r}")
    if response.status_code >= 500 and response.status_code != 503:
        problems.append(f"server error {response.status_code}")
    if response.mimetype.startswith("text/") or response.mimetype.endswith("json"):
        leak = LEAK_MARKERS.search(response.get_data(as_text=True))
        if leak:
            problems.append(f"body leaks {leak.group(0)!r}")
    return problems


def assert_generic_german_error(response: TestResponse, status: int, *secrets: str) -> None:
    """The German error page for `status`: right code, German text, no trace, no secrets."""
    assert response.status_code == status
    body = response.get_data(as_text=True)
    assert '<html lang="de">' in body
    assert ERROR_TITLES[status] in body
    assert f"({status})" in body
    leak = LEAK_MARKERS.search(body)
    assert leak is None, f"the {status} page leaks {leak.group(0)!r}"
    for secret in ("SELECT", *secrets):
        assert secret not in body


def off_site_reason(location: str) -> str | None:
    """Why a Location header could leave the site (None if it stays on it)."""
    for form in dict.fromkeys((location, unquote(location))):
        if CONTROL_CHARS.search(form):
            return f"control character in {form!r}"
        seen = BROWSER_STRIPPED.sub("", form)
        parts = urlsplit(seen.replace("\\", "/"))  # browsers read \ as / in http(s) URLs
        if parts.scheme or parts.netloc:
            return f"{form!r} has scheme {parts.scheme!r} / host {parts.netloc!r}"
        if seen.startswith(("//", "/\\", "\\")):
            return f"{form!r} is protocol-relative"
        if not seen.startswith("/"):
            return f"{form!r} is not a path on this site"
    return None


# --------------------------------------------------------------------------------------------
# SEC-1: CSRF on every state-changing route
# --------------------------------------------------------------------------------------------


@dataclass
class CsrfSweep:
    rules: int = 0
    cases: int = 0
    problems: list[str] = field(default_factory=list)


def wrong_token(token: str) -> str:
    head, _, signature = token.rpartition(".")
    wrong = f"{head}.{'A' * len(signature)}"
    assert wrong != token
    return wrong


def csrf_sweep(app: Flask, pool: IdPool) -> CsrfSweep:
    """Send every unsafe rule × method three bad tokens as a signed-in admin."""
    admin = app.test_client()
    assert sign_in(admin, "admin").status_code == 302
    other = app.test_client()
    assert sign_in(other, "koordination").status_code == 302
    own, foreign = csrf_token(admin), csrf_token(other)
    assert own != foreign
    variants = {"no token": None, "wrong token": wrong_token(own), "foreign-session token": foreign}
    recorder = app.extensions["ideation"].recorder
    sweep = CsrfSweep()
    for rule in rules_for(app, UNSAFE_METHODS):
        if rule.endpoint.split(".")[-1] == "static":
            continue
        url = first_url(app, rule, pool)
        if url is None:
            sweep.problems.append(f"{rule.rule} ({rule.endpoint}): no URL could be built")
            continue
        sweep.rules += 1
        for method in sorted(UNSAFE_METHODS & set(rule.methods or ())):
            for variant, token in variants.items():
                data = dict(PLAUSIBLE_FORM)
                if token is not None:
                    data["csrf_token"] = token
                before = recorder.max_notification_id()
                response = admin.open(url, method=method, data=data)
                after = recorder.max_notification_id()
                sweep.cases += 1
                where = f"{method} {url} ({rule.endpoint}) with {variant}"
                if url.startswith(API_ROOT):
                    # The JSON API is exempt from CSRF because it never accepts the cookie:
                    # a browser's request reaches it unauthenticated (401), and a form post to
                    # the public token route is not JSON (415).
                    if response.status_code not in (401, 415):
                        sweep.problems.append(f"{where}: status {response.status_code}")
                elif response.status_code != 400:
                    sweep.problems.append(f"{where}: status {response.status_code}, not 400")
                elif not url.startswith(API_ROOT) and CSRF_TEXT not in response.get_data(
                    as_text=True
                ):
                    sweep.problems.append(f"{where}: 400 without the CSRF page text")
                if after != before:
                    sweep.problems.append(f"{where}: events {before} → {after}")
    # Positive controls: the tokens are real, so the 400s above came from the token check.
    assert admin.get("/").status_code == 200, "the sweep signed the admin out"
    for client, token in ((admin, own), (other, foreign)):
        accepted = client.post("/sprache", data={"locale": "de", "next": "/", "csrf_token": token})
        assert accepted.status_code == 302
    return sweep


def test_every_state_changing_route_rejects_missing_wrong_and_foreign_csrf_tokens(
    web_app: Flask, cast: Cast
) -> None:
    sweep = csrf_sweep(web_app, id_pool(web_app, cast))
    print(f"\nSEC-1: {sweep.rules} unsafe rules, {sweep.cases} (rule × method × variant) cases")
    assert sweep.rules >= 3  # at least /login, /logout and /sprache
    assert not sweep.problems, "\n".join(sweep.problems)


def test_the_csrf_sweep_fails_for_a_route_exempt_from_csrf(tmp_path: Path) -> None:
    app, cast = build_probe_app(tmp_path / "exempt", with_exempt_route=True)
    sweep = csrf_sweep(app, id_pool(app, cast))
    assert sweep.problems
    assert all("/__probe__/ohne-csrf" in problem for problem in sweep.problems)
    assert len(sweep.problems) == 3  # one per variant


# --------------------------------------------------------------------------------------------
# SEC-9: security headers on every response
# --------------------------------------------------------------------------------------------


def test_every_get_route_sends_the_security_headers_anonymously_and_as_admin_over_http_and_https(
    web_app: Flask, cast: Cast
) -> None:
    pool = id_pool(web_app, cast)
    anonymous = web_app.test_client()
    admin = web_app.test_client()
    assert sign_in(admin, "admin").status_code == 302
    recorder = web_app.extensions["ideation"].recorder
    before = recorder.max_notification_id()
    problems: list[str] = []
    checked = 0
    rules = rules_for(web_app, {"GET"})
    for rule in rules:
        # As admin, try real ids until the page exists; the same URL then goes to everyone.
        url = None
        for candidate in candidate_urls(web_app, rule, pool):
            url = candidate
            response = admin.get(candidate)
            checked += 1
            problems += [
                f"admin GET {candidate} → {response.status_code}: {p}"
                for p in header_problems(response, https=False)
            ]
            if response.status_code != 404:
                break
        if url is None:
            problems.append(f"{rule.rule} ({rule.endpoint}): no URL could be built")
            continue
        for who, client, https in (
            ("anonymous", anonymous, False),
            ("anonymous", anonymous, True),
            ("admin", admin, True),
        ):
            response = client.get(url, base_url=HTTPS) if https else client.get(url)
            checked += 1
            scheme = "https" if https else "http"
            problems += [
                f"{who} {scheme} GET {url} → {response.status_code}: {p}"
                for p in header_problems(response, https=https)
            ]
    assert admin.get("/").status_code == 200, "a GET page signed the admin out"
    assert recorder.max_notification_id() == before, "a GET request recorded events"
    print(f"\nSEC-9: {len(rules)} GET rules, {checked} responses checked")
    assert not problems, "\n".join(problems)


def form_body(data: dict[str, str], size: int) -> bytes:
    """A urlencoded form of exactly `size` bytes (padded in a dummy field)."""
    body = urlencode({**data, "pad": ""})
    assert len(body) <= size
    return (body + "x" * (size - len(body))).encode()


def test_error_responses_and_static_files_send_the_security_headers_too(
    web_app: Flask, cast: Cast, probe: tuple[Flask, Cast]
) -> None:
    probe_app, _ = probe
    responses: list[tuple[str, int, TestResponse, bool]] = []

    def check(label: str, status: int, client: FlaskClient, path: str, **kwargs: Any) -> None:
        for https in (False, True):
            extra = {"base_url": HTTPS, "headers": {"Referer": f"{HTTPS}/login"}} if https else {}
            responses.append((label, status, client.open(path, **kwargs, **extra), https))

    anonymous = web_app.test_client()
    admin = web_app.test_client()
    assert sign_in(admin, "admin").status_code == 302
    probe_admin = probe_app.test_client()
    assert sign_in(probe_admin, "admin").status_code == 302

    for client in (anonymous, admin):
        check("404 unknown path", 404, client, "/gibt-es-nicht")
        check("405 GET on a POST route", 405, client, "/logout")
        check("405 DELETE on a GET route", 405, client, "/barrierefreiheit", method="DELETE")
        check("400 CSRF failure", 400, client, "/sprache", method="POST", data={"locale": "en"})
        check("static file", 200, client, "/static/css/site.css")
    token = csrf_token(anonymous)
    wrong = {"username": "tim", "password": "falsch-falsch", "csrf_token": token}
    check("401 wrong password", 401, anonymous, "/login", method="POST", data=wrong)
    for _ in range(6):
        anonymous.post("/login", data=wrong)
    check("429 throttled login", 429, anonymous, "/login", method="POST", data=wrong)
    too_large = form_body({"locale": "en"}, 1001)
    check(
        "413 too large",
        413,
        probe_app.test_client(),
        "/sprache",
        method="POST",
        data=too_large,
        content_type="application/x-www-form-urlencoded",
    )
    check("403 forbidden", 403, probe_admin, "/__probe__/verboten")
    check("500 unexpected error", 500, probe_admin, "/__probe__/kaputt")

    problems = []
    for label, status, response, https in responses:
        where = f"{label} ({'https' if https else 'http'}) → {response.status_code}"
        if response.status_code != status:
            problems.append(f"{where}: expected {status}")
        # A 500 is expected here; everything else about it must still be right.
        found = header_problems(response, https=https)
        problems += [f"{where}: {p}" for p in found if not p.startswith("server error 500")]
    print(f"\nSEC-9: {len(responses)} error/static responses checked")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------------------------
# SEC-13: open redirect via `next`
# --------------------------------------------------------------------------------------------

NEXT_PAYLOADS = [
    "//evil",
    "https:evil",
    "\\\\evil",
    "/\\evil",
    "%2F%2Fevil",
    "%5C%5Cevil",
    "/%2F/evil",
    "https://evil.example",
    "http:/evil",
    "javascript:alert(1)",
    "data:text/html,x",
    "//evil%00",
    "/\tevil",
    "///evil",
    "\\/evil",
    "/.//evil",
    "ht\ntp://evil",
    "%68ttps://evil",
    "@evil",
    "evil.example",
]


def test_the_redirect_check_itself_flags_foreign_locations() -> None:
    for foreign in ("//evil", "/\\evil", "https://evil", "/%2F/evil", "/\t/evil", "evil"):
        assert off_site_reason(foreign) is not None
    assert off_site_reason("/barrierefreiheit?x=1") is None


@pytest.mark.parametrize("target", NEXT_PAYLOADS, ids=repr)
def test_the_login_form_never_redirects_off_site(
    client: FlaskClient, cast: Cast, target: str
) -> None:
    response = sign_in(client, "tim", next_url=target)
    assert response.status_code == 302
    assert off_site_reason(response.headers["Location"]) is None


@pytest.mark.parametrize("target", NEXT_PAYLOADS, ids=repr)
def test_the_language_switch_never_redirects_off_site(client: FlaskClient, target: str) -> None:
    token = csrf_token(client)
    response = client.post("/sprache", data={"locale": "de", "next": target, "csrf_token": token})
    assert response.status_code == 302
    assert off_site_reason(response.headers["Location"]) is None


def test_a_next_on_this_site_is_still_followed(client: FlaskClient, cast: Cast) -> None:
    token = csrf_token(client)
    switched = client.post(
        "/sprache", data={"locale": "de", "next": "/barrierefreiheit?x=1", "csrf_token": token}
    )
    assert switched.headers["Location"] == "/barrierefreiheit?x=1"
    assert sign_in(client, "tim", next_url="/?x=1").headers["Location"] == "/?x=1"


# --------------------------------------------------------------------------------------------
# SEC-10 and SEC-11: limits and error pages
# --------------------------------------------------------------------------------------------


def test_a_csrf_failure_shows_the_german_400_page(client: FlaskClient) -> None:
    response = client.post("/sprache", data={"locale": "en", "next": "/"})
    assert_generic_german_error(response, 400)
    assert CSRF_TEXT in response.text


def test_a_member_gets_the_german_403_page_on_every_admin_page(
    web_app: Flask, cast: Cast, client: FlaskClient
) -> None:
    admin_rules = [
        rule
        for rule in rules_for(web_app, {"GET"})
        if rule.endpoint.startswith("admin.") or rule.rule.startswith("/admin")
    ]
    if not admin_rules:
        pytest.skip("403: no admin GET route in url_map yet (blueprint 'admin' not registered)")
    pool = id_pool(web_app, cast)
    assert sign_in(client, "tim").status_code == 302
    for rule in admin_rules:
        url = first_url(web_app, rule, pool)
        assert url is not None, rule.rule
        assert_generic_german_error(client.get(url), 403)
    print(f"\nSEC-11: {len(admin_rules)} admin pages refused a member with 403")


def test_a_forbidden_request_shows_the_german_403_page(probe: tuple[Flask, Cast]) -> None:
    app, _ = probe
    client = app.test_client()
    assert sign_in(client, "tim").status_code == 302
    assert_generic_german_error(client.get("/__probe__/verboten"), 403)


def test_an_unknown_path_shows_the_german_404_page(member_client: FlaskClient) -> None:
    assert_generic_german_error(member_client.get("/gibt-es-nicht"), 404)
    assert_generic_german_error(member_client.get(f"/static/{uuid.uuid4()}.css"), 404)


def test_a_wrong_method_shows_the_german_405_page(member_client: FlaskClient) -> None:
    assert_generic_german_error(member_client.get("/logout"), 405)
    assert_generic_german_error(member_client.put("/"), 405)


def test_one_byte_over_the_limit_gets_the_german_413_page_at_once(
    probe: tuple[Flask, Cast],
) -> None:
    app, _ = probe
    client = app.test_client()
    token = csrf_token(client)
    fields = {"locale": "de", "next": "/", "csrf_token": token}
    form = {"content_type": "application/x-www-form-urlencoded"}
    at_limit = client.post("/sprache", data=form_body(fields, 1000), **form)
    assert at_limit.status_code == 302
    started = time.perf_counter()
    over = client.post("/sprache", data=form_body(fields, 1001), **form)
    assert time.perf_counter() - started < 1
    assert_generic_german_error(over, 413)


def test_repeated_failed_logins_get_the_german_429_page(client: FlaskClient, cast: Cast) -> None:
    statuses = [sign_in(client, "berta", "falsch-falsch").status_code for _ in range(10)]
    assert 429 in statuses
    response = sign_in(client, "berta", "falsch-falsch")
    assert response.status_code == 429
    assert '<html lang="de">' in response.text
    assert "Zu viele fehlgeschlagene Anmeldungen" in response.text
    assert int(response.headers["Retry-After"]) > 0
    assert LEAK_MARKERS.search(response.text) is None


def test_an_unexpected_exception_shows_the_german_500_page_without_a_trace(
    probe: tuple[Flask, Cast], caplog: pytest.LogCaptureFixture
) -> None:
    app, _ = probe
    client = app.test_client()
    assert sign_in(client, "admin").status_code == 302
    response = client.get("/__probe__/kaputt")
    assert_generic_german_error(response, 500, LEAKY_MESSAGE, app.config["SECRET_KEY"])
    assert "RuntimeError" not in response.text
    assert any(record.exc_info for record in caplog.records), "the error was not logged"


def test_the_werkzeug_debugger_is_unreachable(web_app: Flask, member_client: FlaskClient) -> None:
    assert web_app.debug is False
    assert member_client.get("/console").status_code == 404
    probe = member_client.get("/?__debugger__=yes&cmd=resource&f=debugger.js")
    assert "__debugger__" not in probe.text
    assert "CONSOLE_MODE" not in probe.text
