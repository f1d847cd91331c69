"""Server-side bar charts: pure geometry that a template draws as inline SVG.

No JavaScript and no chart library: :func:`bar_chart` turns labelled values into bars,
axis ticks and a view box; ``templates/_chart.html`` draws them, and the page always
shows the same numbers as a table beside the chart for screen readers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 560
HEIGHT = 240
MARGIN_LEFT = 44
MARGIN_RIGHT = 8
MARGIN_TOP = 12
MARGIN_BOTTOM = 36
GAP_RATIO = 0.2


@dataclass(frozen=True)
class Bar:
    label: str  # short, under the bar
    name: str  # long, in the tooltip and the table
    value: int
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = MARGIN_LEFT
    baseline: float = HEIGHT - MARGIN_BOTTOM
    label_every: int = 1

    @property
    def empty(self) -> bool:
        return not self.bars


def nice_step(maximum: int, target_ticks: int = 4) -> int:
    """A round tick step (1, 2, 5 x 10^n) giving about ``target_ticks`` ticks up to ``maximum``."""
    if maximum <= 0:
        return 1
    raw = maximum / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return max(1, int(factor * magnitude))
    return int(10 * magnitude)


def bar_chart(points: Sequence[tuple[str, int]], names: Sequence[str] = ()) -> BarChart:
    """Vertical bars for ``(label, value)`` pairs, scaled to the chart's plot area.

    ``names`` are the long names of the bars (default: the labels).
    """
    if not points:
        return BarChart(bars=(), ticks=())
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = nice_step(max(value for _, value in points))
    top = step * math.ceil(max(max(v for _, v in points), 1) / step)
    slot = plot_width / len(points)
    bar_width = slot * (1 - GAP_RATIO)
    baseline = HEIGHT - MARGIN_BOTTOM
    bars = tuple(
        Bar(
            label=label,
            name=names[i] if i < len(names) else label,
            value=value,
            x=round(MARGIN_LEFT + i * slot + (slot - bar_width) / 2, 2),
            y=round(baseline - value / top * plot_height, 2),
            width=round(bar_width, 2),
            height=round(value / top * plot_height, 2),
        )
        for i, (label, value) in enumerate(points)
    )
    ticks = tuple(
        Tick(value=v, y=round(baseline - v / top * plot_height, 2)) for v in range(0, top + 1, step)
    )
    return BarChart(bars=bars, ticks=ticks, label_every=_label_every(len(points), slot))


def _label_every(count: int, slot: float, min_label_width: float = 34.0) -> int:
    """Show every n-th axis label so that labels do not overlap."""
    if count == 0:
        return 1
    return max(1, math.ceil(min_label_width / slot))


_ORG_SUFFIXES = (
    "（演示）",
    "(demo)",
    "股份有限公司",
    "有限责任公司",
    "有限总公司",
    "有限公司",
    "集团公司",
    "江苏省分行",
    "南京分行",
)


_PLACE_PREFIXES = (
    "北京", "上海", "天津", "重庆", "广东", "江苏", "浙江", "山东", "四川", "安徽", "福建",
    "湖北", "湖南", "河南", "河北", "辽宁", "陕西", "南京", "苏州", "无锡", "常州", "杭州",
    "宁波", "深圳", "广州", "珠海", "佛山", "东莞", "中山", "青岛", "济南", "合肥", "芜湖",
    "武汉", "成都", "西安", "沈阳", "嘉兴",
)  # fmt: skip


def short_label(name: str, width: int = 6) -> str:
    """A bar label that reads, as a short name is written in Chinese: an organisation without
    its legal-form suffix, demo mark, bracketed place or leading place name when too long
    (南京银行（演示） → 南京银行, 珠海格力电器股份有限公司 → 格力电器), cut to ``width``
    characters with an ellipsis when still longer."""
    text = re.sub(r"[（(][^（）()]{1,4}[）)]", "", name.strip()) or name.strip()
    changed = True
    while changed:
        changed = False
        for suffix in _ORG_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)].strip()
                changed = True
    if len(text) > width and text[:2] in _PLACE_PREFIXES:
        text = text[2:]
    return text if len(text) <= width else text[: width - 1] + "…"
