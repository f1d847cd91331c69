"""Licensees and their licences (agreements) at the pool's or negotiated terms.

Services only flush; the edges (CLI command, API request) own the transaction, and
every change is audited (``ipops.audit``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor
from ipops.errors import Conflict, NotFound, ValidationError
from ipops.pool import royalties
from ipops.pool.core import audit, checked_text
from ipops.pool.models import (
    Agreement,
    Licensee,
    Pool,
)
from ipops.pool.money import parse_amount, parse_rate, to_fen


def add_licensee(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    name: str,
    country: str,
    organisation_id: int | None = None,
    good_standing: bool = True,
    enterprise_group: str | None = None,
) -> Licensee:
    """A licensee; affiliates named in one ``enterprise_group`` share one annual cap."""
    name = checked_text(name, "name", 200)
    if db_session.scalar(
        select(Licensee.id).where(Licensee.pool_id == pool.id, Licensee.name == name)
    ):
        raise Conflict(f"{name} is a licensee of {pool.name} already", field="name")
    licensee = Licensee(
        pool_id=pool.id,
        name=name,
        country=royalties.check_country(country, "country"),
        organisation_id=organisation_id,
        good_standing=good_standing,
        enterprise_group=checked_text(enterprise_group, "enterprise_group", 200)
        if enterprise_group
        else None,
    )
    db_session.add(licensee)
    db_session.flush()
    audit(
        db_session, actor, "pool.licensee_added", "pool_licensee", licensee.id, after={"name": name}
    )
    return licensee


def get_licensee(*, db_session: Session, pool: Pool, name: str) -> Licensee:
    licensee = db_session.scalar(
        select(Licensee).where(Licensee.pool_id == pool.id, Licensee.name == name)
    )
    if licensee is None:
        raise NotFound(f"unknown licensee {name!r} in {pool.name}", field="licensee")
    return licensee


def licensees_of(db_session: Session, pool: Pool) -> list[Licensee]:
    return list(
        db_session.scalars(
            select(Licensee).where(Licensee.pool_id == pool.id).order_by(Licensee.name)
        )
    )


def sign_agreement(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    licensee: Licensee,
    signed_on: date,
    starts_on: date,
    ends_on: date,
    territory: Sequence[str] = (),
    rates: Mapping[str, Any] | None = None,
    regional: Mapping[str, Any] | None = None,
    compliant_discount: object = "0",
    early_discount: object = "0",
    annual_cap: object | None = None,
    back_royalties_from: date | None = None,
    origin: str = "",
    annual_floor: object | None = None,
    annual_minimum: object | None = None,
) -> Agreement:
    """A licence; rates and regional factors default to the pool's standard terms.
    ``annual_floor`` / ``annual_minimum`` (CNY): settled at the year end (``year_end``)."""
    if ends_on < starts_on:
        raise ValidationError("the term ends before it starts", field="ends_on")
    if back_royalties_from is not None and back_royalties_from >= starts_on:
        raise ValidationError("back royalties cover sales before the term", field="back_from")
    checked = royalties.parse_rates(rates or _rate_specs(pool.rates))
    unknown = sorted(set(checked) - set(pool.categories))
    if unknown:
        raise ValidationError(f"unknown product categories: {', '.join(unknown)}", field="rates")
    agreement = Agreement(
        pool_id=pool.id,
        licensee_id=licensee.id,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        back_royalties_from=back_royalties_from,
        territory=[royalties.check_country(c, "territory") for c in territory],
        rates={k: v.as_dict() for k, v in checked.items()},
        regional={
            k: str(v) for k, v in royalties.parse_regional(regional or pool.regional).items()
        },
        compliant_discount=str(parse_rate(compliant_discount, "compliant_discount")),
        early_discount=str(parse_rate(early_discount, "early_discount")),
        annual_cap_fen=None if annual_cap is None else to_fen(parse_amount(annual_cap, "cap")),
        annual_floor_fen=_optional_fen(annual_floor, "annual_floor"),
        annual_minimum_fen=_optional_fen(annual_minimum, "annual_minimum"),
        origin=origin[:100],
    )
    db_session.add(agreement)
    db_session.flush()
    audit(
        db_session,
        actor,
        "pool.agreement_signed",
        "pool_agreement",
        agreement.id,
        after={"licensee": licensee.name, "term": [starts_on, ends_on], "origin": origin},
    )
    return agreement


def _optional_fen(value: object | None, field: str) -> int | None:
    return None if value is None or value == "" else to_fen(parse_amount(value, field))


def terms_of(agreement: Agreement) -> royalties.Terms:
    return royalties.Terms(
        rates=royalties.parse_rates(_rate_specs(agreement.rates)),
        regional={k: Decimal(v) for k, v in agreement.regional.items()},
        compliant_discount=Decimal(agreement.compliant_discount),
        early_discount=Decimal(agreement.early_discount),
        annual_cap_fen=agreement.annual_cap_fen,
    )


def _rate_specs(stored: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    return {k: {v["kind"]: v["value"]} for k, v in stored.items()}


def get_licensee_by_id(*, db_session: Session, pool: Pool, licensee_id: int) -> Licensee:
    licensee = db_session.get(Licensee, licensee_id)
    if licensee is None or licensee.pool_id != pool.id:
        raise NotFound(f"no licensee {licensee_id} in {pool.name}", field="licensee")
    return licensee
