"""Value scores from normalised indicators: the whole corpus in SQL, one patent explained.

For each degree ``d`` (legal, technical, economic) and patent::

    degree_d = 100 * sum_i w_di * n_i / sum_i w_di      over the indicators i of d whose
                                                         normalised value n_i is available
    PVD      = sum_d a_d * degree_d / sum_d a_d         over the degrees with a score

so a missing indicator is left out and the remaining weights of its degree are
renormalised (never read as 0), and a degree with no available indicator is left out of
PVD the same way. ``unavailable`` lists the weighted indicators left out for the patent.
The contribution of indicator i to PVD is ``100 * (a_d / A) * (w_di / W_d) * n_i``
(``A``, ``W_d``: the sums of available weights above), so contributions add up to PVD.

``score_sql`` is the set-wise form (over the ``indicators`` table); ``explain`` is the same
arithmetic for one row of that table, with every step shown. Tests prove they agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ipops.valuation.availability import REASONS, reason_of
from ipops.valuation.catalogue import BY_NAME, Normalisation, pct_column
from ipops.valuation.schemes import DEGREE_LABELS, DEGREES, Scheme

SCORE_COLUMNS: tuple[str, ...] = ("legal", "technical", "economic", "pvd")


# --------------------------------------------------------------------------- normalising


def normalised(row: Mapping[str, Any], name: str) -> float | None:
    """The normalised value (0..1) of indicator ``name`` in an indicators row, or None."""
    indicator = BY_NAME[name]
    if indicator.normalisation is Normalisation.PERCENTILE:
        value = row.get(pct_column(name))
        return None if value is None else float(value)
    raw = row.get(name)
    if raw is None:
        return None
    if indicator.normalisation is Normalisation.FLAG:
        return 1.0 if raw else 0.0
    term = row.get("term_years")
    if not term:
        return None
    return min(max(float(raw) / float(term), 0.0), 1.0)


def normalised_sql(name: str) -> str:
    indicator = BY_NAME[name]
    if indicator.normalisation is Normalisation.PERCENTILE:
        return pct_column(name)
    if indicator.normalisation is Normalisation.FLAG:
        return f"CASE WHEN {name} IS NULL THEN NULL WHEN {name} THEN 1.0 ELSE 0.0 END"
    # greatest/least skip nulls in DuckDB and Spark: keep a null a null
    return (
        f"CASE WHEN {name} IS NULL OR nullif(term_years, 0) IS NULL THEN NULL "
        f"ELSE least(greatest({name} / term_years, 0.0), 1.0) END"
    )


# --------------------------------------------------------------------------- set-wise


def _weighted(weights: Mapping[str, float]) -> tuple[str, str]:
    """(numerator, denominator) SQL of a weighted mean over available values ``n_<name>``."""
    used = [(name, w) for name, w in weights.items() if w > 0]
    if not used:
        return "0.0", "0.0"
    numerator = " + ".join(f"{w!r} * coalesce(n_{name}, 0.0)" for name, w in used)
    denominator = " + ".join(
        f"CASE WHEN n_{name} IS NULL THEN 0.0 ELSE {w!r} END" for name, w in used
    )
    return numerator, denominator


def score_sql(scheme: Scheme, source: str = "indicators") -> str:
    """patent_id, the three degrees, PVD (0-100) and the unavailable indicators, per patent."""
    names = scheme.indicators
    normals = ",\n       ".join(f"{normalised_sql(n)} AS n_{n}" for n in names)
    degrees = []
    for degree in DEGREES:
        numerator, denominator = _weighted(scheme.weights.get(degree, {}))
        degrees.append(f"100.0 * ({numerator}) / nullif({denominator}, 0.0) AS {degree}")
    degree_columns = ",\n       ".join(degrees)
    pvd_numerator, pvd_denominator = _degree_mean(scheme)
    missing = ", ".join(f"CASE WHEN n_{n} IS NULL THEN '{n}' END" for n in names)
    unavailable = (
        f"list_filter([{missing}], lambda v: v IS NOT NULL)" if names else "CAST([] AS VARCHAR[])"
    )
    return f"""
WITH n AS (
    SELECT patent_id,
       {normals}
    FROM {source}
), d AS (
    SELECT patent_id,
       {degree_columns},
       {unavailable} AS unavailable
    FROM n
)
SELECT patent_id, legal, technical, economic,
       ({pvd_numerator}) / nullif({pvd_denominator}, 0.0) AS pvd,
       unavailable
