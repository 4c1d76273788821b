"""ES-5: idempotent submission and conflicts that name the change, on both stores.

Racing writers on one idea (ES-2, ES-3) are in tests/reliability/test_writer_processes.py.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from ideation.application.errors import ConcurrencyConflict
from ideation.application.service import IdeationApplication
from tests.conftest import Cast

THREADS = 8
COMMANDS_PER_THREAD = 25


def test_a_conflict_tells_who_changed_what_since_the_version_the_user_saw(
    app: IdeationApplication, cast: Cast
) -> None:
    idea = app.submit_idea(cast.member, title="Konfliktprobe", summary="Zwei Tabs")
    app.assess_idea(cast.coordinator, idea, 1, impact=3, effort=2, expected_weeks=4, rationale="ok")
    with pytest.raises(ConcurrencyConflict) as conflict:
        app.revise_idea(cast.member, idea, 1, {"title": "Veraltete Änderung"})
    error = conflict.value
    assert (error.expected_version, error.actual_version) == (1, 2)
    assert [(e.label, e.actor_person_id) for e in error.events_since] == [
        ("Bewertet", cast.coordinator)
    ]
    assert "„Bewertet“ von Clara Koordination" in error.message
    assert app.get_idea(idea).title == "Konfliktprobe"


KEYS = 20
REPLAYS = 5


def test_replaying_the_same_submission_concurrently_stores_each_idea_once(
    app: IdeationApplication, cast: Cast
) -> None:
    requests = [f"form-nonce-{k}" for k in range(KEYS) for _ in range(REPLAYS)]
    start = threading.Barrier(len(requests))

    def submit(key: str):
        start.wait()
        return key, app.submit_idea(
            cast.member, title=f"Idee {key}", summary="Doppelklick", idempotency_key=key
        )

    with ThreadPoolExecutor(len(requests)) as pool:
        results = list(pool.map(submit, requests))

    ids_per_key: dict[str, set] = {}
    for key, idea_id in results:
        ids_per_key.setdefault(key, set()).add(idea_id)
    assert all(len(ids) == 1 for ids in ids_per_key.values())
    submitted = [
        n
        for n in app.recorder.select_notifications(start=1, limit=100_000)
        if n.topic.endswith(":Idea.Submitted")
    ]
    assert len(submitted) == KEYS
    assert {n.originator_id for n in submitted} == {next(iter(ids)) for ids in ids_per_key.values()}


def test_the_same_key_from_two_people_gives_two_ideas(app: IdeationApplication, cast: Cast) -> None:
    first = app.submit_idea(cast.member, title="Idee A", summary="s", idempotency_key="k")
    second = app.submit_idea(cast.other_member, title="Idee B", summary="s", idempotency_key="k")
    assert first != second
    assert app.submit_idea(cast.member, title="Idee A", summary="s", idempotency_key="k") == first
