"""One paging and sorting convention for every list, whatever store it reads.

A ``Page`` says which slice of a result is wanted and in which order; sort keys come from
user text like ``-publication_date,title`` and are checked against a whitelist, so a
store only ever sees column names it chose itself.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ipops.errors import ValidationError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class SortKey:
    name: str
    descending: bool = False

    def __str__(self) -> str:
        return f"-{self.name}" if self.descending else self.name


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = DEFAULT_PAGE_SIZE
    sort: tuple[SortKey, ...] = ()

    def __post_init__(self) -> None:
        if self.number < 1:
            raise ValidationError("must be 1 or more", field="page")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise ValidationError(f"must be between 1 and {MAX_PAGE_SIZE}", field="page_size")

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def parse_sort(text: str | None, allowed: Collection[str]) -> tuple[SortKey, ...]:
    """``"-publication_date,title"`` as sort keys; any name outside ``allowed`` is refused."""
    if not text or not text.strip():
        return ()
    keys: list[SortKey] = []
    for part in text.split(","):
        raw = part.strip()
        name = raw.removeprefix("-").removeprefix("+")
        if name not in allowed:
            choices = ", ".join(sorted(allowed)) or "none"
            raise ValidationError(
                f"cannot sort by {raw!r}; choose from {choices} (prefix - for descending)",
                field="sort",
            )
        if any(k.name == name for k in keys):
            raise ValidationError(f"{name!r} is given twice", field="sort")
        keys.append(SortKey(name, descending=raw.startswith("-")))
    return tuple(keys)
