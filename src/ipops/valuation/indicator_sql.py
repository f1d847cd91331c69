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
* Forward citations: citations received from the citing universe (``CorpusFacts``:
  a loaded ``citing_documents`` table plus the corpus patents with citation data, or the
  corpus alone when its patents cite one another, else none: unknown); self-citations left
  out; within 5 years: from universe documents dated before the fifth anniversary of this
  patent's publication, the window capped at the universe's last day. A patent filed after
  that day has unknown forward citations. When the source reports a larger count
  (``reported_citations``), that count is the forward citations.
* Generality, originality and radicalness (OECD, Squicciarini, Dernis & Criscuolo 2013)
  count **all** 4-digit IPC codes of the citing (cited) documents, where they are known
  (``forward_sql``, ``backward_sql``). No small-sample correction.
* Term: ``term.expiry_sql`` (continuity, PCT, adjustment, disclaimers; see ``term``).
* Family size: distinct offices of the family (``family_sql``).
* Cohort: document kind (invention grants, utility models, designs, applications: never
  mixed) x WIPO field x filing year; a cell with fewer than ``min_cohort`` patents falls
  back to every field of its kind and year, then to its kind. Patents without a field form
  field 0 ("unclassified"); without a filing date, their kind.
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
from ipops.valuation.term import TERM_RELATIONS, expiry_sql

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
    """What the corpus holds, decided before the SQL is built (cheap counts).

    ``citing_loaded``: a ``citing_documents`` table is loaded. The citing universe is then
    ``loaded`` (that table plus the corpus patents with citation data); without it, the
    corpus is its own universe (``corpus``) when some corpus patent cites another, else
    there is ``none`` and forward citations are unknown, not 0. The step
    ``ip_universe_kind`` decides (from ``ip_edges``), ``ip_universe_span`` gives the
    publication dates the universe spans.
    """

    has_citations: bool
    citing_loaded: bool = False


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


def document_classes_sql() -> str:
    """(h, cid): every classified document's distinct subclasses (corpus patents and the
    citing documents whose classes were loaded); IPC, else CPC when it has no IPC."""
    return """
WITH with_ipc AS (
    SELECT DISTINCT h FROM ip_class_rows WHERE scheme = 'IPC'
)
SELECT DISTINCT c.h, d.cid
FROM ip_class_rows c
JOIN ip_class_dict d ON d.subclass = c.subclass
WHERE c.scheme = 'IPC' OR c.h NOT IN (SELECT h FROM with_ipc)"""


def classes_sql() -> str:
    """(idx, cid): a corpus patent's distinct subclasses."""
    return "SELECT b.idx, k.cid FROM ip_doc_classes k JOIN ip_base b ON b.h = k.h"


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


def universe_sql(facts: CorpusFacts, salt: str) -> str:
    """(h, day, pub): the citing universe, documents whose references are loaded, with the
    date a citation from them counts from (filing, else publication, for corpus patents)
    and their publication date. With a ``citing_documents`` table the universe is exactly
    that table (docs/corpus.md); without one, the corpus patents with citation data."""
    if not facts.citing_loaded:
        return """
SELECT b.h, coalesce(b.filing_date, b.publication_date) AS day, b.publication_date AS pub
FROM ip_base b WHERE b.source IN (SELECT source FROM ip_cited_sources)"""
    key = _sql_key("d.patent_id", salt)
    return f"""
SELECT {key} AS h, coalesce(b.filing_date, d.publication_date, b.publication_date) AS day,
       coalesce(d.publication_date, b.publication_date) AS pub
FROM citing_documents d LEFT JOIN ip_base b ON b.h = {key}"""


def cited_sources_sql(salt: str) -> str:
    """Sources of which some patent lists citations (their patents carry citation data)."""
    return f"""
SELECT DISTINCT b.source FROM ip_base b
SEMI JOIN (SELECT {_sql_key("patent_id", salt)} AS h FROM citations) c ON c.h = b.h"""


