"""`ipops geo ...`: innovation hotspots, collaboration trends, publications, maps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ipops.cli.context import JsonOption, app_context, console, print_json
from ipops.corpus.queries import generated_notice
from ipops.errors import ValidationError
from ipops.geo import charts
from ipops.geo.analysis import DEFAULT_TOP_HOTSPOTS, ClusterResult, CollaborationYear
from ipops.geo.clusters import DEFAULT_EPS_KM
from ipops.geo.engines import SPARK_LOCAL
from ipops.geo.publications import ingest_publications
from ipops.geo.runs import (
    GeoOptions,
    GeoWorkspace,
    figure_format,
    parse_years,
    points_clusters,
    workspace_clusters,
    workspace_collaboration,
    write_atomically,
)
from ipops.geo.usecases import collaboration_by_year, find_hotspots

app = typer.Typer(
    help="Innovation geography: hotspots with fractional counting, collaboration, maps.",
    no_args_is_help=True,
)

SourceOption = Annotated[
    str, typer.Option("--source", help="patents, publications or both (union of clusters).")
]
YearsOption = Annotated[
    str | None, typer.Option("--years", help="Filing (publication) years, e.g. 2015-2019.")
]
EpsOption = Annotated[float, typer.Option("--eps-km", help="DBSCAN radius in km.")]
MinWeightOption = Annotated[
    float | None,
    typer.Option(
        "--min-weight",
        help="Smallest total weight within the radius of a core place "
        "(default: 0.15% of the total weight, at least 2).",
    ),
]
GridOption = Annotated[
    float | None,
    typer.Option("--grid-km", help="Collapse points to a grid of this size (default: exact)."),
]
EngineOption = Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")]
MasterOption = Annotated[
    str, typer.Option("--spark-master", help="Spark master URL (local[2], spark://host:7077).")
]
TopOption = Annotated[int, typer.Option("--top", min=1, help="How many hotspots.")]


def _options(
    source: str,
    years: str | None,
    eps_km: float,
    min_weight: float | None,
    grid_km: float | None,
    engine: str,
    spark_master: str,
) -> GeoOptions:
    return GeoOptions(
        source=source,
        years=parse_years(years),
        eps_km=eps_km,
        min_weight=min_weight,
        grid_km=grid_km,
        engine=engine,
        spark_master=spark_master,
    ).checked()


def _workspace() -> GeoWorkspace:
    ctx = app_context()
    return GeoWorkspace.at(ctx.workspace.root, ctx.store)


def _compute(options: GeoOptions, points: Path | None) -> ClusterResult:
    if points is not None:
        return points_clusters(points, options)
    return workspace_clusters(_workspace(), options)


@app.command()
def clusters(
    source: SourceOption = "patents",
    years: YearsOption = None,
    eps_km: EpsOption = DEFAULT_EPS_KM,
    min_weight: MinWeightOption = None,
    grid_km: GridOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = SPARK_LOCAL,
    points: Annotated[
        Path | None, typer.Option("--points", help="CSV with lat, lon, weight: any point set.")
    ] = None,
    map_file: Annotated[
        Path | None, typer.Option("--map", help="Also write a world map (.svg or .png).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Find clusters (hotspots) with DBSCAN on fractionally counted places."""
    options = _options(source, years, eps_km, min_weight, grid_km, engine, spark_master)
    fmt = figure_format(map_file) if map_file is not None else None
    result = _compute(options, points)
    if map_file is not None and fmt is not None:
        figure = charts.cluster_map(result.clusters, title=_map_title(result))
        write_atomically(map_file, charts.render(figure, fmt))
    if as_json:
        print_json(result.as_dict())
        return
    _print_totals(result)
    _print_clusters(result, len(result.clusters))
    if map_file is not None:
        console.print(f"map: {map_file}")


@app.command()
def hotspots(
    top: TopOption = DEFAULT_TOP_HOTSPOTS,
    source: SourceOption = "patents",
    years: YearsOption = None,
    eps_km: EpsOption = DEFAULT_EPS_KM,
    min_weight: MinWeightOption = None,
    grid_km: GridOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = SPARK_LOCAL,
    as_json: JsonOption = False,
) -> None:
    """Rank the clusters; print the share of the top N in the world total."""
    options = _options(source, years, eps_km, min_weight, grid_km, engine, spark_master)
    found = find_hotspots(workspace=_workspace(), options=options, top=top)
    result, share = found.result, found.top_share
    if as_json:
        payload = result.as_dict()
        payload["clusters"] = payload["clusters"][:top]
        payload["top"] = top
        payload["top_share"] = round(share, 6)
        print_json(payload)
        return
    _print_totals(result)
    _print_clusters(result, top)
    console.print(
        f"the top {min(top, len(result.clusters))} of {len(result.clusters)} clusters hold "
        f"[bold]{share:.1%}[/] of the world total"
    )


