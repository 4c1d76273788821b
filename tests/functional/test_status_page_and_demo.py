"""The placeholder page starts, and the demo city is created once through real commands."""

from __future__ import annotations


def test_the_start_page_counts_ideas_per_stage_after_seeding(web_app, cast, member_client) -> None:
    client = member_client
    fresh = client.get("/")
    assert fresh.status_code == 200
    assert "<dt>Eingerichtet</dt><dd>ja</dd>" in fresh.text
    assert '<th scope="row">Eingereicht</th><td class="number">0</td>' in fresh.text

    ideation = web_app.extensions["ideation"]
    ideation.submit_idea(cast.member, title="Eine neue Idee", summary="Zum Zählen")
    counted = client.get("/")
    assert '<th scope="row">Eingereicht</th><td class="number">1</td>' in counted.text
