"""What each role finds on its home page: the work waiting for it, with links.

A bank officer sees the applications matched to its bank and the overdue loans; a pool
administrator the royalty reports due, the invoices outstanding and the reviews pending; an
enterprise user its rating and applications; a licensee a direct link to its account; an
expert the reviews assigned to it; a pool member its statement; an analyst the corpus and
the reports. Every query is scoped by ``ipops.accounts.authz`` as the role's own pages are.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipops.accounts import authz
from ipops.accounts.models import User
from ipops.finance import service as finance
from ipops.finance.models import Bank, Enterprise, Loan
from ipops.pool import service as pools
from ipops.pool.models import Assignment, Invoice, Licensee, Member, Report
from ipops.pool.money import fen_text
from ipops.web.context import WebContext

SHOWN = 5  # rows of a list on the home page; the role's page has them all


def _today() -> date:
    return date.today()


def own_banks(db_session: Session, user: User) -> list[Bank]:
    """The banks whose desk the user works at (the bank officer's own)."""
    query = authz.restrict(
        select(Bank), user=user, action="finance:claims", resource_type="finance_bank", model=Bank
    )
    return list(db_session.scalars(query).all())


def own_enterprises(db_session: Session, user: User) -> list[Enterprise]:
    """The enterprises whose finance pages the user may read (an enterprise user's own)."""
    query = authz.restrict(
        select(Enterprise),
        user=user,
        action="finance:read",
        resource_type="fin_enterprise",
        model=Enterprise,
    )
    return list(db_session.scalars(query.order_by(Enterprise.id)).all())


def bank_panel(web: WebContext, db_session: Session) -> dict[str, Any]:
    """Applications awaiting the bank's decision and its loans past due, most overdue first."""
    assert web.user is not None
    banks = own_banks(db_session, web.user)
    orgs = [b.organisation_id for b in banks if b.organisation_id is not None]
    mine = select(Loan).where(Loan.organisation_id.in_(orgs))
    waiting = db_session.scalars(
        mine.where(Loan.state == "submitted").order_by(Loan.applied_on, Loan.id)
    ).all()
    overdue = db_session.scalars(
        mine.where(Loan.state == "active", Loan.days_past_due > 0).order_by(
            Loan.days_past_due.desc(), Loan.id
        )
    ).all()
    names = _enterprise_names(db_session, {x.enterprise_id for x in [*waiting, *overdue]})
    return {
        "banks": [b.name for b in banks],
        "waiting": [_loan_row(x, names) for x in waiting[:SHOWN]],
        "waiting_count": len(waiting),
        "overdue": [_loan_row(x, names) for x in overdue[:SHOWN]],
        "overdue_count": len(overdue),
    }


def _enterprise_names(db_session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    found = db_session.execute(
        select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(ids))
    ).all()
    return {int(i): str(n) for i, n in found}


def _loan_row(loan: Loan, names: dict[int, str]) -> dict[str, Any]:
    return {**finance.loan_dict(loan), "enterprise": names.get(loan.enterprise_id, "")}


def enterprise_panel(web: WebContext, db_session: Session) -> dict[str, Any]:
    """The user's enterprises with their latest rating and their applications and loans."""
    assert web.user is not None
    enterprises = own_enterprises(db_session, web.user)
    cards = []
    for e in enterprises[:SHOWN]:
        loans = finance.list_loans(db_session=db_session, enterprise_id=e.id)
        cards.append(
            {
                "enterprise": e,
                "rating": finance.latest_rating(db_session=db_session, enterprise_id=e.id),
                "loans": [finance.loan_dict(x) for x in loans[:SHOWN]],
                "loan_count": len(loans),
                "may_apply": web.can("finance:apply", "fin_enterprise", e),
            }
        )
    return {"cards": cards}


def pool_admin_panel(web: WebContext, db_session: Session) -> dict[str, Any]:
    """Per pool: licensees whose royalty report is due, invoices outstanding, reviews pending.

    A report is due when the licensee's last accepted report ends before the last complete
    month (monthly reporting, as the pool's agreements ask).
    """
    today = _today()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    shown = []
    for pool in pools.list_pools(db_session=db_session):
        if not web.can("pool:manage", "pool", pool):
            continue
        latest = dict(
            db_session.execute(
                select(Report.licensee_id, func.max(Report.period_end))
                .where(Report.pool_id == pool.id)
                .group_by(Report.licensee_id)
            ).all()
        )
        due = [
            {"licensee": lic, "last": latest.get(lic.id)}
            for lic in pools.licensees_of(db_session, pool)
            if latest.get(lic.id) is None or latest[lic.id] < last_month_end
        ]
        open_invoices = db_session.scalars(
            select(Invoice)
            .where(Invoice.pool_id == pool.id, Invoice.amount_fen > Invoice.paid_fen)
            .order_by(Invoice.due_on)
        ).all()
        outstanding = sum(i.amount_fen - i.paid_fen for i in open_invoices)
        shown.append(
            {
                "pool": pool,
                "due": due[:SHOWN],
                "due_count": len(due),
                "invoices": [
                    {
                        "number": i.number,
                        "licensee_id": i.licensee_id,
                        "due_on": i.due_on,
                        "outstanding": fen_text(i.amount_fen - i.paid_fen),
                    }
                    for i in open_invoices[:SHOWN]
                ],
                "invoice_count": len(open_invoices),
                "overdue_count": sum(1 for i in open_invoices if i.due_on < today),
                "outstanding": fen_text(outstanding),
                "reviews": len(pools.under_review(db_session, pool)),
            }
        )
    return {"pools": shown, "last_month_end": last_month_end}


def licensee_panel(web: WebContext, db_session: Session) -> dict[str, Any]:
    """Direct links to the accounts of the user's own licensees, with what is outstanding."""
    assert web.user is not None
    if web.user.organisation_id is None:
        return {"accounts": []}
    found = db_session.scalars(
        select(Licensee).where(Licensee.organisation_id == web.user.organisation_id)
    ).all()
    accounts = []
    for lic in found:
        if not web.can("pool:invoices", "pool_licensee", lic):
            continue
        owed = db_session.scalar(
            select(func.coalesce(func.sum(Invoice.amount_fen - Invoice.paid_fen), 0)).where(
                Invoice.licensee_id == lic.id
            )
        )
        accounts.append({"licensee": lic, "outstanding": fen_text(int(owed or 0))})
    return {"accounts": accounts}


def expert_panel(web: WebContext, db_session: Session) -> dict[str, Any]:
    """The reviews assigned to the expert that still need an opinion, per pool."""
    assert web.user is not None
    query = authz.restrict(
        select(Assignment).where(Assignment.opinion.is_(None)),
        user=web.user,
        action="pool:review",
        resource_type="pool_assignment",
        model=Assignment,
    )
    open_count = len(db_session.scalars(query).all())
    return {"open": open_count, "pools": pools.list_pools(db_session=db_session)}


def member_panel(web: WebContext, db_session: Session) -> dict[str, Any]:
    """The user's member companies with links to their statement and submitted patents."""
    assert web.user is not None
    if web.user.organisation_id is None:
        return {"members": []}
    found = db_session.scalars(
        select(Member).where(Member.organisation_id == web.user.organisation_id)
    ).all()
    return {
        "members": [
            {
                "member": m,
                "statement": web.can("pool:statement", "pool_member", m),
                "patents": web.can("pool:patents", "pool_member", m),
            }
            for m in found
        ]
    }
