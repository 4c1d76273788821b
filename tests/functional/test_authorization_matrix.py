"""SEC-6: the authorization matrix, route × method × role, read from authorization_matrix.yaml.

The matrix is data: for every rule of `app.url_map` and every method it accepts it names, per
role, the outcome a request must get (200, 201, 302, 401, 403, 404, 422, or `login` for the
redirect to the sign-in page). Where the answer depends on whose object it is, a rule has
several cases (own vs foreign department or working group, oneself vs someone else, a field
only some roles may send). A rule × method the app has but the matrix lacks, or one the matrix
names but the app no longer has, fails the coverage test. HEAD and OPTIONS are left out (Flask
derives them from GET and the rule itself) and so are Flask's `static` files (public by design;
SEC-9 sweeps their headers).

Every request is a valid one: page forms carry the session's CSRF token (as the SEC-1 sweep in
test_security_sweeps.py sends it) and correct fields, API calls the role's bearer token and a
correct JSON body, so a refusal comes from the authorization and not from a malformed request.
A write expected to succeed runs against objects built for that cell alone, so its change never
meets another cell; refused cells share one set of objects and must leave the event store as it
was, as must every read and every request an auditor sends.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from ideation.entrypoints.api_boundary import API_ROOT
from tests.conftest import Cast
from tests.functional.conftest import PASSWORD, ApiClient, csrf_token, sign_in
from tests.functional.test_security_sweeps import UNSAFE_METHODS, add_cast_with_accounts, new_app

MATRIX_FILE = Path(__file__).with_name("authorization_matrix.yaml")
IMPLICIT_METHODS = frozenset({"HEAD", "OPTIONS"})
UNLISTED_ENDPOINTS = frozenset({"static"})
ROLES = ("anon", "staff", "group", "coord", "audit", "admin", "amb")
OUTCOMES = frozenset({"200", "201", "302", "401", "403", "404", "422", "login"})
SUCCESS = frozenset({"200", "201", "302"})
API_PREFIX = API_ROOT.rstrip("/")

# The person behind each signed-in column (accounts of the cast, plus the ambassador).
ROLE_ACCOUNTS = {
    "staff": "tim",
    "group": "greta",
    "coord": "koordination",
    "audit": "pruefung",
    "admin": "admin",
    "amb": "anton",
}

# A path parameter without a value in the case takes `$<name>` (`idea_id` → `$idea`).
PATH_DEFAULTS: dict[str, Any] = {"index": 0}
REF = re.compile(r"^\$([a-z_][a-z0-9_]*)(?:\.([a-z0-9_]+))?$")
INTERPOLATION = re.compile(r"\{([a-z_][a-z0-9_]*)(?:\.([a-z0-9_]+))?\}")


# --------------------------------------------------------------------------------------------
# The matrix file and its coverage of url_map
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One request of the matrix, with the outcome each role must get."""

    rule: str
    method: str
    name: str
    expect: dict[str, str]
    setup: str | None = None
    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    form: dict[str, Any] | None = None
    json: Any = None
    # "clone": the request acts on the sender's own sessions (sign out, new password), so each
    # role sends it as a fresh person holding the same roles.
    session: str = "shared"
    # False for successes that store no event (account self-service, a read sent as POST).
    records: bool = True

    @property
    def writes(self) -> bool:
        """Whether the method may change state (POST, PUT, PATCH, DELETE)."""
        return self.method in UNSAFE_METHODS

    def label(self) -> str:
        """How a problem report names the case."""
        return f"{self.method} {self.rule}" + (f" [{self.name}]" if self.name else "")


@dataclass(frozen=True)
class Matrix:
    """All cases of the matrix file."""

    cases: tuple[Case, ...]

    def pairs(self) -> set[tuple[str, str]]:
        """The (rule, method) pairs the matrix covers."""
        return {(case.rule, case.method) for case in self.cases}

    def without(self, rule: str) -> Matrix:
        """The same matrix with every case of one rule left out."""
        return Matrix(tuple(case for case in self.cases if case.rule != rule))


