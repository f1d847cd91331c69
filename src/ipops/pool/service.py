"""Patent pool services: load, call the pure rules, save, audit. Services only flush.

Every change is audited (``ipops.audit``); the edges (CLI command, API request) own the
transaction, so a rejected royalty report or a refused assignment leaves nothing behind.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from ipops.audit.service import Actor, record_by
from ipops.errors import Conflict, NotFound, ValidationError
from ipops.pool import admission, allocation, disputes, invoicing, royalties, standing, stats
from ipops.pool.allocation import CountBasis, Holding
from ipops.pool.models import (
    Agreement,
    AllocationLine,
    AllocationRun,
    Assignment,
    Decision,
    Dispute,
    Expert,
    Invoice,
    Licensee,
    Member,
    PatentEvent,
    Payment,
    Pool,
    PoolPatent,
    Report,
    ReportLine,
)
from ipops.pool.money import fen_text, parse_amount, parse_rate, to_fen, to_ppm
from ipops.registry.concurrency import claim
from ipops.valuation.service import expiries

PAYMENT_DAYS = invoicing.PAYMENT_DAYS


def _now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- pools


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
) -> Pool:
    name = _text(name, "name", 200)
    if db_session.scalar(select(Pool.id).where(Pool.name == name)) is not None:
        raise Conflict(f"a pool named {name!r} exists already", field="name")
    checked_rates = royalties.parse_rates(rates)
    unknown = sorted(set(checked_rates) - set(categories))
    if unknown:
        raise ValidationError(f"rates for unknown categories: {', '.join(unknown)}", field="rates")
    pool = Pool(
        name=name,
        field=_text(field, "field", 200),
        administrator=_text(administrator, "administrator", 200),
        admin_fee_rate=str(parse_rate(admin_fee_rate, "admin_fee_rate")),
        count_basis=str(_basis(count_basis)),
        quorum=_quorum(quorum),
        majority=str(_majority(majority)),
        rates={k: v.as_dict() for k, v in checked_rates.items()},
        regional={k: str(v) for k, v in royalties.parse_regional(regional or {}).items()},
        categories={str(k): str(v) for k, v in categories.items()},
        demo=demo,
        created_at=_now(),
    )
    db_session.add(pool)
    db_session.flush()
    _audit(db_session, actor, "pool.created", "pool", pool.id, after={"name": name})
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
    _audit(db_session, actor, "pool.configured", "pool", pool.id, before, pool_settings(pool))
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


# --------------------------------------------------------------------------- members, experts


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
    name = _text(name, "name", 200)
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
    _audit(db_session, actor, "pool.member_added", "pool_member", member.id, after={"name": name})
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
        name=_text(name, "name", 200),
        speciality=speciality[:200],
        recommended_by_id=member.id,
        user_id=user_id,
        on_committee=True,
    )
    db_session.add(expert)
    db_session.flush()
    _audit(
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


# --------------------------------------------------------------------------- admission


@dataclass(frozen=True)
class PatentInput:
    number: str
    country: str
    title: str = ""
    filing_date: date | None = None
    grant_date: date | None = None
    expires_on: date | None = None
    family: str | None = None
    ipc: str | None = None


def submit_patent(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    member: Member,
    patent: PatentInput,
    from_corpus: bool = False,
    demo: bool = False,
    submitted_on: date | None = None,
) -> PoolPatent:
    number = _text(patent.number, "number", 64).upper()
    if db_session.scalar(
        select(PoolPatent.id).where(PoolPatent.pool_id == pool.id, PoolPatent.number == number)
    ):
        raise Conflict(f"{number} was submitted to {pool.name} already", field="number")
    if patent.expires_on is None:
        raise ValidationError("give the expiry date (or its filing date)", field="expires_on")
    row = PoolPatent(
        pool_id=pool.id,
        member_id=member.id,
        number=number,
        country=royalties.check_country(patent.country, "country"),
        title=patent.title[:2000],
        family=patent.family,
        ipc=patent.ipc,
        filing_date=patent.filing_date,
        grant_date=patent.grant_date,
        expires_on=patent.expires_on,
        status=str(admission.PatentStatus.SUBMITTED),
        submitted_on=submitted_on or date.today(),
        from_corpus=from_corpus,
        demo=demo,
    )
    db_session.add(row)
    db_session.flush()
    _audit(
        db_session,
        actor,
        "pool.patent_submitted",
        "pool_patent",
        row.id,
        after={"number": number, "member": member.name},
    )
    return row


def patent_from_corpus(con: Any, number: str) -> PatentInput:
    """A patent's facts from the corpus (DuckDB connection with the corpus views)."""
    rows = con.execute(
        "SELECT p.patent_id, p.office, p.title, p.filing_date, p.grant_date, p.family_id, "
        "p.patent_type, (SELECT main_group FROM classifications c WHERE c.patent_id = "
        "p.patent_id AND c.scheme = 'IPC' ORDER BY c.is_main DESC, c.sequence LIMIT 1) "
        "FROM patents p WHERE p.patent_id = ? OR p.office || p.number = ? LIMIT 1",
        [number, number],
    ).fetchall()
    if not rows:
        raise NotFound(f"no patent {number} in the corpus", field="number")
    pid, office, title, filed, granted, family, _kind, ipc = rows[0]
    return PatentInput(
        number=pid,
        country=office,
        title=title or "",
        filing_date=filed,
        grant_date=granted,
        expires_on=expiries(con, [pid])[pid].expiry,  # continuity, adjustment: valuation.term
        family=family,
        ipc=ipc,
    )


def get_patent(*, db_session: Session, pool: Pool, number: str) -> PoolPatent:
    patent = db_session.scalar(
        select(PoolPatent).where(
            PoolPatent.pool_id == pool.id, PoolPatent.number == number.strip().upper()
        )
    )
    if patent is None:
        raise NotFound(f"no patent {number} in {pool.name}", field="patent")
    return patent


