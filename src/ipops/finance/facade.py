"""The finance domain for scripts (``ipops.open(home).finance``): each method is
keyword-only, runs one use case in one transaction and returns its frozen records.

A script sees the whole programme, as the platform administrator does; changes it makes are
audited as ``Actor.script()``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ipops.audit.service import Actor
from ipops.finance import enterprise_book, loan_book, rating_book, stats
from ipops.finance.compensation_case import CaseInput, CaseResult, compensation_case
from ipops.finance.enterprise_book import EnterpriseRecord
from ipops.finance.enterprises import Financials
from ipops.finance.loan_records import LoanRecord, ScheduleRecord
from ipops.finance.rating_book import RatingCard
from ipops.finance.workdays import calendar_for

if TYPE_CHECKING:
    from ipops.platform import Platform


class FinanceAPI:
    def __init__(self, platform: Platform) -> None:
        self._platform = platform

    def enterprises(self, *, limit: int = 1000) -> list[EnterpriseRecord]:
        """The registered enterprises, by id."""
        with self._platform.session() as session:
            return enterprise_book.enterprise_records(db_session=session, limit=limit)

    def set_financials(
        self,
        *,
        enterprise_id: int,
        financials: Financials,
        fields: frozenset[str],
        bureau_checked_on: date | None = None,
    ) -> EnterpriseRecord:
        """Set the inputs named in ``fields`` (revenue, R&D spend, credit-bureau flags, ...;
        one named with the value None becomes absent); used at the next rating run."""
        with self._platform.session() as session:
            found = enterprise_book.update_financials(
                db_session=session,
                actor=Actor.script(),
                enterprise_id=enterprise_id,
                financials=financials,
                fields=fields,
                bureau_checked_on=bureau_checked_on,
            )
            return EnterpriseRecord.of(found)

    def rating(self, *, enterprise_id: int) -> RatingCard:
        """The enterprise's latest rating, explained (``NotFound`` before its first rating)."""
        with self._platform.session() as session:
            return rating_book.rating_card_of(db_session=session, enterprise_id=enterprise_id)

    def loans(
        self, *, state: str | None = None, enterprise_id: int | None = None, limit: int = 200
    ) -> list[LoanRecord]:
        """Loans and applications, newest first, optionally of one state or enterprise."""
        with self._platform.session() as session:
            return loan_book.loan_records(
                db_session=session, state=state, enterprise_id=enterprise_id, limit=limit
            )

    def loan(self, *, loan_id: int) -> LoanRecord:
        with self._platform.session() as session:
            return loan_book.loan_record(db_session=session, loan_id=loan_id)

    def schedule(self, *, loan_id: int) -> list[ScheduleRecord]:
        with self._platform.session() as session:
            return loan_book.schedule_records(db_session=session, loan_id=loan_id)

    def compensation(self, *, case: CaseInput) -> CaseResult:
        """The policy calculator: eligibility with reasons, ratio and amount."""
        return compensation_case(root=self._platform.workspace.root, case=case)

    def stats(self, *, start: date, end: date) -> stats.ProgrammeStats:
        """The programme's figures for the period (IP-pledge loans disbursed in it)."""
        calendar = calendar_for(self._platform.workspace.root)
        with self._platform.session() as session:
            return stats.programme_stats(
                db_session=session, start=start, end=end, calendar=calendar
            )
