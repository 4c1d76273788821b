"""The audit log (Prüfprotokoll) and the decision register: access, filters, pages, exports."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from dataclasses import dataclass
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ideation.entrypoints.audit_export import COLUMNS
from ideation.entrypoints.demo import SteppingClock
from tests.conftest import Cast, event_count
from tests.functional.conftest import csrf_token, sign_in

URLS = (
    "/audit/log",
    "/audit/decisions",
    "/audit/log.csv",
    "/audit/log.jsonl",
    "/audit/decisions.csv",
    "/audit/decisions.jsonl",
)
SCRIPTED = "date_from=2030-03-01"


def text_of(page: str) -> str:
    """The visible text of a page, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def labels(page: str) -> list[str]:
    """The event labels of the table's rows, in order."""
    return [html.unescape(t).strip() for t in re.findall(r'<th scope="row">([^<]+)', page)]


def numbers(page: str) -> list[int]:
    """The positions (Nr.) of the table's rows, in order."""
    return [int(n) for n in re.findall(r'<td class="number">(\d+)</td>', page)]


def rows_of(page: str) -> list[str]:
    return re.findall(r"<tr>\s*<td class=\"number\">.*?</tr>", page, flags=re.S)


@dataclass(frozen=True)
class Story:
    cast: Cast
    idea: UUID
    measure: UUID
    portal: UUID


@pytest.fixture
def planner(web_app: Flask):
    return web_app.extensions["ideation"]


@pytest.fixture
def story(planner, cast: Cast) -> Story:
    """Nine events from 2 to 10 March 2030, one day apart (10:00 local time)."""
    planner.clock = SteppingClock(
        dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC), dt.timedelta(days=1)
    )
    idea = planner.submit_idea(
        cast.member, title="Bäume per Sensor bewässern", summary="Nur bei Bedarf gießen"
    )  # 2 March
    planner.assess_idea(
        cast.coordinator, idea, 1, impact=4, effort=2, expected_weeks=8, rationale="Sichtbar"
    )  # 3 March
    planner.assign_idea_to_working_group(cast.coordinator, idea, 2, cast.group)  # 4 March
    planner.recommend(cast.group_member, idea, 3, "accept", "Pilot lohnt sich")  # 5 March
    measure = planner.accept_idea(cast.coordinator, idea, 4, "Quick Win")  # 6 and 7 March
    planner.report_progress(cast.group_member, measure, 1, 40, "Sensoren bestellt")  # 8 March
    portal = planner.submit_idea(cast.other_member, title="Bürgerportal", summary="Online")  # 9
    planner.reject_idea(cast.coordinator, portal, 1, "Gibt es schon")  # 10 March
    planner.clock = None
    return Story(cast, idea, measure, portal)


# -- who may look ------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["pruefung", "koordination"])
def test_auditors_and_the_coordination_see_every_event_in_commit_order(
    client: FlaskClient, planner, story: Story, username: str
) -> None:
    sign_in(client, username)

    page = client.get("/audit/log")

    assert page.status_code == 200
    text = text_of(page.text)
    total = event_count(planner)
    assert f"{total} Ereignisse gefunden, älteste zuerst" in text
    shown = numbers(page.text)
    assert shown == sorted(shown) == list(range(1, min(total, 50) + 1))
    assert labels(page.text)[0] == "Planer eingerichtet"
    assert '<a href="/audit/log" aria-current="page">Prüfprotokoll</a>' in page.text


@pytest.mark.parametrize("username", ["tim", "greta", "admin"])
def test_everyone_else_is_refused_every_audit_page_and_export(
    client: FlaskClient, story: Story, username: str
) -> None:
    sign_in(client, username)

    statuses = {url: client.get(url).status_code for url in URLS}

    assert set(statuses.values()) == {403}, statuses
    assert "Prüfprotokoll" not in client.get("/").text


def test_signed_out_visitors_are_sent_to_the_login(client: FlaskClient, story: Story) -> None:
    response = client.get("/audit/log.csv")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# -- filters and pages -------------------------------------------------------------------


