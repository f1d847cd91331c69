"""What a landscape report covers: IPC/CPC prefixes, title/abstract words, parties, years.

Pure: parsing and checking the options a user types (CLI or web form). Every error names
the option it is about (``--ipc``, ``--years`` ...), as the user wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ipops.corpus.search import normalize_ipc
from ipops.errors import ValidationError

LANGUAGES = ("zh", "en")
MAX_PREFIXES = 20
MAX_WORDS = 10
MAX_PARTIES = 10
MAX_TEXT = 200
FIRST_YEAR = 1790  # the first US patent
_YEARS = re.compile(r"^\s*(\d{4})?\s*[-–—~至]\s*(\d{4})?\s*$|^\s*(\d{4})\s*$")


@dataclass(frozen=True)
class ReportQuery:
    """The scope of a report. Empty parts do not restrict; an empty query covers everything."""

    ipc: tuple[str, ...] = ()  # normalised prefixes, any of them (OR)
    words: tuple[str, ...] = ()  # each in the title or abstract (AND)
    parties: tuple[str, ...] = ()  # part of an applicant/assignee name, any of them (OR)
    year_from: int | None = None  # filing years, inclusive
    year_to: int | None = None

    def is_empty(self) -> bool:
        return not (self.ipc or self.words or self.parties or self.year_from or self.year_to)

    def as_dict(self) -> dict[str, object]:
        return {
            "ipc": list(self.ipc),
            "words": list(self.words),
            "parties": list(self.parties),
            "years": years_text(self.year_from, self.year_to),
        }


def parse_query(
    *,
    ipc: list[str] | tuple[str, ...] = (),
    words: str | None = None,
    parties: list[str] | tuple[str, ...] = (),
    years: str | None = None,
    today: date | None = None,
) -> ReportQuery:
    """A checked query from the raw option values (blank values are ignored)."""
    year_from, year_to = parse_years(years, today=today)
    return ReportQuery(
        ipc=parse_prefixes(ipc),
        words=parse_words(words),
        parties=parse_parties(parties),
        year_from=year_from,
        year_to=year_to,
    )


def parse_prefixes(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """IPC/CPC prefixes such as ``F24F``, ``F24F 11``, ``F25B 13/00``; commas also separate."""
    found: list[str] = []
    for value in values:
        for part in re.split(r"[,;，；]", value):
            if not part.strip():
                continue
            try:
                prefix = normalize_ipc(part)
            except ValidationError:
                raise ValidationError(
                    f"{part.strip()!r} is not an IPC/CPC symbol or prefix "
                    "(e.g. F24F, F24F 11, F24F 11/30)",
                    field="--ipc",
                ) from None
            if prefix not in found:
                found.append(prefix)
    if len(found) > MAX_PREFIXES:
        raise ValidationError(f"at most {MAX_PREFIXES} prefixes", field="--ipc")
    return tuple(found)


def parse_words(text: str | None) -> tuple[str, ...]:
    if not text or not text.strip():
        return ()
    if len(text) > MAX_TEXT:
        raise ValidationError(f"at most {MAX_TEXT} characters", field="--words")
    words = tuple(dict.fromkeys(text.split()))
    if len(words) > MAX_WORDS:
        raise ValidationError(f"at most {MAX_WORDS} words", field="--words")
    return words


def parse_parties(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    found = tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    if len(found) > MAX_PARTIES:
        raise ValidationError(f"at most {MAX_PARTIES} parties", field="--party")
    for party in found:
        if len(party) > MAX_TEXT:
            raise ValidationError(f"at most {MAX_TEXT} characters a name", field="--party")
    return found


def parse_years(text: str | None, *, today: date | None = None) -> tuple[int | None, int | None]:
    """``2010-2019``, ``2010-`` (from), ``-2019`` (until) or ``2015`` (one year)."""
    if text is None or not text.strip():
        return None, None
    match = _YEARS.match(text)
    if not match:
        raise ValidationError(
            f"{text.strip()!r} is not a year range; write A-B, e.g. 2010-2019", field="--years"
        )
    single = match[3]
    start = int(single or match[1]) if (single or match[1]) else None
    end = int(single or match[2]) if (single or match[2]) else None
    latest = (today or date.today()).year + 1
    for year in (start, end):
        if year is not None and not FIRST_YEAR <= year <= latest:
            raise ValidationError(
                f"year {year} is impossible: years run from {FIRST_YEAR} to {latest}",
                field="--years",
            )
    if start is not None and end is not None and start > end:
        raise ValidationError(
            f"impossible range {start}-{end}: the first year is after the last", field="--years"
        )
    return start, end


def parse_language(text: str | None) -> str:
    lang = (text or "zh").strip().lower().replace("_", "-")
    lang = {"zh-cn": "zh", "cn": "zh", "chinese": "zh", "english": "en"}.get(lang, lang)
    if lang not in LANGUAGES:
        raise ValidationError(f"{text!r}: choose zh or en", field="--lang")
    return lang


def years_text(year_from: int | None, year_to: int | None) -> str:
    if year_from is None and year_to is None:
        return ""
    return f"{year_from or ''}-{year_to or ''}"
