"""Static SVG charts for reports (matplotlib, Agg backend): offline, print-friendly, CJK-safe.

Text is drawn as glyph outlines (``svg.fonttype = "path"``) with the Noto Sans SC subset
ipops ships (``ipops.fonts``), so Chinese renders the same in any browser and in the PDF,
with no CJK font installed where the report is made or read. Ids and metadata are fixed:
the same data gives the same SVG bytes.
"""

from __future__ import annotations

import functools
import io
import math
import time
from collections.abc import Callable, Sequence
from typing import ParamSpec

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ipops import fonts

P = ParamSpec("P")
FONTS = fonts.SANS_SERIF
PALETTE = (
    "#1f5f8b",
    "#e07b39",
    "#3c9d5d",
    "#b8433f",
    "#7d5ba6",
    "#8c6d3f",
    "#d16aa6",
    "#6f6f6f",
    "#a5a53a",
    "#2bb0c1",
)
INCOMPLETE = "#a9c3d6"
WIDTH_IN = 7.0
HEIGHT_IN = 3.2

matplotlib.rcParams.update(
    {
        "font.family": "sans-serif",
        "font.sans-serif": FONTS,
        "font.size": 9,
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "ipops-report",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": "#dddddd",
        "grid.linewidth": 0.6,
        "axes.axisbelow": True,
    }
)
fonts.register_matplotlib()


class _Clock:
    """Seconds spent drawing charts in this process (the benchmark reports them apart)."""

    seconds = 0.0


def drawing_seconds() -> float:
    return _Clock.seconds


def _timed(draw: Callable[P, str]) -> Callable[P, str]:
    @functools.wraps(draw)
    def timed(*args: P.args, **kwargs: P.kwargs) -> str:
        began = time.perf_counter()
        try:
            return draw(*args, **kwargs)
        finally:
            _Clock.seconds += time.perf_counter() - began

    return timed


def to_svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and doctype: embeddable


def _figure(height: float = HEIGHT_IN) -> tuple[Figure, Axes]:
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
    return fig, ax


@_timed
def year_bars(
    years: Sequence[int],
    values: Sequence[float],
    *,
    incomplete: Sequence[bool] = (),
    growth: Sequence[float | None] = (),
    ylabel: str = "",
    growth_label: str = "",
    incomplete_label: str = "",
) -> str:
    """Bars per year (lighter, hatched where the year is still incomplete) and, on a second
    axis, the growth rate in percent."""
    fig, ax = _figure()
    flags = list(incomplete) or [False] * len(years)
    colours = [INCOMPLETE if flag else PALETTE[0] for flag in flags]
    bars = ax.bar(years, values, color=colours, width=0.75)
    for bar, flag in zip(bars, flags, strict=True):
        if flag:
            bar.set_hatch("///")
            bar.set_edgecolor("#ffffff")
    ax.set_ylabel(ylabel)
    _year_ticks(ax, years)
    rates = list(growth) or [None] * len(years)
    points = [(y, 100 * g) for y, g in zip(years, rates, strict=True) if g is not None]
    if len(points) >= 2:
        right = ax.twinx()
        right.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            color=PALETTE[1],
            marker="o",
            markersize=3,
            linewidth=1.2,
            label=growth_label,
        )
        right.axhline(0, color="#999999", linewidth=0.6)
        right.set_ylabel(growth_label)
        right.grid(False)
        right.spines["right"].set_visible(True)
    if incomplete_label and any(flags):
        ax.bar([], [], color=INCOMPLETE, hatch="///", label=incomplete_label)
        ax.legend(loc="upper left", frameon=False)
    return to_svg(fig)


@_timed
def year_lines(
    years: Sequence[int], series: Sequence[tuple[str, Sequence[float]]], *, ylabel: str = ""
) -> str:
    fig, ax = _figure()
    for k, (name, values) in enumerate(series):
        ax.plot(
            years,
            values,
            color=PALETTE[k % len(PALETTE)],
            marker="o",
            markersize=2.5,
            linewidth=1.4,
            label=_short(name, 28),
        )
    ax.set_ylabel(ylabel)
    _year_ticks(ax, years)
    if series:
        ax.legend(loc="upper left", frameon=False, fontsize=7.5, ncol=2)
    return to_svg(fig)


@_timed
def share_lines(
    years: Sequence[int], series: Sequence[tuple[str, Sequence[float | None]]], *, ylabel: str
) -> str:
    """Shares (fractions) per year as percentage lines."""
    fig, ax = _figure()
    for k, (name, values) in enumerate(series):
        points = [(y, 100 * v) for y, v in zip(years, values, strict=True) if v is not None]
        ax.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            color=PALETTE[k],
            marker="o",
            markersize=2.5,
            linewidth=1.4,
            label=name,
        )
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    _year_ticks(ax, years)
    ax.legend(loc="best", frameon=True, framealpha=0.9, edgecolor="#dddddd")
    return to_svg(fig)


