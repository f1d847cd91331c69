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
import gzip
import hashlib
import json
import lzma
import os
import shutil
import tarfile
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import sqlalchemy as sa
from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine

from ipops import __version__
from ipops.corpus.store import MANIFEST_NAME, CorpusStore, Manifest, process_alive
from ipops.errors import Conflict, InputFormatError, ValidationError
from ipops.ops.tables import (
    TableDump,
    dump_table,
    existing_columns,
    insert_rows,
    read_rows,
    reset_sequences,
    table_has_rows,
)
from ipops.registry.all_models import Base
from ipops.registry.db import alembic_config, make_engine
from ipops.workspace import Workspace

FORMAT_NAME = "ipops-backup"
FORMAT_VERSION = 1
HEADER = "backup.json"
TOP_LEVEL = frozenset({HEADER, "registry", "corpus", "rejects"})
COMPRESS_LEVEL = 3
BLOCK = 1 << 20
SNAPSHOT_ATTEMPTS = 5

ProgressCallback = Callable[[str, int, int], None]  # stage, done, total


@dataclass(frozen=True)
class Member:
    """One file of the archive: its name inside, and where its bytes are now."""

    name: str
    path: Path

    @property
    def size(self) -> int:
        return self.path.stat().st_size


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


# -- backup: the archive -----------------------------------------------------------------


