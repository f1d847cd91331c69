"""The corpus over HTTP: statistics, search (checked against DuckDB directly), one patent,
and a new load seen without restarting the server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apihelpers import LiveApi, error_of, first_patent, running_api, workspace_settings

from ipops.accounts.models import User
from ipops.accounts.roles import Role
from ipops.corpus.ingest import LoadTarget
from ipops.corpus.loaders import load_generated
from ipops.corpus.store import CorpusStore
from ipops.registry.db import make_engine


@pytest.fixture
def bank(role_users: dict[Role, User]) -> User:
    return role_users[Role.BANK_OFFICER]


def search(api: LiveApi, user: User, **params: Any) -> dict[str, Any]:
    response = api.request("GET", "/api/v1/corpus/patents", user, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def all_ids(api: LiveApi, user: User, **params: Any) -> list[str]:
    found: list[str] = []
    page = 1
    while True:
        result = search(api, user, page=page, page_size=200, **params)
        found += [item["patent_id"] for item in result["items"]]
        if len(found) >= result["total"]:
            return found
        page += 1


def expected_ids(corpus: Path, where: str, params: list[Any]) -> set[str]:
    with CorpusStore(corpus).connect() as con:
        rows = con.execute(f"SELECT patent_id FROM patents p WHERE {where}", params).fetchall()
    return {row[0] for row in rows}


def test_stats(shared_api: LiveApi, bank: User, shared_corpus: Path) -> None:
    stats = shared_api.request("GET", "/api/v1/corpus/stats", bank).json()
    assert stats["counts"]["patents"] == 500
    assert stats["snapshot_id"] == CorpusStore(shared_corpus).manifest().snapshot_id
    assert stats["generated_patents"] == 500


def test_pages_cover_the_result_once_in_order(shared_api: LiveApi, bank: User) -> None:
    first = search(shared_api, bank, page_size=7, sort="-publication_date,title")
    assert (first["page"], first["page_size"], first["total"]) == (1, 7, 500)
    ids = all_ids(shared_api, bank, sort="-publication_date,title")
    assert len(ids) == len(set(ids)) == 500
    pages = [search(shared_api, bank, page=n, page_size=50)["items"] for n in (1, 2)]
    dates = [item["publication_date"] for page in pages for item in page]
    assert dates == sorted(dates, reverse=True)
    beyond = search(shared_api, bank, page=99, page_size=50)
    assert (beyond["items"], beyond["total"]) == ([], 500)


@pytest.mark.parametrize(
    ("params", "where", "args"),
    [
        (
            {"q": "电池 管理"},
            "p.title ILIKE ? AND p.title ILIKE ?",
            ["%电池%", "%管理%"],
        ),
        (
            {"q": "AIR conditioning"},
            "p.title ILIKE ? AND p.title ILIKE ?",
            ["%air%", "%conditioning%"],
        ),
        (
            {"party": "科技"},
            "EXISTS (SELECT 1 FROM parties x WHERE x.patent_id = p.patent_id AND x.name LIKE ?)",
            ["%科技%"],
        ),
        (
            {"ipc": "f24f"},
            "EXISTS (SELECT 1 FROM classifications c WHERE c.patent_id = p.patent_id "
            "AND c.scheme IN ('IPC', 'CPC') AND c.subclass = ?)",
            ["F24F"],
        ),
        ({"year_from": 2012, "year_to": 2014}, "year(p.filing_date) BETWEEN ? AND ?", [2012, 2014]),
        (
            {"doc_type": "application", "year_from": 2020},
            "p.doc_type = ? AND year(p.filing_date) >= ?",
            ["application", 2020],
        ),
    ],
)
def test_filters_match_duckdb(
    shared_api: LiveApi,
    bank: User,
    shared_corpus: Path,
    params: dict[str, Any],
    where: str,
    args: list[Any],
) -> None:
    expected = expected_ids(shared_corpus, where, args)
    assert expected, "the generated corpus should have matches for this filter"
    assert set(all_ids(shared_api, bank, **params)) == expected


def test_summary_rows_carry_applicant_and_main_ipc(
    shared_api: LiveApi, bank: User, shared_corpus: Path
) -> None:
    items = search(shared_api, bank, page_size=30, sort="patent_id")["items"]
    with CorpusStore(shared_corpus).connect() as con:
        for item in items:
            patent_id = item["patent_id"]
            applicants = con.execute(
                "SELECT name FROM parties WHERE patent_id = ? "
                "ORDER BY role <> 'applicant', sequence LIMIT 1",
                [patent_id],
            ).fetchall()
            ipcs = con.execute(
                "SELECT symbol FROM classifications WHERE patent_id = ? AND scheme = 'IPC' "
                "ORDER BY NOT coalesce(is_main, false), sequence LIMIT 1",
                [patent_id],
            ).fetchall()
            title, filed = con.execute(
                "SELECT title, filing_date FROM patents WHERE patent_id = ?", [patent_id]
            ).fetchall()[0]
            assert item["first_applicant"] == (applicants[0][0] if applicants else None)
            assert item["main_ipc"] == (ipcs[0][0] if ipcs else None)
            assert (item["title"], item["filing_date"]) == (title, filed.isoformat())


def test_search_by_number(shared_api: LiveApi, bank: User, shared_corpus: Path) -> None:
    patent_id, number = first_patent(shared_corpus)
    assert all_ids(shared_api, bank, number=number) == [patent_id]
    bare = patent_id.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    expected = expected_ids(shared_corpus, "p.number = ?", [bare])
    assert set(all_ids(shared_api, bank, number=bare)) == expected


def test_one_patent_in_full(shared_api: LiveApi, bank: User, shared_corpus: Path) -> None:
    patent_id, number = first_patent(shared_corpus)
    response = shared_api.request("GET", f"/api/v1/corpus/patents/{number}", bank)
    assert response.status_code == 200
    detail = response.json()
    assert detail["patent"]["patent_id"] == patent_id
    with CorpusStore(shared_corpus).connect() as con:
        parties = con.execute(
            "SELECT count(*) FROM parties WHERE patent_id = ?", [patent_id]
        ).fetchall()[0][0]
    assert len(detail["parties"]) == parties
    assert set(detail) >= {"inventors", "classifications", "citations_made", "events"}
    missing = shared_api.request("GET", "/api/v1/corpus/patents/CN999999999A", bank)
    assert missing.status_code == 404
    assert error_of(missing)["field"] == "number"


@pytest.fixture
def own_corpus_api(tmp_path: Path, registry_url: str, shared_corpus: Path) -> Iterator[LiveApi]:
    corpus = tmp_path / "corpus-copy"
    shutil.copytree(shared_corpus, corpus)
    settings = workspace_settings(tmp_path / "workspace", registry_url, corpus)
    with running_api(settings) as live:
        yield live


def test_a_new_load_is_seen_without_a_restart(own_corpus_api: LiveApi) -> None:
    api = own_corpus_api
    user = api.add_user("reader", Role.ANALYST)
    before = api.request("GET", "/api/v1/corpus/stats", user).json()
    store = CorpusStore(api.settings.resolved_home() / "corpus")
    workspace = api.settings.resolved_home()
    target = LoadTarget(store, make_engine(api.settings.registry_url()), workspace / "rejects")
    load_generated(target, patents=50, seed=7)
    after = api.request("GET", "/api/v1/corpus/stats", user).json()
    assert after["snapshot_id"] != before["snapshot_id"]
    assert after["counts"]["patents"] > before["counts"]["patents"]
    assert search(api, user)["total"] == after["counts"]["patents"]
