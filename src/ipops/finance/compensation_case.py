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
from typing import Literal

from ipops.finance import money, policy, rates
from ipops.finance.compensation import Compensation, CompensationCase, assess
from ipops.records import Record


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


class CheckRecord(Record):
    """One eligibility check: its code, whether it passed, and why in words."""

    code: str
    ok: bool
    text: str


class ReferenceBenchmark(Record):
    """The benchmark looked up in the workspace's reference-rate table."""

    rate: Decimal
    series: str
    band: str
    effective_from: date
    loan_date: date
    term_months: int
    source: str
    checked_through: date | None
    warning: str | None
    text: str

    @classmethod
    def of(cls, found: rates.ReferenceRate) -> ReferenceBenchmark:
        return cls(
            rate=found.rate,
            series=str(found.series),
            band=str(found.band),
            effective_from=found.effective_from,
            loan_date=found.loan_date,
            term_months=found.term_months,
            source=found.source,
            checked_through=found.checked_through,
            warning=found.warning,
            text=found.text(),
        )


class GivenBenchmark(Record):
    """The benchmark given with the case."""

    rate: Decimal
    source: Literal["given"] = "given"


class CompensationRecord(Record):
    """What the programme compensates: eligibility with reasons, the ratio, the amounts
    (Decimal yuan) and the benchmark the rate was checked against."""

    status: str
    eligible: bool
    reasons: list[CheckRecord]
    ratio: Decimal
    unrecovered_principal: Decimal
    amount: Decimal
    amount_before_cap: Decimal
    cap_left: Decimal
    policy: str
    benchmark: ReferenceBenchmark | GivenBenchmark


@dataclass(frozen=True)
class CaseResult:
    result: Compensation
    benchmark: Decimal
    reference: rates.ReferenceRate | None

    def record(self) -> CompensationRecord:
        """The result as a record (API body, CLI ``--json``)."""
        r = self.result
        return CompensationRecord(
            status=str(r.status),
            eligible=r.eligible,
            reasons=[CheckRecord(code=c.code, ok=c.ok, text=c.text) for c in r.checks],
            ratio=r.ratio,
            unrecovered_principal=r.unrecovered,
            amount=r.amount,
            amount_before_cap=r.uncapped,
            cap_left=r.cap_left,
            policy=r.policy,
            benchmark=GivenBenchmark(rate=self.benchmark)
            if self.reference is None
            else ReferenceBenchmark.of(self.reference),
        )


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
