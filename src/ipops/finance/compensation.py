"""Policy-fund rules (pure): eligibility, compensation of overdue weak-collateral loans, the
risk subsidy, and the split of disposal proceeds between the bank and the fund.

Compensation under 宁创贷 (defaults of ``data/policies/ningchuangdai.toml``)::

    eligible   = enterprise small or micro  and  rate <= benchmark x 1.3
                 and collateral weak (credit, IP pledge)  and  days overdue >= 60
    ratio      = 90% if the bank's weak-collateral share at the previous year end >= 20%
                 else 80%
    unrecovered principal = principal - principal repaid
    amount     = min(unrecovered x ratio, cap - already compensated to the bank this year)

rounded to the fen, half up. Every condition is reported with whether it holds. A loan with
nothing unrecovered is "nothing to compensate" (``status``), not "eligible" for 0.00.
Enterprise sizes and collateral types are names from fixed lists (``SIZES``,
``COLLATERAL_TYPES``, plus the policy's own); anything else is refused with the list, so a
typo ("smal") is an error, never a silent "not eligible".

"benchmark" is the same-term reference rate of ``ipops.finance.rates`` (PBOC benchmark
before the LPR reform, LPR after), looked up from the loan's date and term when not given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ipops.errors import ValidationError
from ipops.finance import money
from ipops.finance.policy import Policy

SIZES = ("large", "medium", "small", "micro")  # enterprises.SizeClass (工信部联企业〔2011〕300号)
# 信用, 知识产权质押, 保证, 抵押, 其他质押
COLLATERAL_TYPES = ("credit", "ip_pledge", "guarantee", "mortgage", "other_pledge")


class Status:
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NOTHING = "nothing_to_compensate"


def accepted_collateral(policy: Policy) -> tuple[str, ...]:
    return tuple(sorted(set(COLLATERAL_TYPES) | policy.weak_collateral | policy.subsidy_collateral))


def check_size(policy: Policy, size: str) -> str:
    """A known enterprise size, or ``ValidationError`` naming the accepted ones."""
    accepted = tuple(sorted(set(SIZES) | policy.enterprise_sizes))
    if size not in accepted:
        raise ValidationError(
            f"{size!r} is not an enterprise size; accepted: {', '.join(accepted)}", field="size"
        )
    return size


def check_collateral(policy: Policy, collateral: str) -> str:
    """A known collateral type, or ``ValidationError`` naming the accepted ones."""
    accepted = accepted_collateral(policy)
    if collateral not in accepted:
        raise ValidationError(
            f"{collateral!r} is not a collateral type; accepted: {', '.join(accepted)}",
            field="collateral",
        )
    return collateral


@dataclass(frozen=True)
class Check:
    code: str
    ok: bool
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "ok": self.ok, "text": self.text}


@dataclass(frozen=True)
class CompensationCase:
    principal: Decimal
    repaid: Decimal  # principal repaid so far
    days_overdue: int
    bank_weak_share: Decimal  # weak-collateral balance / 宁创贷 balance, previous year end
    rate: Decimal
    benchmark_rate: Decimal
    enterprise_size: str = "small"
    collateral: str = "ip_pledge"
    compensated_this_year: Decimal = Decimal(0)  # already paid to the bank this year
    benchmark_source: str = ""  # how the benchmark was found (rates.ReferenceRate.text)

    def check(self) -> None:
        if self.principal <= 0:
            raise ValidationError("must be more than 0", field="principal")
        if not 0 <= self.repaid <= self.principal:
            raise ValidationError(
                f"must be between 0 and the principal {self.principal}", field="repaid"
            )
        if self.days_overdue < 0:
            raise ValidationError("must not be negative", field="days_overdue")
        if self.benchmark_rate <= 0:
            raise ValidationError("must be more than 0", field="benchmark_rate")
        if self.compensated_this_year < 0:
            raise ValidationError("must not be negative", field="compensated_this_year")


@dataclass(frozen=True)
class Compensation:
    eligible: bool
    checks: tuple[Check, ...]
    ratio: Decimal
    unrecovered: Decimal
    amount: Decimal  # 0 when not eligible
    uncapped: Decimal
    cap_left: Decimal
    policy: str
    status: str = Status.ELIGIBLE

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "eligible": self.eligible,
            "reasons": [c.as_dict() for c in self.checks],
            "ratio": str(self.ratio),
            "unrecovered_principal": str(self.unrecovered),
            "amount": str(self.amount),
            "amount_before_cap": str(self.uncapped),
            "cap_left": str(self.cap_left),
            "policy": self.policy,
        }


def rate_check(policy: Policy, rate: Decimal, benchmark: Decimal, source: str = "") -> Check:
    ceiling = benchmark * policy.max_rate_multiple
    ok = rate <= ceiling
    word = "<=" if ok else ">"
    return Check(
        "rate",
        ok,
        f"rate {rate} {word} benchmark {benchmark} x {policy.max_rate_multiple} = "
        f"{ceiling.normalize():f}" + (f" ({source})" if source else ""),
    )


def size_check(policy: Policy, size: str) -> Check:
    ok = size in policy.enterprise_sizes
    allowed = " or ".join(sorted(policy.enterprise_sizes))
    return Check("size", ok, f"enterprise size {size} {'is' if ok else 'is not'} {allowed}")


def eligibility(
    policy: Policy, *, size: str, rate: Decimal, benchmark: Decimal, source: str = ""
) -> list[Check]:
    """Whether a loan is a policy loan at all (before any default)."""
    check_size(policy, size)
    return [size_check(policy, size), rate_check(policy, rate, benchmark, source)]


def compensation_ratio(policy: Policy, weak_share: Decimal) -> tuple[Decimal, Check]:
    high = weak_share >= policy.weak_share_threshold
    ratio = policy.high_ratio if high else policy.low_ratio
    word = ">=" if high else "<"
    return ratio, Check(
        "ratio",
        True,
        f"bank weak-collateral share {weak_share} {word} {policy.weak_share_threshold}: "
        f"ratio {ratio}",
    )


def assess(policy: Policy, case: CompensationCase) -> Compensation:
    case.check()
    check_collateral(policy, case.collateral)
    checks = eligibility(
        policy,
        size=case.enterprise_size,
        rate=case.rate,
        benchmark=case.benchmark_rate,
        source=case.benchmark_source,
    )
    weak = case.collateral in policy.weak_collateral
    checks.append(
        Check(
            "collateral",
            weak,
            f"collateral {case.collateral} {'is' if weak else 'is not'} weak collateral "
            f"({', '.join(sorted(policy.weak_collateral))})",
        )
    )
    overdue = case.days_overdue >= policy.days_overdue
    checks.append(
        Check(
            "overdue",
            overdue,
            f"{case.days_overdue} days overdue {'>=' if overdue else '<'} {policy.days_overdue}",
        )
    )
    ratio, ratio_check = compensation_ratio(policy, case.bank_weak_share)
    checks.append(ratio_check)
    unrecovered = case.principal - case.repaid
    uncapped = money.round_fen(unrecovered * ratio)
    cap_left = max(policy.annual_cap_per_bank - case.compensated_this_year, Decimal(0))
    eligible = all(c.ok for c in checks)
    if eligible and uncapped > cap_left:
        checks.append(
            Check(
                "cap",
                cap_left > 0,
                f"annual cap per bank {policy.annual_cap_per_bank}: {cap_left} left, "
                f"compensation limited to it",
            )
        )
        eligible = cap_left > 0
    status = Status.ELIGIBLE if eligible else Status.NOT_ELIGIBLE
    if unrecovered == 0:
        checks.append(
            Check(
                "unrecovered",
                False,
                f"principal {case.principal} repaid in full: nothing to compensate",
            )
        )
        eligible, status = False, Status.NOTHING
    amount = min(uncapped, cap_left) if eligible else Decimal("0.00")
    return Compensation(
        eligible=eligible,
        checks=tuple(checks),
        ratio=ratio,
        unrecovered=money.round_fen(unrecovered),
        amount=money.round_fen(amount),
        uncapped=uncapped,
        cap_left=money.round_fen(cap_left),
        policy=policy.label(),
        status=status,
    )


def risk_subsidy(policy: Policy, *, financed: Decimal, collateral: str) -> Decimal:
    """The subsidy for one loan's actual financing amount (0 when the collateral does not
    qualify)."""
    if collateral not in policy.subsidy_collateral:
        return Decimal("0.00")
    return money.round_fen(financed * policy.subsidy_rate)


@dataclass(frozen=True)
class ProceedsSplit:
    """Disposal proceeds: to the bank and to the fund in proportion to their losses; what
    exceeds both losses goes back to the pledgor."""

    proceeds: Decimal
    bank_loss: Decimal
    fund_loss: Decimal
    to_bank: Decimal
    to_fund: Decimal
    to_pledgor: Decimal
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, Decimal) else list(v) for k, v in self.__dict__.items()}


def split_proceeds(
    *, proceeds: Decimal, unrecovered: Decimal, compensated: Decimal
) -> ProceedsSplit:
    """Losses: the fund's is what it compensated, the bank's the rest of the unrecovered
    principal. Parts are whole fen by largest remainder and sum to the proceeds."""
    if proceeds < 0 or unrecovered < 0 or compensated < 0:
        raise ValidationError("amounts must not be negative", field="proceeds")
    if compensated > unrecovered:
        raise ValidationError("compensation exceeds the unrecovered principal", field="compensated")
    fund_loss = compensated
    bank_loss = unrecovered - compensated
    covered = min(proceeds, unrecovered)
    bank_fen, fund_fen = money.allocate(
        money.to_fen(covered), [money.to_fen(bank_loss), money.to_fen(fund_loss)]
    )
    return ProceedsSplit(
        proceeds=proceeds,
        bank_loss=bank_loss,
        fund_loss=fund_loss,
        to_bank=money.from_fen(bank_fen),
        to_fund=money.from_fen(fund_fen),
        to_pledgor=proceeds - covered,
        notes=("split in proportion to losses, largest remainder to the fen",),
    )