def test_filters_from_the_query_string_return_exactly_the_matching_rows(
    client: FlaskClient, story: Story
) -> None:
    cast = story.cast
    sign_in(client, "pruefung")

    def shown(query: str) -> list[str]:
        response = client.get(f"/audit/log?{query}")
        assert response.status_code == 200, query
        return labels(response.text)

    assert shown("event=Idea.Submitted") == ["Idee eingereicht", "Idee eingereicht"]
    assert shown(f"person={cast.group_member}&{SCRIPTED}") == [
        "Empfehlung der Arbeitsgruppe",
        "Fortschritt gemeldet",
    ]
    # Local days in Europe/Berlin, both ends included.
    assert shown("date_from=2030-03-05&date_to=07.03.2030") == [
        "Empfehlung der Arbeitsgruppe",
        "Angenommen",
        "Maßnahme geplant",
    ]
    assert shown("object_type=Measure&role=group_member") == ["Fortschritt gemeldet"]
    assert shown(f"department={cast.citizens}&{SCRIPTED}") == [
        "Empfehlung der Arbeitsgruppe",
        "Fortschritt gemeldet",
        "Idee eingereicht",
    ]
    assert shown(f"role=coordinator&object_type=Idea&{SCRIPTED}&order=desc") == [
        "Abgelehnt",
        "Angenommen",
        "an Arbeitsgruppe übergeben",
        "Bewertet",
    ]
    kept = client.get(f"/audit/log?person={cast.group_member}&role=group_member").text
    assert f'<option selected value="{cast.group_member}">Greta Gruppe</option>' in kept
    assert '<option selected value="group_member">' in kept


def test_rows_show_time_person_role_reason_and_link_to_the_objects_history(
    client: FlaskClient, story: Story
) -> None:
    sign_in(client, "pruefung")

    page = client.get(f"/audit/log?{SCRIPTED}").text
    rows = dict(zip(labels(page), rows_of(page), strict=True))

    progress = text_of(rows["Fortschritt gemeldet"])
    assert "08.03.2030, 10:00" in progress
    assert "Greta Gruppe" in progress
    assert "Bürgerdienste" in progress
    assert "Mitglied einer Arbeitsgruppe" in progress
    assert '<time datetime="2030-03-08T09:00:00+00:00">' in rows["Fortschritt gemeldet"]
    # Measure steps link to the history of their idea, where they are shown.
    assert f'href="/ideas/{story.idea}/history/"' in rows["Fortschritt gemeldet"]
    assert f'href="/ideas/{story.idea}/history/"' in rows["Angenommen"]
    assert "Quick Win" in text_of(rows["Angenommen"])
    assert f'href="/ideas/{story.portal}/history/"' in rows["Abgelehnt"]
    groups = client.get("/audit/log?object_type=WorkingGroup").text
    assert f'href="/working-groups/{story.cast.group}"' in groups


def test_people_and_departments_link_to_the_administration_only_for_admins(
    client: FlaskClient, planner, story: Story
) -> None:
    cast = story.cast
    sign_in(client, "pruefung")
    plain = client.get("/audit/log?object_type=Person&event=Person.Registered").text
    assert "Tim Tiefbau" in text_of(plain)
    assert "/admin/personen/" not in plain

    planner.grant_role(cast.admin, cast.admin, planner.get_person(cast.admin).version, "auditor")
    admin = FlaskClient(client.application, use_cookies=True)
    sign_in(admin, "admin")
    linked = admin.get("/audit/log?object_type=Person&event=Person.Registered").text
    departments = admin.get("/audit/log?object_type=Department").text

    assert f'href="/admin/personen/{cast.member}"' in linked
    assert f'href="/admin/fachbereiche/{cast.mobility}"' in departments


