"""`ipops pool settle-year`: a year's royalty against the licences' annual floor and minimum."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ipops.audit.service import Actor
from ipops.cli.context import JsonOption, app_context, console, print_json
from ipops.cli.pool.common import app, optional_date
from ipops.pool import membership, year_end
from ipops.registry.db import session_scope


@app.command("settle-year")
def settle_year(
    pool: Annotated[str, typer.Option("--pool", help="Pool name.")],
    year: Annotated[int, typer.Option(help="Calendar year to settle (YYYY), once ended.")],
    licensee: Annotated[
        str | None, typer.Option(help="Only this licensee (default: every licence).")
    ] = None,
    on: Annotated[str | None, typer.Option(help="Settlement day (default today).")] = None,
    payment_days: Annotated[
        int | None, typer.Option(help="Top-up due this many days later (default: the pool's).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Settle a year: below a licence's annual floor its invoices are waived (what was paid
    becomes a credit); below its minimum a top-up invoice is issued. Once per year."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        result = year_end.settle_year(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            year=year,
            licensee_name=licensee,
            settled_on=optional_date(on, "on"),
            payment_days=payment_days,
        )
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    table = Table("licensee", "royalty", "outcome", "waived", "credit", "top-up", "invoice")
    for lic in result.licences:
        table.add_row(
            lic.licensee,
            str(lic.royalty),
            lic.outcome,
            str(lic.waived),
            str(lic.credit),
            str(lic.top_up),
            lic.invoice.number if lic.invoice else "",
        )
    console.print(table)
    for lic in result.licences:
        console.print(f"{lic.licensee}: {lic.reason}")
    if result.settled_before:
        console.print(f"settled before: {', '.join(result.settled_before)}")
