"""Counting rules on a constructed corpus: families once, owners harmonised, types."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ipops.corpus.ingest import LoadJob, LoadTarget, load
from ipops.corpus.prepare import Prepared
from ipops.corpus.schema import to_table
from ipops.corpus.store import CorpusStore
from ipops.registry.db import make_engine, upgrade
from ipops.report.query import parse_query
from ipops.report.service import ReportRequest, build_report


def patent(pid: str, family: str | None, filed: date, published: date) -> dict[str, Any]:
    return {
        "patent_id": pid,
        "office": pid[:2],
        "number": pid[2:],
        "doc_type": "application",
        "patent_type": "invention",
        "title": f"空调器 {pid}",
        "filing_date": filed,
        "publication_date": published,
        "family_id": family,
        "source": "test",
        "generated": False,
    }


def party(pid: str, name: str, entity: str, role: str = "applicant", kind: str = "organization"
          ) -> dict[str, Any]:  # fmt: skip
    return {"patent_id": pid, "sequence": 0, "role": role, "name": name,
            "name_normalized": name.lower(), "entity_id": entity, "party_type": kind}  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> CorpusStore:
    url = f"sqlite:///{tmp_path / 'registry.sqlite'}"
    upgrade(url)
    target = LoadTarget(CorpusStore(tmp_path / "corpus"), make_engine(url), tmp_path / "rejects")
    patents = [
        patent("CN1001", "F1", date(2015, 3, 1), date(2016, 9, 1)),
        patent("US2001", "F1", date(2016, 2, 1), date(2017, 8, 1)),  # same family, later
        patent("CN1002", None, date(2016, 5, 1), date(2017, 11, 1)),
        patent("CN1003", "F3", date(2017, 1, 1), date(2018, 7, 1)),
    ]
    parties = [
        party("CN1001", "珠海格力电器股份有限公司", "EGREE"),
        party("US2001", "Gree Electric Appliances Inc", "EGREE2", role="assignee"),
        party("CN1002", "珠海格力电器股份有限公司", "EGREE"),
        party("CN1002", "清华大学", "ETHU"),
        party("CN1003", "中国科学院理化技术研究所", "ECAS"),
        party("CN1003", "张三", "EZHANG", kind="individual"),
    ]
    classes = [
        {"patent_id": pid, "scheme": "IPC", "sequence": 0, "symbol": "F24F 11/30",
         "subclass": "F24F", "main_group": "F24F 11/00", "is_main": True}
        for pid in ("CN1001", "US2001", "CN1002", "CN1003")
    ]  # fmt: skip
    tables = {
        "patents": to_table("patents", patents),
        "parties": to_table("parties", parties),
        "classifications": to_table("classifications", classes),
    }
    job = LoadJob(kind="patents", source_format="test", sources=[], load_key="k", options={})
    load(target, job, [Prepared(tables, [], len(patents))])
    return target.store


def test_a_family_counts_once_in_its_first_year(store: CorpusStore) -> None:
    report = build_report(store, ReportRequest(parse_query(ipc=["F24F"]), lang="en"))
    assert (report.patents, report.families) == (4, 3)
    trend = {r["year"]: r["families"] for r in report.section("trends").tables[0].as_dicts()}
    assert trend == {2015: 1, 2016: 1, 2017: 1}
    published = report.section("trends").tables[1].as_dicts()
    assert {r["year"]: r["families"] for r in published} == {2016: 1, 2017: 1, 2018: 1}


def test_owners_types_and_shares(store: CorpusStore) -> None:
    report = build_report(store, ReportRequest(parse_query(), lang="zh"))
    top = {r["name"]: r for r in report.section("applicants").tables[0].as_dicts()}
    assert top["珠海格力电器股份有限公司"]["families"] == 2  # CN1001 represents family F1
    assert "Gree Electric Appliances Inc" not in top  # the later family member is not counted
    assert top["清华大学"]["type"] == "高校"
    assert top["中国科学院理化技术研究所"]["type"] == "科研院所"
    assert top["张三"]["type"] == "个人"
    types = {r["type"]: r["families"] for r in report.section("applicants").tables[2].as_dicts()}
    assert types == {"企业": 2, "高校": 1, "科研院所": 1, "个人": 1}
    pairs = report.section("collaboration").tables[1].as_dicts()
    assert {(p["a"], p["b"]) for p in pairs} >= {("珠海格力电器股份有限公司", "清华大学")}


def test_party_and_word_filters(store: CorpusStore) -> None:
    by_party = build_report(store, ReportRequest(parse_query(parties=["清华"]), lang="en"))
    assert by_party.patents == 1
    by_words = build_report(store, ReportRequest(parse_query(words="空调器 CN100"), lang="en"))
    assert by_words.patents == 3
