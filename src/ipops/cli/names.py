"""`ipops names ...`: harmonise organisation names; explain why two are one entity or not."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ipops.cli.context import console, print_json
from ipops.errors import ValidationError
from ipops.names.resolve import Link
from ipops.names.service import explain as explain_names
from ipops.names.service import harmonize_csv, read_links

app = typer.Typer(help="Party names: harmonise to entity ids.", no_args_is_help=True)

LinksOption = Annotated[
    Path | None,
    typer.Option(help="CSV of confirmed links: name_a,name_b,same (yes = one entity, no = apart)."),
]


def _links(path: Path | None) -> tuple[Link, ...]:
    return read_links(path) if path is not None else ()


@app.command()
def harmonize(
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8) with a name column.")],
    column: Annotated[str, typer.Option(help="The column holding the names.")],
    output: Annotated[
        Path | None, typer.Option(help="Write here (default: standard output).")
    ] = None,
    links: LinksOption = None,
    groups: Annotated[
        bool, typer.Option("--groups", help="Add group_id and group_name (roll-up).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Add name_normalized, entity_id and entity_name: one id per organisation."""
    summary = harmonize_csv(file, column, output, links=_links(links), groups=groups)
    if output is None:
        sys.stdout.write(summary.text or "")
        return
    if as_json:
        print_json(summary.as_dict())
    else:
        console.print(f"{summary.rows:,} rows, {summary.entities:,} entities written to {output}")


@app.command()
def explain(
    name_a: Annotated[str, typer.Argument(help="The first organisation name.")],
    name_b: Annotated[str, typer.Argument(help="The second organisation name.")],
    links: LinksOption = None,
    lang: Annotated[str, typer.Option("--lang", help="Output language: zh or en.")] = "zh",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Say why two names are, or are not, one entity."""
    if lang not in ("zh", "en"):
        raise ValidationError(f"--lang must be zh or en, not {lang!r}", field="--lang")
    result = explain_names(name_a, name_b, links=_links(links))
    if as_json:
        print_json(
            {
                "same": result.same,
                "same_group": result.same_group,
                "entity_a": result.entity_a,
                "entity_b": result.entity_b,
                "normalized_a": result.normalized_a,
                "normalized_b": result.normalized_b,
                "path": result.path,
                "score": result.score,
                "threshold": result.threshold,
            }
        )
        return
    for line in result.lines(lang):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