@app.command()
def collaboration(
    by: Annotated[str, typer.Option("--by", help="Only 'year' for now.")] = "year",
    source: SourceOption = "patents",
    top: Annotated[
        int, typer.Option("--top", min=1, help="Hotspots counted for the hotspot share.")
    ] = DEFAULT_TOP_HOTSPOTS,
    years: YearsOption = None,
    eps_km: EpsOption = DEFAULT_EPS_KM,
    min_weight: MinWeightOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = SPARK_LOCAL,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also write the trend chart (.svg or .png).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Per year: team share, international co-invention share, hotspot share of it."""
    if by != "year":
        raise ValidationError(f"unknown grouping {by!r} (only 'year')", field="by")
    options = _options(source, years, eps_km, min_weight, None, engine, spark_master)
    fmt = figure_format(chart) if chart is not None else None
    trend = collaboration_by_year(workspace=_workspace(), options=options, top=top)
    rows = trend.years
    if chart is not None and fmt is not None:
        title = f"Collaboration ({options.source}, top {top} hotspots)"
        write_atomically(chart, charts.render(charts.collaboration_chart(rows, title=title), fmt))
    if as_json:
        print_json(
            {
                "source": options.source,
                "top_hotspots": trend.hotspots,
                "years": [r.as_dict() for r in rows],
            }
        )
        return
    _print_collaboration(rows, options.source)
    console.print("hotspots: " + ", ".join(trend.hotspots))
    if options.source == "patents":
        with app_context().store.connect() as con:
            notice = generated_notice(con)
        if notice:
            console.print(f"[yellow]{notice}[/]")
    if chart is not None:
        console.print(f"chart: {chart}")


@app.command("ingest-publications")
def ingest_publications_command(
    files: Annotated[list[Path], typer.Argument(help="PubMed/MEDLINE files (.medline, .txt).")],
    as_json: JsonOption = False,
) -> None:
    """Load PubMed/MEDLINE records, geocode author affiliations, count papers fractionally."""
    ws = _workspace()
    report = ingest_publications(ws.publications, files)
    if as_json:
        print_json(report.as_dict())
        return
    console.print(
        f"[green]loaded[/] {report.papers:,} papers with {report.authors:,} authors "
        f"({report.total_papers:,} papers in the workspace)"
    )
    console.print(
        f"affiliations located: {report.located:,} of {report.with_affiliation:,} "
        f"([bold]{report.match_rate:.1%}[/] match rate); country only: "
        f"{report.with_country - report.located:,}; no affiliation: "
        f"{report.authors - report.with_affiliation:,}"
    )


@app.command("map")
def map_command(
    out: Annotated[Path, typer.Option("--out", help="The map file (.svg or .png).")],
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also the collaboration chart (.svg/.png).")
    ] = None,
    source: SourceOption = "patents",
    years: YearsOption = None,
    eps_km: EpsOption = DEFAULT_EPS_KM,
    min_weight: MinWeightOption = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = SPARK_LOCAL,
    as_json: JsonOption = False,
) -> None:
    """Write the world map of clusters (and the collaboration chart) as SVG or PNG."""
    options = _options(source, years, eps_km, min_weight, None, engine, spark_master)
    fmt = figure_format(out)
    chart_fmt = figure_format(chart) if chart is not None else None
    ws = _workspace()
    result = workspace_clusters(ws, options)
    map_bytes = charts.render(charts.cluster_map(result.clusters, title=_map_title(result)), fmt)
    chart_bytes = None
    if chart is not None and chart_fmt is not None:
        rows, _ = workspace_collaboration(
            ws, GeoOptions(**{**options.__dict__, "source": _single(options.source)}),
            top_hotspots=DEFAULT_TOP_HOTSPOTS,
        )  # fmt: skip
        chart_bytes = charts.render(charts.collaboration_chart(rows), chart_fmt)
    write_atomically(out, map_bytes)
    if chart is not None and chart_bytes is not None:
        write_atomically(chart, chart_bytes)
    written = [str(out)] + ([str(chart)] if chart is not None else [])
    if as_json:
        print_json({"files": written, "clusters": len(result.clusters)})
        return
    console.print(f"wrote {', '.join(written)} ({len(result.clusters)} clusters)")


def _single(source: str) -> str:
    return "patents" if source == "both" else source


def _map_title(result: ClusterResult) -> str:
    years = f", {result.years[0]}-{result.years[1]}" if result.years else ""
    return f"Innovation hotspots ({result.source}{years}; radius {result.eps_km:g} km)"


def _print_totals(result: ClusterResult) -> None:
    for layer in result.layers:
        console.print(
            f"{layer.kind}: {layer.docs:,} documents, weight {layer.total_weight:,.1f} "
            f"({layer.located_weight:,.1f} located); {layer.unlocated_docs:,} without any "
            f"located inventor/author (counted, not on the map); "
            f"min weight {result.min_weight.get(layer.kind, 0):g}"
        )
    console.print(
        f"{len(result.clusters)} clusters on {result.places:,} places "
        f"(radius {result.eps_km:g} km, engine {result.engine})"
    )


def _print_clusters(result: ClusterResult, top: int) -> None:
    table = Table(
        "#", "cluster", "weight", "share", "places", "extent km", "top party", "top field"
    )
    for c in result.clusters[:top]:
        table.add_row(
            str(c.rank),
            c.name,
            f"{c.weight:,.1f}",
            f"{c.share:.2%}",
            str(c.members),
            f"{c.extent_km:,.0f}",
            c.top_parties[0][0] if c.top_parties else "",
            c.top_fields[0][0] if c.top_fields else "",
        )
    console.print(table)


def _print_collaboration(rows: list[CollaborationYear], source: str) -> None:
    people = "inventors" if source == "patents" else "authors"
    table = Table(
        "year", source, f"with {people}", "team share", "international", "intl share",
        "hotspot share of intl", "not located",
    )  # fmt: skip
    for r in rows:
        table.add_row(
            str(r.year) if r.year is not None else "?",
            f"{r.patents:,}",
            f"{r.with_inventors:,}",
            f"{r.team_share:.1%}",
            f"{r.international:,}",
            f"{r.international_share:.1%}",
            f"{r.hotspot_international_share:.1%}",
            f"{r.unlocated:,}",
        )
    console.print(table)
