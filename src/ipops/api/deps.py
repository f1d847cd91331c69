"""Typed dependencies of the API: the application state, a registry session per request,
the current user (bearer token, or the web's session cookie), the acting ``Actor``, and a
corpus cursor per request.

The session is committed when the endpoint returns and rolled back when it raises, before
the response is sent (``scope="function"``). ``NotAuthenticated`` is the one error that
still commits: a failed login flushes its attempt record, which the rate limit must keep.

The dependencies are ``async``: each sync dependency costs a hop to the thread pool (two
for a generator), which made them, not the endpoint, most of a light request's time. They
do no blocking I/O on the event loop: a session that never touched the database ends
without any, a token seen in the last seconds is answered from memory, and whatever does
need the database or the disk is sent to the thread pool.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from ipops.accounts import tokens, users, websessions
from ipops.accounts.models import User
from ipops.api.corpus_access import CorpusConnections, CorpusCursor
from ipops.audit.service import Actor
from ipops.config import Settings
from ipops.errors import NotAuthenticated
from ipops.workspace import Workspace

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="An API token from POST /api/v1/auth/token: `Authorization: Bearer ipops_...`",
)


@dataclass
class ApiState:
    settings: Settings
    workspace: Workspace
    engine: Engine
    sessions: sessionmaker[Session]
    corpus: CorpusConnections


def api_state(request: Request) -> ApiState:
    state = request.app.state.ipops
    assert isinstance(state, ApiState)
    return state


async def get_db_session(request: Request) -> AsyncIterator[Session]:
    session = api_state(request).sessions()
    try:
        yield session
        await _end_transaction(session, session.commit)
    except NotAuthenticated:
        await _end_transaction(session, session.commit)
        raise
    except BaseException:
        await _end_transaction(session, session.rollback)
        raise
    finally:
        session.close()


async def _end_transaction(session: Session, end: Callable[[], None]) -> None:
    """Commit or roll back in the thread pool when that means I/O (the session reached the
    database, or has changes to flush); a session that did neither ends at once."""
    if session.info.get(_USED_DATABASE) or session.new or session.dirty or session.deleted:
        await run_in_threadpool(end)
    else:
        end()


_USED_DATABASE = "ipops.used_database"


def request_sessions(engine: Engine) -> sessionmaker[Session]:
    """The session factory of the API, noting in each session whether it used the database."""
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    event.listen(sessions, "after_begin", _note_database_use)
    return sessions


def _note_database_use(session: Session, _transaction: object, _connection: object) -> None:
    session.info[_USED_DATABASE] = True


SessionDep = Annotated[Session, Depends(get_db_session, scope="function")]


def client_address(request: Request) -> str:
    """The peer address. ``X-Forwarded-For`` counts only when the server was started with
    the sender among ``IPOPS_TRUSTED_PROXIES`` (``ipops serve`` passes them to uvicorn;
    empty by default, so the header is ignored and cannot dodge the login limit)."""
    return request.client.host if request.client else "unknown"


WEB_SESSION_KEY = "sid"


def web_session_secret(request: Request) -> str | None:
    """The secret of the request's web session (from the signed cookie), if any."""
    secret = request.session.get(WEB_SESSION_KEY) if "session" in request.scope else None
    return secret if isinstance(secret, str) and secret else None


def current_user_from_request(request: Request, db_session: Session) -> User:
    """The user of a bearer token, else of the web session (a server-side session whose
    secret the signed cookie carries); ``NotAuthenticated`` when there is neither."""
    token = _bearer_token(request)
    if token is not None:
        return tokens.user_for_token(db_session=db_session, plaintext=token)
    secret = web_session_secret(request)
    if secret is not None:
        user = websessions.user_for_web_session(db_session=db_session, secret=secret)
        if user is not None:
            return user
    raise NotAuthenticated("sign in first: send the header Authorization: Bearer <token>")


def credential_of(request: Request) -> users.Credential:
    """What this request signed in with (kept alive by a password change it makes)."""
    token = _bearer_token(request)
    if token is not None:
        return users.Credential(token_hash=tokens.hash_token(token))
    secret = web_session_secret(request)
    return users.Credential(session_hash=tokens.hash_token(secret) if secret else None)


def _bearer_token(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


async def get_current_user(
    request: Request,
    db_session: SessionDep,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> User:
    token = _bearer_token(request)
    if token is not None:
        known = tokens.remembered_user_for_token(db_session=db_session, plaintext=token)
        if known is not None:
            return known
    return await run_in_threadpool(current_user_from_request, request, db_session)


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_actor(request: Request, user: CurrentUser) -> Actor:
    return Actor.of(user.username, channel="api", address=client_address(request))


ActorDep = Annotated[Actor, Depends(get_actor)]


async def get_corpus_cursor(request: Request) -> AsyncIterator[CorpusCursor]:
    corpus = api_state(request).corpus
    handle = corpus.open_cursor()
    if handle is None:
        handle = await run_in_threadpool(corpus.cursor)
    try:
        yield handle
    finally:
        handle.close()


CorpusDep = Annotated[CorpusCursor, Depends(get_corpus_cursor, scope="function")]
