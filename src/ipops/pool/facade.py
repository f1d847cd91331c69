"""The pool domain for scripts (``ipops.open(home).pool``):
each method is keyword-only, runs one use case in one transaction and returns its frozen records.

>>> import ipops
>>> pool = ipops.open("./ipops-data").pool                       # doctest: +SKIP
>>> [p.name for p in pool.pools()]                               # doctest: +SKIP
>>> pool.allocate(name="...", amount="10000.00", country="US")   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ipops.audit.service import Actor
from ipops.pool import membership, overview, payments, year_end
from ipops.pool.allocation import Allocation, CountBasis
from ipops.pool.money import parse_amount, parse_rate
from ipops.pool.royalties import check_country
from ipops.pool.what_if import Sale, split_pool_sale

if TYPE_CHECKING:
    from ipops.platform import Platform


class PoolAPI:
    def __init__(self, platform: Platform) -> None:
        self._platform = platform

    def pools(self) -> list[overview.PoolSummary]:
        """Every pool, by name."""
        with self._platform.session() as session:
            return overview.pool_summaries(db_session=session)

    def show(self, *, name: str, on: date | None = None) -> overview.PublicList:
        """The pool's open list: members, admitted patents, countries in force on ``on``."""
        with self._platform.session() as session:
            pool = membership.get_pool(db_session=session, name=name)
            return overview.public_list(db_session=session, pool=pool, on=on)

    def stats(self, *, name: str, on: date | None = None) -> overview.PoolStats:
        """Composition and income of the pool."""
        with self._platform.session() as session:
            pool = membership.get_pool(db_session=session, name=name)
            return overview.stats_of(db_session=session, pool=pool, on=on)

    def invoices(self, *, name: str) -> list[payments.InvoiceOut]:
        """The pool's invoices with what was paid and which allocation took them."""
        with self._platform.session() as session:
            pool = membership.get_pool(db_session=session, name=name)
            return payments.invoice_list(db_session=session, pool=pool)

    def settle_year(
        self,
        *,
        name: str,
        year: int,
        licensee: str | None = None,
        on: date | None = None,
        actor: Actor | None = None,
    ) -> year_end.YearEnd:
        """Settle an ended ``year`` against the licences' annual floor and minimum: waived
        invoices (their payments a credit) or a top-up invoice; once per year."""
        with self._platform.session() as session:
            pool = membership.get_pool(db_session=session, name=name)
            return year_end.settle_year(
                db_session=session,
                actor=actor or Actor.script(),
                pool=pool,
                year=year,
                licensee_name=licensee,
                settled_on=on,
            )

    def allocate(
        self,
        *,
        name: str,
        amount: object,
        country: str,
        on: date | None = None,
        made_in: str | None = None,
        admin_fee: object | None = None,
        count: CountBasis | None = None,
        expire: Sequence[str] = (),
    ) -> Allocation:
        """What-if: split ``amount`` (CNY, text or Decimal) a sale in ``country`` triggered
        among the members; ``expire`` treats some patents as expired on the sale day."""
        sale = Sale(
            amount=parse_amount(amount, "amount"),
            country=check_country(country, "country"),
            on=on or date.today(),
            made_in=None if made_in is None else check_country(made_in, "made_in"),
            admin_fee=None if admin_fee is None else parse_rate(admin_fee, "admin_fee"),
            count=count,
        )
        with self._platform.session() as session:
            pool = membership.get_pool(db_session=session, name=name)
            return split_pool_sale(db_session=session, pool=pool, sale=sale, expire=expire)