def test_the_log_comes_in_pages_that_keep_the_filters(
    client: FlaskClient, story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ideation.entrypoints.pages.audit.PAGE_SIZE", 5)
    sign_in(client, "koordination")

    first = client.get(f"/audit/log?{SCRIPTED}").text
    next_link = html.unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    second = client.get(next_link).text
    newest = client.get(f"/audit/log?{SCRIPTED}&order=desc").text

    assert "Seite 1 von 2" in text_of(first)
    assert "date_from=2030-03-01" in next_link
    assert "page=2" in next_link
    assert len(numbers(first)) == 5
    assert len(numbers(second)) == 4
    assert numbers(first)[-1] < numbers(second)[0]
    assert 'rel="prev"' in second
    assert numbers(newest) == sorted(numbers(first) + numbers(second), reverse=True)[:5]
    assert "9 Ereignisse gefunden, neueste zuerst" in text_of(newest)


def test_an_empty_result_says_so(client: FlaskClient, story: Story) -> None:
    sign_in(client, "pruefung")

    page = client.get("/audit/log?event=Measure.Cancelled")

    assert page.status_code == 200
    assert "Kein Ereignis passt zu diesen Filtern." in text_of(page.text)
    assert "<table" not in page.text


# -- the decision register -----------------------------------------------------------------


def test_the_register_lists_decisions_and_recommendations_with_outcome_and_reason(
    client: FlaskClient, story: Story
) -> None:
    sign_in(client, "pruefung")

    page = client.get(f"/audit/decisions?{SCRIPTED}")
    everything = client.get("/audit/decisions").text

    assert page.status_code == 200
    assert labels(page.text) == ["Empfehlung der Arbeitsgruppe", "Angenommen", "Abgelehnt"]
    rows = dict(zip(labels(page.text), rows_of(page.text), strict=True))
    recommended = text_of(rows["Empfehlung der Arbeitsgruppe"])
    assert "Annehmen (AG Mobilität)" in recommended
    assert "Greta Gruppe" in recommended
    assert "Pilot lohnt sich" in recommended
    assert f'href="/measures/{story.measure}"' in rows["Angenommen"]
    assert "Gibt es schon" in rows["Abgelehnt"]
    assert "3 Entscheidungen gefunden" in text_of(page.text)
    # The role grants of the setup are decisions too, with the role as their outcome.
    assert labels(everything).count("Rolle erteilt") == 7
    assert "Prüferin / Prüfer" in text_of(everything)
    assert 'value="Idea.Commented"' not in everything
    assert 'value="Person.RoleRevoked"' in everything


# -- exports -------------------------------------------------------------------------------


def _export_link(page: str, suffix: str) -> str:
    return html.unescape(re.search(rf'href="([^"]+\.{suffix}[^"]*)" download', page).group(1))


def test_the_csv_export_holds_exactly_the_rows_of_the_filtered_view(
    client: FlaskClient, planner, story: Story
) -> None:
    sign_in(client, "pruefung")
    query = f"role=group_member&{SCRIPTED}"
    page = client.get(f"/audit/log?{query}").text

    response = client.get(_export_link(page, "csv"))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="pruefprotokoll-\d{8}-\d{6}\.csv"', disposition)
    assert response.headers["Cache-Control"] == "no-store"
    body = response.data.decode("utf-8")
    assert body.startswith("\ufeff# Prüfprotokoll (ideation); exportiert am ")
    comment, rest = body[1:].split("\r\n", 1)
    assert "Filter: date_from=2030-03-01 role=group_member" in comment
    head = planner.read_models.chain_head()
    assert f"Kettenkopf: {head.position} {head.link} " in comment
    table = list(csv.DictReader(io.StringIO(rest)))
    assert list(table[0]) == list(COLUMNS)
    assert [int(r["position"]) for r in table] == numbers(page)
    assert [r["label"] for r in table] == labels(page)
    assert [r["actor_name"] for r in table] == ["Greta Gruppe", "Greta Gruppe"]
    assert table[0]["reason"] == "Pilot lohnt sich"
    assert table[0]["outcome"] == "accept"
    assert table[1]["idea_id"] == str(story.idea)
    assert table[1]["occurred_at_local"] == "2030-03-08T10:00:00+01:00"


def test_the_json_lines_export_parses_line_by_line(client: FlaskClient, story: Story) -> None:
    sign_in(client, "koordination")
    page = client.get(f"/audit/decisions?{SCRIPTED}&order=desc").text

    response = client.get(_export_link(page, "jsonl"))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/jsonl; charset=utf-8"
    assert "entscheidungsregister-" in response.headers["Content-Disposition"]
    lines = [json.loads(line) for line in response.data.decode("utf-8").splitlines()]
    meta, records = lines[0]["export"], lines[1:]
    assert meta["kind"] == "decision_register"
    assert meta["filters"] == {"date_from": "2030-03-01"}
    assert meta["order"] == "newest_first"
    assert [r["event_type"] for r in records] == [
        "Idea.Rejected",
        "Idea.Accepted",
        "Idea.Recommended",
    ]
    assert [r["position"] for r in records] == numbers(page)
    assert records[0]["reason"] == "Gibt es schon"
    assert records[0]["actor_name"] == "Clara Koordination"
    assert records[1]["related_id"] == str(story.measure)


def test_an_export_of_everything_has_every_event(
    client: FlaskClient, planner, story: Story
) -> None:
    sign_in(client, "pruefung")

    lines = client.get("/audit/log.jsonl").data.decode("utf-8").splitlines()

    assert len(lines) == 1 + event_count(planner)
    assert json.loads(lines[1])["event_type"] == "Installation.Initialised"
    assert json.loads(lines[1])["actor_name"] == "System"


def test_spreadsheet_formulas_in_texts_are_defused_in_the_csv_only(
    client: FlaskClient, planner, cast: Cast
) -> None:
    idea = planner.submit_idea(cast.member, title="=HYPERLINK(1)", summary="Test")
    planner.reject_idea(cast.coordinator, idea, 1, "+1 geht nicht")
    sign_in(client, "pruefung")

    table = client.get("/audit/decisions.csv?event=Idea.Rejected").data.decode("utf-8")
    record = json.loads(
        client.get("/audit/decisions.jsonl?event=Idea.Rejected").data.decode().splitlines()[1]
    )

    row = next(csv.DictReader(io.StringIO(table.split("\r\n", 1)[1])))
    assert (row["subject"], row["reason"]) == ("'=HYPERLINK(1)", "'+1 geht nicht")
    assert (record["subject"], record["reason"]) == ("=HYPERLINK(1)", "+1 geht nicht")


# -- wrong input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message", "field"),
    [
        ("date_from=2030-02-30", "ist kein gültiges Datum für „von“", "date_from"),
        ("date_to=morgen", "ist kein gültiges Datum für „bis“", "date_to"),
        ("date_from=2030-03-05&date_to=2030-03-01", "darf nicht vor dem Datum „von“", "date_to"),
        ("person=niemand", "keine gültige Kennung für „Person“", "person"),
        ("department=42", "keine gültige Kennung für „Fachbereich“", "department"),
        ("role=boss", "Unbekannte Rolle", "role"),
        ("object_type=Idee", "Unbekannte Objektart", "object_type"),
        ("event=Idea.Nonsense", "Unbekanntes Ereignis", "event"),
        ("page=zwei", "Die Seitenzahl muss eine ganze Zahl ab 1 sein.", None),
        ("page=0", "Die Seitenzahl muss eine ganze Zahl ab 1 sein.", None),
    ],
)
def test_bad_filter_values_give_a_german_message_and_400(
    client: FlaskClient, story: Story, query: str, message: str, field: str | None
) -> None:
    sign_in(client, "pruefung")

    page = client.get(f"/audit/log?{query}")

    assert page.status_code == 400
    assert message in text_of(page.text)
    assert "Bitte prüfen Sie Ihre Eingaben" in page.text
    if field:
        assert re.search(
            rf'id="{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field}"', page.text
        )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/audit/log.csv?date_to=morgen", "kein gültiges Datum für „bis“"),
        ("/audit/log.jsonl?person=niemand", "keine gültige Kennung"),
        ("/audit/decisions.csv?event=Idea.Commented", "„Idea.Commented“ ist keine Entscheidung"),
        ("/audit/decisions.jsonl?date_from=1.1.2030&date_to=31.12.2029", "darf nicht vor"),
    ],
)
def test_bad_filter_values_refuse_an_export_with_plain_german_text(
    client: FlaskClient, story: Story, url: str, message: str
) -> None:
    sign_in(client, "pruefung")

    response = client.get(url)

    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert message in response.data.decode("utf-8")
    assert "<" not in response.data.decode("utf-8")


