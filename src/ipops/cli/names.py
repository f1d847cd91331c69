"""`ipops names ...`: harmonise organisation names; explain why two are one entity or not."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from ipops.cli.context import app_context, console, print_json
from ipops.errors import ValidationError
from ipops.names.links import family_links
from ipops.names.resolve import Link
from ipops.names.service import confirm_link, confirmed_links, harmonize_csv, read_links
from ipops.names.service import explain as explain_names
from ipops.registry.db import session_scope

app = typer.Typer(help="Party names: harmonise to entity ids.", no_args_is_help=True)

LinksOption = Annotated[
    Path | None,
    typer.Option(help="CSV of confirmed links: name_a,name_b,same (yes = one entity, no = apart)."),
]


ConfirmedOption = Annotated[
    bool,
    typer.Option("--confirmed", help="Also apply the links confirmed in the workspace registry."),
]


FamilyLinksOption = Annotated[
    bool,
    typer.Option(
        "--family-links", help="Also link Chinese and foreign applicant names across families."
    ),
]


def _links(path: Path | None, confirmed: bool = False, families: bool = False) -> tuple[Link, ...]:
    links = read_links(path) if path is not None else ()
    if confirmed:
        with session_scope(app_context().engine) as db_session:
            links = confirmed_links(db_session=db_session) + links
    if families:
        con = app_context().store.connect()
        try:
            links = links + family_links(con)
        finally:
            con.close()
    return links


@app.command()
def harmonize(
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8) with a name column.")],
    column: Annotated[str, typer.Option(help="The column holding the names.")],
    output: Annotated[
        Path | None, typer.Option(help="Write here (default: standard output).")
    ] = None,
    links: LinksOption = None,
    confirmed: ConfirmedOption = False,
    family: FamilyLinksOption = False,
    groups: Annotated[
        bool, typer.Option("--groups", help="Add group_id and group_name (roll-up).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Add name_normalized, entity_id and entity_name: one id per organisation."""
    summary = harmonize_csv(
        file, column, output, links=_links(links, confirmed, family), groups=groups
    )
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
    confirmed: ConfirmedOption = False,
    lang: Annotated[str, typer.Option("--lang", help="Output language: zh or en.")] = "zh",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Say why two names are, or are not, one entity."""
    if lang not in ("zh", "en"):
        raise ValidationError(f"--lang must be zh or en, not {lang!r}", field="--lang")
    result = explain_names(name_a, name_b, links=_links(links, confirmed))
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


@app.command()
def link(
    name_a: Annotated[str, typer.Argument(help="The first organisation name.")],
    name_b: Annotated[str, typer.Argument(help="The second organisation name.")],
    apart: Annotated[
        bool, typer.Option("--apart", help="They are two entities (default: one).")
    ] = False,
    by: Annotated[str | None, typer.Option("--by", help="Who confirms (default: you).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Record in the registry that two names are one entity (or, with --apart, are not)."""
    who = by or getpass.getuser()
    with session_scope(app_context().engine) as db_session:
        result = confirm_link(
            db_session=db_session, name_a=name_a, name_b=name_b, same=not apart, confirmed_by=who
        )
    if as_json:
        print_json({"name_a": result.name_a, "name_b": result.name_b, "same": result.same})
    else:
        verdict = "two entities / 不同主体" if apart else "one entity / 同一主体"
        console.print(f"{name_a} ↔ {name_b}: {verdict}", markup=False)
