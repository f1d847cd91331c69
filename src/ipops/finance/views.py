"""HTTP edge of IP pledge finance (``/api/v1/finance``).

Authorization per object (``accounts.authz``): an enterprise user sees and applies for its
own enterprise only; a bank officer sees and decides only the loans routed to the bank; the
platform administrator sees everything. Objects out of scope are reported as not found.
Money and rates are decimal strings both ways; a JSON float is refused.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BeforeValidator, Field

from ipops.accounts import authz
from ipops.accounts.models import User
from ipops.api.deps import ActorDep, CurrentUser, SessionDep, api_state
from ipops.api.schemas import SafeStr, StrictModel
from ipops.errors import ValidationError
from ipops.finance import (
    applications,
    claims,
    enterprise_book,
    loan_book,
    money,
    pledges,
    policy,
    rating_book,
    scope,
    stats,
)
from ipops.finance.compensation_case import CaseInput, compensation_case
from ipops.finance.enterprises import parse_financials
from ipops.finance.loan_records import RepaymentRecord, ScheduleRecord
from ipops.finance.loans import Action, parse_action
from ipops.finance.models import Enterprise, Loan
from ipops.finance.workdays import calendar_for

router = APIRouter(prefix="/finance", tags=["finance"])
EnterpriseId = Annotated[int, Path(ge=1, le=2**31 - 1)]
LoanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
RowId = Annotated[int, Field(strict=True, ge=1, le=2**31 - 1)]
QueryId = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


def _no_float(value: object) -> object:
    if isinstance(value, bool | float):
        raise ValueError("a JSON number with a fraction is a float; send money as a string")
    if isinstance(value, int):
        return str(value)
    return value


DecimalText = Annotated[
    str,
    BeforeValidator(_no_float),
    Field(max_length=40, examples=["1000000.00"], description="a decimal as a string"),
]


def visible_enterprise(
    db_session: Any, user: User, enterprise_id: EnterpriseId, action: str
) -> Enterprise:
    return scope.visible_enterprise(
        db_session=db_session, user=user, enterprise_id=enterprise_id, action=action
    )


def visible_loan(db_session: Any, user: User, loan_id: int) -> Loan:
    return scope.visible_loan(db_session=db_session, user=user, loan_id=loan_id)


# --------------------------------------------------------------------------- enterprises


class EnterpriseIn(StrictModel):
    name: Annotated[SafeStr, Field(min_length=1, max_length=200)]
    credit_code: Annotated[SafeStr, Field(max_length=40)]
    region: Annotated[SafeStr, Field(max_length=12)]
    industry: Annotated[SafeStr, Field(max_length=100)]
    size: Annotated[SafeStr, Field(max_length=16)]
    total_assets: DecimalText | None = None
    equity: DecimalText | None = None
    revenue: DecimalText | None = None
    organisation_id: RowId | None = None


@router.get("/enterprises")
def list_enterprises(user: CurrentUser, db_session: SessionDep) -> list[dict[str, Any]]:
    found = scope.visible_enterprises(db_session=db_session, user=user)
    return [enterprise_book.enterprise_dict(e) for e in found]


@router.post("/enterprises", status_code=201)
def register_enterprise(
    body: EnterpriseIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep, request: Request
) -> dict[str, Any]:
    """Register an enterprise (credit code checked) and link its patents in the corpus."""
    authz.require(user, "finance:manage", "finance_programme")
    found = enterprise_book.register_enterprise(
        db_session=db_session,
        actor=actor,
        name=body.name,
        credit_code=body.credit_code,
        region=body.region,
        industry=body.industry,
        size=body.size,
        financials=parse_financials(body.total_assets, body.equity, body.revenue),
        organisation_id=body.organisation_id,
    )
    links = enterprise_book.link_patents(
        db_session=db_session, store=api_state(request).corpus.store, actor=actor, enterprise=found
    )
    return {**enterprise_book.enterprise_dict(found), "links": links.as_dict()}


@router.get("/enterprises/{enterprise_id}")
def get_enterprise(
    enterprise_id: EnterpriseId, user: CurrentUser, db_session: SessionDep
) -> dict[str, Any]:
    found = visible_enterprise(db_session, user, enterprise_id, "finance:read")
    links = enterprise_book.links_of(db_session=db_session, enterprise_id=found.id)
    return {
        **enterprise_book.enterprise_dict(found),
        "patents": [
            {
                "link": x.id,
                "patent_id": x.patent_id,
                "party_name": x.party_name,
                "match": x.match,
                "similarity": x.similarity,
                "status": x.status,
            }
            for x in links
        ],
    }


@router.get("/enterprises/{enterprise_id}/rating")
def get_rating(
    enterprise_id: EnterpriseId, user: CurrentUser, db_session: SessionDep
) -> dict[str, Any]:
    """The latest rating, explained, with alerts, the inputs' versions and (when fitted and
    the enterprise has financial figures) the probability of default."""
    found = visible_enterprise(db_session, user, enterprise_id, "finance:read")
    return rating_book.rating_card(db_session=db_session, enterprise=found)


class CollateralIn(StrictModel):
    patent_id: Annotated[SafeStr, Field(max_length=40)]
    value: DecimalText | None = None
    revenues: Annotated[list[DecimalText], Field(default_factory=list, max_length=30)]
    royalty_rate: DecimalText | None = None
    discount_rate: DecimalText | None = None
    tax_rate: DecimalText = "0.25"


class ApplicationIn(StrictModel):
    amount: DecimalText
    term_months: Annotated[int, Field(ge=1, le=360)]
    patents: Annotated[list[CollateralIn], Field(min_length=1, max_length=50)]


class SubmitIn(ApplicationIn):
    product_id: RowId
    applied_on: date | None = None


def _offered(items: list[CollateralIn]) -> list[applications.Collateral]:
    found = []
    for c in items:
        found.append(
            applications.Collateral(
                patent_id=c.patent_id,
                value=None if c.value is None else money.amount(c.value, f"value of {c.patent_id}"),
                revenues=tuple(money.to_decimal(r, "revenues") for r in c.revenues),
                royalty_rate=None
                if c.royalty_rate is None
                else money.rate(c.royalty_rate, "royalty_rate"),
                discount_rate=None
                if c.discount_rate is None
                else money.rate(c.discount_rate, "discount_rate"),
                tax_rate=money.rate(c.tax_rate, "tax_rate"),
            )
        )
    return found


def _application(
    db_session: Any, request: Request, enterprise: Enterprise, body: ApplicationIn
) -> applications.Application:
    return applications.prepare_application(
        db_session=db_session,
        store=api_state(request).corpus.store,
        enterprise=enterprise,
        amount=body.amount,
        term_months=body.term_months,
        offered=_offered(body.patents),
    )


@router.post("/enterprises/{enterprise_id}/match")
def match_products(
    enterprise_id: EnterpriseId,
    body: ApplicationIn,
    user: CurrentUser,
    db_session: SessionDep,
    request: Request,
) -> list[dict[str, Any]]:
    """Products ranked for the application, each with why it fits or why not."""
    found = visible_enterprise(db_session, user, enterprise_id, "finance:apply")
    application = _application(db_session, request, found, body)
    return [
        m.as_dict()
        for m in applications.match_products(db_session=db_session, application=application)
    ]


@router.post("/enterprises/{enterprise_id}/applications", status_code=201)
def submit_application(
    enterprise_id: EnterpriseId,
    body: SubmitIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
    request: Request,
) -> dict[str, Any]:
    """Apply for the chosen product: the application is routed to its bank."""
    found = visible_enterprise(db_session, user, enterprise_id, "finance:apply")
    application = _application(db_session, request, found, body)
    loan = applications.submit(
        db_session=db_session,
        actor=actor,
        application=application,
        product_id=body.product_id,
        applied_on=body.applied_on or date.today(),
    )
    return loan_book.loan_dict(loan)


# --------------------------------------------------------------------------- loans


@router.get("/loans")
def list_loans(
    user: CurrentUser,
    db_session: SessionDep,
    state: Annotated[SafeStr | None, Query(max_length=16)] = None,
) -> list[dict[str, Any]]:
    """Loans the user may see: the bank's own, the enterprise's own, or all (administrator)."""
    loans = scope.visible_loans(db_session=db_session, user=user, state=state)
    return [loan_book.loan_dict(x) for x in loans]


@router.get("/loans/{loan_id}")
def get_loan(loan_id: LoanId, user: CurrentUser, db_session: SessionDep) -> dict[str, Any]:
    loan = visible_loan(db_session, user, loan_id)
    payload = loan_book.loan_dict(loan)
    payload["schedule"] = [
        ScheduleRecord.of(x).model_dump(mode="json")
        for x in loan_book.schedule_of(db_session=db_session, loan_id=loan.id)
    ]
    payload["pledges"] = [
        pledges.pledge_dict(db_session, p)
        for p in pledges.pledges_of(db_session=db_session, loan_id=loan.id)
    ]
    payload["alerts"] = [
        {
            "id": a.id,
            "patent_id": a.patent_id,
            "kind": a.kind,
            "detail": a.detail,
            "raised_on": a.raised_on,
        }
        for a in pledges.alerts_for(db_session=db_session, loan_id=loan.id)
    ]
    return payload


class ActionIn(StrictModel):
    action: Annotated[SafeStr, Field(max_length=24)]
    on_day: date | None = None
    note: Annotated[SafeStr, Field(max_length=500)] = ""


@router.post("/loans/{loan_id}/actions")
def act_on_loan(
    loan_id: LoanId, body: ActionIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> dict[str, Any]:
    """A lifecycle action (approve, reject, ...). The applicant may withdraw its own
    application; everything else is the bank's. A disallowed action is a 409 naming the
    allowed ones."""
    loan = visible_loan(db_session, user, loan_id)
    action = parse_action(body.action)
    enterprise = scope.enterprise_of(db_session=db_session, loan=loan)
    own_withdrawal = action is Action.WITHDRAW and scope.may_withdraw(user, enterprise)
    if not own_withdrawal:
        authz.require(user, "finance:decide", "fin_loan", loan, hide=True)
    found = loan_book.act(
        db_session=db_session,
        actor=actor,
        loan_id=loan.id,
        action=action,
        on_day=body.on_day or date.today(),
        note=body.note,
    )
    return loan_book.loan_dict(found)


class RepaymentIn(StrictModel):
    amount: DecimalText
    paid_on: date | None = None


@router.post("/loans/{loan_id}/repayments", status_code=201)
def record_repayment(
    loan_id: LoanId, body: RepaymentIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> RepaymentRecord:
    loan = visible_loan(db_session, user, loan_id)
    authz.require(user, "finance:decide", "fin_loan", loan, hide=True)
    payment = loan_book.repay(
        db_session=db_session,
        actor=actor,
        loan_id=loan.id,
        amount=body.amount,
        paid_on=body.paid_on or date.today(),
    )
    return RepaymentRecord.of(payment, loan)


class PledgeIn(StrictModel):
    registration_number: Annotated[SafeStr, Field(min_length=1, max_length=64)]
    registered_on: date | None = None
    co_pledgors: Annotated[list[SafeStr], Field(default_factory=list, max_length=20)]


@router.post("/loans/{loan_id}/pledge", status_code=201)
def register_pledge(
    loan_id: LoanId,
    body: PledgeIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
    request: Request,
) -> dict[str, Any]:
    loan = visible_loan(db_session, user, loan_id)
    authz.require(user, "finance:decide", "fin_loan", loan, hide=True)
    found = pledges.register_pledge(
        db_session=db_session,
        store=api_state(request).corpus.store,
        actor=actor,
        loan_id=loan.id,
        registration_number=body.registration_number,
        registered_on=body.registered_on or date.today(),
        co_pledgors=body.co_pledgors,
    )
    return pledges.pledge_dict(db_session, found)


# --------------------------------------------------------------------------- programme


@router.get("/stats")
def programme_stats(
    start: date, end: date, user: CurrentUser, db_session: SessionDep, request: Request
) -> dict[str, Any]:
    authz.require(user, "finance:read", "finance_programme")
    calendar = calendar_for(api_state(request).workspace.root)
    return stats.programme_stats(
        db_session=db_session, start=start, end=end, calendar=calendar
    ).as_dict()


@router.get(
    "/claims",
    responses={
        200: {
            "content": {
                "application/json": {},
                "text/csv": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            },
            "description": "rows as JSON, or the claims file",
        }
    },
)
def claim_file(
    start: date,
    end: date,
    user: CurrentUser,
    db_session: SessionDep,
    bank_id: QueryId = None,
    format: Annotated[str, Query(pattern="^(json|csv|xlsx)$")] = "json",
) -> Any:
    """Compensation and subsidy claims per bank and period, each row traceable to its loan;
    ``format`` csv or xlsx gives the file for the finance bureau."""
    organisation_id = scope.claims_organisation(db_session=db_session, user=user, bank_id=bank_id)
    rows = claims.claim_rows(
        db_session=db_session,
        bank_id=bank_id,
        start=start,
        end=end,
        organisation_id=organisation_id,
    )
    name = f"claims-{start}-{end}"
    if format == "csv":
        return Response(
            claims.claims_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if format == "xlsx":
        return Response(
            claims.claims_xlsx(rows),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return {"rows": rows}


class CompensationIn(StrictModel):
    principal: DecimalText
    repaid: DecimalText
    days_overdue: Annotated[int, Field(ge=0, le=100_000)]
    bank_weak_share: DecimalText
    rate: DecimalText
    benchmark_rate: DecimalText | None = None  # else looked up from loan_date and term_months
    loan_date: date | None = None
    term_months: Annotated[int, Field(ge=1, le=600)] | None = None
    size: Annotated[SafeStr, Field(max_length=16)] = "small"
    collateral: Annotated[SafeStr, Field(max_length=24)] = "ip_pledge"
    compensated_this_year: DecimalText = "0"
    policy: Annotated[SafeStr, Field(max_length=60)] = policy.DEFAULT_POLICY


@router.post("/compensation")
def compensation(body: CompensationIn, user: CurrentUser, request: Request) -> dict[str, Any]:
    """The policy calculator: eligibility with reasons, the ratio and the amount."""
    authz.require(user, "finance:calculate", "finance_policy")
    case = CaseInput(
        principal=body.principal,
        repaid=body.repaid,
        days_overdue=body.days_overdue,
        bank_weak_share=body.bank_weak_share,
        rate=body.rate,
        benchmark_rate=body.benchmark_rate,
        loan_date=body.loan_date,
        term_months=body.term_months,
        size=body.size,
        collateral=body.collateral,
        compensated_this_year=body.compensated_this_year,
        policy=body.policy,
    )
    root = api_state(request).workspace.root
    return compensation_case(root=root, case=case).as_dict()


@router.get("/workdays")
def workdays(start: date, end: date, user: CurrentUser, request: Request) -> dict[str, Any]:
    """Working days d with start < d <= end on China's official calendar."""
    authz.require(user, "finance:calculate", "finance_policy")
    calendar = calendar_for(api_state(request).workspace.root)
    if (end - start).days > 3660:
        raise ValidationError("at most ten years at a time", field="end")
    return {
        "start": start,
        "end": end,
        "working_days": calendar.working_days(start, end),
        "calendar": calendar.origin,
    }


@router.get("/policies")
def list_policies(user: CurrentUser, request: Request) -> list[dict[str, Any]]:
    authz.require(user, "finance:calculate", "finance_policy")
    root = api_state(request).workspace.root
    return [policy.load_policy(n, root).as_dict() for n in policy.policy_names(root)]