def assign_expert(
    *, db_session: Session, actor: Actor, pool: Pool, patent: PoolPatent, expert: Expert
) -> Assignment:
    claim(db_session, pool, patent)
    member = db_session.get(Member, patent.member_id)
    assert member is not None
    admission.check_assignment(
        expert=expert.name,
        expert_member_id=expert.recommended_by_id,
        submitting_member_id=patent.member_id,
        member_name=member.name,
    )
    if patent.status not in (admission.PatentStatus.SUBMITTED, admission.PatentStatus.UNDER_REVIEW):
        raise Conflict(f"{patent.number} is {patent.status}: no more reviews", field="patent")
    if db_session.scalar(
        select(Assignment.id).where(
            Assignment.patent_id == patent.id, Assignment.expert_id == expert.id
        )
    ):
        raise Conflict(f"{expert.name} reviews {patent.number} already", field="expert")
    assignment = Assignment(patent_id=patent.id, expert_id=expert.id, user_id=expert.user_id)
    db_session.add(assignment)
    patent.status = str(admission.PatentStatus.UNDER_REVIEW)
    db_session.flush()
    _audit(
        db_session,
        actor,
        "pool.expert_assigned",
        "pool_patent",
        patent.id,
        after={"expert": expert.name},
    )
    return assignment


def record_opinion(
    *,
    db_session: Session,
    actor: Actor,
    patent: PoolPatent,
    expert: Expert,
    opinion: str,
    note: str,
) -> Assignment:
    claim(db_session, patent)
    assignment = db_session.scalar(
        select(Assignment).where(
            Assignment.patent_id == patent.id, Assignment.expert_id == expert.id
        )
    )
    if assignment is None:
        raise NotFound(f"{expert.name} is not assigned to {patent.number}", field="expert")
    if opinion not in admission.Opinion.__members__.values():
        raise ValidationError("essential or not_essential", field="opinion")
    if not note.strip():
        raise ValidationError("give the reasons (claim chart or note)", field="note")
    assignment.opinion = opinion
    assignment.note = note.strip()
    assignment.recorded_at = _now()
    db_session.flush()
    _audit(
        db_session,
        actor,
        "pool.opinion_recorded",
        "pool_patent",
        patent.id,
        after={"expert": expert.name, "opinion": opinion},
    )
    return assignment


def decide_patent(
    *, db_session: Session, actor: Actor, pool: Pool, patent: PoolPatent, on: date | None = None
) -> Decision:
    claim(db_session, pool, patent)
    if patent.status != admission.PatentStatus.UNDER_REVIEW:
        raise Conflict(f"{patent.number} is {patent.status}, not under review", field="patent")
    rows = db_session.execute(
        select(Assignment, Expert)
        .join(Expert, Expert.id == Assignment.expert_id)
        .where(Assignment.patent_id == patent.id)
        .order_by(Expert.name)
    ).all()
    votes = [admission.Vote(e.name, admission.Opinion(a.opinion)) for a, e in rows if a.opinion]
    outcome = admission.decide(
        votes, assigned=len(rows), quorum=pool.quorum, rule=admission.Majority(pool.majority)
    )
    day = on or date.today()
    decision = Decision(
        patent_id=patent.id,
        decided_on=day,
        admitted=outcome.admitted,
        rule=outcome.rule,
        votes=[{"expert": v.expert, "opinion": str(v.opinion)} for v in votes],
        reason=outcome.reason,
    )
    db_session.add(decision)
    status = (
        admission.PatentStatus.ADMITTED if outcome.admitted else admission.PatentStatus.REJECTED
    )
    patent.status = str(status)
    patent.admitted_on = day if outcome.admitted else None
    db_session.flush()
    _audit(
        db_session,
        actor,
        "pool.patent_decided",
        "pool_patent",
        patent.id,
        after={"status": patent.status, "votes": decision.votes, "reason": outcome.reason},
    )
    return decision


def record_patent_event(
    *,
    db_session: Session,
    actor: Actor,
    patent: PoolPatent,
    kind: str,
    on: date,
    note: str = "",
) -> PatentEvent:
    """An expiry, lapse, invalidation or withdrawal: the patent leaves the count from ``on``."""
    if kind not in admission.LeaveReason.__members__.values():
        options = ", ".join(admission.LeaveReason)
        raise ValidationError(f"unknown event {kind!r}; one of {options}", field="kind")
    # the pool first: the patent's leaving changes what an allocation counts
    claim(db_session, db_session.get(Pool, patent.pool_id), patent)
    event = PatentEvent(patent_id=patent.id, kind=kind, happened_on=on, note=note)
    db_session.add(event)
    if patent.left_on is None or on < patent.left_on:
        patent.left_on = on
        patent.left_reason = kind
    db_session.flush()
    _audit(
        db_session,
        actor,
        "pool.patent_event",
        "pool_patent",
        patent.id,
        after={"kind": kind, "on": on},
    )
    return event


def patents_of(db_session: Session, pool: Pool) -> list[tuple[PoolPatent, Member]]:
    return list(
        db_session.execute(
            select(PoolPatent, Member)
            .join(Member, Member.id == PoolPatent.member_id)
            .where(PoolPatent.pool_id == pool.id)
            .order_by(Member.name, PoolPatent.number)
        ).all()
    )


def patents_of_member(db_session: Session, member: Member) -> list[PoolPatent]:
    """A member's submitted patents, whatever their admission status."""
    return list(
        db_session.scalars(
            select(PoolPatent).where(PoolPatent.member_id == member.id).order_by(PoolPatent.number)
        )
    )


def end_of_count(patent: PoolPatent) -> date | None:
    """The first day the patent no longer counts (expiry, lapse, invalidation)."""
    ends = [d for d in (patent.expires_on, patent.left_on) if d is not None]
    return min(ends) if ends else None


