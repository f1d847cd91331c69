"""Legal term of patents: the facts the term rules read (one query for many patents),
statutory expiries, and one patent's remaining term as of a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb
import pyarrow as pa

from ipops.corpus.queries import fetch_dicts, resolve_patent_id
from ipops.corpus.store import CorpusStore
from ipops.valuation import status as st
from ipops.valuation import term
from ipops.valuation.indicator_sql import (
    YEAR_DAYS,
)


@dataclass(frozen=True)
class LegalTerm:
    patent_id: str
    status: str
    status_basis: str
    term_years: int
    term_end: date | None
    remaining_years: Decimal | None  # 0: lapsed, expired, invalidated or over; None: unknown
    expiry: term.Expiry | None = None  # how term_end was reached

    @property
    def elapsed_years(self) -> Decimal | None:
        """Years of the statutory term used up (for the cost approach's obsolescence)."""
        if self.remaining_years is None:
            return None
        return max(Decimal(self.term_years) - self.remaining_years, Decimal(0))


_TERM_FACTS_SQL = """
WITH r AS (
    SELECT patent_id, list({'relation': relation, 'office': related_office,
                            'day': related_date, 'pct': parent_pct_date}) AS related
    FROM related_documents WHERE patent_id IN (SELECT patent_id FROM term_wanted)
    GROUP BY patent_id
), c AS (
    SELECT patent_id, min(pct_filing_date) AS pct_filing_date FROM pct_data
    WHERE patent_id IN (SELECT patent_id FROM term_wanted) GROUP BY patent_id
), t AS (
    SELECT patent_id, max(adjustment_days) AS adjustment_days, bool_or(disclaimer) AS disclaimer,
           max(length_of_grant_years) AS length_of_grant_years
    FROM terms WHERE patent_id IN (SELECT patent_id FROM term_wanted) GROUP BY patent_id
)
SELECT p.patent_id, p.office, p.doc_type, p.patent_type, p.filing_date, p.grant_date,
       p.legal_status, s.status AS event_status, r.related, c.pct_filing_date,
       t.adjustment_days, t.disclaimer, t.length_of_grant_years
FROM patents p
LEFT JOIN patent_status s ON s.patent_id = p.patent_id
LEFT JOIN r ON r.patent_id = p.patent_id
LEFT JOIN c ON c.patent_id = p.patent_id
LEFT JOIN t ON t.patent_id = p.patent_id
WHERE p.patent_id IN (SELECT patent_id FROM term_wanted)"""


@dataclass(frozen=True, slots=True)
class TermRow:
    """What the term rules and the status read of one patent."""

    patent_id: str
    doc_type: str | None
    legal_status: str | None  # as reported by the source
    event_status: str | None  # derived from legal-status events (``patent_status``)
    facts: term.TermFacts


def term_rows(con: duckdb.DuckDBPyConnection, patent_ids: list[str]) -> dict[str, TermRow]:
    """Each patent's status columns and its ``TermFacts`` (one query for all)."""
    con.register("term_wanted", pa.table({"patent_id": pa.array(patent_ids, pa.string())}))
    try:
        rows = fetch_dicts(con, _TERM_FACTS_SQL)
    finally:
        con.unregister("term_wanted")
    out = {}
    for row in rows:
        related = tuple(
            term.Related(r["relation"], r["office"], r["day"], r["pct"])
            for r in (row["related"] or ())
        )
        facts = term.TermFacts(
            office=row["office"],
            patent_type=row["patent_type"],
            filing_date=row["filing_date"],
            grant_date=row["grant_date"],
            related=related,
            pct_filing_date=row["pct_filing_date"],
            adjustment_days=row["adjustment_days"],
            disclaimer=bool(row["disclaimer"]),
            length_of_grant_years=row["length_of_grant_years"],
        )
        patent_id = str(row["patent_id"])
        out[patent_id] = TermRow(
            patent_id=patent_id,
            doc_type=row["doc_type"],
            legal_status=row["legal_status"],
            event_status=row["event_status"],
            facts=facts,
        )
    return out


def expiries(con: duckdb.DuckDBPyConnection, patent_ids: list[str]) -> dict[str, term.Expiry]:
    """The statutory expiry of each patent (``term.expiry``; events not applied)."""
    return {pid: term.expiry(row.facts) for pid, row in term_rows(con, patent_ids).items()}


def legal_term(store: CorpusStore, number: str, as_of: date) -> LegalTerm:
    """One patent's remaining legal term (same rules as the ``remaining_term`` indicator)."""
    with store.connect() as con:
        patent_id = resolve_patent_id(con, number)
        row = term_rows(con, [patent_id])[patent_id]
    status, basis = st.effective_status(row.event_status, row.legal_status)
    found = term.expiry(row.facts)
    end = found.expiry
    if status == "unknown" and row.doc_type == "grant" and end is not None and end > as_of:
        basis = "presumed"  # as the indicators: a grant without status data, within its term
    remaining: Decimal | None
    if status in st.DEAD_STATUSES:
        remaining = Decimal(0)
    elif end is None:
        remaining = None
    else:
        remaining = Decimal(max((end - as_of).days, 0)) / Decimal(str(YEAR_DAYS))
    return LegalTerm(patent_id, status, basis, found.term_years, end, remaining, found)
