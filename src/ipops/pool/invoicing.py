"""When an invoice is dated and due (pure).

An invoice is dated the day it is issued: the day its royalty report is accepted. Back
royalties (sales before the licence's term, ``shared/REFERENCES.md``: "back royalties on
past sales at signing") are invoiced on or after the licence's signing date — a licensee
cannot owe, let alone be late with, money under a licence that does not exist yet. The
invoice is due a configurable number of days after its date (``PAYMENT_DAYS`` by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ipops.errors import ValidationError

PAYMENT_DAYS = 30


@dataclass(frozen=True)
class InvoiceDates:
    issued_on: date
    due_on: date


def invoice_dates(
    *, accepted_on: date, signed_on: date, payment_days: int = PAYMENT_DAYS
) -> InvoiceDates:
    """Issued on the acceptance day, never before the licence was signed; due
    ``payment_days`` later."""
    if not 0 <= payment_days <= 366:
        raise ValidationError("must be between 0 and 366 days", field="payment_days")
    issued = max(accepted_on, signed_on)
    return InvoiceDates(issued, issued + timedelta(days=payment_days))
