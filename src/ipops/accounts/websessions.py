"""Web sessions: server-side, one secret per browser cookie."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ipops.accounts.common import as_utc, utc_now
from ipops.accounts.models import (
    User,
    WebSession,
)
from ipops.accounts.tokens import hash_token
from ipops.audit.service import Actor, record_by
from ipops.text import storable_problem

WEB_SESSION_LIFETIME = timedelta(hours=12)  # a working day; then log in again
ENDED_SESSIONS_KEPT = timedelta(days=30)


def start_web_session(
    *,
    db_session: Session,
    user: User,
    actor: Actor,
    lifetime: timedelta = WEB_SESSION_LIFETIME,
) -> tuple[WebSession, str]:
    """A new server-side web session for ``user`` and its secret (for the cookie only)."""
    secret = secrets.token_urlsafe(32)
    now = utc_now()
    db_session.execute(
        delete(WebSession).where(
            WebSession.user_id == user.id, WebSession.expires_at < now - ENDED_SESSIONS_KEPT
        )
    )
    web_session = WebSession(
        user_id=user.id,
        secret_hash=hash_token(secret),
        created_at=now,
        expires_at=now + lifetime,
    )
    db_session.add(web_session)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="session.started",
        object_type="web_session",
        object_id=web_session.id,
        after={"user_id": user.id, "expires_at": web_session.expires_at.isoformat()},
    )
    return web_session, secret


def user_for_web_session(*, db_session: Session, secret: str) -> User | None:
    """The active user of a web session that has not ended or expired, else ``None``."""
    if storable_problem(secret):
        return None
    found = db_session.execute(
        select(WebSession.expires_at, User)
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.secret_hash == hash_token(secret), WebSession.ended_at.is_(None))
    ).first()
    if found is None or as_utc(found[0]) <= utc_now() or not found[1].is_active:
        return None
    user: User = found[1]
    return user


def end_web_session(*, db_session: Session, secret: str, actor: Actor, reason: str) -> bool:
    """End the web session of ``secret`` (logout); False when there was none to end."""
    web_session = db_session.scalar(
        select(WebSession).where(
            WebSession.secret_hash == hash_token(secret), WebSession.ended_at.is_(None)
        )
    )
    if web_session is None:
        return False
    web_session.ended_at = utc_now()
    web_session.end_reason = reason
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="session.ended",
        object_type="web_session",
        object_id=web_session.id,
        after={"user_id": web_session.user_id, "reason": reason},
    )
    return True
