"""The whole journey driven only through the JSON API, with tokens of Musterstadt's demo accounts.

The same story as test_journey_pages: from the proposal to the implemented quick win. Every
change sends the ETag of the previous answer as If-Match; at the end GET …/history tells it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from ideation.entrypoints.demo import DEMO_PASSWORD, seed_demo_city

KLIMA_GROUP = "AG Klimaanpassung und Stadtgrün"
TITLE = "Trinkbrunnen mit Füllstandsmeldung in der Innenstadt"


class Session:
    """One demo account talking to the API with its own token, as a script would."""

    def __init__(self, app: Flask, username: str) -> None:
        self.client = app.test_client()
        answer = self.client.post(
            "/api/v1/tokens", json={"username": username, "password": DEMO_PASSWORD}
        )
        assert answer.status_code == 201, answer.get_json()
        self.headers = {"Authorization": f"Bearer {answer.get_json()['token']}"}

    def get(self, path: str, **query: str):
        answer = self.client.get("/api/v1" + path, headers=self.headers, query_string=query)
        assert answer.status_code == 200, answer.get_json()
        return answer

    def send(self, method: str, path: str, etag: str | None, body: dict, status: int = 200):
        headers = dict(self.headers)
        if etag is not None:
            headers["If-Match"] = etag
        answer = self.client.open("/api/v1" + path, method=method, headers=headers, json=body)
        assert answer.status_code == status, answer.get_json()
        return answer


@pytest.fixture
def demo_app(web_app: Flask) -> Flask:
    seed_demo_city(web_app.extensions["ideation"], progress=lambda _message: None)
    return web_app


def test_from_proposal_to_implemented_quick_win_through_the_api(demo_app: Flask) -> None:
    today = dt.date.today().isoformat()
    tiefbau, umwelt = Session(demo_app, "tba"), Session(demo_app, "umw")
    coordination, stadtwerke = Session(demo_app, "koordination"), Session(demo_app, "swm")

    # Tim (Tiefbauamt) submits the idea from his department's system, with an idempotency key;
    # the retry of the same request gives the same idea.
    body = {
        "title": TITLE,
        "summary": "Trinkbrunnen melden Füllstand und Störungen per LoRaWAN.",
        "themes": ["Klimaanpassung", "Sensorik"],
        "origin": "Fachverfahren Tiefbau, Vorgang 2026-117",
    }
    key = {"Idempotency-Key": "tba-2026-117"}
    tiefbau.headers.update(key)
    submitted = tiefbau.send("POST", "/ideas", None, body, status=201)
    again = tiefbau.send("POST", "/ideas", None, body, status=201)
    for name in key:
        del tiefbau.headers[name]
    idea = submitted.get_json()
    assert again.get_json()["id"] == idea["id"]
    assert submitted.headers["Location"].endswith(f"/api/v1/ideas/{idea['id']}")
    path = f"/ideas/{idea['id']}"

    # Ulla (Umweltamt) pledges her department's support.
    etag = umwelt.get(path).headers["ETag"]
    umwelt.send("POST", f"{path}/support", etag, {"note": "Wir betreuen die Standorte."})

    # Clara (coordination) assesses it: small effort, quick, visible: a quick win.
    etag = coordination.get(path).headers["ETag"]
    assessed = coordination.send(
        "POST",
        f"{path}/assessment",
        etag,
        {
            "impact": 4,
            "effort": 2,
            "expected_weeks": 8,
            "rationale": "Geringer Aufwand, vorhandenes Funknetz, sichtbarer Nutzen im Sommer.",
        },
    )
    assert assessed.get_json()["quick_win"] is True

    # She hands it to the climate working group.
    groups = coordination.get("/working-groups").get_json()["items"]
    group = next(g for g in groups if g["name"] == KLIMA_GROUP)
    assigned = coordination.send(
        "POST", f"{path}/assignment", assessed.headers["ETag"], {"working_group_id": group["id"]}
    )

    # Sven (Stadtwerke, member of the group) recommends accepting it.
    recommended = stadtwerke.send(
        "POST",
        f"/working-groups/{group['id']}/recommendations",
        assigned.headers["ETag"],
        {
            "idea_id": idea["id"],
            "recommendation": "accept",
            "reasoning": "Die Gateways decken alle fünf Standorte ab.",
        },
    )

    # Clara accepts it, with a reason; the measure is planned.
    accepted = coordination.send(
        "POST",
        f"{path}/decision",
        recommended.headers["ETag"],
        {"outcome": "accept", "reason": "Quick Win mit Mehrwert für Hitzetage."},
    ).get_json()
    assert accepted["stage"] == "planned"
    measure = f"/measures/{accepted['measure_id']}"

    # Sven sets a goal and a milestone, reaches it, reports progress, implements, and
    # records the benefit for the Tiefbauamt.
    answer = stadtwerke.send(
        "POST",
        f"{measure}/goals",
        stadtwerke.get(measure).headers["ETag"],
        {
            "statement": "Ausfälle der Trinkbrunnen früh erkennen",
            "indicator": "Zeit bis zur Störungsbehebung",
            "target": "unter 24 Stunden",
        },
        status=201,
    )
    answer = stadtwerke.send(
        "POST",
        f"{measure}/milestones",
        answer.headers["ETag"],
        {"title": "Sensoren an allen Brunnen montiert", "due_on": today},
        status=201,
    )
    milestone_id = answer.get_json()["created_id"]
    answer = stadtwerke.send(
        "POST", f"{measure}/milestones/{milestone_id}/reached", answer.headers["ETag"], {}
    )
    answer = stadtwerke.send(
        "POST",
        f"{measure}/progress",
        answer.headers["ETag"],
        {"percent": 80, "note": "Alle Brunnen melden."},
    )
    answer = stadtwerke.send(
        "POST",
        f"{measure}/implementation",
        answer.headers["ETag"],
        {
            "implemented_on": today,
            "outcome": "Fünf Brunnen melden Füllstand und Störungen in Echtzeit.",
        },
    )
    departments = stadtwerke.get("/departments").get_json()
    tiefbauamt = next(d for d in departments if d["short_name"] == "TBA")
    answer = stadtwerke.send(
        "POST",
        f"{measure}/benefits",
        answer.headers["ETag"],
        {
            "department_id": tiefbauamt["id"],
            "description": "Keine Kontrollfahrten mehr zu leeren Brunnen.",
        },
        status=201,
    )
    assert answer.get_json()["stage"] == "implemented"
    assert tiefbau.get(path).get_json()["stage"] == "implemented"

    # The history lists every step in order, with person, department, role and reason.
    steps = tiefbau.get(f"{path}/history").get_json()["items"]
    told = [(s["label"], s["actor"]["name"], s["actor"]["role"]) for s in steps]
    assert told == [
        ("Idee eingereicht", "Tim Tiefbau", "member"),
        ("Mitwirkung zugesagt", "Ulla Umwelt", "member"),
        ("Bewertet", "Clara Koordination", "coordinator"),
        ("an Arbeitsgruppe übergeben", "Clara Koordination", "coordinator"),
        ("Empfehlung der Arbeitsgruppe", "Sven Stadtwerke", "group_member"),
        ("Angenommen", "Clara Koordination", "coordinator"),
        ("Maßnahme geplant", "Clara Koordination", "coordinator"),
        ("Ziel festgelegt", "Sven Stadtwerke", "group_member"),
        ("Meilenstein geplant", "Sven Stadtwerke", "group_member"),
        ("Meilenstein erreicht", "Sven Stadtwerke", "group_member"),
        ("Fortschritt gemeldet", "Sven Stadtwerke", "group_member"),
        ("Umgesetzt", "Sven Stadtwerke", "group_member"),
        ("Mehrwert festgehalten", "Sven Stadtwerke", "group_member"),
    ]
    moments = [s["occurred_at"] for s in steps]
    assert moments == sorted(moments)
    reasons = {s["label"]: s["reason"] for s in steps}
    assert reasons["Empfehlung der Arbeitsgruppe"] == "Die Gateways decken alle fünf Standorte ab."
    assert reasons["Angenommen"] == "Quick Win mit Mehrwert für Hitzetage."
    assert steps[0]["actor"]["department"] == "Tiefbauamt"
    assert steps[2]["actor"]["department"] == "Stabsstelle Digitalisierung"
