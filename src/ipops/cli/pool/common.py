"""What the `ipops pool` commands share: the command groups, argument types and small
parsers of dates and JSON files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from ipops.cli.context import console, print_json
from ipops.errors import ValidationError

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


def date_arg(text: str | None, field: str, default: date | None = None) -> date:
    if text is None:
        if default is None:
            raise ValidationError("a date is required (YYYY-MM-DD)", field=field)
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"not a date: {text!r} (YYYY-MM-DD)", field=field) from None


def optional_date(text: str | None, field: str) -> date | None:
    return None if text is None else date_arg(text, field)


def emit(payload: Any, as_json: bool, text: str) -> None:
    if as_json:
        print_json(payload)
    else:
        console.print(text)


def json_file(path: Path, field: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"), parse_float=no_float)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{path}: not JSON ({exc})", field=field) from None
    if not isinstance(data, dict):
        raise ValidationError(f"{path}: expected an object", field=field)
    return data


def no_float(text: str) -> Any:
    raise ValidationError(f"{text} is a float; write money and rates as strings", field="terms")
