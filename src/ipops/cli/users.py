"""`ipops users ...`: add users, list them, set passwords (audited as the OS user, origin cli).

Whoever can run the CLI on the workspace can read and write its registry anyway, so the CLI
acts as the operator: it needs no login.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from ipops.accounts import organisations, users
from ipops.accounts.models import User
from ipops.accounts.roles import HOME_ORG_KIND, OrgKind, Role
from ipops.audit.service import Actor
from ipops.cli.context import JsonOption, app_context, console, print_json
from ipops.errors import ValidationError
from ipops.paging import MAX_PAGE_SIZE, Page, SortKey
from ipops.registry.db import session_scope

app = typer.Typer(help="Users and their roles.", no_args_is_help=True)

PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Username (letters, digits, . _ @ -).")],
    role: Annotated[Role, typer.Option(help="What the user may do.")],
    org: Annotated[
        str | None, typer.Option(help="Organisation name; created if it does not exist.")
    ] = None,
    org_kind: Annotated[
        OrgKind | None, typer.Option(help="Kind of a new organisation (default from the role).")
    ] = None,
    display_name: Annotated[str | None, typer.Option(help="Name shown in the UI.")] = None,
    password_stdin: PasswordStdin = False,
    as_json: JsonOption = False,
) -> None:
    """Add a user (asks for the password twice unless --password-stdin)."""
    ctx = app_context()
    password = _read_password(password_stdin)
    actor = Actor.cli()
    with session_scope(ctx.engine) as session:
        org_id = _organisation_id(session, org, org_kind, role, actor) if org else None
        user = users.create_user(
            db_session=session,
            username=name,
            password=password,
            role=role,
            display_name=display_name,
            organisation_id=org_id,
            actor=actor,
        )
        info = _describe(session, user)
    if as_json:
        print_json(info)
    else:
        console.print(f"added {info['username']} ({info['role']}), id {info['id']}")


@app.command("list")
def list_users(
    role: Annotated[Role | None, typer.Option(help="Only users with this role.")] = None,
    as_json: JsonOption = False,
) -> None:
    """All users, by username."""
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        found = [_describe(session, u) for u in _all_users(session, role)]
    if as_json:
        print_json(found)
        return
    table = Table("id", "username", "display name", "role", "organisation", "active", "created")
    for u in found:
        table.add_row(
            str(u["id"]),
            str(u["username"]),
            str(u["display_name"]),
            str(u["role"]),
            str(u["organisation"] or ""),
            "yes" if u["is_active"] else "no",
            str(u["created_at"])[:19],
        )
    console.print(table)


@app.command("passwd")
def passwd(
    name: Annotated[str, typer.Argument(help="Username.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a user's password; every web session and API token of the user ends."""
    ctx = app_context()
    password = _read_password(password_stdin)
    with session_scope(ctx.engine) as session:
        user = users.require_user_by_username(db_session=session, username=name)
        users.set_password(db_session=session, user=user, password=password, actor=Actor.cli())
    console.print(f"password of {user.username} changed; their sessions and tokens ended")


@app.command("deactivate")
def deactivate(name: Annotated[str, typer.Argument(help="Username.")]) -> None:
    """Refuse a user: sign-in fails and every web session and API token ends at once."""
    username = _set_active(name, active=False)
    console.print(f"{username} deactivated; their sessions and tokens ended")


@app.command("reactivate")
def reactivate(name: Annotated[str, typer.Argument(help="Username.")]) -> None:
    """Let a deactivated user sign in again (old sessions and tokens stay ended)."""
    console.print(f"{_set_active(name, active=True)} reactivated")


def _set_active(name: str, *, active: bool) -> str:
    ctx = app_context()
    with session_scope(ctx.engine) as session:
        user = users.require_user_by_username(db_session=session, username=name)
        users.set_user_active(db_session=session, user=user, active=active, actor=Actor.cli())
        return user.username


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise ValidationError("no password given", field="password")
    return password


def _organisation_id(
    session: Session, name: str, kind: OrgKind | None, role: Role, actor: Actor
) -> int:
    if kind is None:
        existing = organisations.get_organisation_by_name(db_session=session, name=name)
        if existing is not None:
            return existing.id
        kind = HOME_ORG_KIND[role]
    org = organisations.ensure_organisation(db_session=session, name=name, kind=kind, actor=actor)
    return org.id


def _all_users(session: Session, role: Role | None) -> list[User]:
    found: list[User] = []
    number = 1
    while True:
        page = Page(number=number, size=MAX_PAGE_SIZE, sort=(SortKey("username"),))
        batch, total = users.list_users(db_session=session, role=role, page=page)
        found.extend(batch)
        if len(found) >= total or not batch:
            return found
        number += 1


def _describe(session: Session, user: User) -> dict[str, Any]:
    org = (
        organisations.get_organisation(db_session=session, organisation_id=user.organisation_id)
        if user.organisation_id
        else None
    )
    return {
        **users.user_snapshot(user),
        "organisation": org.name if org else None,
        "created_at": user.created_at.isoformat(),
    }
