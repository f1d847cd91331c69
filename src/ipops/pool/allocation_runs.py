"""Allocation runs: the royalties of paid invoices split among the members
(``allocation`` holds the pure rules), their summaries and members' statements.

Services only flush; the edges (CLI command, API request) own the transaction, and
every change is audited (``ipops.audit``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor
from ipops.errors import Conflict, NotFound, ValidationError
from ipops.money import fen_text, from_fen
from ipops.pool import (
    allocation,
    core,
    membership,
)
from ipops.pool.allocation import CountBasis, Holding
from ipops.pool.core import audit, now
from ipops.pool.models import (
    AllocationLine,
    AllocationRun,
    Invoice,
    Licensee,
    Member,
    Pool,
    Report,
    ReportLine,
)
from ipops.pool.money import to_ppm
from ipops.records import Record, RecordId
from ipops.registry.concurrency import claim


@dataclass(frozen=True)
class GroupKey:
    """Royalty lines that share their counted patents: one licensee's sales of one day made
    in one country and sold in another (``country``: the line's trigger, where it is shown)."""

    licensee_id: int
    country: str
    day: date
    made_in: str = ""
    sold_in: str = ""
    undated_from: date | None = None  # undated lines: the report period's first day


def allocate_period(*, db_session: Session, actor: Actor, pool: Pool, period: str) -> AllocationRun:
    """Allocate the royalties of fully paid invoices of the period not yet allocated."""
    label, start, end = core.parse_period(period)
    claim(db_session, pool)
    invoices = list(
        db_session.scalars(
            select(Invoice)
            .join(Report, Report.id == Invoice.report_id)
            .where(
                Invoice.pool_id == pool.id,
                Invoice.allocation_id.is_(None),
                Invoice.paid_fen >= Invoice.amount_fen,
                Invoice.waived_on.is_(None),  # waived at a year end (year_end)
                Report.kind == "royalty",  # a year-end top-up has no lines to split
                Report.period_start >= start,
                Report.period_end <= end,
            )
            .execution_options(populate_existing=True)
        )
    )
    if not invoices:
        _allocated_already(db_session, pool, label)
        raise ValidationError(
            f"no paid, unallocated invoice of {pool.name} for {label}", field="period"
        )
    groups = _groups(db_session, [i.report_id for i in invoices])
    fee_ppm = to_ppm(Decimal(pool.admin_fee_rate))
    basis = CountBasis(pool.count_basis)
    run = AllocationRun(
        pool_id=pool.id,
        period=label,
        period_start=start,
        period_end=end,
        created_at=now(),
        admin_fee_rate=pool.admin_fee_rate,
        count_basis=str(basis),
        collected_fen=sum(groups.values()),
        fee_fen=0,
    )
    db_session.add(run)
    db_session.flush()
    members = {m.name: m for m in membership.members_of(db_session, pool)}
    run.fee_fen, lines = _allocate_groups(
        groups, core.holdings(db_session, pool), basis, fee_ppm, start, pool.proration
    )
    db_session.add_all(
        AllocationLine(
            allocation_id=run.id,
            member_id=members[line.member].id,
            organisation_id=members[line.member].organisation_id,
            licensee_id=line.licensee_id,
            country=line.country,
            patents=sorted(line.patents),
            weight=line.weight,
            triggered_fen=line.triggered_fen,
            amount_fen=line.amount_fen,
        )
        for line in lines
    )
    for invoice in invoices:
        invoice.allocation_id = run.id
    db_session.flush()
    audit(
        db_session,
        actor,
        "pool.allocated",
        "pool_allocation",
        run.id,
        after={
            "period": label,
            "collected": fen_text(run.collected_fen),
            "fee": fen_text(run.fee_fen),
            "invoices": [i.number for i in invoices],
        },
    )
    return run


def _allocated_already(db_session: Session, pool: Pool, label: str) -> None:
    """A ``Conflict`` when the period has a run already (made first by another request)."""
    run = db_session.scalar(
        select(AllocationRun)
        .where(AllocationRun.pool_id == pool.id, AllocationRun.period == label)
        .order_by(AllocationRun.id.desc())
    )
    if run is not None:
        raise Conflict(
            f"{label} of {pool.name} was allocated already (allocation {run.id}) and no paid "
            "invoice of it is left to allocate; nothing was recorded",
            field="period",
        )


def _groups(db_session: Session, report_ids: Sequence[int]) -> dict[GroupKey, int]:
    keys = (
        Report.licensee_id,
        ReportLine.trigger_country,
        ReportLine.sold_on,
        ReportLine.made_in,
        ReportLine.sold_in,
        ReportLine.dated,
        Report.period_start,
    )
    rows = db_session.execute(
        select(*keys, func.sum(ReportLine.royalty_fen))
        .join(Report, Report.id == ReportLine.report_id)
        .where(ReportLine.report_id.in_(report_ids), ReportLine.trigger_country.is_not(None))
        .group_by(*keys)
    ).all()
    return {
        GroupKey(licensee, country, day, made_in, sold_in, None if dated else first): int(total)
        for licensee, country, day, made_in, sold_in, dated, first, total in rows
        if country is not None and total
    }


# sale country, manufacture country, day, and the first day of an undated line's period
_Place = tuple[str, str | None, date, date | None]


@dataclass
class _MemberLine:
    member: str
    licensee_id: int
    country: str
    patents: set[str]
    weight: int
    triggered_fen: int
    amount_fen: int


def _allocate_groups(
    groups: Mapping[GroupKey, int],
    found: Sequence[Holding],
    basis: CountBasis,
    fee_ppm: int,
    period_start: date,
    proration: str = allocation.Proration.DAYS_IN_FORCE,
) -> tuple[int, list[_MemberLine]]:
    """The period at once (``allocation.split_period``): patents in force in the country of
    manufacture or of sale count; undated lines pro rata to the days in force within their
    report's period (``Proration.DAYS_IN_FORCE``); the fee on the period total; each member
    rounded once. Lines are per member, licensee and trigger country."""
    prorate = allocation.Proration(proration) is allocation.Proration.DAYS_IN_FORCE
    keys = sorted(
        groups, key=lambda k: (k.country, k.day, k.made_in, k.sold_in, k.licensee_id, str(k))
    )
    names = sorted({h.member for h in found})
    column = {name: col for col, name in enumerate(names)}
    places: set[_Place] = {
        (k.sold_in or k.country, k.made_in or None, k.day, k.undated_from if prorate else None)
        for k in keys
    }
    counted: dict[_Place, dict[str, list[tuple[Holding, int]]]] = {}
    for place in places:
        sold, made, day, first = place
        if first is None:
            counted[place] = {
                member: [(h, 1) for h in found_here]
                for member, found_here in allocation.counted_patents(
                    found, sold, day, made_in=made
                ).items()
            }
        else:
            counted[place] = allocation.prorated_patents(found, sold, first, day, made_in=made)
    empty = [
        f"{sold} on {day}" + (f" (made in {made})" if made else "")
        for (sold, made, day, _first) in sorted(places, key=str)
        if not counted[(sold, made, day, _first)]
    ]
    if empty:
        raise Conflict(
            "royalty was invoiced where no admitted patent is in force any more (an event "
            f"recorded since?): {', '.join(empty[:5])}",
            field="period",
        )
    period_groups = []
    merged: dict[tuple[str, int, str], _MemberLine] = {}
    for key in keys:
        first = key.undated_from if prorate else None
        found_here = counted[(key.sold_in or key.country, key.made_in or None, key.day, first)]
        weights = [0] * len(names)
        for member, with_days in found_here.items():
            patents = [h for h, _days in with_days]
            weight = allocation.weight_of(patents, basis)
            weights[column[member]] = (
                weight
                if first is None
                else allocation.prorated_weight(with_days, basis, first, key.day)
            )
            line = merged.setdefault(
                (member, key.licensee_id, key.country),
                _MemberLine(member, key.licensee_id, key.country, set(), 0, 0, 0),
            )
            line.patents.update(h.patent for h in patents)
            line.weight = max(line.weight, weight)
            line.triggered_fen += groups[key]
        period_groups.append(
            allocation.PeriodGroup((key.licensee_id, key.country), groups[key], tuple(weights))
        )
    split = allocation.split_period(
        period_groups,
        len(names),
        fee_ppm,
        first=allocation.rotation(period_start, len(names)),
    )
    for ((licensee_id, country), col), fen in split.lines.items():
        merged[(names[col], licensee_id, country)].amount_fen = fen
    return split.fee_fen, list(merged.values())


def allocations_of(db_session: Session, pool: Pool) -> list[AllocationRun]:
    return list(
        db_session.scalars(
            select(AllocationRun)
            .where(AllocationRun.pool_id == pool.id)
            .order_by(AllocationRun.period_start, AllocationRun.id)
        )
    )


def get_allocation(*, db_session: Session, pool: Pool, allocation_id: int) -> AllocationRun:
    run = db_session.get(AllocationRun, allocation_id)
    if run is None or run.pool_id != pool.id:
        raise NotFound(f"no allocation {allocation_id} in {pool.name}", field="allocation")
    return run


class MemberAmount(Record):
    """What one member was allocated in a run (CNY)."""

    member: str
    amount: Decimal


class AllocationSummary(Record):
    """A recorded allocation run: its period, fee rate, counting basis and the money."""

    id: RecordId
    period: str
    from_: date = Field(serialization_alias="from")
    to: date
    admin_fee_rate: Decimal
    count: CountBasis
    collected: Decimal
    admin_fee: Decimal
    members: list[MemberAmount]
    members_total: Decimal


class StatementLine(Record):
    """One line of a member's ledger: a licensee's royalty in a country and the member's part."""

    period: str
    allocation: RecordId
    licensee: str
    country: str
    patents: list[str]
    weight: int
    royalty_triggered: Decimal
    amount: Decimal


class Statement(Record):
    """A member's open ledger in a pool, for a period or for all periods (``period`` None)."""

    pool: str
    member: str
    organisation_id: RecordId | None
    period: str | None
    lines: list[StatementLine]
    total: Decimal


def allocation_summary(*, db_session: Session, run: AllocationRun) -> AllocationSummary:
    """A run with each member's total, the fee and what was collected."""
    rows = db_session.execute(
        select(Member.name, func.sum(AllocationLine.amount_fen))
        .join(Member, Member.id == AllocationLine.member_id)
        .where(AllocationLine.allocation_id == run.id)
        .group_by(Member.name)
        .order_by(Member.name)
    ).all()
    return AllocationSummary(
        id=run.id,
        period=run.period,
        from_=run.period_start,
        to=run.period_end,
        admin_fee_rate=Decimal(run.admin_fee_rate),
        count=CountBasis(run.count_basis),
        collected=from_fen(run.collected_fen),
        admin_fee=from_fen(run.fee_fen),
        members=[MemberAmount(member=name, amount=from_fen(int(total))) for name, total in rows],
        members_total=from_fen(sum(int(t) for _n, t in rows)),
    )


def statement(
    *, db_session: Session, pool: Pool, member: Member, period: str | None = None
) -> Statement:
    """The open ledger of one member: per licensee and country, the patents and the money."""
    query = (
        select(AllocationLine, AllocationRun, Licensee)
        .join(AllocationRun, AllocationRun.id == AllocationLine.allocation_id)
        .join(Licensee, Licensee.id == AllocationLine.licensee_id)
        .where(AllocationLine.member_id == member.id, AllocationRun.pool_id == pool.id)
        .order_by(AllocationRun.period_start, Licensee.name, AllocationLine.country)
    )
    if period is not None:
        _label, start, end = core.parse_period(period)
        query = query.where(AllocationRun.period_start <= end, AllocationRun.period_end >= start)
    rows = db_session.execute(query).all()
    lines = [
        StatementLine(
            period=run.period,
            allocation=run.id,
            licensee=licensee.name,
            country=line.country,
            patents=line.patents,
            weight=line.weight,
            royalty_triggered=from_fen(line.triggered_fen),
            amount=from_fen(line.amount_fen),
        )
        for line, run, licensee in rows
    ]
    return Statement(
        pool=pool.name,
        member=member.name,
        organisation_id=member.organisation_id,
        period=period,
        lines=lines,
        total=from_fen(sum(line.amount_fen for line, _r, _l in rows)),
    )
