"""Licensee standing and licence terms worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ipops.errors import NotFound, ValidationError
from ipops.pool import royalties
from ipops.pool.standing import (
    Event,
    after_floor,
    group_cap_room,
    late_interest_fen,
    minimum_top_up,
    parse_fx,
    standing,
    to_fen,
)

EVENTS = [
    Event("report", date(2025, 1, 31), date(2025, 1, 20)),
    Event("payment", date(2025, 3, 2), date(2025, 3, 9)),  # 7 days late
    Event("report", date(2025, 2, 28), date(2025, 2, 25)),
]


def test_a_late_payment_loses_the_compliant_discount_beyond_the_grace() -> None:
    lost = standing(EVENTS, on=date(2025, 3, 31), grace_days=5)
    assert not lost.good and lost.lost_on == date(2025, 3, 2)
    assert "payment due 2025-03-02" in lost.reason
    assert standing(EVENTS, on=date(2025, 3, 31), grace_days=7).good  # within the grace


def test_the_discount_is_regained_by_the_pools_rule() -> None:
    later = [
        *EVENTS,
        Event("report", date(2025, 3, 31), date(2025, 3, 30)),
        Event("report", date(2025, 4, 30), date(2025, 4, 28)),
    ]
    assert not standing(later[:4], on=date(2025, 4, 30), regain_after=2).good
    regained = standing(later, on=date(2025, 5, 31), regain_after=2)
    assert regained.good and "regained after 2" in regained.reason
    # a report not filed once its due date (and grace) has passed counts as late
    missing = [Event("report", date(2025, 1, 31), None)]
    assert standing(missing, on=date(2025, 1, 31)).good  # still due today
    assert not standing(missing, on=date(2025, 2, 1)).good


def test_late_payment_interest() -> None:
    # 100,000.00 CNY paid 30 days late at 6 % a year: 10,000,000 x 0.06 x 30 / 365 = 49,315.07
    fen = late_interest_fen(
        10_000_000, due_on=date(2025, 3, 1), paid_on=date(2025, 3, 31), rate=Decimal("0.06")
    )
    assert fen == 49_315
    assert (
        late_interest_fen(
            10_000_000,
            due_on=date(2025, 3, 1),
            paid_on=date(2025, 3, 6),
            rate=Decimal("0.06"),
            grace_days=5,
        )
        == 0
    )
    with pytest.raises(ValidationError):
        late_interest_fen(-1, due_on=date(2025, 1, 1), paid_on=date(2025, 2, 1), rate=Decimal(1))


def test_affiliates_share_one_cap() -> None:
    # group cap 1,000.00; affiliates A and B have used 300.00 and 500.00: 200.00 left
    room = group_cap_room(100_000, {"A": 30_000, "B": 50_000})
    assert room == 20_000
    assert royalties.capped([15_000, 15_000], room) == [10_000, 10_000]
    assert group_cap_room(None, {"A": 1}) is None
    assert group_cap_room(100_000, {"A": 120_000}) == 0


def test_annual_floor_and_minimum() -> None:
    assert after_floor(99_999, 100_000) == 0  # below the floor: waived
    assert after_floor(100_000, 100_000) == 100_000
    assert minimum_top_up(70_000, 100_000) == 30_000
    assert minimum_top_up(120_000, 100_000) == 0


FX = """date,currency,cny,per
2025-03-03,USD,7.1739,1
2025-03-04,USD,7.1740,1
2025-03-03,JPY,4.7841,100
"""


def test_other_currencies_converted_once_at_the_report_dates_rate() -> None:
    table = parse_fx(FX, origin="fx.csv")
    # 1,234.56 USD x 7.1740 = 8,856.73 CNY (8,856.7334 half up to the fen)
    assert to_fen(Decimal("1234.56"), "USD", on=date(2025, 3, 4), table=table) == 885_673
    # a Saturday: the last published rate (Tuesday's)
    assert to_fen(Decimal("1"), "USD", on=date(2025, 3, 8), table=table) == 717
    # JPY quoted per 100: 250,000 JPY x 4.7841 / 100 = 11,960.25 CNY
    assert to_fen(Decimal("250000"), "JPY", on=date(2025, 3, 3), table=table) == 1_196_025
    assert to_fen(Decimal("10.005"), "CNY", on=date(2025, 3, 3), table=table) == 1_001
    with pytest.raises(NotFound, match="unknown currency EUR"):
        to_fen(Decimal("1"), "EUR", on=date(2025, 3, 3), table=table)
    with pytest.raises(ValidationError, match="row 2"):
        parse_fx("date,currency,cny,per\n2025-03-03,US,7.1,1\n", origin="fx.csv")