def parse_expect(text: str, where: str) -> dict[str, str]:
    """One row of outcomes, a word per column; refused unless complete and known."""
    words = str(text).split()
    if len(words) != len(ROLES):
        raise ValueError(f"{where}: {len(words)} outcomes for {len(ROLES)} roles: {text!r}")
    unknown = [word for word in words if word not in OUTCOMES]
    if unknown:
        raise ValueError(f"{where}: unknown outcomes {unknown}")
    return dict(zip(ROLES, words, strict=True))


def load_matrix(data: dict[str, Any]) -> Matrix:
    """The cases of a parsed matrix file (a method holds one case or a list of them)."""
    if tuple(data["columns"]) != ROLES:
        raise ValueError(f"columns must be {ROLES}, not {data['columns']}")
    cases = []
    for rule, methods in data["routes"].items():
        for method, entries in methods.items():
            for entry in entries if isinstance(entries, list) else [entries]:
                details = dict(entry)
                where = f"{method} {rule} {details.get('case', '')}".strip()
                cases.append(
                    Case(
                        rule=rule,
                        method=method,
                        name=details.pop("case", ""),
                        expect=parse_expect(details.pop("expect"), where),
                        **details,
                    )
                )
    return Matrix(tuple(cases))


def read_matrix(path: Path = MATRIX_FILE) -> Matrix:
    """The matrix file next to this module."""
    return load_matrix(yaml.safe_load(path.read_text(encoding="utf-8")))


def app_routes(app: Flask) -> set[tuple[str, str]]:
    """Every (rule, method) the app answers, without HEAD, OPTIONS and the static files."""
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in UNLISTED_ENDPOINTS
        for method in (rule.methods or set()) - IMPLICIT_METHODS
    }


def coverage_problems(routes: set[tuple[str, str]], matrix: Matrix) -> list[str]:
    """Rules × methods missing from the matrix, and matrix entries the app no longer has."""
    listed = matrix.pairs()
    missing = [f"missing from the matrix: {m} {r}" for r, m in sorted(routes - listed)]
    stale = [f"not in url_map any more: {m} {r}" for r, m in sorted(listed - routes)]
    return missing + stale


# --------------------------------------------------------------------------------------------
# The city: a person, browser and token per column, objects built through the application
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """An object a case refers to: its id and the version a form or body must name."""

    id: UUID
    version: int = 1

    @property
    def hex8(self) -> str:
        """The first 8 hex digits, as some form prefixes carry them."""
        return self.id.hex[:8]

    @property
    def hex12(self) -> str:
        """The first 12 hex digits (the reply form's prefix)."""
        return self.id.hex[:12]


@dataclass
class Sender:
    """Who sends a request: a browser (signed in or not) and the person and account behind it."""

    role: str
    client: FlaskClient
    person: UUID | None
    username: str | None
    csrf: str


@dataclass
class World:
    """The module's one planner, its senders and the objects refused cells share."""

    app: Flask
    cast: Cast
    base: dict[str, Any]
    api: ApiClient
    senders: dict[str, Sender] = field(default_factory=dict)
    shared: dict[str, dict[str, Any]] = field(default_factory=dict)
    numbers: Iterator[int] = field(default_factory=itertools.count)
    addresses: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def ideation(self) -> Any:
        """The application service."""
        return self.app.extensions["ideation"]

    def unique(self) -> int:
        """A number not used before in this module (for names, e-mails, short names)."""
        return next(self.numbers)

    def events(self) -> int:
        """The position of the newest event in the store."""
        return self.ideation.recorder.max_notification_id() or 0

    def client(self) -> FlaskClient:
        """A new browser with an address of its own (the login limit counts per address)."""
        client = self.app.test_client()
        n = next(self.addresses)
        client.environ_base["REMOTE_ADDR"] = f"10.6.{n // 250}.{n % 250 + 1}"
        return client


