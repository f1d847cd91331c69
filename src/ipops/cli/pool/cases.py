"""`ipops pool case ...`: disputes and collective negotiation."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ipops.audit.service import Actor
from ipops.cli.context import JsonOption, app_context, console, print_json
from ipops.cli.pool.common import (
    PoolArg,
    case_app,
    date_arg,
    emit,
    optional_date,
)
from ipops.pool import (
    cases,
    membership,
)
from ipops.registry.db import session_scope

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
            deadline=optional_date(deadline, "deadline"),
        )
        payload = cases.case_record(case)
    emit(payload, as_json, f"[green]opened[/] case {payload.id}")


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
        payload = cases.case_record(case)
    emit(payload, as_json, f"case {case_id} is now {status}")


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
        payload = cases.case_record(case)
    emit(payload, as_json, f"noted on case {case_id}")


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
            starts_on=date_arg(start, "from"),
            ends_on=date_arg(end, "to"),
            back_royalties_from=optional_date(back_from, "back-from"),
        )
        payload = {"case": case_id, "agreement": agreement.id}
    emit(payload, as_json, f"case {case_id} settled with licence {payload['agreement']}")


@case_app.command("list")
def case_list(pool: PoolArg, as_json: JsonOption = False) -> None:
    """The pool's cases."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = membership.get_pool(db_session=session, name=pool)
        payload = [cases.case_record(c) for c in cases.cases_of(session, found)]
    if as_json:
        print_json(payload)
        return
    table = Table("id", "kind", "title", "status", "next")
    for c in payload:
        table.add_row(str(c.id), c.kind, c.title, c.status, ", ".join(c.allowed_next))
    console.print(table)
