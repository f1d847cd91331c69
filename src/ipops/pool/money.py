"""Money and rates of the pool: Decimal in code, integer fen in storage, floats refused.

Rates are kept as integers in millionths (``ppm``) so that the vectorised engine and the
per-row rules compute the same fen from the same integers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ipops.errors import ValidationError
from ipops.valuation.money import to_decimal

FEN = Decimal("0.01")
MILLION = 1_000_000
MAX_AMOUNT = 10**13  # CNY: 10^15 fen keeps every product of the engine inside 64 bits


def parse_amount(value: object, field: str) -> Decimal:
    """A non-negative CNY amount with at most two decimals (floats are refused)."""
    amount = to_decimal(value, field)
    if amount < 0:
        raise ValidationError(f"must not be negative: {value}", field=field)
    if amount > MAX_AMOUNT:
        raise ValidationError(f"more than {MAX_AMOUNT:,} CNY: {value}", field=field)
    if amount != amount.quantize(FEN):
        raise ValidationError(f"more precise than the fen: {value}", field=field)
    return amount


def to_fen(amount: Decimal) -> int:
    """Whole fen of an amount already checked to the fen."""
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def fen_text(fen: int) -> str:
    """Fen as a decimal string of yuan: 12345 -> "123.45"."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}{whole}.{part:02d}"


def fen_decimal(fen: int) -> Decimal:
    return Decimal(fen_text(fen))


def parse_rate(value: object, field: str, *, maximum: Decimal = Decimal(1)) -> Decimal:
    """A fraction between 0 and ``maximum`` ("0.1", "10%"), exact to the millionth."""
    rate = to_decimal(value, field)
    if rate < 0 or rate > maximum:
        raise ValidationError(f"must be between 0 and {maximum}: {value}", field=field)
    if rate * MILLION != (rate * MILLION).to_integral_value():
        raise ValidationError(f"more precise than a millionth: {value}", field=field)
    return rate


def to_ppm(rate: Decimal) -> int:
    """A fraction in millionths (exact for rates from ``parse_rate``)."""
    return int((rate * MILLION).to_integral_value(rounding=ROUND_HALF_UP))


def ppm_of(amount_fen: int, ppm: int) -> int:
    """``amount_fen * ppm / 10^6`` rounded half up to the fen (non-negative inputs)."""
    return (amount_fen * ppm + MILLION // 2) // MILLION
