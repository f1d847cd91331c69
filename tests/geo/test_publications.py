"""PubMed/MEDLINE: reading, affiliation geocoding on the real sample, atomic idempotent store."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipops.errors import InputFormatError, ValidationError
from ipops.geo import analysis
from ipops.geo.aggregate import publication_source
from ipops.geo.engines import DuckDBEngine
from ipops.geo.publications import (
    PublicationStore,
    ingest_publications,
    locate_affiliation,
    read_medline,
    register_views,
)
from ipops.places.gazetteer import default_gazetteer

RECORD = """PMID- 1
DP  - 2016 Jan 15
TI  - A title that goes on
      over two lines.
FAU - Gadzalski, Marek
AU  - Gadzalski M
AD  - Department of Microbial Genetics, University of Lodz, Lodz, Poland. Electronic
      address: someone@biol.uni.lodz.pl.
FAU - Ciesielska, Anita
AD  - Memorial Sloan Kettering Cancer Center, New York, NY, USA.
FAU - Nobody, A

PMID- 2
DP  - 2015
FAU - Solo, Han
"""


def test_records_fields_and_continuation_lines() -> None:
    papers = list(read_medline(RECORD.splitlines(keepends=True)))
    assert [p.pmid for p in papers] == ["1", "2"]
    first = papers[0]
    assert first.year == 2016 and first.title == "A title that goes on over two lines."
    assert [a.name for a in first.authors] == [
        "Gadzalski, Marek", "Ciesielska, Anita", "Nobody, A",
    ]  # fmt: skip
    assert first.authors[2].affiliation is None
    assert papers[1].year == 2015


def test_a_line_that_is_not_medline_is_named() -> None:
    with pytest.raises(InputFormatError) as error:
        list(read_medline(["PMID- 1\n", "this is not medline\n"], origin="x.medline"))
    assert "x.medline:2" in str(error.value)


@pytest.mark.parametrize(
    ("text", "city", "country"),
    [
        ("Dept of Genetics, University of Lodz, Lodz, Poland. a@b.pl.", "Łódź", "PL"),
        ("Memorial Sloan Kettering Cancer Center, New York, NY, USA.", "New York City", "US"),
        ("University of Pittsburgh, Pittsburgh, Pennsylvania.", "Pittsburgh", "US"),
        ("Huazhong University of Science and Technology, Wuhan, Hubei, China", "Wuhan", "CN"),
        (
            "Imperial College London, Hammersmith Hospital Campus, London W12 0NN, UK.",
            "London",
            "GB",
        ),
        ("Department of Neurosurgery.", None, None),
    ],
)
def test_affiliations_are_located(text: str, city: str | None, country: str | None) -> None:
    found = locate_affiliation(text, default_gazetteer())
    assert (found.city, found.country) == (city, country)
    assert (found.latitude is None) == (city is None)


@pytest.mark.realdata
def test_the_real_sample_loads_with_its_match_rate(tmp_path: Path, medline_sample: Path) -> None:
    store = PublicationStore(tmp_path / "publications")
    report = ingest_publications(store, [medline_sample])
    # SOURCE.txt: 175 records with 1,275 authors
    assert (report.papers, report.authors) == (175, 1275)
    assert report.with_affiliation > 1100
    assert report.match_rate > 0.8
    again = ingest_publications(store, [medline_sample])  # same papers: replaced, not doubled
    assert again.total_papers == 175
    papers, authors = store.read()
    assert papers.num_rows == 175 and authors.num_rows == 1275
    assert len(list((tmp_path / "publications").iterdir())) == 2  # current.json + one version


@pytest.mark.realdata
def test_papers_are_counted_fractionally(tmp_path: Path, medline_sample: Path) -> None:
    import duckdb

    store = PublicationStore(tmp_path / "publications")
    ingest_publications(store, [medline_sample])
    con = duckdb.connect()
    assert register_views(con, store)
    engine = DuckDBEngine(con)
    result = analysis.find_clusters(engine, [publication_source()], min_weight=2)
    layer = result.layers[0]
    assert layer.kind == "publications" and layer.docs == 175
    assert layer.total_weight == pytest.approx(layer.docs_with_people)  # 1 paper, no author
    assert layer.docs_with_people == 174
    assert 0 < layer.located_weight < 175
    assert result.clusters and result.clusters[0].publication_weight >= 2
    years = analysis.collaboration(engine, publication_source())
    assert sum(y.patents for y in years) == 175
    assert all(0 <= y.team_share <= 1 for y in years)


def test_a_missing_file_stores_nothing(tmp_path: Path) -> None:
    store = PublicationStore(tmp_path / "publications")
    with pytest.raises(ValidationError):
        ingest_publications(store, [tmp_path / "absent.medline"])
    bad = tmp_path / "bad.medline"
    bad.write_text("hello\n")
    with pytest.raises(InputFormatError):
        ingest_publications(store, [bad])
    assert store.files() is None
