"""IdeationApplication: every command and query of the planner, speaking ids and plain data."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID, uuid4, uuid5
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    JSONTranscoder,
    OperationalError,
)

from ideation.application.cooperation import CooperationCommands
from ideation.application.errors import (
    ApplicationError,
    ConcurrencyConflict,
    InvalidRequest,
    LoginFailed,
    LoginThrottled,
    NotFound,
    PermissionDenied,
    StorageBusy,
)
from ideation.application.history import event_type, field_changes, history_entry
from ideation.application.permissions import PERMISSIONS, authorize, permitted_role
from ideation.application.privacy import (
    ErasureReport,
    events_referencing,
    subject_access_document,
)
from ideation.application.security_log import log_security_event, pseudonym
from ideation.application.tokens import TokenCommands
from ideation.application.trails import IdeaTrail, TrailCache
from ideation.application.transcodings import ActorAsDict, DateAsISO
from ideation.application.views import (
    CommentView,
    DepartmentView,
    FieldChange,
    HistoryEntry,
    IdeaView,
    MeasureView,
    PersonView,
    WorkingGroupView,
)
from ideation.directory.accounts import AccountStore, UsernameTaken
from ideation.directory.passwords import PasswordRejected, Passwords, check_password_policy
from ideation.directory.people import (
    DirectoryUnavailable,
    EmailTaken,
    PeopleDirectory,
    PersonRecord,
)
from ideation.directory.tokens import TokenStore
from ideation.domain.actor import ROLE_LABELS, SYSTEM_ACTOR, SYSTEM_PERSON_ID, Actor, Role
from ideation.domain.base import PlannerAggregate, check_reason, check_text
from ideation.domain.clock import Clock, using_clock
from ideation.domain.department import Department
from ideation.domain.errors import N_, DomainError, InvalidValue, msg
from ideation.domain.exchange import ExchangeSession
from ideation.domain.idea import Idea, IdeaStatus
from ideation.domain.installation import INSTALLATION_ID, Installation
from ideation.domain.measure import Measure
from ideation.domain.person import Person
from ideation.domain.pilot import Pilot
from ideation.domain.politics import Faction, PoliticalRound
from ideation.domain.stages import STAGE_LABELS, visible_stage
from ideation.domain.working_group import WorkingGroup
from ideation.readmodels.facade import ReadModels

A = TypeVar("A", bound=PlannerAggregate)

ERASED = "gelöschte Person"

BERLIN = ZoneInfo("Europe/Berlin")
# Namespaces for deterministic ids: an idempotency key (never personal data) → one idea;
# an idea → at most one measure.
IDEMPOTENT_SUBMIT_NAMESPACE = UUID("0b6f3c1e-8f4e-5a7d-9c2b-3e1f6a8d4b70")
MEASURE_NAMESPACE = UUID("5d2a9e47-1c3b-5f68-8a90-b7c6d5e4f321")
MAX_IDEMPOTENCY_KEY_LENGTH = 200
SNAPSHOT_INTERVAL = 50

NOUNS = {
    Idea: N_("Die Idee"),
    Measure: N_("Die Maßnahme"),
    WorkingGroup: N_("Die Arbeitsgruppe"),
    Department: N_("Der Fachbereich"),
    Person: N_("Die Person"),
    ExchangeSession: N_("Das Austauschformat"),
    Pilot: N_("Die Lotsenschaft"),
    Faction: N_("Die Fraktion"),
    PoliticalRound: N_("Die Politische Runde"),
}


FREE_LOGIN_ATTEMPTS = 5
MAX_LOGIN_WAIT = dt.timedelta(minutes=15)
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")


@dataclass(frozen=True)
class SessionGrant:
    """What a successful login hands to the web layer."""

    person_id: UUID
    session_version: int


def normalise_username(username: object) -> str:
    """Usernames are compared lower-cased and without surrounding spaces."""
    return username.strip().lower() if isinstance(username, str) else ""


def check_username(username: object) -> str:
    """Return a valid username, or raise InvalidValue."""
    name = normalise_username(username)
    if not USERNAME_PATTERN.match(name):
        raise InvalidValue(
            "username",
            "Der Benutzername braucht 2–80 Zeichen: Kleinbuchstaben, Ziffern, Punkt, - oder _.",
        )
    return name


def _check_policy(password: str, username: str) -> None:
    try:
        check_password_policy(password, username=username)
    except PasswordRejected as rejected:
        raise InvalidValue("password", rejected.args[0]) from None


def _throttle_until(now: dt.datetime, failures: int) -> dt.datetime | None:
    if failures < FREE_LOGIN_ATTEMPTS:
        return None
    wait = dt.timedelta(seconds=2 ** (failures - FREE_LOGIN_ATTEMPTS + 1))
    return now + min(wait, MAX_LOGIN_WAIT)


class AlreadyInitialised(ApplicationError):
    """The planner already has its first administrator."""

    code = "already_initialised"


class IdeationApplication(TokenCommands, CooperationCommands, Application[UUID]):
    """The planner's application service: commands return ids, queries return plain data."""

    name = "ideation"
    snapshotting_intervals = {  # noqa: RUF012 - the library's class-level setting
        Idea: SNAPSHOT_INTERVAL,
        Measure: SNAPSHOT_INTERVAL,
        WorkingGroup: SNAPSHOT_INTERVAL,
        Person: SNAPSHOT_INTERVAL,
        Department: SNAPSHOT_INTERVAL,
    }

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        directory: PeopleDirectory,
        accounts: AccountStore | None = None,
        tokens: TokenStore | None = None,
        passwords: Passwords | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(env)
        self.directory = directory
        self.accounts = accounts or AccountStore(directory.engine)
        self.tokens = tokens or TokenStore(directory.engine)
        self.passwords = passwords or Passwords()
        self.clock = clock
        self.read_models: ReadModels | None = None
        self.trails = TrailCache()

    def attach_read_models(self, read_models: ReadModels) -> None:
        """Keep `read_models` current: from now on every save waits until they caught up."""
        self.read_models = read_models

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """Store the aggregates' new events, then bring the read models up to date."""
        recordings = super().save(*objs, **kwargs)
        if self.read_models is not None:
            self.read_models.catch_up()
        return recordings

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(ActorAsDict())
        transcoder.register(DateAsISO())

    # ------------------------------------------------------------------
    # Installation
    # ------------------------------------------------------------------

    def initialise(
        self,
        *,
        admin_display_name: str,
        admin_email: str,
        department_name: str,
        department_short_name: str,
        department_kind: str = "administration",
    ) -> tuple[UUID, UUID]:
        """Create the first department and administrator once; return (department_id, person_id)."""
        with self._storage(), using_clock(self.clock):
            department = Department.register(
                id=uuid4(),
                name=department_name,
                short_name=department_short_name,
                kind=department_kind,
                actor=SYSTEM_ACTOR,
            )
            person = Person(id=uuid4(), department_id=department.id, actor=SYSTEM_ACTOR)
            person.grant_role(Role.ADMIN, SYSTEM_ACTOR)
            installation = Installation(
                id=INSTALLATION_ID, first_admin_id=person.id, actor=SYSTEM_ACTOR
            )
            self._add_to_directory(person.id, admin_display_name, admin_email, department.id)
            try:
                self.save(installation, department, person)
            except IntegrityError:
                self.directory.remove(person.id)
                raise AlreadyInitialised(
                    "Der Planer ist bereits eingerichtet.", code="already_initialised"
                ) from None
            except BaseException:
                self.directory.remove(person.id)
                raise
        return department.id, person.id

    def is_initialised(self) -> bool:
        """Tell whether the first administrator has been set up."""
        with self._storage():
            return bool(list(self.events.get(INSTALLATION_ID, lte=1)))

    # ------------------------------------------------------------------
    # Departments
    # ------------------------------------------------------------------

    def register_department(self, actor_id: UUID, name: str, short_name: str, kind: str) -> UUID:
        """Register a department or municipal company; return its id."""
        return self._create(
            "department.register",
            actor_id,
            lambda actor: Department.register(
                id=uuid4(), name=name, short_name=short_name, kind=kind, actor=actor
            ),
        )

    def rename_department(
        self, actor_id: UUID, department_id: UUID, expected_version: int, name: str, short_name: str
    ) -> None:
        """Give a department a new name and short name."""
        self._change(
            "department.rename",
            actor_id,
            Department,
            department_id,
            expected_version,
            lambda d, actor: d.rename(name, short_name, actor),
        )

    def reclassify_department(
        self, actor_id: UUID, department_id: UUID, expected_version: int, kind: str
    ) -> None:
        """Change a department's kind (administration or company)."""
        self._change(
            "department.reclassify",
            actor_id,
            Department,
            department_id,
            expected_version,
            lambda d, actor: d.reclassify(kind, actor),
        )

    # ------------------------------------------------------------------
    # People and roles
    # ------------------------------------------------------------------

    def register_person(
        self,
        actor_id: UUID,
        display_name: str,
        email: str,
        department_id: UUID,
        roles: Sequence[str] = (),
    ) -> UUID:
        """Add a person to the directory and the planner with initial roles; return the id."""
        with self._storage():
            admin = self._actor("person.register", actor_id)
            self._load(Department, department_id)
            with using_clock(self.clock):
                person = Person(id=uuid4(), department_id=department_id, actor=admin)
                for role in dict.fromkeys(roles):
                    person.grant_role(role, admin)
            self._add_to_directory(person.id, display_name, email, department_id)
            try:
                self.save(person)
            except BaseException:
                self.directory.remove(person.id)
                raise
        return person.id

    def update_person_details(
        self, actor_id: UUID, person_id: UUID, display_name: str, email: str
    ) -> None:
        """Correct a person's name or e-mail (personal data lives only in the directory)."""
        with self._storage():
            self._actor("person.update_directory", actor_id)
            self._load(Person, person_id).check_not_erased()
            name, address = self._clean_person_details(display_name, email)
            try:
                self.directory.update(person_id, display_name=name, email=address)
            except EmailTaken:
                raise InvalidValue(
                    "email", "Diese E-Mail-Adresse wird bereits von einer anderen Person genutzt."
                ) from None

    def move_person_to_department(
        self, actor_id: UUID, person_id: UUID, expected_version: int, department_id: UUID
    ) -> None:
        """Assign a person to another department."""
        self._load(Department, department_id)
        self._change(
            "person.move_to_department",
            actor_id,
            Person,
            person_id,
            expected_version,
            lambda p, actor: p.move_to_department(department_id, actor),
        )
        with self._storage():
            # The directory mirrors department and active state for listing people.
            self.directory.update(person_id, department_id=department_id)

    def grant_role(self, actor_id: UUID, person_id: UUID, expected_version: int, role: str) -> None:
        """Grant a person a role."""
        self._change(
            "person.grant_role",
            actor_id,
            Person,
            person_id,
            expected_version,
            lambda p, actor: p.grant_role(role, actor),
        )

    def revoke_role(
        self, actor_id: UUID, person_id: UUID, expected_version: int, role: str, reason: str
    ) -> None:
        """Revoke a person's role, with a reason; the last active admin keeps theirs."""
        if role == Role.ADMIN:
            self._check_not_last_admin(person_id)
        self._change(
            "person.revoke_role",
            actor_id,
            Person,
            person_id,
            expected_version,
            lambda p, actor: p.revoke_role(role, reason, actor),
        )

    def deactivate_person(
        self, actor_id: UUID, person_id: UUID, expected_version: int, reason: str
    ) -> None:
        """Stop a person from acting; their history stays. The last active admin stays."""
        self._check_not_last_admin(person_id)
        self._change(
            "person.deactivate",
            actor_id,
            Person,
            person_id,
            expected_version,
            lambda p, actor: p.deactivate(reason, actor),
        )
        with self._storage():
            # The directory mirrors department and active state for listing people.
            self.directory.update(person_id, active=False)
            # Tokens end for good: a later reactivation does not revive them.
            self.tokens.revoke_all(person_id, self._now())
            if self.accounts.by_person(person_id) is not None:
                self.accounts.bump_session_version(person_id)

    def reactivate_person(
        self, actor_id: UUID, person_id: UUID, expected_version: int, note: str = ""
    ) -> None:
        """Let a deactivated person act again."""
        self._change(
            "person.reactivate",
            actor_id,
            Person,
            person_id,
            expected_version,
            lambda p, actor: p.reactivate(note, actor),
        )
        with self._storage():
            # The directory mirrors department and active state for listing people.
            self.directory.update(person_id, active=True)

    # ------------------------------------------------------------------
    # Erasure and subject access (GDPR Art. 15 and 17; see docs/privacy.md)
    # ------------------------------------------------------------------

    def erase_person(
        self,
        actor_id: UUID,
        person_id: UUID,
        reason: str,
        expected_version: int | None = None,
    ) -> ErasureReport:
        """Erase a person's personal data for good; their history stays, with ids only.

        Records `Person.Deactivated` (if still active) and `Person.Erased` with the reason,
        then deletes the directory row (name, e-mail) and the account (username, password
        hash; their sessions end with it) and scrubs the storage files. Everything that
        shows the person afterwards says "gelöschte Person". Admins only; the last active
        admin and one's own data are refused. Calling it again for an erased person records
        nothing and repeats the clean-up (useful when a lock kept it from finishing).
        """
        if expected_version is not None and (
            isinstance(expected_version, bool) or not isinstance(expected_version, int)
        ):
            raise InvalidRequest("Die erwartete Version ist keine Zahl.")
        recorded = 0
        with self._storage():
            actor = self._actor("person.erase", actor_id)
            check_reason(reason, "Personendaten löschen")
            person = self._load(Person, person_id)
            if not person.erased:
                self._check_not_last_admin(person_id)
                if person_id == actor_id:
                    raise DomainError(
                        "Die eigenen Personendaten kann nur eine andere Person mit der Rolle "
                        "„Administration“ löschen.",
                        code="person.erase_self",
                    )
                if expected_version is not None and person.version != expected_version:
                    raise self._conflict(person_id, expected_version, person.version)
                before = person.version
                with using_clock(self.clock):
                    person.erase(reason, actor)
                try:
                    self.save(person)
                except IntegrityError:
                    current = self._load(Person, person_id)
                    raise self._conflict(person_id, before, current.version) from None
                recorded = person.version - before
            # Tokens and account first: on PostgreSQL their rows refer to the directory row.
            self.tokens.remove_all(person_id)
            account_removed = self.accounts.remove(person_id)
            entry_removed = self.directory.erase(person_id)
            scrubbed = self.directory.scrub()
        log_security_event(
            "person.erased", person_id=person_id, by=actor_id, storage_scrubbed=scrubbed
        )
        return ErasureReport(
            person_id=person_id,
            events_recorded=recorded,
            directory_entry_removed=entry_removed,
            account_removed=account_removed,
            storage_scrubbed=scrubbed,
        )

    def subject_access(
        self, person_id: UUID, *, requested_by: UUID | None = None
    ) -> dict[str, Any]:
        """Everything the planner stores that references the person, as JSON data.

        Directory entry, account (without the password hash), their Person history (roles,
        departments, state), and every event they acted in or that names them, with
        summaries of their ideas, comments, pledges and working-group memberships. Reads
        the whole event log. After erasure it still lists the events, under "gelöschte
        Person" and without e-mail or account. `requested_by` (the signed-in admin) only
        goes into the security log line of the export.
        """
        view = self.get_person(person_id)
        with self._storage():
            account = self.accounts.by_person(person_id)
            try:
                department_name: str | None = self._load(Department, view.department_id).name
            except NotFound:
                department_name = None
            found = list(events_referencing(self.recorder, self.mapper, person_id))
        log_security_event(
            "person.access_exported", person_id=person_id, by=requested_by, events=len(found)
        )
        document = subject_access_document(
            person=view,
            department_name=department_name,
            account=account,
            found=found,
            created_at=self._now(),
        )
        # Like every export, it names the chain head the auditor can check it against.
        if self.read_models is not None:
            head = self.read_models.chain_head()
            document["chain_head"] = {
                "position": head.position,
                "link": head.link,
                "occurred_at": head.occurred_at.isoformat() if head.occurred_at else None,
            }
        return document

    def find_person(self, identifier: str) -> UUID:
        """The person named by an id, an e-mail address or a username (for the command line)."""
        text = identifier.strip() if isinstance(identifier, str) else ""
        try:
            person_id = UUID(text)
        except ValueError:
            with self._storage():
                if "@" in text:
                    record = self.directory.find_by_email(text.lower())
                    found = record.id if record else None
                else:
                    account = self.accounts.by_username(normalise_username(text))
                    found = account.person_id if account else None
            if found is None:
                raise NotFound("Die Person wurde nicht gefunden.") from None
            return found
        self._load(Person, person_id)
        return person_id

    # ------------------------------------------------------------------
    # Accounts and sessions (credentials live beside the directory, never in events)
    # ------------------------------------------------------------------

    def create_account(
        self,
        actor_id: UUID,
        person_id: UUID,
        username: str,
        password: str,
        *,
        enforce_policy: bool = True,
    ) -> None:
        """Give a person a login; `enforce_policy=False` only for demo seeding."""
        with self._storage():
            self._actor("person.manage_account", actor_id)
            self._load(Person, person_id).check_not_erased()
            self._add_account(person_id, username, password, enforce_policy=enforce_policy)
        log_security_event("account.created", person_id=person_id, by=actor_id)

    def authenticate(self, username: str, password: str) -> SessionGrant:
        """Check a login; return who it is and their session version, or raise.

        Per account: after FREE_LOGIN_ATTEMPTS failures in a row, every further attempt
        must wait 2, 4, 8 … seconds (at most 15 minutes) and is refused unchecked until then.
        """
        name = normalise_username(username)
        now = self._now()
        with self._storage():
            account = self.accounts.by_username(name)
            if account is not None and account.locked_until and account.locked_until > now:
                wait = int((account.locked_until - now).total_seconds()) + 1
                log_security_event("login.throttled", person_id=account.person_id, wait=wait)
                raise LoginThrottled(wait)
            if account is None:
                self.passwords.verify_nothing(password or "")  # as slow as a real check
                log_security_event("login.failed", user=pseudonym(name), reason="unknown")
                raise LoginFailed()
            person = self._load(Person, account.person_id)
            if not self.passwords.verify(account.password_hash, password or ""):
                failures = account.failed_logins + 1
                self.accounts.update(
                    account.person_id,
                    failed_logins=failures,
                    locked_until=_throttle_until(now, failures),
                )
                log_security_event("login.failed", person_id=account.person_id, failures=failures)
                raise LoginFailed()
            if not person.active:
                log_security_event("login.failed", person_id=account.person_id, reason="inactive")
                raise LoginFailed()
            changes: dict[str, Any] = {
                "failed_logins": 0,
                "locked_until": None,
                "last_login_at": now,
            }
            if self.passwords.needs_rehash(account.password_hash):
                changes["password_hash"] = self.passwords.hash(password)
            self.accounts.update(account.person_id, **changes)
        log_security_event("login.succeeded", person_id=account.person_id)
        return SessionGrant(account.person_id, account.session_version)

    def session_is_valid(self, person_id: UUID, session_version: int) -> bool:
        """Tell whether a session issued at `session_version` may still act."""
        return self.signed_in_person(person_id, session_version) is not None

    def signed_in_person(self, person_id: UUID, session_version: int) -> PersonView | None:
        """The person behind a session issued at `session_version`, if it may still act."""
        with self._storage():
            account = self.accounts.by_person(person_id)
            if account is None or account.session_version != session_version:
                return None
            try:
                person = self.get_person(person_id)
            except NotFound:
                return None
        return person if person.active else None

    def change_password(self, person_id: UUID, current_password: str, new_password: str) -> None:
        """A person changes their own password; every other session of theirs ends."""
        with self._storage():
            account = self.accounts.by_person(person_id)
            if account is None or not self.passwords.verify(
                account.password_hash, current_password or ""
            ):
                raise InvalidValue("current_password", "Das bisherige Passwort stimmt nicht.")
            self._store_new_password(account.person_id, account.username, new_password)
        log_security_event("password.changed", person_id=person_id)

    def set_password(self, actor_id: UUID, person_id: UUID, new_password: str) -> None:
        """An administrator sets a new password; the person's sessions end."""
        with self._storage():
            self._actor("person.manage_account", actor_id)
            account = self.accounts.by_person(person_id)
            if account is None:
                raise NotFound("Diese Person hat noch keinen Zugang.")
            self._store_new_password(person_id, account.username, new_password)
        log_security_event("password.set", person_id=person_id, by=actor_id)

    def end_all_sessions(self, person_id: UUID, *, including_tokens: bool = False) -> None:
        """Log the person out everywhere (their cookies stop working).

        Signing out in the browser does this too (the cookie is stateless); API tokens end
        only with `including_tokens` ("Überall abmelden" on the profile page), so a script's
        token survives its owner's daily sign-out.
        """
        with self._storage():
            self.accounts.bump_session_version(person_id)
        log_security_event("sessions.ended", person_id=person_id)
        if including_tokens:
            self.revoke_all_tokens(person_id)

    def account_username(self, person_id: UUID) -> str | None:
        """The person's username, or None without an account."""
        with self._storage():
            account = self.accounts.by_person(person_id)
        return account.username if account else None

    def _add_account(
        self, person_id: UUID, username: str, password: str, *, enforce_policy: bool
    ) -> None:
        name = check_username(username)
        if enforce_policy:
            _check_policy(password, name)
        try:
            self.accounts.add(person_id, name, self.passwords.hash(password), self._now())
        except UsernameTaken:
            raise InvalidValue(
                "username",
                "Dieser Benutzername ist vergeben oder die Person hat schon einen Zugang.",
            ) from None

    def _store_new_password(self, person_id: UUID, username: str, password: str) -> None:
        _check_policy(password, username)
        self.accounts.update(
            person_id,
            password_hash=self.passwords.hash(password),
            password_changed_at=self._now(),
            failed_logins=0,
            locked_until=None,
        )
        self.accounts.bump_session_version(person_id)
        # A new password may follow a leaked one: every token ends with the old sessions.
        self.tokens.revoke_all(person_id, self._now())

    def list_people(self) -> list[PersonView]:
        """Everyone in the planner with name, e-mail, roles and state, sorted by name."""
        if self.read_models is None:
            raise ApplicationError("Die Personenliste braucht die Lesemodelle.")
        rows = self.read_models.list_people()
        with self._storage():
            records = {r.id: r for r in self.directory.list_all()}
        views = [
            PersonView(
                id=row.id,
                version=row.version,
                display_name=records[row.id].display_name if row.id in records else ERASED,
                email=records[row.id].email if row.id in records else "",
                department_id=row.department_id,
                roles=row.roles,
                active=row.active,
            )
            for row in rows
        ]
        return sorted(views, key=lambda p: (p.display_name.casefold(), p.id))

    def _check_not_last_admin(self, person_id: UUID) -> None:
        person = self._load(Person, person_id)
        if not person.has_role(Role.ADMIN) or self.read_models is None:
            return
        if self.read_models.count_active_admins() <= 1:
            raise DomainError(
                "Das ist die letzte aktive Administration. Bitte zuerst einer anderen Person "
                "die Rolle „Administration“ geben.",
                code="person.last_admin",
            )

    def _now(self) -> dt.datetime:
        return self.clock() if self.clock is not None else dt.datetime.now(dt.UTC)

    # ------------------------------------------------------------------
    # Ideas
    # ------------------------------------------------------------------

    def submit_idea(
        self,
        actor_id: UUID,
        *,
        title: str,
        summary: str,
        description: str = "",
        themes: Sequence[str] = (),
        idempotency_key: str | None = None,
        origin: str = "",
        origin_session_id: UUID | None = None,
    ) -> UUID:
        """Submit an idea for the actor's department; the same key twice gives the same idea.

        `origin` says in words where the idea came from (another system's reference, say);
        `origin_session_id` names the exchange format session it came from. Both optional.
        """
        idea_id = self._idea_id_for(actor_id, idempotency_key)
        if origin_session_id is not None:
            self._check_origin_session(origin_session_id)
        with self._storage():
            person = self._active_person(actor_id)
            actor = authorize("idea.submit", person, department_id=person.department_id)
            with using_clock(self.clock):
                idea = Idea.submit(
                    id=idea_id,
                    title=title,
                    summary=summary,
                    description=description,
                    themes=list(themes),
                    department_id=person.department_id,
                    origin=origin,
                    origin_session_id=origin_session_id,
                    actor=actor,
                )
            try:
                self.save(idea)
            except IntegrityError:
                if idempotency_key is None:
                    raise
                # The same key was submitted before (double click, retry): same idea.
        return idea_id

    def revise_idea(
        self,
        actor_id: UUID,
        idea_id: UUID,
        expected_version: int,
        changes: dict[str, Any],
        note: str = "",
    ) -> None:
        """Change an idea's title, summary, description or themes."""
        self._idea_change(
            "idea.revise",
            actor_id,
            idea_id,
            expected_version,
            lambda i, actor: i.revise(changes, note, actor),
        )

    def comment_on_idea(
        self,
        actor_id: UUID,
        idea_id: UUID,
        expected_version: int,
        text: str,
        reply_to: UUID | None = None,
    ) -> None:
        """Add a comment to an idea."""
        self._idea_change(
            "idea.comment",
            actor_id,
            idea_id,
            expected_version,
            lambda i, actor: i.comment(text, actor, reply_to=reply_to),
        )

    def pledge_support(
        self, actor_id: UUID, idea_id: UUID, expected_version: int, note: str = ""
    ) -> None:
        """Pledge the actor's department's support for an idea."""
        self._pledge("idea.pledge_support", actor_id, idea_id, expected_version, note)

    def withdraw_support(
        self, actor_id: UUID, idea_id: UUID, expected_version: int, note: str = ""
    ) -> None:
        """Withdraw the actor's department's pledge."""
        self._pledge("idea.withdraw_support", actor_id, idea_id, expected_version, note)

    def assess_idea(
        self,
        actor_id: UUID,
        idea_id: UUID,
        expected_version: int,
        *,
        impact: int,
        effort: int,
        expected_weeks: int,
        rationale: str,
    ) -> None:
        """Record the coordination's assessment (impact, effort, duration, rationale)."""
        self._idea_change(
            "idea.assess",
            actor_id,
            idea_id,
            expected_version,
            lambda i, actor: i.assess(impact, effort, expected_weeks, rationale, actor),
        )

    def override_quick_win(
        self, actor_id: UUID, idea_id: UUID, expected_version: int, quick_win: bool, reason: str
    ) -> None:
        """Overrule the quick-win rule for an idea, with a reason."""
        self._idea_change(
            "idea.override_quick_win",
            actor_id,
            idea_id,
            expected_version,
            lambda i, actor: i.override_quick_win(quick_win, reason, actor),
        )

    def assign_idea_to_working_group(
        self, actor_id: UUID, idea_id: UUID, expected_version: int, working_group_id: UUID
    ) -> None:
        """Hand an idea in review to an active working group."""
        self._refuse_without_role("idea.assign_to_working_group", actor_id)
        group = self._load(WorkingGroup, working_group_id)
        if not group.is_active:
            raise InvalidValue("working_group_id", "Die Arbeitsgruppe ist aufgelöst.")
        self._idea_change(
            "idea.assign_to_working_group",
            actor_id,
            idea_id,
            expected_version,
            lambda i, actor: i.assign_to_working_group(working_group_id, actor),
        )

    def recommend(
        self, actor_id: UUID, idea_id: UUID, expected_version: int, outcome: str, reasoning: str
    ) -> None:
        """Record the working group's recommendation (accept, reject or park) with reasoning."""
        self._idea_change(
            "idea.recommend",
            actor_id,
            idea_id,
            expected_version,
            lambda i, actor: i.recommend(outcome, reasoning, actor),
        )

    def accept_idea(
        self,
        actor_id: UUID,
        idea_id: UUID,
        expected_version: int,
        reason: str,
        owner_department_id: UUID | None = None,
    ) -> UUID:
        """Accept an idea and plan its measure in one atomic save; return the measure id."""
        measure_id = uuid5(MEASURE_NAMESPACE, str(idea_id))
        self._refuse_without_role("idea.accept", actor_id)
        if owner_department_id is not None:
            self._load(Department, owner_department_id)

        def accept(idea: Idea, actor: Actor) -> list[PlannerAggregate]:
            idea.accept(measure_id, reason, actor)
            measure = Measure.plan(
                id=measure_id,
                idea_id=idea.id,
                working_group_id=idea.working_group_id,
                owner_department_id=owner_department_id or idea.department_id,
                title=idea.title,
                quick_win=idea.quick_win,
                actor=actor,
            )
            return [measure]

        self._idea_change("idea.accept", actor_id, idea_id, expected_version, accept)
        return measure_id

    def reject_idea(
        self, actor_id: UUID, idea_id: UUID, expected_version: int, reason: str
    ) -> None:
        """Reject an idea, with a reason."""
        self._idea_change(
            "idea.reject",
            actor_id,
            idea_id,
            expected_version,
            lambda i, actor: i.reject(reason, actor),
        )

    def park_idea(self, actor_id: UUID, idea_id: UUID, expected_version: int, reason: str) -> None:
        """Put an idea aside, with a reason."""
        self._idea_change(
            "idea.park",
            actor_id,
            idea_id,
            expected_version,
            lambda i, actor: i.park(reason, actor),
        )

    def reopen_idea(
        self, actor_id: UUID, idea_id: UUID, expected_version: int, reason: str
    ) -> None:
        """Take a parked idea up again, with a reason."""
        self._idea_change(
            "idea.reopen",
            actor_id,
            idea_id,
            expected_version,
            lambda i, actor: i.reopen(reason, actor),
        )

    def merge_idea(
        self,
        actor_id: UUID,
        idea_id: UUID,
        expected_version: int,
        into_idea_id: UUID,
        reason: str,
    ) -> None:
        """Merge an idea into another open or accepted idea, with a reason."""
        self._refuse_without_role("idea.merge", actor_id)
        if into_idea_id != idea_id:
            target = self._load(Idea, into_idea_id)
            if not (target.is_open or target.status == IdeaStatus.ACCEPTED):
                raise InvalidValue(
                    "into_idea_id",
                    msg(
                        "Die Ziel-Idee ist im Stand „%(stage)s“ und kann nichts aufnehmen.",
                        stage=target.status_label,
                    ),
                )
        self._idea_change(
            "idea.merge",
            actor_id,
            idea_id,
            expected_version,
            lambda i, actor: i.merge_into(into_idea_id, reason, actor),
        )

    def withdraw_idea(
        self, actor_id: UUID, idea_id: UUID, expected_version: int, reason: str
    ) -> None:
        """The submitting department withdraws its idea, with a reason."""
        self._idea_change(
            "idea.withdraw",
            actor_id,
            idea_id,
            expected_version,
            lambda i, actor: i.withdraw(reason, actor),
        )

    # ------------------------------------------------------------------
    # Working groups
    # ------------------------------------------------------------------

    def form_working_group(
        self, actor_id: UUID, name: str, mandate: str, lead_department_id: UUID
    ) -> UUID:
        """Form a working group led by a department; return its id."""
        self._load(Department, lead_department_id)
        return self._create(
            "working_group.form",
            actor_id,
            lambda actor: WorkingGroup.form(
                id=uuid4(),
                name=name,
                mandate=mandate,
                lead_department_id=lead_department_id,
                actor=actor,
            ),
        )

    def add_working_group_member(
        self, actor_id: UUID, working_group_id: UUID, expected_version: int, person_id: UUID
    ) -> None:
        """Take a person into a working group."""
        self._refuse_without_role("working_group.add_member", actor_id)
        member = self._load(Person, person_id)
        if not member.active:
            raise InvalidValue("person_id", "Die Person ist deaktiviert.")
        self._change(
            "working_group.add_member",
            actor_id,
            WorkingGroup,
            working_group_id,
            expected_version,
            lambda g, actor: g.add_member(person_id, actor),
        )

    def remove_working_group_member(
        self,
        actor_id: UUID,
        working_group_id: UUID,
        expected_version: int,
        person_id: UUID,
        note: str = "",
    ) -> None:
        """Let a person leave a working group."""
        self._change(
            "working_group.remove_member",
            actor_id,
            WorkingGroup,
            working_group_id,
            expected_version,
            lambda g, actor: g.remove_member(person_id, note, actor),
        )

    def record_meeting(
        self,
        actor_id: UUID,
        working_group_id: UUID,
        expected_version: int,
        *,
        held_on: dt.date,
        format: str,  # noqa: A002
        notes: str,
        decisions: str = "",
        idea_ids: Sequence[UUID] = (),
    ) -> None:
        """Record a working-group meeting and the ideas it dealt with."""
        if not isinstance(idea_ids, list | tuple):
            raise InvalidValue("idea_ids", "Die besprochenen Ideen sind ungültig angegeben.")
        for idea_id in idea_ids:
            self._load(Idea, idea_id)
        self._change(
            "working_group.record_meeting",
            actor_id,
            WorkingGroup,
            working_group_id,
            expected_version,
            lambda g, actor: g.record_meeting(
                held_on, format, notes, decisions, list(idea_ids), actor
            ),
            scope=lambda g: {"group_members": g.members},
        )

    def dissolve_working_group(
        self, actor_id: UUID, working_group_id: UUID, expected_version: int, reason: str
    ) -> None:
        """Dissolve a working group, with a reason."""
        self._change(
            "working_group.dissolve",
            actor_id,
            WorkingGroup,
            working_group_id,
            expected_version,
            lambda g, actor: g.dissolve(reason, actor),
        )

    # ------------------------------------------------------------------
    # Measures
    # ------------------------------------------------------------------

    def set_goal(
        self,
        actor_id: UUID,
        measure_id: UUID,
        expected_version: int,
        *,
        statement: str,
        indicator: str,
        target: str,
    ) -> UUID:
        """Set a goal of a measure; return the goal id."""
        goal_id = uuid4()
        self._measure_change(
            "measure.set_goal",
            actor_id,
            measure_id,
            expected_version,
            lambda m, actor: m.set_goal(goal_id, statement, indicator, target, actor),
        )
        return goal_id

    def revise_goal(
        self,
        actor_id: UUID,
        measure_id: UUID,
        expected_version: int,
        goal_id: UUID,
        *,
        statement: str,
        indicator: str,
        target: str,
        note: str = "",
    ) -> None:
        """Change a goal's statement, indicator or target."""
        self._measure_change(
            "measure.revise_goal",
            actor_id,
            measure_id,
            expected_version,
            lambda m, actor: m.revise_goal(goal_id, statement, indicator, target, note, actor),
        )

    def note_approach(
        self, actor_id: UUID, measure_id: UUID, expected_version: int, approach: str
    ) -> None:
        """Describe the way the working group chose."""
        self._measure_change(
            "measure.note_approach",
            actor_id,
            measure_id,
            expected_version,
            lambda m, actor: m.note_approach(approach, actor),
        )

    def add_milestone(
        self, actor_id: UUID, measure_id: UUID, expected_version: int, title: str, due_on: dt.date
    ) -> UUID:
        """Plan a dated milestone; return its id."""
        milestone_id = uuid4()
        self._measure_change(
            "measure.add_milestone",
            actor_id,
            measure_id,
            expected_version,
            lambda m, actor: m.add_milestone(milestone_id, title, due_on, actor),
        )
        return milestone_id

    def reach_milestone(
        self,
        actor_id: UUID,
        measure_id: UUID,
        expected_version: int,
        milestone_id: UUID,
        reached_on: dt.date,
    ) -> None:
        """Mark a milestone as reached."""
        self._measure_change(
            "measure.reach_milestone",
            actor_id,
            measure_id,
            expected_version,
            lambda m, actor: m.reach_milestone(milestone_id, reached_on, actor),
        )

    def report_progress(
        self, actor_id: UUID, measure_id: UUID, expected_version: int, percent: int, note: str = ""
    ) -> None:
        """Report a measure's progress in percent."""
        self._measure_change(
            "measure.report_progress",
            actor_id,
            measure_id,
            expected_version,
            lambda m, actor: m.report_progress(percent, note, actor),
        )

    def block_measure(
        self, actor_id: UUID, measure_id: UUID, expected_version: int, reason: str
    ) -> None:
        """Record that a measure is blocked, with a reason."""
        self._measure_change(
            "measure.block",
            actor_id,
            measure_id,
            expected_version,
            lambda m, actor: m.block(reason, actor),
        )

    def unblock_measure(
        self, actor_id: UUID, measure_id: UUID, expected_version: int, note: str = ""
    ) -> None:
        """Lift a measure's block."""
        self._measure_change(
            "measure.unblock",
            actor_id,
            measure_id,
            expected_version,
            lambda m, actor: m.unblock(note, actor),
        )

    def implement_measure(
        self,
        actor_id: UUID,
        measure_id: UUID,
        expected_version: int,
        implemented_on: dt.date,
        outcome: str,
    ) -> None:
        """Record a measure as implemented, with its outcome."""
        self._measure_change(
            "measure.implement",
            actor_id,
            measure_id,
            expected_version,
            lambda m, actor: m.implement(implemented_on, outcome, actor),
        )

    def record_benefit(
        self,
        actor_id: UUID,
        measure_id: UUID,
        expected_version: int,
        department_id: UUID,
        description: str,
    ) -> None:
        """Record the value a measure brought to a named department."""
        self._load(Department, department_id)
        self._measure_change(
            "measure.record_benefit",
            actor_id,
            measure_id,
            expected_version,
            lambda m, actor: m.record_benefit(department_id, description, actor),
        )

    def cancel_measure(
        self, actor_id: UUID, measure_id: UUID, expected_version: int, reason: str
    ) -> None:
        """Stop a measure for good, with a reason."""
        self._measure_change(
            "measure.cancel",
            actor_id,
            measure_id,
            expected_version,
            lambda m, actor: m.cancel(reason, actor),
        )

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------

    def get_idea(self, idea_id: UUID) -> IdeaView:
        """Return an idea as a page shows it."""
        # The trail holds the idea (and its measure) replayed up to the newest event stored:
        # the view is built from those under the lock, without loading them again.
        with self.trails.lock:
            trail = self._idea_trail(idea_id)
            idea = trail.idea.aggregate
            measure_status = None
            if idea.measure_id is not None:
                with self._storage():
                    trail.extend_measures(self._events_after)
                measure = trail.measures[idea.measure_id].aggregate
                measure_status = measure.status if measure is not None else None
            return self._idea_view(idea, measure_status, trail)

    def idea_history(self, idea_id: UUID) -> list[HistoryEntry]:
        """Every step of an idea, its measure and its groups' meetings about it, in time order."""
        with self.trails.lock:
            trail = self._idea_trail(idea_id)
            with self._storage():
                trail.extend_related(self._events_after)
            return list(trail.history())

    def idea_as_of(
        self, idea_id: UUID, *, at: dt.datetime | None = None, version: int | None = None
    ) -> IdeaView:
        """Return the idea as it was at a moment (UTC) or at a version (Stand am …)."""
        if (at is None) == (version is None):
            raise InvalidRequest("Bitte entweder einen Zeitpunkt oder eine Version angeben.")
        if at is not None:
            at = _as_utc(at)
        with self.trails.lock:
            trail = self._idea_trail(idea_id)
            if at is not None:
                version = trail.idea.version_at(at)
                if version is None:
                    raise NotFound("Die Idee gab es zu diesem Zeitpunkt noch nicht.")
            # The trail holds the newest version replayed; older ones come from the store.
            if version == trail.idea.version:
                idea = trail.idea.aggregate
            else:
                idea = self._load(Idea, idea_id, version=version)
            moment = at or idea.modified_on
            measure_status = None
            if idea.measure_id is not None:
                with self._storage():
                    trail.extend_measures(self._events_after)
                measure_trail = trail.measures.get(idea.measure_id)
                measure_version = measure_trail.version_at(moment) if measure_trail else None
                if measure_version is not None and measure_trail is not None:
                    measure = (
                        measure_trail.aggregate
                        if measure_version == measure_trail.version
                        else self._load(Measure, idea.measure_id, version=measure_version)
                    )
                    measure_status = measure.status
            return self._idea_view(idea, measure_status, trail)

    def idea_diff(self, idea_id: UUID, from_version: int, to_version: int) -> list[FieldChange]:
        """List what changed in an idea between two versions."""
        with self._storage():
            before = self._load(Idea, idea_id, version=from_version)
            after = self._load(Idea, idea_id, version=to_version)
            for wanted, got in ((from_version, before), (to_version, after)):
                if got.version != wanted:
                    raise NotFound(msg("Die Idee hat keine Version %(version)s.", version=wanted))
        return list(field_changes(_idea_diff_state(before), _idea_diff_state(after)))

    def events_since(self, aggregate_id: UUID, version: int) -> list[HistoryEntry]:
        """The history entries an object gained after the given version."""
        with self._storage():
            return [history_entry(e) for e in self.events.get(aggregate_id, gt=version)]

    def get_measure(self, measure_id: UUID) -> MeasureView:
        """Return a measure as a page shows it."""
        with self._storage():
            m = self._load(Measure, measure_id)
        return MeasureView(
            id=m.id,
            version=m.version,
            idea_id=m.idea_id,
            working_group_id=m.working_group_id,
            owner_department_id=m.owner_department_id,
            title=m.title,
            quick_win=m.quick_win,
            status=m.status,
            status_label=m.status_label,
            goals=tuple(dict(g) for g in m.goals),
            approach=m.approach,
            milestones=tuple(dict(x) for x in m.milestones),
            progress=m.progress,
            blocked=m.blocked,
            block_reason=m.block_reason,
            implemented_on=m.implemented_on,
            outcome=m.outcome,
            benefits=tuple(dict(b) for b in m.benefits),
            cancel_reason=m.cancel_reason,
            planned_at=m.created_on,
            updated_at=m.modified_on,
        )

    def get_working_group(self, working_group_id: UUID) -> WorkingGroupView:
        """Return a working group with its members and meetings."""
        with self._storage():
            g = self._load(WorkingGroup, working_group_id)
        return WorkingGroupView(
            id=g.id,
            version=g.version,
            name=g.name,
            mandate=g.mandate,
            lead_department_id=g.lead_department_id,
            members=tuple(g.members),
            meetings=tuple(dict(m) for m in g.meetings),
            status=g.status,
            status_label=g.status_label,
        )

    def idea_actions(self, person_id: UUID, idea_id: UUID) -> frozenset[str]:
        """The actions (keys of PERMISSIONS) the person may take on the idea right now.

        Pages offer exactly these; the command still checks everything again.
        """
        with self._storage():
            person = self._person_or_none(person_id)
            idea = self._load(Idea, idea_id)
            if person is None:
                return frozenset()
            scope = self._idea_scope(idea)
        department = person.department_id
        extra = {
            "idea.pledge_support": department != idea.department_id
            and department not in idea.supporting_departments,
            "idea.withdraw_support": department in idea.supporting_departments,
            "idea.override_quick_win": idea.assessment is not None,
        }
        return frozenset(
            action
            for action in PERMISSIONS
            if action.startswith("idea.")
            and action != "idea.submit"
            and idea.stage_allows(action.removeprefix("idea."))
            and extra.get(action, True)
            and permitted_role(action, person, **scope) is not None
        )

    def measure_actions(self, person_id: UUID, measure_id: UUID) -> frozenset[str]:
        """The actions (keys of PERMISSIONS) the person may take on the measure right now."""
        with self._storage():
            person = self._person_or_none(person_id)
            measure = self._load(Measure, measure_id)
            if person is None:
                return frozenset()
            scope = self._measure_scope(measure)
        open_milestones = any(m["reached_on"] is None for m in measure.milestones)
        extra = {
            "measure.revise_goal": bool(measure.goals),
            "measure.reach_milestone": open_milestones,
            "measure.block": not measure.blocked,
            "measure.unblock": measure.blocked,
            "measure.implement": not measure.blocked,
        }
        return frozenset(
            action
            for action in PERMISSIONS
            if action.startswith("measure.")
            and measure.stage_allows(action.removeprefix("measure."))
            and extra.get(action, True)
            and permitted_role(action, person, **scope) is not None
        )

    def working_group_actions(self, person_id: UUID, working_group_id: UUID) -> frozenset[str]:
        """The actions (keys of PERMISSIONS) the person may take on the group right now."""
        with self._storage():
            person = self._person_or_none(person_id)
            group = self._load(WorkingGroup, working_group_id)
            if person is None:
                return frozenset()
        extra = {"working_group.remove_member": bool(group.members)}
        return frozenset(
            action
            for action in PERMISSIONS
            if action.startswith("working_group.")
            and action != "working_group.form"
            and group.stage_allows(action)
            and extra.get(action, True)
            and permitted_role(action, person, group_members=group.members) is not None
        )

    def may(self, person_id: UUID, action: str) -> bool:
        """Tell whether the person holds a role for an action that needs no object (e.g. submit)."""
        with self._storage():
            person = self._person_or_none(person_id)
        if person is None:
            return False
        scope = {"department_id": person.department_id}
        return permitted_role(action, person, **scope) is not None

    def get_department(self, department_id: UUID) -> DepartmentView:
        """Return a department."""
        with self._storage():
            d = self._load(Department, department_id)
        return DepartmentView(
            id=d.id, version=d.version, name=d.name, short_name=d.short_name, kind=d.kind
        )

    def get_person(self, person_id: UUID) -> PersonView:
        """Return a person with directory data ("gelöschte Person" once erased)."""
        with self._storage():
            p = self._load(Person, person_id)
            record = self.directory.get(person_id)
        return PersonView(
            id=p.id,
            version=p.version,
            display_name=record.display_name if record else ERASED,
            email=record.email if record else "",
            department_id=p.department_id,
            roles=tuple(p.roles),
            active=p.active,
            erased=p.erased,
        )

    # ------------------------------------------------------------------
    # Internals
    # ------------------------------------------------------------------

    @contextmanager
    def _storage(self) -> Iterator[None]:
        """Turn the library's storage failures into our own errors."""
        try:
            yield
        except (OperationalError, InterfaceError, DirectoryUnavailable) as error:
            raise StorageBusy() from error

    def _load(self, cls: type[A], aggregate_id: UUID, version: int | None = None) -> A:
        noun = NOUNS.get(cls, N_("Das Objekt"))
        if not isinstance(aggregate_id, UUID):
            raise NotFound(msg("%(noun)s wurde nicht gefunden.", noun=noun))
        try:
            with self._storage():
                aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(msg("%(noun)s wurde nicht gefunden.", noun=noun)) from None
        if not isinstance(aggregate, cls):
            raise NotFound(msg("%(noun)s wurde nicht gefunden.", noun=noun))
        return aggregate

    def _active_person(self, person_id: UUID) -> Person:
        try:
            person = self._load(Person, person_id)
        except NotFound:
            raise PermissionDenied("Diese Person ist im Planer nicht bekannt.") from None
        if not person.active:
            raise PermissionDenied("Ihr Zugang ist deaktiviert.")
        return person

    def _person_or_none(self, person_id: UUID) -> Person | None:
        """The active person, or None (unknown or deactivated): for offering actions."""
        try:
            return self._active_person(person_id)
        except PermissionDenied:
            return None

    def _refuse_without_role(self, action: str, actor_id: UUID) -> None:
        """Refuse at once if the actor holds none of the roles that may ever do `action`.

        For commands that look up another object first (a group, a target idea, a
        department): someone who may not act learns nothing about which ids exist.
        """
        with self._storage():
            person = self._active_person(actor_id)
        if not any(person.has_role(role) for role, _reach in PERMISSIONS[action]):
            authorize(action, person)  # raises PermissionDenied and logs the refusal

    def _actor(self, action: str, actor_id: UUID, **scope: Any) -> Actor:
        return authorize(action, self._active_person(actor_id), **scope)

    def _create(self, action: str, actor_id: UUID, build: Callable[[Actor], A]) -> UUID:
        with self._storage():
            actor = self._actor(action, actor_id)
            with using_clock(self.clock):
                aggregate = build(actor)
            self.save(aggregate)
        return aggregate.id

    def _change(
        self,
        action: str,
        actor_id: UUID,
        cls: type[A],
        aggregate_id: UUID,
        expected_version: int,
        apply: Callable[[A, Actor], Sequence[PlannerAggregate] | None],
        *,
        scope: Callable[[A], dict[str, Any]] | None = None,
    ) -> None:
        """Load, authorise, check the caller's version, apply, and save all or nothing."""
        if isinstance(expected_version, bool) or not isinstance(expected_version, int):
            raise InvalidRequest("Die erwartete Version fehlt oder ist keine Zahl.")
        with self._storage():
            person = self._active_person(actor_id)
            aggregate = self._load(cls, aggregate_id)
            actor = authorize(action, person, **(scope(aggregate) if scope else {}))
            if aggregate.version != expected_version:
                raise self._conflict(aggregate_id, expected_version, aggregate.version)
            with using_clock(self.clock):
                others = apply(aggregate, actor) or ()
            try:
                self.save(aggregate, *others)
            except IntegrityError:
                # Someone saved this version first: exactly one writer wins.
                current = self._load(cls, aggregate_id)
                raise self._conflict(aggregate_id, expected_version, current.version) from None

    def _idea_change(
        self,
        action: str,
        actor_id: UUID,
        idea_id: UUID,
        expected_version: int,
        apply: Callable[[Idea, Actor], Sequence[PlannerAggregate] | None],
    ) -> None:
        self._change(
            action, actor_id, Idea, idea_id, expected_version, apply, scope=self._idea_scope
        )

    def _idea_scope(self, idea: Idea) -> dict[str, Any]:
        members = None
        if idea.working_group_id is not None:
            members = self._group_members(idea.working_group_id)
        return {"department_id": idea.department_id, "group_members": members}

    def _group_members(self, group_id: UUID) -> GroupMembers:
        return GroupMembers(lambda: self._load(WorkingGroup, group_id).members)

    def _measure_change(
        self,
        action: str,
        actor_id: UUID,
        measure_id: UUID,
        expected_version: int,
        apply: Callable[[Measure, Actor], None],
    ) -> None:
        self._change(
            action,
            actor_id,
            Measure,
            measure_id,
            expected_version,
            apply,
            scope=self._measure_scope,
        )

    def _measure_scope(self, measure: Measure) -> dict[str, Any]:
        members = self._group_members(measure.working_group_id)
        return {"department_id": measure.owner_department_id, "group_members": members}

    def _pledge(
        self, action: str, actor_id: UUID, idea_id: UUID, expected_version: int, note: str
    ) -> None:
        def apply(idea: Idea, actor: Actor) -> None:
            # A pledge is always made for the acting person's own department.
            if action == "idea.pledge_support":
                idea.pledge_support(actor.department_id, note, actor)
            else:
                idea.withdraw_support(actor.department_id, note, actor)

        self._change(action, actor_id, Idea, idea_id, expected_version, apply)

    def _conflict(
        self, aggregate_id: UUID, expected_version: int, actual_version: int
    ) -> ConcurrencyConflict:
        # A version outside 0..actual (a tampered form: 10**20) has the same events after it as
        # the nearest end, and must not reach the store, whose integers are 64-bit.
        after = min(max(expected_version, 0), actual_version)
        since = [history_entry(e) for e in self.events.get(aggregate_id, gt=after)]
        names = {SYSTEM_PERSON_ID: "System"} | self.directory.display_names(
            {e.actor_person_id for e in since if e.actor_person_id}
        )
        steps = "; ".join(
            f"„{e.label}“ von {names.get(e.actor_person_id, ERASED)}"
            f" ({ROLE_LABELS.get(Role(e.actor_role), e.actor_role) if e.actor_role else '–'},"
            f" {e.timestamp.astimezone(BERLIN):%d.%m.%Y %H:%M} Uhr)"
            for e in since[-5:]
        )
        message = (
            f"Inzwischen wurde etwas geändert (Version {expected_version} → {actual_version})"
            + (f": {steps}" if steps else "")
            + ". Bitte laden Sie neu und prüfen Sie die Änderungen, bevor Sie es erneut versuchen."
        )
        return ConcurrencyConflict(aggregate_id, expected_version, actual_version, since, message)

    def _idea_id_for(self, actor_id: UUID, idempotency_key: str | None) -> UUID:
        if idempotency_key is None:
            return uuid4()
        if not isinstance(idempotency_key, str) or not idempotency_key.strip():
            raise InvalidRequest("Der Wiederholungsschlüssel (Idempotency-Key) ist leer.")
        if len(idempotency_key) > MAX_IDEMPOTENCY_KEY_LENGTH:
            raise InvalidRequest("Der Wiederholungsschlüssel (Idempotency-Key) ist zu lang.")
        # Scoped by person, so two people's keys never collide; the key holds no personal data.
        return uuid5(IDEMPOTENT_SUBMIT_NAMESPACE, f"{actor_id}:{idempotency_key}")

    def _events_after(self, aggregate_id: UUID, version: int) -> list[Any]:
        return list(self.events.get(aggregate_id, gt=version))

    def _idea_trail(self, idea_id: UUID) -> IdeaTrail:
        """The idea's history trail with its own events up to now; call with the lock held."""
        if not isinstance(idea_id, UUID):
            raise NotFound("Die Idee wurde nicht gefunden.")
        trail = self.trails.trail(idea_id, _idea_diff_state)
        with self._storage():
            trail.extend_idea(self._events_after)
        entries = trail.idea.entries
        if not entries or entries[0].event_type != "Idea.Submitted":
            self.trails.forget(idea_id)
            raise NotFound("Die Idee wurde nicht gefunden.")
        return trail

    def _idea_view(self, idea: Idea, measure_status: str | None, trail: IdeaTrail) -> IdeaView:
        """The view of `idea` (at any version the trail has reached); call with the lock held."""
        stage = visible_stage(idea.status, measure_status)
        return IdeaView(
            id=idea.id,
            version=idea.version,
            title=idea.title,
            summary=idea.summary,
            description=idea.description,
            origin=idea.origin,
            origin_session_id=idea.origin_session_id,
            origin_round_id=idea.origin_round_id,
            themes=tuple(idea.themes),
            department_id=idea.department_id,
            submitted_by=idea.submitted_by,
            status=idea.status,
            status_label=idea.status_label,
            stage=stage,
            stage_label=STAGE_LABELS[stage],
            quick_win=idea.quick_win,
            quick_win_overridden=idea.quick_win_override is not None,
            assessment=dict(idea.assessment) if idea.assessment else None,
            supporting_departments=tuple(idea.supporting_departments),
            comments=_comment_views(idea, trail),
            working_group_id=idea.working_group_id,
            recommendation=dict(idea.recommendation) if idea.recommendation else None,
            measure_id=idea.measure_id,
            merged_into=idea.merged_into,
            decision_reason=idea.decision_reason,
            submitted_at=idea.created_on,
            updated_at=idea.modified_on,
        )

    def _add_to_directory(
        self, person_id: UUID, display_name: str, email: str, department_id: UUID
    ) -> None:
        name, address = self._clean_person_details(display_name, email)
        try:
            self.directory.add(
                PersonRecord(
                    id=person_id,
                    display_name=name,
                    email=address,
                    department_id=department_id,
                    active=True,
                )
            )
        except EmailTaken:
            raise InvalidValue(
                "email", "Diese E-Mail-Adresse wird bereits von einer anderen Person genutzt."
            ) from None

    @staticmethod
    def _clean_person_details(display_name: str, email: str) -> tuple[str, str]:
        name = check_text("display_name", display_name, "Name", min_length=2, max_length=200)
        address = check_text("email", email, "E-Mail-Adresse", max_length=320).lower()
        local, _, domain = address.partition("@")
        if not local or "." not in domain or " " in address:
            raise InvalidValue("email", "Bitte eine gültige E-Mail-Adresse angeben.")
        return name, address


