"""Finance services on a real registry (SQLite and PostgreSQL) and a real DuckDB corpus."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from financebuilders import ACME, ACTOR, AS_OF, PARTNER, VALID_CODES, FinanceWorld
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipops.audit.models import AuditRecord
from ipops.errors import Conflict, InvalidTransition, NotFound, ValidationError
from ipops.finance import (
    applications,
    balances,
    claims,
    enterprise_book,
    loan_book,
    pledges,
    product_book,
    rating_book,
    stats,
)
from ipops.finance.arrears import run_arrears
from ipops.finance.enterprises import Financials
from ipops.finance.loans import Action, LoanState
from ipops.finance.models import Enterprise, Loan, Pledge, ScheduleLine
from ipops.finance.policy import load_policy
from ipops.finance.workdays import WorkCalendar
from ipops.registry.db import session_scope
from ipops.valuation import highvalue
from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.indicators import compute_indicators
from ipops.valuation.screening import screen_high_value

POLICY = load_policy()


@contextmanager
def session(world: FinanceWorld) -> Iterator[Session]:
    with session_scope(world.engine) as s:
        yield s


def setup_programme(world: FinanceWorld) -> dict[str, int]:
    with session(world) as s:
        acme = enterprise_book.register_enterprise(
            db_session=s,
            actor=ACTOR,
            name=ACME,
            credit_code=VALID_CODES[0],
            region="320106",
            industry="制造业",
            size="small",
            financials=Financials(Decimal("5000000"), Decimal("2000000"), Decimal("3000000")),
        )
        other = enterprise_book.register_enterprise(
            db_session=s,
            actor=ACTOR,
            name="上海别家电器有限公司",
            credit_code=VALID_CODES[1],
            region="310104",
            industry="制造业",
            size="micro",
        )
        enterprise_book.link_patents(db_session=s, store=world.store, actor=ACTOR, enterprise=acme)
        enterprise_book.link_patents(db_session=s, store=world.store, actor=ACTOR, enterprise=other)
        rating_book.rate_enterprises(
            db_session=s,
            store=world.store,
            valuation_root=world.valuation,
            actor=ACTOR,
            as_of=AS_OF,
        )
        bank = product_book.add_bank(
            db_session=s, actor=ACTOR, name="南京银行", organisation_id=None
        )
        balances.set_balance(
            db_session=s,
            actor=ACTOR,
            bank=bank,
            year=2023,
            weak=Decimal("25000000"),
            programme=Decimal("100000000"),
        )
        product = product_book.add_product(
            db_session=s,
            actor=ACTOR,
            bank=bank,
            spec=product_book.ProductInput(
                name="鑫智贷",
                min_amount=Decimal("100000"),
                max_amount=Decimal("5000000"),
                min_term_months=6,
                max_term_months=36,
                rate_multiple=Decimal("1.2"),
                min_grade="B",
                regions=("3201",),
                max_ltv=Decimal("0.5"),
            ),
        )
        narrow = product_book.add_product(
            db_session=s,
            actor=ACTOR,
            bank=bank,
            spec=product_book.ProductInput(
                name="大额贷",
                min_amount=Decimal("3000000"),
                max_amount=Decimal("9000000"),
                min_term_months=12,
                max_term_months=24,
                rate_multiple=Decimal("1.0"),
                min_grade="AA",
            ),
        )
        return {
            "acme": acme.id,
            "other": other.id,
            "bank": bank.id,
            "product": product.id,
            "narrow": narrow.id,
        }


def offer(*items: tuple[str, str]) -> list[applications.Collateral]:
    return [applications.Collateral(p, value=Decimal(v)) for p, v in items]


def apply(
    world: FinanceWorld,
    ids: dict[str, int],
    amount: object = "1000000",
    patents: list[applications.Collateral] | None = None,
    term: int = 12,
) -> int:
    with session(world) as s:
        acme = s.get(Enterprise, ids["acme"])
        assert acme is not None
        app = applications.prepare_application(
            db_session=s,
            store=world.store,
            enterprise=acme,
            amount=amount,
            term_months=term,
            offered=patents or offer(("CN1001", "1500000"), ("CN1002", "1000000")),
        )
        return applications.submit(
            db_session=s,
            actor=ACTOR,
            application=app,
            product_id=ids["product"],
            applied_on=date(2024, 3, 1),
        ).id


def count(world: FinanceWorld, model: type) -> int:
    with session(world) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_enterprise_links_and_explained_rating(world: FinanceWorld) -> None:
    ids = setup_programme(world)
    with session(world) as s:
        links = enterprise_book.links_of(db_session=s, enterprise_id=ids["acme"])
        assert {x.patent_id for x in links if x.status == "confirmed"} == {
            f"CN100{k}" for k in range(1, 7)
        }
        pending = [x for x in links if x.status == "pending"]
        assert [x.patent_id for x in pending] == ["CN3001"]  # a near name, to review
        enterprise_book.review_link(db_session=s, actor=ACTOR, link_id=pending[0].id, accept=False)
        acme = enterprise_book.get_enterprise(db_session=s, key=VALID_CODES[0])
        card = rating_book.rating_card(db_session=s, enterprise=acme)
        detail = enterprise_book.enterprise_detail(db_session=s, enterprise=acme)
        record = enterprise_book.EnterpriseRecord.of(acme)
    # the detail is the enterprise's record with its links, by patent number
    assert detail.model_dump(exclude={"patents"}) == record.model_dump()
    assert [x.patent_id for x in detail.patents] == sorted(x.patent_id for x in links)
    assert {x.patent_id: x.status for x in detail.patents}["CN3001"] == "rejected"
    assert detail.revenue == Decimal("3000000.00")
    assert card.grade in ("AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C")
    assert {c["name"] for c in card.components} == {
        "size",
        "value",
        "growth",
        "breadth",
        "life",
        "legal",
        "pledges",
    }
    assert sum(c["points"] for c in card.components) == pytest.approx(card.score, abs=0.1)
    assert card.inputs["valuation_scheme"].startswith("finance")
    assert card.inputs["corpus_snapshot"]
    assert "1 patents lapsed or invalidated" in card.alerts


def test_bad_enterprise_input_is_refused_and_nothing_stored(world: FinanceWorld) -> None:
    with (
        pytest.raises(ValidationError, match="not a valid Unified Social Credit Code") as err,
        session(world) as s,
    ):
        enterprise_book.register_enterprise(
            db_session=s,
            actor=ACTOR,
            name="坏代码公司",
            credit_code="91110000600037341A",
            region="320106",
            industry="制造业",
            size="small",
        )
    assert err.value.field == "credit_code"
    with pytest.raises(ValidationError, match="size class"), session(world) as s:
        enterprise_book.register_enterprise(
            db_session=s,
            actor=ACTOR,
            name="x",
            credit_code=VALID_CODES[2],
            region="320106",
            industry="制造业",
            size="tiny",
        )
    assert count(world, Enterprise) == 0


def test_matching_explains_each_product(world: FinanceWorld) -> None:
    ids = setup_programme(world)
    with session(world) as s:
        acme = s.get(Enterprise, ids["acme"])
        assert acme is not None
        app = applications.prepare_application(
            db_session=s,
            store=world.store,
            enterprise=acme,
            amount="1300000",
            term_months=12,
            offered=offer(("CN1001", "1500000"), ("CN1002", "1000000")),
        )
        found = applications.match_products(db_session=s, application=app)
    assert [m.product.name for m in found] == ["鑫智贷", "大额贷"]
    first, second = found
    assert not first.fits  # 1.3M > 0.5 x 2.5M
    assert [c.code for c in first.checks if not c.ok] == ["ltv"]
    assert {c.code for c in second.checks if not c.ok} >= {"amount", "grade"}


@pytest.mark.parametrize(
    ("amount", "patents", "term", "error", "message"),
    [
        ("0", None, 12, ValidationError, "more than 0"),
        (1000000.0, None, 12, ValidationError, "float"),
        ("1000000", None, 60, ValidationError, "term 60 months outside 6-36"),
        ("1000000", [("CN2001", "1000000")], 12, ValidationError, "is not a patent of"),
        ("1000000", [("CN1005", "3000000")], 12, ValidationError, "legal status is lapsed"),
        ("1000000", [("CN9999", "3000000")], 12, NotFound, "not in the corpus"),
    ],
)
def test_bad_applications_are_refused_with_the_reason(
    world: FinanceWorld,
    amount: object,
    patents: list[tuple[str, str]] | None,
    term: int,
    error: type[Exception],
    message: str,
) -> None:
    ids = setup_programme(world)
    with pytest.raises(error, match=message):
        apply(world, ids, amount=amount, patents=offer(*patents) if patents else None, term=term)
    assert count(world, Loan) == 0


def test_loan_lifecycle_pledge_schedule_repayments_and_closing(world: FinanceWorld) -> None:
    ids = setup_programme(world)
    loan_id = apply(world, ids)
    with (
        pytest.raises(InvalidTransition, match="allowed: approve, reject, withdraw"),
        session(world) as s,
    ):
        loan_book.act(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            action=Action.DISBURSE,
            on_day=date(2024, 3, 5),
        )
    with session(world) as s:
        loan_book.act(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            action=Action.APPROVE,
            on_day=date(2024, 3, 12),
        )
        with pytest.raises(InvalidTransition, match="no registered pledge"):
            loan_book.act(
                db_session=s,
                actor=ACTOR,
                loan_id=loan_id,
                action=Action.DISBURSE,
                on_day=date(2024, 3, 20),
            )
    with session(world) as s:
        pledge = pledges.register_pledge(
            db_session=s,
            store=world.store,
            actor=ACTOR,
            loan_id=loan_id,
            registration_number="Y2024320000001",
            registered_on=date(2024, 3, 15),
        )
        record = pledges.pledge_record(db_session=s, pledge=pledge)
        loan_book.act(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            action=Action.DISBURSE,
            on_day=date(2024, 3, 29),
        )
    assert record.pledgors == [ACME] and record.pledgee == "南京银行"
    assert [p.patent_id for p in record.patents] == ["CN1001", "CN1002"]
    assert record.patents[0].main_ipc == "F24F 11/30"
    assert record.debt_term[0] == date(2024, 3, 15) and isinstance(record.secured_amount, Decimal)
    with session(world) as s:
        lines = loan_book.schedule_of(db_session=s, loan_id=loan_id)
        assert len(lines) == 12 and sum(x.principal_fen for x in lines) == 100_000_000
        first = lines[0].principal_fen + lines[0].interest_fen
        payment = loan_book.repay(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            amount=str(Decimal(first) / 100),
            paid_on=date(2024, 4, 29),
        )
        assert payment.interest_fen == lines[0].interest_fen
    with session(world) as s:
        loan = loan_book.get_loan(db_session=s, loan_id=loan_id)
        rest = sum(
            x.principal_fen + x.interest_fen - x.paid_principal_fen - x.paid_interest_fen
            for x in loan_book.schedule_of(db_session=s, loan_id=loan_id)
        )
        loan_book.repay(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            amount=str(Decimal(rest) / 100),
            paid_on=date(2024, 6, 1),
        )
        assert loan.state == LoanState.CLOSED
        assert s.scalars(select(Pledge)).one().status == "cancelled"
    with (
        pytest.raises(InvalidTransition, match="is closed: only an active loan takes repayments"),
        session(world) as s,
    ):
        loan_book.repay(
            db_session=s, actor=ACTOR, loan_id=loan_id, amount="10", paid_on=date(2024, 6, 2)
        )
    with session(world) as s:
        actions = s.scalars(
            select(AuditRecord.action).where(AuditRecord.object_type == "fin_loan")
        ).all()
    assert "finance.loan_repay_in_full" in actions


def test_pledge_rules_co_owners_and_no_double_pledge(world: FinanceWorld) -> None:
    ids = setup_programme(world)
    first = apply(world, ids, patents=offer(("CN1006", "3000000")))
    with session(world) as s:
        loan_book.act(
            db_session=s, actor=ACTOR, loan_id=first, action=Action.APPROVE, on_day=date(2024, 3, 5)
        )
    with pytest.raises(ValidationError, match=f"missing: {PARTNER}"), session(world) as s:
        pledges.register_pledge(
            db_session=s,
            store=world.store,
            actor=ACTOR,
            loan_id=first,
            registration_number="Y1",
            registered_on=date(2024, 3, 6),
        )
    with session(world) as s:
        pledges.register_pledge(
            db_session=s,
            store=world.store,
            actor=ACTOR,
            loan_id=first,
            registration_number="Y1",
            registered_on=date(2024, 3, 6),
            co_pledgors=[PARTNER],
        )
    with pytest.raises(Conflict, match="CN1006 is already pledged"):
        apply(world, ids, patents=offer(("CN1006", "3000000")))


def test_arrears_compensation_claims_files_and_disposal(world: FinanceWorld) -> None:
    ids = setup_programme(world)
    loan_id = apply(world, ids)
    with session(world) as s:
        loan_book.act(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            action=Action.APPROVE,
            on_day=date(2024, 3, 8),
        )
        pledges.register_pledge(
            db_session=s,
            store=world.store,
            actor=ACTOR,
            loan_id=loan_id,
            registration_number="Y2",
            registered_on=date(2024, 3, 15),
        )
        loan_book.act(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            action=Action.DISBURSE,
            on_day=date(2024, 3, 29),
        )
    with session(world) as s:
        report = run_arrears(db_session=s, as_of=date(2024, 6, 27))
        assert report.buckets["31-60"] == 1 and report.crossed == []
        later = run_arrears(db_session=s, as_of=date(2024, 6, 28))
        assert later.crossed == [loan_id]  # 60 days after the first instalment (29 April)
        claim = claims.claim_compensation(
            db_session=s, actor=ACTOR, loan_id=loan_id, policy=POLICY, on_day=date(2024, 6, 28)
        )
        assert claim.ratio == "0.90"  # 25% weak share at the end of 2023
        assert claim.amount_fen == 90_000_000
        subsidy = claims.claim_subsidies(
            db_session=s,
            actor=ACTOR,
            bank=product_book.get_bank(db_session=s, key=ids["bank"]),
            year=2024,
            policy=POLICY,
        )
        assert subsidy.amount == Decimal("20000.00")
        rows = claims.claim_rows(
            db_session=s, bank_id=ids["bank"], start=date(2024, 1, 1), end=date(2024, 12, 31)
        )
        loan_book.act(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            action=Action.WRITE_OFF,
            on_day=date(2024, 6, 30),
        )
        disposal = claims.list_for_disposal(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            method="sale",
            on_day=date(2024, 7, 1),
            policy=POLICY,
        )
        split = claims.realise(
            db_session=s,
            actor=ACTOR,
            disposal_id=disposal.id,
            proceeds="500000.00",
            on_day=date(2024, 9, 1),
        )
    assert [r["kind"] for r in rows] == ["compensation", "subsidy"]
    assert rows[0]["loan_id"] == loan_id and rows[0]["credit_code"] == VALID_CODES[0]
    assert split.to_fund == Decimal("450000.00") and split.to_bank == Decimal("50000.00")
    sheet = load_workbook(BytesIO(claims.claims_xlsx(rows))).active
    assert sheet.cell(1, 1).value == "claim_id" and sheet.cell(2, 14).value == 900000
    text = claims.claims_csv(rows).decode("utf-8-sig")
    assert text.splitlines()[1].split(",")[13] == "900000.00"


def test_collateral_watch_and_revaluation(world: FinanceWorld) -> None:
    from financebuilders import event_row

    from ipops.corpus.ingest import LoadJob, load
    from ipops.corpus.prepare import Prepared
    from ipops.corpus.schema import to_table

    ids = setup_programme(world)
    loan_id = apply(world, ids)
    with session(world) as s:
        loan_book.act(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            action=Action.APPROVE,
            on_day=date(2024, 3, 8),
        )
        pledges.register_pledge(
            db_session=s,
            store=world.store,
            actor=ACTOR,
            loan_id=loan_id,
            registration_number="Y3",
            registered_on=date(2024, 3, 15),
        )
        loan_book.act(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            action=Action.DISBURSE,
            on_day=date(2024, 3, 29),
        )
    events = to_table("events", [event_row("CN1002", date(2024, 8, 1), "invalidated")])
    job = LoadJob(kind="events", source_format="test", sources=[], load_key="ev", options={})
    load(world.target, job, [Prepared({"events": events}, [], 0)])
    with session(world) as s:
        report = pledges.watch_collateral(db_session=s, store=world.store, as_of=date(2024, 9, 1))
        again = pledges.watch_collateral(db_session=s, store=world.store, as_of=date(2024, 9, 1))
        alert = pledges.revalue(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            patent_id="CN1002",
            value="0",
            on_day=date(2024, 9, 2),
        )
    assert [(a["patent_id"], a["kind"]) for a in report.alerts] == [("CN1002", "invalidated")]
    assert again.raised == 0
    assert alert is not None and "below the principal outstanding" in alert.detail


def test_programme_statistics_and_pledge_amounts_for_high_value(world: FinanceWorld) -> None:
    ids = setup_programme(world)
    loan_id = apply(world, ids, amount="1200000")
    with session(world) as s:
        loan_book.act(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            action=Action.APPROVE,
            on_day=date(2024, 3, 8),
        )
        pledges.register_pledge(
            db_session=s,
            store=world.store,
            actor=ACTOR,
            loan_id=loan_id,
            registration_number="Y4",
            registered_on=date(2024, 3, 15),
        )
        loan_book.act(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            action=Action.DISBURSE,
            on_day=date(2024, 3, 29),
        )
        report = stats.programme_stats(
            db_session=s, start=date(2024, 1, 1), end=date(2024, 9, 30), calendar=WorkCalendar()
        )
        amounts = pledges.RegistryPledgeAmounts(s).amounts()
        options = IndicatorOptions(as_of=AS_OF, min_cohort=20)
        indicators = compute_indicators(world.store, world.valuation, options)
        rules = highvalue.HighValueRules(
            as_of=AS_OF, strategic=(), pledge_threshold=Decimal("1000000")
        )
        screened = screen_high_value(
            world.store, indicators, rules, pledges=pledges.RegistryPledgeAmounts(s)
        )
    assert report.financed == Decimal("1200000.00") and report.enterprises == 1
    assert report.workdays.mean == 20.0  # 1 March (Fri) -> 29 March (Fri): 20 working days
    assert report.statement == (
        "2024年1月1日至2024年9月30日，知识产权质押融资额0.01亿元（1笔），约1家企业受益"
    )
    assert [(r["name"], r["loans"]) for r in report.model_dump(mode="json")["by_collateral"]] == [
        ("ip_pledge", 1)
    ]
    assert amounts == {"CN1001": Decimal("1200000.00"), "CN1002": Decimal("1200000.00")}
    assert screened.by_reason["pledge_financing"] == 2


def test_undo_events_restore_the_state_before(world: FinanceWorld) -> None:
    ids = setup_programme(world)
    loan_id = apply(world, ids)
    with session(world) as s:
        for action in (Action.APPROVE, Action.UNDO_APPROVAL, Action.APPROVE):
            loan_book.act(
                db_session=s, actor=ACTOR, loan_id=loan_id, action=action, on_day=date(2024, 3, 8)
            )
        pledges.register_pledge(
            db_session=s,
            store=world.store,
            actor=ACTOR,
            loan_id=loan_id,
            registration_number="Y5",
            registered_on=date(2024, 3, 15),
        )
        loan_book.act(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            action=Action.DISBURSE,
            on_day=date(2024, 3, 29),
        )
        loan_book.act(
            db_session=s,
            actor=ACTOR,
            loan_id=loan_id,
            action=Action.UNDO_DISBURSAL,
            on_day=date(2024, 3, 30),
        )
        loan = loan_book.get_loan(db_session=s, loan_id=loan_id)
        assert loan.state == LoanState.APPROVED and loan.disbursed_on is None
        assert s.scalar(select(func.count()).select_from(ScheduleLine)) == 0
