"""Concurrent decisions on one application: exactly one wins (PostgreSQL, two connections)."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from financebuilders import ACME, ACTOR, VALID_CODES, FinanceWorld
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from ipops.errors import InvalidTransition
from ipops.finance import applications, enterprise_book, loan_book, product_book, rating_book
from ipops.finance.loans import Action
from ipops.finance.models import Enterprise, Loan, LoanEvent
from ipops.registry.db import session_scope

ROUNDS = 4


def submitted_loan(world: FinanceWorld, number: int) -> int:
    with session_scope(world.engine) as s:
        acme = s.scalars(select(Enterprise)).first()
        if acme is None:
            acme = enterprise_book.register_enterprise(
                db_session=s,
                actor=ACTOR,
                name=ACME,
                credit_code=VALID_CODES[0],
                region="320106",
                industry="制造业",
                size="small",
            )
            enterprise_book.link_patents(
                db_session=s, store=world.store, actor=ACTOR, enterprise=acme
            )
            bank = product_book.add_bank(
                db_session=s, actor=ACTOR, name="南京银行", organisation_id=None
            )
            product_book.add_product(
                db_session=s,
                actor=ACTOR,
                bank=bank,
                spec=product_book.ProductInput(
                    name="p",
                    min_amount=Decimal(1000),
                    max_amount=Decimal(10**7),
                    min_term_months=1,
                    max_term_months=60,
                    rate_multiple=Decimal("1.1"),
                    min_grade="C",
                ),
            )
            rating_book.rate_enterprises(
                db_session=s,
                store=world.store,
                valuation_root=world.valuation,
                actor=ACTOR,
                as_of=date(2025, 1, 1),
            )
        product = product_book.list_products(db_session=s)[0][0]
        app = applications.prepare_application(
            db_session=s,
            store=world.store,
            enterprise=acme,
            amount="100000",
            term_months=12,
            offered=[applications.Collateral(f"CN100{number % 4 + 1}", value=Decimal("900000"))],
        )
        return applications.submit(
            db_session=s,
            actor=ACTOR,
            application=app,
            product_id=product.id,
            applied_on=date(2024, 3, 1),
        ).id


def decide_at_once(world: FinanceWorld, loan_id: int) -> dict[str, str]:
    """Two officers, two connections: one approves, one rejects, after both read the loan."""
    factory = sessionmaker(bind=world.engine, expire_on_commit=False)
    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def decide(action: Action) -> None:
        session = factory()
        try:
            session.get(Loan, loan_id)  # both have read "submitted" before either writes
            barrier.wait(timeout=30)
            loan_book.act(
                db_session=session,
                actor=ACTOR,
                loan_id=loan_id,
                action=action,
                on_day=date(2024, 3, 10),
            )
            session.commit()
            outcome[action.value] = "won"
        except InvalidTransition as exc:
            session.rollback()
            outcome[action.value] = f"refused: {exc}"
        finally:
            session.close()

    threads = [threading.Thread(target=decide, args=(a,)) for a in (Action.APPROVE, Action.REJECT)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcome


def test_concurrent_decisions_exactly_one_wins(world: FinanceWorld, registry_url: str) -> None:
    if not registry_url.startswith("postgresql"):
        pytest.skip("two concurrent writers: the PostgreSQL variant (SQLite serialises writers)")
    for number in range(ROUNDS):
        loan_id = submitted_loan(world, number)
        outcome = decide_at_once(world, loan_id)
        assert sorted(v == "won" for v in outcome.values()) == [False, True], outcome
        loser = next(v for v in outcome.values() if v != "won")
        assert "changed at the same time" in loser or "allowed:" in loser
        with session_scope(world.engine) as s:
            loan = s.get(Loan, loan_id)
            assert loan is not None and loan.version == 2
            winner = next(k for k, v in outcome.items() if v == "won")
            assert loan.state == ("approved" if winner == "approve" else "rejected")
            events = s.scalars(select(LoanEvent.action).where(LoanEvent.loan_id == loan_id)).all()
            assert sorted(events) == sorted(["submit", winner])
