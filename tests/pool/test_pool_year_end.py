"""Year-end settlement (pool.year_end): the annual floor waives, the minimum tops up, once.

The small pool of poolbuild: split-ac at 3.00 a unit, US patents in force, so a line of
N units made in TH and sold in the US is N x 3.00. Each case has its own licensee whose
licence runs 2025-2027 with the floor or minimum under test; reports 2025-03 (100 units,
300.00) and 2025-06 (200 units, 600.00) make a year's royalty of 900.00.
"""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from poolbuild import ACTOR, POOL, build_pool, licence
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipops.errors import Conflict, IpopsError, ValidationError
from ipops.pool import (
    allocation_runs,
    licensing,
    membership,
    payments,
    royalty_reports,
    year_end,
)
from ipops.pool.models import Invoice, Pool, Report, YearSettlement
from ipops.registry.db import make_engine, session_scope

SETTLED = date(2026, 2, 16)  # after 2026-01-30, when a report of December is due


def report(session: Session, pool: Pool, name: str, period: str, units: int) -> Invoice:
    line = {"category": "split-ac", "made_in": "TH", "sold_in": "US", "units": units}
    accepted = royalty_reports.submit_report(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        licensee_name=name,
        period=period,
        rows=[line],
        issued_on=date(int(period[:4]), int(period[5:]) + 1, 5),
    )
    return accepted.invoice


def year_of(session: Session, pool: Pool, name: str) -> tuple[Invoice, Invoice]:
    """900.00 in 2025: 300.00 (paid in full on 2025-04-10) and 600.00 (unpaid)."""
    first = report(session, pool, name, "2025-03", 100)
    second = report(session, pool, name, "2025-06", 200)
    assert (first.amount_fen, second.amount_fen) == (30_000, 60_000)
    payments.record_payment(
        db_session=session, actor=ACTOR, invoice=first, amount="300.00", paid_on=date(2025, 4, 10)
    )
    return first, second


def settle(session: Session, pool: Pool, name: str | None) -> year_end.YearEnd:
    return year_end.settle_year(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        year=2025,
        licensee_name=name,
        settled_on=SETTLED,
    )


def counts(session: Session) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        int(session.scalar(select(func.count()).select_from(t)) or 0)
        for t in (YearSettlement, Invoice, Report)
    )


def test_below_the_floor_the_years_invoices_are_waived_and_payments_become_credit(
    registry_url: str,
) -> None:
    with session_scope(make_engine(registry_url)) as session:
        pool = build_pool(session)
        licence(session, pool, "Floor Co", annual_floor="1000.00")
        first, second = year_of(session, pool, "Floor Co")
        (done,) = settle(session, pool, "Floor Co").licences
        # 900.00 < 1000.00: both invoices waived; the 300.00 paid is the licensee's credit
        assert (done.outcome, done.royalty, done.waived, done.credit, done.top_up) == (
            "waived",
            Decimal("900.00"),
            Decimal("900.00"),
            Decimal("300.00"),
            Decimal("0.00"),
        )
        assert done.waived_invoices == [first.number, second.number]
        assert done.invoice is None and "below the annual floor 1000.00" in done.reason
        assert first.waived_on == second.waived_on == SETTLED
        account = payments.licensee_account(
            db_session=session,
            licensee=licensing.get_licensee(db_session=session, pool=pool, name="Floor Co"),
        )
        assert (account.invoiced, account.paid, account.outstanding) == ("900.00", "300.00", "0.00")
        assert (account.waived, account.credit) == ("900.00", "300.00")
        shown = {i.number: i for i in payments.invoice_list(db_session=session, pool=pool)}
        assert (shown[first.number].outstanding, shown[first.number].credit) == ("0.00", "300.00")
        assert (shown[second.number].outstanding, shown[second.number].credit) == ("0.00", "0.00")
        assert shown[second.number].waived_on == SETTLED
        # nothing is owed on a waived invoice: no payment, no late interest, no allocation
        with pytest.raises(Conflict, match="waived"):
            payments.record_payment(
                db_session=session,
                actor=ACTOR,
                invoice=second,
                amount="1.00",
                paid_on=date(2026, 2, 1),
            )
        assert payments.late_interest(session, pool, second, date(2026, 12, 31)) == 0
        with pytest.raises(ValidationError, match="no paid, unallocated invoice"):
            allocation_runs.allocate_period(
                db_session=session, actor=ACTOR, pool=pool, period="2025-Q1"
            )


def test_at_the_floor_the_royalty_stands(registry_url: str) -> None:
    with session_scope(make_engine(registry_url)) as session:
        pool = build_pool(session)
        licence(session, pool, "Edge Co", annual_floor="900.00")
        _first, second = year_of(session, pool, "Edge Co")
        (done,) = settle(session, pool, "Edge Co").licences
        # 900.00 is not below 900.00: nothing waived, 600.00 still outstanding
        assert (done.outcome, done.waived, done.credit) == ("due", Decimal(0), Decimal(0))
        assert done.reason == "royalty 900.00 stands (annual floor 900.00 met)"
        assert second.waived_on is None
        assert payments.outstanding_fen(second) == 60_000


