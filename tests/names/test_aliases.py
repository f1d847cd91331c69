"""The alias table's provenance and the check of it against patent data."""

from __future__ import annotations

import csv
from pathlib import Path

from ipops.names.aliases import ALIAS_FILE
from ipops.names.verify_aliases import (
    benchmark_assignees,
    grant_assignees,
    table_applicants,
    verify,
)

GRANT = """<?xml version="1.0"?>
<us-patent-grant><us-bibliographic-data-grant>
<publication-reference><document-id><country>US</country><doc-number>07864699</doc-number>
</document-id></publication-reference>
<assignees><assignee><addressbook><orgname>Huawei Technologies Co., Ltd.</orgname>
</addressbook></assignee></assignees>
</us-bibliographic-data-grant></us-patent-grant>
"""


def test_every_row_of_the_alias_table_says_where_it_comes_from() -> None:
    with ALIAS_FILE.open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.DictReader(source))
    assert rows
    for row in rows:
        assert row["source"].startswith(("checked", "unchecked")), row["name_zh"]


def test_verify_finds_the_english_and_chinese_names_where_they_are(tmp_path: Path) -> None:
    (tmp_path / "grants").mkdir()
    (tmp_path / "grants" / "ipg110104.xml").write_text(GRANT, encoding="utf-8")
    benchmark = tmp_path / "benchmark.csv"
    benchmark.write_text(
        "mention_id,unique_id,organization\nUS1-0,TSINGHUA,Tsinghua University\n",
        encoding="utf-8",
    )
    table = tmp_path / "cn.csv"
    table.write_text("公开（公告）号,申请（专利权）人\nCN1A,珠海格力电器股份有限公司；格力地产\n")
    sources = [
        grant_assignees(tmp_path / "grants"),
        benchmark_assignees(benchmark),
        table_applicants([table]),
    ]
    found = {row.name_zh: row.found for row in verify(sources)}
    assert found["华为技术有限公司"] == (
        "Huawei Technologies Co., Ltd.: USPTO grant 07864699 (ipg110104.xml)",
        "Huawei Technologies: USPTO grant 07864699 (ipg110104.xml)",
    )
    assert found["清华大学"] == ("Tsinghua University: PatentsView NBER assignee benchmark US1-0",)
    assert found["珠海格力电器股份有限公司"] == ("珠海格力电器股份有限公司: CN table cn.csv",)
    assert found["中兴通讯股份有限公司"] == ()
