"""Fixtures of the finance tests: a small corpus and a registry with the finance tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from financebuilders import FinanceWorld, build_world


@pytest.fixture
def world(tmp_path: Path, registry_url: str) -> FinanceWorld:
    """The constructed corpus, with the registry on SQLite and (when configured) PostgreSQL."""
    return build_world(tmp_path / "ws", registry_url)
