"""Parsing the report options: every error names the option, as the user typed it."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipops.errors import ValidationError
from ipops.report.query import parse_language, parse_prefixes, parse_query, parse_years

TODAY = date(2026, 1, 1)


def test_prefixes_are_normalised_deduplicated_and_split_on_commas() -> None:
    assert parse_prefixes(["f24f", "F25B 13", "F24F, F04C18/00", " "]) == (
        "F24F",
        "F25B 13",
        "F04C 18/00",
    )


@pytest.mark.parametrize("bad", ["X99", "F24F/30", "空调", "F2", "24F"])
def test_an_unknown_ipc_format_names_the_option(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_prefixes([bad])
    assert caught.value.field == "--ipc"
    assert bad in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2010-2019", (2010, 2019)),
        ("2010 – 2019", (2010, 2019)),
        ("2015", (2015, 2015)),
        ("2010-", (2010, None)),
        ("-2019", (None, 2019)),
        ("2010至2019", (2010, 2019)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_year_ranges(text: str | None, expected: tuple[int | None, int | None]) -> None:
    assert parse_years(text, today=TODAY) == expected


@pytest.mark.parametrize("bad", ["2019-2010", "1066-1070", "2010-3000", "twenty", "2010-2019-2020"])
def test_an_impossible_year_range_names_the_option(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_years(bad, today=TODAY)
    assert caught.value.field == "--years"


@given(st.integers(1790, 2027), st.integers(1790, 2027))
def test_any_two_possible_years_are_a_range_or_an_error_naming_years(a: int, b: int) -> None:
    try:
        found = parse_years(f"{a}-{b}", today=TODAY)
    except ValidationError as exc:
        assert exc.field == "--years"
        assert a > b
    else:
        assert found == (a, b)


def test_language_and_words() -> None:
    assert parse_language("zh_CN") == "zh"
    assert parse_language("EN") == "en"
    with pytest.raises(ValidationError) as caught:
        parse_language("fr")
    assert caught.value.field == "--lang"
    query = parse_query(words="空调  compressor 空调", parties=["格力", ""], years="2010-2012")
    assert query.words == ("空调", "compressor")
    assert query.parties == ("格力",)
    assert (query.year_from, query.year_to) == (2010, 2012)
    assert not query.is_empty()
    assert parse_query().is_empty()