def holdings(
    db_session: Session, pool: Pool, *, expire: Mapping[str, date] | None = None
) -> list[Holding]:
    """The admitted patents as the allocation sees them; ``expire`` ends some early (what-if)."""
    expire = {k.upper(): v for k, v in (expire or {}).items()}
    found: list[Holding] = []
    labels: list[str] = []
    for patent, member in patents_of(db_session, pool):
        if patent.status != admission.PatentStatus.ADMITTED:
            continue
        ends = [d for d in (end_of_count(patent), expire.get(patent.number)) if d]
        found.append(
            Holding(
                member=member.name,
                patent=patent.number,
                country=patent.country,
                family=patent.family,
                expires=min(ends) if ends else None,
                starts=patent.admitted_on,
            )
        )
        labels.append(f"pool patent {patent.id} ({member.name})")
    allocation.refuse_duplicates(found, labels)
    unknown = sorted(set(expire) - {h.patent for h in found})
    if unknown:
        raise NotFound(f"not admitted in {pool.name}: {', '.join(unknown)}", field="expire")
    return found


def in_force_countries(found: Iterable[Holding], on: date) -> set[str]:
    return {h.country for h in found if h.in_force(h.country, on)}


# --------------------------------------------------------------------------- licensing


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
    name = _text(name, "name", 200)
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
        enterprise_group=_text(enterprise_group, "enterprise_group", 200)
        if enterprise_group
        else None,
    )
    db_session.add(licensee)
    db_session.flush()
    _audit(
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
) -> Agreement:
    """A licence; rates and regional factors default to the pool's standard terms."""
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
        origin=origin[:100],
    )
    db_session.add(agreement)
    db_session.flush()
    _audit(
        db_session,
        actor,
        "pool.agreement_signed",
        "pool_agreement",
        agreement.id,
        after={"licensee": licensee.name, "term": [starts_on, ends_on], "origin": origin},
    )
    return agreement


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


# --------------------------------------------------------------------------- reports, invoices


def parse_period(text: str) -> tuple[str, date, date]:
    """ "2025", "2025-Q2" or "2025-03" -> (label, first day, last day)."""
    text = text.strip().upper()
    year_text = text[:4]
    if year_text.isdigit() and not 1900 <= int(year_text) <= 2200:
        raise ValidationError(f"{text!r}: a year between 1900 and 2200", field="period")
    if m := re.fullmatch(r"(\d{4})", text):
        year = int(m[1])
        return text, date(year, 1, 1), date(year, 12, 31)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, quarter = int(m[1]), int(m[2])
        first = date(year, 3 * quarter - 2, 1)
        last_month = 3 * quarter
        return text, first, date(year, last_month, calendar.monthrange(year, last_month)[1])
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return (
                text,
                date(year, month, 1),
                date(year, month, calendar.monthrange(year, month)[1]),
            )
    raise ValidationError(f"{text!r}: give a period as YYYY, YYYY-Qn or YYYY-MM", field="period")


@dataclass(frozen=True)
class Accepted:
    report: Report
    invoice: Invoice
    lines: list[ReportLine]


def submit_report(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    licensee_name: str,
    period: str,
    rows: Sequence[Mapping[str, Any]],
    issued_on: date | None = None,
    found: Sequence[Holding] | None = None,
    payment_days: int | None = None,
    fx: standing.FxTable | None = None,
) -> Accepted:
    """A royalty report checked whole, priced, capped and invoiced; or rejected whole.

    ``issued_on``: the day the report is accepted (default today); the invoice is dated then,
    not before the licence's signing day, and due ``payment_days`` later (default: the
    pool's setting; ``invoicing``)."""
    claim(db_session, pool)
    licensee = get_licensee(db_session=db_session, pool=pool, name=licensee_name)
    _label, start, end = parse_period(period)
    _no_overlap(db_session, licensee, (start, end))
    agreement, back = _agreement_for(db_session, licensee, (start, end))
    terms = terms_of(agreement)
    accepted_on = issued_on or date.today()
    lines = royalties.parse_report_lines(
        rows, rates=terms.rates, period=(start, end), fx=fx, on=accepted_on
    )
    _in_territory(lines, agreement)
    found = found if found is not None else holdings(db_session, pool)
    good = licensee.good_standing and (
        licensee_standing(
            db_session=db_session,
            pool=pool,
            licensee=licensee,
            on=accepted_on,
            current=standing.Event("report", end + timedelta(days=pool.report_days), accepted_on),
        ).good
    )
    priced = _price(
        lines,
        terms,
        found,
        (start, end),
        good_standing=good,
        back=back,
        proration=allocation.Proration(pool.proration),
    )
    room = _cap_room(db_session, agreement, start)
    amounts = royalties.capped([p.royalty_fen for p in priced], room)
    report = Report(
        pool_id=pool.id,
        licensee_id=licensee.id,
        agreement_id=agreement.id,
        period_start=start,
        period_end=end,
        accepted_at=_now() if issued_on is None else datetime.combine(issued_on, time(12), UTC),
        royalty_fen=sum(amounts),
        uncapped_fen=sum(p.royalty_fen for p in priced),
    )
    db_session.add(report)
    db_session.flush()
    stored = [
        ReportLine(
            report_id=report.id,
            row=p.line.row,
            category=p.line.category,
            made_in=p.line.made_in,
            sold_in=p.line.sold_in,
            sold_on=p.sold_on,
            units=p.line.units,
            net_sales_fen=p.line.net_sales_fen,
            rate_micro=p.rate_micro,
            trigger_country=p.trigger,
            dated=p.line.sold_on is not None,
            currency=p.line.currency,
            net_sales_reported=None
            if p.line.net_sales_reported is None
            else str(p.line.net_sales_reported),
            fx_rate=p.line.fx_rate,
            back_royalty=back,
            royalty_fen=amount,
        )
        for p, amount in zip(priced, amounts, strict=True)
    ]
    db_session.add_all(stored)
    dates = invoicing.invoice_dates(
        accepted_on=issued_on or report.accepted_at.date(),
        signed_on=agreement.signed_on,
        payment_days=pool.payment_days if payment_days is None else payment_days,
    )
    invoice = _issue_invoice(db_session, pool, report, dates)
    _audit(
        db_session,
        actor,
        "pool.report_accepted",
        "pool_report",
        report.id,
        after={
            "licensee": licensee.name,
            "period": [start, end],
            "lines": len(stored),
            "royalty": fen_text(report.royalty_fen),
            "invoice": invoice.number,
        },
    )
    return Accepted(report, invoice, stored)


