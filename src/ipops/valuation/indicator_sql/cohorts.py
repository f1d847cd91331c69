"""Indicator steps that assemble and rank: document kinds, cohort cells, the raw
indicators table, each cohort's value counts and the final indicators table."""

from __future__ import annotations

from ipops.valuation.catalogue import BY_NAME, PERCENTILE_NAMES, pct_column
from ipops.valuation.indicator_sql.citations import window_end_sql
from ipops.valuation.indicator_sql.dialect import sql_add_years, sql_days
from ipops.valuation.indicator_sql.options import YEAR_DAYS, CorpusFacts, IndicatorOptions, Step

# Document kinds that are ranked apart: never in one cohort (numbered for the cohort keys).
KINDS: dict[str, int] = {"invention": 1, "utility_model": 2, "design": 3, "application": 4}
KIND_SQL = """CASE WHEN doc_type = 'application' THEN 'application'
     WHEN patent_type = 'utility_model' THEN 'utility_model'
     WHEN patent_type = 'design' THEN 'design' ELSE 'invention' END"""
_KIND_NO = "CASE kind " + " ".join(f"WHEN '{k}' THEN {n}" for k, n in KINDS.items()) + " END"
KIND_STEP = 1_000_000  # key = kind number * KIND_STEP + (field + 1) * 10000 + year


def kinds_sql() -> str:
    """(idx, kind, kind_no): the document kind each patent is ranked among. Invention grants
    (utility, plant, reissue and invention patents), utility models, designs and
    applications never share a cohort."""
    inner = f"SELECT idx, {KIND_SQL} AS kind FROM ip_base"
    return f"SELECT idx, kind, {_KIND_NO} AS kind_no FROM ({inner})"


def cells_sql(options: IndicatorOptions) -> str:
    """Cohort cells (kind x field x filing year) with the level each falls to, key and label.

    Level ``field_year`` when the cell has at least ``min_cohort`` patents, else ``year``
    (every field of that kind and filing year) when that has, else ``kind`` (every patent of
    the kind). Keys: ``kind_no * 1e6 + (field + 1) * 10000 + year`` for a cell, ``kind_no *
    1e6 + year`` for a year, ``kind_no * 1e6`` for a kind (the ranges never overlap).
    """
    least = options.min_cohort
    return f"""
WITH cells AS (
    SELECT k.kind, k.kind_no, CAST(coalesce(b.field, 0) AS INTEGER) AS cohort_field,
           year(b.filing_date) AS filing_year, count(*) AS n
    FROM ip_base b JOIN ip_kinds k ON k.idx = b.idx
    WHERE b.filing_date IS NOT NULL GROUP BY ALL
), years AS (
    SELECT kind_no, filing_year, sum(n) AS n FROM cells GROUP BY ALL
)
SELECT c.kind_no, c.cohort_field, c.filing_year,
       CASE WHEN c.n >= {least} THEN 'field_year' WHEN y.n >= {least} THEN 'year'
            ELSE 'kind' END AS cohort_level,
       c.kind_no * {KIND_STEP} + CASE WHEN c.n >= {least}
                THEN (c.cohort_field + 1) * 10000 + c.filing_year
            WHEN y.n >= {least} THEN c.filing_year ELSE 0 END AS cohort_key,
       c.kind || ' ' || CASE WHEN c.n >= {least}
                THEN 'F' || lpad(CAST(c.cohort_field AS VARCHAR), 2, '0') || '-' || c.filing_year
            WHEN y.n >= {least} THEN 'Y' || c.filing_year ELSE 'all years' END AS cohort
FROM cells c JOIN years y ON y.kind_no = c.kind_no AND y.filing_year = c.filing_year"""


