"""Term of grant: the rules on hand-worked cases, and the SQL form agreeing with them.

The three named US grants are from the 2013-04-16 weekly file of shared/data
(ipg130416.small.xml); their facts below were read from that XML by hand:

* US8420883 (application 13/302,302 filed 2011-11-22) is a continuation of 12/946,926
  (2010-11-16), itself a continuation of 11/472,019 (2006-06-21), a continuation of
  10/027,295 (2001-12-20), a division of 08/926,532 (1997-09-10), a CIP of 08/884,069
  (1997-06-27), a continuation of 08/345,159 filed **1994-11-28**; it carries a terminal
  disclaimer. 20 years from 1994-11-28: expired 2014-11-28 (at the latest).
* US8418361 (13/299,685 filed 2011-11-18) is a division of 12/213,975 filed **2008-06-26**
  and claims a Korean priority of 2008-04-15 (which does not count): ends 2028-06-26,
  3.48 years after 2025-01-01.
* US8421425 (12/889,166 filed 2010-09-23) has **373 days** of adjustment: 2030-09-23 plus
  373 days is 2031-10-01, 6.75 years after 2025-01-01.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

import duckdb
import pytest

from ipops.valuation.term import (
    TERM_OFFICES,
    TERM_RELATIONS,
    Expiry,
    Related,
    TermFacts,
    expiry,
    expiry_sql,
)

AS_OF = date(2025, 1, 1)

US8420883 = TermFacts(
    office="US",
    patent_type="utility",
    filing_date=date(2011, 11, 22),
    grant_date=date(2013, 4, 16),
    related=(
        Related("continuation", "US", date(2010, 11, 16)),
        Related("continuation", "US", date(2006, 6, 21)),
        Related("continuation", "US", date(2001, 12, 20)),
        Related("division", "US", date(1997, 9, 10)),
        Related("continuation_in_part", "US", date(1997, 6, 27)),
        Related("continuation", "US", date(1994, 11, 28)),
        Related("related_publication", "US", date(2012, 3, 15)),
    ),
    disclaimer=True,
)
US8418361 = TermFacts(
    office="US",
    patent_type="utility",
    filing_date=date(2011, 11, 18),
    grant_date=date(2013, 4, 16),
    related=(Related("division", "US", date(2008, 6, 26)),),
)
US8421425 = TermFacts(
    office="US",
    patent_type="utility",
    filing_date=date(2010, 9, 23),
    grant_date=date(2013, 4, 16),
    adjustment_days=373,
)


def years_left(end: date | None) -> float:
    assert end is not None
    return (end - AS_OF).days / 365.25


def test_a_continuation_chain_runs_from_the_earliest_us_parent() -> None:
    found = expiry(US8420883)
    assert found.expiry == date(2014, 11, 28)
    assert (found.basis, found.basis_date) == ("earliest_parent", date(1994, 11, 28))
    assert found.rule == "us_utility"  # its own application is after 1995-06-08
    assert found.disclaimer == "upper_bound" and found.upper_bound
    assert "upper bound" in found.how() and "上限" in found.how(zh=True)


def test_a_division_runs_from_its_parent_and_a_foreign_priority_does_not_count() -> None:
    found = expiry(US8418361)
    assert found.expiry == date(2028, 6, 26)
    assert round(years_left(found.expiry), 2) == 3.48
    assert not found.upper_bound


def test_term_adjustment_days_are_added() -> None:
    found = expiry(US8421425)
    assert found.expiry == date(2031, 10, 1)
    assert found.adjustment_days == 373
    assert round(years_left(found.expiry), 2) == 6.75
    assert "373 days" in found.how()


def test_provisionals_and_foreign_parents_do_not_start_the_term() -> None:
    facts = TermFacts(
        "US", "utility", date(2012, 5, 1), date(2015, 1, 6),
        related=(Related("provisional", "US", date(2011, 5, 1)),
                 Related("continuation", "EP", date(2009, 1, 1))),
    )  # fmt: skip
    found = expiry(facts)
    assert (found.basis, found.expiry) == ("filing", date(2032, 5, 1))


def test_a_continuation_of_a_pct_application_runs_from_its_international_filing() -> None:
    facts = TermFacts("US", "utility", date(2012, 6, 1), date(2015, 3, 3),
                      related=(Related("continuation", "WO", date(2010, 2, 3)),
                               Related("continuation", "US", date(2011, 5, 2),
                                       pct_date=date(2009, 9, 9))))  # fmt: skip
    assert (expiry(facts).basis, expiry(facts).expiry) == ("earliest_parent", date(2029, 9, 9))


def test_a_national_stage_runs_from_the_international_filing_date() -> None:
    facts = TermFacts("US", "utility", date(2011, 3, 1), date(2014, 1, 7),
                      pct_filing_date=date(2009, 8, 20))  # fmt: skip
    assert (expiry(facts).basis, expiry(facts).expiry) == ("pct_filing", date(2029, 8, 20))


def test_before_1995_06_08_the_longer_of_17_from_grant_and_20_from_filing() -> None:
    slow = TermFacts("US", "utility", date(1993, 2, 1), date(2001, 5, 8))
    found = expiry(slow)
    assert (found.rule, found.basis, found.expiry) == (
        "us_utility_pre_uraa", "grant_17", date(2018, 5, 8))  # fmt: skip
    quick = TermFacts("US", "utility", date(1993, 2, 1), date(1994, 5, 3))
    assert expiry(quick).expiry == date(2013, 2, 1)  # 20 from filing is longer
    after = TermFacts("US", "utility", date(1995, 6, 8), date(2003, 5, 6))
    assert expiry(after).expiry == date(2015, 6, 8)  # on the date: the 20-year rule alone


def test_a_disclaimer_with_a_known_expiry_limits_the_term() -> None:
    facts = TermFacts("US", "utility", date(2012, 1, 3), date(2015, 2, 3), adjustment_days=100,
                      disclaimer=True, disclaimed_expiry=date(2030, 7, 1))  # fmt: skip
    found = expiry(facts)
    assert (found.expiry, found.disclaimer, found.upper_bound) == (
        date(2030, 7, 1),
        "applied",
        False,
    )


@pytest.mark.parametrize(
    ("facts", "end", "years"),
    [
        (TermFacts("US", "design", date(2014, 3, 1), date(2015, 9, 8)), date(2029, 9, 8), 14),
        (TermFacts("US", "design", date(2015, 5, 13), date(2016, 9, 6)), date(2031, 9, 6), 15),
        (TermFacts("US", "design", date(2015, 1, 13), date(2016, 9, 6), length_of_grant_years=15),
         date(2031, 9, 6), 15),
        (TermFacts("US", "plant", date(2010, 4, 1), date(2012, 1, 3)), date(2030, 4, 1), 20),
        (TermFacts("CN", "invention", date(2012, 2, 29), date(2015, 1, 1)), date(2032, 2, 29), 20),
        (TermFacts("CN", "utility_model", date(2016, 2, 29), date(2017, 1, 1)), date(2026, 2, 28),
         10),
        (TermFacts("CN", "design", date(2021, 5, 31), date(2021, 12, 1)), date(2031, 5, 31), 10),
        (TermFacts("CN", "design", date(2021, 6, 1), date(2021, 12, 1)), date(2036, 6, 1), 15),
        (TermFacts("EP", None, date(2010, 1, 5), None), date(2030, 1, 5), 20),
    ],
)  # fmt: skip
def test_terms_by_office_and_type(facts: TermFacts, end: date, years: int) -> None:
    found = expiry(facts)
    assert (found.expiry, found.term_years) == (end, years)


def test_a_reissue_keeps_the_original_term() -> None:
    facts = TermFacts("US", "reissue", date(2014, 6, 3), date(2016, 2, 2),
                      related=(Related("reissue", "US", date(2008, 10, 14)),))  # fmt: skip
    found = expiry(facts)
    assert (found.basis, found.expiry) == ("original", date(2028, 10, 14))


def test_missing_dates_give_unknown_with_a_reason() -> None:
    assert expiry(TermFacts("US", "utility", None, None)).reason == "no filing date"
    assert expiry(TermFacts("US", "design", date(2014, 1, 1), None)).reason == "no grant date"
    assert expiry(TermFacts("US", "utility", date(1990, 1, 1), None)).expiry is None


CASES: list[TermFacts] = [
    US8420883,
    US8418361,
    US8421425,
    TermFacts("US", "utility", date(2011, 3, 1), date(2014, 1, 7),
              pct_filing_date=date(2009, 8, 20)),
    TermFacts("US", "utility", date(1993, 2, 1), date(2001, 5, 8)),
    TermFacts("US", "utility", date(1993, 2, 1), date(1994, 5, 3), adjustment_days=12),
    TermFacts("US", "utility", date(1993, 2, 1), None),
    TermFacts("US", "utility", None, None),
    TermFacts("US", "design", date(2014, 3, 1), date(2015, 9, 8), disclaimer=True),
    TermFacts("US", "design", date(2015, 5, 13), date(2016, 9, 6)),
    TermFacts("US", "design", date(2015, 1, 13), date(2016, 9, 6), length_of_grant_years=15),
    TermFacts("US", "design", date(2015, 1, 13), None),
    TermFacts("US", "plant", date(2010, 4, 1), date(2012, 1, 3), adjustment_days=40),
    TermFacts("US", "reissue", date(2014, 6, 3), date(2016, 2, 2),
              related=(Related("reissue", "US", date(2008, 10, 14)),)),
    TermFacts("US", "reissue", date(2014, 6, 3), date(2016, 2, 2), disclaimer=True),
    TermFacts("US", None, date(2012, 5, 1), date(2015, 1, 6),
              related=(Related("provisional", "US", date(2011, 5, 1)),
                       Related("continuation", None, date(2012, 5, 1)),
                       Related("continuation", "EP", date(2009, 1, 1)))),
    TermFacts("US", "utility", date(2012, 6, 1), date(2015, 3, 3),
              related=(Related("continuation", "WO", date(2010, 2, 3)),
                       Related("division", "US", None, pct_date=date(2009, 9, 9)))),
    TermFacts("CN", "invention", date(2012, 2, 29), date(2015, 1, 1)),
    TermFacts("CN", "utility_model", date(2016, 7, 1), date(2017, 1, 1)),
    TermFacts("CN", "design", date(2021, 5, 31), date(2021, 12, 1)),
    TermFacts("CN", "design", date(2021, 6, 1), None),
    TermFacts("CN", "invention", None, None),
    TermFacts("JP", "utility_model", date(2019, 1, 1), date(2019, 6, 1)),
    TermFacts("EP", None, date(2010, 1, 5), None),
]  # fmt: skip


def _sql_row(i: int, facts: TermFacts) -> dict[str, Any]:
    parents = [
        day
        for r in facts.related
        if r.relation in TERM_RELATIONS and r.office in TERM_OFFICES
        for day in (r.filing_date, r.pct_date)
        if day
    ]
    originals = [r.filing_date for r in facts.related if r.relation == "reissue" and r.filing_date]
    return {
        "idx": i,
        "office": facts.office,
        "patent_type": facts.patent_type,
        "filing_date": facts.filing_date,
        "grant_date": facts.grant_date,
        "earliest_parent": min(parents, default=None),
        "original_date": min(originals, default=None),
        "pct_filing_date": facts.pct_filing_date,
        "adjustment_days": facts.adjustment_days,
        "disclaimer": facts.disclaimer,
        "length_of_grant_years": facts.length_of_grant_years,
    }


def test_the_sql_form_gives_the_same_dates_and_steps() -> None:
    import pyarrow as pa

    rows = [_sql_row(i, facts) for i, facts in enumerate(CASES)]
    table = pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [("idx", pa.int32()), ("office", pa.string()), ("patent_type", pa.string()),
             ("filing_date", pa.date32()), ("grant_date", pa.date32()),
             ("earliest_parent", pa.date32()), ("original_date", pa.date32()),
             ("pct_filing_date", pa.date32()), ("adjustment_days", pa.int32()),
             ("disclaimer", pa.bool_()), ("length_of_grant_years", pa.int32())]
        ),
    )  # fmt: skip
    with duckdb.connect() as con:
        con.register("facts", table)
        result = con.execute(expiry_sql("facts") + " ORDER BY idx")
        names = [d[0] for d in result.description or []]
        got = [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    for facts, row in zip(CASES, got, strict=True):
        want: Expiry = expiry(facts)
        assert (row["term_end"], row["term_rule"], row["term_basis"], row["term_basis_date"]) == (
            want.expiry, want.rule, want.basis, want.basis_date,
        ), asdict(want)  # fmt: skip
        assert row["term_years"] == want.term_years, facts
        assert row["term_adjustment_days"] == want.adjustment_days, facts
        assert (row["term_disclaimer"], row["term_upper_bound"]) == (
            want.disclaimer, want.upper_bound), facts  # fmt: skip
