"""Pools (create, configure), their members and experts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter
from pydantic import Field

from ipops.accounts import authz, organisations, users
from ipops.api.deps import ActorDep, CurrentUser, SessionDep
from ipops.api.schemas import SafeStr, StrictModel
from ipops.pool import (
    membership,
)
from ipops.pool.allocation import CountBasis
from ipops.pool.api.common import (
    Code,
    Country,
    Money,
    Name,
    PoolId,
    Rate,
    StoredRate,
    StrictId,
    pool_of,
    require_manage,
)
from ipops.records import Record

router = APIRouter()


# --------------------------------------------------------------------------- pools (writes)


class PoolIn(StrictModel):
    name: Name
    field: Name
    administrator: Name
    categories: dict[Code, Name] = Field(min_length=1, max_length=500)
    rates: dict[Code, dict[Annotated[SafeStr, Field(max_length=16)], Money]] = Field(
        min_length=1, max_length=500, examples=[{"split-ac": {"unit": "3.00"}}]
    )
    regional: dict[Country, Rate] = Field(default={}, max_length=300, examples=[{"IN": "0.5"}])
    admin_fee_rate: Rate = "0.1"
    count_basis: CountBasis = CountBasis.PATENTS
    quorum: Annotated[int, Field(strict=True, ge=1, le=1000)] = 2
    majority: Annotated[SafeStr, Field(max_length=16)] = "simple"
    organisation_id: Annotated[
        int | None,
        Field(
            strict=True,
            ge=1,
            le=2**31 - 1,
            description="owning organisation (default: the caller's; a pool administrator "
            "may only create pools of its own organisation)",
        ),
    ] = None


class PoolRulesIn(StrictModel):
    admin_fee_rate: Rate | None = None
    count_basis: CountBasis | None = None
    quorum: Annotated[int, Field(strict=True, ge=1, le=1000)] | None = None
    majority: Annotated[SafeStr, Field(max_length=16)] | None = None


class PoolOut(Record):
    id: int
    name: str
    field: str
    administrator: str
    admin_fee_rate: str
    count_basis: str
    quorum: int
    majority: str
    categories: dict[str, str]  # code -> name
    rates: dict[str, StoredRate]  # by category code
    regional: dict[str, str]  # country of sale -> factor
    demo: bool
    organisation_id: int | None


@router.post("/pools", status_code=201)
def create_pool(
    body: PoolIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> PoolOut:
    """A new pool with its product categories, standard rates and committee rules."""
    owner = user.organisation_id if body.organisation_id is None else body.organisation_id
    authz.require(user, "pool:manage", "pool", _NewPool(owner))
    pool = membership.create_pool(
        db_session=db_session,
        actor=actor,
        name=body.name,
        field=body.field,
        administrator=body.administrator,
        categories=body.categories,
        rates=body.rates,
        regional=body.regional,
        admin_fee_rate=body.admin_fee_rate,
        count_basis=str(body.count_basis),
        quorum=body.quorum,
        majority=body.majority,
        organisation_id=owner,
    )
    return PoolOut.model_validate(pool)


@dataclass(frozen=True)
class _NewPool:
    """A pool about to be created, for the permission check on its owner."""

    organisation_id: int | None


@router.patch("/pools/{pool_id}")
def configure_pool(
    pool_id: PoolId, body: PoolRulesIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> PoolOut:
    """Change the fee, the count basis or the committee's quorum and majority rule."""
    require_manage(db_session, pool_id, user)
    pool = membership.configure_pool(
        db_session=db_session,
        actor=actor,
        pool=pool_of(db_session, pool_id),
        admin_fee_rate=body.admin_fee_rate,
        count_basis=None if body.count_basis is None else str(body.count_basis),
        quorum=body.quorum,
        majority=body.majority,
    )
    return PoolOut.model_validate(pool)


# --------------------------------------------------------------------------- members, experts


class MemberIn(StrictModel):
    name: Name
    uscc: Annotated[SafeStr, Field(max_length=32)] | None = None
    foreign_registration: Annotated[SafeStr, Field(max_length=100)] | None = None
    country: Country = "CN"
    organisation_id: StrictId | None = None
    joined_on: date | None = None


class MemberOut(Record):
    id: int
    name: str
    uscc: str | None
    foreign_registration: str | None
    country: str
    organisation_id: int | None
    joined_on: date


@router.post("/pools/{pool_id}/members", status_code=201)
def add_member(
    pool_id: PoolId, body: MemberIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> MemberOut:
    """A member company (licensor): its Unified Social Credit Code is checked, or a foreign
    member's registration number is required."""
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    if body.organisation_id is not None:
        organisations.get_organisation(db_session=db_session, organisation_id=body.organisation_id)
    member = membership.add_member(
        db_session=db_session,
        actor=actor,
        pool=pool,
        name=body.name,
        uscc_code=body.uscc,
        foreign_registration=body.foreign_registration,
        country=body.country,
        organisation_id=body.organisation_id,
        joined_on=body.joined_on,
    )
    return MemberOut.model_validate(member)


class ExpertIn(StrictModel):
    name: Name
    recommended_by: Name
    speciality: Annotated[SafeStr, Field(max_length=200)] = ""
    user_id: StrictId | None = None


class ExpertOut(Record):
    id: int
    name: str
    recommended_by: str
    speciality: str
    user_id: int | None


@router.post("/pools/{pool_id}/experts", status_code=201)
def add_expert(
    pool_id: PoolId, body: ExpertIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> ExpertOut:
    """A committee expert recommended by a member (optionally linked to a login, which then
    sees and answers its own assignments)."""
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    if body.user_id is not None:
        users.get_user(db_session=db_session, user_id=body.user_id)
    expert = membership.add_expert(
        db_session=db_session,
        actor=actor,
        pool=pool,
        name=body.name,
        recommended_by=body.recommended_by,
        speciality=body.speciality,
        user_id=body.user_id,
    )
    return ExpertOut.model_validate(membership.expert_record(db_session=db_session, expert=expert))


@router.get("/pools/{pool_id}/experts")
def list_experts(pool_id: PoolId, user: CurrentUser, db_session: SessionDep) -> list[ExpertOut]:
    """The committee: each expert with the member that recommended it."""
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    return [
        ExpertOut.model_validate(x)
        for x in membership.expert_records(db_session=db_session, pool=pool)
    ]
