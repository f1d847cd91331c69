"""The value indicators as named SQL steps over the corpus views (set-wise, no Python loops).

Each function returns one SELECT. ``indicator_steps`` lists the steps up to ``ip_raw`` (every
raw indicator of every patent) as ``Step`` (name, SQL); ``ranking_steps`` then counts each
cohort's values, and ``indicators_sql`` is the final table. Steps read the corpus views
(``patents``, ``classifications``, ``citations``, ``events``, ``patent_status``), the
concordance table ``ip_concordance`` (``fields.concordance_table``) and the steps before
them. ``ipops.valuation.service`` materialises each step as a temporary table in DuckDB;
the geography issue's Spark path can run the same steps as temporary views (the
engine-specific expressions are in the small ``_sql_*`` helpers at the top: hashing, date
arithmetic).

Definitions (see docs/valuation.md for the full text):

* Keys: a patent is joined by a 64-bit hash of its ``patent_id`` (``hash`` in DuckDB) and
  numbered ``idx``; ``ip_base`` is checked for hash collisions before use.
* Classes: a patent's distinct 4-character IPC subclasses; CPC subclasses when it has no
  IPC at all; CPC-only ``Y`` tags left out. Its *main* subclass is that of its main IPC
  symbol (else the first IPC, else the main/first CPC), which also gives its WIPO field.
* Citation counts count the citations the source lists (a document listed twice counts
  twice, as in PatentsView's counts). A patent whose source has no citation data at all
  (no patent of that source cites anything) has null citation indicators, not 0.
* Forward citations: citations received from patents of the corpus (self-citations, a
  patent citing itself, left out); within 5 years: from patents filed before the fifth
  anniversary of this patent's publication. When the source reports a larger count
  (``reported_citations``), that count is the forward citations.
* Generality (of the citing patents) and originality (of the cited patents) are
  ``1 - sum_j s_j^2`` where ``s_j`` is the share of the citing (cited) corpus patents whose
  **main** subclass is ``j`` (one class per patent, as the primary class in Trajtenberg,
  Henderson & Jaffe 1997; the OECD variant counting every IPC code of every patent costs
  twice the work on 100M citations and differs little at subclass level). No citing
  (cited) corpus patent with a class: null. No small-sample correction.
* Radicalness (OECD, after Shane 2001): the share of the cited corpus patents whose main
  subclass is not among this patent's own subclasses; null as originality, or when the
  patent has no class.
* Cohort: WIPO field x filing year; a cell with fewer than ``min_cohort`` patents falls
  back to the filing year (all fields), then to the whole corpus. Patents without a field
  form field 0 ("unclassified"); without a filing date, the whole corpus.
* Percentile: ``percent_rank()`` within the cohort, computed from counts of each cohort's
  distinct values (``rank_table_sql``) rather than a window sort per indicator: the same
  numbers, a fraction of the cost.
* Breakthrough: forward citations > 0 and at most ``breakthrough_share`` (1%) of the
  cohort has as many or more (``cume_dist`` in descending order, so a tie straddling the
  threshold is out).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ipops.corpus.events import EventType, LegalStatus
from ipops.valuation import status as st
from ipops.valuation.catalogue import BY_NAME, PERCENTILE_NAMES, pct_column

YEAR_DAYS = 365.25


@dataclass(frozen=True)
class IndicatorOptions:
    as_of: date
    window_years: int = 5
    min_cohort: int = 20
    breakthrough_share: float = 0.01
    key_salt: str = ""  # changed only if two patent ids ever hash alike


@dataclass(frozen=True)
class CorpusFacts:
    """What the corpus holds, decided before the SQL is built (cheap counts)."""

    has_citations: bool


@dataclass(frozen=True)
class Step:
    name: str
    sql: str


# --------------------------------------------------------------- engine-specific pieces


def _sql_key(column: str, salt: str) -> str:
    """A 64-bit key of a patent id (DuckDB ``hash``; Spark: ``xxhash64``)."""
    return f"hash({column} || '{salt}')" if salt else f"hash({column})"


def _sql_add_years(day: str, years: str) -> str:
    return f"CAST({day} + to_years(CAST({years} AS INTEGER)) AS DATE)"


def _sql_days(start: str, end: str) -> str:
    return f"date_diff('day', {start}, {end})"


def _sql_date(value: date) -> str:
    return f"DATE '{value.isoformat()}'"


# --------------------------------------------------------------- classes and fields


def class_rows_sql(salt: str) -> str:
    """The IPC and CPC rows that count (CPC-only ``Y`` tags left out), keyed once."""
    return f"""
