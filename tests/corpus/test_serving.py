"""The serving index gives exactly what the DuckDB queries give, for details and searches."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from loadhelpers import make_target

from ipops.corpus import serving, serving_build
from ipops.corpus.ingest import ingest_files
from ipops.corpus.loaders import load_generated
from ipops.corpus.queries import show_patent
from ipops.corpus.search import SearchCriteria, search_patents
from ipops.corpus.serving import ServingIndex, build_serving_index, index_path
from ipops.corpus.store import CorpusStore
from ipops.errors import ValidationError
from ipops.paging import Page, SortKey

CRITERIA = [
    {"q": "空调"},
    {"q": "空调器 控制"},
    {"ipc": "F24F"},
    {"ipc": "F24F 11"},
    {"party": "格力"},
    {"party": "samsung"},
    {"year_from": 2010, "year_to": 2012},
    {"q": "method", "doc_type": "grant"},
    {"party": "Electronics", "ipc": "H04L", "year_from": 2015},
    {"q": "50%_"},
    {"q": "空"},
    {"party": "LG"},
    {"party": "Samsung Electronics Co., Ltd."},
    {"party": "electronics co., ltd.", "ipc": "F24F"},
    {"party": "珠海格力电器股份有限公司"},
    {"q": "空调", "ipc": "F24F 11", "year_from": 2012},
    {"q": "ai"},
]
PAGES = [
    Page(1, 20, ()),
    Page(2, 7, (SortKey("title", False),)),
    Page(1, 50, (SortKey("filing_date", True),)),
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> CorpusStore:
    target = make_target(tmp_path_factory.mktemp("serving"))
    load_generated(target, patents=1500, seed=11)
    return target.store


def test_details_equal_show_patent(generated: CorpusStore) -> None:
    index = ServingIndex(build_serving_index(generated))
    with generated.connect() as con:
        ids = [r[0] for r in con.execute("SELECT patent_id FROM patents").fetchall()]
        for patent_id in ids[::25]:
            assert index.detail(patent_id) == show_patent(con, patent_id)
    assert index.detail("US0") is None


def test_details_built_in_parts_equal_show_patent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = make_target(tmp_path)
    load_generated(target, patents=600, seed=12)
    monkeypatch.setattr(serving_build, "_PATENTS_PER_PART", 100)  # six parts
    index = ServingIndex(build_serving_index(target.store))
    with target.store.connect() as con:
        ids = [r[0] for r in con.execute("SELECT patent_id FROM patents").fetchall()]
        with sqlite3.connect(index.path) as db:
            assert db.execute("SELECT count(*) FROM detail").fetchone() == (len(ids),)
        for patent_id in ids:
            assert index.detail(patent_id) == show_patent(con, patent_id)


@pytest.mark.parametrize("sort_limit", [2_000, 10], ids=["sort-hits", "walk-index"])
@pytest.mark.parametrize("criteria", CRITERIA, ids=str)
def test_searches_equal_the_duckdb_search(
    generated: CorpusStore,
    criteria: dict[str, Any],
    sort_limit: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(serving, "_SORT_LIMIT", sort_limit)
    index = ServingIndex(build_serving_index(generated))
    search = SearchCriteria.from_query(**criteria)
    with generated.connect() as con:
        for page in PAGES:
            expected, expected_total = search_patents(con, search, page)
            found, total = index.search(search, page)
            assert total == expected_total
            assert found == expected


def test_real_grants_and_number_resolution(tmp_path: Path, shared_data: Path) -> None:
    target = make_target(tmp_path)
    ingest_files(target, [shared_data / "uspto-grant-xml-pvdb" / "xml"], workers=1)
    index = ServingIndex(build_serving_index(target.store))
    with target.store.connect() as con:
        patent_id, kind = con.execute(
            "SELECT patent_id, kind FROM patents WHERE doc_type = 'grant' ORDER BY 1 LIMIT 1"
        ).fetchall()[0]
        assert index.resolve(f"{patent_id} {kind}") == patent_id
        assert index.resolve(patent_id[2:]) == patent_id
        assert index.detail(patent_id) == show_patent(con, patent_id)
    assert index.resolve("US1") is None


def test_an_index_is_built_once_per_snapshot_and_replaced(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    load_generated(target, patents=100, seed=1)
    first = build_serving_index(target.store)
    assert build_serving_index(target.store) == first
    load_generated(target, patents=120, seed=2)
    second = build_serving_index(target.store)
    assert second != first and not first.exists()
    assert second == index_path(target.store, target.store.manifest().snapshot_id)


def test_a_bare_number_of_two_offices_is_ambiguous(tmp_path: Path) -> None:
    from loadhelpers import job, patent_rows

    from ipops.corpus.ingest import load

    target = make_target(tmp_path)
    load(target, job("k"), [patent_rows(["US123456", "CN123456"])])
    index = ServingIndex(build_serving_index(target.store))
    with pytest.raises(ValidationError, match="several patents"):
        index.resolve("123456")
