"""Allocation rules: largest remainder to the fen, and the invariants proved with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipops.errors import ValidationError
from ipops.pool.allocation import (
    CountBasis,
    Holding,
    allocate,
    allocate_blocks,
    allocate_many,
    counted_patents,
    largest_remainder,
    weight_of,
)
from ipops.pool.money import ppm_of

DAY = date(2025, 6, 1)
COUNTRIES = ("CN", "US", "JP", "DE")


def test_largest_remainder_gives_the_odd_fen_to_the_largest_remainders() -> None:
    assert largest_remainder(100, [1, 1, 1]) == [34, 33, 33]
    assert largest_remainder(10, [3, 3, 4]) == [3, 3, 4]
    assert largest_remainder(7, [5, 2]) == [5, 2]
    assert largest_remainder(0, [0, 0]) == [0, 0]


def test_the_fee_comes_first_and_patents_in_force_share_the_rest() -> None:
    holdings = [
        Holding("格力", "CN1", "CN"),
        Holding("格力", "CN2", "CN"),
        Holding("美的", "CN3", "CN"),
        Holding("美的", "US1", "US"),
        Holding("海尔", "CN4", "CN", expires=DAY),  # expires on the sale date: out
    ]
    result = allocate(100_000, 100_000, holdings, country="CN", on=DAY)
    assert result.fee_fen == 10_000
    assert [(s.member, s.patents, s.amount_fen) for s in result.shares] == [
        ("格力", ("CN1", "CN2"), 60_000),
        ("美的", ("CN3",), 30_000),
    ]
    payload = result.as_dict()
    assert payload["members"][0]["amount"] == "600.00"
    assert payload["admin_fee"] == "100.00"


def test_families_count_once_per_member() -> None:
    holdings = [
        Holding("A", "CN1", "CN", family="F1"),
        Holding("A", "CN2", "CN", family="F1"),
        Holding("B", "CN3", "CN", family="F2"),
    ]
    by_family = allocate(1_001, 0, holdings, country="CN", on=DAY, count=CountBasis.FAMILIES)
    assert [s.amount_fen for s in by_family.shares] == [501, 500]
    by_patent = allocate(999, 0, holdings, country="CN", on=DAY)
    assert [s.amount_fen for s in by_patent.shares] == [666, 333]


def test_a_country_without_patents_in_force_owes_nothing_and_says_so() -> None:
    with pytest.raises(ValidationError, match="no pool patent is in force in BR"):
        allocate(100, 0, [Holding("A", "CN1", "CN")], country="BR", on=DAY)


def test_a_patent_counts_only_from_its_admission() -> None:
    holding = Holding("A", "CN1", "CN", starts=DAY)
    assert not holding.in_force("CN", DAY - timedelta(days=1))
    assert holding.in_force("CN", DAY)


holding_lists = st.lists(
    st.builds(
        Holding,
        member=st.sampled_from(["A", "B", "C", "D", "E"]),
        patent=st.text("0123456789", min_size=1, max_size=4).map(lambda s: f"P{s}"),
        country=st.sampled_from(COUNTRIES),
        family=st.one_of(st.none(), st.sampled_from(["F1", "F2", "F3"])),
        expires=st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2027, 1, 1))),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(
    holdings=holding_lists,
    amount=st.integers(0, 10**12),
    fee_ppm=st.integers(0, 1_000_000),
    country=st.sampled_from(COUNTRIES),
    on=st.dates(date(2024, 1, 1), date(2027, 1, 1)),
    count=st.sampled_from(list(CountBasis)),
)
def test_allocation_invariants(
    holdings: list[Holding], amount: int, fee_ppm: int, country: str, on: date, count: CountBasis
) -> None:
    in_force = {h.member for h in holdings if h.in_force(country, on)}
    try:
        result = allocate(amount, fee_ppm, holdings, country=country, on=on, count=count)
    except ValidationError:
        assert not in_force  # refused only when nobody has a patent in force there
        return
    # collected = fee + sum of member shares, to the fen
    assert result.fee_fen + sum(s.amount_fen for s in result.shares) == amount
    assert result.fee_fen == ppm_of(amount, fee_ppm)
    for share in result.shares:
        # no member gets a share for a country where it has no patent in force
        assert share.member in in_force
        assert share.weight > 0
        assert all(
            any(
                h.patent == p and h.member == share.member and h.in_force(country, on)
                for h in holdings
            )
            for p in share.patents
        )
    # each share is within one fen of its exact pro-rata part
    total = sum(s.weight for s in result.shares)
    rest = amount - result.fee_fen
    for share in result.shares:
        assert abs(share.amount_fen * total - rest * share.weight) < total


@settings(max_examples=200, deadline=None)
@given(
    groups=st.lists(
        st.tuples(st.integers(0, 10**11), st.lists(st.integers(0, 50), min_size=4, max_size=4)),
        min_size=1,
        max_size=20,
    ),
    fee_ppm=st.integers(0, 1_000_000),
)
def test_the_vectorised_engine_matches_the_rule_to_the_fen(
    groups: list[tuple[int, list[int]]], fee_ppm: int
) -> None:
    groups = [(a if sum(w) else 0, w) for a, w in groups]
    fees, shares = allocate_many(
        np.array([a for a, _ in groups], dtype=np.int64),
        np.array([w for _, w in groups], dtype=np.int64),
        fee_ppm,
    )
    for row, (amount, weights) in enumerate(groups):
        fee = ppm_of(amount, fee_ppm)
        assert fees[row] == fee
        expected = largest_remainder(amount - fee, weights) if sum(weights) else [0] * 4
        assert shares[row].tolist() == expected


@settings(max_examples=100, deadline=None)
@given(
    block_weights=st.lists(
        st.lists(st.integers(0, 9), min_size=5, max_size=5).filter(any), min_size=1, max_size=4
    ),
    groups=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10**9)), min_size=1, max_size=30),
    fee_ppm=st.integers(0, 1_000_000),
)
def test_blocks_of_shared_weights_give_the_same_fen(
    block_weights: list[list[int]], groups: list[tuple[int, int]], fee_ppm: int
) -> None:
    weights = np.array(block_weights, dtype=np.int64)
    rows = sorted((b % len(block_weights), a) for b, a in groups)
    blocks = np.array([b for b, _ in rows], dtype=np.int64)
    amounts = np.array([a for _, a in rows], dtype=np.int64)
    fees, shares = allocate_blocks(amounts, blocks, weights, fee_ppm)
    expected_fees, expected_shares = allocate_many(amounts, weights[blocks], fee_ppm)
    assert fees.tolist() == expected_fees.tolist()
    assert shares.tolist() == expected_shares.tolist()


def test_counted_patents_are_listed_per_member_in_order() -> None:
    holdings = [Holding("B", "X2", "CN"), Holding("A", "X9", "CN"), Holding("B", "X1", "CN")]
    found = counted_patents(holdings, "CN", DAY)
    assert list(found) == ["A", "B"]
    assert [h.patent for h in found["B"]] == ["X1", "X2"]
    assert weight_of(found["B"], CountBasis.FAMILIES) == 2
