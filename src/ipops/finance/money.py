"""Money of the finance domain: the kernel's rules (``ipops.money``) under the names the
finance modules use.

``amount`` parses a user-given amount (text, int or Decimal; never float) and checks it is
positive and has no fraction of a fen. ``allocate`` splits a whole number of fen among
weights by the largest-remainder method, so the parts always sum to the whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ipops import money
from ipops.money import FEN, MAX_AMOUNT, from_fen, round_fen, to_decimal, to_fen

__all__ = [
    "FEN",
    "MAX_AMOUNT",
    "allocate",
    "amount",
    "from_fen",
    "rate",
    "round_fen",
    "to_decimal",
    "to_fen",
]


def amount(value: object, field: str, *, allow_zero: bool = False) -> Decimal:
    """A money amount in CNY: positive (or zero when allowed), at most two decimals."""
    return money.parse_amount(value, field, allow_zero=allow_zero)


def rate(value: object, field: str) -> Decimal:
    """An annual interest rate or a share: text such as "0.0435" or "4.35%", between 0 and 1."""
    return money.parse_rate(value, field)


def allocate(total_fen: int, weights: Sequence[int]) -> list[int]:
    """``total_fen`` split in proportion to ``weights`` (whole fen, largest remainder);
    ties of the remainder go to the earlier weight, so the result is deterministic."""
    return money.largest_remainder(total_fen, weights)
