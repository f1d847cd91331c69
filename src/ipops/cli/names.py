"""`ipops names ...`: harmonise party names."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ipops.cli.context import console, print_json
from ipops.names.harmonize import harmonize_csv

app = typer.Typer(help="Party names: harmonise to entity ids.", no_args_is_help=True)


@app.command()
def harmonize(
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8) with a name column.")],
    column: Annotated[str, typer.Option(help="The column holding the names.")],
    output: Annotated[
        Path | None, typer.Option(help="Write here (default: standard output).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Add name_normalized and entity_id columns: one id per harmonised organisation."""
    summary = harmonize_csv(file, column, output)
    if output is None:
        sys.stdout.write(summary.text or "")
        return
    if as_json:
        print_json(summary.as_dict())
    else:
        console.print(f"{summary.rows:,} rows, {summary.entities:,} entities written to {output}")
