"""The report as data: sections of paragraphs, charts and tables, ready for any renderer.

Every value a chart shows is in a table of its section, and every table goes to the annex.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

ColumnKind = Literal["text", "int", "float", "pct", "year", "rsi"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # in the report's language
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class DataTable:
    name: str  # annex file stem, e.g. "trend_filing_year"
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]

    def column(self, key: str) -> list[Any]:
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]

    def as_dicts(self) -> list[dict[str, Any]]:
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Chart:
    svg: str  # a complete SVG document
    alt: str  # what it shows, for screen readers and when images are off


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: tuple[str, ...]
    charts: tuple[Chart, ...] = ()
    tables: tuple[DataTable, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    title: str
    lang: str
    query: dict[str, Any]
    query_text: str
    snapshot_id: str
    version: str
    generated_at: str  # when the file was made (the numbers depend on the snapshot only)
    as_of: date
    patents: int
    families: int
    sections: tuple[Section, ...]
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.patents == 0

    def tables(self) -> list[DataTable]:
        return [table for section in self.sections for table in section.tables]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)
