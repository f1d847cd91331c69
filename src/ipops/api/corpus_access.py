"""The corpus as the API reads it: one DuckDB connection per process, a cursor per request.

DuckDB connections are not thread-safe but their cursors are, so each request gets its own
cursor on the shared connection. The connection is opened lazily and re-opened when the
manifest's ``snapshot_id`` changes (a load or a compaction committed a new corpus); the old
one is left to close once the cursors still using it are gone.

Tables a corpus has no rows for are Arrow objects registered on the connection, which its
cursors cannot see; they are copied into (empty) tables of the shared database first.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import duckdb

from ipops.corpus.store import CorpusStore


@dataclass(frozen=True)
class CorpusCursor:
    """A cursor for one request and the snapshot of the corpus it reads."""

    cursor: duckdb.DuckDBPyConnection
    snapshot_id: str

    def close(self) -> None:
        self.cursor.close()


class CorpusConnections:
    def __init__(self, store: CorpusStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._snapshot: str | None = None

    @property
    def snapshot_id(self) -> str:
        return self.store.manifest().snapshot_id

    def cursor(self) -> CorpusCursor:
        snapshot = self.snapshot_id
        with self._lock:
            if self._connection is None or snapshot != self._snapshot:
                self._connection = _shareable(self.store.connect())
                self._snapshot = snapshot
            return CorpusCursor(self._connection.cursor(), snapshot)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
            self._connection = None
            self._snapshot = None


def _shareable(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    registered = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE temporary AND starts_with(view_name, '_empty_')"
    ).fetchall()
    for (name,) in registered:
        con.execute(f'CREATE TABLE main."{name}" AS SELECT * FROM "{name}"')
    return con
