"""The value indicators as named SQL steps over the corpus views (set-wise, no Python loops).

Each function returns one SELECT; ``indicator_steps`` lists them in order as ``Step``
(name, SQL), each step reading the corpus views (``patents``, ``classifications``,
``citations``, ``events``, ``patent_status``), the concordance table ``ip_concordance``
(``fields.concordance_table``) and the steps before it. ``ipops.valuation.service``
materialises each step as a temporary table in DuckDB; the geography issue's Spark path can
run the same steps as temporary views (the engine-specific expressions are in the small
``_sql_*`` helpers at the top: hashing, date arithmetic).

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

    has_events: bool
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


def class_dict_sql() -> str:
    """Every subclass in use, numbered (a SMALLINT is cheaper to group than text)."""
    return (
        "SELECT subclass, CAST(row_number() OVER (ORDER BY subclass) AS SMALLINT) AS cid "
        "FROM (SELECT DISTINCT subclass FROM classifications "
        "WHERE scheme IN ('IPC', 'CPC') AND subclass IS NOT NULL AND subclass NOT LIKE 'Y%')"
    )


def classes_sql(salt: str) -> str:
    """(h, cid): a patent's distinct subclasses; IPC, else CPC when it has no IPC."""
    return f"""
WITH c AS (
    SELECT {_sql_key("patent_id", salt)} AS h, scheme, subclass FROM classifications
    WHERE scheme IN ('IPC', 'CPC') AND subclass IS NOT NULL AND subclass NOT LIKE 'Y%'
), with_ipc AS (
    SELECT DISTINCT h FROM c WHERE scheme = 'IPC'
)
SELECT DISTINCT c.h, d.cid
FROM c JOIN ip_class_dict d ON d.subclass = c.subclass
WHERE c.scheme = 'IPC' OR c.h NOT IN (SELECT h FROM with_ipc)"""


def main_class_sql(salt: str) -> str:
    """(h, main_symbol): the main IPC symbol, else first IPC, else main/first CPC."""
    return f"""
SELECT {_sql_key("patent_id", salt)} AS h,
       arg_min(coalesce(symbol, subclass), (
           CASE scheme WHEN 'IPC' THEN 0 ELSE 1 END,
           CASE WHEN is_main THEN 0 ELSE 1 END,
           sequence)) AS main_symbol
FROM classifications
WHERE scheme IN ('IPC', 'CPC') AND subclass IS NOT NULL AND subclass NOT LIKE 'Y%'
GROUP BY 1"""


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


def _hhi_select(key: str, cls: str, extra: str = "") -> str:
    return f"""
SELECT {key} AS idx, {cls} AS cid, count(*) AS n{extra}
FROM ip_edges GROUP BY {key}, {cls}"""


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
    """(idx, originality, radicalness) from one aggregate over the corpus patents cited."""
    return f"""
WITH occ AS ({_hhi_select("citing", "cited_cid")}
), flagged AS (
    SELECT o.*, k.cid IS NOT NULL AS own
    FROM occ o
    LEFT JOIN (SELECT b.idx, c.cid FROM ip_classes c JOIN ip_base b ON b.h = c.h) k
        ON k.idx = o.idx AND k.cid = o.cid
    WHERE o.cid IS NOT NULL
)
SELECT idx, 1 - sum(n * n) / (sum(n) ^ 2) AS originality,
       coalesce(sum(n) FILTER (WHERE NOT own), 0) / sum(n) AS radicalness
FROM flagged GROUP BY idx"""


# --------------------------------------------------------------- status, term, family


def status_sql(options: IndicatorOptions, facts: CorpusFacts) -> str:
    """Status (events, else source text), in force, licence/pledge, term and remaining term."""
    as_of = _sql_date(options.as_of)
    dead = st.dead_statuses_sql()
    term = st.term_years_sql("b.office", "b.patent_type", "b.filing_date")
    start = st.term_start_sql("b.office", "b.patent_type", "b.filing_date", "b.grant_date")
    licensed, pledged = (
        ("coalesce(licensed, false)", "coalesce(ever_pledged, false)")
        if facts.has_events
        else ("CAST(NULL AS BOOLEAN)", "CAST(NULL AS BOOLEAN)")
    )
    unknown = LegalStatus.UNKNOWN.value
    return f"""
WITH ev AS (
    SELECT patent_id, bool_or(event_type = '{EventType.PLEDGED}') AS ever_pledged
    FROM events GROUP BY patent_id
), s AS (
    SELECT b.idx, b.doc_type, s.licensed, s.pledged AS pledged_now, ev.ever_pledged,
           CASE WHEN s.status IS NOT NULL AND s.status <> '{unknown}' THEN s.status
                ELSE {st.status_of_text_sql("b.legal_status")} END AS status,
           CASE WHEN s.status IS NOT NULL AND s.status <> '{unknown}' THEN 'events'
                WHEN b.legal_status IS NOT NULL THEN 'source' END AS basis,
           {term} AS term_years,
           {_sql_add_years(start, term)} AS term_end
    FROM ip_base b
    LEFT JOIN patent_status s ON s.patent_id = b.patent_id
    LEFT JOIN ev ON ev.patent_id = b.patent_id
)
SELECT idx, status, term_years, term_end,
       CASE WHEN status = '{unknown}' AND doc_type = 'grant' AND term_end > {as_of}
            THEN 'presumed' ELSE coalesce(basis, 'none') END AS status_basis,
       status = '{LegalStatus.IN_FORCE}'
           OR (status = '{unknown}' AND doc_type = 'grant' AND term_end > {as_of}) AS in_force,
       {licensed} AS licensed,
       {pledged} AS pledged,
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


def raw_sql(facts: CorpusFacts) -> str:
    """Every raw indicator of every patent (nulls where not available)."""
    cited_sources = (
        "(SELECT DISTINCT b.source FROM ip_base b SEMI JOIN ip_citing_counts c ON c.h = b.h)"
    )
    has_citations = "true" if facts.has_citations else "false"
    return f"""
