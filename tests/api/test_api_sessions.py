"""The request session knows whether it reached the database, so that the async edge ends
it without I/O on the event loop when it did not (a remembered token, a serving look-up)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import make_transient_to_detached

from ipops.accounts.models import User
from ipops.api.deps import _USED_DATABASE, request_sessions
from ipops.registry.db import make_engine, upgrade


def test_a_session_notes_when_it_used_the_database(registry_url: str) -> None:
    upgrade(registry_url)
    engine = make_engine(registry_url)
    sessions = request_sessions(engine)
    try:
        with sessions() as untouched:
            copy = User(id=1, username="someone", role="analyst", password_hash="x")
            make_transient_to_detached(copy)
            untouched.merge(copy, load=False)  # what a remembered token costs
            assert not untouched.info.get(_USED_DATABASE)
        with sessions() as touched:
            touched.execute(sa.select(sa.literal(1)))
            assert touched.info.get(_USED_DATABASE)
    finally:
        engine.dispose()
