"""Pagination of result pages: page numbers and the links to the neighbouring pages."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

PAGE_SIZE = 20
MAX_PAGE = 10_000


@dataclass(frozen=True)
class Pager:
    path: str
    params: tuple[tuple[str, str], ...]  # the query without ``page``
    page: int
    size: int
    total: int

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
        query = urlencode([*self.params, ("page", str(page))])
        return f"{self.path}?{query}"


def make_pager(path: str, query: Mapping[str, str], *, page: int, size: int, total: int) -> Pager:
    """A pager keeping the non-empty query parameters other than ``page``."""
    params = tuple((k, v) for k, v in query.items() if k != "page" and v)
    return Pager(path=path, params=params, page=page, size=size, total=total)


def clamp_page(value: int | None) -> int:
    """A page number from user input: 1 when absent or out of range."""
    if value is None or value < 1 or value > MAX_PAGE:
        return 1
    return value
