"""Year-end settlement of a licence: the annual royalty-free floor and the minimum annual
royalty turned into invoices.

Anchors (``shared/REFERENCES.md``, "Patent pools"; issue 15): "an annual royalty-free floor,
a minimum annual royalty" — the pure rules are ``standing.after_floor`` and
``standing.minimum_top_up``; the figures are the licence's (``Agreement.annual_floor_fen``,
``annual_minimum_fen``, set when it is signed).

* **The year's royalty**: the royalty of the licence's accepted royalty reports whose period
  starts in the calendar year, as invoiced (after the annual cap), paid or not.
* **Below the floor** (``after_floor`` gives 0): every invoice of those reports is waived —
  ``waived_on`` is the settlement day, nothing is outstanding on it, it is never allocated
  and it is no longer a payment the licensee can be late with. What was paid on it stays
  recorded and is shown as the licensee's **credit** (account, invoice list): the
  administrator refunds it or sets it off; it is never lost. A waived year owes nothing, so
  the minimum does not apply to it.
* **Below the minimum** (``minimum_top_up`` > 0): one top-up invoice of the difference,
  dated the settlement day and due the pool's payment days later (``invoicing``). It is
  carried by a ``year_end`` report (the calendar year as period, no lines), so the ledger,
  the invoice list and the account show it like any invoice.
* **Once**: a year is settled only after it ended, once per licence (the pool, then the
  licence rows are claimed first, ``registry.concurrency``): a second settlement is a
  ``Conflict`` (409) and writes nothing; a report for a settled year is refused too.

Services only flush; the edges (CLI command, API request) own the transaction, and every
change is audited (``ipops.audit``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor
from ipops.errors import Conflict, ValidationError
from ipops.pool import invoicing, licensing, royalty_reports, standing
from ipops.pool.core import audit, now
from ipops.pool.models import Agreement, Invoice, Licensee, Pool, Report, YearSettlement
from ipops.pool.money import fen_decimal, fen_text
from ipops.pool.payments import InvoiceOut, invoice_out
from ipops.records import Record
from ipops.registry.concurrency import claim

LAST_DAY = date.max - timedelta(days=400)


class LicenceYear(Record):
    """One licence's year as settled: the year's royalty, what was waived (and the credit
    paid on it) or the top-up invoice, and why."""

    licensee: str
    agreement: int
    year: int
    settled_on: date
    royalty: Decimal
    floor: Decimal | None
    minimum: Decimal | None
    outcome: str  # waived | topped_up | due
    waived: Decimal
    credit: Decimal
    top_up: Decimal
    waived_invoices: list[str]
    invoice: InvoiceOut | None  # the top-up
    reason: str


class YearEnd(Record):
    """A settlement run: the licences settled now, and those settled before (pool-wide)."""

    pool: str
    year: int
    settled_on: date
    licences: list[LicenceYear]
    settled_before: list[str]


def settle_year(
    *,
    db_session: Session,
    actor: Actor,
    pool: Pool,
    year: int,
    licensee_name: str | None = None,
    settled_on: date | None = None,
    payment_days: int | None = None,
) -> YearEnd:
    """Settle ``year`` for one licensee's licences, or for every licence of the pool.

    The licences settled before are listed and left alone; ``Conflict`` when none is left
    (settling a licensee's or the pool's year a second time)."""
    day = settled_on or date.today()
    if not 1900 <= year <= 9999:
        raise ValidationError(f"not a year: {year}", field="year")
    if day <= date(year, 12, 31):
        raise ValidationError(
            f"{year} can be settled only after it ended (settlement day {day})", field="year"
        )
    if day > LAST_DAY:  # its top-up would fall due after the calendar ends
        raise ValidationError(f"not a settlement day: {day}", field="settled_on")
    days = pool.payment_days if payment_days is None else payment_days
    invoicing.invoice_dates(accepted_on=day, signed_on=day, payment_days=days)  # checked now
    claim(db_session, pool)
    licensee = (
        None
        if licensee_name is None
        else licensing.get_licensee(db_session=db_session, pool=pool, name=licensee_name)
    )
    agreements = _licences(db_session, pool, year, licensee)
    if not agreements:
        who = pool.name if licensee is None else licensee.name
        raise ValidationError(f"no licence of {who} covers {year}", field="year")
    claim(db_session, *agreements)
    names = {lic.id: lic.name for lic in licensing.licensees_of(db_session, pool)}
    done = set(
        db_session.scalars(
            select(YearSettlement.agreement_id).where(
                YearSettlement.agreement_id.in_([a.id for a in agreements]),
                YearSettlement.year == year,
            )
        )
    )
    before = [f"{names[a.licensee_id]} (licence {a.id})" for a in agreements if a.id in done]
    if len(done) == len(agreements):
        raise Conflict(
            f"{year} was settled already for {', '.join(before)}; nothing was recorded",
            field="year",
        )
    settled = [
        _settle(db_session, actor, pool, agreement, names[agreement.licensee_id], year, day, days)
        for agreement in agreements
        if agreement.id not in done
    ]
    return YearEnd(
        pool=pool.name, year=year, settled_on=day, licences=settled, settled_before=before
    )


def _licences(
    db_session: Session, pool: Pool, year: int, licensee: Licensee | None
) -> list[Agreement]:
    """The licences whose term overlaps the year or that have reports in it (back
    royalties), by id."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    reported = select(Report.agreement_id).where(
        Report.pool_id == pool.id, Report.period_start.between(first, last)
    )
    query = select(Agreement).where(
        Agreement.pool_id == pool.id,
        or_(
            (Agreement.starts_on <= last) & (Agreement.ends_on >= first),
            Agreement.id.in_(reported),
        ),
    )
    if licensee is not None:
        query = query.where(Agreement.licensee_id == licensee.id)
    return list(db_session.scalars(query.order_by(Agreement.id)))


