"""The records a loan is shown as (API responses, pages, CLI ``--json``, the Python API):
frozen, Decimal money (serialised as text), read from the stored rows.

``LoanRecord.of(loan)`` is the one place a loan becomes a record; its JSON form
(``model_dump(mode="json")``) is what the audit trail keeps.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ipops.finance import money
from ipops.finance.loans import Action, LoanState, allowed_actions, arrears_bucket, open_steps
from ipops.finance.models import Loan, Repayment, ScheduleLine
from ipops.records import Record, RecordId


class LoanRecord(Record):
    id: RecordId
    enterprise_id: int
    bank_id: int
    product_id: int
    amount: Decimal
    term_months: int
    annual_rate: str
    benchmark_rate: str
    method: str
    collateral: str
    state: str
    applied_on: date
    decided_on: date | None
    disbursed_on: date | None
    closed_on: date | None
    registered_on: date | None
    registration: dict[str, Any] | None
    principal_repaid: Decimal
    interest_repaid: Decimal
    principal_outstanding: Decimal
    days_past_due: int
    arrears: str
    allowed_actions: list[str]

    @classmethod
    def of(cls, loan: Loan) -> LoanRecord:
        return cls(
            id=loan.id,
            enterprise_id=loan.enterprise_id,
            bank_id=loan.bank_id,
            product_id=loan.product_id,
            amount=money.from_fen(loan.amount_fen),
            term_months=loan.term_months,
            annual_rate=loan.annual_rate,
            benchmark_rate=loan.benchmark_rate,
            method=loan.method,
            collateral=loan.collateral,
            state=loan.state,
            applied_on=loan.applied_on,
            decided_on=loan.decided_on,
            disbursed_on=loan.disbursed_on,
            closed_on=loan.closed_on,
            registered_on=loan.registered_on,
            registration=loan.registration,
            principal_repaid=money.from_fen(loan.principal_repaid_fen),
            interest_repaid=money.from_fen(loan.interest_repaid_fen),
            principal_outstanding=money.from_fen(loan.amount_fen - loan.principal_repaid_fen),
            days_past_due=loan.days_past_due,
            arrears=arrears_bucket(loan.days_past_due),
            allowed_actions=[
                a.value
                for a in allowed_actions(LoanState(loan.state))
                if a is not Action.REPAY_IN_FULL
            ],
        )

    @property
    def steps(self) -> frozenset[str]:
        """The forms a page may offer for the loan in its state (``loans.open_steps``)."""
        return open_steps(LoanState(self.state))


class ScheduleRecord(Record):
    number: int
    due_on: date
    principal: Decimal
    interest: Decimal
    paid_principal: Decimal
    paid_interest: Decimal
    settled: bool

    @classmethod
    def of(cls, line: ScheduleLine) -> ScheduleRecord:
        return cls(
            number=line.number,
            due_on=line.due_on,
            principal=money.from_fen(line.principal_fen),
            interest=money.from_fen(line.interest_fen),
            paid_principal=money.from_fen(line.paid_principal_fen),
            paid_interest=money.from_fen(line.paid_interest_fen),
            settled=line.settled,
        )

    @property
    def paid(self) -> Decimal:
        return self.paid_principal + self.paid_interest


class RepaymentRecord(Record):
    id: RecordId
    amount: Decimal
    interest: Decimal
    principal: Decimal
    loan: LoanRecord

    @classmethod
    def of(cls, payment: Repayment, loan: Loan) -> RepaymentRecord:
        return cls(
            id=payment.id,
            amount=money.from_fen(payment.amount_fen),
            interest=money.from_fen(payment.interest_fen),
            principal=money.from_fen(payment.principal_fen),
            loan=LoanRecord.of(loan),
        )
