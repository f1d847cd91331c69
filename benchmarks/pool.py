"""Benchmark: a pool's year of invoicing and allocation, vectorised, against a per-row loop.

The data (numpy, seeded): a pool of 10,000 patents in force across 50 countries held by 50
members (some expiring during the year, so the counts change month by month); 1,000
licensees at the pool's standard rates over 20 product categories (17 per unit, 3 as a
percentage of net sales), with regional rates in 30 of 100 countries, a compliant-rate
discount for licensees in good standing, an early-signing discount and annual caps for some;
each licensee reports monthly for a year, ``--lines`` lines a month (category, country of
manufacture among 15, country of sale among 100, units or net sales).

Both contenders do the same work with the pool's rules (``ipops.pool.royalties`` and
``ipops.pool.allocation``): which country triggers each line (sale, else manufacture,
where a pool patent is in force at month end), the line's rate and royalty to the fen, the
annual caps (largest remainder), the invoices, then the allocation of each (licensee,
country of sale, country of manufacture, month) amount: the administrator's fee and the
members' shares pro rata to their patents in force in either country (manufacture or
sale), by largest remainder. (The service then rounds each member once per period and takes
the fee on the period total, ``allocation.split_period``; the benchmark measures the
per-amount engine that the what-if uses.)

* vectorised: numpy integer fen (rates looked up from the distinct rate classes, computed
  once with the Decimal rule), ``allocate_many`` month by month;
* loop: a straightforward per-row Python loop calling the per-row rules.

Each runs in its own process (wall time, best of ``--repeat`` runs, and peak resident memory
VmHWM); the run checks that invoices, fees and every member's share agree to the fen.
Usage::

    python benchmarks/pool.py                 # the full year (100 lines per report)
    python benchmarks/pool.py --lines 10      # quick look while developing
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ipops.pool import allocation, royalties
from ipops.pool.royalties import Rate, RateKind, Terms

IntArray = npt.NDArray[np.int64]
YEAR = 2025
MONTHS = 12
MEMBERS = 50
POOL_COUNTRIES = 50
SALE_COUNTRIES = 100
MAKER_COUNTRIES = 15
CATEGORIES = 20
PERCENT_CATEGORIES = 3
FEE_PPM = 100_000  # the administrator's 10 %
REGIONAL_FACTORS = (Decimal("0.5"), Decimal("0.7"), Decimal("0.64"))
COMPLIANT = Decimal("0.1")
EARLY = Decimal("0.08")


# =========================================================================== data


def generate(patents: int, licensees: int, lines: int, seed: int, path: Path) -> None:
    rng = np.random.default_rng(seed)
    member_weight = 1 / np.arange(1, MEMBERS + 1) ** 0.8
    country_weight = 1 / np.arange(1, POOL_COUNTRIES + 1) ** 1.1
    owner = rng.choice(MEMBERS, patents, p=member_weight / member_weight.sum())
    country = rng.choice(POOL_COUNTRIES, patents, p=country_weight / country_weight.sum())
    # 8 % expire during the year (from the month after), the rest later
    expires_month = np.where(rng.random(patents) < 0.08, rng.integers(1, MONTHS, patents), 99)
    unit_rates = rng.integers(50, 2_000, CATEGORIES)  # fen per unit (0.50 to 20.00 CNY)
    percent_tenths = rng.integers(2, 30, CATEGORIES)  # 0.2 % to 3 %
    regional_class = np.zeros(SALE_COUNTRIES, dtype=np.int64)  # 0: full rate
    regional_class[rng.choice(SALE_COUNTRIES, 30, replace=False)] = rng.integers(1, 4, 30)
    good = rng.random(licensees) < 0.9
    early = rng.random(licensees) < 0.3
    cap = np.where(rng.random(licensees) < 0.05, rng.integers(5_000_000, 50_000_000, licensees), -1)
    n = licensees * MONTHS * lines
    licensee = np.repeat(np.arange(licensees), MONTHS * lines)
    month = np.tile(np.repeat(np.arange(1, MONTHS + 1), lines), licensees)
    category = rng.integers(0, CATEGORIES, n)
    sold_in = rng.integers(0, SALE_COUNTRIES, n)  # codes 0-49 are pool countries
    made_in = rng.integers(0, MAKER_COUNTRIES, n) * 7 % SALE_COUNTRIES
    units = rng.integers(0, 5_000, n)
    net_sales = rng.integers(0, 50_000_000, n)  # fen
    np.savez(
        path,
        owner=owner,
        country=country,
        expires_month=expires_month,
        unit_rates=unit_rates,
        percent_tenths=percent_tenths,
        regional_class=regional_class,
        good=good,
        early=early,
        cap=cap,
        licensee=licensee,
        month=month,
        category=category,
        sold_in=sold_in,
        made_in=made_in,
        units=units,
        net_sales=net_sales,
    )


@dataclass
class Data:
    arrays: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        return self.arrays[name]


def load(path: Path) -> Data:
    with np.load(path) as npz:
        return Data({k: npz[k] for k in npz.files})


def is_percent(category: int) -> bool:
    return category >= CATEGORIES - PERCENT_CATEGORIES


def terms_for(data: Data, good: bool, early: bool) -> Terms:
    rates = {
        str(c): Rate(RateKind.PERCENT, Decimal(int(data.percent_tenths[c])) / 10)
        if is_percent(c)
        else Rate(RateKind.UNIT, Decimal(int(data.unit_rates[c])) / 100)
        for c in range(CATEGORIES)
    }
    regional = {
        str(country): REGIONAL_FACTORS[int(k) - 1]
        for country, k in enumerate(data.regional_class)
        if k
    }
    return Terms(
        rates=rates,
        regional=regional,
        compliant_discount=COMPLIANT if good else Decimal(0),
        early_discount=EARLY if early else Decimal(0),
    )


def in_force_counts(data: Data) -> IntArray:
    """Patents in force per (month, country, member) at month end: shape (13, 100, M)."""
    counts = np.zeros((MONTHS + 1, SALE_COUNTRIES, MEMBERS), dtype=np.int64)
    for month in range(1, MONTHS + 1):
        live = data.expires_month > month
        np.add.at(counts[month], (data.country[live], data.owner[live]), 1)
    return counts


# =========================================================================== vectorised


def run_vectorised(data: Data) -> dict[str, IntArray]:
    counts = in_force_counts(data)
    in_force = counts.sum(axis=2) > 0  # (13, 100)
    month, sold, made = data.month, data.sold_in, data.made_in
    sale_ok = in_force[month, sold]
    trigger = np.where(sale_ok, sold, np.where(in_force[month, made], made, -1))
    rates = rate_table(data)  # (categories, regional classes, good, early)
    lic = data.licensee
    rate = rates[
        data.category,
        data.regional_class[sold],
        data.good[lic].astype(np.int64),
        data.early[lic].astype(np.int64),
    ]
    base = np.where(data.category >= CATEGORIES - PERCENT_CATEGORIES, data.net_sales, data.units)
    royalty = np.where(trigger >= 0, (base * rate + 500_000) // 1_000_000, 0)
    report = lic * MONTHS + (month - 1)
    royalty = apply_caps(data, report, royalty)
    invoices = np.zeros(len(data.good) * MONTHS, dtype=np.int64)
    np.add.at(invoices, report, royalty)
    return allocate_year(data, counts, trigger, royalty, invoices)


def rate_table(data: Data) -> IntArray:
    """Rates in millionths for every (category, regional class, standing, early) class."""
    table = np.zeros((CATEGORIES, len(REGIONAL_FACTORS) + 1, 2, 2), dtype=np.int64)
    sample_country = {
        k: int(np.flatnonzero(data.regional_class == k)[0])
        for k in range(len(REGIONAL_FACTORS) + 1)
    }
    for good in (0, 1):
        for early in (0, 1):
            terms = terms_for(data, bool(good), bool(early))
            for category in range(CATEGORIES):
                for k, country in sample_country.items():
                    table[category, k, good, early] = royalties.effective_rate_micro(
                        terms,
                        str(category),
                        str(country),
                        good_standing=bool(good),
                        back_royalty=False,
                    )
    return table


def apply_caps(data: Data, report: IntArray, royalty: IntArray) -> IntArray:
    """Annual caps: each report gets at most the room left; its lines scaled exactly."""
    licensees = len(data.good)
    flat = np.zeros(licensees * MONTHS, dtype=np.int64)
    np.add.at(flat, report, royalty)
    totals = flat.reshape(licensees, MONTHS)
    capped_licensees = np.flatnonzero(data.cap >= 0)
    if len(capped_licensees) == 0:
        return royalty
    royalty = royalty.copy()
    order = np.argsort(report, kind="stable")
    starts = np.searchsorted(report[order], np.arange(licensees * MONTHS))
    ends = np.searchsorted(report[order], np.arange(licensees * MONTHS), side="right")
    for lic in capped_licensees:
        used = 0
        for m in range(MONTHS):
            room = int(data.cap[lic]) - used
            total = int(totals[lic, m])
            if total > room:
                rows = order[starts[lic * MONTHS + m] : ends[lic * MONTHS + m]]
                royalty[rows] = royalties.capped(royalty[rows].tolist(), max(room, 0))
                total = max(room, 0)
            used += total
    return royalty


def allocate_year(
    data: Data,
    counts: IntArray,
    trigger: IntArray,
    royalty: IntArray,
    invoices: IntArray,
) -> dict[str, IntArray]:
    """Sum each (month, country of sale, country of manufacture, licensee) amount, then
    allocate block by block: the groups of one month and pair of countries share the
    members' counts, their patents in force in either country (manufacture or sale)."""
    licensees = len(data.good)
    due = trigger >= 0
    pair = (data.month[due] * SALE_COUNTRIES + data.sold_in[due]) * SALE_COUNTRIES
    pair += data.made_in[due]
    keys, inverse = np.unique(pair * licensees + data.licensee[due], return_inverse=True)
    amounts = np.zeros(len(keys), dtype=np.int64)
    np.add.at(amounts, inverse, royalty[due])
    keep = amounts > 0
    keys, amounts = keys[keep], amounts[keep]
    places, blocks = np.unique(keys // licensees, return_inverse=True)
    month, rest = np.divmod(places, SALE_COUNTRIES * SALE_COUNTRIES)
    sold, made = np.divmod(rest, SALE_COUNTRIES)
    block_weights = counts[month, sold] + np.where((made != sold)[:, None], counts[month, made], 0)
    fees, shares = allocation.allocate_blocks(amounts, blocks, block_weights, FEE_PPM)
    return {"invoices": invoices, "keys": keys, "fees": fees, "shares": shares}


# =========================================================================== loop


def run_loop(data: Data) -> dict[str, IntArray]:
    counts = in_force_counts(data)
    in_force = [set(np.flatnonzero(counts[m].sum(axis=1) > 0).tolist()) for m in range(MONTHS + 1)]
    weights = [[counts[m][c].tolist() for c in range(SALE_COUNTRIES)] for m in range(MONTHS + 1)]
    licensees = len(data.good)
    terms = {(g, e): terms_for(data, g, e) for g in (False, True) for e in (False, True)}
    good, early, cap = data.good.tolist(), data.early.tolist(), data.cap.tolist()
    columns = zip(
        data.licensee.tolist(),
        data.month.tolist(),
        data.category.tolist(),
        data.sold_in.tolist(),
        data.made_in.tolist(),
        data.units.tolist(),
        data.net_sales.tolist(),
        strict=True,
    )
    reports: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
    for lic, month, category, sold, made, units, net in columns:
        trigger = sold if sold in in_force[month] else made if made in in_force[month] else -1
        amount = 0
        if trigger >= 0:
            rate = royalties.effective_rate_micro(
                terms[(good[lic], early[lic])],
                str(category),
                str(sold),
                good_standing=good[lic],
                back_royalty=False,
            )
            amount = royalties.line_royalty_fen(net if is_percent(category) else units, rate)
        reports.setdefault((lic, month), []).append((trigger, sold, made, amount))
    invoices = [0] * (licensees * MONTHS)
    groups: dict[tuple[int, int, int], int] = {}
    used = [0] * licensees
    for (lic, month), rows in sorted(reports.items()):
        amounts = [a for _t, _s, _m, a in rows]
        room = None if cap[lic] < 0 else max(cap[lic] - used[lic], 0)
        amounts = royalties.capped(amounts, room)
        used[lic] += sum(amounts)
        invoices[lic * MONTHS + month - 1] = sum(amounts)
        for (trigger, sold, made, _a), amount in zip(rows, amounts, strict=True):
            if trigger >= 0:
                key = (month, sold, made, lic)
                groups[key] = groups.get(key, 0) + amount
    keys, fees, shares = [], [], []
    for (month, sold, made, lic), amount in sorted(groups.items()):
        if amount == 0:
            continue  # nothing to allocate
        fee = (amount * FEE_PPM + 500_000) // 1_000_000
        keys.append(((month * SALE_COUNTRIES + sold) * SALE_COUNTRIES + made) * licensees + lic)
        fees.append(fee)
        counted = weights[month][sold]
        if made != sold:  # patents in force in the country of manufacture count too
            counted = [a + b for a, b in zip(counted, weights[month][made], strict=True)]
        shares.append(allocation.largest_remainder(amount - fee, counted))
    return {
        "invoices": np.array(invoices, dtype=np.int64),
        "keys": np.array(keys, dtype=np.int64),
        "fees": np.array(fees, dtype=np.int64),
        "shares": np.array(shares, dtype=np.int64).reshape(len(keys), MEMBERS),
    }


# =========================================================================== harness


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def contender(name: str, data_path: Path, out: Path, repeat: int) -> None:
    """Best of ``repeat`` runs (the machine may be shared: the best is the least disturbed)."""
    data = load(data_path)
    seconds = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = run_vectorised(data) if name == "vectorised" else run_loop(data)
        seconds = min(seconds, time.perf_counter() - start)
    np.savez(out, seconds=np.float64(seconds), peak=np.float64(peak_rss_mb()), **result)  # type: ignore[arg-type]


def run_contender(name: str, data_path: Path, out: Path, repeat: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--contender", name, "--data", str(data_path)]
    subprocess.run([*command, "--out", str(out), "--repeat", str(repeat)], check=True)
    with np.load(out) as npz:
        return {k: npz[k] for k in npz.files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=10_000)
    parser.add_argument("--licensees", type=int, default=1_000)
    parser.add_argument("--lines", type=int, default=100, help="lines per monthly report")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--contender", choices=("vectorised", "loop"))
    parser.add_argument("--data", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--repeat", type=int, default=2, help="best of N runs per contender")
    args = parser.parse_args()
    if args.contender:
        contender(args.contender, args.data, args.out, args.repeat)
        return
    with tempfile.TemporaryDirectory(prefix="ipops-pool-bench-") as tmp:
        data_path = Path(tmp) / "data.npz"
        generate(args.patents, args.licensees, args.lines, args.seed, data_path)
        lines = args.licensees * MONTHS * args.lines
        print(
            f"pool: {args.patents:,} patents, {MEMBERS} members, {POOL_COUNTRIES} pool countries; "
            f"{args.licensees:,} licensees x 12 months x {args.lines} lines = {lines:,} "
            f"report lines over {CATEGORIES} categories and {SALE_COUNTRIES} countries"
        )
        fast = run_contender("vectorised", data_path, Path(tmp) / "fast.npz", args.repeat)
        slow = run_contender("loop", data_path, Path(tmp) / "slow.npz", args.repeat)
    same = all(np.array_equal(fast[k], slow[k]) for k in ("invoices", "keys", "fees", "shares"))
    collected = int(fast["invoices"].sum())
    parts = int(fast["fees"].sum() + fast["shares"].sum())
    print(f"{'contender':<12} {'seconds':>9} {'peak MB':>9}   (best of {args.repeat} runs)")
    for name, result in (("vectorised", fast), ("loop", slow)):
        print(f"{name:<12} {float(result['seconds']):>9.2f} {float(result['peak']):>9.0f}")
    print(f"speed-up: {float(slow['seconds']) / float(fast['seconds']):.1f}x")
    print(
        f"invoiced CNY {collected / 100:,.2f} in {int((fast['invoices'] > 0).sum()):,} invoices; "
        f"allocated {len(fast['keys']):,} (licensee, sale, manufacture, month) amounts; "
        f"fee + member shares == collected: {parts == collected}"
    )
    print(f"identical to the fen: {same}")
    if not same or parts != collected:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
