"""Legal-status events: the CSV/XLSX layout users import, and the status the events imply.

``event_files.read_events`` reads a file in the layout of docs/corpus-events.md into
``events`` rows.
``derive_status`` folds one patent's events into its legal status; ``status_sql`` is the
same derivation as one DuckDB query over a relation named ``events`` (the corpus exposes
it as the ``patent_status`` view). Tests prove the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol


class EventType(StrEnum):
    GRANTED = "granted"
    LAPSED_UNPAID_FEES = "lapsed_unpaid_fees"
    EXPIRED = "expired"
    INVALIDATED = "invalidated"
    PARTIALLY_INVALIDATED = "partially_invalidated"
    RESTORED = "restored"
    TRANSFERRED = "transferred"
    LICENCE_RECORDED = "licence_recorded"
    PLEDGED = "pledged"
    PLEDGE_RELEASED = "pledge_released"


class LegalStatus(StrEnum):
    IN_FORCE = "in_force"
    LAPSED = "lapsed"
    EXPIRED = "expired"
    INVALIDATED = "invalidated"
    PENDING = "pending"
    UNKNOWN = "unknown"


# Chinese labels accepted on input; the first is the one shown to users.
CHINESE_LABELS: dict[EventType, tuple[str, ...]] = {
    EventType.GRANTED: ("授权", "授予专利权", "专利权授予"),
    EventType.LAPSED_UNPAID_FEES: ("未缴年费专利权终止", "专利权终止", "专利权的终止"),
    EventType.EXPIRED: ("期限届满", "专利权期限届满", "专利权有效期届满"),
    EventType.INVALIDATED: ("无效宣告 全部无效", "全部无效", "专利权全部无效", "无效宣告"),
    EventType.PARTIALLY_INVALIDATED: ("部分无效", "专利权部分无效", "无效宣告 部分无效"),
    EventType.RESTORED: ("权利恢复", "专利权的恢复", "专利权恢复"),
    EventType.TRANSFERRED: ("转让", "专利权的转移", "专利申请权、专利权的转移", "专利权转移"),
    EventType.LICENCE_RECORDED: ("实施许可合同备案", "专利实施许可合同备案的生效"),
    EventType.PLEDGED: ("质押", "专利权质押合同登记生效", "专利权质押合同登记的生效"),
    EventType.PLEDGE_RELEASED: ("质押解除", "质押合同注销", "专利权质押合同登记的注销"),
}

# Order of events on the same date: releases before new pledges (a renewed loan),
# a lapse before its restoration, terminal events last.
TIE_ORDER: tuple[EventType, ...] = (
    EventType.GRANTED,
    EventType.PARTIALLY_INVALIDATED,
    EventType.TRANSFERRED,
    EventType.LICENCE_RECORDED,
    EventType.PLEDGE_RELEASED,
    EventType.PLEDGED,
    EventType.LAPSED_UNPAID_FEES,
    EventType.RESTORED,
    EventType.INVALIDATED,
    EventType.EXPIRED,
)
_TIE_RANK: dict[str, int] = {event.value: rank for rank, event in enumerate(TIE_ORDER)}

# Events that set the status whatever it was (unless it is terminal).
_SETS_STATUS: dict[EventType, LegalStatus] = {
    EventType.GRANTED: LegalStatus.IN_FORCE,
    EventType.RESTORED: LegalStatus.IN_FORCE,
    EventType.LAPSED_UNPAID_FEES: LegalStatus.LAPSED,
    EventType.EXPIRED: LegalStatus.EXPIRED,
    EventType.INVALIDATED: LegalStatus.INVALIDATED,
}
# Events that only a granted patent can have: they reveal a grant the data does not show.
_IMPLIES_GRANT = frozenset(
    {EventType.PARTIALLY_INVALIDATED, EventType.PLEDGED, EventType.PLEDGE_RELEASED}
)
# Events an application can have before grant.
_IMPLIES_APPLICATION = frozenset({EventType.TRANSFERRED, EventType.LICENCE_RECORDED})
TERMINAL_STATUSES = frozenset({LegalStatus.EXPIRED, LegalStatus.INVALIDATED})


class EventLike(Protocol):
    @property
    def event_date(self) -> date: ...

    @property
    def event_type(self) -> str: ...


@dataclass(frozen=True)
class Event:
    patent_id: str
    event_date: date
    event_type: str
    detail: str | None = None
    counterparty: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Event:
        return cls(
            patent_id=row["patent_id"],
            event_date=row["event_date"],
            event_type=row["event_type"],
            detail=row.get("detail"),
            counterparty=row.get("counterparty"),
        )


@dataclass(frozen=True)
class PatentStatus:
    status: LegalStatus
    pledged: bool
    licensed: bool
    owner_changed: bool
    last_event_date: date | None


# --------------------------------------------------------------------------- derivation


def next_status(status: LegalStatus, event: EventType) -> LegalStatus:
    """One step of the legal-status state machine."""
    if status in TERMINAL_STATUSES:
        return status
    if event in _SETS_STATUS:
        return _SETS_STATUS[event]
    if event in _IMPLIES_GRANT and status in (LegalStatus.UNKNOWN, LegalStatus.PENDING):
        return LegalStatus.IN_FORCE
    if event in _IMPLIES_APPLICATION and status is LegalStatus.UNKNOWN:
        return LegalStatus.PENDING
    return status


def in_applied_order(events: Iterable[EventLike], *, as_of: date | None = None) -> list[EventLike]:
    """Known events up to ``as_of``, by date and then ``TIE_ORDER`` (stable otherwise)."""
    known = [
        e for e in events if e.event_type in _TIE_RANK and (as_of is None or e.event_date <= as_of)
    ]
    return sorted(known, key=lambda e: (e.event_date, _TIE_RANK[e.event_type]))


def derive_status(events: Sequence[EventLike], *, as_of: date | None = None) -> PatentStatus:
    """The legal status one patent's events imply (events of unknown types are ignored)."""
    status = LegalStatus.UNKNOWN
    pledged = licensed = owner_changed = False
    last_event_date: date | None = None
    for event in in_applied_order(events, as_of=as_of):
        kind = EventType(event.event_type)
        status = next_status(status, kind)
        if kind in (EventType.PLEDGED, EventType.PLEDGE_RELEASED):
            pledged = kind is EventType.PLEDGED
        licensed = licensed or kind is EventType.LICENCE_RECORDED
        owner_changed = owner_changed or kind is EventType.TRANSFERRED
        last_event_date = event.event_date
    return PatentStatus(status, pledged, licensed, owner_changed, last_event_date)


