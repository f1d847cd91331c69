"""`ipops finance compensation|rates|workdays|policies`: the policy calculators."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from rich.table import Table

from ipops.cli.context import JsonOption, app_context, console, print_json
from ipops.cli.finance.common import (
    PolicyOption,
    app,
    out,
    parse_day,
    rates_app,
    root_of,
    workspace_root_or_none,
)
from ipops.errors import ValidationError
from ipops.finance import (
    policy,
    rates,
)
from ipops.finance.compensation import Status
from ipops.finance.compensation_case import CaseInput, compensation_case
from ipops.finance.workdays import count_workdays

# --------------------------------------------------------------------------- calculators


@app.command()
def compensation(
    principal: Annotated[str, typer.Option(help="Loan principal, CNY, e.g. 1000000.00.")],
    repaid: Annotated[str, typer.Option(help="Principal repaid so far, CNY.")],
    days_overdue: Annotated[int, typer.Option(help="Days overdue.")],
    bank_weak_share: Annotated[
        str, typer.Option(help="Bank's weak-collateral share of its 宁创贷 balance, e.g. 0.25.")
    ],
    rate: Annotated[str, typer.Option(help="Annual loan rate, e.g. 0.05 or 5%.")],
    benchmark_rate: Annotated[
        str | None,
        typer.Option(
            help="Same-term benchmark (or LPR) rate; default: looked up from --loan-date and "
            "--term-months in the reference-rate table."
        ),
    ] = None,
    loan_date: Annotated[
        str | None, typer.Option(help="Loan date YYYY-MM-DD (for the reference rate).")
    ] = None,
    term_months: Annotated[
        int | None, typer.Option(help="Loan term in months (for the reference rate).")
    ] = None,
    size: Annotated[
        str, typer.Option(help="Enterprise size: small, micro, medium, large.")
    ] = "small",
    collateral: Annotated[
        str, typer.Option(help="ip_pledge, credit, guarantee, mortgage, other_pledge.")
    ] = "ip_pledge",
    compensated_this_year: Annotated[
        str, typer.Option(help="Already compensated to the bank this year, CNY.")
    ] = "0",
    policy_name: PolicyOption = policy.DEFAULT_POLICY,
    as_json: JsonOption = False,
) -> None:
    """What the policy compensates for an overdue loan: eligibility with reasons, ratio, amount."""
    case = CaseInput(
        principal=principal,
        repaid=repaid,
        days_overdue=days_overdue,
        bank_weak_share=bank_weak_share,
        rate=rate,
        benchmark_rate=benchmark_rate,
        loan_date=None if loan_date is None else parse_day(loan_date, "loan-date"),
        term_months=term_months,
        size=size,
        collateral=collateral,
        compensated_this_year=compensated_this_year,
        policy=policy_name,
    )
    found = compensation_case(root=workspace_root_or_none(), case=case, field_names="option")
    result = found.result
    if as_json:
        print_json(found.record())
        return
    verdict = {
        Status.ELIGIBLE: "[green]eligible[/]",
        Status.NOTHING: "[yellow]nothing to compensate[/]",
    }.get(result.status, "[red]not eligible[/]")
    console.print(f"{verdict} under {result.policy}")
    for check in result.checks:
        console.print(f"  {'✓' if check.ok else '✗'} {check.text}", highlight=False)
    console.print(f"ratio {result.ratio}; unrecovered principal {result.unrecovered}")
    console.print(f"compensation {result.amount}", highlight=False)
    if found.reference is not None and found.reference.warning:
        console.print(f"[yellow]warning:[/] {found.reference.warning}", highlight=False)


@rates_app.command("show")
def rates_command(
    loan_date: Annotated[
        str | None, typer.Option(help="Show the reference rate of a loan of this date.")
    ] = None,
    term_months: Annotated[int | None, typer.Option(help="... and this term.")] = None,
    policy_name: PolicyOption = policy.DEFAULT_POLICY,
    as_json: JsonOption = False,
) -> None:
    """The reference-rate table (PBOC benchmark, LPR), or one loan's reference rate."""
    root = workspace_root_or_none()
    table = rates.load_table(root)
    if loan_date is not None or term_months is not None:
        if loan_date is None or term_months is None:
            raise ValidationError("give --loan-date and --term-months", field="loan-date")
        found = rates.reference_rate(
            table,
            policy.load_policy(policy_name, root).reference,
            loan_date=parse_day(loan_date, "loan-date"),
            term_months=term_months,
        )
        out(found.as_dict(), as_json, found.text())
        return
    rows = [
        {
            "series": str(r.series),
            "effective_from": r.effective_from.isoformat(),
            "band": str(r.band),
            "rate": str(r.rate),
            "source": r.source,
        }
        for r in sorted(table.rows, key=lambda r: (r.effective_from, r.series, r.band))
    ]
    through = table.checked_through
    if as_json:
        print_json(
            {
                "origin": table.origin,
                "checked_through": None if through is None else through.isoformat(),
                "rows": rows,
            }
        )
        return
    shown = Table(
        "series", "from", "band", "rate %", "source",
        title=f"{table.origin}, checked through {through}",
    )  # fmt: skip
    for row in rows:
        shown.add_row(
            row["series"], row["effective_from"], row["band"],
            rates.percent(Decimal(row["rate"])), row["source"],
        )  # fmt: skip
    console.print(shown)


