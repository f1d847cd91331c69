"""The geo use cases the CLI and the Python API share: clusters, hotspots, collaboration.

Each takes the workspace's corpus and publications (``GeoWorkspace``) and checked options,
and returns frozen results; the edges only parse input and format these.
"""

from __future__ import annotations

from dataclasses import dataclass

from ipops.geo.analysis import Cluster, ClusterResult, CollaborationYear
from ipops.geo.runs import GeoOptions, GeoWorkspace, workspace_clusters, workspace_collaboration


@dataclass(frozen=True)
class Hotspots:
    """The ``top`` highest-ranked clusters and their share of the world total."""

    result: ClusterResult
    top: int
    top_share: float

    @property
    def clusters(self) -> list[Cluster]:
        return self.result.clusters[: self.top]


@dataclass(frozen=True)
class Collaboration:
    """Per year: team, international and hotspot-international shares (top ``top`` hotspots)."""

    source: str
    years: list[CollaborationYear]
    clusters: ClusterResult
    top: int

    @property
    def hotspots(self) -> list[str]:
        return [cluster.name for cluster in self.clusters.clusters[: self.top]]


def find_clusters(*, workspace: GeoWorkspace, options: GeoOptions) -> ClusterResult:
    """Clusters (hotspots) by DBSCAN on fractionally counted places of the workspace."""
    return workspace_clusters(workspace, options)


def find_hotspots(*, workspace: GeoWorkspace, options: GeoOptions, top: int) -> Hotspots:
    """The clusters ranked, with the share of the top ``top`` in the world total."""
    result = workspace_clusters(workspace, options)
    return Hotspots(result=result, top=top, top_share=result.top_share(top))


def collaboration_by_year(
    *, workspace: GeoWorkspace, options: GeoOptions, top: int
) -> Collaboration:
    """Collaboration per year; the hotspot share counts the ``top`` hotspots."""
    years, found = workspace_collaboration(workspace, options, top_hotspots=top)
    return Collaboration(source=options.checked().source, years=years, clusters=found, top=top)
