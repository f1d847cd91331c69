"""Name keys of places: how a city name (Latin script or Chinese characters) is normalised
for the gazetteer's index and its look-ups, with the loosenings tried when it does not match
as given (postal codes, parentheses, administrative suffixes, spelling folds, pinyin)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

from unidecode import unidecode

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

_ABBREVIATION = re.compile(r"\b(?:" + "|".join(ABBREVIATIONS) + r")\b")
_SEPARATORS = re.compile(r"[^a-z0-9\n]+")
_APOSTROPHES = str.maketrans({"'": None, "’": None, "`": None})
_LATIN = re.compile(r"[\u0000-\u024f\u1e00-\u1eff\u2018\u2019]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_POSTAL_CODE = re.compile(r"\b(?:[A-Z]{1,2}[- ]?)?\d[\d-]*")
_PARENTHESIS = re.compile(r"\([^)]*\)?")
_PART_SEPARATORS = re.compile(r"[,/;]")
_WORD_SEPARATORS = re.compile(r"[\s\-]+")


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


def names_of(record: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The record's Latin-script names and its Chinese-character names (as keys)."""
    latin = [record["name"]]
    han = []
    for name in record["alternatenames"]:
        if name.isascii() or _LATIN.fullmatch(name):
            latin.append(name)
        elif is_han(name):
            han.append(han_key(name))
    return latin, han


def key_rules() -> tuple[object, ...]:
    """Everything a key depends on (the index cache file is named after it)."""
    return (
        ABBREVIATIONS,
        sorted(_APOSTROPHES.items()),
        _SEPARATORS.pattern,
        _LATIN.pattern,
        _HAN.pattern,
    )
