"""Money value of a patent or a portfolio: relief from royalty, with a cost-approach check.

Income approach, relief from royalty (what the owner saves by not having to license it)::

    L     = min(years of revenue forecast, economic life, remaining legal term)   (years)
    f_t   = min(1, L - (t - 1))               share of year t inside the life, t = 1..ceil(L)
    CF_t  = Rev_t * f_t * royalty_rate * (1 - tax_rate)
    PV    = sum_t CF_t / (1 + r) ** (t - 1 + f_t)        end of each (part) year
    TAB   = 1 / (1 - tax_rate * AF / n),   AF = sum_{k=1..n} 1 / (1 + r) ** k
    V     = PV * TAB   (or PV without the tax amortisation benefit)

``n`` is the tax amortisation period: 10 years by default, the minimum for intangible assets
under the PRC Enterprise Income Tax Law Implementation Regulations (企业所得税法实施条例, art.
67); 15 years is the US figure (IRC §197). TAB applies when the value is that of an asset
bought on its own, whose price the buyer can amortise for tax.

Cost approach (a cross-check, 成本法): ``V = reproduction cost * (1 - obsolescence)``, where
obsolescence is given, or is ``elapsed / (elapsed + remaining)`` years (the usual 成新率 =
remaining / (elapsed + remaining)).

Money is ``Decimal`` throughout: inputs are ``Decimal``, ``int`` or text (``"0.05"``,
``"5%"``); a ``float`` is refused, because it cannot hold 0.05 exactly. Computation runs at
34 significant digits; only the results are rounded to the fen (0.01 CNY) with
ROUND_HALF_UP (四舍五入). The per-year lines are shown rounded for reading; the value is
rounded from the unrounded sum, so the rounded lines may differ from it by a fen or two.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any, Literal

from pydantic import Field

from ipops.errors import ValidationError
from ipops.money import FEN, round_fen, to_decimal, to_fen
from ipops.records import Record

__all__ = ["FEN", "round_fen", "to_decimal", "to_fen"]
PRECISION = 34
DEFAULT_TAB_YEARS = 10
Number = Decimal | int | str


# --------------------------------------------------------------------------- income


@dataclass(frozen=True)
class YearLine:
    year: int
    fraction: Decimal  # share of the year inside the life
    revenue: Decimal
    royalty: Decimal  # before tax
    after_tax: Decimal
    discount_factor: Decimal
    present_value: Decimal


@dataclass(frozen=True)
class RoyaltyValuation:
    lines: tuple[YearLine, ...]
    life: Decimal
    life_basis: str  # forecast | economic | legal
    royalty_rate: Decimal
    tax_rate: Decimal
    discount_rate: Decimal
    present_value: Decimal  # unrounded, before TAB
    tab_factor: Decimal | None
    tab_years: int | None
    value: Decimal  # rounded to the fen

    def figures(self) -> RoyaltyFigures:
        """The valuation as it is shown: amounts to the fen, factors to 6 decimals."""
        return RoyaltyFigures(
            life_years=_short(self.life),
            life_basis=self.life_basis,
            royalty_rate=self.royalty_rate,
            tax_rate=self.tax_rate,
            discount_rate=self.discount_rate,
            years=tuple(
                YearFigures(
                    year=line.year,
                    fraction=_short(line.fraction),
                    revenue=round_fen(line.revenue),
                    royalty=round_fen(line.royalty),
                    after_tax=round_fen(line.after_tax),
                    discount_factor=round(line.discount_factor, 6),
                    present_value=round_fen(line.present_value),
                )
                for line in self.lines
            ),
            present_value=round_fen(self.present_value),
            tab_factor=None if self.tab_factor is None else round(self.tab_factor, 6),
            tab_years=self.tab_years,
            value=self.value,
        )

    def as_dict(self) -> dict[str, Any]:
        return self.figures().model_dump(mode="json")


class YearFigures(Record):
    """One year of a relief-from-royalty valuation as shown (decimals serialise as text)."""

    year: int
    fraction: Decimal = Field(description="share of the year inside the life, 4 decimals")
    revenue: Decimal = Field(description="CNY, to the fen")
    royalty: Decimal = Field(description="CNY before tax, to the fen")
    after_tax: Decimal = Field(description="CNY, to the fen")
    discount_factor: Decimal = Field(description="1 / (1 + r) ** (t - 1 + f_t), 6 decimals")
    present_value: Decimal = Field(description="CNY, to the fen")


class RoyaltyFigures(Record):
    """A relief-from-royalty valuation as shown: the lines rounded for reading, the value
    rounded (ROUND_HALF_UP) from the unrounded sum."""

    method: Literal["relief from royalty"] = "relief from royalty"
    life_years: Decimal = Field(description="years, at most 4 decimals")
    life_basis: str = Field(description="what set the life: forecast | economic | legal")
    royalty_rate: Decimal
    tax_rate: Decimal
    discount_rate: Decimal
    years: tuple[YearFigures, ...]
    present_value: Decimal = Field(description="CNY before TAB, to the fen")
    tab_factor: Decimal | None = Field(description="tax amortisation benefit, 6 decimals")
    tab_years: int | None
    value: Decimal = Field(description="CNY, to the fen")
    rounding: Literal["to the fen, ROUND_HALF_UP, at the end only"] = (
        "to the fen, ROUND_HALF_UP, at the end only"
    )


def relief_from_royalty(
    revenues: Sequence[Number],
    *,
    royalty_rate: Number,
    tax_rate: Number,
    discount_rate: Number,
    economic_life: Number | None = None,
    legal_life: Number | None = None,
    tab: bool = False,
    tab_years: int = DEFAULT_TAB_YEARS,
) -> RoyaltyValuation:
    """Value by relief from royalty of the revenue forecast ``revenues`` (year 1, 2, ...)."""
    forecast = [to_decimal(v, f"revenue[{i + 1}]") for i, v in enumerate(revenues)]
    rate = _rate(royalty_rate, "royalty_rate")
    tax = _rate(tax_rate, "tax_rate")
    r = to_decimal(discount_rate, "discount_rate")
    if r <= 0:
        raise ValidationError("must be above 0", field="discount_rate")
    if not forecast:
        raise ValidationError("give at least one year of revenue", field="revenue")
    for i, revenue in enumerate(forecast):
        if revenue < 0:
            raise ValidationError("must not be negative", field=f"revenue[{i + 1}]")
    life, basis = _life(len(forecast), economic_life, legal_life)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        lines = tuple(_year(t, forecast[t - 1], life, rate, tax, r) for t in _years(life))
        present = sum((line.present_value for line in lines), Decimal(0))
        factor = tab_factor(tax, r, tab_years) if tab else None
        value = round_fen(present * factor if factor is not None else present)
    return RoyaltyValuation(
        lines=lines,
        life=life,
        life_basis=basis,
        royalty_rate=rate,
        tax_rate=tax,
        discount_rate=r,
        present_value=present,
        tab_factor=factor,
        tab_years=tab_years if tab else None,
        value=value,
    )


def _short(value: Decimal) -> Decimal:
    """At most 4 decimals, no trailing zeros and no exponent (for reading; computation keeps
    every digit)."""
    return Decimal(format(round(value, 4).normalize(), "f"))


def _rate(value: Number, field: str) -> Decimal:
    rate = to_decimal(value, field)
    if not Decimal(0) <= rate < Decimal(1):
        raise ValidationError(f"must be from 0 to below 1 (got {rate})", field=field)
    return rate


def _life(years: int, economic: Number | None, legal: Number | None) -> tuple[Decimal, str]:
    life, basis = Decimal(years), "forecast"
    if economic is not None:
        eco = to_decimal(economic, "economic_life")
        if eco < 0:
            raise ValidationError("must not be negative", field="economic_life")
        if eco > years:
            raise ValidationError(
                f"the revenue forecast covers {years} years, the economic life {eco}: "
                "forecast every year of the life",
                field="economic_life",
            )
        life, basis = eco, "economic"
    if legal is not None:
        remaining = to_decimal(legal, "legal_life")
        if remaining < 0:
            raise ValidationError("must not be negative", field="legal_life")
        if remaining < life:
            life, basis = remaining, "legal"
    return life, basis


def _years(life: Decimal) -> range:
    return range(1, math.ceil(life) + 1)


def _year(
    t: int, revenue: Decimal, life: Decimal, rate: Decimal, tax: Decimal, r: Decimal
) -> YearLine:
    fraction = min(Decimal(1), life - (t - 1))
    royalty = revenue * fraction * rate
    after_tax = royalty * (1 - tax)
    factor = 1 / (1 + r) ** (t - 1 + fraction)
    return YearLine(t, fraction, revenue, royalty, after_tax, factor, after_tax * factor)


def annuity_factor(r: Decimal, years: int) -> Decimal:
    """Present value of 1 a year for ``years`` years at ``r``, end of year."""
    return sum((1 / (1 + r) ** k for k in range(1, years + 1)), Decimal(0))


def tab_factor(tax: Decimal, r: Decimal, years: int) -> Decimal:
    """Tax amortisation benefit factor ``1 / (1 - tax * AF / n)``."""
    if years < 1:
        raise ValidationError("must be 1 or more", field="tab_years")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return 1 / (1 - tax * annuity_factor(r, years) / years)


# --------------------------------------------------------------------------- cost


@dataclass(frozen=True)
class CostValuation:
    reproduction_cost: Decimal
    obsolescence: Decimal
    basis: str  # given | age
    value: Decimal  # rounded to the fen

    def figures(self) -> CostFigures:
        """The cross-check as it is shown: the cost to the fen, the rate to 6 decimals."""
        return CostFigures(
            reproduction_cost=round_fen(self.reproduction_cost),
            obsolescence=round(self.obsolescence, 6),
            obsolescence_basis=self.basis,
            value=self.value,
        )

    def as_dict(self) -> dict[str, Any]:
        return self.figures().model_dump(mode="json")


class CostFigures(Record):
    """A cost-approach cross-check as shown (decimals serialise as text)."""

    method: Literal["cost (reproduction cost less obsolescence)"] = (
        "cost (reproduction cost less obsolescence)"
    )
    reproduction_cost: Decimal = Field(description="CNY, to the fen")
    obsolescence: Decimal = Field(description="rate from 0 to 1, 6 decimals")
    obsolescence_basis: str = Field(description="given | age (elapsed over the whole term)")
    value: Decimal = Field(description="CNY, to the fen")


def cost_approach(
    reproduction_cost: Number,
    *,
    obsolescence: Number | None = None,
    elapsed_years: Number | None = None,
    remaining_years: Number | None = None,
) -> CostValuation:
    """Reproduction cost less obsolescence (given, or from elapsed and remaining years)."""
    cost = to_decimal(reproduction_cost, "reproduction_cost")
    if cost < 0:
        raise ValidationError("must not be negative", field="reproduction_cost")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if obsolescence is not None:
            rate, basis = to_decimal(obsolescence, "obsolescence"), "given"
        elif elapsed_years is not None and remaining_years is not None:
            elapsed = to_decimal(elapsed_years, "elapsed_years")
            remaining = to_decimal(remaining_years, "remaining_years")
            if elapsed < 0 or remaining < 0 or elapsed + remaining == 0:
                raise ValidationError(
                    "need elapsed >= 0, remaining >= 0, not both 0", field="elapsed_years"
                )
            rate, basis = elapsed / (elapsed + remaining), "age"
        else:
            raise ValidationError(
                "give the obsolescence rate, or elapsed and remaining years", field="obsolescence"
            )
        if not Decimal(0) <= rate <= Decimal(1):
            raise ValidationError(f"must be from 0 to 1 (got {rate})", field="obsolescence")
        value = round_fen(cost * (1 - rate))
    return CostValuation(cost, rate, basis, value)