def raw_sql(options: IndicatorOptions, facts: CorpusFacts) -> str:
    """Every raw indicator of every patent (nulls where not available), with its cohort.

    Forward citations are null when there is no citing universe, and for a patent filed after
    the universe's last day; a count the source reports is taken when larger.
    """
    # the universe's kind and span are the single rows uk and span, joined once (a scalar
    # subquery per use costs a join of every patent each)
    has_universe = "uk.kind <> 'none'"
    after_end = 'coalesce(b.filing_date > span."end", false)'
    known = f"({has_universe} AND NOT {after_end})"
    window_end = window_end_sql("b.publication_date", options, 'span."end"')
    full_window = sql_add_years("b.publication_date", str(options.window_years))
    return f"""
SELECT b.idx, b.patent_id, b.office, b.doc_type, b.patent_type, b.source,
       b.filing_date, b.publication_date, b.grant_date, year(b.filing_date) AS filing_year,
       b.main_symbol, b.field, b.sector, b.family_id, kd.kind, kd.kind_no,
       coalesce(k.cohort, kd.kind || ' all years') AS cohort,
       coalesce(k.cohort_level, 'kind') AS cohort_level,
       coalesce(k.cohort_key, kd.kind_no * {KIND_STEP}) AS cohort_key,
       s.status, s.status_basis, s.in_force, s.term_years, s.term_end, s.pledged_now,
       s.term_rule, s.term_basis, s.term_basis_date, s.term_adjustment_days,
       s.term_disclaimer, s.term_upper_bound,
       fam.family_other_office, fam.family_basis, fam.family_offices,
       uk.kind AS fwd_universe,
       CASE WHEN {has_universe} THEN span.start END AS fwd_universe_start,
       CASE WHEN {has_universe} THEN span.end END AS fwd_universe_end,
       CASE WHEN {has_universe} THEN span.documents END AS fwd_universe_documents,
       CASE WHEN {has_universe} THEN span.undated END AS fwd_universe_undated,
       {after_end} AS filed_after_universe,
       CASE WHEN {known} THEN greatest(coalesce(fw.fwd, 0), b.reported_citations)
            ELSE b.reported_citations END AS fwd_citations,
       CASE WHEN {known} THEN coalesce(fw.fwd_5y, 0) END AS fwd_citations_5y,
       CASE WHEN {known} THEN CAST({window_end} - 1 AS DATE) END AS fwd_window_end,
       CASE WHEN {known} THEN {window_end} < {full_window} END AS fwd_window_capped,
       CASE WHEN cs.source IS NOT NULL THEN coalesce(cc.backward_citations, 0) END
           AS backward_citations,
       CASE WHEN cs.source IS NOT NULL THEN coalesce(cc.npl_citations, 0) END
           AS npl_citations,
       b.claims_count AS claims, b.independent_claims_count AS independent_claims,
       sc.scope, fam.family_size, b.family_size AS family_size_reported,
       CASE WHEN b.doc_type = 'grant' AND b.grant_date >= b.filing_date
            THEN {sql_days("b.filing_date", "b.grant_date")} / {YEAR_DAYS} END AS grant_lag,
       s.remaining_term, fw.generality, bw.originality,
       CASE WHEN sc.scope > 0 THEN bw.radicalness END AS radicalness,
       s.licensed, s.pledged,
       CAST(NULL AS BOOLEAN) AS in_pool, CAST(NULL AS BOOLEAN) AS litigated
FROM ip_base b
CROSS JOIN ip_universe_span span
CROSS JOIN ip_universe_kind uk
JOIN ip_kinds kd ON kd.idx = b.idx
JOIN ip_status s ON s.idx = b.idx
JOIN ip_family fam ON fam.idx = b.idx
LEFT JOIN ip_cells k
    ON k.kind_no = kd.kind_no AND k.cohort_field = coalesce(b.field, 0)
       AND k.filing_year = year(b.filing_date)
LEFT JOIN ip_forward fw ON fw.idx = b.idx
LEFT JOIN ip_backward bw ON bw.idx = b.idx
LEFT JOIN ip_citing_counts cc ON cc.h = b.h
LEFT JOIN ip_cited_sources cs ON cs.source = b.source
LEFT JOIN (SELECT idx, count(*) AS scope FROM ip_classes GROUP BY idx) sc ON sc.idx = b.idx"""


COHORT_LEVELS: tuple[str, ...] = ("field_year", "year", "kind")


def cohort_levels_sql() -> str:
    return "SELECT DISTINCT cohort_level FROM ip_raw"


