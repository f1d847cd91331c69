"""Search the corpus: criteria to parameterised SQL over the DuckDB views, one page at a time.

User text only ever reaches DuckDB as bound parameters; the SQL text is built from fixed
fragments and whitelisted sort columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import duckdb

from ipops.corpus.lookup_records import PatentSummary
from ipops.corpus.queries import candidate_patent_ids, fetch_dicts, fetch_value
from ipops.errors import ValidationError
from ipops.paging import Page, SortKey

DOC_TYPES = ("grant", "application")
SORTABLE = ("publication_date", "filing_date", "title", "patent_id")
DEFAULT_SORT = (SortKey("publication_date", descending=True),)
MAX_TITLE_WORDS = 10
_IPC = re.compile(r"^[A-H](\d{2}([A-Z](\d{1,4}(/\d{0,6})?)?)?)?$")


@dataclass(frozen=True)
class SearchCriteria:
    number: str | None = None
    title_words: tuple[str, ...] = ()
    party: str | None = None
    ipc: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    doc_type: str | None = None

    def __post_init__(self) -> None:
        if self.year_from and self.year_to and self.year_from > self.year_to:
            raise ValidationError("must not be before year_from", field="year_to")
        if self.doc_type is not None and self.doc_type not in DOC_TYPES:
            raise ValidationError(f"must be one of {', '.join(DOC_TYPES)}", field="doc_type")
        if len(self.title_words) > MAX_TITLE_WORDS:
            raise ValidationError(f"at most {MAX_TITLE_WORDS} words", field="q")

    @classmethod
    def from_query(
        cls,
        *,
        number: str | None = None,
        q: str | None = None,
        party: str | None = None,
        ipc: str | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        doc_type: str | None = None,
    ) -> SearchCriteria:
        """Criteria from the raw text of a search form or query string (blank means unset)."""
        return cls(
            number=_blank_to_none(number),
            title_words=tuple(q.split()) if q else (),
            party=_blank_to_none(party),
            ipc=normalize_ipc(ipc) if ipc and ipc.strip() else None,
            year_from=year_from,
            year_to=year_to,
            doc_type=_blank_to_none(doc_type),
        )


@dataclass
class _Where:
    clauses: list[str]
    params: list[Any]

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "TRUE"


def normalize_ipc(text: str) -> str:
    """``"f24f11/30"`` or ``"F24F 11/30"`` as the stored form ``"F24F 11/30"``; a prefix
    such as ``"F24"`` stays a prefix."""
    compact = re.sub(r"\s+", "", text.upper())
    if not _IPC.match(compact):
        raise ValidationError(
            f"{text!r} is not an IPC symbol or prefix (e.g. F24F, F24F 11, F24F 11/30)",
            field="ipc",
        )
    return compact if len(compact) <= 4 else f"{compact[:4]} {compact[4:]}"


def search_patents(
    con: duckdb.DuckDBPyConnection, criteria: SearchCriteria, page: Page
) -> tuple[list[PatentSummary], int]:
    """One page of matching patents (summary rows) and the number of all matches."""
    where = _where(criteria)
    total = int(
        fetch_value(con, f"SELECT count(*) FROM patents p WHERE {where.sql()}", where.params)
    )
    if total == 0 or page.offset >= total:
        return [], total
    sort = page.sort or DEFAULT_SORT
    sql = f"""
        WITH hits AS MATERIALIZED (
            SELECT p.patent_id, p.office, p.kind, p.doc_type, p.title,
                   p.filing_date, p.publication_date
            FROM patents p WHERE {where.sql()}
            ORDER BY {_order_by(sort, "p")} LIMIT ? OFFSET ?
        ),
        applicants AS (
            SELECT x.patent_id,
                   arg_min(x.name, (CASE WHEN x.role = 'applicant' THEN 0 ELSE 1 END) * 100000
                                   + coalesce(x.sequence, 99999)) AS first_applicant
            FROM parties x SEMI JOIN hits h ON x.patent_id = h.patent_id
            GROUP BY x.patent_id
        ),
        main_ipc AS (
            SELECT c.patent_id,
                   arg_min(c.symbol, (CASE WHEN c.is_main THEN 0 ELSE 1 END) * 100000
                                     + coalesce(c.sequence, 99999)) AS main_ipc
            FROM classifications c SEMI JOIN hits h ON c.patent_id = h.patent_id
            WHERE c.scheme = 'IPC'
            GROUP BY c.patent_id
        )
        SELECT h.*, a.first_applicant, i.main_ipc
        FROM hits h
        LEFT JOIN applicants a ON a.patent_id = h.patent_id
        LEFT JOIN main_ipc i ON i.patent_id = h.patent_id
        ORDER BY {_order_by(sort, "h")}
    """
    rows = fetch_dicts(con, sql, [*where.params, page.size, page.offset])
    return [PatentSummary(**row) for row in rows], total


def _where(criteria: SearchCriteria) -> _Where:
    where = _Where([], [])
    if criteria.number:
        patent_id, bare = candidate_patent_ids(criteria.number)
        if patent_id:
            where.add("p.patent_id = ?", patent_id)
        else:
            where.add("p.number = ?", bare)
    for word in criteria.title_words:
        where.add("p.title ILIKE ? ESCAPE '\\'", _contains(word))
    if criteria.party:
        pattern = _contains(criteria.party.strip())
        where.add(
            "EXISTS (SELECT 1 FROM parties x WHERE x.patent_id = p.patent_id "
            "AND (x.name ILIKE ? ESCAPE '\\' OR x.name_normalized ILIKE ? ESCAPE '\\'))",
            pattern,
            pattern,
        )
    if criteria.ipc:
        where.add(
            "EXISTS (SELECT 1 FROM classifications c WHERE c.patent_id = p.patent_id "
            "AND c.scheme IN ('IPC', 'CPC') "
            "AND (starts_with(c.symbol, ?) OR starts_with(c.subclass, ?)))",
            criteria.ipc,
            criteria.ipc,
        )
    if criteria.year_from:
        where.add("p.filing_date >= make_date(?, 1, 1)", criteria.year_from)
    if criteria.year_to:
        where.add("p.filing_date < make_date(?, 1, 1)", criteria.year_to + 1)
    if criteria.doc_type:
        where.add("p.doc_type = ?", criteria.doc_type)
    return where


def checked_sort(sort: tuple[SortKey, ...]) -> tuple[SortKey, ...]:
    """The sort keys, each allowed, ending with ``patent_id`` so that pages are stable."""
    for key in sort:
        if key.name not in SORTABLE:
            raise ValidationError(f"cannot sort by {key.name!r}", field="sort")
    if any(key.name == "patent_id" for key in sort):
        return sort
    return (*sort, SortKey("patent_id"))


def _order_by(sort: tuple[SortKey, ...], alias: str) -> str:
    return ", ".join(
        f"{alias}.{key.name} {'DESC' if key.descending else 'ASC'} NULLS LAST"
        for key in checked_sort(sort)
    )


def _contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _blank_to_none(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None
