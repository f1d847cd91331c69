"""The pool services on a real registry (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from poolbuild import ACTOR, POOL, build_pool, code
from sqlalchemy import func, select

from ipops.audit.models import AuditRecord
from ipops.errors import Conflict, InvalidTransition, NotFound, ValidationError
from ipops.pool import (
    allocation_runs,
    cases,
    licensing,
    membership,
    overview,
    payments,
    royalty_reports,
    submissions,
)
from ipops.pool.models import Invoice, Report, ReportLine
from ipops.registry.db import make_engine, session_scope

LICENSEE = "Acme Cooling"


def lines(units_us: int = 1000, units_br: int = 10) -> list[dict[str, object]]:
    return [
        {"category": "split-ac", "made_in": "TH", "sold_in": "US", "units": units_us},
        {"category": "split-ac", "made_in": "TH", "sold_in": "BR", "units": units_br},  # no patent
        {"category": "split-ac", "made_in": "CN", "sold_in": "BR", "units": 100},  # made in CN
        {"category": "chiller", "made_in": "TH", "sold_in": "CN", "net_sales": "20000.00"},
    ]


def test_the_royalty_year_from_report_to_statement(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        accepted = royalty_reports.submit_report(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            licensee_name=LICENSEE,
            period="2025-03",
            rows=lines(),
        )
        # US: 1000 x 3.00; BR (made TH): nothing; BR (made CN): 100 x 3.00; CN: 0.5 % of 20,000
        assert [line.royalty_fen for line in accepted.lines] == [300_000, 0, 30_000, 10_000]
        assert [line.trigger_country for line in accepted.lines] == ["US", None, "CN", "CN"]
        assert accepted.invoice.amount_fen == 340_000
        payments.record_payment(
            db_session=session,
            actor=ACTOR,
            invoice=accepted.invoice,
            amount="3400.00",
            paid_on=date(2025, 4, 5),
        )
        run = allocation_runs.allocate_period(
            db_session=session, actor=ACTOR, pool=pool, period="2025-Q1"
        )
        summary = allocation_runs.allocation_summary(db_session=session, run=run)
        assert (summary.collected, summary.admin_fee) == (Decimal("3400.00"), Decimal("340.00"))
        # US 2700.00: 格力 1 patent, 海尔 1 patent; CN 360.00: 格力 2, 美的 1
        assert summary.model_dump(mode="json", by_alias=True)["members"] == [
            {"member": "格力", "amount": "1590.00"},
            {"member": "海尔", "amount": "1350.00"},
            {"member": "美的", "amount": "120.00"},
        ]
        assert summary.members_total == Decimal("3060.00")
        gree = membership.get_member(db_session=session, pool=pool, name="格力")
        ledger = allocation_runs.statement(
            db_session=session, pool=pool, member=gree, period="2025-Q1"
        )
        assert [(li.country, li.patents, str(li.amount)) for li in ledger.lines] == [
            ("CN", ["CN101", "CN102"], "240.00"),
            ("US", ["US201"], "1350.00"),
        ]
        with pytest.raises(Conflict, match="allocated already"):
            allocation_runs.allocate_period(
                db_session=session, actor=ACTOR, pool=pool, period="2025-Q1"
            )
        stats = overview.stats_of(db_session=session, pool=pool, on=date(2025, 6, 1))
        assert [(r.key, r.patents) for r in stats.composition.by_country] == [("CN", 3), ("US", 2)]
        q1 = stats.income.by_period["2025-Q1"]
        assert (q1.collected, q1.fee) == (Decimal("3400.00"), Decimal("340.00"))
        assert stats.model_dump(mode="json")["income"]["by_period"]["2025-Q1"] == {
            "collected": "3400.00",
            "fee": "340.00",
        }


def test_a_bad_report_is_rejected_whole_and_leaves_nothing(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        build_pool(session)
    bad = [*lines(), {"category": "split-ac", "made_in": "TH", "sold_in": "US", "units": -1}]
    with (
        pytest.raises(ValidationError, match="negative units") as caught,
        session_scope(engine) as session,
    ):
        pool = membership.get_pool(db_session=session, name=POOL)
        royalty_reports.submit_report(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            licensee_name=LICENSEE,
            period="2025-03",
            rows=bad,
        )
    assert caught.value.field == "row 5.units"
    with session_scope(engine) as session:
        for table in (Report, ReportLine, Invoice):
            assert session.scalar(select(func.count()).select_from(table)) == 0
        pool = membership.get_pool(db_session=session, name=POOL)
        with pytest.raises(NotFound, match="unknown licensee"):
            royalty_reports.submit_report(
                db_session=session,
                actor=ACTOR,
                pool=pool,
                licensee_name="Nobody",
                period="2025-03",
                rows=lines(),
            )
        royalty_reports.submit_report(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            licensee_name=LICENSEE,
            period="2025-03",
            rows=lines(),
        )
        with pytest.raises(Conflict, match="overlaps"):
            royalty_reports.submit_report(
                db_session=session,
                actor=ACTOR,
                pool=pool,
                licensee_name=LICENSEE,
                period="2025-Q1",
                rows=lines(),
            )
        with pytest.raises(ValidationError, match="no licence"):
            royalty_reports.submit_report(
                db_session=session,
                actor=ACTOR,
                pool=pool,
                licensee_name=LICENSEE,
                period="2024-12",
                rows=lines(),
            )


def test_admission_rules_and_leaving_the_count(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        gree = membership.get_member(db_session=session, pool=pool, name="格力")
        patent = submissions.submit_patent(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            member=gree,
            patent=submissions.PatentInput("CN999", "CN", expires_on=date(2030, 1, 1)),
        )
        own_expert = membership.get_expert(db_session=session, pool=pool, name="专家0")
        with pytest.raises(Conflict, match="recommended by 格力"):
            submissions.assign_expert(
                db_session=session, actor=ACTOR, pool=pool, patent=patent, expert=own_expert
            )
        other = membership.get_expert(db_session=session, pool=pool, name="专家1")
        submissions.assign_expert(
            db_session=session, actor=ACTOR, pool=pool, patent=patent, expert=other
        )
        with pytest.raises(ValidationError, match="at least 2 experts"):
            submissions.decide_patent(db_session=session, actor=ACTOR, pool=pool, patent=patent)
        with pytest.raises(ValidationError, match="reasons"):
            submissions.record_opinion(
                db_session=session,
                actor=ACTOR,
                patent=patent,
                expert=other,
                opinion="essential",
                note=" ",
            )
        lapsing = submissions.get_patent(db_session=session, pool=pool, number="US201")
        submissions.record_patent_event(
            db_session=session, actor=ACTOR, patent=lapsing, kind="invalidated", on=date(2025, 5, 1)
        )
        before = overview.public_list(db_session=session, pool=pool, on=date(2025, 4, 30))
        after = overview.public_list(db_session=session, pool=pool, on=date(2025, 5, 1))
        assert {p.number for p in before.patents if p.in_force} >= {"US201"}
        assert "US201" not in {p.number for p in after.patents if p.in_force}
        assert "CN999" not in {p.number for p in after.patents}  # not admitted: not listed
        audit_actions = set(session.scalars(select(AuditRecord.action)))
        assert {"pool.patent_decided", "pool.patent_event", "pool.expert_assigned"} <= audit_actions


def test_members_need_a_valid_unified_social_credit_code(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        with pytest.raises(
            ValidationError, match="not a valid Unified Social Credit Code"
        ) as caught:
            membership.add_member(
                db_session=session, actor=ACTOR, pool=pool, name="X", uscc_code="914404001234567890"
            )
        assert caught.value.field == "uscc"
        with pytest.raises(ValidationError, match="needs its Unified Social Credit Code"):
            membership.add_member(db_session=session, actor=ACTOR, pool=pool, name="X")
        foreign = membership.add_member(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            name="Daikin",
            country="JP",
            foreign_registration="1200-01-012345",
        )
        assert foreign.uscc is None
        member = membership.add_member(
            db_session=session, actor=ACTOR, pool=pool, name="长虹", uscc_code=code("77")
        )
        assert member.uscc == code("77")


def test_cases_follow_their_lifecycle_and_settle_with_a_licence(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        case = cases.open_case(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            kind="negotiation",
            title="collective negotiation",
            parties=["Foreign Maker", "联盟"],
            patents=["US201"],
        )
        with pytest.raises(
            InvalidTransition, match="allowed: negotiating, in_mediation, litigated, closed"
        ):
            cases.change_case_status(db_session=session, actor=ACTOR, case=case, status="settled")
        cases.change_case_status(
            db_session=session, actor=ACTOR, case=case, status="negotiating", note="round 1"
        )
        agreement = cases.settle_with_licence(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            case=case,
            licensee_name="Foreign Maker",
            country="US",
            starts_on=date(2025, 1, 1),
            ends_on=date(2029, 12, 31),
            back_royalties_from=date(2023, 1, 1),
        )
        assert case.status == "settled" and case.agreement_id == agreement.id
        assert agreement.rates == pool.rates
        back = royalty_reports.submit_report(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            licensee_name="Foreign Maker",
            period="2024-06",
            rows=[{"category": "split-ac", "made_in": "US", "sold_in": "US", "units": 10}],
        )
        assert back.lines[0].back_royalty and back.invoice.amount_fen == 3_000


def test_the_annual_cap_limits_the_year(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        licensee = licensing.add_licensee(
            db_session=session, actor=ACTOR, pool=pool, name="Capped", country="CN"
        )
        licensing.sign_agreement(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            licensee=licensee,
            signed_on=date(2024, 1, 1),
            starts_on=date(2025, 1, 1),
            ends_on=date(2025, 12, 31),
            annual_cap="5000.00",
            compliant_discount="0.1",
        )
        rows = [{"category": "split-ac", "made_in": "CN", "sold_in": "US", "units": 1000}]
        first = royalty_reports.submit_report(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            licensee_name="Capped",
            period="2025-01",
            rows=rows,
            issued_on=date(2025, 2, 5),  # on time: the compliant rate applies
        )
        assert first.invoice.amount_fen == 270_000  # 1000 x 3.00 x 0.9
        second = royalty_reports.submit_report(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            licensee_name="Capped",
            period="2025-02",
            rows=rows,
            issued_on=date(2025, 3, 5),
        )
        assert second.invoice.amount_fen == 230_000  # the cap's room
        assert second.report.uncapped_fen == 270_000
        with pytest.raises(Conflict, match="exceeds what is outstanding"):
            payments.record_payment(
                db_session=session,
                actor=ACTOR,
                invoice=second.invoice,
                amount="2300.01",
                paid_on=date(2025, 3, 1),
            )
        with pytest.raises(ValidationError, match="float"):
            payments.record_payment(
                db_session=session,
                actor=ACTOR,
                invoice=second.invoice,
                amount=2300.0,
                paid_on=date(2025, 3, 1),
            )


def test_an_allocation_refuses_royalty_whose_patents_left_retroactively(registry_url: str) -> None:
    engine = make_engine(registry_url)
    with session_scope(engine) as session:
        pool = build_pool(session)
        rows = [{"category": "split-ac", "made_in": "TH", "sold_in": "US", "units": 10}]
        accepted = royalty_reports.submit_report(
            db_session=session,
            actor=ACTOR,
            pool=pool,
            licensee_name=LICENSEE,
            period="2025-03",
            rows=rows,
        )
        payments.record_payment(
            db_session=session,
            actor=ACTOR,
            invoice=accepted.invoice,
            amount="30.00",
            paid_on=date(2025, 4, 1),
        )
        for number in ("US201", "US202"):
            patent = submissions.get_patent(db_session=session, pool=pool, number=number)
            submissions.record_patent_event(
                db_session=session,
                actor=ACTOR,
                patent=patent,
                kind="invalidated",
                on=date(2025, 1, 1),
            )
        with pytest.raises(Conflict, match="US on 2025-03-31"):
            allocation_runs.allocate_period(
                db_session=session, actor=ACTOR, pool=pool, period="2025-03"
            )
