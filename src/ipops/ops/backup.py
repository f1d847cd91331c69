"""Backup and restore of a workspace: the registry and the corpus in one consistent archive.

The archive is a gzip-compressed tar file (docs/operations.md)::

    registry/<table>.jsonl      every table of the registry metadata, one JSON object a row
    corpus/manifest.json        the corpus manifest, exactly as it was read
    corpus/batches/<id>/...     the Parquet files of every batch that manifest lists
    rejects/run-<id>.csv        rejects files of finished ingestion runs
    backup.json                 format, versions, alembic revision, row counts, SHA-256s

A backup runs while the service runs. The registry is read in one transaction (PostgreSQL:
REPEATABLE READ, read only; SQLite: one read transaction over the WAL), before the corpus,
so every load the registry calls committed has its batch in the archive. The corpus is the
batches one manifest lists; they are hard-linked aside first, so a compaction that deletes
them while the archive is written does not matter.

A restore verifies every checksum before it changes anything, then rebuilds the registry in
one transaction (migrations to the archived revision, rows in dependency order, PostgreSQL
sequences) and swaps the corpus in with a rename.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine

from ipops import __version__
from ipops.corpus.store import MANIFEST_NAME, CorpusStore, Manifest
from ipops.errors import Conflict
from ipops.ops.archive import (
    FORMAT_NAME,
    FORMAT_VERSION,
    Member,
    ProgressCallback,
    write_archive,
)
from ipops.ops.tables import (
    TableDump,
    dump_table,
    existing_columns,
)
from ipops.registry.all_models import Base
from ipops.registry.db import make_engine
from ipops.workspace import Workspace

SNAPSHOT_ATTEMPTS = 5


@dataclass
class BackupReport:
    path: Path
    created_at: str
    alembic_revision: str | None
    tables: dict[str, int]
    corpus_batches: int
    corpus_snapshot_id: str
    members: int
    bytes: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "archive": str(self.path),
            "created_at": self.created_at,
            "alembic_revision": self.alembic_revision,
            "tables": self.tables,
            "corpus_batches": self.corpus_batches,
            "corpus_snapshot_id": self.corpus_snapshot_id,
            "members": self.members,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
        }


# -- backup: the registry ----------------------------------------------------------------


@dataclass(frozen=True)
class RegistrySnapshot:
    dialect: str
    revision: str | None
    tables: tuple[TableDump, ...]
    not_backed_up: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "dialect": self.dialect,
            "alembic_revision": self.revision,
            "tables": {t.name: t.as_dict() for t in self.tables},
            "not_in_metadata": list(self.not_backed_up),
        }


@contextlib.contextmanager
def snapshot_connection(engine: Engine) -> Iterator[Connection]:
    """One read-only transaction that sees a single state of the whole registry."""
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("BEGIN")  # WAL: the first read fixes the snapshot
            try:
                yield conn
            finally:
                conn.exec_driver_sql("ROLLBACK")
        return
    options: dict[str, Any] = {"isolation_level": "REPEATABLE READ"}
    if engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    with engine.connect().execution_options(**options) as conn, conn.begin() as transaction:
        yield conn
        transaction.rollback()


def dump_registry(engine: Engine, folder: Path) -> RegistrySnapshot:
    """Every metadata table the database has, as ``folder/<table>.jsonl``, in one snapshot."""
    folder.mkdir(parents=True, exist_ok=True)
    with snapshot_connection(engine) as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
        dumps = []
        for table in Base.metadata.sorted_tables:
            columns = existing_columns(conn, table)
            if columns is None:
                continue
            with (folder / f"{table.name}.jsonl").open("w", encoding="utf-8") as out:
                dumps.append(dump_table(conn, table, columns, out))
        others = set(sa.inspect(conn).get_table_names()) - set(Base.metadata.tables)
    others.discard("alembic_version")
    return RegistrySnapshot(engine.dialect.name, revision, tuple(dumps), tuple(sorted(others)))


def finished_rejects(workspace: Workspace, registry_folder: Path) -> list[Member]:
    """Rejects files of the runs the snapshot shows as finished (their files are complete)."""
    runs_file = registry_folder / "ingestion_runs.jsonl"
    if not runs_file.exists():
        return []
    members = []
    with runs_file.open(encoding="utf-8") as lines:
        for line in lines:
            run = json.loads(line)
            if run.get("status") == "running" or not run.get("rejects_path"):
                continue
            # by name: a restored workspace may live elsewhere than the one that loaded
            path = workspace.rejects_dir / PurePosixPath(run["rejects_path"]).name
            if path.is_file():
                members.append(Member(f"rejects/{path.name}", path))
    return members


# -- backup: the corpus ------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusSnapshot:
    manifest: Manifest
    members: tuple[Member, ...]


@contextlib.contextmanager
def corpus_snapshot(store: CorpusStore) -> Iterator[CorpusSnapshot]:
    """The manifest and the files of its batches, hard-linked into a private folder."""
    folder = store.staging_dir / f"backup-{uuid.uuid4().hex[:8]}-{os.getpid()}"
    try:
        for _ in range(SNAPSHOT_ATTEMPTS):
            snapshot = _link_snapshot(store, folder)
            if snapshot is not None:
                break
            shutil.rmtree(folder, ignore_errors=True)
        else:
            raise Conflict(
                "the corpus changed under the backup several times (a compaction running?); "
                "try again",
                field="corpus",
            )
        yield snapshot
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _link_snapshot(store: CorpusStore, folder: Path) -> CorpusSnapshot | None:
    """None when a batch vanished meanwhile (a compaction committed): read again."""
    manifest_path = store.root / MANIFEST_NAME
    try:
        manifest_bytes = manifest_path.read_bytes()
    except FileNotFoundError:
        return CorpusSnapshot(Manifest(), ())
    folder.mkdir(parents=True)
    (folder / MANIFEST_NAME).write_bytes(manifest_bytes)
    manifest = Manifest.from_json(manifest_bytes.decode("utf-8"))
    members = [Member(f"corpus/{MANIFEST_NAME}", folder / MANIFEST_NAME)]
    try:
        for batch in manifest.batches:
            members.extend(_link_batch(store, batch.id, batch.row_counts, folder))
    except FileNotFoundError:
        return None
    return CorpusSnapshot(manifest, tuple(members))


def _link_batch(
    store: CorpusStore, batch_id: str, row_counts: dict[str, int], folder: Path
) -> list[Member]:
    source = store.batches_dir / batch_id
    files = sorted(p for p in source.rglob("*") if p.is_file())
    expected = {source / table for table, rows in row_counts.items() if rows}
    if not expected <= {p.parent for p in files}:
        raise FileNotFoundError(source)
    members = []
    for path in files:
        relative = path.relative_to(store.root).as_posix()
        linked = folder / relative
        linked.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(path, linked)
        members.append(Member(f"corpus/{relative}", linked))
    return members


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:  # another file system, or links not allowed: copy
        shutil.copyfile(source, target)


def backup_workspace(
    workspace: Workspace, target: Path, *, progress: ProgressCallback | None = None
) -> BackupReport:
    """``ipops backup FILE``: the registry and the corpus in one consistent archive."""
    started = time.perf_counter()
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    target = target.expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    scratch = target.parent / f".{target.name}.{os.getpid()}.registry"
    engine = make_engine(workspace.database_url)
    try:
        registry = dump_registry(engine, scratch)
        store = CorpusStore(workspace.corpus_dir)
        with corpus_snapshot(store) as corpus:
            members = [
                Member(f"registry/{t.name}.jsonl", scratch / f"{t.name}.jsonl")
                for t in registry.tables
            ]
            members += [*corpus.members, *finished_rejects(workspace, scratch)]
            report = _archive(partial, members, registry, corpus, created_at, progress)
            partial.replace(target)
    finally:
        engine.dispose()
        shutil.rmtree(scratch, ignore_errors=True)
        partial.unlink(missing_ok=True)
    report.path = target
    report.bytes = target.stat().st_size
    report.seconds = time.perf_counter() - started
    return report


def _archive(
    partial: Path,
    members: list[Member],
    registry: RegistrySnapshot,
    corpus: CorpusSnapshot,
    created_at: str,
    progress: ProgressCallback | None,
) -> BackupReport:
    header = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "ipops_version": __version__,
        "created_at": created_at,
        "alembic_revision": registry.revision,
        "registry": registry.as_dict(),
        "corpus": {
            "snapshot_id": corpus.manifest.snapshot_id,
            "batches": [b.id for b in corpus.manifest.batches],
        },
    }
    write_archive(partial, members, header, progress)
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    return BackupReport(
        path=partial,
        created_at=created_at,
        alembic_revision=registry.revision,
        tables={t.name: t.rows for t in registry.tables},
        corpus_batches=len(corpus.manifest.batches),
        corpus_snapshot_id=corpus.manifest.snapshot_id,
        members=len(members) + 1,
    )
