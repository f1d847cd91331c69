"""The valuation domain for scripts (``ipops.open(home).value``):
each method is keyword-only, runs one use case in one transaction and returns its frozen records.

Values are computed with the built-in ``default`` scheme unless another built-in scheme is
named, as of the corpus's data cut-off unless ``as_of`` is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ipops.valuation import money
from ipops.valuation.appraisal import MoneyValuation, value_in_money
from ipops.valuation.indicators import value_options
from ipops.valuation.rankings import PatentValue, RankFilter, Ranking, patent_value, rank_patents
from ipops.valuation.schemes import load_scheme
from ipops.valuation.screening import HighValueReport, high_value_patents

if TYPE_CHECKING:
    from ipops.platform import Platform


class ValueAPI:
    def __init__(self, platform: Platform) -> None:
        self._platform = platform

    @property
    def _root(self) -> Path:
        return self._platform.workspace.root / "valuation"

    def top(
        self,
        *,
        n: int = 20,
        as_of: date | None = None,
        scheme: str = "default",
        where: RankFilter | None = None,
    ) -> Ranking:
        """The ``n`` best-scored patents (the run is recorded in the registry)."""
        store = self._platform.store
        with self._platform.session() as session:
            return rank_patents(
                store=store,
                root=self._root,
                scheme=load_scheme(scheme),
                options=value_options(store, as_of=as_of),
                where=where,
                n=n,
                db_session=session,
            )

    def high_value(self, *, as_of: date | None = None) -> HighValueReport:
        """Valid invention patents meeting CNIPA's high-value conditions, with the reasons."""
        store = self._platform.store
        return high_value_patents(
            store=store, root=self._root, options=value_options(store, as_of=as_of)
        )

    def show(
        self, *, patent_id: str, as_of: date | None = None, scheme: str = "default"
    ) -> PatentValue:
        """One patent's value explained: indicators, percentiles, weights, degrees, PVD."""
        store = self._platform.store
        options = value_options(store, as_of=as_of)
        return patent_value(store, self._root, patent_id, load_scheme(scheme), options)

    def money(
        self,
        *,
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
        """Relief-from-royalty value of a patent or portfolio, with a cost-approach check."""
        return value_in_money(
            store=self._platform.store,
            revenue=revenue,
            royalty_rate=royalty_rate,
            tax_rate=tax_rate,
            discount_rate=discount_rate,
            economic_life=economic_life,
            numbers=numbers,
            as_of=as_of,
            tab=tab,
            tab_years=tab_years,
            cost=cost,
            obsolescence=obsolescence,
        )