SELECT {_sql_key("patent_id", salt)} AS h, scheme, sequence, is_main, symbol, subclass
FROM classifications
WHERE scheme IN ('IPC', 'CPC') AND subclass IS NOT NULL AND subclass NOT LIKE 'Y%'"""


def class_dict_sql() -> str:
    """Every subclass in use, numbered (a SMALLINT is cheaper to group than text)."""
    return (
        "SELECT subclass, CAST(row_number() OVER (ORDER BY subclass) AS SMALLINT) AS cid "
        "FROM (SELECT DISTINCT subclass FROM ip_class_rows)"
    )


def classes_sql() -> str:
    """(idx, cid): a patent's distinct subclasses; IPC, else CPC when it has no IPC."""
    return """
WITH with_ipc AS (
    SELECT DISTINCT h FROM ip_class_rows WHERE scheme = 'IPC'
)
SELECT DISTINCT b.idx, d.cid
FROM ip_class_rows c
JOIN ip_base b ON b.h = c.h
JOIN ip_class_dict d ON d.subclass = c.subclass
WHERE c.scheme = 'IPC' OR c.h NOT IN (SELECT h FROM with_ipc)"""


def main_class_sql() -> str:
    """(h, main_symbol): the main IPC symbol, else first IPC, else main/first CPC."""
    return """
SELECT h,
       arg_min(coalesce(symbol, subclass), (
           CASE scheme WHEN 'IPC' THEN 0 ELSE 1 END,
           CASE WHEN is_main THEN 0 ELSE 1 END,
           sequence)) AS main_symbol
FROM ip_class_rows
GROUP BY h"""


def base_sql(salt: str) -> str:
    """One row per patent: key, number, dates, counts, main class and WIPO field.

    The field comes from the longest concordance pattern: the main group's entry when the
    concordance has one, else the subclass entry.
    """
    return f"""
WITH p AS (
    SELECT {_sql_key("patent_id", salt)} AS h, * FROM patents
), m AS (
    SELECT h, main_symbol, left(main_symbol, 4) AS main_subclass,
           TRY_CAST(regexp_extract(main_symbol, '^.{{4}} ?([0-9]+)', 1) AS INTEGER)
               AS main_group_no
    FROM ip_main
)
SELECT p.h, CAST(row_number() OVER () AS INTEGER) AS idx,
       p.patent_id, p.office, p.doc_type, p.patent_type, p.source,
       p.filing_date, p.publication_date, p.grant_date,
       p.claims_count, p.independent_claims_count,
       p.family_id, p.family_size, p.reported_citations, p.legal_status,
       m.main_symbol, d.cid AS main_cid,
       CAST(coalesce(g.field, s.field) AS SMALLINT) AS field,
       coalesce(g.sector, s.sector) AS sector
FROM p
LEFT JOIN m ON m.h = p.h
LEFT JOIN ip_class_dict d ON d.subclass = m.main_subclass
LEFT JOIN ip_concordance g ON g.subclass = m.main_subclass AND g.main_group = m.main_group_no
LEFT JOIN ip_concordance s ON s.subclass = m.main_subclass AND s.main_group IS NULL"""


def key_collisions_sql() -> str:
    return "SELECT count(*) - count(DISTINCT h) FROM ip_base"


# --------------------------------------------------------------- citations


def edges_sql(options: IndicatorOptions) -> str:
    """Citations between corpus patents, with what the aggregates need of both ends."""
    salt = options.key_salt
    window_end = _sql_add_years("b.publication_date", str(options.window_years))
    citing_day = "coalesce(a.filing_date, a.publication_date)"
    return f"""
SELECT a.idx AS citing, b.idx AS cited, a.main_cid AS citing_cid, b.main_cid AS cited_cid,
       {citing_day} < {window_end} AS in_window
FROM (
    SELECT {_sql_key("patent_id", salt)} AS hc, {_sql_key("cited_patent_id", salt)} AS hd
    FROM citations WHERE category = 'patent' AND cited_patent_id IS NOT NULL
) c
JOIN ip_base a ON a.h = c.hc
JOIN ip_base b ON b.h = c.hd
WHERE a.idx <> b.idx"""


