"""SEC-7 for the pages and the raw request: hypothesis fuzzes every form, and broken bytes.

Every POST rule of `app.url_map` outside /api is a form route. Which fields each one reads is
taken from the forms the app itself renders (a crawl of its GET pages as a person holding every
role); a route no page offers right now gets the union of all field names. Hypothesis then
posts generated values with a valid CSRF token: unicode text with control characters, huge
strings up to the size limit and past it, numbers, dates in several spellings, lists where one
value is expected, missing and extra fields, urlencoded or multipart, mostly signed in as the
fuzzer, sometimes anonymously. The raw-byte part sends random bodies with random or wrong
content types to the forms and the JSON API, broken JSON and multipart, and paths and query
strings with bad percent-encoding (and raw bytes, as a server hands them on).

Every response must be below 500, and no exception may be logged (the app's catch-all handler
logs one with a traceback before its 500 page). Counts: `scaled(CI, long)`; together with
tests/reliability/test_api_fuzz.py (about 7,500 requests) a CI run sends over 10,000.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import logging
import string
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import UUID

import pytest
from flask import Flask, got_request_exception, url_for
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule
from werkzeug.routing.converters import IntegerConverter, UUIDConverter

from ideation.config import Settings
from ideation.domain.actor import GRANTABLE_ROLES
from ideation.entrypoints.flask_app import create_app
from tests.conftest import make_cast, scaled
from tests.functional.conftest import PASSWORD, csrf_token, sign_in

FUZZER = "formfuzz"
# The default request limit (413 beyond).
SIZE_LIMIT = next(f.default for f in fields(Settings) if f.name == "max_request_bytes")
# 2,950 requests in CI: with test_api_fuzz.py's 7,501 a CI run sends about 10,450.
FORM_REQUESTS = scaled(400, 2_000)
ANONYMOUS_REQUESTS = scaled(300, 1_500)
RAW_REQUESTS = scaled(1_400, 7_000)
ENCODING_REQUESTS = scaled(850, 4_250)
# Raw-byte requests per hypothesis example: its bookkeeping costs about as much as one.
PER_EXAMPLE = 2
# Routes that end the fuzzer's session when they work: sign in again after them.
SIGNS_OUT = frozenset({"auth.logout", "profile.end_all_sessions", "profile.change_password"})


# -- the app, its city and a person with every role --------------------------------------------


@dataclass
class Tally:
    """Requests sent, statuses seen and everything that went wrong, for the whole module."""

    forms: int = 0
    raw: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)

    def note(self, kind: str, where: str, status: int) -> None:
        """Count one response; a 5xx is a finding."""
        if kind == "raw":
            self.raw += 1
        else:
            self.forms += 1
        self.statuses[status] += 1
        if status >= 500:
            self.server_errors.append(f"{status} for {where}")


class ErrorRecords(logging.Handler):
    """Keeps every log record of level ERROR or above (the catch-all handler logs there)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class FuzzSite:
    """The app, its ids, the forms it renders and the clients that send the requests."""

    app: Flask
    fuzzer: UUID
    ids: dict[str, list[UUID]]
    forms: dict[str, list[FormSpec]]
    signed_in: FlaskClient
    anonymous: FlaskClient
    bare: FlaskClient  # sends no cookie: for the API with a bearer token
    tokens: dict[int, str]  # id(client) → its CSRF token
    api_token: str
    raw_targets: list[tuple[str, str]]  # (method, url) of every form route and API body route
    url_targets: list[tuple[str, str]]  # (method, url) of every route
    tally: Tally
    errors: ErrorRecords

    def sign_in_again(self) -> None:
        """A fresh session and API token for the fuzzer after a route that ended them."""
        self.signed_in = self.app.test_client()
        assert sign_in(self.signed_in, FUZZER).status_code == 302
        self.tokens[id(self.signed_in)] = csrf_token(self.signed_in)
        self.api_token = self.app.extensions["ideation"].issue_token(FUZZER, PASSWORD).token

    def unhandled(self, sender: Flask, exception: Exception, **extra: Any) -> None:
        """Note an exception no error handler took (got_request_exception)."""
        self.tally.exceptions.append(f"got_request_exception: {exception!r}")

    def client(self, anonymous: bool) -> FlaskClient:
        """The anonymous client or the fuzzer's."""
        return self.anonymous if anonymous else self.signed_in

    def token(self, client: FlaskClient) -> str:
        """The valid CSRF token of a client's session."""
        return self.tokens[id(client)]

    def check(self, kind: str, where: str, response: Any) -> None:
        """Count the response and collect any logged exception with where it came from."""
        self.tally.note(kind, where, response.status_code)
        if self.errors.records:
            for record in self.errors.records:
                self.tally.exceptions.append(f"{where}: {record.getMessage()} {record.exc_info}")
            self.errors.records.clear()


