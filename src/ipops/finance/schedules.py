"""Repayment schedules and payment allocation (pure, Decimal to the fen).

Monthly instalments; the monthly rate is the annual rate / 12. Methods:

* ``equal_instalments`` (等额本息): one payment ``P r / (1 - (1 + r)^-n)`` rounded to the
  fen; each month's interest is the outstanding principal x r rounded to the fen, the rest is
  principal; the last instalment clears what is left (so principal sums exactly to P);
* ``equal_principal`` (等额本金): principal ``P / n`` (the fen left over goes to the first
  instalments by largest remainder) plus interest on what is outstanding;
* ``interest_only`` (先息后本, balloon): interest every month, all principal with the last.

Rounding: half up (四舍五入) at each line. Due dates are the same day of each following month
(the month's last day when shorter: a loan of 31 January falls due on 28/29 February).

A payment is applied to the lines in due order, each line's interest before its principal.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, localcontext
from enum import StrEnum

from ipops.errors import ValidationError
from ipops.finance import money

ZERO = Decimal("0.00")


class Method(StrEnum):
    EQUAL_INSTALMENTS = "equal_instalments"
    EQUAL_PRINCIPAL = "equal_principal"
    INTEREST_ONLY = "interest_only"


@dataclass(frozen=True)
class Line:
    number: int
    due: date
    principal: Decimal
    interest: Decimal
    paid_principal: Decimal = ZERO
    paid_interest: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest

    @property
    def outstanding(self) -> Decimal:
        return self.principal + self.interest - self.paid_principal - self.paid_interest

    @property
    def settled(self) -> bool:
        return self.outstanding == 0


def check_method(text: str) -> Method:
    try:
        return Method(text)
    except ValueError:
        allowed = ", ".join(m.value for m in Method)
        raise ValidationError(
            f"{text!r} is not a repayment method; use {allowed}", field="method"
        ) from None


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def build(
    method: Method, principal: Decimal, annual_rate: Decimal, months: int, start: date
) -> list[Line]:
    if principal <= 0:
        raise ValidationError("must be more than 0", field="principal")
    if months < 1:
        raise ValidationError("must be 1 month or more", field="term_months")
    if annual_rate < 0:
        raise ValidationError("must not be negative", field="rate")
    with localcontext() as ctx:
        ctx.prec = 34
        monthly = annual_rate / 12
        if method is Method.EQUAL_INSTALMENTS:
            return _equal_instalments(principal, monthly, months, start)
        if method is Method.EQUAL_PRINCIPAL:
            return _equal_principal(principal, monthly, months, start)
        return _interest_only(principal, monthly, months, start)


def _equal_instalments(p: Decimal, r: Decimal, n: int, start: date) -> list[Line]:
    payment = money.round_fen(p / n if r == 0 else p * r / (1 - (1 + r) ** -n))
    lines, left = [], p
    for k in range(1, n + 1):
        interest = money.round_fen(left * r)
        principal = left if k == n else min(payment - interest, left)
        lines.append(Line(k, add_months(start, k), principal, interest))
        left -= principal
    return lines


def _equal_principal(p: Decimal, r: Decimal, n: int, start: date) -> list[Line]:
    parts = money.allocate(money.to_fen(p), [1] * n)
    lines, left = [], p
    for k, fen in enumerate(parts, start=1):
        principal = money.from_fen(fen)
        lines.append(Line(k, add_months(start, k), principal, money.round_fen(left * r)))
        left -= principal
    return lines


def _interest_only(p: Decimal, r: Decimal, n: int, start: date) -> list[Line]:
    interest = money.round_fen(p * r)
    return [Line(k, add_months(start, k), p if k == n else ZERO, interest) for k in range(1, n + 1)]


@dataclass(frozen=True)
class Allocation:
    lines: tuple[Line, ...]  # the schedule after the payment
    interest: Decimal
    principal: Decimal


def apply_payment(lines: Sequence[Line], amount: Decimal) -> Allocation:
    """Apply ``amount`` to the lines in due order, interest before principal. A payment above
    what is outstanding is refused (no overpaid loans)."""
    if amount <= 0:
        raise ValidationError("must be more than 0", field="amount")
    outstanding = sum((line.outstanding for line in lines), ZERO)
    if amount > outstanding:
        raise ValidationError(
            f"{amount} is more than the {outstanding} outstanding on the loan", field="amount"
        )
    left, interest_paid, principal_paid, result = amount, ZERO, ZERO, []
    for line in sorted(lines, key=lambda x: x.number):
        to_interest = min(left, line.interest - line.paid_interest)
        left -= to_interest
        to_principal = min(left, line.principal - line.paid_principal)
        left -= to_principal
        interest_paid += to_interest
        principal_paid += to_principal
        result.append(
            replace(
                line,
                paid_interest=line.paid_interest + to_interest,
                paid_principal=line.paid_principal + to_principal,
            )
        )
    return Allocation(tuple(result), interest_paid, principal_paid)


def first_unsettled_due(lines: Sequence[Line]) -> date | None:
    open_lines = [line.due for line in lines if not line.settled]
    return min(open_lines) if open_lines else None


def days_past_due(lines: Sequence[Line], as_of: date) -> int:
    """Days since the oldest unsettled instalment fell due (0 when none is overdue)."""
    due = first_unsettled_due(lines)
    return max((as_of - due).days, 0) if due is not None else 0
