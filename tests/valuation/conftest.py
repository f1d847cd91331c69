"""Fixtures of the valuation tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import Workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


@pytest.fixture(scope="module")
def real_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The 421 real USPTO grants (and 3 applications) of shared/data, ingested once."""
    ws = Workspace(tmp_path_factory.mktemp("real") / "ws")
    ws.ingest_real_grants()
    return ws
