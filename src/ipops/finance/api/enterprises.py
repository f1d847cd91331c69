"""``/api/v1/finance/enterprises``: enterprises, ratings, matching, applications."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import Field

from ipops.accounts import authz
from ipops.api.deps import ActorDep, CurrentUser, SessionDep, api_state
from ipops.api.schemas import SafeStr, StrictModel
from ipops.finance import (
    applications,
    enterprise_book,
    money,
    rating_book,
    scope,
)
from ipops.finance.api.common import (
    DecimalText,
    EnterpriseId,
    RowId,
    visible_enterprise,
)
from ipops.finance.enterprise_book import (
    EnterpriseDetail,
    EnterpriseRecord,
    RegisteredEnterprise,
)
from ipops.finance.enterprises import BUREAU_LABELS, BureauFlag, parse_financials
from ipops.finance.loan_records import LoanRecord
from ipops.finance.matching import ProductMatch
from ipops.finance.models import Enterprise

router = APIRouter()
BureauFlags = Annotated[
    list[Annotated[SafeStr, Field(max_length=40)]],
    Field(
        max_length=len(BureauFlag),
        description="codes or labels: "
        + ", ".join(f"{f.value} ({BUREAU_LABELS[f]})" for f in BureauFlag),
    ),
]


class EnterpriseIn(StrictModel):
    name: Annotated[SafeStr, Field(min_length=1, max_length=200)]
    credit_code: Annotated[SafeStr, Field(max_length=40)]
    region: Annotated[SafeStr, Field(max_length=12)]
    industry: Annotated[SafeStr, Field(max_length=100)]
    size: Annotated[SafeStr, Field(max_length=16)]
    total_assets: DecimalText | None = None
    equity: DecimalText | None = None
    revenue: DecimalText | None = None
    rd_spend: DecimalText | None = None
    bureau_flags: BureauFlags | None = None
    bureau_checked_on: date | None = None
    organisation_id: RowId | None = None


class FinancialsIn(StrictModel):
    """The figures to change; a field sent as null becomes absent again, one not sent is
    kept. ``bureau_flags``: [] for a report without adverse records."""

    total_assets: DecimalText | None = None
    equity: DecimalText | None = None
    revenue: DecimalText | None = None
    rd_spend: DecimalText | None = None
    bureau_flags: BureauFlags | None = None
    bureau_checked_on: date | None = None


@router.get("/enterprises")
def list_enterprises(user: CurrentUser, db_session: SessionDep) -> list[EnterpriseRecord]:
    found = scope.visible_enterprises(db_session=db_session, user=user)
    return [EnterpriseRecord.of(e) for e in found]


@router.post("/enterprises", status_code=201)
def register_enterprise(
    body: EnterpriseIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
    request: Request,
) -> RegisteredEnterprise:
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
        financials=parse_financials(
            body.total_assets, body.equity, body.revenue, body.rd_spend, body.bureau_flags
        ),
        organisation_id=body.organisation_id,
        bureau_checked_on=body.bureau_checked_on,
    )
    links = enterprise_book.link_patents(
        db_session=db_session,
        store=api_state(request).corpus.store,
        actor=actor,
        enterprise=found,
    )
    return RegisteredEnterprise.of_linked(found, links)


@router.get("/enterprises/{enterprise_id}")
def get_enterprise(
    enterprise_id: EnterpriseId, user: CurrentUser, db_session: SessionDep
) -> EnterpriseDetail:
    """The enterprise with its patent links and their review status."""
    found = visible_enterprise(db_session, user, enterprise_id, "finance:read")
    return enterprise_book.enterprise_detail(db_session=db_session, enterprise=found)


@router.patch("/enterprises/{enterprise_id}/financials")
def update_financials(
    enterprise_id: EnterpriseId,
    body: FinancialsIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> EnterpriseRecord:
    """Set the enterprise's financial inputs (revenue, R&D spend, credit-bureau flags, ...);
    used at the next rating run."""
    authz.require(user, "finance:manage", "finance_programme")
    found = visible_enterprise(db_session, user, enterprise_id, "finance:read")
    updated = enterprise_book.update_financials(
        db_session=db_session,
        actor=actor,
        enterprise_id=found.id,
        financials=parse_financials(
            body.total_assets, body.equity, body.revenue, body.rd_spend, body.bureau_flags
        ),
        fields=frozenset(body.model_fields_set - {"bureau_checked_on"}),
        bureau_checked_on=body.bureau_checked_on,
    )
    return EnterpriseRecord.of(updated)


@router.get("/enterprises/{enterprise_id}/rating")
def get_rating(
    enterprise_id: EnterpriseId, user: CurrentUser, db_session: SessionDep
) -> rating_book.RatingCard:
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
) -> list[ProductMatch]:
    """Products ranked for the application, each with why it fits or why not."""
    found = visible_enterprise(db_session, user, enterprise_id, "finance:apply")
    application = _application(db_session, request, found, body)
    return [
        m.record()
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
) -> LoanRecord:
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
    return LoanRecord.of(loan)
