"""Density-based clusters on weighted places: pure numpy and scikit-learn, no I/O.

Points are collapsed to unique coordinates (or to a ~1 km grid) with their fractional
weights summed, and passed to DBSCAN as ``sample_weight``. A place is a core point when the
total weight within ``eps_km`` (itself included) reaches ``min_weight``. Because copies of
one coordinate are at distance 0 from each other, DBSCAN on the unique coordinates finds
exactly the core points and clusters of DBSCAN on the raw points; only a border point
reachable from two clusters may be given to the other one (DBSCAN's own order
dependence). The ~1 km grid moves points by at most ~0.7 km, which can move places that
sit right at the radius in or out of a neighbourhood.

Coordinates are 3-D unit vectors; the radius becomes the chord ``2 sin(d / 2R)``, so the
neighbourhoods are the great-circle ones, found with a fast Euclidean tree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import DBSCAN  # type: ignore[import-untyped]

from ipops.errors import ValidationError

EARTH_RADIUS_KM = 6371.0088
MIN_EPS_KM = 0.001
MAX_EPS_KM = 1000.0
WEIGHT_SCALE = 1000  # DBSCAN wants an integer minimum: weights are counted in thousandths
NOISE = -1
MAX_MIN_WEIGHT = 1e12


@dataclass(frozen=True)
class Places:
    """Unique places with their summed weight; ``index`` maps each input point to its place."""

    latitude: np.ndarray
    longitude: np.ndarray
    weight: np.ndarray
    index: np.ndarray


@dataclass(frozen=True)
class ClusterShape:
    """Where one cluster lies and how heavy it is (before naming and profiling)."""

    label: int
    members: np.ndarray  # indices into the places
    weight: float
    latitude: float
    longitude: float
    extent_km: float  # largest distance from the centroid to a member place
    south: float
    west: float
    north: float
    east: float


def check_points(latitude: np.ndarray, longitude: np.ndarray, weight: np.ndarray) -> None:
    """Coordinates inside the globe, finite non-negative weights; the first bad row named."""
    checks = (
        (latitude, "lat", ~np.isfinite(latitude) | (latitude < -90) | (latitude > 90),
         "latitude outside [-90, 90]"),
        (longitude, "lon", ~np.isfinite(longitude) | (longitude < -180) | (longitude > 180),
         "longitude outside [-180, 180]"),
        (weight, "weight", ~np.isfinite(weight) | (weight < 0), "weight negative or missing"),
    )  # fmt: skip
    for values, field, bad, reason in checks:
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ValidationError(f"row {row + 1}: {reason} ({values[row]!r})", field=field)


def check_parameters(eps_km: float, min_weight: float) -> None:
    if not math.isfinite(eps_km) or eps_km <= 0:
        raise ValidationError(f"the radius must be above 0 km, got {eps_km}", field="eps-km")
    if eps_km < MIN_EPS_KM:
        # Below a metre the chord rounds to 0, which DBSCAN refuses; no place is that exact.
        raise ValidationError(
            f"the radius must be at least {MIN_EPS_KM} km, got {eps_km}", field="eps-km"
        )
    if eps_km > MAX_EPS_KM:
        raise ValidationError(
            f"the radius must be at most {MAX_EPS_KM} km, got {eps_km}", field="eps-km"
        )
    if not math.isfinite(min_weight) or not 0 < min_weight <= MAX_MIN_WEIGHT:
        raise ValidationError(
            f"the minimum weight must be above 0 and at most {MAX_MIN_WEIGHT:g}, got {min_weight}",
            field="min-weight",
        )


def collapse(
    latitude: np.ndarray,
    longitude: np.ndarray,
    weight: np.ndarray,
    *,
    grid_km: float | None = None,
) -> Places:
    """Unique coordinates (or ~``grid_km`` cells, at the weighted mean of their points)."""
    # one complex number per point: exact, and a 1-D unique is much faster than axis=0
    if grid_km is None:
        keys = latitude + 1j * longitude
    else:
        step = grid_km / (math.pi * EARTH_RADIUS_KM / 180)
        row = np.floor(latitude / step)
        cos = np.maximum(np.cos(np.radians((row + 0.5) * step)), 1e-6)
        keys = row + 1j * np.floor(longitude * cos / step)
    _, first, index = np.unique(keys, return_index=True, return_inverse=True)
    index = index.reshape(-1)
    total = np.bincount(index, weights=weight, minlength=len(first))
    if grid_km is None:
        return Places(latitude[first], longitude[first], total, index)
    safe = np.where(total > 0, total, 1.0)
    counts = np.bincount(index, minlength=len(first)).astype(np.float64)
    lat = np.where(
        total > 0,
        np.bincount(index, weights=weight * latitude, minlength=len(first)) / safe,
        np.bincount(index, weights=latitude, minlength=len(first)) / counts,
    )
    lon = np.where(
        total > 0,
        np.bincount(index, weights=weight * longitude, minlength=len(first)) / safe,
        np.bincount(index, weights=longitude, minlength=len(first)) / counts,
    )
    return Places(lat, lon, total, index)


def unit_vectors(latitude: np.ndarray, longitude: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(latitude), np.radians(longitude)
    cos_lat = np.cos(lat)
    return np.stack([cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)], axis=1)


def chord(distance_km: float) -> float:
    """The straight-line distance on the unit sphere of a great-circle distance in km."""
    return 2 * math.sin(min(distance_km / (2 * EARTH_RADIUS_KM), math.pi / 2))


def dbscan_labels(
    latitude: np.ndarray,
    longitude: np.ndarray,
    weight: np.ndarray,
    *,
    eps_km: float,
    min_weight: float,
) -> np.ndarray:
    """DBSCAN labels of weighted points (``-1``: not in a cluster)."""
    check_parameters(eps_km, min_weight)
    if len(latitude) == 0:
        return np.empty(0, dtype=np.int64)
    vectors = unit_vectors(latitude, longitude)
    radius = chord(eps_km)
    labels = np.full(len(latitude), NOISE, dtype=np.int64)
    keep = _possibly_clustered(vectors, weight, radius, min_weight)
    if not keep.any():
        return labels
    model = DBSCAN(
        eps=radius,
        min_samples=max(1, math.ceil(min_weight * WEIGHT_SCALE - 1e-6)),
        algorithm="kd_tree",
        n_jobs=1,
    )
    model.fit(vectors[keep], sample_weight=weight[keep] * WEIGHT_SCALE)
    labels[keep] = model.labels_.astype(np.int64)
    return labels


_BLOCK = np.array([(a, b, c) for a in (-1, 0, 1) for b in (-1, 0, 1) for c in (-1, 0, 1)])
MAX_CELLS_PER_AXIS = 2**20


def _possibly_clustered(
    vectors: np.ndarray, weight: np.ndarray, radius: float, min_weight: float
) -> np.ndarray:
    """Points that may be in a cluster: an exact pre-filter on cubes of side ``radius``.

    A point's neighbours lie in its cube or the 26 around it (the 3x3x3 block). A cube
    whose block weighs less than the minimum holds no core point; a point none of whose
    adjacent cubes can hold a core point is noise for sure and is left out of DBSCAN. Every
    core point keeps its whole neighbourhood, so the result is exactly DBSCAN's.
    """
    cells = np.floor(vectors / radius).astype(np.int64)
    if np.abs(cells).max(initial=0) >= MAX_CELLS_PER_AXIS // 2:
        return np.ones(len(vectors), dtype=bool)  # tiny radius: no pre-filter
    keys, index = np.unique(_cell_keys(cells), return_inverse=True)
    index = index.reshape(-1)
    cell_weight = np.bincount(index, weights=weight, minlength=len(keys))
    corner = cells[np.unique(index, return_index=True)[1]]
    block_weight = np.zeros(len(keys))
    neighbours = []
    for offset in _BLOCK:
        found = _lookup(keys, _cell_keys(corner + offset))
        neighbours.append(found)
        block_weight += np.where(found >= 0, cell_weight[np.maximum(found, 0)], 0.0)
    may_be_core = block_weight >= min_weight * (1 - 1e-9)
    near_core = np.zeros(len(keys), dtype=bool)
    for found in neighbours:
        near_core |= (found >= 0) & may_be_core[np.maximum(found, 0)]
    keep: np.ndarray = near_core[index]
    return keep


def _cell_keys(cells: np.ndarray) -> np.ndarray:
    shifted = cells + MAX_CELLS_PER_AXIS // 2
    high = (shifted[:, 0] * MAX_CELLS_PER_AXIS + shifted[:, 1]) * MAX_CELLS_PER_AXIS
    keys: np.ndarray = high + shifted[:, 2]
    return keys


def _lookup(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Position of each wanted key in the sorted ``keys``, or -1."""
    position = np.searchsorted(keys, wanted)
    inside = position < len(keys)
    hit = np.zeros(len(wanted), dtype=bool)
    hit[inside] = keys[position[inside]] == wanted[inside]
    return np.where(hit, position, -1)


