"""Accounts services: keyword-only, an explicit session, flush only (the edge commits).

Every change is audited through the ``actor`` argument, so no edge can forget it.
Failed logins are flushed before ``NotAuthenticated`` is raised: the edge must commit them
even though the request fails (the API's session dependency does), or the rate limit
would never see them.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, case, delete, event, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached

from ipops.accounts import passwords
from ipops.accounts.models import (
    ApiToken,
    LoginAttempt,
    LoginThrottle,
    Organisation,
    User,
    WebSession,
)
from ipops.accounts.roles import OrgKind, Role
from ipops.audit.service import Actor, origin_of, record, record_by
from ipops.errors import Conflict, NotAuthenticated, NotFound, TooManyAttempts, ValidationError
from ipops.paging import Page
from ipops.text import check_storable, storable_problem

TOKEN_PREFIX = "ipops_"
MAX_FAILED_LOGINS = 5
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_HISTORY_KEPT = timedelta(days=1)
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
TOKEN_CACHE_SECONDS = 10.0
TOKEN_LIFETIME = timedelta(days=90)
WEB_SESSION_LIFETIME = timedelta(hours=12)  # a working day; then log in again
ENDED_SESSIONS_KEPT = timedelta(days=30)
# token hash -> (valid until, stamp when looked up, user copy)
_known_tokens: dict[str, tuple[float, object, User]] = {}
_FORGET_ON_COMMIT = "ipops.forget_known_tokens"
USER_SORTABLE = {"id": User.id, "username": User.username, "role": User.role}
USER_SORTABLE |= {"created_at": User.created_at}
TOKEN_SORTABLE = {"id": ApiToken.id, "name": ApiToken.name, "created_at": ApiToken.created_at}
ORG_SORTABLE = {"id": Organisation.id, "name": Organisation.name, "kind": Organisation.kind}

M = TypeVar("M", User, ApiToken, Organisation)
E = TypeVar("E", Role, OrgKind)

_USERNAME = re.compile(r"^[^\W_][\w.@-]{1,63}$")


# -- organisations -------------------------------------------------------------------------
def create_organisation(
    *, db_session: Session, name: str, kind: OrgKind | str, actor: Actor
) -> Organisation:
    name = _required_text(name, field="name", limit=200)
    org_kind = _enum(OrgKind, kind, field="kind")
    if get_organisation_by_name(db_session=db_session, name=name) is not None:
        raise Conflict(f"an organisation named {name!r} exists already", field="name")
    org = Organisation(name=name, kind=org_kind.value, created_at=_now())
    db_session.add(org)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="organisation.created",
        object_type="organisation",
        object_id=org.id,
        after=organisation_snapshot(org),
    )
    return org


def ensure_organisation(
    *, db_session: Session, name: str, kind: OrgKind | str, actor: Actor
) -> Organisation:
    """The organisation called ``name``, created with ``kind`` if there is none yet."""
    found = get_organisation_by_name(db_session=db_session, name=name)
    if found is None:
        return create_organisation(db_session=db_session, name=name, kind=kind, actor=actor)
    wanted = _enum(OrgKind, kind, field="kind")
    if found.kind != wanted.value:
        raise Conflict(
            f"{found.name!r} is a {found.kind} organisation, not a {wanted}", field="org"
        )
    return found


def get_organisation(*, db_session: Session, organisation_id: int) -> Organisation:
    org = db_session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(f"no organisation {organisation_id}", field="organisation_id")
    return org


def get_organisation_by_name(*, db_session: Session, name: str) -> Organisation | None:
    if storable_problem(name):
        return None
    return db_session.scalar(select(Organisation).where(Organisation.name == name.strip()))


def list_organisations(
    *, db_session: Session, kind: OrgKind | str | None = None, page: Page | None = None
) -> tuple[list[Organisation], int]:
    conditions = [] if kind is None else [Organisation.kind == str(kind)]
    return _paged(db_session, Organisation, conditions, ORG_SORTABLE, page)


def organisation_snapshot(org: Organisation) -> dict[str, Any]:
    return {"id": org.id, "name": org.name, "kind": org.kind}


# -- users ---------------------------------------------------------------------------------
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
    user_role = _enum(Role, role, field="role")
    if organisation_id is not None and db_session.get(Organisation, organisation_id) is None:
        raise ValidationError(f"no organisation {organisation_id}", field="organisation_id")
    if get_user_by_username(db_session=db_session, username=name) is not None:
        raise Conflict(f"the username {name!r} is taken", field="username")
    passwords.check_strength(password, username=name)
    user = User(
        username=name,
        display_name=_required_text(display_name or name, field="display_name", limit=200),
        role=user_role.value,
        organisation_id=organisation_id,
        password_hash=passwords.hash_password(password),
        is_active=True,
        created_at=_now(),
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
    return _paged(db_session, User, conditions, USER_SORTABLE, page)


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
    now = _now()
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
    counts = (_rowcount(ended), _rowcount(revoked))
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


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


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


# -- logging in ----------------------------------------------------------------------------
def authenticate(
    *,
    db_session: Session,
    username: str,
    password: str,
    source: str,
    channel: str = "api",
) -> User:
    """The active user with this password; every attempt is recorded and rate limited.

    At most ``MAX_FAILED_LOGINS`` failures within ``LOGIN_WINDOW`` for one username from one
    source (client address): a slot is taken with one conditional UPDATE *before* the
    password is checked (in a transaction of its own, committed at once), so parallel
    attempts cannot all pass the check; once the slots are taken, attempts are refused
    with ``TooManyAttempts`` until the window ends. A success gives the slots back.
    """
    name = normalize_username(username)[:64]
    source = source[:100]
    if storable_problem(name) or storable_problem(password) or storable_problem(source):
        raise NotAuthenticated("wrong username or password")
    now = _now()
    _take_login_slot(db_session, name, source, now)
    user = get_user_by_username(db_session=db_session, username=name)
    ok = passwords.verify_password(user.password_hash if user else None, password)
    ok = ok and user is not None and user.is_active
    _remember_attempt(db_session, name, source, now, ok=ok)
    record(
        db_session=db_session,
        actor=name if ok else "anonymous",
        origin=origin_of(channel, source),
        action="login.succeeded" if ok else "login.failed",
        object_type="user",
        object_id=user.id if user else name,
    )
    if not ok or user is None:
        raise NotAuthenticated("wrong username or password")
    _give_login_slots_back(db_session, name, source)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        db_session.flush()
    return user


def check_login_allowed(
    *, db_session: Session, username: str, source: str, now: datetime | None = None
) -> None:
    """Raise ``TooManyAttempts`` while ``username`` from ``source`` is locked out (a look,
    taking no slot)."""
    now = now or _now()
    throttle = db_session.get(LoginThrottle, (normalize_username(username), source))
    if throttle is not None:
        _refuse_if_locked(throttle.failures, throttle.window_started_at, now)


def _take_login_slot(db_session: Session, username: str, source: str, now: datetime) -> None:
    """Count one attempt against the limit, atomically, or raise ``TooManyAttempts``.

    The conditional UPDATE locks the counter row (PostgreSQL) or the database (SQLite) until
    the request's transaction ends, so parallel attempts for one username queue here and
    each sees the count the earlier ones left."""
    row = LoginThrottle
    same = (row.username == username, row.source == source)
    stale = row.window_started_at <= now - LOGIN_WINDOW
    take = (
        update(row)
        .where(*same, or_(row.failures < MAX_FAILED_LOGINS, stale))
        .values(
            failures=case((stale, 1), else_=row.failures + 1),
            window_started_at=case((stale, now), else_=row.window_started_at),
        )
        .execution_options(synchronize_session=False)
    )
    for _ in range(3):
        if _rowcount(db_session.execute(take)) == 1:
            return
        found = db_session.execute(select(row.failures, row.window_started_at).where(*same)).first()
        if found is not None:
            _refuse_if_locked(found.failures, found.window_started_at, now)
            continue  # the window ended between the two statements
        try:
            with db_session.begin_nested():
                db_session.execute(
                    insert(row).values(
                        username=username, source=source, failures=1, window_started_at=now
                    )
                )
            return
        except (IntegrityError, Conflict):  # the registry's hook reports it as a Conflict
            continue  # a parallel first attempt inserted the row: take a slot in it
    raise TooManyAttempts("too many parallel logins; try again in 1 minute", retry_after=60)


def _refuse_if_locked(failures: int, window_started_at: datetime, now: datetime) -> None:
    unlock_at = _utc(window_started_at) + LOGIN_WINDOW
    if failures < MAX_FAILED_LOGINS or unlock_at <= now:
        return
    seconds = max(1, math.ceil((unlock_at - now).total_seconds()))
    minutes = math.ceil(seconds / 60)
    raise TooManyAttempts(
        f"too many failed logins; try again in {minutes} minute{'s' if minutes != 1 else ''}",
        retry_after=seconds,
    )


def _give_login_slots_back(db_session: Session, username: str, source: str) -> None:
    db_session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.username == username, LoginThrottle.source == source)
        .values(failures=0),
        execution_options={"synchronize_session": False},
    )


def _remember_attempt(
    db_session: Session, username: str, source: str, now: datetime, *, ok: bool
) -> None:
    db_session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.username == username, LoginAttempt.at < now - LOGIN_HISTORY_KEPT
        )
    )
    db_session.add(LoginAttempt(username=username, source=source, at=now, ok=ok))
    db_session.flush()


# -- API tokens ----------------------------------------------------------------------------
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
    now = _now()
    token = ApiToken(
        user_id=user.id,
        name=_required_text(name, field="name", limit=100),
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
    return _paged(db_session, ApiToken, conditions, TOKEN_SORTABLE, page)


def get_token(*, db_session: Session, token_id: int) -> ApiToken:
    token = db_session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no token {token_id}", field="token_id")
    return token


def revoke_token(*, db_session: Session, token: ApiToken, actor: Actor) -> ApiToken:
    """Revoke ``token`` (revoking a revoked token changes nothing)."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = _now()
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
        until = min(until, time.monotonic() + (_utc(expires_at) - _now()).total_seconds())
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
    now = _now()
    if token.expires_at is not None and _utc(token.expires_at) <= now:
        raise invalid
    user = db_session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise invalid
    if token.last_used_at is None or now - _utc(token.last_used_at) > TOKEN_TOUCH_INTERVAL:
        token.last_used_at = now
        db_session.flush()
    return user, token.expires_at


