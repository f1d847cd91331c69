"""Family links read from a real (in-memory) DuckDB corpus."""

from __future__ import annotations

import duckdb

from ipops.names.links import family_links
from ipops.names.resolve import Link, resolve_names


def corpus() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE patents (patent_id TEXT, office TEXT, family_id TEXT)")
    con.execute(
        "CREATE TABLE parties (patent_id TEXT, sequence INT, role TEXT, name TEXT, party_type TEXT)"
    )
    con.executemany(
        "INSERT INTO patents VALUES (?, ?, ?)",
        [
            ("CN1", "CN", "F1"), ("US1", "US", "F1"), ("EP1", "EP", "F1"),
            ("CN2", "CN", "F2"), ("US2", "US", "F2"),
            ("CN3", "CN", "F3"), ("US3", "US", "F3"),
            ("US4", "US", None),
        ],
    )  # fmt: skip
    con.executemany(
        "INSERT INTO parties VALUES (?, 0, 'applicant', ?, 'organization')",
        [
            ("CN1", "深圳市示例电子科技有限公司"),
            ("US1", "SHENZHEN SAMPLE ELECTRONIC TECHNOLOGY CO., LTD."),
            ("EP1", "SHENZHEN SAMPLE ELECTRONIC TECHNOLOGY CO., LTD."),
            ("CN2", "深圳市示例电子科技有限公司"),
            ("US2", "Shenzhen Sample Electronic Technology Co Ltd"),
            # two applicants on the foreign side: no link from this family
            ("CN3", "某某大学"),
            ("US3", "Some University"),
            ("US3", "Other Corp."),
        ],
    )
    con.execute("UPDATE parties SET sequence = 1 WHERE name = 'Other Corp.'")
    return con


def test_family_links_pair_the_two_languages_of_one_applicant() -> None:
    links = family_links(corpus())
    assert links == (
        Link(
            "深圳市示例电子科技有限公司",
            "SHENZHEN SAMPLE ELECTRONIC TECHNOLOGY CO., LTD.",
            True,
            "family",
        ),
        Link(
            "深圳市示例电子科技有限公司",
            "Shenzhen Sample Electronic Technology Co Ltd",
            True,
            "family",
        ),
    )
    resolution = resolve_names(
        ["深圳示例电子科技有限公司", "SHENZHEN SAMPLE ELECTRONIC TECHNOLOGY CO., LTD."], links=links
    )
    assert resolution.entities == 1
    assert [join.reason for join in resolution.joins] == ["family"]


def test_family_links_need_the_tables() -> None:
    assert family_links(duckdb.connect()) == ()


def test_a_user_keeps_apart_what_a_family_links() -> None:
    links = (
        *family_links(corpus()),
        Link("深圳市示例电子科技有限公司", "Shenzhen Sample Electronic Technology Co Ltd", False),
    )
    resolution = resolve_names(
        ["深圳市示例电子科技有限公司", "Shenzhen Sample Electronic Technology Co Ltd"], links=links
    )
    assert resolution.entities == 2
