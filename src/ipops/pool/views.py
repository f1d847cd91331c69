"""HTTP edge of patent pools (``/pool``).

The pool list and each pool's patent list are public (no login): members, patents,
countries and expiry. Everything else follows ``ipops.accounts.authz``: the administrator
manages; an expert sees and answers its own assignments; a member company sees its own
statements; a licensee files its own royalty reports. Money in bodies is text ("12.50"):
a JSON float is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.accounts import authz
from ipops.accounts import service as accounts
from ipops.accounts.models import User
from ipops.api.deps import ActorDep, CurrentUser, SessionDep, api_state
from ipops.api.schemas import SafeStr, StrictModel
from ipops.errors import Forbidden, NotFound, ValidationError
from ipops.pool import (
    allocation_runs,
    cases,
    core,
    licensing,
    membership,
    overview,
    payments,
    royalty_reports,
    submissions,
)
from ipops.pool.allocation import CountBasis, allocate
from ipops.pool.models import (
    Agreement,
    Assignment,
    Dispute,
    Expert,
    Invoice,
    Licensee,
    Member,
    Payment,
    Pool,
    PoolPatent,
    Report,
)
from ipops.pool.money import fen_text, parse_amount, parse_rate, to_fen, to_ppm
from ipops.pool.royalties import check_country

router = APIRouter(prefix="/pool", tags=["pool"])

PoolId = Annotated[int, Path(ge=1, le=2**31 - 1)]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Period = Annotated[SafeStr, Field(max_length=10, examples=["2025-03"])]
# Money and rates travel as text ("3.00", "0.1"): a JSON number is refused (422).
Money = Annotated[SafeStr, Field(max_length=20, examples=["3.00"])]
Rate = Annotated[SafeStr, Field(max_length=12, examples=["0.1"])]
Country = Annotated[SafeStr, Field(max_length=8, examples=["CN"])]
Name = Annotated[SafeStr, Field(max_length=200)]
Code = Annotated[SafeStr, Field(max_length=64)]
Text = Annotated[SafeStr, Field(max_length=20_000)]
StrictId = Annotated[int, Field(strict=True, ge=1, le=2**31 - 1)]


def _pool(db_session: Session, pool_id: int) -> Pool:
    return membership.get_pool_by_id(db_session=db_session, pool_id=pool_id)


def _require_manage(db_session: Session, pool_id: int, user: User) -> Pool:
    """The pool, if ``user`` may manage it: 403 for a role that manages no pool, 404 for a
    pool administrator asking about another organisation's pool (nothing to probe)."""
    _require_some_right(user, "pool:manage", "pool")
    pool = _pool(db_session, pool_id)
    authz.require(user, "pool:manage", "pool", pool, hide=True)
    return pool


def _pool_in_reach(db_session: Session, pool_id: int, user: User) -> Pool:
    """The pool, unless ``user`` administers pools but not this one (then 404): a pool
    administrator's rights on members, licensees and assignments end at its own pools."""
    pool = _pool(db_session, pool_id)
    administers = any(user.role in r.roles for r in authz.rules_for("pool:manage", "pool"))
    if administers and not authz.can(user, "pool:manage", "pool", pool):
        raise NotFound(f"no pool {pool_id}", field="pool_id")
    return pool


def _require_some_right(user: User, action: str, resource_type: str) -> None:
    """Permission first: a role with no rule for the action is refused before any lookup,
    so naming a member, licensee or assignment that does not exist tells it nothing."""
    rules = authz.rules_for(action, resource_type)
    if not user.is_active or not any(user.role in r.roles for r in rules):
        raise Forbidden(f"the {user.role} role may not do {action} on {resource_type}")


# --------------------------------------------------------------------------- public


class PoolSummary(BaseModel):
    id: int
    name: str
    field: str
    administrator: str
    demo: bool


class PublicMember(BaseModel):
    id: int
    name: str
    country: str
    uscc: str | None
    patents_in_force: int


class PublicPatent(BaseModel):
    number: str
    country: str
    member: str
    title: str
    family: str | None
    ipc: str | None
    admitted_on: date | None
    expires_on: date | None
    left_on: date | None
    left_reason: str | None
    in_force: bool
    demo: bool


class PublicList(BaseModel):
    pool: str
    field: str
    administrator: str
    as_of: date
    demo: bool
    members: list[PublicMember]
    countries: list[str]
    patents: list[PublicPatent]


