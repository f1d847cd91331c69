"""The report clusters once: hotspots and collaboration share one clustering, same numbers."""

from __future__ import annotations

from typing import Any

import pytest

from ipops.corpus.store import CorpusStore
from ipops.geo import analysis
from ipops.geo import service as geo
from ipops.report.query import parse_query
from ipops.report.service import ReportRequest, build_report
from ipops.workspace import Workspace


def test_collaboration_with_the_clustering_given_equals_clustering_again(
    generated_workspace: Workspace,
) -> None:
    con = CorpusStore(generated_workspace.corpus_dir).connect()
    try:
        made = geo.patent_cluster_result(con)
        assert made.clusters  # the generated corpus has hotspots to share
        again = geo.collaboration_by_year(con)
        shared = geo.collaboration_by_year(con, clusters=made)
    finally:
        con.close()
    assert shared == again
    assert any(year.international_hotspot for year in shared)


def test_a_report_clusters_once(
    generated_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = analysis.find_clusters

    def counted(*args: Any, **kwargs: Any) -> analysis.ClusterResult:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis, "find_clusters", counted)
    store = CorpusStore(generated_workspace.corpus_dir)
    report = build_report(store, ReportRequest(query=parse_query(ipc=["F24F"]), lang="en"))
    keys = [section.key for section in report.sections]
    assert "geography" in keys and "collaboration" in keys
    assert len(calls) == 1