def _settle(
    db_session: Session,
    actor: Actor,
    pool: Pool,
    agreement: Agreement,
    licensee: str,
    year: int,
    day: date,
    payment_days: int,
) -> LicenceYear:
    invoices = _year_invoices(db_session, agreement, year)
    total = sum(invoice.amount_fen for invoice in invoices)
    floor, minimum = agreement.annual_floor_fen, agreement.annual_minimum_fen
    waive = floor is not None and total > 0 and standing.after_floor(total, floor) == 0
    top_up = 0 if waive or minimum is None else standing.minimum_top_up(total, minimum)
    outcome, reason = _outcome(total, floor, minimum, waive, top_up)
    settlement = YearSettlement(
        pool_id=pool.id,
        licensee_id=agreement.licensee_id,
        agreement_id=agreement.id,
        year=year,
        settled_on=day,
        created_at=now(),
        royalty_fen=total,
        floor_fen=floor,
        minimum_fen=minimum,
        outcome=outcome,
        waived_fen=total if waive else 0,
        credit_fen=sum(i.paid_fen for i in invoices) if waive else 0,
        top_up_fen=top_up,
        reason=reason,
    )
    db_session.add(settlement)
    db_session.flush()
    waived = invoices if waive else []
    for invoice in waived:
        invoice.waived_on = day
        invoice.settlement_id = settlement.id
    top_up_invoice = (
        _top_up_invoice(db_session, pool, agreement, settlement, payment_days) if top_up else None
    )
    db_session.flush()
    audit(
        db_session,
        actor,
        "pool.year_settled",
        "pool_agreement",
        agreement.id,
        after={
            "licensee": licensee,
            "year": year,
            "royalty": fen_text(total),
            "outcome": outcome,
            "waived": [i.number for i in waived],
            "credit": fen_text(settlement.credit_fen),
            "top_up": None if top_up_invoice is None else top_up_invoice.number,
            "reason": reason,
        },
    )
    return LicenceYear(
        licensee=licensee,
        agreement=agreement.id,
        year=year,
        settled_on=day,
        royalty=fen_decimal(total),
        floor=None if floor is None else fen_decimal(floor),
        minimum=None if minimum is None else fen_decimal(minimum),
        outcome=outcome,
        waived=fen_decimal(settlement.waived_fen),
        credit=fen_decimal(settlement.credit_fen),
        top_up=fen_decimal(top_up),
        waived_invoices=[i.number for i in waived],
        invoice=None
        if top_up_invoice is None
        else invoice_out(top_up_invoice, licensee, (date(year, 1, 1), date(year, 12, 31))),
        reason=reason,
    )


def _year_invoices(db_session: Session, agreement: Agreement, year: int) -> list[Invoice]:
    """The invoices of the licence's royalty reports whose period starts in the year."""
    return list(
        db_session.scalars(
            select(Invoice)
            .join(Report, Report.id == Invoice.report_id)
            .where(
                Report.agreement_id == agreement.id,
                Report.kind == "royalty",
                Report.period_start.between(date(year, 1, 1), date(year, 12, 31)),
                Invoice.waived_on.is_(None),
            )
            .order_by(Invoice.number)
            .execution_options(populate_existing=True)
        )
    )


def _outcome(
    total: int, floor: int | None, minimum: int | None, waive: bool, top_up: int
) -> tuple[str, str]:
    """The outcome and its reason, in words."""
    if waive:
        assert floor is not None
        return "waived", (
            f"royalty {fen_text(total)} below the annual floor {fen_text(floor)}: "
            "the year's invoices are waived; what was paid on them is a credit"
        )
    if top_up:
        assert minimum is not None
        return "topped_up", (
            f"royalty {fen_text(total)} below the minimum annual royalty {fen_text(minimum)}: "
            f"top-up of {fen_text(top_up)} invoiced"
        )
    terms = [
        f"{name} {fen_text(fen)}"
        for name, fen in (("annual floor", floor), ("minimum", minimum))
        if fen is not None
    ]
    if total == 0 and floor is not None and minimum is None:
        return "due", "no royalty this year: nothing to waive"
    return "due", (
        f"royalty {fen_text(total)} stands"
        + (f" ({', '.join(terms)} met)" if terms else " (no annual floor or minimum)")
    )


def _top_up_invoice(
    db_session: Session,
    pool: Pool,
    agreement: Agreement,
    settlement: YearSettlement,
    payment_days: int,
) -> Invoice:
    """The top-up, invoiced on the settlement day through a ``year_end`` report of the
    calendar year (no lines), due ``payment_days`` later."""
    report = Report(
        pool_id=pool.id,
        licensee_id=agreement.licensee_id,
        agreement_id=agreement.id,
        period_start=date(settlement.year, 1, 1),
        period_end=date(settlement.year, 12, 31),
        accepted_at=datetime.combine(settlement.settled_on, time(12), UTC),
        royalty_fen=settlement.top_up_fen,
        uncapped_fen=settlement.top_up_fen,
        kind="year_end",
    )
    db_session.add(report)
    db_session.flush()
    dates = invoicing.invoice_dates(
        accepted_on=settlement.settled_on,
        signed_on=settlement.settled_on,
        payment_days=payment_days,
    )
    invoice = royalty_reports.issue_invoice(db_session, pool, report, dates)
    invoice.settlement_id = settlement.id
    return invoice
