"""Enterprise facts and their checks (pure): credit code, region, size class, figures.

The Unified Social Credit Code (统一社会信用代码, GB 32100-2015) is checked with python-stdnum
(``stdnum.cn.uscc``): 18 characters, registration department and type, the administrative
division code, the organisation code with its own check digit, and the final check character.
An invalid code is refused with stdnum's reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from ipops.errors import ValidationError
from ipops.finance import money


class SizeClass(StrEnum):
    """Enterprise size per the national standard (工信部联企业〔2011〕300号), user-supplied."""

    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"
    MICRO = "micro"


_REGION = re.compile(r"^\d{6}$")


def check_credit_code(code: str) -> str:
    """The compact, upper-case USCC; ``ValidationError`` with stdnum's reason otherwise."""
    try:
        return str(uscc.validate(code))
    except StdnumError as exc:
        raise ValidationError(
            f"{code!r} is not a valid Unified Social Credit Code: {exc}", field="credit_code"
        ) from None


def check_region(code: str) -> str:
    """A six-digit administrative division code (e.g. 320106 南京市鼓楼区)."""
    compact = code.strip()
    if not _REGION.match(compact):
        raise ValidationError(
            f"{code!r} is not a six-digit administrative division code, e.g. 320106",
            field="region",
        )
    return compact


def check_size(size: str) -> SizeClass:
    try:
        return SizeClass(size.strip().lower())
    except ValueError:
        allowed = ", ".join(s.value for s in SizeClass)
        raise ValidationError(
            f"{size!r} is not a size class; use {allowed}", field="size"
        ) from None


@dataclass(frozen=True)
class Financials:
    """Optional figures of the last year-end, in CNY (for the probability-of-default model)."""

    total_assets: Decimal | None = None
    equity: Decimal | None = None
    revenue: Decimal | None = None

    def check(self) -> None:
        if self.total_assets is not None and self.total_assets <= 0:
            raise ValidationError("must be more than 0", field="total_assets")
        if self.revenue is not None and self.revenue < 0:
            raise ValidationError("must not be negative", field="revenue")

    @property
    def equity_ratio(self) -> Decimal | None:
        if self.total_assets is None or self.equity is None:
            return None
        return self.equity / self.total_assets


def parse_financials(
    total_assets: object | None, equity: object | None, revenue: object | None
) -> Financials:
    def parse(value: object | None, field: str, *, signed: bool = False) -> Decimal | None:
        if value is None or value == "":
            return None
        result = money.to_decimal(value, field)
        if abs(result) >= money.MAX_AMOUNT:
            raise ValidationError("too large", field=field)
        if result != result.quantize(money.FEN):
            raise ValidationError("at most 2 decimals", field=field)
        if not signed and result < 0:
            raise ValidationError("must not be negative", field=field)
        return result

    figures = Financials(
        total_assets=parse(total_assets, "total_assets"),
        equity=parse(equity, "equity", signed=True),  # negative equity exists
        revenue=parse(revenue, "revenue"),
    )
    figures.check()
    return figures


def district_of(region: str) -> str:
    """The district (county-level) code: the region code itself (six digits)."""
    return region


def city_of(region: str) -> str:
    return region[:4] + "00"
