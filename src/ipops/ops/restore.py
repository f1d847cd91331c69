"""Restoring a workspace from a backup archive: checks before anything changes, then the
registry rebuilt in one transaction and the corpus swapped in with a rename.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine

from ipops import __version__
from ipops.corpus.store import CorpusStore, process_alive
from ipops.errors import Conflict, InputFormatError, ValidationError
from ipops.ops.archive import (
    Extracted,
    ProgressCallback,
    extract_verified,
)
from ipops.ops.tables import (
    TableDump,
    existing_columns,
    insert_rows,
    read_rows,
    reset_sequences,
    table_has_rows,
)
from ipops.registry.all_models import Base
from ipops.registry.db import alembic_config, make_engine
from ipops.workspace import Workspace


@dataclass
class RestoreReport:
    path: Path
    created_at: str
    alembic_revision: str | None
    tables: dict[str, int]
    corpus_batches: int
    corpus_snapshot_id: str
    replaced: bool
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "archive": str(self.path),
            "backup_created_at": self.created_at,
            "alembic_revision": self.alembic_revision,
            "tables": self.tables,
            "corpus_batches": self.corpus_batches,
            "corpus_snapshot_id": self.corpus_snapshot_id,
            "replaced_existing": self.replaced,
            "seconds": round(self.seconds, 3),
        }


# -- restore: checks before anything changes ---------------------------------------------


def workspace_contents(workspace: Workspace, engine: Engine) -> dict[str, int]:
    """What a restore would replace: registry tables with rows, committed corpus batches."""
    with engine.connect() as conn:
        tables = sum(
            1
            for table in Base.metadata.sorted_tables
            if existing_columns(conn, table) is not None and table_has_rows(conn, table)
        )
    batches = len(CorpusStore(workspace.corpus_dir).manifest().batches)
    return {"registry_tables_with_rows": tables, "corpus_batches": batches}


def _refuse_non_empty(workspace: Workspace, contents: dict[str, int]) -> None:
    if any(contents.values()):
        raise Conflict(
            f"the workspace at {workspace.root} is not empty "
            f"({contents['registry_tables_with_rows']} registry table(s) with rows, "
            f"{contents['corpus_batches']} corpus batch(es)); restore into an empty "
            "workspace, or add --force to replace everything in it",
            field="workspace",
        )


def _check_compatible(extracted: Extracted, url: str) -> None:
    revision = extracted.revision
    if revision is not None:
        try:
            ScriptDirectory.from_config(alembic_config(url)).get_revision(revision)
        except CommandError as exc:
            raise ValidationError(
                f"the archive's registry is at revision {revision}, which this ipops "
                f"({__version__}) does not know; restore it with a newer ipops",
                field="archive",
            ) from exc
    for name, dump in extracted.table_dumps().items():
        table = Base.metadata.tables.get(name)
        if table is None or any(c.name not in table.columns for c in dump.columns):
            raise ValidationError(
                f"the archive's table {name!r} does not match this ipops ({__version__}); "
                "restore it with the ipops version that made it",
                field="archive",
            )


# -- restore: changing the workspace -----------------------------------------------------


@contextlib.contextmanager
def restore_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction for schema and rows (SQLite: BEGIN IMMEDIATE; DDL is transactional)."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            yield conn
        except BaseException:
            conn.exec_driver_sql("ROLLBACK")
            raise
        conn.exec_driver_sql("COMMIT")


def rebuild_registry(
    engine: Engine, url: str, extracted: Extracted, progress: ProgressCallback | None = None
) -> dict[str, int]:
    """Empty schema by the migrations, then the archived rows; all or nothing."""
    dumps = extracted.table_dumps()
    total = sum(d.rows for d in dumps.values())
    done = 0
    restored: dict[str, int] = {}
    with restore_transaction(engine) as conn:
        _recreate_schema(conn, url, extracted)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
        tables = [t for t in Base.metadata.sorted_tables if t.name in dumps]
        for table in tables:
            dump = dumps[table.name]
            path = extracted.folder / "registry" / f"{table.name}.jsonl"
            restored[table.name] = _insert_table(conn, table, dump, path)
            done += restored[table.name]
            if progress:
                progress("restoring registry", done, total)
        reset_sequences(conn, tables)
    return restored


def _insert_table(conn: Connection, table: sa.Table, dump: TableDump, path: Path) -> int:
    try:
        with path.open(encoding="utf-8") as lines:
            return insert_rows(conn, table, dump, read_rows(lines, dump))
    except (sa.exc.DBAPIError, Conflict) as exc:
        # The registry's error hook reports a unique violation as a Conflict (a lost race in
        # a request); in a restore it means the archive's rows do not fit.
        cause = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc.__cause__
        reason = str(cause).strip().splitlines()[0] if cause else str(exc)
        raise InputFormatError(
            f"the rows of table {table.name} do not fit the registry ({reason}); "
            "the registry was left as it was",
            field="archive",
        ) from exc


def _recreate_schema(conn: Connection, url: str, extracted: Extracted) -> None:
    config = alembic_config(url)
    config.attributes["connection"] = conn
    try:
        command.downgrade(config, "base")
    except CommandError as exc:
        raise Conflict(
            f"cannot empty the registry: {exc}; it may have been made by a newer ipops",
            field="registry",
        ) from exc
    Base.metadata.drop_all(conn, checkfirst=True)  # tables made without the migrations
    if extracted.revision:
        command.upgrade(config, extracted.revision)


def _remove_leftovers(root: Path) -> None:
    """Staging folders of restores that were killed (their process is gone)."""
    for folder in root.glob(".restore-*-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _swap_folder(staged: Path, live: Path) -> None:
    """Put ``staged`` where ``live`` is, by renames on the same file system."""
    staged.mkdir(parents=True, exist_ok=True)
    old = live.with_name(f".{live.name}-replaced-{uuid.uuid4().hex[:8]}")
    if live.exists():
        live.rename(old)
    staged.rename(live)
    shutil.rmtree(old, ignore_errors=True)


def restore_workspace(
    workspace: Workspace,
    source: Path,
    *,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> RestoreReport:
    """``ipops restore FILE``: the workspace exactly as the archive holds it."""
    started = time.perf_counter()
    if not source.is_file():
        raise InputFormatError(f"{source}: no such archive", field="archive")
    engine = make_engine(workspace.database_url)
    _remove_leftovers(workspace.root)
    staging = workspace.root / f".restore-{uuid.uuid4().hex[:8]}-{os.getpid()}"
    try:
        contents = workspace_contents(workspace, engine)
        if not force:
            _refuse_non_empty(workspace, contents)
        extracted = extract_verified(source, staging, progress)
        _check_compatible(extracted, workspace.database_url)
        tables = rebuild_registry(engine, workspace.database_url, extracted, progress)
        _swap_folder(staging / "corpus", workspace.corpus_dir)
        _swap_folder(staging / "rejects", workspace.rejects_dir)
    finally:
        engine.dispose()
        shutil.rmtree(staging, ignore_errors=True)
    corpus = extracted.header.get("corpus", {})
    return RestoreReport(
        path=source,
        created_at=str(extracted.header.get("created_at")),
        alembic_revision=extracted.revision,
        tables=tables,
        corpus_batches=len(corpus.get("batches", [])),
        corpus_snapshot_id=str(corpus.get("snapshot_id", "")),
        replaced=any(contents.values()),
        seconds=time.perf_counter() - started,
    )
