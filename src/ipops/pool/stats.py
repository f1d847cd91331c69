"""Pool statistics: composition of the patent list and income, from plain rows (pure).

Source: the pool's public statistics of SPEC.md (pools: composition by member, IPC main
group, country and expiry year; income by period and member)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

from ipops.money import from_fen
from ipops.records import Record


class ListedPatent(Protocol):
    """What the composition reads of a listed patent (``overview.PublicPatent``)."""

    @property
    def member(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def ipc(self) -> str | None: ...
    @property
    def expires_on(self) -> date | None: ...
    @property
    def in_force(self) -> bool: ...


class RunTotals(Protocol):
    """What the income reads of an allocation run (``models.AllocationRun``)."""

    @property
    def period(self) -> str: ...
    @property
    def collected_fen(self) -> int: ...
    @property
    def fee_fen(self) -> int: ...


class KeyCount(Record):
    """Patents in force under one key (a member, an IPC main group, a country, a year)."""

    key: str
    patents: int


class Composition(Record):
    """The patent list's composition: listed, in force, and in force by each key."""

    patents_listed: int
    patents_in_force: int
    by_member: list[KeyCount]
    by_ipc_main_group: list[KeyCount]
    by_country: list[KeyCount]
    by_expiry_year: list[KeyCount]


class PeriodIncome(Record):
    """Royalties collected in a period and the administrator's fee kept of them (CNY)."""

    collected: Decimal
    fee: Decimal


class Income(Record):
    """Income by period, and what each member was allocated by period (CNY)."""

    by_period: dict[str, PeriodIncome]
    by_member: dict[str, dict[str, Decimal]]


def main_group(ipc: str | None) -> str:
    """``F24F 11/30`` -> ``F24F 11/00``; unknown stays "unknown"."""
    if not ipc or not ipc.strip():
        return "unknown"
    head, _, _rest = ipc.strip().partition("/")
    return f"{head}/00" if " " in head else head


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key reading digit runs as numbers: ``F24F 3/00`` before ``F24F 11/00``."""
    parts = re.split(r"(\d+)", text)
    return tuple((1, int(p)) if p.isdigit() else (0, p) for p in parts if p)


def _counted(values: Iterable[str]) -> list[KeyCount]:
    counts = Counter(values)
    return [KeyCount(key=k, patents=counts[k]) for k in sorted(counts, key=natural_key)]


def composition(patents: Sequence[ListedPatent]) -> Composition:
    """Patents in force by member, IPC main group, country and expiry year."""
    live = [p for p in patents if p.in_force]
    return Composition(
        patents_listed=len(patents),
        patents_in_force=len(live),
        by_member=_counted(p.member for p in live),
        by_ipc_main_group=_counted(main_group(p.ipc) for p in live),
        by_country=_counted(p.country for p in live),
        by_expiry_year=_counted(
            str(p.expires_on.year) if p.expires_on else "unknown" for p in live
        ),
    )


def income(runs: Sequence[RunTotals], member_amounts: Sequence[tuple[str, str, int]]) -> Income:
    """Income by period (collected, fee) and by member and period, in CNY.

    ``member_amounts``: (period, member, fen) rows of the allocation lines.
    """
    by_period: dict[str, list[int]] = {}
    for run in runs:
        row = by_period.setdefault(run.period, [0, 0])
        row[0] += run.collected_fen
        row[1] += run.fee_fen
    by_member: dict[str, dict[str, int]] = {}
    for period, member, fen in member_amounts:
        periods = by_member.setdefault(member, {})
        periods[period] = periods.get(period, 0) + fen
    return Income(
        by_period={
            p: PeriodIncome(collected=from_fen(c), fee=from_fen(f))
            for p, (c, f) in by_period.items()
        },
        by_member={m: {p: from_fen(fen) for p, fen in row.items()} for m, row in by_member.items()},
    )