FROM d"""


def _degree_mean(scheme: Scheme) -> tuple[str, str]:
    used = [(d, scheme.degrees[d]) for d in DEGREES if scheme.degrees[d] > 0]
    numerator = " + ".join(f"{a!r} * coalesce({d}, 0.0)" for d, a in used) or "0.0"
    denominator = (
        " + ".join(f"CASE WHEN {d} IS NULL THEN 0.0 ELSE {a!r} END" for d, a in used) or "0.0"
    )
    return numerator, denominator


# --------------------------------------------------------------------------- explained


@dataclass(frozen=True)
class IndicatorLine:
    degree: str
    indicator: str
    raw: Any
    percentile: float | None  # the cohort percentile (percentile indicators only)
    normalised: float | None  # the value the weight multiplies (0..1), None if unavailable
    weight: float  # as in the scheme
    effective_weight: float  # renormalised over the degree's available indicators
    degree_points: float  # contribution to the degree score (0-100)
    contribution: float  # contribution to PVD (points)
    available: bool = True
    reason: str | None = None  # why not available (availability.REASONS key)
    reason_en: str | None = None
    reason_zh: str | None = None


@dataclass(frozen=True)
class DegreeLine:
    degree: str
    weight: float
    effective_weight: float
    score: float | None
    contribution: float


@dataclass(frozen=True)
class Explanation:
    pvd: float | None
    degrees: tuple[DegreeLine, ...]
    lines: tuple[IndicatorLine, ...]
    unavailable: tuple[str, ...]

    def notes(self, zh: bool = False) -> tuple[str, ...]:
        """What was left out and where its weight went, one line per unavailable indicator."""
        out = []
        for line in self.lines:
            if line.available:
                continue
            if zh:
                known = BY_NAME.get(line.indicator)
                label = known.label_zh if known else line.indicator
                out.append(
                    f"{label}：{line.reason_zh}，不计入{DEGREE_LABELS[line.degree][2]}，"
                    f"其权重 {line.weight:.4g} 由该价值度其余可用指标按比例分摊"
                )
            else:
                out.append(
                    f"{line.indicator}: {line.reason_en}; left out of the {line.degree} "
                    f"degree, its weight {line.weight:.4g} shared among that degree's "
                    "available indicators"
                )
        return tuple(out)

    def degree_score(self, degree: str) -> float | None:
        return next(d.score for d in self.degrees if d.degree == degree)


def explain(row: Mapping[str, Any], scheme: Scheme) -> Explanation:
    """The score of one indicators row under ``scheme``, with every indicator's share."""
    partial: dict[str, list[tuple[str, float, float | None]]] = {}
    scores: dict[str, float | None] = {}
    for degree in DEGREES:
        used = [(n, w) for n, w in scheme.weights.get(degree, {}).items() if w > 0]
        values = [(n, w, normalised(row, n)) for n, w in used]
        partial[degree] = values
        available = sum(w for _, w, v in values if v is not None)
        scores[degree] = (
            100.0 * sum(w * v for _, w, v in values if v is not None) / available
            if available > 0
            else None
        )
    total = sum(
        scheme.degrees[d] for d in DEGREES if scheme.degrees[d] > 0 and scores[d] is not None
    )
    degree_lines = []
    lines = []
    for degree in DEGREES:
        a = scheme.degrees[degree]
        score = scores[degree]
        share = a / total if total > 0 and a > 0 and score is not None else 0.0
        degree_lines.append(DegreeLine(degree, a, share, score, share * (score or 0.0)))
        available = sum(w for _, w, v in partial[degree] if v is not None)
        for name, w, value in partial[degree]:
            effective = w / available if value is not None and available > 0 else 0.0
            points = 100.0 * effective * (value or 0.0)
            reason = None if value is not None else (reason_of(row, name) or "no_dates")
            lines.append(
                IndicatorLine(
                    degree=degree,
                    indicator=name,
                    raw=row.get(name),
                    percentile=_percentile(row, name),
                    normalised=value,
                    weight=w,
                    effective_weight=effective,
                    degree_points=points,
                    contribution=share * points,
                    available=value is not None,
                    reason=reason,
                    reason_en=None if reason is None else REASONS[reason][0],
                    reason_zh=None if reason is None else REASONS[reason][1],
                )
            )
    pvd = sum(d.contribution for d in degree_lines) if total > 0 else None
    missing = {line.indicator for line in lines if line.normalised is None}
    unavailable = tuple(name for name in BY_NAME if name in missing)
    return Explanation(pvd, tuple(degree_lines), tuple(lines), unavailable)


def _percentile(row: Mapping[str, Any], name: str) -> float | None:
    if BY_NAME[name].normalisation is not Normalisation.PERCENTILE:
        return None
    value = row.get(pct_column(name))
    return None if value is None else float(value)
