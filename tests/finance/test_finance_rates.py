"""Reference rates by loan date and term, and the compensation calculator's edge cases."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipops.cli.app import app
from ipops.errors import NotFound, ValidationError
from ipops.finance import rates
from ipops.finance.compensation import CompensationCase, Status, assess
from ipops.finance.policy import load_policy
from ipops.finance.rates import Band, ReferenceRule, Series, band_of, reference_rate

TABLE = rates.load_table()
RULE = ReferenceRule()


@pytest.mark.parametrize(
    ("loan_date", "term", "series", "band", "rate"),
    [
        # before the reform: the PBOC benchmark of the term band
        (date(2015, 10, 23), 12, Series.BENCHMARK, Band.UP_TO_1Y, "0.046"),  # 2015-08-26 row
        (date(2015, 10, 24), 12, Series.BENCHMARK, Band.UP_TO_1Y, "0.0435"),
        (date(2018, 3, 1), 13, Series.BENCHMARK, Band.ONE_TO_5Y, "0.0475"),
        (date(2018, 3, 1), 60, Series.BENCHMARK, Band.ONE_TO_5Y, "0.0475"),
        (date(2019, 8, 19), 61, Series.BENCHMARK, Band.OVER_5Y, "0.049"),
        # from 2019-08-20: 1-year LPR up to 60 months, 5-year-plus above
        (date(2019, 8, 20), 12, Series.LPR, Band.UP_TO_1Y, "0.0425"),
        (date(2019, 8, 20), 36, Series.LPR, Band.UP_TO_1Y, "0.0425"),
        (date(2019, 8, 20), 61, Series.LPR, Band.OVER_5Y, "0.0485"),
        (date(2020, 3, 31), 24, Series.LPR, Band.UP_TO_1Y, "0.0405"),  # 2020-02-20 row
        (date(2021, 6, 1), 12, Series.LPR, Band.UP_TO_1Y, "0.0385"),  # 2020-04-20, unchanged
        (date(2024, 7, 21), 120, Series.LPR, Band.OVER_5Y, "0.0395"),  # the day before a change
        (date(2024, 7, 22), 120, Series.LPR, Band.OVER_5Y, "0.0385"),
        (date(2025, 6, 1), 12, Series.LPR, Band.UP_TO_1Y, "0.03"),
    ],
)
def test_the_reference_rate_of_a_loan_by_date_and_term(
    loan_date: date, term: int, series: Series, band: Band, rate: str
) -> None:
    found = reference_rate(TABLE, RULE, loan_date=loan_date, term_months=term)
    assert (found.series, found.band, found.rate) == (series, band, Decimal(rate))


def test_term_bands_and_the_policy_setting() -> None:
    assert [band_of(m) for m in (1, 12, 13, 60, 61)] == [
        Band.UP_TO_1Y,
        Band.UP_TO_1Y,
        Band.ONE_TO_5Y,
        Band.ONE_TO_5Y,
        Band.OVER_5Y,
    ]
    with pytest.raises(ValidationError, match="at least 1 month"):
        band_of(0)
    # a programme that keeps the benchmark until 2020 and puts 3-year loans on the 5-year LPR
    rule = ReferenceRule(lpr_from=date(2020, 1, 1), one_year_lpr_up_to_months=24)
    early = reference_rate(TABLE, rule, loan_date=date(2019, 12, 1), term_months=36)
    assert (early.series, early.rate) == (Series.BENCHMARK, Decimal("0.0475"))
    late = reference_rate(TABLE, rule, loan_date=date(2021, 1, 1), term_months=36)
    assert (late.band, late.rate) == (Band.OVER_5Y, Decimal("0.0465"))
    with pytest.raises(NotFound, match="table starts 2014-11-22"):
        reference_rate(TABLE, RULE, loan_date=date(2010, 1, 1), term_months=12)
    assert load_policy().reference == RULE


def test_a_month_is_added_after_the_checked_through_day_only() -> None:
    text = rates.builtin_text()
    assert TABLE.checked_through == date(2025, 10, 20)
    # 2025-11-20: both rates as in effect (3.00/3.50): no row, only checked through moves
    same = rates.add_month(
        text,
        origin="t",
        on=date(2025, 11, 20),
        one_year=Decimal("0.03"),
        five_year=Decimal("0.035"),
        source="NIFC",
    )
    table = rates.parse_table(same.text, origin="t")
    assert not same.row_added
    assert (table.latest(Series.LPR), table.checked_through) == (
        date(2025, 5, 20),
        date(2025, 11, 20),
    )
    assert len(table.rows) == len(TABLE.rows)
    # a changed month adds its two rows
    changed = rates.add_month(
        same.text,
        origin="t",
        on=date(2025, 12, 22),
        one_year=Decimal("0.029"),
        five_year=Decimal("0.035"),
        source="NIFC",
    )
    table = rates.parse_table(changed.text, origin="t")
    assert changed.row_added and table.latest(Series.LPR) == date(2025, 12, 22)
    assert table.checked_through == date(2025, 12, 22)
    found = reference_rate(table, RULE, loan_date=date(2025, 12, 22), term_months=12)
    assert (found.rate, found.warning) == (Decimal("0.029"), None)
    for day in (date(2025, 12, 22), date(2025, 6, 20)):
        with pytest.raises(ValidationError, match="not after the day the table is checked"):
            rates.add_month(
                changed.text,
                origin="t",
                on=day,
                one_year=Decimal("0.03"),
                five_year=Decimal("0.035"),
                source="",
            )
    with pytest.raises(ValidationError, match="row 3: band of lpr"):
        rates.parse_table(
            "series,effective_from,band,rate,source\nlpr,2019-08-20,1y,4.25,x\n"
            "lpr,2019-08-20,1-5y,4.5,x\n",
            origin="t",
        )


SMALL = (
    "series,effective_from,band,rate,source\n"
    "pboc_benchmark,2015-10-24,1y,4.35,PBOC\npboc_benchmark,2015-10-24,1-5y,4.75,PBOC\n"
    "pboc_benchmark,2015-10-24,5y+,4.90,PBOC\n"
    "lpr,2019-08-20,1y,4.25,NIFC\nlpr,2019-08-20,5y+,4.85,NIFC\n"
)


def test_the_checked_through_line_is_parsed_and_checked() -> None:
    # without the line: checked through the last row
    assert rates.parse_table(SMALL, origin="t").checked_through == date(2019, 8, 20)
    table = rates.parse_table("# checked_through: 2019-12-31\n" + SMALL, origin="t")
    assert table.checked_through == date(2019, 12, 31)
    with pytest.raises(ValidationError, match="before the last row"):
        rates.parse_table("# checked_through: 2019-08-19\n" + SMALL, origin="t")
    with pytest.raises(ValidationError, match="is not a date"):
        rates.parse_table("# checked_through: soon\n" + SMALL, origin="t")
    with pytest.raises(ValidationError, match="more than one"):
        rates.parse_table("# checked_through: 2020-01-01\n" * 2 + SMALL, origin="t")


@pytest.mark.parametrize(
    ("loan_date", "term", "series", "band", "rate", "warned"),
    [
        # before the reform, each band; within the checked period: no warning
        (date(2019, 8, 19), 12, Series.BENCHMARK, Band.UP_TO_1Y, "0.0435", False),
        (date(2019, 8, 19), 36, Series.BENCHMARK, Band.ONE_TO_5Y, "0.0475", False),
        (date(2019, 8, 19), 84, Series.BENCHMARK, Band.OVER_5Y, "0.049", False),
        # after the reform, up to the checked-through day (2019-12-31)
        (date(2019, 8, 20), 36, Series.LPR, Band.UP_TO_1Y, "0.0425", False),
        (date(2019, 12, 31), 84, Series.LPR, Band.OVER_5Y, "0.0485", False),
        # after it: the last rate, with a warning, in every band
        (date(2020, 1, 1), 12, Series.LPR, Band.UP_TO_1Y, "0.0425", True),
        (date(2020, 1, 1), 60, Series.LPR, Band.UP_TO_1Y, "0.0425", True),
        (date(2026, 3, 1), 61, Series.LPR, Band.OVER_5Y, "0.0485", True),
    ],
)
def test_a_loan_after_the_checked_through_day_is_warned(
    loan_date: date, term: int, series: Series, band: Band, rate: str, warned: bool
) -> None:
    table = rates.parse_table("# checked_through: 2019-12-31\n" + SMALL, origin="t")
    found = reference_rate(table, RULE, loan_date=loan_date, term_months=term)
    assert (found.series, found.band, found.rate) == (series, band, Decimal(rate))
    assert (found.warning is not None) == warned
    assert found.checked_through == date(2019, 12, 31)
    if warned:
        assert "after 2019-12-31" in found.text() and found.as_dict()["warning"]
        strict = ReferenceRule(beyond_checked="refuse")
        with pytest.raises(ValidationError, match="refuses such loans") as refused:
            reference_rate(table, strict, loan_date=loan_date, term_months=term)
        assert refused.value.field == "loan-date"
    else:
        refused_not = reference_rate(
            table, ReferenceRule(beyond_checked="refuse"), loan_date=loan_date, term_months=term
        )
        assert refused_not.rate == Decimal(rate)


def test_the_policy_says_whether_beyond_is_refused() -> None:
    from ipops.finance.policy import parse_policy

    text = load_policy().text
    assert load_policy().reference.beyond_checked == "warn"
    line = "one_year_lpr_up_to_months = 60\n"
    assert line in text
    strict = parse_policy(text.replace(line, line + 'beyond_checked = "refuse"\n'), origin="t")
    assert strict.reference.beyond_checked == "refuse"
    assert strict.record().reference_rate.beyond_checked == "refuse"
    with pytest.raises(ValidationError, match="beyond_checked must be warn or refuse"):
        parse_policy(text.replace(line, line + 'beyond_checked = "strict"\n'), origin="t")


def case(**changes: object) -> CompensationCase:
    values: dict[str, object] = {
        "principal": Decimal("1000000.00"),
        "repaid": Decimal("200000.00"),
        "days_overdue": 90,
        "bank_weak_share": Decimal("0.25"),
        "rate": Decimal("0.045"),
        "benchmark_rate": Decimal("0.0435"),
    }
    values.update(changes)
    return CompensationCase(**values)  # type: ignore[arg-type]


def test_nothing_unrecovered_is_nothing_to_compensate() -> None:
    result = assess(load_policy(), case(repaid=Decimal("1000000.00")))
    assert result.status == Status.NOTHING and not result.eligible
    assert result.as_dict()["status"] == "nothing_to_compensate"
    assert "nothing to compensate" in result.checks[-1].text
    paid = assess(load_policy(), case())
    assert paid.status == Status.ELIGIBLE and paid.amount == Decimal("720000.00")  # 800k x 90 %


def test_free_text_size_and_collateral_are_refused_with_the_accepted_list() -> None:
    with pytest.raises(ValidationError, match="accepted: large, medium, micro, small"):
        assess(load_policy(), case(enterprise_size="smal"))
    with pytest.raises(ValidationError, match="accepted: credit, guarantee, ip_pledge"):
        assess(load_policy(), case(collateral="ip-pledge"))
    medium = assess(load_policy(), case(enterprise_size="medium"))
    assert medium.status == Status.NOT_ELIGIBLE


BASE = ["finance", "compensation", "--principal", "1000000", "--repaid", "0"]
BASE += ["--days-overdue", "90", "--bank-weak-share", "0.25", "--rate", "0.05"]


def test_the_cli_looks_the_benchmark_up_from_loan_date_and_term(tmp_path: Path) -> None:
    runner = CliRunner(env={"IPOPS_HOME": str(tmp_path / "none")})
    # 2018 loan for 3 years: benchmark 4.75 % x 1.3 = 6.175 % >= 5 %: eligible
    old = runner.invoke(app, [*BASE, "--loan-date", "2018-03-01", "--term-months", "36", "--json"])
    assert old.exit_code == 0, old.output
    payload = json.loads(old.output)
    assert payload["status"] == "eligible" and payload["amount"] == "900000.00"
    assert payload["benchmark"]["series"] == "pboc_benchmark"
    # 2024-03 loan for 1 year: LPR 3.45 % x 1.3 = 4.485 % < 5 %: not eligible
    new = runner.invoke(app, [*BASE, "--loan-date", "2024-03-01", "--term-months", "12", "--json"])
    payload = json.loads(new.output)
    assert payload["status"] == "not_eligible" and payload["benchmark"]["rate"] == "0.0345"
    missing = runner.invoke(app, BASE)
    # ValidationError: `ipops` exits 2 with the message (cli.app.main)
    assert isinstance(missing.exception, ValidationError)
    assert "--loan-date" in str(missing.exception)
    # a loan after the table's checked-through day: the last rate, with a warning
    late = runner.invoke(app, [*BASE, "--loan-date", "2026-01-05", "--term-months", "12"])
    assert late.exit_code == 0, late.output
    assert "warning: the loan is dated after 2025-10-20" in " ".join(late.output.split())
    late = runner.invoke(app, [*BASE, "--loan-date", "2026-01-05", "--term-months", "12", "--json"])
    assert "after 2025-10-20" in json.loads(late.output)["benchmark"]["warning"]
    assert json.loads(new.output)["benchmark"]["warning"] is None
    typo = runner.invoke(app, [*BASE, "--benchmark-rate", "0.0435", "--size", "smal"])
    assert isinstance(typo.exception, ValidationError)
    assert "accepted: large, medium, micro, small" in str(typo.exception)


def test_the_auc_comes_with_its_interval_and_sample() -> None:
    from ipops.finance.pd_model import PdModel, auc_ci

    # Hanley-McNeil: A = 0.8, 10 defaults, 40 others: Q1 = 0.8/1.2, Q2 = 1.28/1.8,
    # SE^2 = (0.16 + 9 x 0.02667 + 39 x 0.07111) / 400 = 0.007933, SE = 0.08907,
    # 0.8 +- 1.96 x 0.08907 = 0.625 .. 0.975
    low, high = auc_ci(0.8, 10, 40)
    assert (round(low, 3), round(high, 3)) == (0.625, 0.975)
    # the same AUC on ten times the loans is far tighter
    low_big, high_big = auc_ci(0.8, 100, 400)
    assert high_big - low_big < (high - low) / 3
    model = PdModel(0.0, {}, 0.8, n_train=117, n_test=50, defaults=33, test_defaults=10)
    assert model.as_dict()["auc_ci95"] == [round(low, 4), round(high, 4)]
    assert model.as_dict()["auc_sample"] == {"held_out_loans": 50, "held_out_defaults": 10}
    assert PdModel.from_dict(model.as_dict()).auc_interval() == model.auc_interval()
    with pytest.raises(ValidationError):
        auc_ci(0.8, 0, 10)
