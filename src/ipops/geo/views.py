"""HTTP edge of innovation geography: clusters (hotspots) and collaboration, as JSON.

The same computation as ``ipops geo clusters`` / ``ipops geo collaboration`` on DuckDB
(Spark is for the command line and batch jobs, not for requests).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from ipops.accounts import authz
from ipops.api.deps import CurrentUser, api_state
from ipops.geo.analysis import DEFAULT_TOP_HOTSPOTS
from ipops.geo.clusters import DEFAULT_EPS_KM, MAX_EPS_KM, MIN_EPS_KM
from ipops.geo.runs import (
    GeoOptions,
    GeoWorkspace,
    parse_years,
    workspace_clusters,
    workspace_collaboration,
)

router = APIRouter(prefix="/geo", tags=["geo"])

SourceParam = Annotated[
    str, Query(pattern="^(patents|publications|both)$", description="patents, publications, both")
]
YearsParam = Annotated[
    str | None, Query(max_length=9, description="filing (publication) years, e.g. 2015-2019")
]
EpsParam = Annotated[float, Query(ge=MIN_EPS_KM, le=MAX_EPS_KM, description="DBSCAN radius in km")]
MinWeightParam = Annotated[
    float | None,
    Query(gt=0, description="minimum weight of a core place (default: 0.15% of the total)"),
]
TopParam = Annotated[int, Query(ge=1, le=1000, description="how many clusters")]


def _workspace(request: Request) -> GeoWorkspace:
    state = api_state(request)
    return GeoWorkspace.at(state.workspace.root, state.corpus.store)


@router.get("/clusters", summary="Hotspots: clusters of fractionally counted places")
def read_clusters(
    request: Request,
    user: CurrentUser,
    source: SourceParam = "patents",
    years: YearsParam = None,
    eps_km: EpsParam = DEFAULT_EPS_KM,
    min_weight: MinWeightParam = None,
    top: TopParam = 100,
) -> dict[str, Any]:
    authz.require(user, "geo:read", "geography")
    options = GeoOptions(
        source=source, years=parse_years(years), eps_km=eps_km, min_weight=min_weight
    )
    result = workspace_clusters(_workspace(request), options)
    payload = result.as_dict()
    payload["clusters"] = payload["clusters"][:top]
    payload["top_share"] = round(result.top_share(top), 6)
    return payload


@router.get("/collaboration", summary="Team, international and hotspot shares per year")
def read_collaboration(
    request: Request,
    user: CurrentUser,
    source: Annotated[str, Query(pattern="^(patents|publications)$")] = "patents",
    years: YearsParam = None,
    top: TopParam = DEFAULT_TOP_HOTSPOTS,
    eps_km: EpsParam = DEFAULT_EPS_KM,
    min_weight: MinWeightParam = None,
) -> dict[str, Any]:
    authz.require(user, "geo:read", "geography")
    options = GeoOptions(
        source=source, years=parse_years(years), eps_km=eps_km, min_weight=min_weight
    )
    rows, found = workspace_collaboration(_workspace(request), options, top_hotspots=top)
    return {
        "source": source,
        "top_hotspots": [c.name for c in found.clusters[:top]],
        "years": [row.as_dict() for row in rows],
    }
