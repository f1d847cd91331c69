"""`ipops finance ...`: enterprises, ratings, banks and products, loans, pledges, arrears,
policy funds (compensation calculator, claims, subsidies), disposal, statistics, working days.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ipops.audit.service import Actor
from ipops.cli.context import AppContext, JsonOption, app_context, console, print_json
from ipops.errors import NoWorkspace, ValidationError
from ipops.finance import (
    applications,
    balances,
    claims,
    enterprise_book,
    loan_book,
    money,
    pledges,
    policy,
    product_book,
    rates,
    rating_book,
    stats,
)
from ipops.finance.arrears import run_arrears
from ipops.finance.compensation import Status
from ipops.finance.compensation_case import CaseInput, compensation_case
from ipops.finance.enterprises import parse_financials
from ipops.finance.loans import parse_action
from ipops.finance.workdays import calendar_for
from ipops.registry.db import session_scope
from ipops.valuation.service import default_as_of

app = typer.Typer(
    help="IP pledge finance: enterprises, ratings, banks, loans, pledges, policy funds.",
    no_args_is_help=True,
)
enterprise_app = typer.Typer(help="Enterprises and their patents.", no_args_is_help=True)
bank_app = typer.Typer(help="Banks, year-end balances and IP loan products.", no_args_is_help=True)
loan_app = typer.Typer(help="Applications and loans.", no_args_is_help=True)
app.add_typer(enterprise_app, name="enterprise")
app.add_typer(bank_app, name="bank")
app.add_typer(loan_app, name="loan")
rates_app = typer.Typer(help="Reference lending rates (PBOC benchmark, LPR).", no_args_is_help=True)
app.add_typer(rates_app, name="rates")

DateOption = Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")]
PolicyOption = Annotated[
    str, typer.Option("--policy", help="Policy file name (built-in: ningchuangdai).")
]


def _day(text: str | None, field: str = "date") -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"not a date: {text!r} (YYYY-MM-DD)", field=field) from None


def _out(payload: Any, as_json: bool, text: str | None = None) -> None:
    if as_json:
        print_json(payload)
    elif text is not None:
        console.print(text, highlight=False)
    else:
        _print_mapping(payload)


def _print_mapping(payload: dict[str, Any]) -> None:
    table = Table("field", "value", show_header=False)
    for key, value in payload.items():
        table.add_row(str(key), str(value))
    console.print(table)


def _root(ctx: AppContext) -> Path:
    return ctx.workspace.root


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
        loan_date=None if loan_date is None else _day(loan_date, "loan-date"),
        term_months=term_months,
        size=size,
        collateral=collateral,
        compensated_this_year=compensated_this_year,
        policy=policy_name,
    )
    found = compensation_case(root=_workspace_root_or_none(), case=case, field_names="option")
    result = found.result
    if as_json:
        print_json(found.as_dict())
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
    root = _workspace_root_or_none()
    table = rates.load_table(root)
    if loan_date is not None or term_months is not None:
        if loan_date is None or term_months is None:
            raise ValidationError("give --loan-date and --term-months", field="loan-date")
        found = rates.reference_rate(
            table,
            policy.load_policy(policy_name, root).reference,
            loan_date=_day(loan_date, "loan-date"),
            term_months=term_months,
        )
        _out(found.as_dict(), as_json, found.text())
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
    if as_json:
        print_json({"origin": table.origin, "rows": rows})
        return
    shown = Table("series", "from", "band", "rate %", "source", title=table.origin)
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
    path = rates.workspace_file(_root(ctx))
    day = _day(on, "date")
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
    path.write_text(updated, "utf-8")
    payload = {"file": str(path), "date": day, "one_year": one_year, "five_year": five_year}
    _out(payload, as_json, f"LPR of {day} added to {path}")


def _workspace_root_or_none() -> Path | None:
    try:
        return app_context().workspace.root
    except NoWorkspace:  # built-in policies and calendar only
        return None


@app.command()
def workdays(
    start: Annotated[str, typer.Argument(help="Application date, YYYY-MM-DD.")],
    end: Annotated[str, typer.Argument(help="Loan date, YYYY-MM-DD.")],
    as_json: JsonOption = False,
) -> None:
    """Working days d with START < d <= END on China's official calendar."""
    first, last = _day(start, "start"), _day(end, "end")
    calendar = calendar_for(_workspace_root_or_none())
    days = calendar.working_days(first, last)
    payload = {"start": first, "end": last, "working_days": days, "calendar": calendar.origin}
    _out(payload, as_json, f"{days} working days from {first} to {last} ({calendar.origin})")


