"""Allocation of royalties among pool members: pure rules, exact to the fen.

Where a royalty is due: where a pool patent is in force in the country of manufacture **or**
of sale (MPEG LA, Access Advance; ``shared/REFERENCES.md``, "Patent pools"); it is shared
among the members pro rata to their essential patents (or families) in force in **either**
country on the sale date. Without a country of manufacture (``made_in=None``) only the
country of sale counts (the what-if's older sale-country rule).

For one amount (``allocate``): the administrator's fee first (rate in millionths, rounded
half up to the fen), then the rest split by the largest-remainder method, so the parts
always add up to the whole.

For a period (``split_period``, what the service records): the administrator's fee is taken
once on the period total, and each member's share is rounded once for the whole period by
largest remainder over its exact (rational) entitlement; a member's lines (per licensee and
country) are then rounded within the member's total the same way. No fen is lost or created
per group, and nothing drifts towards the administrator.

Order and ties: members are ordered by the Unicode code points of their names (Python's
``sorted``; not pinyin). Equal remainders go to the members in that order starting at a
position that rotates by period (``rotation``: the period's first month counted from
January of year 0, modulo the number of members), so no member wins every tie of the year.

``allocate_many`` does the per-amount arithmetic on arrays of integer fen (the engine behind
the benchmark); it gives the fen of ``allocate``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from ipops.errors import ValidationError
from ipops.money import fen_text, largest_remainder, ppm_of

IntArray = npt.NDArray[np.int64]


class CountBasis(StrEnum):
    PATENTS = "patents"
    FAMILIES = "families"


@dataclass(frozen=True)
class Holding:
    """One patent of a member, as the allocation sees it."""

    member: str
    patent: str
    country: str
    family: str | None = None
    expires: date | None = None  # not in force from this day on
    starts: date | None = None  # counts from this day on (admission)

    def in_force(self, country: str, on: date) -> bool:
        return self.country == country and self.live_on(on)

    def live_on(self, on: date) -> bool:
        return (self.starts is None or self.starts <= on) and (
            self.expires is None or on < self.expires
        )


@dataclass(frozen=True)
class Share:
    member: str
    patents: tuple[str, ...]  # the patents that counted, in order
    weight: int  # patents or families counted
    amount_fen: int

    def as_dict(self) -> dict[str, object]:
        return {
            "member": self.member,
            "patents": list(self.patents),
            "weight": self.weight,
            "amount": fen_text(self.amount_fen),
        }


@dataclass(frozen=True)
class Allocation:
    country: str
    on: date
    count: CountBasis
    amount_fen: int
    fee_ppm: int
    fee_fen: int
    shares: tuple[Share, ...]
    made_in: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "country": self.country,
            "sold_in": self.country,
            "made_in": self.made_in,
            "rule": "sale_country" if self.made_in is None else "manufacture_or_sale",
            "countries_counted": sorted(countries_of(self.country, self.made_in)),
            "date": self.on.isoformat(),
            "count": str(self.count),
            "amount": fen_text(self.amount_fen),
            "admin_fee_rate": f"{self.fee_ppm / 1_000_000:.6f}".rstrip("0").rstrip("."),
            "admin_fee": fen_text(self.fee_fen),
            "members": [share.as_dict() for share in self.shares],
            "total_weight": sum(share.weight for share in self.shares),
        }


def countries_of(sold_in: str, made_in: str | None) -> frozenset[str]:
    """The countries whose patents count for a sale: sale, and manufacture when given."""
    return frozenset((sold_in,) if made_in is None else (sold_in, made_in))


def counted_patents(
    holdings: Iterable[Holding], country: str, on: date, *, made_in: str | None = None
) -> dict[str, list[Holding]]:
    """Per member (sorted by name), its holdings in force on ``on`` in ``country`` (the
    country of sale) or in ``made_in`` (the country of manufacture, when given)."""
    countries = countries_of(country, made_in)
    found: dict[str, list[Holding]] = {}
    for holding in holdings:
        if holding.country in countries and holding.live_on(on):
            found.setdefault(holding.member, []).append(holding)
    return {member: sorted(found[member], key=lambda h: h.patent) for member in sorted(found)}


def refuse_duplicates(holdings: Sequence[Holding], labels: Sequence[str]) -> None:
    """Holdings that cannot be right are refused, naming the rows (``labels[i]`` names
    ``holdings[i]``, e.g. "line 3"): a patent listed twice counts twice (a 9.00 split
    6.00/3.00 instead of 4.50/4.50), and a patent has one owner, not two members."""
    seen: dict[str, list[int]] = {}
    for index, holding in enumerate(holdings):
        seen.setdefault(holding.patent.upper(), []).append(index)
    problems: list[str] = []
    for patent, rows in seen.items():
        if len(rows) < 2:
            continue
        members = sorted({holdings[i].member for i in rows})
        where = ", ".join(labels[i] for i in rows)
        if len(members) > 1:
            problems.append(f"{patent} is held by two members ({', '.join(members)}: {where})")
        else:
            problems.append(f"{patent} is listed {len(rows)} times ({where})")
    if problems:
        raise ValidationError(
            "holdings that cannot be right: " + "; ".join(problems), field="holdings"
        )


def weight_of(holdings: Sequence[Holding], count: CountBasis) -> int:
    if count is CountBasis.PATENTS:
        return len(holdings)
    return len({h.family or f"patent:{h.patent}" for h in holdings})


def allocate(
    amount_fen: int,
    fee_ppm: int,
    holdings: Iterable[Holding],
    *,
    country: str,
    on: date,
    count: CountBasis = CountBasis.PATENTS,
    made_in: str | None = None,
) -> Allocation:
    """One amount of a sale in ``country`` (made in ``made_in``) on ``on``, explained member
    by member: patents in force in the country of sale or of manufacture count."""
    if amount_fen < 0:
        raise ValidationError("must not be negative", field="amount")
    members = counted_patents(holdings, country, on, made_in=made_in)
    if not members:
        where = country if made_in is None else f"{country} (sale) or {made_in} (manufacture)"
        raise ValidationError(
            f"no pool patent is in force in {where} on {on}: no royalty is due",
            field="country",
        )
    fee = ppm_of(amount_fen, fee_ppm)
    weights = [weight_of(found, count) for found in members.values()]
    parts = largest_remainder(amount_fen - fee, weights)
    shares = tuple(
        Share(member, tuple(h.patent for h in found), weight, part)
        for (member, found), weight, part in zip(members.items(), weights, parts, strict=True)
    )
    return Allocation(country, on, count, amount_fen, fee_ppm, fee, shares, made_in)


class Proration(StrEnum):
    """How report lines without a sale date count patents that expire (or are admitted)
    within the period."""

    DAYS_IN_FORCE = "days_in_force"  # each patent weighted by its days in force in the period
    PERIOD_END = "period_end"  # the patents in force on the period's last day


def days_in_force(holding: Holding, start: date, end: date) -> int:
    """Days d with start <= d <= end on which the holding counts."""
    first = max(start, holding.starts) if holding.starts else start
    last = min(end, holding.expires - timedelta(days=1)) if holding.expires else end
    return max((last - first).days + 1, 0)


def prorated_patents(
    holdings: Iterable[Holding], country: str, start: date, end: date, *, made_in: str | None
) -> dict[str, list[tuple[Holding, int]]]:
    """Per member (sorted by name), its holdings in the countries with their days in force
    within [start, end] (only those with at least one day)."""
    countries = countries_of(country, made_in)
    found: dict[str, list[tuple[Holding, int]]] = {}
    for holding in holdings:
        if holding.country in countries:
            days = days_in_force(holding, start, end)
            if days:
                found.setdefault(holding.member, []).append((holding, days))
    return {m: sorted(found[m], key=lambda hd: hd[0].patent) for m in sorted(found)}


def prorated_weight(
    found: Sequence[tuple[Holding, int]], count: CountBasis, start: date, end: date
) -> int:
    """A member's weight in patent-days (or family-days: a day counts once per family when
    any of its patents is in force that day). A patent in force the whole period weighs the
    period's length, so with no expiry the shares equal the plain count's."""
    if count is CountBasis.PATENTS:
        return sum(days for _h, days in found)
    families: dict[str, set[int]] = {}
    for holding, _days in found:
        key = holding.family or f"patent:{holding.patent}"
        covered = families.setdefault(key, set())
        for offset in range((end - start).days + 1):
            if holding.live_on(start + timedelta(days=offset)):
                covered.add(offset)
    return sum(len(days) for days in families.values())


def rotation(period_start: date, members: int) -> int:
    """Where ties start in a period: the period's first month counted from January of year
    0, modulo the number of members (monthly periods move one member a month)."""
    return (period_start.year * 12 + period_start.month - 1) % members if members else 0


@dataclass(frozen=True)
class PeriodGroup:
    """Royalty of one group (e.g. a licensee's sales of one day made in one country and
    sold in another), the line it is reported on, and each member's weight in it."""

    line: tuple[int, str]  # (licensee id, country the line is shown under)
    amount_fen: int
    weights: tuple[int, ...]  # per member, in the order of ``members``