def signed_in_sender(world: World, role: str, person: UUID | None, username: str | None) -> Sender:
    """A browser signed in through the login form (or anonymous without a username)."""
    client = world.client()
    if username is not None:
        assert sign_in(client, username).status_code == 302, username
    return Sender(role, client, person, username, csrf_token(client))


def build_world(instance: Path) -> World:
    """The cast with accounts, an ambassador, a foreign working group and Tim's colleague."""
    app = new_app(instance, API_RATE_LIMIT="100000 per minute")
    cast = add_cast_with_accounts(app)
    ideation = app.extensions["ideation"]
    ambassador = ideation.register_person(
        cast.admin, "Anton Botschafter", "anton@example.org", cast.digital, ["ambassador"]
    )
    ideation.create_account(cast.admin, ambassador, "anton", PASSWORD)
    colleague = ideation.register_person(
        cast.admin, "Karl Kollege", "karl@example.org", cast.mobility, ["member"]
    )
    foreign_group = ideation.form_working_group(
        cast.coordinator, "AG Bürgerservice", "Bürgerservice digital", cast.citizens
    )
    ideation.add_working_group_member(
        cast.coordinator, foreign_group, 1, cast.outsider_group_member
    )
    world = World(
        app=app,
        cast=cast,
        base={
            "department": Ref(cast.mobility),
            "foreign_department": Ref(cast.citizens),
            "group": Ref(cast.group, 2),
            "foreign_group": Ref(foreign_group, 2),
            "person": Ref(cast.other_member),
            "colleague": Ref(colleague),
            "coordinator": Ref(cast.coordinator),
            "nobody": Ref(uuid4()),
        },
        api=ApiClient(app),
    )
    people = {
        "staff": cast.member,
        "group": cast.group_member,
        "coord": cast.coordinator,
        "audit": cast.auditor,
        "admin": cast.admin,
        "amb": ambassador,
    }
    world.senders["anon"] = signed_in_sender(world, "anon", None, None)
    for role, username in ROLE_ACCOUNTS.items():
        world.senders[role] = signed_in_sender(world, role, people[role], username)
    return world


def clone_sender(world: World, role: str) -> Sender:
    """A fresh person with the column's roles and department, signed in on a new browser.

    For anonymous: a fresh member with an account, whose browser stays signed out, so a case
    can still name `$username` and `$password` (the login form).
    """
    ideation = world.ideation
    template = ideation.get_person(world.senders[role].person or world.cast.member)
    n = world.unique()
    person = ideation.register_person(
        world.cast.admin,
        f"Klon {n}",
        f"klon{n}@example.org",
        template.department_id,
        list(template.roles),
    )
    username = f"klon{n}"
    ideation.create_account(world.cast.admin, person, username, PASSWORD)
    if role == "anon":
        sender = signed_in_sender(world, role, None, None)
        sender.person, sender.username = person, username
        return sender
    return signed_in_sender(world, role, person, username)


# -- setups: the objects a case needs, built through the application's commands ------------

Setup = Callable[[World, Sender], dict[str, Any]]
SETUPS: dict[str, Setup] = {}


def setup(name: str) -> Callable[[Setup], Setup]:
    """Register a setup under the name the matrix's `setup:` uses."""

    def register(build: Setup) -> Setup:
        SETUPS[name] = build
        return build

    return register


def today() -> dt.date:
    """The day the cells run."""
    return dt.date.today()


def idea_ref(world: World, idea_id: UUID) -> Ref:
    """The idea at its current version."""
    return Ref(idea_id, world.ideation.get_idea(idea_id).version)


