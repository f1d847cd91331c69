"""Pure rules of the report: years and growth, publication lag, the specialisation index."""

from __future__ import annotations

from datetime import date

import pytest

from ipops.report.model import Column
from ipops.report.render import cell
from ipops.report.sections.technology import rsi
from ipops.report.sections.trends import first_incomplete_filing_year, plotted_growth, year_rows
from ipops.report.words import growth, listing


def test_year_rows_fill_gaps_and_compute_growth() -> None:
    rows = year_rows({2010: 10, 2012: 15, 2013: 30}, incomplete_from=2013)
    assert [(r.year, r.families) for r in rows] == [(2010, 10), (2011, 0), (2012, 15), (2013, 30)]
    assert rows[0].growth is None
    assert rows[1].growth == pytest.approx(-1.0)
    assert rows[2].growth is None  # from zero
    assert rows[3].growth == pytest.approx(1.0)
    assert [r.incomplete for r in rows] == [False, False, False, True]
    assert plotted_growth(rows) == [None, -1.0, None, pytest.approx(1.0)]


@pytest.mark.parametrize(
    ("as_of", "first_incomplete"),
    [
        (date(2024, 12, 31), 2023),  # 2022 filings were all published by July 2024
        (date(2024, 6, 30), 2022),
        (date(2013, 4, 16), 2011),  # late-2011 filings are published in mid-2013
    ],
)
def test_publication_lag(as_of: date, first_incomplete: int) -> None:
    assert first_incomplete_filing_year(as_of) == first_incomplete


def test_rsi_is_symmetric_and_bounded() -> None:
    assert rsi(10, 100, 100, 1000) == pytest.approx(0.0)  # same share as the landscape
    assert rsi(0, 100, 100, 1000) == pytest.approx(-1.0)
    high = rsi(50, 100, 100, 1000)
    assert high is not None and 0 < high < 1
    assert rsi(1, 0, 100, 1000) is None


def test_growth_listing_and_cells() -> None:
    assert growth(100, 121, 2) == pytest.approx(0.1)
    assert growth(0, 5, 3) is None
    assert listing("zh", ["甲", "乙", "丙"]) == "甲、乙和丙"
    assert listing("en", ["a", "b"]) == "a and b"
    assert cell(0.1234, Column("s", "s", "pct")) == "12.3%"
    assert cell(12345, Column("n", "n", "int")) == "12,345"
    assert cell(-0.25, Column("r", "r", "rsi")) == "-0.25"
    assert cell(None, Column("n", "n", "int")) == "–"
