"""Money valuation of a patent or portfolio (the one use case the CLI and the API call):
relief from royalty (income approach) with the listed patents' legal term capping the life,
and an optional cost-approach cross-check (the rules are in ``money``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field

from ipops.corpus.store import CorpusStore
from ipops.errors import ValidationError
from ipops.records import Record
from ipops.valuation import money
from ipops.valuation.indicators import default_as_of
from ipops.valuation.legal_terms import LegalTerm, legal_term


class TermFigures(Record):
    """A listed patent's legal term as a money valuation shows it."""

    patent_id: str
    status: str
    status_basis: str
    term_end: date | None
    term_upper_bound: bool = Field(description="the end is an upper bound (facts missing)")
    term_how: str | None = Field(description="the rule and the basis that gave the end")
    remaining_years: Decimal | None = Field(description="years left, 4 decimals; 0: not in force")

    @classmethod
    def of(cls, term: LegalTerm) -> TermFigures:
        remaining = term.remaining_years
        return cls(
            patent_id=term.patent_id,
            status=term.status,
            status_basis=term.status_basis,
            term_end=term.term_end,
            term_upper_bound=bool(term.expiry and term.expiry.upper_bound),
            term_how=None if term.expiry is None else term.expiry.how(),
            remaining_years=None if remaining is None else round(remaining, 4),
        )


class MoneyFigures(Record):
    """A money valuation as shown (the API's response, the CLI's ``--json``): decimals
    serialise as text, rounded as ``money`` says."""

    as_of: date
    patents: tuple[TermFigures, ...]
    income: money.RoyaltyFigures
    cost: money.CostFigures | None


class MoneyValuation(Record):
    """The value in money as of a date: each patent's legal term, the income approach and
    the cost approach when asked."""

    as_of: date
    patents: tuple[LegalTerm, ...]
    income: money.RoyaltyValuation
    cost: money.CostValuation | None

    def figures(self) -> MoneyFigures:
        return MoneyFigures(
            as_of=self.as_of,
            patents=tuple(TermFigures.of(t) for t in self.patents),
            income=self.income.figures(),
            cost=None if self.cost is None else self.cost.figures(),
        )

    def as_dict(self) -> dict[str, Any]:
        """The figures as JSON-ready values (dates as ISO text, decimals as text)."""
        return self.figures().model_dump(mode="json")


def value_in_money(
    *,
    store: CorpusStore | None,
    revenue: Sequence[money.Number],
    royalty_rate: money.Number,
    tax_rate: money.Number,
    discount_rate: money.Number,
    economic_life: money.Number | None = None,
    numbers: Sequence[str] = (),
    as_of: date | None = None,
    tab: bool = False,
    tab_years: int = money.DEFAULT_TAB_YEARS,
    cost: money.Number | None = None,
    obsolescence: money.Number | None = None,
) -> MoneyValuation:
    """Relief-from-royalty value of the patents ``numbers`` (or of a forecast alone), as of
    ``as_of`` (default: the corpus's data cut-off). A portfolio earns while any of its
    patents is in force: the longest remaining term caps the economic life. Without
    patents and with ``as_of`` given, no corpus is read (``store`` may be None)."""
    terms: tuple[LegalTerm, ...]
    if store is None:
        if numbers or as_of is None:
            raise ValueError("a corpus store is needed for patents or the data cut-off")
        day, terms = as_of, ()
    else:
        day = default_as_of(store, as_of)
        terms = tuple(legal_term(store, number, day) for number in numbers)
    known = [t.remaining_years for t in terms if t.remaining_years is not None]
    income = money.relief_from_royalty(
        list(revenue),
        royalty_rate=royalty_rate,
        tax_rate=tax_rate,
        discount_rate=discount_rate,
        economic_life=economic_life,
        legal_life=max(known) if known else None,
        tab=tab,
        tab_years=tab_years,
    )
    return MoneyValuation(
        as_of=day,
        patents=terms,
        income=income,
        cost=_cost_check(cost, obsolescence, terms),
    )


def _cost_check(
    cost: money.Number | None, obsolescence: money.Number | None, terms: tuple[LegalTerm, ...]
) -> money.CostValuation | None:
    """The cost approach: the obsolescence given, else from the age of the patent with the
    longest remaining term."""
    if cost is None:
        return None
    if obsolescence is not None:
        return money.cost_approach(cost, obsolescence=obsolescence)
    dated = [t for t in terms if t.remaining_years is not None and t.elapsed_years is not None]
    if not dated:
        raise ValidationError(
            "give obsolescence, or numbers so that it follows from the patents' age",
            field="obsolescence",
        )
    longest = max(dated, key=lambda t: t.remaining_years or Decimal(0))
    return money.cost_approach(
        cost, elapsed_years=longest.elapsed_years, remaining_years=longest.remaining_years
    )