def _detached_copy(user: User) -> User:
    """A copy of ``user`` that belongs to no session but keeps its identity (for merge)."""
    copy = User(**{column.key: getattr(user, column.key) for column in User.__table__.columns})
    make_transient_to_detached(copy)
    return copy


# -- web sessions --------------------------------------------------------------------------
def start_web_session(
    *,
    db_session: Session,
    user: User,
    actor: Actor,
    lifetime: timedelta = WEB_SESSION_LIFETIME,
) -> tuple[WebSession, str]:
    """A new server-side web session for ``user`` and its secret (for the cookie only)."""
    secret = secrets.token_urlsafe(32)
    now = _now()
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
    if found is None or _utc(found[0]) <= _now() or not found[1].is_active:
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
    web_session.ended_at = _now()
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


# -- helpers -------------------------------------------------------------------------------
def _paged(
    db_session: Session,
    model: type[M],
    conditions: list[ColumnElement[bool]],
    sortable: dict[str, Any],
    page: Page | None,
) -> tuple[list[M], int]:
    page = page or Page()
    total = db_session.scalar(select(func.count()).select_from(model).where(*conditions))
    order = [sortable[k.name].desc() if k.descending else sortable[k.name] for k in page.sort]
    order.append(sortable["id"])
    query = select(model).where(*conditions).order_by(*order)
    rows = db_session.scalars(query.offset(page.offset).limit(page.size))
    return list(rows), int(total or 0)


def _enum(enum: type[E], value: E | str, *, field: str) -> E:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(m.value for m in enum)
        raise ValidationError(f"{value!r} is not one of: {choices}", field=field) from None


def _required_text(value: str, *, field: str, limit: int) -> str:
    text = check_storable(value, field=field).strip()
    if not text:
        raise ValidationError("must not be empty", field=field)
    if len(text) > limit:
        raise ValidationError(f"must be at most {limit} characters", field=field)
    return text


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
