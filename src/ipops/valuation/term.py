"""When a patent's term ends, and how that date was reached: pure rules (Python and SQL).

The date is worked out from the *basis date* of the patent's type and office, the statutory
length, and then adjustments; legal-status events (lapse for non-payment, invalidation,
see ``ipops.valuation.status``) end a patent earlier and are applied on top by the caller.

United States (35 U.S.C. 154, 173; MPEP 2701, 2720, 1405)

* Utility and plant patents: 20 years from the date the application was filed in the
  United States or, when it makes a specific reference to an earlier application under
  35 U.S.C. 120, 121, 365(c) or 386(c) (a continuation, division or continuation in part),
  from the filing date of the *earliest* such application (154(a)(2)); a national-stage
  application runs from its international (PCT) filing date (363, 365(c)), and so does a
  continuation of one (a parent that was itself a PCT application). Provisional
  applications (119(e)) and foreign priorities (119(a), 365(a)/(b)) do not count
  (154(a)(3)).
* Applications filed before 1995-06-08 (the URAA date): the longer of 17 years from grant
  and 20 years from the earliest relevant filing (154(c)(1)). The date is that of the
  patent's own application, not of its parents.
* Patent term adjustment (154(b), ``us-term-extension`` in the grant XML): the days printed
  on the patent are added.
* Terminal disclaimer (253(b)): the patent ends no later than the disclaimed patent. When
  that patent's expiry is known the earlier of the two dates is taken; when it is not (the
  grant XML says only that a disclaimer exists), the date worked out is an *upper bound*
  and the result says so.
* Design patents: 14 years from grant; 15 years for applications filed on or after
  2015-05-13 (173, as amended by the Patent Law Treaties Implementation Act 2012); a length
  printed on the patent (``length-of-grant``) is taken as is. No adjustment applies.
* Reissues: the remainder of the original patent's term (251(a)): the original
  application's filing date is the basis (its own parents are not on the reissue's record,
  so when it had any the date is an upper bound).

China (Patent Law 2020, art. 42)

* Invention: 20 years from filing; utility model: 10 years from filing; design: 10 years
  from filing, 15 for applications filed on or after 2021-06-01. Term compensation
  (art. 42(2)-(3)) is not in the data and not applied.

Elsewhere: 20 years from filing (TRIPS art. 33).

``expiry`` is the rule for one patent; ``expiry_sql`` the same rule set-wise over one row per
patent with the columns named in its docstring. Tests check the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

URAA_DATE = date(1995, 6, 8)  # 35 U.S.C. 154(c): applications filed before it
US_DESIGN_15_YEARS_FROM = date(2015, 5, 13)
CN_DESIGN_15_YEARS_FROM = date(2021, 6, 1)

# Relations whose parent's filing date starts a US utility term (35 U.S.C. 120, 121, 365(c)).
TERM_RELATIONS: tuple[str, ...] = ("continuation", "continuation_in_part", "division")
# A parent filed in the US, or an international application designating it (365(c)).
TERM_OFFICES: tuple[str | None, ...] = (None, "US", "WO")

# Rule codes, with their words in both languages (pages choose by locale).
RULE_LABELS: dict[str, tuple[str, str]] = {
    "us_utility": (
        "US utility/plant: 20 years from the earliest relevant US filing (35 USC 154(a)(2))",
        "美国发明/植物专利：自最早相关美国申请日起20年",
    ),
    "us_utility_pre_uraa": (
        "US, filed before 1995-06-08: the longer of 17 years from grant "
        "and 20 from filing (35 USC 154(c))",
        "美国，1995-06-08前申请：授权日起17年与申请日起20年取较长者",
    ),
    "us_design": (
        "US design: 14 years from grant, 15 if filed on/after 2015-05-13 (35 USC 173)",
        "美国外观设计：授权日起14年（2015-05-13起申请为15年）",
    ),
    "us_reissue": (
        "US reissue: the original patent's term (35 USC 251)",
        "美国再颁专利：原专利的期限",
    ),
    "us_reissue_no_original": (
        "US reissue, original not on record: as a utility patent",
        "美国再颁专利（无原专利记录）：按发明专利计",
    ),
    "cn_invention": ("CN invention: 20 years from filing", "中国发明专利：自申请日起20年"),
    "cn_utility_model": ("CN utility model: 10 years from filing", "中国实用新型：自申请日起10年"),
    "cn_design": (
        "CN design: 10 years from filing, 15 if filed on/after 2021-06-01",
        "中国外观设计：自申请日起10年（2021-06-01起申请为15年）",
    ),
    "utility_model": ("utility model: 10 years from filing", "实用新型：自申请日起10年"),
    "other": ("20 years from filing", "自申请日起20年"),
}
BASIS_LABELS: dict[str, tuple[str, str]] = {
    "filing": ("filing date", "申请日"),
    "earliest_parent": ("earliest US parent's filing date", "最早美国母案申请日"),
    "pct_filing": ("international (PCT) filing date", "国际（PCT）申请日"),
    "grant": ("grant date", "授权日"),
    "original": ("original patent's filing date", "原专利申请日"),
    "grant_17": ("grant date + 17 years", "授权日起17年"),
}
REASONS: dict[str, tuple[str, str]] = {
    "no filing date": ("no filing date", "无申请日"),
    "no grant date": ("no grant date", "无授权日"),
}


@dataclass(frozen=True)
class Related:
    """One related application on the patent's record (``related_documents``)."""

    relation: str
    office: str | None
    filing_date: date | None
    pct_date: date | None = None  # the parent was itself a PCT application filed then


