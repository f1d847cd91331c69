"""The finance domain through the Python API (``ipops.open(home).finance``) on a small
workspace: the same use cases as the CLI and the API, frozen records with Decimal money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from financebuilders import ACME, build_web_world
from pydantic import ValidationError as RecordFrozen

import ipops
from ipops.errors import NotFound
from ipops.finance.compensation_case import CaseInput, GivenBenchmark
from ipops.finance.enterprises import parse_financials


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("finfacade") / "ws"
    _, ids, _ = build_web_world(root)
    return root, ids


def test_enterprises_rating_and_loans_as_records(home: tuple[Path, dict[str, int]]) -> None:
    root, ids = home
    finance = ipops.open(root).finance
    found = finance.enterprises()
    assert [e.name for e in found][:1] == [ACME]
    card = finance.rating(enterprise_id=ids["acme"])
    assert card.enterprise.id == ids["acme"] and card.grade
    loans = finance.loans()
    assert [x.id for x in loans] == [ids["their_loan"]]
    loan = finance.loan(loan_id=ids["their_loan"])
    assert loan.amount == Decimal("100000.00") and loan.state == "submitted"
    assert "approve" in loan.allowed_actions and "withdraw" in loan.steps
    assert finance.schedule(loan_id=loan.id) == []
    with pytest.raises(RecordFrozen):
        loan.state = "active"  # type: ignore[misc]
    with pytest.raises(NotFound):
        finance.loan(loan_id=10_000)


def test_compensation_and_stats(home: tuple[Path, dict[str, int]]) -> None:
    root, _ = home
    finance = ipops.open(root).finance
    case = CaseInput(
        principal="1000000",
        repaid="200000",
        days_overdue=75,
        bank_weak_share="0.2",
        rate="0.05",
        benchmark_rate="0.0435",
    )
    found = finance.compensation(case=case)
    assert found.result.amount == Decimal("720000.00")
    assert found.record().benchmark == GivenBenchmark(rate=Decimal("0.0435"))
    assert found.record().model_dump(mode="json")["benchmark"] == {
        "rate": "0.0435",
        "source": "given",
    }
    report = finance.stats(start=date(2024, 1, 1), end=date(2024, 12, 31))
    assert report.loans == 0 and report.financed == Decimal(0)


def test_financial_inputs_set_from_a_script(home: tuple[Path, dict[str, int]]) -> None:
    root, ids = home
    finance = ipops.open(root).finance
    found = finance.set_financials(
        enterprise_id=ids["acme"],
        financials=parse_financials(None, None, "20000000", "1000000", "none"),
        fields=frozenset({"revenue", "rd_spend", "bureau_flags"}),
        bureau_checked_on=date(2026, 11, 30),
    )
    assert (found.revenue, found.rd_spend) == (Decimal("20000000.00"), Decimal("1000000.00"))
    assert (found.bureau_flags, found.bureau_checked_on) == ((), date(2026, 11, 30))
    inputs = {i["name"]: i for i in finance.rating(enterprise_id=ids["acme"]).financial_inputs}
    assert inputs["rd_intensity"]["value"] == 0.05 and inputs["credit_bureau_flags"]["used"]
