"""Policy-fund rules as versioned TOML files (宁创贷 ships as the default, ``ningchuangdai``).

A policy file has four tables: ``[policy]`` (name, title, version, valid_from),
``[eligibility]`` (enterprise sizes, maximum rate as a multiple of the benchmark),
``[compensation]`` (weak-collateral types, days overdue, the two ratios and the weak-share
threshold, the annual cap per bank), ``[subsidy]`` (collateral types and rate) and, optional,
``[reference_rate]`` (which published rate is "the benchmark for the same term":
``lpr_from``, the date from which the LPR replaces the PBOC benchmark, default 2019-08-20;
``one_year_lpr_up_to_months``, default 60; ``beyond_checked``, ``warn`` or ``refuse`` a loan
dated after the rate table's checked-through day, default ``warn``; see
``ipops.finance.rates``). Built-in
files are under ``ipops/finance/data/policies``; a workspace adds or overrides them under
``<workspace>/finance/policies/<name>.toml``. The digest (SHA-256 of the file's text) is kept
with every result that used the policy, so a claim can be traced to the exact rules.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from ipops.errors import NotFound, ValidationError
from ipops.finance import money
from ipops.finance.rates import LPR_REFORM, ReferenceRule, check_beyond
from ipops.records import Record

DEFAULT_POLICY = "ningchuangdai"


@dataclass(frozen=True)
class Policy:
    name: str
    title: str
    version: str
    valid_from: date
    enterprise_sizes: frozenset[str]
    max_rate_multiple: Decimal
    weak_collateral: frozenset[str]
    days_overdue: int
    weak_share_threshold: Decimal
    high_ratio: Decimal
    low_ratio: Decimal
    annual_cap_per_bank: Decimal
    subsidy_collateral: frozenset[str]
    subsidy_rate: Decimal
    digest: str
    origin: str
    text: str
    reference: ReferenceRule = field(default_factory=ReferenceRule)

    def label(self) -> str:
        return f"{self.name} {self.version} ({self.digest[:12]})"

    def record(self) -> PolicyRecord:
        """The policy as the record the API and the CLI show (its four tables)."""
        return PolicyRecord(
            name=self.name,
            title=self.title,
            version=self.version,
            valid_from=self.valid_from,
            digest=self.digest,
            origin=self.origin,
            eligibility=Eligibility(
                enterprise_sizes=sorted(self.enterprise_sizes),
                max_rate_multiple=self.max_rate_multiple,
            ),
            compensation=CompensationTerms(
                collateral_types=sorted(self.weak_collateral),
                days_overdue=self.days_overdue,
                weak_share_threshold=self.weak_share_threshold,
                high_ratio=self.high_ratio,
                low_ratio=self.low_ratio,
                annual_cap_per_bank=self.annual_cap_per_bank,
            ),
            subsidy=SubsidyTerms(
                collateral_types=sorted(self.subsidy_collateral), rate=self.subsidy_rate
            ),
            reference_rate=ReferenceRateTerms.model_validate(self.reference),
        )


class Eligibility(Record):
    """``[eligibility]``: enterprise sizes, and the maximum rate as a benchmark multiple."""

    enterprise_sizes: list[str]
    max_rate_multiple: Decimal


class CompensationTerms(Record):
    """``[compensation]``: weak collateral, days overdue, the two ratios, the annual cap."""

    collateral_types: list[str]
    days_overdue: int
    weak_share_threshold: Decimal
    high_ratio: Decimal
    low_ratio: Decimal
    annual_cap_per_bank: Decimal


class SubsidyTerms(Record):
    """``[subsidy]``: the collateral types subsidised and the rate."""

    collateral_types: list[str]
    rate: Decimal


class ReferenceRateTerms(Record):
    """``[reference_rate]``: from when the LPR is the benchmark, and up to which term the
    one-year LPR applies (``ipops.finance.rates.ReferenceRule``)."""

    lpr_from: date
    one_year_lpr_up_to_months: int
    beyond_checked: str  # "warn" or "refuse" past the rate table's checked-through day


class PolicyRecord(Record):
    """A policy file as shown: its identity (name, version, digest, origin) and its tables."""

    name: str
    title: str
    version: str
    valid_from: date
    digest: str
    origin: str
    eligibility: Eligibility
    compensation: CompensationTerms
    subsidy: SubsidyTerms
    reference_rate: ReferenceRateTerms


def policies(*, workspace_root: Path | None) -> list[PolicyRecord]:
    """Every policy (built-in and the workspace's), as records."""
    return [load_policy(n, workspace_root).record() for n in policy_names(workspace_root)]


def parse_policy(text: str, *, origin: str) -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{origin}: {exc}", field="policy") from None
    get = _Reader(data, origin)
    return Policy(
        name=get.text("policy", "name"),
        title=get.text("policy", "title"),
        version=get.text("policy", "version"),
        valid_from=get.day("policy", "valid_from"),
        enterprise_sizes=get.names("eligibility", "enterprise_sizes"),
        max_rate_multiple=get.number("eligibility", "max_rate_multiple", low=Decimal(1)),
        weak_collateral=get.names("compensation", "collateral_types"),
        days_overdue=int(get.number("compensation", "days_overdue", low=Decimal(1))),
        weak_share_threshold=get.share("compensation", "weak_share_threshold"),
        high_ratio=get.share("compensation", "high_ratio"),
        low_ratio=get.share("compensation", "low_ratio"),
        annual_cap_per_bank=money.amount(
            get.raw("compensation", "annual_cap_per_bank"), f"{origin}: annual_cap_per_bank"
        ),
        subsidy_collateral=get.names("subsidy", "collateral_types"),
        subsidy_rate=get.share("subsidy", "rate"),
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        origin=origin,
        text=text,
        reference=_reference(get),
    )


def _reference(get: _Reader) -> ReferenceRule:
    section = get.data.get("reference_rate")
    if section is None:
        return ReferenceRule()
    if not isinstance(section, dict):
        raise ValidationError(f"{get.origin}: [reference_rate] must be a table", field="policy")
    lpr_from = get.day("reference_rate", "lpr_from") if "lpr_from" in section else LPR_REFORM
    months = ReferenceRule().one_year_lpr_up_to_months
    if "one_year_lpr_up_to_months" in section:
        months = int(get.number("reference_rate", "one_year_lpr_up_to_months", low=Decimal(1)))
    beyond = check_beyond(section.get("beyond_checked", "warn"), get.origin)
    return ReferenceRule(lpr_from=lpr_from, one_year_lpr_up_to_months=months, beyond_checked=beyond)


class _Reader:
    def __init__(self, data: dict[str, Any], origin: str) -> None:
        self.data = data
        self.origin = origin

    def raw(self, table: str, key: str) -> Any:
        section = self.data.get(table)
        if not isinstance(section, dict) or key not in section:
            raise ValidationError(f"{self.origin}: [{table}] needs {key}", field="policy")
        return section[key]

    def text(self, table: str, key: str) -> str:
        value = self.raw(table, key)
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"{self.origin}: [{table}] {key} must be text", field="policy")
        return value.strip()

    def day(self, table: str, key: str) -> date:
        value = self.raw(table, key)
        try:
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(
                f"{self.origin}: [{table}] {key} is not a date", field="policy"
            ) from None

    def names(self, table: str, key: str) -> frozenset[str]:
        value = self.raw(table, key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(
                f"{self.origin}: [{table}] {key} must be a list of names", field="policy"
            )
        return frozenset(value)

    def number(self, table: str, key: str, *, low: Decimal) -> Decimal:
        result = money.to_decimal(self._no_float(table, key), f"{self.origin}: {key}")
        if result < low:
            raise ValidationError(
                f"{self.origin}: [{table}] {key} must be >= {low}", field="policy"
            )
        return result

    def share(self, table: str, key: str) -> Decimal:
        return money.rate(self._no_float(table, key), f"{self.origin}: [{table}] {key}")

    def _no_float(self, table: str, key: str) -> Any:
        value = self.raw(table, key)
        if isinstance(value, float):
            raise ValidationError(
                f"{self.origin}: [{table}] {key} = {value} is a float; write it as text, "
                f'e.g. {key} = "{value}"',
                field="policy",
            )
        return value


def builtin_names() -> tuple[str, ...]:
    folder = resources.files("ipops.finance") / "data" / "policies"
    return tuple(
        sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))
    )


def policy_names(workspace_root: Path | None = None) -> tuple[str, ...]:
    names = set(builtin_names())
    if workspace_root is not None:
        folder = workspace_root / "finance" / "policies"
        if folder.is_dir():
            names.update(p.stem for p in folder.glob("*.toml"))
    return tuple(sorted(names))


def load_policy(name: str = DEFAULT_POLICY, workspace_root: Path | None = None) -> Policy:
    """A policy by name: the workspace's file first, then the built-in one."""
    if not name.replace("_", "").replace("-", "").isalnum():
        raise ValidationError(f"{name!r} is not a policy name", field="policy")
    if workspace_root is not None:
        path = workspace_root / "finance" / "policies" / f"{name}.toml"
        if path.exists():
            return parse_policy(path.read_text("utf-8"), origin=str(path))
    builtin = resources.files("ipops.finance") / "data" / "policies" / f"{name}.toml"
    if not builtin.is_file():
        known = ", ".join(policy_names(workspace_root))
        raise NotFound(f"no policy {name!r}; known: {known}", field="policy")
    return parse_policy(builtin.read_text("utf-8"), origin=f"builtin:{name}")
