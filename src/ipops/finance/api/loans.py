"""``/api/v1/finance/loans``: loans, decisions, repayments, pledges."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field

from ipops.accounts import authz
from ipops.api.deps import ActorDep, CurrentUser, SessionDep, api_state
from ipops.api.schemas import SafeStr, StrictModel
from ipops.finance import (
    loan_book,
    pledges,
    scope,
)
from ipops.finance.api.common import (
    DecimalText,
    LoanId,
    visible_loan,
)
from ipops.finance.loan_book import LoanDetail
from ipops.finance.loan_records import LoanRecord, RepaymentRecord
from ipops.finance.loans import Action, parse_action
from ipops.finance.pledge_records import PledgeRecord

router = APIRouter()


@router.get("/loans")
def list_loans(
    user: CurrentUser,
    db_session: SessionDep,
    state: Annotated[SafeStr | None, Query(max_length=16)] = None,
) -> list[LoanRecord]:
    """Loans the user may see: the bank's own, the enterprise's own, or all (administrator)."""
    loans = scope.visible_loans(db_session=db_session, user=user, state=state)
    return [LoanRecord.of(x) for x in loans]


@router.get("/loans/{loan_id}")
def get_loan(loan_id: LoanId, user: CurrentUser, db_session: SessionDep) -> LoanDetail:
    """The loan with its repayment schedule, pledge registrations and collateral alerts."""
    loan = visible_loan(db_session, user, loan_id)
    return loan_book.loan_detail(db_session=db_session, loan=loan)


class ActionIn(StrictModel):
    action: Annotated[SafeStr, Field(max_length=24)]
    on_day: date | None = None
    note: Annotated[SafeStr, Field(max_length=500)] = ""


@router.post("/loans/{loan_id}/actions")
def act_on_loan(
    loan_id: LoanId,
    body: ActionIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
) -> LoanRecord:
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
    return LoanRecord.of(found)


class RepaymentIn(StrictModel):
    amount: DecimalText
    paid_on: date | None = None


@router.post("/loans/{loan_id}/repayments", status_code=201)
def record_repayment(
    loan_id: LoanId,
    body: RepaymentIn,
    user: CurrentUser,
    actor: ActorDep,
    db_session: SessionDep,
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
) -> PledgeRecord:
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
    return pledges.pledge_record(db_session=db_session, pledge=found)
