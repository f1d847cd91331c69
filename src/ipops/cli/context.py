"""What every command needs: the workspace, the registry engine, the corpus, output helpers."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any

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
from sqlalchemy import Engine

from ipops.accounts.service import watch_revocations
from ipops.corpus.ingest import LoadTarget, ProgressCallback
from ipops.corpus.queries import jsonable
from ipops.corpus.store import CorpusStore
from ipops.registry.db import open_registry
from ipops.workspace import Workspace, open_workspace

console = Console()
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
err_console = Console(stderr=True)


@dataclass
class AppContext:
    workspace: Workspace

    @cached_property
    def engine(self) -> Engine:
        engine = open_registry(self.workspace.database_url)
        watch_revocations(self.workspace.revocation_stamp)
        return engine

    @cached_property
    def store(self) -> CorpusStore:
        return CorpusStore(self.workspace.corpus_dir)

    @property
    def load_target(self) -> LoadTarget:
        return LoadTarget(self.store, self.engine, self.workspace.rejects_dir)


def app_context() -> AppContext:
    return AppContext(open_workspace())


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(jsonable(payload), ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


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
