"""Assignee and applicant names to a normalised form and a stable entity id (pure rules).

``normalize_name`` case-folds the name under NFKC (full-width ＳＯＮＹ → sony, the
ideographic space → a space), then applies named rules, each a small table or function:

Text rules, in order (``TEXT_RULES``)
    accents: Latin letters with accents to ASCII (é → e, ß → ss); Chinese, Japanese and
        Korean characters stay as they are and are never turned into pinyin.
    chinese_bracketed_place: a place in brackets after the trade name moves before it, as
        the registry allows both forms (格力电器（珠海）→ 珠海格力电器).
    ampersand: "&" reads "and".
    initials: initials lose their dots (S.p.A. → spa, U.S.A. → usa), apostrophes go.
Then every other mark is a space, and the words go through the word rules, repeated
until nothing changes (``WORD_RULES``):
    chinese_leading_place: 市 or 省 after a two-character place at the start goes
        (深圳市腾讯 → 深圳腾讯).
    articles: "the" goes wherever it stands.
    abbreviations: common short forms are spelled out (univ → university, mfg →
        manufacturing, jr → junior).
    legal_forms: one legal form goes from the end (``LEGAL_FORMS``: Inc., Corp., Co.,
        Ltd., GmbH, AG, S.A., KK, 有限公司, 股份有限公司, 集团, 株式会社 ...) and one from the
        start (Kabushiki Kaisha, 株式会社); repeated, "Co., Ltd." and "Ltd. Co." both go.
    holders: the body holding a university's patents goes ("Regents of", "Board of
        Trustees of" ...), so "Regents of the University of X" is "university of x".
    represented_by: "<country> as represented by the <title> of <agency>" becomes the
        country's code and the agency ("us navy").
No rule removes a name's last word.

``entity_id_for`` hashes the normalised name: the same name gets the same id on every
machine and in every run. ``normalize_with`` skips named rules, to measure each one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from unidecode import unidecode

from ipops.names.chinese import has_cjk, to_simplified
from ipops.names.distance import edit_distance
from ipops.names.forms import (
    ABBREVIATIONS,
    ARTICLES,
    INNER_ABBREVIATIONS,
    LEADING_HOLDER_WORDS,
    LEADING_HOLDERS,
    LEADING_LEGAL,
    LONG_LEGAL_FORMS,
    SINGLE_WORD_LEGAL_FORMS,
    TRAILING_HOLDERS,
    TRAILING_LEGAL,
    US_STATES,
)
from ipops.names.government import leading_sovereign, represented_by

ENTITY_ID_PREFIX = "E"

_LATIN_NON_ASCII = re.compile(r"[\u0080-\u024f\u0300-\u036f\u1e00-\u1eff]+")
_CJK_PLACE_IN_BRACKETS = re.compile(r"([\u4e00-\u9fff]+)\(([\u4e00-\u9fff]{2,4}?)[市省]?\)")
_CJK_LEADING_PLACE = re.compile(r"^([\u4e00-\u9fff]{2})[市省]+(?=[\u4e00-\u9fff]{2})")
_INITIAL_DOT = re.compile(r"(?<![^\W_])([^\W_])\.")
_APOSTROPHES = re.compile(r"['’`´]")
_MARKS = re.compile(r"[\W_]+")
_ACRONYM_SKIP = frozenset({"of", "and", "for", "at", "in", "on", "de", "du", "des"})


def _traditional_chinese(text: str) -> str:
    return to_simplified(text) if has_cjk(text) else text


def _accents(text: str) -> str:
    return _LATIN_NON_ASCII.sub(lambda found: unidecode(found.group()).casefold(), text)


def _chinese_bracketed_place(text: str) -> str:
    return _CJK_PLACE_IN_BRACKETS.sub(r"\2\1", text) if "(" in text else text


def _chinese_leading_place(words: list[str]) -> list[str]:
    first = _CJK_LEADING_PLACE.sub(r"\1", words[0])
    return words if first == words[0] else [first, *words[1:]]


def _ampersand(text: str) -> str:
    return text.replace("&", " and ")


def _initials(text: str) -> str:
    return _INITIAL_DOT.sub(r"\1", _APOSTROPHES.sub("", text))


def _articles(words: list[str]) -> list[str]:
    kept = [word for word in words if word not in ARTICLES]
    return kept or words


def _abbreviations(words: list[str]) -> list[str]:
    spelled = [ABBREVIATIONS.get(word, word) for word in words]
    return [INNER_ABBREVIATIONS.get(word, word) for word in spelled[:-1]] + spelled[-1:]


def _us_states(words: list[str]) -> list[str]:
    """A US state's abbreviation after "of" is spelled out: "University of Calif." """
    for at in range(1, len(words)):
        state = US_STATES.get(words[at])
        if state is not None and words[at - 1] == "of":
            return [*words[:at], *state.split(), *words[at + 1 :]]
    return words