def edges_sql(options: IndicatorOptions, facts: CorpusFacts) -> str:
    """Patent citations whose cited end is a corpus patent: the citing document's key, its
    corpus number if it is one, whether it belongs to the citing universe and whether it
    falls in the forward window (``window_years`` from the cited patent's publication,
    capped at the universe's end).

    Without a citing-documents table the universe is the corpus patents with citation data,
    and every corpus patent that cites is one of them: no join with ``ip_universe`` needed.
    """
    salt = options.key_salt
    window_end = _window_end_sql("b.publication_date", options)
    if facts.citing_loaded:
        member, day, universe = "u.h IS NOT NULL", "u.day", "LEFT JOIN ip_universe u ON u.h = c.hc"
    else:
        member, day, universe = (
            "a.idx IS NOT NULL",
            "coalesce(a.filing_date, a.publication_date)",
            "",
        )
    return f"""
SELECT c.hc AS citing_h, a.idx AS citing, b.idx AS cited,
       {member} AS in_universe, {day} < {window_end} AS in_window
FROM (
    SELECT {_sql_key("patent_id", salt)} AS hc, {_sql_key("cited_patent_id", salt)} AS hd
    FROM citations WHERE category = 'patent' AND cited_patent_id IS NOT NULL
) c
JOIN ip_base b ON b.h = c.hd
LEFT JOIN ip_base a ON a.h = c.hc
{universe}
WHERE c.hc <> c.hd"""


def universe_span_sql() -> str:
    """(start, end): the publication dates the citing universe's documents span."""
    return 'SELECT min(pub) AS "start", max(pub) AS "end", count(*) AS documents FROM ip_universe'


def universe_kind_sql(facts: CorpusFacts) -> str:
    """(kind): ``loaded``, ``corpus`` (a corpus patent cites another) or ``none``."""
    if facts.citing_loaded:
        return "SELECT 'loaded' AS kind"
    return (
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM ip_edges WHERE citing IS NOT NULL) "
        "THEN 'corpus' ELSE 'none' END AS kind"
    )


_KNOWN_UNIVERSE = "(SELECT kind FROM ip_universe_kind) <> 'none'"


_UNIVERSE_END = '(SELECT "end" FROM ip_universe_span)'


def _window_end_sql(publication: str, options: IndicatorOptions) -> str:
    """End of the forward window: ``window_years`` after publication, capped at the universe's
    last day (the day after it, as the comparison is strict; ``least`` skips a null)."""
    full = _sql_add_years(publication, str(options.window_years))
    return f"least({full}, CAST({_UNIVERSE_END} + 1 AS DATE))"


def citing_counts_sql(salt: str) -> str:
    """(h, patent citations listed, non-patent citations listed) of each citing patent."""
    return f"""
SELECT {_sql_key("patent_id", salt)} AS h,
       count(*) FILTER (WHERE category = 'patent') AS backward_citations,
       count(*) FILTER (WHERE category = 'npl') AS npl_citations
FROM citations GROUP BY 1"""


def forward_sql() -> str:
    """(idx, fwd, fwd_5y, generality): citations received from the citing universe.

    Generality (OECD, Squicciarini, Dernis & Criscuolo 2013, after Hall, Jaffe & Trajtenberg
    2001) is ``1 - sum_j s_j^2`` with ``s_j`` the share of subclass ``j`` among **all**
    4-digit IPC codes of the citing documents (each code of each citing document counted
    once); citing documents without classes are left out of it.
    """
    return f"""
WITH fwd AS (
    SELECT cited AS idx, count(*) AS fwd, count(*) FILTER (WHERE in_window) AS fwd_5y
    FROM ip_edges WHERE in_universe AND {_KNOWN_UNIVERSE} GROUP BY cited
), occ AS (
    SELECT e.cited AS idx, k.cid, count(*) AS n
    FROM ip_edges e JOIN ip_doc_classes k ON k.h = e.citing_h
    WHERE e.in_universe AND {_KNOWN_UNIVERSE} GROUP BY e.cited, k.cid
), gen AS (
    SELECT idx, 1 - sum(n * n) / (sum(n) ^ 2) AS generality FROM occ GROUP BY idx
)
SELECT f.idx, CAST(f.fwd AS BIGINT) AS fwd, CAST(f.fwd_5y AS BIGINT) AS fwd_5y, g.generality
FROM fwd f LEFT JOIN gen g ON g.idx = f.idx"""


