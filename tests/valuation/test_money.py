"""Money value: relief from royalty checked against a worked example done by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipops.errors import ValidationError
from ipops.valuation.money import (
    annuity_factor,
    cost_approach,
    relief_from_royalty,
    round_fen,
    tab_factor,
    to_decimal,
    to_fen,
)

REVENUES = ["1000000", "1100000", "1210000"]  # CNY a year, growing 10%


def test_the_worked_example() -> None:
    """Royalty 5%, tax 25%, discount 12%, three years of revenue.

    year  revenue     royalty 5%   after tax 25%   / 1.12^t           present value
    1     1,000,000   50,000.00    37,500.00       / 1.12     =  33,482.142857...
    2     1,100,000   55,000.00    41,250.00       / 1.2544   =  32,884.247449...
    3     1,210,000   60,500.00    45,375.00       / 1.404928 =  32,297.028745...
                                                           sum = 98,663.419051...
    value (no TAB), to the fen, half up:                         98,663.42
    """
    valuation = relief_from_royalty(
        REVENUES, royalty_rate="5%", tax_rate="0.25", discount_rate="0.12"
    )
    assert [round_fen(line.after_tax) for line in valuation.lines] == [
        Decimal("37500.00"),
        Decimal("41250.00"),
        Decimal("45375.00"),
    ]
    assert [round_fen(line.present_value) for line in valuation.lines] == [
        Decimal("33482.14"),
        Decimal("32884.25"),
        Decimal("32297.03"),
    ]
    assert valuation.value == Decimal("98663.42")
    assert valuation.life == 3 and valuation.life_basis == "forecast"
    exact = sum(
        Fraction(revenue) * Fraction(5, 100) * Fraction(3, 4) / Fraction(112, 100) ** t
        for t, revenue in enumerate(REVENUES, start=1)
    )
    assert abs(Fraction(valuation.present_value) - exact) < Fraction(1, 10**20)


def test_the_worked_example_with_the_tax_amortisation_benefit() -> None:
    """AF(12%, 10 years) = (1 - 1.12^-10) / 0.12 = 5.650223...
    TAB = 1 / (1 - 0.25 * 5.650223 / 10) = 1 / 0.858744 = 1.164491...
    value = 98,663.419051 * 1.164491 = 114,892.645891 -> 114,892.65
    """
    valuation = relief_from_royalty(
        REVENUES, royalty_rate="0.05", tax_rate="0.25", discount_rate="0.12", tab=True
    )
    assert round(annuity_factor(Decimal("0.12"), 10), 6) == Decimal("5.650223")
    assert valuation.tab_factor is not None
    assert round(valuation.tab_factor, 6) == Decimal("1.164491")
    assert valuation.value == Decimal("114892.65")
    assert valuation.as_dict()["tab_years"] == 10


def test_the_legal_term_caps_the_life_and_the_last_year_counts_in_part() -> None:
    """Remaining legal term 2.5 years: year 3 counts half and is discounted at t = 2.5.

    year 3: 1,210,000 * 0.5 * 0.05 * 0.75 = 22,687.50 / 1.12^2.5 (= 1.2544 * sqrt(1.12)
            = 1.327532) = 17,089.98
    value = 33,482.14 + 32,884.25 + 17,089.98 = 83,456.37
    """
    valuation = relief_from_royalty(
        REVENUES, royalty_rate="0.05", tax_rate="0.25", discount_rate="0.12", legal_life="2.5"
    )
    assert valuation.life == Decimal("2.5") and valuation.life_basis == "legal"
    last = valuation.lines[-1]
    assert last.fraction == Decimal("0.5") and round_fen(last.after_tax) == Decimal("22687.50")
    expected_factor = 1 / (Decimal("1.2544") * Decimal("1.12").sqrt())
    assert abs(last.discount_factor - expected_factor) < Decimal("1e-25")  # 28-digit context
    assert valuation.value == Decimal("83456.37")


def test_the_figures_shown_are_typed_decimals_rounded_for_reading() -> None:
    """The shown lines are rounded (fen, 6-decimal factors, at most 4 decimals of a year,
    no exponent); their JSON is text, the form the API and ``--json`` print."""
    valuation = relief_from_royalty(
        REVENUES,
        royalty_rate="5%",
        tax_rate="0.25",
        discount_rate="0.12",
        legal_life="2.5",
        tab=True,
        tab_years=15,
    )
    shown = valuation.figures()
    assert shown.life_years == Decimal("2.5") and shown.life_basis == "legal"
    assert [y.fraction for y in shown.years] == [Decimal(1), Decimal(1), Decimal("0.5")]
    assert shown.years[-1].discount_factor == Decimal("0.753277")
    assert shown.years[-1].after_tax == Decimal("22687.50")
    assert shown.present_value == Decimal("83456.37") and shown.tab_factor == Decimal("1.128050")
    assert shown.value == valuation.value == Decimal("94142.95")
    payload = valuation.as_dict()
    assert payload == shown.model_dump(mode="json")
    assert payload["life_years"] == "2.5" and payload["tab_factor"] == "1.128050"
    assert payload["years"][2] == {
        "year": 3,
        "fraction": "0.5",
        "revenue": "1210000.00",
        "royalty": "30250.00",
        "after_tax": "22687.50",
        "discount_factor": "0.753277",
        "present_value": "17089.98",
    }
    # a whole life of ten years is "10", not "1E+1"
    ten = relief_from_royalty(["1"] * 10, royalty_rate="0", tax_rate="0", discount_rate="0.1")
    assert ten.as_dict()["life_years"] == "10"
    cost = cost_approach("777777.777", elapsed_years="3", remaining_years="13.9986").figures()
    # 3 / 16.9986 = 0.1764851...; 777,777.777 * 0.8235148... = 640,511.57
    assert cost.reproduction_cost == Decimal("777777.78")
    assert cost.obsolescence == Decimal("0.176485")
    assert cost.model_dump(mode="json")["value"] == "640511.57"


def test_economic_life_shorter_than_the_forecast_and_a_lapsed_patent() -> None:
    two = relief_from_royalty(
        REVENUES, royalty_rate="0.05", tax_rate="0.25", discount_rate="0.12", economic_life=2
    )
    assert two.life_basis == "economic" and two.value == Decimal("66366.39")  # 33,482.14+32,884.25
    dead = relief_from_royalty(
        REVENUES, royalty_rate="0.05", tax_rate="0.25", discount_rate="0.12", legal_life="0"
    )
    assert dead.value == Decimal("0.00") and dead.lines == ()


def test_floats_are_refused_at_the_boundary() -> None:
    with pytest.raises(ValidationError, match="is a float") as caught:
        relief_from_royalty([1000000.0], royalty_rate="0.05", tax_rate="0.25", discount_rate="0.1")  # type: ignore[list-item]
    assert caught.value.field == "revenue[1]"
    with pytest.raises(ValidationError, match="float"):
        relief_from_royalty(REVENUES, royalty_rate=0.05, tax_rate="0.25", discount_rate="0.1")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"royalty_rate": "1.2"}, "royalty_rate"),
        ({"tax_rate": "-0.1"}, "tax_rate"),
        ({"discount_rate": "0"}, "discount_rate"),
        ({"economic_life": "5"}, "economic_life"),
        ({"legal_life": "-1"}, "legal_life"),
        ({"royalty_rate": "five"}, "royalty_rate"),
    ],
)
def test_bad_inputs_name_the_field(kwargs: dict[str, str], field: str) -> None:
    arguments = {"royalty_rate": "0.05", "tax_rate": "0.25", "discount_rate": "0.12", **kwargs}
    with pytest.raises(ValidationError) as caught:
        relief_from_royalty(REVENUES, **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_rounding_is_half_up_to_the_fen() -> None:
    assert round_fen(Decimal("0.005")) == Decimal("0.01")
    assert round_fen(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67
    assert round_fen(Decimal("-0.005")) == Decimal("-0.01")
    assert to_fen(Decimal("12345.675")) == 1234568
    assert to_decimal("5%", "rate") == Decimal("0.05")
    assert to_decimal("1_000_000", "revenue") == Decimal(1000000)


def test_the_cost_approach() -> None:
    """Reproduction cost 500,000; 8 of 20 years used: obsolescence 8/20 = 0.4 -> 300,000.00."""
    by_age = cost_approach("500000", elapsed_years="8", remaining_years="12")
    assert by_age.obsolescence == Decimal("0.4") and by_age.value == Decimal("300000.00")
    given_rate = cost_approach(Decimal("123456.785"), obsolescence="0")
    assert given_rate.value == Decimal("123456.79")
    with pytest.raises(ValidationError, match="obsolescence"):
        cost_approach("500000")


def test_the_tab_factor_formula() -> None:
    """TAB = 1 / (1 - tax * AF / n); with no tax there is no benefit."""
    assert tab_factor(Decimal(0), Decimal("0.1"), 10) == 1
    factor = tab_factor(Decimal("0.25"), Decimal("0.10"), 5)
    af = sum(Fraction(1) / Fraction(11, 10) ** k for k in range(1, 6))
    assert abs(Fraction(factor) - 1 / (1 - Fraction(1, 4) * af / 5)) < Fraction(1, 10**25)


@settings(max_examples=60, deadline=None)
@given(
    revenues=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=25),
    rate=st.integers(min_value=0, max_value=99),
    tax=st.integers(min_value=0, max_value=60),
    discount=st.integers(min_value=1, max_value=40),
)
def test_value_is_never_negative_and_never_above_the_undiscounted_royalty(
    revenues: list[int], rate: int, tax: int, discount: int
) -> None:
    valuation = relief_from_royalty(
        revenues,
        royalty_rate=Decimal(rate) / 100,
        tax_rate=Decimal(tax) / 100,
        discount_rate=Decimal(discount) / 100,
    )
    ceiling = round_fen(sum(Decimal(r) for r in revenues) * Decimal(rate) / 100)
    assert Decimal(0) <= valuation.value <= ceiling
    assert valuation.value == valuation.value.quantize(Decimal("0.01"))
