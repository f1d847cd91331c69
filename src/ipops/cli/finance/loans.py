"""`ipops finance loan ...` and `arrears`: applications, decisions, repayments, pledges."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ipops.audit.service import Actor
from ipops.cli.context import JsonOption, app_context, console, print_json
from ipops.cli.finance.common import (
    DateOption,
    app,
    loan_app,
    out,
    parse_day,
    print_mapping,
    root_of,
)
from ipops.errors import ValidationError
from ipops.finance import (
    applications,
    enterprise_book,
    loan_book,
    money,
    pledges,
    rates,
)
from ipops.finance.arrears import run_arrears
from ipops.finance.loan_records import LoanRecord, RepaymentRecord
from ipops.finance.loans import parse_action
from ipops.registry.db import session_scope

# --------------------------------------------------------------------------- loans


PatentOption = Annotated[
    list[str],
    typer.Option("--patent", help="A patent offered and its appraised value: CN1001=1500000."),
]


def _collateral(items: list[str]) -> list[applications.Collateral]:
    found = []
    for item in items:
        number, sep, value = item.partition("=")
        if not sep or not value.strip():
            raise ValidationError(
                f"{item!r}: write PATENT=VALUE, e.g. CN1001=1500000", field="patent"
            )
        found.append(applications.Collateral(number.strip(), value=money.amount(value, "patent")))
    return found


@loan_app.command("match")
def loan_match(
    enterprise: Annotated[str, typer.Argument(help="Enterprise id or credit code.")],
    amount: Annotated[str, typer.Option(help="CNY.")],
    term: Annotated[int, typer.Option(help="Months.")],
    patent: PatentOption,
    as_json: JsonOption = False,
) -> None:
    """Products ranked for an application, each with why it fits or why not."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = enterprise_book.get_enterprise(db_session=session, key=enterprise)
        application = applications.prepare_application(
            db_session=session,
            store=ctx.store,
            enterprise=found,
            amount=amount,
            term_months=term,
            offered=_collateral(patent),
        )
        matches = [
            m.record()
            for m in applications.match_products(
                db_session=session,
                application=application,
                rate_table=rates.load_table(root_of(ctx)),
            )
        ]
    if as_json:
        print_json(matches)
        return
    for m in matches:
        mark = "[green]fits[/]" if m.fits else "[red]does not fit[/]"
        console.print(
            f"{m.product_id}. {m.bank} {m.product} — {mark}, rate {m.annual_rate}",
            highlight=False,
        )
        for r in m.reasons:
            console.print(f"    {'✓' if r.ok else '✗'} {r.text}", highlight=False)


@loan_app.command("apply")
def loan_apply(
    enterprise: Annotated[str, typer.Argument(help="Enterprise id or credit code.")],
    product: Annotated[int, typer.Option(help="Product id (see `loan match`).")],
    amount: Annotated[str, typer.Option(help="CNY.")],
    term: Annotated[int, typer.Option(help="Months.")],
    patent: PatentOption,
    on: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Submit an application to the chosen product's bank."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = enterprise_book.get_enterprise(db_session=session, key=enterprise)
        application = applications.prepare_application(
            db_session=session,
            store=ctx.store,
            enterprise=found,
            amount=amount,
            term_months=term,
            offered=_collateral(patent),
        )
        loan = applications.submit(
            db_session=session,
            actor=Actor.cli(),
            application=application,
            product_id=product,
            applied_on=parse_day(on),
            rate_table=rates.load_table(root_of(ctx)),
        )
        payload = LoanRecord.of(loan)
    out(payload, as_json)


@loan_app.command("act")
def loan_act(
    loan: Annotated[int, typer.Argument(help="Loan id.")],
    action: Annotated[
        str,
        typer.Argument(
            help="approve, reject, withdraw, undo_approval, "
            "disburse, undo_disbursal, write_off, "
            "undo_write_off."
        ),
    ],
    on: DateOption = None,
    note: Annotated[str, typer.Option(help="Reason or remark.")] = "",
    as_json: JsonOption = False,
) -> None:
    """A lifecycle action; a disallowed one is refused naming the allowed ones."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = loan_book.act(
            db_session=session,
            actor=Actor.cli(),
            loan_id=loan,
            action=parse_action(action),
            on_day=parse_day(on),
            note=note,
        )
        payload = LoanRecord.of(found)
    out(payload, as_json, f"loan {loan}: {payload.state}")


@loan_app.command("repay")
def loan_repay(
    loan: Annotated[int, typer.Argument(help="Loan id.")],
    amount: Annotated[str, typer.Argument(help="CNY, e.g. 85607.25.")],
    on: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """A repayment: interest first, then principal, oldest instalment first."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        payment = loan_book.repay(
            db_session=session,
            actor=Actor.cli(),
            loan_id=loan,
            amount=amount,
            paid_on=parse_day(on),
        )
        paid = RepaymentRecord.of(payment, loan_book.get_loan(db_session=session, loan_id=loan))
        payload = {
            "loan": loan,
            "amount": str(paid.amount),
            "interest": str(paid.interest),
            "principal": str(paid.principal),
            "state": paid.loan.state,
        }
    out(payload, as_json)


