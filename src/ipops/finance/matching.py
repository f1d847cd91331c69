"""Matching a loan application to banks' IP loan products (pure).

For each product, every condition is checked and reported, fit or not: amount range, term
range, the enterprise's grade among the eligible grades, region (a product lists division
code prefixes, e.g. ``32`` Jiangsu, ``3201`` Nanjing), industry, and the loan-to-value limit
on the money value of the patents offered. Products that fit come first, cheapest (lowest
rate multiple) first, then by the largest amount they lend; products that do not fit follow
with the reasons why not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ipops.finance.compensation import Check
from ipops.finance.rating import grade_at_least
from ipops.records import Record, RecordId


@dataclass(frozen=True)
class ProductTerms:
    product_id: int
    bank: str
    name: str
    min_amount: Decimal
    max_amount: Decimal
    min_term_months: int
    max_term_months: int
    rate_multiple: Decimal
    min_grade: str
    regions: tuple[str, ...]  # division code prefixes; empty: anywhere
    industries: tuple[str, ...]  # empty: any industry
    max_ltv: Decimal  # loan / money value of the pledged patents


@dataclass(frozen=True)
class Request:
    amount: Decimal
    term_months: int
    grade: str | None
    region: str
    industry: str
    collateral_value: Decimal  # money value of the patents offered


@dataclass(frozen=True)
class Match:
    product: ProductTerms
    fits: bool
    checks: tuple[Check, ...]
    annual_rate: Decimal

    def record(self) -> ProductMatch:
        """The match as the API, the CLI and the application page show it."""
        p = self.product
        return ProductMatch(
            product_id=p.product_id,
            bank=p.bank,
            product=p.name,
            fits=self.fits,
            annual_rate=self.annual_rate,
            rate_multiple=p.rate_multiple,
            reasons=[Reason.model_validate(c) for c in self.checks],
        )


class Reason(Record):
    """One condition of a product checked: its code, whether it holds, and why."""

    code: str
    ok: bool
    text: str


class ProductMatch(Record):
    """A product for an application: whether it fits, its annual rate, and every condition."""

    product_id: RecordId
    bank: str
    product: str
    fits: bool
    annual_rate: Decimal
    rate_multiple: Decimal
    reasons: list[Reason]


def _within(value: Decimal | int, low: Decimal | int, high: Decimal | int) -> bool:
    return low <= value <= high


def check_product(product: ProductTerms, request: Request) -> list[Check]:
    p, r = product, request
    amount_ok = _within(r.amount, p.min_amount, p.max_amount)
    term_ok = _within(r.term_months, p.min_term_months, p.max_term_months)
    checks = [
        Check(
            "amount",
            amount_ok,
            f"amount {r.amount} {'within' if amount_ok else 'outside'} "
            f"{p.min_amount}-{p.max_amount}",
        ),
        Check(
            "term",
            term_ok,
            f"term {r.term_months} months {'within' if term_ok else 'outside'} "
            f"{p.min_term_months}-{p.max_term_months}",
        ),
    ]
    if r.grade is None:
        checks.append(Check("grade", False, "the enterprise has no rating yet"))
    else:
        ok = grade_at_least(r.grade, p.min_grade)
        word = "meets" if ok else "is below"
        checks.append(Check("grade", ok, f"grade {r.grade} {word} the minimum {p.min_grade}"))
    in_region = not p.regions or any(r.region.startswith(x) for x in p.regions)
    served = ", ".join(p.regions) or "anywhere"
    word = "served" if in_region else "not served"
    checks.append(Check("region", in_region, f"region {r.region} {word} ({served})"))
    in_industry = not p.industries or r.industry in p.industries
    word = "eligible" if in_industry else "not eligible"
    checks.append(Check("industry", in_industry, f"industry {r.industry} {word}"))
    limit = (r.collateral_value * p.max_ltv).quantize(Decimal("0.01"))
    ltv_ok = r.collateral_value > 0 and r.amount <= limit
    checks.append(
        Check(
            "ltv",
            ltv_ok,
            f"amount {r.amount} {'<=' if ltv_ok else '>'} loan-to-value {p.max_ltv} x "
            f"collateral value {r.collateral_value} = {limit}",
        )
    )
    return checks


def match(
    products: Sequence[ProductTerms], request: Request, benchmark_rate: Decimal
) -> list[Match]:
    found = []
    for product in products:
        checks = tuple(check_product(product, request))
        rate = (benchmark_rate * product.rate_multiple).quantize(Decimal("0.000001"))
        found.append(Match(product, all(c.ok for c in checks), checks, rate))
    return sorted(
        found,
        key=lambda m: (
            not m.fits,
            sum(not c.ok for c in m.checks),
            m.product.rate_multiple,
            -m.product.max_amount,
            m.product.product_id,
        ),
    )