@dataclass(frozen=True)
class TermFacts:
    """What the term rules read of one patent."""

    office: str | None
    patent_type: str | None  # utility | plant | design | reissue | invention | utility_model
    filing_date: date | None
    grant_date: date | None
    related: tuple[Related, ...] = ()
    pct_filing_date: date | None = None
    adjustment_days: int | None = None
    disclaimer: bool = False
    disclaimed_expiry: date | None = None  # expiry of the disclaimed patent, when known
    length_of_grant_years: int | None = None  # designs, as printed


@dataclass(frozen=True)
class Expiry:
    """The end of a patent's term and every step that gave it."""

    expiry: date | None  # None: not enough data (``reason`` says what is missing)
    rule: str  # a key of RULE_LABELS
    basis: str | None  # a key of BASIS_LABELS
    basis_date: date | None
    term_years: int
    adjustment_days: int = 0
    disclaimer: str = "none"  # none | applied | upper_bound
    upper_bound: bool = False  # the real expiry may be earlier
    reason: str | None = None  # a key of REASONS when expiry is None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def how(self, zh: bool = False) -> str:
        """One line saying how the date was reached, in English or Chinese."""
        return how_text(
            rule=self.rule, basis=self.basis, basis_date=self.basis_date,
            adjustment_days=self.adjustment_days, disclaimer=self.disclaimer,
            reason=self.reason, zh=zh,
        )  # fmt: skip


def how_text(
    *,
    rule: str | None,
    basis: str | None,
    basis_date: date | None,
    adjustment_days: int | None,
    disclaimer: str | None,
    reason: str | None = None,
    zh: bool = False,
) -> str:
    """The explanation of an expiry from its parts (also for rows of the indicators table)."""
    k = 1 if zh else 0
    if basis_date is None:
        missing = REASONS.get(reason or "no filing date", ("no date", "无日期"))[k]
        return ("未知：" if zh else "unknown: ") + missing
    parts = [RULE_LABELS.get(rule or "", (rule or "", rule or ""))[k]]
    label = BASIS_LABELS.get(basis or "", (basis or "", basis or ""))[k]
    parts.append(f"起算：{label} {basis_date}" if zh else f"basis: {label} {basis_date}")
    if adjustment_days:
        parts.append(
            f"专利期限调整 +{adjustment_days}天（35 USC 154(b)）"
            if zh
            else f"+ {adjustment_days} days patent term adjustment (35 USC 154(b))"
        )
    if disclaimer == "applied":
        parts.append("受期末放弃声明限制" if zh else "limited by a terminal disclaimer")
    elif disclaimer == "upper_bound":
        parts.append(
            "有期末放弃声明，被放弃专利的届满日未知：此日期为上限"
            if zh
            else "terminal disclaimer, the disclaimed patent's expiry not known: an upper bound"
        )
    return ("；" if zh else "; ").join(parts)


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def regime(office: str | None, patent_type: str | None) -> str:
    """The term regime (a key of RULE_LABELS, before the pre-1995 and reissue variants)."""
    if office == "US":
        if patent_type == "design":
            return "us_design"
        if patent_type == "reissue":
            return "us_reissue"
        return "us_utility"  # utility, plant, and patents of unknown type
    if office == "CN":
        if patent_type == "utility_model":
            return "cn_utility_model"
        if patent_type == "design":
            return "cn_design"
        return "cn_invention"
    if patent_type == "utility_model":
        return "utility_model"
    return "other"


_FROM_FILING: dict[str, int] = {
    "cn_invention": 20,
    "cn_utility_model": 10,
    "utility_model": 10,
    "other": 20,
}


