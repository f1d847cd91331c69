"""Users: creating them, passwords, activation and ending a user's sessions.

Every change is audited through the ``actor`` argument, so no edge can forget it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from ipops.accounts import passwords
from ipops.accounts.common import enum_value, paged, required_text, rowcount, utc_now
from ipops.accounts.models import (
    ApiToken,
    Organisation,
    User,
    WebSession,
)
from ipops.accounts.roles import Role
from ipops.accounts.tokens import forget_known_tokens
from ipops.audit.service import Actor, record_by
from ipops.errors import Conflict, NotFound, ValidationError
from ipops.paging import Page
from ipops.text import check_storable, storable_problem

USER_SORTABLE = {"id": User.id, "username": User.username, "role": User.role}
USER_SORTABLE |= {"created_at": User.created_at}
_USERNAME = re.compile(r"^[^\W_][\w.@-]{1,63}$")


def create_user(
    *,
    db_session: Session,
    username: str,
    password: str,
    role: Role | str,
    actor: Actor,
    display_name: str | None = None,
    organisation_id: int | None = None,
) -> User:
    name = check_username(username)
    user_role = enum_value(Role, role, field="role")
    if organisation_id is not None and db_session.get(Organisation, organisation_id) is None:
        raise ValidationError(f"no organisation {organisation_id}", field="organisation_id")
    if get_user_by_username(db_session=db_session, username=name) is not None:
        raise Conflict(f"the username {name!r} is taken", field="username")
    passwords.check_strength(password, username=name)
    user = User(
        username=name,
        display_name=required_text(display_name or name, field="display_name", limit=200),
        role=user_role.value,
        organisation_id=organisation_id,
        password_hash=passwords.hash_password(password),
        is_active=True,
        created_at=utc_now(),
    )
    db_session.add(user)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="user.created",
        object_type="user",
        object_id=user.id,
        after=user_snapshot(user),
    )
    return user


def check_username(username: str) -> str:
    """The canonical (lower-case) form of a new username, or a ValidationError."""
    name = normalize_username(check_storable(username, field="username"))
    if not _USERNAME.match(name):
        raise ValidationError(
            "2 to 64 letters, digits or . _ @ - , starting with a letter or digit",
            field="username",
        )
    return name


def normalize_username(username: str) -> str:
    return username.strip().lower()


def get_user(*, db_session: Session, user_id: int) -> User:
    user = db_session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}", field="user_id")
    return user


def get_user_by_username(*, db_session: Session, username: str) -> User | None:
    name = normalize_username(username)
    if storable_problem(name):
        return None
    return db_session.scalar(select(User).where(User.username == name))


def require_user_by_username(*, db_session: Session, username: str) -> User:
    user = get_user_by_username(db_session=db_session, username=username)
    if user is None:
        raise NotFound(f"no user {username!r}", field="username")
    return user


def list_users(
    *,
    db_session: Session,
    role: Role | str | None = None,
    organisation_id: int | None = None,
    page: Page | None = None,
) -> tuple[list[User], int]:
    conditions: list[ColumnElement[bool]] = []
    if role is not None:
        conditions.append(User.role == str(role))
    if organisation_id is not None:
        conditions.append(User.organisation_id == organisation_id)
    return paged(db_session, User, conditions, USER_SORTABLE, page)


@dataclass(frozen=True)
class Credential:
    """What a request signed in with: the SHA-256 of its bearer token or of its web session
    secret. A password change keeps this one alive and ends every other."""

    token_hash: str | None = None
    session_hash: str | None = None


def set_password(
    *,
    db_session: Session,
    user: User,
    password: str,
    actor: Actor,
    keep: Credential | None = None,
) -> None:
    """Set ``user``'s password and end every session and token of theirs except ``keep``
    (the one the change was made with, if any: the operator's CLI keeps none)."""
    check_storable(password, field="password")
    passwords.check_strength(password, username=user.username)
    user.password_hash = passwords.hash_password(password)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="user.password_changed",
        object_type="user",
        object_id=user.id,
    )
    end_sessions_of(
        db_session=db_session, user=user, actor=actor, reason="password_changed", keep=keep
    )


def change_own_password(
    *,
    db_session: Session,
    user: User,
    current_password: str,
    new_password: str,
    actor: Actor,
    keep: Credential | None = None,
) -> None:
    if not passwords.verify_password(user.password_hash, current_password):
        raise ValidationError("is not the current password", field="current_password")
    set_password(db_session=db_session, user=user, password=new_password, actor=actor, keep=keep)


def set_user_active(*, db_session: Session, user: User, active: bool, actor: Actor) -> User:
    """Deactivate (``active=False``) or reactivate ``user``; setting the state it has
    changes nothing. A deactivated user is refused from now on: sign-in fails and every
    web session and token ends at once (reactivating does not bring them back)."""
    if not active and actor.name == user.username and actor.origin != "cli":
        raise Conflict("you cannot deactivate yourself", field="username")
    if user.is_active == active:
        return user
    before = user_snapshot(user)
    user.is_active = active
    db_session.flush()
    forget_known_tokens(db_session)
    record_by(
        actor,
        db_session=db_session,
        action="user.reactivated" if active else "user.deactivated",
        object_type="user",
        object_id=user.id,
        before=before,
        after=user_snapshot(user),
    )
    if not active:
        end_sessions_of(db_session=db_session, user=user, actor=actor, reason="deactivated")
    return user


def end_sessions_of(
    *,
    db_session: Session,
    user: User,
    actor: Actor,
    reason: str,
    keep: Credential | None = None,
) -> tuple[int, int]:
    """End every web session and revoke every token of ``user`` except ``keep``; audited
    as ``user.sessions_ended`` (when there was any). Returns ``(sessions ended, tokens
    revoked)``."""
    now = utc_now()
    keep = keep or Credential()
    sessions = update(WebSession).where(
        WebSession.user_id == user.id, WebSession.ended_at.is_(None)
    )
    if keep.session_hash is not None:
        sessions = sessions.where(WebSession.secret_hash != keep.session_hash)
    tokens = update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    if keep.token_hash is not None:
        tokens = tokens.where(ApiToken.token_hash != keep.token_hash)
    ended = db_session.execute(sessions.values(ended_at=now, end_reason=reason))
    revoked = db_session.execute(tokens.values(revoked_at=now))
    counts = (rowcount(ended), rowcount(revoked))
    forget_known_tokens(db_session)
    if counts == (0, 0):
        return counts
    record_by(
        actor,
        db_session=db_session,
        action="user.sessions_ended",
        object_type="user",
        object_id=user.id,
        after={"reason": reason, "web_sessions": counts[0], "api_tokens": counts[1]},
    )
    return counts


def user_snapshot(user: User) -> dict[str, Any]:
    """What the audit trail keeps of a user (never the password hash)."""
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "organisation_id": user.organisation_id,
        "is_active": user.is_active,
    }
