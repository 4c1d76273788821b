"""The hash chain over the stored events (catalogue GDPR-5): grown by the projector, exactly once.

The links are recomputed here from the notification log with the formula written in
docs/adr/0005-tamper-evident-hash-chain.md, independently of `readmodels/chain.py`, so the
documented formula is the one the planner stores.
"""

from __future__ import annotations

import hashlib
import threading
from uuid import UUID

import pytest
from sqlalchemy import func, select, update

from ideation.application.service import IdeationApplication
from ideation.bootstrap import build_application
from ideation.readmodels.tables import chain
from tests.conftest import Backend, Cast, event_count, make_cast

GENESIS = hashlib.sha256(b"ideation hash chain v1").digest()


def documented_links(app: IdeationApplication) -> list[tuple[int, str]]:
    """(position, link hex) for every stored record, as the ADR defines the chain."""

    def text(value: str) -> bytes:
        data = value.encode()
        return len(data).to_bytes(4, "big") + data

    links = []
    previous = GENESIS
    for n in app.recorder.select_notifications(start=1, limit=1_000_000):
        previous = hashlib.sha256(
            previous
            + n.id.to_bytes(8, "big", signed=True)
            + text(str(UUID(str(n.originator_id))))
            + n.originator_version.to_bytes(8, "big", signed=True)
            + text(n.topic)
            + hashlib.sha256(n.state).digest()
        ).digest()
        links.append((n.id, previous.hex()))
    return links


def stored_links(app: IdeationApplication) -> list[tuple[int, str]]:
    with app.read_models.engine.connect() as conn:
        rows = conn.execute(select(chain.c.position, chain.c.link).order_by(chain.c.position))
        return [(row.position, row.link) for row in rows]


def some_work(app: IdeationApplication, cast: Cast, ideas: int = 3) -> None:
    """Ideas with a comment and a pledge each: a few more events on top of the cast."""
    for n in range(ideas):
        idea = app.submit_idea(cast.member, title=f"Idee {n}", summary="Kurz")
        app.comment_on_idea(cast.other_member, idea, 1, "Gute Idee")
        app.pledge_support(cast.other_member, idea, 2)


def test_an_empty_store_has_the_genesis_value_as_its_head_and_verifies(app) -> None:
    head = app.read_models.chain_head()
    assert (head.position, head.link, head.occurred_at, head.length) == (
        0,
        GENESIS.hex(),
        None,
        0,
    )
    result = app.read_models.verify_chain()
    assert result.intact
    assert result.checked == 0


def test_every_stored_event_gets_one_link_and_the_documented_formula_gives_the_same(
    app, cast: Cast
) -> None:
    some_work(app, cast)
    expected = documented_links(app)
    assert stored_links(app) == expected
    head = app.read_models.chain_head()
    assert (head.position, head.link) == expected[-1]
    assert head.length == event_count(app)
    last_event = app.recorder.select_notifications(start=head.position, limit=1)[0]
    assert head.occurred_at == app.mapper.to_domain_event(last_event).timestamp


def test_the_chain_grows_with_each_command_and_the_old_links_stay(app, cast: Cast) -> None:
    before = stored_links(app)
    idea = app.submit_idea(cast.member, title="Neue Idee", summary="Kurz")
    app.comment_on_idea(cast.other_member, idea, 1, "Dazu ein Kommentar")
    after = stored_links(app)
    assert after[: len(before)] == before
    assert len(after) == len(before) + 2
    assert app.read_models.chain_head().position == after[-1][0]
    result = app.read_models.verify_chain()
    assert result.intact
    assert result.checked == len(after)
    assert result.first_break is None


def test_a_rebuild_of_the_read_models_gives_the_same_chain_and_head(app, cast: Cast) -> None:
    some_work(app, cast)
    head = app.read_models.chain_head()
    links = stored_links(app)
    app.read_models.projector.rebuild(batch_size=7)
    assert stored_links(app) == links
    assert app.read_models.chain_head() == head
    assert app.read_models.verify_chain().intact


def test_a_head_kept_outside_the_system_is_confirmed_later(app, cast: Cast) -> None:
    kept = app.read_models.chain_head()
    some_work(app, cast, ideas=1)
    result = app.read_models.verify_chain(expected=(kept.position, kept.link))
    assert result.intact
    assert result.expected_matches is True
    assert result.head.position > kept.position


def test_a_kept_head_that_does_not_match_fails_the_verification(app, cast: Cast) -> None:
    head = app.read_models.chain_head()
    wrong = "0" * 64
    result = app.read_models.verify_chain(expected=(head.position, wrong))
    assert not result.intact
    assert result.expected_matches is False
    assert result.first_break is None  # the stored chain agrees with the events
    beyond = app.read_models.verify_chain(expected=(head.position + 5, head.link))
    assert not beyond.intact
    assert beyond.expected_matches is False


def test_two_projectors_catching_up_at_once_chain_every_record_exactly_once(
    backend: Backend,
) -> None:
    writer = backend.build()
    cast = make_cast(writer)
    writer.read_models = None  # from now on only the two projectors below project
    for n in range(40):
        idea = writer.submit_idea(cast.member, title=f"Idee {n}", summary="Kurz")
        writer.comment_on_idea(cast.other_member, idea, 1, "Kommentar")
    first, second = (build_application(backend.settings, catch_up=False) for _ in range(2))
    backend.built += [first, second]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def project(app: IdeationApplication) -> None:
        try:
            start.wait()
            app.read_models.projector.catch_up(batch_size=5)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=project, args=(app,)) for app in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert stored_links(first) == documented_links(writer)
    with first.read_models.engine.connect() as conn:
        rows, distinct = conn.execute(
            select(func.count(), func.count(func.distinct(chain.c.position)))
        ).one()
    assert rows == distinct == event_count(writer)
    assert second.read_models.verify_chain().intact


@pytest.mark.parametrize("batch_size", [1, 3, 1000])
def test_verification_reads_in_batches_of_any_size(app, cast: Cast, batch_size: int) -> None:
    some_work(app, cast, ideas=2)
    seen: list[tuple[int, int]] = []
    result = app.read_models.verify_chain(
        batch_size=batch_size, progress=lambda position, head: seen.append((position, head))
    )
    assert result.intact
    assert result.checked == event_count(app)
    assert seen[-1] == (result.head.position, result.head.position)


def test_a_stored_link_changed_in_the_read_model_is_reported_as_a_changed_chain(
    app, cast: Cast
) -> None:
    some_work(app, cast, ideas=1)
    position = stored_links(app)[5][0]
    with app.read_models.engine.begin() as conn:
        conn.execute(update(chain).where(chain.c.position == position).values(link="0" * 64))
    result = app.read_models.verify_chain()
    assert not result.intact
    assert (result.first_break.position, result.first_break.kind) == (position, "chain")
    assert result.checked == 5
