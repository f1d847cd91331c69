"""`ipops pool allocate|distribute|allocations|statement`: what-if and recorded allocations."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ipops.audit.service import Actor
from ipops.cli.context import JsonOption, app_context, console, print_json
from ipops.cli.pool.common import (
    PoolArg,
    app,
    date_arg,
)
from ipops.errors import ValidationError
from ipops.pool import (
    allocation_runs,
    membership,
)
from ipops.pool.allocation import CountBasis
from ipops.pool.holdings import read_holdings
from ipops.pool.money import fen_text, parse_amount, parse_rate
from ipops.pool.royalties import check_country
from ipops.pool.what_if import Sale, split_pool_sale, split_sale
from ipops.registry.db import session_scope

# --------------------------------------------------------------------------- allocation


@app.command("allocate")
def allocate_what_if(
    amount: Annotated[str, typer.Option(help="CNY triggered by a sale, e.g. 10000.00.")],
    country: Annotated[str, typer.Option(help="The country of sale (ISO 3166).")],
    made_in: Annotated[
        str | None,
        typer.Option(
            "--made-in",
            help="The country of manufacture: patents in force there count too "
            "(default: the country of sale only).",
        ),
    ] = None,
    admin_fee: Annotated[
        str | None, typer.Option(help="Fee rate (default: the pool's, else 0.1).")
    ] = None,
    holdings: Annotated[
        Path | None, typer.Option(help="CSV: member, patent, family, country, expires.")
    ] = None,
    pool: Annotated[str | None, typer.Option(help="Use a live pool's admitted patents.")] = None,
    expire: Annotated[
        list[str] | None, typer.Option(help="With --pool: treat PATENT as expired on --date.")
    ] = None,
    on: Annotated[str | None, typer.Option("--date", help="Sale date (default today).")] = None,
    count: Annotated[str | None, typer.Option(help="patents or families.")] = None,
    as_json: JsonOption = False,
) -> None:
    """What-if: split an amount a sale in COUNTRY (made in --made-in) triggered among the
    members, pro rata to their patents in force in either country."""
    if count is not None and count not in CountBasis.__members__.values():
        raise ValidationError("patents or families", field="count")
    sale = Sale(
        amount=parse_amount(amount, "amount"),
        country=check_country(country, "country"),
        on=date_arg(on, "date", date.today()),
        made_in=None if made_in is None else check_country(made_in, "made-in"),
        admin_fee=None if admin_fee is None else parse_rate(admin_fee, "admin-fee"),
        count=None if count is None else CountBasis(count),
    )
    if (holdings is None) == (pool is None):
        raise ValidationError("give --holdings FILE.csv or --pool NAME", field="holdings")
    if holdings is not None:
        if expire:
            raise ValidationError("--expire goes with --pool", field="expire")
        found = read_holdings(holdings.read_text("utf-8"), origin=str(holdings))
        result = split_sale(sale=sale, found=found)
    else:
        assert pool is not None
        with session_scope(app_context().engine) as session:
            live = membership.get_pool(db_session=session, name=pool)
            result = split_pool_sale(db_session=session, pool=live, sale=sale, expire=expire or [])
    day = sale.on
    payload = result.as_dict()
    if as_json:
        print_json(payload)
        return
    table = Table(
        "member",
        "counted",
        "weight",
        "amount (CNY)",
        title=f"{amount} CNY triggered in {result.country} on {day}"
        + (f" (made in {result.made_in})" if result.made_in else ""),
    )
    for share in result.shares:
        table.add_row(
            share.member,
            ", ".join(share.patents[:6]) + (" …" if len(share.patents) > 6 else ""),
            str(share.weight),
            fen_text(share.amount_fen),
        )
    table.add_row("administrator's fee", "", "", fen_text(result.fee_fen))
    console.print(table)


@app.command("distribute")
def distribute(
    pool: PoolArg,
    period: Annotated[str, typer.Option(help="YYYY-MM, YYYY-Qn or YYYY.")],
    as_json: JsonOption = False,
) -> None:
    """Allocate the period's paid royalties among the members (recorded, audited)."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        run = allocation_runs.allocate_period(
            db_session=session, actor=Actor.cli(), pool=found, period=period
        )
        payload = allocation_runs.allocation_summary(db_session=session, run=run)
    if as_json:
        print_json(payload)
        return
    _print_allocation(payload)


@app.command()
def allocations(pool: PoolArg, as_json: JsonOption = False) -> None:
    """The recorded allocations with each member's share."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        payload = [
            allocation_runs.allocation_summary(db_session=session, run=r)
            for r in allocation_runs.allocations_of(session, found)
        ]
    if as_json:
        print_json(payload)
        return
    for item in payload:
        _print_allocation(item)


def _print_allocation(summary: allocation_runs.AllocationSummary) -> None:
    table = Table("member", "amount (CNY)", title=f"allocation {summary.id} — {summary.period}")
    for row in summary.members:
        table.add_row(row.member, str(row.amount))
    table.add_row("administrator's fee", str(summary.admin_fee))
    table.add_row("collected", str(summary.collected))
    console.print(table)


@app.command()
def statement(
    pool: PoolArg,
    member: Annotated[str, typer.Argument()],
    period: Annotated[str | None, typer.Option(help="YYYY-MM, YYYY-Qn or YYYY.")] = None,
    as_json: JsonOption = False,
) -> None:
    """A member's open ledger: per licensee and country, the patents counted and the money."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        payload = allocation_runs.statement(
            db_session=session,
            pool=found,
            member=membership.get_member(db_session=session, pool=found, name=member),
            period=period,
        )
    if as_json:
        print_json(payload)
        return
    table = Table(
        "period",
        "licensee",
        "country",
        "patents counted",
        "triggered",
        "earned",
        title=f"{member}: statement",
    )
    for line in payload.lines:
        table.add_row(
            line.period,
            line.licensee,
            line.country,
            str(len(line.patents)),
            str(line.royalty_triggered),
            str(line.amount),
        )
    console.print(table)
    console.print(f"total: CNY {payload.total}")