@router.get("/pools")
def list_pools(db_session: SessionDep) -> list[PoolSummary]:
    """Every pool (public: no login needed)."""
    return [
        PoolSummary(id=p.id, name=p.name, field=p.field, administrator=p.administrator, demo=p.demo)
        for p in membership.list_pools(db_session=db_session)
    ]


@router.get("/pools/{pool_id}/public")
def public_list(
    pool_id: PoolId,
    db_session: SessionDep,
    on: Annotated[date | None, Query(description="In force on this day (default today).")] = None,
) -> PublicList:
    """The pool's open list (public: no login): members, patents, countries, expiry."""
    listing = overview.public_listing(db_session, _pool(db_session, pool_id), on)
    return PublicList.model_validate(listing)


# --------------------------------------------------------------------------- statistics


@router.get("/pools/{pool_id}/stats")
def pool_stats(pool_id: PoolId, user: CurrentUser, db_session: SessionDep) -> dict[str, Any]:
    """Composition by member, IPC main group, country and expiry year; income."""
    authz.require(user, "pool:read", "pool")
    return overview.pool_stats(db_session, _pool(db_session, pool_id))


class WhatIf(StrictModel):
    amount: SafeStr = Field(max_length=20, examples=["10000.00"])
    country: SafeStr = Field(max_length=2, examples=["US"])
    made_in: SafeStr | None = Field(default=None, max_length=2, examples=["CN"])
    sale_date: date | None = None
    admin_fee: SafeStr | None = Field(default=None, max_length=12, examples=["0.1"])
    count: CountBasis | None = None
    expire: list[Annotated[SafeStr, Field(max_length=64)]] = Field(default=[], max_length=1000)


@router.post("/pools/{pool_id}/what-if")
def what_if(
    pool_id: PoolId, body: WhatIf, user: CurrentUser, db_session: SessionDep
) -> dict[str, Any]:
    """Allocate an amount a sale in ``country`` (made in ``made_in``) triggered, with some
    patents expired: patents in force in either country count."""
    authz.require(user, "pool:read", "pool")
    pool = _pool(db_session, pool_id)
    day = body.sale_date or date.today()
    found = core.holdings(db_session, pool, expire=dict.fromkeys(body.expire, day))
    result = allocate(
        to_fen(parse_amount(body.amount, "amount")),
        to_ppm(parse_rate(body.admin_fee or pool.admin_fee_rate, "admin_fee")),
        found,
        country=check_country(body.country, "country"),
        on=day,
        count=body.count or CountBasis(pool.count_basis),
        made_in=None if body.made_in is None else check_country(body.made_in, "made_in"),
    )
    return result.as_dict()


# --------------------------------------------------------------------------- admission


class AssignmentOut(BaseModel):
    id: int
    patent: str
    title: str
    member: str
    expert: str
    opinion: str | None
    note: str | None


@router.get("/pools/{pool_id}/assignments")
def list_assignments(
    pool_id: PoolId, user: CurrentUser, db_session: SessionDep
) -> list[AssignmentOut]:
    """Review assignments: all for the administrator, its own for an expert; refused (403)
    to a role that may never review."""
    _require_some_right(user, "pool:review", "pool_assignment")
    pool = _pool_in_reach(db_session, pool_id, user)
    query = (
        select(Assignment, PoolPatent, Member, Expert)
        .join(PoolPatent, PoolPatent.id == Assignment.patent_id)
        .join(Member, Member.id == PoolPatent.member_id)
        .join(Expert, Expert.id == Assignment.expert_id)
        .where(PoolPatent.pool_id == pool.id)
        .order_by(Assignment.id)
    )
    query = authz.restrict(
        query, user=user, action="pool:review", resource_type="pool_assignment", model=Assignment
    )
    return [
        AssignmentOut(
            id=a.id,
            patent=p.number,
            title=p.title,
            member=m.name,
            expert=e.name,
            opinion=a.opinion,
            note=a.note,
        )
        for a, p, m, e in db_session.execute(query)
    ]


class OpinionIn(StrictModel):
    opinion: SafeStr = Field(max_length=16, examples=["essential"])
    note: SafeStr = Field(min_length=1, max_length=20_000)


