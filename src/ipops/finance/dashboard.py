"""The finance parts of the home pages: the bank officer's desk summary and the enterprise
user's cards.

A bank officer sees the applications awaiting its bank's decision and its loans past due,
most overdue first; an enterprise user its enterprises with their latest rating and their
applications and loans. Every query is scoped by ``ipops.accounts.authz``, as the role's own
pages are. Results are frozen records with Decimal money; the pages only show them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ipops.accounts import authz
from ipops.accounts.models import User
from ipops.finance import scope
from ipops.finance.loan_records import LoanRecord
from ipops.finance.loans import LoanState
from ipops.finance.models import Bank, Enterprise, EnterprisePatent, Loan, Rating
from ipops.money import from_fen
from ipops.paging import Page
from ipops.records import Record, RecordId

SHOWN = 5  # rows of a list on the home page; the role's own page has them all


class LoanLine(Record):
    """One loan as a home page lists it."""

    id: RecordId
    enterprise_id: RecordId
    enterprise: str
    amount: Decimal
    term_months: int
    state: str
    applied_on: date
    principal_outstanding: Decimal
    days_past_due: int


class BankHome(Record):
    """What awaits a bank officer: applications to decide and loans in arrears."""

    banks: tuple[str, ...]
    waiting: tuple[LoanLine, ...]
    waiting_count: int
    overdue: tuple[LoanLine, ...]
    overdue_count: int


class RatingLine(Record):
    grade: str
    score: float
    as_of: date


class EnterpriseCard(Record):
    """One of the user's enterprises: latest rating, newest applications and loans."""

    enterprise_id: RecordId
    name: str
    rating: RatingLine | None
    loans: tuple[LoanLine, ...]
    loan_count: int
    may_apply: bool


class EnterpriseHome(Record):
    cards: tuple[EnterpriseCard, ...]
    enterprise_count: int


class PatentLink(Record):
    """A corpus patent linked to an enterprise through a harmonised party name."""

    patent_id: str
    party_name: str
    match: str
    status: str


class PatentLinks(Record):
    """One page of an enterprise's patent links, in patent-number order, and their total."""

    links: tuple[PatentLink, ...]
    total: int


def user_banks(db_session: Session, user: User) -> list[Bank]:
    """The banks whose desk the user works at (the bank officer's own)."""
    query = authz.restrict(
        select(Bank), user=user, action="finance:claims", resource_type="finance_bank", model=Bank
    )
    return list(db_session.scalars(query.order_by(Bank.id)).all())


def user_enterprises(db_session: Session, user: User) -> list[Enterprise]:
    """The enterprises whose finance pages the user may read (an enterprise user's own)."""
    query = authz.restrict(
        select(Enterprise),
        user=user,
        action="finance:read",
        resource_type="fin_enterprise",
        model=Enterprise,
    )
    return list(db_session.scalars(query.order_by(Enterprise.id)).all())


def bank_home(*, db_session: Session, user: User, shown: int = SHOWN) -> BankHome:
    """Applications awaiting the user's banks (submitted only) and their loans past due."""
    banks = user_banks(db_session, user)
    orgs = [b.organisation_id for b in banks if b.organisation_id is not None]
    mine = select(Loan).where(Loan.organisation_id.in_(orgs))
    waiting = mine.where(Loan.state == "submitted")
    overdue = mine.where(Loan.state == "active", Loan.days_past_due > 0)
    first_waiting = db_session.scalars(
        waiting.order_by(Loan.applied_on, Loan.id).limit(shown)
    ).all()
    most_overdue = db_session.scalars(
        overdue.order_by(Loan.days_past_due.desc(), Loan.id).limit(shown)
    ).all()
    names = _enterprise_names(db_session, [*first_waiting, *most_overdue])
    return BankHome(
        banks=tuple(b.name for b in banks),
        waiting=tuple(_line(x, names) for x in first_waiting),
        waiting_count=_count(db_session, waiting),
        overdue=tuple(_line(x, names) for x in most_overdue),
        overdue_count=_count(db_session, overdue),
    )


