"""`ipops audit`: read the audit trail, newest first."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ipops.audit import service
from ipops.cli.context import app_context, console, print_json
from ipops.paging import MAX_PAGE_SIZE, Page
from ipops.registry.db import session_scope


def audit(
    object_ref: Annotated[
        str | None,
        typer.Option("--object", help="TYPE or TYPE:ID, e.g. user or user:3."),
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="Only changes by this actor.")] = None,
    action: Annotated[str | None, typer.Option(help="Only this action, e.g. user.created.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_PAGE_SIZE)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Who changed what, when and from where (newest first)."""
    object_type, object_id = _split_object(object_ref)
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        records, total = service.list_records(
            db_session=session,
            object_type=object_type,
            object_id=object_id,
            actor=user,
            action=action,
            page=Page(number=1, size=limit),
        )
        rows = [
            {
                "id": r.id,
                "at": r.at.isoformat(),
                "actor": r.actor,
                "origin": r.origin,
                "action": r.action,
                "object_type": r.object_type,
                "object_id": r.object_id,
                "before": r.before,
                "after": r.after,
            }
            for r in records
        ]
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"{total} records (newest first; --json for before/after)")
    for name in ("id", "at", "actor", "origin", "action", "object"):
        table.add_column(name, no_wrap=name in {"id", "at", "action"})
    for r in rows:
        obj = f"{r['object_type']}:{r['object_id']}" if r["object_id"] else str(r["object_type"])
        at = str(r["at"])[:19].replace("T", " ")
        table.add_row(str(r["id"]), at, str(r["actor"]), str(r["origin"]), str(r["action"]), obj)
    console.print(table)


def _split_object(ref: str | None) -> tuple[str | None, str | None]:
    if not ref:
        return None, None
    object_type, _, object_id = ref.partition(":")
    return object_type or None, object_id or None
