"""Links confirmed by users, kept in the registry (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipops.cli.app import app
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


def test_cli_link_then_explain_with_confirmed_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPOPS_HOME", str(tmp_path / "ws"))
    monkeypatch.delenv("IPOPS_DATABASE_URL", raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(app, ["names", "link", "GREE", "格力电器", "--apart", "--by", "li"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["names", "explain", "GREE", "格力电器", "--confirmed", "--json"])
    assert json.loads(result.stdout)["same"] is False
    result = runner.invoke(app, ["names", "explain", "GREE", "格力电器", "--json"])
    assert json.loads(result.stdout)["same"] is True