def _sql_list(events: Iterable[str]) -> str:
    return ", ".join(f"'{e}'" for e in sorted(events))


def _sql_tie_rank() -> str:
    whens = " ".join(f"WHEN '{e}' THEN {rank}" for rank, e in enumerate(TIE_ORDER))
    return f"CASE event_type {whens} END"


def status_sql(*, as_of: date | None = None) -> str:
    """DuckDB SELECT over a relation ``events`` giving each patent's derived status.

    Same result as ``derive_status`` for every patent: the first terminal event wins;
    otherwise the last of granted/restored/lapsed sets the status; otherwise an event only
    a granted patent has means in force, and a transfer or licence alone means pending.
    """
    considered = f"event_type IN ({_sql_list(_TIE_RANK)})"
    if as_of is not None:
        considered += f" AND event_date <= DATE '{as_of.isoformat()}'"
    terminal = _sql_list([EventType.INVALIDATED, EventType.EXPIRED])
    setting = _sql_list([EventType.GRANTED, EventType.RESTORED, EventType.LAPSED_UNPAID_FEES])
    pledge = _sql_list([EventType.PLEDGED, EventType.PLEDGE_RELEASED])
    return f"""
WITH considered AS (
    SELECT patent_id, event_date, CASE WHEN {considered} THEN event_type END AS event_type
    FROM events
    WHERE patent_id IS NOT NULL AND event_date IS NOT NULL
), ranked AS (
    SELECT *, {_sql_tie_rank()} AS tie FROM considered
), per_patent AS (
    SELECT
        patent_id,
        arg_min(event_type, (event_date, tie)) FILTER (WHERE event_type IN ({terminal}))
            AS first_terminal,
        arg_max(event_type, (event_date, tie)) FILTER (WHERE event_type IN ({setting}))
            AS last_setting,
        arg_max(event_type, (event_date, tie)) FILTER (WHERE event_type IN ({pledge}))
            AS last_pledge,
        coalesce(bool_or(event_type IN ({_sql_list(_IMPLIES_GRANT)})), false)
            AS implies_grant,
        coalesce(bool_or(event_type IN ({_sql_list(_IMPLIES_APPLICATION)})), false)
            AS implies_application,
        coalesce(bool_or(event_type = '{EventType.LICENCE_RECORDED}'), false) AS licensed,
        coalesce(bool_or(event_type = '{EventType.TRANSFERRED}'), false) AS owner_changed,
        max(event_date) FILTER (WHERE tie IS NOT NULL) AS last_event_date
    FROM ranked
    GROUP BY patent_id
)
SELECT
    patent_id,
    CASE
        WHEN first_terminal = '{EventType.EXPIRED}' THEN '{LegalStatus.EXPIRED}'
        WHEN first_terminal = '{EventType.INVALIDATED}' THEN '{LegalStatus.INVALIDATED}'
        WHEN last_setting = '{EventType.LAPSED_UNPAID_FEES}' THEN '{LegalStatus.LAPSED}'
        WHEN last_setting IS NOT NULL OR implies_grant THEN '{LegalStatus.IN_FORCE}'
        WHEN implies_application THEN '{LegalStatus.PENDING}'
        ELSE '{LegalStatus.UNKNOWN}'
    END AS status,
    coalesce(last_pledge = '{EventType.PLEDGED}', false) AS pledged,
    licensed,
    owner_changed,
    last_event_date
FROM per_patent
"""


