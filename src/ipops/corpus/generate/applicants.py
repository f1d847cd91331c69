"""Applicants of the generated corpus: named organisations, a long tail of small firms and
individuals, with addresses."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ipops.corpus.generate.organisations import ORGS
from ipops.corpus.generate.params import SMALL_FIRMS, SMALL_FIRMS_CACHED, _OrgSpec
from ipops.corpus.generate.people import _person, _pick
from ipops.corpus.generate.places import _gazetteer, _Place
from ipops.corpus.generate.vocabulary import (
    _CN_CITIES,
    _CN_DISTRICTS,
    _COUNTRY_NAMES,
    _FIELD_INDEX,
    _FIELDS,
    _FIRM_BRANDS,
    _FIRM_BRANDS_CN,
    _FIRM_SUFFIXES,
    _LOCAL_BANKS,
    _NATIONAL_BANKS,
    _STREETS,
    INDIVIDUAL,
    ORGANISATION,
    SMALL_FIRM,
    UNIVERSITY,
)

# =========================================================================== applicants


@dataclass(frozen=True)
class _Entity:
    """An applicant, a new owner, a licensee: a name (Chinese and English) and a place."""

    name_zh: str | None
    name_en: str
    party_type: str  # organization | individual
    kind: int  # ORGANISATION, UNIVERSITY, SMALL_FIRM, INDIVIDUAL
    place: _Place
    address_zh: str | None
    address_en: str

    def name(self, chinese: bool) -> str:
        return self.name_zh if chinese and self.name_zh else self.name_en

    def address(self, chinese: bool) -> str:
        return self.address_zh if chinese and self.address_zh else self.address_en


def _scrambled(*numbers: int) -> float:
    """A fixed uniform number in [0, 1) for a tuple of integers (cheap, deterministic)."""
    value = 0x345678
    for number in numbers:
        value = ((value ^ (number & 0xFFFFFFFF)) * 0x9E3779B1 + 0x7F4A7C15) & 0xFFFFFFFF
        value ^= value >> 15
    return value / 2**32


def _chinese_address(place: _Place, street: str | None, u: float) -> str:
    city = f"{place.name_zh}市"
    prefix = city if place.province_zh == city else f"{place.province_zh}{city}"
    if street:
        return prefix + street
    district = _pick(_CN_DISTRICTS, u)
    road = _pick(_STREETS["CN"], (u * 7.31) % 1)
    return f"{prefix}{district}{road}{1 + int(u * 997) % 300}号"


def _latin_address(place: _Place, u: float) -> str:
    street = _pick(_STREETS.get(place.country, _STREETS["US"]), u)
    number = 1 + int(u * 9973) % 900
    region = f", {place.state}" if place.state and place.country == "US" else ""
    country = _COUNTRY_NAMES.get(place.country, place.country)
    return f"{number} {street}, {place.name}{region}, {country}"


class _Applicants:
    """Who files: named organisations by country and field, small firms, individuals."""

    def __init__(self) -> None:
        gazetteer = _gazetteer()
        cn_names = {geonameid: name for geonameid, name, _ in _CN_CITIES}
        self._cn_places = [gazetteer.place(gid, name) for gid, name, _ in _CN_CITIES]
        self._cn_city_cumulative = np.cumsum([w for _, _, w in _CN_CITIES]).tolist()
        self._pools: dict[tuple[str, int, bool], tuple[list[float], list[_Entity]]] = {}
        for spec in ORGS:
            place = gazetteer.place(spec.geonameid, cn_names.get(spec.geonameid))
            entity = self._organisation(spec, place)
            for field_key, weight in spec.fields:
                key = (spec.country, _FIELD_INDEX[field_key], spec.university)
                cumulative, entities = self._pools.setdefault(key, ([], []))
                cumulative.append((cumulative[-1] if cumulative else 0.0) + weight)
                entities.append(entity)
        self._firm = lru_cache(maxsize=SMALL_FIRMS_CACHED)(self._make_firm)

    @staticmethod
    def _organisation(spec: _OrgSpec, place: _Place) -> _Entity:
        u = _scrambled(spec.geonameid, len(spec.name_en))
        return _Entity(
            name_zh=spec.name_zh,
            name_en=spec.name_en,
            party_type="organization",
            kind=UNIVERSITY if spec.university else ORGANISATION,
            place=place,
            address_zh=_chinese_address(place, spec.street_zh, u) if place.name_zh else None,
            address_en=_latin_address(place, u),
        )

    def choose(self, origin: str, field: int, kind: int, u: Sequence[float]) -> _Entity:
        """An applicant of ``kind``; a small firm where no named one fits."""
        if kind in (ORGANISATION, UNIVERSITY):
            pool = self._pools.get((origin, field, kind == UNIVERSITY))
            if pool:
                cumulative, entities = pool
                position = bisect.bisect_right(cumulative, u[0] * cumulative[-1])
                return entities[min(position, len(entities) - 1)]
        if kind == INDIVIDUAL:
            return self.individual(origin, u)
        return self.small_firm(origin, field, u[0])

    def small_firm(self, origin: str, field: int, u: float) -> _Entity:
        """One of many small firms, a few of them filing often (Zipf-like)."""
        return self._firm(origin, field, 1 + int(SMALL_FIRMS * u**2.5))

    def _make_firm(self, origin: str, field: int, number: int) -> _Entity:
        u = _scrambled(field, number, ord(origin[0]))
        industry_zh, industry_en = _pick(_FIELDS[field].industries, (u * 13.7) % 1)
        if origin == "CN":
            place = self._cn_city(u)
            brand_zh, brand_en = _FIRM_BRANDS_CN[number % len(_FIRM_BRANDS_CN)]
            listed = u < 0.2
            suffix_zh = "股份有限公司" if listed else "有限公司"
            return _Entity(
                name_zh=f"{place.name_zh}{brand_zh}{industry_zh}{suffix_zh}",
                name_en=f"{place.name} {brand_en} {industry_en} Co., Ltd.",
                party_type="organization",
                kind=SMALL_FIRM,
                place=place,
                address_zh=_chinese_address(place, None, (u * 3.3) % 1),
                address_en=_latin_address(place, u),
            )
        place = _gazetteer().draw(origin, u)
        brands = _FIRM_BRANDS.get(origin, _FIRM_BRANDS["US"])
        suffix = _pick(_FIRM_SUFFIXES.get(origin, ("Ltd.",)), (u * 5.1) % 1)
        return _Entity(
            name_zh=None,
            name_en=f"{brands[number % len(brands)]} {industry_en} {suffix}",
            party_type="organization",
            kind=SMALL_FIRM,
            place=place,
            address_zh=None,
            address_en=_latin_address(place, u),
        )

    def individual(self, origin: str, u: Sequence[float]) -> _Entity:
        person = _person(origin, origin, u[1:5])
        place = self._cn_city(u[5]) if origin == "CN" else _gazetteer().draw(origin, u[5])
        return _Entity(
            name_zh=person.name if origin == "CN" else None,
            name_en=_person(origin, "US", u[1:5]).name,
            party_type="individual",
            kind=INDIVIDUAL,
            place=place,
            address_zh=_chinese_address(place, None, u[6]) if origin == "CN" else None,
            address_en=_latin_address(place, u[6]),
        )

    def _cn_city(self, u: float) -> _Place:
        cumulative = self._cn_city_cumulative
        position = bisect.bisect_right(cumulative, u * cumulative[-1])
        return self._cn_places[min(position, len(self._cn_places) - 1)]


def _bank(place: _Place, u: float) -> str:
    """A pledgee bank near the applicant: a city or provincial bank, or a national bank's branch."""
    local = _LOCAL_BANKS.get(place.name_zh or "") or _LOCAL_BANKS.get(place.province_zh or "")
    if local and u < 0.35:
        return local
    return f"{_pick(_NATIONAL_BANKS, (u * 7.3) % 1)}{place.name_zh or ''}分行"
