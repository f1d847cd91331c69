"""The command line imports a command's module only when that command runs."""

from __future__ import annotations

import subprocess
import sys

import typer.main

from ipops.cli.app import LAZY_COMMANDS, app, load_command


def test_help_lines_kept_in_app_match_the_commands() -> None:
    for name, (_, _, help_text) in LAZY_COMMANDS.items():
        command = load_command(name)
        assert (command.help or "").strip() == help_text, name


def test_help_imports_no_command_module() -> None:
    probe = (
        "import sys\n"
        "from ipops.cli.app import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('ipops.cli.finance', 'ipops.cli.pool', 'ipops.cli.corpus', 'sklearn',\n"
        "         'ipops.web', 'sqlalchemy', 'duckdb', 'pydantic_settings')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_every_group_is_listed_and_loads_on_use() -> None:
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    assert list(LAZY_COMMANDS) == group.list_commands(ctx)[: len(LAZY_COMMANDS)]  # type: ignore[attr-defined]
    users = group.get_command(ctx, "users")  # type: ignore[attr-defined]
    assert users is not None and "passwd" in users.list_commands(ctx)