def _keyed(columns: str, levels: tuple[str, ...]) -> str:
    """Every patent once per cohort level in use, under that level's key: a fallback
    patent is ranked among *all* patents of its kind and year (or of its kind)."""
    parts = []
    if "field_year" in levels:
        parts.append(
            f"SELECT kind_no * {KIND_STEP} + (CAST(coalesce(field, 0) AS INTEGER) + 1) * 10000 "
            f"+ filing_year AS cohort_key, {columns} FROM ip_raw "
            "WHERE filing_year IS NOT NULL"
        )
    if "year" in levels:
        parts.append(
            f"SELECT kind_no * {KIND_STEP} + filing_year AS cohort_key, {columns} "
            "FROM ip_raw WHERE filing_year IS NOT NULL"
        )
    if "kind" in levels:
        parts.append(f"SELECT kind_no * {KIND_STEP} AS cohort_key, {columns} FROM ip_raw")
    return " UNION ALL ".join(parts)


def rank_table_sql(name: str, levels: tuple[str, ...]) -> str:
    """(cohort_key, v, below, n) for indicator ``name``: ``below`` patents of the cohort have a
    worse value than ``v`` (lower; higher when less is better), ``n`` have a value at all.

    ``percent_rank`` is then ``below / (n - 1)`` (0 when ``n`` is 1), exactly what the window
    function gives, ties sharing the lowest rank; counting distinct values is much cheaper
    than sorting every patent once per indicator.
    """
    order = "" if BY_NAME[name].higher_is_better else " DESC"
    return f"""
WITH d AS (
    SELECT cohort_key, {name} AS v, count(*) AS k
    FROM ({_keyed(name, levels)}) WHERE {name} IS NOT NULL GROUP BY ALL
)
SELECT cohort_key, v,
       sum(k) OVER (PARTITION BY cohort_key ORDER BY v{order}
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - k AS below,
       sum(k) OVER (PARTITION BY cohort_key) AS n
FROM d"""


def cohort_sizes_sql(levels: tuple[str, ...]) -> str:
    return f"SELECT cohort_key, count(*) AS n FROM ({_keyed('1 AS one', levels)}) GROUP BY ALL"


def rank_table(name: str) -> str:
    return f"ip_rank_{name}"


def ranking_steps(levels: tuple[str, ...]) -> list[Step]:
    """Steps that count each cohort's values, once the cohort levels in use are known."""
    levels = tuple(level for level in COHORT_LEVELS if level in levels) or ("kind",)
    return [
        Step("ip_cohort_sizes", cohort_sizes_sql(levels)),
        *(Step(rank_table(name), rank_table_sql(name, levels)) for name in PERCENTILE_NAMES),
    ]


def indicators_sql(options: IndicatorOptions) -> str:
    """The indicators table: raw values, cohort and size, percentiles, breakthrough.

    Breakthrough: at most ``breakthrough_share`` of the cohort has as many forward citations
    or more, i.e. ``(n - below) / n`` (the ``cume_dist`` in descending order).
    """
    joins = "\n".join(
        f"LEFT JOIN {rank_table(name)} r_{name} "
        f"ON r_{name}.cohort_key = c.cohort_key AND r_{name}.v = c.{name}"
        for name in PERCENTILE_NAMES
    )
    percentiles = ",\n       ".join(
        f"CASE WHEN r_{name}.n > 1 THEN r_{name}.below / (r_{name}.n - 1) "
        f"WHEN r_{name}.n = 1 THEN 0.0 END AS {pct_column(name)}"
        for name in PERCENTILE_NAMES
    )
    fwd = "r_fwd_citations"
    return f"""
SELECT c.* EXCLUDE (idx, kind_no, cohort_key, source, publication_date, family_id, sector),
       z.n AS cohort_size,
       CASE WHEN c.fwd_citations IS NULL THEN NULL
            ELSE c.fwd_citations > 0
                 AND ({fwd}.n - {fwd}.below) / {fwd}.n <= {options.breakthrough_share} END
           AS breakthrough,
       {percentiles}
FROM ip_raw c
LEFT JOIN ip_cohort_sizes z ON z.cohort_key = c.cohort_key
{joins}"""
