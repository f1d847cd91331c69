"""The daily arrears run (use case), set-wise over the active loans."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ipops.finance.loans import (
    LoanState,
    arrears_bucket,
)
from ipops.finance.models import (
    Loan,
    ScheduleLine,
)


@dataclass(frozen=True)
class ArrearsReport:
    as_of: date
    active: int
    in_arrears: int
    changed: int
    buckets: dict[str, int]
    crossed: list[int] = field(default_factory=list)  # loans that reached the policy's days

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def run_arrears(*, db_session: Session, as_of: date, threshold_days: int = 60) -> ArrearsReport:
    """The day's arrears run, set-wise: one grouped query finds every active loan's oldest
    overdue unsettled instalment; only loans whose days past due change are written."""
    overdue = db_session.execute(
        select(ScheduleLine.loan_id, func.min(ScheduleLine.due_on))
        .join(Loan, Loan.id == ScheduleLine.loan_id)
        .where(
            ScheduleLine.settled.is_(False),
            ScheduleLine.due_on < as_of,
            Loan.state == LoanState.ACTIVE.value,
        )
        .group_by(ScheduleLine.loan_id)
    ).all()
    now = {loan_id: (as_of - _as_date(due)).days for loan_id, due in overdue}
    current = db_session.execute(
        select(Loan.id, Loan.days_past_due, Loan.max_days_past_due).where(
            Loan.state == LoanState.ACTIVE.value
        )
    ).all()
    changes, crossed = [], []
    buckets = dict.fromkeys(("current", "1-30", "31-60", "61-90", "90+"), 0)
    for loan_id, before, most in current:
        days = now.get(loan_id, 0)
        buckets[arrears_bucket(days)] += 1
        if days != before:
            changes.append(
                {"id": loan_id, "days_past_due": days, "max_days_past_due": max(most, days)}
            )
            if before < threshold_days <= days:
                crossed.append(loan_id)
    if changes:
        db_session.execute(update(Loan), changes)
    return ArrearsReport(
        as_of,
        len(current),
        sum(1 for d in now.values() if d > 0),
        len(changes),
        buckets,
        sorted(crossed),
    )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