SELECT b.idx, b.patent_id, b.office, b.doc_type, b.patent_type, b.source,
       b.filing_date, b.publication_date, b.grant_date, year(b.filing_date) AS filing_year,
       b.main_symbol, b.field, b.sector, b.family_id,
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
LEFT JOIN ip_forward fw ON fw.idx = b.idx
LEFT JOIN ip_backward bw ON bw.idx = b.idx
LEFT JOIN ip_citing_counts cc ON cc.h = b.h
LEFT JOIN (SELECT h, count(*) AS scope FROM ip_classes GROUP BY h) sc ON sc.h = b.h"""


COHORT_LEVELS: dict[str, str] = {  # level -> PARTITION BY keys
    "field_year": "cohort_field, filing_year",
    "year": "filing_year",
    "all": "",
}


def cohort_sql(options: IndicatorOptions) -> str:
    """Each patent's cohort: field x filing year, else filing year, else the whole corpus.

    A fallback patent is ranked among *all* patents of its year (or of the corpus), not only
    among the other fallbacks.
    """
    least = options.min_cohort
    return f"""
WITH r AS (
    SELECT *, coalesce(field, 0) AS cohort_field FROM ip_raw
), cells AS (
    SELECT cohort_field, filing_year, count(*) AS n FROM r GROUP BY ALL
), years AS (
    SELECT filing_year, sum(n) AS n FROM cells GROUP BY filing_year
), levelled AS (
    SELECT r.*,
           CASE WHEN r.filing_year IS NULL THEN 'all'
                WHEN c.n >= {least} THEN 'field_year'
                WHEN y.n >= {least} THEN 'year'
                ELSE 'all' END AS cohort_level
    FROM r
    LEFT JOIN cells c ON c.cohort_field = r.cohort_field AND c.filing_year = r.filing_year
    LEFT JOIN years y ON y.filing_year = r.filing_year
)
SELECT *,
       CASE cohort_level
           WHEN 'field_year' THEN 'F' || lpad(CAST(cohort_field AS VARCHAR), 2, '0')
                                  || '-' || filing_year
           WHEN 'year' THEN 'Y' || filing_year
           ELSE 'all' END AS cohort
FROM levelled"""


def cohort_levels_sql() -> str:
    return "SELECT DISTINCT cohort_level FROM ip_cohort ORDER BY 1"


def _partition(level: str, extra: str) -> str:
    keys = ", ".join(key for key in (COHORT_LEVELS[level], extra) if key)
    return f"PARTITION BY {keys}" if keys else ""


def _by_level(levels: tuple[str, ...], window: str, extra: str = "") -> str:
    """``window`` (e.g. ``percent_rank() OVER ({})``) over the patent's cohort level."""
    if len(levels) == 1:
        return window.format(_partition(levels[0], extra))
    whens = " ".join(
        f"WHEN '{level}' THEN {window.format(_partition(level, extra))}" for level in levels
    )
    return f"CASE cohort_level {whens} END"


def _percentile(name: str, levels: tuple[str, ...]) -> str:
    order = "" if BY_NAME[name].higher_is_better else " DESC"
    ranked = _by_level(
        levels, f"percent_rank() OVER ({{}} ORDER BY {name}{order})", f"{name} IS NULL"
    )
    return f"CASE WHEN {name} IS NULL THEN NULL ELSE {ranked} END AS {pct_column(name)}"


def indicators_sql(
    options: IndicatorOptions, levels: tuple[str, ...] = tuple(COHORT_LEVELS)
) -> str:
    """The indicators table: raw values, cohort and size, percentiles, breakthrough.

    ``levels``: the cohort levels present (windows are built only for those).
    """
    levels = tuple(level for level in COHORT_LEVELS if level in levels) or ("all",)
    percentiles = ",\n       ".join(_percentile(name, levels) for name in PERCENTILE_NAMES)
    size = _by_level(levels, "count(*) OVER ({})")
    tail = _by_level(
        levels,
        "cume_dist() OVER ({} ORDER BY fwd_citations DESC)",
        "fwd_citations IS NULL",
    )
    return f"""
SELECT * EXCLUDE (idx, cohort_field),
       {size} AS cohort_size,
       CASE WHEN fwd_citations IS NULL THEN NULL
            ELSE fwd_citations > 0 AND {tail} <= {options.breakthrough_share} END
           AS breakthrough,
       {percentiles}
FROM ip_cohort"""


def indicator_steps(options: IndicatorOptions, facts: CorpusFacts) -> list[Step]:
    """The named steps up to the cohorts, in order; ``indicators_sql`` then gives the result."""
    salt = options.key_salt
    return [
        Step("ip_class_dict", class_dict_sql()),
        Step("ip_classes", classes_sql(salt)),
        Step("ip_main", main_class_sql(salt)),
        Step("ip_base", base_sql(salt)),
        Step("ip_edges", edges_sql(options)),
        Step("ip_citing_counts", citing_counts_sql(salt)),
        Step("ip_forward", forward_sql()),
        Step("ip_backward", backward_sql()),
        Step("ip_status", status_sql(options, facts)),
        Step("ip_family", family_sql()),
        Step("ip_raw", raw_sql(facts)),
        Step("ip_cohort", cohort_sql(options)),
    ]
