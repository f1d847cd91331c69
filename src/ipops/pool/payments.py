"""Invoices, payments, late interest and a licensee's standing.

Services only flush; the edges (CLI command, API request) own the transaction, and
every change is audited (``ipops.audit``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipops.audit.service import Actor
from ipops.errors import Conflict, NotFound, ValidationError
from ipops.pool import standing
from ipops.pool.core import audit
from ipops.pool.models import (
    Invoice,
    Licensee,
    Payment,
    Pool,
    Report,
)
from ipops.pool.money import fen_text, parse_amount, to_fen
from ipops.records import Record
from ipops.registry.concurrency import claim


def get_invoice(*, db_session: Session, pool: Pool, number: str) -> Invoice:
    invoice = db_session.scalar(
        select(Invoice).where(Invoice.pool_id == pool.id, Invoice.number == number)
    )
    if invoice is None:
        raise NotFound(f"no invoice {number} in {pool.name}", field="invoice")
    return invoice


def record_payment(
    *,
    db_session: Session,
    actor: Actor,
    invoice: Invoice,
    amount: object,
    paid_on: date,
    reference: str = "",
) -> Payment:
    """A payment against what is outstanding, judged on the invoice as committed now
    (``registry.concurrency``): a payment that no longer fits is a ``Conflict``."""
    fen = to_fen(parse_amount(amount, "amount"))
    if fen == 0:
        raise ValidationError("a payment must be positive", field="amount")
    claim(db_session, invoice)
    if invoice.waived_on is not None:
        raise Conflict(
            f"{invoice.number} was waived on {invoice.waived_on} (year-end settlement): nothing "
            "is outstanding on it; nothing was recorded",
            field="invoice",
        )
    outstanding = outstanding_fen(invoice)
    if fen > outstanding:
        raise Conflict(
            f"{fen_text(fen)} exceeds what is outstanding on {invoice.number} "
            f"({fen_text(outstanding)}); nothing was recorded",
            field="amount",
        )
    payment = Payment(invoice_id=invoice.id, paid_on=paid_on, amount_fen=fen, reference=reference)
    db_session.add(payment)
    invoice.paid_fen += fen
    db_session.flush()
    audit(
        db_session,
        actor,
        "pool.payment_recorded",
        "pool_invoice",
        invoice.id,
        after={"invoice": invoice.number, "amount": fen_text(fen)},
    )
    return payment


def late_interest(db_session: Session, pool: Pool, invoice: Invoice, on: date) -> int:
    """Late-payment interest on an invoice by ``on`` (``standing.late_interest_fen`` at the
    pool's rate): on each payment made after the due date plus the grace, and on what is
    still unpaid on ``on``."""
    rate = Decimal(pool.late_interest_rate)
    if not rate or invoice.waived_on is not None:
        return 0
    payments = db_session.scalars(select(Payment).where(Payment.invoice_id == invoice.id))
    parts = [(p.amount_fen, p.paid_on) for p in payments]
    parts.append((invoice.amount_fen - invoice.paid_fen, on))
    return sum(
        standing.late_interest_fen(
            fen, due_on=invoice.due_on, paid_on=day, rate=rate, grace_days=pool.grace_days
        )
        for fen, day in parts
        if fen > 0
    )


def invoices_of(db_session: Session, pool: Pool) -> list[tuple[Invoice, Licensee, Report]]:
    return list(
        db_session.execute(
            select(Invoice, Licensee, Report)
            .join(Licensee, Licensee.id == Invoice.licensee_id)
            .join(Report, Report.id == Invoice.report_id)
            .where(Invoice.pool_id == pool.id)
            .order_by(Invoice.number)
        ).all()
    )


def account_of(db_session: Session, licensee: Licensee) -> list[tuple[Report, Invoice]]:
    """A licensee's accepted royalty reports, each with its invoice, oldest period first."""
    return list(
        db_session.execute(
            select(Report, Invoice)
            .join(Invoice, Invoice.report_id == Report.id)
            .where(Report.licensee_id == licensee.id)
            .order_by(Report.period_start, Report.id)
        ).all()
    )


def licensee_standing(
    *,
    db_session: Session,
    pool: Pool,
    licensee: Licensee,
    on: date,
    current: standing.Event | None = None,
) -> standing.Standing:
    """The licensee's standing on ``on`` from its reports (due ``report_days`` after the
    period) and payments (due on the invoice's due date; done when paid in full), plus
    ``current`` (the report being accepted), by the pool's grace and regain rule."""
    events = [] if current is None else [current]
    for report, invoice in account_of(db_session, licensee):
        if report.kind == "royalty":  # not a year-end top-up (year_end)
            due = report.period_end + timedelta(days=pool.report_days)
            events.append(standing.Event("report", due, report.accepted_at.date()))
        if invoice.amount_fen and invoice.waived_on is None:
            paid = None
            if invoice.paid_fen >= invoice.amount_fen:
                paid = db_session.scalar(
                    select(func.max(Payment.paid_on)).where(Payment.invoice_id == invoice.id)
                )
            events.append(standing.Event("payment", invoice.due_on, paid))
    return standing.standing(
        events, on=on, grace_days=pool.grace_days, regain_after=pool.regain_after
    )


def outstanding_fen(invoice: Invoice) -> int:
    """What is still owed: nothing on an invoice waived at a year end (``year_end``)."""
    return 0 if invoice.waived_on is not None else invoice.amount_fen - invoice.paid_fen


def credit_fen(invoice: Invoice) -> int:
    """What the licensee paid on an invoice that was then waived: its credit, never lost."""
    return invoice.paid_fen if invoice.waived_on is not None else 0


def billed(db_session: Session, invoice: Invoice) -> tuple[Licensee, Report]:
    """The licensee an invoice bills and the report it invoices."""
    licensee = db_session.get(Licensee, invoice.licensee_id)
    report = db_session.get(Report, invoice.report_id)
    assert licensee is not None and report is not None
    return licensee, report


# An invoice as the API and scripts show it (money as text). No docstring: it would become
# the schema's description in the OpenAPI document.
class InvoiceOut(Record):
    number: str
    licensee: str
    period_from: date
    period_to: date
    issued_on: date
    due_on: date
    amount: str
    paid: str
    outstanding: str
    allocation: int | None
    waived_on: date | None = None
    credit: str = "0.00"


def invoice_out(invoice: Invoice, licensee_name: str, period: tuple[date, date]) -> InvoiceOut:
    return InvoiceOut(
        number=invoice.number,
        licensee=licensee_name,
        period_from=period[0],
        period_to=period[1],
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        amount=fen_text(invoice.amount_fen),
        paid=fen_text(invoice.paid_fen),
        outstanding=fen_text(outstanding_fen(invoice)),
        allocation=invoice.allocation_id,
        waived_on=invoice.waived_on,
        credit=fen_text(credit_fen(invoice)),
    )


def invoice_list(*, db_session: Session, pool: Pool) -> list[InvoiceOut]:
    """The pool's invoices by number, with what was paid and which allocation took them."""
    return [
        invoice_out(invoice, licensee.name, (report.period_start, report.period_end))
        for invoice, licensee, report in invoices_of(db_session, pool)
    ]


class InvoiceDue(InvoiceOut):
    late_interest: str  # at the pool's rate up to the day asked for (``late_interest``)


def invoices_due(*, db_session: Session, pool: Pool, on: date) -> list[InvoiceDue]:
    """The pool's invoices by number, each with its late-payment interest up to ``on``."""
    return [
        InvoiceDue(
            **invoice_out(
                invoice, licensee.name, (report.period_start, report.period_end)
            ).model_dump(),
            late_interest=fen_text(late_interest(db_session, pool, invoice, on)),
        )
        for invoice, licensee, report in invoices_of(db_session, pool)
    ]


class AccountReport(Record):
    report: int
    period_from: date
    period_to: date
    accepted_at: str
    royalty: str
    uncapped_royalty: str
    invoice: InvoiceOut
    kind: str = "royalty"  # "year_end": the top-up of a year's settlement (year_end)


# A licensee's account: its reports with their invoices, and the totals (money as text).
class AccountOut(Record):
    licensee: str
    invoiced: str
    paid: str
    outstanding: str
    reports: list[AccountReport]
    waived: str = "0.00"  # invoices waived below the annual floor (year_end)
    credit: str = "0.00"  # paid on waived invoices: the licensee's credit


def licensee_account(*, db_session: Session, licensee: Licensee) -> AccountOut:
    """A licensee's royalty reports, oldest period first, each with its invoice, and what
    was invoiced, paid and is outstanding in all; what was waived at a year end and the
    credit paid on it (``year_end``)."""
    rows = account_of(db_session, licensee)
    invoices = [invoice for _report, invoice in rows]
    return AccountOut(
        licensee=licensee.name,
        invoiced=fen_text(sum(i.amount_fen for i in invoices)),
        paid=fen_text(sum(i.paid_fen for i in invoices)),
        outstanding=fen_text(sum(outstanding_fen(i) for i in invoices)),
        waived=fen_text(sum(i.amount_fen for i in invoices if i.waived_on is not None)),
        credit=fen_text(sum(credit_fen(i) for i in invoices)),
        reports=[
            AccountReport(
                report=report.id,
                period_from=report.period_start,
                period_to=report.period_end,
                accepted_at=report.accepted_at.isoformat(),
                royalty=fen_text(report.royalty_fen),
                uncapped_royalty=fen_text(report.uncapped_fen),
                kind=report.kind,
                invoice=invoice_out(
                    invoice, licensee.name, (report.period_start, report.period_end)
                ),
            )
            for report, invoice in rows
        ],
    )
