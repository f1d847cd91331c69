"""`ipops finance bank ...`: banks, year-end balances and loan products."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from ipops.audit.service import Actor
from ipops.cli.context import JsonOption, app_context, console, print_json
from ipops.cli.finance.common import (
    PolicyOption,
    bank_app,
    out,
    root_of,
)
from ipops.errors import ValidationError
from ipops.finance import (
    balances,
    money,
    policy,
    product_book,
)
from ipops.registry.db import session_scope


@bank_app.command("add")
def bank_add(
    name: Annotated[str, typer.Argument(help="Bank (branch) name.")], as_json: JsonOption = False
) -> None:
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = product_book.add_bank(
            db_session=session, actor=Actor.cli(), name=name, organisation_id=None
        )
        payload = {"id": found.id, "name": found.name}
    out(payload, as_json, f"bank {payload['id']}: {payload['name']}")


@bank_app.command("balance")
def bank_balance(
    bank: Annotated[str, typer.Argument(help="Bank id or name.")],
    year: Annotated[int, typer.Option(help="Year end, e.g. 2023.")],
    weak: Annotated[str, typer.Option(help="Weak-collateral loan balance, CNY.")],
    programme: Annotated[str, typer.Option(help="Total 宁创贷 loan balance, CNY.")],
    reason: Annotated[
        str, typer.Option(help="Why these figures replace the loan book's (audited).")
    ] = "reported by the bank",
    as_json: JsonOption = False,
) -> None:
    """A bank's year-end balances, recorded over the loan book's (they set next year's
    compensation ratio); see `finance bank book` for the loan book's figures."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = product_book.get_bank(db_session=session, key=bank)
        balances.set_balance(
            db_session=session,
            actor=Actor.cli(),
            bank=found,
            year=year,
            weak=money.amount(weak, "weak", allow_zero=True),
            programme=money.amount(programme, "programme"),
            reason=reason.strip()[:500] or "reported by the bank",
        )
        share = balances.weak_share(db_session=session, bank_id=found.id, year=year)
    payload = {"bank": found.name, "year": year, "weak_share": str(round(share, 4))}
    out(payload, as_json)


@bank_app.command("book")
def bank_book(
    bank: Annotated[str, typer.Argument(help="Bank id or name.")],
    year: Annotated[int, typer.Option(help="Year end, e.g. 2024.")],
    policy_name: PolicyOption = policy.DEFAULT_POLICY,
    as_json: JsonOption = False,
) -> None:
    """The bank's year-end balances from the platform's loan book (and the recorded ones)."""
    ctx = app_context()
    chosen = policy.load_policy(policy_name, root_of(ctx))
    with session_scope(ctx.engine) as session:
        found = product_book.get_bank(db_session=session, key=bank)
        book = balances.book_share(
            balances.book_loans(session, found.id, year), chosen.weak_collateral, year
        )
        payload: dict[str, Any] = {"bank": found.name, "loan_book": book.as_dict()}
        try:
            used = balances.year_end_share(
                db_session=session, bank_id=found.id, year=year, weak_types=chosen.weak_collateral
            )
            payload["used"] = used.as_dict()
        except ValidationError as exc:
            payload["used"] = {"unknown": str(exc)}
    out(payload, as_json)


@bank_app.command("product")
def bank_product(
    bank: Annotated[str, typer.Argument(help="Bank id or name.")],
    name: Annotated[str, typer.Option(help="Product name.")],
    min_amount: Annotated[str, typer.Option(help="CNY.")],
    max_amount: Annotated[str, typer.Option(help="CNY.")],
    min_term: Annotated[int, typer.Option(help="Months.")],
    max_term: Annotated[int, typer.Option(help="Months.")],
    rate_multiple: Annotated[str, typer.Option(help="Rate as a multiple of the benchmark.")],
    min_grade: Annotated[str, typer.Option(help="Lowest eligible grade, e.g. BB.")] = "BB",
    region: Annotated[list[str] | None, typer.Option(help="Division code prefix.")] = None,
    industry: Annotated[list[str] | None, typer.Option(help="Eligible industry.")] = None,
    max_ltv: Annotated[str, typer.Option(help="Maximum loan-to-value, e.g. 0.5.")] = "0.5",
    method: Annotated[
        str, typer.Option(help="equal_instalments, equal_principal, interest_only.")
    ] = "equal_instalments",
    as_json: JsonOption = False,
) -> None:
    """Add an IP loan product."""
    ctx = app_context()
    spec = product_book.ProductInput(
        name=name,
        min_amount=money.amount(min_amount, "min-amount"),
        max_amount=money.amount(max_amount, "max-amount"),
        min_term_months=min_term,
        max_term_months=max_term,
        rate_multiple=money.to_decimal(rate_multiple, "rate-multiple"),
        min_grade=min_grade,
        regions=tuple(region or ()),
        industries=tuple(industry or ()),
        max_ltv=money.to_decimal(max_ltv, "max-ltv"),
        method=method,
    )
    with session_scope(ctx.engine) as session:
        found = product_book.get_bank(db_session=session, key=bank)
        product = product_book.add_product(
            db_session=session, actor=Actor.cli(), bank=found, spec=spec
        )
        payload = product_book.ProductRecord.of(product)
    out(payload, as_json)


@bank_app.command("products")
def bank_products(as_json: JsonOption = False) -> None:
    """Every active product."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        rows = [
            {**product_book.ProductRecord.of(p).model_dump(mode="json"), "bank": b.name}
            for p, b in product_book.list_products(db_session=session)
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "bank", "product", "amount", "term", "rate x", "grade", "LTV")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["bank"],
            r["name"],
            f"{r['min_amount']}-{r['max_amount']}",
            f"{r['min_term_months']}-{r['max_term_months']}",
            r["rate_multiple"],
            r["min_grade"],
            r["max_ltv"],
        )
    console.print(table)
