"""Reading the query forms of the pages: raw text kept for redisplay, typed values checked."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ipops.web.pager import PAGE_SIZE, clamp_page

FIRST_YEAR = 1800
LAST_YEAR = 2100
MAX_TEXT = 200

Gettext = Callable[..., str]

SEARCH_FIELDS = ("number", "words", "party", "ipc", "year_from", "year_to")


@dataclass(frozen=True)
class SearchForm:
    values: dict[str, str] = field(default_factory=dict)  # as typed, for redisplay
    year_from: int | None = None
    year_to: int | None = None
    page: int = 1
    size: int = PAGE_SIZE

    def text(self, name: str) -> str:
        return self.values.get(name, "")

    @property
    def submitted(self) -> bool:
        return any(self.values.values())


def parse_search_form(query: Mapping[str, str], gettext: Gettext) -> tuple[SearchForm, list[str]]:
    """The search form from the query string, and the problems found, in the user's language."""
    values = {name: query.get(name, "").strip()[:MAX_TEXT] for name in SEARCH_FIELDS}
    errors: list[str] = []
    year_from = _year(values["year_from"], gettext("Filing year from"), gettext, errors)
    year_to = _year(values["year_to"], gettext("Filing year to"), gettext, errors)
    if year_from is not None and year_to is not None and year_from > year_to:
        errors.append(gettext("The first filing year is after the last one."))
    form = SearchForm(
        values=values,
        year_from=year_from,
        year_to=year_to,
        page=clamp_page(_int(query.get("page"))),
    )
    return form, errors


def _year(text: str, label: str, gettext: Gettext, errors: list[str]) -> int | None:
    if not text:
        return None
    year = _int(text)
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        errors.append(
            gettext(
                "%(field)s: enter a year between %(first)s and %(last)s.",
                field=label,
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
        return None
    return year


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None
