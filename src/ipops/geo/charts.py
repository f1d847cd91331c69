"""World map of clusters and collaboration trend chart, drawn offline with matplotlib (Agg).

The world outline is Natural Earth 1:110m (``data/countries-110m.json``, TopoJSON, see
``data/SOURCE.md``), decoded here; no tile server and no network. Output is SVG text or
PNG bytes.
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ipops import fonts
from ipops.geo.analysis import Cluster, CollaborationYear

fonts.register_matplotlib()

WORLD_FILE = "countries-110m.json"
LAND_COLOUR = "#e6e6e6"
BORDER_COLOUR = "#b0b0b0"
CLUSTER_COLOUR = "#c0392b"
FORMATS = ("svg", "png")
LABELLED = 10
LABEL_GAP_DEGREES = (9.0, 4.0)  # a label's rough extent at the map's scale (lon, lat)


@cache
def world_rings() -> tuple[tuple[tuple[tuple[float, float], ...], ...], tuple[Any, ...]]:
    """(land polygon outer rings, country border arcs) as lon/lat sequences."""
    topology = json.loads(resources.files("ipops.geo.data").joinpath(WORLD_FILE).read_text())
    arcs = _decoded_arcs(topology)
    rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            rings.append(_ring(arcs, polygon[0]))
    return tuple(rings), tuple(arcs)


def _decoded_arcs(topology: dict[str, Any]) -> list[tuple[tuple[float, float], ...]]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        decoded.append(tuple(points))
    return decoded


def _ring(arcs: list[tuple[tuple[float, float], ...]], indices: list[int]) -> Any:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else tuple(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return tuple(points)


def _drawable(ring: Any) -> list[tuple[list[float], list[float]]]:
    """A ring that crosses the antimeridian is unwrapped and drawn again 360° apart."""
    xs = [float(ring[0][0])]
    for (a, _), (b, _) in itertools.pairwise(ring):
        step = float(b) - float(a)
        step -= 360 if step > 180 else (-360 if step < -180 else 0)
        xs.append(xs[-1] + step)
    ys = [float(y) for _, y in ring]
    if min(xs) >= -180 and max(xs) <= 180:
        return [(xs, ys)]
    return [([x + shift for x in xs], ys) for shift in (-360.0, 0.0, 360.0)]


def cluster_map(
    clusters: Sequence[Cluster], *, title: str = "", numbers_only: bool = False
) -> Figure:
    """The clusters as circles on the world outline, the largest labelled.

    ``numbers_only``: label with the rank alone (the page lists the names in a table beside
    the map), and skip a label that would print over one already placed, so that dense
    regions (the Yangtze delta, Kanto) stay legible.
    """
    figure, axes = plt.subplots(figsize=(10, 5.2), dpi=100)
    rings, _ = world_rings()
    for ring in rings:
        for xs, ys in _drawable(ring):
            axes.fill(xs, ys, color=LAND_COLOUR, edgecolor=BORDER_COLOUR, linewidth=0.4)
    if clusters:
        largest = max(c.weight for c in clusters) or 1.0
        sizes = [12 + 900 * (c.weight / largest) for c in clusters]
        axes.scatter(
            [c.lon for c in clusters],
            [c.lat for c in clusters],
            s=sizes,
            color=CLUSTER_COLOUR,
            alpha=0.55,
            edgecolors="white",
            linewidths=0.6,
            zorder=3,
        )
        placed: list[tuple[float, float]] = []
        for c in clusters[:LABELLED]:
            if numbers_only and any(
                abs(c.lon - lon) < LABEL_GAP_DEGREES[0] and abs(c.lat - lat) < LABEL_GAP_DEGREES[1]
                for lon, lat in placed
            ):
                continue
            placed.append((c.lon, c.lat))
            text = str(c.rank) if numbers_only else f"{c.rank}. {c.name}"
            axes.annotate(
                text, (c.lon, c.lat), fontsize=7, xytext=(4, 4),
                textcoords="offset points", zorder=4,
            )  # fmt: skip
    axes.set_xlim(-180, 180)
    axes.set_ylim(-60, 85)
    axes.set_aspect("equal")
    axes.set_xticks([])
    axes.set_yticks([])
    for spine in axes.spines.values():
        spine.set_visible(False)
    if title:
        axes.set_title(title, fontsize=11)
    figure.tight_layout()
    return figure


SERIES_NAMES = (
    "team share",
    "international co-invention share",
    "hotspot share of international",
)


def collaboration_chart(
    years: Sequence[CollaborationYear],
    *,
    title: str = "",
    legend: Sequence[str] = SERIES_NAMES,
) -> Figure:
    """Collaboration shares per year; ``legend`` names the three lines (the page's language)."""
    figure, axes = plt.subplots(figsize=(8, 4), dpi=100)
    known = [y for y in years if y.year is not None]
    xs = [int(y.year or 0) for y in known]
    series = (
        (legend[0], [y.team_share for y in known]),
        (legend[1], [y.international_share for y in known]),
        (legend[2], [y.hotspot_international_share for y in known]),
    )
    for label, values in series:
        axes.plot(xs, [100 * v for v in values], marker="o", markersize=3, label=label)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("%")
    axes.set_ylim(0, 100)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="upper left")
    if title:
        axes.set_title(title, fontsize=11)
    figure.tight_layout()
    return figure


def render(figure: Figure, fmt: str = "svg") -> bytes:
    """The figure as SVG or PNG bytes (the figure is closed)."""
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format=fmt, metadata=_metadata(fmt))
    finally:
        plt.close(figure)
    return buffer.getvalue()


def _metadata(fmt: str) -> dict[str, Any]:
    # no creation date: the same data gives the same file
    return {"Date": None} if fmt == "svg" else {}


def cluster_map_svg(
    clusters: Sequence[Cluster], *, title: str = "", numbers_only: bool = False
) -> str:
    return render(cluster_map(clusters, title=title, numbers_only=numbers_only), "svg").decode()


def collaboration_chart_svg(
    years: Sequence[CollaborationYear], *, title: str = "", legend: Sequence[str] = SERIES_NAMES
) -> str:
    return render(collaboration_chart(years, title=title, legend=legend), "svg").decode()