class GroupMembers:
    """A working group's members, loaded only when a permission check asks about them.

    Most actions on an idea or measure are allowed by role alone (commenting, for one); the
    group, whose aggregate grows with every meeting, is then not loaded at all.
    """

    def __init__(self, load: Callable[[], Sequence[UUID]]) -> None:
        self._load = load
        self._members: Sequence[UUID] | None = None

    def __contains__(self, person_id: object) -> bool:
        if self._members is None:
            self._members = self._load()
        return person_id in self._members


def _as_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise InvalidRequest("Der Zeitpunkt braucht eine Zeitzone.")
    return moment.astimezone(dt.UTC)


def _idea_diff_state(idea: Idea, event: Any = None) -> dict[str, Any] | None:
    """The fields compared between two versions of an idea; only revisions report changes."""
    if event is not None and event_type(event) != "Idea.Revised":
        return None
    state = idea.content()
    if event is None:
        state.update(
            status=idea.status,
            quick_win=idea.quick_win,
            assessment=idea.assessment,
            supporting_departments=list(idea.supporting_departments),
            working_group_id=idea.working_group_id,
            recommendation=idea.recommendation,
            measure_id=idea.measure_id,
            merged_into=idea.merged_into,
            decision_reason=idea.decision_reason,
        )
    return state


def _comment_views(idea: Idea, trail: IdeaTrail) -> tuple[CommentView, ...]:
    """The idea's comments; their times are the events' own, kept in the idea's trail."""
    return tuple(
        CommentView(
            comment_id=c["comment_id"],
            text=c["text"],
            reply_to=c["reply_to"],
            person_id=c["person_id"],
            written_at=trail.idea.timestamp_of(c["version"]),
        )
        for c in idea.comments
    )
