"""The pool parts of the home pages: what waits for a pool administrator, a licensee, an
expert and a member company.

A pool administrator sees, per pool it manages, the licensees whose royalty report is due,
the invoices outstanding and the patents awaiting the committee's decision; a licensee user
its licence accounts with what is outstanding; an expert the reviews still needing its
opinion; a member user its memberships. Every list is scoped by ``ipops.accounts.authz`` as
the role's own pages are. Results are frozen records with Decimal money.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipops.accounts import authz
from ipops.accounts.models import User
from ipops.money import from_fen
from ipops.pool.models import Assignment, Invoice, Licensee, Member, Pool, PoolPatent, Report
from ipops.records import Record, RecordId

SHOWN = 5  # rows of a list on the home page; the role's own page has them all
UNDER_REVIEW = "under_review"  # ipops.pool.admission.PatentStatus.UNDER_REVIEW


class PoolLink(Record):
    id: RecordId
    name: str


class ReportDue(Record):
    """A licensee whose latest accepted report ends before the last complete month."""

    licensee_id: RecordId
    licensee: str
    last: date | None


class OpenInvoice(Record):
    number: str
    licensee_id: RecordId
    due_on: date
    outstanding: Decimal


class PoolDesk(Record):
    """One managed pool on the administrator's home page."""

    pool: PoolLink
    due: tuple[ReportDue, ...]
    due_count: int
    invoices: tuple[OpenInvoice, ...]
    invoice_count: int
    overdue_count: int
    outstanding: Decimal
    reviews: int


class PoolAdminHome(Record):
    pools: tuple[PoolDesk, ...]
    last_month_end: date


class LicenseeAccount(Record):
    licensee_id: RecordId
    pool_id: RecordId
    name: str
    outstanding: Decimal


class ExpertHome(Record):
    open: int
    pools: tuple[PoolLink, ...]


class Membership(Record):
    member_id: RecordId
    pool_id: RecordId
    name: str
    statement: bool
    patents: bool


def last_month_end(today: date) -> date:
    """The last day of the last complete month (reports are monthly)."""
    return today.replace(day=1) - timedelta(days=1)


def pool_admin_home(
    *, db_session: Session, user: User, today: date, shown: int = SHOWN
) -> PoolAdminHome:
    """Per pool the user may manage: reports due, invoices outstanding, reviews pending.

    A report is due when the licensee's last accepted report ends before the last complete
    month (monthly reporting, as the pool's agreements ask).
    """
    month_end = last_month_end(today)
    desks = []
    for pool in db_session.scalars(select(Pool).order_by(Pool.name)).all():
        if authz.can(user, "pool:manage", "pool", pool):
            desks.append(_desk(db_session, pool, today, month_end, shown))
    return PoolAdminHome(pools=tuple(desks), last_month_end=month_end)


def _desk(db_session: Session, pool: Pool, today: date, month_end: date, shown: int) -> PoolDesk:
    latest = {
        int(licensee): last
        for licensee, last in db_session.execute(
            select(Report.licensee_id, func.max(Report.period_end))
            .where(Report.pool_id == pool.id, Report.kind == "royalty")  # not a top-up
            .group_by(Report.licensee_id)
        ).all()
    }
    licensees = db_session.scalars(
        select(Licensee).where(Licensee.pool_id == pool.id).order_by(Licensee.name)
    ).all()
    due = [
        ReportDue(licensee_id=lic.id, licensee=lic.name, last=latest.get(lic.id))
        for lic in licensees
        if latest.get(lic.id) is None or latest[lic.id] < month_end
    ]
    open_invoices = db_session.scalars(
        select(Invoice)
        .where(
            Invoice.pool_id == pool.id,
            Invoice.amount_fen > Invoice.paid_fen,
            Invoice.waived_on.is_(None),  # waived at a year end: nothing outstanding
        )
        .order_by(Invoice.due_on, Invoice.id)
    ).all()
    reviews = db_session.scalar(
        select(func.count(func.distinct(PoolPatent.id)))
        .join(Assignment, Assignment.patent_id == PoolPatent.id)
        .where(PoolPatent.pool_id == pool.id, PoolPatent.status == UNDER_REVIEW)
    )
    return PoolDesk(
        pool=PoolLink(id=pool.id, name=pool.name),
        due=tuple(due[:shown]),
        due_count=len(due),
        invoices=tuple(
            OpenInvoice(
                number=i.number,
                licensee_id=i.licensee_id,
                due_on=i.due_on,
                outstanding=from_fen(i.amount_fen - i.paid_fen),
            )
            for i in open_invoices[:shown]
        ),
        invoice_count=len(open_invoices),
        overdue_count=sum(1 for i in open_invoices if i.due_on < today),
        outstanding=from_fen(sum(i.amount_fen - i.paid_fen for i in open_invoices)),
        reviews=int(reviews or 0),
    )


def licensee_accounts(*, db_session: Session, user: User) -> list[LicenseeAccount]:
    """The licence accounts of the user's organisation that it may open, with what is
    outstanding on their invoices."""
    if user.organisation_id is None:
        return []
    found = db_session.scalars(
        select(Licensee)
        .where(Licensee.organisation_id == user.organisation_id)
        .order_by(Licensee.name, Licensee.id)
    ).all()
    accounts = []
    for lic in found:
        if not authz.can(user, "pool:invoices", "pool_licensee", lic):
            continue
        owed = db_session.scalar(
            select(func.coalesce(func.sum(Invoice.amount_fen - Invoice.paid_fen), 0)).where(
                Invoice.licensee_id == lic.id, Invoice.waived_on.is_(None)
            )
        )
        accounts.append(
            LicenseeAccount(
                licensee_id=lic.id,
                pool_id=lic.pool_id,
                name=lic.name,
                outstanding=from_fen(int(owed or 0)),
            )
        )
    return accounts


def expert_home(*, db_session: Session, user: User) -> ExpertHome:
    """How many reviews assigned to the user still need an opinion, and the pools."""
    query = authz.restrict(
        select(func.count(Assignment.id)).where(Assignment.opinion.is_(None)),
        user=user,
        action="pool:review",
        resource_type="pool_assignment",
        model=Assignment,
    )
    pools = db_session.scalars(select(Pool).order_by(Pool.name)).all()
    return ExpertHome(
        open=int(db_session.scalar(query) or 0),
        pools=tuple(PoolLink(id=p.id, name=p.name) for p in pools),
    )


def memberships(*, db_session: Session, user: User) -> list[Membership]:
    """The member companies of the user's organisation, with the pages it may open."""
    if user.organisation_id is None:
        return []
    found = db_session.scalars(
        select(Member)
        .where(Member.organisation_id == user.organisation_id)
        .order_by(Member.name, Member.id)
    ).all()
    return [
        Membership(
            member_id=m.id,
            pool_id=m.pool_id,
            name=m.name,
            statement=authz.can(user, "pool:statement", "pool_member", m),
            patents=authz.can(user, "pool:patents", "pool_member", m),
        )
        for m in found
    ]
