"""Evidence export (Nachweis) of one idea: the complete trail as a PDF and as JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from weasyprint.formatting_structure import boxes

from ideation.domain.clock import utc_now
from ideation.entrypoints.pages import evidence
from tests.conftest import Cast
from tests.functional.conftest import sign_in

COMMENTS = 30  # enough steps for several A4 pages

LABELS = [
    "Idee eingereicht",
    "Idee überarbeitet",
    *["Kommentar"] * COMMENTS,
    "Bewertet",
    "an Arbeitsgruppe übergeben",
    "Sitzung protokolliert",
    "Empfehlung der Arbeitsgruppe",
    "Angenommen",
    "Maßnahme geplant",
    "Ziel festgelegt",
    "Fortschritt gemeldet",
]


class SteppingClock:
    """A clock that starts at a fixed past moment and moves one hour per reading."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(hours=1)
        return self.now


@pytest.fixture
def planner(web_app: Flask):
    return web_app.extensions["ideation"]


@pytest.fixture
def idea(planner, cast: Cast) -> UUID:
    """An idea with a long history: revision, many comments, decision, measure with a goal."""
    planner.clock = SteppingClock(dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC))
    idea = planner.submit_idea(
        cast.member,
        title="Bäume per Sensor bewässern",
        summary="Bodenfeuchte messen und nur bei Bedarf gießen",
        themes=["Umwelt"],
    )
    planner.revise_idea(
        cast.member,
        idea,
        1,
        {"summary": "Bodenfeuchte an Straßenbäumen messen und nur bei Bedarf gießen"},
        "Straßenbäume präzisiert",
    )
    version = 2
    for n in range(COMMENTS):
        author = cast.other_member if n % 2 == 0 else cast.member
        planner.comment_on_idea(author, idea, version, f"Beitrag Nummer {n + 1} zur Bewässerung.")
        version += 1
    planner.assess_idea(
        cast.coordinator,
        idea,
        version,
        impact=4,
        effort=2,
        expected_weeks=8,
        rationale="Klein, sichtbar",
    )
    planner.assign_idea_to_working_group(cast.coordinator, idea, version + 1, cast.group)
    planner.record_meeting(
        cast.group_member,
        cast.group,
        planner.get_working_group(cast.group).version,
        held_on=dt.date(2026, 3, 4),
        format="online",
        notes="Pilot an zehn Bäumen besprochen",
        idea_ids=[idea],
    )
    planner.recommend(cast.group_member, idea, version + 2, "accept", "Pilot lohnt sich")
    measure = planner.accept_idea(cast.coordinator, idea, version + 3, "Quick Win für den Sommer")
    planner.set_goal(
        cast.group_member,
        measure,
        1,
        statement="Weniger Gießwasser",
        indicator="Liter je Baum und Sommer",
        target="−30 %",
    )
    planner.report_progress(cast.group_member, measure, 2, 40, "Sensoren bestellt")
    planner.clock = utc_now
    return idea


def page_texts(document) -> list[str]:
    """The text of each laid-out page, margin boxes (header, footer) included.

    WeasyPrint's pages keep their box tree in `_page_box`; reading it avoids a PDF parser.
    """
    texts = []
    for page in document.pages:
        words = [box.text for box in page._page_box.descendants() if isinstance(box, boxes.TextBox)]
        texts.append(re.sub(r"\s+", " ", " ".join(words)))
    return texts


