"""The synthetic city of benchmarks/generate.py: deterministic, heavy ideas, about 15 events."""

from __future__ import annotations

from pathlib import Path

from benchmarks.generate import (
    TARGET_EVENTS_PER_IDEA,
    GeneratedCity,
    generate,
    heavy_ideas,
    summarise_script,
)

from ideation.application.service import IdeationApplication
from ideation.bootstrap import build_application
from ideation.config import Settings

TINY = 30


def stored_events_per_idea(app: IdeationApplication, city: GeneratedCity) -> list[int]:
    """Events in the store for each idea and its measure, in submission order."""
    counts = []
    for index, idea_id in enumerate(city.ideas):
        count = len(list(app.events.get(idea_id)))
        if index in city.measures:
            count += len(list(app.events.get(city.measures[index])))
        counts.append(count)
    return counts


def write_city(folder: Path, seed: int = 7) -> tuple[GeneratedCity, list[int], int]:
    settings = Settings.from_env(
        {
            "IDEATION_INSTANCE_PATH": str(folder),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
        }
    )
    app = build_application(settings)
    try:
        city = generate(app, ideas=TINY, seed=seed)
        stored = stored_events_per_idea(app, city)
        heavy_history = len(app.idea_history(city.heavy_ideas[0]))
        listed = app.read_models.list_ideas().total  # type: ignore[union-attr]
    finally:
        app.close()
        app.directory.engine.dispose()
    assert listed == TINY, "the read models are complete when generate returns"
    return city, stored, heavy_history


def test_same_seed_writes_the_same_city(tmp_path: Path) -> None:
    first, first_stored, heavy_history = write_city(tmp_path / "one")
    second, second_stored, _ = write_city(tmp_path / "two")

    assert first.digest == second.digest == summarise_script(TINY, 7).digest
    assert first_stored == second_stored == first.events_per_idea == second.events_per_idea
    assert list(summarise_script(TINY, 7).events_per_idea) == first_stored
    assert first.ideas != second.ideas, "ids come from the application (uuid4)"
    # The heavy idea carries 300+ events across idea and measure, and its history shows them.
    assert first.heavy == heavy_ideas(TINY)[0]
    assert all(first_stored[i] > 300 for i in first.heavy)
    assert heavy_history > 300
    assert first.events == sum(first_stored)


def test_another_seed_gives_another_script() -> None:
    assert summarise_script(TINY, 1).digest != summarise_script(TINY, 2).digest


def test_about_fifteen_events_per_idea_with_a_few_heavy_ones() -> None:
    summary = summarise_script(1_000, 1)
    heavy, giant = heavy_ideas(1_000)

    average = summary.events / 1_000
    assert abs(average - TARGET_EVENTS_PER_IDEA) < 1.5, average
    assert len(heavy) == 3
    assert all(summary.events_per_idea[i] > 300 for i in heavy)
    assert giant is not None
    assert summary.events_per_idea[giant] > 1_000
    ordinary = [c for i, c in enumerate(summary.events_per_idea) if i not in heavy]
    assert max(ordinary) < 100