@dataclass(frozen=True)
class _Priced:
    line: royalties.ReportLine
    sold_on: date
    rate_micro: int
    trigger: str | None
    royalty_fen: int


def _price(
    lines: Sequence[royalties.ReportLine],
    terms: royalties.Terms,
    found: Sequence[Holding],
    period: tuple[date, date],
    *,
    good_standing: bool,
    back: bool,
    proration: allocation.Proration = allocation.Proration.DAYS_IN_FORCE,
) -> list[_Priced]:
    """Lines priced; royalty is due where a patent is in force in the country of manufacture
    or sale on the sale date, or for an undated line (days-in-force proration) on any day of
    the period, so a patent expiring on the 15th still counts for the first half."""
    period_end = period[1]
    by_day: dict[date, set[str]] = {}
    during = {h.country for h in found if allocation.days_in_force(h, period[0], period[1]) > 0}
    priced = []
    for line in lines:
        day = line.sold_on or period_end
        if day not in by_day:
            by_day[day] = in_force_countries(found, day)
        undated = line.sold_on is None and proration is allocation.Proration.DAYS_IN_FORCE
        countries = during if undated else by_day[day]
        trigger = royalties.trigger_country(line.made_in, line.sold_in, countries)
        rate = royalties.effective_rate_micro(
            terms, line.category, line.sold_in, good_standing=good_standing, back_royalty=back
        )
        amount = royalties.line_royalty_fen(line.base, rate) if trigger else 0
        priced.append(_Priced(line, day, rate, trigger, amount))
    return priced


def _no_overlap(db_session: Session, licensee: Licensee, period: tuple[date, date]) -> None:
    clash = db_session.scalar(
        select(Report).where(
            Report.licensee_id == licensee.id,
            Report.period_start <= period[1],
            Report.period_end >= period[0],
        )
    )
    if clash is not None:
        raise Conflict(
            f"{licensee.name} has an accepted report for {clash.period_start} to "
            f"{clash.period_end}, which overlaps {period[0]} to {period[1]}",
            field="period",
        )


def _agreement_for(
    db_session: Session, licensee: Licensee, period: tuple[date, date]
) -> tuple[Agreement, bool]:
    """The licence covering the period, and whether the period is back royalties."""
    for agreement in db_session.scalars(
        select(Agreement).where(Agreement.licensee_id == licensee.id).order_by(Agreement.id)
    ):
        if agreement.starts_on <= period[0] and period[1] <= agreement.ends_on:
            return agreement, False
        back_from = agreement.back_royalties_from
        if back_from is not None and back_from <= period[0] and period[1] < agreement.starts_on:
            return agreement, True
    raise ValidationError(
        f"no licence of {licensee.name} covers {period[0]} to {period[1]}", field="period"
    )


def _in_territory(lines: Sequence[royalties.ReportLine], agreement: Agreement) -> None:
    if not agreement.territory:
        return
    for line in lines:
        if line.sold_in not in agreement.territory:
            raise ValidationError(
                f"{line.sold_in} is outside the licensed territory "
                f"({', '.join(agreement.territory)})",
                field=f"row {line.row}.sold_in",
            )


def _cap_room(db_session: Session, agreement: Agreement, period_start: date) -> int | None:
    """What the annual cap still allows this calendar year: over the licence's reports, or,
    for a licensee in an enterprise group, over the reports of all its affiliates in the
    pool (one cap per group, ``standing.group_cap_room``)."""
    if agreement.annual_cap_fen is None:
        return None
    licensee = db_session.get(Licensee, agreement.licensee_id)
    group = licensee.enterprise_group if licensee is not None else None
    query = select(Report.licensee_id, func.sum(Report.royalty_fen)).where(
        Report.period_start >= date(period_start.year, 1, 1),
        Report.period_start <= date(period_start.year, 12, 31),
    )
    if group:
        affiliates = select(Licensee.id).where(
            Licensee.pool_id == agreement.pool_id, Licensee.enterprise_group == group
        )
        query = query.where(Report.licensee_id.in_(affiliates))
    else:
        query = query.where(Report.agreement_id == agreement.id)
    used = db_session.execute(query.group_by(Report.licensee_id)).all()
    return standing.group_cap_room(
        agreement.annual_cap_fen, {str(lid): int(total or 0) for lid, total in used}
    )


def _issue_invoice(
    db_session: Session, pool: Pool, report: Report, dates: invoicing.InvoiceDates
) -> Invoice:
    issued_on = dates.issued_on
    count = db_session.scalar(
        select(func.count()).select_from(Invoice).where(Invoice.pool_id == pool.id)
    )
    invoice = Invoice(
        pool_id=pool.id,
        report_id=report.id,
        licensee_id=report.licensee_id,
        number=f"P{pool.id}-{issued_on.year}-{int(count or 0) + 1:06d}",
        issued_on=issued_on,
        due_on=dates.due_on,
        amount_fen=report.royalty_fen,
        paid_fen=0,
    )
    db_session.add(invoice)
    db_session.flush()
    return invoice


