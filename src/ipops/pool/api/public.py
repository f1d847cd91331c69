"""The public pool list and open patent list, statistics and the what-if allocation."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from ipops.accounts import authz
from ipops.api.deps import CurrentUser, SessionDep
from ipops.api.schemas import SafeStr, StrictModel
from ipops.pool import (
    overview,
)
from ipops.pool.allocation import CountBasis
from ipops.pool.api.common import (
    PoolId,
    pool_of,
)
from ipops.pool.money import parse_amount, parse_rate
from ipops.pool.overview import PoolStats, PoolSummary, PublicList
from ipops.pool.royalties import check_country
from ipops.pool.what_if import Sale, split_pool_sale
from ipops.records import Record

router = APIRouter()


# --------------------------------------------------------------------------- public


@router.get("/pools")
def list_pools(db_session: SessionDep) -> list[PoolSummary]:
    """Every pool (public: no login needed)."""
    return overview.pool_summaries(db_session=db_session)


@router.get("/pools/{pool_id}/public")
def public_list(
    pool_id: PoolId,
    db_session: SessionDep,
    on: Annotated[date | None, Query(description="In force on this day (default today).")] = None,
) -> PublicList:
    """The pool's open list (public: no login): members, patents, countries, expiry."""
    return overview.public_list(db_session=db_session, pool=pool_of(db_session, pool_id), on=on)


# --------------------------------------------------------------------------- statistics


@router.get("/pools/{pool_id}/stats")
def pool_stats(pool_id: PoolId, user: CurrentUser, db_session: SessionDep) -> PoolStats:
    """Composition by member, IPC main group, country and expiry year; income."""
    authz.require(user, "pool:read", "pool")
    return overview.stats_of(db_session=db_session, pool=pool_of(db_session, pool_id))


class WhatIf(StrictModel):
    amount: SafeStr = Field(max_length=20, examples=["10000.00"])
    country: SafeStr = Field(max_length=2, examples=["US"])
    made_in: SafeStr | None = Field(default=None, max_length=2, examples=["CN"])
    sale_date: date | None = None
    admin_fee: SafeStr | None = Field(default=None, max_length=12, examples=["0.1"])
    count: CountBasis | None = None
    expire: list[Annotated[SafeStr, Field(max_length=64)]] = Field(default=[], max_length=1000)


class ShareOut(Record):
    """A member's share of an allocation: the patents that counted, their weight, the
    amount as text."""

    member: str
    patents: list[str]
    weight: int
    amount: str


class AllocationOut(Record):
    """An allocation as ``allocation.Allocation.as_dict`` writes it: the sale, the rule and
    the countries whose patents counted, the fee, and each member's share."""

    country: str
    sold_in: str
    made_in: str | None
    rule: str
    countries_counted: list[str]
    date: date
    count: CountBasis
    amount: str
    admin_fee_rate: str
    admin_fee: str
    members: list[ShareOut]
    total_weight: int


@router.post("/pools/{pool_id}/what-if")
def what_if(
    pool_id: PoolId, body: WhatIf, user: CurrentUser, db_session: SessionDep
) -> AllocationOut:
    """Allocate an amount a sale in ``country`` (made in ``made_in``) triggered, with some
    patents expired: patents in force in either country count."""
    authz.require(user, "pool:read", "pool")
    pool = pool_of(db_session, pool_id)
    sale = Sale(
        amount=parse_amount(body.amount, "amount"),
        country=check_country(body.country, "country"),
        on=body.sale_date or date.today(),
        made_in=None if body.made_in is None else check_country(body.made_in, "made_in"),
        admin_fee=None if body.admin_fee is None else parse_rate(body.admin_fee, "admin_fee"),
        count=body.count,
    )
    found = split_pool_sale(db_session=db_session, pool=pool, sale=sale, expire=body.expire)
    return AllocationOut.model_validate(found.as_dict())
