"""The valuation use cases under their former import path, for callers in other domains.

New code imports from the sub-domain modules: ``indicators`` (the indicators file, the data
cut-off), ``runs`` (scoring runs), ``rankings`` (top patents, one patent's value card),
``screening`` (high-value patents), ``legal_terms`` (remaining term, expiries) and
``appraisal`` (money valuation).
"""

from __future__ import annotations

from ipops.valuation.appraisal import MoneyValuation, value_in_money
from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.indicators import (
    EngineSettings,
    IndicatorsFile,
    ValuationPaths,
    compute_indicators,
    data_cutoff,
    default_as_of,
    definitions_digest,
    read_indicators_metadata,
)
from ipops.valuation.legal_terms import LegalTerm, expiries, legal_term, term_rows
from ipops.valuation.rankings import PatentValue, RankFilter, patent_value, top_patents
from ipops.valuation.runs import ScoreRun, ensure_scores, list_runs, score_corpus
from ipops.valuation.screening import HighValuePatent, HighValueReport, screen_high_value

__all__ = [
    "EngineSettings",
    "HighValuePatent",
    "HighValueReport",
    "IndicatorOptions",
    "IndicatorsFile",
    "LegalTerm",
    "MoneyValuation",
    "PatentValue",
    "RankFilter",
    "ScoreRun",
    "ValuationPaths",
    "compute_indicators",
    "data_cutoff",
    "default_as_of",
    "definitions_digest",
    "ensure_scores",
    "expiries",
    "legal_term",
    "list_runs",
    "patent_value",
    "read_indicators_metadata",
    "score_corpus",
    "screen_high_value",
    "term_rows",
    "top_patents",
    "value_in_money",
]
