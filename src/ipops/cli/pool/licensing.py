"""`ipops pool licensee ...|report|invoices|pay`: licences, royalty reports, payments."""

from __future__ import annotations

import csv
import io
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
    emit,
    licensee_app,
    optional_date,
)
from ipops.pool import (
    licensing,
    membership,
    payments,
    royalty_reports,
    standing,
)
from ipops.pool.money import fen_text
from ipops.registry.db import session_scope

# --------------------------------------------------------------------------- licensing


@licensee_app.command("add")
def licensee_add(
    pool: PoolArg,
    name: Annotated[str, typer.Argument()],
    country: Annotated[str, typer.Option(help="ISO 3166 code.")],
    group: Annotated[
        str | None, typer.Option(help="Enterprise group: affiliates share one annual cap.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Add a licensee."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        licensee = licensing.add_licensee(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            name=name,
            country=country,
            enterprise_group=group,
        )
        payload = {"id": licensee.id, "name": licensee.name}
    emit(payload, as_json, f"[green]added[/] licensee {name}")


@licensee_app.command("sign")
def licensee_sign(
    pool: PoolArg,
    name: Annotated[str, typer.Argument(help="Licensee.")],
    start: Annotated[str, typer.Option("--from", help="Start of the term.")],
    end: Annotated[str, typer.Option("--to", help="End of the term.")],
    signed: Annotated[str | None, typer.Option(help="Signing date (default: today).")] = None,
    territory: Annotated[
        list[str] | None, typer.Option(help="Country; repeat (default: world).")
    ] = None,
    compliant_discount: Annotated[str, typer.Option()] = "0",
    early_discount: Annotated[str, typer.Option()] = "0",
    cap: Annotated[str | None, typer.Option(help="Annual cap in CNY.")] = None,
    back_from: Annotated[str | None, typer.Option(help="Back royalties from this date.")] = None,
    floor: Annotated[
        str | None, typer.Option(help="Annual royalty-free floor in CNY (settle-year).")
    ] = None,
    minimum: Annotated[
        str | None, typer.Option(help="Minimum annual royalty in CNY (settle-year).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Sign a licence at the pool's standard rates."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        agreement = licensing.sign_agreement(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            licensee=licensing.get_licensee(db_session=session, pool=found, name=name),
            signed_on=date_arg(signed, "signed", date.today()),
            starts_on=date_arg(start, "from"),
            ends_on=date_arg(end, "to"),
            territory=territory or [],
            compliant_discount=compliant_discount,
            early_discount=early_discount,
            annual_cap=cap,
            back_royalties_from=optional_date(back_from, "back-from"),
            annual_floor=floor,
            annual_minimum=minimum,
        )
        payload = {"agreement": agreement.id, "licensee": name}
    emit(payload, as_json, f"[green]signed[/] licence {payload['agreement']} with {name}")


@app.command()
def report(
    pool: PoolArg,
    licensee: Annotated[str, typer.Argument()],
    lines: Annotated[
        Path, typer.Argument(help="CSV: category, made_in, sold_in, units|net_sales[, sold_on].")
    ],
    period: Annotated[str, typer.Option(help="YYYY-MM, YYYY-Qn or YYYY.")],
    accepted_on: Annotated[
        str | None, typer.Option(help="Day the report is accepted (default today).")
    ] = None,
    payment_days: Annotated[
        int | None, typer.Option(help="Invoice due this many days later (default: the pool's).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Accept a royalty report (whole or not at all) and issue its invoice, dated the day of
    acceptance (back royalties: not before the licence's signing day)."""
    rows = list(csv.DictReader(io.StringIO(lines.read_text("utf-8-sig"))))
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        accepted = royalty_reports.submit_report(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            licensee_name=licensee,
            period=period,
            rows=rows,
            issued_on=optional_date(accepted_on, "accepted-on"),
            payment_days=payment_days,
            fx=standing.workspace_fx(ctx.workspace.root),
        )
        payload = {
            "report": accepted.report.id,
            "invoice": accepted.invoice.number,
            "amount": fen_text(accepted.invoice.amount_fen),
            "issued_on": accepted.invoice.issued_on,
            "due_on": accepted.invoice.due_on,
            "lines": [
                {
                    "row": line.row,
                    "trigger_country": line.trigger_country,
                    "royalty": fen_text(line.royalty_fen),
                }
                for line in accepted.lines
            ],
        }
    emit(payload, as_json, f"[green]invoice[/] {payload['invoice']}: CNY {payload['amount']}")


@app.command()
def invoices(
    pool: PoolArg,
    on: Annotated[
        str | None, typer.Option("--date", help="Interest up to (default today).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Invoices with what was paid, and late-payment interest at the pool's rate."""
    day = date_arg(on, "date", date.today())
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        due = payments.invoices_due(db_session=session, pool=found, on=day)
    rows = [
        {
            "invoice": i.number,
            "licensee": i.licensee,
            "period": f"{i.period_from}..{i.period_to}",
            "amount": i.amount,
            "paid": i.paid,
            "due_on": i.due_on.isoformat(),
            "late_interest": i.late_interest,
            "allocation": i.allocation,
            # only on an invoice waived at a year end, as in the API's answer
            **({"waived_on": i.waived_on.isoformat()} if i.waived_on else {}),
        }
        for i in due
    ]
    if as_json:
        print_json(rows)
        return
    columns = ("invoice", "licensee", "period", "amount", "paid", "due_on", "late_interest")
    table = Table(
        "invoice", "licensee", "period", "amount", "paid", "due", "late interest", "allocation"
    )
    for r in rows:
        allocation = "" if r["allocation"] is None else str(r["allocation"])
        if "waived_on" in r:
            allocation = f"waived {r['waived_on']}"
        table.add_row(*(str(r[k]) for k in columns), allocation)
    console.print(table)


@app.command()
def pay(
    pool: PoolArg,
    invoice: Annotated[str, typer.Argument()],
    amount: Annotated[str, typer.Option(help="CNY, e.g. 1234.50.")],
    on: Annotated[str | None, typer.Option(help="Payment date (default today).")] = None,
    reference: Annotated[str, typer.Option()] = "",
    as_json: JsonOption = False,
) -> None:
    """Record a payment against an invoice."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        inv = payments.get_invoice(db_session=session, pool=found, number=invoice)
        payments.record_payment(
            db_session=session,
            actor=Actor.cli(),
            invoice=inv,
            amount=amount,
            paid_on=date_arg(on, "on", date.today()),
            reference=reference,
        )
        payload = {
            "invoice": inv.number,
            "paid": fen_text(inv.paid_fen),
            "amount": fen_text(inv.amount_fen),
        }
    emit(payload, as_json, f"[green]paid[/] {payload['paid']} of {payload['amount']}")
