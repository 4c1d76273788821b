"""Key-set paging for the API: ideas after a cursor and events after a log position."""

from __future__ import annotations

import datetime as dt

from ideation.application.service import IdeationApplication
from tests.conftest import Backend, event_count, make_cast

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


class SettableClock:
    """A clock that stands still until moved, so several ideas share one submission time."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


def page_through(app: IdeationApplication, limit: int, **filters: object) -> list:
    reads = app.read_models
    assert reads is not None
    seen, after = [], None
    while True:
        rows = reads.ideas_after(after=after, limit=limit, **filters)
        seen.extend(rows)
        if len(rows) < limit:
            return seen
        after = (rows[-1].submitted_at, rows[-1].id)


def test_paging_ideas_by_cursor_gives_each_idea_once_in_submission_order(
    backend: Backend,
) -> None:
    clock = SettableClock()
    app = backend.build(clock=clock)
    cast = make_cast(app)
    # Three ideas in the same instant (the id breaks the tie), then two later ones.
    same_moment = [
        app.submit_idea(cast.member, title=f"Gleichzeitig {n}", summary="x") for n in range(3)
    ]
    clock.now = START + dt.timedelta(minutes=5)
    later = [app.submit_idea(cast.member, title=f"Später {n}", summary="x") for n in range(2)]

    for limit in (1, 2, 3, 10):
        seen = page_through(app, limit)
        assert [r.id for r in seen] == sorted(same_moment) + sorted(later)


def test_an_idea_submitted_while_paging_comes_at_the_end_and_nothing_repeats(
    backend: Backend,
) -> None:
    clock = SettableClock()
    app = backend.build(clock=clock)
    cast = make_cast(app)
    first = []
    for n in range(4):
        clock.now = START + dt.timedelta(minutes=n)
        first.append(app.submit_idea(cast.member, title=f"Idee {n}", summary="x"))
    reads = app.read_models
    assert reads is not None
    page = reads.ideas_after(after=None, limit=2)
    clock.now = START + dt.timedelta(hours=1)
    newcomer = app.submit_idea(cast.other_member, title="Neu dazu", summary="x")
    rest = reads.ideas_after(after=(page[-1].submitted_at, page[-1].id), limit=10)
    assert [r.id for r in [*page, *rest]] == [*first, newcomer]


def test_cursor_paging_keeps_the_filters(backend: Backend) -> None:
    clock = SettableClock()
    app = backend.build(clock=clock)
    cast = make_cast(app)
    mine = []
    for n in range(5):
        clock.now = START + dt.timedelta(minutes=n)
        mine.append(app.submit_idea(cast.member, title=f"Tiefbau {n}", summary="Straße"))
        app.submit_idea(cast.other_member, title=f"Bürger {n}", summary="Amt")
    seen = page_through(app, 2, department_id=cast.mobility)
    assert [r.id for r in seen] == mine
    assert [r.id for r in page_through(app, 2, text="Straße")] == mine


def test_the_events_feed_gives_every_stored_event_once_in_log_order(backend: Backend) -> None:
    app = backend.build()
    cast = make_cast(app)
    idea = app.submit_idea(cast.member, title="Feed", summary="x")
    app.comment_on_idea(cast.other_member, idea, 1, "Gut")
    reads = app.read_models
    assert reads is not None
    positions, after = [], 0
    while rows := reads.audit_rows_after(after, 3):
        positions.extend(r.position for r in rows)
        after = rows[-1].position
    assert positions == sorted(set(positions))
    assert len(positions) == event_count(app)
    last = reads.audit_rows_after(positions[-2], 5)
    assert [(r.event_type, r.actor_person_id) for r in last] == [
        ("Idea.Commented", cast.other_member)
    ]
