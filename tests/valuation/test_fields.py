"""WIPO technology fields: the concordance shipped with ipops, in Python and in SQL."""

from __future__ import annotations

import duckdb
import pytest

from ipops.errors import ValidationError
from ipops.valuation.fields import (
    ConcordanceEntry,
    WipoField,
    concordance,
    concordance_table,
    field_of,
    fields,
    parse_pattern,
    read_concordance,
)


def test_the_shipped_concordance_has_35_fields_in_5_sectors() -> None:
    assert len(concordance()) == 764
    assert sorted(fields()) == list(range(1, 36))
    assert {f.sector for f in fields().values()} == {
        "Electrical engineering",
        "Instruments",
        "Chemistry",
        "Mechanical engineering",
        "Other fields",
    }


@pytest.mark.parametrize(
    ("symbol", "number"),
    [
        ("F24F 11/30", 30),  # air conditioning: thermal processes and apparatus
        ("G06N 3/08", 6),  # computer technology
        ("H04N 5/232", 2),  # main group 5 of H04N: audio-visual
        ("H04N 21/44", 4),  # main group 21 of H04N: digital communication
        ("A61K 8/02", 14),  # cosmetics: organic fine chemistry
        ("A61K 31/00", 16),  # pharmaceuticals
        ("E01F 8/00", 24),  # noise barriers: environmental technology
        ("E01F 1/00", 35),  # civil engineering
        ("G01N 33/53", 11),  # analysis of biological materials
        ("F24F", 30),  # a bare subclass
        ("h05k 3/02", 2),
    ],
)
def test_field_of_a_symbol(symbol: str, number: int) -> None:
    found = field_of(symbol)
    assert found is not None and found.number == number


@pytest.mark.parametrize("symbol", [None, "", "Y02E 10/50", "H04N 999/00", "not a symbol"])
def test_symbols_without_a_field(symbol: str | None) -> None:
    assert field_of(symbol) is None


def test_a_main_group_pattern_beats_the_subclass_pattern() -> None:
    """Longest pattern wins: an edited copy may list both H04N% and H04N   5/%."""
    text = (
        "Field_number,Sector_en,Field_en,IPC_code\n"
        "4,Electrical engineering,Digital communication,H04N%\n"
        "2,Electrical engineering,Audio-visual technology,H04N   5/%\n"
    )
    entries = read_concordance(text)
    table = concordance_table(entries)
    con = duckdb.connect()
    con.register("ip_concordance", table)
    rows = con.execute(
        "SELECT coalesce(g.field, s.field) FROM (VALUES ('H04N', 5), ('H04N', 7)) m(sub, grp) "
        "LEFT JOIN ip_concordance g ON g.subclass = m.sub AND g.main_group = m.grp "
        "LEFT JOIN ip_concordance s ON s.subclass = m.sub AND s.main_group IS NULL ORDER BY m.grp"
    ).fetchall()
    assert rows == [(2,), (4,)]


def test_patterns_are_read_into_subclass_and_main_group() -> None:
    assert parse_pattern("F21H%") == ("F21H", None)
    assert parse_pattern("H04N 101/%") == ("H04N", 101)
    assert parse_pattern("A61K   8/%") == ("A61K", 8)
    with pytest.raises(ValidationError, match="not a concordance pattern"):
        parse_pattern("H04N 5")


def test_every_concordance_entry_maps_back_to_its_field() -> None:
    for entry in concordance():
        assert isinstance(entry, ConcordanceEntry)
        symbol = entry.subclass + (f" {entry.main_group}/00" if entry.main_group else "")
        assert field_of(symbol) == entry.field, entry.pattern
        assert isinstance(entry.field, WipoField)
