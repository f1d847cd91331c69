"""API tokens: issued, looked up (answers remembered for a few seconds), revoked."""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, event, select
from sqlalchemy.orm import Session, make_transient_to_detached

from ipops.accounts.common import as_utc, paged, required_text, utc_now
from ipops.accounts.models import (
    ApiToken,
    User,
)
from ipops.audit.service import Actor, record_by
from ipops.errors import NotAuthenticated, NotFound
from ipops.paging import Page

TOKEN_PREFIX = "ipops_"
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
TOKEN_CACHE_SECONDS = 10.0
TOKEN_LIFETIME = timedelta(days=90)
TOKEN_SORTABLE = {"id": ApiToken.id, "name": ApiToken.name, "created_at": ApiToken.created_at}
# token hash -> (valid until, stamp when looked up, user copy)
_known_tokens: dict[str, tuple[float, object, User]] = {}
_FORGET_ON_COMMIT = "ipops.forget_known_tokens"


def issue_token(
    *,
    db_session: Session,
    user: User,
    name: str,
    actor: Actor,
    lifetime: timedelta = TOKEN_LIFETIME,
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret, which is shown once and never stored; it
    expires ``lifetime`` after issue (90 days unless the settings say otherwise)."""
    if not user.is_active:
        raise NotAuthenticated("the user is deactivated")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utc_now()
    token = ApiToken(
        user_id=user.id,
        name=required_text(name, field="name", limit=100),
        token_hash=hash_token(plaintext),
        created_at=now,
        expires_at=now + lifetime,
    )
    db_session.add(token)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="token.issued",
        object_type="api_token",
        object_id=token.id,
        after={
            "user_id": user.id,
            "username": user.username,
            "name": token.name,
            "expires_at": (now + lifetime).isoformat(),
        },
    )
    return token, plaintext


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def list_tokens(
    *,
    db_session: Session,
    user: User,
    include_revoked: bool = False,
    page: Page | None = None,
) -> tuple[list[ApiToken], int]:
    conditions: list[ColumnElement[bool]] = [ApiToken.user_id == user.id]
    if not include_revoked:
        conditions.append(ApiToken.revoked_at.is_(None))
    return paged(db_session, ApiToken, conditions, TOKEN_SORTABLE, page)


def get_token(*, db_session: Session, token_id: int) -> ApiToken:
    token = db_session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no token {token_id}", field="token_id")
    return token


def revoke_token(*, db_session: Session, token: ApiToken, actor: Actor) -> ApiToken:
    """Revoke ``token`` (revoking a revoked token changes nothing)."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = utc_now()
    db_session.flush()
    forget_known_tokens(db_session)
    record_by(
        actor,
        db_session=db_session,
        action="token.revoked",
        object_type="api_token",
        object_id=token.id,
        after={"user_id": token.user_id, "name": token.name},
    )
    return token


def user_for_token(*, db_session: Session, plaintext: str) -> User:
    """The active user a valid, unexpired, unrevoked token belongs to; notes when it was
    last used.

    An answer is remembered for ``TOKEN_CACHE_SECONDS`` in this process, so that a client
    making many calls costs one look-up every few seconds. Whatever ends a token or changes
    a user (revocation, password change, deactivation) forgets every answer when it is
    committed, in this process and, through the stamp file of :func:`watch_revocations`,
    in every other process of the workspace (the CLI, other server workers).
    """
    if not plaintext.startswith(TOKEN_PREFIX):
        raise NotAuthenticated("invalid, expired or revoked token")
    remembered = remembered_user_for_token(db_session=db_session, plaintext=plaintext)
    if remembered is not None:
        return remembered
    stamp = _stamp()
    digest = hash_token(plaintext)
    user, expires_at = _look_up_token(db_session, digest)
    until = time.monotonic() + TOKEN_CACHE_SECONDS
    if expires_at is not None:
        until = min(until, time.monotonic() + (as_utc(expires_at) - utc_now()).total_seconds())
    _known_tokens[digest] = (until, stamp, _detached_copy(user))
    return user


def remembered_user_for_token(*, db_session: Session, plaintext: str) -> User | None:
    """The user of a token answered within the last few seconds, without any database I/O
    (so an async edge may call it on the event loop); ``None`` when it must be looked up."""
    remembered = _known_tokens.get(hash_token(plaintext))
    if remembered is None or remembered[0] <= time.monotonic() or remembered[1] != _stamp():
        return None
    return db_session.merge(remembered[2], load=False)


def forget_known_tokens(db_session: Session | None = None) -> None:
    """Drop every remembered token answer (after a revocation or a change of user), now and
    again when ``db_session`` commits (an answer looked up in between saw the old state),
    and tell the other processes of the workspace (the stamp file)."""
    _known_tokens.clear()
    _touch_stamp()
    if db_session is not None:
        db_session.info[_FORGET_ON_COMMIT] = True


@event.listens_for(Session, "after_commit")
def _forget_after_commit(db_session: Session) -> None:
    if db_session.info.pop(_FORGET_ON_COMMIT, False):
        _known_tokens.clear()
        _touch_stamp()


_stamp_file: Path | None = None


def watch_revocations(stamp_file: Path | None) -> None:
    """Share forgetting with the other processes of a workspace through ``stamp_file``
    (replaced whenever a token or user changes; a remembered answer older than the file's
    current version is not used). ``None``: this process only."""
    global _stamp_file
    _stamp_file = stamp_file
    _known_tokens.clear()


def _stamp() -> object:
    if _stamp_file is None:
        return None
    try:
        found = _stamp_file.stat()
    except OSError:
        return None
    return (found.st_ino, found.st_mtime_ns, found.st_size)


def _touch_stamp() -> None:
    if _stamp_file is None:
        return
    fresh = _stamp_file.with_name(f".{_stamp_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        fresh.write_text(secrets.token_hex(8) + "\n", encoding="ascii")
        fresh.replace(_stamp_file)
    except OSError:
        fresh.unlink(missing_ok=True)  # a read-only workspace: this process forgot anyway


def _look_up_token(db_session: Session, digest: str) -> tuple[User, datetime | None]:
    invalid = NotAuthenticated("invalid, expired or revoked token")
    token = db_session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or token.revoked_at is not None:
        raise invalid
    now = utc_now()
    if token.expires_at is not None and as_utc(token.expires_at) <= now:
        raise invalid
    user = db_session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise invalid
    if token.last_used_at is None or now - as_utc(token.last_used_at) > TOKEN_TOUCH_INTERVAL:
        token.last_used_at = now
        db_session.flush()
    return user, token.expires_at


def _detached_copy(user: User) -> User:
    """A copy of ``user`` that belongs to no session but keeps its identity (for merge)."""
    copy = User(**{column.key: getattr(user, column.key) for column in User.__table__.columns})
    make_transient_to_detached(copy)
    return copy
