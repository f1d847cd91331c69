"""Scores: the arithmetic of one explained patent, missing indicators, SQL and Python agree."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipops.valuation.catalogue import BY_NAME, INDICATORS, Normalisation, pct_column
from ipops.valuation.schemes import DEGREES, Scheme, load_scheme, parse_scheme
from ipops.valuation.scoring import explain, normalised, score_sql

SMALL = parse_scheme(
    """
name = "small"
version = "1"
[degrees]
legal = 0.5
technical = 0.25
economic = 0.25
[legal]
remaining_term = 0.5
claims = 0.5
[technical]
generality = 0.4
fwd_citations_5y = 0.6
[economic]
licensed = 1.0
"""
)


def row(**values: Any) -> dict[str, Any]:
    """An indicators row: percentile indicators take their value as the percentile."""
    out: dict[str, Any] = {"patent_id": "CN1", "term_years": 20}
    for name, value in values.items():
        out[name] = value
        if BY_NAME[name].normalisation is Normalisation.PERCENTILE:
            out[pct_column(name)] = value
    return out


def test_one_patent_by_hand() -> None:
    """LVD = 100 * (0.5 * 10/20 + 0.5 * 0.8) = 65; TVD = 100 * (0.4 * 0.5 + 0.6 * 1.0) = 80;
    EVD = 100 * 1 = 100 (licensed); PVD = 0.5 * 65 + 0.25 * 80 + 0.25 * 100 = 77.5."""
    explained = explain(
        row(remaining_term=10.0, claims=0.8, generality=0.5, fwd_citations_5y=1.0, licensed=True),
        SMALL,
    )
    assert [d.score for d in explained.degrees] == pytest.approx([65.0, 80.0, 100.0])
    assert explained.pvd == pytest.approx(77.5)
    claims = next(line for line in explained.lines if line.indicator == "claims")
    assert claims.percentile == 0.8 and claims.effective_weight == 0.5
    assert claims.degree_points == pytest.approx(40.0)
    assert claims.contribution == pytest.approx(20.0)  # 0.5 of PVD's legal half
    assert explained.unavailable == ()


def test_a_missing_indicator_is_left_out_and_its_degree_renormalised() -> None:
    """No generality: TVD = 100 * 0.6 * 1.0 / 0.6 = 100, not 60 (never read as zero)."""
    explained = explain(
        row(remaining_term=10.0, claims=0.8, generality=None, fwd_citations_5y=1.0, licensed=True),
        SMALL,
    )
    assert explained.degree_score("technical") == pytest.approx(100.0)
    assert explained.unavailable == ("generality",)
    generality = next(line for line in explained.lines if line.indicator == "generality")
    assert generality.normalised is None and generality.contribution == 0.0


def test_a_degree_without_any_indicator_is_left_out_of_pvd() -> None:
    """No licence data at all: EVD has no value; PVD = (0.5 * 65 + 0.25 * 80) / 0.75 = 70."""
    explained = explain(
        row(remaining_term=10.0, claims=0.8, generality=0.5, fwd_citations_5y=1.0, licensed=None),
        SMALL,
    )
    assert explained.degree_score("economic") is None
    assert explained.pvd == pytest.approx(70.0)
    assert sum(d.contribution for d in explained.degrees) == pytest.approx(70.0)


def test_normalisation_kinds() -> None:
    assert normalised(row(remaining_term=25.0), "remaining_term") == 1.0  # clamped
    assert normalised({"remaining_term": 5.0, "term_years": 10}, "remaining_term") == 0.5
    assert normalised(row(pledged=False), "pledged") == 0.0
    assert normalised(row(pledged=None), "pledged") is None
    assert normalised(row(grant_lag=0.25), "grant_lag") == 0.25  # the oriented percentile


# --------------------------------------------------------------------------- properties

_VALUES = {
    Normalisation.PERCENTILE: st.one_of(st.none(), st.floats(min_value=0.0, max_value=1.0)),
    Normalisation.FLAG: st.one_of(st.none(), st.booleans()),
    Normalisation.FRACTION: st.one_of(st.none(), st.floats(min_value=0.0, max_value=30.0)),
}


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    values = {i.name: draw(_VALUES[i.normalisation]) for i in INDICATORS}
    return row(**values)


@st.composite
def schemes(draw: st.DrawFn) -> Scheme:
    """Valid schemes: random positive weights, rescaled so that each level sums to 1."""
    names = [i.name for i in INDICATORS]

    def shares(keys: list[str]) -> dict[str, float]:
        raw = [draw(st.integers(min_value=1, max_value=9)) for _ in keys]
        return {k: r / sum(raw) for k, r in zip(keys, raw, strict=True)}

    weights = {
        d: shares(draw(st.lists(st.sampled_from(names), min_size=1, max_size=6, unique=True)))
        for d in DEGREES
    }
    return Scheme("random", "1", shares(list(DEGREES)), weights)


@settings(max_examples=200, deadline=None)
@given(indicators=rows(), scheme=schemes())
def test_scores_stay_in_range_and_contributions_add_up(
    indicators: dict[str, Any], scheme: Scheme
) -> None:
    explained = explain(indicators, scheme)
    for degree in explained.degrees:
        assert degree.score is None or -1e-9 <= degree.score <= 100 + 1e-9
    if explained.pvd is None:
        assert all(d.score is None for d in explained.degrees)
        return
    assert -1e-9 <= explained.pvd <= 100 + 1e-9
    assert sum(line.contribution for line in explained.lines) == pytest.approx(explained.pvd)
    for degree in explained.degrees:
        points = sum(line.degree_points for line in explained.lines if line.degree == degree.degree)
        assert points == pytest.approx(degree.score or 0.0)


@settings(max_examples=25, deadline=None)
@given(batch=st.lists(rows(), min_size=1, max_size=8), scheme=schemes())
def test_the_sql_scores_equal_the_explained_ones(
    batch: list[dict[str, Any]], scheme: Scheme
) -> None:
    table = _indicator_table(batch)
    con = duckdb.connect()
    con.register("indicators", table)
    result = con.execute(score_sql(scheme) + " ORDER BY patent_id").fetchall()
    for (patent_id, *scores, unavailable), indicators in zip(result, batch, strict=True):
        explained = explain(indicators, scheme)
        assert patent_id == indicators["patent_id"]
        assert scores == pytest.approx(
            [*(d.score for d in explained.degrees), explained.pvd], abs=1e-9
        )
        assert tuple(unavailable) == explained.unavailable


def _indicator_table(batch: list[dict[str, Any]]) -> pa.Table:
    columns: dict[str, pa.Array] = {
        "patent_id": pa.array([f"CN{i:03d}" for i in range(len(batch))]),
        "term_years": pa.array([20] * len(batch), pa.int32()),
    }
    for i, indicators in enumerate(batch):
        indicators["patent_id"] = f"CN{i:03d}"
    for indicator in INDICATORS:
        kind = pa.bool_() if indicator.normalisation is Normalisation.FLAG else pa.float64()
        columns[indicator.name] = pa.array([r[indicator.name] for r in batch], kind)
        if indicator.normalisation is Normalisation.PERCENTILE:
            column = pct_column(indicator.name)
            columns[column] = pa.array([r[column] for r in batch], pa.float64())
    return pa.table(columns)


def test_the_builtin_schemes_score_an_empty_row_as_unscored() -> None:
    for name in ("default", "finance", "licensing"):
        explained = explain(row(), load_scheme(name))
        assert explained.pvd is None
        assert set(explained.unavailable) == set(load_scheme(name).indicators)
