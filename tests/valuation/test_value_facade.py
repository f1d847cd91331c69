"""Patent value through the Python API: ``ipops.open(home).value`` on a small generated
corpus; the same use cases as ``ipops value`` give the same answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import ipops
from ipops.config import Settings
from ipops.corpus.ingest import LoadTarget
from ipops.corpus.loaders import load_generated
from ipops.errors import ValidationError
from ipops.platform import Platform
from ipops.valuation.appraisal import MoneyValuation
from ipops.valuation.rankings import PatentValue, RankedPatent, Ranking
from ipops.valuation.runs import list_runs
from ipops.valuation.screening import HighValueReport
from ipops.workspace import create_workspace

AS_OF = date(2024, 6, 30)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Platform:
    home = tmp_path_factory.mktemp("facade") / "ws"
    create_workspace(Settings(home=home))
    opened = ipops.open(home)
    target = LoadTarget(opened.store, opened.engine, opened.workspace.rejects_dir)
    load_generated(target, patents=400, seed=5)
    return opened


def test_top_ranks_by_pvd_and_records_the_run(platform: Platform) -> None:
    ranking = platform.value.top(n=5, as_of=AS_OF)
    assert isinstance(ranking, Ranking)
    assert all(isinstance(row, RankedPatent) for row in ranking.patents)
    assert ranking.run.as_of == AS_OF
    assert [row.rank for row in ranking.patents] == list(range(1, len(ranking.patents) + 1))
    pvds = [row.pvd for row in ranking.patents]
    assert pvds == sorted(pvds, reverse=True)
    with platform.session() as session:
        assert [r.id for r in list_runs(db_session=session)] == [ranking.run.run_id]
    again = platform.value.top(n=5, as_of=AS_OF)
    assert again.run.run_id == ranking.run.run_id  # reused, not scored again
    assert again.patents == ranking.patents


def test_show_explains_the_top_patent(platform: Platform) -> None:
    best = platform.value.top(n=1, as_of=AS_OF).patents[0]
    card = platform.value.show(patent_id=best.patent_id, as_of=AS_OF)
    assert isinstance(card, PatentValue)
    assert card.patent_id == best.patent_id
    assert card.explanation.pvd is not None
    assert round(card.explanation.pvd, 2) == best.pvd


def test_high_value_screens_as_of_the_date(platform: Platform) -> None:
    report = platform.value.high_value(as_of=AS_OF)
    assert isinstance(report, HighValueReport)
    assert report.as_of == AS_OF
    assert 0 <= report.high_value <= report.valid_inventions
    assert len(report.patents) == report.high_value


def test_money_caps_the_life_by_the_legal_term(platform: Platform) -> None:
    best = platform.value.top(n=1, as_of=AS_OF).patents[0].patent_id
    valued = platform.value.money(
        revenue=["1000000"] * 30,
        royalty_rate="0.05",
        tax_rate="0.25",
        discount_rate="0.12",
        numbers=[best],
        as_of=AS_OF,
        cost="200000",
    )
    assert isinstance(valued, MoneyValuation)
    assert valued.as_of == AS_OF
    (term,) = valued.patents
    assert term.patent_id == best
    if term.remaining_years is not None:
        assert valued.income.life <= max(term.remaining_years, Decimal(0)) + 1
    assert valued.income.value > 0
    assert valued.cost is not None and valued.cost.basis == "age"


def test_money_without_patents_needs_the_obsolescence(platform: Platform) -> None:
    with pytest.raises(ValidationError) as refused:
        platform.value.money(
            revenue=["100"], royalty_rate="0.05", tax_rate="0.25", discount_rate="0.1", cost="1"
        )
    assert refused.value.field == "obsolescence"
