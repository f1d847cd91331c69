"""Innovation geography for callers with a DuckDB connection (reports, web, CLI).

The connection is one from ``CorpusStore.connect()`` (views ``patents``, ``inventors``,
``parties``, ``classifications``). ``scope``, when given, names a table or view on that
connection with a ``patent_id`` column: only those patents are counted.

Definitions (docs/geography.md):

* fractional counting: each patent's weight 1 is split equally over all its inventors;
  located inventors carry their share to their place, the shares of inventors without
  coordinates are reported as not located;
* team share = patents with two or more inventors / patents with at least one inventor;
* international co-invention share = patents whose inventors are in two or more distinct
  countries / patents with at least one inventor;
* hotspot share of international co-inventions = international co-inventions with at least
  one inventor located in a top-N cluster / international co-inventions.
"""

from __future__ import annotations

import duckdb

from ipops.geo import aggregate, analysis, charts
from ipops.geo.aggregate import patent_source
from ipops.geo.analysis import (
    DEFAULT_TOP_HOTSPOTS,
    Cluster,
    ClusterResult,
    CollaborationYear,
    check_years,
)
from ipops.geo.clusters import DEFAULT_EPS_KM
from ipops.geo.engines import DuckDBEngine

__all__ = [
    "DEFAULT_EPS_KM",
    "DEFAULT_TOP_HOTSPOTS",
    "Cluster",
    "ClusterResult",
    "CollaborationYear",
    "cluster_map_svg",
    "collaboration_by_year",
    "collaboration_chart_svg",
    "inventor_country_counts",
    "patent_cluster_result",
    "patent_clusters",
]


def patent_cluster_result(
    con: duckdb.DuckDBPyConnection,
    *,
    scope: str | None = None,
    years: tuple[int, int] | None = None,
    eps_km: float = DEFAULT_EPS_KM,
    min_weight: float | None = None,
    grid_km: float | None = None,
) -> ClusterResult:
    """Clusters with the totals behind them (documents, located and unlocated weight)."""
    check_years(years)
    source = patent_source(scope=scope, years=years)
    return analysis.find_clusters(
        DuckDBEngine(con),
        [source],
        eps_km=eps_km,
        min_weight=min_weight,
        grid_km=grid_km,
        years=years,
    )


def patent_clusters(
    con: duckdb.DuckDBPyConnection,
    *,
    scope: str | None = None,
    years: tuple[int, int] | None = None,
    eps_km: float = DEFAULT_EPS_KM,
    min_weight: float | None = None,
) -> list[Cluster]:
    """Patent hotspots, ranked by share of the world total.

    ``min_weight`` None: the reference's minimum scaled to the data (0.15% of the total
    weight, at least 2; see ``clusters.default_min_weight``).
    """
    result = patent_cluster_result(
        con, scope=scope, years=years, eps_km=eps_km, min_weight=min_weight
    )
    return result.clusters


def collaboration_by_year(
    con: duckdb.DuckDBPyConnection,
    *,
    scope: str | None = None,
    years: tuple[int, int] | None = None,
    top_hotspots: int = DEFAULT_TOP_HOTSPOTS,
    eps_km: float = DEFAULT_EPS_KM,
    min_weight: float | None = None,
    clusters: ClusterResult | None = None,
) -> list[CollaborationYear]:
    """Team, international co-invention and hotspot shares per filing year.

    The hotspots are the ``top_hotspots`` highest-ranked patent clusters of the same
    scope and years; ``clusters``, when given, is that clustering already made (from
    ``patent_cluster_result`` with the same scope and years), so it is not made again.
    """
    check_years(years)
    engine = DuckDBEngine(con)
    source = patent_source(scope=scope, years=years)
    found = clusters
    if found is None:
        found = analysis.find_clusters(
            engine, [source], eps_km=eps_km, min_weight=min_weight, years=years, profile=False
        )
    return analysis.collaboration(engine, source, hot=found.hot_places(top_hotspots))


def inventor_country_counts(
    con: duckdb.DuckDBPyConnection,
    *,
    scope: str | None = None,
    years: tuple[int, int] | None = None,
) -> list[tuple[str, float]]:
    """Fractional patent counts by inventor country, largest first.

    Each patent's weight 1 is split over all its inventors; inventors without a country
    are summed under "" (unknown), so the counts add up to the patents with inventors.
    """
    check_years(years)
    table = aggregate.place_years(DuckDBEngine(con), patent_source(scope=scope, years=years))
    weights = aggregate.weights(table)
    totals: dict[str, float] = {}
    for country, weight in zip(table["country"].to_pylist(), weights, strict=True):
        key = country or ""
        totals[key] = totals.get(key, 0.0) + float(weight)
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [(country, round(weight, 6)) for country, weight in ranked]


def cluster_map_svg(clusters: list[Cluster], *, title: str = "") -> str:
    """A world map (Natural Earth 1:110m outline) with the clusters sized by weight."""
    return charts.cluster_map_svg(clusters, title=title)


def collaboration_chart_svg(years: list[CollaborationYear], *, title: str = "") -> str:
    """Team share, international share and hotspot share of international, per year."""
    return charts.collaboration_chart_svg(years, title=title)
