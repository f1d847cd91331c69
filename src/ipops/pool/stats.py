"""Pool statistics: composition of the patent list and income, from plain rows."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


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


def _counted(values: Iterable[str]) -> list[dict[str, Any]]:
    counts = Counter(values)
    return [{"key": k, "patents": counts[k]} for k in sorted(counts, key=natural_key)]


def composition(patents: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Patents in force by member, IPC main group, country and expiry year."""
    live = [p for p in patents if p["in_force"]]
    return {
        "patents_listed": len(patents),
        "patents_in_force": len(live),
        "by_member": _counted(str(p["member"]) for p in live),
        "by_ipc_main_group": _counted(main_group(p.get("ipc")) for p in live),
        "by_country": _counted(str(p["country"]) for p in live),
        "by_expiry_year": _counted(
            str(p["expires_on"].year) if p.get("expires_on") else "unknown" for p in live
        ),
    }


def income(
    runs: Sequence[Mapping[str, Any]], member_amounts: Sequence[tuple[str, str, int]]
) -> dict[str, Any]:
    """Income by period (collected, fee, to members) and by member and period.

    ``runs``: period, collected_fen, fee_fen; ``member_amounts``: (period, member, fen).
    """
    by_period: dict[str, dict[str, int]] = {}
    for run in runs:
        row = by_period.setdefault(str(run["period"]), {"collected": 0, "fee": 0})
        row["collected"] += int(run["collected_fen"])
        row["fee"] += int(run["fee_fen"])
    by_member: dict[str, dict[str, int]] = {}
    for period, member, fen in member_amounts:
        periods = by_member.setdefault(member, {})
        periods[period] = periods.get(period, 0) + fen
    return {"by_period": by_period, "by_member": by_member}
