"""The serving index: one SQLite file per corpus snapshot, for interactive look-ups.

DuckDB over Parquet is made for whole-corpus analytics; a web page or an API call wants
one patent, or one page of search hits, in about a millisecond. So for each snapshot the
corpus is indexed once into ``corpus/serving/<snapshot_id>.sqlite``:

* ``detail``: each patent's full record (what ``queries.show_patent`` returns) as JSON,
  keyed by ``patent_id``, built set-wise by DuckDB;
* ``hits``: one summary row per patent (the columns of a search result), with B-tree
  indexes on number, years and dates;
* ``hit_text``: an FTS5 table with the trigram tokenizer over titles and party names, so
  that words match anywhere (Chinese titles have no spaces);
* ``hit_class``: IPC/CPC symbols for prefix search.

The file is written under a temporary name and renamed when complete, so a reader sees a
whole index or none (``serving_build``). Searches give the same rows as
``search.search_patents``.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ipops.corpus.lookup_records import PatentRecord, PatentSummary
from ipops.corpus.queries import candidate_patent_ids
from ipops.corpus.search import DEFAULT_SORT, SearchCriteria, checked_sort
from ipops.corpus.serving_build import FORMAT, build_serving_index, character_pairs, index_path
from ipops.errors import ValidationError
from ipops.paging import Page, SortKey

__all__ = [
    "FORMAT",
    "SUMMARY_COLUMNS",
    "ServingIndex",
    "build_serving_index",
    "character_pairs",
    "index_path",
]

_FTS_MIN = 3  # the trigram tokenizer needs three characters to use its index
_SORT_LIMIT = 2_000
_CACHED_SEARCHES = 4_096
_SUBCLASS_LENGTH = 4

SUMMARY_COLUMNS = (
    "patent_id",
    "office",
    "kind",
    "doc_type",
    "title",
    "filing_date",
    "publication_date",
    "first_applicant",
    "main_ipc",
)


_COLUMNS = ", ".join(f"h.{c}" for c in SUMMARY_COLUMNS)
# ``hits`` rows are inserted in this order, so that their ids rank them by it.
_DEFAULT_ORDER = checked_sort(DEFAULT_SORT)


@dataclass
class ServingIndex:
    """Read-only look-ups in one snapshot's index; one SQLite connection per thread."""

    path: Path

    def __post_init__(self) -> None:
        self._local = threading.local()
        self._count = lru_cache(maxsize=_CACHED_SEARCHES)(self._count_uncached)
        self._page = lru_cache(maxsize=_CACHED_SEARCHES)(self._page_uncached)

    @property
    def db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            uri = f"file:{self.path}?mode=ro&immutable=1"
            db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def resolve(self, number: str) -> str | None:
        """The ``patent_id`` of a printed number, or None; ambiguous bare numbers refuse."""
        patent_id, bare = candidate_patent_ids(number)
        if patent_id is not None:
            found = self.db.execute("SELECT patent_id FROM hits WHERE patent_id = ?", [patent_id])
            row = found.fetchone()
            return str(row[0]) if row else None
        ids = [r[0] for r in self.db.execute("SELECT patent_id FROM hits WHERE number = ?", [bare])]
        if len(ids) > 1:
            raise ValidationError(
                f"{number!r} matches several patents ({', '.join(sorted(ids))}); add the office "
                "code, e.g. US or CN",
                field="number",
            )
        return ids[0] if ids else None

    def detail_json(self, patent_id: str) -> str | None:
        row = self.db.execute("SELECT body FROM detail WHERE patent_id = ?", [patent_id]).fetchone()
        return None if row is None else str(row[0])

    def detail(self, patent_id: str) -> PatentRecord | None:
        body = self.detail_json(patent_id)
        return None if body is None else PatentRecord.model_validate_json(body)

    def search(self, criteria: SearchCriteria, page: Page) -> tuple[list[PatentSummary], int]:
        """One page of hits and the number of all; answers are remembered (the index never
        changes), so paging through a result and popular queries cost a dictionary look-up."""
        total = self._count(criteria)
        if total == 0 or page.offset >= total:
            return [], total
        return list(self._page(criteria, page, total)), total

    def _count_uncached(self, criteria: SearchCriteria) -> int:
        sql, params = _query(criteria).count()
        return int(self.db.execute(sql, params).fetchone()[0])

    def _page_uncached(
        self, criteria: SearchCriteria, page: Page, total: int
    ) -> tuple[PatentSummary, ...]:
        query = _query(criteria)
        sort = checked_sort(page.sort or DEFAULT_SORT)
        if sort == _DEFAULT_ORDER:
            sql, params = _page_in_rank_order(query, many=total > _SORT_LIMIT)
        else:
            sql = (
                f"SELECT {_COLUMNS} FROM hits h WHERE {query.where(drive_from_ids=True)} "
                f"ORDER BY {_order_by(sort)} LIMIT ? OFFSET ?"
            )
            params = query.params
        rows = self.db.execute(sql, [*params, page.size, page.offset]).fetchall()
        return tuple(_summary(row) for row in rows)