def shapes(places: Places, labels: np.ndarray) -> list[ClusterShape]:
    """Weight, centroid and extent of each cluster, heaviest first."""
    result = []
    for label in np.unique(labels[labels != NOISE]):
        members = np.flatnonzero(labels == label)
        result.append(_shape(int(label), members, places))
    result.sort(key=lambda s: (-s.weight, s.latitude, s.longitude))
    return result


def _shape(label: int, members: np.ndarray, places: Places) -> ClusterShape:
    lat, lon, w = places.latitude[members], places.longitude[members], places.weight[members]
    vectors = unit_vectors(lat, lon)
    mean = (vectors * w[:, None]).sum(axis=0) if w.sum() > 0 else vectors.sum(axis=0)
    mean = mean / np.linalg.norm(mean)
    centre_lat = math.degrees(math.asin(max(-1.0, min(1.0, float(mean[2])))))
    centre_lon = math.degrees(math.atan2(float(mean[1]), float(mean[0])))
    cosines = np.clip(vectors @ mean, -1.0, 1.0)
    extent = float(np.arccos(cosines).max()) * EARTH_RADIUS_KM
    return ClusterShape(
        label=label,
        members=members,
        weight=float(w.sum()),
        latitude=round(centre_lat, 5),
        longitude=round(centre_lon, 5),
        extent_km=round(extent, 1),
        south=float(lat.min()),
        west=float(lon.min()),
        north=float(lat.max()),
        east=float(lon.max()),
    )


