"""`ipops corpus ...`: load, generate and look at the patent corpus."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ipops.cli.context import JsonOption, app_context, console, print_json, progress_bar
from ipops.corpus import lookups
from ipops.corpus.format_names import FORMATS
from ipops.corpus.queries import describe_generated

if TYPE_CHECKING:
    from ipops.corpus.ingest import LoadReport
    from ipops.corpus.lookup_records import CorpusStatistics, PatentRecord
    from ipops.records import Record

AllowGenerated = Annotated[
    bool,
    typer.Option(
        "--allow-generated",
        help="Let generated and real patents share this corpus (refused by default).",
    ),
]

app = typer.Typer(help="Patent corpus: ingest, generate, inspect.", no_args_is_help=True)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to load.")],
    fmt: Annotated[
        str, typer.Option("--format", help=f"Source format: {', '.join(FORMATS)}.")
    ] = "auto",
    strict: Annotated[
        bool, typer.Option(help="Any rejected record fails the whole load; nothing is written.")
    ] = False,
    mapping: Annotated[
        Path | None, typer.Option(help="Extra column mapping (TOML) for Chinese table exports.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Parser processes, 1 or more (default: cores).")
    ] = None,
    allow_generated: AllowGenerated = False,
    citing_dates: Annotated[
        Path | None,
        typer.Option(
            "--citing-dates",
            help="PatentsView: a g_patent table (patent_id, patent_date) dating the citing "
            "patents of g_us_patent_citation that are not in the g_patent loaded.",
        ),
    ] = None,
    texts: Annotated[
        bool,
        typer.Option(
            "--texts",
            help="USPTO XML: also load claim texts and government-interest statements "
            "(slower: reads the claims' text and searches the description).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Load USPTO XML, PatentsView tables or Chinese patent-database exports."""
    # imported per command: the readers, name harmoniser and gazetteer take seconds to load
    from ipops.corpus.ingest import ingest_files

    ctx = app_context()
    with progress_bar("ingesting") as progress:
        report = ingest_files(
            ctx.load_target,
            paths,
            fmt=fmt,
            strict=strict,
            mapping=mapping,
            workers=workers,
            progress=progress,
            allow_generated=allow_generated,
            citing_dates=citing_dates,
            texts=texts,
        )
    _print_report(report, as_json)


