"""The corpus store: Parquet batches under the workspace, a manifest, DuckDB views over them.

Layout (readable by any Parquet engine, e.g. Spark)::

    corpus/
      manifest.json                      the committed batches, in load order
      batches/<batch_id>/<table>/part-00000.parquet
      .staging/<batch_id>-<pid>/...      a load in progress (never read)

A load writes its batch under ``.staging`` and commits by renaming it into ``batches`` and
then atomically replacing ``manifest.json``. Readers only read what the manifest lists, so
a load killed at any point leaves the previous corpus complete; the orphaned staging folder
is removed by the next load.

When several batches hold the same ``patent_id``, the latest batch wins for that patent and
all its child rows (a corrected re-export replaces the old record). Events accumulate.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ipops.corpus.events import STATUS_VIEW_SQL
from ipops.corpus.schema import SCHEMAS, TABLE_NAMES, TEXT_TABLES
from ipops.errors import ValidationError

MANIFEST_NAME = "manifest.json"
PART_NAME = "part-00000.parquet"
ROW_GROUP_ROWS = 128_000

# Child tables follow the patent that wins; applications and events have their own rule.
_PATENT_CHILDREN = (
    "parties",
    "inventors",
    "classifications",
    "citations",
    "related_documents",
    "priority_claims",
    "pct_data",
    "terms",
    "examiners",
    "agents",
    *TEXT_TABLES,  # claim texts and government interest (ingest --texts)
)
# Tables not owned by one corpus patent: the latest batch wins per row key.
_KEYED_TABLES = {"families": ("family_id", "patent_id"), "citing_documents": ("patent_id",)}
_DUCKDB_TYPES = {
    pa.string(): "VARCHAR",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    pa.list_(pa.int32()): "INTEGER[]",  # claim_texts.depends_on
}
_READ_ONLY_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


@dataclass(frozen=True)
class BatchInfo:
    id: str
    seq: int
    kind: str
    load_key: str
    created_at: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    batches: tuple[BatchInfo, ...] = ()

    @property
    def snapshot_id(self) -> str:
        """Identifies this exact corpus content: same batches, same id."""
        ids = ",".join(batch.id for batch in self.batches)
        return hashlib.sha256(ids.encode()).hexdigest()[:16] if ids else "empty"

    def find_load(self, load_key: str) -> BatchInfo | None:
        return next((b for b in self.batches if b.load_key == load_key), None)

    def next_seq(self) -> int:
        return max((b.seq for b in self.batches), default=0) + 1

    def to_json(self) -> str:
        payload = {"format": 1, "batches": [asdict(b) for b in self.batches]}
        return json.dumps(payload, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        payload = json.loads(text)
        return cls(tuple(BatchInfo(**b) for b in payload.get("batches", [])))


class BatchWriter:
    """Streams Arrow tables of one load into Parquet files in a staging folder."""

    def __init__(self, staging: Path, batch_id: str) -> None:
        self.staging = staging
        self.batch_id = batch_id
        self.row_counts: dict[str, int] = dict.fromkeys(TABLE_NAMES, 0)
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._pending: dict[str, list[pa.Table]] = {t: [] for t in TABLE_NAMES}
        self._pending_rows: dict[str, int] = dict.fromkeys(TABLE_NAMES, 0)

    def write(self, table: str, data: pa.Table) -> None:
        if data.num_rows == 0:
            return
        self._pending[table].append(data)
        self._pending_rows[table] += data.num_rows
        self.row_counts[table] += data.num_rows
        if self._pending_rows[table] >= ROW_GROUP_ROWS:
            self._flush(table)

    def write_all(self, tables: Mapping[str, pa.Table]) -> None:
        for name, data in tables.items():
            self.write(name, data)

    def close(self) -> None:
        for table in TABLE_NAMES:
            self._flush(table)
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        for path in self.staging.rglob("*.parquet"):
            _fsync_file(path)

    def discard(self) -> None:
        for writer in self._writers.values():
            with contextlib.suppress(Exception):
                writer.close()
        self._writers.clear()
        shutil.rmtree(self.staging, ignore_errors=True)

    def _flush(self, table: str) -> None:
        if not self._pending[table]:
            return
        data = pa.concat_tables(self._pending[table])
        self._pending[table] = []
        self._pending_rows[table] = 0
        writer = self._writers.get(table)
        if writer is None:
            folder = self.staging / table
            folder.mkdir(parents=True, exist_ok=True)
            writer = pq.ParquetWriter(folder / PART_NAME, SCHEMAS[table], compression="zstd")
            self._writers[table] = writer
        writer.write_table(data, row_group_size=ROW_GROUP_ROWS)


class CorpusStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.batches_dir = root / "batches"
        self.staging_dir = root / ".staging"

    # -- manifest -----------------------------------------------------------------------
    def manifest(self) -> Manifest:
        path = self.root / MANIFEST_NAME
        if not path.exists():
            return Manifest()
        return Manifest.from_json(path.read_text(encoding="utf-8"))

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Serialises loads: one writer at a time (readers never wait)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- writing ------------------------------------------------------------------------
    def begin_batch(self) -> BatchWriter:
        self._remove_orphaned_staging()
        batch_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        staging = self.staging_dir / f"{batch_id}-{os.getpid()}"
        staging.mkdir(parents=True)
        return BatchWriter(staging, batch_id)

    def commit(
        self, writer: BatchWriter, *, kind: str, load_key: str, sources: Sequence[dict[str, Any]]
    ) -> BatchInfo:
        """Publish a closed batch after the committed ones. Call while holding ``lock()``."""
        manifest = self.manifest()
        info = self._batch_info(writer, manifest, kind=kind, load_key=load_key, sources=sources)
        self._move_into_place(writer)
        self._write_manifest(Manifest((*manifest.batches, info)))
        return info

    def replace_all(self, writer: BatchWriter, *, load_key: str) -> BatchInfo:
        """Publish ``writer`` as the only batch (compaction). Call while holding ``lock()``."""
        old = self.manifest()
        sources = [s for b in old.batches for s in b.sources]
        info = self._batch_info(writer, old, kind="compacted", load_key=load_key, sources=sources)
        self._move_into_place(writer)
        self._write_manifest(Manifest((info,)))
        for batch in old.batches:
            shutil.rmtree(self.batches_dir / batch.id, ignore_errors=True)
        return info

    @staticmethod
    def _batch_info(
        writer: BatchWriter,
        manifest: Manifest,
        *,
        kind: str,
        load_key: str,
        sources: Sequence[dict[str, Any]],
    ) -> BatchInfo:
        return BatchInfo(
            id=writer.batch_id,
            seq=manifest.next_seq(),
            kind=kind,
            load_key=load_key,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            sources=list(sources),
            row_counts={k: v for k, v in writer.row_counts.items() if v},
        )

    def _move_into_place(self, writer: BatchWriter) -> None:
        self.batches_dir.mkdir(parents=True, exist_ok=True)
        writer.staging.rename(self.batches_dir / writer.batch_id)
        _fsync_dir(self.batches_dir)

    def _write_manifest(self, manifest: Manifest) -> None:
        tmp = self.root / f".{MANIFEST_NAME}.{os.getpid()}.tmp"
        with tmp.open("w", encoding="utf-8") as handle:
            handle.write(manifest.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(self.root / MANIFEST_NAME)
        _fsync_dir(self.root)

    def remove_leftovers(self) -> None:
        """Remove what killed loads left behind (staging folders of processes gone)."""
        self._remove_orphaned_staging()

    def _remove_orphaned_staging(self) -> None:
        if not self.staging_dir.exists():
            return
        for folder in self.staging_dir.iterdir():
            pid = folder.name.rsplit("-", 1)[-1]
            if not pid.isdigit() or not process_alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)

    # -- reading ------------------------------------------------------------------------
    def table_files(self, table: str, manifest: Manifest | None = None) -> list[tuple[Path, int]]:
        """The Parquet files of ``table`` with their batch sequence, in load order."""
        manifest = manifest or self.manifest()
        files = []
        for batch in manifest.batches:
            path = self.batches_dir / batch.id / table / PART_NAME
            if batch.row_counts.get(table):
                files.append((path, batch.seq))
        return files

    def connect(self, *, threads: int | None = None) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection with one view per canonical table."""
        con = duckdb.connect(config={"threads": threads} if threads else {})
        con.execute("SET enable_progress_bar = false")
        manifest = self.manifest()
        for statement in corpus_view_statements(con, self, manifest):
            con.execute(statement)
        return con


