"""Indicator steps over citations: the citing universe, its edges, forward and backward
citations, generality, originality and radicalness."""

from __future__ import annotations

from ipops.valuation.indicator_sql.dialect import sql_add_years, sql_key
from ipops.valuation.indicator_sql.options import CorpusFacts, IndicatorOptions


def universe_sql(facts: CorpusFacts, salt: str) -> str:
    """(h, day, pub): the citing universe, documents whose references are loaded, with the
    date a citation from them counts from (filing, else publication, for corpus patents)
    and their publication date. With a ``citing_documents`` table the universe is exactly
    that table (docs/corpus.md); without one, the corpus patents with citation data."""
    if not facts.citing_loaded:
        return """
SELECT b.h, coalesce(b.filing_date, b.publication_date) AS day, b.publication_date AS pub
FROM ip_base b WHERE b.source IN (SELECT source FROM ip_cited_sources)"""
    key = sql_key("d.patent_id", salt)
    return f"""
SELECT {key} AS h, coalesce(b.filing_date, d.publication_date, b.publication_date) AS day,
       coalesce(d.publication_date, b.publication_date) AS pub
FROM citing_documents d LEFT JOIN ip_base b ON b.h = {key}"""


def cited_sources_sql() -> str:
    """Sources of which some patent lists citations (their patents carry citation data):
    read from ``ip_citing_counts`` (one row per document listing any citation), not from
    the citations again."""
    return """
SELECT DISTINCT b.source FROM ip_base b SEMI JOIN ip_citing_counts c ON c.h = b.h"""


def cite_keys_sql(salt: str) -> str:
    """(hc, hd): the keys of the citing and the cited document of every patent citation,
    self-citations left out. Materialised so that the joins of ``ip_edges`` know its size
    and build their hash tables on the patents, not on the citations (a filtered Parquet
    scan is estimated far below its real size, and DuckDB then builds on it)."""
    return f"""
SELECT hc, hd FROM (
    SELECT {sql_key("patent_id", salt)} AS hc, {sql_key("cited_patent_id", salt)} AS hd
    FROM citations WHERE category = 'patent' AND cited_patent_id IS NOT NULL
) WHERE hc <> hd"""


def edges_sql(options: IndicatorOptions, facts: CorpusFacts) -> str:
    """Patent citations whose cited end is a corpus patent: the citing document's key, its
    corpus number if it is one, whether it belongs to the citing universe and whether it
    falls in the forward window (``window_years`` from the cited patent's publication,
    capped at the universe's end).

    Without a citing-documents table the universe is the corpus patents with citation data,
    and every corpus patent that cites is one of them: no join with ``ip_universe`` needed.
    """
    window_end = window_end_sql("publication_date", options)
    if facts.citing_loaded:
        member, day, universe = "u.h IS NOT NULL", "u.day", "LEFT JOIN ip_universe u ON u.h = c.hc"
    else:
        member, day, universe = (
            "a.idx IS NOT NULL",
            "coalesce(a.filing_date, a.publication_date)",
            "",
        )
    return f"""
WITH b AS (
    SELECT h, idx, {window_end} AS window_end FROM ip_base
)
SELECT c.hc AS citing_h, a.idx AS citing, b.idx AS cited,
       {member} AS in_universe, {day} < b.window_end AS in_window
FROM ip_cite_keys c
JOIN b ON b.h = c.hd
LEFT JOIN ip_base a ON a.h = c.hc
{universe}"""


def universe_span_sql() -> str:
    """(start, end, documents, undated): the publication dates the citing universe's documents
    span, how many documents it holds and how many of those have no date (a citing patent
    known only from a citation table: it counts in forward citations, never within the
    window, so the window's count is then a lower bound)."""
    return (
        'SELECT min(pub) AS "start", max(pub) AS "end", count(*) AS documents, '
        "count(*) FILTER (WHERE pub IS NULL) AS undated FROM ip_universe"
    )


def universe_kind_sql(facts: CorpusFacts) -> str:
    """(kind): ``loaded``, ``corpus`` (a corpus patent cites another) or ``none``."""
    if facts.citing_loaded:
        return "SELECT 'loaded' AS kind"
    return (
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM ip_edges WHERE citing IS NOT NULL) "
        "THEN 'corpus' ELSE 'none' END AS kind"
    )


KNOWN_UNIVERSE = "(SELECT kind FROM ip_universe_kind) <> 'none'"


UNIVERSE_END = '(SELECT "end" FROM ip_universe_span)'


def window_end_sql(
    publication: str, options: IndicatorOptions, universe_end: str = UNIVERSE_END
) -> str:
    """End of the forward window: ``window_years`` after publication, capped at the universe's
    last day (the day after it, as the comparison is strict; ``least`` skips a null)."""
    full = sql_add_years(publication, str(options.window_years))
    return f"least({full}, CAST({universe_end} + 1 AS DATE))"


def citing_counts_sql(salt: str) -> str:
    """(h, patent citations listed, non-patent citations listed) of each citing patent."""
    return f"""
SELECT {sql_key("patent_id", salt)} AS h,
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
    FROM ip_edges WHERE in_universe AND {KNOWN_UNIVERSE} GROUP BY cited
), occ AS (
    SELECT e.cited AS idx, k.cid, count(*) AS n
    FROM ip_edges e JOIN ip_doc_classes k ON k.h = e.citing_h
    WHERE e.in_universe AND {KNOWN_UNIVERSE} GROUP BY e.cited, k.cid
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

    One pass over the (patent, subclass) cells: each cell is marked as one of the patent's
    own subclasses by a left join, and the totals, the sum of squares and the own count are
    summed together (no second read of the cells, so they are never materialised).
    """
    return """
WITH occ AS (
    SELECT e.citing AS idx, k.cid, count(*) AS n
    FROM ip_edges e JOIN ip_classes k ON k.idx = e.cited
    WHERE e.citing IS NOT NULL GROUP BY e.citing, k.cid
), totals AS (
    SELECT o.idx, sum(o.n) AS n, sum(o.n * o.n) AS n2,
           coalesce(sum(o.n) FILTER (WHERE own.idx IS NOT NULL), 0) AS own
    FROM occ o LEFT JOIN ip_classes own ON own.idx = o.idx AND own.cid = o.cid
    GROUP BY o.idx
)
SELECT idx, 1 - n2 / (n ^ 2) AS originality, 1 - own / n AS radicalness FROM totals"""
