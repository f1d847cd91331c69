"""The corpus part of the home pages: counts, patents per filing year, top inventor
countries of the current snapshot, as one frozen record (DuckDB over the corpus views)."""

from __future__ import annotations

import duckdb

from ipops.records import Record

COUNTED = ("patents", "inventors", "parties", "citations")
TOP_COUNTRIES = 10


class CorpusCounts(Record):
    patents: int
    inventors: int
    parties: int
    citations: int


class YearCount(Record):
    year: int
    patents: int


class CountryCount(Record):
    country: str
    inventors: int


class CorpusOverview(Record):
    counts: CorpusCounts
    first_year: int | None
    last_year: int | None
    years: tuple[YearCount, ...]
    countries: tuple[CountryCount, ...]


def corpus_overview(*, con: duckdb.DuckDBPyConnection, top: int = TOP_COUNTRIES) -> CorpusOverview:
    """The overview of the corpus behind ``con`` (a cursor on the snapshot's views)."""
    counts = {table: _value(con, f"SELECT count(*) FROM {table}") for table in COUNTED}
    years = con.execute(
        "SELECT year(filing_date) AS year, count(*) AS patents FROM patents "
        "WHERE filing_date IS NOT NULL GROUP BY ALL ORDER BY year"
    ).fetchall()
    countries = con.execute(
        "SELECT country, count(*) AS inventors FROM inventors WHERE country IS NOT NULL "
        "GROUP BY country ORDER BY inventors DESC, country LIMIT ?",
        [top],
    ).fetchall()
    return CorpusOverview(
        counts=CorpusCounts(**counts),
        first_year=int(years[0][0]) if years else None,
        last_year=int(years[-1][0]) if years else None,
        years=tuple(YearCount(year=int(y), patents=int(n)) for y, n in years),
        countries=tuple(CountryCount(country=str(c), inventors=int(n)) for c, n in countries),
    )


def _value(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0