def expiry(facts: TermFacts) -> Expiry:
    """The statutory end of the patent's term (before legal-status events)."""
    rule = regime(facts.office, facts.patent_type)
    if rule == "us_design":
        return _us_design(facts)
    if rule == "us_reissue":
        return _us_reissue(facts)
    if rule == "us_utility":
        return _us_utility(facts)
    if rule == "cn_design":
        late = facts.filing_date is not None and facts.filing_date >= CN_DESIGN_15_YEARS_FROM
        years = 15 if late else 10
    else:
        years = _FROM_FILING[rule]
    if facts.filing_date is None:
        return Expiry(None, rule, None, None, years, reason="no filing date")
    return Expiry(add_years(facts.filing_date, years), rule, "filing", facts.filing_date, years)


def earliest_us_filing(facts: TermFacts) -> tuple[str | None, date | None]:
    """(basis, date): the earliest of the patent's own filing, its US parents under 120/121/
    365(c) and its international filing date; provisionals and foreign priorities left out.
    A tie keeps the earlier basis of that list."""
    basis: str | None = None if facts.filing_date is None else "filing"
    best = facts.filing_date
    for rel in facts.related:
        days = [d for d in (rel.filing_date, rel.pct_date) if d is not None]
        if rel.relation not in TERM_RELATIONS or rel.office not in TERM_OFFICES or not days:
            continue
        day = min(days)
        if best is None or day < best:
            basis, best = "earliest_parent", day
    if facts.pct_filing_date is not None and (best is None or facts.pct_filing_date < best):
        basis, best = "pct_filing", facts.pct_filing_date
    return basis, best


def _us_utility(facts: TermFacts, *, pre_uraa: bool = True) -> Expiry:
    basis, start = earliest_us_filing(facts)
    if start is None:
        return Expiry(None, "us_utility", None, None, 20, reason="no filing date")
    rule, years, end = "us_utility", 20, add_years(start, 20)
    if pre_uraa and facts.filing_date is not None and facts.filing_date < URAA_DATE:
        rule = "us_utility_pre_uraa"
        if facts.grant_date is None:
            return Expiry(None, rule, None, None, 20, reason="no grant date")
        from_grant = add_years(facts.grant_date, 17)
        if from_grant > end:
            basis, start, end, years = "grant_17", facts.grant_date, from_grant, 17
    adjustment = max(facts.adjustment_days or 0, 0)
    end += timedelta(days=adjustment)
    return _disclaimed(Expiry(end, rule, basis, start, years, adjustment), facts)


def _disclaimed(result: Expiry, facts: TermFacts) -> Expiry:
    if not facts.disclaimer or result.expiry is None:
        return result
    if facts.disclaimed_expiry is None:
        return replace(result, disclaimer="upper_bound", upper_bound=True)
    return replace(result, expiry=min(result.expiry, facts.disclaimed_expiry), disclaimer="applied")


def us_design_years(facts: TermFacts) -> int:
    if facts.length_of_grant_years:
        return facts.length_of_grant_years
    late = facts.filing_date is not None and facts.filing_date >= US_DESIGN_15_YEARS_FROM
    return 15 if late else 14


def _us_design(facts: TermFacts) -> Expiry:
    years = us_design_years(facts)
    if facts.grant_date is None:
        return Expiry(None, "us_design", None, None, years, reason="no grant date")
    end = add_years(facts.grant_date, years)
    return _disclaimed(Expiry(end, "us_design", "grant", facts.grant_date, years), facts)


def _us_reissue(facts: TermFacts) -> Expiry:
    originals = [r.filing_date for r in facts.related if r.relation == "reissue" and r.filing_date]
    if not originals:
        result = _us_utility(facts, pre_uraa=False)
        return replace(result, rule="us_reissue_no_original", upper_bound=True,
                       notes=("original patent not on record",))  # fmt: skip
    original = min(originals)
    note = "the original's own parents are not on the reissue's record"
    end = add_years(original, 20)
    return Expiry(end, "us_reissue", "original", original, 20, upper_bound=True, notes=(note,))


# --------------------------------------------------------------------------- SQL form


def _q(value: date | str) -> str:
    text = value.isoformat() if isinstance(value, date) else value
    return "'" + text.replace("'", "''") + "'"


def _plus_years(day: str, years: str) -> str:
    return f"CAST({day} + to_years(CAST({years} AS INTEGER)) AS DATE)"


