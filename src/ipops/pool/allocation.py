"""Allocation of royalties among pool members: pure rules, exact to the fen.

For an amount that a sale in one country triggered: the administrator's fee first (rate in
millionths, rounded half up to the fen), then the rest split among the members pro rata to
their essential patents (or families) in force in that country on the sale date. Fen are
rounded by the largest-remainder method, so the parts always add up to the whole; equal
remainders go to the member listed first (members are ordered by name).

``allocate`` explains one amount; ``allocate_many`` does the same arithmetic on arrays of
integer fen for a whole period (the engine behind the service and the benchmark). Both give
identical fen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from ipops.errors import ValidationError
from ipops.pool.money import fen_text, ppm_of

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
        return (
            self.country == country
            and (self.starts is None or self.starts <= on)
            and (self.expires is None or on < self.expires)
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

    def as_dict(self) -> dict[str, object]:
        return {
            "country": self.country,
            "date": self.on.isoformat(),
            "count": str(self.count),
            "amount": fen_text(self.amount_fen),
            "admin_fee_rate": f"{self.fee_ppm / 1_000_000:.6f}".rstrip("0").rstrip("."),
            "admin_fee": fen_text(self.fee_fen),
            "members": [share.as_dict() for share in self.shares],
            "total_weight": sum(share.weight for share in self.shares),
        }


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` fen split pro rata to ``weights``; parts sum to ``total`` exactly.

    Each part gets its floor; the fen left over go one each to the largest remainders, ties
    to the earlier position.
    """
    if total < 0 or any(w < 0 for w in weights):
        raise ValueError("total and weights must not be negative")
    whole = sum(weights)
    if whole == 0:
        if total:
            raise ValueError("cannot split a positive total among zero weights")
        return [0] * len(weights)
    parts = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def counted_patents(
    holdings: Iterable[Holding], country: str, on: date
) -> dict[str, list[Holding]]:
    """Per member (sorted by name), its holdings in force in ``country`` on ``on``."""
    found: dict[str, list[Holding]] = {}
    for holding in holdings:
        if holding.in_force(country, on):
            found.setdefault(holding.member, []).append(holding)
    return {member: sorted(found[member], key=lambda h: h.patent) for member in sorted(found)}


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
) -> Allocation:
    """One amount triggered in ``country`` on ``on``, explained member by member."""
    if amount_fen < 0:
        raise ValidationError("must not be negative", field="amount")
    members = counted_patents(holdings, country, on)
    if not members:
        raise ValidationError(
            f"no pool patent is in force in {country} on {on}: no royalty is due there",
            field="country",
        )
    fee = ppm_of(amount_fen, fee_ppm)
    weights = [weight_of(found, count) for found in members.values()]
    parts = largest_remainder(amount_fen - fee, weights)
    shares = tuple(
        Share(member, tuple(h.patent for h in found), weight, part)
        for (member, found), weight, part in zip(members.items(), weights, parts, strict=True)
    )
    return Allocation(country, on, count, amount_fen, fee_ppm, fee, shares)


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
    groups must be sorted by block. Each block is split among its members with a patent in
    force only, which saves the work on the others (a smaller country has fewer members).
    Same results as ``allocate_many(amounts, block_weights[blocks], fee_ppm)``.
    """
    amounts = np.asarray(amounts, dtype=np.int64)
    blocks = np.asarray(blocks, dtype=np.int64)
    if np.any(np.diff(blocks) < 0):
        raise ValueError("groups must be sorted by block")
    fees = np.zeros(len(amounts), dtype=np.int64)
    shares = np.zeros((len(amounts), block_weights.shape[1]), dtype=np.int64)
    bounds = np.searchsorted(blocks, np.arange(block_weights.shape[0] + 1))
    for block in np.unique(blocks):
        rows = slice(bounds[block], bounds[block + 1])
        members = np.flatnonzero(block_weights[block])
        weights = np.broadcast_to(
            block_weights[block, members], (rows.stop - rows.start, len(members))
        )
        fees[rows], part = allocate_many(amounts[rows], weights, fee_ppm)
        shares[rows, members] = part
    return fees, shares
