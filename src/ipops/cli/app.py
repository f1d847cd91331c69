"""The `ipops` command line."""

from __future__ import annotations

import sys
from typing import Annotated, Any, NoReturn

import typer
import typer.main
from rich.markup import escape
from sqlalchemy.engine import make_url

from ipops import __version__
from ipops.cli import audit, corpus, finance, geo, names, ops, pool, report, serve, users, value
from ipops.cli.context import AppContext, console, err_console, print_json
from ipops.cli.demo import run_demo
from ipops.errors import IpopsError
from ipops.workspace import create_workspace

app = typer.Typer(
    name="ipops",
    help="ipops: patent data, value, pools, IP-pledge finance and innovation analytics.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(corpus.app, name="corpus")
app.add_typer(names.app, name="names")
app.add_typer(users.app, name="users")
app.add_typer(value.app, name="value")
app.add_typer(finance.app, name="finance")
app.add_typer(geo.app, name="geo")
app.add_typer(pool.app, name="pool")
app.add_typer(report.app, name="report")
app.command(name="audit")(audit.audit)
app.command(name="serve")(serve.serve)
app.command("backup")(ops.backup)
app.command("restore")(ops.restore)


@app.command()
def init(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Create the workspace (IPOPS_HOME, default ./ipops-data) and its registry database."""
    ctx = AppContext(create_workspace())
    _ = ctx.engine  # runs the registry migrations
    info = {"workspace": str(ctx.workspace.root), "registry": _safe_url(ctx.workspace.database_url)}
    if as_json:
        print_json(info)
    else:
        console.print(f"workspace ready at {info['workspace']} (registry: {info['registry']})")


@app.command()
def demo(
    patents: Annotated[int, typer.Option(min=100, help="Size of the generated corpus.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed of the demo data.")] = 2019,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Build a demo workspace from generated data and print its corpus statistics."""
    run_demo(patents=patents, seed=seed, as_json=as_json)


@app.command()
def version() -> None:
    """Print the ipops version."""
    console.print(__version__)


def _safe_url(url: str) -> str:
    """The database URL without its password."""
    return make_url(url).render_as_string(hide_password=True)


# Exit codes, the same for every command (docs/cli.md):
EXIT_CODES = {
    0: "success",
    1: "an unexpected failure (I/O or internal error)",
    2: "bad input: a value, flag, file or format (also usage errors and missing files)",
    3: "not found: the named record does not exist",
    4: "conflict: the change is not allowed in the record's current state",
    5: "no workspace: run `ipops init` (or set IPOPS_HOME)",
    6: "not authenticated",
    7: "forbidden: the role or scope does not allow it",
}
FILE_ERRORS = (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors are one clear line and an exit code, never a traceback."""
    args = sys.argv[1:] if argv is None else argv
    try:
        app(args=args, prog_name="ipops")
    except IpopsError as exc:
        text = str(exc)
        if exc.field:
            text = f"{flag_name(args, exc.field)}: {exc.message}"
        _fail(text, exc.exit_code)
    except FILE_ERRORS as exc:
        reason = "no such file or folder" if isinstance(exc, FileNotFoundError) else exc.strerror
        _fail(f"{exc.filename}: {reason}" if exc.filename else str(exc), 2)
    except OSError as exc:
        _fail(f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc), 1)


def _fail(text: str, code: int) -> NoReturn:
    err_console.print(f"[red]error:[/] {escape(text)}", highlight=False, soft_wrap=True)
    raise SystemExit(code) from None


def flag_name(args: list[str], field: str) -> str:
    """The command-line flag (``--days-overdue``) of an error's field (``days_overdue``) in the
    command ``args`` invoke; the field itself when it is no option of that command."""
    command: Any = typer.main.get_command(app)
    for word in args:
        subcommands = getattr(command, "commands", None)
        if not subcommands:
            break
        if not word.startswith("-") and word in subcommands:
            command = subcommands[word]
    key = field.replace("-", "_").lstrip("_")
    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") == "option" and param.name == key:
            longs = [opt for opt in param.opts if opt.startswith("--")]
            return str(longs[0] if longs else param.opts[0])
    return field


if __name__ == "__main__":
    main()
