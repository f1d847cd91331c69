"""Accounts services on real SQLite and PostgreSQL: users, organisations, login, tokens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from ipops.accounts import common, logins, organisations, tokens, users
from ipops.accounts.models import ApiToken, LoginAttempt, LoginThrottle, User
from ipops.accounts.roles import OrgKind, Role
from ipops.audit.models import AuditRecord
from ipops.audit.service import Actor
from ipops.errors import Conflict, NotAuthenticated, TooManyAttempts, ValidationError
from ipops.paging import Page, SortKey
from ipops.registry.db import make_engine, session_scope

PASSWORD = "Correct-horse-7"
ADMIN = Actor(name="root", origin="test")


@pytest.fixture
def engine(registry_url: str) -> Iterator[Engine]:
    engine = make_engine(registry_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        yield session


def add(session: Session, username: str, role: Role = Role.ANALYST, **kw: Any) -> User:
    return users.create_user(
        db_session=session, username=username, password=PASSWORD, role=role, actor=ADMIN, **kw
    )


def login(session: Session, username: str, password: str, source: str = "10.0.0.1") -> User:
    return logins.authenticate(
        db_session=session, username=username, password=password, source=source
    )


def test_create_user_stores_a_hash_and_audits(session: Session) -> None:
    org = organisations.create_organisation(
        db_session=session, name="南京银行", kind=OrgKind.BANK, actor=ADMIN
    )
    user = add(session, "Zhang.San", Role.BANK_OFFICER, organisation_id=org.id, display_name="张三")
    assert user.username == "zhang.san"
    assert user.password_hash.startswith("$argon2id$")
    records = list(session.scalars(select(AuditRecord).order_by(AuditRecord.id)))
    assert [r.action for r in records] == ["organisation.created", "user.created"]
    assert records[1].after == users.user_snapshot(user)
    assert "password_hash" not in str(records[1].after)
    assert (records[1].actor, records[1].origin) == ("root", "test")


@pytest.mark.parametrize(
    ("kwargs", "field", "error"),
    [
        ({"username": "x"}, "username", ValidationError),
        ({"username": "bad name"}, "username", ValidationError),
        ({"username": "_hidden"}, "username", ValidationError),
        ({"username": "ok\x00"}, "username", ValidationError),
        ({"username": "fine", "role": "king"}, "role", ValidationError),
        ({"username": "fine", "password": "short"}, "password", ValidationError),
        ({"username": "fine", "organisation_id": 4242}, "organisation_id", ValidationError),
        ({"username": "fine", "display_name": "  "}, "display_name", ValidationError),
        ({"username": "taken"}, "username", Conflict),
    ],
)
def test_create_user_refuses_bad_input(
    session: Session, kwargs: dict[str, object], field: str, error: type[Exception]
) -> None:
    add(session, "taken")
    arguments = {"password": PASSWORD, "role": Role.ANALYST, **kwargs}
    with pytest.raises(error) as caught:
        users.create_user(db_session=session, actor=ADMIN, **arguments)  # type: ignore[arg-type]
    assert getattr(caught.value, "field", None) == field


def test_chinese_usernames_work(session: Session) -> None:
    user = add(session, "李伟")
    assert login(session, "李伟", PASSWORD).id == user.id


def test_list_users_filters_sorts_and_pages(session: Session) -> None:
    for name in ("c.user", "a.user", "b.user"):
        add(session, name)
    add(session, "d.expert", Role.EXPERT)
    page = Page(number=1, size=2, sort=(SortKey("username", descending=True),))
    found, total = users.list_users(db_session=session, role=Role.ANALYST, page=page)
    assert ([u.username for u in found], total) == (["c.user", "b.user"], 3)


def test_authenticate_records_every_attempt(session: Session) -> None:
    add(session, "li")
    assert login(session, "LI", PASSWORD).username == "li"
    with pytest.raises(NotAuthenticated, match="wrong username or password"):
        login(session, "li", "Wrong-pass-11")
    with pytest.raises(NotAuthenticated, match="wrong username or password"):
        login(session, "nobody", PASSWORD)
    attempts = session.scalars(select(LoginAttempt).order_by(LoginAttempt.id)).all()
    assert [(a.username, a.ok) for a in attempts] == [
        ("li", True),
        ("li", False),
        ("nobody", False),
    ]
    actions = session.scalars(select(AuditRecord.action).where(AuditRecord.object_type == "user"))
    assert list(actions)[-3:] == ["login.succeeded", "login.failed", "login.failed"]


def test_inactive_users_cannot_log_in(session: Session) -> None:
    user = add(session, "gone")
    user.is_active = False
    session.flush()
    with pytest.raises(NotAuthenticated):
        login(session, "gone", PASSWORD)


def test_rate_limit_per_username_and_source(session: Session) -> None:
    add(session, "li")
    for _ in range(logins.MAX_FAILED_LOGINS):
        with pytest.raises(NotAuthenticated):
            login(session, "li", "Wrong-pass-11")
    with pytest.raises(TooManyAttempts, match="try again in 15 minutes") as caught:
        login(session, "li", PASSWORD)
    assert 890 <= caught.value.retry_after <= 900
    assert login(session, "li", PASSWORD, source="10.0.0.2").username == "li"


def test_the_lock_ends_when_the_window_of_the_failures_ends(session: Session) -> None:
    add(session, "li")
    for _ in range(logins.MAX_FAILED_LOGINS):
        with pytest.raises(NotAuthenticated):
            login(session, "li", "Wrong-pass-11")
    with pytest.raises(TooManyAttempts):
        login(session, "li", PASSWORD)
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.username == "li")
        .values(window_started_at=common.utc_now() - logins.LOGIN_WINDOW - timedelta(seconds=1))
    )
    assert login(session, "li", PASSWORD).username == "li"


def test_a_success_resets_the_count(session: Session) -> None:
    add(session, "li")
    for _ in range(logins.MAX_FAILED_LOGINS - 1):
        with pytest.raises(NotAuthenticated):
            login(session, "li", "Wrong-pass-11")
    login(session, "li", PASSWORD)
    for _ in range(logins.MAX_FAILED_LOGINS - 1):
        with pytest.raises(NotAuthenticated):
            login(session, "li", "Wrong-pass-11")
    assert login(session, "li", PASSWORD).username == "li"


def test_failed_logins_survive_the_failed_request(engine: Engine) -> None:
    with session_scope(engine) as session:
        add(session, "li")
    with pytest.raises(NotAuthenticated), session_scope(engine) as session:
        try:
            login(session, "li", "Wrong-pass-11")
        except NotAuthenticated:
            session.commit()
            raise
    with session_scope(engine) as session:
        assert session.scalar(select(LoginAttempt.ok)) is False


def test_token_lifecycle(session: Session) -> None:
    user = add(session, "li")
    token, secret = tokens.issue_token(db_session=session, user=user, name="laptop", actor=ADMIN)
    assert secret.startswith("ipops_") and len(secret) > 40
    assert token.token_hash == tokens.hash_token(secret) and secret not in token.token_hash
    assert tokens.user_for_token(db_session=session, plaintext=secret).id == user.id
    assert token.last_used_at is not None
    listed, total = tokens.list_tokens(db_session=session, user=user)
    assert ([t.name for t in listed], total) == (["laptop"], 1)
    tokens.revoke_token(db_session=session, token=token, actor=ADMIN)
    tokens.revoke_token(db_session=session, token=token, actor=ADMIN)
    with pytest.raises(NotAuthenticated, match="invalid, expired or revoked token"):
        tokens.user_for_token(db_session=session, plaintext=secret)
    assert tokens.list_tokens(db_session=session, user=user)[1] == 0
    assert tokens.list_tokens(db_session=session, user=user, include_revoked=True)[1] == 1
    actions = session.scalars(
        select(AuditRecord.action).where(AuditRecord.object_type == "api_token")
    )
    assert list(actions) == ["token.issued", "token.revoked"]


@pytest.mark.parametrize("secret", ["", "ipops_", "ipops_nope", "Bearer ipops_x", "x" * 500])
def test_unknown_tokens_are_refused(session: Session, secret: str) -> None:
    with pytest.raises(NotAuthenticated):
        tokens.user_for_token(db_session=session, plaintext=secret)


def test_set_password_checks_strength_and_audits(session: Session) -> None:
    user = add(session, "wang")
    with pytest.raises(ValidationError, match="contain the username"):
        users.set_password(db_session=session, user=user, password="Wang-Pass-99", actor=ADMIN)
    users.set_password(db_session=session, user=user, password="Another-pass-8", actor=ADMIN)
    assert login(session, "wang", "Another-pass-8").id == user.id
    actions = list(session.scalars(select(AuditRecord.action)))
    assert actions.count("user.password_changed") == 1


def test_ensure_organisation_reuses_or_refuses_a_different_kind(session: Session) -> None:
    first = organisations.ensure_organisation(
        db_session=session, name="格力电器", kind="member_company", actor=ADMIN
    )
    again = organisations.ensure_organisation(
        db_session=session, name="格力电器", kind=OrgKind.MEMBER_COMPANY, actor=ADMIN
    )
    assert first.id == again.id
    with pytest.raises(Conflict, match="member_company organisation"):
        organisations.ensure_organisation(
            db_session=session, name="格力电器", kind="bank", actor=ADMIN
        )


def test_deleting_a_user_takes_their_tokens(session: Session) -> None:
    user = add(session, "li")
    tokens.issue_token(db_session=session, user=user, name="t", actor=ADMIN)
    session.delete(user)
    session.flush()
    assert session.scalar(select(ApiToken)) is None
