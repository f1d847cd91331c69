"""The what-if allocation: split an amount a sale triggered among the members, pro rata to
their patents in force in the country of sale (or of manufacture), with some patents
treated as expired. One use case for the API (``POST /pool/pools/{id}/what-if``), the CLI
(``ipops pool allocate``) and scripts (``ipops.open(home).pool.allocate``); nothing is
recorded. The edges parse the input; the split itself is ``allocation.allocate``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from ipops.pool import core
from ipops.pool.allocation import Allocation, CountBasis, Holding, allocate
from ipops.pool.models import Pool
from ipops.pool.money import to_fen, to_ppm

DEFAULT_FEE = Decimal("0.1")
"""The administrator's fee of a what-if over a holdings file (no pool to take it from)."""


@dataclass(frozen=True)
class Sale:
    """The sale to split, parsed by the edge: CNY ``amount`` triggered in ``country``
    (made in ``made_in``) on ``on``; ``admin_fee`` and ``count`` default to the pool's."""

    amount: Decimal
    country: str
    on: date
    made_in: str | None = None
    admin_fee: Decimal | None = None
    count: CountBasis | None = None


def split_sale(*, sale: Sale, found: Sequence[Holding]) -> Allocation:
    """The sale split over ``found`` (a holdings file): fee 0.1 and patents by default."""
    return allocate(
        to_fen(sale.amount),
        to_ppm(DEFAULT_FEE if sale.admin_fee is None else sale.admin_fee),
        found,
        country=sale.country,
        on=sale.on,
        count=sale.count or CountBasis.PATENTS,
        made_in=sale.made_in,
    )


def split_pool_sale(
    *, db_session: Session, pool: Pool, sale: Sale, expire: Sequence[str] = ()
) -> Allocation:
    """The sale split over the pool's admitted patents, those in ``expire`` ending on the
    sale day; fee and count basis default to the pool's settings."""
    found = core.holdings(db_session, pool, expire=dict.fromkeys(expire, sale.on))
    return allocate(
        to_fen(sale.amount),
        to_ppm(Decimal(pool.admin_fee_rate) if sale.admin_fee is None else sale.admin_fee),
        found,
        country=sale.country,
        on=sale.on,
        count=sale.count or CountBasis(pool.count_basis),
        made_in=sale.made_in,
    )
