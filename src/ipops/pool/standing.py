"""A licensee's standing and the licence terms around the royalty (pure rules, integer fen).

Anchors (``shared/REFERENCES.md``, "Patent pools"): a lower compliant rate for licensees in
good standing (Sisvel Wi-Fi 6: $0.50 vs $0.60), annual caps per enterprise, a waiver below
an annual floor, minimum royalties; the figures are each pool's, so every one is a setting.

* **Standing** (``standing``): a report or payment later than its due date plus the grace
  days loses the compliant-rate discount from that event on; it is regained after
  ``regain_after`` consecutive events on time (the pool's rule; 0 regains it at the next
  event on time). Events are taken in due-date order.
* **Late-payment interest** (``late_interest_fen``): simple interest on the amount paid late,
  ``amount x rate x days late / 365``, half up to the fen, days counted after the due date
  (and after the grace days: none when paid within them).
* **Caps per enterprise group** (``group_cap_room``): the affiliates named in one group share
  one annual cap; a report gets what the group has left this year (its lines are then
  scaled with ``royalties.capped``).
* **Annual floor** (``after_floor``): a licensee whose royalty for the year stays below the
  floor owes nothing for the year (a waiver, not a deduction); at or above it, everything.
* **Minimum annual royalty** (``minimum_top_up``): what is invoiced at the year end when the
  year's royalty is below the minimum.
* **Other currencies** (``FxTable``, ``to_fen``): an operator-maintained file of the CNY
  central parity (人民币汇率中间价, published by CFETS each business day) — ``date,currency,
  cny,per`` (``per``: units quoted, e.g. 100 for JPY). An amount stays in its currency and is
  converted once, at the rate of the report date (the last published rate on or before it),
  half up to the fen.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from ipops.errors import NotFound, ValidationError


@dataclass(frozen=True)
class Event:
    """A report or payment: when it was due and when it happened (None: not yet)."""

    kind: str  # "report" | "payment"
    due_on: date
    done_on: date | None


@dataclass(frozen=True)
class Standing:
    good: bool
    lost_on: date | None  # the due date of the event that lost it (last time)
    reason: str


def standing(
    events: Iterable[Event], *, on: date, grace_days: int = 0, regain_after: int = 2
) -> Standing:
    """The licensee's standing on ``on`` from its reports and payments so far."""
    good, lost_on, streak = True, None, 0
    reason = "every report and payment on time"
    for event in sorted(events, key=lambda e: (e.due_on, e.kind)):
        limit = date.fromordinal(event.due_on.toordinal() + grace_days)
        if limit >= on and event.done_on is None:
            continue  # not due yet (grace included)
        late = event.done_on is None or event.done_on > limit
        if late:
            good, lost_on, streak = False, event.due_on, 0
            when = "not yet done" if event.done_on is None else f"done {event.done_on}"
            reason = (
                f"{event.kind} due {event.due_on} ({grace_days} days' grace) {when}: "
                "compliant-rate discount lost"
            )
        elif not good:
            streak += 1
            if streak >= regain_after:
                good = True
                reason = f"regained after {streak} on time since {lost_on}"
    return Standing(good, lost_on, reason)


def late_interest_fen(
    amount_fen: int, *, due_on: date, paid_on: date, rate: Decimal, grace_days: int = 0
) -> int:
    """Simple interest for the days after the due date (none within the grace days)."""
    if amount_fen < 0 or rate < 0:
        raise ValidationError("amount and rate must not be negative", field="late_interest")
    days = (paid_on - due_on).days
    if days <= grace_days:
        return 0
    interest = Decimal(amount_fen) * rate * days / 365
    return int(interest.to_integral_value(rounding=ROUND_HALF_UP))


def group_cap_room(cap_fen: int | None, used_by_group_fen: Mapping[str, int]) -> int | None:
    """What the group's annual cap still allows (None: no cap), over all its affiliates."""
    if cap_fen is None:
        return None
    return max(cap_fen - sum(used_by_group_fen.values()), 0)


def after_floor(year_total_fen: int, floor_fen: int) -> int:
    """The year's royalty after the waiver below the annual floor."""
    return 0 if year_total_fen < floor_fen else year_total_fen


def minimum_top_up(year_total_fen: int, minimum_fen: int) -> int:
    """The year-end invoice that brings the year's royalty up to the minimum."""
    return max(minimum_fen - year_total_fen, 0)


# --------------------------------------------------------------------------- currencies


@dataclass(frozen=True)
class FxRate:
    day: date
    currency: str
    cny: Decimal  # CNY for ``per`` units of the currency
    per: int


@dataclass(frozen=True)
class FxTable:
    rates: tuple[FxRate, ...]
    origin: str

    def rate(self, currency: str, on: date) -> FxRate:
        if not any(r.currency == currency for r in self.rates):
            raise NotFound(f"unknown currency {currency}: not in {self.origin}", field="currency")
        found = [r for r in self.rates if r.currency == currency and r.day <= on]
        if not found:
            raise NotFound(
                f"no {currency} central parity on or before {on} in {self.origin}",
                field="currency",
            )
        return max(found, key=lambda r: r.day)


def parse_fx(text: str, *, origin: str) -> FxTable:
    """The operator's rate file (``date,currency,cny,per``), every row checked."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if tuple(reader.fieldnames or ()) != ("date", "currency", "cny", "per"):
        raise ValidationError(f"{origin}: the header must be date,currency,cny,per", field="fx")
    rates = []
    for number, row in enumerate(reader, start=2):
        where = f"{origin} row {number}"
        try:
            day = date.fromisoformat((row["date"] or "").strip())
            cny = Decimal((row["cny"] or "").strip())
            per = int((row["per"] or "1").strip())
        except (ValueError, InvalidOperation):
            raise ValidationError(f"{where}: date, cny or per is not valid", field="fx") from None
        currency = (row["currency"] or "").strip().upper()
        if len(currency) != 3 or not currency.isalpha() or cny <= 0 or per <= 0:
            raise ValidationError(f"{where}: currency or rate is not valid", field="fx")
        rates.append(FxRate(day, currency, cny, per))
    return FxTable(tuple(rates), origin)


def workspace_fx(root: Path) -> FxTable | None:
    """The operator's CNY central-parity file, ``<workspace>/pool/fx_rates.csv``, if any."""
    path = root / "pool" / "fx_rates.csv"
    if not path.exists():
        return None
    return parse_fx(path.read_text("utf-8"), origin=str(path))


def to_fen(amount: Decimal, currency: str, *, on: date, table: FxTable) -> int:
    """An amount in ``currency`` converted once, at the rate of ``on``, half up to the fen."""
    if currency == "CNY":
        return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))
    rate = table.rate(currency, on)
    fen = amount * rate.cny * 100 / rate.per
    return int(fen.to_integral_value(rounding=ROUND_HALF_UP))
