"""The money kernel: Decimal in code, integer fen in storage, floats refused, one limit.

Every domain parses, rounds, stores and splits money through these functions, so that a
pool royalty, a loan repayment and a patent's money value follow the same rules:

- ``to_decimal`` reads a Decimal, an int or plain decimal text (``"1234.50"``, ``"5%"``,
  ``"1_000_000"``); a float, an exponent (``"1e9"``), NaN or infinity is refused with the
  expected form, naming the field.
- ``parse_amount`` checks a CNY amount: at most two decimals, below ``MAX_AMOUNT``.
- ``round_fen`` rounds half up (四舍五入); ``to_fen`` / ``from_fen`` / ``fen_text`` move
  between yuan and the stored whole fen.
- ``largest_remainder`` splits whole fen pro rata so the parts always sum to the whole
  (Hamilton's method); the tie-break position can rotate period by period.
- Rates: ``parse_rate`` (a fraction, "0.0435" or "4.35%"), ``to_ppm`` / ``ppm_of`` for the
  vectorised engines that compute in integer millionths.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ipops.errors import ValidationError

FEN = Decimal("0.01")
MILLION = 1_000_000
MAX_AMOUNT = Decimal(10**13)
"""The one limit on an amount, in CNY: ten trillion yuan, far above any royalty, loan or
patent value, and small enough that 10^15 fen times any rate in millionths stays inside a
64-bit integer (the vectorised engines rely on it)."""

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")

__all__ = [
    "FEN",
    "MAX_AMOUNT",
    "MILLION",
    "fen_decimal",
    "fen_text",
    "from_fen",
    "largest_remainder",
    "parse_amount",
    "parse_rate",
    "ppm_of",
    "round_fen",
    "to_decimal",
    "to_fen",
    "to_ppm",
]


def to_decimal(value: object, field: str) -> Decimal:
    """An exact Decimal from a Decimal, an int or text ("0.05", "5%", "1_000_000")."""
    if isinstance(value, bool | float):
        raise ValidationError(
            f"{value!r} is a float; give money and rates as text or Decimal, e.g. '0.05'",
            field=field,
        )
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        result = _parse_text(value, field)
    else:
        raise ValidationError(f"not a number: {value!r}", field=field)
    if not result.is_finite():
        raise ValidationError(f"not a finite number: {value!r}", field=field)
    return result


def _parse_text(text: str, field: str) -> Decimal:
    """Plain decimal notation only: "1234.50", "-0.5", "5%", "1_000_000"; an exponent
    ("1e9"), "NaN" or "Infinity" is refused with the expected form."""
    cleaned = text.strip().replace("_", "")
    percent = cleaned.endswith("%")
    digits = cleaned.removesuffix("%").strip()
    if not _PLAIN_NUMBER.fullmatch(digits):
        raise ValidationError(
            f"not a number in plain decimal form (e.g. 1234.50 or 5%): {text!r}", field=field
        )
    try:
        number = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValidationError(f"not a number: {text!r}", field=field) from None
    return number / 100 if percent else number


def parse_amount(
    value: object, field: str, *, allow_zero: bool = True, maximum: Decimal = MAX_AMOUNT
) -> Decimal:
    """A CNY amount: not negative (and above 0 unless ``allow_zero``), at most two
    decimals, below ``maximum``; returned quantized to the fen."""
    amount = to_decimal(value, field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError(
            f"must be {'0 or more' if allow_zero else 'more than 0'}, got {amount}", field=field
        )
    if amount >= maximum:
        raise ValidationError(f"must be less than {maximum:,} CNY, got {amount}", field=field)
    if amount != amount.quantize(FEN):
        raise ValidationError(f"{amount} has a fraction of a fen (at most 2 decimals)", field=field)
    return amount.quantize(FEN)


def round_fen(amount: Decimal) -> Decimal:
    """``amount`` to the fen, half up (四舍五入)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen(amount: Decimal) -> int:
    """Whole fen (the storage form of money), rounded half up."""
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def from_fen(fen: int) -> Decimal:
    """Yuan with two decimals from whole fen: 12345 -> Decimal("123.45")."""
    return (Decimal(fen) / 100).quantize(FEN)


fen_decimal = from_fen


def fen_text(fen: int) -> str:
    """Fen as a decimal string of yuan: 12345 -> "123.45" (no separators: machine form)."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}{whole}.{part:02d}"


def largest_remainder(total: int, weights: Sequence[int], *, first: int = 0) -> list[int]:
    """``total`` fen split pro rata to ``weights``; parts sum to ``total`` exactly.

    Each part gets its floor; the fen left over go one each to the largest remainders
    (Hamilton's method). Ties go to the earlier position counted from ``first``, wrapping
    round: ``first=0`` favours the first position; a caller that splits every period can
    rotate ``first`` so no one position wins every tie of the year.
    """
    if total < 0:
        raise ValidationError("must not be negative", field="total")
    if any(w < 0 for w in weights):
        raise ValidationError("weights must not be negative", field="weights")
    whole = sum(weights)
    if whole == 0:
        if total:
            raise ValidationError(
                "cannot split a positive total among zero weights", field="weights"
            )
        return [0] * len(weights)
    parts = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(parts)
    size = len(weights)
    order = sorted(range(size), key=lambda i: (-remainders[i], (i - first) % size))
    for i in order[:left]:
        parts[i] += 1
    return parts


def parse_rate(value: object, field: str, *, maximum: Decimal = Decimal(1)) -> Decimal:
    """A fraction between 0 and ``maximum`` ("0.1", "10%")."""
    rate = to_decimal(value, field)
    if rate < 0 or rate > maximum:
        raise ValidationError(
            f"must be between 0 and {maximum} (or 0% and {maximum * 100}%), got {rate}",
            field=field,
        )
    return rate


def to_ppm(rate: Decimal) -> int:
    """A fraction in millionths, rounded half up."""
    return int((rate * MILLION).to_integral_value(rounding=ROUND_HALF_UP))


def ppm_of(amount_fen: int, ppm: int) -> int:
    """``amount_fen * ppm / 10^6`` rounded half up to the fen (non-negative inputs)."""
    return (amount_fen * ppm + MILLION // 2) // MILLION
