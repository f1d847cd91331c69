"""Fixtures of the report tests: the real USPTO grants in a workspace, a generated one."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipops.config import Settings
from ipops.corpus.ingest import LoadTarget, ingest_files
from ipops.corpus.loaders import load_generated
from ipops.corpus.store import CorpusStore
from ipops.registry.db import make_engine, upgrade
from ipops.workspace import Workspace, create_workspace
from realdata import shared_path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))


def real_grants_xml() -> Path:
    """The folder of real USPTO grant XML (shared/data or vendored), or skip."""
    return shared_path("uspto-grant-xml-pvdb", "xml")


def _workspace(root: Path) -> tuple[Workspace, LoadTarget]:
    workspace = create_workspace(Settings(home=root))
    upgrade(workspace.database_url)
    engine = make_engine(workspace.database_url)
    return workspace, LoadTarget(CorpusStore(workspace.corpus_dir), engine, workspace.rejects_dir)


@pytest.fixture(scope="module")
def real_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The 421 real USPTO grants (and 3 applications) of shared/data, ingested once."""
    xml = real_grants_xml()
    workspace, target = _workspace(tmp_path_factory.mktemp("real") / "ws")
    report = ingest_files(target, [xml], workers=1)
    assert report.status == "committed"
    yield workspace
    target.engine.dispose()


@pytest.fixture(scope="module")
def generated_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """2,000 generated patents (about 30% air conditioning), with events and families."""
    workspace, target = _workspace(tmp_path_factory.mktemp("generated") / "ws")
    load_generated(target, patents=2000, seed=11)
    yield workspace
    target.engine.dispose()
