"""Pure rules: money, schedules, the loan state machine, policy, compensation, USCC,
working days, rating formulas, the probability-of-default model."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipops.errors import InvalidTransition, ValidationError
from ipops.finance import compensation, money, rating, rating_inputs, schedules
from ipops.finance.enterprises import check_credit_code
from ipops.finance.loans import Action, LoanState, allowed_actions, next_state
from ipops.finance.pd_model import Observation, fit
from ipops.finance.policy import load_policy, parse_policy
from ipops.finance.workdays import CalendarNotCovered, WorkCalendar, load_overrides

POLICY = load_policy()


# --------------------------------------------------------------------------- money


def test_floats_are_refused_and_fen_fractions_too() -> None:
    with pytest.raises(ValidationError, match="float"):
        money.amount(0.1, "amount")
    with pytest.raises(ValidationError, match="fraction of a fen"):
        money.amount("10.001", "amount")
    with pytest.raises(ValidationError, match="more than 0"):
        money.amount("0", "amount")
    assert money.amount("1_000.5", "amount") == Decimal("1000.50")


@given(st.integers(0, 10**12), st.lists(st.integers(0, 10**9), min_size=1, max_size=8))
def test_allocation_sums_to_the_whole(total: int, weights: list[int]) -> None:
    if sum(weights) == 0:
        return
    parts = money.allocate(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, w in zip(parts, weights, strict=True):
        assert abs(part - total * w / whole) < 1 + 1e-9


# --------------------------------------------------------------------------- schedules


def test_equal_instalments_known_figures() -> None:
    lines = schedules.build(
        schedules.Method.EQUAL_INSTALMENTS,
        Decimal("1000000.00"),
        Decimal("0.0435"),
        12,
        date(2024, 1, 31),
    )
    # 1,000,000 at 4.35% over 12 months: P r / (1 - (1 + r)^-12) = 85,309.90 a month
    assert lines[0].total == Decimal("85309.90")
    assert lines[0].interest == Decimal("3625.00")
    assert lines[0].due == date(2024, 2, 29)  # month end clamps
    assert sum(line.principal for line in lines) == Decimal("1000000.00")


def test_equal_principal_and_balloon() -> None:
    lines = schedules.build(
        schedules.Method.EQUAL_PRINCIPAL, Decimal("100.00"), Decimal("0.12"), 3, date(2024, 1, 1)
    )
    assert [line.principal for line in lines] == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert lines[0].interest == Decimal("1.00")
    balloon = schedules.build(
        schedules.Method.INTEREST_ONLY, Decimal("500000.00"), Decimal("0.06"), 6, date(2024, 1, 15)
    )
    assert all(line.principal == 0 for line in balloon[:-1])
    assert balloon[-1].principal == Decimal("500000.00")
    assert {line.interest for line in balloon} == {Decimal("2500.00")}


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(list(schedules.Method)),
    st.integers(1_000, 50_000_000_00),
    st.integers(0, 2000),
    st.integers(1, 60),
)
def test_principal_always_sums_exactly(method: schedules.Method, fen: int, bp: int, n: int) -> None:
    principal = Decimal(fen) / 100
    lines = schedules.build(method, principal, Decimal(bp) / 10000, n, date(2024, 5, 31))
    assert sum(line.principal for line in lines) == principal
    assert all(line.principal >= 0 and line.interest >= 0 for line in lines)
    assert all(line.principal == line.principal.quantize(money.FEN) for line in lines)


def test_payment_goes_to_interest_first_then_principal_oldest_first() -> None:
    lines = schedules.build(
        schedules.Method.EQUAL_PRINCIPAL, Decimal("1200.00"), Decimal("0.12"), 12, date(2024, 1, 1)
    )
    paid = schedules.apply_payment(lines, Decimal("50.00"))
    assert paid.interest == Decimal("12.00")
    assert paid.principal == Decimal("38.00")
    assert paid.lines[0].paid_principal == Decimal("38.00")
    assert not paid.lines[0].settled
    with pytest.raises(ValidationError, match="outstanding"):
        schedules.apply_payment(lines, Decimal("999999.00"))
    assert schedules.days_past_due(paid.lines, date(2024, 3, 1)) == 29


# --------------------------------------------------------------------------- state machine


def test_disallowed_transition_names_the_allowed_ones() -> None:
    with pytest.raises(InvalidTransition, match="allowed: undo_disbursal, write_off"):
        next_state(LoanState.ACTIVE, Action.APPROVE)
    with pytest.raises(InvalidTransition, match="none"):
        next_state(LoanState.CLOSED, Action.WRITE_OFF)
    assert next_state(LoanState.APPROVED, Action.UNDO_APPROVAL) is LoanState.SUBMITTED


@given(st.lists(st.sampled_from(list(Action)), max_size=30))
def test_any_sequence_of_actions_stays_in_the_machine(actions: list[Action]) -> None:
    state = LoanState.SUBMITTED
    for action in actions:
        if action in allowed_actions(state):
            state = next_state(state, action)
        else:
            with pytest.raises(InvalidTransition):
                next_state(state, action)
    assert state in LoanState


# --------------------------------------------------------------------------- policy


def case(**changes: object) -> compensation.CompensationCase:
    base: dict[str, object] = {
        "principal": Decimal("1000000.00"),
        "repaid": Decimal("200000.00"),
        "days_overdue": 60,
        "bank_weak_share": Decimal("0.20"),
        "rate": Decimal("0.05655"),
        "benchmark_rate": Decimal("0.0435"),
    }
    base.update(changes)
    return compensation.CompensationCase(**base)  # type: ignore[arg-type]


def test_ningchuangdai_boundaries_are_inclusive() -> None:
    result = compensation.assess(POLICY, case())
    assert result.eligible and result.ratio == Decimal("0.90")
    assert result.amount == Decimal("720000.00")
    low = compensation.assess(POLICY, case(bank_weak_share=Decimal("0.1999")))
    assert low.ratio == Decimal("0.80") and low.amount == Decimal("640000.00")
    early = compensation.assess(POLICY, case(days_overdue=59))
    assert not early.eligible and early.amount == 0
    assert any(c.code == "overdue" and not c.ok for c in early.checks)
    dear = compensation.assess(POLICY, case(rate=Decimal("0.05656")))
    assert not dear.eligible
    assert "0.05656 > benchmark 0.0435 x 1.3" in next(
        c.text for c in dear.checks if c.code == "rate"
    )
    medium = compensation.assess(POLICY, case(enterprise_size="medium"))
    assert not medium.eligible
    mortgage = compensation.assess(POLICY, case(collateral="mortgage"))
    assert not mortgage.eligible


def test_the_annual_cap_limits_compensation() -> None:
    near = POLICY.annual_cap_per_bank - Decimal("1000.00")
    result = compensation.assess(POLICY, case(compensated_this_year=near))
    assert result.eligible and result.amount == Decimal("1000.00")
    full = compensation.assess(POLICY, case(compensated_this_year=POLICY.annual_cap_per_bank))
    assert not full.eligible and full.amount == 0


def test_subsidy_and_proceeds_split() -> None:
    assert compensation.risk_subsidy(
        POLICY, financed=Decimal("1234567.89"), collateral="ip_pledge"
    ) == Decimal("24691.36")
    assert compensation.risk_subsidy(POLICY, financed=Decimal("100"), collateral="credit") == 0
    split = compensation.split_proceeds(
        proceeds=Decimal("100000.01"),
        unrecovered=Decimal("300000.00"),
        compensated=Decimal("200000.00"),
    )
    assert split.to_bank + split.to_fund == Decimal("100000.01")
    assert split.to_fund == Decimal("66666.67") and split.to_pledgor == 0
    surplus = compensation.split_proceeds(
        proceeds=Decimal("500"), unrecovered=Decimal("300"), compensated=Decimal("0")
    )
    assert surplus.to_bank == Decimal("300.00") and surplus.to_pledgor == Decimal("200")


def test_policy_files_are_checked() -> None:
    text = POLICY.text.replace('high_ratio = "0.90"', "high_ratio = 0.9")
    with pytest.raises(ValidationError, match="is a float"):
        parse_policy(text, origin="edited.toml")
    with pytest.raises(ValidationError, match=r"\[policy\] needs version"):
        parse_policy(POLICY.text.replace('version = "2019.1"', ""), origin="edited.toml")
    assert POLICY.name == "ningchuangdai" and len(POLICY.digest) == 64


# --------------------------------------------------------------------------- enterprises


def test_credit_codes_are_checked_with_stdnum() -> None:
    assert check_credit_code("91110000600037341l") == "91110000600037341L"
    with pytest.raises(ValidationError, match="checksum"):
        check_credit_code("91110000600037341A")
    with pytest.raises(ValidationError, match="length"):
        check_credit_code("9111")


# --------------------------------------------------------------------------- working days


def test_working_days_follow_the_official_calendar() -> None:
    calendar = WorkCalendar()
    # 2024 National Day: 1-7 October off, Sunday 29 September and Saturday 12 October worked
    assert calendar.working_days(date(2024, 9, 27), date(2024, 10, 8)) == 3
    assert calendar.working_days(date(2024, 10, 1), date(2024, 10, 1)) == 0
    # Spring Festival 2019: 4-10 February off; 2 and 3 February (weekend) worked
    assert calendar.working_days(date(2019, 2, 1), date(2019, 2, 11)) == 3
    with pytest.raises(ValidationError, match="before"):
        calendar.working_days(date(2024, 2, 1), date(2024, 1, 1))


def test_years_outside_the_data_are_refused_unless_overridden(tmp_path: Path) -> None:
    calendar = WorkCalendar()
    with pytest.raises(CalendarNotCovered, match="2030 is not covered"):
        calendar.working_days(date(2030, 12, 30), date(2031, 1, 5))
    override = tmp_path / "calendar.toml"
    override.write_text(
        '[2031]\nholidays = ["2031-01-01"]\nworkdays = ["2031-01-04"]\n'
        '[2030]\nholidays = ["2030-12-31"]\n',
        "utf-8",
    )
    custom = WorkCalendar(load_overrides(override))
    # 31 Dec and 1 Jan off; 2, 3 and Saturday 4 January worked
    assert custom.working_days(date(2030, 12, 30), date(2031, 1, 5)) == 3


# --------------------------------------------------------------------------- rating


def features(rng: random.Random) -> dict[str, object]:
    in_force = rng.randint(0, 80)
    patents = in_force + rng.randint(0, 20)
    return {
        "enterprise_id": rng.randint(1, 10**6),
        "patents": patents,
        "in_force": in_force,
        "pvd_mean": None if in_force == 0 else rng.uniform(0, 100),
        "pvd_top_share": None if in_force == 0 else rng.uniform(0, 1),
        "recent": rng.randint(0, 30),
        "prior": rng.randint(0, 30),
        "subclasses": min(in_force, rng.randint(0, 12)),
        "remaining_mean": None if in_force == 0 else rng.uniform(0, 20),
        "dead": rng.randint(0, patents - in_force + 1),
        "invalidations": rng.randint(0, 2),
        "pledged": rng.randint(0, in_force),
        "expiring": rng.randint(0, in_force),
        "utility_models": (utility := rng.randint(0, in_force)),
        "designs": rng.randint(0, in_force - utility),
        "lapsed": rng.randint(0, patents - in_force),
        "invalidated": rng.randint(0, 1) if patents > in_force else 0,
    } | rating_inputs.financial_features(
        rd_spend_fen=rng.choice([None, rng.randint(0, 10**10)]),
        revenue_fen=rng.choice([None, 0, rng.randint(1, 10**11)]),
        bureau_flags=rng.choice(
            [None, [], rng.sample(sorted(rating_inputs.BUREAU_PENALTIES), rng.randint(1, 4))]
        ),
    )


SQL_TYPES = {"pvd_mean": "DOUBLE", "pvd_top_share": "DOUBLE", "remaining_mean": "DOUBLE"}
SQL_TYPES |= {"rd_intensity": "DOUBLE", "rd_required": "DOUBLE", "bureau_flags": "VARCHAR[]"}


def test_sql_and_python_ratings_agree() -> None:
    rng = random.Random(7)
    rows = [features(rng) for _ in range(300)]
    con = duckdb.connect()
    columns = list(rows[0])
    con.execute(
        "CREATE TABLE f (" + ", ".join(f"{c} {SQL_TYPES.get(c, 'BIGINT')}" for c in columns) + ")"
    )
    con.executemany(
        f"INSERT INTO f VALUES ({', '.join('?' for _ in columns)})",
        [[r[c] for c in columns] for r in rows],
    )
    scored = {
        r[0]: (r[1], r[2])
        for r in con.execute(
            f"SELECT enterprise_id, score, grade FROM ({rating.score_sql('f')})"
        ).fetchall()
    }
    for row in rows:
        explained = rating.explain(row)
        score, grade = scored[row["enterprise_id"]]
        assert abs(explained.score - score) <= 0.1 + 1e-9
        if abs(score - round(score / 10) * 10) > 0.2:  # away from a grade boundary
            assert explained.grade == grade
        cap, _why = rating.score_cap(row)
        adjusted = sum(c.points for c in explained.components) + sum(
            a.points or 0 for a in explained.adjustments
        )
        assert min(max(adjusted, 0), cap) == pytest.approx(explained.score, abs=0.1)


def test_grades_and_alerts() -> None:
    assert [rating.grade_of(s) for s in (95, 90, 89.9, 60, 20, 19.9, 0)] == [
        "AAA",
        "AAA",
        "AA",
        "BBB",
        "CC",
        "C",
        "C",
    ]
    assert rating.grade_at_least("AA", "BBB") and not rating.grade_at_least("B", "BB")
    alerts = rating.alerts_of({"in_force": 1, "pledged": 1, "dead": 2, "expiring": 1})
    assert "concentration: only one patent in force" in alerts
    assert "1 patents already pledged" in alerts


# --------------------------------------------------------------------------- PD model


def test_default_model_finds_the_patent_terms_and_reports_auc() -> None:
    import math

    rng = random.Random(2013)
    history = []
    for _ in range(600):
        value, n, equity = rng.uniform(0, 80), rng.randint(0, 40), rng.uniform(0.05, 0.8)
        z = 1.0 - 3 * value / 100 - 1.2 * math.log1p(n) * equity - 1.0 * equity
        history.append(
            Observation(
                value, n, equity, rng.uniform(1e6, 1e8), rng.random() < 1 / (1 + math.exp(-z))
            )
        )
    model = fit(history)
    assert model.auc is not None and model.auc > 0.6
    assert model.coefficients["value"] < 0
    assert model.coefficients["log_patents_x_equity"] < 0
    assert model.n_test == 180
    with pytest.raises(ValidationError, match="not enough repayment history"):
        fit(history[:20])
