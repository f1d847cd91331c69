"""IPC/CPC symbols: every written form a source uses gives the one canonical form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipops.corpus.classification import (
    main_group_of,
    normalize_symbol,
    subclass_of,
    symbol_from_parts,
)


@pytest.mark.parametrize(
    "text",
    [
        "F24F 11/30",
        "F24F0011300000",
        "F24F11/30",
        "F24F  11/30",
        "f24f 11/30",
        " F24F 11/30 ",
        "Ｆ２４Ｆ　１１／３０",
        "F24F 11/30 (2018.01)",
        "F24F11/30(2006.01)I",
        "F24F 11/30 A I",
        "F24F 11/300",
        "F24F11/3",
    ],
)
def test_written_forms_of_one_symbol(text: str) -> None:
    assert normalize_symbol(text) == "F24F 11/30"
    assert subclass_of(text) == "F24F"
    assert main_group_of(text) == "F24F 11/00"


@pytest.mark.parametrize(
    ("text", "symbol", "main_group"),
    [
        ("A01B0001020000", "A01B 1/02", "A01B 1/00"),
        ("H04L0012000000", "H04L 12/00", "H04L 12/00"),
        ("F24F0011000000", "F24F 11/00", "F24F 11/00"),
        ("G06F 3/0482", "G06F 3/0482", "G06F 3/00"),
        ("F24F 11/122", "F24F 11/122", "F24F 11/00"),
        ("H04L 2012/5603", "H04L 2012/5603", "H04L 2012/00"),
        ("Y02B 30/70", "Y02B 30/70", "Y02B 30/00"),
        ("F24F 11", "F24F 11/00", "F24F 11/00"),
        ("F24F1/0003", "F24F 1/0003", "F24F 1/00"),
    ],
)
def test_other_symbols(text: str, symbol: str, main_group: str) -> None:
    assert normalize_symbol(text) == symbol
    assert main_group_of(text) == main_group


def test_bare_subclass_has_no_main_group() -> None:
    assert normalize_symbol("F24F") == "F24F"
    assert subclass_of("F24F") == "F24F"
    assert main_group_of("F24F") is None


@pytest.mark.parametrize(
    "text", [None, "", "junk", "空调", "F24", "Z99Z 1/00", "F24F 0/00", "F24F 11/30/2", "12345"]
)
def test_not_symbols(text: str | None) -> None:
    assert normalize_symbol(text) is None
    assert subclass_of(text) is None
    assert main_group_of(text) is None


def test_symbol_from_separate_parts() -> None:
    assert symbol_from_parts("F", "24", "F", "11", "30") == "F24F 11/30"
    assert symbol_from_parts("F", "F24", "F", "011", "30") == "F24F 11/30"
    assert symbol_from_parts("F", "24", "F", "11", None) == "F24F 11/00"
    assert symbol_from_parts("F", "24", "F", None, None) == "F24F"
    assert symbol_from_parts(None, None, None, None, None) is None


_SUBCLASSES = st.from_regex(r"[A-HY][0-9]{2}[A-Z]", fullmatch=True)
_MAIN_GROUPS = st.integers(min_value=1, max_value=9999)
_SUBGROUPS = st.from_regex(r"[0-9]{1,5}[1-9]|00", fullmatch=True)


@given(_SUBCLASSES, _MAIN_GROUPS, _SUBGROUPS)
def test_normalizing_is_idempotent_and_agrees_with_the_14_character_form(
    subclass: str, main_group: int, subgroup: str
) -> None:
    written = normalize_symbol(f"{subclass} {main_group}/{subgroup}")
    assert written is not None
    assert normalize_symbol(written) == written
    fourteen = f"{subclass}{main_group:04d}{subgroup.ljust(6, '0')}"
    assert normalize_symbol(fourteen) == written
    assert subclass_of(written) == subclass
    assert main_group_of(written) == f"{subclass} {main_group}/00"
