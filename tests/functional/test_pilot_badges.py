"""A person's pilot status shows next to their name where they appear (issue 8, part 2)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Cast
from tests.functional.conftest import sign_in


def badges_after(page: str, name: str) -> list[str]:
    """The pilot badges written right after each occurrence of `name`."""
    return re.findall(
        re.escape(name) + r'\s*<span class="badge badge-pilot[^"]*">([^<]+)</span>', page
    )


def test_the_idea_page_and_the_people_list_show_who_is_a_digital_pilot(
    web_app: Flask, client: FlaskClient, cast: Cast
) -> None:
    # Tim (member) files an idea and comments on it; the coordination notes him as a
    # candidate, Berta comments and is never noted.
    app = web_app.extensions["ideation"]
    idea = app.submit_idea(cast.member, title="Parkplatzsensoren", summary="Freie Plätze zeigen")
    app.comment_on_idea(cast.member, idea, 1, "Ich kann das im Amt erklären.")
    app.comment_on_idea(cast.other_member, idea, 2, "Wir machen mit.")
    pilot = app.nominate_pilot(cast.coordinator, cast.member, "Erklärt gern")

    assert sign_in(client, "koordination").status_code == 302
    page = client.get(f"/ideas/{idea}").text
    assert badges_after(page, "Tim Tiefbau") == ["Kandidatin / Kandidat"] * 2
    assert badges_after(page, "Berta Bürgerdienst") == []

    app.confirm_pilot(cast.coordinator, pilot, 1, "")
    page = client.get(f"/ideas/{idea}").text
    assert badges_after(page, "Tim Tiefbau") == ["Digitallotsin / -lotse"] * 2

    admin = web_app.test_client()
    assert sign_in(admin, "admin").status_code == 302
    people = admin.get("/admin/personen").text
    assert badges_after(people, "Tim Tiefbau</a>") == ["Digitallotsin / -lotse"]
