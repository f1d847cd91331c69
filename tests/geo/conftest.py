"""Workspaces for the geography tests: the real USPTO grants, built once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ipops.corpus.ingest import LoadTarget, ingest_files
from ipops.corpus.store import CorpusStore
from ipops.registry.db import make_engine, upgrade
from realdata import shared_path


@pytest.fixture(scope="session")
def medline_sample() -> Path:
    return shared_path("pubmed-medline-sample", "medline_test.medline")


@pytest.fixture(scope="session")
def grants_xml() -> Path:
    return shared_path("uspto-grant-xml-pvdb", "xml")


@pytest.fixture(scope="session")
def grants_store(tmp_path_factory: pytest.TempPathFactory, grants_xml: Path) -> CorpusStore:
    """The 421 real grants (and two applications) of shared/data, ingested by ipops."""
    xml = grants_xml
    root = tmp_path_factory.mktemp("grants")
    url = f"sqlite:///{root / 'registry.sqlite'}"
    upgrade(url)
    store = CorpusStore(root / "corpus")
    report = ingest_files(LoadTarget(store, make_engine(url), root / "rejects"), [xml], workers=1)
    assert report.status == "committed"
    return store


@pytest.fixture
def grants_con(grants_store: CorpusStore) -> Iterator[duckdb.DuckDBPyConnection]:
    con = grants_store.connect()
    con.execute("CREATE TEMP VIEW grants AS SELECT patent_id FROM patents WHERE doc_type = 'grant'")
    try:
        yield con
    finally:
        con.close()
