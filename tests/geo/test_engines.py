"""DuckDB and Spark run the same SQL on the same Parquet and give identical results."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipops.corpus.store import CorpusStore
from ipops.errors import ValidationError
from ipops.geo import aggregate, analysis
from ipops.geo.aggregate import patent_source, publication_source
from ipops.geo.engines import DuckDBEngine, SparkEngine, check_master_reachable, spark_session
from ipops.geo.publications import PublicationStore, ingest_publications, register_views


def test_an_unreachable_spark_master_is_a_clear_error() -> None:
    with pytest.raises(ValidationError) as error:
        check_master_reachable("spark://127.0.0.1:9", timeout=1)
    assert error.value.field == "spark-master"
    assert "cannot reach Spark master spark://127.0.0.1:9" in str(error.value)
    with pytest.raises(ValidationError), spark_session("spark://127.0.0.1:9"):
        pass  # refused before any JVM starts
    with pytest.raises(ValidationError):
        check_master_reachable("http://example.org")


@pytest.fixture(scope="module")
def publications(
    tmp_path_factory: pytest.TempPathFactory, medline_sample: Path
) -> PublicationStore:
    sample = medline_sample
    store = PublicationStore(tmp_path_factory.mktemp("pubs") / "publications")
    ingest_publications(store, [sample])
    return store


@pytest.fixture(scope="module")
def engines(
    grants_store: CorpusStore, publications: PublicationStore
) -> Iterator[tuple[DuckDBEngine, SparkEngine]]:
    con = grants_store.connect()
    register_views(con, publications)
    with spark_session("local[2]") as session:
        spark = SparkEngine(session)
        spark.register_corpus(grants_store)
        files = publications.files()
        assert files is not None
        spark.register_parquet("publications", files[0])
        spark.register_parquet("publication_authors", files[1])
        yield DuckDBEngine(con), spark
    con.close()


def _without_engine(result: analysis.ClusterResult) -> dict[str, Any]:
    payload = result.as_dict()
    payload.pop("engine")
    return payload


@pytest.mark.slow
@pytest.mark.realdata
def test_place_year_aggregates_are_identical(engines: tuple[DuckDBEngine, SparkEngine]) -> None:
    duck, spark = engines
    for source in (patent_source(), patent_source(years=(2006, 2010)), publication_source()):
        on_duckdb = aggregate.place_years(duck, source)
        on_spark = aggregate.place_years(spark, source)
        assert on_duckdb.num_rows > 0
        assert on_duckdb.equals(on_spark)


@pytest.mark.slow
@pytest.mark.realdata
def test_clusters_and_collaboration_are_identical(
    engines: tuple[DuckDBEngine, SparkEngine],
) -> None:
    duck, spark = engines
    results = [
        analysis.find_clusters(engine, [patent_source(), publication_source()], min_weight=2)
        for engine in (duck, spark)
    ]
    assert results[0].clusters  # something to compare
    assert _without_engine(results[0]) == _without_engine(results[1])
    hot = results[0].hot_places(3)
    years = [analysis.collaboration(engine, patent_source(), hot=hot) for engine in engines]
    assert years[0] == years[1]
    assert any(y.international_hotspot for y in years[0])
    papers = [analysis.collaboration(engine, publication_source()) for engine in engines]
    assert papers[0] == papers[1]
