"""Assignee and applicant names to a normalised form and a stable entity id.

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
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from unidecode import unidecode

from ipops.names.chinese import has_cjk, to_simplified
from ipops.places.countries import to_iso2

ENTITY_ID_PREFIX = "E"

LEGAL_FORMS: tuple[str, ...] = (
    # English and common-law, with the state of incorporation that US names add
    "incorporated", "inc", "corporation", "corp", "company", "co", "cos", "companies",
    "limited", "ltd", "coltd", "llc", "l l c", "llp", "lp", "plc", "pty", "pte", "pvt",
    "private", "public limited company", "limited liability company", "and co",
    "and company", "and cie", "corp del", "corporation del", "inc del", "of delaware",
    "a delaware corporation", "a corporation of delaware",
    # German, Austrian, Swiss
    "gmbh", "mbh", "ges mbh", "gesellschaft mit beschrankter haftung", "ag", "kg", "kgaa",
    "ohg", "aktiengesellschaft", "ev", "und co", "se",
    # French, Belgian, Spanish, Portuguese, Italian, Latin American
    "sa", "sas", "sarl", "snc", "sca", "societe anonyme", "et cie", "cie", "sl", "srl",
    "spa", "sapa", "societa per azioni", "sociedad anonima", "sa de cv", "de cv", "s de rl",
    "ltda",
    # Dutch, Nordic, Finnish
    "bv", "nv", "vof", "ab", "publ", "oy", "oyj", "as", "asa", "aps", "a s", "hf",
    # Japanese and Korean in Latin letters
    "kk", "k k", "kabushiki kaisha", "kabushikikaisha", "yugen kaisha", "godo kaisha",
)  # fmt: skip

LEADING_LEGAL_FORMS: tuple[str, ...] = ("kabushiki kaisha", "kabushikikaisha", "kk")

CJK_LEGAL_FORMS: tuple[str, ...] = (
    "股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "股份公司", "集团公司",
    "集團公司", "总公司", "總公司", "公司", "集团", "集團",
    "株式会社", "株式會社", "有限会社", "合同会社", "주식회사", "유한회사",
)  # fmt: skip

CJK_LEADING_LEGAL_FORMS: tuple[str, ...] = ("株式会社", "株式會社", "有限会社", "주식회사")

HOLDER_FORMS: tuple[str, ...] = (
    "regents of", "regents", "regent of", "board of regents of", "board of regents",
    "trustees of", "trustees", "board of trustees of", "board of trustees",
    "board of trustees operating", "president and fellows of", "board of governors of",
    "board of supervisors of", "university court of",
)  # fmt: skip

AGENCY_TITLES: tuple[str, ...] = (
    "secretary of", "secretary", "administrator of", "administrator", "director of",
    "director", "chief of", "department of", "dept of", "minister of", "ministry of",
    "united states", "us",
)  # fmt: skip

AGENCY_TITLE_WORDS: tuple[str, ...] = ("secretary", "administrator", "director", "department")

US_SOVEREIGN_FORMS: tuple[str, ...] = (
    "united states of america", "united states", "government of united states of america",
)  # fmt: skip

SINGLE_WORD_LEGAL_FORMS = frozenset(form for form in LEGAL_FORMS if " " not in form)

LONG_LEGAL_FORMS = frozenset(
    {"corporation", "company", "incorporated", "limited", "aktiengesellschaft"}
)
LEADING_HOLDER_WORDS = ("regents", "trustees")

ARTICLES = frozenset({"the"})

ABBREVIATIONS: dict[str, str] = {
    "univ": "university",
    "intl": "international",
    "mfg": "manufacturing",
    "labs": "laboratories",
    "lab": "laboratory",
    "tech": "technology",
    "technol": "technology",
    "natl": "national",
    "assn": "association",
    "assoc": "association",
    "dept": "department",
    "inst": "institute",
    "res": "research",
    "sys": "systems",
    "elec": "electric",
    "inds": "industries",
    "bros": "brothers",
    "jr": "junior",
    "fdn": "foundation",
    "ctr": "center",
    "centre": "center",
    "chem": "chemical",
    "pharm": "pharmaceutical",
    "svcs": "services",
}

_LATIN_NON_ASCII = re.compile(r"[\u0080-\u024f\u0300-\u036f\u1e00-\u1eff]+")
_CJK_PLACE_IN_BRACKETS = re.compile(r"([\u4e00-\u9fff]+)\(([\u4e00-\u9fff]{2,4}?)[市省]?\)")
_CJK_LEADING_PLACE = re.compile(r"^([\u4e00-\u9fff]{2})[市省]+(?=[\u4e00-\u9fff]{2})")
_INITIAL_DOT = re.compile(r"(?<![^\W_])([^\W_])\.")
_APOSTROPHES = re.compile(r"['’`´]")
_MARKS = re.compile(r"[\W_]+")


class Forms:
    """Word sequences to strip from one end of a name, longest first, never its last word."""

    def __init__(self, forms: Iterable[str], *, at_end: bool, cjk: Iterable[str] = ()) -> None:
        self.at_end = at_end
        self.cjk = tuple(cjk)
        self.by_edge_word: dict[str, list[tuple[str, ...]]] = {}
        for form in forms:
            words = tuple(form.split())
            self.by_edge_word.setdefault(words[-1 if at_end else 0], []).append(words)
        for candidates in self.by_edge_word.values():
            candidates.sort(key=len, reverse=True)

    def strip(self, words: list[str]) -> list[str]:
        """``words`` without one form at this end, if one is there."""
        edge = words[-1] if self.at_end else words[0]
        for form in self.by_edge_word.get(edge, ()):
            size = len(form)
            if len(words) > size:
                if self.at_end and tuple(words[-size:]) == form:
                    return words[:-size]
                if not self.at_end and tuple(words[:size]) == form:
                    return words[size:]
        return self._strip_cjk(words, edge)

    def _strip_cjk(self, words: list[str], edge: str) -> list[str]:
        for form in self.cjk:
            if len(edge) > len(form):
                if self.at_end and edge.endswith(form):
                    return [*words[:-1], edge[: -len(form)]]
                if not self.at_end and edge.startswith(form):
                    return [edge[len(form) :], *words[1:]]
        return words


TRAILING_LEGAL = Forms(LEGAL_FORMS, at_end=True, cjk=CJK_LEGAL_FORMS)
LEADING_LEGAL = Forms(LEADING_LEGAL_FORMS, at_end=False, cjk=CJK_LEADING_LEGAL_FORMS)
TRAILING_HOLDERS = Forms(HOLDER_FORMS, at_end=True)
LEADING_HOLDERS = Forms(HOLDER_FORMS, at_end=False)
LEADING_AGENCY_TITLES = Forms(AGENCY_TITLES, at_end=False)


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
    return [ABBREVIATIONS.get(word, word) for word in words]


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


def edit_distance(a: str, b: str, limit: int = 4) -> int:
    """Edit distance of ``a`` and ``b`` (Levenshtein with adjacent transpositions, the
    optimal string alignment distance), or ``limit + 1`` once it exceeds ``limit``.

    Only the band of cells within ``limit`` of the diagonal is computed (Ukkonen 1985), so
    the cost is linear in the length of the names.
    """
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    over = limit + 1
    width = len(b) + 1
    before = [over] * width
    previous = [j if j <= limit else over for j in range(width)]
    for i in range(1, len(a) + 1):
        current = [over] * width
        if i <= limit:
            current[0] = i
        char_a = a[i - 1]
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            char_b = b[j - 1]
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                cost = min(cost, before[j - 2] + 1)  # a transposition: "univeristy"
            current[j] = cost
        if min(current) > limit:
            return over
        before, previous = previous, current
    return min(previous[-1], over)


def _represented_by(words: list[str]) -> list[str]:
    """United States of America as represented by the Secretary of the Navy → us navy."""
    for start in range(1, len(words) - 2):
        if words[start + 1] == "by" and edit_distance(words[start], "represented", 2) <= 2:
            sovereign = words[: start - 1] if words[start - 1] == "as" else words[:start]
            return [*_sovereign(sovereign), *_agency(words[start + 2 :])]
    return words


def _sovereign(words: list[str]) -> list[str]:
    text = " ".join(words)
    code = to_iso2(text)
    if code is None and _near(text, US_SOVEREIGN_FORMS):
        code = "US"
    return [code.lower()] if code else words


def _near(text: str, forms: Iterable[str], ratio: float = 0.9) -> bool:
    """``text`` is one of ``forms`` or within a typo or two of one (difflib ratio)."""
    return any(
        text == form
        or (abs(len(text) - len(form)) <= 3 and SequenceMatcher(None, text, form).ratio() >= ratio)
        for form in forms
    )


def _agency(words: list[str]) -> list[str]:
    while True:
        if len(words) > 2 and words[1] == "of" and _near(words[0], AGENCY_TITLE_WORDS, 0.8):
            words = words[2:]  # a misspelt title: "Secreatry of the Army"
        stripped = LEADING_AGENCY_TITLES.strip(words)
        if stripped == words:
            return words
        words = stripped


def _leading_sovereign(words: list[str]) -> list[str]:
    """A (misspelt) "United States of America" before an agency: the country's code."""
    if len(words) > 3 and words[0] == "us" and words[2] == "of":
        return ["us", *_agency(words[1:])]
    for size in (4, 3, 2):
        if len(words) > size and words[0].startswith("uni"):
            head = " ".join(words[:size])
            if head not in ("united states", "united kingdom") and _near(head, US_SOVEREIGN_FORMS):
                return ["us", *_agency(words[size:])]
    return words


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
    "legal_forms": _legal_forms,
    "misspelt_legal_form": _misspelt_legal_form,
    "holders": _holders,
    "represented_by": _represented_by,
    "leading_sovereign": _leading_sovereign,
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


@lru_cache(maxsize=1 << 18)
def harmonize_name(name: str) -> tuple[str, str]:
    """(name_normalized, entity_id) of one raw name, without the rest of its collection.

    A name the alias table lists (``ipops.names.aliases``: 格力电器, GREE ELECTRIC
    APPLIANCES, INC. OF ZHUHAI) gets its entity's id; any other name the id of its
    normalised form. ``ipops.names.resolve.resolve_names`` also links names by the
    scored comparison, which needs the whole collection.
    """
    from ipops.names.aliases import load_aliases

    normalized = normalize_name(name)
    listed = load_aliases().lookup(normalized)
    return normalized, listed.entity_id if listed else entity_id_for(normalized)


def harmonize_rows(rows: list[dict[str, Any]]) -> None:
    """Fill name_normalized and entity_id in place on party rows that have a name."""
    for row in rows:
        name = row.get("name")
        if name and name.strip():
            row["name_normalized"], row["entity_id"] = harmonize_name(name)
