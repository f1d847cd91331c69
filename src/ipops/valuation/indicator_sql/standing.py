"""Indicator steps of a patent's standing: term facts, legal status and remaining term,
and the family's offices."""

from __future__ import annotations

from ipops.corpus.events import EventType, LegalStatus
from ipops.valuation import status as st
from ipops.valuation.indicator_sql.dialect import sql_date, sql_days, sql_key
from ipops.valuation.indicator_sql.options import YEAR_DAYS, IndicatorOptions
from ipops.valuation.term import TERM_RELATIONS


def term_facts_sql(salt: str) -> str:
    """What ``term.expiry_sql`` reads, one row per patent: continuity parents, PCT filing,
    term adjustment, disclaimers and design length (``related_documents``, ``pct_data``,
    ``terms``)."""
    relations = ", ".join(f"'{r}'" for r in TERM_RELATIONS)
    key = sql_key("patent_id", salt)
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
    as_of = sql_date(options.as_of)
    dead = st.dead_statuses_sql()
    unknown = LegalStatus.UNKNOWN.value
    return f"""
WITH ev AS (
    SELECT {sql_key("patent_id", salt)} AS h,
           bool_or(event_type = '{EventType.PLEDGED}') AS ever_pledged
    FROM events GROUP BY 1
), derived AS (
    SELECT {sql_key("patent_id", salt)} AS h, status, licensed, pledged FROM patent_status
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
            ELSE greatest({sql_days(as_of, "term_end")}, 0) / {YEAR_DAYS} END
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
    key = sql_key("patent_id", salt)
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
