"""The geo domain through the Python API: ``ipops.open(home).geo``."""

from __future__ import annotations

from pathlib import Path

import pytest

import ipops
from ipops.config import Settings
from ipops.corpus.ingest import LoadTarget
from ipops.corpus.loaders import load_generated
from ipops.corpus.store import CorpusStore
from ipops.errors import ValidationError
from ipops.geo.analysis import ClusterResult
from ipops.platform import Platform
from ipops.registry.db import make_engine, upgrade
from ipops.workspace import create_workspace


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("geo-facade") / "ws"
    workspace = create_workspace(Settings(home=root))
    upgrade(workspace.database_url)
    engine = make_engine(workspace.database_url)
    target = LoadTarget(CorpusStore(workspace.corpus_dir), engine, workspace.rejects_dir)
    load_generated(target, patents=800, seed=5)
    engine.dispose()
    return root


@pytest.fixture
def platform(home: Path, monkeypatch: pytest.MonkeyPatch) -> Platform:
    monkeypatch.delenv("IPOPS_DATABASE_URL", raising=False)
    return ipops.open(home)


def test_clusters_hotspots_and_collaboration(platform: Platform) -> None:
    clusters = platform.geo.clusters(min_weight=5)
    assert isinstance(clusters, ClusterResult)
    assert clusters.clusters and clusters.clusters[0].rank == 1
    assert all(c.weight >= 5 for c in clusters.clusters)

    hot = platform.geo.hotspots(top=3, min_weight=5)
    assert [c.name for c in hot.clusters] == [c.name for c in clusters.clusters[:3]]
    assert hot.top_share == pytest.approx(clusters.top_share(3))

    trend = platform.geo.collaboration(top=3, min_weight=5)
    assert trend.source == "patents" and trend.hotspots == [c.name for c in hot.clusters]
    assert sum(year.patents for year in trend.years) == 800


def test_bad_options_are_refused(platform: Platform) -> None:
    with pytest.raises(ValidationError):
        platform.geo.clusters(eps_km=-1)
    with pytest.raises(ValidationError):
        platform.geo.collaboration(source="both")