def citing_counts_sql(salt: str) -> str:
    """(h, patent citations listed, non-patent citations listed) of each citing patent."""
    return f"""
SELECT {_sql_key("patent_id", salt)} AS h,
       count(*) FILTER (WHERE category = 'patent') AS backward_citations,
       count(*) FILTER (WHERE category = 'npl') AS npl_citations
FROM citations GROUP BY 1"""


def _hhi_select(key: str, cls: str, extra: str = "", where: str = "true") -> str:
    """Citations counted per patent (``key``) and main subclass of the other end (``cls``)."""
    return f"""
SELECT {key} AS idx, {cls} AS cid, count(*) AS n{extra}
FROM ip_edges WHERE {where} GROUP BY {key}, {cls}"""


def forward_sql() -> str:
    """(idx, fwd, fwd_5y, generality) from one aggregate over the citations received."""
    occurrences = _hhi_select("cited", "citing_cid", ", count(*) FILTER (WHERE in_window) AS n5")
    return f"""
WITH occ AS ({occurrences})
SELECT idx, CAST(sum(n) AS BIGINT) AS fwd, CAST(sum(n5) AS BIGINT) AS fwd_5y,
       1 - sum(n * n) FILTER (WHERE cid IS NOT NULL)
           / (sum(n) FILTER (WHERE cid IS NOT NULL) ^ 2) AS generality
FROM occ GROUP BY idx"""


def backward_sql() -> str:
    """(idx, originality, radicalness) from one aggregate over the corpus patents cited.

    Radicalness is 1 - (cited patents whose main subclass is one of this patent's) / all.
    """
    return f"""
WITH occ AS ({_hhi_select("citing", "cited_cid", where="cited_cid IS NOT NULL")}
), totals AS (
    SELECT idx, sum(n) AS n, sum(n * n) AS n2 FROM occ GROUP BY idx
), own AS (
    SELECT o.idx, sum(o.n) AS n
    FROM occ o JOIN ip_classes k ON k.idx = o.idx AND k.cid = o.cid
    GROUP BY o.idx
)
SELECT t.idx, 1 - t.n2 / (t.n ^ 2) AS originality,
       1 - coalesce(own.n, 0) / t.n AS radicalness
FROM totals t LEFT JOIN own ON own.idx = t.idx"""


# --------------------------------------------------------------- status, term, family


def status_sql(options: IndicatorOptions, salt: str) -> str:
    """Status (events, else source text), in force, licence/pledge, term and remaining term.

    Licensed and pledged are known (true or false) for the patents of a source for which
    legal-status events were loaded at all; for other sources they are null.
    """
    as_of = _sql_date(options.as_of)
    dead = st.dead_statuses_sql()
    term = st.term_years_sql("b.office", "b.patent_type", "b.filing_date")
    start = st.term_start_sql("b.office", "b.patent_type", "b.filing_date", "b.grant_date")
    unknown = LegalStatus.UNKNOWN.value
    return f"""
WITH ev AS (
    SELECT {_sql_key("patent_id", salt)} AS h,
           bool_or(event_type = '{EventType.PLEDGED}') AS ever_pledged
    FROM events GROUP BY 1
), derived AS (
    SELECT {_sql_key("patent_id", salt)} AS h, status, licensed, pledged FROM patent_status
), event_sources AS (
    SELECT DISTINCT b.source FROM ip_base b SEMI JOIN ev ON ev.h = b.h
), s AS (
    SELECT b.idx, b.doc_type, s.licensed, s.pledged AS pledged_now, ev.ever_pledged,
           b.source IN (SELECT source FROM event_sources) AS has_events,
           CASE WHEN s.status IS NOT NULL AND s.status <> '{unknown}' THEN s.status
                ELSE {st.status_of_text_sql("b.legal_status")} END AS status,
           CASE WHEN s.status IS NOT NULL AND s.status <> '{unknown}' THEN 'events'
                WHEN b.legal_status IS NOT NULL THEN 'source' END AS basis,
           {term} AS term_years,
           {_sql_add_years(start, term)} AS term_end
    FROM ip_base b
    LEFT JOIN derived s ON s.h = b.h
    LEFT JOIN ev ON ev.h = b.h
)
SELECT idx, status, term_years, term_end,
       CASE WHEN status = '{unknown}' AND doc_type = 'grant' AND term_end > {as_of}
            THEN 'presumed' ELSE coalesce(basis, 'none') END AS status_basis,
       status = '{LegalStatus.IN_FORCE}'
           OR (status = '{unknown}' AND doc_type = 'grant' AND term_end > {as_of}) AS in_force,
       CASE WHEN has_events THEN coalesce(licensed, false) END AS licensed,
       CASE WHEN has_events THEN coalesce(ever_pledged, false) END AS pledged,
       coalesce(pledged_now, false) AS pledged_now,
       CASE WHEN status IN ({dead}) THEN 0.0
            WHEN term_end IS NULL THEN NULL
            ELSE greatest({_sql_days(as_of, "term_end")}, 0) / {YEAR_DAYS} END
           AS remaining_term
FROM s"""


