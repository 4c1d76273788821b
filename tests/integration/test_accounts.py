"""Accounts: argon2id hashes, a password policy, throttled logins, sessions that can die."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from ideation.application.errors import LoginFailed, LoginThrottled, PermissionDenied
from ideation.directory.passwords import Passwords
from ideation.domain.errors import InvalidValue
from tests.conftest import Backend, make_cast

GOOD_PASSWORD = "Laterne-Brunnen-Weg-7"


class AdjustableClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> AdjustableClock:
    return AdjustableClock()


@pytest.fixture
def city(backend: Backend, clock: AdjustableClock):
    app = backend.build(clock=clock)
    cast = make_cast(app)
    app.create_account(cast.admin, cast.member, " Tim.Tiefbau ", GOOD_PASSWORD)
    return app, cast


def test_a_person_logs_in_with_the_username_in_any_case(city) -> None:
    app, cast = city
    grant = app.authenticate("TIM.TIEFBAU", GOOD_PASSWORD)
    assert (grant.person_id, grant.session_version) == (cast.member, 1)
    assert app.account_username(cast.member) == "tim.tiefbau"


@pytest.mark.parametrize(
    ("username", "password"),
    [("tim.tiefbau", GOOD_PASSWORD + "x"), ("tim.tiefbau", ""), ("niemand", GOOD_PASSWORD)],
    ids=["wrong password", "empty password", "unknown user"],
)
def test_a_wrong_login_says_the_same_whatever_was_wrong(city, username, password) -> None:
    app, _ = city
    with pytest.raises(LoginFailed, match="Benutzername oder Passwort ist falsch"):
        app.authenticate(username, password)


def test_only_an_admin_creates_accounts_and_usernames_are_unique(city) -> None:
    app, cast = city
    with pytest.raises(PermissionDenied):
        app.create_account(cast.coordinator, cast.other_member, "berta", GOOD_PASSWORD)
    with pytest.raises(InvalidValue, match="vergeben") as taken:
        app.create_account(cast.admin, cast.other_member, "TIM.tiefbau", GOOD_PASSWORD)
    assert taken.value.field == "username"
    with pytest.raises(InvalidValue, match="Benutzername"):
        app.create_account(cast.admin, cast.other_member, "b b", GOOD_PASSWORD)


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("a" * 7 + "Bc1", False),  # 10 characters
        ("Kurz-Pass-1", False),  # 11
        ("Zwölf-Zeich", False),  # 11 with an umlaut
        ("Zwölf-Zeiche", True),  # 12
        ("Lang" * 16, True),  # 64
        ("ä" * 256, True),  # the maximum
        ("x" * 257, False),
        ("Passwort1234", False),  # on the local list, in any case
        ("123qweasdzxc", False),  # among the most common passwords worldwide
        ("Leavemealone", False),
        ("berta-bleibt-da", False),  # contains the username
        ("nur kleinbuchstaben und leerzeichen", True),  # no composition rules
    ],
)
def test_the_password_policy_checks_length_and_guessability_only(
    city, password: str, accepted: bool
) -> None:
    app, cast = city
    if accepted:
        app.create_account(cast.admin, cast.other_member, "berta", password)
        assert app.authenticate("berta", password).person_id == cast.other_member
    else:
        with pytest.raises(InvalidValue) as refused:
            app.create_account(cast.admin, cast.other_member, "berta", password)
        assert refused.value.field == "password"
        assert app.account_username(cast.other_member) is None


def test_a_long_password_is_never_truncated(city) -> None:
    app, cast = city
    long_password = "Satz-" * 40 + "A"
    app.create_account(cast.admin, cast.other_member, "berta", long_password)
    with pytest.raises(LoginFailed):
        app.authenticate("berta", long_password[:-1] + "B")
    assert app.authenticate("berta", long_password).person_id == cast.other_member


def test_stored_hashes_are_argon2id_with_compliant_parameters(backend: Backend) -> None:
    password_hash = Passwords().hash(GOOD_PASSWORD)
    assert password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_a_hash_with_old_parameters_is_replaced_at_the_next_login(backend: Backend, clock) -> None:
    app = backend.build(clock=clock)  # the cheap test profile
    cast = make_cast(app)
    app.create_account(cast.admin, cast.member, "tim", GOOD_PASSWORD)
    assert app.accounts.by_person(cast.member).password_hash.startswith("$argon2id$v=19$m=8,")

    app.passwords = Passwords()  # the parameters change, as after an upgrade
    app.authenticate("tim", GOOD_PASSWORD)

    assert app.accounts.by_person(cast.member).password_hash.startswith("$argon2id$v=19$m=65536,")


def test_after_five_failures_each_attempt_waits_longer_and_a_correct_login_works_later(
    city, clock
) -> None:
    app, cast = city
    for _ in range(5):
        with pytest.raises(LoginFailed):
            app.authenticate("tim.tiefbau", "falsch-falsch-falsch")
    # The fifth failure starts a wait: even the right password is refused unchecked.
    with pytest.raises(LoginThrottled) as throttled:
        app.authenticate("tim.tiefbau", GOOD_PASSWORD)
    assert throttled.value.retry_after_seconds == 3
    assert "Zu viele fehlgeschlagene Anmeldungen" in str(throttled.value)

    clock.advance(seconds=3)
    assert app.authenticate("tim.tiefbau", GOOD_PASSWORD).person_id == cast.member


def test_an_attacker_cannot_lock_the_victim_out_for_more_than_fifteen_minutes(city, clock) -> None:
    app, cast = city
    # 30 attempts in 60 seconds, some refused unchecked because of the growing waits.
    throttled = 0
    for _ in range(30):
        try:
            app.authenticate("tim.tiefbau", "rate-rate-rate")
        except LoginThrottled:
            throttled += 1
        except LoginFailed:
            pass
        clock.advance(seconds=2)
    assert throttled > 0
    clock.advance(minutes=15)
    assert app.authenticate("tim.tiefbau", GOOD_PASSWORD).person_id == cast.member


def test_changing_the_password_or_deactivating_ends_existing_sessions(city) -> None:
    app, cast = city
    grant = app.authenticate("tim.tiefbau", GOOD_PASSWORD)
    assert app.session_is_valid(cast.member, grant.session_version)

    with pytest.raises(InvalidValue, match="bisherige Passwort"):
        app.change_password(cast.member, "geraten-geraten", "Neues-Passwort-2026")
    app.change_password(cast.member, GOOD_PASSWORD, "Neues-Passwort-2026")
    assert not app.session_is_valid(cast.member, grant.session_version)
    with pytest.raises(LoginFailed):
        app.authenticate("tim.tiefbau", GOOD_PASSWORD)

    fresh = app.authenticate("tim.tiefbau", "Neues-Passwort-2026")
    assert app.session_is_valid(cast.member, fresh.session_version)
    app.deactivate_person(cast.admin, cast.member, 2, "Ausgeschieden")
    assert not app.session_is_valid(cast.member, fresh.session_version)
    with pytest.raises(LoginFailed):
        app.authenticate("tim.tiefbau", "Neues-Passwort-2026")


def test_logins_are_logged_as_utc_records_without_secrets(city, caplog) -> None:
    app, cast = city
    caplog.set_level(logging.INFO, logger="ideation.security")
    app.authenticate("tim.tiefbau", GOOD_PASSWORD)
    with pytest.raises(LoginFailed):
        app.authenticate("tim.tiefbau\r\nFAKE login.succeeded", "geheim-geheim-123")
    text = caplog.text
    assert '"event": "login.succeeded"' in text
    assert '"event": "login.failed"' in text
    assert str(cast.member) in text
    for secret in (GOOD_PASSWORD, "geheim-geheim-123", "tim.tiefbau"):
        assert secret not in text
    assert all(record.getMessage().count("\n") == 0 for record in caplog.records)