def test_the_register_refuses_an_event_that_is_no_decision(
    client: FlaskClient, story: Story
) -> None:
    sign_in(client, "koordination")

    page = client.get("/audit/decisions?event=Idea.Commented")

    assert page.status_code == 400
    assert "„Idea.Commented“ ist keine Entscheidung" in text_of(page.text)


def test_the_pages_work_in_english(client: FlaskClient, story: Story) -> None:
    sign_in(client, "pruefung")
    client.post("/sprache", data={"locale": "en", "next": "/", "csrf_token": csrf_token(client)})

    log = client.get(f"/audit/log?{SCRIPTED}")
    register = client.get("/audit/decisions")
    export = client.get("/audit/log.csv")
    bad = client.get("/audit/log?date_from=gestern")

    assert (log.status_code, register.status_code, export.status_code) == (200, 200, 200)
    assert bad.status_code == 400
    assert '<html lang="en">' in log.text


# -- the command line ----------------------------------------------------------------------


def test_the_command_line_writes_the_same_export_as_the_page(
    client: FlaskClient,
    web_app: Flask,
    story: Story,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from ideation.entrypoints.cli import main

    monkeypatch.setenv("IDEATION_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("IDEATION_PASSWORD_HASHING", "fast-for-tests")
    target = tmp_path / "register.csv"
    sign_in(client, "pruefung")
    web = client.get(f"/audit/decisions.csv?{SCRIPTED}&role=coordinator").data.decode("utf-8")

    code = main(
        ["audit", "decisions", "--from", "1.3.2030", "--role", "coordinator", "-o", str(target)]
    )

    assert code == 0
    written = target.read_bytes().decode("utf-8")
    assert written.startswith("\ufeff# Entscheidungsregister (ideation); exportiert am ")
    # Apart from the moment of the export, the file is the page's export.
    assert written.split("\r\n")[1:] == web.split("\r\n")[1:]
    assert len(written.split("\r\n")) == 2 + 2 + 1  # comment, header, two rows, end
    assert "Entscheidungsregister: 2 Zeilen nach" in capsys.readouterr().err


def test_the_command_line_refuses_a_bad_filter_in_german(
    web_app: Flask, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ideation.entrypoints.cli import main

    monkeypatch.setenv("IDEATION_INSTANCE_PATH", str(tmp_path / "instance"))

    code = main(["audit", "log", "--from", "2030-02-30", "--format", "jsonl"])

    assert code == 2
    assert "„2030-02-30“ ist kein gültiges Datum für „von“" in capsys.readouterr().err
