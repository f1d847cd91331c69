"""The server-side bar chart geometry."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ipops.web.charts import HEIGHT, MARGIN_BOTTOM, MARGIN_TOP, bar_chart, nice_step


def test_bars_scale_to_the_plot_area_and_keep_their_order() -> None:
    chart = bar_chart([("2018", 5), ("2019", 10), ("2020", 0)], names=["a", "b", "c"])
    assert [b.label for b in chart.bars] == ["2018", "2019", "2020"]
    assert [b.name for b in chart.bars] == ["a", "b", "c"]
    baseline = HEIGHT - MARGIN_BOTTOM
    tallest = chart.bars[1]
    assert tallest.y + tallest.height == baseline
    assert chart.bars[0].height == tallest.height / 2
    assert chart.bars[2].height == 0
    assert chart.ticks[0].value == 0 and chart.ticks[-1].value >= 10


def test_no_points_make_an_empty_chart() -> None:
    assert bar_chart([]).empty


@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=60))
def test_bars_stay_inside_the_chart(values: list[int]) -> None:
    chart = bar_chart([(str(i), v) for i, v in enumerate(values)])
    for bar in chart.bars:
        assert bar.y >= MARGIN_TOP - 0.01
        assert abs(bar.y + bar.height - (HEIGHT - MARGIN_BOTTOM)) < 0.02
        assert chart.left <= bar.x and bar.x + bar.width <= chart.width
    assert max(t.value for t in chart.ticks) >= max(values)
    assert len(chart.ticks) <= 12


@given(st.integers(min_value=0, max_value=10**9))
def test_tick_steps_are_round_numbers(maximum: int) -> None:
    step = nice_step(maximum)
    assert step >= 1
    digits = str(step).rstrip("0")
    assert digits in {"1", "2", "5"}