class _HashingReader:
    """Reads a file for tarfile, hashing and counting what passes."""

    def __init__(self, handle: IO[bytes], on_bytes: Callable[[int], None]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.on_bytes = on_bytes

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.on_bytes(len(data))
        return data


def _tar_info(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o644
    info.type = tarfile.REGTYPE
    return info


def write_archive(
    target: Path,
    members: list[Member],
    header: dict[str, Any],
    progress: ProgressCallback | None = None,
) -> dict[str, dict[str, Any]]:
    """Write ``members`` and then ``backup.json`` (with their checksums) as a .tar.gz."""
    sizes = {m.name: m.size for m in members}
    total, done = sum(sizes.values()), 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress("writing archive", done, total)

    checksums: dict[str, dict[str, Any]] = {}
    mtime = time.time()
    with tarfile.open(target, "w:gz", compresslevel=COMPRESS_LEVEL) as tar:
        for member in members:
            with member.path.open("rb") as handle:
                reader = _HashingReader(handle, advance)
                tar.addfile(_tar_info(member.name, sizes[member.name], mtime), reader)
            checksums[member.name] = {
                "sha256": reader.digest.hexdigest(),
                "bytes": sizes[member.name],
            }
        data = json.dumps({**header, "members": checksums}, ensure_ascii=False, indent=1).encode()
        tar.addfile(_tar_info(HEADER, len(data), mtime), _BytesReader(data))
    return checksums


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


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


# -- restore: reading and verifying ------------------------------------------------------


@dataclass
class Extracted:
    folder: Path
    header: dict[str, Any]
    digests: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def revision(self) -> str | None:
        value = self.header.get("alembic_revision")
        return str(value) if value else None

    def table_dumps(self) -> dict[str, TableDump]:
        tables = self.header["registry"]["tables"]
        return {name: TableDump.from_dict(name, spec) for name, spec in tables.items()}


_CORRUPT_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, lzma.LZMAError)


def extract_verified(
    source: Path, folder: Path, progress: ProgressCallback | None = None
) -> Extracted:
    """Unpack ``source`` into ``folder`` and check it against its ``backup.json``."""
    total = source.stat().st_size
    try:
        with source.open("rb") as raw, tarfile.open(fileobj=raw, mode="r:*") as tar:

            def advance() -> None:
                if progress:
                    progress("verifying archive", raw.tell(), total)

            digests = _extract_members(tar, folder, advance)
            _drain(tar)
    except _CORRUPT_ERRORS as exc:
        raise InputFormatError(
            f"{source}: the archive is corrupt or truncated ({exc or type(exc).__name__}); "
            "nothing was changed",
            field="archive",
        ) from exc
    extracted = Extracted(folder, _read_header(source, folder), digests)
    _verify_members(source, extracted)
    return extracted


def _drain(tar: tarfile.TarFile) -> None:
    """Read the compressed stream to its end, so that its own checksum is verified."""
    stream = tar.fileobj
    if stream is not None:
        while stream.read(BLOCK):
            pass


def safe_member_name(member: tarfile.TarInfo) -> str:
    """The member's path if it is a plain file or folder inside the archive's own layout."""
    name = member.name
    path = PurePosixPath(name)
    unsafe = (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or any(part in ("..", "") for part in name.rstrip("/").split("/"))
        or path.parts[0] not in TOP_LEVEL
    )
    if unsafe:
        raise InputFormatError(
            f"the archive holds an unsafe path {name!r} (absolute, '..' or outside the "
            "backup layout); refusing it, nothing was changed",
            field="archive",
        )
    if not (member.isreg() or member.isdir()):
        raise InputFormatError(
            f"the archive holds {name!r}, which is not a plain file (a link or device); "
            "refusing it, nothing was changed",
            field="archive",
        )
    return path.as_posix()


def _extract_members(
    tar: tarfile.TarFile, folder: Path, advance: Callable[[], None]
) -> dict[str, dict[str, Any]]:
    digests: dict[str, dict[str, Any]] = {}
    root = folder.resolve()
    for member in tar:
        name = safe_member_name(member)
        destination = (folder / name).resolve()
        if not destination.is_relative_to(root):
            raise InputFormatError(f"the archive path {name!r} leaves the folder", field="archive")
        if member.isdir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        if name in digests:
            raise InputFormatError(f"the archive holds {name!r} twice", field="archive")
        digests[name] = _extract_file(tar, member, destination)
        advance()
    return digests


def _extract_file(
    tar: tarfile.TarFile, member: tarfile.TarInfo, destination: Path
) -> dict[str, Any]:
    handle = tar.extractfile(member)
    if handle is None:
        raise InputFormatError(f"cannot read {member.name!r} from the archive", field="archive")
    digest, size = hashlib.sha256(), 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    with handle, destination.open("wb") as out:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
            out.write(block)
            size += len(block)
    return {"sha256": digest.hexdigest(), "bytes": size}


def _read_header(source: Path, folder: Path) -> dict[str, Any]:
    path = folder / HEADER
    if not path.is_file():
        raise InputFormatError(
            f"{source}: the archive is corrupt or truncated, or not an ipops backup: it has "
            f"no {HEADER}; nothing was changed",
            field="archive",
        )
    try:
        header: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputFormatError(f"{source}: {HEADER} is not valid JSON", field="archive") from exc
    if header.get("format") != FORMAT_NAME:
        raise InputFormatError(f"{source}: not an ipops backup archive", field="archive")
    if not isinstance(header.get("members"), dict) or not isinstance(
        header.get("registry", {}).get("tables"), dict
    ):
        raise InputFormatError(f"{source}: {HEADER} lacks members or tables", field="archive")
    if int(header.get("format_version", 0)) > FORMAT_VERSION:
        raise InputFormatError(
            f"{source}: backup format {header['format_version']} is newer than this ipops "
            f"reads ({FORMAT_VERSION}); upgrade ipops",
            field="archive",
        )
    return header


def _verify_members(source: Path, extracted: Extracted) -> None:
    listed: dict[str, dict[str, Any]] = extracted.header.get("members", {})
    found = {k: v for k, v in extracted.digests.items() if k != HEADER}
    missing = sorted(set(listed) - set(found))
    extra = sorted(set(found) - set(listed))
    damaged = sorted(n for n in set(listed) & set(found) if listed[n] != found[n])
    problems = [
        f"{len(missing)} member(s) missing (first: {missing[0]})" if missing else "",
        f"{len(extra)} unexpected member(s) (first: {extra[0]})" if extra else "",
        f"{len(damaged)} member(s) fail the checksum (first: {damaged[0]})" if damaged else "",
    ]
    if any(problems):
        raise InputFormatError(
            f"{source}: the archive does not match its {HEADER}: "
            + "; ".join(p for p in problems if p)
            + "; nothing was changed",
            field="archive",
        )


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