@loan_app.command("show")
def loan_show(
    loan: Annotated[int, typer.Argument(help="Loan id.")], as_json: JsonOption = False
) -> None:
    """A loan with its schedule, pledges and alerts."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = loan_book.get_loan(db_session=session, loan_id=loan)
        payload = LoanRecord.of(found).model_dump(mode="json")
        payload["schedule"] = [
            {
                "number": x.number,
                "due_on": x.due_on,
                "principal": str(x.principal),
                "interest": str(x.interest),
                "paid": str(x.paid),
                "settled": x.settled,
            }
            for x in loan_book.schedule_records(db_session=session, loan_id=loan)
        ]
        payload["pledges"] = pledges.pledge_records(db_session=session, loan_id=loan)
    if as_json:
        print_json(payload)
        return
    schedule = payload.pop("schedule")
    payload.pop("pledges")
    print_mapping(payload)
    table = Table("#", "due", "principal", "interest", "paid", "settled")
    for x in schedule:
        table.add_row(
            str(x["number"]),
            str(x["due_on"]),
            x["principal"],
            x["interest"],
            x["paid"],
            "yes" if x["settled"] else "",
        )
    console.print(table)


@loan_app.command("list")
def loan_list(
    state: Annotated[str | None, typer.Option(help="Only loans in this state.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_json: JsonOption = False,
) -> None:
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        rows = [
            LoanRecord.of(x).model_dump(mode="json")
            for x in loan_book.list_loans(db_session=session, state=state, limit=limit)
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "enterprise", "bank", "amount", "state", "arrears", "applied", "disbursed")
    for r in rows:
        table.add_row(
            str(r["id"]),
            str(r["enterprise_id"]),
            str(r["bank_id"]),
            r["amount"],
            r["state"],
            r["arrears"],
            str(r["applied_on"]),
            str(r["disbursed_on"] or ""),
        )
    console.print(table)


@loan_app.command("pledge")
def loan_pledge(
    loan: Annotated[int, typer.Argument(help="Loan id.")],
    number: Annotated[str, typer.Option(help="CNIPA registration number.")],
    co_pledgor: Annotated[list[str] | None, typer.Option(help="A co-owner pledging too.")] = None,
    on: DateOption = None,
    as_json: JsonOption = False,
) -> None:
    """Register the pledge of the loan's patents (all co-owners must pledge)."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = pledges.register_pledge(
            db_session=session,
            store=ctx.store,
            actor=Actor.cli(),
            loan_id=loan,
            registration_number=number,
            registered_on=parse_day(on),
            co_pledgors=co_pledgor or (),
        )
        payload = pledges.pledge_record(db_session=session, pledge=found)
    out(payload, as_json)


@app.command()
def arrears(
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The day's arrears run: days past due of every active loan."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        report = run_arrears(db_session=session, as_of=parse_day(as_of, "as-of"))
    out(report.as_dict(), as_json)