@rates_app.command("add")
def rates_add(
    on: Annotated[str, typer.Option("--date", help="Publication date of the LPR, YYYY-MM-DD.")],
    one_year: Annotated[str, typer.Option(help="1-year LPR in %, e.g. 3.00.")],
    five_year: Annotated[str, typer.Option(help="5-year-plus LPR in %, e.g. 3.50.")],
    source: Annotated[str, typer.Option(help="Where it was published.")] = "NIFC LPR",
    as_json: JsonOption = False,
) -> None:
    """Add a month of LPR to the workspace's reference-rate table (a copy of the built-in one
    the first time)."""
    ctx = app_context()
    path = rates.workspace_file(root_of(ctx))
    day = parse_day(on, "date")
    text = path.read_text("utf-8") if path.exists() else rates.builtin_text()
    updated = rates.add_month(
        text,
        origin=str(path),
        on=day,
        one_year=rates.parse_percent(one_year, "one-year"),
        five_year=rates.parse_percent(five_year, "five-year"),
        source=f"{source} {day}".strip(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated.text, "utf-8")
    added = updated.row_added
    payload = {
        "file": str(path),
        "date": day,
        "one_year": one_year,
        "five_year": five_year,
        "row_added": added,
        "checked_through": day,
    }
    what = "added to" if added else "unchanged (no row added);"
    out(payload, as_json, f"LPR of {day} {what} {path}, checked through {day}")


@app.command()
def workdays(
    start: Annotated[str, typer.Argument(help="Application date, YYYY-MM-DD.")],
    end: Annotated[str, typer.Argument(help="Loan date, YYYY-MM-DD.")],
    as_json: JsonOption = False,
) -> None:
    """Working days d with START < d <= END on China's official calendar."""
    first, last = parse_day(start, "start"), parse_day(end, "end")
    found = count_workdays(workspace_root=workspace_root_or_none(), start=first, end=last)
    text = f"{found.working_days} working days from {first} to {last} ({found.calendar})"
    out(found, as_json, text)


@app.command("policies")
def policies_command(
    name: Annotated[str | None, typer.Argument(help="Show one policy.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The policy files (built-in and the workspace's), or one of them."""
    root = workspace_root_or_none()
    if name is None:
        names = policy.policy_names(root)
        out({"policies": list(names)}, as_json, "\n".join(names))
        return
    out(policy.load_policy(name, root).record(), as_json)