def _page_in_rank_order(query: _Query, *, many: bool) -> tuple[str, list[Any]]:
    """A page in the default order, which is the order of ``hits.id`` (the rank).

    Many hits: read the ids of one set in rank order (an FTS5 doclist, the class index by
    rank), test the others id by id, and stop after the page; few: collect and sort them.
    """
    if not many or not query.id_sets:
        # Row conditions alone (years) are met by a contiguous-ish run of ranks somewhere
        # in the table: their index and a sort beat walking the table from the top.
        where = query.where(drive_from_ids=True)
        sql = f"SELECT {_COLUMNS} FROM hits h WHERE {where} ORDER BY h.id LIMIT ? OFFSET ?"
        return sql, query.params
    driver, others = query.driver_and_others()
    where = query.probes_and_conditions(others)
    sql = (
        f"SELECT {_COLUMNS} FROM ({driver.driver_sql}) AS s CROSS JOIN hits h ON h.id = s.id "
        f"WHERE {where} ORDER BY s.id LIMIT ? OFFSET ?"
    )
    return sql, [*driver.params, *query.probe_params(others)]


@dataclass(frozen=True)
class _IdSet:
    """A set of ``hits`` ids as SQL: listed (``sql``), read in rank order to drive a page
    (``driver_sql``), or tested for the id ``s.id`` (``probe``); all take ``params``."""

    sql: str
    params: tuple[Any, ...]
    probe: str
    driver_sql: str
    streams_in_rank_order: bool
    distinct: bool = True

    @property
    def distinct_sql(self) -> str:
        return self.sql if self.distinct else f"SELECT DISTINCT id FROM ({self.sql})"


@dataclass
class _Query:
    """Search criteria as SQL: sets of ids (text, classes) and conditions on ``hits`` rows.

    Several sets are combined by reading one (the driver) and testing each of its ids
    against the others: measured here, several times faster than ``INTERSECT``, which
    collects every set in full first.
    """

    id_sets: list[_IdSet]
    conditions: list[str]
    condition_params: list[Any]

    @property
    def params(self) -> list[Any]:
        """The parameters of ``where``: the sets', then the conditions'."""
        return [*(p for ids in self.id_sets for p in ids.params), *self.condition_params]

    def ids(self) -> str:
        return " INTERSECT ".join(ids.sql for ids in self.id_sets)

    def where(self, *, drive_from_ids: bool) -> str:
        clauses = list(self.conditions)
        if self.id_sets:
            plus = "" if drive_from_ids else "+"
            clauses.insert(0, f"{plus}h.id IN ({self.ids()})")
        return " AND ".join(clauses) or "1"

    def driver_and_others(self) -> tuple[_IdSet, list[_IdSet]]:
        """The set to read (text first: FTS5 reads it in rank order), and the rest."""
        driver, *others = sorted(self.id_sets, key=lambda ids: not ids.streams_in_rank_order)
        return driver, others

    def probes_and_conditions(self, others: list[_IdSet]) -> str:
        clauses = [*(other.probe for other in others), *(f"+{c}" for c in self.conditions)]
        return " AND ".join(clauses) or "1"

    def probe_params(self, others: list[_IdSet]) -> list[Any]:
        return [*(p for other in others for p in other.params), *self.condition_params]

    def count(self) -> tuple[str, list[Any]]:
        if not self.id_sets:
            return f"SELECT count(*) FROM hits h WHERE {self.where(drive_from_ids=True)}", [
                *self.condition_params
            ]
        driver, others = self.driver_and_others()
        rows = f"({driver.distinct_sql}) AS s"
        if self.conditions:
            rows += " CROSS JOIN hits h ON h.id = s.id"
        sql = f"SELECT count(*) FROM {rows} WHERE {self.probes_and_conditions(others)}"
        return sql, [*driver.params, *self.probe_params(others)]


