"""What finance reads of the corpus: a patent's facts for pledging, its owners, and the
patents of a harmonised party name (for linking enterprises to their patents).

Owners are the assignees when the source names any, else the applicants (Chinese database
exports name the 专利权人 as applicants). A patent may be pledged when it is a grant in force
(by its legal-status events, else the source's status; a grant without any status data
within its term is presumed in force, as in the valuation indicators).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from ipops.corpus.events import normalize_patent_id
from ipops.corpus.queries import fetch_dicts
from ipops.corpus.store import CorpusStore
from ipops.errors import ValidationError
from ipops.names.harmonize import harmonize_name
from ipops.valuation import status as st
from ipops.valuation.legal_terms import expiries

LINK_SIMILARITY = 0.92  # Jaro-Winkler of the normalised names: above it, a candidate to review


@dataclass(frozen=True)
class PatentFacts:
    patent_id: str
    title: str
    main_ipc: str
    filing_date: date | None
    grant_date: date | None
    status: str  # in_force | lapsed | expired | invalidated | pending | unknown
    status_basis: str
    owners: tuple[str, ...]
    term_end: date | None

    @property
    def pledgeable(self) -> bool:
        return self.status == "in_force"

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def canonical_ids(numbers: Iterable[str]) -> list[str]:
    ids = []
    for number in numbers:
        try:
            ids.append(normalize_patent_id(number))
        except ValueError as exc:
            raise ValidationError(f"{number!r}: {exc}", field="patents") from None
    return ids


_FACTS_SQL = """
WITH wanted AS (SELECT DISTINCT patent_id FROM fin_wanted),
main AS (
    SELECT patent_id,
           min_by(symbol, CASE WHEN is_main THEN 0 ELSE 1 END * 1000000 + coalesce(sequence, 0))
               AS main_ipc
    FROM classifications
    WHERE scheme IN ('IPC', 'CPC') AND patent_id IN (SELECT patent_id FROM wanted)
    GROUP BY patent_id
),
owners AS (
    SELECT patent_id,
           list(DISTINCT name ORDER BY name) FILTER (WHERE role = 'assignee') AS assignees,
           list(DISTINCT name ORDER BY name) FILTER (WHERE role = 'applicant') AS applicants
    FROM parties
    WHERE patent_id IN (SELECT patent_id FROM wanted)
    GROUP BY patent_id
)
SELECT p.patent_id, p.title, p.office, p.doc_type, p.patent_type, p.filing_date,
       p.grant_date, p.legal_status, s.status AS event_status, m.main_ipc, o.assignees,
       o.applicants
FROM patents p
JOIN wanted w ON w.patent_id = p.patent_id
LEFT JOIN patent_status s ON s.patent_id = p.patent_id
LEFT JOIN main m ON m.patent_id = p.patent_id
LEFT JOIN owners o ON o.patent_id = p.patent_id"""


def patent_facts(store: CorpusStore, patent_ids: Iterable[str]) -> dict[str, PatentFacts]:
    """Facts of the given patents that are in the corpus (missing ones are left out)."""
    wanted = sorted(set(patent_ids))
    if not wanted:
        return {}
    with store.connect() as con:
        con.register("fin_wanted", pa.table({"patent_id": pa.array(wanted, pa.string())}))
        rows = fetch_dicts(con, _FACTS_SQL)
        ends = {pid: e.expiry for pid, e in expiries(con, [r["patent_id"] for r in rows]).items()}
    return {row["patent_id"]: _facts(row, ends.get(row["patent_id"])) for row in rows}


def _facts(row: dict[str, Any], end: date | None) -> PatentFacts:
    """The patent's facts; ``end``: its statutory expiry (``valuation.term``)."""
    status, basis = st.effective_status(row["event_status"], row["legal_status"])
    if status == "unknown" and row["doc_type"] == "grant" and end and end > date.today():
        status, basis = "in_force", "presumed"
    owners = tuple(row["assignees"] or row["applicants"] or ())
    return PatentFacts(
        patent_id=row["patent_id"],
        title=row["title"] or "",
        main_ipc=row["main_ipc"] or "",
        filing_date=row["filing_date"],
        grant_date=row["grant_date"],
        status=status,
        status_basis=basis,
        owners=owners,
        term_end=end,
    )


@dataclass(frozen=True)
class Candidate:
    patent_id: str
    party_name: str
    exact: bool
    similarity: float


def candidates_for(con: duckdb.DuckDBPyConnection, name: str) -> list[Candidate]:
    """Patents whose applicant or assignee is the enterprise: same harmonised entity
    (exact), or a normalised name similar enough to review."""
    normalized, entity_id = harmonize_name(name)
    rows = fetch_dicts(
        con,
        """
SELECT patent_id, min(name) AS party_name, bool_or(entity_id = ?) AS exact,
       max(jaro_winkler_similarity(name_normalized, ?)) AS similarity
FROM parties
WHERE role IN ('applicant', 'assignee') AND party_type IS DISTINCT FROM 'individual'
  AND (entity_id = ? OR jaro_winkler_similarity(name_normalized, ?) >= ?)
GROUP BY patent_id ORDER BY patent_id""",
        [entity_id, normalized, entity_id, normalized, LINK_SIMILARITY],
    )
    return [
        Candidate(r["patent_id"], r["party_name"], bool(r["exact"]), float(r["similarity"]))
        for r in rows
    ]


def same_owner(a: str, b: str) -> bool:
    return harmonize_name(a)[1] == harmonize_name(b)[1]
