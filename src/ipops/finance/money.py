"""Money of the finance domain: Decimal in code, integer fen in storage, floats refused.

``amount`` parses a user-given amount (text, int or Decimal; never float) and checks it is
positive and has no fraction of a fen. ``allocate`` splits a whole number of fen among
weights by the largest-remainder method, so the parts always sum to the whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ipops.errors import ValidationError
from ipops.valuation.money import FEN, round_fen, to_decimal, to_fen

MAX_AMOUNT = Decimal(10**15)  # one quadrillion yuan: far above any loan, inside int64 fen

__all__ = ["FEN", "allocate", "amount", "from_fen", "rate", "round_fen", "to_decimal", "to_fen"]


def amount(value: object, field: str, *, allow_zero: bool = False) -> Decimal:
    """A money amount in CNY: positive (or zero when allowed), at most two decimals."""
    result = to_decimal(value, field)
    if abs(result) >= MAX_AMOUNT:
        raise ValidationError(f"must be less than {MAX_AMOUNT:,} CNY", field=field)
    if result < 0 or (result == 0 and not allow_zero):
        raise ValidationError(
            f"must be {'0 or more' if allow_zero else 'more than 0'}, got {result}", field=field
        )
    if result != result.quantize(FEN):
        raise ValidationError(f"{result} has a fraction of a fen (at most 2 decimals)", field=field)
    return result.quantize(FEN)


def rate(value: object, field: str) -> Decimal:
    """An annual interest rate or a share: text such as "0.0435" or "4.35%", between 0 and 1."""
    result = to_decimal(value, field)
    if not 0 <= result <= 1:
        raise ValidationError(
            f"must be between 0 and 1 (or 0% and 100%), got {result}", field=field
        )
    return result


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def allocate(total_fen: int, weights: Sequence[int]) -> list[int]:
    """``total_fen`` split in proportion to ``weights`` (whole fen, largest remainder).

    Ties of the remainder go to the earlier weight, so the result is deterministic.
    """
    if total_fen < 0:
        raise ValidationError("must not be negative", field="total")
    if any(w < 0 for w in weights):
        raise ValidationError("weights must not be negative", field="weights")
    whole = sum(weights)
    if whole == 0:
        if total_fen:
            raise ValidationError("cannot allocate an amount over zero weights", field="weights")
        return [0 for _ in weights]
    quotients = [divmod(total_fen * w, whole) for w in weights]
    parts = [q for q, _ in quotients]
    left = total_fen - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-quotients[i][1], i))
    for i in order[:left]:
        parts[i] += 1
    return parts