def _query(criteria: SearchCriteria) -> _Query:
    query = _Query([], [], [])
    for word in criteria.title_words:
        query.id_sets.append(_text_ids("title", word))
    if criteria.party:
        query.id_sets.append(_text_ids("party", criteria.party.strip()))
    if criteria.ipc:
        query.id_sets.append(_class_ids(criteria))
    for sql, value in _row_conditions(criteria, with_years=not criteria.ipc):
        query.conditions.append(sql)
        query.condition_params.append(value)
    return query


def _class_ids(criteria: SearchCriteria) -> _IdSet:
    """Ids with a class under the IPC prefix, filed in the years asked for.

    A bare subclass (F24F) is stored once per patent, so it is matched exactly; a longer
    prefix matches a range of symbols, of which a patent may have several.
    """
    assert criteria.ipc is not None
    params: list[Any] = [criteria.ipc]
    if len(criteria.ipc) == _SUBCLASS_LENGTH:
        match = "symbol = ?"
    else:
        match = "symbol >= ? AND symbol < ?"
        params.append(criteria.ipc + "\U0010ffff")
    if criteria.year_from:
        match += " AND filing_year >= ?"
        params.append(criteria.year_from)
    if criteria.year_to:
        match += " AND filing_year <= ?"
        params.append(criteria.year_to)
    exact = len(criteria.ipc) == _SUBCLASS_LENGTH
    sql = f"SELECT id FROM hit_class WHERE {match}"
    return _IdSet(
        sql=sql,
        params=tuple(params),
        # One symbol: a seek per id in the rank index; a range of symbols: listed once.
        probe=(
            f"EXISTS (SELECT 1 FROM hit_class WHERE {match} AND id = s.id)"
            if exact
            else f"s.id IN ({sql})"
        ),
        driver_sql=(
            f"SELECT id FROM hit_class INDEXED BY hit_class_rank WHERE {match}"
            if exact
            else f"SELECT DISTINCT id FROM ({sql})"
        ),
        streams_in_rank_order=exact,
        distinct=exact,
    )


def _row_conditions(criteria: SearchCriteria, *, with_years: bool) -> list[tuple[str, Any]]:
    conditions: list[tuple[str, Any]] = []
    if criteria.number:
        patent_id, bare = candidate_patent_ids(criteria.number)
        conditions.append(("h.patent_id = ?", patent_id) if patent_id else ("h.number = ?", bare))
    if with_years and criteria.year_from:
        conditions.append(("h.filing_year >= ?", criteria.year_from))
    if with_years and criteria.year_to:
        conditions.append(("h.filing_year <= ?", criteria.year_to))
    if criteria.doc_type:
        conditions.append(("h.doc_type = ?", criteria.doc_type))
    return conditions


def _text_ids(column: str, text: str) -> _IdSet:
    """Ids whose ``column`` contains ``text`` (any case): trigram or pairs index if possible."""
    params: tuple[Any, ...]
    if len(text) >= _FTS_MIN:
        params = (f'{column}:"' + text.replace('"', '""') + '"',)
        sql = "SELECT rowid AS id FROM hit_text WHERE hit_text MATCH ?"
    elif len(text) == 2 and _tokenizable(text):
        params = (f'{column}:"' + text.lower() + '"',)
        sql = "SELECT rowid AS id FROM hit_pairs WHERE hit_pairs MATCH ?"
    else:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params = (f"%{escaped}%",)
        sql = f"SELECT rowid AS id FROM hit_text WHERE {column} LIKE ? ESCAPE '\\'"
    return _IdSet(
        sql=sql,
        params=params,
        probe=f"s.id IN ({sql})",
        driver_sql=sql,
        streams_in_rank_order=True,
    )


def _tokenizable(text: str) -> bool:
    """Whether the unicode61 tokenizer keeps ``text`` as one token (letters and digits)."""
    return all(ch.isalnum() for ch in text)


def _order_by(sort: tuple[SortKey, ...]) -> str:
    """Nulls last, as DuckDB sorts them; (the walk-free default order is the rank, ``hits.id``)."""
    parts = []
    for key in checked_sort(sort):
        direction = "DESC" if key.descending else "ASC"
        nulls = "" if key.name == "patent_id" else f"h.{key.name} IS NULL, "
        parts.append(f"{nulls}h.{key.name} {direction}")
    return ", ".join(parts)


def _summary(row: tuple[Any, ...]) -> PatentSummary:
    summary = dict(zip(SUMMARY_COLUMNS, row, strict=True))
    for name in ("filing_date", "publication_date"):
        if summary[name] is not None:
            summary[name] = _date(summary[name])
    return PatentSummary(**summary)


def _date(text: str) -> Any:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text
