"""`ipops value ...`: patent value indicators, scores, high-value screening, money value."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ipops.cli.context import (
    AppContext,
    JsonOption,
    app_context,
    console,
    err_console,
    print_json,
    progress_bar,
)
from ipops.cli.value_format import fmt, print_money, print_value
from ipops.corpus.ingest import ProgressCallback
from ipops.errors import ValidationError
from ipops.registry.db import session_scope
from ipops.valuation import highvalue
from ipops.valuation.appraisal import value_in_money
from ipops.valuation.catalogue import INDICATORS
from ipops.valuation.fields import fields
from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.indicators import EngineSettings, StepCallback, value_options
from ipops.valuation.rankings import RankFilter, patent_value, rank_patents
from ipops.valuation.runs import run_summaries, score_corpus
from ipops.valuation.schemes import builtin_names, builtin_text, load_scheme
from ipops.valuation.screening import high_value_patents

app = typer.Typer(
    help="Patent value: indicators, explainable scores, high-value patents, money value.",
    no_args_is_help=True,
)

SchemeOption = Annotated[
    str,
    typer.Option("--scheme", help="Scheme name (default, finance, licensing) or a TOML file."),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Date of the valuation, YYYY-MM-DD (default: the corpus's data cut-off, the "
        "latest publication or event date loaded).",
    ),
]
MinCohortOption = Annotated[
    int, typer.Option(min=1, help="Smallest field x year cohort; smaller ones fall back.")
]
MemoryOption = Annotated[
    str | None, typer.Option("--memory-limit", help="DuckDB memory limit, e.g. 4GB.")
]


def _date(text: str | None) -> date | None:
    """The ``--as-of`` date given (None: the corpus's data cut-off)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"not a date: {text!r} (YYYY-MM-DD)", field="as-of") from None


def _root(ctx: AppContext) -> Path:
    return ctx.workspace.root / "valuation"


def _options(as_of: str | None, min_cohort: int) -> IndicatorOptions:
    return value_options(app_context().store, as_of=_date(as_of), min_cohort=min_cohort)


def _steps(bar: ProgressCallback) -> StepCallback:
    """A progress bar over the named steps of the computation (on stderr)."""
    return lambda _name, done, total: bar(0, done, total)


# --------------------------------------------------------------------------- score


@app.command()
def score(
    scheme: SchemeOption = "default",
    as_of: AsOfOption = None,
    min_cohort: MinCohortOption = 20,
    memory_limit: MemoryOption = None,
    as_json: JsonOption = False,
) -> None:
    """Score the whole corpus: indicators, cohort percentiles, LVD/TVD/EVD and PVD."""
    ctx = app_context()
    chosen = load_scheme(scheme)
    engine = EngineSettings(memory_limit=memory_limit)
    with session_scope(ctx.engine) as session, progress_bar("scoring") as bar:
        run = score_corpus(
            ctx.store,
            _root(ctx),
            chosen,
            _options(as_of, min_cohort),
            db_session=session,
            engine=engine,
            progress=_steps(bar),
        )
    if as_json:
        print_json(run.as_dict())
        return
    console.print(
        f"[green]scored[/] {run.scored:,} of {run.patents:,} patents with {run.scheme} "
        f"(corpus {run.snapshot_id}, as of {run.as_of}, run {run.run_id}) in {run.seconds:.1f} s"
    )
    if run.unavailable:
        console.print(
            "[yellow]unavailable for every patent[/] (left out, weights renormalised): "
            + ", ".join(run.unavailable)
        )
    console.print(f"scores: {run.scores_path}")


# --------------------------------------------------------------------------- show


@app.command()
def show(
    number: Annotated[str, typer.Argument(help="Publication or patent number, e.g. US7654321B2.")],
    scheme: SchemeOption = "default",
    as_of: AsOfOption = None,
    min_cohort: MinCohortOption = 20,
    as_json: JsonOption = False,
) -> None:
    """One patent's value, explained: raw value, percentile, weight, contribution."""
    ctx = app_context()
    chosen = load_scheme(scheme)
    value = patent_value(ctx.store, _root(ctx), number, chosen, _options(as_of, min_cohort))
    if as_json:
        print_json(value.as_dict())
        return
    print_value(value)


# --------------------------------------------------------------------------- top


@app.command()
def top(
    scheme: SchemeOption = "default",
    field: Annotated[int | None, typer.Option(help="WIPO technology field, 1-35.")] = None,
    ipc: Annotated[str | None, typer.Option(help="IPC/CPC symbol prefix, e.g. F24F.")] = None,
    party: Annotated[str | None, typer.Option(help="Applicant/assignee name or entity id.")] = None,
    n: Annotated[int, typer.Option("--n", min=1, help="How many patents.")] = 20,
    as_of: AsOfOption = None,
    min_cohort: MinCohortOption = 20,
    as_json: JsonOption = False,
) -> None:
    """The best-scored patents, of one field, IPC prefix or party if asked."""
    ctx = app_context()
    chosen = load_scheme(scheme)
    where = RankFilter(field=field, ipc=ipc, party=party)
    where.check()
    with session_scope(ctx.engine) as session, progress_bar("scores") as bar:
        ranked = rank_patents(
            store=ctx.store,
            root=_root(ctx),
            scheme=chosen,
            options=_options(as_of, min_cohort),
            where=where,
            n=n,
            db_session=session,
            progress=_steps(bar),
        )
    run, rows = ranked.run, ranked.patents
    if as_json:
        print_json({"run": run.as_dict(), "patents": list(rows)})
        return
    title = f"top {n} by PVD ({run.scheme}, corpus {run.snapshot_id}, as of {run.as_of})"
    table = Table(
        "rank", "patent", "PVD", "LVD", "TVD", "EVD", "field", "IPC", "parties", title=title
    )
    names = fields()
    for row in rows:
        wipo = names.get(row.field or 0)
        table.add_row(
            str(row.rank),
            row.patent_id,
            fmt(row.pvd),
            fmt(row.legal),
            fmt(row.technical),
            fmt(row.economic),
            f"{row.field} {wipo.name}" if wipo else "-",
            row.main_symbol or "-",
            (row.parties or "")[:40],
        )
    console.print(table)


# --------------------------------------------------------------------------- high value


@app.command("high-value")
def high_value(
    as_of: AsOfOption = None,
    strategic_list: Annotated[
        Path | None,
        typer.Option(help="IPC list of strategic emerging industries (ipc,industry_code,...)."),
    ] = None,
    awards: Annotated[Path | None, typer.Option(help="Award list CSV (patent,award,year).")] = None,
    pledge_amounts: Annotated[
        Path | None, typer.Option(help="Pledge financing amounts CSV (patent,amount in CNY).")
    ] = None,
    pledge_threshold: Annotated[
        str, typer.Option(help="Pledge financing that counts as high, in CNY.")
    ] = str(highvalue.DEFAULT_PLEDGE_THRESHOLD),
    presume_in_force: Annotated[
        bool, typer.Option(help="Grants without status data and within term count as in force.")
    ] = True,
    limit: Annotated[int | None, typer.Option(min=1, help="List at most this many.")] = None,
    min_cohort: MinCohortOption = 20,
    as_json: JsonOption = False,
) -> None:
    """Valid invention patents meeting CNIPA's high-value conditions, with the reasons."""
    ctx = app_context()
    with progress_bar("indicators") as bar:
        report = high_value_patents(
            store=ctx.store,
            root=_root(ctx),
            options=_options(as_of, min_cohort),
            pledge_threshold=pledge_threshold,
            presume_in_force=presume_in_force,
            strategic_file=strategic_list,
            awards_path=awards,
            pledges_path=pledge_amounts,
            limit=limit,
            progress=_steps(bar),
        )
    if as_json:
        print_json(report.as_dict())
        return
    console.print(
        f"{report.high_value:,} high-value of {report.valid_inventions:,} valid invention patents "
        f"(corpus {report.snapshot_id}, as of {report.as_of})"
    )
    for reason, count in report.by_reason.items():
        english, chinese = highvalue.REASON_LABELS[highvalue.Reason(reason)]
        console.print(f"  {chinese} {english}: {count:,}")
    if report.pledged_without_amount:
        err_console.print(
            f"[yellow]{report.pledged_without_amount} pledged patents have no amount on record[/]"
            " (pass --pledge-amounts)"
        )
    table = Table("patent", "filed", "status", "reasons", "evidence")
    for patent in report.patents[:200]:
        table.add_row(
            patent.patent_id,
            str(patent.filing_date),
            f"{patent.status} ({patent.status_basis})",
            ", ".join(highvalue.REASON_LABELS[r][1] for r in patent.reasons),
            "; ".join(patent.evidence.values())[:80],
        )
    console.print(table)


# --------------------------------------------------------------------------- money


@app.command("money")
def money_value(
    revenue: Annotated[
        str, typer.Option(help="Revenue forecast per year in CNY, comma-separated: 1000000,1100000")
    ],
    royalty_rate: Annotated[str, typer.Option(help="Royalty rate, e.g. 0.05 or 5%.")],
    tax_rate: Annotated[str, typer.Option(help="Income tax rate, e.g. 0.25.")],
    discount_rate: Annotated[str, typer.Option(help="Discount rate, e.g. 0.12.")],
    economic_life: Annotated[
        str | None, typer.Option(help="Economic life in years (default: the forecast's years).")
    ] = None,
    number: Annotated[
        list[str] | None,
        typer.Option("--number", help="Patent(s) valued: the life is capped by the legal term."),
    ] = None,
    as_of: AsOfOption = None,
    tab: Annotated[bool, typer.Option("--tab", help="Add the tax amortisation benefit.")] = False,
    tab_years: Annotated[int, typer.Option(min=1, help="Tax amortisation period.")] = 10,
    cost: Annotated[
        str | None, typer.Option(help="Reproduction cost in CNY (cost-approach cross-check).")
    ] = None,
    obsolescence: Annotated[
        str | None, typer.Option(help="Obsolescence rate for the cost approach, e.g. 0.3.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Money value by relief from royalty (income approach), with a cost-approach check."""
    # the valuation date matters only for the patents' legal term: without patents no
    # corpus is needed (and the date shown is the one asked, or today)
    day = _date(as_of)
    valued = value_in_money(
        store=app_context().store if number else None,
        revenue=[part.strip() for part in revenue.split(",") if part.strip()],
        royalty_rate=royalty_rate,
        tax_rate=tax_rate,
        discount_rate=discount_rate,
        economic_life=economic_life,
        numbers=number or (),
        as_of=day if number or day else date.today(),
        tab=tab,
        tab_years=tab_years,
        cost=cost,
        obsolescence=obsolescence,
    )
    if as_json:
        print_json(valued.as_dict())
        return
    print_money(valued.figures())


# --------------------------------------------------------------------------- schemes, runs


@app.command()
def schemes(as_json: JsonOption = False) -> None:
    """The built-in weighting schemes (copy one with `ipops value scheme NAME > my.toml`)."""
    found = [load_scheme(name) for name in builtin_names()]
    if as_json:
        print_json([s.as_dict() for s in found])
        return
    table = Table("name", "version", "digest", "LVD", "TVD", "EVD", "title")
    for s in found:
        table.add_row(
            s.name,
            s.version,
            s.digest,
            *(f"{s.degrees[d]:.4g}" for d in ("legal", "technical", "economic")),
            s.title,
        )
    console.print(table)


@app.command("scheme")
def scheme_text(
    spec: Annotated[str, typer.Argument(help="A built-in scheme name, or a TOML file to check.")],
    as_json: JsonOption = False,
) -> None:
    """Print a built-in scheme's TOML (to copy and edit), or check a scheme file."""
    chosen = load_scheme(spec)
    if as_json:
        print_json(chosen.as_dict())
    elif spec in builtin_names():
        typer.echo(builtin_text(spec), nl=False)
    else:
        console.print(f"[green]valid[/]: {chosen.label()} from {chosen.origin}")


@app.command()
def indicators(as_json: JsonOption = False) -> None:
    """The indicators ipops computes for every patent, and how each is normalised."""
    rows = [i.as_dict() for i in INDICATORS]
    if as_json:
        print_json(rows)
        return
    table = Table("name", "中文", "unit", "normalised by", "description")
    for row in rows:
        table.add_row(
            row["name"], row["label_zh"], row["unit"], row["normalisation"], row["description"]
        )
    console.print(table)


@app.command("runs")
def list_runs(as_json: JsonOption = False) -> None:
    """Scoring runs recorded in the registry, newest first."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = run_summaries(db_session=session)
    if as_json:
        print_json(found)
        return
    table = Table("id", "created", "corpus", "scheme", "as of", "scored", "seconds")
    for r in found:
        table.add_row(
            str(r.id),
            r.created_at[:19],
            r.snapshot_id,
            r.scheme,
            str(r.as_of),
            f"{r.scored:,}/{r.patents:,}",
            f"{r.seconds:.1f}",
        )
    console.print(table)