def new_idea(
    world: World,
    author: UUID,
    stage: str = "submitted",
    group: UUID | None = None,
    title: str = "Sensoren",
) -> UUID:
    """An idea of the author's department, taken on to `stage` by the coordination."""
    ideation, coordinator = world.ideation, world.cast.coordinator
    idea = ideation.submit_idea(
        author,
        title=f"{title} Nr. {world.unique()}",
        summary="Freie Parkplätze in Echtzeit anzeigen.",
    )
    if stage == "submitted":
        return idea
    ideation.assess_idea(
        coordinator, idea, 1, impact=4, effort=2, expected_weeks=8, rationale="Schnell machbar."
    )
    if stage == "parked":
        ideation.park_idea(coordinator, idea, 2, "Erst nach dem Haushalt.")
    elif stage in ("in_group", "accepted"):
        ideation.assign_idea_to_working_group(coordinator, idea, 2, group)
        if stage == "accepted":
            ideation.accept_idea(coordinator, idea, 3, "Die AG empfiehlt es.")
    return idea


@setup("idea")
def _idea(world: World, sender: Sender) -> dict[str, Any]:
    return {"idea": idea_ref(world, new_idea(world, world.cast.member))}


@setup("colleagues_idea")
def _colleagues_idea(world: World, sender: Sender) -> dict[str, Any]:
    """An idea Tim's colleague Karl submitted for their department."""
    return {"idea": idea_ref(world, new_idea(world, world.base["colleague"].id))}


@setup("foreign_idea")
def _foreign_idea(world: World, sender: Sender) -> dict[str, Any]:
    return {"idea": idea_ref(world, new_idea(world, world.cast.other_member))}


@setup("mergeable_idea")
def _mergeable_idea(world: World, sender: Sender) -> dict[str, Any]:
    """An own idea and a target whose title puts it among the first 100 the form offers."""
    idea = new_idea(world, world.cast.member)
    target = new_idea(world, world.cast.other_member, title="Aaa Ziel")
    return {"idea": idea_ref(world, idea), "target": idea_ref(world, target)}


@setup("assessed_idea")
def _assessed_idea(world: World, sender: Sender) -> dict[str, Any]:
    return {"idea": idea_ref(world, new_idea(world, world.cast.member, "assessed"))}


@setup("parked_idea")
def _parked_idea(world: World, sender: Sender) -> dict[str, Any]:
    return {"idea": idea_ref(world, new_idea(world, world.cast.member, "parked"))}


@setup("idea_in_group")
def _idea_in_group(world: World, sender: Sender) -> dict[str, Any]:
    idea = new_idea(world, world.cast.member, "in_group", world.cast.group)
    return {"idea": idea_ref(world, idea)}


@setup("foreign_idea_in_group")
def _foreign_idea_in_group(world: World, sender: Sender) -> dict[str, Any]:
    group = world.base["foreign_group"]
    idea = new_idea(world, world.cast.other_member, "in_group", group.id)
    return {"idea": idea_ref(world, idea), "group": group}


@setup("pledged_idea")
def _pledged_idea(world: World, sender: Sender) -> dict[str, Any]:
    """A foreign idea Tim's department has pledged to support."""
    idea = new_idea(world, world.cast.other_member)
    world.ideation.pledge_support(world.cast.member, idea, 1, "Wir helfen mit.")
    return {"idea": idea_ref(world, idea)}


@setup("commented_idea")
def _commented_idea(world: World, sender: Sender) -> dict[str, Any]:
    """An idea with Berta's comment, and another idea that does not hold it."""
    idea = new_idea(world, world.cast.member)
    world.ideation.comment_on_idea(world.cast.other_member, idea, 1, "Gute Idee!")
    comment = world.ideation.get_idea(idea).comments[0].comment_id
    other = new_idea(world, world.cast.member)
    return {"idea": idea_ref(world, idea), "comment": Ref(comment), "other": Ref(other)}


