"""Logging in: password checks, every attempt recorded, failures rate limited.

Failed logins are flushed before ``NotAuthenticated`` is raised: the edge must commit them
even though the request fails (the API's session dependency does), or the rate limit
would never see them.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import case, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ipops.accounts import passwords
from ipops.accounts.common import as_utc, rowcount, utc_now
from ipops.accounts.models import (
    LoginAttempt,
    LoginThrottle,
    User,
)
from ipops.accounts.users import get_user_by_username, normalize_username
from ipops.audit.service import origin_of, record
from ipops.errors import Conflict, NotAuthenticated, TooManyAttempts
from ipops.text import storable_problem

MAX_FAILED_LOGINS = 5
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_HISTORY_KEPT = timedelta(days=1)


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
    now = utc_now()
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
    now = now or utc_now()
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
        if rowcount(db_session.execute(take)) == 1:
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
    unlock_at = as_utc(window_started_at) + LOGIN_WINDOW
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
