"""Accounts services: keyword-only, an explicit session, flush only (the edge commits).

Every change is audited through the ``actor`` argument, so no edge can forget it.
Failed logins are flushed before ``NotAuthenticated`` is raised: the edge must commit them
even though the request fails (the API's session dependency does), or the rate limit
would never see them.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session, make_transient_to_detached

from ipops.accounts import passwords
from ipops.accounts.models import ApiToken, LoginAttempt, Organisation, User
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
_known_tokens: dict[str, tuple[float, User]] = {}  # token hash -> (valid until, user copy)
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


def set_password(*, db_session: Session, user: User, password: str, actor: Actor) -> None:
    check_storable(password, field="password")
    passwords.check_strength(password, username=user.username)
    user.password_hash = passwords.hash_password(password)
    db_session.flush()
    forget_known_tokens()
    record_by(
        actor,
        db_session=db_session,
        action="user.password_changed",
        object_type="user",
        object_id=user.id,
    )


def change_own_password(
    *, db_session: Session, user: User, current_password: str, new_password: str, actor: Actor
) -> None:
    if not passwords.verify_password(user.password_hash, current_password):
        raise ValidationError("is not the current password", field="current_password")
    set_password(db_session=db_session, user=user, password=new_password, actor=actor)


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

    After ``MAX_FAILED_LOGINS`` failures within ``LOGIN_WINDOW`` for one username from one
    source (client address), further attempts are refused with ``TooManyAttempts`` until
    the oldest of those failures leaves the window; a success resets the count.
    """
    name = normalize_username(username)[:64]
    source = source[:100]
    if storable_problem(name) or storable_problem(password) or storable_problem(source):
        raise NotAuthenticated("wrong username or password")
    now = _now()
    check_login_allowed(db_session=db_session, username=name, source=source, now=now)
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
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        db_session.flush()
    return user


def check_login_allowed(
    *, db_session: Session, username: str, source: str, now: datetime | None = None
) -> None:
    """Raise ``TooManyAttempts`` while ``username`` from ``source`` is locked out."""
    now = now or _now()
    failures = _recent_failures(db_session, username, source, now)
    if len(failures) < MAX_FAILED_LOGINS:
        return
    unlock_at = _utc(failures[-1]) + LOGIN_WINDOW
    seconds = max(1, math.ceil((unlock_at - now).total_seconds()))
    minutes = math.ceil(seconds / 60)
    raise TooManyAttempts(
        f"too many failed logins; try again in {minutes} minute{'s' if minutes != 1 else ''}",
        retry_after=seconds,
    )


def _recent_failures(
    db_session: Session, username: str, source: str, now: datetime
) -> list[datetime]:
    same = (LoginAttempt.username == username, LoginAttempt.source == source)
    since = now - LOGIN_WINDOW
    last_ok = db_session.scalar(select(func.max(LoginAttempt.at)).where(*same, LoginAttempt.ok))
    if last_ok is not None and _utc(last_ok) > since:
        since = _utc(last_ok)
    query = (
        select(LoginAttempt.at)
        .where(*same, LoginAttempt.ok.is_(False), LoginAttempt.at > since)
        .order_by(LoginAttempt.at.desc())
        .limit(MAX_FAILED_LOGINS)
    )
    return list(db_session.scalars(query))


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
    *, db_session: Session, user: User, name: str, actor: Actor
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret, which is shown once and never stored."""
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=_required_text(name, field="name", limit=100),
        token_hash=hash_token(plaintext),
        created_at=_now(),
    )
    db_session.add(token)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="token.issued",
        object_type="api_token",
        object_id=token.id,
        after={"user_id": user.id, "username": user.username, "name": token.name},
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
    forget_known_tokens()
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
    """The active user a valid, unrevoked token belongs to; notes when it was last used.

    An answer is remembered for ``TOKEN_CACHE_SECONDS`` in this process, so that a client
    making many calls costs one look-up every few seconds. Revoking a token or changing a
    user in this process forgets every answer at once; a change made by another process
    (the CLI) takes effect within those seconds.
    """
    if not plaintext.startswith(TOKEN_PREFIX):
        raise NotAuthenticated("invalid or revoked token")
    remembered = remembered_user_for_token(db_session=db_session, plaintext=plaintext)
    if remembered is not None:
        return remembered
    digest = hash_token(plaintext)
    user = _look_up_token(db_session, digest)
    _known_tokens[digest] = (time.monotonic() + TOKEN_CACHE_SECONDS, _detached_copy(user))
    return user


def remembered_user_for_token(*, db_session: Session, plaintext: str) -> User | None:
    """The user of a token answered within the last few seconds, without any database I/O
    (so an async edge may call it on the event loop); ``None`` when it must be looked up."""
    remembered = _known_tokens.get(hash_token(plaintext))
    if remembered is None or remembered[0] <= time.monotonic():
        return None
    return db_session.merge(remembered[1], load=False)


def forget_known_tokens() -> None:
    """Drop every remembered token answer (after a revocation or a change of user)."""
    _known_tokens.clear()


def _look_up_token(db_session: Session, digest: str) -> User:
    invalid = NotAuthenticated("invalid or revoked token")
    token = db_session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or token.revoked_at is not None:
        raise invalid
    user = db_session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise invalid
    now = _now()
    if token.last_used_at is None or now - _utc(token.last_used_at) > TOKEN_TOUCH_INTERVAL:
        token.last_used_at = now
        db_session.flush()
    return user


def _detached_copy(user: User) -> User:
    """A copy of ``user`` that belongs to no session but keeps its identity (for merge)."""
    copy = User(**{column.key: getattr(user, column.key) for column in User.__table__.columns})
    make_transient_to_detached(copy)
    return copy


def active_user(*, db_session: Session, user_id: int) -> User | None:
    """The user of a web session, if it still exists and is active."""
    user = db_session.get(User, user_id)
    return user if user is not None and user.is_active else None


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
