"""Royalty reports: checked whole, priced, capped and invoiced; or rejected whole.

Services only flush; the edges (CLI command, API request) own the transaction, and
every change is audited (``ipops.audit``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor
from ipops.errors import Conflict, ValidationError
from ipops.pool import (
    allocation,
    core,
    invoicing,
    licensing,
    payments,
    royalties,
    standing,
)
from ipops.pool.allocation import Holding
from ipops.pool.core import audit, now
from ipops.pool.models import (
    Agreement,
    Invoice,
    Licensee,
    Pool,
    Report,
    ReportLine,
    YearSettlement,
)
from ipops.pool.money import fen_text
from ipops.registry.concurrency import claim


@dataclass(frozen=True)
class Accepted:
    report: Report
    invoice: Invoice
    lines: list[ReportLine]


def submit_report(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    licensee_name: str,
    period: str,
    rows: Sequence[Mapping[str, Any]],
    issued_on: date | None = None,
    found: Sequence[Holding] | None = None,
    payment_days: int | None = None,
    fx: standing.FxTable | None = None,
) -> Accepted:
    """A royalty report checked whole, priced, capped and invoiced; or rejected whole.

    ``issued_on``: the day the report is accepted (default today); the invoice is dated then,
    not before the licence's signing day, and due ``payment_days`` later (default: the
    pool's setting; ``invoicing``)."""
    claim(db_session, pool)
    licensee = licensing.get_licensee(db_session=db_session, pool=pool, name=licensee_name)
    _label, start, end = core.parse_period(period)
    _not_settled(db_session, licensee, (start, end))
    _no_overlap(db_session, licensee, (start, end))
    agreement, back = _agreement_for(db_session, licensee, (start, end))
    terms = licensing.terms_of(agreement)
    accepted_on = issued_on or date.today()
    lines = royalties.parse_report_lines(
        rows, rates=terms.rates, period=(start, end), fx=fx, on=accepted_on
    )
    _in_territory(lines, agreement)
    found = found if found is not None else core.holdings(db_session, pool)
    good = licensee.good_standing and (
        payments.licensee_standing(
            db_session=db_session,
            pool=pool,
            licensee=licensee,
            on=accepted_on,
            current=standing.Event("report", end + timedelta(days=pool.report_days), accepted_on),
        ).good
    )
    priced = _price(
        lines,
        terms,
        found,
        (start, end),
        good_standing=good,
        back=back,
        proration=allocation.Proration(pool.proration),
    )
    room = _cap_room(db_session, agreement, start)
    amounts = royalties.capped([p.royalty_fen for p in priced], room)
    report = Report(
        pool_id=pool.id,
        licensee_id=licensee.id,
        agreement_id=agreement.id,
        period_start=start,
        period_end=end,
        accepted_at=now() if issued_on is None else datetime.combine(issued_on, time(12), UTC),
        royalty_fen=sum(amounts),
        uncapped_fen=sum(p.royalty_fen for p in priced),
    )
    db_session.add(report)
    db_session.flush()
    stored = [
        ReportLine(
            report_id=report.id,
            row=p.line.row,
            category=p.line.category,
            made_in=p.line.made_in,
            sold_in=p.line.sold_in,
            sold_on=p.sold_on,
            units=p.line.units,
            net_sales_fen=p.line.net_sales_fen,
            rate_micro=p.rate_micro,
            trigger_country=p.trigger,
            dated=p.line.sold_on is not None,
            currency=p.line.currency,
            net_sales_reported=None
            if p.line.net_sales_reported is None
            else str(p.line.net_sales_reported),
            fx_rate=p.line.fx_rate,
            back_royalty=back,
            royalty_fen=amount,
        )
        for p, amount in zip(priced, amounts, strict=True)
    ]
    db_session.add_all(stored)
    dates = invoicing.invoice_dates(
        accepted_on=issued_on or report.accepted_at.date(),
        signed_on=agreement.signed_on,
        payment_days=pool.payment_days if payment_days is None else payment_days,
    )
    invoice = issue_invoice(db_session, pool, report, dates)
    audit(
        db_session,
        actor,
        "pool.report_accepted",
        "pool_report",
        report.id,
        after={
            "licensee": licensee.name,
            "period": [start, end],
            "lines": len(stored),
            "royalty": fen_text(report.royalty_fen),
            "invoice": invoice.number,
        },
    )
    return Accepted(report, invoice, stored)


@dataclass(frozen=True)
class _Priced:
    line: royalties.ReportLine
    sold_on: date
    rate_micro: int
    trigger: str | None
    royalty_fen: int


