"""R&D spend and credit-bureau flags: stored, set by hand, used by the rating, shown as absent
when not given (a real registry, SQLite and PostgreSQL, and a real DuckDB corpus)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from financebuilders import ACME, ACTOR, AS_OF, VALID_CODES, FinanceWorld
from sqlalchemy import select
from typer.testing import CliRunner

from ipops.audit.models import AuditRecord
from ipops.cli.app import app
from ipops.config import Settings
from ipops.errors import ValidationError
from ipops.finance import enterprise_book, rating, rating_book
from ipops.finance.enterprises import BureauFlag, Financials, parse_financials
from ipops.registry.db import session_scope
from ipops.workspace import create_workspace

OTHER = "上海别家电器有限公司"


def _setup(world: FinanceWorld) -> tuple[int, int]:
    with session_scope(world.engine) as s:
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
            name=OTHER,
            credit_code=VALID_CODES[1],
            region="310104",
            industry="制造业",
            size="micro",
            financials=parse_financials(None, None, "1000000", "80000", "失信被执行人"),
        )
        enterprise_book.link_patents(db_session=s, store=world.store, actor=ACTOR, enterprise=acme)
        return acme.id, other.id


def _rate(world: FinanceWorld, key: int) -> rating_book.RatingCard:
    with session_scope(world.engine) as s:
        rating_book.rate_enterprises(
            db_session=s,
            store=world.store,
            valuation_root=world.valuation,
            actor=ACTOR,
            as_of=AS_OF,
        )
        return rating_book.rating_card_of(db_session=s, enterprise_id=key)


def test_inputs_are_stored_used_by_the_rating_and_absent_when_not_given(
    world: FinanceWorld,
) -> None:
    acme_id, other_id = _setup(world)
    before = _rate(world, acme_id)
    assert [(a["name"], a["points"]) for a in before.adjustments] == [
        ("rd_intensity", None),
        ("bureau_flags", None),
    ]
    absent = {i["name"]: i for i in before.financial_inputs}
    assert absent["rd_spend"]["value"] is None and not absent["rd_spend"]["used"]
    assert absent["credit_bureau_flags"]["how"].startswith("absent: not used")
    assert absent["revenue"]["value"] == "3000000.00"
    with session_scope(world.engine) as s:
        updated = enterprise_book.update_financials(
            db_session=s,
            actor=ACTOR,
            enterprise_id=acme_id,
            financials=parse_financials(None, None, None, "150000.00", "enforcement"),
            fields=frozenset({"rd_spend", "bureau_flags"}),
        )
        record = enterprise_book.EnterpriseRecord.of(updated)
    assert record.rd_spend == Decimal("150000.00") and record.revenue == Decimal("3000000.00")
    assert record.bureau_flags == (BureauFlag.ENFORCEMENT,)
    assert record.bureau_checked_on is not None
    after = _rate(world, acme_id)
    # 150,000 / 3,000,000 = 5 %, the threshold of a revenue up to CNY 50 million: +5; 被执行人 -15
    assert after.features["rd_intensity"] == 0.05 and after.features["rd_required"] == 0.05
    assert after.features["bureau_flags"] == ["enforcement"]
    assert [(a["name"], a["points"]) for a in after.adjustments] == [
        ("rd_intensity", 5.0),
        ("bureau_flags", -15),
    ]
    # the set-wise (SQL) score is the one the rules explain
    assert after.score == pytest.approx(rating.explain(after.features).score, abs=0.1)
    points = sum(c["points"] for c in after.components)
    cap = rating.score_cap(after.features)[0]
    assert after.score == pytest.approx(min(max(points + 5 - 15, 0), cap), abs=0.1)
    assert "credit bureau: enforcement 被执行人" in after.alerts
    # the unlinked enterprise (no patents) rated with its own inputs: 8 % R&D, 失信被执行人
    other = _rate(world, other_id)
    assert other.features["bureau_flags"] == ["dishonest_debtor"]
    assert other.features["rd_intensity"] == 0.08
    assert other.score == 0.0 and other.grade == "C"  # 0 + 5 - 20, floored at 0
    with session_scope(world.engine) as s:
        audit = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "finance.enterprise_updated")
        ).one()
        assert audit.before["rd_spend"] is None and audit.after["rd_spend"] == "150000.00"
        # cleared again: absent, not 0
        enterprise_book.update_financials(
            db_session=s,
            actor=ACTOR,
            enterprise_id=acme_id,
            financials=Financials(),
            fields=frozenset({"rd_spend", "bureau_flags"}),
        )
        cleared = enterprise_book.EnterpriseRecord.of(
            enterprise_book.get_enterprise(db_session=s, key=acme_id)
        )
    assert (cleared.rd_spend, cleared.bureau_flags, cleared.bureau_checked_on) == (None, None, None)


def test_bad_inputs_are_refused_and_nothing_written(world: FinanceWorld) -> None:
    acme_id, _ = _setup(world)
    with pytest.raises(ValidationError, match="not a credit-bureau flag; use none or") as err:
        parse_financials(None, None, None, None, "失信")
    assert err.value.field == "bureau_flags"
    with pytest.raises(ValidationError, match="must not be negative") as err:
        parse_financials(None, None, None, "-1", None)
    assert err.value.field == "rd_spend"
    with pytest.raises(ValidationError, match="give none"):
        parse_financials(None, None, None, None, " , ")
    assert parse_financials(None, None, None, None, "none").bureau_flags == ()
    assert parse_financials(None, None, None, None, ["欠税", "tax_arrears"]).bureau_flags == (
        BureauFlag.TAX_ARREARS,
    )
    with session_scope(world.engine) as s:
        with pytest.raises(ValidationError, match="unknown rd") as err:
            enterprise_book.update_financials(
                db_session=s,
                actor=ACTOR,
                enterprise_id=acme_id,
                financials=Financials(),
                fields=frozenset({"rd"}),
            )
        # total assets cleared is fine; a zero one is refused as a whole
        with pytest.raises(ValidationError, match="must be more than 0"):
            enterprise_book.update_financials(
                db_session=s,
                actor=ACTOR,
                enterprise_id=acme_id,
                financials=Financials(total_assets=Decimal(0), rd_spend=Decimal(1)),
                fields=frozenset({"total_assets", "rd_spend"}),
            )
    with session_scope(world.engine) as s:
        kept = enterprise_book.get_enterprise(db_session=s, key=acme_id)
        assert (kept.total_assets_fen, kept.rd_spend_fen) == (500_000_000, None)


def test_the_cli_sets_and_clears_the_inputs(tmp_path: Path) -> None:
    create_workspace(Settings(home=tmp_path))
    runner = CliRunner(env={"IPOPS_HOME": str(tmp_path)})
    add = ["finance", "enterprise", "add", "--name", ACME, "--credit-code", VALID_CODES[0]]
    add += ["--region", "320106", "--industry", "制造业", "--size", "small"]
    add += ["--revenue", "3000000", "--bureau-flags", "none", "--bureau-checked-on"]
    added = runner.invoke(app, [*add, "2026-11-30", "--no-link", "--json"])
    assert added.exit_code == 0, added.output
    first = json.loads(added.output)
    assert (first["bureau_flags"], first["bureau_checked_on"]) == ([], "2026-11-30")
    assert first["rd_spend"] is None
    key = str(first["id"])
    args = ["finance", "enterprise", "set", key, "--rd-spend", "90000"]
    done = runner.invoke(app, [*args, "--bureau-flags", "pboc_overdue,欠税", "--json"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.output)
    assert payload["rd_spend"] == "90000.00" and payload["revenue"] == "3000000.00"
    assert payload["bureau_flags"] == ["pboc_overdue", "tax_arrears"]
    cleared = runner.invoke(
        app, ["finance", "enterprise", "set", key, "--clear", "rd_spend", "--json"]
    )
    assert json.loads(cleared.output)["rd_spend"] is None
    assert json.loads(cleared.output)["bureau_flags"] == ["pboc_overdue", "tax_arrears"]
    both = runner.invoke(app, [*args, "--clear", "rd_spend"])
    assert isinstance(both.exception, ValidationError)
    assert "both given and cleared: rd_spend" in str(both.exception)
    nothing = runner.invoke(app, ["finance", "enterprise", "set", key])
    assert isinstance(nothing.exception, ValidationError)
    assert "nothing to change" in str(nothing.exception)
    bad = runner.invoke(app, ["finance", "enterprise", "set", key, "--bureau-flags", "失信"])
    assert isinstance(bad.exception, ValidationError)
    assert "失信被执行人" in str(bad.exception)  # the accepted list, with labels