def new_measure(world: World, *, foreign: bool = False, published: bool = True) -> dict[str, Any]:
    """An accepted idea's measure; published ones have a goal, an open milestone, 10 % done."""
    ideation = world.ideation
    group = world.base["foreign_group" if foreign else "group"].id
    author = world.cast.other_member if foreign else world.cast.member
    member = world.cast.outsider_group_member if foreign else world.cast.group_member
    idea = new_idea(world, author, "accepted", group)
    measure = ideation.get_idea(idea).measure_id
    context: dict[str, Any] = {"idea": idea_ref(world, idea)}
    if published:
        goal = ideation.set_goal(
            member, measure, 1, statement="Weniger Suchverkehr", indicator="Minuten", target="-20 %"
        )
        milestone = ideation.add_milestone(member, measure, 2, "Sensoren bestellt", today())
        ideation.report_progress(member, measure, 3, 10, "Angefangen.")
        context.update(goal=Ref(goal), milestone=Ref(milestone))
    context["measure"] = Ref(measure, ideation.get_measure(measure).version)
    return context


def blocked(world: World, context: dict[str, Any]) -> dict[str, Any]:
    """The measure of `context`, blocked by the coordination."""
    measure = context["measure"]
    world.ideation.block_measure(
        world.cast.coordinator, measure.id, measure.version, "Lieferung verzögert."
    )
    return {**context, "measure": Ref(measure.id, measure.version + 1)}


@setup("measure")
def _measure(world: World, sender: Sender) -> dict[str, Any]:
    return new_measure(world)


@setup("foreign_measure")
def _foreign_measure(world: World, sender: Sender) -> dict[str, Any]:
    return new_measure(world, foreign=True)


@setup("unpublished_measure")
def _unpublished_measure(world: World, sender: Sender) -> dict[str, Any]:
    return new_measure(world, published=False)


@setup("blocked_measure")
def _blocked_measure(world: World, sender: Sender) -> dict[str, Any]:
    return blocked(world, new_measure(world))


@setup("foreign_blocked_measure")
def _foreign_blocked_measure(world: World, sender: Sender) -> dict[str, Any]:
    return blocked(world, new_measure(world, foreign=True))


def new_group(world: World, *members: UUID) -> Ref:
    """A working group led by Tiefbauamt with `members`, at its current version."""
    ideation = world.ideation
    group = ideation.form_working_group(
        world.cast.coordinator, f"AG Nr. {world.unique()}", "Digital arbeiten", world.cast.mobility
    )
    for version, member in enumerate(members, start=1):
        ideation.add_working_group_member(world.cast.coordinator, group, version, member)
    return Ref(group, 1 + len(members))


@setup("own_group")
def _own_group(world: World, sender: Sender) -> dict[str, Any]:
    """A group with Greta (the group column) and Otto as members."""
    otto = world.cast.outsider_group_member
    return {"group": new_group(world, world.cast.group_member, otto), "member": Ref(otto)}


@setup("foreign_own_group")
def _foreign_own_group(world: World, sender: Sender) -> dict[str, Any]:
    """A group with Otto but without Greta."""
    otto = world.cast.outsider_group_member
    return {"group": new_group(world, otto), "member": Ref(otto)}


def new_person(world: World, roles: Iterable[str] = ("member",)) -> UUID:
    """A person of Tiefbauamt, without an account."""
    n = world.unique()
    return world.ideation.register_person(
        world.cast.admin, f"Person {n}", f"person{n}@example.org", world.cast.mobility, list(roles)
    )


@setup("person")
def _person(world: World, sender: Sender) -> dict[str, Any]:
    person = new_person(world)
    return {"person": Ref(person, world.ideation.get_person(person).version)}


@setup("deactivated_person")
def _deactivated_person(world: World, sender: Sender) -> dict[str, Any]:
    person = new_person(world)
    version = world.ideation.get_person(person).version
    world.ideation.deactivate_person(world.cast.admin, person, version, "Elternzeit.")
    return {"person": Ref(person, version + 1)}


@setup("department")
def _department(world: World, sender: Sender) -> dict[str, Any]:
    department = world.ideation.register_department(
        world.cast.admin, f"Amt Nr. {world.unique()}", f"A{world.unique()}", "administration"
    )
    return {"department": Ref(department)}


