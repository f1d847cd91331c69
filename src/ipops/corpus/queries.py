"""Read the corpus: statistics, one patent in full, read-only SQL."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import duckdb

from ipops.corpus.lookup_records import (
    ApplicationRow,
    CitationMade,
    CitationReceived,
    ClassificationRow,
    CorpusStatistics,
    CorpusYears,
    EventRow,
    GeocodedInventors,
    InventorCountry,
    InventorRow,
    OfficeCount,
    PartyRow,
    PatentRecord,
    PatentRow,
    PatentStatus,
    TopParty,
)
from ipops.corpus.schema import TABLE_NAMES
from ipops.corpus.store import ensure_read_only
from ipops.errors import NotFound, ValidationError

_NUMBER = re.compile(
    r"^(?P<office>[A-Z]{2})?(?P<prefix>D|PP|RE|H|T|RX|AI)?(?P<digits>\d+)(?P<kind>[A-Z]\d?)?$"
)


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    """All rows of a query as dicts (drains the result, as DuckDB 2 requires)."""
    result = con.execute(sql, params or [])
    names = [d[0] for d in result.description or []]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def fetch_value(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def corpus_stats(
    con: duckdb.DuckDBPyConnection, *, snapshot_id: str, top: int = 10
) -> CorpusStatistics:
    """The statistics of the corpus ``con`` reads, which is snapshot ``snapshot_id``."""
    counts = {t: int(fetch_value(con, f"SELECT count(*) FROM {t}")) for t in TABLE_NAMES}
    years = fetch_dicts(
        con,
        "SELECT min(year(filing_date)) AS first_filing_year, "
        "max(year(filing_date)) AS last_filing_year, "
        "min(year(publication_date)) AS first_publication_year, "
        "max(year(publication_date)) AS last_publication_year FROM patents",
    )[0]
    by_office = fetch_dicts(
        con,
        "SELECT office, doc_type, count(*) AS patents FROM patents "
        "GROUP BY ALL ORDER BY patents DESC, office, doc_type",
    )
    countries = fetch_dicts(
        con,
        "SELECT country, count(*) AS inventors, count(DISTINCT patent_id) AS patents "
        "FROM inventors WHERE country IS NOT NULL "
        "GROUP BY country ORDER BY inventors DESC, country LIMIT ?",
        [top],
    )
    parties = fetch_dicts(
        con,
        "SELECT entity_id, mode(name) AS name, count(DISTINCT patent_id) AS patents "
        "FROM parties WHERE entity_id IS NOT NULL "
        "GROUP BY entity_id ORDER BY patents DESC, name LIMIT ?",
        [top],
    )
    located = fetch_dicts(
        con,
        "SELECT coalesce(geo_source, 'unlocated') AS geo_source, count(*) AS inventors "
        "FROM inventors GROUP BY ALL ORDER BY inventors DESC",
    )
    return CorpusStatistics(
        counts=counts,
        years=CorpusYears(**years),
        by_office=[OfficeCount(**row) for row in by_office],
        generated_patents=int(fetch_value(con, "SELECT count(*) FROM patents WHERE generated")),
        top_inventor_countries=[InventorCountry(**row) for row in countries],
        top_parties=[TopParty(**row) for row in parties],
        geocoded_inventors=[GeocodedInventors(**row) for row in located],
        snapshot_id=snapshot_id,
    )


def candidate_patent_ids(number: str) -> tuple[str | None, str]:
    """Canonical ``patent_id`` (when the office is given) and the bare number of ``number``.

    Accepts "US7654321B2", "US 7,654,321 B2", "7654321", "USD512345S", "CN102345678A".
    """
    cleaned = re.sub(r"[\s,./-]", "", number.upper())
    match = _NUMBER.match(cleaned)
    if not match:
        raise ValidationError(f"{number!r} is not a patent or publication number", field="number")
    bare = (match["prefix"] or "") + match["digits"].lstrip("0")
    office = match["office"]
    return (office + bare if office else None), bare


def show_patent(con: duckdb.DuckDBPyConnection, number: str) -> PatentRecord:
    """One patent in full, by its publication or patent number."""
    patent_id = resolve_patent_id(con, number)
    one = [patent_id]

    def rows(sql: str) -> list[dict[str, Any]]:
        return fetch_dicts(con, sql, one)

    status = rows("SELECT * FROM patent_status WHERE patent_id = ?")
    return PatentRecord(
        patent=PatentRow(**rows("SELECT * FROM patents WHERE patent_id = ?")[0]),
        applications=[
            ApplicationRow(**row) for row in rows("SELECT * FROM applications WHERE patent_id = ?")
        ],
        parties=[
            PartyRow(**row)
            for row in rows("SELECT * FROM parties WHERE patent_id = ? ORDER BY role, sequence")
        ],
        inventors=[
            InventorRow(**row)
            for row in rows("SELECT * FROM inventors WHERE patent_id = ? ORDER BY sequence")
        ],
        classifications=[
            ClassificationRow(**row)
            for row in rows(
                "SELECT * FROM classifications WHERE patent_id = ? ORDER BY scheme, sequence"
            )
        ],
        citations_made=[
            CitationMade(**row)
            for row in rows(
                "SELECT c.*, p.title AS cited_title FROM citations c "
                "LEFT JOIN patents p ON p.patent_id = c.cited_patent_id "
                "WHERE c.patent_id = ? ORDER BY c.sequence"
            )
        ],
        citations_received=[
            CitationReceived(**row)
            for row in rows(
                "SELECT c.patent_id AS citing_patent_id, p.title AS citing_title, "
                "p.publication_date AS citing_publication_date, c.cited_by FROM citations c "
                "LEFT JOIN patents p ON p.patent_id = c.patent_id "
                "WHERE c.cited_patent_id = ? ORDER BY c.patent_id"
            )
        ],
        events=[
            EventRow(**row)
            for row in rows("SELECT * FROM events WHERE patent_id = ? ORDER BY event_date")
        ],
        status=PatentStatus(**status[0]) if status else None,
    )


def resolve_patent_id(con: duckdb.DuckDBPyConnection, number: str) -> str:
    """The ``patent_id`` of a printed number; NotFound naming the number otherwise."""
    patent_id, bare = candidate_patent_ids(number)
    if patent_id is not None:
        found = fetch_value(con, "SELECT patent_id FROM patents WHERE patent_id = ?", [patent_id])
    else:
        matches = [
            r["patent_id"]
            for r in fetch_dicts(
                con, "SELECT patent_id FROM patents WHERE number = ? ORDER BY patent_id", [bare]
            )
        ]
        if len(matches) > 1:
            raise ValidationError(
                f"{number!r} matches several patents ({', '.join(matches)}); add the office "
                "code, e.g. US or CN",
                field="number",
            )
        found = matches[0] if matches else None
    if found is None:
        raise NotFound(f"no patent {number!r} in the corpus{_suggestion(con)}", field="number")
    return str(found)


def _suggestion(con: duckdb.DuckDBPyConnection) -> str:
    """A few numbers that do exist (granted ones first), so the next try can succeed."""
    try:
        rows = fetch_dicts(
            con,
            "SELECT patent_id FROM patents ORDER BY grant_date IS NULL, patent_id LIMIT 3",
            [],
        )
    except duckdb.Error:  # an empty workspace has no views yet
        rows = []
    if not rows:
        return " (the corpus is empty: load data with `ipops corpus ingest` or `ipops demo`)"
    return "; numbers that exist: " + ", ".join(str(r["patent_id"]) for r in rows)


def run_query(
    con: duckdb.DuckDBPyConnection, sql: str, *, limit: int | None = 1000
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of a read-only query (at most ``limit`` rows)."""
    ensure_read_only(sql)
    try:
        result = con.execute(sql)
        columns = [d[0] for d in result.description or []]
        rows = result.fetchmany(limit) if limit else result.fetchall()
        if limit and len(rows) == limit:
            con.abort()  # the rest is not wanted; free the connection
    except duckdb.PermissionException as exc:
        reason = str(exc).splitlines()[0]
        message = f"only the corpus views can be read, not files or the network ({reason})"
        raise ValidationError(message, field="sql") from exc
    except duckdb.Error as exc:
        raise ValidationError(str(exc).splitlines()[0], field="sql") from exc
    return columns, rows


def jsonable(value: Any) -> Any:
    """Dates as ISO text, everything else as it is (for --json output)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def generated_notice(con: duckdb.DuckDBPyConnection) -> str | None:
    """A one-line warning when the corpus holds generated (synthetic) patents, else None."""
    row = con.execute("SELECT count(*) FILTER (WHERE generated), count(*) FROM patents").fetchone()
    return describe_generated(*(row if row is not None else (0, 0)))


def describe_generated(generated: int, total: int) -> str | None:
    """``generated data: 2,000 of 2,421 patents are generated …``; None without any."""
    if not generated:
        return None
    share = f"all {total:,}" if generated == total else f"{generated:,} of {total:,}"
    return f"generated data: {share} patents are generated (synthetic), not real records"
