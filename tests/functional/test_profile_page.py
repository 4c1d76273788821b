"""The profile page "Mein Zugang": own data, password, signing out everywhere, API tokens."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Cast
from tests.functional.conftest import PASSWORD, assert_api_error, csrf_token, sign_in

NEW_PASSWORD = "Marktplatz-Eiche-Fähre"
TOKEN_FIELD = re.compile(r'id="neuer-token-text"[^>]*value="(idt_[^"]+)"')


def create_token(client: FlaskClient, name: str = "Auswertungsskript", days: str = "90"):
    return client.post(
        "/profil/tokens",
        data={"name": name, "valid_days": days, "csrf_token": csrf_token(client)},
    )


def shown_token(page: str) -> str:
    match = TOKEN_FIELD.search(page)
    assert match, "the page shows no new token"
    return match.group(1)


def api_ideas(web_app: Flask, token: str):
    """GET /api/v1/ideas from a client without cookies, as a script would."""
    return web_app.test_client().get("/api/v1/ideas", headers={"Authorization": f"Bearer {token}"})


def change_password(client: FlaskClient, current: str, new: str, repeat: str | None = None):
    return client.post(
        "/profil/passwort",
        data={
            "current_password": current,
            "new_password": new,
            "new_password_repeat": new if repeat is None else repeat,
            "csrf_token": csrf_token(client),
        },
    )


# -- the page --------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_login_page(client: FlaskClient, cast: Cast) -> None:
    response = client.get("/profil")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert client.post("/profil/ueberall-abmelden").status_code in {302, 400}


def test_the_page_shows_the_persons_name_department_and_roles(
    member_client: FlaskClient,
) -> None:
    response = member_client.get("/profil")
    assert response.status_code == 200
    page = response.text
    assert "<h1>Mein Zugang</h1>" in page
    assert "Tim Tiefbau" in page
    assert "tim@example.org" in page
    assert "Tiefbauamt" in page
    assert "Mitarbeitende eines Fachbereichs oder Kommunalunternehmens" in page
    assert "Sie haben noch keine API-Tokens." in page
    assert 'href="/api/docs"' in page


def test_every_signed_in_person_finds_the_page_in_the_navigation(
    client: FlaskClient, cast: Cast
) -> None:
    sign_in(client, "pruefung")
    start = client.get("/").text
    assert '<a href="/profil">Mein Zugang</a>' in start
    assert '<a href="/profil" aria-current="page">Mein Zugang</a>' in client.get("/profil").text


# -- API tokens ----------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_works_against_the_api(
    member_client: FlaskClient, web_app: Flask
) -> None:
    created = create_token(member_client)
    assert created.status_code == 302
    assert created.headers["Location"] == "/profil#neuer-token"

    first = member_client.get("/profil").text
    token = shown_token(first)
    assert "Dieser Token wird nur jetzt angezeigt." in first
    field = re.search(r'<input id="neuer-token-text"[^>]*>', first).group(0)
    assert "readonly" in field
    assert '<label for="neuer-token-text">' in first
    assert "Token „Auswertungsskript“ erstellt." in first

    second = member_client.get("/profil").text
    assert token not in second
    assert "Dieser Token wird nur jetzt angezeigt." not in second
    assert "Auswertungsskript" in second  # listed, without its text
    assert "aktiv" in second

    response = api_ideas(web_app, token)
    assert response.status_code == 200
    assert "items" in response.get_json()


def test_the_token_list_shows_created_expiry_last_use_and_state(
    member_client: FlaskClient, web_app: Flask
) -> None:
    create_token(member_client, "Skript Baustellen", "30")
    token = shown_token(member_client.get("/profil").text)
    page = member_client.get("/profil").text
    assert "noch nie" in page

    api_ideas(web_app, token)
    page = member_client.get("/profil").text
    row = re.search(r"<tr>\s*<th scope=\"row\">Skript Baustellen</th>(.*?)</tr>", page, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert len(cells) == 5
    created, expires, last_used, state = (c.strip() for c in cells[:4])
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d", created)
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d", expires)
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d", last_used)
    assert state == "aktiv"
    assert "Widerrufen" in cells[4]


def test_the_new_token_never_travels_in_a_url(member_client: FlaskClient) -> None:
    created = create_token(member_client)
    page = member_client.get("/profil").text
    token = shown_token(page)
    assert token not in created.headers["Location"]
    assert not re.search(r'(href|action)="[^"]*' + re.escape(token), page)


def test_revoking_a_token_makes_the_api_answer_401(
    member_client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    create_token(member_client, "Altes Skript")
    token = shown_token(member_client.get("/profil").text)
    [listed] = web_app.extensions["ideation"].list_tokens(cast.member)

    revoked = member_client.post(
        f"/profil/tokens/{listed.id}/widerrufen", data={"csrf_token": csrf_token(member_client)}
    )
    assert revoked.status_code == 302
    assert revoked.headers["Location"] == "/profil"
    page = member_client.get("/profil").text
    assert "Token „Altes Skript“ widerrufen; er gilt ab sofort nicht mehr." in page
    assert "widerrufen (" in page
    assert f"/profil/tokens/{listed.id}/widerrufen" not in page  # no button any more

    assert_api_error(api_ideas(web_app, token), 401, "unauthenticated")


def test_a_person_cannot_revoke_someone_elses_token(
    member_client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    ideation = web_app.extensions["ideation"]
    issued = ideation.create_personal_token(cast.other_member, "Bertas Skript")

    response = member_client.post(
        f"/profil/tokens/{issued.id}/widerrufen", data={"csrf_token": csrf_token(member_client)}
    )
    assert response.status_code == 404
    assert "Bertas Skript" not in member_client.get("/profil").text
    assert api_ideas(web_app, issued.token).status_code == 200


def test_revoking_an_unknown_or_already_revoked_token_shows_the_404_page(
    member_client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    create_token(member_client)
    [listed] = web_app.extensions["ideation"].list_tokens(cast.member)
    url = f"/profil/tokens/{listed.id}/widerrufen"
    assert member_client.post(url, data={"csrf_token": csrf_token(member_client)}).status_code == (
        302
    )
    again = member_client.post(url, data={"csrf_token": csrf_token(member_client)})
    assert again.status_code == 404
    unknown = "/profil/tokens/00000000-0000-4000-8000-000000000000/widerrufen"
    assert member_client.post(
        unknown, data={"csrf_token": csrf_token(member_client)}
    ).status_code == (404)


def test_a_token_needs_a_name_and_one_of_the_offered_validities(
    member_client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    empty = create_token(member_client, "  ")
    assert empty.status_code == 400
    assert "Bitte eine Bezeichnung angeben." in empty.text
    assert 'aria-invalid="true"' in empty.text

    odd = create_token(member_client, "Skript", "7")
    assert odd.status_code == 400
    assert 'id="valid_days-error"' in odd.text

    long = create_token(member_client, "x" * 101)
    assert long.status_code == 400
    assert "Höchstens 100 Zeichen." in long.text

    assert web_app.extensions["ideation"].list_tokens(cast.member) == []


def test_the_validity_offers_30_90_and_365_days_with_90_preselected(
    member_client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    page = member_client.get("/profil").text
    assert re.search(r'<option selected value="90">90 Tage</option>', page)
    assert '<option value="30">30 Tage</option>' in page
    assert '<option value="365">365 Tage (ein Jahr)</option>' in page

    create_token(member_client, "Jahrestoken", "365")
    [listed] = web_app.extensions["ideation"].list_tokens(cast.member)
    assert (listed.expires_at - listed.created_at).days == 365


# -- signing out everywhere -------------------------------------------------------------------


def test_signing_out_everywhere_ends_this_session_and_every_token(
    member_client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    create_token(member_client)
    token = shown_token(member_client.get("/profil").text)
    other_browser = web_app.test_client()
    sign_in(other_browser, "tim")
    assert other_browser.get("/profil").status_code == 200

    response = member_client.post(
        "/profil/ueberall-abmelden", data={"csrf_token": csrf_token(member_client)}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    login_page = member_client.get("/login").text
    assert "Sie sind überall abgemeldet. Ihre API-Tokens gelten nicht mehr." in login_page

    assert member_client.get("/profil").status_code == 302
    assert other_browser.get("/profil").status_code == 302
    assert_api_error(api_ideas(web_app, token), 401, "unauthenticated")

    sign_in(member_client, "tim")
    page = member_client.get("/profil").text
    assert "widerrufen" in page


def test_the_page_says_that_signing_out_everywhere_ends_the_api_tokens(
    member_client: FlaskClient,
) -> None:
    page = member_client.get("/profil").text
    assert "Dabei werden auch alle Ihre API-Tokens widerrufen." in page
    assert "Das normale Abmelden lässt ihn bestehen" in page


# -- password ----------------------------------------------------------------------------------


def test_a_wrong_current_password_is_shown_on_its_field(
    member_client: FlaskClient, web_app: Flask
) -> None:
    response = change_password(member_client, "falsch-falsch-falsch", NEW_PASSWORD)
    assert response.status_code == 422
    error = re.search(
        r'<p class="error-message" id="current_password-error">(.*?)</p>', response.text
    )
    assert error is not None
    assert error.group(1) == "Das bisherige Passwort stimmt nicht."
    assert 'class="error-summary" role="alert"' in response.text
    assert NEW_PASSWORD not in response.text  # password fields are never filled in again
    assert member_client.get("/profil").status_code == 200  # still signed in
    assert sign_in(web_app.test_client(), "tim").status_code == 302  # password unchanged


def test_the_password_policy_message_is_shown_on_the_new_password(
    member_client: FlaskClient,
) -> None:
    short = change_password(member_client, PASSWORD, "kurz-12")
    assert short.status_code == 422
    assert re.search(
        r'id="new_password-error">Das Passwort muss mindestens 12 Zeichen lang sein\.</p>',
        short.text,
    )
    guessable = change_password(member_client, PASSWORD, "tim-und-noch-etwas")
    assert guessable.status_code == 422
    assert "Dieses Passwort ist zu leicht zu erraten." in guessable.text


def test_the_new_password_must_be_repeated_exactly(member_client: FlaskClient) -> None:
    response = change_password(member_client, PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert response.status_code == 400
    assert re.search(
        r'id="new_password_repeat-error">Die beiden neuen Passwörter stimmen nicht überein\.',
        response.text,
    )
    empty = change_password(member_client, "", "", "")
    assert empty.status_code == 400
    assert "Bitte das bisherige Passwort angeben." in empty.text
    assert "Bitte ein neues Passwort angeben." in empty.text


def test_after_a_password_change_the_person_stays_signed_in_and_everything_else_ends(
    member_client: FlaskClient, web_app: Flask
) -> None:
    create_token(member_client)
    token = shown_token(member_client.get("/profil").text)
    copied_cookie = member_client.get_cookie("session").value
    other_browser = web_app.test_client()
    sign_in(other_browser, "tim")

    response = change_password(member_client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/profil"
    page = member_client.get("/profil")
    assert page.status_code == 200
    assert "Ihr Passwort ist geändert. Sie bleiben hier angemeldet" in page.text

    assert other_browser.get("/profil").status_code == 302
    assert_api_error(api_ideas(web_app, token), 401, "unauthenticated")
    stale = web_app.test_client()
    stale.set_cookie("session", copied_cookie)
    assert stale.get("/profil").status_code == 302

    assert sign_in(web_app.test_client(), "tim").status_code == 401
    assert sign_in(web_app.test_client(), "tim", NEW_PASSWORD).status_code == 302


def test_the_language_choice_survives_the_password_change(member_client: FlaskClient) -> None:
    member_client.post(
        "/sprache",
        data={"locale": "en", "next": "/profil", "csrf_token": csrf_token(member_client)},
    )
    change_password(member_client, PASSWORD, NEW_PASSWORD)
    assert 'lang="en"' in member_client.get("/profil").text


# -- CSRF --------------------------------------------------------------------------------------


def test_posts_without_a_csrf_token_are_refused(
    member_client: FlaskClient, web_app: Flask, cast: Cast
) -> None:
    create_token(member_client)
    [listed] = web_app.extensions["ideation"].list_tokens(cast.member)
    attempts = {
        "/profil/tokens": {"name": "Ohne Schutz", "valid_days": "90"},
        f"/profil/tokens/{listed.id}/widerrufen": {},
        "/profil/ueberall-abmelden": {},
        "/profil/passwort": {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_repeat": NEW_PASSWORD,
        },
    }
    for url, data in attempts.items():
        assert member_client.post(url, data=data).status_code == 400, url
    [still] = web_app.extensions["ideation"].list_tokens(cast.member)
    assert still.active
    assert member_client.get("/profil").status_code == 200
    assert sign_in(web_app.test_client(), "tim").status_code == 302  # password unchanged


def test_guessing_the_current_password_is_limited_per_person(
    member_client: FlaskClient,
) -> None:
    statuses = [
        change_password(member_client, f"geraten-{n:04d}-xx", NEW_PASSWORD).status_code
        for n in range(6)
    ]
    assert statuses == [422] * 5 + [429]
    assert member_client.get("/profil").status_code == 200


def test_signing_out_in_the_browser_keeps_the_personal_tokens(
    member_client: FlaskClient, web_app: Flask, cast
) -> None:
    issued = web_app.extensions["ideation"].create_personal_token(cast.member, "Skript", 90)
    page = member_client.get("/profil").text
    token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)
    assert member_client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert member_client.get("/profil").status_code == 302  # signed out
    assert api_ideas(web_app, issued.token).status_code == 200
