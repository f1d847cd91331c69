"""What every command needs: the workspace, the registry engine, the corpus, output helpers.

Imported by every command (and by ``ipops --help``), so it stays light: the registry (alembic,
SQLAlchemy), the settings (pydantic-settings), the corpus store (DuckDB, pyarrow) and the
accounts token cache are imported when a command first asks for them — the documented exception
to "imports at the top" (docs/cli.md).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ipops.corpus.ingest import LoadTarget, ProgressCallback
    from ipops.corpus.store import CorpusStore
    from ipops.workspace import Workspace

console = Console()
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
err_console = Console(stderr=True)


@dataclass
class AppContext:
    workspace: Workspace

    @cached_property
    def engine(self) -> Engine:
        from ipops.accounts.tokens import watch_revocations  # heavy: imported per command
        from ipops.registry.db import open_registry

        engine = open_registry(self.workspace.database_url)
        watch_revocations(self.workspace.revocation_stamp)
        return engine

    @cached_property
    def store(self) -> CorpusStore:
        from ipops.corpus.store import CorpusStore  # heavy: imported per command

        return CorpusStore(self.workspace.corpus_dir)

    @property
    def load_target(self) -> LoadTarget:
        from ipops.corpus.ingest import LoadTarget  # heavy: imported per command

        return LoadTarget(self.store, self.engine, self.workspace.rejects_dir)


def app_context() -> AppContext:
    from ipops.workspace import open_workspace  # pydantic-settings: imported per command

    return AppContext(open_workspace())


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=_json_value))
    sys.stdout.write("\n")


def _json_value(value: Any) -> Any:
    """Records (``ipops.records.Record``) as their JSON form, dates (and datetimes) as ISO
    text, anything else JSON cannot write as its ``str``."""
    if hasattr(value, "model_dump"):  # a record: duck-typed, pydantic is not imported here
        return value.model_dump(mode="json", by_alias=True)
    return value.isoformat() if isinstance(value, date) else str(value)


@contextmanager
def progress_bar(description: str, total: int | None = None) -> Iterator[ProgressCallback]:
    """A rich progress bar on stderr; yields the callback loaders report to."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=False) as progress:
        task = progress.add_task(description, total=total, rate="")

        def update(records: int, done: int, units_total: int) -> None:
            elapsed = progress.tasks[task].elapsed or 0.0
            rate = f"{records / elapsed:,.0f} records/s" if elapsed > 0 else ""
            progress.update(task, completed=done, total=units_total or total, rate=rate)

        yield update
