"""Fixtures of the concurrency tests: a live API (uvicorn on a free loopback port) over a
fresh registry, on SQLite and on PostgreSQL when configured; the API tests' helpers and
builders (tests/api) make the pools, invoices and loans the requests race on."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from apihelpers import LiveApi, generate_corpus, running_api, workspace_settings
from argon2 import PasswordHasher

from ipops.accounts import passwords


@pytest.fixture(scope="session")
def race_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated corpus: the loans pledge its patents."""
    return generate_corpus(tmp_path_factory.mktemp("race-corpus"), patents=150, seed=3)


@pytest.fixture
def api(tmp_path: Path, registry_url: str, race_corpus: Path) -> Iterator[LiveApi]:
    """The served API; users get cheap argon2id hashes (the production parameters are
    tested in tests/accounts)."""
    settings = workspace_settings(tmp_path / "workspace", registry_url, race_corpus)
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    try:
        with running_api(settings) as live:
            yield live
    finally:
        passwords.use_hasher(previous)
