"""SEC-7 for the JSON API: schemathesis fuzzes every operation of the generated description.

The description is fetched from the app itself (`GET /api/v1/openapi.json`), so every route
the registry knows is fuzzed as soon as it exists. Requests carry the token of a person who
holds every role, so the fuzzer reaches past the permission checks; about half of the
generated path ids are replaced by ids of real objects (ideas, a working group, a measure
with a goal and a milestone, a department, a person), so the commands meet real state too.

Per operation up to 100 generated examples, drawn from schemathesis' positive (fits the
description) and negative (breaks it) strategies. Checks: `not_a_server_error`,
`status_code_conformance`, `response_schema_conformance`. One pytest test per operation of
the registry: schemathesis' own pytest loader (`schemathesis.pytest.from_fixture`) reads
`request.node._nodeid`, which pytest 9 no longer has, so each test builds its hypothesis
test from `operation.as_strategy()`. `pytest -s` prints requests and statuses per operation.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)

from ideation.domain.actor import GRANTABLE_ROLES
from ideation.entrypoints.api.core import OPERATIONS
from ideation.entrypoints.api.openapi import openapi_path
from ideation.entrypoints.flask_app import create_app
from tests.conftest import make_cast

PASSWORD = "Rathaus-Linde-Brunnen"
FUZZ_USERNAME = "fuzz"
EXAMPLES_PER_OPERATION = 100
# The checks of catalogue SEC-7.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
    use_after_free,
]


def seed(app: Flask) -> tuple[str, dict[str, list[UUID]]]:
    """The test city, a person with every role and some real objects; (token, ids by name)."""
    ideation = app.extensions["ideation"]
    cast = make_cast(ideation)
    fuzzer = ideation.register_person(
        cast.admin,
        "Franz Fuzz",
        "fuzz@example.org",
        cast.mobility,
        [str(role) for role in GRANTABLE_ROLES],
    )
    ideation.create_account(cast.admin, fuzzer, FUZZ_USERNAME, PASSWORD)
    group_version = ideation.get_working_group(cast.group).version
    ideation.add_working_group_member(cast.coordinator, cast.group, group_version, fuzzer)
    own_idea = ideation.submit_idea(
        fuzzer, title="Parkplatzsensoren", summary="Freie Plätze zählen", themes=["Mobilität"]
    )
    accepted = ideation.submit_idea(
        cast.member, title="Grüne Welle", summary="Ampeln abstimmen", themes=["Verkehr"]
    )

    def version(idea: UUID) -> int:
        return ideation.get_idea(idea).version

    ideation.assess_idea(
        cast.coordinator,
        accepted,
        version(accepted),
        impact=4,
        effort=2,
        expected_weeks=8,
        rationale="Wirkt schnell",
    )
    ideation.assign_idea_to_working_group(cast.coordinator, accepted, version(accepted), cast.group)
    ideation.recommend(cast.group_member, accepted, version(accepted), "accept", "Umsetzbar")
    measure = ideation.accept_idea(cast.coordinator, accepted, version(accepted), "Passt")
    goal = ideation.set_goal(
        fuzzer,
        measure,
        ideation.get_measure(measure).version,
        statement="Weniger Halte",
        indicator="Halte je Fahrt",
        target="-20 %",
    )
    milestone = ideation.add_milestone(
        fuzzer,
        measure,
        ideation.get_measure(measure).version,
        "Pilotstrecke",
        dt.date(2027, 6, 30),
    )
    token = ideation.issue_token(FUZZ_USERNAME, PASSWORD).token
    ids = {
        "idea_id": [own_idea, accepted],
        "measure_id": [measure],
        "group_id": [cast.group],
        "working_group_id": [cast.group],
        "goal_id": [goal],
        "milestone_id": [milestone],
        "department_id": [cast.mobility, cast.citizens],
        # Never the fuzzer itself: revoking its own roles would end the run's permissions.
        "person_id": [cast.group_member, cast.member],
    }
    return token, ids


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for every operation's fuzzing: state built up by one operation meets the next."""
    app = create_app(
        {
            "IDEATION_INSTANCE_PATH": str(tmp_path_factory.mktemp("fuzz") / "instance"),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
            "API_RATE_LIMIT": "1000000 per minute",
        }
    )
    yield app
    ideation = app.extensions["ideation"]
    ideation.close()
    ideation.directory.engine.dispose()


@dataclass
class Fuzzing:
    """The loaded description, the fuzzer's token and the figures of the run."""

    schema: Any
    token: str
    requests: Counter[str] = field(default_factory=Counter)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def fuzzing(fuzz_app: Flask) -> Iterator[Fuzzing]:
    """The app's own description, loaded the way a client would, with real ids mixed in."""
    token, ids = seed(fuzz_app)
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)

    @loaded.hook
    def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
        real = {name: ids[name] for name in path_parameters or {} if name in ids}
        if not real:
            return st.just(path_parameters)
        return st.one_of(
            st.just(path_parameters),
            st.fixed_dictionaries(
                {
                    name: st.sampled_from([str(i) for i in real[name]])
                    if name in real
                    else st.just(value)
                    for name, value in path_parameters.items()
                }
            ),
        )

    run = Fuzzing(loaded, token)
    started = time.perf_counter()
    yield run
    seconds = time.perf_counter() - started
    total = sum(run.requests.values())
    print(f"\nSEC-7 API fuzz: {len(run.requests)} operations, {total} requests in {seconds:.1f} s")
    for label in sorted(run.requests):
        statuses = ", ".join(f"{s}×{n}" for s, n in sorted(run.statuses[label].items()))
        print(f"  {label}: {run.requests[label]} requests ({statuses})")


def breaks_the_token(case: Any) -> bool:
    """Tell whether schemathesis generated this case to test a missing or broken token."""
    data = getattr(getattr(case.meta, "phase", None), "data", None)
    mutations = getattr(data, "mutations", None) or ()
    names = {getattr(data, "parameter", None), *(getattr(m, "parameter", None) for m in mutations)}
    return "Authorization" in names


def registered() -> list[tuple[str, str]]:
    """(method, OpenAPI path) of every operation in the registry, known at collection."""
    return [(op.method, openapi_path(op.rule)[0]) for op in OPERATIONS]


@pytest.mark.parametrize(
    ("method", "path"), registered(), ids=[f"{m.upper()} {p}" for m, p in registered()]
)
def test_no_generated_request_gives_a_server_error_or_breaks_the_description(
    fuzzing: Fuzzing, method: str, path: str
) -> None:
    operation = fuzzing.schema[path][method]
    headers = {"Authorization": f"Bearer {fuzzing.token}"}
    label = operation.label
    # Data that fits the description and data that does not, from one budget of examples.
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case: Any) -> None:
        # A negative case that leaves out or breaks the token must reach the API that way.
        sent = None if breaks_the_token(case) else headers
        response = case.call(headers=sent)
        fuzzing.requests[label] += 1
        fuzzing.statuses.setdefault(label, Counter())[response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=sent)

    fuzz()