def family_sql() -> str:
    """Family size (reported, else corpus members) and whether a member is in another office."""
    return """
WITH f AS (
    SELECT family_id, count(*) AS members, count(DISTINCT office) AS offices
    FROM ip_base WHERE family_id IS NOT NULL GROUP BY family_id
)
SELECT b.idx, coalesce(b.family_size, f.members) AS family_size,
       coalesce(f.offices > 1, false) AS family_other_office
FROM ip_base b LEFT JOIN f ON f.family_id = b.family_id"""


# --------------------------------------------------------------- assembling


def cells_sql(options: IndicatorOptions) -> str:
    """Cohort cells (field x filing year) with the level each falls to, its key and label.

    Level ``field_year`` when the cell has at least ``min_cohort`` patents, else ``year``
    when the filing year has, else ``all``. Keys: ``(field + 1) * 10000 + year`` for a cell,
    the year for a year, 0 for the whole corpus (the ranges never overlap).
    """
    least = options.min_cohort
    return f"""
WITH cells AS (
    SELECT CAST(coalesce(field, 0) AS INTEGER) AS cohort_field, year(filing_date) AS filing_year,
           count(*) AS n
    FROM ip_base WHERE filing_date IS NOT NULL GROUP BY ALL
), years AS (
    SELECT filing_year, sum(n) AS n FROM cells GROUP BY filing_year
)
SELECT c.cohort_field, c.filing_year,
       CASE WHEN c.n >= {least} THEN 'field_year' WHEN y.n >= {least} THEN 'year'
            ELSE 'all' END AS cohort_level,
       CASE WHEN c.n >= {least} THEN (c.cohort_field + 1) * 10000 + c.filing_year
            WHEN y.n >= {least} THEN c.filing_year ELSE 0 END AS cohort_key,
       CASE WHEN c.n >= {least}
                THEN 'F' || lpad(CAST(c.cohort_field AS VARCHAR), 2, '0') || '-' || c.filing_year
            WHEN y.n >= {least} THEN 'Y' || c.filing_year ELSE 'all' END AS cohort
FROM cells c JOIN years y ON y.filing_year = c.filing_year"""