def backward_sql() -> str:
    """(idx, originality, radicalness) over all 4-digit codes of the cited corpus patents.

    Originality (OECD): ``1 - sum_j s_j^2`` with ``s_j`` the share of subclass ``j`` among all
    IPC codes of the cited patents. Radicalness (OECD, after Shane 2001): the share of those
    codes that are not among this patent's own subclasses. Only cited patents whose classes
    are known (corpus patents) count.
    """
    return """
WITH occ AS (
    SELECT e.citing AS idx, k.cid, count(*) AS n
    FROM ip_edges e JOIN ip_classes k ON k.idx = e.cited
    WHERE e.citing IS NOT NULL GROUP BY e.citing, k.cid
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


def term_facts_sql(salt: str) -> str:
    """What ``term.expiry_sql`` reads, one row per patent: continuity parents, PCT filing,
    term adjustment, disclaimers and design length (``related_documents``, ``pct_data``,
    ``terms``)."""
    relations = ", ".join(f"'{r}'" for r in TERM_RELATIONS)
    key = _sql_key("patent_id", salt)
    return f"""
WITH r AS (
    SELECT {key} AS h,
           min(least(related_date, parent_pct_date)) FILTER (
               WHERE relation IN ({relations}) AND coalesce(related_office, 'US') IN ('US', 'WO')
           ) AS earliest_parent,
           min(related_date) FILTER (WHERE relation = 'reissue') AS original_date
    FROM related_documents GROUP BY 1
), p AS (
    SELECT {key} AS h, min(pct_filing_date) AS pct_filing_date FROM pct_data GROUP BY 1
), t AS (
    SELECT {key} AS h, max(adjustment_days) AS adjustment_days,
           bool_or(disclaimer) AS disclaimer, max(length_of_grant_years) AS length_of_grant_years
    FROM terms GROUP BY 1
)
SELECT b.idx, b.office, b.patent_type, b.filing_date, b.grant_date,
       r.earliest_parent, r.original_date, p.pct_filing_date,
       t.adjustment_days, t.disclaimer, t.length_of_grant_years
FROM ip_base b
LEFT JOIN r ON r.h = b.h
LEFT JOIN p ON p.h = b.h
LEFT JOIN t ON t.h = b.h"""


def status_sql(options: IndicatorOptions, salt: str) -> str:
    """Status (events, else source text), in force, licence/pledge, term and remaining term.

    The term's end and how it was reached come from ``ip_term`` (``term.expiry_sql``);
    legal-status events apply on top: a lapsed, expired or invalidated patent has no
    remaining term. Licensed and pledged are known (true or false) for the patents of a
    source for which legal-status events were loaded at all; for other sources they are null.
    """
    as_of = _sql_date(options.as_of)
    dead = st.dead_statuses_sql()
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
           t.* EXCLUDE (idx)
    FROM ip_base b
    JOIN ip_term t ON t.idx = b.idx
    LEFT JOIN derived s ON s.h = b.h
    LEFT JOIN ev ON ev.h = b.h
)
SELECT idx, status, term_years, term_end, term_rule, term_basis, term_basis_date,
       term_adjustment_days, term_disclaimer, term_upper_bound,
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


# Offices that grant nothing themselves: a PCT application (WO) is not a jurisdiction.
NON_OFFICES: tuple[str, ...] = ("WO", "IB")


def family_sql(salt: str) -> str:
    """Family size as the number of distinct offices of the family (OECD), and its basis.

    Bases, the first that applies: ``families`` (a loaded DOCDB/INPADOC-style table holds the
    patent: the offices of every member of its families); ``priority_claims`` (priority
    claims were loaded for the patent's source: its own office plus the offices of its
    priorities; a PCT priority or filing adds no office, WO is not a jurisdiction);
    ``source`` (the source reported a family size, a count of documents); ``corpus`` (corpus
    patents sharing its ``family_id``: their offices). Else unknown (``no family data``).
    ``family_other_office``: an office other than the patent's own is in the family.
    """
    key = _sql_key("patent_id", salt)
    non_offices = ", ".join(f"'{o}'" for o in NON_OFFICES)
    return f"""