def default_min_weight(total_weight: float) -> float:
    """The reference's minimum scaled to the data: ~2,000 of ~1.35M five-year PCT filings.

    REFERENCES.md (GII / WIPO 2019): a minimum count "in the low thousands per five years"
    over ~270k PCT filings a year. The same share of the total (0.15%) keeps the rule
    meaningful for a corpus of any size; never below 2.
    """
    return max(2.0, round(total_weight * MIN_SHARE, 3))


MIN_SHARE = 2000 / 1_350_000
DEFAULT_EPS_KM = 13.0


def agreement(labels_a: np.ndarray, labels_b: np.ndarray, weight: np.ndarray) -> float:
    """Share of weight in points assigned identically (clusters matched by largest overlap).

    Each cluster of ``a`` is matched with the cluster of ``b`` that holds most of its
    weight; noise matches noise. A point agrees when its ``b`` label is the match of its
    ``a`` label.
    """
    if len(weight) == 0 or weight.sum() == 0:
        return 1.0
    match: dict[int, int] = {NOISE: NOISE}
    for label in np.unique(labels_a[labels_a != NOISE]):
        inside = labels_a == label
        candidates, inverse = np.unique(labels_b[inside], return_inverse=True)
        sums = np.bincount(inverse.reshape(-1), weights=weight[inside])
        match[int(label)] = int(candidates[int(np.argmax(sums))])
    expected = np.array([match[int(a)] for a in labels_a], dtype=np.int64)
    same = expected == labels_b
    return float(weight[same].sum() / weight.sum())
