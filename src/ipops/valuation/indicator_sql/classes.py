"""Indicator steps over classes: the IPC/CPC rows that count, each patent's main class,
its WIPO field, and the base row of every patent (keyed by hash)."""

from __future__ import annotations

from ipops.valuation.indicator_sql.dialect import sql_key


def class_rows_sql(salt: str) -> str:
    """The IPC and CPC rows that count (CPC-only ``Y`` tags left out), keyed once."""
    return f"""
SELECT {sql_key("patent_id", salt)} AS h, scheme, sequence, is_main, symbol, subclass
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
    SELECT {sql_key("patent_id", salt)} AS h, * FROM patents
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