def test_below_the_minimum_one_top_up_is_invoiced_on_the_settlement_day(
    registry_url: str,
) -> None:
    with session_scope(make_engine(registry_url)) as session:
        pool = build_pool(session)
        licence(session, pool, "Minimum Co", annual_minimum="1500.00")
        licence(session, pool, "Above Co", annual_minimum="800.00")
        _first, second = year_of(session, pool, "Minimum Co")
        payments.record_payment(
            db_session=session,
            actor=ACTOR,
            invoice=second,
            amount="600.00",
            paid_on=date(2025, 7, 20),
        )
        year_of(session, pool, "Above Co")
        result = settle(session, pool, None)
        acme, below, above = result.licences  # Acme Cooling: no report, no floor or minimum
        assert (acme.outcome, acme.reason) == (
            "due",
            "royalty 0.00 stands (no annual floor or minimum)",
        )
        # 1500.00 - 900.00 = 600.00, dated 2026-02-16, due 30 days later (the pool's days)
        assert (below.licensee, below.outcome, below.top_up) == (
            "Minimum Co",
            "topped_up",
            Decimal("600.00"),
        )
        assert below.invoice is not None
        assert (below.invoice.amount, below.invoice.issued_on, below.invoice.due_on) == (
            "600.00",
            SETTLED,
            date(2026, 3, 18),
        )
        assert (below.invoice.period_from, below.invoice.period_to) == (
            date(2025, 1, 1),
            date(2025, 12, 31),
        )
        assert (above.outcome, above.top_up, above.invoice) == ("due", Decimal(0), None)
        minimum = licensing.get_licensee(db_session=session, pool=pool, name="Minimum Co")
        account = payments.licensee_account(db_session=session, licensee=minimum)
        assert (account.invoiced, account.paid, account.outstanding) == (
            "1500.00",
            "900.00",
            "600.00",
        )
        kinds = {r.invoice.number: r.kind for r in account.reports}
        assert kinds[below.invoice.number] == "year_end"
        # the top-up is no report (a December report was due 2026-01-30): standing kept
        assert payments.licensee_standing(
            db_session=session, pool=pool, licensee=minimum, on=date(2026, 3, 1)
        ).good
        # a settled year takes no more reports
        with pytest.raises(Conflict, match="settled on 2026-02-16"):
            report(session, pool, "Minimum Co", "2025-09", 10)


def test_settling_a_year_twice_is_refused_and_nothing_is_doubled(registry_url: str) -> None:
    with session_scope(make_engine(registry_url)) as session:
        pool = build_pool(session)
        licence(session, pool, "Minimum Co", annual_minimum="1500.00")
        year_of(session, pool, "Minimum Co")
        settle(session, pool, "Minimum Co")
        before = counts(session)
        with pytest.raises(Conflict, match="2025 was settled already for Minimum Co"):
            settle(session, pool, "Minimum Co")
        # pool-wide: the settled licence is left alone, the others (Acme Cooling) settled
        result = settle(session, pool, None)
        assert [lic.licensee for lic in result.licences] == ["Acme Cooling"]
        assert result.settled_before == [f"Minimum Co (licence {result.licences[0].agreement + 1})"]
        with pytest.raises(Conflict, match="settled already"):
            settle(session, pool, None)
        after = counts(session)
        assert after == (before[0] + 1, before[1], before[2])  # Acme's settlement only
        with pytest.raises(ValidationError, match="between 0 and 366 days"):
            year_end.settle_year(
                db_session=session, actor=ACTOR, pool=pool, year=2025, payment_days=400
            )
        with pytest.raises(ValidationError, match="only after it ended"):
            year_end.settle_year(
                db_session=session,
                actor=ACTOR,
                pool=pool,
                year=2026,
                settled_on=date(2026, 12, 31),
            )


def test_parallel_settlements_of_one_year_make_one(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        licence(session, pool, "Minimum Co", annual_minimum="1500.00")
        year_of(session, pool, "Minimum Co")
    barrier = threading.Barrier(3)
    outcomes: list[object] = []

    def run() -> None:
        barrier.wait(timeout=30)
        try:
            with session_scope(engine) as session:
                found = membership.get_pool(db_session=session, name=POOL)
                outcomes.append(settle(session, found, "Minimum Co").licences[0].top_up)
        except IpopsError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    settled = [o for o in outcomes if not isinstance(o, IpopsError)]
    assert settled == [Decimal("600.00")], outcomes
    assert all(isinstance(o, Conflict) for o in outcomes if o not in settled)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(YearSettlement)) == 1
        top_ups = session.scalars(select(Report).where(Report.kind == "year_end")).all()
        assert [r.royalty_fen for r in top_ups] == [60_000]
