"""The policy calculator (use case): what a programme compensates for an overdue loan, from
figures given as text (API body, CLI options, a script). Written once for every edge.

The benchmark is the one given, else the reference rate of the loan's date and term in the
workspace's rate table. Refusals name the input as the edge spells it (``field_names``:
``snake`` for the API, ``option`` for the CLI's ``--dashed-options``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from ipops.finance import money, policy, rates
from ipops.finance.compensation import Compensation, CompensationCase, assess


@dataclass(frozen=True)
class CaseInput:
    principal: object
    repaid: object
    days_overdue: int
    bank_weak_share: object
    rate: object
    benchmark_rate: object | None = None
    loan_date: date | None = None
    term_months: int | None = None
    size: str = "small"
    collateral: str = "ip_pledge"
    compensated_this_year: object = "0"
    policy: str = policy.DEFAULT_POLICY


@dataclass(frozen=True)
class CaseResult:
    result: Compensation
    benchmark: Decimal
    reference: rates.ReferenceRate | None

    def as_dict(self) -> dict[str, Any]:
        payload = self.result.as_dict()
        payload["benchmark"] = rates.benchmark_dict(self.benchmark, self.reference)
        return payload


def compensation_case(
    *,
    root: Path | None,
    case: CaseInput,
    field_names: Literal["snake", "option"] = "snake",
) -> CaseResult:
    def name(field: str) -> str:
        return field.replace("_", "-") if field_names == "option" else field

    chosen = policy.load_policy(case.policy, root)
    given = case.benchmark_rate
    benchmark, reference = rates.benchmark_of(
        given=None if given is None else money.rate(given, name("benchmark_rate")),
        loan_date=case.loan_date,
        term_months=case.term_months,
        table=rates.load_table(root),
        rule=chosen.reference,
        names=(
            ("--benchmark-rate", "--loan-date", "--term-months")
            if field_names == "option"
            else ("benchmark_rate", "loan_date", "term_months")
        ),
    )
    facts = CompensationCase(
        principal=money.amount(case.principal, "principal"),
        repaid=money.amount(case.repaid, "repaid", allow_zero=True),
        days_overdue=case.days_overdue,
        bank_weak_share=money.rate(case.bank_weak_share, name("bank_weak_share")),
        rate=money.rate(case.rate, "rate"),
        benchmark_rate=benchmark,
        enterprise_size=case.size,
        collateral=case.collateral,
        compensated_this_year=money.amount(
            case.compensated_this_year, name("compensated_this_year"), allow_zero=True
        ),
        benchmark_source=reference.text() if reference else "",
    )
    return CaseResult(assess(chosen, facts), benchmark, reference)
