"""The peer (benchmarks/peer): same routes, same history steps as ours, stale versions refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from benchmarks.generate import city_start, generate, summarise_script
from benchmarks.peer.app import create_peer_app
from benchmarks.peer.generate import load_city, person_token
from benchmarks.peer.models import Idea
from benchmarks.peer.service import PeerService
from flask.testing import FlaskClient
from sqlalchemy.orm.exc import StaleDataError

from ideation.application.service import IdeationApplication
from ideation.bootstrap import build_application
from ideation.config import Settings
from tests.conftest import POSTGRES_URL, Backend, make_cast

API = "/api/v1"
REVISIONS = (
    ({"title": "Parkhäuser mit freien Plätzen online zeigen"}, "Titel geschärft"),
    ({"summary": "Belegung live auf der Website", "themes": ["Mobilität", "Open Data"]}, ""),
)
API_NAMES = {"description": "benefit"}


@pytest.fixture
def peer(backend: Backend) -> Iterator[PeerService]:
    """The peer on the same kind of database as the parametrised backend."""
    if backend.name == "postgres":
        service = PeerService.connect(POSTGRES_URL, schema=backend.settings.database_schema)
    else:
        url = f"sqlite:///{backend.settings.instance_path / 'peer.sqlite3'}"
        backend.settings.instance_path.mkdir(parents=True, exist_ok=True)
        service = PeerService.connect(url)
    yield service
    service.dispose()


@pytest.fixture
def client(peer: PeerService) -> FlaskClient:
    return create_peer_app("unused", service=peer).test_client()


def peer_cast(peer: PeerService) -> dict[str, UUID]:
    """A coordinator, a member of another department and a working group with one member."""
    digital = peer.add_department("Stabsstelle Digitalisierung", "DIG", "administration")
    mobility = peer.add_department("Tiefbauamt", "66", "administration")
    citizens = peer.add_department("Bürgerdienste", "33", "administration")
    people = {
        "coordinator": peer.add_person(
            "Clara Koordination", "c@x.example", digital, ["coordinator"], token=person_token("c")
        ),
        "member": peer.add_person(
            "Tim Tiefbau", "t@x.example", mobility, ["member"], token=person_token("m")
        ),
        "other": peer.add_person(
            "Berta Bürgerdienst", "b@x.example", citizens, ["member"], token=person_token("o")
        ),
        "group_member": peer.add_person(
            "Greta Gruppe", "g@x.example", citizens, ["group_member"], token=person_token("g")
        ),
    }
    people["group"] = peer.form_group(
        "AG Mobilität", "Mobilität", mobility, [people["group_member"]]
    )
    return people


def as_(key: str, version: int | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {person_token(key)}"}
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    return headers


def steps_of_ours(app: IdeationApplication) -> list[tuple[Any, ...]]:
    """Run the scripted operations through our application; return its history's steps."""
    cast = make_cast(app)
    idea = app.submit_idea(
        cast.member, title="Parkhäuser online zeigen", summary="Freie Plätze", description="Nutzen"
    )
    for version, (changes, note) in enumerate(REVISIONS, start=1):
        app.revise_idea(cast.member, idea, version, dict(changes), note)
    app.assess_idea(
        cast.coordinator, idea, 3, impact=4, effort=2, expected_weeks=8, rationale="Schnell"
    )
    app.comment_on_idea(cast.other_member, idea, 4, "Gute Idee")
    app.assign_idea_to_working_group(cast.coordinator, idea, 5, cast.group)
    app.recommend(cast.group_member, idea, 6, "accept", "Machbar")
    app.accept_idea(cast.coordinator, idea, 7, "Quick Win")
    return [
        (
            e.aggregate_type,
            e.event_type,
            e.version,
            e.kind,
            e.reason,
            [(API_NAMES.get(c.field, c.field), c.old, c.new) for c in e.changes],
        )
        for e in app.idea_history(idea)
    ]


def steps_of_the_peer(client: FlaskClient, people: dict[str, UUID]) -> list[tuple[Any, ...]]:
    """The same operations over the peer's HTTP routes; its history's steps."""
    created = client.post(
        f"{API}/ideas",
        json={"title": "Parkhäuser online zeigen", "summary": "Freie Plätze", "benefit": "Nutzen"},
        headers=as_("m"),
    )
    assert created.status_code == 201, created.json
    idea = created.json["id"]
    assert created.headers["ETag"] == '"1"'
    for version, (changes, note) in enumerate(REVISIONS, start=1):
        body = {**changes, "note": note, "expected_version": version}
        revised = client.patch(f"{API}/ideas/{idea}", json=body, headers=as_("m"))
        assert revised.status_code == 200, revised.json
    calls = [
        (
            "assessment",
            "c",
            {"impact": 4, "effort": 2, "expected_weeks": 8, "rationale": "Schnell"},
        ),
        ("comments", "o", {"text": "Gute Idee"}),
        ("assignment", "c", {"working_group_id": str(people["group"])}),
    ]
    for version, (route, who, body) in enumerate(calls, start=3):
        answer = client.post(f"{API}/ideas/{idea}/{route}", json=body, headers=as_(who, version))
        assert answer.status_code in (200, 201), answer.json
    recommended = client.post(
        f"{API}/working-groups/{people['group']}/recommendations",
        json={"idea_id": idea, "recommendation": "accept", "reasoning": "Machbar"},
        headers=as_("g", 6),
    )
    assert recommended.status_code == 200, recommended.json
    accepted = client.post(
        f"{API}/ideas/{idea}/decision",
        json={"outcome": "accept", "reason": "Quick Win", "expected_version": 7},
        headers=as_("c"),
    )
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["stage"] == "planned"
    assert accepted.json["quick_win"] is True
    history = client.get(f"{API}/ideas/{idea}/history", headers=as_("c"))
    assert history.status_code == 200
    return [
        (
            e["aggregate"],
            e["type"],
            e["version"],
            e["kind"],
            e["reason"],
            [(c["field"], c["old"], c["new"]) for c in e["changes"]],
        )
        for e in history.json["items"]
    ]


