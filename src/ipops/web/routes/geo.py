"""Innovation geography pages: hotspots on a world map, collaboration trend chart.

The map and the chart are SVG drawn server-side from the offline Natural Earth outline
(``ipops.geo.charts``); the page shows the same figures as tables beside them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ipops.api.deps import api_state
from ipops.errors import ValidationError
from ipops.geo import charts
from ipops.geo.analysis import DEFAULT_TOP_HOTSPOTS, Cluster, ClusterResult, CollaborationYear
from ipops.geo.clusters import DEFAULT_EPS_KM
from ipops.geo.runs import (
    SOURCES,
    GeoOptions,
    GeoWorkspace,
    parse_years,
    workspace_clusters,
    workspace_collaboration,
)
from ipops.valuation.fields import fields
from ipops.web.context import Web, WebContext
from ipops.web.i18n import N_
from ipops.web.words import city_name, field_name

router = APIRouter(include_in_schema=False)
ACTION = ("geo:read", "geography")
MAX_TOP = 50
SOURCE_LABELS = {
    "patents": N_("Patents"),
    "publications": N_("Publications"),
    "both": N_("Patents and publications"),
}


def _workspace(request: Request) -> GeoWorkspace:
    state = api_state(request)
    return GeoWorkspace.at(state.workspace.root, state.corpus.store)


def _form(request: Request) -> dict[str, str]:
    names = ("source", "years", "eps_km", "min_weight", "top")
    return {name: request.query_params.get(name, "").strip()[:40] for name in names}


def _options(form: dict[str, str]) -> tuple[GeoOptions, int]:
    source = form["source"] or "patents"
    eps_km = _number(form["eps_km"], "eps-km") if form["eps_km"] else DEFAULT_EPS_KM
    min_weight = _number(form["min_weight"], "min-weight") if form["min_weight"] else None
    top = int(_number(form["top"], "top")) if form["top"] else DEFAULT_TOP_HOTSPOTS
    if not 1 <= top <= MAX_TOP:
        raise ValidationError(f"choose 1 to {MAX_TOP}", field="top")
    options = GeoOptions(
        source=source, years=parse_years(form["years"] or None), eps_km=eps_km,
        min_weight=min_weight,
    )  # fmt: skip
    return options.checked(), top


def _number(text: str, field: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValidationError(f"not a number: {text!r}", field=field) from None


_CACHE: dict[tuple[Any, ...], Any] = {}
CACHE_SIZE = 32


def _remembered(key: tuple[Any, ...], compute: Any) -> Any:
    """Results per workspace, corpus snapshot, publications version and options."""
    if key not in _CACHE:
        if len(_CACHE) >= CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = compute()
    return _CACHE[key]


def _clusters(ws: GeoWorkspace, options: GeoOptions) -> ClusterResult:
    key = ("clusters", str(ws.publications.root), _snapshot(ws), options)
    result: ClusterResult = _remembered(key, lambda: workspace_clusters(ws, options))
    return result


def _collaboration(ws: GeoWorkspace, options: GeoOptions, top: int) -> list[CollaborationYear]:
    key = ("collaboration", str(ws.publications.root), _snapshot(ws), options, top)
    years: list[CollaborationYear] = _remembered(
        key, lambda: workspace_collaboration(ws, options, top_hotspots=top)[0]
    )
    return years


def _snapshot(ws: GeoWorkspace) -> str:
    publications = ws.publications.current()
    return f"{ws.corpus.manifest().snapshot_id}/{publications.name if publications else '-'}"


@router.get("/geo", response_class=HTMLResponse)
def geo_page(web: Web, request: Request) -> Response:
    web.require(*ACTION)
    form = _form(request)
    errors: list[str] = []
    result: ClusterResult | None = None
    years: list[CollaborationYear] = []
    top = DEFAULT_TOP_HOTSPOTS
    try:
        options, top = _options(form)
        ws = _workspace(request)
        result = _clusters(ws, options)
        if options.source != "both":
            years = _collaboration(ws, options, top)
    except ValidationError as exc:
        errors.append(_problem(web, exc))
    query = request.url.query
    return web.render(
        "geo_hotspots.html",
        form=form,
        errors=errors,
        result=result,
        clusters=[_shown(web, c) for c in result.clusters[:top]] if result else [],
        top=top,
        top_share=result.top_share(top) if result else 0.0,
        years=years,
        sources=[(s, web.gettext(SOURCE_LABELS[s])) for s in SOURCES],
        source_labels=SOURCE_LABELS,
        map_url="/geo/map.svg" + (f"?{query}" if query else ""),
        chart_url="/geo/collaboration.svg" + (f"?{query}" if query else ""),
    )


@router.get("/geo/map.svg")
def map_svg(web: Web, request: Request) -> Response:
    web.require(*ACTION)
    options, _ = _options(_form(request))
    ws = _workspace(request)
    svg = charts.cluster_map_svg(_clusters(ws, options).clusters, numbers_only=True)
    return Response(svg, media_type="image/svg+xml")


@router.get("/geo/collaboration.svg")
def collaboration_svg(web: Web, request: Request) -> Response:
    web.require(*ACTION)
    options, top = _options(_form(request))
    if options.source == "both":
        raise ValidationError("collaboration is per source", field="source")
    ws = _workspace(request)
    years = _collaboration(ws, options, top)
    legend = [web.gettext(name) for name in LEGEND]
    return Response(
        charts.collaboration_chart_svg(years, legend=legend), media_type="image/svg+xml"
    )


LEGEND = (
    N_("Team share"),
    N_("International co-invention share"),
    N_("Hotspot share of international co-inventions"),
)
PROBLEMS = {
    "top": N_("Top hotspots: choose a whole number from 1 to 50."),
    "eps-km": N_("Radius: a number of kilometres above 0."),
    "min-weight": N_("Minimum weight: a number above 0."),
    "years": N_("Filing years: a year or a range such as 2015-2019, not ending before it starts."),
    "source": N_("Choose patents, publications or both."),
}


def _problem(web: WebContext, exc: ValidationError) -> str:
    """The problem in the page's language (the service's English message is for the CLI)."""
    known = PROBLEMS.get(exc.field or "")
    if known:
        return web.gettext(known)
    return web.gettext("The form has a value that cannot be used.")


def _shown(web: WebContext, cluster: Cluster) -> dict[str, Any]:
    """A cluster as the table shows it: place and field names in the page's language."""
    country = cluster.countries[0][0] if cluster.countries else None
    numbers = {f.name: f.number for f in fields().values()}
    return {
        "rank": cluster.rank,
        "name": city_name(cluster.name, country, web.locale),
        "weight": cluster.weight,
        "share": cluster.share,
        "members": cluster.members,
        "extent_km": cluster.extent_km,
        "top_parties": cluster.top_parties,
        "top_fields": [
            (field_name(numbers.get(name), name, web.locale), weight)
            for name, weight in cluster.top_fields
        ],
    }