@setup("session")
def _session(world: World, sender: Sender) -> dict[str, Any]:
    session = world.ideation.plan_exchange_session(
        world.cast.coordinator,
        kind="consultation_hour",
        scheduled_on=today() + dt.timedelta(days=14),
        topic="Sprechstunde Digitales",
        host_person_id=world.cast.coordinator,
    )
    return {"session": Ref(session)}


@setup("candidate")
def _candidate(world: World, sender: Sender) -> dict[str, Any]:
    """A person of Tiefbauamt noted as a candidate digital pilot."""
    person = new_person(world)
    pilot = world.ideation.nominate_pilot(world.cast.coordinator, person, "Hat viele Ideen.")
    return {"pilot": Ref(pilot), "person": Ref(person)}


@setup("faction")
def _faction(world: World, sender: Sender) -> dict[str, Any]:
    n = world.unique()
    faction = world.ideation.register_faction(world.cast.coordinator, f"Fraktion {n}", f"F{n}")
    return {"faction": Ref(faction)}


@setup("round")
def _round(world: World, sender: Sender) -> dict[str, Any]:
    """A planned political round with one invited faction."""
    faction = _faction(world, sender)["faction"]
    political_round = world.ideation.plan_political_round(
        world.cast.coordinator,
        scheduled_on=today() + dt.timedelta(days=7),
        title="Digitalrunde",
        invited_faction_ids=[faction.id],
    )
    return {"round": Ref(political_round), "faction": faction}


@setup("held_round")
def _held_round(world: World, sender: Sender) -> dict[str, Any]:
    """A held political round with a question and a suggestion."""
    context = _round(world, sender)
    world.ideation.record_political_round(
        world.cast.coordinator,
        context["round"].id,
        1,
        held_on=today(),
        attending_faction_ids=[context["faction"].id],
        questions=["Was kostet das?"],
        suggestions=["Sensoren auch an Schulen"],
    )
    return {**context, "round": Ref(context["round"].id, 2)}


@setup("own_token")
def _own_token(world: World, sender: Sender) -> dict[str, Any]:
    """A personal API token of the person sending the request."""
    issued = world.ideation.create_personal_token(sender.person or world.cast.member, "Skript", 30)
    return {"token": Ref(issued.id)}


@setup("foreign_token")
def _foreign_token(world: World, sender: Sender) -> dict[str, Any]:
    """A personal API token of Berta, who is none of the columns."""
    issued = world.ideation.create_personal_token(world.cast.other_member, "Skript", 30)
    return {"token": Ref(issued.id)}


# --------------------------------------------------------------------------------------------
# Sending one cell
# --------------------------------------------------------------------------------------------


def resolve(value: Any, context: dict[str, Any]) -> Any:
    """`$name` / `$name.attr` → the object's id or attribute; `{name.attr}` inside a text."""
    if isinstance(value, dict):
        return {resolve(k, context): resolve(v, context) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, context) for v in value]
    if not isinstance(value, str):
        return value
    whole = REF.match(value)
    if whole:
        return lookup(context, whole.group(1), whole.group(2))
    return INTERPOLATION.sub(lambda m: str(lookup(context, m.group(1), m.group(2))), value)


def lookup(context: dict[str, Any], name: str, attribute: str | None) -> Any:
    """One name of the context (an object's id unless an attribute is named)."""
    if name not in context:
        raise KeyError(f"${name} is not in the case's context ({sorted(context)})")
    item = context[name]
    if attribute is not None:
        return getattr(item, attribute)
    return item.id if isinstance(item, Ref) else item


