"""Corpus look-ups the CLI and scripts share: statistics of the current snapshot, one
patent in full, one page of search hits (DuckDB over the snapshot's Parquet files)."""

from __future__ import annotations

from typing import Any

from ipops.corpus.lookup_records import CorpusStatistics, PatentRecord, PatentSummary
from ipops.corpus.queries import corpus_stats, run_query, show_patent
from ipops.corpus.search import SearchCriteria, search_patents
from ipops.corpus.store import CorpusStore, seal
from ipops.paging import Page
from ipops.records import Record

__all__ = [
    "CorpusStatistics",
    "PatentRecord",
    "PatentSummary",
    "QueryRows",
    "SearchHits",
    "patent",
    "read_only_rows",
    "search",
    "statistics",
]


class SearchHits(Record):
    """One page of matching patents (summary rows) and the number of all matches."""

    items: list[PatentSummary]
    total: int
    page: int
    page_size: int


def statistics(*, store: CorpusStore) -> CorpusStatistics:
    """The statistics of the current snapshot."""
    snapshot_id = store.manifest().snapshot_id
    with store.connect() as con:
        return corpus_stats(con, snapshot_id=snapshot_id)


def patent(*, store: CorpusStore, number: str) -> PatentRecord:
    """One patent in full, by its publication or patent number."""
    with store.connect() as con:
        return show_patent(con, number)


def search(*, store: CorpusStore, criteria: SearchCriteria, page: Page) -> SearchHits:
    """One page of the patents matching ``criteria``."""
    with store.connect() as con:
        rows, total = search_patents(con, criteria, page)
    return SearchHits(items=rows, total=total, page=page.number, page_size=page.size)


class QueryRows(Record):
    """The columns and rows of a read-only query."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


def read_only_rows(*, store: CorpusStore, sql: str, limit: int = 1000) -> QueryRows:
    """A read-only SQL query over the corpus views (the connection is sealed: no files, no
    writes), at most ``limit`` rows."""
    with seal(store.connect(), store) as con:
        columns, rows = run_query(con, sql, limit=limit)
    return QueryRows(columns=list(columns), rows=[tuple(row) for row in rows])
