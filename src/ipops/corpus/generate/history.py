"""Legal history of generated patents: grant, annual-fee lapses, restorations, expiry,
invalidations, transfers, licences and pledges."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ipops.corpus.events import EventType
from ipops.corpus.generate.applicants import _Applicants, _bank, _Entity
from ipops.corpus.generate.params import _Category
from ipops.corpus.generate.people import _pick
from ipops.corpus.generate.skeleton import _date
from ipops.corpus.generate.vocabulary import (
    _LICENCE_KINDS,
    _LICENCE_SHARE,
    _PLEDGE_SHARE,
    _TRANSFER_SHARE,
    AC_FIELD,
    ORGANISATION,
    SMALL_FIRM,
)
from ipops.corpus.schema import Row

# =========================================================================== legal history


@dataclass(frozen=True)
class _Life:
    patent_id: str
    category: _Category
    field: int
    origin: str
    chinese: bool
    owner: _Entity
    filing: int
    grant: int
    snapshot: int


@dataclass(frozen=True)
class _History:
    rows: list[Row]
    status: str
    new_owner: _Entity | None


def _lapse_day(life: _Life, exponential: float) -> int | None:
    """The day annual fees go unpaid: hazard a + b·age, given the patent lived to its grant.

    Fees fall due on each anniversary of filing; the lapse is published after the six-month
    grace period. None when the patent reaches the end of its term or the snapshot first.
    """
    a, b = life.category.lapse_hazard
    granted_age = (life.grant - life.filing) / 365.25
    cumulative = a * granted_age + b * granted_age**2 / 2 + exponential
    age = (-a + math.sqrt(a * a + 2 * b * cumulative)) / b
    day = life.filing + round(math.ceil(age) * 365.25) + 183
    term_end = life.filing + round(life.category.term_years * 365.25)
    return day if day < min(term_end, life.snapshot + 1) else None


def _between(start: int, end: int, u: float) -> int | None:
    return start + int(u * (end - start)) if end > start else None


def _legal_history(
    life: _Life, u: Sequence[float], exponential: float, applicants: _Applicants
) -> _History:
    """Events of a granted patent up to the snapshot, and the status they leave."""
    builder = _HistoryBuilder(life, u, applicants)
    builder.add(life.grant, EventType.GRANTED)
    end = builder.lapse_and_term(_lapse_day(life, exponential))
    end = builder.invalidation(end)
    builder.ownership_changes(end)
    return builder.history()


_Event = tuple[int, EventType, str | None, str | None]  # day, type, detail, counterparty


class _HistoryBuilder:
    """One granted patent's events, drawn in the order in which their windows are known."""

    def __init__(self, life: _Life, u: Sequence[float], applicants: _Applicants) -> None:
        self.life = life
        self.u = u
        self.applicants = applicants
        self.events: list[_Event] = []
        self.status = "in_force"
        self.new_owner: _Entity | None = None
        self.restored_on: int | None = None
        self.region = "CN" if life.category.office == "CN" else "foreign"
        self.kind = life.owner.kind

    def add(self, day: int, event: EventType, detail: str | None = None,
            counterparty: str | None = None) -> None:  # fmt: skip
        self.events.append((day, event, detail, counterparty))

    def lapse_and_term(self, lapse: int | None) -> int:
        """Lapse (perhaps restored) or expiry; the day the right ends, else snapshot + 1."""
        life, u = self.life, self.u
        term_end = life.filing + round(life.category.term_years * 365.25)
        if lapse is not None:
            self.add(lapse, EventType.LAPSED_UNPAID_FEES)
            restored = lapse + 60 + int(u[0] * 90)
            restore_share = 0.04 if self.region == "CN" else 0.02
            if not (u[1] < restore_share and restored < min(term_end, life.snapshot)):
                self.status = "lapsed"
                return lapse
            self.add(restored, EventType.RESTORED)
            self.restored_on = restored
        if term_end <= life.snapshot:
            self.add(term_end, EventType.EXPIRED)
            self.status = "expired"
            return term_end
        return life.snapshot + 1

    def invalidation(self, end: int) -> int:
        """Full or partial invalidation while the patent is alive (more in air conditioning)."""
        life, u = self.life, self.u
        scale = 3.0 if life.field == AC_FIELD else 1.0
        full, partial = (0.003 * scale, 0.004 * scale) if self.region == "CN" else (0.002, 0.003)
        start = max(life.grant + 180, (self.restored_on or 0) + 1)
        if u[2] < partial and (day := _between(start, end, u[3])) is not None:
            self.add(day, EventType.PARTIALLY_INVALIDATED)
        if u[4] < full and (day := _between(start, end, u[5])) is not None:
            self.events = [event for event in self.events if event[0] < day]
            self.add(day, EventType.INVALIDATED)
            self.status = "invalidated"
            return day
        return end

    def ownership_changes(self, end: int) -> None:
        """Transfer, licence and pledge while the right is alive."""
        life, u = self.life, self.u
        chinese = life.chinese
        if u[6] < _TRANSFER_SHARE[self.region][self.kind]:
            day = _between(life.grant + 30, end, u[7])
            if day is not None:
                owner = self._counterparty(u[8:11], exclude=life.owner)
                old, new = life.owner.name(chinese), owner.name(chinese)
                detail = (f"变更前权利人：{old}；变更后权利人：{new}" if chinese
                          else f"Assignor: {old}; assignee: {new}")  # fmt: skip
                self.add(day, EventType.TRANSFERRED, detail, new)
                self.new_owner = owner
        if u[11] < _LICENCE_SHARE[self.region][self.kind]:
            day = _between(life.grant + 30, end, u[12])
            if day is not None:
                licensee = self._counterparty(u[13:16], exclude=life.owner)
                licence = _pick(_LICENCE_KINDS, u[16])
                detail = f"许可种类：{licence[0]}" if chinese else licence[1]
                self.add(day, EventType.LICENCE_RECORDED, detail, licensee.name(chinese))
        if u[17] < _PLEDGE_SHARE[self.region][self.kind]:
            self._pledges(end)

    def _pledges(self, end: int) -> None:
        """A pledge to a bank, usually released after 1–3 years, sometimes renewed that day."""
        life, u = self.life, self.u
        day = _between(life.grant + 60, end - 60, u[18])
        if day is None:
            return
        place = (self.new_owner or life.owner).place
        self.add(day, EventType.PLEDGED, _pledge_number(day, u[19]), _bank(place, u[20]))
        released = day + 365 + int(u[21] * 730)
        if u[22] < 0.8 and released <= life.snapshot:
            self.add(released, EventType.PLEDGE_RELEASED)
            if u[23] < 0.3 and released < end:
                renewed_with = _bank(place, (u[20] + 0.5) % 1)
                self.add(released, EventType.PLEDGED, _pledge_number(released, u[23]), renewed_with)

    def _counterparty(self, u: Sequence[float], exclude: _Entity) -> _Entity:
        kind = ORGANISATION if u[0] < 0.4 else SMALL_FIRM
        entity = self.applicants.choose(self.life.origin, self.life.field, kind, u[1:])
        if entity == exclude:
            entity = self.applicants.small_firm(self.life.origin, self.life.field, u[2])
        return entity

    def history(self) -> _History:
        rows: list[Row] = [
            {
                "patent_id": self.life.patent_id,
                "event_date": _date(day),
                "event_type": event.value,
                "detail": detail,
                "counterparty": counterparty,
                "generated": True,
            }
            for day, event, detail, counterparty in sorted(self.events, key=lambda e: e[0])
        ]
        return _History(rows, self.status, self.new_owner)


def _pledge_number(day: int, u: float) -> str:
    return f"登记号：Y{_date(day).year}980{int(u * 10**6):06d}"