def get_invoice(*, db_session: Session, pool: Pool, number: str) -> Invoice:
    invoice = db_session.scalar(
        select(Invoice).where(Invoice.pool_id == pool.id, Invoice.number == number)
    )
    if invoice is None:
        raise NotFound(f"no invoice {number} in {pool.name}", field="invoice")
    return invoice


def record_payment(
    *,
    db_session: Session,
    actor: Actor,
    invoice: Invoice,
    amount: object,
    paid_on: date,
    reference: str = "",
) -> Payment:
    """A payment against what is outstanding, judged on the invoice as committed now
    (``registry.concurrency``): a payment that no longer fits is a ``Conflict``."""
    fen = to_fen(parse_amount(amount, "amount"))
    if fen == 0:
        raise ValidationError("a payment must be positive", field="amount")
    claim(db_session, invoice)
    outstanding = invoice.amount_fen - invoice.paid_fen
    if fen > outstanding:
        raise Conflict(
            f"{fen_text(fen)} exceeds what is outstanding on {invoice.number} "
            f"({fen_text(outstanding)}); nothing was recorded",
            field="amount",
        )
    payment = Payment(invoice_id=invoice.id, paid_on=paid_on, amount_fen=fen, reference=reference)
    db_session.add(payment)
    invoice.paid_fen += fen
    db_session.flush()
    _audit(
        db_session,
        actor,
        "pool.payment_recorded",
        "pool_invoice",
        invoice.id,
        after={"invoice": invoice.number, "amount": fen_text(fen)},
    )
    return payment


def late_interest(db_session: Session, pool: Pool, invoice: Invoice, on: date) -> int:
    """Late-payment interest on an invoice by ``on`` (``standing.late_interest_fen`` at the
    pool's rate): on each payment made after the due date plus the grace, and on what is
    still unpaid on ``on``."""
    rate = Decimal(pool.late_interest_rate)
    if not rate:
        return 0
    payments = db_session.scalars(select(Payment).where(Payment.invoice_id == invoice.id))
    parts = [(p.amount_fen, p.paid_on) for p in payments]
    parts.append((invoice.amount_fen - invoice.paid_fen, on))
    return sum(
        standing.late_interest_fen(
            fen, due_on=invoice.due_on, paid_on=day, rate=rate, grace_days=pool.grace_days
        )
        for fen, day in parts
        if fen > 0
    )


def invoices_of(db_session: Session, pool: Pool) -> list[tuple[Invoice, Licensee, Report]]:
    return list(
        db_session.execute(
            select(Invoice, Licensee, Report)
            .join(Licensee, Licensee.id == Invoice.licensee_id)
            .join(Report, Report.id == Invoice.report_id)
            .where(Invoice.pool_id == pool.id)
            .order_by(Invoice.number)
        ).all()
    )


def account_of(db_session: Session, licensee: Licensee) -> list[tuple[Report, Invoice]]:
    """A licensee's accepted royalty reports, each with its invoice, oldest period first."""
    return list(
        db_session.execute(
            select(Report, Invoice)
            .join(Invoice, Invoice.report_id == Report.id)
            .where(Report.licensee_id == licensee.id)
            .order_by(Report.period_start, Report.id)
        ).all()
    )


def licensee_standing(
    *,
    db_session: Session,
    pool: Pool,
    licensee: Licensee,
    on: date,
    current: standing.Event | None = None,
) -> standing.Standing:
    """The licensee's standing on ``on`` from its reports (due ``report_days`` after the
    period) and payments (due on the invoice's due date; done when paid in full), plus
    ``current`` (the report being accepted), by the pool's grace and regain rule."""
    events = [] if current is None else [current]
    for report, invoice in account_of(db_session, licensee):
        due = report.period_end + timedelta(days=pool.report_days)
        events.append(standing.Event("report", due, report.accepted_at.date()))
        if invoice.amount_fen:
            paid = None
            if invoice.paid_fen >= invoice.amount_fen:
                paid = db_session.scalar(
                    select(func.max(Payment.paid_on)).where(Payment.invoice_id == invoice.id)
                )
            events.append(standing.Event("payment", invoice.due_on, paid))
    return standing.standing(
        events, on=on, grace_days=pool.grace_days, regain_after=pool.regain_after
    )


# --------------------------------------------------------------------------- allocation


@dataclass(frozen=True)
class GroupKey:
    """Royalty lines that share their counted patents: one licensee's sales of one day made
    in one country and sold in another (``country``: the line's trigger, where it is shown)."""

    licensee_id: int
    country: str
    day: date
    made_in: str = ""
    sold_in: str = ""
    undated_from: date | None = None  # undated lines: the report period's first day


