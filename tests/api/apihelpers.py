"""The API under test: a real uvicorn server on a free loopback port, over a real workspace."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine

from ipops.accounts import tokens, users
from ipops.accounts.models import User
from ipops.accounts.roles import Role
from ipops.api.app import create_app
from ipops.audit.service import Actor
from ipops.config import Settings
from ipops.corpus.ingest import LoadTarget
from ipops.corpus.loaders import load_generated
from ipops.corpus.store import CorpusStore
from ipops.registry.db import make_engine, session_scope, upgrade
from ipops.workspace import create_workspace

PASSWORD = "Correct-horse-7"
TEST_ACTOR = Actor(name="test", origin="test")


def generate_corpus(root: Path, patents: int = 500, seed: int = 1) -> Path:
    """A generated corpus under ``root/corpus`` (its ingestion run in a throwaway registry)."""
    root.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{root / 'load-registry.sqlite'}"
    upgrade(url)
    target = LoadTarget(CorpusStore(root / "corpus"), make_engine(url), root / "rejects")
    load_generated(target, patents=patents, seed=seed)
    return root / "corpus"


def first_patent(corpus: Path) -> tuple[str, str]:
    """``(patent_id, publication number with kind)`` of the first patent of ``corpus``."""
    with CorpusStore(corpus).connect() as con:
        patent_id, kind = con.execute(
            "SELECT patent_id, coalesce(kind, '') FROM patents ORDER BY patent_id LIMIT 1"
        ).fetchall()[0]
    return str(patent_id), f"{patent_id}{kind}"


def workspace_settings(root: Path, database_url: str, corpus: Path | None) -> Settings:
    root.mkdir(parents=True, exist_ok=True)
    if corpus is not None:
        (root / "corpus").symlink_to(corpus, target_is_directory=True)
    settings = Settings(home=root, database_url=database_url)
    create_workspace(settings)
    return settings


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


@dataclass
class LiveApi:
    """A running API and a client for it; users are made through the real services."""

    base_url: str
    app: FastAPI
    settings: Settings
    client: httpx.Client
    _tokens: dict[str, str] = field(default_factory=dict)

    @property
    def engine(self) -> Engine:
        engine = self.app.state.ipops.engine
        assert isinstance(engine, Engine)
        return engine

    def add_user(
        self,
        username: str,
        role: Role | str,
        *,
        password: str = PASSWORD,
        organisation_id: int | None = None,
    ) -> User:
        with session_scope(self.engine) as session:
            return users.create_user(
                db_session=session,
                username=username,
                password=password,
                role=role,
                organisation_id=organisation_id,
                actor=TEST_ACTOR,
            )

    def issue_token(self, user: User, name: str = "test") -> tuple[int, str]:
        with session_scope(self.engine) as session:
            fresh = users.get_user(db_session=session, user_id=user.id)
            token, secret = tokens.issue_token(
                db_session=session, user=fresh, name=name, actor=TEST_ACTOR
            )
            return token.id, secret

    def token_for(self, user: User) -> str:
        if user.username not in self._tokens:
            self._tokens[user.username] = self.issue_token(user)[1]
        return self._tokens[user.username]

    def headers(self, user: User | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token_for(user)}"} if user else {}

    def request(
        self, method: str, path: str, user: User | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = {**self.headers(user), **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)


@contextmanager
def running_api(settings: Settings, *, web: bool = False) -> Iterator[LiveApi]:
    app = create_app(settings, web=web)
    with live_server(app) as base_url, client_for(base_url) as client:
        yield LiveApi(base_url=base_url, app=app, settings=settings, client=client)


def client_for(base_url: str) -> httpx.Client:
    """A client that opens a connection per request: on loopback, in one process, reusing
    a kept-alive connection costs a 40 ms delayed ACK per request."""
    no_keepalive = httpx.Limits(max_keepalive_connections=0)
    return httpx.Client(base_url=base_url, timeout=30, limits=no_keepalive)


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The ``error`` object of an error response, checking the one error format."""
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"status", "code", "message", "field"}, error
    assert error["status"] == response.status_code
    assert isinstance(error["message"], str) and error["message"]
    return dict(error)