def test_the_peer_history_has_the_same_steps_as_ours(
    app: IdeationApplication, peer: PeerService, client: FlaskClient
) -> None:
    ours = steps_of_ours(app)
    theirs = steps_of_the_peer(client, peer_cast(peer))

    assert [step[1] for step in ours] == [
        "Idea.Submitted",
        "Idea.Revised",
        "Idea.Revised",
        "Idea.Assessed",
        "Idea.Commented",
        "Idea.AssignedToWorkingGroup",
        "Idea.Recommended",
        "Idea.Accepted",
        "Measure.Planned",
    ]
    assert theirs == ours


def test_the_peer_refuses_a_stale_version(peer: PeerService, client: FlaskClient) -> None:
    peer_cast(peer)
    idea = client.post(
        f"{API}/ideas", json={"title": "Ampeln digital", "summary": "Grüne Welle"}, headers=as_("m")
    ).json["id"]
    first = client.patch(
        f"{API}/ideas/{idea}",
        json={"title": "Ampeln vernetzt", "expected_version": 1},
        headers=as_("m"),
    )
    assert first.status_code == 200

    stale = client.patch(
        f"{API}/ideas/{idea}",
        json={"title": "Ampeln smart", "expected_version": 1},
        headers=as_("m"),
    )
    assert stale.status_code == 409
    assert stale.json["error"]["code"] == "conflict"
    assert stale.json["error"]["current_version"] == 2
    by_header = client.post(
        f"{API}/ideas/{idea}/comments", json={"text": "Und nachts?"}, headers=as_("o", 1)
    )
    assert by_header.status_code == 412
    missing = client.post(f"{API}/ideas/{idea}/comments", json={"text": "?"}, headers=as_("o"))
    assert missing.status_code == 428
    assert client.get(f"{API}/ideas/{idea}").status_code == 401

    # A lost update between the check and the commit: SQLAlchemy's version_id_col refuses it.
    with peer.sessions() as session:
        loaded = session.get(Idea, UUID(idea))
        session.commit()
        client.patch(
            f"{API}/ideas/{idea}",
            json={"summary": "Nachts aus", "expected_version": 2},
            headers=as_("m"),
        )
        loaded.title = "Verlorene Änderung"
        with pytest.raises(StaleDataError):
            session.commit()
    current = client.get(f"{API}/ideas/{idea}", headers=as_("m")).json
    assert current["version"] == 3
    assert current["title"] == "Ampeln vernetzt"


def test_the_peer_lists_and_filters_ideas(peer: PeerService, client: FlaskClient) -> None:
    peer_cast(peer)
    for n in range(3):
        client.post(
            f"{API}/ideas",
            json={"title": f"Idee {n} Radwege", "summary": "Kurz"},
            headers=as_("m"),
        )
    page = client.get(f"{API}/ideas?limit=2", headers=as_("c")).json
    assert [item["title"] for item in page["items"]] == ["Idee 0 Radwege", "Idee 1 Radwege"]
    rest = client.get(f"{API}/ideas?limit=2&after={page['next']}", headers=as_("c")).json
    assert [item["title"] for item in rest["items"]] == ["Idee 2 Radwege"]
    assert rest["next"] is None
    found = client.get(f"{API}/ideas?q=idee 1", headers=as_("c")).json["items"]
    assert [item["title"] for item in found] == ["Idee 1 Radwege"]
    assert client.get(f"{API}/ideas?stage=submitted", headers=as_("c")).json["items"]
    assert not client.get(f"{API}/ideas?stage=planned", headers=as_("c")).json["items"]


def test_the_same_city_gives_the_same_histories_in_both(tmp_path: Path) -> None:
    """The synthetic city written into ours and loaded into the peer through its model layer:
    the same script, one version per command, the same history steps per idea."""
    start = city_start()
    settings = Settings.from_env(
        {
            "IDEATION_INSTANCE_PATH": str(tmp_path / "ours"),
            "IDEATION_PASSWORD_HASHING": "fast-for-tests",
        }
    )
    app = build_application(settings)
    peer = PeerService.connect(f"sqlite:///{tmp_path / 'peer.sqlite3'}")
    try:
        ours = generate(app, ideas=3, seed=5, start=start)
        theirs = load_city(peer, ideas=3, seed=5, start=start)
        versions = []
        for our_id, their_id in zip(ours.ideas, theirs.ideas, strict=True):
            our_steps = [
                (
                    e.aggregate_type,
                    e.event_type,
                    e.version,
                    [(API_NAMES.get(c.field, c.field), c.old, c.new) for c in e.changes],
                )
                for e in app.idea_history(our_id)
            ]
            their_steps = [
                (
                    e["aggregate"],
                    e["type"],
                    e["version"],
                    [(c["field"], c["old"], c["new"]) for c in e["changes"]],
                )
                for e in peer.idea_history(their_id)
            ]
            assert their_steps == our_steps
            versions.append(len(their_steps))
    finally:
        peer.dispose()
        app.close()
        app.directory.engine.dispose()
    script = summarise_script(3, 5)
    assert ours.digest == theirs.digest == script.digest
    assert versions == theirs.events_per_idea == list(script.events_per_idea)
    assert all(versions[i] > 300 for i in theirs.heavy)
