"""What the ``ipops finance`` commands share: the command groups, options, date parsing
and output (JSON, or a field/value table)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ipops.cli.context import AppContext, app_context, console, print_json
from ipops.errors import NoWorkspace, ValidationError

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


def parse_day(text: str | None, field: str = "date") -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"not a date: {text!r} (YYYY-MM-DD)", field=field) from None


def out(payload: Any, as_json: bool, text: str | None = None) -> None:
    if as_json:
        print_json(payload)
    elif text is not None:
        console.print(text, highlight=False)
    else:
        print_mapping(payload)


def print_mapping(payload: Any) -> None:
    """A mapping (or a record, as its JSON form) as a two-column table."""
    if hasattr(payload, "model_dump"):
        payload = payload.model_dump(mode="json", by_alias=True)
    table = Table("field", "value", show_header=False)
    for key, value in payload.items():
        table.add_row(str(key), str(value))
    console.print(table)


def root_of(ctx: AppContext) -> Path:
    return ctx.workspace.root


def workspace_root_or_none() -> Path | None:
    try:
        return app_context().workspace.root
    except NoWorkspace:  # built-in policies and calendar only
        return None