@dataclass(frozen=True)
class PeriodSplit:
    collected_fen: int
    fee_fen: int
    member_fen: tuple[int, ...]  # per member
    lines: dict[tuple[tuple[int, str], int], int]  # (line, member index) -> fen


def split_period(
    groups: Sequence[PeriodGroup], members: int, fee_ppm: int, *, first: int = 0
) -> PeriodSplit:
    """A period's royalties: the fee on the period total (half up to the fen), each member's
    share rounded once by largest remainder over its exact entitlement, then its lines.

    Member ``m``'s exact entitlement is ``D/T x sum_g a_g w_gm / W_g`` (``T`` collected,
    ``D = T - fee``, ``a_g`` a group's amount, ``w_gm`` the member's weight, ``W_g`` the
    group's total weight); computed in integers over the common denominator of the ``W_g``,
    so equal entitlements tie exactly and ties follow ``first`` (see ``rotation``).
    """
    total = sum(g.amount_fen for g in groups)
    fee = ppm_of(total, fee_ppm)
    common = 1
    for group in groups:
        whole = sum(group.weights)
        if whole == 0:
            if group.amount_fen:
                raise ValueError(f"no patent counts for the amount of {group.line}")
            continue
        common = math.lcm(common, whole)
    numerators: dict[tuple[tuple[int, str], int], int] = {}
    for group in groups:
        whole = sum(group.weights)
        if not whole or not group.amount_fen:
            continue
        scale = group.amount_fen * (common // whole)
        for member, weight in enumerate(group.weights):
            if weight:
                key = (group.line, member)
                numerators[key] = numerators.get(key, 0) + scale * weight
    per_member = [0] * members
    for (_line, member), value in numerators.items():
        per_member[member] += value
    member_fen = largest_remainder(total - fee, per_member, first=first) if total else [0] * members
    lines: dict[tuple[tuple[int, str], int], int] = {}
    for member in range(members):
        keys = [k for k in numerators if k[1] == member]
        parts = largest_remainder(member_fen[member], [numerators[k] for k in keys])
        lines.update(zip(keys, parts, strict=True))
    return PeriodSplit(total, fee, tuple(member_fen), lines)


def allocate_many(amounts: IntArray, weights: IntArray, fee_ppm: int) -> tuple[IntArray, IntArray]:
    """Fees and member shares of many amounts at once (same results as ``allocate``).

    ``amounts``: fen per group, shape (g,); ``weights``: the members' counts in the group's
    country and date, shape (g, m), members in the order of ``allocate`` (by name). Every
    group with a positive amount must have a positive total weight. Returns the fees (g,)
    and the shares (g, m); per row, fee + shares == amount.
    """
    amounts = np.asarray(amounts, dtype=np.int64)
    weights = np.asarray(weights, dtype=np.int64)
    fees = (amounts * fee_ppm + 500_000) // 1_000_000
    if weights.shape[1] == 0:
        if np.any(amounts - fees > 0):
            raise ValueError("an amount falls on a country and date with no patent in force")
        return fees, np.zeros(weights.shape, dtype=np.int64)
    rest = amounts - fees
    totals = weights.sum(axis=1)
    if np.any((totals == 0) & (amounts > 0)):
        raise ValueError("an amount falls on a country and date with no patent in force")
    safe = np.where(totals == 0, 1, totals)[:, None]
    product = rest[:, None] * weights
    shares = product // safe
    remainders = product - shares * safe  # one integer division instead of two
    left = rest - shares.sum(axis=1)
    # The leftover fen go to the largest remainders, ties to the earlier member: one key per
    # member orders by remainder, then by position; a member gets a fen when its key is
    # among the row's ``left`` largest, i.e. not below the row's left-th largest key.
    members = weights.shape[1]
    keys = remainders * members + (members - 1 - np.arange(members, dtype=np.int64))
    if int(safe.max()) * members < 2**31:
        keys = keys.astype(np.int32)  # remainders are below the total weight: halves the sort
    ranked = np.sort(keys, axis=1)[:, ::-1]
    threshold = ranked[np.arange(len(left)), np.clip(left - 1, 0, max(members - 1, 0))]
    shares += (keys >= threshold[:, None]) & (left[:, None] > 0)
    return fees, shares


def allocate_blocks(
    amounts: IntArray, blocks: IntArray, block_weights: IntArray, fee_ppm: int
) -> tuple[IntArray, IntArray]:
    """``allocate_many`` for groups that share weights: the groups of one country and date.

    ``blocks[i]`` indexes the row of ``block_weights`` (shape (b, m)) that group ``i`` uses;
    groups must be sorted by block. Each group is split among its block's members with a
    patent in force only, which saves the work on the others (a country, or a pair of
    countries of manufacture and sale, has fewer members than the pool). Groups are taken
    together by the number of such members (one ``allocate_many`` call per number, not per
    block: thousands of country pairs cost no more than a few dozen calls). Same results as
    ``allocate_many(amounts, block_weights[blocks], fee_ppm)``.
    """
    amounts = np.asarray(amounts, dtype=np.int64)
    blocks = np.asarray(blocks, dtype=np.int64)
    block_weights = np.asarray(block_weights, dtype=np.int64)
    if np.any(np.diff(blocks) < 0):
        raise ValueError("groups must be sorted by block")
    fees = np.zeros(len(amounts), dtype=np.int64)
    shares = np.zeros((len(amounts), block_weights.shape[1]), dtype=np.int64)
    positive = block_weights > 0
    # per block, its members with a weight first, in member order (ties keep that order)
    columns = np.argsort(~positive, axis=1, kind="stable")
    sizes = positive.sum(axis=1)[blocks]
    for size in np.unique(sizes):
        rows = np.flatnonzero(sizes == size)
        cols = columns[blocks[rows], :size]
        weights = np.take_along_axis(block_weights[blocks[rows]], cols, axis=1)
        fees[rows], part = allocate_many(amounts[rows], weights, fee_ppm)
        shares[rows[:, None], cols] = part
    return fees, shares
