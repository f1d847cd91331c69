"""The geo domain for scripts (``ipops.open(home).geo``):
each method is keyword-only, runs one use case and returns its frozen results.

Geo reads the corpus (and the publications) only, never the registry, so no method opens a
registry transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipops.geo.analysis import DEFAULT_TOP_HOTSPOTS, ClusterResult
from ipops.geo.clusters import DEFAULT_EPS_KM
from ipops.geo.runs import GeoOptions, GeoWorkspace
from ipops.geo.usecases import (
    Collaboration,
    Hotspots,
    collaboration_by_year,
    find_clusters,
    find_hotspots,
)

if TYPE_CHECKING:
    from ipops.platform import Platform


class GeoAPI:
    def __init__(self, platform: Platform) -> None:
        self._platform = platform

    def clusters(
        self,
        *,
        source: str = "patents",
        years: tuple[int, int] | None = None,
        eps_km: float = DEFAULT_EPS_KM,
        min_weight: float | None = None,
        grid_km: float | None = None,
        engine: str = "duckdb",
    ) -> ClusterResult:
        """Every cluster of the corpus (``source``: patents, publications or both)."""
        options = GeoOptions(source, years, eps_km, min_weight, grid_km, engine).checked()
        return find_clusters(workspace=self._workspace(), options=options)

    def hotspots(
        self,
        *,
        top: int = DEFAULT_TOP_HOTSPOTS,
        source: str = "patents",
        years: tuple[int, int] | None = None,
        eps_km: float = DEFAULT_EPS_KM,
        min_weight: float | None = None,
        grid_km: float | None = None,
        engine: str = "duckdb",
    ) -> Hotspots:
        """The ``top`` hotspots and their share of the world total."""
        options = GeoOptions(source, years, eps_km, min_weight, grid_km, engine).checked()
        return find_hotspots(workspace=self._workspace(), options=options, top=top)

    def collaboration(
        self,
        *,
        top: int = DEFAULT_TOP_HOTSPOTS,
        source: str = "patents",
        years: tuple[int, int] | None = None,
        eps_km: float = DEFAULT_EPS_KM,
        min_weight: float | None = None,
        engine: str = "duckdb",
    ) -> Collaboration:
        """Per year: team share, international co-invention share, hotspot share of it."""
        options = GeoOptions(source, years, eps_km, min_weight, None, engine).checked()
        return collaboration_by_year(workspace=self._workspace(), options=options, top=top)

    def _workspace(self) -> GeoWorkspace:
        return GeoWorkspace.at(self._platform.workspace.root, self._platform.store)
