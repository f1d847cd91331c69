"""Clusters on constructed point sets with known answers; unique coordinates = raw points."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.cluster import DBSCAN

from ipops.errors import ValidationError
from ipops.geo import analysis, clusters
from ipops.geo.placenames import cluster_name

KM_PER_DEGREE = math.pi * clusters.EARTH_RADIUS_KM / 180

TOKYO = (35.6895, 139.6917)
YOKOHAMA = (35.4437, 139.6380)  # ~27 km from Tokyo
PARIS = (48.8566, 2.3522)
LYON = (45.7640, 4.8357)


def around(centre: tuple[float, float], km: float, n: int, seed: int) -> np.ndarray:
    """n points within ``km`` of the centre (uniform in a square, kept inside the disc)."""
    rng = np.random.default_rng(seed)
    points = []
    while len(points) < n:
        dy, dx = rng.uniform(-km, km, size=2)
        if dx * dx + dy * dy <= km * km:
            lat = centre[0] + dy / KM_PER_DEGREE
            lon = centre[1] + dx / (KM_PER_DEGREE * math.cos(math.radians(centre[0])))
            points.append((lat, lon))
    return np.array(points)


def layer_of(points: np.ndarray, weights: np.ndarray) -> analysis._Layer:
    return analysis.points_layer(points[:, 0], points[:, 1], weights, grid_km=None)


def test_known_clusters_weights_names_and_shares() -> None:
    tokyo = around(TOKYO, 4, 40, seed=1)  # 40 x 0.5 = 20
    yokohama = around(YOKOHAMA, 3, 20, seed=2)  # 20 x 0.5 = 10, joined to Tokyo via the bridge
    bridge = np.array([[35.5666, 139.6650]])  # between them: ~13.6 km to each centre
    paris = around(PARIS, 5, 24, seed=3)  # 24 x 0.5 = 12
    lyon = np.array([LYON])  # 1 point of weight 1: below the minimum, noise
    points = np.vstack([tokyo, yokohama, bridge, paris, lyon])
    weights = np.array([0.5] * 40 + [0.5] * 20 + [2.0] + [0.5] * 24 + [1.0])
    result = analysis.find_clusters(
        None, [], eps_km=15, min_weight=3, points=layer_of(points, weights)
    )
    assert [c.name for c in result.clusters] == ["Tokyo-Yokohama", "Paris"]
    first, second = result.clusters
    assert first.weight == pytest.approx(32.0)
    assert second.weight == pytest.approx(12.0)
    assert first.share == pytest.approx(32 / 45, abs=1e-6)  # shares are rounded to 1e-6
    assert second.share == pytest.approx(12 / 45, abs=1e-6)
    assert first.members == 61 and second.members == 24
    assert abs(second.lat - PARIS[0]) < 0.05 and abs(second.lon - PARIS[1]) < 0.07
    assert second.extent_km <= 5.1
    assert result.top_share(1) == pytest.approx(32 / 45, abs=1e-6)


def test_the_radius_decides_whether_two_towns_join() -> None:
    a, b = np.array([[0.0, 0.0]] * 5), np.array([[0.0, 20 / KM_PER_DEGREE]] * 5)
    points = np.vstack([a, b])
    weights = np.ones(10)
    apart = analysis.find_clusters(
        None, [], eps_km=19, min_weight=5, points=layer_of(points, weights)
    )
    joined = analysis.find_clusters(
        None, [], eps_km=21, min_weight=5, points=layer_of(points, weights)
    )
    assert len(apart.clusters) == 2 and len(joined.clusters) == 1
    assert joined.clusters[0].weight == pytest.approx(10)


def test_min_weight_counts_fractional_weights_not_points() -> None:
    many_light = np.array([[10.0, 10.0]] * 9)  # 9 inventors of 9-person teams: weight 1
    result = analysis.find_clusters(
        None, [], eps_km=5, min_weight=1.5, points=layer_of(many_light, np.full(9, 1 / 9))
    )
    assert result.clusters == []
    result = analysis.find_clusters(
        None, [], eps_km=5, min_weight=1.0, points=layer_of(many_light, np.full(9, 1 / 9))
    )
    assert len(result.clusters) == 1 and result.clusters[0].weight == pytest.approx(1.0)


def test_clusters_across_the_antimeridian_are_one() -> None:
    points = np.array([[-17.0, 179.99]] * 3 + [[-17.0, -179.99]] * 3)
    result = analysis.find_clusters(
        None, [], eps_km=10, min_weight=4, points=layer_of(points, np.ones(6))
    )
    assert len(result.clusters) == 1
    assert abs(abs(result.clusters[0].lon) - 180) < 0.01


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    eps_km=st.floats(2, 40),
    min_weight=st.floats(0.5, 6),
)
def test_unique_coordinates_agree_with_raw_point_dbscan(
    seed: int, eps_km: float, min_weight: float
) -> None:
    rng = np.random.default_rng(seed)
    centres = rng.uniform([30, 100], [40, 120], size=(6, 2))
    places = np.vstack([c + rng.normal(0, 0.15, size=(15, 2)) for c in centres])
    raw_index = rng.integers(0, len(places), size=600)
    raw = places[raw_index]
    weight = 1.0 / rng.integers(1, 6, size=600)
    collapsed = clusters.collapse(raw[:, 0], raw[:, 1], weight)
    labels = clusters.dbscan_labels(
        collapsed.latitude, collapsed.longitude, collapsed.weight,
        eps_km=eps_km, min_weight=min_weight,
    )  # fmt: skip
    exact = DBSCAN(eps=clusters.chord(eps_km), min_samples=math.ceil(min_weight * 1000 - 1e-6)).fit(
        clusters.unit_vectors(raw[:, 0], raw[:, 1]), sample_weight=weight * 1000
    )
    # core points are identical; only a border point between two clusters may differ
    assert clusters.agreement(labels[collapsed.index], exact.labels_, weight) >= 0.99


def test_agreement_matches_clusters_by_overlap() -> None:
    a = np.array([0, 0, 1, 1, -1])
    b = np.array([5, 5, 7, 7, -1])
    assert clusters.agreement(a, b, np.ones(5)) == 1.0
    c = np.array([5, 5, 7, -1, -1])
    assert clusters.agreement(a, c, np.ones(5)) == pytest.approx(0.8)


def test_grid_moves_points_by_at_most_a_cell() -> None:
    pts = around(TOKYO, 20, 300, seed=4)
    cells = clusters.collapse(pts[:, 0], pts[:, 1], np.ones(300), grid_km=1.0)
    assert len(cells.weight) < 300
    assert cells.weight.sum() == pytest.approx(300)
    moved = np.hypot(
        (cells.latitude[cells.index] - pts[:, 0]) * KM_PER_DEGREE,
        (cells.longitude[cells.index] - pts[:, 1])
        * KM_PER_DEGREE
        * math.cos(math.radians(TOKYO[0])),
    )
    assert moved.max() < 1.5


def test_cluster_names_join_the_largest_places() -> None:
    assert cluster_name(["Tokyo", "Yokohama", "Kawasaki"], np.array([10.0, 5.0, 1.0])) == (
        "Tokyo-Yokohama"
    )
    assert cluster_name(["Boston", "Boston", "Cambridge"], np.array([1.0, 1.0, 2.0])) == (
        "Boston-Cambridge"
    )


@pytest.mark.parametrize(
    ("lat", "lon", "field"),
    [(91.0, 0.0, "lat"), (-90.5, 0.0, "lat"), (0.0, 180.5, "lon"), (float("nan"), 0.0, "lat")],
)
def test_points_outside_the_globe_are_refused(lat: float, lon: float, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        clusters.check_points(np.array([10.0, lat]), np.array([10.0, lon]), np.ones(2))
    assert error.value.field == field
    assert "row 2" in str(error.value)


@pytest.mark.parametrize("eps_km", [0.0, -1.0, float("inf")])
def test_radius_must_be_positive(eps_km: float) -> None:
    with pytest.raises(ValidationError) as error:
        clusters.check_parameters(eps_km, 1.0)
    assert error.value.field == "eps-km"


def test_default_minimum_scales_with_the_data() -> None:
    assert clusters.default_min_weight(1_350_000) == pytest.approx(2000)
    assert clusters.default_min_weight(100) == 2.0


def test_map_and_chart_are_drawn_offline() -> None:
    from ipops.geo import charts, service

    rings, arcs = charts.world_rings()
    assert len(rings) > 100 and len(arcs) > 100  # Natural Earth 1:110m land and borders
    points = np.vstack([around(TOKYO, 3, 10, seed=5), around(PARIS, 3, 10, seed=6)])
    result = analysis.find_clusters(
        None, [], eps_km=10, min_weight=3, points=layer_of(points, np.ones(20))
    )
    svg = service.cluster_map_svg(result.clusters, title="hotspots")
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg and "Tokyo" in svg
    years = [
        analysis.CollaborationYear(2015 + n, 10, 10, 6, 1, 1, 0, 0.6, 0.1, 1.0) for n in range(3)
    ]
    assert "</svg>" in service.collaboration_chart_svg(years, title="trend")
    assert charts.render(charts.collaboration_chart(years), "png")[:4] == b"\x89PNG"


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), eps_km=st.floats(1, 60), min_weight=st.floats(0.5, 8))
def test_the_cube_prefilter_changes_no_label(seed: int, eps_km: float, min_weight: float) -> None:
    rng = np.random.default_rng(seed)
    centres = rng.uniform([-60, -180], [70, 180], size=(8, 2))
    dense = np.vstack([c + rng.normal(0, 0.2, size=(40, 2)) for c in centres])
    scattered = np.column_stack([rng.uniform(-80, 80, 300), rng.uniform(-180, 180, 300)])
    points = np.vstack([dense, scattered])
    points[:, 1] = (points[:, 1] + 180) % 360 - 180
    points[:, 0] = np.clip(points[:, 0], -90, 90)
    weight = rng.uniform(0.05, 1.5, len(points))
    ours = clusters.dbscan_labels(
        points[:, 0], points[:, 1], weight, eps_km=eps_km, min_weight=min_weight
    )
    plain = DBSCAN(
        eps=clusters.chord(eps_km),
        min_samples=max(1, math.ceil(min_weight * 1000 - 1e-6)),
        algorithm="kd_tree",
    ).fit(clusters.unit_vectors(points[:, 0], points[:, 1]), sample_weight=weight * 1000)
    # DBSCAN on the same unique points with and without the pre-filter: same core points,
    # same clusters (a border point between two clusters may go either way)
    assert clusters.agreement(ours, plain.labels_, weight) >= 0.99
    assert ((ours == -1) == (plain.labels_ == -1)).all()
