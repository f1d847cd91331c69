"""`ipops finance watch|claim|subsidies|claims|dispose|realise|stats`: the programme."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ipops.audit.service import Actor
from ipops.cli.context import JsonOption, app_context, console, print_json
from ipops.cli.finance.common import (
    DateOption,
    PolicyOption,
    app,
    out,
    parse_day,
    root_of,
)
from ipops.errors import ValidationError
from ipops.finance import (
    claims,
    money,
    pledges,
    policy,
    product_book,
    stats,
)
from ipops.finance.workdays import calendar_for
from ipops.registry.db import session_scope


@app.command()
def watch(
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Collateral watch: alerts for legal-status events on pledged patents."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        report = pledges.watch_collateral(
            db_session=session, store=ctx.store, as_of=parse_day(as_of, "as-of")
        )
    out(report.as_dict(), as_json)


# --------------------------------------------------------------------------- policy funds


@app.command()
def claim(
    loan: Annotated[int, typer.Argument(help="Loan id.")],
    on: DateOption = None,
    policy_name: PolicyOption = policy.DEFAULT_POLICY,
    as_json: JsonOption = False,
) -> None:
    """Claim compensation for an overdue weak-collateral loan."""
    ctx = app_context()
    chosen = policy.load_policy(policy_name, root_of(ctx))
    with session_scope(ctx.engine) as session:
        found = claims.claim_compensation(
            db_session=session, actor=Actor.cli(), loan_id=loan, policy=chosen, on_day=parse_day(on)
        )
        payload = {
            "claim": found.id,
            "loan": loan,
            "ratio": found.ratio,
            "amount": str(money.from_fen(found.amount_fen)),
            "policy": found.policy,
        }
    out(payload, as_json)


@app.command()
def subsidies(
    bank: Annotated[str, typer.Argument(help="Bank id or name.")],
    year: Annotated[int, typer.Argument(help="Year of disbursement.")],
    policy_name: PolicyOption = policy.DEFAULT_POLICY,
    as_json: JsonOption = False,
) -> None:
    """Claim the risk subsidy for a bank's IP pledge loans disbursed in a year."""
    ctx = app_context()
    chosen = policy.load_policy(policy_name, root_of(ctx))
    with session_scope(ctx.engine) as session:
        found = product_book.get_bank(db_session=session, key=bank)
        report = claims.claim_subsidies(
            db_session=session, actor=Actor.cli(), bank=found, year=year, policy=chosen
        )
    out(report.as_dict(), as_json)


@app.command("claims")
def claims_export(
    start: Annotated[str, typer.Option(help="First day, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option(help="Last day, YYYY-MM-DD.")],
    bank: Annotated[str | None, typer.Option(help="Bank id or name (default: all).")] = None,
    output: Annotated[Path | None, typer.Option(help="Write a .xlsx or .csv file.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Claims for the finance bureau (compensation and subsidies), per bank and period."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        bank_id = None if bank is None else product_book.get_bank(db_session=session, key=bank).id
        rows = claims.claim_rows(
            db_session=session,
            bank_id=bank_id,
            start=parse_day(start, "start"),
            end=parse_day(end, "end"),
        )
    if output is not None:
        suffix = output.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise ValidationError("the file must end in .xlsx or .csv", field="output")
        output.write_bytes(
            claims.claims_xlsx(rows) if suffix == ".xlsx" else claims.claims_csv(rows)
        )
    if as_json:
        print_json({"rows": rows, "file": None if output is None else str(output)})
        return
    total = claims.rows_total(rows)
    console.print(
        f"{len(rows)} claims, total {total}" + (f", written to {output}" if output else ""),
        highlight=False,
    )


@app.command()
def dispose(
    loan: Annotated[int, typer.Argument(help="Loan id (defaulted).")],
    method: Annotated[str, typer.Option(help="sale, licence, auction or set_off.")] = "sale",
    on: DateOption = None,
    policy_name: PolicyOption = policy.DEFAULT_POLICY,
    as_json: JsonOption = False,
) -> None:
    """List a defaulted loan's pledged patents for sale or licence."""
    ctx = app_context()
    chosen = policy.load_policy(policy_name, root_of(ctx))
    with session_scope(ctx.engine) as session:
        found = claims.list_for_disposal(
            db_session=session,
            actor=Actor.cli(),
            loan_id=loan,
            method=method,
            on_day=parse_day(on),
            policy=chosen,
        )
        payload = {
            "disposal": found.id,
            "loan": loan,
            "method": found.method,
            "status": found.status,
        }
    out(payload, as_json)


@app.command()
def realise(
    disposal: Annotated[int, typer.Argument(help="Disposal id.")],
    proceeds: Annotated[str, typer.Option(help="CNY received.")],
    on: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record the proceeds; split between bank and fund in proportion to their losses."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        split = claims.realise(
            db_session=session,
            actor=Actor.cli(),
            disposal_id=disposal,
            proceeds=proceeds,
            on_day=parse_day(on),
        )
    out(split.as_dict(), as_json)


@app.command("stats")
def stats_command(
    start: Annotated[str, typer.Option(help="First day, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option(help="Last day, YYYY-MM-DD.")],
    as_json: JsonOption = False,
) -> None:
    """Programme statistics: financing, enterprises, funds, working days to a loan."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        report = stats.programme_stats(
            db_session=session,
            start=parse_day(start, "start"),
            end=parse_day(end, "end"),
            calendar=calendar_for(root_of(ctx)),
        )
    if as_json:
        print_json(report)
        return
    if report.loans == 0:
        console.print(
            f"no loans in {report.start} .. {report.end}: nothing to count (apply or load "
            "finance data first; see docs/finance.md)",
            highlight=False,
        )
        return
    console.print(report.statement, highlight=False)
    totals = Table("loans", "financed", "compensation", "subsidies", title="programme")
    totals.add_row(
        str(report.loans), str(report.financed), str(report.compensation), str(report.subsidies)
    )
    console.print(totals)
    days = Table("working days to a loan", "loans", title="time to a loan")
    workdays = report.workdays
    for name, count in workdays.distribution.items():
        days.add_row(name, str(count))
    unknown = "unknown (no loan has both dates)"
    days.add_row("mean", unknown if workdays.mean is None else str(workdays.mean))
    days.add_row("median", unknown if workdays.median is None else str(workdays.median))
    console.print(days)
    table = Table("bank", "loans", "enterprises", "financed", "compensation", "subsidies")
    for r in report.by_bank:
        table.add_row(
            r.name,
            str(r.loans),
            str(r.enterprises),
            str(r.financed),
            str(r.compensation),
            str(r.subsidies),
        )
    console.print(table)
