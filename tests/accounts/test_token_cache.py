"""Remembered token answers: repeat calls are cheap, a revocation still counts at once."""

from __future__ import annotations

import pytest

from ipops.accounts import passwords, tokens, users
from ipops.accounts.roles import Role
from ipops.audit.service import Actor
from ipops.errors import NotAuthenticated
from ipops.registry.db import make_engine, session_scope

ACTOR = Actor.system()


def test_a_remembered_token_still_fails_right_after_revocation(registry_url: str) -> None:
    engine = make_engine(registry_url)
    tokens.forget_known_tokens()
    with session_scope(engine) as session:
        user = users.create_user(
            db_session=session,
            username="li.ming",
            password="Kongtiao-2019-pool",
            role=Role.ANALYST,
            actor=ACTOR,
        )
        token, plaintext = tokens.issue_token(
            db_session=session, user=user, name="script", actor=ACTOR
        )
        token_id = token.id
    for _ in range(2):  # the second answer comes from memory
        with session_scope(engine) as session:
            found = tokens.user_for_token(db_session=session, plaintext=plaintext)
            assert found.username == "li.ming" and found.role == Role.ANALYST
    with session_scope(engine) as session:
        remembered = tokens.user_for_token(db_session=session, plaintext=plaintext)
        users.set_password(
            db_session=session, user=remembered, password="Another-Pass-2020", actor=ACTOR
        )
    with session_scope(engine) as session:
        stored = users.get_user_by_username(db_session=session, username="li.ming")
        assert stored is not None
        assert passwords.verify_password(stored.password_hash, "Another-Pass-2020")
        tokens.revoke_token(
            db_session=session,
            token=tokens.get_token(db_session=session, token_id=token_id),
            actor=ACTOR,
        )
    with session_scope(engine) as session, pytest.raises(NotAuthenticated):
        tokens.user_for_token(db_session=session, plaintext=plaintext)
