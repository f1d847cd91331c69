"""The `ipops` command line."""

from __future__ import annotations

from typing import Annotated

import typer
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


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors are one clear line and an exit code, never a traceback."""
    try:
        app(args=argv, prog_name="ipops")
    except IpopsError as exc:
        err_console.print(f"[red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise SystemExit(exc.exit_code) from None
    except OSError as exc:
        err_console.print(f"[red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