def _trailing_acronym(words: list[str]) -> list[str]:
    """A last word that is the acronym of the words before it goes: "... Columbia UBC"."""
    last = words[-1]
    if len(words) < 4 or not 3 <= len(last) <= 8 or not last.isalpha():
        return words
    initials = ""
    for word in reversed(words[:-1]):
        if word in _ACRONYM_SKIP:
            continue
        initials = word[0] + initials
        if initials == last:
            return words[:-1]
        if len(initials) >= len(last):
            break
    return words


def _unit_under_acronym(words: list[str]) -> list[str]:
    """ "X Company, <X's acronym> <unit>" is X: "American Telephone and Telegraph Company,
    AT&T Bell Laboratories" → american telephone and telegraph. The unit names itself after
    the company that precedes it, so the assignee is that company."""
    for at in range(2, len(words) - 2):
        if words[at] not in SINGLE_WORD_LEGAL_FORMS:
            continue
        initials = "".join(word[0] for word in words[:at] if word not in _ACRONYM_SKIP)
        letters = ""
        for word in words[at + 1 :]:
            if word != "and":
                letters += word
            if len(letters) >= len(initials):
                break
        if len(initials) >= 3 and letters == initials:
            return words[:at]
        return words
    return words


def _glued_legal_form(words: list[str]) -> list[str]:
    """A long legal form written onto the last word: "General Electriccompany"."""
    last = words[-1]
    for form in LONG_LEGAL_FORMS:
        if last.endswith(form) and len(last) - len(form) >= 4:
            return [*words[:-1], last[: -len(form)], form]
    return words


def _legal_forms(words: list[str]) -> list[str]:
    return LEADING_LEGAL.strip(TRAILING_LEGAL.strip(words))


def _misspelt_legal_form(words: list[str]) -> list[str]:
    """A last word one or two typos from a long legal form goes ("Comapny", "Coporation")."""
    last = words[-1]
    if len(words) < 2 or len(last) < 6 or last in LONG_LEGAL_FORMS:
        return words
    typos = 1 if len(last) < 10 else 2  # "compass" is two edits from "company", and stays
    if any(edit_distance(last, form, typos) <= typos for form in LONG_LEGAL_FORMS):
        return words[:-1]
    return words


def _holders(words: list[str]) -> list[str]:
    if (
        len(words) > 2
        and words[1] == "of"
        and words[0] not in LEADING_HOLDER_WORDS
        and any(edit_distance(words[0], word, 2) <= 2 for word in LEADING_HOLDER_WORDS)
    ):
        words = words[2:]  # "The Reagents of the University of California"
    return LEADING_HOLDERS.strip(TRAILING_HOLDERS.strip(words))


def _legal_form_of_place(words: list[str]) -> list[str]:
    """ "Gree Electric Appliances, Inc. of Zhuhai" → gree electric appliances zhuhai."""
    for gap in (2, 3):
        at = len(words) - gap - 1
        if at >= 1 and words[at + 1] == "of" and words[at] in SINGLE_WORD_LEGAL_FORMS:
            return [*words[:at], *words[at + 2 :]]
    return words


TEXT_RULES: dict[str, Callable[[str], str]] = {
    "traditional_chinese": _traditional_chinese,
    "accents": _accents,
    "chinese_bracketed_place": _chinese_bracketed_place,
    "ampersand": _ampersand,
    "initials": _initials,
}

WORD_RULES: dict[str, Callable[[list[str]], list[str]]] = {
    "chinese_leading_place": _chinese_leading_place,
    "articles": _articles,
    "abbreviations": _abbreviations,
    "us_states": _us_states,
    "trailing_acronym": _trailing_acronym,
    "glued_legal_form": _glued_legal_form,
    "unit_under_acronym": _unit_under_acronym,
    "legal_forms": _legal_forms,
    "misspelt_legal_form": _misspelt_legal_form,
    "holders": _holders,
    "represented_by": represented_by,
    "leading_sovereign": leading_sovereign,
    "legal_form_of_place": _legal_form_of_place,
}


def normalize_with(name: str, skip: frozenset[str] = frozenset()) -> str:
    """``normalize_name`` without the rules named in ``skip`` (to measure what each adds)."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    for rule_name, text_rule in TEXT_RULES.items():
        if rule_name not in skip:
            text = text_rule(text)
    words = _MARKS.sub(" ", text).split()
    rules = [rule for rule_name, rule in WORD_RULES.items() if rule_name not in skip]
    while words:
        before = words
        for word_rule in rules:
            words = word_rule(words)
        if words == before:
            break
    return " ".join(words)


@lru_cache(maxsize=1 << 18)
def normalize_name(name: str) -> str:
    """The comparable form of an organisation's name (see the module's rules)."""
    return normalize_with(name)


def entity_id_for(normalized: str) -> str:
    """The letter E and the first 16 hex digits of the SHA-1 of the normalised name."""
    digest = hashlib.sha1(normalized.encode("utf-8"), usedforsecurity=False).hexdigest()
    return ENTITY_ID_PREFIX + digest[:16]
