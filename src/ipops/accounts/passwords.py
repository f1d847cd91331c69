"""Password hashing (argon2id) and the strength rule every new password must meet."""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ipops.errors import ValidationError

MIN_LENGTH = 10
MAX_LENGTH = 256

# The most used passwords of length >= 10 in public breach lists, Chinese sites included.
COMMON_PASSWORDS = frozenset(
    {
        "0123456789",
        "1234567890",
        "12345678910",
        "123456789a",
        "123456789q",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "1qazxsw23edc",
        "a123456789",
        "aa123456789",
        "aaaaaaaaaa",
        "abc1234567",
        "abcd123456",
        "abcdefghij",
        "admin12345",
        "admin123456",
        "asdfghjkl;",
        "iloveyou12",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "p@ssw0rd123",
        "qwerty1234",
        "qwerty12345",
        "qwerty123456",
        "qwertyuiop",
        "q1w2e3r4t5",
        "welcome123",
        "woaini1314",
        "woaini520520",
        "zxcvbnm123",
        "5201314520",
        "1314520520",
        "iloveyou1314",
        "ipops12345",
        "ipops123456",
        "changeme123",
        "letmein1234",
        "administrator",
    }
)

_DUMMY_PASSWORD = "dummy password, never matches anything"
_hasher = PasswordHasher()
_dummy_hash: str | None = None  # hashed on the first check without a hash (not at import)


def use_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Hash new passwords with ``hasher`` (other argon2 costs); returns the one it replaces.

    Existing hashes keep verifying (a hash names its own parameters) and are upgraded to the
    new parameters at the next successful login.
    """
    global _hasher, _dummy_hash
    previous, _hasher = _hasher, hasher
    _dummy_hash = None
    return previous


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; with no hash, still spends the time of one check."""
    try:
        return _hasher.verify(password_hash or _dummy(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(_DUMMY_PASSWORD)
    return _dummy_hash


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_strength(password: str, *, username: str) -> None:
    """Raise ``ValidationError(field="password")`` saying why ``password`` is too weak."""
    reason = weakness(password, username=username)
    if reason:
        raise ValidationError(reason, field="password")


def weakness(password: str, *, username: str) -> str | None:
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters long"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters long"
    if len(_character_classes(password)) < 2:
        return "must mix at least two kinds of characters (letters, digits, other symbols)"
    folded = password.casefold()
    if len(username) >= 3 and username.casefold() in folded:
        return "must not contain the username"
    if folded in COMMON_PASSWORDS:
        return "is one of the most common passwords; choose another"
    return None


def _character_classes(password: str) -> set[str]:
    classes = set()
    for char in password:
        if char.isdigit():
            classes.add("digit")
        elif char.isupper():
            classes.add("upper")
        elif char.islower():
            classes.add("lower")
        elif unicodedata.category(char).startswith("L"):
            classes.add("other letter")
        else:
            classes.add("symbol")
    return classes