@_timed
def horizontal_bars(
    labels: Sequence[str], values: Sequence[float], *, xlabel: str = "", colour: int = 0
) -> str:
    """Ranked bars, the first label on top."""
    height = max(1.6, 0.28 * len(labels) + 0.7)
    fig, ax = _figure(height)
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, values, color=PALETTE[colour], height=0.7)
    ax.set_yticks(positions, [_short(label, 40) for label in labels])
    ax.set_xlabel(xlabel)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    for position, value in zip(positions, values, strict=True):
        ax.text(value, position, f" {_compact(value)}", va="center", fontsize=7.5)
    return to_svg(fig)


@_timed
def heatmap(
    rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float | None]]
) -> str:
    """A diverging grid in [-1, 1] (the specialisation index), values written in the cells."""
    height = max(1.8, 0.36 * len(rows) + 1.6)
    fig, ax = _figure(height)
    grid = [[math.nan if v is None else v for v in row] for row in values]
    ax.imshow(grid, cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
    ax.set_xticks(
        range(len(columns)), [_short(c, 22) for c in columns], rotation=35, ha="right", fontsize=7.5
    )
    ax.set_yticks(range(len(rows)), [_short(r, 30) for r in rows], fontsize=7.5)
    ax.grid(False)
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if value is not None:
                colour = "white" if abs(value) > 0.6 else "black"
                ax.text(j, i, f"{value:+.2f}", ha="center", va="center", fontsize=7, color=colour)
    return to_svg(fig)


@_timed
def network(nodes: Sequence[tuple[str, float]], edges: Sequence[tuple[int, int, float]]) -> str:
    """Nodes on a circle (size by weight), edges with width by weight."""
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 5.0))
    count = len(nodes)
    points = [
        (
            math.cos(math.pi / 2 - 2 * math.pi * k / count),
            math.sin(math.pi / 2 - 2 * math.pi * k / count),
        )
        for k in range(count)
    ]
    heaviest = max((w for _, _, w in edges), default=1.0) or 1.0
    for a, b, weight in edges:
        ax.plot(
            [points[a][0], points[b][0]],
            [points[a][1], points[b][1]],
            color=PALETTE[0],
            alpha=0.35 + 0.5 * weight / heaviest,
            linewidth=0.5 + 4 * weight / heaviest,
            zorder=1,
        )
    largest = max((w for _, w in nodes), default=1.0) or 1.0
    for (name, weight), (x, y) in zip(nodes, points, strict=True):
        ax.scatter(
            [x], [y], s=40 + 500 * weight / largest, color=PALETTE[1], zorder=2, edgecolors="white"
        )
        ax.text(
            x * 1.13,
            y * 1.13,
            _short(name, 24),
            ha="left" if x > 0.05 else ("right" if x < -0.05 else "center"),
            va="center",
            fontsize=7,
        )
    ax.set_xlim(-1.9, 1.9)
    ax.set_ylim(-1.3, 1.3)
    ax.set_axis_off()
    return to_svg(fig)


@_timed
def point_map(points: Sequence[tuple[float, float, float, str]], *, top_labels: int = 8) -> str:
    """Places (longitude, latitude, weight, label) on a plain longitude/latitude plane."""
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.6))
    if points:
        largest = max(p[2] for p in points) or 1.0
        ax.scatter(
            [p[0] for p in points],
            [p[1] for p in points],
            s=[8 + 400 * p[2] / largest for p in points],
            color=PALETTE[3],
            alpha=0.55,
            edgecolors="white",
            linewidths=0.4,
        )
        for lon, lat, _, label in sorted(points, key=lambda p: -p[2])[:top_labels]:
            ax.annotate(
                _short(label, 20), (lon, lat), fontsize=7, xytext=(3, 3), textcoords="offset points"
            )
    ax.set_xlabel("°E")
    ax.set_ylabel("°N")
    ax.grid(True, axis="both")
    ax.set_aspect("equal", adjustable="datalim")
    ax.margins(0.08)
    return to_svg(fig)


def _year_ticks(ax: Axes, years: Sequence[int]) -> None:
    if not years:
        return
    step = max(1, math.ceil(len(years) / 12))
    ticks = list(years)[::step]
    ax.set_xticks(ticks, [str(y) for y in ticks])


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _compact(value: float) -> str:
    return f"{value:,.0f}" if value == round(value) else f"{value:,.1f}"
