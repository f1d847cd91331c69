"""The period rules through the service: manufacture or sale, back-royalty invoice dates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from poolbuild import ACTOR, build_pool
from sqlalchemy.orm import Session

from ipops.pool import (
    allocation_runs,
    licensing,
    membership,
    payments,
    royalty_reports,
    standing,
    submissions,
)
from ipops.pool.models import Licensee, Pool
from ipops.registry.db import make_engine, session_scope

LICENSEE = "Acme Cooling"


def licensed(
    session: Session, pool: Pool, name: str, group: str | None = None, **terms: Any
) -> Licensee:
    """A licensee from Thailand (in enterprise ``group``) licensed to 2027 on ``terms``."""
    licensee = licensing.add_licensee(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        name=name,
        country="TH",
        enterprise_group=group,
    )
    licensing.sign_agreement(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        licensee=licensee,
        ends_on=date(2027, 12, 31),
        **terms,
    )
    return licensee


def march_paid_and_allocated(
    session: Session, pool: Pool, *, made_in: str
) -> tuple[royalty_reports.Accepted, allocation_runs.AllocationSummary]:
    """10 units made in ``made_in`` and sold in the US in March 2025 (30.00), the report
    accepted on 5 April, paid on 20 April, then March allocated."""
    rows = [{"category": "split-ac", "made_in": made_in, "sold_in": "US", "units": 10}]
    accepted = royalty_reports.submit_report(
        db_session=session,
        actor=ACTOR,
        pool=pool,
        licensee_name=LICENSEE,
        period="2025-03",
        rows=rows,
        issued_on=date(2025, 4, 5),
    )
    payments.record_payment(
        db_session=session,
        actor=ACTOR,
        invoice=accepted.invoice,
        amount="30.00",
        paid_on=date(2025, 4, 20),
    )
    run = allocation_runs.allocate_period(
        db_session=session, actor=ACTOR, pool=pool, period="2025-03"
    )
    return accepted, allocation_runs.allocation_summary(db_session=session, run=run)


def test_a_unit_made_in_china_and_sold_in_the_us_pays_the_cn_patents_too(
    registry_url: str,
) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        accepted, summary = march_paid_and_allocated(session, pool, made_in="CN")
        assert accepted.invoice.issued_on == date(2025, 4, 5)
        assert accepted.invoice.due_on == date(2025, 5, 5)
        assert accepted.report.accepted_at.date() == date(2025, 4, 5)
    # 30.00, fee 3.00; 27.00 over the patents in force in US or CN: 格力 CN101, CN102,
    # US201 (3), 美的 CN103 (1), 海尔 US202 (1): 16.20 / 5.40 / 5.40 (the sale-country rule
    # would have given 格力 and 海尔 13.50 each and 美的 nothing)
    assert str(summary.admin_fee) == "3.00"
    assert {m.member: str(m.amount) for m in summary.members} == {
        "格力": "16.20",
        "海尔": "5.40",
        "美的": "5.40",
    }


def test_back_royalties_are_invoiced_on_the_signing_day(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        licensed(
            session,
            pool,
            "Late Signer",
            signed_on=date(2025, 2, 1),
            starts_on=date(2025, 2, 1),
            back_royalties_from=date(2024, 1, 1),
        )
        rows = [{"category": "split-ac", "made_in": "CN", "sold_in": "US", "units": 10}]
        accepted = royalty_reports.submit_report(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            licensee_name="Late Signer",
            period="2024-06",
            rows=rows,
            issued_on=date(2024, 7, 5),  # reported before the licence existed
            payment_days=45,
        )
        assert accepted.invoice.issued_on == date(2025, 2, 1)
        assert accepted.invoice.due_on == date(2025, 3, 18)


@pytest.mark.parametrize(
    ("proration", "expected"),
    [("days_in_force", {"格力": "18.20", "海尔": "8.80"}), ("period_end", {"格力": "27.00"})],
)
def test_a_patent_expiring_mid_month_counts_for_its_days(
    registry_url: str, proration: str, expected: dict[str, str]
) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        membership.configure_pool(db_session=session, actor=ACTOR, pool=pool, proration=proration)
        patent = submissions.get_patent(db_session=session, pool=pool, number="US202")
        submissions.record_patent_event(
            db_session=session, actor=ACTOR, patent=patent, kind="lapsed", on=date(2025, 3, 16)
        )
        _accepted, summary = march_paid_and_allocated(session, pool, made_in="TH")
    # US201 (格力) in force 31 days, US202 (海尔) 15 days: 27.00 x 31/46 = 18.1957,
    # x 15/46 = 8.8043 -> 1819 + 880 fen and the last fen to the larger remainder (格力)
    assert str(summary.admin_fee) == "3.00"
    assert {m.member: str(m.amount) for m in summary.members} == expected


def test_an_unpaid_invoice_loses_the_compliant_discount(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        good = licensed(
            session,
            pool,
            "Good Cooling",
            signed_on=date(2024, 12, 1),
            starts_on=date(2025, 1, 1),
            compliant_discount="0.1",
        )
        rows = [{"category": "split-ac", "made_in": "CN", "sold_in": "US", "units": 10}]

        def report(period: str, accepted: date) -> int:
            return royalty_reports.submit_report(
                db_session=session,
                actor=ACTOR,
                pool=pool,
                licensee_name="Good Cooling",
                period=period,
                rows=rows,
                issued_on=accepted,
            ).invoice.amount_fen

        # January on time: 10 x 3.00 x (1 - 10 %) = 27.00; due 30 days after acceptance
        assert report("2025-01", date(2025, 2, 10)) == 2_700
        # February's report comes after January's invoice fell due (12 March) unpaid:
        # the compliant rate is lost, 30.00
        assert report("2025-02", date(2025, 3, 20)) == 3_000
        found = payments.licensee_standing(
            db_session=session, pool=pool, licensee=good, on=date(2025, 3, 20)
        )
        assert not found.good and "payment due 2025-03-12" in found.reason


def test_affiliates_share_one_cap_and_foreign_sales_are_converted_once(
    registry_url: str,
) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        for name in ("Acme A", "Acme B"):
            licensed(
                session,
                pool,
                name,
                "Acme group",
                signed_on=date(2024, 12, 1),
                starts_on=date(2025, 1, 1),
                annual_cap="5000.00",
            )
        rows = [{"category": "split-ac", "made_in": "CN", "sold_in": "US", "units": 1000}]

        def report(name: str, period: str, lines: list[dict[str, Any]]) -> royalty_reports.Accepted:
            return royalty_reports.submit_report(
                db_session=session,
                actor=ACTOR,
                pool=pool,
                licensee_name=name,
                period=period,
                rows=lines,
                issued_on=date(2025, 2, 5),
                fx=standing.parse_fx(
                    "date,currency,cny,per\n2025-02-05,USD,7.1740,1\n", origin="fx.csv"
                ),
            )

        # 1000 x 3.00 = 3,000.00 for A; B's 3,000.00 meets the group's 2,000.00 left
        assert report("Acme A", "2025-01", rows).invoice.amount_fen == 300_000
        assert report("Acme B", "2025-01", rows).invoice.amount_fen == 200_000
        # 10,000.00 USD of chillers at 0.5 % (a licensee outside the group): converted once,
        # 10,000 x 7.1740 = 71,740.00 CNY -> 358.70
        usd = [{"category": "chiller", "made_in": "CN", "sold_in": "US", "net_sales": "10000.00"}]
        usd[0]["currency"] = "USD"
        licensed(session, pool, "Solo", signed_on=date(2024, 12, 1), starts_on=date(2025, 1, 1))
        line = report("Solo", "2025-01", usd).lines[0]
        assert (line.net_sales_fen, line.royalty_fen) == (7_174_000, 35_870)
        assert (line.currency, line.net_sales_reported) == ("USD", "10000.00")
        assert line.fx_rate is not None and line.fx_rate.startswith("7.1740/1")


def test_late_payment_interest_at_the_pools_rate(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        membership.configure_pool(
            db_session=session, actor=ACTOR, pool=pool, late_interest_rate="0.06", grace_days=5
        )
        rows = [{"category": "split-ac", "made_in": "CN", "sold_in": "US", "units": 1000}]
        accepted = royalty_reports.submit_report(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            licensee_name=LICENSEE,
            period="2025-03",
            rows=rows,
            issued_on=date(2025, 4, 5),
        )
        invoice = accepted.invoice  # 3,000.00 due 5 May
        assert payments.late_interest(session, pool, invoice, date(2025, 5, 10)) == 0  # grace
        payments.record_payment(
            db_session=session,
            actor=ACTOR,
            invoice=invoice,
            amount="1000.00",
            paid_on=date(2025, 6, 4),
        )
        # 1,000.00 paid 30 days late: 100,000 x 0.06 x 30 / 365 = 493.15 -> 4.93;
        # 2,000.00 still unpaid on 4 July, 60 days: 200,000 x 0.06 x 60 / 365 = 1,972.60 -> 19.73
        assert payments.late_interest(session, pool, invoice, date(2025, 7, 4)) == 493 + 1_973