def allocate_period(*, db_session: Session, actor: Actor, pool: Pool, period: str) -> AllocationRun:
    """Allocate the royalties of fully paid invoices of the period not yet allocated."""
    label, start, end = parse_period(period)
    claim(db_session, pool)
    invoices = list(
        db_session.scalars(
            select(Invoice)
            .join(Report, Report.id == Invoice.report_id)
            .where(
                Invoice.pool_id == pool.id,
                Invoice.allocation_id.is_(None),
                Invoice.paid_fen >= Invoice.amount_fen,
                Report.period_start >= start,
                Report.period_end <= end,
            )
            .execution_options(populate_existing=True)
        )
    )
    if not invoices:
        _allocated_already(db_session, pool, label)
        raise ValidationError(
            f"no paid, unallocated invoice of {pool.name} for {label}", field="period"
        )
    groups = _groups(db_session, [i.report_id for i in invoices])
    fee_ppm = to_ppm(Decimal(pool.admin_fee_rate))
    basis = CountBasis(pool.count_basis)
    run = AllocationRun(
        pool_id=pool.id,
        period=label,
        period_start=start,
        period_end=end,
        created_at=_now(),
        admin_fee_rate=pool.admin_fee_rate,
        count_basis=str(basis),
        collected_fen=sum(groups.values()),
        fee_fen=0,
    )
    db_session.add(run)
    db_session.flush()
    members = {m.name: m for m in members_of(db_session, pool)}
    run.fee_fen, lines = _allocate_groups(
        groups, holdings(db_session, pool), basis, fee_ppm, start, pool.proration
    )
    db_session.add_all(
        AllocationLine(
            allocation_id=run.id,
            member_id=members[line.member].id,
            organisation_id=members[line.member].organisation_id,
            licensee_id=line.licensee_id,
            country=line.country,
            patents=sorted(line.patents),
            weight=line.weight,
            triggered_fen=line.triggered_fen,
            amount_fen=line.amount_fen,
        )
        for line in lines
    )
    for invoice in invoices:
        invoice.allocation_id = run.id
    db_session.flush()
    _audit(
        db_session,
        actor,
        "pool.allocated",
        "pool_allocation",
        run.id,
        after={
            "period": label,
            "collected": fen_text(run.collected_fen),
            "fee": fen_text(run.fee_fen),
            "invoices": [i.number for i in invoices],
        },
    )
    return run


def _allocated_already(db_session: Session, pool: Pool, label: str) -> None:
    """A ``Conflict`` when the period has a run already (made first by another request)."""
    run = db_session.scalar(
        select(AllocationRun)
        .where(AllocationRun.pool_id == pool.id, AllocationRun.period == label)
        .order_by(AllocationRun.id.desc())
    )
    if run is not None:
        raise Conflict(
            f"{label} of {pool.name} was allocated already (allocation {run.id}) and no paid "
            "invoice of it is left to allocate; nothing was recorded",
            field="period",
        )


def _groups(db_session: Session, report_ids: Sequence[int]) -> dict[GroupKey, int]:
    keys = (
        Report.licensee_id,
        ReportLine.trigger_country,
        ReportLine.sold_on,
        ReportLine.made_in,
        ReportLine.sold_in,
        ReportLine.dated,
        Report.period_start,
    )
    rows = db_session.execute(
        select(*keys, func.sum(ReportLine.royalty_fen))
        .join(Report, Report.id == ReportLine.report_id)
        .where(ReportLine.report_id.in_(report_ids), ReportLine.trigger_country.is_not(None))
        .group_by(*keys)
    ).all()
    return {
        GroupKey(licensee, country, day, made_in, sold_in, None if dated else first): int(total)
        for licensee, country, day, made_in, sold_in, dated, first, total in rows
        if country is not None and total
    }


# sale country, manufacture country, day, and the first day of an undated line's period
_Place = tuple[str, str | None, date, date | None]


@dataclass
class _MemberLine:
    member: str
    licensee_id: int
    country: str
    patents: set[str]
    weight: int
    triggered_fen: int
    amount_fen: int


def _allocate_groups(
    groups: Mapping[GroupKey, int],
    found: Sequence[Holding],
    basis: CountBasis,
    fee_ppm: int,
    period_start: date,
    proration: str = allocation.Proration.DAYS_IN_FORCE,
) -> tuple[int, list[_MemberLine]]:
    """The period at once (``allocation.split_period``): patents in force in the country of
    manufacture or of sale count; undated lines pro rata to the days in force within their
    report's period (``Proration.DAYS_IN_FORCE``); the fee on the period total; each member
    rounded once. Lines are per member, licensee and trigger country."""
    prorate = allocation.Proration(proration) is allocation.Proration.DAYS_IN_FORCE
    keys = sorted(
        groups, key=lambda k: (k.country, k.day, k.made_in, k.sold_in, k.licensee_id, str(k))
    )
    names = sorted({h.member for h in found})
    column = {name: col for col, name in enumerate(names)}
    places: set[_Place] = {
        (k.sold_in or k.country, k.made_in or None, k.day, k.undated_from if prorate else None)
        for k in keys
    }
    counted: dict[_Place, dict[str, list[tuple[Holding, int]]]] = {}
    for place in places:
        sold, made, day, first = place
        if first is None:
            counted[place] = {
                member: [(h, 1) for h in found_here]
                for member, found_here in allocation.counted_patents(
                    found, sold, day, made_in=made
                ).items()
            }
        else:
            counted[place] = allocation.prorated_patents(found, sold, first, day, made_in=made)
    empty = [
        f"{sold} on {day}" + (f" (made in {made})" if made else "")
        for (sold, made, day, _first) in sorted(places, key=str)
        if not counted[(sold, made, day, _first)]
    ]
    if empty:
        raise Conflict(
            "royalty was invoiced where no admitted patent is in force any more (an event "
            f"recorded since?): {', '.join(empty[:5])}",
            field="period",
        )
    period_groups = []
    merged: dict[tuple[str, int, str], _MemberLine] = {}
    for key in keys:
        first = key.undated_from if prorate else None
        found_here = counted[(key.sold_in or key.country, key.made_in or None, key.day, first)]
        weights = [0] * len(names)
        for member, with_days in found_here.items():
            patents = [h for h, _days in with_days]
            weight = allocation.weight_of(patents, basis)
            weights[column[member]] = (
                weight
                if first is None
                else allocation.prorated_weight(with_days, basis, first, key.day)
            )
            line = merged.setdefault(
                (member, key.licensee_id, key.country),
                _MemberLine(member, key.licensee_id, key.country, set(), 0, 0, 0),
            )
            line.patents.update(h.patent for h in patents)
            line.weight = max(line.weight, weight)
            line.triggered_fen += groups[key]
        period_groups.append(
            allocation.PeriodGroup((key.licensee_id, key.country), groups[key], tuple(weights))
        )
    split = allocation.split_period(
        period_groups,
        len(names),
        fee_ppm,
        first=allocation.rotation(period_start, len(names)),
    )
    for ((licensee_id, country), col), fen in split.lines.items():
        merged[(names[col], licensee_id, country)].amount_fen = fen
    return split.fee_fen, list(merged.values())


