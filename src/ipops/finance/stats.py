"""Programme statistics: financing, enterprises served, compensation and subsidies paid, by
bank and district, and working days from application to disbursement on China's official
calendar (``workdays``).

A loan counts in a period when it was disbursed in it (the "actual financing amount");
compensation and subsidies count when claimed in it. Working days are d with
application < d <= disbursement.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.errors import ValidationError
from ipops.finance import money
from ipops.finance.models import Bank, Claim, Enterprise, Loan
from ipops.finance.workdays import WorkCalendar

DAY_BINS: tuple[tuple[str, int, int | None], ...] = (
    ("0-10", 0, 10),
    ("11-20", 11, 20),
    ("21-30", 21, 30),
    ("31-60", 31, 60),
    ("61+", 61, None),
)
YI = Decimal(100_000_000)  # 亿


@dataclass(frozen=True)
class ProgrammeStats:
    start: date
    end: date
    financed: Decimal
    loans: int
    enterprises: int
    compensation: Decimal
    subsidies: Decimal
    by_bank: list[dict[str, Any]]
    by_district: list[dict[str, Any]]
    workdays_mean: float | None
    workdays_median: float | None
    workdays_bins: dict[str, int]
    calendar: str

    def statement(self) -> str:
        """The seed's style: 截至 X，知识产权质押融资额 Y 亿元，约 Z 家企业受益."""
        amount = (self.financed / YI).quantize(Decimal("0.01"))
        return (
            f"截至{self.end.year}年{self.end.month}月{self.end.day}日，知识产权质押融资额"
            f"{amount}亿元，约{self.enterprises}家企业受益"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "financed": str(self.financed),
            "loans": self.loans,
            "enterprises": self.enterprises,
            "compensation": str(self.compensation),
            "subsidies": str(self.subsidies),
            "by_bank": self.by_bank,
            "by_district": self.by_district,
            "workdays": {
                "mean": self.workdays_mean,
                "median": self.workdays_median,
                "distribution": self.workdays_bins,
                "calendar": self.calendar,
                "counted": "working days d with application < d <= disbursement",
            },
            "statement": self.statement(),
        }


def _bin(days: int) -> str:
    for name, low, high in DAY_BINS:
        if days >= low and (high is None or days <= high):
            return name
    return DAY_BINS[-1][0]


def programme_stats(
    *, db_session: Session, start: date, end: date, calendar: WorkCalendar
) -> ProgrammeStats:
    if end < start:
        raise ValidationError("the period ends before it starts", field="end")
    loans = db_session.execute(
        select(Loan, Enterprise.region, Bank.name)
        .join(Enterprise, Enterprise.id == Loan.enterprise_id)
        .join(Bank, Bank.id == Loan.bank_id)
        .where(Loan.disbursed_on >= start, Loan.disbursed_on <= end)
    ).all()
    bank_rows: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "financed_fen": 0,
            "loans": 0,
            "enterprises": set(),
            "compensation_fen": 0,
            "subsidies_fen": 0,
        }
    )
    district_rows: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"financed_fen": 0, "loans": 0, "enterprises": set()}
    )
    days: list[int] = []
    for loan, region, bank in loans:
        for row in (bank_rows[bank], district_rows[region]):
            row["financed_fen"] += loan.amount_fen
            row["loans"] += 1
            row["enterprises"].add(loan.enterprise_id)
        assert loan.disbursed_on is not None
        days.append(calendar.working_days(loan.applied_on, loan.disbursed_on))
    claims = db_session.execute(
        select(Claim.kind, Claim.amount_fen, Bank.name)
        .join(Bank, Bank.id == Claim.bank_id)
        .where(Claim.claimed_on >= start, Claim.claimed_on <= end)
    ).all()
    for kind, fen, bank in claims:
        bank_rows[bank][f"{'compensation' if kind == 'compensation' else 'subsidies'}_fen"] += fen
    bins = Counter(_bin(d) for d in days)
    return ProgrammeStats(
        start=start,
        end=end,
        financed=money.from_fen(sum(loan.amount_fen for loan, _, _ in loans)),
        loans=len(loans),
        enterprises=len({loan.enterprise_id for loan, _, _ in loans}),
        compensation=money.from_fen(sum(f for k, f, _ in claims if k == "compensation")),
        subsidies=money.from_fen(sum(f for k, f, _ in claims if k == "subsidy")),
        by_bank=[_public(name, row) for name, row in sorted(bank_rows.items())],
        by_district=[_public(name, row) for name, row in sorted(district_rows.items())],
        workdays_mean=round(statistics.fmean(days), 1) if days else None,
        workdays_median=float(statistics.median(days)) if days else None,
        workdays_bins={name: bins.get(name, 0) for name, _, _ in DAY_BINS},
        calendar=calendar.origin,
    )


def _public(name: str, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "loans": row["loans"],
        "enterprises": len(row["enterprises"]),
    }
    for key, value in row.items():
        if key.endswith("_fen"):
            out[key.removesuffix("_fen")] = str(money.from_fen(value))
    return out
