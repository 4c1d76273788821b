"""Password hashing (argon2id, catalogue SEC-3) and the password policy (SEC-4)."""

from __future__ import annotations

import functools
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ideation.domain.errors import msg

MIN_LENGTH = 12
MAX_LENGTH = 256
# Local guesses beside zxcvbn's list of the 30,000 most common passwords (SEC-4 asks for
# at least the top 3,000).
LOCAL_COMMON_PASSWORDS = frozenset(
    {
        "passwort1234",
        "password1234",
        "123456789012",
        "qwertzuiop12",
        "musterstadt1",
        "smartcity123",
        "ideation1234",
        "sommer2026!!",
        "winter2026!!",
    }
)


@functools.cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's 30,000 most common passwords plus local guesses, loaded on first use."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | LOCAL_COMMON_PASSWORDS


class PasswordRejected(ValueError):
    """The password does not meet the policy; the message says why, in German."""


def check_password_policy(password: str, *, username: str = "") -> None:
    """Raise PasswordRejected unless the password is 12–256 characters and not guessable."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise PasswordRejected(
            msg("Das Passwort muss mindestens %(n)s Zeichen lang sein.", n=MIN_LENGTH)
        )
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(
            msg("Das Passwort darf höchstens %(n)s Zeichen lang sein.", n=MAX_LENGTH)
        )
    folded = password.casefold()
    if folded in common_passwords() or (username and username.casefold() in folded):
        raise PasswordRejected(
            "Dieses Passwort ist zu leicht zu erraten. Bitte wählen Sie ein anderes."
        )


class Passwords:
    """argon2id hashing; the default profile meets ASVS, tests may pass a cheaper one."""

    def __init__(self, *, cheap: bool = False) -> None:
        self.hasher = (
            PasswordHasher.from_parameters(profiles.CHEAPEST) if cheap else PasswordHasher()
        )
        self._dummy_hash: str | None = None

    def hash(self, password: str) -> str:
        """Return the encoded argon2id hash (parameters and salt included)."""
        return self.hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """Tell whether the password matches the hash (never raises on a mismatch)."""
        try:
            return self.hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def verify_nothing(self, password: str) -> None:
        """Spend the time of a real check (for unknown usernames), always failing."""
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_hex(16))
        self.verify(self._dummy_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        """Tell whether the hash was made with other parameters than the current ones."""
        return self.hasher.check_needs_rehash(password_hash)
