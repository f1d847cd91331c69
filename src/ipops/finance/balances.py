"""A bank's 宁创贷 balances at a year end, from the platform's own loan book.

宁创贷 compensates 90 % of an overdue weak-collateral loan's unrecovered principal when the
bank's weak-collateral loans were at least 20 % of its 宁创贷 balance at the previous year
end, else 80 % (``data/policies/ningchuangdai.toml``). The balances are computed here from
the loans registered on the platform:

    outstanding(loan, Dec 31) = principal - principal repaid on or before Dec 31,
        for loans disbursed on or before Dec 31 and not closed by then;
    programme balance = sum of outstanding over the bank's loans;
    weak balance      = the same over loans whose collateral is weak (the policy's list).

Every loan on the platform is registered (备案) in the programme at origination, so the
loan book is the programme's book. An operator may record other figures (``ipops finance
bank balance ... --reason``, audited with the reason): a recorded balance wins. With
neither a recorded balance nor an outstanding loan the share is unknown and the claim is
refused: never a silent 0 (which would mean the 80 % ratio).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor, record_by
from ipops.errors import ValidationError
from ipops.finance import money
from ipops.finance.models import Bank, BankBalance, Loan, Repayment
from ipops.registry import concurrency


@dataclass(frozen=True)
class BookLoan:
    """One loan as the year-end balance sees it."""

    principal_fen: int
    repaid_by_year_end_fen: int
    collateral: str


@dataclass(frozen=True)
class YearEndShare:
    year: int
    weak_fen: int
    programme_fen: int
    loans: int
    source: str  # "loan book" | "recorded"

    @property
    def share(self) -> Decimal:
        return Decimal(self.weak_fen) / Decimal(self.programme_fen)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "weak": str(money.from_fen(self.weak_fen)),
            "programme": str(money.from_fen(self.programme_fen)),
            "share": str(self.share.quantize(Decimal("0.0001"))),
            "loans": self.loans,
            "source": self.source,
        }


def book_share(loans: Iterable[BookLoan], weak_types: frozenset[str], year: int) -> YearEndShare:
    """Pure: the balances of the loans outstanding at the end of ``year``."""
    weak = programme = count = 0
    for loan in loans:
        outstanding = loan.principal_fen - loan.repaid_by_year_end_fen
        if outstanding <= 0:
            continue
        count += 1
        programme += outstanding
        if loan.collateral in weak_types:
            weak += outstanding
    return YearEndShare(year, weak, programme, count, "loan book")


def book_loans(db_session: Session, bank_id: int, year: int) -> list[BookLoan]:
    end = date(year, 12, 31)
    repaid = (
        select(Repayment.loan_id, func.sum(Repayment.principal_fen).label("fen"))
        .where(Repayment.paid_on <= end)
        .group_by(Repayment.loan_id)
        .subquery()
    )
    rows = db_session.execute(
        select(Loan.amount_fen, func.coalesce(repaid.c.fen, 0), Loan.collateral)
        .outerjoin(repaid, repaid.c.loan_id == Loan.id)
        .where(
            Loan.bank_id == bank_id,
            Loan.disbursed_on.is_not(None),
            Loan.disbursed_on <= end,
            (Loan.closed_on.is_(None)) | (Loan.closed_on > end),
        )
    ).all()
    return [BookLoan(int(a), int(r), str(c)) for a, r, c in rows]


def year_end_share(
    *, db_session: Session, bank_id: int, year: int, weak_types: frozenset[str]
) -> YearEndShare:
    """The recorded balance when the operator set one, else the loan book's; refused when
    neither says anything."""
    recorded = db_session.scalars(
        select(BankBalance).where(BankBalance.bank_id == bank_id, BankBalance.year == year)
    ).first()
    if recorded is not None and recorded.programme_fen > 0:
        return YearEndShare(
            year, recorded.weak_collateral_fen, recorded.programme_fen, 0, "recorded"
        )
    found = book_share(book_loans(db_session, bank_id, year), weak_types, year)
    if found.programme_fen == 0:
        bank = db_session.get(Bank, bank_id)
        name = bank.name if bank is not None else str(bank_id)
        raise ValidationError(
            f"the 宁创贷 balance of {name} at the end of {year} is unknown: no loan of the "
            "bank was outstanding on the platform then and none was recorded "
            "(ipops finance bank balance)",
            field="bank_weak_share",
        )
    return found


def set_balance(
    *,
    db_session: Session,
    actor: Actor,
    bank: Bank,
    year: int,
    weak: Decimal,
    programme: Decimal,
    reason: str = "",
) -> BankBalance:
    """The bank's weak-collateral and total 宁创贷 balances at the end of ``year``, recorded
    by an operator over the loan book's (``balances``); the reason is audited."""
    if weak > programme:
        raise ValidationError(
            "the weak-collateral balance exceeds the programme balance", field="weak"
        )
    concurrency.claim(db_session, bank)  # one row per bank and year, found or made
    found = db_session.scalars(
        select(BankBalance).where(BankBalance.bank_id == bank.id, BankBalance.year == year)
    ).first()
    if found is None:
        found = BankBalance(bank_id=bank.id, year=year)
        db_session.add(found)
    found.weak_collateral_fen = money.to_fen(weak)
    found.programme_fen = money.to_fen(programme)
    db_session.flush()
    record_by(
        actor,
        db_session=db_session,
        action="finance.balance_set",
        object_type="fin_bank",
        object_id=bank.id,
        after={"year": year, "weak": str(weak), "programme": str(programme), "reason": reason},
    )
    return found


def weak_share(
    *,
    db_session: Session,
    bank_id: int,
    year: int,
    weak_types: frozenset[str] = frozenset({"credit", "ip_pledge"}),
) -> Decimal:
    """The weak-collateral share of the bank's 宁创贷 balance at the end of ``year``: recorded,
    else from the loan book (``balances``); ``ValidationError`` when unknown."""
    return year_end_share(
        db_session=db_session, bank_id=bank_id, year=year, weak_types=weak_types
    ).share
