"""Allocation rules worked by hand: manufacture or sale, refused holdings, the fee on the
period total, rounding once per period with a rotating tie-break."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ipops.cli.app import app
from ipops.errors import ValidationError
from ipops.pool.allocation import (
    CountBasis,
    Holding,
    PeriodGroup,
    allocate,
    counted_patents,
    days_in_force,
    largest_remainder,
    prorated_patents,
    prorated_weight,
    refuse_duplicates,
    rotation,
    split_period,
)
from ipops.pool.holdings import read_holdings

DAY = date(2025, 6, 1)
HOLDINGS = [
    Holding("Alpha", "CN1", "CN"),
    Holding("Alpha", "CN2", "CN"),
    Holding("Beta", "US1", "US"),
    Holding("Beta", "CN3", "CN"),
    Holding("Gamma", "US2", "US"),
]


def test_made_in_china_sold_in_the_us_counts_patents_of_both_countries() -> None:
    # 9.00 CNY, fee 10 % = 0.90; 8.10 over 5 patents: Alpha 2 (CN), Beta 2 (US+CN), Gamma 1
    # 810 fen x 2/5 = 324, x 1/5 = 162: 3.24 / 3.24 / 1.62
    result = allocate(900, 100_000, HOLDINGS, country="US", on=DAY, made_in="CN")
    assert result.fee_fen == 90
    assert [(s.member, s.weight, s.amount_fen) for s in result.shares] == [
        ("Alpha", 2, 324),
        ("Beta", 2, 324),
        ("Gamma", 1, 162),
    ]
    assert result.as_dict()["countries_counted"] == ["CN", "US"]


def test_without_made_in_only_the_country_of_sale_counts() -> None:
    # 8.10 over the two US patents: 4.05 each; Alpha (CN only) gets nothing
    result = allocate(900, 100_000, HOLDINGS, country="US", on=DAY)
    assert [(s.member, s.amount_fen) for s in result.shares] == [("Beta", 405), ("Gamma", 405)]
    assert result.as_dict()["rule"] == "sale_country"


def test_a_member_with_only_manufacture_country_patents_is_paid_for_a_sale_elsewhere() -> None:
    # made in CN, sold in BR (no pool patent in BR): the CN patents share it all
    result = allocate(1_000, 0, HOLDINGS, country="BR", on=DAY, made_in="CN")
    assert [(s.member, s.amount_fen) for s in result.shares] == [("Alpha", 667), ("Beta", 333)]


def test_nothing_in_force_in_either_country_is_no_royalty() -> None:
    with pytest.raises(ValidationError, match=r"BR \(sale\) or TH \(manufacture\)"):
        allocate(900, 100_000, HOLDINGS, country="BR", on=DAY, made_in="TH")


def test_a_patent_listed_twice_or_under_two_members_is_refused_naming_the_rows() -> None:
    # counted twice, 9.00 would split 6.00 / 3.00 instead of 4.50 / 4.50
    twice = [Holding("A", "CN1", "CN"), Holding("A", "CN1", "CN"), Holding("B", "CN2", "CN")]
    with pytest.raises(ValidationError, match=r"CN1 is listed 2 times \(row 1, row 2\)"):
        refuse_duplicates(twice, ["row 1", "row 2", "row 3"])
    two_owners = [Holding("A", "CN1", "CN"), Holding("B", "cn1", "CN")]
    with pytest.raises(ValidationError, match=r"CN1 is held by two members \(A, B: r1, r2\)"):
        refuse_duplicates(two_owners, ["r1", "r2"])
    refuse_duplicates(HOLDINGS, [str(i) for i in range(len(HOLDINGS))])  # no error


def test_the_holdings_file_names_the_duplicate_lines() -> None:
    text = "member,patent,country\nA,CN1,CN\nB,CN2,CN\nA,CN1,CN\n"
    with pytest.raises(
        ValidationError, match=r"CN1 is listed 2 times \(h.csv line 2, h.csv line 4\)"
    ):
        read_holdings(text, origin="h.csv")


def test_the_cli_takes_made_in_and_refuses_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "holdings.csv"
    path.write_text(
        "member,patent,family,country,expires\n"
        + "".join(f"{h.member},{h.patent},,{h.country},\n" for h in HOLDINGS),
        "utf-8",
    )
    args = ["pool", "allocate", "--amount", "9.00", "--country", "US", "--admin-fee", "0.1"]
    args += ["--holdings", str(path), "--date", "2025-06-01"]
    both = CliRunner().invoke(app, [*args, "--made-in", "CN", "--json"])
    assert both.exit_code == 0, both.output
    assert [m["amount"] for m in json.loads(both.output)["members"]] == ["3.24", "3.24", "1.62"]
    sale = CliRunner().invoke(app, [*args, "--json"])
    assert [m["amount"] for m in json.loads(sale.output)["members"]] == ["4.05", "4.05"]
    path.write_text(path.read_text("utf-8") + "Gamma,CN1,,CN,\n", "utf-8")
    refused = CliRunner().invoke(app, [*args, "--made-in", "CN"])
    assert isinstance(refused.exception, ValidationError)
    assert "CN1 is held by two members (Alpha, Gamma" in str(refused.exception)
    assert "line 2" in str(refused.exception) and "line 7" in str(refused.exception)


def test_the_fee_is_taken_on_the_period_total_not_per_group() -> None:
    # three groups of 0.05 each at 10 %: per group 0.005 -> 0.01 each (0.03 in all);
    # on the total 0.15 x 10 % = 0.015 -> 0.02
    groups = [PeriodGroup((1, "CN"), 5, (1, 1)), PeriodGroup((2, "CN"), 5, (1, 1))]
    groups.append(PeriodGroup((3, "US"), 5, (0, 1)))
    split = split_period(groups, 2, 100_000)
    assert split.fee_fen == 2
    # exact: A = 13/15 x (2.5 + 2.5) = 13/3 = 4.33; B = 13/15 x (2.5 + 2.5 + 5) = 8.67
    assert split.member_fen == (4, 9)
    assert split.collected_fen == 15 == split.fee_fen + sum(split.member_fen)
    # Beta's 9 fen over its lines 2.5 : 2.5 : 5 -> 2.25, 2.25, 4.5 -> 2, 2, 5
    assert [split.lines[(line, 1)] for line in ((1, "CN"), (2, "CN"), (3, "US"))] == [2, 2, 5]
    for member in (0, 1):
        assert (
            sum(v for (line, m), v in split.lines.items() if m == member)
            == split.member_fen[member]
        )


def test_ties_rotate_by_period() -> None:
    # 1 fen over two equal members: the tie goes to the member where the rotation starts
    groups = [PeriodGroup((1, "CN"), 1, (1, 1))]
    january = split_period(groups, 2, 0, first=rotation(date(2025, 1, 1), 2))
    february = split_period(groups, 2, 0, first=rotation(date(2025, 2, 1), 2))
    assert {january.member_fen, february.member_fen} == {(1, 0), (0, 1)}
    # a year of monthly periods: each of three members wins four of twelve ties
    wins = [0, 0, 0]
    for month in range(1, 13):
        split = split_period(
            [PeriodGroup((1, "CN"), 1, (1, 1, 1))], 3, 0, first=rotation(date(2025, month, 1), 3)
        )
        wins[split.member_fen.index(1)] += 1
    assert wins == [4, 4, 4]
    assert largest_remainder(2, [1, 1, 1], first=2) == [1, 0, 1]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 10**9),
            st.lists(st.integers(0, 50), min_size=3, max_size=3).filter(any),
            st.sampled_from(["CN", "US"]),
        ),
        min_size=1,
        max_size=12,
    ),
    st.integers(0, 1_000_000),
    st.integers(0, 2),
)
def test_a_period_adds_up_and_each_member_is_within_a_fen_of_its_entitlement(
    raw: list[tuple[int, list[int], str]], fee_ppm: int, first: int
) -> None:
    groups = [PeriodGroup((i % 3, c), a, tuple(w)) for i, (a, w, c) in enumerate(raw)]
    split = split_period(groups, 3, fee_ppm, first=first)
    total = sum(a for a, _w, _c in raw)
    assert split.fee_fen + sum(split.member_fen) == total
    rest = total - split.fee_fen
    for member in range(3):
        exact = (
            sum(Fraction(a * w[member], sum(w)) for a, w, _c in raw) * rest / total
            if total
            else Fraction(0)
        )
        assert abs(split.member_fen[member] - exact) < 1
        lines = [v for (_line, m), v in split.lines.items() if m == member]
        assert sum(lines) == split.member_fen[member]


MARCH = (date(2025, 3, 1), date(2025, 3, 31))


def test_days_in_force_within_the_period() -> None:
    expiring = Holding("Alpha", "CN1", "CN", expires=date(2025, 3, 16))  # last day: 15th
    admitted = Holding("Beta", "CN2", "CN", starts=date(2025, 3, 21))
    assert days_in_force(expiring, *MARCH) == 15
    assert days_in_force(admitted, *MARCH) == 11
    assert days_in_force(Holding("G", "CN3", "CN", expires=date(2025, 3, 1)), *MARCH) == 0


def test_an_undated_line_is_shared_pro_rata_to_days_in_force() -> None:
    # Alpha's CN1 in force 15 of March's 31 days, Beta's CN2 all 31: 1000 fen (no fee)
    # 1000 x 15/46 = 326.09 -> 326; 1000 x 31/46 = 673.91 -> 674
    holdings = [
        Holding("Alpha", "CN1", "CN", expires=date(2025, 3, 16)),
        Holding("Beta", "CN2", "CN"),
    ]
    found = prorated_patents(holdings, "CN", *MARCH, made_in=None)
    weights = tuple(prorated_weight(found[m], CountBasis.PATENTS, *MARCH) for m in found)
    assert weights == (15, 31)
    split = split_period([PeriodGroup((1, "CN"), 1_000, weights)], 2, 0)
    assert split.member_fen == (326, 674)
    # "in force at period end": Alpha's patent no longer counts at all
    at_end = counted_patents(holdings, "CN", MARCH[1])
    assert list(at_end) == ["Beta"]
    # a family counts a day once: two patents of one family, one expiring on the 16th
    family = [
        Holding("Alpha", "CN1", "CN", family="F", expires=date(2025, 3, 16)),
        Holding("Alpha", "CN4", "CN", family="F", starts=date(2025, 3, 11)),
    ]
    both = prorated_patents(family, "CN", *MARCH, made_in=None)["Alpha"]
    assert prorated_weight(both, CountBasis.FAMILIES, *MARCH) == 31  # 1-15 and 11-31
    assert prorated_weight(both, CountBasis.PATENTS, *MARCH) == 15 + 21
