"""Demo users: one per role, created once, able to log in with the documented password."""

from __future__ import annotations

from ipops.accounts import logins, users
from ipops.accounts.demo import DEMO_USERS, ensure_demo_users
from ipops.accounts.roles import Role
from ipops.registry.db import make_engine, session_scope


def test_demo_users_cover_every_role_and_are_created_once(registry_url: str) -> None:
    assert {u.role for u in DEMO_USERS} == set(Role)
    engine = make_engine(registry_url)
    try:
        with session_scope(engine) as db_session:
            first = ensure_demo_users(db_session)
        with session_scope(engine) as db_session:
            second = ensure_demo_users(db_session)
            _users, total = users.list_users(db_session=db_session)
        assert first == second
        assert total == len(DEMO_USERS)
        with session_scope(engine) as db_session:
            username, password = first[0]
            user = logins.authenticate(
                db_session=db_session, username=username, password=password, source="test"
            )
            assert user.role == Role.PLATFORM_ADMIN
            assert user.organisation_id is not None
    finally:
        engine.dispose()
