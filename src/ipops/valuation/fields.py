"""WIPO technology fields: the IPC → 35 fields (5 sectors) concordance, in Python and in SQL.

The concordance (Schmoch 2008, as updated by WIPO; ``data/ipc_technology.csv``, see
``data/SOURCE.md``) lists SQL LIKE patterns over IPC symbols in the 8-character layout:
a whole subclass (``F21H%``) or one main group (``H04N   5/%``, the group number
right-aligned after the subclass). A symbol belongs to the field of the **longest** pattern
it matches, so a main-group pattern beats a subclass pattern (the published table has no
overlapping patterns, but a user's edited copy may).

ipops stores symbols as ``"H04N 5/232"`` (see ``ipops.corpus.classification``), so the
patterns are read once into (subclass, main group or None) keys and matched by equality:
the same result as the LIKE patterns, and an equi-join that DuckDB and Spark run fast.
``field_of`` is the Python form; ``concordance_table`` is the Arrow table the SQL joins.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pyarrow as pa

from ipops.errors import ValidationError

CONCORDANCE_FILE = "ipc_technology.csv"
_PATTERN = re.compile(r"^(?P<subclass>[A-H]\d\d[A-Z])(?:\s*(?P<group>\d+)/)?%$")
_SYMBOL = re.compile(r"^(?P<subclass>[A-HY]\d\d[A-Z])(?:\s*(?P<group>\d+)(?:/\d+)?)?$")


@dataclass(frozen=True)
class WipoField:
    number: int
    sector: str
    name: str


@dataclass(frozen=True)
class ConcordanceEntry:
    pattern: str  # the LIKE pattern as published
    subclass: str
    main_group: int | None  # None: the whole subclass
    field: WipoField


def parse_pattern(pattern: str) -> tuple[str, int | None]:
    """(subclass, main group or None) of a concordance LIKE pattern such as ``H04N   5/%``."""
    match = _PATTERN.match(pattern.strip())
    if not match:
        raise ValidationError(f"not a concordance pattern: {pattern!r}", field="IPC_code")
    group = match["group"]
    return match["subclass"], int(group) if group is not None else None


def read_concordance(text: str) -> tuple[ConcordanceEntry, ...]:
    """Entries of a concordance CSV (the published column layout, BOM or not)."""
    entries = []
    for row in csv.DictReader(text.lstrip("\ufeff").splitlines()):
        subclass, group = parse_pattern(row["IPC_code"])
        field = WipoField(int(row["Field_number"]), row["Sector_en"], row["Field_en"])
        entries.append(ConcordanceEntry(row["IPC_code"], subclass, group, field))
    return tuple(entries)


@cache
def concordance() -> tuple[ConcordanceEntry, ...]:
    """The concordance shipped with ipops."""
    data = resources.files("ipops.valuation") / "data" / CONCORDANCE_FILE
    return read_concordance(data.read_text(encoding="utf-8-sig"))


@cache
def fields() -> dict[int, WipoField]:
    """The 35 fields by number."""
    return {entry.field.number: entry.field for entry in concordance()}


@cache
def _index() -> dict[tuple[str, int | None], WipoField]:
    return {(e.subclass, e.main_group): e.field for e in concordance()}


def field_of(symbol: str | None) -> WipoField | None:
    """The WIPO field of an IPC (or CPC) symbol, ``"H04N 5/232"`` or a bare ``"H04N"``.

    None when the symbol is absent or no pattern matches (e.g. CPC-only Y subclasses).
    """
    if not symbol:
        return None
    match = _SYMBOL.match(symbol.strip().upper())
    if not match:
        return None
    index = _index()
    if match["group"] is not None:
        by_group = index.get((match["subclass"], int(match["group"])))
        if by_group is not None:
            return by_group  # the longer pattern wins
    return index.get((match["subclass"], None))


def concordance_table(entries: tuple[ConcordanceEntry, ...] | None = None) -> pa.Table:
    """The concordance as an Arrow table: subclass, main_group (null = whole subclass),
    field, sector, field_name, pattern. SQL joins it on subclass and main group number."""
    rows = entries if entries is not None else concordance()
    return pa.table(
        {
            "subclass": [e.subclass for e in rows],
            "main_group": pa.array([e.main_group for e in rows], pa.int32()),
            "field": pa.array([e.field.number for e in rows], pa.int16()),
            "sector": [e.field.sector for e in rows],
            "field_name": [e.field.name for e in rows],
            "pattern": [e.pattern for e in rows],
        }
    )
