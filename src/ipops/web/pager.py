"""Pagination of result pages: page numbers and the links to the neighbouring pages.

A page with two long lists pages each with its own query parameter (``param``), keeping the
other list's page in the links."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

PAGE_SIZE = 20
MAX_PAGE = 10_000
T = TypeVar("T")


@dataclass(frozen=True)
class Pager:
    path: str
    params: tuple[tuple[str, str], ...]  # the query without ``page``
    page: int
    size: int
    total: int
    param: str = "page"
    anchor: str = ""  # the list's heading, where a link to another page of it lands

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def first_row(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.size + 1

    @property
    def last_row(self) -> int:
        return min(self.total, self.page * self.size)

    @property
    def prev_url(self) -> str | None:
        return self.url(self.page - 1) if self.page > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.page + 1) if self.page < self.pages else None

    def url(self, page: int) -> str:
        query = urlencode([*self.params, (self.param, str(page))])
        return f"{self.path}?{query}" + (f"#{self.anchor}" if self.anchor else "")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def rows(self, items: Sequence[T]) -> Sequence[T]:
        """This page's slice of ``items`` (a list already read whole)."""
        return items[self.offset : self.offset + self.size]


def make_pager(
    path: str,
    query: Mapping[str, str],
    *,
    page: int,
    size: int,
    total: int,
    param: str = "page",
    anchor: str = "",
) -> Pager:
    """A pager keeping the non-empty query parameters other than ``param``."""
    params = tuple((k, v) for k, v in query.items() if k != param and v)
    return Pager(path, params, page, size, total, param, anchor)


def clamp_page(value: int | None) -> int:
    """A page number from user input: 1 when absent or out of range."""
    if value is None or value < 1 or value > MAX_PAGE:
        return 1
    return value


def page_of(query: Mapping[str, str], param: str = "page") -> int:
    """The page number the query asks for in ``param``: 1 when absent, not a number or out of
    range."""
    text = query.get(param, "")
    return clamp_page(int(text) if text.isdigit() and len(text) < 7 else None)
