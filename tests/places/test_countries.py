"""Country codes and names, English and Chinese, to ISO 3166-1 alpha-2."""

from __future__ import annotations

import pytest

from ipops.places.countries import is_iso2, successors, to_iso2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("US", "US"),
        ("us", "US"),
        (" de ", "DE"),
        ("USA", "US"),
        ("deu", "DE"),
        ("CHN", "CN"),
        ("840", "US"),
        ("U.S.A.", "US"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("Germany", "DE"),
        ("GERMANY", "DE"),
        ("Korea, Republic of", "KR"),
        ("Republic of Korea", "KR"),
        ("South Korea", "KR"),
        ("North Korea", "KP"),
        ("Taiwan", "TW"),
        ("Taiwan, Province of China", "TW"),
        ("People's Republic of China", "CN"),
        ("P.R. China", "CN"),
        ("The Netherlands", "NL"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Congo", "CG"),
        ("Democratic Republic of the Congo", "CD"),
        ("Turkey", "TR"),
        ("Russia", "RU"),
        ("Viet Nam", "VN"),
        ("Great Britain", "GB"),
        ("Deutschland", "DE"),
        ("Schweiz", "CH"),
        ("中国", "CN"),
        ("中华人民共和国", "CN"),
        ("美国", "US"),
        ("日本", "JP"),
        ("韩国", "KR"),
        ("大韩民国", "KR"),
        ("德国", "DE"),
        ("法国", "FR"),
        ("英国", "GB"),
        ("俄罗斯联邦", "RU"),
        ("台湾", "TW"),
        ("台灣", "TW"),
        ("香港", "HK"),
        ("澳门", "MO"),
        ("ドイツ", "DE"),
        ("Kosovo", "XK"),
    ],
)
def test_known_countries(value: str, expected: str) -> None:
    assert to_iso2(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("DT", "DE"), ("DD", "DE"), ("UK", "GB"), ("EL", "GR"), ("ZR", "CD"), ("BU", "MM")],
)
def test_codes_of_renamed_countries_map_to_the_successor(value: str, expected: str) -> None:
    assert to_iso2(value) == expected


@pytest.mark.parametrize("value", ["SU", "YU", "CS", "AN", "Soviet Union"])
def test_countries_that_split_have_no_single_code_but_successors(value: str) -> None:
    assert to_iso2(value) is None
    assert len(successors(value)) >= 2


def test_soviet_union_successors_include_russia_and_ukraine() -> None:
    assert {"RU", "UA"} <= set(successors("SU"))


@pytest.mark.parametrize("value", [None, "", "   ", "XX", "ZZZ", "EP", "WO", "Atlantis", "999"])
def test_unknown_values_give_none(value: str | None) -> None:
    assert to_iso2(value) is None
    assert successors(value) == ()


def test_successors_of_a_plain_country_is_itself() -> None:
    assert successors("Germany") == ("DE",)


@pytest.mark.parametrize(("code", "expected"), [("US", True), ("cn", True), ("XK", True)])
def test_is_iso2_accepts_assigned_codes(code: str, expected: bool) -> None:
    assert is_iso2(code) is expected


@pytest.mark.parametrize("code", ["DT", "SU", "XX", "USA", "", None])
def test_is_iso2_rejects_the_rest(code: str | None) -> None:
    assert is_iso2(code) is False