@app.command()
def events(
    path: Annotated[Path, typer.Argument(help="CSV or XLSX of legal-status events.")],
    strict: Annotated[bool, typer.Option(help="Any rejected row fails the whole load.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Load legal-status events (granted, lapsed, transferred, pledged ...)."""
    # imported per command: the readers, name harmoniser and gazetteer take seconds to load
    from ipops.corpus import loaders

    ctx = app_context()
    with progress_bar("loading events") as progress:
        report = loaders.load_events(ctx.load_target, path, strict=strict, progress=progress)
    _print_report(report, as_json)


@app.command()
def families(
    path: Annotated[Path, typer.Argument(help="CSV of family members (family id, publication …).")],
    family_type: Annotated[
        str | None,
        typer.Option("--family-type", help="docdb, inpadoc or other, when the file does not say."),
    ] = None,
    strict: Annotated[bool, typer.Option(help="Any rejected row fails the whole load.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Load a DOCDB/INPADOC-style patent family table (columns in docs/corpus.md)."""
    # imported per command: the readers, name harmoniser and gazetteer take seconds to load
    from ipops.corpus import loaders

    ctx = app_context()
    with progress_bar("loading families") as progress:
        report = loaders.load_families(
            ctx.load_target, path, family_type=family_type, strict=strict, progress=progress
        )
    _print_report(report, as_json)


@app.command()
def generate(
    patents: Annotated[int, typer.Option(min=1, help="How many patents to generate.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 1,
    allow_generated: AllowGenerated = False,
    as_json: JsonOption = False,
) -> None:
    """Generate a realistic corpus (every record marked generated) and load it."""
    # imported per command: the readers, name harmoniser and gazetteer take seconds to load
    from ipops.corpus import loaders

    ctx = app_context()
    with progress_bar("generating", total=patents) as progress:
        report = loaders.load_generated(
            ctx.load_target,
            patents=patents,
            seed=seed,
            progress=progress,
            allow_generated=allow_generated,
        )
    _print_report(report, as_json)


@app.command()
def stats(as_json: JsonOption = False) -> None:
    """Counts per table, years, top inventor countries and parties."""
    result = lookups.statistics(store=app_context().store)
    if as_json:
        print_json(result.model_dump())
        return
    print_stats(result)


@app.command()
def show(
    number: Annotated[str, typer.Argument(help="Publication or patent number, e.g. US7654321B2.")],
    as_json: JsonOption = False,
) -> None:
    """One patent with its parties, inventors, classifications and citations."""
    result = lookups.patent(store=app_context().store, number=number)
    if as_json:
        print_json(result.model_dump())
        return
    _print_patent(result)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="A read-only SQL query over the corpus views.")],
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 1000,
    as_json: JsonOption = False,
) -> None:
    """Read-only SQL over the views patents, applications, parties, inventors, ... ."""
    found = lookups.read_only_rows(store=app_context().store, sql=sql, limit=limit)
    columns, rows = found.columns, found.rows
    if as_json:
        print_json([dict(zip(columns, row, strict=True)) for row in rows])
        return
    print_rows(columns, rows)


def print_rows(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A table when the columns fit the terminal, else one block per row (column: value), as
    psql's expanded display does; an empty result says so."""
    if not rows:
        console.print(f"no rows (columns: {', '.join(columns)})", highlight=False)
        return
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    if sum(min(w, 24) + 3 for w in widths) + 1 <= console.width:
        table = Table(*columns)
        for row in cells:
            table.add_row(*row)
        console.print(table)
        return
    label = max(len(c) for c in columns)
    for number, row in enumerate(cells, start=1):
        console.print(f"[bold]-- row {number} --[/]")
        for column, value in zip(columns, row, strict=True):
            console.print(f"{column.ljust(label)} | {value}", highlight=False, markup=False)
    console.print(f"({len(rows)} rows)")


@app.command("runs")
def list_runs(as_json: JsonOption = False) -> None:
    """The ingestion runs recorded in the registry, newest first (a run whose process is
    gone is marked interrupted, and what it left behind is removed)."""
    from ipops.corpus import runs  # SQLAlchemy and the registry: only this command needs them

    ctx = app_context()
    found = runs.recorded_runs(engine=ctx.engine, store=ctx.store)
    if as_json:
        print_json(found)
        return
    table = Table("id", "started", "kind", "format", "status", "read", "rejected", "sources")
    for r in found:
        table.add_row(
            str(r.id),
            r.started_at[:19],
            r.kind,
            r.format,
            r.status,
            str(r.records_read),
            str(r.records_rejected),
            ", ".join(Path(s).name for s in r.sources)[:60],
        )
    console.print(table)


def _print_report(report: LoadReport, as_json: bool) -> None:
    if as_json:
        print_json(report.as_dict())
        return
    colour = "green" if report.status == "committed" else "yellow"
    console.print(f"[{colour}]{report.status}[/]: {report.message} (run {report.run_id})")
    if report.row_counts:
        console.print("rows: " + ", ".join(f"{k} {v:,}" for k, v in report.row_counts.items()))
    if report.geocode_match_rate is not None:
        console.print(f"places geocoded offline: {report.geocode_match_rate:.1%} matched")
    if report.rejects_path:
        console.print(
            f"[red]{report.records_rejected} record(s) rejected[/]; every problem: "
            f"{report.rejects_path}"
        )
    if report.seconds:
        console.print(f"{report.seconds:.1f} s, snapshot {report.snapshot_id}")


def print_stats(result: CorpusStatistics) -> None:
    table = Table("table", "rows", title=f"corpus {result.snapshot_id}")
    for name, count in result.counts.items():
        table.add_row(name, f"{count:,}")
    console.print(table)
    years = result.years
    span = Table("", "first", "last", title="years")
    for label, first, last in (
        ("filing", years.first_filing_year, years.last_filing_year),
        ("publication", years.first_publication_year, years.last_publication_year),
    ):
        span.add_row(
            label, "-" if first is None else str(first), "-" if last is None else str(last)
        )
    console.print(span)
    notice = describe_generated(result.generated_patents, result.counts["patents"])
    if notice:
        console.print(f"[yellow]{notice}[/]")
    countries = Table("country", "inventors", "patents", title="top inventor countries")
    for country in result.top_inventor_countries:
        countries.add_row(country.country, str(country.inventors), str(country.patents))
    parties = Table("entity_id", "name", "patents", title="top parties")
    for party in result.top_parties:
        parties.add_row(party.entity_id, str(party.name), str(party.patents))
    for sub, rows in ((countries, result.top_inventor_countries), (parties, result.top_parties)):
        if rows:
            console.print(sub)


def _print_patent(result: PatentRecord) -> None:
    patent = result.patent
    console.print(f"[bold]{patent.patent_id}[/] {patent.kind or ''} {patent.title}")
    for key in ("filing_date", "publication_date", "grant_date", "claims_count", "legal_status"):
        if getattr(patent, key) is not None:
            console.print(f"  {key}: {getattr(patent, key)}")
    for section, fields in (
        ("parties", ("role", "name", "entity_id", "city", "country")),
        ("inventors", ("name", "city", "state", "country", "latitude", "longitude")),
        ("classifications", ("scheme", "symbol", "is_main")),
        ("citations_made", ("category", "cited_patent_id", "cited_by", "npl_text")),
        ("citations_received", ("citing_patent_id", "citing_title")),
        ("events", ("event_date", "event_type", "detail")),
    ):
        rows: list[Record] = getattr(result, section)
        if rows:
            table = Table(*fields, title=f"{section} ({len(rows)})")
            for row in rows[:50]:
                cells = (getattr(row, f) for f in fields)
                table.add_row(*("" if v is None else str(v)[:60] for v in cells))
            console.print(table)
