"""Licence terms, royalty pricing and royalty-report checks: pure rules.

A line of a royalty report (product category, country of manufacture, country of sale,
units or net sales) owes royalty only where a pool patent is in force in the country of
manufacture or of sale on the sale date. The country that *triggers* it is the country of
sale when a pool patent is in force there, else the country of manufacture; that country's
patents share the line's royalty.

Pricing works in integers so that the per-row rules and the vectorised engine agree to the
fen: each (category, country of sale) has an effective rate in millionths — micro-fen per
unit for per-unit rates, millionths of net sales for percentage rates — after the regional
rate, the compliant-rate discount and the early-signing discount (rounded half up to the
millionth once); a line's royalty is ``base * rate / 10^6`` rounded half up to the fen.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from ipops.errors import NotFound, ValidationError
from ipops.money import largest_remainder
from ipops.places.countries import is_iso2
from ipops.pool import standing
from ipops.pool.money import MILLION, parse_amount, parse_rate, to_fen
from ipops.valuation.money import to_decimal

MAX_UNITS = 10**10  # per report line


class RateKind(StrEnum):
    UNIT = "unit"  # CNY per unit
    PERCENT = "percent"  # percent of net sales


@dataclass(frozen=True)
class Rate:
    kind: RateKind
    value: Decimal  # CNY per unit, or percent (2.5 = 2.5 %)

    def as_dict(self) -> dict[str, str]:
        return {"kind": str(self.kind), "value": str(self.value)}


@dataclass(frozen=True)
class Terms:
    """What a licence agreement says about money."""

    rates: Mapping[str, Rate]  # by product category code
    regional: Mapping[str, Decimal] = field(default_factory=dict)  # country of sale -> factor
    compliant_discount: Decimal = Decimal(0)  # off while the licensee is in good standing
    early_discount: Decimal = Decimal(0)  # off for early signers
    annual_cap_fen: int | None = None


def parse_rates(raw: Mapping[str, Any]) -> dict[str, Rate]:
    """``{"split-ac": {"unit": "5.00"}, "vrf": {"percent": "1.5"}}`` checked."""
    rates: dict[str, Rate] = {}
    for category, spec in raw.items():
        where = f"rates.{category}"
        if not isinstance(spec, Mapping) or len(spec) != 1:
            raise ValidationError('give {"unit": "CNY"} or {"percent": "P"}', field=where)
        ((kind, value),) = spec.items()
        if kind not in RateKind.__members__.values():
            raise ValidationError(f"unknown rate kind {kind!r}: unit or percent", field=where)
        if RateKind(kind) is RateKind.UNIT:
            amount = parse_amount(value, where)
        else:
            amount = parse_rate(value, where, maximum=Decimal(100))
        rates[str(category)] = Rate(RateKind(kind), amount)
    if not rates:
        raise ValidationError("at least one product category needs a rate", field="rates")
    return rates


def parse_regional(raw: Mapping[str, Any]) -> dict[str, Decimal]:
    """``{"IN": "0.5"}``: the factor applied to rates for sales in a country."""
    regional: dict[str, Decimal] = {}
    for country, factor in raw.items():
        code = check_country(str(country), f"regional.{country}")
        regional[code] = parse_rate(factor, f"regional.{country}", maximum=Decimal(10))
    return regional


def check_country(code: str, where: str) -> str:
    upper = code.strip().upper()
    if not is_iso2(upper):
        raise ValidationError(f"{code!r} is not an ISO 3166 alpha-2 country code", field=where)
    return upper


def effective_rate_micro(
    terms: Terms, category: str, sold_in: str, *, good_standing: bool, back_royalty: bool
) -> int:
    """The rate of a line in millionths (micro-fen per unit, or millionths of net sales).

    Back royalties (sales before signing) are priced at the full rate: the discounts
    reward licensees who sign early and stay compliant from then on.
    """
    rate = terms.rates[category]
    base = rate.value * 100 if rate.kind is RateKind.UNIT else rate.value / 100
    factor = terms.regional.get(sold_in, Decimal(1))
    if not back_royalty:
        if good_standing:
            factor *= 1 - terms.compliant_discount
        factor *= 1 - terms.early_discount
    return int((base * factor * MILLION).to_integral_value(rounding=ROUND_HALF_UP))


def line_royalty_fen(base: int, rate_micro: int) -> int:
    """``base`` (units, or net sales in fen) times the rate, half up to the fen."""
    return (base * rate_micro + MILLION // 2) // MILLION


def trigger_country(made_in: str, sold_in: str, in_force: Collection[str]) -> str | None:
    """The country whose pool patents a line's royalty goes to, or None: nothing due."""
    if sold_in in in_force:
        return sold_in
    if made_in in in_force:
        return made_in
    return None