STATUS_VIEW_SQL: str = status_sql()


# --------------------------------------------------------------------------- parsing values

_LABEL_TO_TYPE: dict[str, EventType] = {
    **{event.value: event for event in EventType},
    "license_recorded": EventType.LICENCE_RECORDED,
    **{
        re.sub(r"\s+", "", label): event
        for event, labels in CHINESE_LABELS.items()
        for label in labels
    },
}

_KIND_CODE = r"(?:[A-Z]\d?)"
_PUBLICATION = re.compile(
    rf"^(?P<office>[A-Z]{{2}})(?P<prefix>D|RE|PP|H|T)?(?P<digits>\d+){_KIND_CODE}?$"
)
_CN_APPLICATION = re.compile(r"^(?:ZL|CN)?\d{8,12}\.[\dX]$|^(?:ZL|CN)\d{12,13}$")


def allowed_event_labels() -> str:
    return ", ".join(f"{e.value} ({CHINESE_LABELS[e][0]})" for e in EventType)


def parse_event_type(text: str) -> EventType:
    """The event type of a code or a Chinese label; ValueError naming the allowed ones."""
    key = re.sub(r"\s+", "", text).lower()
    if key in _LABEL_TO_TYPE:
        return _LABEL_TO_TYPE[key]
    raise ValueError(f"unknown event type {text.strip()!r}; allowed: {allowed_event_labels()}")


def normalize_patent_id(text: str) -> str:
    """Canonical ``patent_id`` of a publication number: no kind code, no leading zeros.

    ``CN102345678A`` -> ``CN102345678``, ``US 7,654,321 B2`` -> ``US7654321``,
    ``US2013/0012345 A1`` -> ``US20130012345``. ValueError says why a text is not one.
    """
    compact = re.sub(r"[\s,/\-]", "", text.upper())
    if _CN_APPLICATION.match(compact):
        raise ValueError(
            f"{text.strip()!r} is a Chinese application number (专利号/申请号); "
            "give the publication number (公开号/公告号), e.g. CN102345678A"
        )
    match = _PUBLICATION.match(compact)
    if not match or not match["digits"].strip("0"):
        raise ValueError(
            f"not a publication number: {text.strip()!r} (expected e.g. CN102345678A, US7654321B2)"
        )
    return f"{match['office']}{match['prefix'] or ''}{int(match['digits'])}"


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_SERIAL_RANGE = range(1, 2_958_466)


def parse_event_date(value: object) -> date:
    """A date from a cell: ISO-like, 2019/1/5, 2019.01.05, 20190105, 2019年1月5日, or a date.

    ValueError for an impossible date (2019-02-30) or a format it does not know.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _date_from_number(value)
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError(f"impossible date {text!r}") from None
    raise ValueError(
        f"unrecognised date {text!r} (expected YYYY-MM-DD, YYYY/M/D, YYYYMMDD or YYYY年M月D日)"
    )


def _date_from_number(value: float) -> date:
    """An 8-digit number is YYYYMMDD; a smaller whole number is an Excel serial date."""
    if value == int(value) and 10_000_000 <= value <= 99_991_231:
        return parse_event_date(str(int(value)))
    if value == int(value) and int(value) in _EXCEL_SERIAL_RANGE:
        return _EXCEL_EPOCH + timedelta(days=int(value))
    raise ValueError(f"unrecognised date {value!r}")
