"""The corpus as the API and web read it: the serving index for look-ups, DuckDB for the rest.

Searches and single patents come from the snapshot's serving index (SQLite, built once per
snapshot; see ``ipops.corpus.serving``) as soon as it exists. Until then, and for
statistics, requests read DuckDB: one connection per process, a cursor per request. A
snapshot without an index gets one built in a background thread.

DuckDB connections are not thread-safe but their cursors are, so each request gets its own
cursor on the shared connection. The connection is opened lazily and re-opened when the
manifest's ``snapshot_id`` changes (a load or a compaction committed a new corpus); the old
one is left to close once the cursors still using it are gone.

Tables a corpus has no rows for are Arrow objects registered on the connection, which its
cursors cannot see; they are copied into (empty) tables of the shared database first.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import duckdb
from fastapi.concurrency import run_in_threadpool

from ipops.corpus.lookup_records import PatentRecord, PatentSummary
from ipops.corpus.queries import jsonable, show_patent
from ipops.corpus.search import SearchCriteria, search_patents
from ipops.corpus.serving import ServingIndex, build_serving_index, index_path
from ipops.corpus.store import MANIFEST_NAME, CorpusStore
from ipops.errors import NotFound
from ipops.paging import Page

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")


class CorpusCursor:
    """A request's view of one snapshot of the corpus: its serving index when built, and a
    DuckDB cursor, opened on first use (a look-up in the serving index needs none)."""

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        snapshot_id: str,
        serving: ServingIndex | None = None,
    ) -> None:
        self._connection = connection
        self._cursor: duckdb.DuckDBPyConnection | None = None
        self.snapshot_id = snapshot_id
        self.serving = serving

    @property
    def cursor(self) -> duckdb.DuckDBPyConnection:
        if self._cursor is None:
            self._cursor = self._connection.cursor()
        return self._cursor

    def search(self, criteria: SearchCriteria, page: Page) -> tuple[list[PatentSummary], int]:
        if self.serving is not None:
            return self.serving.search(criteria, page)
        return search_patents(self.cursor, criteria, page)

    def patent_json(self, number: str) -> str:
        """One patent in full as JSON text (what ``show_patent`` gives, dates as ISO text)."""
        if self.serving is None:
            found = show_patent(self.cursor, number).model_dump()
            return json.dumps(jsonable(found), ensure_ascii=False)
        body = self.serving.detail_json(self._patent_id(number, self.serving))
        assert body is not None  # resolve() found it in this immutable index
        return body

    def patent(self, number: str) -> PatentRecord:
        if self.serving is None:
            return show_patent(self.cursor, number)
        found = self.serving.detail(self._patent_id(number, self.serving))
        assert found is not None
        return found

    @staticmethod
    def _patent_id(number: str, serving: ServingIndex) -> str:
        patent_id = serving.resolve(number)
        if patent_id is None:
            raise NotFound(f"no patent {number!r} in the corpus", field="number")
        return patent_id

    async def answer(self, work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run ``work`` (a search or look-up of this cursor) for an async endpoint.

        Answers from the serving index take a fraction of a millisecond and run on the event
        loop, where a hop to the thread pool would cost more than the work; DuckDB queries
        (no index yet) run in the thread pool.
        """
        if self.serving is not None:
            return work(*args, **kwargs)
        return await run_in_threadpool(work, *args, **kwargs)

    def close(self) -> None:
        if self._cursor is not None:
            self._cursor.close()


class CorpusConnections:
    def __init__(self, store: CorpusStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._snapshot: str | None = None
        self._serving: ServingIndex | None = None
        self._building: set[str] = set()
        self._snapshot_seen: tuple[tuple[int, ...], str] | None = None
        self._manifest_path = store.root / MANIFEST_NAME

    @property
    def snapshot_id(self) -> str:
        """The current snapshot; the manifest is parsed again only when its file changed
        (a commit replaces it), since reading it for every request cost more than a
        look-up in the serving index."""
        try:
            info = self._manifest_path.stat()
            key: tuple[int, ...] = (info.st_ino, info.st_mtime_ns, info.st_size)
        except FileNotFoundError:
            key = ()
        if self._snapshot_seen is None or self._snapshot_seen[0] != key:
            self._snapshot_seen = (key, self.store.manifest().snapshot_id)
        return self._snapshot_seen[1]

    def cursor(self) -> CorpusCursor:
        snapshot = self.snapshot_id
        with self._lock:
            if self._connection is None or snapshot != self._snapshot:
                self._connection = _shareable(self.store.connect())
                self._snapshot = snapshot
                self._serving = None
            if self._serving is None:
                self._serving = self._serving_index(snapshot)
            return CorpusCursor(self._connection, snapshot, self._serving)

    def open_cursor(self) -> CorpusCursor | None:
        """A cursor on the connection already open for the current snapshot, or ``None``
        when the connection must first be (re)opened: cheap enough for the event loop."""
        snapshot = self.snapshot_id
        with self._lock:
            if self._connection is None or snapshot != self._snapshot:
                return None
            if self._serving is None:
                self._serving = self._serving_index(snapshot)
            return CorpusCursor(self._connection, snapshot, self._serving)

    def _serving_index(self, snapshot: str) -> ServingIndex | None:
        path = index_path(self.store, snapshot)
        if path.exists():
            return ServingIndex(path)
        if snapshot not in self._building:
            self._building.add(snapshot)
            threading.Thread(target=self._build, args=(snapshot,), daemon=True).start()
        return None

    def _build(self, snapshot: str) -> None:
        try:
            build_serving_index(self.store)
        except Exception:  # the DuckDB path keeps serving; the next snapshot tries again
            log.exception("building the serving index of snapshot %s failed", snapshot)

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
