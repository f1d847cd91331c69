"""Continuity, priority, PCT, term of grant, examiners and agents from USPTO XML (issue 13).

Real data: the grants vendored under ``tests/fixtures/uspto`` (47 grants of the PatentsView
fixtures, see its SOURCE.txt) always run; the whole 421-grant sample in
``shared/data/uspto-grant-xml-pvdb`` runs when present. Expected counts are worked out here
with lxml XPath over each whole document (the reader walks the bibliographic part child by
child), and the named patents' values were read off their XML by eye.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from loadhelpers import make_target
from lxml import etree

from ipops.corpus.formats.uspto_xml import iter_raw_documents, parse_document, parse_file
from ipops.corpus.ingest import ingest_files
from ipops.corpus.records import Reject
from ipops.corpus.schema import to_table
from ipops.corpus.store import CorpusStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "uspto"
PVDB = Path("uspto-grant-xml-pvdb", "xml")

Document = dict[str, list[dict[str, Any]]]


@cache
def _documents(path: Path) -> list[Document]:
    items = list(parse_file(path))
    assert [item for item in items if isinstance(item, Reject)] == []
    return [item for item in items if not isinstance(item, Reject)]


def _by_id(*paths: Path) -> dict[str, Document]:
    return {doc["patents"][0]["patent_id"]: doc for path in paths for doc in _documents(path)}


def _grant_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("ipg*.xml"))


def _xpath_counts(paths: list[Path]) -> Counter[str]:
    """What the XML holds, counted with XPath over each whole grant."""
    counts: Counter[str] = Counter()
    for path in paths:
        for data in iter_raw_documents(path):
            root = etree.fromstring(data)
            related = root.xpath("//us-related-documents/*")
            counts["with_related"] += bool(related)
            counts["relations"] += len(
                root.xpath("//us-related-documents/*/relation")
                + root.xpath("//us-related-documents/*[document-id]")
            )
            counts["with_priority"] += bool(root.xpath("//priority-claims/priority-claim"))
            counts["priority_claims"] += len(root.xpath("//priority-claims/priority-claim"))
            counts["pct"] += bool(root.xpath("//pct-or-regional-filing-data"))
            counts["adjustment"] += bool(root.xpath("//us-term-of-grant/us-term-extension"))
            counts["adjustment_days"] += int(
                root.xpath("sum(//us-term-of-grant/us-term-extension)")
            )
            counts["disclaimers"] += bool(root.xpath("//us-term-of-grant/disclaimer"))
            counts["length_of_grant"] += bool(root.xpath("//us-term-of-grant/length-of-grant"))
            counts["examiners"] += len(root.xpath("//examiners/*[contains(name(), 'examiner')]"))
            counts["art_units"] += len(root.xpath("//examiners/primary-examiner/department"))
            counts["agents"] += len(root.xpath("//agents/agent"))
            counts["figures"] += int(root.xpath("sum(//figures/number-of-figures)"))
            counts["sheets"] += int(root.xpath("sum(//figures/number-of-drawing-sheets)"))
            counts["assignee_roles"] += len(root.xpath("//assignees/assignee//role"))
            counts["grants"] += 1
    return counts


def _reader_counts(paths: list[Path]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in paths:
        for doc in _documents(path):
            related, terms = doc["related_documents"], doc["terms"]
            counts["with_related"] += bool(related)
            counts["relations"] += len(related)
            counts["with_priority"] += bool(doc["priority_claims"])
            counts["priority_claims"] += len(doc["priority_claims"])
            counts["pct"] += len(doc["pct_data"])
            adjusted = [row for row in terms if row["adjustment_days"] is not None]
            counts["adjustment"] += len(adjusted)
            counts["adjustment_days"] += sum(row["adjustment_days"] for row in adjusted)
            counts["disclaimers"] += sum(row["disclaimer"] for row in terms)
            counts["length_of_grant"] += sum(
                row["length_of_grant_years"] is not None for row in terms
            )
            counts["examiners"] += len(doc["examiners"])
            counts["art_units"] += sum(row["art_unit"] is not None for row in doc["examiners"])
            counts["agents"] += len(doc["agents"])
            patent = doc["patents"][0]
            counts["figures"] += patent["figures_count"] or 0
            counts["sheets"] += patent["drawing_sheets"] or 0
            counts["assignee_roles"] += sum(
                row["role_code"] is not None for row in doc["parties"] if row["role"] == "assignee"
            )
            counts["grants"] += 1
    return counts


def test_vendored_grants_match_an_xpath_count() -> None:
    files = _grant_files(FIXTURES)
    expected = _xpath_counts(files)
    assert expected["grants"] == 47
    assert _reader_counts(files) == expected
    # the sample really exercises every element
    for key in ("with_related", "with_priority", "pct", "adjustment", "disclaimers"):
        assert expected[key] > 0, key


def test_the_421_real_grants_match_the_published_counts(shared_data: Path) -> None:
    files = _grant_files(shared_data / PVDB)
    expected = _xpath_counts(files)
    assert expected["grants"] == 421
    found = _reader_counts(files)
    assert found == expected
    assert (found["with_related"], found["with_priority"]) == (198, 162)
    assert (found["pct"], found["adjustment"]) == (27, 132)


def test_continuation_chain_back_to_1994_can_be_followed() -> None:
    doc = _by_id(*_grant_files(FIXTURES))["US8420883"]
    parents = {
        row["child_number"]: row
        for row in doc["related_documents"]
        if row["relation"] != "related_publication"
    }
    application = doc["applications"][0]["number"]
    assert application == "13302302"
    chain = []
    while application in parents:
        row = parents[application]
        chain.append(
            (row["relation"], row["related_number"], row["related_date"], row["parent_status"])
        )
        application = row["related_number"]
    assert chain == [
        ("continuation", "12946926", date(2010, 11, 16), "granted"),
        ("continuation", "11472019", date(2006, 6, 21), "granted"),
        ("continuation", "10027295", date(2001, 12, 20), "abandoned"),
        ("division", "08926532", date(1997, 9, 10), "granted"),
        ("continuation_in_part", "08884069", date(1997, 6, 27), "granted"),
        ("continuation", "08345159", date(1994, 11, 28), "granted"),
    ]
    first = parents["08884069"]
    assert (first["parent_patent_office"], first["parent_patent_number"]) == ("US", "5643588")
    earlier = [row for row in doc["related_documents"] if row["relation"] == "related_publication"]
    assert [(row["related_number"], row["related_date"]) for row in earlier] == [
        ("20120065603", date(2012, 3, 15))
    ]
    assert doc["terms"] == [
        {
            "patent_id": "US8420883",
            "adjustment_days": None,
            "disclaimer": True,
            "disclaimer_text": "This patent is subject to a terminal disclaimer.",
            "length_of_grant_years": None,
            "generated": False,
        }
    ]


def test_division_of_a_2008_application_with_korean_priority() -> None:
    doc = _by_id(*_grant_files(FIXTURES))["US8418361"]
    division = doc["related_documents"][0]
    assert division["relation"] == "division"
    assert (division["related_number"], division["related_date"]) == ("12213975", date(2008, 6, 26))
    assert division["parent_status"] == "abandoned"
    assert division["child_number"] == doc["applications"][0]["number"]
    assert [
        (row["country"], row["number"], row["date"], row["kind"]) for row in doc["priority_claims"]
    ] == [("KR", "10-2008-0034874", date(2008, 4, 15), "national")]
    assert doc["terms"] == []
    assert (doc["patents"][0]["figures_count"], doc["patents"][0]["drawing_sheets"]) == (17, 9)
    assert [row["role_code"] for row in doc["parties"]] == ["03"]


def test_term_adjustment_of_373_days_and_the_examiner() -> None:
    doc = _by_id(*_grant_files(FIXTURES))["US8421425"]
    assert [row["adjustment_days"] for row in doc["terms"]] == [373]
    assert [(row["role"], row["name"], row["art_unit"]) for row in doc["examiners"]] == [
        ("primary", "Harry Behm", "2838")
    ]
    assert [(row["role"], row["name"]) for row in doc["agents"]] == [
        ("attorney", "Tran & Associates")
    ]
    provisionals = [row for row in doc["related_documents"] if row["relation"] == "provisional"]
    assert len(provisionals) == 6
    assert {row["related_date"] for row in provisionals} == {date(2009, 10, 5)}


def test_pct_national_stage_and_parent_pct_document() -> None:
    docs = _by_id(*_grant_files(FIXTURES))
    pct = [row for doc in docs.values() for row in doc["pct_data"]]
    assert pct, "the vendored sample carries PCT data"
    assert all(row["pct_filing_date"] is not None for row in pct)
    assert all(row["date_371"] is None or row["date_371"] >= row["pct_filing_date"] for row in pct)
    parent_pct = [
        row
        for doc in docs.values()
        for row in doc["related_documents"]
        if row["parent_pct_number"] is not None
    ]
    assert [(row["parent_pct_number"], row["parent_pct_date"]) for row in parent_pct] == [
        ("PCT/JP2008/062636", date(2008, 7, 12))
    ]


def test_design_length_of_grant() -> None:
    docs = _by_id(*_grant_files(FIXTURES))
    designs = [doc for doc in docs.values() if doc["patents"][0]["patent_type"] == "design"]
    assert designs
    assert {row["length_of_grant_years"] for doc in designs for row in doc["terms"]} == {14}


def test_pre_grant_publications_carry_continuity_and_provisionals() -> None:
    docs = _by_id(FIXTURES / "pa040101.two.xml", FIXTURES / "ipa130117.one.xml")
    old = docs["US20040000002"]["related_documents"]
    assert [
        (r["relation"], r["related_number"], r["related_date"], r["parent_status"]) for r in old
    ] == [("continuation", "09919271", date(2001, 7, 30), "granted")]
    assert (old[0]["parent_patent_number"], old[0]["child_number"]) == ("6557176", "10430371")
    new = docs["US20130014306"]["related_documents"]
    assert [(r["relation"], r["related_number"]) for r in new] == [
        ("provisional", "61433841"),
        ("provisional", "61473378"),
        ("provisional", "61526999"),
    ]
    # applications print no references: they are not part of the citing universe
    assert all(not doc.get("citing_documents") for doc in docs.values())


REISSUE = b"""<?xml version="1.0" encoding="UTF-8"?>
<us-patent-grant><us-bibliographic-data-grant>
<publication-reference><document-id><country>US</country><doc-number>RE041234</doc-number>
<kind>E</kind><date>20100406</date></document-id></publication-reference>
<application-reference appl-type="reissue"><document-id><country>US</country>
<doc-number>12345678</doc-number><date>20080101</date></document-id></application-reference>
<us-related-documents><reissue><relation>
<parent-doc><document-id><country>US</country><doc-number>10999888</doc-number>
<date>20030305</date></document-id>
<parent-grant-document><document-id><country>US</country><doc-number>7012345</doc-number>
<date>20060314</date></document-id></parent-grant-document></parent-doc>
<child-doc><document-id><country>US</country><doc-number>12345678</doc-number></document-id>
</child-doc></relation></reissue>
<substitution><relation><parent-doc><document-id><country>US</country>
<doc-number>10111222</doc-number><date>20011010</date></document-id></parent-doc>
<child-doc><document-id><country>US</country><doc-number>10999888</doc-number></document-id>
</child-doc></relation></substitution></us-related-documents>
<pct-or-regional-filing-data><document-id><country>WO</country>
<doc-number>PCT/US2002/012345</doc-number><date>20020415</date></document-id>
<us-371c12-date><date>20031001</date></us-371c12-date></pct-or-regional-filing-data>
<us-term-of-grant><us-term-extension>0</us-term-extension></us-term-of-grant>
</us-bibliographic-data-grant></us-patent-grant>
"""


def test_reissue_substitution_and_the_newer_371_element() -> None:
    doc = parse_document(REISSUE, file="reissue.xml", index=1)
    assert not isinstance(doc, Reject)
    reissue, substitution = doc["related_documents"]
    assert (reissue["relation"], reissue["parent_status"]) == ("reissue", "granted")
    assert (reissue["parent_patent_number"], reissue["parent_grant_date"]) == (
        "7012345",
        date(2006, 3, 14),
    )
    assert (substitution["relation"], substitution["sequence"]) == ("substitution", 1)
    assert substitution["parent_status"] is None  # not printed, and no parent patent named
    assert doc["pct_data"][0]["date_371"] == date(2003, 10, 1)
    assert doc["terms"][0]["adjustment_days"] == 0
    for table, rows in doc.items():
        to_table(table, rows)  # exactly the canonical columns


def test_the_new_tables_round_trip_through_the_store(tmp_path: Path) -> None:

    target = make_target(tmp_path)
    report = ingest_files(target, _grant_files(FIXTURES), workers=1)
    assert report.records_rejected == 0
    expected = _reader_counts(_grant_files(FIXTURES))
    with CorpusStore(tmp_path / "corpus").connect() as con:
        days = con.execute(
            "SELECT adjustment_days FROM terms WHERE patent_id = 'US8421425'"
        ).fetchall()
        assert days == [(373,)]
        chain = con.execute(
            "SELECT min(related_date) FROM related_documents WHERE patent_id = 'US8420883' "
            "AND relation IN ('continuation', 'continuation_in_part', 'division')"
        ).fetchone()
        assert chain == (date(1994, 11, 28),)
        pct = con.execute("SELECT count(*) FROM pct_data").fetchone()
        assert pct == (expected["pct"],)
        universe = con.execute(
            "SELECT count(*), min(publication_date) FROM citing_documents"
        ).fetchone()
        grants = con.execute("SELECT count(*) FROM patents WHERE doc_type = 'grant'").fetchone()
        assert universe is not None and grants is not None
        assert universe[0] == grants[0] == 47