def capped(amounts: Sequence[int], room_fen: int | None) -> list[int]:
    """Line amounts scaled down pro rata (largest remainder) to fit the cap's room left."""
    total = sum(amounts)
    if room_fen is None or total <= room_fen:
        return list(amounts)
    return largest_remainder(max(room_fen, 0), amounts)


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class ReportLine:
    row: int  # 1-based, as the licensee numbered it
    category: str
    made_in: str
    sold_in: str
    units: int | None
    net_sales_fen: int | None
    sold_on: date | None = None
    currency: str = "CNY"  # of the net sales as reported
    net_sales_reported: Decimal | None = None  # in ``currency``, before the one conversion
    fx_rate: str | None = None  # CNY per ``per`` units, e.g. "7.1740/1"

    @property
    def base(self) -> int:
        return self.units if self.units is not None else (self.net_sales_fen or 0)


def parse_report_lines(
    rows: Sequence[Mapping[str, Any]],
    *,
    rates: Mapping[str, Rate],
    period: tuple[date, date],
    fx: standing.FxTable | None = None,
    on: date | None = None,
) -> list[ReportLine]:
    """Every row checked; the first bad one rejects the whole report, naming row and field.

    Net sales in another currency (column ``currency``) are kept as reported and converted
    once, at the CNY central parity of ``on`` (the report date) from ``fx``."""
    if not rows:
        raise ValidationError("a royalty report needs at least one line", field="lines")
    lines = [_line(i, row, rates, period) for i, row in enumerate(rows, start=1)]
    return [_converted(line, fx, on or period[1]) for line in lines]


def _converted(line: ReportLine, fx: standing.FxTable | None, on: date) -> ReportLine:
    if line.currency == "CNY" or line.net_sales_reported is None:
        return line
    where = f"row {line.row}.currency"
    if fx is None:
        raise ValidationError(
            f"net sales in {line.currency} need the exchange-rate file (pool/fx_rates.csv)",
            field=where,
        )
    try:
        rate = fx.rate(line.currency, on)
    except NotFound as missing:  # a bad row of the report, not a missing resource
        raise ValidationError(missing.message, field=where) from None
    fen = standing.to_fen(line.net_sales_reported, line.currency, on=on, table=fx)
    return replace(line, net_sales_fen=fen, fx_rate=f"{rate.cny}/{rate.per} ({rate.day})")


def _line(
    number: int, row: Mapping[str, Any], rates: Mapping[str, Rate], period: tuple[date, date]
) -> ReportLine:
    where = f"row {number}"
    category = str(row.get("category", "")).strip()
    if category not in rates:
        known = ", ".join(sorted(rates))
        raise ValidationError(
            f"unknown product category {category!r} (known: {known})", field=f"{where}.category"
        )
    made_in = check_country(str(row.get("made_in", "")), f"{where}.made_in")
    sold_in = check_country(str(row.get("sold_in", "")), f"{where}.sold_in")
    currency = str(row.get("currency") or "CNY").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError(f"not a currency code: {currency!r}", field=f"{where}.currency")
    units, net = _quantities(row, rates[category], where)
    sold_on = _sale_date(row.get("sold_on"), period, where)
    reported = None
    if net is not None and currency != "CNY":
        reported = parse_amount(row.get("net_sales"), f"{where}.net_sales")
    return ReportLine(number, category, made_in, sold_in, units, net, sold_on, currency, reported)


def _quantities(row: Mapping[str, Any], rate: Rate, where: str) -> tuple[int | None, int | None]:
    if rate.kind is RateKind.UNIT:
        value = row.get("units")
        if value is None or value == "":
            raise ValidationError("units are required for a per-unit rate", field=f"{where}.units")
        units = to_decimal(value, f"{where}.units")
        if units < 0:
            raise ValidationError(f"negative units: {value}", field=f"{where}.units")
        if units != units.to_integral_value():
            raise ValidationError(f"units must be whole: {value}", field=f"{where}.units")
        if units > MAX_UNITS:
            raise ValidationError(f"more than {MAX_UNITS:,} units", field=f"{where}.units")
        return int(units), None
    value = row.get("net_sales")
    if value is None or value == "":
        raise ValidationError(
            "net_sales is required for a percentage rate", field=f"{where}.net_sales"
        )
    return None, to_fen(parse_amount(value, f"{where}.net_sales"))


def _sale_date(value: Any, period: tuple[date, date], where: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"not a date: {value!r}", field=f"{where}.sold_on") from None
    if not period[0] <= day <= period[1]:
        raise ValidationError(
            f"{day} is outside the report period {period[0]} to {period[1]}",
            field=f"{where}.sold_on",
        )
    return day


def overlaps(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]
