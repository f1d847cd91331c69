"""What the indicator SQL is built from: the options, the corpus facts, a named step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
    """A named SELECT; ``done_with``: earlier steps' tables no later step reads (dropped
    once this one is made, to free their memory)."""

    name: str
    sql: str
    done_with: tuple[str, ...] = ()
