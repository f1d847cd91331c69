"""The value indicators: what each one measures, its unit and how it is normalised.

Every indicator is computed for every patent of the corpus (``indicator_sql``); a scheme
(``schemes``) weights the normalised indicators into the three degrees of the Chinese
patent value manual (legal LVD, technical TVD, economic EVD) and the composite PVD.

Normalisation (the value a weight multiplies, in [0, 1]):

``percentile``
    ``percent_rank()`` within the patent's cohort (kind × WIPO field × filing year, see
    ``indicator_sql``): ``(rank - 1) / (n - 1)`` where ``rank`` is one more than the number
    of cohort patents with a strictly lower value, so ties share the **lowest** rank (every
    uncited patent of a cohort gets 0, not the middle of the uncited block), the best value
    gets 1, and a cohort of one patent gives 0. Patents whose value is null are left out of
    the ranking and stay null. For an indicator where less is better (``grant_lag``) the
    order is reversed, so 1 is still the best.
``flag``
    true = 1, false = 0 (a share of a yes/no would reward rarity, not the fact).
``fraction``
    ``remaining_term`` divided by the statutory term of the patent's type (20 years for an
    invention), clamped to [0, 1]: an absolute scale, because within a filing-year cohort
    every living patent has nearly the same remaining term.

A null value means *not available* (the source has no such data, or the indicator is not
defined for the patent, e.g. generality without forward citations); it is never read as 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Normalisation(StrEnum):
    PERCENTILE = "percentile"
    FLAG = "flag"
    FRACTION = "fraction"


@dataclass(frozen=True)
class Indicator:
    name: str
    label_en: str
    label_zh: str
    unit: str
    normalisation: Normalisation
    higher_is_better: bool
    description: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label_en,
            "label_zh": self.label_zh,
            "unit": self.unit,
            "normalisation": str(self.normalisation),
            "higher_is_better": self.higher_is_better,
            "description": self.description,
        }


_P, _F, _R = Normalisation.PERCENTILE, Normalisation.FLAG, Normalisation.FRACTION

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "fwd_citations", "Forward citations", "被引证次数", "citations", _P, True,
        "Citations received from the citing universe (corpus patents with citation data and "
        "a loaded citing-documents table); when the source reports a larger count (e.g. "
        "被引证次数), that count. Unknown without a universe or when filed after its end.",
    ),
    Indicator(
        "fwd_citations_5y", "Forward citations within 5 years", "5年内被引证次数", "citations",
        _P, True,
        "Citations from the universe within 5 years of this patent's publication, the window "
        "capped at the universe's end.",
    ),
    Indicator(
        "backward_citations", "Backward patent citations", "引证专利数", "citations", _P, True,
        "Distinct patent documents this patent cites (in the corpus or not).",
    ),
    Indicator(
        "npl_citations", "Non-patent literature citations", "引证非专利文献数", "citations", _P,
        True, "Non-patent references this patent cites (science linkage).",
    ),
    Indicator(
        "claims", "Claims", "权利要求数", "claims", _P, True, "Number of claims.",
    ),
    Indicator(
        "independent_claims", "Independent claims", "独立权利要求数", "claims", _P, True,
        "Claims that refer to no other claim.",
    ),
    Indicator(
        "scope", "Patent scope", "技术覆盖范围", "IPC subclasses", _P, True,
        "Distinct 4-character IPC subclasses (CPC when the patent has no IPC; CPC-only Y "
        "tags left out).",
    ),
    Indicator(
        "family_size", "Family size", "同族数量", "documents", _P, True,
        "Distinct offices of the family (OECD): from a loaded family table, else the own "
        "office plus priority-claim offices; else the source's reported size.",
    ),
    Indicator(
        "grant_lag", "Grant lag", "授权周期", "years", _P, False,
        "Years from filing to grant (shorter is better: applicants speed up valuable "
        "inventions). Null for applications.",
    ),
    Indicator(
        "remaining_term", "Remaining legal term", "剩余保护期", "years", _R, True,
        "Years from the as-of date to the expiry (earliest relevant filing, adjustment, "
        "disclaimers; see valuation.term); 0 when lapsed, expired or invalidated.",
    ),
    Indicator(
        "generality", "Generality", "通用性", "index 0-1", _P, True,
        "1 - sum of squared shares of subclasses among all IPC codes of the citing documents.",
    ),
    Indicator(
        "originality", "Originality", "原创性", "index 0-1", _P, True,
        "1 - sum of squared shares of subclasses among all IPC codes of the cited patents.",
    ),
    Indicator(
        "radicalness", "Radicalness", "激进性", "share 0-1", _P, True,
        "Share of the cited patents' IPC codes that are not among this patent's subclasses.",
    ),
    Indicator(
        "breakthrough", "Breakthrough", "突破性", "yes/no", _F, True,
        "Among the top 1% of its cohort by forward citations.",
    ),
    Indicator(
        "licensed", "Licensed", "许可备案", "yes/no", _F, True,
        "A licence has been recorded (legal-status events).",
    ),
    Indicator(
        "pledged", "Pledged", "质押融资", "yes/no", _F, True,
        "Has been pledged as loan collateral (legal-status events).",
    ),
    Indicator(
        "in_pool", "In a patent pool", "入池", "yes/no", _F, True,
        "Reserved for the patent-pool domain: null until it exists.",
    ),
    Indicator(
        "litigated", "Litigated", "涉诉", "yes/no", _F, True,
        "Reserved for litigation data: null until it exists.",
    ),
)  # fmt: skip

BY_NAME: dict[str, Indicator] = {indicator.name: indicator for indicator in INDICATORS}
NAMES: tuple[str, ...] = tuple(BY_NAME)
PERCENTILE_NAMES: tuple[str, ...] = tuple(i.name for i in INDICATORS if i.normalisation is _P)
# Indicators that will exist only when another domain provides them.
RESERVED: frozenset[str] = frozenset({"in_pool", "litigated"})


def pct_column(name: str) -> str:
    """The column of the indicators table holding the cohort percentile of ``name``."""
    return f"{name}_pct"
