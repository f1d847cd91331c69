"""Government assignees: "<country> as represented by the <title> of <agency>" → "us navy".

``represented_by`` and ``leading_sovereign`` are word rules of ``ipops.names.normalize``:
the sovereign becomes its ISO code (also when misspelt: "Unites States of America"), the
title before the agency goes (Secretary, Administrator, Director General ...), and so does
the agency's legal office after it (``AGENCY_OFFICES``: "Office of General Counsel").
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher

from ipops.names.distance import edit_distance
from ipops.names.forms import (
    AGENCY_OFFICES,
    AGENCY_TITLE_WORDS,
    LEADING_AGENCY_TITLES,
    US_SOVEREIGN_FORMS,
)
from ipops.places.countries import to_iso2


def represented_by(words: list[str]) -> list[str]:
    """United States of America as represented by the Secretary of the Navy → us navy."""
    for start in range(1, len(words) - 2):
        by = words[start + 1] == "by"
        if (by or words[start - 1] == "as") and edit_distance(words[start], "represented", 2) <= 2:
            sovereign = words[: start - 1] if words[start - 1] == "as" else words[:start]
            return [*_sovereign(sovereign), *_agency(words[start + (2 if by else 1) :])]
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
    words = _without_office(words)
    while True:
        stripped = LEADING_AGENCY_TITLES.strip(words)
        if stripped == words and len(words) > 2 and _near(words[0], AGENCY_TITLE_WORDS, 0.8):
            if words[1] == "of":
                stripped = words[2:]  # a misspelt title: "Secreatry of the Army"
            elif _near(words[0], AGENCY_TITLE_WORDS, 0.85):
                stripped = words[1:]  # "Adminstrator, National Aeronautics and Space ..."
        if stripped == words:
            return words
        words = stripped


def leading_sovereign(words: list[str]) -> list[str]:
    """A (misspelt) "United States of America" before an agency: the country's code."""
    if len(words) > 3 and words[0] == "us" and words[2] == "of":
        return ["us", *_agency(words[1:])]
    for size in (4, 3, 2):
        if len(words) > size and words[0].startswith("uni"):
            head = " ".join(words[:size])
            if head not in ("united states", "united kingdom") and _near(head, US_SOVEREIGN_FORMS):
                return ["us", *_agency(words[size:])]
    return words


def _without_office(words: list[str]) -> list[str]:
    """The agency without its legal office and what follows it ("... Code GP")."""
    for office in AGENCY_OFFICES:
        size = len(office)
        for start in range(1, len(words) - size + 1):
            if tuple(words[start : start + size]) == office:
                return words[:start]
    return words
