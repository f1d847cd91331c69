"""Enterprise IP rating (the 我的麦田 model): a score 0-100 and a nine-level grade.

Seven components, each a number from 0 to 1 computed from the enterprise's linked patents
(confirmed links only), weighted to points that add up to the score:

==========  ======  ==================================================================
component   weight  value (0..1)
==========  ======  ==================================================================
size         20     ln(1 + weighted patents in force) / ln(1 + 50), at most 1; by type:
                    invention (发明, and US utility) 1, utility model (实用新型) 0.5,
                    design (外观设计) 0.3
value        25     mean patent value degree / 100, valuation scheme ``finance_rating``:
                    the ``finance`` scheme without the pledge indicator (the platform's
                    own pledge must not raise the value that ``pledges`` then discounts)
                    and without remaining term (counted once, in ``life``)
growth       10     (filings in the last 3 years + 1) / (filings in the 3 before + 1) / 2,
                    at most 1 (1: doubled; 0.5: flat); 0 without any patent
breadth      10     distinct IPC subclasses of the patents in force / 8, at most 1
life         15     mean remaining legal term of the patents in force / 10 years, at most 1
legal        10     1 - (0.5 lapsed + 1.0 invalidated + 0.5 invalidation events) / patents;
                    0 without any patent (nothing shown sound)
pledges      10     1 - already pledged patents in force / patents in force
==========  ======  ==================================================================

Two adjustments rest on the enterprise's own optional inputs (``rating_inputs``): R&D
intensity (up to +5 points) and credit-bureau flags (points off; a 失信被执行人 is kept out
of investment grade). Each is used when present and shown as absent otherwise.

The score is ``min(max(points + R&D points - penalties, 0), cap)``, rounded to 0.1.

Grades: AAA >= 90, AA >= 80, A >= 70, BBB >= 60, BB >= 50, B >= 40, CCC >= 30, CC >= 20,
else C. BBB and above is investment grade; it is out of reach (the score is capped at
59.9) for a firm with fewer than ``MIN_INVESTMENT_PATENTS`` (3) patents in force — no
patent, or one fresh patent, is not a portfolio a credit committee can lend against — and
for a portfolio pledged in full, and for a 失信被执行人. Litigation is not in the corpus:
invalidation events (whole or partial) are the legal-risk events counted.

The same formulas exist twice on purpose: as SQL (``score_sql``), to rate every
enterprise of a corpus in one DuckDB query, and in Python (``explain``), to show one rating's
components; a test keeps them equal.

Risk alerts: patents whose term ends within a year or that lapsed, invalidation events,
concentration (one patent holds more than half the portfolio's value, or only one patent is
in force), patents already pledged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ipops.finance.enterprises import BUREAU_LABELS as LABELS
from ipops.finance.rating_inputs import (
    BUREAU_CAPPED,
    BUREAU_PENALTIES,
    RD_POINTS,
    Adjustment,
    adjustments,
    bureau_penalty,
    rd_points,
)

MODEL_VERSION = "3"  # 3: R&D intensity and credit-bureau adjustments
MIN_INVESTMENT_PATENTS = 3
BELOW_INVESTMENT = 59.9
TYPE_WEIGHTS = {"utility_model": 0.5, "design": 0.3}  # others (inventions) 1
LAPSED_WEIGHT = 0.5
INVALIDATED_WEIGHT = 1.0
EVENT_WEIGHT = 0.5
SIZE_FULL = 50
BREADTH_FULL = 8
LIFE_FULL_YEARS = 10
GROWTH_YEARS = 3
CONCENTRATION_SHARE = 0.5
EXPIRY_WARNING_DAYS = 365
WEIGHTS: dict[str, int] = {
    "size": 20,
    "value": 25,
    "growth": 10,
    "breadth": 10,
    "life": 15,
    "legal": 10,
    "pledges": 10,
}
GRADES: tuple[tuple[str, int], ...] = (
    ("AAA", 90),
    ("AA", 80),
    ("A", 70),
    ("BBB", 60),
    ("BB", 50),
    ("B", 40),
    ("CCC", 30),
    ("CC", 20),
    ("C", 0),
)
GRADE_ORDER: tuple[str, ...] = tuple(g for g, _ in GRADES)
FEATURES: tuple[str, ...] = (
    "patents",
    "in_force",
    "pvd_mean",
    "pvd_top_share",
    "recent",
    "prior",
    "subclasses",
    "remaining_mean",
    "dead",
    "invalidations",
    "pledged",
    "expiring",
    "utility_models",
    "designs",
    "lapsed",
    "invalidated",
)


def grade_of(score: float) -> str:
    for grade, low in GRADES:
        if score >= low:
            return grade
    return "C"


def grade_at_least(grade: str, minimum: str) -> bool:
    return GRADE_ORDER.index(grade) <= GRADE_ORDER.index(minimum)


# --------------------------------------------------------------------------- per enterprise


@dataclass(frozen=True)
class Component:
    name: str
    raw: str  # the input, in words
    value: float  # 0..1
    weight: int
    points: float  # value x weight


@dataclass(frozen=True)
class Explanation:
    score: float
    grade: str
    components: tuple[Component, ...]
    alerts: tuple[str, ...]
    adjustments: tuple[Adjustment, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "grade": self.grade,
            "components": [asdict(c) for c in self.components],
            "adjustments": [asdict(a) for a in self.adjustments],
            "alerts": list(self.alerts),
        }


def _num(features: Mapping[str, Any], name: str) -> float:
    value = features.get(name)
    return 0.0 if value is None else float(value)


def weighted_in_force(f: Mapping[str, Any]) -> float:
    utility, designs = _num(f, "utility_models"), _num(f, "designs")
    inventions = max(_num(f, "in_force") - utility - designs, 0.0)
    return inventions + TYPE_WEIGHTS["utility_model"] * utility + TYPE_WEIGHTS["design"] * designs


def component_values(f: Mapping[str, Any]) -> dict[str, float]:
    in_force, patents = _num(f, "in_force"), _num(f, "patents")
    harm = (
        LAPSED_WEIGHT * _num(f, "lapsed")
        + INVALIDATED_WEIGHT * _num(f, "invalidated")
        + EVENT_WEIGHT * _num(f, "invalidations")
    )
    return {
        "size": min(1.0, math.log1p(weighted_in_force(f)) / math.log1p(SIZE_FULL)),
        "value": min(1.0, max(0.0, _num(f, "pvd_mean") / 100)),
        "growth": 0.0
        if patents == 0
        else min(1.0, (_num(f, "recent") + 1) / (_num(f, "prior") + 1) / 2),
        "breadth": min(1.0, _num(f, "subclasses") / BREADTH_FULL),
        "life": min(1.0, max(0.0, _num(f, "remaining_mean") / LIFE_FULL_YEARS)),
        "legal": 0.0 if patents == 0 else max(0.0, 1 - harm / patents),
        "pledges": 0.0 if in_force == 0 else max(0.0, 1 - _num(f, "pledged") / in_force),
    }


def score_cap(f: Mapping[str, Any]) -> tuple[float, str | None]:
    """The highest score the portfolio may reach, and why (None: no cap)."""
    if BUREAU_CAPPED in (f.get("bureau_flags") or ()):
        return BELOW_INVESTMENT, "失信被执行人 (dishonest judgement debtor): not investment grade"
    in_force = _num(f, "in_force")
    if in_force < MIN_INVESTMENT_PATENTS:
        return BELOW_INVESTMENT, (
            f"{int(in_force)} patents in force (< {MIN_INVESTMENT_PATENTS}): not investment grade"
        )
    if _num(f, "pledged") >= in_force:
        return BELOW_INVESTMENT, "every patent in force is already pledged: not investment grade"
    return 100.0, None


def _raw_words(f: Mapping[str, Any]) -> dict[str, str]:
    pvd = f.get("pvd_mean")
    remaining = f.get("remaining_mean")
    return {
        "size": f"{int(_num(f, 'in_force'))} patents in force of {int(_num(f, 'patents'))} "
        f"({int(_num(f, 'utility_models'))} utility models, {int(_num(f, 'designs'))} designs; "
        f"weighted {weighted_in_force(f):.1f})",
        "value": "no value scores" if pvd is None else f"mean PVD {float(pvd):.1f}",
        "growth": f"{int(_num(f, 'recent'))} filings in the last {GROWTH_YEARS} years, "
        f"{int(_num(f, 'prior'))} in the {GROWTH_YEARS} before",
        "breadth": f"{int(_num(f, 'subclasses'))} IPC subclasses",
        "life": "no term data"
        if remaining is None
        else f"mean remaining term {float(remaining):.1f} years",
        "legal": f"{int(_num(f, 'lapsed'))} lapsed, {int(_num(f, 'invalidated'))} invalidated, "
        f"{int(_num(f, 'invalidations'))} invalidation events",
        "pledges": f"{int(_num(f, 'pledged'))} already pledged",
    }


def explain(features: Mapping[str, Any]) -> Explanation:
    values = component_values(features)
    words = _raw_words(features)
    components = tuple(
        Component(
            name, words[name], round(values[name], 4), weight, round(values[name] * weight, 2)
        )
        for name, weight in WEIGHTS.items()
    )
    cap, why = score_cap(features)
    total = (
        sum(values[n] * w for n, w in WEIGHTS.items())
        + (rd_points(features) or 0.0)
        - (bureau_penalty(features) or 0)
    )
    score = round(min(max(total, 0.0), cap), 1)
    alerts = alerts_of(features) + ([f"score capped at {cap}: {why}"] if why else [])
    return Explanation(score, grade_of(score), components, tuple(alerts), adjustments(features))


def alerts_of(f: Mapping[str, Any]) -> list[str]:
    alerts = []
    if _num(f, "expiring"):
        alerts.append(f"{int(_num(f, 'expiring'))} patents' term ends within a year")
    if _num(f, "dead"):
        alerts.append(f"{int(_num(f, 'dead'))} patents lapsed or invalidated")
    if _num(f, "invalidations"):
        alerts.append(f"{int(_num(f, 'invalidations'))} invalidation events")
    share = f.get("pvd_top_share")
    if _num(f, "in_force") == 1:
        alerts.append("concentration: only one patent in force")
    elif share is not None and float(share) > CONCENTRATION_SHARE:
        alerts.append(f"concentration: one patent holds {float(share):.0%} of the portfolio value")
    if _num(f, "pledged"):
        alerts.append(f"{int(_num(f, 'pledged'))} patents already pledged")
    for flag in f.get("bureau_flags") or ():
        alerts.append(f"credit bureau: {flag} {LABELS.get(flag, '')}".strip())
    return alerts


# --------------------------------------------------------------------------- set-wise (SQL)


def features_sql(as_of_sql: str) -> str:
    """Features of every enterprise of ``rt_links(enterprise_id, patent_id)``; needs the views
    ``rt_ind`` (valuation indicators), ``rt_scores`` (patent_id, pvd), ``rt_pledged``
    (patent_id: pledged in the registry), ``rt_fin`` (enterprise_id and the
    ``FINANCIAL_FEATURES``) and the corpus view ``events``."""
    years = GROWTH_YEARS
    return f"""