def raw_sql(facts: CorpusFacts) -> str:
    """Every raw indicator of every patent (nulls where not available), with its cohort."""
    cited_sources = (
        "(SELECT DISTINCT b.source FROM ip_base b SEMI JOIN ip_citing_counts c ON c.h = b.h)"
    )
    has_citations = "true" if facts.has_citations else "false"
    return f"""
SELECT b.idx, b.patent_id, b.office, b.doc_type, b.patent_type, b.source,
       b.filing_date, b.publication_date, b.grant_date, year(b.filing_date) AS filing_year,
       b.main_symbol, b.field, b.sector, b.family_id,
       coalesce(k.cohort, 'all') AS cohort, coalesce(k.cohort_level, 'all') AS cohort_level,
       coalesce(k.cohort_key, 0) AS cohort_key,
       s.status, s.status_basis, s.in_force, s.term_years, s.term_end, s.pledged_now,
       fam.family_other_office,
       CASE WHEN {has_citations} THEN greatest(coalesce(fw.fwd, 0), b.reported_citations)
            ELSE b.reported_citations END AS fwd_citations,
       CASE WHEN {has_citations} THEN coalesce(fw.fwd_5y, 0) END AS fwd_citations_5y,
       CASE WHEN b.source IN {cited_sources} THEN coalesce(cc.backward_citations, 0) END
           AS backward_citations,
       CASE WHEN b.source IN {cited_sources} THEN coalesce(cc.npl_citations, 0) END
           AS npl_citations,
       b.claims_count AS claims, b.independent_claims_count AS independent_claims,
       sc.scope, fam.family_size, b.family_size AS family_size_reported,
       CASE WHEN b.doc_type = 'grant' AND b.grant_date >= b.filing_date
            THEN {_sql_days("b.filing_date", "b.grant_date")} / {YEAR_DAYS} END AS grant_lag,
       s.remaining_term, fw.generality, bw.originality,
       CASE WHEN sc.scope > 0 THEN bw.radicalness END AS radicalness,
       s.licensed, s.pledged,
       CAST(NULL AS BOOLEAN) AS in_pool, CAST(NULL AS BOOLEAN) AS litigated
FROM ip_base b
JOIN ip_status s ON s.idx = b.idx
JOIN ip_family fam ON fam.idx = b.idx
LEFT JOIN ip_cells k
    ON k.cohort_field = coalesce(b.field, 0) AND k.filing_year = year(b.filing_date)
LEFT JOIN ip_forward fw ON fw.idx = b.idx
LEFT JOIN ip_backward bw ON bw.idx = b.idx
LEFT JOIN ip_citing_counts cc ON cc.h = b.h
LEFT JOIN (SELECT idx, count(*) AS scope FROM ip_classes GROUP BY idx) sc ON sc.idx = b.idx"""


COHORT_LEVELS: tuple[str, ...] = ("field_year", "year", "all")


def cohort_levels_sql() -> str:
    return "SELECT DISTINCT cohort_level FROM ip_raw"


def _keyed(columns: str, levels: tuple[str, ...]) -> str:
    """Every patent once per cohort level in use, under that level's key: a fallback
    patent is ranked among *all* patents of its year (or of the corpus)."""
    parts = []
    if "field_year" in levels:
        parts.append(
            "SELECT (CAST(coalesce(field, 0) AS INTEGER) + 1) * 10000 + filing_year "
            f"AS cohort_key, {columns} FROM ip_raw WHERE filing_year IS NOT NULL"
        )
    if "year" in levels:
        parts.append(
            f"SELECT filing_year AS cohort_key, {columns} FROM ip_raw WHERE filing_year IS NOT NULL"
        )
    if "all" in levels:
        parts.append(f"SELECT 0 AS cohort_key, {columns} FROM ip_raw")
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
    levels = tuple(level for level in COHORT_LEVELS if level in levels) or ("all",)
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
SELECT c.* EXCLUDE (idx, cohort_key, source, publication_date, family_id, sector),
       z.n AS cohort_size,
       CASE WHEN c.fwd_citations IS NULL THEN NULL
            ELSE c.fwd_citations > 0
                 AND ({fwd}.n - {fwd}.below) / {fwd}.n <= {options.breakthrough_share} END
           AS breakthrough,
       {percentiles}
FROM ip_raw c
LEFT JOIN ip_cohort_sizes z ON z.cohort_key = c.cohort_key
{joins}"""


def indicator_steps(options: IndicatorOptions, facts: CorpusFacts) -> list[Step]:
    """The named steps up to the raw indicators, in order; then ``ranking_steps`` and
    ``indicators_sql`` give the result."""
    salt = options.key_salt
    return [
        Step("ip_class_rows", class_rows_sql(salt)),
        Step("ip_class_dict", class_dict_sql()),
        Step("ip_main", main_class_sql()),
        Step("ip_base", base_sql(salt)),
        Step("ip_classes", classes_sql()),
        Step("ip_edges", edges_sql(options)),
        Step("ip_citing_counts", citing_counts_sql(salt)),
        Step("ip_forward", forward_sql()),
        Step("ip_backward", backward_sql()),
        Step("ip_status", status_sql(options, salt)),
        Step("ip_family", family_sql()),
        Step("ip_cells", cells_sql(options)),
        Step("ip_raw", raw_sql(facts)),
    ]
