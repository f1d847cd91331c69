"""Remembered token answers: repeat calls are cheap, a revocation still counts at once."""

from __future__ import annotations

import pytest

from ipops.accounts import service
from ipops.accounts.roles import Role
from ipops.audit.service import Actor
from ipops.errors import NotAuthenticated
from ipops.registry.db import make_engine, session_scope

ACTOR = Actor.system()


def test_a_remembered_token_still_fails_right_after_revocation(registry_url: str) -> None:
    engine = make_engine(registry_url)
    service.forget_known_tokens()
    with session_scope(engine) as session:
        user = service.create_user(
            db_session=session,
            username="li.ming",
            password="Kongtiao-2019-pool",
            role=Role.ANALYST,
            actor=ACTOR,
        )
        token, plaintext = service.issue_token(
            db_session=session, user=user, name="script", actor=ACTOR
        )
        token_id = token.id
    for _ in range(2):  # the second answer comes from memory
        with session_scope(engine) as session:
            found = service.user_for_token(db_session=session, plaintext=plaintext)
            assert found.username == "li.ming" and found.role == Role.ANALYST
    with session_scope(engine) as session:
        remembered = service.user_for_token(db_session=session, plaintext=plaintext)
        service.set_password(
            db_session=session, user=remembered, password="Another-Pass-2020", actor=ACTOR
        )
    with session_scope(engine) as session:
        stored = service.get_user_by_username(db_session=session, username="li.ming")
        assert stored is not None
        assert service.passwords.verify_password(stored.password_hash, "Another-Pass-2020")
        service.revoke_token(
            db_session=session,
            token=service.get_token(db_session=session, token_id=token_id),
            actor=ACTOR,
        )
    with session_scope(engine) as session, pytest.raises(NotAuthenticated):
        service.user_for_token(db_session=session, plaintext=plaintext)
