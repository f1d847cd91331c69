"""The heavy part, written once: per-place, per-year aggregation and per-year collaboration.

Every query here is plain SQL in the dialect DuckDB and Spark SQL share, over two inputs
given as sub-queries:

* ``docs(doc_id, year)``: the documents counted (patents by filing year, or papers by
  publication year), already restricted to a scope and a year range;
* ``people(doc_id, latitude, longitude, country)``: their inventors (or authors), located
  or not.

The place aggregation returns **integer** counts of person records per (latitude,
longitude, country, year, team size); the fractional weight of a place, the sum over its
records of 1 / team size, is computed from those integers afterwards (``weights``), so the
two engines give identical aggregates to the last bit, whatever order they sum in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ipops.geo.engines import QueryEngine, checked_identifier

HOT_PLACES = "_geo_hot_places"
PLACE_CLUSTERS = "_geo_place_clusters"
PLACE_KEY_SCHEMA = pa.schema([("latitude", pa.float64()), ("longitude", pa.float64())])
PLACE_CLUSTER_SCHEMA = pa.schema(
    [("latitude", pa.float64()), ("longitude", pa.float64()), ("cluster", pa.int64())]
)


@dataclass(frozen=True)
class Source:
    """Where the documents and their people come from, as SQL sub-queries."""

    kind: str  # patents | publications
    docs_sql: str
    people_sql: str


def patent_source(*, scope: str | None = None, years: tuple[int, int] | None = None) -> Source:
    where = []
    if scope is not None:
        table = checked_identifier(scope, field="scope")
        where.append(f"p.patent_id IN (SELECT patent_id FROM {table})")
    docs = (
        "SELECT p.patent_id AS doc_id, "
        "year(coalesce(p.filing_date, p.priority_date, p.publication_date)) AS year "
        "FROM patents p" + (" WHERE " + " AND ".join(where) if where else "")
    )
    people = "SELECT i.patent_id AS doc_id, i.latitude, i.longitude, i.country FROM inventors i"
    return Source("patents", _within_years(docs, years), people)


def publication_source(
    *, papers: str = "publications", authors: str = "publication_authors",
    years: tuple[int, int] | None = None,
) -> Source:  # fmt: skip
    docs = f"SELECT pmid AS doc_id, year FROM {checked_identifier(papers, field='papers')}"
    people = (
        "SELECT pmid AS doc_id, latitude, longitude, country "
        f"FROM {checked_identifier(authors, field='authors')}"
    )
    return Source("publications", _within_years(docs, years), people)


def _within_years(docs: str, years: tuple[int, int] | None) -> str:
    if years is None:
        return docs
    first, last = int(years[0]), int(years[1])
    return f"SELECT * FROM ({docs}) y WHERE y.year BETWEEN {first} AND {last}"


def _scoped(source: Source) -> str:
    return (
        f"WITH docs AS ({source.docs_sql}),\n"
        f"people AS (SELECT x.* FROM ({source.people_sql}) x "
        "WHERE x.doc_id IN (SELECT doc_id FROM docs)),\n"
        "team AS (SELECT doc_id, count(*) AS team_size FROM people GROUP BY doc_id)\n"
    )


def place_year_sql(source: Source) -> str:
    """Integer person-record counts per place, country, year and team size."""
    return _scoped(source) + (
        "SELECT p.latitude, p.longitude, p.country, d.year, "
        "CAST(t.team_size AS BIGINT) AS team_size, CAST(count(*) AS BIGINT) AS records\n"
        "FROM people p JOIN docs d ON d.doc_id = p.doc_id JOIN team t ON t.doc_id = p.doc_id\n"
        "GROUP BY p.latitude, p.longitude, p.country, d.year, t.team_size"
    )


def collaboration_sql(source: Source) -> str:
    """Per year: documents, with people, teams, international, international in hotspots."""
    return (
        f"WITH docs AS ({source.docs_sql}),\n"
        f"people AS ({source.people_sql}),\n"
        "facts AS (\n"
        "  SELECT d.doc_id, d.year, count(p.doc_id) AS people,\n"
        "    count(DISTINCT p.country) AS countries,\n"
        "    sum(CASE WHEN p.latitude IS NOT NULL AND p.longitude IS NOT NULL "
        "THEN 1 ELSE 0 END) AS located,\n"
        "    max(CASE WHEN h.latitude IS NOT NULL THEN 1 ELSE 0 END) AS hot\n"
        "  FROM docs d LEFT JOIN people p ON p.doc_id = d.doc_id\n"
        f"  LEFT JOIN {HOT_PLACES} h ON h.latitude = p.latitude AND h.longitude = p.longitude\n"
        "  GROUP BY d.doc_id, d.year)\n"
        "SELECT year, CAST(count(*) AS BIGINT) AS docs,\n"
        "  CAST(sum(CASE WHEN people >= 1 THEN 1 ELSE 0 END) AS BIGINT) AS with_people,\n"
        "  CAST(sum(CASE WHEN people >= 2 THEN 1 ELSE 0 END) AS BIGINT) AS teams,\n"
        "  CAST(sum(CASE WHEN countries >= 1 THEN 1 ELSE 0 END) AS BIGINT) AS with_country,\n"
        "  CAST(sum(CASE WHEN countries >= 2 THEN 1 ELSE 0 END) AS BIGINT) AS international,\n"
        "  CAST(sum(CASE WHEN countries >= 2 AND hot = 1 THEN 1 ELSE 0 END) AS BIGINT)"
        " AS international_hot,\n"
        "  CAST(sum(CASE WHEN located = 0 THEN 1 ELSE 0 END) AS BIGINT) AS unlocated\n"
        "FROM facts GROUP BY year ORDER BY year"
    )


def doc_totals_sql(source: Source) -> str:
    """Documents, those with people, those without any located person (for the totals)."""
    return (
        f"WITH docs AS ({source.docs_sql}),\n"
        f"people AS ({source.people_sql}),\n"
        "per_doc AS (SELECT doc_id, max(CASE WHEN latitude IS NOT NULL AND longitude IS NOT NULL "
        "THEN 1 ELSE 0 END) AS located FROM people GROUP BY doc_id)\n"
        "SELECT CAST(count(*) AS BIGINT) AS docs, CAST(count(p.doc_id) AS BIGINT) AS with_people,\n"
        "  CAST(sum(CASE WHEN p.located = 1 THEN 0 ELSE 1 END) AS BIGINT) AS unlocated\n"
        "FROM docs d LEFT JOIN per_doc p ON p.doc_id = d.doc_id"
    )


def doc_totals(engine: QueryEngine, source: Source) -> tuple[int, int, int]:
    row = engine.arrow(doc_totals_sql(source)).to_pylist()[0]
    return int(row["docs"] or 0), int(row["with_people"] or 0), int(row["unlocated"] or 0)


def cluster_parties_sql(source: Source) -> str:
    """Per cluster, party and team size: inventor records (integers; weights in Python)."""
    return _member_records(source) + (
        "SELECT m.cluster, r.party AS name, m.team_size, CAST(1 AS BIGINT) AS spread,\n"
        "  CAST(sum(m.k) AS BIGINT) AS records FROM member m JOIN (\n"
        "  SELECT DISTINCT patent_id, coalesce(name_normalized, name) AS party FROM parties\n"
        "  WHERE role IN ('applicant', 'assignee') AND name IS NOT NULL) r\n"
        "ON r.patent_id = m.doc_id GROUP BY m.cluster, r.party, m.team_size"
    )


def cluster_subclasses_sql(source: Source) -> str:
    """Per cluster, IPC/CPC subclass, team size and number of the patent's subclasses:
    inventor records (each patent's weight is split over its subclasses)."""
    return _member_records(source) + (
        ", subclasses AS (SELECT DISTINCT patent_id, subclass FROM classifications\n"
        "  WHERE scheme IN ('IPC', 'CPC') AND subclass IS NOT NULL),\n"
        "spread AS (SELECT patent_id, count(*) AS n FROM subclasses GROUP BY patent_id)\n"
        "SELECT m.cluster, s.subclass AS name, m.team_size, CAST(n.n AS BIGINT) AS spread,\n"
        "  CAST(sum(m.k) AS BIGINT) AS records\n"
        "FROM member m JOIN subclasses s ON s.patent_id = m.doc_id\n"
        "JOIN spread n ON n.patent_id = m.doc_id GROUP BY m.cluster, s.subclass, m.team_size, n.n"
    )


def _member_records(source: Source) -> str:
    """Per patent and cluster: its team size and how many of its inventors are there."""
    return _scoped(source) + (
        ", member AS (SELECT p.doc_id, c.cluster, t.team_size, count(*) AS k\n"
        f"  FROM people p JOIN {PLACE_CLUSTERS} c "
        "ON c.latitude = p.latitude AND c.longitude = p.longitude\n"
        "  JOIN team t ON t.doc_id = p.doc_id GROUP BY p.doc_id, c.cluster, t.team_size)\n"
    )


def profile_weights(engine: QueryEngine, sql: str) -> dict[int, dict[str, float]]:
    """cluster -> name -> weight, summed in a fixed order (the same on every engine)."""
    rows = sorted(
        (int(r["cluster"]), str(r["name"]), int(r["team_size"]), int(r["spread"]),
         int(r["records"]))
        for r in engine.arrow(sql).to_pylist()
    )  # fmt: skip
    result: dict[int, dict[str, float]] = {}
    for cluster, name, team, spread, records in rows:
        names = result.setdefault(cluster, {})
        names[name] = names.get(name, 0.0) + records / (team * spread)
    return result


# ------------------------------------------------------------------ running


def place_years(engine: QueryEngine, source: Source) -> pa.Table:
    """The aggregation, sorted so that every engine hands back the same table."""
    table = engine.arrow(place_year_sql(source))
    return _canonical_place_years(table)


def _canonical_place_years(table: pa.Table) -> pa.Table:
    table = table.cast(
        pa.schema(
            [
                ("latitude", pa.float64()),
                ("longitude", pa.float64()),
                ("country", pa.string()),
                ("year", pa.int64()),
                ("team_size", pa.int64()),
                ("records", pa.int64()),
            ]
        )
    )
    keys = ["latitude", "longitude", "country", "year", "team_size"]
    return table.sort_by([(k, "ascending") for k in keys])


def collaboration_counts(
    engine: QueryEngine, source: Source, hot_places: pa.Table | None = None
) -> pa.Table:
    hot = hot_places if hot_places is not None else PLACE_KEY_SCHEMA.empty_table()
    engine.register(HOT_PLACES, _distinct_places(hot))
    table = engine.arrow(collaboration_sql(source))
    columns = [
        "docs", "with_people", "teams", "with_country", "international",
        "international_hot", "unlocated",
    ]  # fmt: skip
    schema = pa.schema([("year", pa.int64()), *((c, pa.int64()) for c in columns)])
    return table.select(schema.names).cast(schema).sort_by([("year", "ascending")])


def _distinct_places(places: pa.Table) -> pa.Table:
    keys = places.select(["latitude", "longitude"]).cast(PLACE_KEY_SCHEMA)
    return keys.group_by(["latitude", "longitude"]).aggregate([])


def weights(table: pa.Table) -> np.ndarray:
    """Fractional weight of each aggregated row: records / team size (exact inputs)."""
    records = table["records"].to_numpy(zero_copy_only=False).astype(np.float64)
    team = table["team_size"].to_numpy(zero_copy_only=False).astype(np.float64)
    result: np.ndarray = records / team
    return result


def located(table: pa.Table) -> pa.Table:
    mask = pc.and_(pc.is_valid(table["latitude"]), pc.is_valid(table["longitude"]))
    return table.filter(mask)
