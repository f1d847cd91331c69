"""`ipops pool ...`: patent pools — members, admission, licensing, royalties, allocation."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ipops.accounts import service as accounts
from ipops.audit.service import Actor
from ipops.cli.context import JsonOption, app_context, console, print_json
from ipops.errors import ValidationError
from ipops.pool import (
    allocation_runs,
    cases,
    licensing,
    membership,
    overview,
    payments,
    royalty_reports,
    standing,
    submissions,
)
from ipops.pool.allocation import CountBasis
from ipops.pool.holdings import read_holdings
from ipops.pool.money import fen_text, parse_amount, parse_rate
from ipops.pool.royalties import check_country
from ipops.pool.what_if import Sale, split_pool_sale, split_sale
from ipops.registry.db import session_scope

app = typer.Typer(
    help="Patent pools: members, expert admission, licensing, royalties, allocation, disputes.",
    no_args_is_help=True,
)
member_app = typer.Typer(help="Member companies (licensors).", no_args_is_help=True)
expert_app = typer.Typer(help="Experts of the committee.", no_args_is_help=True)
licensee_app = typer.Typer(help="Licensees and licence agreements.", no_args_is_help=True)
case_app = typer.Typer(help="Disputes and collective negotiation.", no_args_is_help=True)
app.add_typer(member_app, name="member")
app.add_typer(expert_app, name="expert")
app.add_typer(licensee_app, name="licensee")
app.add_typer(case_app, name="case")

PoolArg = Annotated[str, typer.Argument(help="Pool name.")]


def _date(text: str | None, field: str, default: date | None = None) -> date:
    if text is None:
        if default is None:
            raise ValidationError("a date is required (YYYY-MM-DD)", field=field)
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"not a date: {text!r} (YYYY-MM-DD)", field=field) from None


def _optional_date(text: str | None, field: str) -> date | None:
    return None if text is None else _date(text, field)


def _emit(payload: Any, as_json: bool, text: str) -> None:
    if as_json:
        print_json(payload)
    else:
        console.print(text)


# --------------------------------------------------------------------------- pools


@app.command("list")
def list_pools(as_json: JsonOption = False) -> None:
    """The pools of the workspace."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        pools = [
            {"name": p.name, "field": p.field, "administrator": p.administrator, "demo": p.demo}
            for p in membership.list_pools(db_session=session)
        ]
    if as_json:
        print_json(pools)
        return
    table = Table("pool", "field", "administrator")
    for p in pools:
        table.add_row(str(p["name"]), str(p["field"]), str(p["administrator"]))
    console.print(table)


