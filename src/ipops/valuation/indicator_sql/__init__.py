"""The value indicators as named SQL steps over the corpus views (set-wise, no Python loops).

Each function returns one SELECT. ``indicator_steps`` lists the steps up to ``ip_raw`` (every
raw indicator of every patent) as ``Step`` (name, SQL); ``ranking_steps`` then counts each
cohort's values, and ``indicators_sql`` is the final table. Steps read the corpus views
(``patents``, ``classifications``, ``citations``, ``events``, ``patent_status``), the
concordance table ``ip_concordance`` (``fields.concordance_table``) and the steps before
them. ``ipops.valuation.indicators`` materialises each step as a temporary table in DuckDB;
the geography issue's Spark path can run the same steps as temporary views (the
engine-specific expressions are in ``dialect``: hashing, date
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

from ipops.valuation.indicator_sql.citations import (
    backward_sql,
    cite_keys_sql,
    cited_sources_sql,
    citing_counts_sql,
    edges_sql,
    forward_sql,
    universe_kind_sql,
    universe_span_sql,
    universe_sql,
)
from ipops.valuation.indicator_sql.classes import (
    base_sql,
    class_dict_sql,
    class_rows_sql,
    classes_sql,
    document_classes_sql,
    key_collisions_sql,
    main_class_sql,
)
from ipops.valuation.indicator_sql.cohorts import (
    COHORT_LEVELS,
    KIND_SQL,
    KIND_STEP,
    KINDS,
    cells_sql,
    cohort_levels_sql,
    indicators_sql,
    kinds_sql,
    rank_table,
    ranking_steps,
    raw_sql,
)
from ipops.valuation.indicator_sql.options import YEAR_DAYS, CorpusFacts, IndicatorOptions, Step
from ipops.valuation.indicator_sql.standing import family_sql, status_sql, term_facts_sql
from ipops.valuation.term import expiry_sql

__all__ = [
    "COHORT_LEVELS",
    "KINDS",
    "KIND_SQL",
    "KIND_STEP",
    "YEAR_DAYS",
    "CorpusFacts",
    "IndicatorOptions",
    "Step",
    "cohort_levels_sql",
    "indicator_steps",
    "indicators_sql",
    "key_collisions_sql",
    "rank_table",
    "ranking_steps",
]


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
        Step("ip_doc_classes", document_classes_sql(), done_with=("ip_class_rows",)),
        Step("ip_classes", classes_sql()),
        Step("ip_citing_counts", citing_counts_sql(salt)),
        Step("ip_cited_sources", cited_sources_sql()),
        Step("ip_universe", universe_sql(facts, salt)),
        Step("ip_universe_span", universe_span_sql()),
        Step("ip_cite_keys", cite_keys_sql(salt)),
        Step("ip_edges", edges_sql(options, facts), done_with=("ip_cite_keys", "ip_universe")),
        Step("ip_universe_kind", universe_kind_sql(facts)),
        Step("ip_forward", forward_sql(), done_with=("ip_doc_classes",)),
        Step("ip_backward", backward_sql(), done_with=("ip_edges",)),
        Step("ip_term_facts", term_facts_sql(salt)),
        Step("ip_term", expiry_sql("ip_term_facts"), done_with=("ip_term_facts",)),
        Step("ip_status", status_sql(options, salt), done_with=("ip_term",)),
        Step("ip_family", family_sql(salt)),
        Step("ip_cells", cells_sql(options)),
        # the ranking steps and the final table read ip_raw alone: free the rest for them
        Step("ip_raw", raw_sql(options, facts), done_with=RAW_INPUTS),
    ]


# Tables read by ``raw_sql`` and by no later step.
RAW_INPUTS: tuple[str, ...] = (
    "ip_class_dict",
    "ip_main",
    "ip_base",
    "ip_kinds",
    "ip_classes",
    "ip_citing_counts",
    "ip_cited_sources",
    "ip_universe_span",
    "ip_universe_kind",
    "ip_forward",
    "ip_backward",
    "ip_status",
    "ip_family",
    "ip_cells",
)
