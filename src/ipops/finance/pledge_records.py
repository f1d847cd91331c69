"""The records a pledge registration (专利权质押登记) and a collateral alert are shown as (API
responses, pages, CLI ``--json``): frozen, Decimal money (serialised as text). The fields are
those of CNIPA's register of patent pledges (国家知识产权局《专利权质押登记办法》, 2021).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ipops.records import Record, RecordId


class PledgedPatentRecord(Record):
    """A patent of a registration, with the facts CNIPA's register names."""

    patent_id: str
    title: str
    main_ipc: str
    filing_date: date | None
    grant_date: date | None
    owners: list[str]


class PledgeRecord(Record):
    """A pledge registration (专利权质押登记) with its patents; Decimal money."""

    id: RecordId
    loan_id: int
    registration_number: str
    pledgors: list[str]
    pledgee: str
    secured_claim: str
    secured_amount: Decimal
    debt_term: tuple[date, date]
    registered_on: date
    status: str
    patents: list[PledgedPatentRecord]


class AlertRecord(Record):
    """A collateral alert raised for the bank by the watch."""

    id: RecordId
    patent_id: str | None
    kind: str
    detail: str
    raised_on: date