@app.command()
def create(
    name: PoolArg,
    terms: Annotated[
        Path,
        typer.Option(
            "--terms",
            help='JSON: {"categories": {code: name}, "rates": {code: {"unit": "3.00"}}, '
            '"regional": {"IN": "0.5"}}',
        ),
    ],
    field: Annotated[str, typer.Option(help="Technical field of the pool.")],
    administrator: Annotated[str, typer.Option(help="Who runs the pool.")],
    admin_fee: Annotated[str, typer.Option(help="Administrator's fee, e.g. 0.1 or 10%.")] = "0.1",
    count: Annotated[str, typer.Option(help="Allocation counts patents or families.")] = "patents",
    quorum: Annotated[int, typer.Option(help="Opinions needed before a decision.")] = 2,
    majority: Annotated[str, typer.Option(help="simple, two_thirds or unanimous.")] = "simple",
    org: Annotated[
        str | None,
        typer.Option(help="Owning organisation (its pool administrators manage the pool)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Create a pool with its product categories and standard rates."""
    spec = _json_file(terms, "terms")
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        owner = None
        if org is not None:
            found = accounts.get_organisation_by_name(db_session=session, name=org)
            if found is None:
                raise ValidationError(f"no organisation named {org!r}", field="--org")
            owner = found.id
        pool = membership.create_pool(
            db_session=session,
            actor=Actor.cli(),
            name=name,
            field=field,
            administrator=administrator,
            categories=spec.get("categories", {}),
            rates=spec.get("rates", {}),
            regional=spec.get("regional", {}),
            admin_fee_rate=admin_fee,
            count_basis=count,
            quorum=quorum,
            majority=majority,
            organisation_id=owner,
        )
        payload = {"id": pool.id, "name": pool.name, **membership.pool_settings(pool)}
    _emit(payload, as_json, f"[green]created[/] pool {name}")


@app.command()
def config(
    pool: PoolArg,
    admin_fee: Annotated[str | None, typer.Option(help="Administrator's fee rate.")] = None,
    count: Annotated[str | None, typer.Option(help="patents or families.")] = None,
    quorum: Annotated[int | None, typer.Option()] = None,
    majority: Annotated[str | None, typer.Option(help="simple, two_thirds, unanimous.")] = None,
    proration: Annotated[
        str | None,
        typer.Option(help="Undated lines: days_in_force (pro rata) or period_end."),
    ] = None,
    payment_days: Annotated[int | None, typer.Option(help="Invoices due after N days.")] = None,
    late_interest: Annotated[
        str | None, typer.Option(help="Late-payment interest a year, e.g. 0.06.")
    ] = None,
    report_days: Annotated[
        int | None, typer.Option(help="Reports due N days after the period.")
    ] = None,
    grace_days: Annotated[
        int | None, typer.Option(help="Days late before the compliant discount is lost.")
    ] = None,
    regain_after: Annotated[
        int | None, typer.Option(help="Events on time that regain the compliant discount.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show or change the pool's fee, count basis, quorum, majority rule, proration of
    patents expiring mid-period and invoice payment days."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        changes: tuple[object, ...] = (admin_fee, count, quorum, majority, proration)
        changes += (payment_days, report_days, grace_days, regain_after, late_interest)
        if any(v is not None for v in changes):
            membership.configure_pool(
                db_session=session,
                actor=Actor.cli(),
                pool=found,
                admin_fee_rate=admin_fee,
                count_basis=count,
                quorum=quorum,
                majority=majority,
                proration=proration,
                payment_days=payment_days,
                report_days=report_days,
                grace_days=grace_days,
                regain_after=regain_after,
                late_interest_rate=late_interest,
            )
        payload = membership.pool_settings(found)
    _emit(payload, as_json, ", ".join(f"{k}: {v}" for k, v in payload.items()))


@app.command()
def show(
    pool: PoolArg,
    on: Annotated[str | None, typer.Option("--date")] = None,
    as_json: JsonOption = False,
) -> None:
    """The public list: members, patents, countries and expiry."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        listing = overview.public_listing(session, found, _optional_date(on, "date"))
    if as_json:
        print_json(listing)
        return
    demo = " [yellow](demo data 演示数据)[/]" if listing["demo"] else ""
    console.print(f"[bold]{listing['pool']}[/]{demo} — {listing['field']}")
    table = Table("member", "USCC", "patents in force", title=f"members on {listing['as_of']}")
    for m in listing["members"]:
        table.add_row(m["name"], m["uscc"] or "", str(m["patents_in_force"]))
    console.print(table)
    in_force = sum(1 for p in listing["patents"] if p["in_force"])
    console.print(
        f"{len(listing['patents'])} admitted patents, {in_force} in force, in "
        f"{', '.join(listing['countries']) or 'no country'}"
    )


@app.command()
def stats(
    pool: PoolArg,
    on: Annotated[str | None, typer.Option("--date")] = None,
    as_json: JsonOption = False,
) -> None:
    """Composition by member, IPC main group, country, expiry year; income by period, member."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        result = overview.pool_stats(session, found, _optional_date(on, "date"))
    if as_json:
        print_json(result)
        return
    comp = result["composition"]
    console.print(
        f"[bold]{result['pool']}[/]: {comp['patents_in_force']} of {comp['patents_listed']} "
        f"admitted patents in force on {result['as_of']}, {result['members']} members"
    )
    for key, title in (
        ("by_member", "member"),
        ("by_country", "country"),
        ("by_expiry_year", "expiry year"),
        ("by_ipc_main_group", "IPC main group"),
    ):
        table = Table(title, "patents", title=f"in force by {title}")
        for row in comp[key][:30]:
            table.add_row(row["key"], str(row["patents"]))
        console.print(table)
    income = Table("period", "collected", "admin fee", title="income by period (CNY)")
    for period, row in result["income"]["by_period"].items():
        income.add_row(period, row["collected"], row["fee"])
    console.print(income)


# --------------------------------------------------------------------------- members, experts


@member_app.command("add")
def member_add(
    pool: PoolArg,
    name: Annotated[str, typer.Argument(help="Company name.")],
    uscc: Annotated[str | None, typer.Option(help="Unified Social Credit Code (Chinese).")] = None,
    foreign_registration: Annotated[str | None, typer.Option()] = None,
    country: Annotated[str, typer.Option(help="ISO 3166 code.")] = "CN",
    as_json: JsonOption = False,
) -> None:
    """Add a member company, checking its Unified Social Credit Code."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        member = membership.add_member(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            name=name,
            uscc_code=uscc,
            foreign_registration=foreign_registration,
            country=country,
        )
        payload = {"id": member.id, "name": member.name, "uscc": member.uscc}
    _emit(payload, as_json, f"[green]added[/] member {name}")


@expert_app.command("add")
def expert_add(
    pool: PoolArg,
    name: Annotated[str, typer.Argument()],
    recommended_by: Annotated[str, typer.Option(help="The member that recommends the expert.")],
    speciality: Annotated[str, typer.Option()] = "",
    as_json: JsonOption = False,
) -> None:
    """Add an expert recommended by a member."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        expert = membership.add_expert(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            name=name,
            recommended_by=recommended_by,
            speciality=speciality,
        )
        payload = {"id": expert.id, "name": expert.name}
    _emit(payload, as_json, f"[green]added[/] expert {name}")


# --------------------------------------------------------------------------- admission


@app.command()
def submit(
    pool: PoolArg,
    number: Annotated[
        str, typer.Argument(help="Patent number (from the corpus unless --country).")
    ],
    member: Annotated[str, typer.Option(help="The submitting member.")],
    country: Annotated[str | None, typer.Option(help="Register by number: ISO country.")] = None,
    title: Annotated[str, typer.Option()] = "",
    filed: Annotated[str | None, typer.Option()] = None,
    granted: Annotated[str | None, typer.Option()] = None,
    expires: Annotated[str | None, typer.Option()] = None,
    family: Annotated[str | None, typer.Option()] = None,
    ipc: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOption = False,
) -> None:
    """Submit a patent for admission (from the corpus, or registered by its facts)."""
    ctx = app_context()
    if country is None:
        with ctx.store.connect() as con:
            facts = submissions.patent_from_corpus(con, number)
    else:
        facts = submissions.PatentInput(
            number=number,
            country=country,
            title=title,
            filing_date=_optional_date(filed, "filed"),
            grant_date=_optional_date(granted, "granted"),
            expires_on=_optional_date(expires, "expires"),
            family=family,
            ipc=ipc,
        )
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        patent = submissions.submit_patent(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            member=membership.get_member(db_session=session, pool=found, name=member),
            patent=facts,
            from_corpus=country is None,
        )
        payload = {
            "number": patent.number,
            "status": patent.status,
            "expires_on": patent.expires_on,
        }
    _emit(
        payload,
        as_json,
        f"[green]submitted[/] {payload['number']} (expires {payload['expires_on']})",
    )


@app.command()
def assign(
    pool: PoolArg,
    patent: Annotated[str, typer.Argument()],
    expert: Annotated[str, typer.Argument()],
    as_json: JsonOption = False,
) -> None:
    """Assign a submitted patent to an expert (never one recommended by its member)."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        submissions.assign_expert(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            patent=submissions.get_patent(db_session=session, pool=found, number=patent),
            expert=membership.get_expert(db_session=session, pool=found, name=expert),
        )
    _emit({"patent": patent, "expert": expert}, as_json, f"[green]assigned[/] {patent} to {expert}")


@app.command()
def review(
    pool: PoolArg,
    patent: Annotated[str, typer.Argument()],
    expert: Annotated[str, typer.Argument()],
    opinion: Annotated[str, typer.Option(help="essential or not_essential.")],
    note: Annotated[str | None, typer.Option(help="Reasons (claim chart text).")] = None,
    note_file: Annotated[Path | None, typer.Option(help="Claim chart as a text file.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record an expert's reasoned opinion."""
    text = note_file.read_text("utf-8") if note_file else (note or "")
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        submissions.record_opinion(
            db_session=session,
            actor=Actor.cli(),
            patent=submissions.get_patent(db_session=session, pool=found, number=patent),
            expert=membership.get_expert(db_session=session, pool=found, name=expert),
            opinion=opinion,
            note=text,
        )
    _emit(
        {"patent": patent, "expert": expert, "opinion": opinion},
        as_json,
        f"[green]recorded[/] {opinion}",
    )


@app.command()
def decide(
    pool: PoolArg, patent: Annotated[str, typer.Argument()], as_json: JsonOption = False
) -> None:
    """The committee's decision on a patent, by the pool's majority rule."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        decision = submissions.decide_patent(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            patent=submissions.get_patent(db_session=session, pool=found, number=patent),
        )
        payload = {
            "patent": patent,
            "admitted": decision.admitted,
            "votes": decision.votes,
            "reason": decision.reason,
        }
    _emit(
        payload,
        as_json,
        ("[green]admitted[/]: " if payload["admitted"] else "[red]rejected[/]: ")
        + str(payload["reason"]),
    )


@app.command()
def event(
    pool: PoolArg,
    patent: Annotated[str, typer.Argument()],
    kind: Annotated[str, typer.Option(help="expired, lapsed, invalidated or withdrawn.")],
    on: Annotated[str, typer.Option(help="Date from which it no longer counts.")],
    note: Annotated[str, typer.Option()] = "",
    as_json: JsonOption = False,
) -> None:
    """Record that a patent expired, lapsed or was invalidated: it leaves the count."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        submissions.record_patent_event(
            db_session=session,
            actor=Actor.cli(),
            patent=submissions.get_patent(db_session=session, pool=found, number=patent),
            kind=kind,
            on=_date(on, "on"),
            note=note,
        )
    _emit(
        {"patent": patent, "kind": kind, "on": on}, as_json, f"[green]recorded[/] {kind} from {on}"
    )


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
    _emit(payload, as_json, f"[green]added[/] licensee {name}")


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
            signed_on=_date(signed, "signed", date.today()),
            starts_on=_date(start, "from"),
            ends_on=_date(end, "to"),
            territory=territory or [],
            compliant_discount=compliant_discount,
            early_discount=early_discount,
            annual_cap=cap,
            back_royalties_from=_optional_date(back_from, "back-from"),
        )
        payload = {"agreement": agreement.id, "licensee": name}
    _emit(payload, as_json, f"[green]signed[/] licence {payload['agreement']} with {name}")


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
            issued_on=_optional_date(accepted_on, "accepted-on"),
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
    _emit(payload, as_json, f"[green]invoice[/] {payload['invoice']}: CNY {payload['amount']}")


@app.command()
def invoices(
    pool: PoolArg,
    on: Annotated[
        str | None, typer.Option("--date", help="Interest up to (default today).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Invoices with what was paid, and late-payment interest at the pool's rate."""
    day = _date(on, "date", date.today())
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        rows = [
            {
                "invoice": inv.number,
                "licensee": lic.name,
                "period": f"{rep.period_start}..{rep.period_end}",
                "amount": fen_text(inv.amount_fen),
                "paid": fen_text(inv.paid_fen),
                "due_on": inv.due_on.isoformat(),
                "late_interest": fen_text(payments.late_interest(session, found, inv, day)),
                "allocation": inv.allocation_id,
            }
            for inv, lic, rep in payments.invoices_of(session, found)
        ]
    if as_json:
        print_json(rows)
        return
    table = Table(
        "invoice", "licensee", "period", "amount", "paid", "due", "late interest", "allocation"
    )
    for r in rows:
        table.add_row(*(str(r[k] if r[k] is not None else "") for k in r))
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
            paid_on=_date(on, "on", date.today()),
            reference=reference,
        )
        payload = {
            "invoice": inv.number,
            "paid": fen_text(inv.paid_fen),
            "amount": fen_text(inv.amount_fen),
        }
    _emit(payload, as_json, f"[green]paid[/] {payload['paid']} of {payload['amount']}")


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
        on=_date(on, "date", date.today()),
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
        payload = allocation_runs.allocation_summary(session, run)
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
            allocation_runs.allocation_summary(session, r)
            for r in allocation_runs.allocations_of(session, found)
        ]
    if as_json:
        print_json(payload)
        return
    for item in payload:
        _print_allocation(item)


def _print_allocation(summary: dict[str, Any]) -> None:
    table = Table(
        "member", "amount (CNY)", title=f"allocation {summary['id']} — {summary['period']}"
    )
    for row in summary["members"]:
        table.add_row(row["member"], row["amount"])
    table.add_row("administrator's fee", summary["admin_fee"])
    table.add_row("collected", summary["collected"])
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
    for line in payload["lines"]:
        table.add_row(
            line["period"],
            line["licensee"],
            line["country"],
            str(len(line["patents"])),
            line["royalty_triggered"],
            line["amount"],
        )
    console.print(table)
    console.print(f"total: CNY {payload['total']}")


# --------------------------------------------------------------------------- disputes


@case_app.command("open")
def case_open(
    pool: PoolArg,
    title: Annotated[str, typer.Argument()],
    kind: Annotated[str, typer.Option(help="litigation, negotiation or mediation.")],
    party: Annotated[list[str], typer.Option(help="A party; repeat.")],
    patent: Annotated[list[str] | None, typer.Option(help="A patent involved; repeat.")] = None,
    deadline: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOption = False,
) -> None:
    """Open a dispute or negotiation case."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        case = cases.open_case(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            kind=kind,
            title=title,
            parties=party,
            patents=patent or [],
            deadline=_optional_date(deadline, "deadline"),
        )
        payload = cases.case_dict(case)
    _emit(payload, as_json, f"[green]opened[/] case {payload['id']}")


@case_app.command("status")
def case_status(
    pool: PoolArg,
    case_id: Annotated[int, typer.Argument()],
    status: Annotated[str, typer.Argument()],
    note: Annotated[str, typer.Option()] = "",
    as_json: JsonOption = False,
) -> None:
    """Move a case on; refused changes name the allowed ones."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        case = cases.change_case_status(
            db_session=session,
            actor=Actor.cli(),
            case=cases.get_case(db_session=session, pool=found, case_id=case_id),
            status=status,
            note=note,
        )
        payload = cases.case_dict(case)
    _emit(payload, as_json, f"case {case_id} is now {status}")


@case_app.command("note")
def case_note(
    pool: PoolArg,
    case_id: Annotated[int, typer.Argument()],
    note: Annotated[str, typer.Argument()],
    document: Annotated[str | None, typer.Option(help="A document reference or path.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Add a note (and a document) to a case."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        case = cases.add_case_note(
            db_session=session,
            actor=Actor.cli(),
            case=cases.get_case(db_session=session, pool=found, case_id=case_id),
            note=note,
            document=document,
        )
        payload = cases.case_dict(case)
    _emit(payload, as_json, f"noted on case {case_id}")


@case_app.command("settle")
def case_settle(
    pool: PoolArg,
    case_id: Annotated[int, typer.Argument()],
    licensee: Annotated[str, typer.Option(help="Who takes the licence.")],
    country: Annotated[str, typer.Option(help="The licensee's country.")],
    start: Annotated[str, typer.Option("--from")],
    end: Annotated[str, typer.Option("--to")],
    back_from: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOption = False,
) -> None:
    """Settle a case with a licence at the pool's rates."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        agreement = cases.settle_with_licence(
            db_session=session,
            actor=Actor.cli(),
            pool=found,
            case=cases.get_case(db_session=session, pool=found, case_id=case_id),
            licensee_name=licensee,
            country=country,
            starts_on=_date(start, "from"),
            ends_on=_date(end, "to"),
            back_royalties_from=_optional_date(back_from, "back-from"),
        )
        payload = {"case": case_id, "agreement": agreement.id}
    _emit(payload, as_json, f"case {case_id} settled with licence {payload['agreement']}")


@case_app.command("list")
def case_list(pool: PoolArg, as_json: JsonOption = False) -> None:
    """The pool's cases."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        payload = [cases.case_dict(c) for c in cases.cases_of(session, found)]
    if as_json:
        print_json(payload)
        return
    table = Table("id", "kind", "title", "status", "next")
    for c in payload:
        table.add_row(
            str(c["id"]), c["kind"], c["title"], c["status"], ", ".join(c["allowed_next"])
        )
    console.print(table)


def _json_file(path: Path, field: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"), parse_float=_no_float)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{path}: not JSON ({exc})", field=field) from None
    if not isinstance(data, dict):
        raise ValidationError(f"{path}: expected an object", field=field)
    return data


def _no_float(text: str) -> Any:
    raise ValidationError(f"{text} is a float; write money and rates as strings", field="terms")
