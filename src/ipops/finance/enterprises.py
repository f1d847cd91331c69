"""Enterprise facts and their checks (pure): credit code, region, size class, figures.

The Unified Social Credit Code (统一社会信用代码, GB 32100-2015) is checked with python-stdnum
(``stdnum.cn.uscc``): 18 characters, registration department and type, the administrative
division code, the organisation code with its own check digit, and the final check character.
An invalid code is refused with stdnum's reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
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


class BureauFlag(StrEnum):
    """Adverse credit-bureau records, a closed set (each with its source):

    * ``pboc_overdue`` 征信逾期: an overdue record in the enterprise's credit report of the
      PBOC Credit Reference Center (《征信业管理条例》, 国务院令第631号);
    * ``tax_arrears`` 欠税: listed in a tax-arrears announcement (《欠税公告办法（试行）》,
      国家税务总局令第9号);
    * ``enforcement`` 被执行人: subject of court enforcement (中国执行信息公开网);
    * ``dishonest_debtor`` 失信被执行人: on the list of dishonest judgement debtors
      (《最高人民法院关于公布失信被执行人名单信息的若干规定》, 法释〔2017〕7号).
    """

    PBOC_OVERDUE = "pboc_overdue"
    TAX_ARREARS = "tax_arrears"
    ENFORCEMENT = "enforcement"
    DISHONEST_DEBTOR = "dishonest_debtor"


BUREAU_LABELS: dict[BureauFlag, str] = {
    BureauFlag.PBOC_OVERDUE: "征信逾期",
    BureauFlag.TAX_ARREARS: "欠税",
    BureauFlag.ENFORCEMENT: "被执行人",
    BureauFlag.DISHONEST_DEBTOR: "失信被执行人",
}
NO_FLAGS = "none"  # checked, nothing found (an empty list; absent is "not checked")


def parse_bureau_flags(text: str | list[str] | None) -> tuple[BureauFlag, ...] | None:
    """Flags as codes or Chinese labels ("dishonest_debtor,欠税"), ``none`` for a clean
    report; ``None`` (not checked) when nothing is given. Sorted, each once."""
    if text is None:
        return None
    items = text.split(",") if isinstance(text, str) else list(text)
    names = [item.strip() for item in items if item.strip()]
    if names == [NO_FLAGS] or (not names and isinstance(text, list)):
        return ()
    if not names:
        raise ValidationError(
            f"empty; give {NO_FLAGS} for a report without adverse records", field="bureau_flags"
        )
    by_label = {label: flag for flag, label in BUREAU_LABELS.items()}
    found = set()
    for name in names:
        flag = by_label.get(name)
        if flag is None and name in {f.value for f in BureauFlag}:
            flag = BureauFlag(name)
        if flag is None:
            allowed = ", ".join(f"{f.value} ({BUREAU_LABELS[f]})" for f in BureauFlag)
            raise ValidationError(
                f"{name!r} is not a credit-bureau flag; use {NO_FLAGS} or {allowed}",
                field="bureau_flags",
            )
        found.add(flag)
    return tuple(sorted(found))


FINANCIAL_FIELDS = ("total_assets", "equity", "revenue", "rd_spend", "bureau_flags")


def fields_to_change(given: Mapping[str, object | None], cleared: Iterable[str]) -> frozenset[str]:
    """The inputs an update names: those given a value, and those cleared (made absent);
    one both given and cleared is refused."""
    named = {name for name, value in given.items() if value is not None}
    gone = {name.strip().replace("-", "_") for name in cleared}
    both = sorted(named & gone)
    if both:
        raise ValidationError(f"both given and cleared: {', '.join(both)}", field="clear")
    return frozenset(named | gone)


@dataclass(frozen=True)
class Financials:
    """Optional figures of the last year-end, in CNY (the PD model, the rating's R&D
    intensity) and the credit-bureau flags (None: not checked; (): checked, none)."""

    total_assets: Decimal | None = None
    equity: Decimal | None = None
    revenue: Decimal | None = None
    rd_spend: Decimal | None = None
    bureau_flags: tuple[BureauFlag, ...] | None = None

    def check(self) -> None:
        if self.total_assets is not None and self.total_assets <= 0:
            raise ValidationError("must be more than 0", field="total_assets")
        if self.revenue is not None and self.revenue < 0:
            raise ValidationError("must not be negative", field="revenue")
        if self.rd_spend is not None and self.rd_spend < 0:
            raise ValidationError("must not be negative", field="rd_spend")

    @property
    def equity_ratio(self) -> Decimal | None:
        if self.total_assets is None or self.equity is None:
            return None
        return self.equity / self.total_assets


def parse_financials(
    total_assets: object | None,
    equity: object | None,
    revenue: object | None,
    rd_spend: object | None = None,
    bureau_flags: str | list[str] | None = None,
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
        rd_spend=parse(rd_spend, "rd_spend"),
        bureau_flags=parse_bureau_flags(bureau_flags),
    )
    figures.check()
    return figures


def district_of(region: str) -> str:
    """The district (county-level) code: the region code itself (six digits)."""
    return region


def city_of(region: str) -> str:
    return region[:4] + "00"
