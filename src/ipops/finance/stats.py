"""Programme statistics: financing, enterprises served, compensation and subsidies paid, by
bank and district, and working days from application to disbursement on China's official
calendar (``workdays``).

A loan counts in a period when it was disbursed in it (the "actual financing amount");
compensation and subsidies count when claimed in it. Working days are d with
application < d <= disbursement.

What is counted is said: the headline "知识产权质押融资额" and its loans, enterprises, banks and
districts count **IP-pledge loans only** (collateral ``ip_pledge``); credit and other loans
are shown apart (``by_collateral``), never added into the IP-pledge figure. The period is
stated with its start and end ("2026年1月1日至2026年9月30日", like the seed's Jan–Sep
figures). Working days to a loan are over all loans disbursed in the period.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import computed_field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipops.errors import ValidationError
from ipops.finance import money
from ipops.finance.models import Bank, Claim, Enterprise, Loan
from ipops.finance.workdays import WorkCalendar
from ipops.records import Record

DAY_BINS: tuple[tuple[str, int, int | None], ...] = (
    ("0-10", 0, 10),
    ("11-20", 11, 20),
    ("21-30", 21, 30),
    ("31-60", 31, 60),
    ("61+", 61, None),
)
YI = Decimal(100_000_000)  # 亿
IP_PLEDGE = "ip_pledge"


class Figures(Record):
    """IP-pledge loans of one district (or all loans of one collateral type) in the period."""

    name: str
    loans: int
    enterprises: int
    financed: Decimal


class BankFigures(Figures):
    """One bank's IP-pledge loans, and the compensation and subsidies claimed by it."""

    compensation: Decimal
    subsidies: Decimal


class Workdays(Record):
    """Working days from application to disbursement of the loans disbursed in the period."""

    mean: float | None
    median: float | None
    distribution: dict[str, int]
    calendar: str
    counted: str = "working days d with application < d <= disbursement"


class ProgrammeStats(Record):
    """The programme's figures for a period (see the module docstring for what counts)."""

    start: date
    end: date
    counted: str = (
        "IP-pledge loans disbursed from start to end (both included); "
        "other collateral under by_collateral"
    )
    financed: Decimal
    loans: int
    enterprises: int
    compensation: Decimal
    subsidies: Decimal
    by_bank: list[BankFigures]
    by_district: list[Figures]
    by_collateral: list[Figures]
    workdays: Workdays

    @computed_field  # type: ignore[prop-decorator]
    @property
    def statement(self) -> str:
        """The seed's style with the period's both ends: X至Y，知识产权质押融资额 Z 亿元（N 笔），
        约 E 家企业受益 (IP-pledge loans only)."""
        amount = (self.financed / YI).quantize(Decimal("0.01"))
        return (
            f"{_day_zh(self.start)}至{_day_zh(self.end)}，知识产权质押融资额"
            f"{amount}亿元（{self.loans}笔），约{self.enterprises}家企业受益"
        )

    def financed_by_bank_wan(self) -> list[tuple[str, int]]:
        """Each bank's name with its financed amount in whole 万元 (for charts)."""
        return [(r.name, int(r.financed / 10_000)) for r in self.by_bank]


def _day_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


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
    collateral_rows: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"financed_fen": 0, "loans": 0, "enterprises": set()}
    )
    days: list[int] = []
    for loan, region, bank in loans:
        rows = [collateral_rows[loan.collateral]]
        if loan.collateral == IP_PLEDGE:
            rows += [bank_rows[bank], district_rows[region]]
        for row in rows:
            row["financed_fen"] += loan.amount_fen
            row["loans"] += 1
            row["enterprises"].add(loan.enterprise_id)
        assert loan.disbursed_on is not None
        days.append(calendar.working_days(loan.applied_on, loan.disbursed_on))
    pledged = [loan for loan, _r, _b in loans if loan.collateral == IP_PLEDGE]
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
        financed=money.from_fen(sum(loan.amount_fen for loan in pledged)),
        loans=len(pledged),
        enterprises=len({loan.enterprise_id for loan in pledged}),
        compensation=money.from_fen(sum(f for k, f, _ in claims if k == "compensation")),
        subsidies=money.from_fen(sum(f for k, f, _ in claims if k == "subsidy")),
        by_bank=[
            BankFigures.model_validate(_public(name, row))
            for name, row in sorted(bank_rows.items())
        ],
        by_district=[
            Figures.model_validate(_public(name, row))
            for name, row in sorted(district_rows.items())
        ],
        by_collateral=[
            Figures.model_validate(_public(name, row))
            for name, row in sorted(collateral_rows.items())
        ],
        workdays=Workdays(
            mean=round(statistics.fmean(days), 1) if days else None,
            median=float(statistics.median(days)) if days else None,
            distribution={name: bins.get(name, 0) for name, _, _ in DAY_BINS},
            calendar=calendar.origin,
        ),
    )


def _public(name: str, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "loans": row["loans"],
        "enterprises": len(row["enterprises"]),
    }
    for key, value in row.items():
        if key.endswith("_fen"):
            out[key.removesuffix("_fen")] = money.from_fen(value)
    return out