@app.command("policies")
def policies_command(
    name: Annotated[str | None, typer.Argument(help="Show one policy.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The policy files (built-in and the workspace's), or one of them."""
    root = _workspace_root_or_none()
    if name is None:
        names = policy.policy_names(root)
        _out({"policies": list(names)}, as_json, "\n".join(names))
        return
    _out(policy.load_policy(name, root).as_dict(), as_json)


# --------------------------------------------------------------------------- enterprises


@enterprise_app.command("add")
def enterprise_add(
    name: Annotated[str, typer.Option(help="Registered name, e.g. 南京智冷科技有限公司.")],
    credit_code: Annotated[str, typer.Option(help="Unified Social Credit Code (18 characters).")],
    region: Annotated[str, typer.Option(help="Administrative division code, e.g. 320106.")],
    industry: Annotated[str, typer.Option(help="Industry.")],
    size: Annotated[str, typer.Option(help="small, micro, medium or large.")],
    total_assets: Annotated[str | None, typer.Option(help="CNY, last year end.")] = None,
    equity: Annotated[str | None, typer.Option(help="CNY, last year end.")] = None,
    revenue: Annotated[str | None, typer.Option(help="CNY, last year.")] = None,
    link: Annotated[bool, typer.Option(help="Link its patents in the corpus.")] = True,
    as_json: JsonOption = False,
) -> None:
    """Register an enterprise (the credit code is checked) and link its patents."""
    ctx = app_context()
    figures = parse_financials(total_assets, equity, revenue)
    with session_scope(ctx.engine) as session:
        found = enterprise_book.register_enterprise(
            db_session=session,
            actor=Actor.cli(),
            name=name,
            credit_code=credit_code,
            region=region,
            industry=industry,
            size=size,
            financials=figures,
        )
        payload = enterprise_book.enterprise_dict(found)
        if link:
            payload["links"] = enterprise_book.link_patents(
                db_session=session, store=ctx.store, actor=Actor.cli(), enterprise=found
            ).as_dict()
    _out(payload, as_json)


@enterprise_app.command("list")
def enterprise_list(
    limit: Annotated[int, typer.Option(min=1)] = 50, as_json: JsonOption = False
) -> None:
    """Registered enterprises with their latest grade."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        rows = []
        for e in enterprise_book.list_enterprises(db_session=session, limit=limit):
            latest = rating_book.latest_rating(db_session=session, enterprise_id=e.id)
            rows.append(
                {
                    **enterprise_book.enterprise_dict(e),
                    "grade": latest.grade if latest else None,
                    "score": latest.score if latest else None,
                }
            )
    if as_json:
        print_json(rows)
        return
    table = Table("id", "name", "credit code", "region", "size", "grade", "score")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["name"],
            r["credit_code"],
            r["region"],
            r["size"],
            r["grade"] or "",
            "" if r["score"] is None else f"{r['score']:.1f}",
        )
    console.print(table)


@enterprise_app.command("links")
def enterprise_links(
    enterprise: Annotated[str, typer.Argument(help="Enterprise id or credit code.")],
    status: Annotated[str | None, typer.Option(help="confirmed, pending or rejected.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The enterprise's patent links (pending ones wait for review)."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = enterprise_book.get_enterprise(db_session=session, key=enterprise)
        rows: list[dict[str, Any]] = [
            {
                "link": x.id,
                "patent_id": x.patent_id,
                "party_name": x.party_name,
                "match": x.match,
                "similarity": x.similarity,
                "status": x.status,
            }
            for x in enterprise_book.links_of(
                db_session=session, enterprise_id=found.id, status=status
            )
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("link", "patent", "party name", "match", "similarity", "status")
    for r in rows:
        table.add_row(
            str(r["link"]),
            r["patent_id"],
            r["party_name"],
            r["match"],
            f"{r['similarity']:.3f}",
            r["status"],
        )
    console.print(table)


@enterprise_app.command("review")
def enterprise_review(
    link: Annotated[int, typer.Argument(help="Link id (see `enterprise links`).")],
    accept: Annotated[bool, typer.Option("--accept/--reject")],
    as_json: JsonOption = False,
) -> None:
    """Accept or reject an uncertain patent link."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = enterprise_book.review_link(
            db_session=session, actor=Actor.cli(), link_id=link, accept=accept
        )
        payload = {"link": found.id, "patent_id": found.patent_id, "status": found.status}
    _out(payload, as_json, f"link {payload['link']} ({payload['patent_id']}): {payload['status']}")


# --------------------------------------------------------------------------- ratings


@app.command()
def rate(
    enterprise: Annotated[list[str] | None, typer.Option(help="Only these (id or code).")] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="YYYY-MM-DD (default: the corpus's data cut-off)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Rate enterprises from their patents (all at once, set-wise)."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        ids = None
        if enterprise:
            ids = [enterprise_book.get_enterprise(db_session=session, key=k).id for k in enterprise]
        run = rating_book.rate_enterprises(
            db_session=session,
            store=ctx.store,
            valuation_root=ctx.workspace.root / "valuation",
            actor=Actor.cli(),
            # patents are valued as of the same date as `ipops value` (valuation.service)
            as_of=_day(as_of, "as-of") if as_of else default_as_of(ctx.store),
            enterprise_ids=ids,
        )
    if as_json:
        print_json(run.as_dict())
        return
    grades = ", ".join(f"{g} {n}" for g, n in run.by_grade.items())
    console.print(f"rated {run.rated} enterprises: {grades}", highlight=False)
    console.print(f"inputs: {run.inputs}", highlight=False)


@app.command()
def rating(
    enterprise: Annotated[str, typer.Argument(help="Enterprise id or credit code.")],
    as_json: JsonOption = False,
) -> None:
    """An enterprise's latest rating, explained: each component's value and points, alerts."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = enterprise_book.get_enterprise(db_session=session, key=enterprise)
        card = rating_book.rating_card(db_session=session, enterprise=found)
    if as_json:
        print_json(card)
        return
    console.print(f"[bold]{card['enterprise']['name']}[/] {card['grade']} ({card['score']:.1f})")
    table = Table("component", "input", "value", "weight", "points")
    for c in card["components"]:
        table.add_row(
            c["name"], c["raw"], f"{c['value']:.3f}", str(c["weight"]), f"{c['points']:.2f}"
        )
    console.print(table)
    for alert in card["alerts"]:
        console.print(f"[yellow]alert:[/] {alert}", highlight=False)
    pd = card.get("default_probability")
    if pd:
        console.print(
            f"probability of default {pd['probability']:.2%} "
            f"(AUC on held-out loans {pd['model']['auc_held_out']}, 95 % CI "
            f"{pd['model'].get('auc_ci95')}, {pd['model'].get('auc_sample')})"
        )
    for item in card.get("financial_inputs", []):
        shown = item["value"] if item["used"] else "—"
        console.print(f"  {item['name']}: {shown} ({item['how']})", highlight=False)
    console.print(f"inputs: {card['inputs']}", highlight=False)


@app.command("pd-fit")
def pd_fit(as_json: JsonOption = False) -> None:
    """Fit the probability-of-default model on the platform's loan history."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        model = rating_book.fit_default_model(db_session=session, actor=Actor.cli())
    _out(model.as_dict(), as_json)


# --------------------------------------------------------------------------- banks


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
    _out(payload, as_json, f"bank {payload['id']}: {payload['name']}")


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
    _out(payload, as_json)


@bank_app.command("book")
def bank_book(
    bank: Annotated[str, typer.Argument(help="Bank id or name.")],
    year: Annotated[int, typer.Option(help="Year end, e.g. 2024.")],
    policy_name: PolicyOption = policy.DEFAULT_POLICY,
    as_json: JsonOption = False,
) -> None:
    """The bank's year-end balances from the platform's loan book (and the recorded ones)."""
    ctx = app_context()
    chosen = policy.load_policy(policy_name, _root(ctx))
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
    _out(payload, as_json)


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
        payload = product_book.product_dict(product)
    _out(payload, as_json)


@bank_app.command("products")
def bank_products(as_json: JsonOption = False) -> None:
    """Every active product."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        rows = [
            {**product_book.product_dict(p), "bank": b.name}
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
            m.as_dict()
            for m in applications.match_products(
                db_session=session,
                application=application,
                rate_table=rates.load_table(_root(ctx)),
            )
        ]
    if as_json:
        print_json(matches)
        return
    for m in matches:
        mark = "[green]fits[/]" if m["fits"] else "[red]does not fit[/]"
        console.print(
            f"{m['product_id']}. {m['bank']} {m['product']} — {mark}, rate {m['annual_rate']}",
            highlight=False,
        )
        for r in m["reasons"]:
            console.print(f"    {'✓' if r['ok'] else '✗'} {r['text']}", highlight=False)


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
            applied_on=_day(on),
            rate_table=rates.load_table(_root(ctx)),
        )
        payload = loan_book.loan_dict(loan)
    _out(payload, as_json)


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
            on_day=_day(on),
            note=note,
        )
        payload = loan_book.loan_dict(found)
    _out(payload, as_json, f"loan {loan}: {payload['state']}")


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
            db_session=session, actor=Actor.cli(), loan_id=loan, amount=amount, paid_on=_day(on)
        )
        state = loan_book.get_loan(db_session=session, loan_id=loan).state
        payload = {
            "loan": loan,
            "amount": str(money.from_fen(payment.amount_fen)),
            "interest": str(money.from_fen(payment.interest_fen)),
            "principal": str(money.from_fen(payment.principal_fen)),
            "state": state,
        }
    _out(payload, as_json)


@loan_app.command("show")
def loan_show(
    loan: Annotated[int, typer.Argument(help="Loan id.")], as_json: JsonOption = False
) -> None:
    """A loan with its schedule, pledges and alerts."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = loan_book.get_loan(db_session=session, loan_id=loan)
        payload = loan_book.loan_dict(found)
        payload["schedule"] = [
            {
                "number": x.number,
                "due_on": x.due_on,
                "principal": str(money.from_fen(x.principal_fen)),
                "interest": str(money.from_fen(x.interest_fen)),
                "paid": str(money.from_fen(x.paid_principal_fen + x.paid_interest_fen)),
                "settled": x.settled,
            }
            for x in loan_book.schedule_of(db_session=session, loan_id=loan)
        ]
        payload["pledges"] = [
            pledges.pledge_dict(session, p)
            for p in pledges.pledges_of(db_session=session, loan_id=loan)
        ]
    if as_json:
        print_json(payload)
        return
    schedule = payload.pop("schedule")
    payload.pop("pledges")
    _print_mapping(payload)
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
            loan_book.loan_dict(x)
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
            registered_on=_day(on),
            co_pledgors=co_pledgor or (),
        )
        payload = pledges.pledge_dict(session, found)
    _out(payload, as_json)


@app.command()
def arrears(
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The day's arrears run: days past due of every active loan."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        report = run_arrears(db_session=session, as_of=_day(as_of, "as-of"))
    _out(report.as_dict(), as_json)


@app.command()
def watch(
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Collateral watch: alerts for legal-status events on pledged patents."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        report = pledges.watch_collateral(
            db_session=session, store=ctx.store, as_of=_day(as_of, "as-of")
        )
    _out(report.as_dict(), as_json)


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
    chosen = policy.load_policy(policy_name, _root(ctx))
    with session_scope(ctx.engine) as session:
        found = claims.claim_compensation(
            db_session=session, actor=Actor.cli(), loan_id=loan, policy=chosen, on_day=_day(on)
        )
        payload = {
            "claim": found.id,
            "loan": loan,
            "ratio": found.ratio,
            "amount": str(money.from_fen(found.amount_fen)),
            "policy": found.policy,
        }
    _out(payload, as_json)


@app.command()
def subsidies(
    bank: Annotated[str, typer.Argument(help="Bank id or name.")],
    year: Annotated[int, typer.Argument(help="Year of disbursement.")],
    policy_name: PolicyOption = policy.DEFAULT_POLICY,
    as_json: JsonOption = False,
) -> None:
    """Claim the risk subsidy for a bank's IP pledge loans disbursed in a year."""
    ctx = app_context()
    chosen = policy.load_policy(policy_name, _root(ctx))
    with session_scope(ctx.engine) as session:
        found = product_book.get_bank(db_session=session, key=bank)
        report = claims.claim_subsidies(
            db_session=session, actor=Actor.cli(), bank=found, year=year, policy=chosen
        )
    _out(report.as_dict(), as_json)


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
            db_session=session, bank_id=bank_id, start=_day(start, "start"), end=_day(end, "end")
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
    total = sum((Decimal(r["amount"]) for r in rows), Decimal("0.00"))
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
    chosen = policy.load_policy(policy_name, _root(ctx))
    with session_scope(ctx.engine) as session:
        found = claims.list_for_disposal(
            db_session=session,
            actor=Actor.cli(),
            loan_id=loan,
            method=method,
            on_day=_day(on),
            policy=chosen,
        )
        payload = {
            "disposal": found.id,
            "loan": loan,
            "method": found.method,
            "status": found.status,
        }
    _out(payload, as_json)


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
            on_day=_day(on),
        )
    _out(split.as_dict(), as_json)


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
            start=_day(start, "start"),
            end=_day(end, "end"),
            calendar=calendar_for(_root(ctx)),
        )
    if as_json:
        print_json(report.as_dict())
        return
    if report.loans == 0:
        console.print(
            f"no loans in {report.start} .. {report.end}: nothing to count (apply or load "
            "finance data first; see docs/finance.md)",
            highlight=False,
        )
        return
    console.print(report.statement(), highlight=False)
    totals = Table("loans", "financed", "compensation", "subsidies", title="programme")
    totals.add_row(
        str(report.loans), str(report.financed), str(report.compensation), str(report.subsidies)
    )
    console.print(totals)
    days = Table("working days to a loan", "loans", title="time to a loan")
    for name, count in report.workdays_bins.items():
        days.add_row(name, str(count))
    unknown = "unknown (no loan has both dates)"
    days.add_row("mean", unknown if report.workdays_mean is None else str(report.workdays_mean))
    days.add_row(
        "median", unknown if report.workdays_median is None else str(report.workdays_median)
    )
    console.print(days)
    table = Table("bank", "loans", "enterprises", "financed", "compensation", "subsidies")
    for r in report.by_bank:
        table.add_row(
            r["name"],
            str(r["loans"]),
            str(r["enterprises"]),
            r["financed"],
            r["compensation"],
            r["subsidies"],
        )
    console.print(table)
