"""The rating a credit committee can defend: worked cases and hypothesis properties."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ipops.finance import rating, rating_inputs
from ipops.valuation.schemes import load_scheme

GOOD: dict[str, Any] = {
    "patents": 20,
    "in_force": 18,
    "pvd_mean": 70.0,
    "pvd_top_share": 0.2,
    "recent": 6,
    "prior": 4,
    "subclasses": 6,
    "remaining_mean": 12.0,
    "dead": 2,
    "invalidations": 0,
    "pledged": 2,
    "expiring": 0,
    "utility_models": 0,
    "designs": 0,
    "lapsed": 2,
    "invalidated": 0,
}


def test_no_patent_or_one_fresh_patent_is_not_investment_grade() -> None:
    none = rating.explain(dict.fromkeys(rating.FEATURES, 0))
    assert none.grade not in ("AAA", "AA", "A", "BBB")
    # growth and legal are 0 without patents: 0 points in all (was 15: CC)
    assert none.score == 0.0
    fresh = dict.fromkeys(rating.FEATURES, 0) | {
        "patents": 1,
        "in_force": 1,
        "pvd_mean": 80.0,
        "recent": 1,
        "subclasses": 1,
        "remaining_mean": 19.5,
    }
    one = rating.explain(fresh)
    # components: 3.5 + 20 + 10 + 1.25 + 15 + 10 + 10 = 69.8 (A) before the cap
    assert sum(c.points for c in one.components) > 60
    assert (one.score, one.grade) == (59.9, "BB")
    assert any("not investment grade" in a for a in one.alerts)
    assert rating.explain(GOOD).grade in ("AAA", "AA", "A", "BBB")


def test_patent_types_lapsed_and_invalidated_weigh_differently() -> None:
    designs = rating.explain(GOOD | {"designs": 18})
    utility = rating.explain(GOOD | {"utility_models": 18})
    inventions = rating.explain(GOOD)
    assert designs.score < utility.score < inventions.score
    lapsed = rating.component_values(GOOD | {"lapsed": 2, "invalidated": 0})["legal"]
    invalid = rating.component_values(GOOD | {"lapsed": 0, "invalidated": 2})["legal"]
    assert (lapsed, invalid) == (1 - 1 / 20, 1 - 2 / 20)


def test_a_portfolio_pledged_in_full_is_penalised() -> None:
    full = rating.explain(GOOD | {"pledged": 18})
    assert full.score <= rating.BELOW_INVESTMENT
    assert any("already pledged" in a for a in full.alerts)


def test_the_value_behind_the_rating_has_no_pledge_and_no_remaining_term() -> None:
    used = {name for weights in load_scheme("finance_rating").weights.values() for name in weights}
    assert used and not used & {"pledged", "remaining_term"}
    finance = {name for weights in load_scheme("finance").weights.values() for name in weights}
    assert {"pledged", "remaining_term"} <= finance


FEATURES = st.fixed_dictionaries(
    {
        "patents": st.integers(0, 60),
        "in_force": st.integers(0, 40),
        "pvd_mean": st.floats(0, 100),
        "pvd_top_share": st.floats(0, 1),
        "recent": st.integers(0, 20),
        "prior": st.integers(0, 20),
        "subclasses": st.integers(0, 12),
        "remaining_mean": st.floats(0, 20),
        "invalidations": st.integers(0, 5),
        "pledged": st.integers(0, 40),
        "expiring": st.integers(0, 5),
        "utility_models": st.integers(0, 40),
        "designs": st.integers(0, 40),
        "lapsed": st.integers(0, 10),
        "invalidated": st.integers(0, 10),
    }
).map(lambda f: _fix(f))


def _fix(f: dict[str, Any]) -> dict[str, Any]:
    f = dict(f)
    f["patents"] = max(f["patents"], f["in_force"] + f["lapsed"] + f["invalidated"])
    f["pledged"] = min(f["pledged"], f["in_force"])
    f["utility_models"] = min(f["utility_models"], f["in_force"])
    f["designs"] = min(f["designs"], f["in_force"] - f["utility_models"])
    f["dead"] = f["lapsed"] + f["invalidated"]
    return f


@given(FEATURES, st.integers(1, 10))
def test_more_harm_never_raises_the_score(f: dict[str, Any], more: int) -> None:
    base = rating.explain(f).score
    assert rating.explain(f | {"invalidations": f["invalidations"] + more}).score <= base
    pledged = min(f["pledged"] + more, f["in_force"])
    assert rating.explain(f | {"pledged": pledged}).score <= base


@given(FEATURES)
def test_a_design_counts_less_than_an_invention(f: dict[str, Any]) -> None:
    if f["in_force"] - f["utility_models"] - f["designs"] > 0:
        as_design = f | {"designs": f["designs"] + 1}
        assert rating.explain(as_design).score <= rating.explain(f).score


@given(FEATURES, st.integers(0, 40))
def test_pledges_do_not_feed_the_value_component(f: dict[str, Any], pledged: int) -> None:
    # non-circularity: the value component (and every component but "pledges") is the same
    # however many patents are pledged
    other = f | {"pledged": min(pledged, f["in_force"])}
    a, b = rating.component_values(f), rating.component_values(other)
    assert {k: v for k, v in a.items() if k != "pledges"} == {
        k: v for k, v in b.items() if k != "pledges"
    }


def test_financial_inputs_are_used_when_present_and_shown_when_absent() -> None:
    rows = rating_inputs.financial_inputs(
        total_assets_fen=500_000_000, equity_fen=None, revenue_fen=None
    )
    by_name = {r["name"]: r for r in rows}
    assert by_name["total_assets"] == {
        "name": "total_assets",
        "value": "5000000.00",
        "used": True,
        "how": "PD model: ln(total assets)",
    }
    assert not by_name["equity_ratio"]["used"]
    assert by_name["equity_ratio"]["how"].startswith("absent: not used")
    for name in ("rd_spend", "rd_intensity", "credit_bureau_flags"):
        assert by_name[name]["value"] is None
        assert by_name[name]["how"].startswith("absent: not used")
    # R&D spend 1,200,000.00 on revenue 30,000,000.00: 4 %; a clean bureau report is a value
    rows = rating_inputs.financial_inputs(
        total_assets_fen=None,
        equity_fen=None,
        revenue_fen=3_000_000_000,
        rd_spend_fen=120_000_000,
        bureau_flags=[],
        bureau_checked_on="2026-11-30",
    )
    by_name = {r["name"]: r for r in rows}
    assert by_name["rd_spend"]["value"] == "1200000.00"
    assert by_name["rd_intensity"]["value"] == 0.04
    assert by_name["credit_bureau_flags"]["value"] == {"flags": [], "checked_on": "2026-11-30"}
    assert by_name["credit_bureau_flags"]["used"]


def _with(f: dict[str, Any], rd: int | None, revenue: int | None, flags: Any) -> dict[str, Any]:
    return f | rating_inputs.financial_features(
        rd_spend_fen=rd, revenue_fen=revenue, bureau_flags=flags
    )


def test_rd_intensity_thresholds_and_points_by_hand() -> None:
    # 高新技术企业 thresholds: 5 % up to CNY 50 million, 4 % up to 200 million, 3 % above
    assert rating_inputs.rd_required(50_000_000_00) == 0.05
    assert rating_inputs.rd_required(50_000_000_01) == 0.04
    assert rating_inputs.rd_required(200_000_000_00) == 0.04
    assert rating_inputs.rd_required(200_000_000_01) == 0.03
    base = rating.explain(GOOD)
    assert base.score == 80.4
    # revenue 30 million, R&D 0.9 million: 3 % of a required 5 % -> 5 x 0.6 = +3.0
    half = rating.explain(_with(GOOD, 90_000_000, 3_000_000_000, None))
    assert half.adjustments[0].points == 3.0
    assert half.score == 83.4
    # R&D at twice the threshold: the points stop at 5
    full = rating.explain(_with(GOOD, 300_000_000, 3_000_000_000, None))
    assert (full.adjustments[0].points, full.score) == (5.0, 85.4)
    # R&D spend without revenue: intensity not computed, absent (not 0)
    alone = rating.explain(_with(GOOD, 90_000_000, None, None))
    assert alone.adjustments[0].points is None
    assert alone.adjustments[0].raw.startswith("absent")
    assert alone.score == base.score


def test_bureau_flags_by_hand_and_a_dishonest_debtor_is_not_investment_grade() -> None:
    clean = rating.explain(_with(GOOD, None, None, []))
    assert clean.score == 80.4
    assert clean.adjustments[1].points == 0
    assert clean.adjustments[1].raw == "checked: no adverse record"
    unchecked = rating.explain(GOOD)
    assert unchecked.adjustments[1].points is None
    assert unchecked.adjustments[1].raw == "absent: credit bureau not checked"
    # 80.4 - 10 (征信逾期) - 15 (被执行人) = 55.4
    two = rating.explain(_with(GOOD, None, None, ["pboc_overdue", "enforcement"]))
    assert (two.score, two.grade, two.adjustments[1].points) == (55.4, "BB", -25)
    assert "credit bureau: enforcement 被执行人" in two.alerts
    # a 失信被执行人 with a strong portfolio and R&D at the threshold: 80.4 + 5 - 20 = 65.4,
    # still capped below investment grade
    best = GOOD | {"pvd_mean": 100.0, "subclasses": 8, "recent": 10, "prior": 2}
    dishonest = rating.explain(_with(best, 300_000_000, 3_000_000_000, ["dishonest_debtor"]))
    assert rating.explain(best).score > 80
    assert (dishonest.score, dishonest.grade) == (59.9, "BB")
    assert any("失信被执行人" in a and "not investment grade" in a for a in dishonest.alerts)


FLAGS = st.lists(st.sampled_from(sorted(rating_inputs.BUREAU_PENALTIES)), unique=True)


@given(FEATURES, FLAGS, st.sampled_from(sorted(rating_inputs.BUREAU_PENALTIES)))
def test_a_bureau_flag_never_raises_the_score(
    f: dict[str, Any], flags: list[str], more: str
) -> None:
    before = rating.explain(_with(f, None, None, flags))
    after = rating.explain(_with(f, None, None, sorted(set(flags) | {more})))
    assert after.score <= before.score
    if "dishonest_debtor" in [*flags, more]:
        assert not rating.grade_at_least(after.grade, "BBB")


@given(
    FEATURES,
    st.integers(1, 10**12),
    st.integers(0, 10**11),
    st.integers(0, 10**11),
    st.one_of(st.none(), FLAGS),
)
def test_more_rd_intensity_never_lowers_the_score(
    f: dict[str, Any], revenue: int, rd: int, more: int, flags: list[str] | None
) -> None:
    lower = rating.explain(_with(f, rd, revenue, flags)).score
    higher = rating.explain(_with(f, rd + more, revenue, flags)).score
    assert higher >= lower
    # and reporting R&D never scores below not reporting it
    assert lower >= rating.explain(_with(f, None, revenue, flags)).score