def _price(
    lines: Sequence[royalties.ReportLine],
    terms: royalties.Terms,
    found: Sequence[Holding],
    period: tuple[date, date],
    *,
    good_standing: bool,
    back: bool,
    proration: allocation.Proration = allocation.Proration.DAYS_IN_FORCE,
) -> list[_Priced]:
    """Lines priced; royalty is due where a patent is in force in the country of manufacture
    or sale on the sale date, or for an undated line (days-in-force proration) on any day of
    the period, so a patent expiring on the 15th still counts for the first half."""
    period_end = period[1]
    by_day: dict[date, set[str]] = {}
    during = {h.country for h in found if allocation.days_in_force(h, period[0], period[1]) > 0}
    priced = []
    for line in lines:
        day = line.sold_on or period_end
        if day not in by_day:
            by_day[day] = core.in_force_countries(found, day)
        undated = line.sold_on is None and proration is allocation.Proration.DAYS_IN_FORCE
        countries = during if undated else by_day[day]
        trigger = royalties.trigger_country(line.made_in, line.sold_in, countries)
        rate = royalties.effective_rate_micro(
            terms, line.category, line.sold_in, good_standing=good_standing, back_royalty=back
        )
        amount = royalties.line_royalty_fen(line.base, rate) if trigger else 0
        priced.append(_Priced(line, day, rate, trigger, amount))
    return priced


def _not_settled(db_session: Session, licensee: Licensee, period: tuple[date, date]) -> None:
    """A year settled at its end (``year_end``) takes no more reports: its royalty was
    judged against the floor and the minimum."""
    settled = db_session.scalar(
        select(YearSettlement).where(
            YearSettlement.licensee_id == licensee.id,
            YearSettlement.year.between(period[0].year, period[1].year),
        )
    )
    if settled is not None:
        raise Conflict(
            f"{settled.year} of {licensee.name}'s licence was settled on {settled.settled_on}; "
            "a report for it is refused (nothing was recorded)",
            field="period",
        )


def _no_overlap(db_session: Session, licensee: Licensee, period: tuple[date, date]) -> None:
    clash = db_session.scalar(
        select(Report).where(
            Report.licensee_id == licensee.id,
            Report.period_start <= period[1],
            Report.period_end >= period[0],
        )
    )
    if clash is not None:
        raise Conflict(
            f"{licensee.name} has an accepted report for {clash.period_start} to "
            f"{clash.period_end}, which overlaps {period[0]} to {period[1]}",
            field="period",
        )


def _agreement_for(
    db_session: Session, licensee: Licensee, period: tuple[date, date]
) -> tuple[Agreement, bool]:
    """The licence covering the period, and whether the period is back royalties."""
    for agreement in db_session.scalars(
        select(Agreement).where(Agreement.licensee_id == licensee.id).order_by(Agreement.id)
    ):
        if agreement.starts_on <= period[0] and period[1] <= agreement.ends_on:
            return agreement, False
        back_from = agreement.back_royalties_from
        if back_from is not None and back_from <= period[0] and period[1] < agreement.starts_on:
            return agreement, True
    raise ValidationError(
        f"no licence of {licensee.name} covers {period[0]} to {period[1]}", field="period"
    )


def _in_territory(lines: Sequence[royalties.ReportLine], agreement: Agreement) -> None:
    if not agreement.territory:
        return
    for line in lines:
        if line.sold_in not in agreement.territory:
            raise ValidationError(
                f"{line.sold_in} is outside the licensed territory "
                f"({', '.join(agreement.territory)})",
                field=f"row {line.row}.sold_in",
            )


def _cap_room(db_session: Session, agreement: Agreement, period_start: date) -> int | None:
    """What the annual cap still allows this calendar year: over the licence's reports, or,
    for a licensee in an enterprise group, over the reports of all its affiliates in the
    pool (one cap per group, ``standing.group_cap_room``)."""
    if agreement.annual_cap_fen is None:
        return None
    licensee = db_session.get(Licensee, agreement.licensee_id)
    group = licensee.enterprise_group if licensee is not None else None
    query = select(Report.licensee_id, func.sum(Report.royalty_fen)).where(
        Report.kind == "royalty",
        Report.period_start >= date(period_start.year, 1, 1),
        Report.period_start <= date(period_start.year, 12, 31),
    )
    if group:
        affiliates = select(Licensee.id).where(
            Licensee.pool_id == agreement.pool_id, Licensee.enterprise_group == group
        )
        query = query.where(Report.licensee_id.in_(affiliates))
    else:
        query = query.where(Report.agreement_id == agreement.id)
    used = db_session.execute(query.group_by(Report.licensee_id)).all()
    return standing.group_cap_room(
        agreement.annual_cap_fen, {str(lid): int(total or 0) for lid, total in used}
    )


def issue_invoice(
    db_session: Session, pool: Pool, report: Report, dates: invoicing.InvoiceDates
) -> Invoice:
    issued_on = dates.issued_on
    count = db_session.scalar(
        select(func.count()).select_from(Invoice).where(Invoice.pool_id == pool.id)
    )
    invoice = Invoice(
        pool_id=pool.id,
        report_id=report.id,
        licensee_id=report.licensee_id,
        number=f"P{pool.id}-{issued_on.year}-{int(count or 0) + 1:06d}",
        issued_on=issued_on,
        due_on=dates.due_on,
        amount_fen=report.royalty_fen,
        paid_fen=0,
    )
    db_session.add(invoice)
    db_session.flush()
    return invoice
