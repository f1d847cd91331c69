"""Money under parallel requests: real threads against a served API (uvicorn on loopback),
on SQLite and on PostgreSQL. What the server accepted (2xx) is what the totals moved, to
the fen; every loser gets 409 with a message naming why; nothing is written twice."""

from __future__ import annotations

from decimal import Decimal

import matrix_finance
import matrix_pool
from apihelpers import LiveApi, error_of
from matrixhelpers import Caller
from racing import fire, split
from sqlalchemy import func, select

from ipops.accounts.roles import Role
from ipops.finance.loans import Action
from ipops.finance.models import Loan, Repayment, ScheduleLine
from ipops.pool.models import AllocationLine, AllocationRun, Invoice, Payment, Pool
from ipops.pool.money import fen_text
from ipops.registry.db import session_scope

ROUNDS = 3


def test_parallel_payments_of_half_the_outstanding(api: LiveApi) -> None:
    admin = api.add_user("admin", Role.PLATFORM_ADMIN)
    with session_scope(api.engine) as session:
        pool = matrix_pool._build_pool(session)
        pool_id = pool.id
        numbers = [matrix_pool._invoice(session, pool, paid=False) for _ in range(ROUNDS)]
    for number in numbers:
        with session_scope(api.engine) as session:
            invoice = session.scalars(select(Invoice).where(Invoice.number == number)).one()
            amount_fen, invoice_id = invoice.amount_fen, invoice.id
        half = amount_fen // 2
        assert half > 0 and amount_fen == 2 * half
        body = {"amount": fen_text(half), "paid_on": "2025-04-10"}
        path = f"/api/v1/pool/pools/{pool_id}/invoices/{number}/payments"
        accepted, refused = split(fire(api, admin, path, [body] * 4))
        assert len(accepted) == 2, [r.text for r in refused]
        for response in refused:
            assert "outstanding" in error_of(response)["message"]
        with session_scope(api.engine) as session:
            invoice = session.get(Invoice, invoice_id)
            assert invoice is not None
            rows = session.scalars(select(Payment).where(Payment.invoice_id == invoice_id)).all()
            assert len(rows) == len(accepted)
            assert sum(p.amount_fen for p in rows) == invoice.paid_fen == half * len(accepted)
            assert invoice.paid_fen == invoice.amount_fen


def test_parallel_loan_repayments(api: LiveApi) -> None:
    officer = api.add_user("officer", Role.BANK_OFFICER)
    caller = Caller(name="officer", user=officer, api=api, login_as=officer)
    with session_scope(api.engine) as session:
        loans = [
            matrix_finance._loan(caller, session, Action.APPROVE, Action.DISBURSE)[0]
            for _ in range(ROUNDS)
        ]
    for loan_id in loans:
        body = {"amount": "1000.00", "paid_on": "2025-04-10"}
        path = f"/api/v1/finance/loans/{loan_id}/repayments"
        accepted, refused = split(fire(api, officer, path, [body] * 6))
        assert accepted, [r.text for r in refused]
        for response in refused:
            assert error_of(response)["message"]
        with session_scope(api.engine) as session:
            loan = session.get(Loan, loan_id)
            assert loan is not None
            moved = loan.principal_repaid_fen + loan.interest_repaid_fen
            assert moved == 100_000 * len(accepted)
            rows = session.scalars(select(Repayment).where(Repayment.loan_id == loan_id)).all()
            assert len(rows) == len(accepted)
            assert sum(r.amount_fen for r in rows) == moved
            assert sum(r.principal_fen for r in rows) == loan.principal_repaid_fen
            paid = session.execute(
                select(
                    func.sum(ScheduleLine.paid_principal_fen + ScheduleLine.paid_interest_fen)
                ).where(ScheduleLine.loan_id == loan_id)
            ).scalar_one()
            assert paid == moved
        assert sum(Decimal(r.json()["amount"]) for r in accepted) == Decimal(1000) * len(accepted)


def test_parallel_allocations_of_one_period(api: LiveApi) -> None:
    admin = api.add_user("admin", Role.PLATFORM_ADMIN)
    for _ in range(ROUNDS):
        with session_scope(api.engine) as session:
            pool = matrix_pool._build_pool(session)
            pool_id = pool.id
            number = matrix_pool._invoice(session, pool, paid=True)
        path = f"/api/v1/pool/pools/{pool_id}/allocations"
        accepted, refused = split(fire(api, admin, path, [{"period": "2025-03"}] * 3))
        assert len(accepted) == 1, [r.text for r in refused]
        for response in refused:
            assert "allocated already" in error_of(response)["message"]
        with session_scope(api.engine) as session:
            runs = session.scalars(select(AllocationRun).where(AllocationRun.pool_id == pool_id))
            (run,) = runs.all()
            assert run.id == accepted[0].json()["id"]
            invoice = session.scalars(select(Invoice).where(Invoice.number == number)).one()
            assert invoice.allocation_id == run.id
            lines = session.scalars(
                select(AllocationLine).where(AllocationLine.allocation_id == run.id)
            ).all()
            assert run.collected_fen == invoice.amount_fen
            assert sum(x.amount_fen for x in lines) + run.fee_fen == run.collected_fen
            assert session.get(Pool, pool_id) is not None
