"""Read models follow the log: read your writes, other processes' writes, schema changes."""

from __future__ import annotations

from sqlalchemy import inspect, select, text, update

from ideation.readmodels.tables import SCHEMA_VERSION, activity, ideas, meta
from tests.conftest import Backend, event_count, make_cast


def test_every_command_returns_only_after_its_events_are_projected(backend: Backend) -> None:
    app = backend.build()
    cast = make_cast(app)
    idea = app.submit_idea(cast.member, title="Sofort sichtbar", summary="Lesen nach Schreiben")
    app.comment_on_idea(cast.other_member, idea, 1, "Schon zu sehen?")

    projector = app.read_models.projector
    assert projector.position() == app.recorder.max_notification_id()
    with app.read_models.engine.connect() as conn:
        row = conn.execute(select(ideas).where(ideas.c.id == idea)).one()
        activity_rows = conn.execute(select(activity.c.position)).scalars().all()
    assert (row.title, row.comment_count, row.version) == ("Sofort sichtbar", 1, 2)
    assert len(activity_rows) == event_count(app)


def test_a_second_process_sees_the_first_ones_writes_after_catching_up(backend: Backend) -> None:
    writer = backend.build()
    reader = backend.build()
    writer.read_models = None  # a process that only writes and leaves projecting to others
    cast = make_cast(writer)
    idea = writer.submit_idea(cast.member, title="Aus dem anderen Prozess", summary="s")
    assert reader.read_models.projector.is_behind() is True

    reader.read_models.catch_up_if_behind()

    with reader.read_models.engine.connect() as conn:
        title = conn.execute(select(ideas.c.title).where(ideas.c.id == idea)).scalar_one()
    assert title == "Aus dem anderen Prozess"
    assert reader.read_models.projector.is_behind() is False


def test_a_changed_read_model_schema_rebuilds_from_the_log_and_leaves_the_events_alone(
    backend: Backend,
) -> None:
    app = backend.build()
    cast = make_cast(app)
    idea = app.submit_idea(cast.member, title="Überlebt den Umbau", summary="s")
    events_before = event_count(app)
    with app.read_models.engine.begin() as conn:
        conn.execute(update(meta).where(meta.c.key == "schema_version").values(value="0"))
        conn.execute(update(ideas).values(title="veraltet"))

    # A new start sees the old schema version: read models are reset and rebuilt.
    restarted = backend.build()

    assert event_count(restarted) == events_before
    with restarted.read_models.engine.connect() as conn:
        version = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version"))
        title = conn.execute(select(ideas.c.title).where(ideas.c.id == idea)).scalar_one()
        assert version.scalar_one() == str(SCHEMA_VERSION)
    assert title == "Überlebt den Umbau"
    assert restarted.read_models.projector.position() == restarted.recorder.max_notification_id()


def test_an_index_added_to_a_table_is_created_on_start_without_a_rebuild(
    backend: Backend,
) -> None:
    app = backend.build()
    cast = make_cast(app)
    app.submit_idea(cast.member, title="Bleibt, wie sie ist", summary="s")
    # A database from before the index (same schema version) lacks it, and its read models
    # carry a mark that a rebuild would wipe.
    with app.read_models.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_rm_ideas_stage_updated_at"))
        conn.execute(update(ideas).values(title="nicht neu aufgebaut"))

    restarted = backend.build()

    with restarted.read_models.engine.connect() as conn:
        present = {i["name"] for i in inspect(conn).get_indexes(ideas.name)}
        titles = conn.execute(select(ideas.c.title)).scalars().all()
    assert "ix_rm_ideas_stage_updated_at" in present
    assert titles == ["nicht neu aufgebaut"]


def test_re_delivered_notifications_are_not_applied_twice(backend: Backend) -> None:
    app = backend.build()
    cast = make_cast(app)
    idea = app.submit_idea(cast.member, title="Nur einmal zählen", summary="s")
    app.comment_on_idea(cast.other_member, idea, 1, "eins")
    projector = app.read_models.projector

    # A stale projector that believes it is at position 0 fetches the whole log again.
    fetched, applied, position = projector._apply_one_batch(1000, seen=0)

    assert (fetched, applied) == (event_count(app), 0)
    assert position == app.recorder.max_notification_id()
    with app.read_models.engine.connect() as conn:
        comments = conn.execute(select(ideas.c.comment_count).where(ideas.c.id == idea))
        assert comments.scalar_one() == 1
        assert len(conn.execute(select(activity.c.position)).all()) == event_count(app)
