"""The `ipops` command line.

Every command group lives in its own module (``ipops.cli.<module>``) and is imported only when
it runs: ``ipops --help`` lists the groups from the one-line help texts kept here, so the help
and a light command start without loading scikit-learn, the web app or the chart libraries.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, NoReturn

import typer
import typer.main
from rich.markup import escape
from typer import _click as click  # the click typer vendors (and types its classes with)
from typer.core import TyperCommand, TyperGroup

from ipops import __version__
from ipops.cli.context import console, err_console
from ipops.errors import IpopsError

# name: (module, attribute, one-line help), in the order `ipops --help` lists them. The help
# text repeats the command's own first line; tests/cli/test_cli_lazy.py keeps the two equal.
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "audit": ("ipops.cli.audit", "audit", "Who changed what, when and from where (newest first)."),
    "serve": (
        "ipops.cli.serve",
        "serve",
        "Serve the web UI (Chinese first; open http://HOST:PORT/ in a browser and log in) and\n"
        "the REST API under /api/v1 (OpenAPI at /openapi.json) for the workspace.",
    ),
    "backup": (
        "ipops.cli.ops",
        "backup",
        "Write the registry and the corpus to one consistent archive (safe while serving).",
    ),
    "restore": (
        "ipops.cli.ops",
        "restore",
        "Bring the workspace back exactly as the archive holds it (checksums verified first).",
    ),
    "init": (
        "ipops.cli.ops",
        "init",
        "Create the workspace (IPOPS_HOME, default ./ipops-data) and its registry database.",
    ),
    "demo": (
        "ipops.cli.demo",
        "demo",
        "Build a demo workspace from generated data and print its corpus statistics.",
    ),
    "version": ("ipops.cli.app", "version", "Print the ipops version."),  # registered below
    "corpus": ("ipops.cli.corpus", "app", "Patent corpus: ingest, generate, inspect."),
    "names": ("ipops.cli.names", "app", "Party names: harmonise to entity ids."),
    "users": ("ipops.cli.users", "app", "Users and their roles."),
    "value": (
        "ipops.cli.value",
        "app",
        "Patent value: indicators, explainable scores, high-value patents, money value.",
    ),
    "finance": (
        "ipops.cli.finance",
        "app",
        "IP pledge finance: enterprises, ratings, banks, loans, pledges, policy funds.",
    ),
    "geo": (
        "ipops.cli.geo",
        "app",
        "Innovation geography: hotspots with fractional counting, collaboration, maps.",
    ),
    "pool": (
        "ipops.cli.pool",
        "app",
        "Patent pools: members, expert admission, licensing, royalties, allocation, disputes.",
    ),
    "report": (
        "ipops.cli.report",
        "app",
        "Industry patent landscape reports: trends, applicants, technology, geography, "
        "collaboration, citations, high-value patents; HTML or PDF with a CSV/XLSX annex.",
    ),
}


class _Placeholder(TyperCommand):
    """Stands for a command whose module is not imported yet; carries only its help line."""


class LazyGroup(TyperGroup):
    """A typer group whose sub-commands are imported from ``LAZY_COMMANDS`` on first use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing = False
        for name, (_, _, help_text) in LAZY_COMMANDS.items():
            self.commands.setdefault(name, _Placeholder(name=name, help=help_text))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*LAZY_COMMANDS, *(name for name in self.commands if name not in LAZY_COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if isinstance(command, _Placeholder) and not self._listing:
            command = self.commands[cmd_name] = load_command(cmd_name)
        return command

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True  # the listing shows help lines: no module needs importing
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def load_command(name: str) -> click.Command:
    """Import the module of the command ``name`` and build its click command."""
    module_name, attribute, _ = LAZY_COMMANDS[name]
    target = getattr(importlib.import_module(module_name), attribute)
    command: click.Command
    if isinstance(target, typer.Typer):
        command = typer.main.get_group(target)  # a group even with one sub-command
    else:
        single = typer.Typer()
        single.command(name=name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


app = typer.Typer(
    cls=LazyGroup,
    name="ipops",
    help="ipops: patent data, value, pools, IP-pledge finance and innovation analytics.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    # a callback makes `ipops` a group even though only `version` is registered up front
    pass


@app.command()
def version() -> None:
    """Print the ipops version."""
    console.print(__version__)


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
    command: click.Command = typer.main.get_command(app)
    for word in args:
        if not isinstance(command, TyperGroup):
            break
        if not word.startswith("-") and word in command.list_commands(click.Context(command)):
            found = command.get_command(click.Context(command), word)
            if found is None:
                break
            command = found
    key = field.replace("-", "_").lstrip("_")
    for param in command.params:
        if param.param_type_name == "option" and param.name == key:
            longs = [opt for opt in param.opts if opt.startswith("--")]
            return str(longs[0] if longs else param.opts[0])
    return field


if __name__ == "__main__":
    main()