WITH lp AS (
    SELECT l.enterprise_id, l.patent_id, coalesce(i.in_force, false) AS in_force, i.status,
           i.patent_type,
           i.filing_date, left(i.main_symbol, 4) AS subclass, i.remaining_term, i.term_end,
           s.pvd, (coalesce(i.pledged_now, false) OR rp.patent_id IS NOT NULL) AS pledged
    FROM rt_links l
    LEFT JOIN rt_ind i ON i.patent_id = l.patent_id
    LEFT JOIN rt_scores s ON s.patent_id = l.patent_id
    LEFT JOIN rt_pledged rp ON rp.patent_id = l.patent_id
), inv AS (
    SELECT patent_id, count(*) AS n FROM events
    WHERE event_type IN ('invalidated', 'partially_invalidated')
      AND patent_id IN (SELECT patent_id FROM rt_links)
    GROUP BY patent_id
)
, pf AS (
SELECT enterprise_id,
       count(*) AS patents,
       count(*) FILTER (WHERE in_force) AS in_force,
       avg(pvd) FILTER (WHERE in_force) AS pvd_mean,
       max(pvd) FILTER (WHERE in_force) / nullif(sum(pvd) FILTER (WHERE in_force), 0)
           AS pvd_top_share,
       count(*) FILTER (WHERE filing_date > {as_of_sql} - INTERVAL {years} YEAR
                          AND filing_date <= {as_of_sql}) AS recent,
       count(*) FILTER (WHERE filing_date > {as_of_sql} - INTERVAL {2 * years} YEAR
                          AND filing_date <= {as_of_sql} - INTERVAL {years} YEAR) AS prior,
       count(DISTINCT subclass) FILTER (WHERE in_force) AS subclasses,
       avg(remaining_term) FILTER (WHERE in_force) AS remaining_mean,
       count(*) FILTER (WHERE status IN ('lapsed', 'invalidated')) AS dead,
       coalesce(sum(inv.n), 0) AS invalidations,
       count(*) FILTER (WHERE in_force AND pledged) AS pledged,
       count(*) FILTER (WHERE in_force AND term_end <= {as_of_sql} + INTERVAL
                          {EXPIRY_WARNING_DAYS} DAY) AS expiring,
       count(*) FILTER (WHERE in_force AND patent_type = 'utility_model') AS utility_models,
       count(*) FILTER (WHERE in_force AND patent_type = 'design') AS designs,
       count(*) FILTER (WHERE status = 'lapsed') AS lapsed,
       count(*) FILTER (WHERE status = 'invalidated') AS invalidated
FROM lp LEFT JOIN inv USING (patent_id)
GROUP BY enterprise_id
)
SELECT pf.*, x.rd_intensity, x.rd_required, x.bureau_flags
FROM pf LEFT JOIN rt_fin x USING (enterprise_id)"""


def _component_sql() -> dict[str, str]:
    utility, design = TYPE_WEIGHTS["utility_model"], TYPE_WEIGHTS["design"]
    weighted = (
        f"(greatest(in_force - utility_models - designs, 0) + {utility} * utility_models "
        f"+ {design} * designs)"
    )
    harm = (
        f"({LAPSED_WEIGHT} * lapsed + {INVALIDATED_WEIGHT} * invalidated "
        f"+ {EVENT_WEIGHT} * invalidations)"
    )
    return {
        "size": f"least(1.0, ln(1 + {weighted}) / ln(1 + {SIZE_FULL}))",
        "value": "least(1.0, greatest(0.0, coalesce(pvd_mean, 0) / 100))",
        "growth": "CASE WHEN patents = 0 THEN 0.0 "
        "ELSE least(1.0, (recent + 1.0) / (prior + 1.0) / 2) END",
        "breadth": f"least(1.0, subclasses / {float(BREADTH_FULL)})",
        "life": "least(1.0, greatest(0.0, coalesce(remaining_mean, 0) / "
        f"{float(LIFE_FULL_YEARS)}))",
        "legal": f"CASE WHEN patents = 0 THEN 0.0 ELSE greatest(0.0, 1 - {harm} / patents) END",
        "pledges": "CASE WHEN in_force = 0 THEN 0.0 ELSE greatest(0.0, 1 - pledged / in_force) END",
    }


def score_sql(features: str) -> str:
    """Components, score and grade of every row of the relation ``features``."""
    parts = _component_sql()
    columns = ",\n       ".join(f"{sql} AS c_{name}" for name, sql in parts.items())
    total = " + ".join(f"c_{name} * {weight}" for name, weight in WEIGHTS.items())
    rd = (
        "CASE WHEN rd_intensity IS NULL OR coalesce(rd_required, 0) = 0 THEN 0.0 ELSE "
        f"{RD_POINTS} * least(1.0, greatest(0.0, rd_intensity) / rd_required) END"
    )
    penalty = " + ".join(
        f"CASE WHEN list_contains(bureau_flags, '{flag}') THEN {points} ELSE 0 END"
        for flag, points in BUREAU_PENALTIES.items()
    )
    penalty = f"CASE WHEN bureau_flags IS NULL THEN 0 ELSE {penalty} END"
    cap = (
        f"CASE WHEN in_force < {MIN_INVESTMENT_PATENTS} OR pledged >= in_force "
        f"OR coalesce(list_contains(bureau_flags, '{BUREAU_CAPPED}'), false) "
        f"THEN {BELOW_INVESTMENT} ELSE 100.0 END"
    )
    total = f"least(greatest({total} + {rd} - ({penalty}), 0.0), {cap})"
    grade = " ".join(f"WHEN score >= {low} THEN '{g}'" for g, low in GRADES)
    return f"""
WITH c AS (SELECT *, {columns} FROM {features}),
s AS (SELECT *, round({total}, 1) AS score FROM c)
SELECT *, CASE {grade} ELSE 'C' END AS grade FROM s"""
