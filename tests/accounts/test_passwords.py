"""Password strength rules and argon2id hashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from hypothesis import given
from hypothesis import strategies as st

from ipops.accounts import passwords
from ipops.errors import ValidationError


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Short-1", "at least 10 characters"),
        ("abcdefghijkl", "two kinds of characters"),
        ("1234567890123", "two kinds of characters"),
        ("知识产权运营平台的密码", "two kinds of characters"),
        ("Wangfang-2019!", "must not contain the username"),
        ("Password123", "most common passwords"),
        ("WOAINI1314", "most common passwords"),
        ("woaini1314", "most common passwords"),
        ("x" * 200 + "Y1" + "z" * 60, "at most 256"),
    ],
)
def test_weak_passwords_say_why(password: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as caught:
        passwords.check_strength(password, username="WangFang")
    assert caught.value.field == "password"


@pytest.mark.parametrize(
    "password", ["Correct-horse-7", "专利池-Pool-2024", "abcdefghiJ7", "知识产权运营的密码真长2"]
)
def test_good_passwords_pass(password: str) -> None:
    passwords.check_strength(password, username="li.wei")


@given(st.text(min_size=10, max_size=40))
def test_strength_check_never_crashes(password: str) -> None:
    reason = passwords.weakness(password, username="li")
    assert reason is None or isinstance(reason, str)


def test_hash_is_argon2id_and_verifies() -> None:
    hashed = passwords.hash_password("Correct-horse-7")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert "Correct-horse-7" not in hashed
    assert passwords.verify_password(hashed, "Correct-horse-7")
    assert not passwords.verify_password(hashed, "correct-horse-7")
    assert not passwords.verify_password("not a hash", "Correct-horse-7")
    assert not passwords.verify_password(None, "dummy password, never matches anything")


def test_a_cheaper_hasher_still_verifies_old_hashes_and_upgrades_on_login() -> None:
    strong = passwords.hash_password("Correct-horse-7")
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    try:
        assert passwords.verify_password(strong, "Correct-horse-7")
        assert passwords.needs_rehash(strong)
        assert passwords.hash_password("x").startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    finally:
        passwords.use_hasher(previous)
    assert not passwords.needs_rehash(strong)