def seed(app: Flask) -> tuple[UUID, dict[str, list[UUID]]]:
    """The test city, the fuzzer with every role and an object of each kind; (fuzzer, ids)."""
    ideation = app.extensions["ideation"]
    cast = make_cast(ideation)
    fuzzer = ideation.register_person(
        cast.admin, "Fritz Formular", "fritz@example.org", cast.mobility, list(GRANTABLE_ROLES)
    )
    ideation.create_account(cast.admin, fuzzer, FUZZER, PASSWORD)
    version = ideation.get_working_group(cast.group).version
    ideation.add_working_group_member(cast.coordinator, cast.group, version, fuzzer)

    def idea_version(idea: UUID) -> int:
        return ideation.get_idea(idea).version

    ideas = [
        ideation.submit_idea(fuzzer, title=f"Idee {n}", summary="Kurz beschrieben")
        for n in range(3)
    ]
    accepted = ideation.submit_idea(cast.member, title="Grüne Welle", summary="Ampeln")
    ideation.assess_idea(
        cast.coordinator,
        accepted,
        idea_version(accepted),
        impact=4,
        effort=2,
        expected_weeks=8,
        rationale="Wirkt schnell",
    )
    ideation.assign_idea_to_working_group(
        cast.coordinator, accepted, idea_version(accepted), cast.group
    )
    ideation.recommend(cast.group_member, accepted, idea_version(accepted), "accept", "Gut")
    measure = ideation.accept_idea(cast.coordinator, accepted, idea_version(accepted), "Passt")
    ideation.comment_on_idea(fuzzer, ideas[0], idea_version(ideas[0]), "Ein Kommentar")
    comment = ideation.get_idea(ideas[0]).comments[0].comment_id
    today = dt.date.today()
    session = ideation.plan_exchange_session(
        fuzzer, kind="online_qa", scheduled_on=today, topic="Fragestunde", host_person_id=fuzzer
    )
    pilot = ideation.nominate_pilot(fuzzer, cast.member, "Kennt sich aus", None)
    faction = ideation.register_faction(fuzzer, "Fraktion A", "FA")
    political_round = ideation.plan_political_round(
        fuzzer, scheduled_on=today, title="Runde eins", invited_faction_ids=[faction]
    )
    token = ideation.create_personal_token(fuzzer, "Skript")
    return fuzzer, {
        "idea_id": [*ideas, accepted],
        "comment_id": [comment],
        "measure_id": [measure],
        "group_id": [cast.group],
        "department_id": [cast.mobility, cast.citizens],
        # Never the fuzzer: deactivating or erasing itself would end the run's permissions.
        "person_id": [cast.member, cast.group_member, cast.other_member],
        "session_id": [session],
        "pilot_id": [pilot],
        "faction_id": [faction],
        "round_id": [political_round],
        "token_id": [token.id],
    }


# -- the forms the app renders -----------------------------------------------------------------


@dataclass
class FieldSpec:
    """One named field of a rendered form: its kind and the values the page offers."""

    kind: str  # text, textarea, select, checkbox, hidden, password, …
    offered: list[str] = field(default_factory=list)


@dataclass
class FormSpec:
    """A rendered POST form: where it goes and its fields (the CSRF token aside)."""

    action: str
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    rendered: bool = True  # False: made up for a route no page offers now


