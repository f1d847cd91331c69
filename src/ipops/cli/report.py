"""`ipops report ...`: industry patent landscape reports (产业专利分析报告), HTML or PDF."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from ipops.cli.context import app_context, console, err_console, print_json
from ipops.errors import ValidationError
from ipops.registry.db import session_scope
from ipops.report.query import parse_language, parse_query
from ipops.report.service import ReportRequest, check_output
from ipops.report.usecases import write_landscape_report

app = typer.Typer(
    help="Industry patent landscape reports: trends, applicants, technology, geography, "
    "collaboration, citations, high-value patents; HTML or PDF with a CSV/XLSX annex.",
    no_args_is_help=True,
)


@app.command()
def landscape(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Report file: FILE.html or FILE.pdf.")
    ],
    ipc: Annotated[
        list[str] | None,
        typer.Option("--ipc", help="IPC/CPC prefix, e.g. F24F or 'F25B 13'; repeat for more."),
    ] = None,
    words: Annotated[
        str | None, typer.Option("--words", help="Words that must all be in title or abstract.")
    ] = None,
    party: Annotated[
        list[str] | None,
        typer.Option("--party", help="Part of an applicant/assignee name; repeat for more."),
    ] = None,
    years: Annotated[
        str | None, typer.Option("--years", help="Filing years A-B, e.g. 2010-2019.")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Report language: zh or en.")] = "zh",
    title: Annotated[str | None, typer.Option("--title", help="Title of the report.")] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Date the data are read as of (default: latest in corpus)."),
    ] = None,
    no_value: Annotated[
        bool, typer.Option("--no-value", help="Leave out value scores (section 8).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Write a landscape report for the patents matching the query, with its annex."""
    request = ReportRequest(
        query=parse_query(ipc=ipc or [], words=words, parties=party or [], years=years),
        lang=parse_language(lang),
        title=title.strip() if title and title.strip() else None,
        as_of=_as_of(as_of),
        with_value=not no_value,
    )
    check_output(output)
    ctx = app_context()
    with session_scope(ctx.engine) as session, _steps() as step:
        generated = write_landscape_report(
            db_session=session,
            store=ctx.store,
            workspace_root=ctx.workspace.root,
            request=request,
            output=output,
            progress=step,
        )
    report, files = generated.report, generated.files
    payload = {
        **files.as_dict(),
        "title": report.title,
        "snapshot_id": report.snapshot_id,
        "version": report.version,
        "as_of": report.as_of,
        "patents": report.patents,
        "families": report.families,
        "query": report.query,
    }
    if as_json:
        print_json(payload)
        return
    if report.empty:
        console.print(f"[yellow]no patent matches[/] {report.query_text}: a short report says so")
    console.print(
        f"[green]report[/] {files.report} — {report.patents:,} patents, {report.families:,} "
        f"families (corpus {report.snapshot_id}, ipops {report.version}, as of {report.as_of}) "
        f"in {files.seconds.get('total', 0) + files.seconds.get('render', 0):.1f} s"
    )
    console.print(f"annex: {files.annex_xlsx} and {files.annex_csv}/")


@contextmanager
def _steps() -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr naming the section being computed."""
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=err_console, transient=False) as progress:
        task = progress.add_task("report", total=None)

        def update(step: str, done: int, total: int) -> None:
            progress.update(task, description=f"report: {step}", completed=done, total=total)

        yield update


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"not a date: {text!r} (YYYY-MM-DD)", field="--as-of") from None
