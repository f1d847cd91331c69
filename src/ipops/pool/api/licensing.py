"""Licensees and their licences."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ipops.accounts import organisations
from ipops.api.deps import ActorDep, CurrentUser, SessionDep
from ipops.api.schemas import SafeStr, StrictModel
from ipops.pool import (
    licensing,
)
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
from ipops.pool.models import (
    Agreement,
    Licensee,
)
from ipops.pool.money import fen_text
from ipops.records import Record

router = APIRouter()


# --------------------------------------------------------------------------- licensing (writes)


class LicenseeIn(StrictModel):
    name: Name
    country: Country
    organisation_id: StrictId | None = None
    good_standing: Annotated[bool, Field(strict=True)] = True


class LicenseeOut(Record):
    id: int
    name: str
    country: str
    organisation_id: int | None
    good_standing: bool


@router.post("/pools/{pool_id}/licensees", status_code=201)
def add_licensee(
    pool_id: PoolId, body: LicenseeIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> LicenseeOut:
    """A licensee; linked to an organisation, its users file their own royalty reports."""
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    if body.organisation_id is not None:
        organisations.get_organisation(db_session=db_session, organisation_id=body.organisation_id)
    licensee = licensing.add_licensee(
        db_session=db_session,
        actor=actor,
        pool=pool,
        name=body.name,
        country=body.country,
        organisation_id=body.organisation_id,
        good_standing=body.good_standing,
    )
    return LicenseeOut.model_validate(licensee)


@router.get("/pools/{pool_id}/licensees")
def list_licensees(pool_id: PoolId, user: CurrentUser, db_session: SessionDep) -> list[LicenseeOut]:
    """The pool's licensees."""
    require_manage(db_session, pool_id, user)
    return [
        LicenseeOut.model_validate(x)
        for x in licensing.licensees_of(db_session, pool_of(db_session, pool_id))
    ]


class AgreementIn(StrictModel):
    """Rates and regional factors default to the pool's standard terms."""

    licensee: Name
    starts_on: date
    ends_on: date
    signed_on: date | None = None
    territory: list[Country] = Field(default=[], max_length=300)
    rates: dict[Code, dict[Annotated[SafeStr, Field(max_length=16)], Money]] | None = Field(
        default=None, max_length=500
    )
    regional: dict[Country, Rate] | None = Field(default=None, max_length=300)
    compliant_discount: Rate = "0"
    early_discount: Rate = "0"
    annual_cap: Money | None = None
    back_royalties_from: date | None = None
    annual_floor: Money | None = None
    annual_minimum: Money | None = None


class AgreementOut(BaseModel):
    id: int
    licensee: str
    signed_on: date
    starts_on: date
    ends_on: date
    back_royalties_from: date | None
    territory: list[str]
    rates: dict[str, StoredRate]  # by category code
    regional: dict[str, str]  # country of sale -> factor
    compliant_discount: str
    early_discount: str
    annual_cap: str | None
    annual_floor: str | None = None
    annual_minimum: str | None = None
    origin: str


def agreement_out(agreement: Agreement, licensee: Licensee) -> AgreementOut:
    cap = agreement.annual_cap_fen
    return AgreementOut(
        id=agreement.id,
        licensee=licensee.name,
        signed_on=agreement.signed_on,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        back_royalties_from=agreement.back_royalties_from,
        territory=agreement.territory,
        rates=agreement.rates,
        regional=agreement.regional,
        compliant_discount=agreement.compliant_discount,
        early_discount=agreement.early_discount,
        annual_cap=None if cap is None else fen_text(cap),
        annual_floor=_text(agreement.annual_floor_fen),
        annual_minimum=_text(agreement.annual_minimum_fen),
        origin=agreement.origin,
    )


@router.post("/pools/{pool_id}/agreements", status_code=201)
def sign_agreement(
    pool_id: PoolId, body: AgreementIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> AgreementOut:
    """A licence agreement: term, territory, rates, discounts, annual cap, floor and minimum,
    back royalties."""
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    licensee = licensing.get_licensee(db_session=db_session, pool=pool, name=body.licensee)
    agreement = licensing.sign_agreement(
        db_session=db_session,
        actor=actor,
        pool=pool,
        licensee=licensee,
        signed_on=body.signed_on or date.today(),
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        territory=body.territory,
        rates=body.rates,
        regional=body.regional,
        compliant_discount=body.compliant_discount,
        early_discount=body.early_discount,
        annual_cap=body.annual_cap,
        back_royalties_from=body.back_royalties_from,
        annual_floor=body.annual_floor,
        annual_minimum=body.annual_minimum,
    )
    return agreement_out(agreement, licensee)


def _text(fen: int | None) -> str | None:
    return None if fen is None else fen_text(fen)
