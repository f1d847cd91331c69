"""What anybody may see of a pool (the public listing) and its statistics.

Services only flush; the edges (CLI command, API request) own the transaction, and
every change is audited (``ipops.audit``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipops.pool import (
    admission,
    allocation_runs,
    core,
    membership,
    stats,
)
from ipops.pool.models import (
    AllocationLine,
    AllocationRun,
    Member,
    Pool,
    PoolPatent,
)
from ipops.records import Record


class PoolSummary(Record):
    id: int
    name: str
    field: str
    administrator: str
    demo: bool


class PublicMember(Record):
    id: int
    name: str
    country: str
    uscc: str | None
    patents_in_force: int


class PublicPatent(Record):
    number: str
    country: str
    member: str
    title: str
    family: str | None
    ipc: str | None
    admitted_on: date | None
    expires_on: date | None
    left_on: date | None
    left_reason: str | None
    in_force: bool
    demo: bool


class PublicList(Record):
    """The open list of a pool on a day: what anybody may see without login."""

    pool: str
    field: str
    administrator: str
    as_of: date
    demo: bool
    members: list[PublicMember]
    countries: list[str]
    patents: list[PublicPatent]


class PoolStats(Record):
    """A pool's composition (by member, IPC main group, country, expiry year) and income."""

    pool: str
    as_of: date
    members: int
    composition: stats.Composition
    income: stats.Income


def pool_summaries(*, db_session: Session) -> list[PoolSummary]:
    """Every pool, by name (public)."""
    return [PoolSummary.model_validate(p) for p in membership.list_pools(db_session=db_session)]


def public_list(*, db_session: Session, pool: Pool, on: date | None = None) -> PublicList:
    """The pool's open list on ``on`` (default today): members, patents, countries, expiry."""
    day = on or date.today()
    patents = [
        PublicPatent(
            number=p.number,
            country=p.country,
            member=m.name,
            title=p.title,
            family=p.family,
            ipc=p.ipc,
            admitted_on=p.admitted_on,
            expires_on=p.expires_on,
            left_on=p.left_on,
            left_reason=p.left_reason,
            in_force=_counts_on(p, day),
            demo=p.demo,
        )
        for p, m in core.patents_of(db_session, pool)
        if p.status == admission.PatentStatus.ADMITTED
    ]
    members = [
        PublicMember(
            id=m.id,
            name=m.name,
            country=m.country,
            uscc=m.uscc,
            patents_in_force=sum(1 for p in patents if p.member == m.name and p.in_force),
        )
        for m in membership.members_of(db_session, pool)
    ]
    return PublicList(
        pool=pool.name,
        field=pool.field,
        administrator=pool.administrator,
        as_of=day,
        demo=pool.demo,
        members=members,
        countries=sorted({p.country for p in patents if p.in_force}),
        patents=patents,
    )


def _counts_on(patent: PoolPatent, day: date) -> bool:
    end = core.end_of_count(patent)
    started = patent.admitted_on is not None and patent.admitted_on <= day
    return started and (end is None or day < end)


def stats_of(*, db_session: Session, pool: Pool, on: date | None = None) -> PoolStats:
    """The pool's composition on ``on`` (default today) and its income by period and member."""
    listing = public_list(db_session=db_session, pool=pool, on=on)
    amounts = db_session.execute(
        select(AllocationRun.period, Member.name, func.sum(AllocationLine.amount_fen))
        .join(AllocationRun, AllocationRun.id == AllocationLine.allocation_id)
        .join(Member, Member.id == AllocationLine.member_id)
        .where(AllocationRun.pool_id == pool.id)
        .group_by(AllocationRun.period, Member.name)
    ).all()
    return PoolStats(
        pool=pool.name,
        as_of=listing.as_of,
        members=len(listing.members),
        composition=stats.composition(listing.patents),
        income=stats.income(
            allocation_runs.allocations_of(db_session, pool),
            [(period, name, int(total)) for period, name, total in amounts],
        ),
    )
