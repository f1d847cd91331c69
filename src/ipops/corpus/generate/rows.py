"""Row helpers of the generator: parties, inventors, classifications, partners and symbols."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import cache

import numpy as np

from ipops.corpus.generate.applicants import _Entity
from ipops.corpus.generate.params import INVENTOR_AT_APPLICANT_CITY, FloatArray, IntArray
from ipops.corpus.generate.people import _Person
from ipops.corpus.generate.places import _gazetteer, _Place
from ipops.corpus.generate.vocabulary import _FIELDS, _PARTNER_COUNTRIES
from ipops.corpus.schema import Row

# =========================================================================== row helpers


def _party_row(patent_id: str, sequence: int, role: str, entity: _Entity, chinese: bool) -> Row:
    place = entity.place
    local = chinese and place.name_zh is not None
    return {
        "patent_id": patent_id,
        "sequence": sequence,
        "role": role,
        "name": entity.name(chinese),
        "party_type": entity.party_type,
        "address": entity.address(chinese),
        "city": f"{place.name_zh}市" if local else place.name,
        "state": place.province_zh if local else place.state,
        "country": place.country,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "geo_source": "source",
    }


def _inventor_row(patent_id: str, sequence: int, person: _Person, place: _Place) -> Row:
    return {
        "patent_id": patent_id,
        "sequence": sequence,
        "name": person.name,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "city": place.name,
        "state": place.state,
        "country": place.country,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "geo_source": "source",
    }


def _inventor_place(applicant: _Entity, country: str, u: Sequence[float]) -> _Place:
    """Often the applicant's city; otherwise a city of the country, by population."""
    if country == applicant.place.country and u[0] < INVENTOR_AT_APPLICANT_CITY:
        return applicant.place
    return _gazetteer().draw(country, u[1])


def _person_named(entity: _Entity, *, chinese: bool) -> _Person:
    """The individual applicant as an inventor: the same name, split into its parts."""
    name = entity.name(chinese)
    if " " in name:
        first, last = name.rsplit(" ", 1)
        return _Person(name, first, last)
    return _Person(name, name[1:], name[:1])


def _partner(home: str, size: int, u: Sequence[float]) -> tuple[str, int]:
    """A second country for an international team, and how many inventors live there."""
    choices = [(c, w) for c, w in _PARTNER_COUNTRIES if c != home]
    total = sum(w for _, w in choices)
    cumulative = np.cumsum([w for _, w in choices]).tolist()
    position = bisect.bisect_right(cumulative, u[0] * total)
    country = choices[min(position, len(choices) - 1)][0]
    return country, max(1, min(size - 1, round(size * (0.2 + 0.3 * u[1]))))


@cache
def _symbol_table(field: int) -> tuple[list[str], list[float]]:
    """Every IPC symbol of a field, with cumulative weights (subclass weight shared out)."""
    symbols: list[str] = []
    weights: list[float] = []
    for subclass, weight, groups in _FIELDS[field].ipc:
        for group in groups:
            symbols.append(f"{subclass} {group}")
            weights.append(weight / len(groups))
    return symbols, np.cumsum(weights).tolist()


def _symbol(field: int, u: float) -> str:
    symbols, cumulative = _symbol_table(field)
    position = bisect.bisect_right(cumulative, u * cumulative[-1])
    return symbols[min(position, len(symbols) - 1)]


def _classification_rows(patent_id: str, scheme: str, symbols: list[str]) -> list[Row]:
    return [
        {
            "patent_id": patent_id,
            "scheme": scheme,
            "sequence": sequence,
            "symbol": symbol,
            "subclass": symbol[:4],
            "main_group": symbol.split("/", 1)[0] + "/00",
            "is_main": sequence == 0,
            "value": "inventive" if sequence < 2 else "additional",
        }
        for sequence, symbol in enumerate(symbols)
    ]


def _weighted_below(cumulative: FloatArray, limit: IntArray, u: FloatArray) -> IntArray:
    """For each draw, a position below ``limit`` chosen with chance proportional to its weight."""
    totals = cumulative[np.maximum(limit, 1) - 1]
    positions: IntArray = np.searchsorted(cumulative, u * totals, side="right")
    highest: IntArray = np.maximum(limit, 1) - 1
    return np.minimum(positions, highest)


def _first_distinct(
    citing: IntArray, cited: IntArray, targets: IntArray, rng: np.random.Generator
) -> IntArray:
    """Positions of distinct (citing, cited) pairs, at most ``targets[citing]`` per patent."""
    if len(citing) == 0:
        return np.zeros(0, dtype=np.int64)
    _, first = np.unique(citing * (int(cited.max()) + 1) + cited, return_index=True)
    order = first[np.lexsort((rng.random(len(first)), citing[first]))]
    group_citing = citing[order]
    starts = np.searchsorted(group_citing, group_citing, side="left")
    rank = np.arange(len(order)) - starts
    kept = order[rank < targets[group_citing]]
    return np.sort(kept)