def allocations_of(db_session: Session, pool: Pool) -> list[AllocationRun]:
    return list(
        db_session.scalars(
            select(AllocationRun)
            .where(AllocationRun.pool_id == pool.id)
            .order_by(AllocationRun.period_start, AllocationRun.id)
        )
    )


def get_allocation(*, db_session: Session, pool: Pool, allocation_id: int) -> AllocationRun:
    run = db_session.get(AllocationRun, allocation_id)
    if run is None or run.pool_id != pool.id:
        raise NotFound(f"no allocation {allocation_id} in {pool.name}", field="allocation")
    return run


def allocation_summary(db_session: Session, run: AllocationRun) -> dict[str, Any]:
    rows = db_session.execute(
        select(Member.name, func.sum(AllocationLine.amount_fen))
        .join(Member, Member.id == AllocationLine.member_id)
        .where(AllocationLine.allocation_id == run.id)
        .group_by(Member.name)
        .order_by(Member.name)
    ).all()
    shares = [{"member": name, "amount": fen_text(int(total))} for name, total in rows]
    return {
        "id": run.id,
        "period": run.period,
        "from": run.period_start,
        "to": run.period_end,
        "admin_fee_rate": run.admin_fee_rate,
        "count": run.count_basis,
        "collected": fen_text(run.collected_fen),
        "admin_fee": fen_text(run.fee_fen),
        "members": shares,
        "members_total": fen_text(sum(int(t) for _n, t in rows)),
    }


def statement(
    *, db_session: Session, pool: Pool, member: Member, period: str | None = None
) -> dict[str, Any]:
    """The open ledger of one member: per licensee and country, the patents and the money."""
    query = (
        select(AllocationLine, AllocationRun, Licensee)
        .join(AllocationRun, AllocationRun.id == AllocationLine.allocation_id)
        .join(Licensee, Licensee.id == AllocationLine.licensee_id)
        .where(AllocationLine.member_id == member.id, AllocationRun.pool_id == pool.id)
        .order_by(AllocationRun.period_start, Licensee.name, AllocationLine.country)
    )
    if period is not None:
        _label, start, end = parse_period(period)
        query = query.where(AllocationRun.period_start <= end, AllocationRun.period_end >= start)
    rows = db_session.execute(query).all()
    lines = [
        {
            "period": run.period,
            "allocation": run.id,
            "licensee": licensee.name,
            "country": line.country,
            "patents": line.patents,
            "weight": line.weight,
            "royalty_triggered": fen_text(line.triggered_fen),
            "amount": fen_text(line.amount_fen),
        }
        for line, run, licensee in rows
    ]
    return {
        "pool": pool.name,
        "member": member.name,
        "organisation_id": member.organisation_id,
        "period": period,
        "lines": lines,
        "total": fen_text(sum(line.amount_fen for line, _r, _l in rows)),
    }


# --------------------------------------------------------------------------- disputes


def open_case(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    kind: str,
    title: str,
    parties: Sequence[str],
    patents: Sequence[str] = (),
    deadline: date | None = None,
) -> Dispute:
    if kind not in disputes.CaseKind.__members__.values():
        raise ValidationError(f"one of {', '.join(disputes.CaseKind)}", field="kind")
    if not parties:
        raise ValidationError("name the parties", field="parties")
    case = Dispute(
        pool_id=pool.id,
        kind=kind,
        title=_text(title, "title", 300),
        parties=[p.strip() for p in parties if p.strip()],
        patents=[p.strip().upper() for p in patents if p.strip()],
        status=str(disputes.CaseStatus.OPENED),
        deadline=deadline,
        documents=[],
        notes=[],
        opened_at=_now(),
    )
    db_session.add(case)
    db_session.flush()
    _audit(db_session, actor, "pool.case_opened", "pool_dispute", case.id, after={"title": title})
    return case


def get_case(*, db_session: Session, pool: Pool, case_id: int) -> Dispute:
    case = db_session.get(Dispute, case_id)
    if case is None or case.pool_id != pool.id:
        raise NotFound(f"no case {case_id} in {pool.name}", field="case")
    return case


def change_case_status(
    *,
    db_session: Session,
    actor: Actor,
    case: Dispute,
    status: str,
    note: str = "",
    deadline: date | None = None,
) -> Dispute:
    if status not in disputes.CaseStatus.__members__.values():
        raise ValidationError(f"one of {', '.join(disputes.CaseStatus)}", field="status")
    claim(db_session, case)
    before = case.status
    disputes.check_transition(disputes.CaseStatus(case.status), disputes.CaseStatus(status))
    case.status = status
    if deadline is not None:
        case.deadline = deadline
    case.notes = [*case.notes, {"at": _now().isoformat(), "status": status, "note": note}]
    db_session.flush()
    _audit(
        db_session,
        actor,
        "pool.case_status",
        "pool_dispute",
        case.id,
        before={"status": before},
        after={"status": status, "note": note},
    )
    return case


def add_case_note(
    *, db_session: Session, actor: Actor, case: Dispute, note: str, document: str | None = None
) -> Dispute:
    if not note.strip() and not document:
        raise ValidationError("give a note or a document", field="note")
    claim(db_session, case)
    case.notes = [*case.notes, {"at": _now().isoformat(), "note": note.strip()}]
    if document:
        case.documents = [*case.documents, document.strip()]
    db_session.flush()
    _audit(db_session, actor, "pool.case_note", "pool_dispute", case.id, after={"note": note})
    return case


