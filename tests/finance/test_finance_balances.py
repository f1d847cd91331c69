"""Year-end balances from the loan book: computed, recorded over it, refused when unknown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from financebuilders import ACTOR, VALID_CODES, registry
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.audit.models import AuditRecord
from ipops.errors import ValidationError
from ipops.finance import applications, balances, enterprise_book, product_book, stats
from ipops.finance.balances import BookLoan, book_share
from ipops.finance.models import Bank, Loan, Repayment
from ipops.finance.workdays import WorkCalendar
from ipops.registry.db import session_scope

WEAK = frozenset({"credit", "ip_pledge"})


def test_book_share_by_hand() -> None:
    loans = [
        BookLoan(1_000_000_00, 200_000_00, "ip_pledge"),  # 800,000 outstanding, weak
        BookLoan(500_000_00, 0, "credit"),  # 500,000, weak
        BookLoan(2_700_000_00, 0, "mortgage"),  # 2,700,000, not weak
        BookLoan(300_000_00, 300_000_00, "ip_pledge"),  # repaid: not counted
    ]
    found = book_share(loans, WEAK, 2024)
    assert (found.weak_fen, found.programme_fen, found.loans) == (1_300_000_00, 4_000_000_00, 3)
    assert found.share == Decimal("0.325")  # 1.3m / 4m >= 20 %: the 90 % ratio


def _programme(s: Session) -> tuple[Bank, dict[str, object]]:
    """An enterprise, a bank and a product: what a loan row refers to."""
    e = enterprise_book.register_enterprise(
        db_session=s,
        actor=ACTOR,
        name="南京某科技有限公司",
        credit_code=VALID_CODES[0],
        region="320106",
        industry="制造业",
        size="small",
    )
    bank = product_book.add_bank(db_session=s, actor=ACTOR, name="南京银行", organisation_id=None)
    product = product_book.add_product(
        db_session=s,
        actor=ACTOR,
        bank=bank,
        spec=product_book.ProductInput(
            name="p",
            min_amount=Decimal("1"),
            max_amount=Decimal("9000000"),
            min_term_months=1,
            max_term_months=60,
            rate_multiple=Decimal("1.2"),
        ),
    )
    return bank, {"enterprise_id": e.id, "product_id": product.id, "bank_id": bank.id}


def _loan(s: object, **values: object) -> Loan:
    base: dict[str, object] = {
        "amount_fen": 1_000_000_00,
        "term_months": 12,
        "annual_rate": "0.04",
        "benchmark_rate": "0.0345",
        "method": "equal_instalments",
        "collateral": "ip_pledge",
        "state": "active",
        "applied_on": date(2024, 1, 5),
        "disbursed_on": date(2024, 1, 20),
    }
    base.update(values)
    return Loan(**base)


def test_the_balance_comes_from_the_loan_book_and_a_missing_one_is_refused(
    tmp_path: Path,
) -> None:
    engine = registry(f"sqlite:///{tmp_path / 'r.db'}")
    with session_scope(engine) as s:
        bank, ids = _programme(s)
        # nothing outstanding at the end of 2023 and nothing recorded: unknown, refused
        with pytest.raises(ValidationError, match="end of 2023 is unknown"):
            balances.weak_share(db_session=s, bank_id=bank.id, year=2023)
        weak = _loan(s, **ids)
        strong = _loan(s, **ids, collateral="mortgage", amount_fen=3_000_000_00)
        closed = _loan(s, **ids, closed_on=date(2024, 11, 30))
        later = _loan(s, **ids, disbursed_on=date(2025, 1, 10))
        s.add_all([weak, strong, closed, later])
        s.flush()
        s.add_all(
            Repayment(
                loan_id=weak.id,
                paid_on=day,
                amount_fen=fen + 1_000_00,
                interest_fen=1_000_00,
                principal_fen=fen,
                recorded_at=date(2025, 1, 2),
            )
            for day, fen in ((date(2024, 6, 20), 250_000_00), (date(2025, 1, 20), 250_000_00))
        )
        s.flush()
        # end of 2024: weak 1,000,000 - 250,000 = 750,000; programme 750,000 + 3,000,000
        book = balances.year_end_share(db_session=s, bank_id=bank.id, year=2024, weak_types=WEAK)
        assert (book.weak_fen, book.programme_fen, book.source) == (
            750_000_00,
            3_750_000_00,
            "loan book",
        )
        assert balances.weak_share(db_session=s, bank_id=bank.id, year=2024) == Decimal("0.2")
        # the operator's figures win, with the reason audited
        balances.set_balance(
            db_session=s,
            actor=ACTOR,
            bank=bank,
            year=2024,
            weak=Decimal("100"),
            programme=Decimal("1000"),
            reason="loans booked outside the platform",
        )
        assert balances.weak_share(db_session=s, bank_id=bank.id, year=2024) == Decimal("0.1")
        audit = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "finance.balance_set")
        ).all()
        assert "loans booked outside the platform" in str(audit[-1].after)


def test_stats_count_ip_pledge_loans_only_and_state_the_period(tmp_path: Path) -> None:
    engine = registry(f"sqlite:///{tmp_path / 'r.db'}")
    with session_scope(engine) as s:
        _bank, ids = _programme(s)
        s.add_all(
            [
                _loan(s, **ids, amount_fen=1_000_000_00),
                _loan(s, **ids, amount_fen=2_000_000_00, collateral="credit"),
                _loan(s, **ids, amount_fen=5_000_000_00, disbursed_on=date(2024, 10, 1)),
            ]
        )
        s.flush()
        report = stats.programme_stats(
            db_session=s, start=date(2024, 1, 1), end=date(2024, 9, 30), calendar=WorkCalendar()
        )
    # the credit loan and the October loan are not IP-pledge financing of Jan-Sep
    assert (report.financed, report.loans) == (Decimal("1000000.00"), 1)
    assert report.statement == (
        "2024年1月1日至2024年9月30日，知识产权质押融资额0.01亿元（1笔），约1家企业受益"
    )
    assert [(r.name, r.financed) for r in report.by_collateral] == [
        ("credit", Decimal("2000000.00")),
        ("ip_pledge", Decimal("1000000.00")),
    ]
    assert [r.financed for r in report.by_bank] == [Decimal("1000000.00")]


def test_a_loan_is_registered_with_its_eligibility_and_checked_again_at_claim() -> None:
    from ipops.finance.claims import registered_check
    from ipops.finance.compensation import CompensationCase, Status, assess
    from ipops.finance.policy import load_policy

    programme = load_policy()
    ok = applications.registration(
        programme,
        size="small",
        rate=Decimal("0.045"),
        benchmark=Decimal("0.0435"),
        collateral="ip_pledge",
    )
    assert ok["eligible"] and ok["policy"].startswith("ningchuangdai")
    # 5 % > 3.45 % x 1.3: not a policy loan when it was made
    too_dear = applications.registration(
        programme,
        size="small",
        rate=Decimal("0.05"),
        benchmark=Decimal("0.0345"),
        collateral="credit",
    )
    assert not too_dear["eligible"]
    case = CompensationCase(
        principal=Decimal("100000"),
        repaid=Decimal("0"),
        days_overdue=90,
        bank_weak_share=Decimal("0.25"),
        rate=Decimal("0.045"),
        benchmark_rate=Decimal("0.0435"),
    )
    result = assess(programme, case)
    assert result.status == Status.ELIGIBLE
    registered = Loan(registered_on=date(2024, 1, 5), registration=ok)
    assert registered_check(registered, result).amount == Decimal("90000.00")
    for loan in (Loan(registered_on=None, registration=None), Loan(registration=too_dear)):
        refused = registered_check(loan, result)
        assert refused.status == Status.NOT_ELIGIBLE and refused.amount == Decimal("0.00")
        assert refused.checks[-1].code == "registered" and not refused.checks[-1].ok