WITH member AS (
    SELECT DISTINCT {key} AS h, family_id FROM families
), loaded AS (
    SELECT m.h, list(DISTINCT f.office) FILTER (
               WHERE f.office IS NOT NULL AND f.office NOT IN ({non_offices})) AS offices
    FROM member m JOIN families f ON f.family_id = m.family_id GROUP BY m.h
), prio AS (
    SELECT {key} AS h, list(DISTINCT country) FILTER (
               WHERE country IS NOT NULL AND country NOT IN ({non_offices})) AS offices
    FROM priority_claims GROUP BY 1
), prio_sources AS (
    SELECT DISTINCT b.source FROM ip_base b SEMI JOIN prio ON prio.h = b.h
), corpus AS (
    SELECT family_id, list(DISTINCT office) AS offices
    FROM ip_base WHERE family_id IS NOT NULL GROUP BY family_id
), o AS (
    SELECT b.idx, b.office, b.family_size AS reported,
           CASE WHEN l.h IS NOT NULL THEN 'families'
                WHEN b.source IN (SELECT source FROM prio_sources) THEN 'priority_claims'
                WHEN b.family_size IS NOT NULL THEN 'source'
                WHEN c.family_id IS NOT NULL THEN 'corpus' END AS basis,
           CASE WHEN l.h IS NOT NULL THEN list_distinct(list_append(l.offices, b.office))
                WHEN b.source IN (SELECT source FROM prio_sources)
                    THEN list_distinct(list_append(coalesce(p.offices, []), b.office))
                WHEN c.family_id IS NOT NULL THEN c.offices END AS offices
    FROM ip_base b
    LEFT JOIN loaded l ON l.h = b.h
    LEFT JOIN prio p ON p.h = b.h
    LEFT JOIN corpus c ON c.family_id = b.family_id
)
SELECT idx, basis AS family_basis,
       CASE WHEN basis = 'source' THEN reported
            ELSE len(list_filter(offices, lambda x: x IS NOT NULL)) END AS family_size,
       CASE WHEN basis = 'source' THEN false
            ELSE coalesce(len(list_filter(offices, lambda x: x IS NOT NULL AND x <> office)) > 0,
                          false) END AS family_other_office,
       array_to_string(list_sort(offices), ' ') AS family_offices
FROM o"""


# --------------------------------------------------------------- assembling


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
    cited_sources = "(SELECT source FROM ip_cited_sources)"
    has_universe = _KNOWN_UNIVERSE
    after_end = f"coalesce(b.filing_date > {_UNIVERSE_END}, false)"
    known = f"({has_universe} AND NOT {after_end})"
    window_end = _window_end_sql("b.publication_date", options)
    full_window = _sql_add_years("b.publication_date", str(options.window_years))
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
       {after_end} AS filed_after_universe,
       CASE WHEN {known} THEN greatest(coalesce(fw.fwd, 0), b.reported_citations)
            ELSE b.reported_citations END AS fwd_citations,
       CASE WHEN {known} THEN coalesce(fw.fwd_5y, 0) END AS fwd_citations_5y,
       CASE WHEN {known} THEN CAST({window_end} - 1 AS DATE) END AS fwd_window_end,
       CASE WHEN {known} THEN {window_end} < {full_window} END AS fwd_window_capped,
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


def indicator_steps(options: IndicatorOptions, facts: CorpusFacts) -> list[Step]:
    """The named steps up to the raw indicators, in order; then ``ranking_steps`` and
    ``indicators_sql`` give the result."""
    salt = options.key_salt
    return [
        Step("ip_class_rows", class_rows_sql(salt)),
        Step("ip_class_dict", class_dict_sql()),
        Step("ip_main", main_class_sql()),
        Step("ip_base", base_sql(salt)),
        Step("ip_kinds", kinds_sql()),
        Step("ip_doc_classes", document_classes_sql()),
        Step("ip_classes", classes_sql()),
        Step("ip_cited_sources", cited_sources_sql(salt)),
        Step("ip_universe", universe_sql(facts, salt)),
        Step("ip_universe_span", universe_span_sql()),
        Step("ip_edges", edges_sql(options, facts)),
        Step("ip_universe_kind", universe_kind_sql(facts)),
        Step("ip_citing_counts", citing_counts_sql(salt)),
        Step("ip_forward", forward_sql()),
        Step("ip_backward", backward_sql()),
        Step("ip_term_facts", term_facts_sql(salt)),
        Step("ip_term", expiry_sql("ip_term_facts")),
        Step("ip_status", status_sql(options, salt)),
        Step("ip_family", family_sql(salt)),
        Step("ip_cells", cells_sql(options)),
        Step("ip_raw", raw_sql(options, facts)),
    ]
