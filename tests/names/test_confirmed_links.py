"""Links confirmed by users, kept in the registry (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from ipops.errors import ValidationError
from ipops.names.resolve import Link, resolve_names
from ipops.names.service import confirm_link, confirmed_links
from ipops.registry.db import make_engine, session_scope


def test_a_confirmed_link_is_stored_replaced_and_applied(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        confirm_link(
            db_session=session, name_a="GREE", name_b="格力电器", same=True, confirmed_by="li"
        )
    with session_scope(engine) as session:
        # the same pair in the other order replaces the decision
        confirm_link(
            db_session=session, name_a="格力电器", name_b="GREE", same=False, confirmed_by="wang"
        )
    with session_scope(engine) as session:
        links = confirmed_links(db_session=session)
    assert links == (Link("GREE", "格力电器", False, "user"),)
    assert resolve_names(["GREE", "格力电器"], links=links).entities == 2


def test_a_blank_name_is_refused_and_nothing_is_written(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with pytest.raises(ValidationError) as raised, session_scope(engine) as session:
        confirm_link(db_session=session, name_a=" ", name_b="GREE", same=True, confirmed_by="li")
    assert raised.value.field == "name_a"
    with session_scope(engine) as session:
        assert confirmed_links(db_session=session) == ()
