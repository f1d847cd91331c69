"""People of the generated corpus: Chinese and Latin names by country."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ipops.corpus.generate.params import _T
from ipops.corpus.generate.vocabulary import _CN_GIVEN, _CN_SURNAMES, _LATIN_NAMES, _NAME_STYLE

# =========================================================================== people and names


@dataclass(frozen=True)
class _Person:
    name: str
    first_name: str
    last_name: str


_SURNAME_CUMULATIVE: list[float] = np.cumsum([w for _, _, w in _CN_SURNAMES]).tolist()


def _pick(items: Sequence[_T], u: float) -> _T:
    """The item at ``u`` (0 <= u < 1) along ``items``."""
    return items[int(u * len(items))]


def _chinese_person(u: Sequence[float], *, romanised: bool) -> _Person:
    position = bisect.bisect_right(_SURNAME_CUMULATIVE, u[0] * _SURNAME_CUMULATIVE[-1])
    surname, surname_pinyin, _ = _CN_SURNAMES[min(position, len(_CN_SURNAMES) - 1)]
    given = [_pick(_CN_GIVEN, u[1])] + ([_pick(_CN_GIVEN, u[2])] if u[3] < 0.55 else [])
    if romanised:
        first = "".join(pinyin for _, pinyin in given).capitalize()
        return _Person(f"{first} {surname_pinyin}", first, surname_pinyin)
    first = "".join(hanzi for hanzi, _ in given)
    return _Person(surname + first, first, surname)


def _person(country: str, office: str, u: Sequence[float]) -> _Person:
    """A person living in ``country``, written as ``office``'s documents write names."""
    if country == "CN":
        return _chinese_person(u, romanised=office != "CN")
    first_names, last_names = _LATIN_NAMES[_NAME_STYLE.get(country, "en")]
    first, last = _pick(first_names, u[1]), _pick(last_names, u[0])
    return _Person(f"{first} {last}", first, last)