def unpacked(pdf: bytes) -> bytes:
    """The PDF with its compressed streams unpacked (object streams hide the page objects)."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", unpacked(pdf)))


def test_the_pdf_shows_the_whole_trail_with_page_numbers_header_and_chain_head(
    web_app: Flask, cast: Cast, idea: UUID, planner
) -> None:
    planner.directory.remove(cast.other_member)  # Berta's data was erased
    with web_app.test_request_context():
        document = evidence.pdf_document(evidence.collect(idea, cast.auditor))
    pages = page_texts(document)
    total = len(pages)
    assert total > 1
    head = planner.read_models.chain_head()
    assert head.position > 0
    for number, text in enumerate(pages, start=1):
        assert f"Seite {number} von {total}" in text
        assert "Bäume per Sensor bewässern" in text  # the running header
        assert "Exportiert am" in text
        assert f"Kettenkopf: Position {head.position} · {head.link}" in text  # the footer
    everything = " ".join(pages)
    first = pages[0]
    assert "Nachweis einer Idee" in first
    assert "Exportiert von Paula Prüfung" in first
    # Every step, in order, with its label, time, person, department, role and reason.
    steps = re.findall(r"(\d+)\. ([^0-9]+?) \d\d\.\d\d\.2026, \d\d:\d\d –", everything)
    assert [int(n) for n, _ in steps] == list(range(1, len(LABELS) + 1))
    assert [label for _, label in steps] == LABELS
    assert "01.03.2026, 10:00 – Tim Tiefbau, Tiefbauamt, als Mitarbeitende" in everything
    assert "Clara Koordination, Stabsstelle Digitalisierung, als Smart-City-Koordination" in (
        everything
    )
    assert "Begründung: Straßenbäume präzisiert" not in everything  # a note, not a reason
    assert "Hinweis Straßenbäume präzisiert" in everything
    assert "Begründung: Pilot lohnt sich" in everything
    assert "Begründung: Quick Win für den Sommer" in everything
    assert "[hinzugefügt: an Straßenbäumen" in everything
    assert "Beitrag Nummer 30 zur Bewässerung." in everything
    assert "12:00 – gelöschte Person, Bürgerdienste, als Mitarbeitende" in everything
    assert "Berta" not in everything
    # The measure and the decision.
    assert "Weniger Gießwasser" in everything
    assert "Liter je Baum und Sommer" in everything
    assert "40 Prozent" in everything
    assert "Begründung der Entscheidung Quick Win für den Sommer" in everything
    pdf = evidence.pdf_bytes(document)
    assert pdf.startswith(b"%PDF-1.7")
    assert page_count(pdf) == total
    assert b"/StructTreeRoot" in unpacked(pdf)  # tagged for screen readers


def test_the_pdf_download_is_a_pdf_for_the_auditor(
    client: FlaskClient, cast: Cast, planner
) -> None:
    idea = planner.submit_idea(cast.member, title="Kurze Idee", summary="Eine Zeile")
    sign_in(client, "pruefung")
    response = client.get(f"/ideas/{idea}/evidence/evidence.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert page_count(response.data) == 1
    assert response.headers["Cache-Control"] == "no-store"
    assert f'filename="nachweis-idee-{idea}.pdf"' in response.headers["Content-Disposition"]


def test_the_json_export_lists_every_step_in_order_with_label_person_role_and_reason(
    client: FlaskClient, cast: Cast, idea: UUID, planner
) -> None:
    sign_in(client, "koordination")
    response = client.get(f"/ideas/{idea}/evidence/evidence.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = json.loads(response.data)
    assert document["format"] == "ideation.evidence/1"
    assert document["exported_by"]["person_id"] == str(cast.coordinator)
    assert document["exported_at"]["utc"].endswith("+00:00")
    head = planner.read_models.chain_head()
    assert document["chain_head"]["position"] == head.position
    assert document["chain_head"]["link"] == head.link
    assert document["chain_head"]["length"] == head.length
    history = document["history"]
    assert [e["label"] for e in history] == LABELS
    assert [e["number"] for e in history] == list(range(1, len(LABELS) + 1))
    times = [e["time"]["utc"] for e in history]
    assert times == sorted(times)
    first = history[0]
    assert first["actor"] == {
        "person_id": str(cast.member),
        "name": "Tim Tiefbau",
        "department": {"id": str(cast.mobility), "name": "Tiefbauamt"},
        "role": {"code": "member", "label": first["actor"]["role"]["label"]},
    }
    assert first["actor"]["role"]["label"].startswith("Mitarbeitende")
    assert first["time"]["utc"] == "2026-03-01T09:00:00+00:00"
    assert first["time"]["local"] == "2026-03-01T10:00:00+01:00"
    assert first["object"] == {"type": "Idea", "id": str(idea), "version": 1}
    revised = history[1]
    assert revised["changes"] == [
        {
            "field": "summary",
            "label": "Kurzbeschreibung",
            "old": "Bodenfeuchte messen und nur bei Bedarf gießen",
            "new": "Bodenfeuchte an Straßenbäumen messen und nur bei Bedarf gießen",
            "old_text": "Bodenfeuchte messen und nur bei Bedarf gießen",
            "new_text": "Bodenfeuchte an Straßenbäumen messen und nur bei Bedarf gießen",
        }
    ]
    accepted = next(e for e in history if e["label"] == "Angenommen")
    assert accepted["reason"] == "Quick Win für den Sommer"
    assert accepted["actor"]["role"]["label"] == "Smart-City-Koordination"
    assigned = next(e for e in history if e["label"] == "an Arbeitsgruppe übergeben")
    group = next(d for d in assigned["details"] if d["field"] == "working_group_id")
    assert group == {
        "field": "working_group_id",
        "label": "Arbeitsgruppe",
        "value": str(cast.group),
        "text": "AG Mobilität",
    }
    assert document["idea"]["decision_reason"] == "Quick Win für den Sommer"
    assert document["idea"]["stage"]["label"] == "In Umsetzung"
    measure = document["measure"]
    assert measure["progress"] == 40
    assert measure["goals"][0]["statement"] == "Weniger Gießwasser"
    assert measure["working_group"]["name"] == "AG Mobilität"


def test_a_person_whose_data_was_erased_appears_as_deleted_person_in_the_export(
    client: FlaskClient, cast: Cast, idea: UUID, planner
) -> None:
    planner.directory.remove(cast.other_member)
    sign_in(client, "admin")
    document = json.loads(client.get(f"/ideas/{idea}/evidence/evidence.json").data)
    comment = document["history"][2]
    assert comment["label"] == "Kommentar"
    assert comment["actor"]["person_id"] == str(cast.other_member)
    assert comment["actor"]["name"] == "gelöschte Person"
    assert comment["actor"]["department"]["name"] == "Bürgerdienste"
    assert "Berta" not in json.dumps(document, ensure_ascii=False)


def test_members_may_not_export_and_unknown_ideas_are_not_found(
    client: FlaskClient, cast: Cast, planner
) -> None:
    idea = planner.submit_idea(cast.member, title="Kurze Idee", summary="Eine Zeile")
    sign_in(client, "tim")
    assert client.get(f"/ideas/{idea}/evidence/evidence.json").status_code == 403
    assert client.get(f"/ideas/{idea}/evidence/evidence.pdf").status_code == 403
    other = client.application.test_client()
    sign_in(other, "pruefung")
    assert other.get(f"/ideas/{UUID(int=0)}/evidence/evidence.json").status_code == 404
    assert other.get(f"/ideas/{UUID(int=0)}/evidence/evidence.pdf").status_code == 404


def test_the_history_page_links_to_the_export_only_for_the_audit_side(
    client: FlaskClient, cast: Cast, planner
) -> None:
    idea = planner.submit_idea(cast.member, title="Kurze Idee", summary="Eine Zeile")
    sign_in(client, "tim")
    assert "evidence.pdf" not in client.get(f"/ideas/{idea}/history/").text
    auditor = client.application.test_client()
    sign_in(auditor, "pruefung")
    page = auditor.get(f"/ideas/{idea}/history/").text
    assert f'href="/ideas/{idea}/evidence/evidence.pdf"' in page
    assert f'href="/ideas/{idea}/evidence/evidence.json"' in page
    assert "Nachweis als PDF" in page
    assert "Nachweis als JSON" in page


def test_the_renderer_reads_nothing_outside_the_static_folder(web_app: Flask, tmp_path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    fetcher = evidence.StaticFilesOnly(tmp_path / "static")
    (tmp_path / "static").mkdir()
    with pytest.raises(ValueError, match="static"):
        fetcher.fetch(secret.as_uri())
    with pytest.raises(ValueError, match="static"):
        fetcher.fetch("http://example.org/evil.css")
    with pytest.raises(ValueError, match="static"):
        fetcher.fetch((tmp_path / "static" / ".." / "secret.css").as_uri())