class FormReader(HTMLParser):
    """Collects the POST forms of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[FormSpec] = []
        self._form: FormSpec | None = None
        self._select: FieldSpec | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {k: v or "" for k, v in attrs}
        if tag == "form":
            post = named.get("method", "").lower() == "post"
            self._form = FormSpec(named.get("action", "")) if post else None
            if self._form is not None:
                self.forms.append(self._form)
            return
        if self._form is None or not named.get("name") or named["name"] == "csrf_token":
            return
        name = named["name"]
        if tag in ("input", "button"):
            kind = named.get("type", "text").lower()
            spec = self._form.fields.setdefault(name, FieldSpec(kind))
            if named.get("value"):
                spec.offered.append(named["value"])
        elif tag == "textarea":
            self._form.fields.setdefault(name, FieldSpec("textarea"))
        elif tag == "select":
            self._select = self._form.fields.setdefault(name, FieldSpec("select"))
        if tag == "option" and self._select is not None:
            self._select.offered.append(named.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def rule_urls(app: Flask, rule: Rule, ids: dict[str, list[UUID]]) -> list[str]:
    """URLs of a rule with every combination of real ids (at most 12)."""
    names = sorted(rule.arguments)
    choices = []
    for name in names:
        converter = rule._converters[name]  # the only way to see the type
        if isinstance(converter, UUIDConverter):
            choices.append(ids.get(name) or [uuid.uuid4()])
        elif isinstance(converter, IntegerConverter):
            choices.append([0, 1])
        else:
            choices.append(sorted(getattr(converter, "items", ["x"])))
    urls = []
    with app.test_request_context():
        for combo in itertools.islice(itertools.product(*choices), 12):
            urls.append(url_for(rule.endpoint, **dict(zip(names, combo, strict=True))))
    return urls


def rendered_forms(app: Flask, client: FlaskClient, ids: dict[str, list[UUID]]) -> list[FormSpec]:
    """Every POST form on every GET page outside the API."""
    forms: list[FormSpec] = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.rule.startswith(("/api/", "/static/")):
            continue
        if rule.endpoint.endswith(("pdf", "csv", "jsonl", "json", "svg", "atom", "feed")):
            continue
        for url in rule_urls(app, rule, ids)[:3]:
            response = client.get(url)
            if response.mimetype == "text/html":
                reader = FormReader()
                reader.feed(response.get_data(as_text=True))
                forms += reader.forms
    return forms


def form_routes(app: Flask, ids: dict[str, list[UUID]], forms: list[FormSpec]) -> dict[str, Any]:
    """Every POST rule outside the API with the forms that post to it (or a made-up one)."""
    adapter = app.url_map.bind("localhost")
    by_endpoint: dict[str, list[FormSpec]] = {}
    for form in forms:
        try:
            endpoint, _ = adapter.match(form.action.split("?")[0], method="POST")
        except Exception:  # a form of another method or an outside address
            continue
        by_endpoint.setdefault(endpoint, []).append(form)
    every_field = {name: spec for form in forms for name, spec in form.fields.items()}
    routes: dict[str, list[FormSpec]] = {}
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()) or rule.rule.startswith("/api/"):
            continue
        found = by_endpoint.get(rule.endpoint)
        if not found:
            # No page offers this form right now: every field name any form has.
            found = [FormSpec(url, dict(every_field), False) for url in rule_urls(app, rule, ids)]
        routes[rule.endpoint] = found
    return routes


def build_site(instance: Path, *, with_forms: bool = True) -> FuzzSite:
    """The app with the city, its forms (unless not needed), clients, a token and the tally."""
    app = create_app(
        {
            "IDEATION_INSTANCE_PATH": str(instance),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
            # The limits answer 429, tested on their own; here they would only hide the forms.
            "RATELIMIT_ENABLED": False,
            "API_RATE_LIMIT": "1000000 per minute",
        }
    )
    fuzzer, ids = seed(app)
    signed_in, anonymous = app.test_client(), app.test_client()
    assert sign_in(signed_in, FUZZER).status_code == 302
    forms = form_routes(app, ids, rendered_forms(app, signed_in, ids)) if with_forms else {}
    errors = ErrorRecords()
    logging.getLogger().addHandler(errors)
    site = FuzzSite(
        app,
        fuzzer,
        ids,
        forms,
        signed_in,
        anonymous,
        app.test_client(),
        {id(signed_in): csrf_token(signed_in), id(anonymous): csrf_token(anonymous)},
        app.extensions["ideation"].issue_token(FUZZER, PASSWORD).token,
        [("POST", form.action) for found in forms.values() for form in found]
        + api_targets(app, ids),
        every_url(app, ids),
        Tally(),
        errors,
    )
    got_request_exception.connect(site.unhandled, app)
    return site


def close_site(site: FuzzSite) -> None:
    """Stop listening and close the store."""
    got_request_exception.disconnect(site.unhandled, site.app)
    logging.getLogger().removeHandler(site.errors)
    ideation = site.app.extensions["ideation"]
    ideation.close()
    ideation.directory.engine.dispose()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzSite]:
    """One app for all the fuzzing: state one test builds up meets the next."""
    fuzz = build_site(tmp_path_factory.mktemp("formfuzz") / "instance")
    started = time.perf_counter()
    yield fuzz
    tally = fuzz.tally
    print(
        f"\nSEC-7 forms: {tally.forms} requests, {tally.raw} raw-byte requests, "
        f"{len(tally.server_errors)} 5xx ({len(fuzz.forms)} form routes, "
        f"{time.perf_counter() - started:.1f} s; statuses {dict(sorted(tally.statuses.items()))})"
    )
    close_site(fuzz)


@pytest.fixture(scope="module")
def fresh_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzSite]:
    """An app no fuzzing has touched, for the pinned-down findings."""
    fresh = build_site(tmp_path_factory.mktemp("findings") / "instance", with_forms=False)
    yield fresh
    close_site(fresh)


FUZZ_SETTINGS = {
    "deadline": None,
    "database": None,
    "derandomize": False,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
}


def assert_clean(site: FuzzSite) -> None:
    """No 5xx and no logged exception so far."""
    assert site.tally.server_errors == [], "\n".join(site.tally.server_errors[:20])
    assert site.tally.exceptions == [], "\n".join(site.tally.exceptions[:20])


# -- generated values --------------------------------------------------------------------------

EDGE_TEXTS = (
    "",
    " ",
    "\x00",
    "\r\n",
    "\t \u00a0\u2028",
    "0",
    "-1",
    "1e309",
    "NaN",
    "-0",
    "99999999999999999999999",
    "1.5",
    "true",
    "null",
    "[]",
    "{}",
    "y",
    "on",
    "ÄÖÜß äöü",
    "\u202egnp.exe",
    "😀" * 3,
    "\ud7ff\ue000\uffff",
    "%00",
    "%",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "2026-02-30",
    "31.12.9999",
    "0001-01-01",
    "2026-13-01",
    "1.1.1",
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
)


def dates() -> st.SearchStrategy[str]:
    """Days in the formats the forms read, and nearly."""
    spellings = st.sampled_from(("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%m/%d/%Y", "%Y%m%d"))
    return st.tuples(st.dates(), spellings).map(lambda pair: pair[0].strftime(pair[1]))


def texts() -> st.SearchStrategy[str]:
    """Anything a person, a script or an attacker might type into a field."""
    return st.one_of(
        st.text(max_size=40),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=120),
        st.text(alphabet=string.printable, max_size=40),
        st.sampled_from(EDGE_TEXTS),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        dates(),
        st.uuids().map(str),
    )


def huge_texts() -> st.SearchStrategy[str]:
    """Texts past every field's maximum, up to just under and just over the request limit."""
    sizes = st.sampled_from((5_001, 20_001, 50_001, SIZE_LIMIT // 2, SIZE_LIMIT - 5_000))
    over = st.just(SIZE_LIMIT + 1)  # 413 before any form code runs
    return st.tuples(st.one_of(sizes, sizes, over), st.sampled_from("xä<\x00 ")).map(
        lambda pair: pair[1] * pair[0]
    )


TEXTS = texts()
HUGE_TEXTS = huge_texts()
EXTRA_FIELDS = st.dictionaries(st.text(min_size=1, max_size=12), TEXTS, max_size=2)


@functools.cache
def field_values(offered: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """One field's value: what the page offers or generated text, sometimes several values
    where one is expected (built once per set of offered values: building costs time)."""
    plain = st.one_of(st.sampled_from(offered), TEXTS) if offered else TEXTS
    return st.one_of(plain, plain, plain, plain, st.lists(plain, min_size=2, max_size=3))


@st.composite
def submissions(
    draw: st.DrawFn, site: FuzzSite, exclude: tuple[str, ...] = ()
) -> tuple[str, str, dict[str, Any], str]:
    """(endpoint, url, fields, encoding) of one generated form submission."""
    endpoint = draw(st.sampled_from(sorted(set(site.forms) - set(exclude))))
    form = draw(st.sampled_from(site.forms[endpoint]))
    names = sorted(form.fields)
    if not form.rendered:  # a made-up form: some of the names any form has
        names = draw(st.lists(st.sampled_from(names), max_size=8, unique=True))
    fields: dict[str, Any] = {}
    for name in names:
        if draw(st.integers(0, 9)) == 5:
            continue  # a missing field
        fields[name] = draw(field_values(tuple(form.fields[name].offered)))
    extra = draw(EXTRA_FIELDS)
    fields.update({k: v for k, v in extra.items() if k not in fields})
    # Now and then one field far past its maximum, or the whole request past the limit; from
    # the middle of the list, as hypothesis favours its ends.
    if fields and draw(st.sampled_from([False] * 15 + [True] + [False] * 14)):
        fields[draw(st.sampled_from(sorted(fields)))] = draw(HUGE_TEXTS)
    encoding = draw(st.sampled_from(("urlencoded", "urlencoded", "multipart")))
    return endpoint, form.action, fields, encoding


def send_form(
    site: FuzzSite, anonymous: bool, endpoint: str, url: str, fields: dict[str, Any], encoding: str
) -> None:
    """Post one generated form with the client's valid CSRF token."""
    client = site.client(anonymous)
    data = {**fields, "csrf_token": site.token(client)}
    options = {"content_type": "multipart/form-data"} if encoding == "multipart" else {}
    response = client.post(url, data=data, **options)
    who = "anonymous" if anonymous else "fuzzer"
    site.check("form", f"{who} POST {url} ({encoding}, fields {sorted(fields)[:8]})", response)
    if not anonymous and endpoint in SIGNS_OUT:
        site.sign_in_again()


def test_no_generated_form_submission_by_a_person_with_every_role_fails_on_the_server(
    site: FuzzSite,
) -> None:
    @given(submission=submissions(site, exclude=("auth.login",)))
    @settings(max_examples=FORM_REQUESTS, **FUZZ_SETTINGS)
    def fuzz(submission: tuple[str, str, dict[str, Any], str]) -> None:
        send_form(site, False, *submission)

    fuzz()
    assert_clean(site)
    # Still signed in with every role: the requests above reached the forms, not the login.
    assert site.signed_in.get("/profil").status_code == 200


def test_no_generated_form_submission_without_signing_in_fails_on_the_server(
    site: FuzzSite,
) -> None:
    @given(submission=submissions(site))
    @settings(max_examples=ANONYMOUS_REQUESTS, **FUZZ_SETTINGS)
    def fuzz(submission: tuple[str, str, dict[str, Any], str]) -> None:
        send_form(site, True, *submission)

    fuzz()
    assert_clean(site)


# -- raw bytes ---------------------------------------------------------------------------------

CONTENT_TYPES = (
    None,
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-16",
    "multipart/form-data",
    "multipart/form-data; boundary=grenze",
    "multipart/form-data; boundary=",
    "application/json",
    "application/json; charset=latin-1",
    "application/merge-patch+json",
    "text/plain",
    "text/html",
    "application/xml",
    "application/octet-stream",
    "image/png",
    ";;;",
    "application/x-www-form-urlencoded\x00",
)
BROKEN_JSON = (
    b"{",
    b"[",
    b"",
    b"nul",
    b'{"title": ',
    b'{"title": "x",}',
    b'{"a": 1}{"b": 2}',
    b'"\\ud800"',
    b'{"title": "\\ud800\\udfff\\ud800"}',
    b'{"expected_version": 1e400}',
    b'{"expected_version": NaN}',
    b'{"expected_version": 123456789012345678901234567890}',
    b"-",
    b"1e999999",
    b"\xef\xbb\xbf{}",
    b"\xff\xfe{\x00}\x00",
    b"[" * 100_000,
    b"[" * 5_000 + b"]" * 5_000,
    b'{"a":' * 50_000,
    b'{"' + b"a" * 100_000 + b'": 1}',
)


def broken_multipart() -> st.SearchStrategy[bytes]:
    """Multipart bodies that end early, mismatch their boundary or carry odd parts."""
    part = b'--grenze\r\nContent-Disposition: form-data; name="title"\r\n\r\nWert\r\n'
    upload = (
        b'--grenze\r\nContent-Disposition: form-data; name="summary"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n\x00\xff\r\n"
    )
    return st.sampled_from(
        (
            part,  # never closed
            part + b"--grenze--\r\n",
            part.replace(b"--grenze", b"--andere") + b"--andere--\r\n",
            b"--grenze\r\nContent-Disposition: form-data\r\n\r\nohne Namen\r\n--grenze--\r\n",
            b"--grenze\r\n\r\n\r\n--grenze--",
            upload + b"--grenze--\r\n",
            part * 2_000 + b"--grenze--\r\n",  # more parts than werkzeug's limit
            b'--grenze\r\nContent-Disposition: form-data; name="x"\r\n' + b"X: y\r\n" * 500,
        )
    )


@st.composite
def raw_requests(draw: st.DrawFn, site: FuzzSite) -> tuple[str, str, bytes, str | None, bool]:
    """(method, url, body, content type, with token) of a request with a broken body."""
    method, url = draw(st.sampled_from(site.raw_targets))
    api = url.startswith("/api/")
    prefix = b""
    if not api and draw(st.booleans()):
        # A valid token first, so the broken rest reaches the form code.
        prefix = f"csrf_token={site.token(site.signed_in)}&".encode()
    bodies = [st.binary(max_size=2_000), broken_multipart(), st.sampled_from(BROKEN_JSON)]
    bodies.append(st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
    if api:  # mostly what the API reads, so the broken JSON reaches its parser
        bodies += [st.sampled_from(BROKEN_JSON)] * 3
    body = prefix + draw(st.one_of(bodies))
    types = CONTENT_TYPES + (("application/json",) * 8 if api else ())
    content_type = draw(st.sampled_from(types))
    with_token = draw(st.sampled_from((True, True, True, False))) if api else draw(st.booleans())
    return method, url, body, content_type, with_token


def api_targets(app: Flask, ids: dict[str, list[UUID]]) -> list[tuple[str, str]]:
    """(method, url) of every API rule that takes a body, with real ids."""
    targets = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        for method in sorted((rule.methods or set()) & {"POST", "PATCH", "PUT", "DELETE"}):
            targets += [(method, url) for url in rule_urls(app, rule, ids)[:2]]
    return targets


def every_url(app: Flask, ids: dict[str, list[UUID]]) -> list[tuple[str, str]]:
    """(method, url) of every rule but the static files and PDFs, with real ids."""
    targets = []
    for rule in app.url_map.iter_rules():
        # The PDFs read no query string and take about a second each to draw.
        if rule.endpoint == "static" or rule.rule.endswith(".pdf"):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            targets += [(method, url) for url in rule_urls(app, rule, ids)[:1]]
    return targets


def test_no_random_or_broken_body_fails_on_the_server_at_a_form_or_the_api(
    site: FuzzSite,
) -> None:
    @given(requests=st.lists(raw_requests(site), min_size=PER_EXAMPLE, max_size=PER_EXAMPLE))
    @settings(max_examples=RAW_REQUESTS // PER_EXAMPLE, **FUZZ_SETTINGS)
    def fuzz(requests: list[tuple[str, str, bytes, str | None, bool]]) -> None:
        for method, url, body, content_type, with_token in requests:
            headers = {"Authorization": f"Bearer {site.api_token}"} if with_token else {}
            client = site.bare if url.startswith("/api/") else site.client(not with_token)
            response = client.open(
                url, method=method, data=body, content_type=content_type, headers=headers
            )
            where = f"{method} {url} ({content_type!r}, {len(body)} bytes: {body[:60]!r})"
            site.check("raw", where, response)

    fuzz()
    assert_clean(site)


# -- bad percent-encoding and raw bytes in paths and query strings -------------------------------

PERCENT_JUNK = (
    "%",
    "%z",
    "%zz",
    "%E2%9F",
    "%C0%AF",
    "%00",
    "%2F",
    "%2e%2e",
    "%ff%fe",
    "%u0041",
    "%%",
    "%0d%0a",
    "..",
    "",
    "\x00",
    "\xff\xfe",
    "\xc3\x28",
)
QUERY_JUNK = (
    "q=%",
    "q=%E2%9F",
    "%zz=1",
    "page=%00",
    "page=-1",
    "page=99999999999999999999",
    "page=1e3",
    "a=1&&&=&",
    "=",
    "&",
    "date=%ff",
    "date=0000-00-00",
    "from=9999-12-31&to=0001-01-01",
    "next=%0d%0aLocation:%20//evil",
    "limit=-1&offset=%",
    "older=1&newer=99999999999999999999999",
    "version=0",
    "at=2026-13-45T99:99",
)


def latin1(data: bytes) -> str:
    """Bytes as a WSGI server hands them on in PATH_INFO or QUERY_STRING."""
    return data.decode("latin-1")


@st.composite
def odd_urls(draw: st.DrawFn, site: FuzzSite) -> tuple[str, str, str, bool]:
    """(method, PATH_INFO, QUERY_STRING, with token) with broken encodings."""
    method, url = draw(st.sampled_from(site.url_targets))
    junk = draw(st.one_of(st.sampled_from(PERCENT_JUNK), st.binary(max_size=12).map(latin1)))
    segments = url.split("/")
    where = draw(st.integers(0, len(segments) - 1))
    mutation = draw(st.sampled_from(("segment", "append", "keep")))
    if mutation == "segment":
        segments[where] = junk
    elif mutation == "append":
        segments[where] += junk
    path = "/".join(segments) or "/"
    query = draw(
        st.one_of(
            st.sampled_from(QUERY_JUNK),
            st.binary(max_size=120).map(latin1),
            st.tuples(st.sampled_from(QUERY_NAMES), st.sampled_from(PERCENT_JUNK)).map("=".join),
            st.tuples(st.sampled_from(QUERY_NAMES), TEXTS).map(
                lambda pair: f"{pair[0]}={quote(pair[1], safe='')}"
            ),
        )
    )
    return method, path, query, draw(st.booleans())


# Names the GET forms and the API read from the query string.
QUERY_NAMES = (
    "q",
    "page",
    "stage",
    "department",
    "theme",
    "quick_win",
    "group",
    "sort",
    "status",
    "blocked",
    "date",
    "date_from",
    "date_to",
    "from",
    "to",
    "version",
    "at",
    "older",
    "newer",
    "kind",
    "order",
    "person",
    "role",
    "object_type",
    "event",
    "next",
    "title",
    "summary",
    "limit",
    "offset",
    "cursor",
)


def test_no_path_or_query_with_bad_percent_encoding_or_raw_bytes_fails_on_the_server(
    site: FuzzSite,
) -> None:
    @given(requests=st.lists(odd_urls(site), min_size=PER_EXAMPLE, max_size=PER_EXAMPLE))
    @settings(max_examples=ENCODING_REQUESTS // PER_EXAMPLE, **FUZZ_SETTINGS)
    def fuzz(requests: list[tuple[str, str, str, bool]]) -> None:
        for method, path, query, with_token in requests:
            headers = {"Authorization": f"Bearer {site.api_token}"} if with_token else {}
            response = site.client(not with_token).open(
                "/",
                method=method,
                headers=headers,
                environ_overrides={"PATH_INFO": path, "QUERY_STRING": query},
            )
            site.check("raw", f"{method} {path!r} ?{query!r}", response)

    fuzz()
    assert_clean(site)


# -- what the fuzzing found, pinned down (each was a 500 before its fix in src) -----------------

NAMELESS_PART = (
    b"--grenze\r\nContent-Disposition: form-data\r\n\r\nohne Namen\r\n--grenze--\r\n",
    "multipart/form-data; boundary=grenze",
)


def german_error_page(response: Any, status: int) -> bool:
    """The German error page for `status`."""
    body = response.get_data(as_text=True)
    return response.status_code == status and '<html lang="de">' in body and f"({status})" in body


def api_error(response: Any, status: int, code: str) -> bool:
    """The API's JSON error with a stable code."""
    return response.status_code == status and response.get_json()["error"]["code"] == code


def test_a_form_version_past_64_bits_gets_the_conflict_message(fresh_site: FuzzSite) -> None:
    person = fresh_site.ids["person_id"][-1]
    response = fresh_site.signed_in.post(
        f"/admin/personen/{person}/deaktivieren",
        data={
            "csrf_token": fresh_site.token(fresh_site.signed_in),
            "deactivate-version": str(10**20),
            "deactivate-reason": "Version aus einem veränderten Formular",
        },
    )
    assert response.status_code == 409
    assert "Inzwischen wurde etwas geändert" in response.get_data(as_text=True)


def test_a_multipart_part_without_a_name_gets_400_at_a_form_and_at_the_api(
    fresh_site: FuzzSite,
) -> None:
    body, content_type = NAMELESS_PART
    page = fresh_site.anonymous.post("/sprache", data=body, content_type=content_type)
    assert german_error_page(page, 400)
    api = fresh_site.signed_in.post(
        "/api/v1/ideas",
        data=body,
        content_type=content_type,
        headers={"Authorization": f"Bearer {fresh_site.api_token}"},
    )
    assert api_error(api, 400, "bad_request")


def test_json_nested_too_deep_gets_400_bad_request(fresh_site: FuzzSite) -> None:
    response = fresh_site.signed_in.post(
        "/api/v1/ideas",
        data=b"[" * 100_000,
        content_type="application/json",
        headers={"Authorization": f"Bearer {fresh_site.api_token}"},
    )
    assert api_error(response, 400, "bad_request")


def test_raw_bytes_that_are_not_utf8_in_a_query_string_get_400(fresh_site: FuzzSite) -> None:
    raw = {"QUERY_STRING": "q=\xff\xfe"}
    page = fresh_site.signed_in.get("/", environ_overrides={"PATH_INFO": "/ideas/", **raw})
    assert german_error_page(page, 400)
    api = fresh_site.signed_in.get(
        "/",
        environ_overrides={"PATH_INFO": "/api/v1/ideas", **raw},
        headers={"Authorization": f"Bearer {fresh_site.api_token}"},
    )
    assert api_error(api, 400, "bad_request")


def test_the_checks_notice_a_server_error_and_its_logged_exception(
    fresh_site: FuzzSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> str:
        raise RuntimeError("kaputt")

    monkeypatch.setitem(fresh_site.app.view_functions, "legal.accessibility", broken)
    fresh_site.check("form", "GET /barrierefreiheit", fresh_site.anonymous.get("/barrierefreiheit"))
    assert fresh_site.tally.server_errors == ["500 for GET /barrierefreiheit"]
    assert len(fresh_site.tally.exceptions) == 1
    assert "kaputt" in fresh_site.tally.exceptions[0]