def seal(con: duckdb.DuckDBPyConnection, store: CorpusStore) -> duckdb.DuckDBPyConnection:
    """Turn off DuckDB's access to files, the network and extensions on ``con`` (after its
    views are made): a query may then read the corpus views and nothing else of this
    machine (``read_csv('/etc/hostname')`` is refused), and cannot turn it on again."""
    folders = {str(store.root), str(store.root.resolve())}
    listed = ", ".join(_sql_str(folder.rstrip("/") + "/") for folder in sorted(folders))
    con.execute(f"SET allowed_directories = [{listed}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _empty_view(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """A view with the table's columns and no rows. Written in SQL when every column type is
    known: building an empty Arrow table makes pyarrow import pandas (a quarter of a second
    at every CLI start)."""
    schema = SCHEMAS[table]
    if all(f.type in _DUCKDB_TYPES for f in schema):
        columns = ", ".join(f'CAST(NULL AS {_DUCKDB_TYPES[f.type]}) AS "{f.name}"' for f in schema)
        return f"CREATE VIEW {table} AS SELECT {columns} WHERE false"
    con.register(f"_empty_{table}", SCHEMAS[table].empty_table())
    return f"CREATE VIEW {table} AS SELECT * FROM _empty_{table}"


def corpus_view_statements(
    con: duckdb.DuckDBPyConnection, store: CorpusStore, manifest: Manifest
) -> list[str]:
    """SQL that defines the corpus views on ``con`` (registers empty tables where needed)."""
    statements: list[str] = []
    loaded: set[str] = set()
    for table in TABLE_NAMES:
        files = store.table_files(table, manifest)
        if files:
            loaded.add(table)
            statements.append(_all_rows_view(table, files))
        else:
            statements.append(_empty_view(con, table))
    patent_batches = {seq for _, seq in store.table_files("patents", manifest)}
    if len(patent_batches) > 1:
        statements.extend(_latest_batch_views(loaded))
    else:
        statements.extend(_plain_views(loaded))
    statements.append(f"CREATE VIEW patent_status AS {STATUS_VIEW_SQL}")
    return statements


def _all_rows_view(table: str, files: list[tuple[Path, int]]) -> str:
    """All rows of ``table`` in the current schema's columns, whatever batch wrote them.

    Columns added to the schema after a batch was written read as typed nulls there, so
    old batches stay readable next to new ones.
    """
    schema = SCHEMAS[table]
    parts = []
    for path, seq in files:
        present = set(pq.read_schema(path).names)
        columns = ", ".join(
            f'"{column.name}"'
            if column.name in present
            else f'CAST(NULL AS {_DUCKDB_TYPES[column.type]}) AS "{column.name}"'
            for column in schema
        )
        parts.append(f"SELECT {columns}, {seq} AS _seq FROM read_parquet({_sql_str(str(path))})")
    return f"CREATE VIEW _{table}_all AS " + " UNION ALL ".join(parts)


def _plain_views(loaded: set[str]) -> list[str]:
    statements = []
    for table in TABLE_NAMES:
        if table in loaded:
            distinct = "DISTINCT " if table == "events" else ""
            statements.append(
                f"CREATE VIEW {table} AS SELECT {distinct}* EXCLUDE (_seq) FROM _{table}_all"
            )
    return statements


def _latest_batch_views(loaded: set[str]) -> list[str]:
    """Views that show, per patent, the rows of the batch that loaded it last."""
    statements = [
        "CREATE VIEW _patent_winner AS SELECT patent_id, max(_seq) AS _seq "
        "FROM _patents_all GROUP BY patent_id"
    ]
    for table in ("patents", *_PATENT_CHILDREN):
        if table in loaded:
            statements.append(
                f"CREATE VIEW {table} AS SELECT t.* EXCLUDE (_seq) FROM _{table}_all t "
                "SEMI JOIN _patent_winner w ON t.patent_id = w.patent_id AND t._seq = w._seq"
            )
    if "applications" in loaded:
        statements.append(
            "CREATE VIEW applications AS SELECT * EXCLUDE (_seq) FROM _applications_all "
            "QUALIFY row_number() OVER (PARTITION BY application_id ORDER BY _seq DESC) = 1"
        )
    if "events" in loaded:
        statements.append("CREATE VIEW events AS SELECT DISTINCT * EXCLUDE (_seq) FROM _events_all")
    for table, keys in _KEYED_TABLES.items():
        if table in loaded:
            statements.append(
                f"CREATE VIEW {table} AS SELECT * EXCLUDE (_seq) FROM _{table}_all "
                f"QUALIFY row_number() OVER (PARTITION BY {', '.join(keys)} "
                "ORDER BY _seq DESC) = 1"
            )
    return statements


def ensure_read_only(sql: str) -> None:
    """Refuse anything but SELECT / EXPLAIN (the query command is for reading)."""
    con = duckdb.connect()
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise ValidationError(str(exc).splitlines()[0], field="sql") from exc
    finally:
        con.close()
    if not statements:
        raise ValidationError("no SQL statement given", field="sql")
    for statement in statements:
        if statement.type not in _READ_ONLY_STATEMENTS:
            kind = statement.type.name
            raise ValidationError(
                f"only read-only queries (SELECT, EXPLAIN) are allowed; got a {kind} statement",
                field="sql",
            )


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def process_alive(pid: int) -> bool:
    """Whether a process of this machine still runs (its leftovers must then be kept)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
