"""Invoices dated when issued: back royalties never before the licence exists."""

from __future__ import annotations

from datetime import date

import pytest

from ipops.errors import ValidationError
from ipops.pool.invoicing import invoice_dates


def test_an_invoice_is_dated_when_the_report_is_accepted() -> None:
    dates = invoice_dates(accepted_on=date(2025, 4, 10), signed_on=date(2024, 12, 1))
    assert (dates.issued_on, dates.due_on) == (date(2025, 4, 10), date(2025, 5, 10))


def test_back_royalties_are_invoiced_on_signing_and_due_days_later() -> None:
    # back royalties for 2024-Q3 reported (early) on 2024-10-15 for a licence signed on
    # 2025-01-20: issued on the signing day, due 45 days later -- never overdue before it
    dates = invoice_dates(
        accepted_on=date(2024, 10, 15), signed_on=date(2025, 1, 20), payment_days=45
    )
    assert (dates.issued_on, dates.due_on) == (date(2025, 1, 20), date(2025, 3, 6))
    with pytest.raises(ValidationError, match="between 0 and 366"):
        invoice_dates(accepted_on=date(2025, 1, 1), signed_on=date(2025, 1, 1), payment_days=-1)
