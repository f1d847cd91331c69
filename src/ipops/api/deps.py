"""Typed dependencies of the API: the application state, a registry session per request,
the current user (bearer token, or the web's session cookie), the acting ``Actor``, and a
corpus cursor per request.

The session is committed when the endpoint returns and rolled back when it raises, before
the response is sent (``scope="function"``). ``NotAuthenticated`` is the one error that
still commits: a failed login flushes its attempt record, which the rate limit must keep.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ipops.accounts import service
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


def get_db_session(request: Request) -> Iterator[Session]:
    session = api_state(request).sessions()
    try:
        yield session
        session.commit()
    except NotAuthenticated:
        session.commit()
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_db_session, scope="function")]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def current_user_from_request(request: Request, db_session: Session) -> User:
    """The user of a bearer token, else of the web session (``request.session["user_id"]``
    when a SessionMiddleware is installed); ``NotAuthenticated`` when there is neither."""
    token = _bearer_token(request)
    if token is not None:
        return service.user_for_token(db_session=db_session, plaintext=token)
    user_id = request.session.get("user_id") if "session" in request.scope else None
    if isinstance(user_id, int):
        user = service.active_user(db_session=db_session, user_id=user_id)
        if user is not None:
            return user
    raise NotAuthenticated("sign in first: send the header Authorization: Bearer <token>")


def _bearer_token(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def get_current_user(
    request: Request,
    db_session: SessionDep,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> User:
    return current_user_from_request(request, db_session)


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_actor(request: Request, user: CurrentUser) -> Actor:
    return Actor.of(user.username, channel="api", address=client_address(request))


ActorDep = Annotated[Actor, Depends(get_actor)]


def get_corpus_cursor(request: Request) -> Iterator[CorpusCursor]:
    handle = api_state(request).corpus.cursor()
    try:
        yield handle
    finally:
        handle.close()


CorpusDep = Annotated[CorpusCursor, Depends(get_corpus_cursor, scope="function")]
