"""ES-11: the read models' tracking position never goes backwards.

Our projector is not the library's `ProcessRecorder`: its tracking record is one row per
projection (rm_tracking), updated in the same transaction as the batch it covers, under a
lock on that row. The library's test `test_raises_when_lower_inserted_later` has no direct
counterpart (there is no insert of a tracking id to refuse); its guarantee is checked here
as behaviour: a projector that last saw an older position (another process caught up
meanwhile) neither moves the position back nor applies a notification a second time.
"""

from __future__ import annotations

from tests.conftest import Backend, make_cast
from tests.reliability.conftest import check_exactly_once, read_engine, tracking_position


def test_a_projector_that_saw_an_older_position_neither_moves_it_back_nor_applies_twice(
    backend: Backend,
) -> None:
    # Two processes that project (A and B) and one that only writes.
    first = backend.build()
    second = backend.build()
    writer = backend.build()
    writer.read_models = None
    cast = make_cast(writer)
    engine = read_engine(backend.settings)
    positions = []
    try:
        # B catches up and remembers where it stopped.
        for n in range(5):
            writer.submit_idea(cast.member, title=f"Erste Welle {n}", summary="s")
        second.read_models.projector.catch_up()
        positions.append(tracking_position(engine))

        # A catches up further; B still believes the older position.
        for n in range(5):
            writer.submit_idea(cast.member, title=f"Zweite Welle {n}", summary="s")
        first.read_models.projector.catch_up()
        positions.append(tracking_position(engine))

        # Three more events; B's next batch starts at its older position and so holds the
        # five A already applied: B must skip those and apply only the three new ones.
        newest = [
            writer.submit_idea(cast.member, title=f"Dritte Welle {n}", summary="s")
            for n in range(3)
        ]
        result = second.read_models.projector.catch_up()
        positions.append(tracking_position(engine))

        assert result.applied == 3
        assert positions == sorted(positions)
        assert positions[0] < positions[1] < positions[2] == writer.recorder.max_notification_id()
        # A now lags behind B: its catch-up finds B's work done and applies nothing again.
        assert first.read_models.projector.catch_up().applied == 0
        assert second.read_models.projector.catch_up().applied == 0
        assert tracking_position(engine) == positions[2]
        check_exactly_once(writer, engine)
        titles = [writer.get_idea(idea).title for idea in newest]
        assert titles == [f"Dritte Welle {n}" for n in range(3)]
    finally:
        engine.dispose()
