"""What every section gets: the connection with the scope tables, the language, the query."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from ipops.corpus.queries import fetch_dicts
from ipops.corpus.store import CorpusStore
from ipops.geo import service as geo
from ipops.report.query import ReportQuery
from ipops.report.scope import FAMILIES


@dataclass(frozen=True)
class ReportContext:
    con: duckdb.DuckDBPyConnection
    store: CorpusStore
    lang: str
    query: ReportQuery
    query_text: str
    snapshot_id: str
    version: str
    as_of: date  # "now" for the data: counting lag, value scores, legal status
    patents: int
    families: int
    valuation_root: Path | None  # where value scores are cached; None: no value section
    top: int = 10
    # Results computed once per report and shared by sections (the clustering: hotspots
    # and collaboration both need it, and it is among the slowest steps).
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def clusters(self) -> geo.ClusterResult:
        """The hotspot clustering of the report's families (``ipops.geo`` defaults), once."""
        if "clusters" not in self._cache:
            self._cache["clusters"] = geo.patent_cluster_result(self.con, scope=FAMILIES)
        result: geo.ClusterResult = self._cache["clusters"]
        return result

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        return fetch_dicts(self.con, sql, params)

    def say(self, *, en: str, zh: str) -> str:
        return zh if self.lang == "zh" else en
