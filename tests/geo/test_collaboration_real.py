"""Team share and international co-invention share on the 421 real grants, against the XML.

The expected counts are worked out here from the raw XML with lxml, independently of the
ipops reader: per grant, its filing year (``application-reference/document-id/date``), its
inventors (``<applicant app-type="applicant-inventor">`` in DTD v4.0-v4.2, ``<inventor>``
in v4.3+) and their ``address/country`` codes.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from lxml import etree

from ipops.corpus.store import CorpusStore
from ipops.geo import service

pytestmark = pytest.mark.realdata


def _grant_documents(path: Path) -> list[bytes]:
    raw = path.read_bytes()
    parts = [b"<?xml" + part for part in raw.split(b"<?xml")[1:]]
    return [part for part in parts if b"<us-patent-grant " in part]


def _facts(document: bytes) -> tuple[int, int, int]:
    """(filing year, inventors, distinct inventor countries) of one grant."""
    parser = etree.XMLParser(recover=True, load_dtd=False, no_network=True, resolve_entities=False)
    body = document[document.index(b"<us-patent-grant ") :]
    root = etree.fromstring(body, parser)
    biblio = root.find("us-bibliographic-data-grant")
    assert biblio is not None
    filed = biblio.findtext("application-reference/document-id/date")
    assert filed is not None
    people = biblio.xpath(".//applicant[@app-type='applicant-inventor'] | .//inventors/inventor")
    countries = {
        (person.findtext("addressbook/address/country") or "").strip().upper() for person in people
    }
    countries.discard("")
    return int(filed[:4]), len(people), len(countries)


def expected_by_year(folder: Path) -> dict[int, tuple[int, int, int]]:
    """year -> (grants, teams, international) from the XML."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    documents = [d for path in sorted(folder.glob("ipg*.xml")) for d in _grant_documents(path)]
    assert len(documents) == 421
    for document in documents:
        year, inventors, countries = _facts(document)
        totals[year][0] += 1
        totals[year][1] += inventors >= 2
        totals[year][2] += countries >= 2
    return {year: (g, t, i) for year, (g, t, i) in totals.items()}


def test_team_and_international_shares_match_the_xml(
    grants_con: duckdb.DuckDBPyConnection, grants_xml: Path
) -> None:
    expected = expected_by_year(grants_xml)
    rows = service.collaboration_by_year(grants_con, scope="grants")
    got = {r.year: (r.patents, r.teams, r.international) for r in rows}
    assert got == expected
    total = sum(g for g, _, _ in expected.values())
    teams = sum(t for _, t, _ in expected.values())
    international = sum(i for _, _, i in expected.values())
    assert total == 421
    assert sum(r.with_inventors for r in rows) == 421  # every grant names its inventors
    for row in rows:
        assert row.team_share == pytest.approx(row.teams / row.with_inventors, abs=1e-6)
        assert row.international_share == pytest.approx(
            row.international / row.with_inventors, abs=1e-6
        )
        assert 0 <= row.international_hotspot <= row.international
    # the overall figures the XML gives, for the record
    assert 0 < teams < total and 0 < international < teams


def test_fractional_country_counts_add_up_to_the_grants(
    grants_con: duckdb.DuckDBPyConnection,
) -> None:
    counts = dict(service.inventor_country_counts(grants_con, scope="grants"))
    assert sum(counts.values()) == pytest.approx(421, abs=1e-4)  # rounded to 1e-6 each
    assert max(counts, key=lambda c: counts[c]) == "US"


def test_unlocated_patents_are_counted_not_dropped(grants_store: CorpusStore) -> None:
    con = grants_store.connect()
    con.execute("CREATE TEMP VIEW grants AS SELECT patent_id FROM patents WHERE doc_type = 'grant'")
    unlocated = con.execute(
        "SELECT count(*) FROM patents p WHERE doc_type = 'grant' AND NOT EXISTS ("
        "SELECT 1 FROM inventors i WHERE i.patent_id = p.patent_id AND i.latitude IS NOT NULL)"
    ).fetchall()[0][0]
    result = service.patent_cluster_result(con, scope="grants", min_weight=3)
    layer = result.layers[0]
    assert layer.docs == 421
    assert layer.unlocated_docs == unlocated
    assert layer.total_weight == pytest.approx(421)
    assert layer.located_weight <= layer.total_weight
    assert sum(c.weight for c in result.clusters) <= layer.located_weight + 1e-9
    con.close()


def test_years_restrict_the_patents(
    grants_con: duckdb.DuckDBPyConnection, grants_xml: Path
) -> None:
    expected = expected_by_year(grants_xml)
    rows = service.collaboration_by_year(grants_con, scope="grants", years=(2005, 2008))
    assert {r.year for r in rows} <= set(range(2005, 2009))
    assert sum(r.patents for r in rows) == sum(
        g for year, (g, _, _) in expected.items() if 2005 <= year <= 2008
    )
