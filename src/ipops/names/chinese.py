"""Chinese organisation names: one script, the place prefix, the core name and its pinyin.

Chinese applicants are registered as ``[place][trade name][industry][legal form]``
(企业名称登记管理规定, State Council Decree No. 734 of 2020, art. 6: 行政区划名称 + 字号 +
行业或者经营特点 + 组织形式), so ``珠海格力电器股份有限公司`` is 珠海 + 格力 + 电器 + 股份有限公司,
and the short name people use (格力电器) is the name without place and legal form: its
**core**. Two names with one core are the same organisation only when their places agree
or one has none and no other place uses that core (北京小米科技 and 上海小米科技 are two);
``resolve`` applies that rule, this module only computes the parts.

Traditional characters are folded to simplified ones with ``TRADITIONAL_TO_SIMPLIFIED``,
a table of the characters that occur in organisation names (one-to-one forms from the
《通用规范汉字表》 of 2013, appendix 1); characters outside it are kept. Pinyin comes from
pypinyin without tones, joined without spaces, the way names are romanised on foreign
filings ("Zhuhai Geli Dianqi" → ``zhuhaigelidianqi``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pypinyin import lazy_pinyin


def _pairs(path: Path) -> dict[int, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {ord(line[0]): line[2] for line in lines if line and not line.startswith("#")}


TRADITIONAL_TO_SIMPLIFIED = _pairs(Path(__file__).with_name("data") / "traditional_simplified.txt")

# Provincial-level divisions and the cities that most often lead applicant names
# (GB/T 2260 names without 省/市/自治区). Longest first so 内蒙古 wins over 内蒙.
PLACES: tuple[str, ...] = tuple(
    sorted(
        (Path(__file__).with_name("data") / "places_zh.txt").read_text("utf-8").split(),
        key=len,
        reverse=True,
    )
)

_CJK = re.compile(r"[\u3400-\u9fff]")
_PLACE_SUFFIX = ("特别行政区", "自治区", "省", "市")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def to_simplified(text: str) -> str:
    """``text`` with the traditional characters of ``TRADITIONAL_TO_SIMPLIFIED`` simplified."""
    return text.translate(TRADITIONAL_TO_SIMPLIFIED)


def split_place(name: str) -> tuple[str, str]:
    """(place, rest) of a normalised Chinese name: ``珠海格力电器`` → (珠海, 格力电器).

    A place is removed only when at least two characters of trade name follow it, so
    ``中国`` alone or ``上海`` alone keeps its place.
    """
    for place in PLACES:
        if name.startswith(place):
            rest = name[len(place) :]
            for suffix in _PLACE_SUFFIX:
                if rest.startswith(suffix):
                    rest = rest[len(suffix) :]
                    break
            if len(rest) >= 2 and has_cjk(rest[:2]):
                return place, rest
    return "", name


def bracketed_place(name: str) -> tuple[str, str]:
    """A place written in brackets inside the name: ``腾讯科技(深圳)`` → (深圳, 腾讯科技)."""
    match = re.search(r"\(([\u4e00-\u9fff]{2,4}?)[市省]?\)", name)
    if match and match.group(1) in PLACES:
        return match.group(1), (name[: match.start()] + name[match.end() :]).strip()
    return "", name


@lru_cache(maxsize=1 << 16)
def core_and_place(normalized: str) -> tuple[str, str]:
    """(core, place) of a normalised Chinese name; the core has no space and no place."""
    compact = normalized.replace(" ", "")
    place, rest = bracketed_place(compact)
    if not place:
        place, rest = split_place(compact)
    return rest, place


@lru_cache(maxsize=1 << 16)
def pinyin_key(text: str) -> str:
    """Toneless pinyin of the Chinese characters, Latin letters and digits kept, no spaces."""
    return "".join(lazy_pinyin(text)).replace(" ", "").lower()
