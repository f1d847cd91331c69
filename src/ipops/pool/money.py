"""Money and rates of the pool: the kernel's rules (``ipops.money``) plus the pool's own
rate precision.

Rates are kept as integers in millionths (``ppm``) so that the vectorised engine and the
per-row rules compute the same fen from the same integers.
"""

from __future__ import annotations

from decimal import Decimal

from ipops import money
from ipops.errors import ValidationError
from ipops.money import FEN, MAX_AMOUNT, MILLION, fen_decimal, fen_text, ppm_of, to_fen, to_ppm

__all__ = [
    "FEN",
    "MAX_AMOUNT",
    "MILLION",
    "fen_decimal",
    "fen_text",
    "parse_amount",
    "parse_rate",
    "ppm_of",
    "to_fen",
    "to_ppm",
]


def parse_amount(value: object, field: str) -> Decimal:
    """A non-negative CNY amount with at most two decimals (floats are refused)."""
    return money.parse_amount(value, field)


def parse_rate(value: object, field: str, *, maximum: Decimal = Decimal(1)) -> Decimal:
    """A fraction between 0 and ``maximum`` ("0.1", "10%"), exact to the millionth."""
    rate = money.parse_rate(value, field, maximum=maximum)
    if rate * MILLION != (rate * MILLION).to_integral_value():
        raise ValidationError(f"more precise than a millionth: {value}", field=field)
    return rate
