"""Erasure and subject access (GDPR-2, GDPR-7) through the application, on both backends.

Erasing a person records Person.Deactivated (if active) and Person.Erased, deletes their
directory row and account, and leaves a history that still replays, rebuilds and names
them "gelöschte Person". The subject access export lists every event that references them.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import text

from ideation.application.errors import (
    ConcurrencyConflict,
    LoginFailed,
    NotFound,
    PermissionDenied,
)
from ideation.application.privacy import relation_to
from ideation.application.service import IdeationApplication
from ideation.domain.errors import DomainError, IllegalTransition, ReasonRequired
from ideation.entrypoints.cli import main
from tests.conftest import Backend, Cast, event_count, make_cast
from tests.integration.test_rebuild import canonical_dump, first_difference

PASSWORD = "Rathaus-Linde-Brunnen"
REASON = "Antrag auf Löschung nach Art. 17 DSGVO vom 3. März"
NAME = "Tim Tiefbau"
EMAIL = "tim@example.org"


@pytest.fixture
def city(app: IdeationApplication, cast: Cast) -> tuple[IdeationApplication, Cast, UUID]:
    """The member Tim with an account, an idea, a comment, a pledge and a group seat."""
    app.create_account(cast.admin, cast.member, "tim", PASSWORD)
    idea = app.submit_idea(cast.member, title="Digitale Parkplätze", summary="Freie Plätze melden")
    app.comment_on_idea(cast.member, idea, 1, "Die Sensoren gibt es schon im Tiefbauamt.")
    other = app.submit_idea(cast.other_member, title="Online-Termine", summary="Bürgerbüro")
    app.pledge_support(cast.member, other, 1, "Wir machen mit")
    app.grant_role(cast.admin, cast.member, 2, "group_member")
    app.add_working_group_member(cast.coordinator, cast.group, 2, cast.member)
    return app, cast, idea


def test_an_erased_person_is_shown_as_deleted_everywhere_and_their_history_stays(
    city: tuple[IdeationApplication, Cast, UUID],
) -> None:
    app, cast, idea = city
    history_before = app.idea_history(idea)
    events_before = event_count(app)

    report = app.erase_person(cast.admin, cast.member, REASON)

    # Exactly two events: Person.Deactivated (Tim was active) and Person.Erased.
    assert event_count(app) == events_before + 2
    assert (report.events_recorded, report.directory_entry_removed, report.account_removed) == (
        2,
        True,
        True,
    )
    assert report.storage_scrubbed
    shown = app.get_person(cast.member)
    assert (shown.display_name, shown.email, shown.active, shown.erased) == (
        "gelöschte Person",
        "",
        False,
        True,
    )
    steps = app.events_since(cast.member, shown.version - 2)
    assert [(s.event_type, s.label, s.reason) for s in steps] == [
        ("Person.Deactivated", "Person deaktiviert", REASON),
        ("Person.Erased", "Personendaten gelöscht", REASON),
    ]
    assert {s.actor_person_id for s in steps} == {cast.admin}
    # The directory and the account are gone; the people list says "gelöschte Person".
    assert app.directory.get(cast.member) is None
    assert app.directory.find_by_email(EMAIL) is None
    assert app.account_username(cast.member) is None
    listed = next(p for p in app.list_people() if p.id == cast.member)
    assert (listed.display_name, listed.email, listed.active) == ("gelöschte Person", "", False)
    # The idea's history is unchanged and names nobody: the name lookup finds no entry.
    assert app.idea_history(idea) == history_before
    assert {e.actor_person_id for e in history_before} >= {cast.member}
    assert app.directory.display_names({cast.member}) == {}
    # Where the application itself writes names (the conflict message), it says so too.
    with pytest.raises(ConcurrencyConflict) as conflict:
        app.comment_on_idea(cast.coordinator, idea, 1, "Zu spät")
    assert "von gelöschte Person" in str(conflict.value)
    assert NAME not in str(conflict.value)


def test_no_read_model_row_holds_the_name_and_a_rebuild_gives_the_same_read_models(
    city: tuple[IdeationApplication, Cast, UUID],
) -> None:
    app, cast, _ = city
    app.erase_person(cast.admin, cast.member, REASON)
    engine = app.read_models.engine
    live = canonical_dump(engine)
    notifications = event_count(app)

    result = app.read_models.projector.rebuild()

    rebuilt = canonical_dump(engine)
    assert result.applied == notifications
    assert rebuilt == live, first_difference(live, rebuilt)
    dumped = json.dumps(rebuilt, ensure_ascii=False)
    assert NAME not in dumped
    assert EMAIL not in dumped
    # Replay of the aggregate from the store (no snapshot yet) gives the erased person.
    person = app.repository.get(cast.member)
    assert (person.erased, person.active) == (True, False)


def test_the_old_account_can_no_longer_sign_in_and_old_sessions_end(
    city: tuple[IdeationApplication, Cast, UUID],
) -> None:
    app, cast, _ = city
    grant = app.authenticate("tim", PASSWORD)
    assert app.session_is_valid(cast.member, grant.session_version)

    app.erase_person(cast.admin, cast.member, REASON)

    assert not app.session_is_valid(cast.member, grant.session_version)
    assert app.signed_in_person(cast.member, grant.session_version) is None
    with pytest.raises(LoginFailed):
        app.authenticate("tim", PASSWORD)
    with pytest.raises(PermissionDenied, match="deaktiviert"):
        app.submit_idea(cast.member, title="Noch eine Idee", summary="nach der Löschung")


def test_erasing_a_deactivated_person_records_one_event(app: IdeationApplication, cast: Cast):
    app.deactivate_person(cast.admin, cast.other_member, 2, "Hat die Stadt verlassen")
    before = event_count(app)

    report = app.erase_person(cast.admin, cast.other_member, REASON)

    assert report.events_recorded == 1
    assert event_count(app) == before + 1
    assert app.get_person(cast.other_member).display_name == "gelöschte Person"


def test_erasing_again_records_nothing_and_repeats_the_clean_up(
    app: IdeationApplication, cast: Cast
) -> None:
    app.erase_person(cast.admin, cast.member, REASON)
    before = event_count(app)

    again = app.erase_person(cast.admin, cast.member, REASON)

    assert (again.events_recorded, again.directory_entry_removed, again.account_removed) == (
        0,
        False,
        False,
    )
    assert event_count(app) == before


def test_the_last_active_admin_cannot_be_erased(app: IdeationApplication, cast: Cast) -> None:
    before = event_count(app)

    with pytest.raises(DomainError) as raised:
        app.erase_person(cast.admin, cast.admin, REASON)

    assert raised.value.code == "person.last_admin"
    assert event_count(app) == before
    assert app.get_person(cast.admin).display_name == "Ada Admin"


def test_an_admin_cannot_erase_their_own_data(app: IdeationApplication, cast: Cast) -> None:
    app.grant_role(cast.admin, cast.coordinator, 2, "admin")
    before = event_count(app)

    with pytest.raises(DomainError) as raised:
        app.erase_person(cast.coordinator, cast.coordinator, REASON)

    assert raised.value.code == "person.erase_self"
    assert event_count(app) == before
    # Another admin may: then the first admin is no longer the last one.
    app.erase_person(cast.admin, cast.coordinator, REASON)
    assert app.get_person(cast.coordinator).erased


@pytest.mark.parametrize("who", ["coordinator", "member", "auditor", "group_member"])
def test_only_admins_may_erase_and_a_refusal_records_nothing(
    app: IdeationApplication, cast: Cast, who: str
) -> None:
    before = event_count(app)

    with pytest.raises(PermissionDenied, match="Personendaten löschen"):
        app.erase_person(getattr(cast, who), cast.other_member, REASON)

    assert event_count(app) == before
    assert app.directory.get(cast.other_member) is not None


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_erasure_without_a_reason_is_refused(
    app: IdeationApplication, cast: Cast, reason: str
) -> None:
    before = event_count(app)

    with pytest.raises(ReasonRequired):
        app.erase_person(cast.admin, cast.member, reason)

    assert event_count(app) == before
    assert app.directory.get(cast.member) is not None


def test_a_stale_version_from_the_page_is_a_conflict(app: IdeationApplication, cast: Cast):
    app.grant_role(cast.admin, cast.member, 2, "auditor")

    with pytest.raises(ConcurrencyConflict, match="Rolle erteilt"):
        app.erase_person(cast.admin, cast.member, REASON, expected_version=2)

    assert app.directory.get(cast.member) is not None


def test_an_erased_person_can_no_longer_be_changed(app: IdeationApplication, cast: Cast) -> None:
    app.erase_person(cast.admin, cast.member, REASON)
    version = app.get_person(cast.member).version
    before = event_count(app)

    for attempt in (
        lambda: app.update_person_details(cast.admin, cast.member, NAME, EMAIL),
        lambda: app.create_account(cast.admin, cast.member, "tim2", PASSWORD),
        lambda: app.reactivate_person(cast.admin, cast.member, version),
        lambda: app.grant_role(cast.admin, cast.member, version, "coordinator"),
    ):
        with pytest.raises(IllegalTransition) as raised:
            attempt()
        assert raised.value.code == "person.erased"

    assert event_count(app) == before
    assert app.directory.get(cast.member) is None
    assert app.account_username(cast.member) is None


def test_people_are_found_by_id_email_or_username(
    city: tuple[IdeationApplication, Cast, UUID],
) -> None:
    app, cast, _ = city
    assert app.find_person(str(cast.member)) == cast.member
    assert app.find_person(" TIM@example.org ") == cast.member
    assert app.find_person("Tim") == cast.member
    for unknown in ("niemand", "niemand@example.org", "00000000-0000-0000-0000-00000000abcd"):
        with pytest.raises(NotFound):
            app.find_person(unknown)


# -- subject access (GDPR-7) -------------------------------------------------------------


def referencing_events(app: IdeationApplication, person_id: UUID) -> list[tuple[int, str]]:
    """Ground truth: decode every stored event and keep those naming the person anywhere."""
    found = []
    for notification in app.recorder.select_notifications(start=1, limit=1_000_000):
        event = app.mapper.to_domain_event(notification)
        relation = relation_to(event, person_id)
        if relation is not None:
            found.append((notification.id, relation))
    return found


def test_the_subject_access_export_lists_everything_that_references_the_person(
    city: tuple[IdeationApplication, Cast, UUID],
) -> None:
    app, cast, idea = city

    document = app.subject_access(cast.member)

    json.dumps(document)  # plain JSON data
    head = app.read_models.chain_head()
    assert document["chain_head"]["position"] == head.position
    assert document["chain_head"]["link"] == head.link
    assert document["person"] | {"id": None, "department_id": None} == {
        "id": None,
        "display_name": NAME,
        "email": EMAIL,
        "erased": False,
        "active": True,
        "department_id": None,
        "department_name": "Tiefbauamt",
        "roles": ["member", "group_member"],
    }
    assert document["account"]["username"] == "tim"
    assert "password_hash" not in json.dumps(document)
    assert [(h["event_type"], h["details"]) for h in document["person_history"]] == [
        ("Person.Registered", {"department_id": str(cast.mobility)}),
        ("Person.RoleGranted", {"role": "member"}),
        ("Person.RoleGranted", {"role": "group_member"}),
    ]
    assert [i["title"] for i in document["ideas_submitted"]] == ["Digitale Parkplätze"]
    assert [(c["idea_id"], c["text"]) for c in document["comments"]] == [
        (str(idea), "Die Sensoren gibt es schon im Tiefbauamt.")
    ]
    assert [(p["department_id"], p["pledged"]) for p in document["pledges"]] == [
        (str(cast.mobility), True)
    ]
    assert [
        (m["working_group_id"], m["joined"]) for m in document["working_group_memberships"]
    ] == [(str(cast.group), True)]
    # Every event that references the person, and nothing else (ground truth: all decoded).
    truth = referencing_events(app, cast.member)
    assert [(e["position"], e["relation"]) for e in document["events"]] == truth
    assert document["counts"] == {
        "events": 7,
        "acted": 3,  # submitted, commented, pledged
        "concerns": 3,  # registered, two roles granted
        "names": 1,  # taken into the working group
    }


def test_after_erasure_the_export_still_lists_the_events_but_no_personal_data(
    city: tuple[IdeationApplication, Cast, UUID],
) -> None:
    app, cast, _ = city
    app.erase_person(cast.admin, cast.member, REASON)

    document = app.subject_access(cast.member)

    dumped = json.dumps(document, ensure_ascii=False)
    assert NAME not in dumped
    assert EMAIL not in dumped
    assert document["person"]["display_name"] == "gelöschte Person"
    assert document["account"] is None
    assert document["counts"]["events"] == 9  # the 7 above, Deactivated and Erased
    assert [h["event_type"] for h in document["person_history"]][-2:] == [
        "Person.Deactivated",
        "Person.Erased",
    ]


def test_the_subject_access_export_of_an_unknown_person_is_not_found(
    app: IdeationApplication,
) -> None:
    with pytest.raises(NotFound):
        app.subject_access(UUID("00000000-0000-0000-0000-00000000abcd"))


# -- PostgreSQL: the directory tables are rewritten -------------------------------------


@pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_on_postgresql_erasure_rewrites_the_directory_tables(backend: Backend) -> None:
    """VACUUM FULL gives people and accounts new files (the old ones, with the row, go)."""
    app = backend.build()
    cast = make_cast(app)
    app.create_account(cast.admin, cast.member, "tim", PASSWORD)
    query = text("SELECT pg_relation_filepath('people'), pg_relation_filepath('accounts')")
    with app.directory.engine.connect() as conn:
        files_before = conn.execute(query).one()

    report = app.erase_person(cast.admin, cast.member, REASON)

    with app.directory.engine.connect() as conn:
        files_after = conn.execute(query).one()
        leftovers = conn.execute(
            text("SELECT count(*) FROM people WHERE email = :email"), {"email": EMAIL}
        ).scalar_one()
    assert report.storage_scrubbed
    assert leftovers == 0
    assert files_after[0] != files_before[0]
    assert files_after[1] != files_before[1]


# -- the command line: ideation people erase / access ------------------------------------


@pytest.fixture
def cli_env(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point `ideation …` at the test's store, as the operator's environment would."""
    settings = backend.settings
    for key in [k for k in os.environ if k.startswith("IDEATION_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("IDEATION_INSTANCE_PATH", str(settings.instance_path))
    monkeypatch.setenv("IDEATION_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("IDEATION_PASSWORD_HASHING", "fast-for-tests")
    if settings.database_schema:
        monkeypatch.setenv("IDEATION_DATABASE_SCHEMA", settings.database_schema)


def test_the_command_line_asks_before_erasing_and_cancels_without_a_yes(
    app: IdeationApplication,
    cast: Cast,
    cli_env: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app.create_account(cast.admin, cast.admin, "ada", PASSWORD)
    before = event_count(app)
    monkeypatch.setattr("sys.stdin", io.StringIO("nein\n"))

    code = main(["people", "erase", EMAIL, "--reason", REASON, "--as", "ada"])

    out = capsys.readouterr()
    assert code == 3
    assert f"{NAME} <{EMAIL}>" in out.out
    assert "Bitte „ja“ eingeben" in out.out
    assert "Abgebrochen; nichts wurde gelöscht." in out.err
    assert event_count(app) == before

    monkeypatch.setattr("sys.stdin", io.StringIO("ja\n"))
    assert main(["people", "erase", EMAIL, "--reason", REASON, "--as", "ada"]) == 0
    assert "gelöscht" in capsys.readouterr().out
    assert event_count(app) == before + 2
    assert app.get_person(cast.member).display_name == "gelöschte Person"


def test_the_command_line_refuses_a_non_admin_and_an_unknown_person(
    app: IdeationApplication, cast: Cast, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    app.create_account(cast.admin, cast.coordinator, "clara", PASSWORD)
    before = event_count(app)

    refused = main(["people", "erase", EMAIL, "--reason", REASON, "--as", "clara", "--yes"])
    assert refused == 1
    assert "Abgebrochen" not in capsys.readouterr().err
    unknown = main(["people", "erase", "niemand@example.org", "--reason", REASON, "--as", "clara"])
    assert unknown == 1
    assert "Abgelehnt: Die Person wurde nicht gefunden." in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["people", "erase", EMAIL, "--as", "clara", "--yes"])  # no --reason
    assert usage.value.code == 2
    assert event_count(app) == before


def test_the_command_line_writes_the_subject_access_export(
    app: IdeationApplication,
    cast: Cast,
    cli_env: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["people", "access", str(cast.member)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["person"]["email"] == EMAIL

    target = tmp_path / "auskunft.json"
    assert main(["people", "access", EMAIL, "--output", str(target)]) == 0
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["person"]["display_name"] == NAME
    assert target.stat().st_mode & 0o777 == 0o600
    assert f"in {target} geschrieben" in capsys.readouterr().err