def expiry_sql(source: str) -> str:
    """``expiry`` set-wise: one row per row of ``source``, which has the columns ``idx``,
    ``office``, ``patent_type``, ``filing_date``, ``grant_date``, ``earliest_parent`` (the
    earliest US parent under TERM_RELATIONS), ``original_date`` (reissue: the original's
    filing), ``pct_filing_date``, ``adjustment_days``, ``disclaimer`` and
    ``length_of_grant_years``. The disclaimed patent's expiry is not in the data, so a
    disclaimer always makes the date an upper bound here.

    Gives ``idx``, ``term_rule``, ``term_basis``, ``term_basis_date``, ``term_years``,
    ``term_end``, ``term_adjustment_days``, ``term_disclaimer``, ``term_upper_bound``.
    """
    uraa, us15, cn15 = _q(URAA_DATE), _q(US_DESIGN_15_YEARS_FROM), _q(CN_DESIGN_15_YEARS_FROM)
    return f"""
WITH r AS (
    SELECT *,
        CASE WHEN office = 'US' THEN
                CASE WHEN patent_type = 'design' THEN 'us_design'
                     WHEN patent_type = 'reissue' AND original_date IS NOT NULL THEN 'us_reissue'
                     WHEN patent_type = 'reissue' THEN 'us_reissue_no_original'
                     WHEN filing_date < DATE {uraa} THEN 'us_utility_pre_uraa'
                     ELSE 'us_utility' END
             WHEN office = 'CN' THEN
                CASE WHEN patent_type = 'utility_model' THEN 'cn_utility_model'
                     WHEN patent_type = 'design' THEN 'cn_design' ELSE 'cn_invention' END
             WHEN patent_type = 'utility_model' THEN 'utility_model'
             ELSE 'other' END AS rule,
        least(filing_date, earliest_parent, pct_filing_date) AS us_start
    FROM {source}
), s AS (
    SELECT *,
        CASE WHEN rule = 'us_design' THEN
                coalesce(nullif(length_of_grant_years, 0),
                         CASE WHEN filing_date >= DATE {us15} THEN 15 ELSE 14 END)
             WHEN rule = 'cn_design' THEN CASE WHEN filing_date >= DATE {cn15} THEN 15 ELSE 10 END
             WHEN rule IN ('cn_utility_model', 'utility_model') THEN 10
             ELSE 20 END AS years20,
        CASE WHEN rule IN ('us_utility', 'us_utility_pre_uraa', 'us_reissue_no_original') THEN
                CASE WHEN us_start IS NULL THEN NULL
                     WHEN us_start = filing_date THEN 'filing'
                     WHEN us_start = earliest_parent THEN 'earliest_parent'
                     ELSE 'pct_filing' END
             WHEN rule = 'us_design' THEN CASE WHEN grant_date IS NOT NULL THEN 'grant' END
             WHEN rule = 'us_reissue' THEN 'original'
             WHEN filing_date IS NOT NULL THEN 'filing' END AS basis0,
        CASE WHEN rule IN ('us_utility', 'us_utility_pre_uraa', 'us_reissue_no_original')
                THEN us_start
             WHEN rule = 'us_design' THEN grant_date
             WHEN rule = 'us_reissue' THEN original_date
             ELSE filing_date END AS start0
    FROM r
), e AS (
    SELECT *, {_plus_years("start0", "years20")} AS end0,
        CASE WHEN rule = 'us_utility_pre_uraa' THEN {_plus_years("grant_date", "17")} END
            AS end17
    FROM s
), f AS (
    SELECT *,
        rule = 'us_utility_pre_uraa' AND end17 > end0 AS by_grant,
        rule IN ('us_utility', 'us_utility_pre_uraa', 'us_reissue_no_original') AS adjusts
    FROM e
)
SELECT idx, rule AS term_rule,
       CASE WHEN rule = 'us_utility_pre_uraa' AND grant_date IS NULL THEN NULL
            WHEN by_grant THEN 'grant_17' ELSE basis0 END AS term_basis,
       CASE WHEN rule = 'us_utility_pre_uraa' AND grant_date IS NULL THEN NULL
            WHEN by_grant THEN grant_date ELSE start0 END AS term_basis_date,
       CAST(CASE WHEN by_grant THEN 17 ELSE years20 END AS INTEGER) AS term_years,
       CASE WHEN rule = 'us_utility_pre_uraa' AND grant_date IS NULL THEN NULL
            ELSE CAST(CASE WHEN by_grant THEN end17 ELSE end0 END
                      + CAST(CASE WHEN adjusts THEN greatest(coalesce(adjustment_days, 0), 0)
                                  ELSE 0 END AS INTEGER) AS DATE) END AS term_end,
       CAST(CASE WHEN adjusts THEN greatest(coalesce(adjustment_days, 0), 0) ELSE 0 END
            AS INTEGER) AS term_adjustment_days,
       CASE WHEN coalesce(disclaimer, false)
                 AND rule IN ('us_utility', 'us_utility_pre_uraa', 'us_reissue_no_original',
                              'us_design') THEN 'upper_bound' ELSE 'none' END AS term_disclaimer,
       rule IN ('us_reissue', 'us_reissue_no_original')
           OR (coalesce(disclaimer, false)
               AND rule IN ('us_utility', 'us_utility_pre_uraa', 'us_reissue_no_original',
                            'us_design')) AS term_upper_bound
FROM f"""
