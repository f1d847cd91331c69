"""`ipops init`, `ipops backup` and `ipops restore`: the workspace, in one archive and back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy.engine import make_url

from ipops.cli.context import AppContext, JsonOption, console, err_console, print_json
from ipops.ops.archive import ProgressCallback
from ipops.ops.backup import backup_workspace
from ipops.ops.restore import restore_workspace
from ipops.workspace import create_workspace, open_workspace


def init(as_json: JsonOption = False) -> None:
    """Create the workspace (IPOPS_HOME, default ./ipops-data) and its registry database."""
    ctx = AppContext(create_workspace())
    _ = ctx.engine  # runs the registry migrations
    info = {"workspace": str(ctx.workspace.root), "registry": _safe_url(ctx.workspace.database_url)}
    if as_json:
        print_json(info)
    else:
        console.print(f"workspace ready at {info['workspace']} (registry: {info['registry']})")


def _safe_url(url: str) -> str:
    """The database URL without its password."""
    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def stage_progress() -> Iterator[ProgressCallback]:
    """One rich progress bar per stage (on stderr); yields the callback the work reports to."""
    columns = (
        TextColumn("{task.description:<20}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[amount]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=False) as progress:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total or None, amount="")
            unit = "rows" if "registry" in stage else "MB"
            amount = f"{done:,} {unit}" if unit == "rows" else f"{done / 1e6:,.1f} MB"
            progress.update(tasks[stage], completed=done, total=total or None, amount=amount)

        yield update


def backup(
    file: Annotated[Path, typer.Argument(help="The archive to write, e.g. ipops-backup.tar.gz.")],
    as_json: JsonOption = False,
) -> None:
    """Write the registry and the corpus to one consistent archive (safe while serving)."""
    workspace = open_workspace()
    with stage_progress() as progress:
        report = backup_workspace(workspace, file, progress=progress)
    if as_json:
        print_json(report.as_dict())
        return
    rows = sum(report.tables.values())
    console.print(
        f"backup written to {report.path} ({report.bytes / 1e6:,.1f} MB): "
        f"{rows:,} registry rows in {len(report.tables)} tables at revision "
        f"{report.alembic_revision}, {report.corpus_batches} corpus batch(es) "
        f"(snapshot {report.corpus_snapshot_id}), {report.seconds:.1f} s"
    )


def restore(
    file: Annotated[Path, typer.Argument(help="An archive written by `ipops backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a workspace that holds data already.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Bring the workspace back exactly as the archive holds it (checksums verified first)."""
    workspace = create_workspace()
    with stage_progress() as progress:
        report = restore_workspace(workspace, file, force=force, progress=progress)
    if as_json:
        print_json(report.as_dict())
        return
    rows = sum(report.tables.values())
    console.print(
        f"restored {file} (made {report.created_at}) into {workspace.root}: "
        f"{rows:,} registry rows in {len(report.tables)} tables at revision "
        f"{report.alembic_revision}, {report.corpus_batches} corpus batch(es), "
        f"{report.seconds:.1f} s"
    )
