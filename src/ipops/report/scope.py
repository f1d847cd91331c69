"""The patents a report covers, as DuckDB temp tables every section reads.

* ``report_scope``: every matching patent (``patent_id``, ``family_key``, dates, office).
* ``report_families``: one row per simple family, counted once: ``patent_id`` is the member
  published first (ties: the smallest id), ``filing_year`` and ``publication_year`` the
  family's first. Without family data a patent is its own family.
* ``report_owners``: the owners of each matched patent, one row per (patent, harmonised
  entity): the assignees where the patent names any, else its applicants.
* ``report_entities``: per owner entity, its display name (most frequent spelling),
  country and applicant type (company, university, research, individual).

User text reaches DuckDB only as bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from ipops.corpus.queries import fetch_value
from ipops.report.query import ReportQuery
from ipops.valuation.indicators import data_cutoff

SCOPE = "report_scope"
FAMILIES = "report_families"
OWNERS = "report_owners"
ENTITIES = "report_entities"

# Applicant types, tried in this order on the lower-cased name (organisations only):
# "中国科学院" holds "学院" and "Institute of Technology" holds "institut", hence three tiers.
APPLICANT_TYPES: tuple[tuple[str, str], ...] = (
    ("university", r"大学|univ|college|hochschule|polytechnic|institute of technology"),
    (
        "research",
        r"科学院|研究院|研究所|研究中心|实验室|research|institut|laborator|academy|fraunhofer"
        r"|\bcnrs\b|\bcsir\b",
    ),
    ("university", r"学院|school"),
)


@dataclass(frozen=True)
class ScopeCounts:
    patents: int
    families: int


def build_scope(con: duckdb.DuckDBPyConnection, query: ReportQuery) -> ScopeCounts:
    """Create the temp tables for ``query``; return how many patents and families match."""
    where, params = where_sql(query)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {SCOPE} AS
        SELECT p.patent_id,
               coalesce(nullif(trim(p.family_id), ''), p.patent_id) AS family_key,
               p.office, p.filing_date, p.publication_date
        FROM patents p WHERE {where}""",
        params,
    ).fetchall()
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {FAMILIES} AS
        SELECT family_key,
               arg_min(patent_id, (coalesce(publication_date, DATE '9999-12-31'), patent_id))
                   AS patent_id,
               CAST(min(year(filing_date)) AS INTEGER) AS filing_year,
               CAST(min(year(publication_date)) AS INTEGER) AS publication_year,
               CAST(count(*) AS INTEGER) AS members
        FROM {SCOPE} GROUP BY family_key"""
    ).fetchall()
    _build_owners(con)
    patents = int(fetch_value(con, f"SELECT count(*) FROM {SCOPE}") or 0)
    families = int(fetch_value(con, f"SELECT count(*) FROM {FAMILIES}") or 0)
    return ScopeCounts(patents, families)


def where_sql(query: ReportQuery) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query.ipc:
        tests = " OR ".join("starts_with(c.symbol, ?) OR c.subclass = ?" for _ in query.ipc)
        clauses.append(
            "p.patent_id IN (SELECT c.patent_id FROM classifications c "
            f"WHERE c.scheme IN ('IPC', 'CPC') AND ({tests}))"
        )
        for prefix in query.ipc:
            params += [prefix, prefix]
    for word in query.words:
        clauses.append(
            "(p.title ILIKE ? ESCAPE '\\' OR coalesce(p.abstract, '') ILIKE ? ESCAPE '\\')"
        )
        params += [contains(word), contains(word)]
    if query.parties:
        tests = " OR ".join(
            "x.name ILIKE ? ESCAPE '\\' OR x.name_normalized ILIKE ? ESCAPE '\\'"
            for _ in query.parties
        )
        clauses.append(f"p.patent_id IN (SELECT x.patent_id FROM parties x WHERE {tests})")
        for party in query.parties:
            params += [contains(party), contains(party)]
    if query.year_from:
        clauses.append("p.filing_date >= make_date(?, 1, 1)")
        params.append(query.year_from)
    if query.year_to:
        clauses.append("p.filing_date < make_date(?, 1, 1)")
        params.append(query.year_to + 1)
    return (" AND ".join(clauses) if clauses else "TRUE"), params


def contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def applicant_type_sql(name: str, party_type: str) -> str:
    """SQL CASE giving ``individual``, ``university``, ``research`` or ``company``."""
    whens = " ".join(
        f"WHEN regexp_matches(lower({name}), '{pattern}') THEN '{kind}'"
        for kind, pattern in APPLICANT_TYPES
    )
    return f"CASE WHEN {party_type} = 'individual' THEN 'individual' {whens} ELSE 'company' END"


def owners_sql(patents: str) -> str:
    """Owners (one row per patent and entity) of the patents in relation ``patents``."""
    return f"""
WITH rows AS (
    SELECT x.patent_id, x.role, x.name, x.party_type, x.country,
           coalesce(x.entity_id, 'N:' || coalesce(x.name_normalized, lower(x.name))) AS entity
    FROM parties x SEMI JOIN {patents} s ON s.patent_id = x.patent_id
    WHERE x.name IS NOT NULL AND trim(x.name) <> ''
), assigned AS (
    SELECT DISTINCT patent_id FROM rows WHERE role = 'assignee'
)
SELECT patent_id, entity,
       min(name) AS name, min(party_type) AS party_type, min(country) AS country
FROM rows
WHERE role = 'assignee' OR patent_id NOT IN (SELECT patent_id FROM assigned)
GROUP BY patent_id, entity"""


def _build_owners(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {OWNERS} AS {owners_sql(SCOPE)}").fetchall()
    con.execute(f"CREATE OR REPLACE TEMP TABLE {ENTITIES} AS {entity_names_sql()}").fetchall()


def entity_names_sql(owners: str = OWNERS) -> str:
    """One display name per entity: its most frequent spelling (ties: the first in order)."""
    return f"""
SELECT entity, arg_max(name, (n, name_rank)) AS name,
       arg_max(country, (n, name_rank)) AS country,
       arg_max(kind, (n, name_rank)) AS kind
FROM (
    SELECT entity, name, country, {applicant_type_sql("name", "party_type")} AS kind,
           count(*) AS n, -rank() OVER (PARTITION BY entity ORDER BY name) AS name_rank
    FROM {owners} GROUP BY entity, name, country, party_type
)
GROUP BY entity"""


def has_relation(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the corpus connection has a view or table ``name`` (a table never loaded
    has no view)."""
    found = fetch_value(
        con,
        "SELECT count(*) FROM duckdb_views() WHERE view_name = ? AND NOT internal",
        [name],
    )
    if found:
        return True
    return bool(
        fetch_value(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name])
    )


def data_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The latest date in the corpus (publications, grants, events): what "now" is for it.

    The same cut-off the valuation defaults to (``valuation.indicators.data_cutoff``), so a
    report and the value pages agree on the date.
    """
    return data_cutoff(con)
