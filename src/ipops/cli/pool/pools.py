"""`ipops pool list|create|config|show|stats` and the member and expert commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ipops.accounts import organisations
from ipops.audit.service import Actor
from ipops.cli.context import JsonOption, app_context, console, print_json
from ipops.cli.pool.common import (
    PoolArg,
    app,
    emit,
    expert_app,
    json_file,
    member_app,
    optional_date,
)
from ipops.errors import ValidationError
from ipops.pool import (
    membership,
    overview,
)
from ipops.registry.db import session_scope

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
    spec = json_file(terms, "terms")
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        owner = None
        if org is not None:
            found = organisations.get_organisation_by_name(db_session=session, name=org)
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
    emit(payload, as_json, f"[green]created[/] pool {name}")


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
    emit(payload, as_json, ", ".join(f"{k}: {v}" for k, v in payload.items()))


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
        listing = overview.public_list(db_session=session, pool=found, on=optional_date(on, "date"))
    if as_json:
        print_json(listing)
        return
    demo = " [yellow](demo data 演示数据)[/]" if listing.demo else ""
    console.print(f"[bold]{listing.pool}[/]{demo} — {listing.field}")
    table = Table("member", "USCC", "patents in force", title=f"members on {listing.as_of}")
    for m in listing.members:
        table.add_row(m.name, m.uscc or "", str(m.patents_in_force))
    console.print(table)
    in_force = sum(1 for p in listing.patents if p.in_force)
    console.print(
        f"{len(listing.patents)} admitted patents, {in_force} in force, in "
        f"{', '.join(listing.countries) or 'no country'}"
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
        result = overview.stats_of(db_session=session, pool=found, on=optional_date(on, "date"))
    if as_json:
        print_json(result)
        return
    comp = result.composition
    console.print(
        f"[bold]{result.pool}[/]: {comp.patents_in_force} of {comp.patents_listed} "
        f"admitted patents in force on {result.as_of}, {result.members} members"
    )
    for rows, title in (
        (comp.by_member, "member"),
        (comp.by_country, "country"),
        (comp.by_expiry_year, "expiry year"),
        (comp.by_ipc_main_group, "IPC main group"),
    ):
        table = Table(title, "patents", title=f"in force by {title}")
        for row in rows[:30]:
            table.add_row(row.key, str(row.patents))
        console.print(table)
    income = Table("period", "collected", "admin fee", title="income by period (CNY)")
    for period, money in result.income.by_period.items():
        income.add_row(period, str(money.collected), str(money.fee))
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
    emit(payload, as_json, f"[green]added[/] member {name}")


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
    emit(payload, as_json, f"[green]added[/] expert {name}")
