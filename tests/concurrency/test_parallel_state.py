"""State changes under parallel requests (served API, SQLite and PostgreSQL): of identical
requests that only one may win, exactly one is accepted and the rest get 409; of requests
that may all win (notes on one case), every one is kept — none overwrites another."""

from __future__ import annotations

from typing import Any

import matrix_finance
import matrix_pool
import pytest
from apihelpers import LiveApi, error_of
from matrixhelpers import Caller
from racing import fire, split
from sqlalchemy import func, select

from ipops.accounts.models import User
from ipops.accounts.roles import Role
from ipops.finance.loans import Action
from ipops.finance.models import Loan, LoanEvent, Pledge
from ipops.pool.models import Decision, Dispute, Invoice, Pool, PoolPatent, Report
from ipops.registry.db import session_scope

POOL = "/api/v1/pool/pools"


def pool_request(api: LiveApi, make: Any, user: User) -> tuple[str, dict[str, Any], int]:
    """A request of the pool matrix on a fresh pool, made by ``user``: (path, json body,
    pool id)."""
    with session_scope(api.engine) as session:
        pool = matrix_pool._build_pool(session)
        caller = Caller(name=user.username, user=user, api=api, login_as=user)
        path, kwargs = make(caller, session, pool)
        return f"{POOL}/{pool.id}{path}", kwargs["json"], pool.id


@pytest.mark.parametrize(
    "make", [matrix_pool._report, matrix_pool._decision, matrix_pool._case_status]
)
def test_one_of_identical_pool_changes_wins(api: LiveApi, make: Any) -> None:
    # a licensee reports for itself; the platform administrator runs the rest
    role = Role.LICENSEE if make is matrix_pool._report else Role.PLATFORM_ADMIN
    user = api.add_user("racer", role)
    path, body, pool_id = pool_request(api, make, user)
    accepted, refused = split(fire(api, user, path, [body] * 3))
    assert len(accepted) == 1, [r.text for r in refused]
    assert all(error_of(r)["message"] for r in refused)
    with session_scope(api.engine) as session:
        reports = session.scalar(select(func.count()).where(Report.pool_id == pool_id))
        invoices = session.scalar(select(func.count()).where(Invoice.pool_id == pool_id))
        decisions = session.scalar(
            select(func.count(Decision.id))
            .join(PoolPatent, PoolPatent.id == Decision.patent_id)
            .where(PoolPatent.pool_id == pool_id, PoolPatent.number.like("CN9%"))
        )
        cases = session.scalars(select(Dispute).where(Dispute.pool_id == pool_id)).all()
    if make is matrix_pool._report:
        assert reports == invoices == 1
    if make is matrix_pool._decision:
        assert decisions == 1
    if make is matrix_pool._case_status:
        (case,) = cases
        assert case.status == "negotiating"
        assert [n.get("status") for n in case.notes] == ["negotiating"]


def test_parallel_notes_on_one_case_are_all_kept(api: LiveApi) -> None:
    admin = api.add_user("admin", Role.PLATFORM_ADMIN)
    path, _body, pool_id = pool_request(api, matrix_pool._case_note, admin)
    bodies = [{"note": f"meeting {i}"} for i in range(4)]
    accepted, refused = split(fire(api, admin, path, bodies))
    assert len(accepted) == 4, [r.text for r in refused]
    with session_scope(api.engine) as session:
        (case,) = session.scalars(select(Dispute).where(Dispute.pool_id == pool_id)).all()
        assert sorted(n["note"] for n in case.notes) == [f"meeting {i}" for i in range(4)]
        assert session.get(Pool, pool_id) is not None


def officer_and_loan(api: LiveApi, *actions: Action) -> tuple[User, int]:
    officer = api.add_user("officer", Role.BANK_OFFICER)
    caller = Caller(name="officer", user=officer, api=api, login_as=officer)
    with session_scope(api.engine) as session:
        loan_id, _ = matrix_finance._loan(caller, session, *actions)
    return officer, loan_id


def test_one_of_parallel_loan_decisions_wins(api: LiveApi) -> None:
    officer, loan_id = officer_and_loan(api)
    path = f"/api/v1/finance/loans/{loan_id}/actions"
    bodies = [{"action": a} for a in ("approve", "reject", "approve", "reject")]
    accepted, refused = split(fire(api, officer, path, bodies))
    assert len(accepted) == 1, [r.text for r in refused]
    with session_scope(api.engine) as session:
        loan = session.get(Loan, loan_id)
        assert loan is not None and loan.version == 2
        events = session.scalars(select(LoanEvent.action).where(LoanEvent.loan_id == loan_id))
        won = {"approved": "approve", "rejected": "reject"}[loan.state]
        assert accepted[0].json()["state"] == loan.state
        assert sorted(events) == sorted(["submit", won])


def test_one_of_parallel_pledges_of_one_loan_wins(api: LiveApi) -> None:
    officer, loan_id = officer_and_loan(api, Action.APPROVE)
    path = f"/api/v1/finance/loans/{loan_id}/pledge"
    bodies = [
        {"registration_number": f"Y2025320{900 + i:06d}", "registered_on": "2025-03-12"}
        for i in range(3)
    ]
    accepted, refused = split(fire(api, officer, path, bodies))
    assert len(accepted) == 1, [r.text for r in refused]
    with session_scope(api.engine) as session:
        pledges = session.scalars(select(Pledge).where(Pledge.loan_id == loan_id)).all()
        assert len(pledges) == 1