def plain(value: Any) -> Any:
    """A resolved value as JSON or form text (ids and dates as strings)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, UUID | dt.date):
        return str(value)
    return value


def case_context(world: World, case: Case, sender: Sender, fresh: bool) -> dict[str, Any]:
    """The base objects, the case's own objects (fresh or shared) and the sender's details."""
    objects: dict[str, Any] = {}
    if case.setup is not None:
        if fresh:
            objects = SETUPS[case.setup](world, sender)
        else:
            if case.setup not in world.shared:
                world.shared[case.setup] = SETUPS[case.setup](world, world.senders["admin"])
            objects = world.shared[case.setup]
    n = world.unique()
    return {
        **world.base,
        **objects,
        "self": sender.person or world.cast.member,
        "username": sender.username or "tim",
        "password": PASSWORD,
        "new_password": f"Neues-Passwort-{n}-Linde",
        "unique": n,
        "today": today(),
        "future": today() + dt.timedelta(days=30),
    }


def rule_of(app: Flask, rule_text: str, method: str) -> Rule:
    """The url_map rule with this text that answers `method`."""
    for rule in app.url_map.iter_rules():
        if rule.rule == rule_text and method in (rule.methods or ()):
            return rule
    raise LookupError(f"no rule {method} {rule_text} in url_map")


def build_path(app: Flask, rule: Rule, method: str, values: dict[str, Any]) -> str:
    """The rule's URL for `values`, checked to route back to that very rule (as SEC-1 does)."""
    built = rule.build(values, append_unknown=False)
    if built is None:
        raise LookupError(f"{rule.rule} cannot be built from {values}")
    try:
        matched, _ = app.url_map.bind("localhost").match(built[1], method=method, return_rule=True)
    except HTTPException as error:  # a redirect, 404 or 405: the URL does not reach the rule
        raise LookupError(f"{built[1]} does not route to {rule.rule}: {error!r}") from None
    if matched is not rule:
        raise LookupError(f"{built[1]} routes to {matched.rule}, not {rule.rule}")
    return built[1]


def with_csrf(form: dict[str, Any], token: str) -> dict[str, Any]:
    """The form with the session's CSRF token, also under every field prefix the form uses."""
    prefixes = {key.rsplit("-", 1)[0] for key in form if "-" in key}
    tokens = {"csrf_token": token} | {f"{prefix}-csrf_token": token for prefix in prefixes}
    return {**form, **tokens}


def outcome_of(response: TestResponse) -> str:
    """The status code as matrix word; `login` for the redirect to the sign-in form."""
    if response.status_code == 302:
        location = urlsplit(response.headers["Location"])
        if location.path == "/login" and "next" in parse_qs(location.query):
            return "login"
    return str(response.status_code)


def send(world: World, case: Case, sender: Sender, context: dict[str, Any]) -> TestResponse:
    """The case's request: a page with the browser's session, the API with the role's token."""
    rule = rule_of(world.app, case.rule, case.method)
    values = {}
    for name in rule.arguments:
        default = PATH_DEFAULTS.get(name, f"${name.removesuffix('_id')}")
        values[name] = resolve(case.path.get(name, default), context)
    path = build_path(world.app, rule, case.method, values)
    query = plain(resolve(case.query, context))
    if path.startswith(API_ROOT):
        as_ = sender.username if sender.role != "anon" else None
        body = plain(resolve(case.json, context)) if case.json is not None else None
        return world.api.request(
            case.method, path.removeprefix(API_PREFIX), as_, json=body, query_string=query
        )
    data = with_csrf(plain(resolve(case.form or {}, context)), sender.csrf) if case.writes else None
    return sender.client.open(path, method=case.method, data=data, query_string=query)


@dataclass
class Tally:
    """What the sweep found, per role."""

    cells: int = 0
    auditor_writes: int = 0
    auditor_writes_recorded: int = 0
    problems: dict[str, list[str]] = field(default_factory=lambda: {role: [] for role in ROLES})


