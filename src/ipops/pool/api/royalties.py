"""Royalty reports, allocations, members' statements, invoices and payments."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from ipops.accounts import authz
from ipops.api.deps import ActorDep, CurrentUser, SessionDep, api_state
from ipops.api.schemas import SafeStr, StrictModel
from ipops.pool import (
    allocation_runs,
    licensing,
    membership,
    payments,
    royalty_reports,
    standing,
    year_end,
)
from ipops.pool.api.common import (
    Money,
    Period,
    PoolId,
    RowId,
    pool_in_reach,
    pool_of,
    require_manage,
    require_some_right,
)
from ipops.pool.models import (
    Payment,
)
from ipops.pool.money import fen_text
from ipops.pool.payments import AccountOut, InvoiceOut, invoice_out
from ipops.records import Record

router = APIRouter()


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
    # net sales in another currency: converted once at the CNY central parity of the report
    # date from the workspace's rate file (pool/fx_rates.csv), as ``ipops pool report`` does
    currency: Annotated[SafeStr, Field(max_length=8, examples=["USD"])] | None = None


class ReportIn(StrictModel):
    licensee: SafeStr = Field(max_length=200)
    period: Period
    lines: list[LineIn] = Field(min_length=1, max_length=100_000)


class LineOut(Record):
    """A priced report line: its row, the country that triggered the royalty (none: no
    patent in force where it was made or sold) and the royalty as text."""

    row: int
    trigger_country: str | None
    royalty: str


class ReportOut(BaseModel):
    report: int
    invoice: str
    amount: str
    due_on: date
    lines: list[LineOut]


@router.post("/pools/{pool_id}/reports", status_code=201)
def submit_report(
    pool_id: PoolId,
    body: ReportIn,
    request: Request,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> ReportOut:
    """A royalty report, accepted whole (invoiced) or rejected whole naming row and reason.
    Lines in another currency are converted once at the report date's CNY central parity
    (the workspace's ``pool/fx_rates.csv``)."""
    require_some_right(user, "pool:report", "pool_licensee")
    pool = pool_in_reach(db_session, pool_id, user)
    licensee = licensing.get_licensee(db_session=db_session, pool=pool, name=body.licensee)
    authz.require(user, "pool:report", "pool_licensee", licensee, hide=True)
    accepted = royalty_reports.submit_report(
        db_session=db_session,
        actor=actor,
        pool=pool,
        licensee_name=body.licensee,
        period=body.period,
        rows=[line.model_dump() for line in body.lines],
        fx=standing.workspace_fx(api_state(request).workspace.root),
    )
    return ReportOut(
        report=accepted.report.id,
        invoice=accepted.invoice.number,
        amount=fen_text(accepted.invoice.amount_fen),
        due_on=accepted.invoice.due_on,
        lines=[
            LineOut(
                row=line.row,
                trigger_country=line.trigger_country,
                royalty=fen_text(line.royalty_fen),
            )
            for line in accepted.lines
        ],
    )


class AllocateIn(StrictModel):
    period: Period


@router.get("/pools/{pool_id}/allocations")
def list_allocations(
    pool_id: PoolId, user: CurrentUser, db_session: SessionDep
) -> list[allocation_runs.AllocationSummary]:
    """The recorded allocations, each member's total, the fee and what was collected."""
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    return [
        allocation_runs.allocation_summary(db_session=db_session, run=r)
        for r in allocation_runs.allocations_of(db_session, pool)
    ]


@router.post("/pools/{pool_id}/allocations", status_code=201)
def run_allocation(
    pool_id: PoolId, body: AllocateIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> allocation_runs.AllocationSummary:
    """Allocate the period's paid, not yet allocated royalties."""
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    run = allocation_runs.allocate_period(
        db_session=db_session, actor=actor, pool=pool, period=body.period
    )
    return allocation_runs.allocation_summary(db_session=db_session, run=run)


@router.get("/pools/{pool_id}/members/{member_id}/statement")
def member_statement(
    pool_id: PoolId,
    member_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    user: CurrentUser,
    db_session: SessionDep,
    period: Annotated[SafeStr | None, Query(max_length=10)] = None,
) -> allocation_runs.Statement:
    """A member's open ledger: per licensee and country, its patents counted and earnings."""
    require_some_right(user, "pool:statement", "pool_member")
    pool = pool_in_reach(db_session, pool_id, user)
    member = membership.get_member_by_id(db_session=db_session, pool=pool, member_id=member_id)
    authz.require(user, "pool:statement", "pool_member", member, hide=True)
    return allocation_runs.statement(db_session=db_session, pool=pool, member=member, period=period)


class SettleYearIn(StrictModel):
    year: Annotated[int, Field(strict=True, ge=1900, le=9999)]
    licensee: Annotated[SafeStr, Field(max_length=200)] | None = None
    settled_on: date | None = None


@router.post("/pools/{pool_id}/year-settlements", status_code=201)
def settle_year(
    pool_id: PoolId, body: SettleYearIn, user: CurrentUser, actor: ActorDep, db_session: SessionDep
) -> year_end.YearEnd:
    """Settle an ended year: below a licence's annual floor its invoices are waived (what was
    paid becomes a credit); below its minimum a top-up is invoiced. Once per year (409)."""
    require_manage(db_session, pool_id, user)
    return year_end.settle_year(
        db_session=db_session,
        actor=actor,
        pool=pool_of(db_session, pool_id),
        year=body.year,
        licensee_name=body.licensee,
        settled_on=body.settled_on,
    )


# --------------------------------------------------------------------------- invoices, payments


# An invoice shows ``waived_on`` and ``credit`` (an account ``waived`` and ``credit``) only
# once a year-end settlement waived it: the answers of every other invoice stay as they were.
@router.get("/pools/{pool_id}/invoices", response_model_exclude_defaults=True)
def list_invoices(pool_id: PoolId, user: CurrentUser, db_session: SessionDep) -> list[InvoiceOut]:
    """Invoices with what was paid and which allocation took them (only fully paid invoices
    are allocated)."""
    require_manage(db_session, pool_id, user)
    return payments.invoice_list(db_session=db_session, pool=pool_of(db_session, pool_id))


@router.get(
    "/pools/{pool_id}/licensees/{licensee_id}/account", response_model_exclude_defaults=True
)
def licensee_account(
    pool_id: PoolId, licensee_id: RowId, user: CurrentUser, db_session: SessionDep
) -> AccountOut:
    """A licensee's royalty reports and their invoices with what is paid and outstanding:
    the administrator for any licensee, a licensee for itself (another's answers 404)."""
    require_some_right(user, "pool:invoices", "pool_licensee")
    pool = pool_in_reach(db_session, pool_id, user)
    licensee = licensing.get_licensee_by_id(
        db_session=db_session, pool=pool, licensee_id=licensee_id
    )
    authz.require(user, "pool:invoices", "pool_licensee", licensee, hide=True)
    return payments.licensee_account(db_session=db_session, licensee=licensee)


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
    require_manage(db_session, pool_id, user)
    pool = pool_of(db_session, pool_id)
    invoice = payments.get_invoice(db_session=db_session, pool=pool, number=number)
    payment: Payment = payments.record_payment(
        db_session=db_session,
        actor=actor,
        invoice=invoice,
        amount=body.amount,
        paid_on=body.paid_on,
        reference=body.reference,
    )
    licensee, report = payments.billed(db_session, invoice)
    return PaymentOut(
        id=payment.id,
        paid_on=payment.paid_on,
        amount=fen_text(payment.amount_fen),
        reference=payment.reference,
        invoice=invoice_out(invoice, licensee.name, (report.period_start, report.period_end)),
    )