def settle_with_licence(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    case: Dispute,
    licensee_name: str,
    country: str,
    starts_on: date,
    ends_on: date,
    back_royalties_from: date | None = None,
) -> Agreement:
    """Settle a case with a licence at the pool's standard rates."""
    claim(db_session, pool, case)
    disputes.check_transition(disputes.CaseStatus(case.status), disputes.CaseStatus.SETTLED)
    existing = db_session.scalar(
        select(Licensee).where(Licensee.pool_id == pool.id, Licensee.name == licensee_name)
    )
    licensee = existing or add_licensee(
        db_session=db_session, actor=actor, pool=pool, name=licensee_name, country=country
    )
    agreement = sign_agreement(
        db_session=db_session,
        actor=actor,
        pool=pool,
        licensee=licensee,
        signed_on=date.today(),
        starts_on=starts_on,
        ends_on=ends_on,
        back_royalties_from=back_royalties_from,
        origin=f"settlement of case {case.id}",
    )
    case.agreement_id = agreement.id
    change_case_status(
        db_session=db_session,
        actor=actor,
        case=case,
        status=str(disputes.CaseStatus.SETTLED),
        note=f"licence {agreement.id} to {licensee.name} at pool rates",
    )
    return agreement


def cases_of(db_session: Session, pool: Pool) -> list[Dispute]:
    return list(
        db_session.scalars(select(Dispute).where(Dispute.pool_id == pool.id).order_by(Dispute.id))
    )


def case_dict(case: Dispute) -> dict[str, Any]:
    return {
        "id": case.id,
        "kind": case.kind,
        "title": case.title,
        "parties": case.parties,
        "patents": case.patents,
        "status": case.status,
        "allowed_next": [str(s) for s in disputes.allowed(disputes.CaseStatus(case.status))],
        "deadline": case.deadline,
        "documents": case.documents,
        "notes": case.notes,
        "agreement_id": case.agreement_id,
    }


# --------------------------------------------------------------------------- public list


def public_listing(db_session: Session, pool: Pool, on: date | None = None) -> dict[str, Any]:
    """What anybody may see without login: members, patents, countries, expiry."""
    day = on or date.today()
    patents = [
        {
            "number": p.number,
            "country": p.country,
            "member": m.name,
            "title": p.title,
            "family": p.family,
            "ipc": p.ipc,
            "admitted_on": p.admitted_on,
            "expires_on": p.expires_on,
            "left_on": p.left_on,
            "left_reason": p.left_reason,
            "in_force": _counts_on(p, day),
            "demo": p.demo,
        }
        for p, m in patents_of(db_session, pool)
        if p.status == admission.PatentStatus.ADMITTED
    ]
    members = [
        {
            "id": m.id,
            "name": m.name,
            "country": m.country,
            "uscc": m.uscc,
            "patents_in_force": sum(1 for p in patents if p["member"] == m.name and p["in_force"]),
        }
        for m in members_of(db_session, pool)
    ]
    countries = sorted({str(p["country"]) for p in patents if p["in_force"]})
    return {
        "pool": pool.name,
        "field": pool.field,
        "administrator": pool.administrator,
        "as_of": day,
        "demo": pool.demo,
        "members": members,
        "countries": countries,
        "patents": patents,
    }


def _counts_on(patent: PoolPatent, day: date) -> bool:
    end = end_of_count(patent)
    started = patent.admitted_on is not None and patent.admitted_on <= day
    return started and (end is None or day < end)


# --------------------------------------------------------------------------- helpers


def _audit(
    db_session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: int,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    record_by(
        actor,
        db_session=db_session,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
    )


def _text(value: str, field: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError("must not be empty", field=field)
    if len(text) > limit:
        raise ValidationError(f"at most {limit} characters", field=field)
    return text


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


# --------------------------------------------------------------------------- statistics


def pool_stats(db_session: Session, pool: Pool, on: date | None = None) -> dict[str, Any]:
    listing = public_listing(db_session, pool, on)
    runs = allocations_of(db_session, pool)
    amounts = db_session.execute(
        select(AllocationRun.period, Member.name, func.sum(AllocationLine.amount_fen))
        .join(AllocationRun, AllocationRun.id == AllocationLine.allocation_id)
        .join(Member, Member.id == AllocationLine.member_id)
        .where(AllocationRun.pool_id == pool.id)
        .group_by(AllocationRun.period, Member.name)
    ).all()
    money = stats.income(
        [
            {"period": r.period, "collected_fen": r.collected_fen, "fee_fen": r.fee_fen}
            for r in runs
        ],
        [(period, name, int(total)) for period, name, total in amounts],
    )
    return {
        "pool": pool.name,
        "as_of": listing["as_of"],
        "members": len(listing["members"]),
        "composition": stats.composition(listing["patents"]),
        "income": {
            "by_period": {
                p: {k: fen_text(v) for k, v in row.items()} for p, row in money["by_period"].items()
            },
            "by_member": {
                m: {p: fen_text(v) for p, v in row.items()} for m, row in money["by_member"].items()
            },
        },
    }


def under_review(db_session: Session, pool: Pool) -> list[dict[str, Any]]:
    """Patents under review with their assigned experts' opinions so far."""
    rows = db_session.execute(
        select(PoolPatent, Member.name, Assignment.opinion)
        .join(Member, Member.id == PoolPatent.member_id)
        .join(Assignment, Assignment.patent_id == PoolPatent.id)
        .where(
            PoolPatent.pool_id == pool.id,
            PoolPatent.status == str(admission.PatentStatus.UNDER_REVIEW),
        )
        .order_by(PoolPatent.number)
    ).all()
    found: dict[str, dict[str, Any]] = {}
    for patent, member, opinion in rows:
        item = found.setdefault(
            patent.number,
            {
                "number": patent.number,
                "member": member,
                "assigned": 0,
                "essential": 0,
                "not_essential": 0,
            },
        )
        item["assigned"] += 1
        if opinion:
            item[opinion] += 1
    return list(found.values())