@router.post("/pools/{pool_id}/assignments/{assignment_id}/opinion")
def record_opinion(
    pool_id: PoolId,
    assignment_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: OpinionIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> AssignmentOut:
    """An expert's essential / not essential opinion with its reasons."""
    _require_some_right(user, "pool:review", "pool_assignment")
    pool = _pool_in_reach(db_session, pool_id, user)
    assignment = db_session.get(Assignment, assignment_id)
    patent = db_session.get(PoolPatent, assignment.patent_id) if assignment else None
    if assignment is None or patent is None or patent.pool_id != pool.id:
        raise NotFound(f"no assignment {assignment_id}", field="assignment")
    authz.require(user, "pool:review", "pool_assignment", assignment, hide=True)
    expert = db_session.get(Expert, assignment.expert_id)
    member = db_session.get(Member, patent.member_id)
    assert expert is not None and member is not None
    submissions.record_opinion(
        db_session=db_session,
        actor=actor,
        patent=patent,
        expert=expert,
        opinion=body.opinion,
        note=body.note,
    )
    return AssignmentOut(
        id=assignment.id,
        patent=patent.number,
        title=patent.title,
        member=member.name,
        expert=expert.name,
        opinion=assignment.opinion,
        note=assignment.note,
    )


class AssignIn(StrictModel):
    patent: SafeStr = Field(max_length=64)
    expert: SafeStr = Field(max_length=200)


@router.post("/pools/{pool_id}/assignments", status_code=201)
def assign(
    pool_id: PoolId, body: AssignIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> dict[str, Any]:
    """Assign a patent to an expert; refused (409, with the reason) for an expert recommended
    by the submitting member."""
    _require_manage(db_session, pool_id, user)
    pool = _pool(db_session, pool_id)
    assignment = submissions.assign_expert(
        db_session=db_session,
        actor=actor,
        pool=pool,
        patent=submissions.get_patent(db_session=db_session, pool=pool, number=body.patent),
        expert=membership.get_expert(db_session=db_session, pool=pool, name=body.expert),
    )
    return {"id": assignment.id, "patent": body.patent, "expert": body.expert}


# --------------------------------------------------------------------------- royalties


JsonFloat = Annotated[float, Field(strict=True)]


class LineIn(StrictModel):
    """A line as the licensee sent it. Its values are checked by the report's own rules,
    which name the row ("row 2.units: 10.0 is a float ..."), a float included."""

    category: SafeStr = Field(default="", max_length=64)
    made_in: SafeStr = Field(default="", max_length=3)
    sold_in: SafeStr = Field(default="", max_length=3)
    units: Annotated[int, Field(strict=True, ge=-(2**53), le=2**53)] | JsonFloat | None = None
    net_sales: Annotated[SafeStr, Field(max_length=20)] | JsonFloat | None = Field(
        default=None, examples=["125000.00"]
    )
    sold_on: date | Annotated[SafeStr, Field(max_length=32)] | None = None


class ReportIn(StrictModel):
    licensee: SafeStr = Field(max_length=200)
    period: Period
    lines: list[LineIn] = Field(min_length=1, max_length=100_000)


class ReportOut(BaseModel):
    report: int
    invoice: str
    amount: str
    due_on: date
    lines: list[dict[str, Any]]


@router.post("/pools/{pool_id}/reports", status_code=201)
def submit_report(
    pool_id: PoolId, body: ReportIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> ReportOut:
    """A royalty report, accepted whole (invoiced) or rejected whole naming row and reason."""
    _require_some_right(user, "pool:report", "pool_licensee")
    pool = _pool_in_reach(db_session, pool_id, user)
    licensee = licensing.get_licensee(db_session=db_session, pool=pool, name=body.licensee)
    authz.require(user, "pool:report", "pool_licensee", licensee, hide=True)
    accepted = royalty_reports.submit_report(
        db_session=db_session,
        actor=actor,
        pool=pool,
        licensee_name=body.licensee,
        period=body.period,
        rows=[line.model_dump() for line in body.lines],
    )
    return ReportOut(
        report=accepted.report.id,
        invoice=accepted.invoice.number,
        amount=fen_text(accepted.invoice.amount_fen),
        due_on=accepted.invoice.due_on,
        lines=[
            {
                "row": line.row,
                "trigger_country": line.trigger_country,
                "royalty": fen_text(line.royalty_fen),
            }
            for line in accepted.lines
        ],
    )


class AllocateIn(StrictModel):
    period: Period


@router.get("/pools/{pool_id}/allocations")
def list_allocations(
    pool_id: PoolId, user: CurrentUser, db_session: SessionDep
) -> list[dict[str, Any]]:
    """The recorded allocations, each member's total, the fee and what was collected."""
    _require_manage(db_session, pool_id, user)
    pool = _pool(db_session, pool_id)
    return [
        allocation_runs.allocation_summary(db_session, r)
        for r in allocation_runs.allocations_of(db_session, pool)
    ]


@router.post("/pools/{pool_id}/allocations", status_code=201)
def run_allocation(
    pool_id: PoolId, body: AllocateIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> dict[str, Any]:
    """Allocate the period's paid, not yet allocated royalties."""
    _require_manage(db_session, pool_id, user)
    pool = _pool(db_session, pool_id)
    run = allocation_runs.allocate_period(
        db_session=db_session, actor=actor, pool=pool, period=body.period
    )
    return allocation_runs.allocation_summary(db_session, run)


@router.get("/pools/{pool_id}/members/{member_id}/statement")
def member_statement(
    pool_id: PoolId,
    member_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    user: CurrentUser,
    db_session: SessionDep,
    period: Annotated[SafeStr | None, Query(max_length=10)] = None,
) -> dict[str, Any]:
    """A member's open ledger: per licensee and country, its patents counted and earnings."""
    _require_some_right(user, "pool:statement", "pool_member")
    pool = _pool_in_reach(db_session, pool_id, user)
    member = db_session.get(Member, member_id)
    if member is None or member.pool_id != pool.id:
        raise NotFound(f"no member {member_id} in {pool.name}", field="member")
    authz.require(user, "pool:statement", "pool_member", member, hide=True)
    return allocation_runs.statement(db_session=db_session, pool=pool, member=member, period=period)


# --------------------------------------------------------------------------- disputes


@router.get("/pools/{pool_id}/cases")
def list_cases(pool_id: PoolId, user: CurrentUser, db_session: SessionDep) -> list[dict[str, Any]]:
    """Dispute and negotiation cases with the status changes allowed next."""
    _require_manage(db_session, pool_id, user)
    return [cases.case_dict(c) for c in cases.cases_of(db_session, _pool(db_session, pool_id))]


class StatusIn(StrictModel):
    status: SafeStr = Field(max_length=16, examples=["negotiating"])
    note: SafeStr = Field(default="", max_length=5000)


@router.post("/pools/{pool_id}/cases/{case_id}/status")
def change_case_status(
    pool_id: PoolId,
    case_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: StatusIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> dict[str, Any]:
    """Move a case on; a disallowed change is a 409 naming the allowed ones."""
    _require_manage(db_session, pool_id, user)
    pool = _pool(db_session, pool_id)
    case = cases.get_case(db_session=db_session, pool=pool, case_id=case_id)
    cases.change_case_status(
        db_session=db_session, actor=actor, case=case, status=body.status, note=body.note
    )
    return cases.case_dict(case)


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


class PoolOut(BaseModel):
    id: int
    name: str
    field: str
    administrator: str
    admin_fee_rate: str
    count_basis: str
    quorum: int
    majority: str
    categories: dict[str, Any]
    rates: dict[str, Any]
    regional: dict[str, Any]
    demo: bool
    organisation_id: int | None


def _pool_out(pool: Pool) -> PoolOut:
    return PoolOut(
        id=pool.id,
        name=pool.name,
        field=pool.field,
        administrator=pool.administrator,
        categories=pool.categories,
        rates=pool.rates,
        regional=pool.regional,
        demo=pool.demo,
        organisation_id=pool.organisation_id,
        **membership.pool_settings(pool),
    )


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
    return _pool_out(pool)


@dataclass(frozen=True)
class _NewPool:
    """A pool about to be created, for the permission check on its owner."""

    organisation_id: int | None


@router.patch("/pools/{pool_id}")
def configure_pool(
    pool_id: PoolId, body: PoolRulesIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> PoolOut:
    """Change the fee, the count basis or the committee's quorum and majority rule."""
    _require_manage(db_session, pool_id, user)
    pool = membership.configure_pool(
        db_session=db_session,
        actor=actor,
        pool=_pool(db_session, pool_id),
        admin_fee_rate=body.admin_fee_rate,
        count_basis=None if body.count_basis is None else str(body.count_basis),
        quorum=body.quorum,
        majority=body.majority,
    )
    return _pool_out(pool)


# --------------------------------------------------------------------------- members, experts


class MemberIn(StrictModel):
    name: Name
    uscc: Annotated[SafeStr, Field(max_length=32)] | None = None
    foreign_registration: Annotated[SafeStr, Field(max_length=100)] | None = None
    country: Country = "CN"
    organisation_id: StrictId | None = None
    joined_on: date | None = None


class MemberOut(BaseModel):
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
    _require_manage(db_session, pool_id, user)
    pool = _pool(db_session, pool_id)
    if body.organisation_id is not None:
        accounts.get_organisation(db_session=db_session, organisation_id=body.organisation_id)
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
    return MemberOut(
        id=member.id,
        name=member.name,
        uscc=member.uscc,
        foreign_registration=member.foreign_registration,
        country=member.country,
        organisation_id=member.organisation_id,
        joined_on=member.joined_on,
    )


class ExpertIn(StrictModel):
    name: Name
    recommended_by: Name
    speciality: Annotated[SafeStr, Field(max_length=200)] = ""
    user_id: StrictId | None = None


class ExpertOut(BaseModel):
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
    _require_manage(db_session, pool_id, user)
    pool = _pool(db_session, pool_id)
    if body.user_id is not None:
        accounts.get_user(db_session=db_session, user_id=body.user_id)
    expert = membership.add_expert(
        db_session=db_session,
        actor=actor,
        pool=pool,
        name=body.name,
        recommended_by=body.recommended_by,
        speciality=body.speciality,
        user_id=body.user_id,
    )
    return ExpertOut(
        id=expert.id,
        name=expert.name,
        recommended_by=body.recommended_by,
        speciality=expert.speciality,
        user_id=expert.user_id,
    )


@router.get("/pools/{pool_id}/experts")
def list_experts(pool_id: PoolId, user: CurrentUser, db_session: SessionDep) -> list[ExpertOut]:
    """The committee: each expert with the member that recommended it."""
    _require_manage(db_session, pool_id, user)
    pool = _pool(db_session, pool_id)
    names = {m.id: m.name for m in membership.members_of(db_session, pool)}
    return [
        ExpertOut(
            id=e.id,
            name=e.name,
            recommended_by=names[e.recommended_by_id],
            speciality=e.speciality,
            user_id=e.user_id,
        )
        for e in membership.experts_of(db_session, pool)
    ]


# --------------------------------------------------------------------------- admission (writes)


class PatentIn(StrictModel):
    """A patent from the corpus (give ``member`` and ``number`` only) or registered by its
    facts (give ``country`` and the rest)."""

    member: Name
    number: Code
    country: Country | None = None
    title: Annotated[SafeStr, Field(max_length=2000)] = ""
    filing_date: date | None = None
    grant_date: date | None = None
    expires_on: date | None = None
    family: Code | None = None
    ipc: Annotated[SafeStr, Field(max_length=32)] | None = None


FACT_FIELDS = ("title", "filing_date", "grant_date", "expires_on", "family", "ipc")


class PatentOut(BaseModel):
    id: int
    number: str
    member: str
    country: str
    title: str
    family: str | None
    ipc: str | None
    filing_date: date | None
    grant_date: date | None
    expires_on: date | None
    status: str
    from_corpus: bool


@router.post("/pools/{pool_id}/patents", status_code=201)
def submit_patent(
    request: Request,
    pool_id: PoolId,
    body: PatentIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> PatentOut:
    """A member submits a patent for admission: the administrator for any member, a member
    company for itself."""
    _require_some_right(user, "pool:submit", "pool_member")
    pool = _pool_in_reach(db_session, pool_id, user)
    member = membership.get_member(db_session=db_session, pool=pool, name=body.member)
    authz.require(user, "pool:submit", "pool_member", member, hide=True)
    from_corpus = body.country is None
    facts = _patent_facts(request, body) if from_corpus else _registered(body)
    patent = submissions.submit_patent(
        db_session=db_session,
        actor=actor,
        pool=pool,
        member=member,
        patent=facts,
        from_corpus=from_corpus,
    )
    return _patent_out(patent, member)


def _registered(body: PatentIn) -> submissions.PatentInput:
    assert body.country is not None
    return submissions.PatentInput(
        number=body.number,
        country=body.country,
        title=body.title,
        filing_date=body.filing_date,
        grant_date=body.grant_date,
        expires_on=body.expires_on,
        family=body.family,
        ipc=body.ipc,
    )


def _patent_facts(request: Request, body: PatentIn) -> submissions.PatentInput:
    """The facts of a corpus patent; facts sent along would silently disagree, so refuse."""
    given = sorted(f for f in FACT_FIELDS if f in body.model_fields_set)
    if given:
        raise ValidationError(
            f"a corpus patent takes its facts from the corpus; give country to register "
            f"it by its facts instead (got {', '.join(given)})",
            field=given[0],
        )
    handle = api_state(request).corpus.cursor()
    try:
        return submissions.patent_from_corpus(handle.cursor, body.number.strip())
    finally:
        handle.close()


def _patent_out(patent: PoolPatent, member: Member) -> PatentOut:
    return PatentOut(
        id=patent.id,
        number=patent.number,
        member=member.name,
        country=patent.country,
        title=patent.title,
        family=patent.family,
        ipc=patent.ipc,
        filing_date=patent.filing_date,
        grant_date=patent.grant_date,
        expires_on=patent.expires_on,
        status=patent.status,
        from_corpus=patent.from_corpus,
    )


@router.get("/pools/{pool_id}/patents")
def list_patents(
    pool_id: PoolId,
    user: CurrentUser,
    db_session: SessionDep,
    status: Annotated[
        SafeStr | None, Query(max_length=16, description="submitted, under_review, ...")
    ] = None,
) -> list[PatentOut]:
    """Every patent submitted to the pool with its admission status (the public list shows
    the admitted ones)."""
    _require_manage(db_session, pool_id, user)
    return [
        _patent_out(patent, member)
        for patent, member in core.patents_of(db_session, _pool(db_session, pool_id))
        if status is None or patent.status == status
    ]


@router.get("/pools/{pool_id}/members/{member_id}/patents")
def member_patents(
    pool_id: PoolId,
    member_id: RowId,
    user: CurrentUser,
    db_session: SessionDep,
    status: Annotated[
        SafeStr | None, Query(max_length=16, description="submitted, under_review, ...")
    ] = None,
) -> list[PatentOut]:
    """A member's submitted patents and their admission status: the administrator for any
    member, a member company for itself (another's answers 404)."""
    _require_some_right(user, "pool:patents", "pool_member")
    pool = _pool_in_reach(db_session, pool_id, user)
    member = db_session.get(Member, member_id)
    if member is None or member.pool_id != pool.id:
        raise NotFound(f"no member {member_id} in {pool.name}", field="member")
    authz.require(user, "pool:patents", "pool_member", member, hide=True)
    return [
        _patent_out(patent, member)
        for patent in submissions.patents_of_member(db_session, member)
        if status is None or patent.status == status
    ]


PatentNumber = Annotated[SafeStr, Path(max_length=64)]


class DecideIn(StrictModel):
    on: date | None = None


@router.post("/pools/{pool_id}/patents/{number}/decision", status_code=201)
def decide_patent(
    pool_id: PoolId,
    number: PatentNumber,
    body: DecideIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> dict[str, Any]:
    """The committee's decision by its quorum and majority rule, with the votes."""
    _require_manage(db_session, pool_id, user)
    pool = _pool(db_session, pool_id)
    patent = submissions.get_patent(db_session=db_session, pool=pool, number=number)
    decision = submissions.decide_patent(
        db_session=db_session, actor=actor, pool=pool, patent=patent, on=body.on
    )
    return {
        "patent": patent.number,
        "status": patent.status,
        "admitted": decision.admitted,
        "decided_on": decision.decided_on,
        "rule": decision.rule,
        "votes": decision.votes,
        "reason": decision.reason,
    }


class EventIn(StrictModel):
    kind: Annotated[SafeStr, Field(max_length=16, examples=["invalidated"])]
    on: date
    note: Annotated[SafeStr, Field(max_length=5000)] = ""


@router.post("/pools/{pool_id}/patents/{number}/events", status_code=201)
def record_patent_event(
    pool_id: PoolId,
    number: PatentNumber,
    body: EventIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> dict[str, Any]:
    """An expiry, lapse, invalidation or withdrawal: the patent leaves the count that day."""
    _require_manage(db_session, pool_id, user)
    pool = _pool(db_session, pool_id)
    patent = submissions.get_patent(db_session=db_session, pool=pool, number=number)
    event = submissions.record_patent_event(
        db_session=db_session,
        actor=actor,
        patent=patent,
        kind=body.kind,
        on=body.on,
        note=body.note,
    )
    return {
        "id": event.id,
        "patent": patent.number,
        "kind": event.kind,
        "on": event.happened_on,
        "left_on": patent.left_on,
    }


# --------------------------------------------------------------------------- licensing (writes)


class LicenseeIn(StrictModel):
    name: Name
    country: Country
    organisation_id: StrictId | None = None
    good_standing: Annotated[bool, Field(strict=True)] = True


class LicenseeOut(BaseModel):
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
    _require_manage(db_session, pool_id, user)
    pool = _pool(db_session, pool_id)
    if body.organisation_id is not None:
        accounts.get_organisation(db_session=db_session, organisation_id=body.organisation_id)
    licensee = licensing.add_licensee(
        db_session=db_session,
        actor=actor,
        pool=pool,
        name=body.name,
        country=body.country,
        organisation_id=body.organisation_id,
        good_standing=body.good_standing,
    )
    return LicenseeOut(
        id=licensee.id,
        name=licensee.name,
        country=licensee.country,
        organisation_id=licensee.organisation_id,
        good_standing=licensee.good_standing,
    )


@router.get("/pools/{pool_id}/licensees")
def list_licensees(pool_id: PoolId, user: CurrentUser, db_session: SessionDep) -> list[LicenseeOut]:
    """The pool's licensees."""
    _require_manage(db_session, pool_id, user)
    return [
        LicenseeOut(
            id=x.id,
            name=x.name,
            country=x.country,
            organisation_id=x.organisation_id,
            good_standing=x.good_standing,
        )
        for x in licensing.licensees_of(db_session, _pool(db_session, pool_id))
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


class AgreementOut(BaseModel):
    id: int
    licensee: str
    signed_on: date
    starts_on: date
    ends_on: date
    back_royalties_from: date | None
    territory: list[str]
    rates: dict[str, Any]
    regional: dict[str, Any]
    compliant_discount: str
    early_discount: str
    annual_cap: str | None
    origin: str


def _agreement_out(agreement: Agreement, licensee: Licensee) -> AgreementOut:
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
        origin=agreement.origin,
    )


@router.post("/pools/{pool_id}/agreements", status_code=201)
def sign_agreement(
    pool_id: PoolId, body: AgreementIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> AgreementOut:
    """A licence agreement: term, territory, rates, discounts, annual cap, back royalties."""
    _require_manage(db_session, pool_id, user)
    pool = _pool(db_session, pool_id)
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
    )
    return _agreement_out(agreement, licensee)


# --------------------------------------------------------------------------- invoices, payments


class InvoiceOut(BaseModel):
    number: str
    licensee: str
    period_from: date
    period_to: date
    issued_on: date
    due_on: date
    amount: str
    paid: str
    outstanding: str
    allocation: int | None


def _invoice_out(invoice: Invoice, licensee_name: str, period: tuple[date, date]) -> InvoiceOut:
    return InvoiceOut(
        number=invoice.number,
        licensee=licensee_name,
        period_from=period[0],
        period_to=period[1],
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        amount=fen_text(invoice.amount_fen),
        paid=fen_text(invoice.paid_fen),
        outstanding=fen_text(invoice.amount_fen - invoice.paid_fen),
        allocation=invoice.allocation_id,
    )


@router.get("/pools/{pool_id}/invoices")
def list_invoices(pool_id: PoolId, user: CurrentUser, db_session: SessionDep) -> list[InvoiceOut]:
    """Invoices with what was paid and which allocation took them (only fully paid invoices
    are allocated)."""
    _require_manage(db_session, pool_id, user)
    return [
        _invoice_out(invoice, licensee.name, (report.period_start, report.period_end))
        for invoice, licensee, report in payments.invoices_of(
            db_session, _pool(db_session, pool_id)
        )
    ]


class AccountReport(BaseModel):
    report: int
    period_from: date
    period_to: date
    accepted_at: str
    royalty: str
    uncapped_royalty: str
    invoice: InvoiceOut


class AccountOut(BaseModel):
    licensee: str
    invoiced: str
    paid: str
    outstanding: str
    reports: list[AccountReport]


@router.get("/pools/{pool_id}/licensees/{licensee_id}/account")
def licensee_account(
    pool_id: PoolId, licensee_id: RowId, user: CurrentUser, db_session: SessionDep
) -> AccountOut:
    """A licensee's royalty reports and their invoices with what is paid and outstanding:
    the administrator for any licensee, a licensee for itself (another's answers 404)."""
    _require_some_right(user, "pool:invoices", "pool_licensee")
    pool = _pool_in_reach(db_session, pool_id, user)
    licensee = db_session.get(Licensee, licensee_id)
    if licensee is None or licensee.pool_id != pool.id:
        raise NotFound(f"no licensee {licensee_id} in {pool.name}", field="licensee")
    authz.require(user, "pool:invoices", "pool_licensee", licensee, hide=True)
    rows = payments.account_of(db_session, licensee)
    invoiced = sum(invoice.amount_fen for _report, invoice in rows)
    paid = sum(invoice.paid_fen for _report, invoice in rows)
    return AccountOut(
        licensee=licensee.name,
        invoiced=fen_text(invoiced),
        paid=fen_text(paid),
        outstanding=fen_text(invoiced - paid),
        reports=[
            AccountReport(
                report=report.id,
                period_from=report.period_start,
                period_to=report.period_end,
                accepted_at=report.accepted_at.isoformat(),
                royalty=fen_text(report.royalty_fen),
                uncapped_royalty=fen_text(report.uncapped_fen),
                invoice=_invoice_out(
                    invoice, licensee.name, (report.period_start, report.period_end)
                ),
            )
            for report, invoice in rows
        ],
    )


class PaymentIn(StrictModel):
    amount: Money
    paid_on: date
    reference: Annotated[SafeStr, Field(max_length=100)] = ""


class PaymentOut(BaseModel):
    id: int
    paid_on: date
    amount: str
    reference: str
    invoice: InvoiceOut


@router.post("/pools/{pool_id}/invoices/{number}/payments", status_code=201)
def record_payment(
    pool_id: PoolId,
    number: Annotated[SafeStr, Path(max_length=32)],
    body: PaymentIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> PaymentOut:
    """A payment against an invoice; more than is outstanding is refused."""
    _require_manage(db_session, pool_id, user)
    pool = _pool(db_session, pool_id)
    invoice = payments.get_invoice(db_session=db_session, pool=pool, number=number)
    payment: Payment = payments.record_payment(
        db_session=db_session,
        actor=actor,
        invoice=invoice,
        amount=body.amount,
        paid_on=body.paid_on,
        reference=body.reference,
    )
    licensee = db_session.get(Licensee, invoice.licensee_id)
    report = db_session.get(Report, invoice.report_id)
    assert licensee is not None and report is not None
    return PaymentOut(
        id=payment.id,
        paid_on=payment.paid_on,
        amount=fen_text(payment.amount_fen),
        reference=payment.reference,
        invoice=_invoice_out(invoice, licensee.name, (report.period_start, report.period_end)),
    )


# --------------------------------------------------------------------------- cases (writes)


class CaseIn(StrictModel):
    kind: Annotated[SafeStr, Field(max_length=16, examples=["negotiation"])]
    title: Annotated[SafeStr, Field(max_length=300)]
    parties: list[Name] = Field(min_length=1, max_length=100)
    patents: list[Code] = Field(default=[], max_length=10_000)
    deadline: date | None = None


@router.post("/pools/{pool_id}/cases", status_code=201)
def open_case(
    pool_id: PoolId, body: CaseIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> dict[str, Any]:
    """A litigation, collective negotiation or mediation case."""
    _require_manage(db_session, pool_id, user)
    case = cases.open_case(
        db_session=db_session,
        actor=actor,
        pool=_pool(db_session, pool_id),
        kind=body.kind,
        title=body.title,
        parties=body.parties,
        patents=body.patents,
        deadline=body.deadline,
    )
    return cases.case_dict(case)


class NoteIn(StrictModel):
    note: Text = ""
    document: Annotated[SafeStr, Field(max_length=500)] | None = None


@router.post("/pools/{pool_id}/cases/{case_id}/notes", status_code=201)
def add_case_note(
    pool_id: PoolId,
    case_id: RowId,
    body: NoteIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> dict[str, Any]:
    """A dated note, and optionally a document (its reference or file name), on a case."""
    _require_manage(db_session, pool_id, user)
    case = _case(db_session, pool_id, case_id)
    cases.add_case_note(
        db_session=db_session, actor=actor, case=case, note=body.note, document=body.document
    )
    return cases.case_dict(case)


class SettlementIn(StrictModel):
    licensee: Name
    country: Country
    starts_on: date
    ends_on: date
    back_royalties_from: date | None = None


@router.post("/pools/{pool_id}/cases/{case_id}/settlement", status_code=201)
def settle_case(
    pool_id: PoolId,
    case_id: RowId,
    body: SettlementIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> dict[str, Any]:
    """Settle a case with a licence at the pool's standard rates."""
    _require_manage(db_session, pool_id, user)
    pool = _pool(db_session, pool_id)
    case = _case(db_session, pool_id, case_id)
    agreement = cases.settle_with_licence(
        db_session=db_session,
        actor=actor,
        pool=pool,
        case=case,
        licensee_name=body.licensee,
        country=body.country,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        back_royalties_from=body.back_royalties_from,
    )
    licensee = db_session.get(Licensee, agreement.licensee_id)
    assert licensee is not None
    return {**cases.case_dict(case), "agreement": _agreement_out(agreement, licensee)}


def _case(db_session: Session, pool_id: int, case_id: int) -> Dispute:
    pool = _pool(db_session, pool_id)
    return cases.get_case(db_session=db_session, pool=pool, case_id=case_id)
