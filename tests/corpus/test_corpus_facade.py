"""The corpus through the Python API: ``ipops.open(home).corpus`` on a small generated corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

import ipops
from ipops.config import Settings
from ipops.corpus import lookup_records
from ipops.corpus.ingest import LoadTarget
from ipops.corpus.loaders import load_generated
from ipops.corpus.lookups import CorpusStatistics, PatentRecord, SearchHits
from ipops.errors import NotFound, ValidationError
from ipops.platform import Platform
from ipops.records import Record
from ipops.workspace import create_workspace


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Platform:
    home = tmp_path_factory.mktemp("facade") / "ws"
    create_workspace(Settings(home=home))
    opened = ipops.open(home)
    target = LoadTarget(opened.store, opened.engine, opened.workspace.rejects_dir)
    load_generated(target, patents=300, seed=3)
    return opened


def test_stats_count_the_generated_patents(platform: Platform) -> None:
    stats = platform.corpus.stats()
    assert isinstance(stats, CorpusStatistics)
    assert stats.counts["patents"] == 300
    assert stats.generated_patents == 300
    assert stats.snapshot_id == platform.store.manifest().snapshot_id
    assert sum(office.patents for office in stats.by_office) == 300
    years = stats.years
    assert years.first_filing_year is not None and years.last_filing_year is not None
    assert years.first_filing_year <= years.last_filing_year
    assert all(c.inventors >= c.patents > 0 for c in stats.top_inventor_countries)
    assert sum(g.inventors for g in stats.geocoded_inventors) == stats.counts["inventors"]


def test_search_pages_and_finds_one_patent_in_full(platform: Platform) -> None:
    hits = platform.corpus.search(page_size=10)
    assert isinstance(hits, SearchHits)
    assert hits.total == 300
    assert len(hits.items) == 10
    second = platform.corpus.search(page=2, page_size=10)
    assert {h.patent_id for h in second.items}.isdisjoint(h.patent_id for h in hits.items)
    first = hits.items[0].patent_id
    record = platform.corpus.patent(patent_id=first)
    assert isinstance(record, PatentRecord)
    assert record.patent.patent_id == first
    assert all(party.patent_id == first for party in record.parties)
    assert platform.corpus.search(number=first).total == 1


def test_bad_input_is_refused_with_the_field(platform: Platform) -> None:
    with pytest.raises(ValidationError) as refused:
        platform.corpus.search(page=0)
    assert refused.value.field == "page"
    with pytest.raises(NotFound):
        platform.corpus.patent(patent_id="US1B2")


def test_records_are_frozen(platform: Platform, tmp_path: Path) -> None:
    stats = platform.corpus.stats()
    with pytest.raises(ValueError):
        stats.snapshot_id = "other"  # type: ignore[misc]


ROW_RECORDS: dict[str, tuple[type[Record], tuple[str, ...]]] = {
    "patents": (lookup_records.PatentRow, ()),
    "applications": (lookup_records.ApplicationRow, ()),
    "parties": (lookup_records.PartyRow, ()),
    "inventors": (lookup_records.InventorRow, ()),
    "classifications": (lookup_records.ClassificationRow, ()),
    "citations": (lookup_records.CitationMade, ("cited_title",)),
    "events": (lookup_records.EventRow, ()),
    "patent_status": (lookup_records.PatentStatus, ()),
}


@pytest.mark.parametrize("table", sorted(ROW_RECORDS))
def test_patent_rows_have_the_columns_of_their_view(platform: Platform, table: str) -> None:
    """A column added to a table must be added to its record too (or it would be dropped)."""
    record, added = ROW_RECORDS[table]
    with platform.store.connect() as con:
        columns = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    assert list(record.model_fields) == [*columns, *added]