def enterprise_home(*, db_session: Session, user: User, shown: int = SHOWN) -> EnterpriseHome:
    """The user's enterprises (the first ``shown``) with rating, loans and whether it may
    apply for a loan."""
    enterprises = user_enterprises(db_session, user)
    cards = []
    for e in enterprises[:shown]:
        loans = select(Loan).where(Loan.enterprise_id == e.id)
        newest = db_session.scalars(loans.order_by(Loan.id.desc()).limit(shown)).all()
        cards.append(
            EnterpriseCard(
                enterprise_id=e.id,
                name=e.name,
                rating=_latest_rating(db_session, e.id),
                loans=tuple(_line(x, {e.id: e.name}) for x in newest),
                loan_count=_count(db_session, loans),
                may_apply=authz.can(user, "finance:apply", "fin_enterprise", e),
            )
        )
    return EnterpriseHome(cards=tuple(cards), enterprise_count=len(enterprises))


def enterprise_patent_links(*, db_session: Session, enterprise_id: int, page: Page) -> PatentLinks:
    """A page of the enterprise's patent links (the enterprise page lists them by page)."""
    query = select(EnterprisePatent).where(EnterprisePatent.enterprise_id == enterprise_id)
    found = db_session.scalars(
        query.order_by(EnterprisePatent.patent_id, EnterprisePatent.id)
        .offset(page.offset)
        .limit(page.size)
    ).all()
    return PatentLinks(
        links=tuple(PatentLink.model_validate(x) for x in found),
        total=_count(db_session, query),
    )


def _latest_rating(db_session: Session, enterprise_id: int) -> RatingLine | None:
    found = db_session.scalars(
        select(Rating).where(Rating.enterprise_id == enterprise_id).order_by(Rating.id.desc())
    ).first()
    return None if found is None else RatingLine.model_validate(found)


def _count(db_session: Session, query: Select[Any]) -> int:
    counted = select(func.count()).select_from(query.subquery())
    return int(db_session.scalar(counted) or 0)


def _enterprise_names(db_session: Session, loans: Sequence[Loan]) -> dict[int, str]:
    ids = {x.enterprise_id for x in loans}
    if not ids:
        return {}
    found = db_session.execute(
        select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(ids))
    ).all()
    return {int(i): str(n) for i, n in found}


def _line(loan: Loan, names: dict[int, str]) -> LoanLine:
    return LoanLine(
        id=loan.id,
        enterprise_id=loan.enterprise_id,
        enterprise=names.get(loan.enterprise_id, ""),
        amount=from_fen(loan.amount_fen),
        term_months=loan.term_months,
        state=loan.state,
        applied_on=loan.applied_on,
        principal_outstanding=from_fen(loan.amount_fen - loan.principal_repaid_fen),
        days_past_due=loan.days_past_due,
    )


class DeskLoan(LoanRecord):
    """A loan on the bank's desk, with the borrower's name."""

    enterprise: str


class BankDesk(Record):
    """The bank's desk: applications awaiting its decision, approved loans awaiting pledge
    registration and disbursement, active loans past due (most overdue first), every loan."""

    queue: tuple[DeskLoan, ...]
    to_disburse: tuple[DeskLoan, ...]
    arrears: tuple[DeskLoan, ...]
    loans: tuple[DeskLoan, ...]


def bank_desk(*, db_session: Session, organisation_ids: Sequence[int]) -> BankDesk:
    rows = tuple(
        DeskLoan(**LoanRecord.of(loan).model_dump(), enterprise=name)
        for loan, name in scope.loans_of_organisations(
            db_session=db_session, organisation_ids=organisation_ids
        )
    )
    return BankDesk(
        queue=tuple(r for r in rows if r.state == LoanState.SUBMITTED),
        to_disburse=tuple(r for r in rows if r.state == LoanState.APPROVED),
        arrears=tuple(
            sorted(
                (r for r in rows if r.state == LoanState.ACTIVE and r.days_past_due > 0),
                key=lambda r: -r.days_past_due,
            )
        ),
        loans=rows,
    )
