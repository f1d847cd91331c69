"""Pools, their members and their experts: create, configure, look up.

Services only flush; the edges (CLI command, API request) own the transaction, and
every change is audited (``ipops.audit``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from ipops.accounts.models import Organisation
from ipops.audit.service import Actor
from ipops.errors import Conflict, NotFound, ValidationError
from ipops.pool import admission, allocation, invoicing, royalties
from ipops.pool.allocation import CountBasis
from ipops.pool.core import audit, checked_text, now
from ipops.pool.models import (
    Expert,
    Member,
    Pool,
)
from ipops.pool.money import parse_rate
from ipops.records import Record, RecordId
from ipops.registry.concurrency import claim


def create_pool(
    *,
    db_session: Session,
    actor: Actor,
    name: str,
    field: str,
    administrator: str,
    categories: Mapping[str, str],
    rates: Mapping[str, Any],
    regional: Mapping[str, Any] | None = None,
    admin_fee_rate: object = "0.1",
    count_basis: str = "patents",
    quorum: int = 2,
    majority: str = "simple",
    demo: bool = False,
    organisation_id: int | None = None,
) -> Pool:
    """A new pool; ``organisation_id`` owns it (its pool administrators manage it)."""
    name = checked_text(name, "name", 200)
    if organisation_id is not None and db_session.get(Organisation, organisation_id) is None:
        raise ValidationError(f"no organisation {organisation_id}", field="organisation_id")
    if db_session.scalar(select(Pool.id).where(Pool.name == name)) is not None:
        raise Conflict(f"a pool named {name!r} exists already", field="name")
    checked_rates = royalties.parse_rates(rates)
    unknown = sorted(set(checked_rates) - set(categories))
    if unknown:
        raise ValidationError(f"rates for unknown categories: {', '.join(unknown)}", field="rates")
    pool = Pool(
        name=name,
        field=checked_text(field, "field", 200),
        administrator=checked_text(administrator, "administrator", 200),
        admin_fee_rate=str(parse_rate(admin_fee_rate, "admin_fee_rate")),
        count_basis=str(_basis(count_basis)),
        quorum=_quorum(quorum),
        majority=str(_majority(majority)),
        rates={k: v.as_dict() for k, v in checked_rates.items()},
        regional={k: str(v) for k, v in royalties.parse_regional(regional or {}).items()},
        categories={str(k): str(v) for k, v in categories.items()},
        demo=demo,
        created_at=now(),
        organisation_id=organisation_id,
    )
    db_session.add(pool)
    db_session.flush()
    audit(
        db_session,
        actor,
        "pool.created",
        "pool",
        pool.id,
        after={"name": name, "organisation_id": organisation_id},
    )
    return pool


def configure_pool(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    admin_fee_rate: object | None = None,
    count_basis: str | None = None,
    quorum: int | None = None,
    majority: str | None = None,
    proration: str | None = None,
    payment_days: int | None = None,
    report_days: int | None = None,
    grace_days: int | None = None,
    regain_after: int | None = None,
    late_interest_rate: object | None = None,
) -> Pool:
    claim(db_session, pool)
    before = pool_settings(pool)
    if late_interest_rate is not None:
        pool.late_interest_rate = str(parse_rate(late_interest_rate, "late_interest_rate"))
    for name, value in (
        ("report_days", report_days),
        ("grace_days", grace_days),
        ("regain_after", regain_after),
    ):
        if value is not None:
            if not 0 <= value <= 366:
                raise ValidationError("must be between 0 and 366", field=name)
            setattr(pool, name, value)
    if proration is not None:
        try:
            pool.proration = str(allocation.Proration(proration))
        except ValueError:
            allowed = ", ".join(allocation.Proration)
            raise ValidationError(f"{proration!r}: one of {allowed}", field="proration") from None
    if payment_days is not None:
        invoicing.invoice_dates(  # checks the number
            accepted_on=date.min, signed_on=date.min, payment_days=payment_days
        )
        pool.payment_days = payment_days
    if admin_fee_rate is not None:
        pool.admin_fee_rate = str(parse_rate(admin_fee_rate, "admin_fee_rate"))
    if count_basis is not None:
        pool.count_basis = str(_basis(count_basis))
    if quorum is not None:
        pool.quorum = _quorum(quorum)
    if majority is not None:
        pool.majority = str(_majority(majority))
    db_session.flush()
    audit(db_session, actor, "pool.configured", "pool", pool.id, before, pool_settings(pool))
    return pool


def pool_settings(pool: Pool) -> dict[str, Any]:
    return {
        "admin_fee_rate": pool.admin_fee_rate,
        "count_basis": pool.count_basis,
        "quorum": pool.quorum,
        "majority": pool.majority,
        "proration": pool.proration,
        "payment_days": pool.payment_days,
        "report_days": pool.report_days,
        "grace_days": pool.grace_days,
        "regain_after": pool.regain_after,
        "late_interest_rate": pool.late_interest_rate,
    }


def get_pool(*, db_session: Session, name: str) -> Pool:
    pool = db_session.scalar(select(Pool).where(Pool.name == name))
    if pool is None:
        known = ", ".join(db_session.scalars(select(Pool.name).order_by(Pool.name))) or "none"
        raise NotFound(f"no pool named {name!r} (pools: {known})", field="pool")
    return pool


def get_pool_by_id(*, db_session: Session, pool_id: int) -> Pool:
    pool = db_session.get(Pool, pool_id)
    if pool is None:
        raise NotFound(f"no pool {pool_id}", field="pool")
    return pool


def list_pools(*, db_session: Session) -> list[Pool]:
    return list(db_session.scalars(select(Pool).order_by(Pool.name)))


def _basis(value: str) -> CountBasis:
    if value not in CountBasis.__members__.values():
        raise ValidationError("patents or families", field="count")
    return CountBasis(value)


def _quorum(value: int) -> int:
    if value < admission.MIN_EXPERTS:
        raise ValidationError(f"at least {admission.MIN_EXPERTS}", field="quorum")
    return value


def _majority(value: str) -> admission.Majority:
    if value not in admission.Majority.__members__.values():
        raise ValidationError(f"one of {', '.join(admission.Majority)}", field="majority")
    return admission.Majority(value)


def add_member(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    name: str,
    uscc_code: str | None = None,
    foreign_registration: str | None = None,
    country: str = "CN",
    organisation_id: int | None = None,
    joined_on: date | None = None,
) -> Member:
    name = checked_text(name, "name", 200)
    code = _registration(uscc_code, foreign_registration, country)
    if db_session.scalar(select(Member.id).where(Member.pool_id == pool.id, Member.name == name)):
        raise Conflict(f"{name} is a member of {pool.name} already", field="name")
    member = Member(
        pool_id=pool.id,
        name=name,
        uscc=code,
        foreign_registration=(foreign_registration or "").strip() or None,
        country=royalties.check_country(country, "country"),
        organisation_id=organisation_id,
        joined_on=joined_on or date.today(),
    )
    db_session.add(member)
    db_session.flush()
    audit(db_session, actor, "pool.member_added", "pool_member", member.id, after={"name": name})
    return member


def _registration(code: str | None, foreign: str | None, country: str) -> str | None:
    """The Unified Social Credit Code (checked, compact) of a Chinese member."""
    if code:
        try:
            return str(uscc.validate(code))
        except StdnumError as exc:
            raise ValidationError(
                f"{code!r} is not a valid Unified Social Credit Code: {exc}", field="uscc"
            ) from None
    if country.strip().upper() == "CN":
        raise ValidationError("a Chinese member needs its Unified Social Credit Code", field="uscc")
    if not (foreign or "").strip():
        raise ValidationError(
            "a foreign member needs its registration number", field="foreign_registration"
        )
    return None


def get_member(*, db_session: Session, pool: Pool, name: str) -> Member:
    member = db_session.scalar(select(Member).where(Member.pool_id == pool.id, Member.name == name))
    if member is None:
        raise NotFound(f"no member {name!r} in {pool.name}", field="member")
    return member


def members_of(db_session: Session, pool: Pool) -> list[Member]:
    return list(
        db_session.scalars(select(Member).where(Member.pool_id == pool.id).order_by(Member.name))
    )


def add_expert(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    name: str,
    recommended_by: str,
    speciality: str = "",
    user_id: int | None = None,
) -> Expert:
    member = get_member(db_session=db_session, pool=pool, name=recommended_by)
    expert = Expert(
        pool_id=pool.id,
        name=checked_text(name, "name", 200),
        speciality=speciality[:200],
        recommended_by_id=member.id,
        user_id=user_id,
        on_committee=True,
    )
    db_session.add(expert)
    db_session.flush()
    audit(
        db_session,
        actor,
        "pool.expert_added",
        "pool_expert",
        expert.id,
        after={"name": expert.name, "recommended_by": member.name},
    )
    return expert


def get_expert(*, db_session: Session, pool: Pool, name: str) -> Expert:
    expert = db_session.scalar(select(Expert).where(Expert.pool_id == pool.id, Expert.name == name))
    if expert is None:
        raise NotFound(f"no expert {name!r} in {pool.name}", field="expert")
    return expert


def experts_of(db_session: Session, pool: Pool) -> list[Expert]:
    return list(
        db_session.scalars(select(Expert).where(Expert.pool_id == pool.id).order_by(Expert.name))
    )


class ExpertRecord(Record):
    """A committee expert with the name of the member that recommended it."""

    id: RecordId
    name: str
    recommended_by: str
    speciality: str
    user_id: int | None


def expert_records(*, db_session: Session, pool: Pool) -> list[ExpertRecord]:
    """The committee of ``pool`` by name, each expert with its recommending member."""
    rows = db_session.execute(
        select(Expert, Member.name)
        .join(Member, Member.id == Expert.recommended_by_id)
        .where(Expert.pool_id == pool.id)
        .order_by(Expert.name)
    ).all()
    return [_expert_record(e, member) for e, member in rows]


def expert_record(*, db_session: Session, expert: Expert) -> ExpertRecord:
    """One expert as a record, its recommending member named."""
    member = db_session.get(Member, expert.recommended_by_id)
    assert member is not None  # a foreign key
    return _expert_record(expert, member.name)


def _expert_record(e: Expert, recommended_by: str) -> ExpertRecord:
    return ExpertRecord(
        id=e.id,
        name=e.name,
        recommended_by=recommended_by,
        speciality=e.speciality,
        user_id=e.user_id,
    )


def get_member_by_id(*, db_session: Session, pool: Pool, member_id: int) -> Member:
    member = db_session.get(Member, member_id)
    if member is None or member.pool_id != pool.id:
        raise NotFound(f"no member {member_id} in {pool.name}", field="member")
    return member