def run_cell(world: World, case: Case, role: str, tally: Tally) -> None:
    """Send the case as `role`; check the outcome and what the event store recorded."""
    expected = case.expect[role]
    succeeds = expected in SUCCESS
    fresh = (case.writes and succeeds) or case.session == "clone"
    sender = clone_sender(world, role) if case.session == "clone" else world.senders[role]
    where = f"{role}: {case.label()}"
    try:
        context = case_context(world, case, sender, fresh)
        before = world.events()
        response = send(world, case, sender, context)
    except (LookupError, KeyError) as error:
        tally.problems[role].append(f"{where}: cannot send: {error}")
        return
    recorded = world.events() - before
    got = outcome_of(response)
    tally.cells += 1
    if got != expected:
        tally.problems[role].append(f"{where}: expected {expected}, got {got}")
    if role == "audit" and case.writes:
        tally.auditor_writes += 1
        tally.auditor_writes_recorded += recorded > 0
    if recorded and (role == "audit" or not case.writes or not succeeds):
        tally.problems[role].append(f"{where}: recorded {recorded} events")
    elif case.writes and succeeds and got == expected and case.records and not recorded:
        tally.problems[role].append(f"{where}: answered {got} but recorded no event")


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix() -> Matrix:
    return read_matrix()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("sec6") / "instance")


@pytest.fixture(scope="module")
def tally(world: World, matrix: Matrix) -> Tally:
    """Every case of the matrix sent once per role (the module's one long step)."""
    tally = Tally()
    # Reads first, while the planner is small: the briefing PDF, for one, lists every
    # published measure, and the writes add dozens. The outcomes do not depend on the order.
    for case in sorted(matrix.cases, key=lambda case: case.writes):
        for role in ROLES:
            run_cell(world, case, role, tally)
    return tally


def test_every_rule_and_method_of_the_app_is_in_the_matrix_and_nothing_else(
    world: World, matrix: Matrix
) -> None:
    assert coverage_problems(app_routes(world.app), matrix) == []


def test_the_coverage_check_reports_a_rule_left_out_and_a_rule_the_app_no_longer_has(
    world: World, matrix: Matrix
) -> None:
    routes = app_routes(world.app)
    left_out = matrix.without("/ideas/<uuid:idea_id>")
    assert coverage_problems(routes, left_out) == [
        "missing from the matrix: GET /ideas/<uuid:idea_id>"
    ]
    removed = routes - {("/logout", "POST")}
    assert coverage_problems(removed, matrix) == ["not in url_map any more: POST /logout"]


def test_a_matrix_row_without_a_known_outcome_for_every_role_is_refused() -> None:
    short = {"columns": list(ROLES), "routes": {"/": {"GET": {"expect": "login 200 200"}}}}
    with pytest.raises(ValueError, match="3 outcomes for 7 roles"):
        load_matrix(short)
    unknown = {"columns": list(ROLES), "routes": {"/": {"GET": {"expect": "ok " * 7}}}}
    with pytest.raises(ValueError, match="unknown outcomes"):
        load_matrix(unknown)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_outcome_the_matrix_names_in_every_cell(
    tally: Tally, role: str
) -> None:
    assert tally.problems[role] == []


def test_auditors_never_write_and_every_cell_was_asserted(
    world: World, matrix: Matrix, tally: Tally
) -> None:
    """Auditors are read-only: no request of theirs stored an event, nor may any by the matrix."""
    allowed = [
        c.label() for c in matrix.cases if c.writes and c.records and c.expect["audit"] in SUCCESS
    ]
    assert allowed == []
    assert tally.auditor_writes_recorded == 0
    assert tally.auditor_writes >= 100
    assert tally.cells == len(matrix.cases) * len(ROLES)
    rules = [r for r in world.app.url_map.iter_rules() if r.endpoint not in UNLISTED_ENDPOINTS]
    print(
        f"\nSEC-6: {len(rules)} rules ({len({r.rule for r in rules})} paths), "
        f"{len(matrix.pairs())} rule × method pairs, "
        f"{len(matrix.cases)} cases × {len(ROLES)} roles = {tally.cells} cells asserted, "
        f"{tally.auditor_writes} auditor write attempts, "
        f"{tally.auditor_writes_recorded} successful (events stored)"
    )
