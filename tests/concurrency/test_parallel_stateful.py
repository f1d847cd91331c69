"""A stateful property of money under parallel requests (hypothesis, bounded): bursts of
parallel payments on one invoice and parallel repayments on one loan, of drawn amounts,
against a served API. After every burst the stored totals equal what the server accepted,
to the fen, and a payment was refused only when it exceeds what is still outstanding."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import ClassVar

import matrix_finance
import matrix_pool
from apihelpers import LiveApi
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from matrixhelpers import Caller
from racing import fire, split
from sqlalchemy import func, select

from ipops.accounts.models import User
from ipops.accounts.roles import Role
from ipops.finance.loans import Action
from ipops.finance.models import Loan, Repayment
from ipops.pool.models import Invoice, Payment, Pool
from ipops.pool.money import fen_text
from ipops.registry.db import session_scope


def fen_of(text: str) -> int:
    return int(Decimal(text) * 100)


class MoneyRaces(RuleBasedStateMachine):
    api: ClassVar[LiveApi]
    admin: ClassVar[User]
    officer: ClassVar[User]
    pool_id: ClassVar[int]

    @initialize()
    def fresh_invoice_and_loan(self) -> None:
        caller = Caller(name="officer", user=self.officer, api=self.api, login_as=self.officer)
        with session_scope(self.api.engine) as session:
            pool = session.get(Pool, self.pool_id)
            assert pool is not None
            number = matrix_pool._invoice(session, pool, paid=False)
            invoice = session.scalars(select(Invoice).where(Invoice.number == number)).one()
            self.invoice_id, self.amount_fen = invoice.id, invoice.amount_fen
            self.number = number
            self.loan_id, _ = matrix_finance._loan(caller, session, Action.APPROVE, Action.DISBURSE)
        self.paid_fen = 0
        self.repaid_fen = 0

    @rule(amounts=st.lists(st.integers(min_value=1, max_value=2000), min_size=2, max_size=4))
    def pay_in_parallel(self, amounts: list[int]) -> None:
        path = f"/api/v1/pool/pools/{self.pool_id}/invoices/{self.number}/payments"
        bodies = [{"amount": fen_text(a), "paid_on": "2025-04-10"} for a in amounts]
        accepted, refused = split(fire(self.api, self.admin, path, bodies))
        self.paid_fen += sum(fen_of(r.json()["amount"]) for r in accepted)
        outstanding = self.amount_fen - self.paid_fen
        for response in refused:  # refused only when it no longer fits
            assert fen_of(json.loads(response.request.content)["amount"]) > outstanding

    @rule(amounts=st.lists(st.sampled_from(["0.01", "333.33", "1000.00"]), min_size=2, max_size=4))
    def repay_in_parallel(self, amounts: list[str]) -> None:
        path = f"/api/v1/finance/loans/{self.loan_id}/repayments"
        bodies = [{"amount": a, "paid_on": "2025-04-10"} for a in amounts]
        accepted, _refused = split(fire(self.api, self.officer, path, bodies))
        self.repaid_fen += sum(fen_of(r.json()["amount"]) for r in accepted)

    @invariant()
    def totals_are_what_was_accepted(self) -> None:
        if not hasattr(self, "invoice_id"):
            return
        with session_scope(self.api.engine) as session:
            invoice = session.get(Invoice, self.invoice_id)
            loan = session.get(Loan, self.loan_id)
            assert invoice is not None and loan is not None
            payments = session.scalar(
                select(func.coalesce(func.sum(Payment.amount_fen), 0)).where(
                    Payment.invoice_id == self.invoice_id
                )
            )
            repayments = session.scalar(
                select(func.coalesce(func.sum(Repayment.amount_fen), 0)).where(
                    Repayment.loan_id == self.loan_id
                )
            )
            assert invoice.paid_fen == payments == self.paid_fen <= invoice.amount_fen
            moved = loan.principal_repaid_fen + loan.interest_repaid_fen
            assert moved == repayments == self.repaid_fen


def test_money_races(api: LiveApi) -> None:
    MoneyRaces.api = api
    MoneyRaces.admin = api.add_user("admin", Role.PLATFORM_ADMIN)
    MoneyRaces.officer = api.add_user("officer", Role.BANK_OFFICER)
    with session_scope(api.engine) as session:
        MoneyRaces.pool_id = matrix_pool._build_pool(session).id
    runner = MoneyRaces.TestCase
    runner.settings = settings(
        max_examples=3,
        stateful_step_count=4,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    runner().runTest()
