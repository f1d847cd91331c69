"""PatentsView pre-grant tables (``pg_*``) as ``application`` documents.

Two kinds of input: the hand-made layout fixtures of tests/fixtures/patentsview_pregrant
(NOT real records: see its SOURCE.md), and ``pg_*`` tables written here from the three real
USPTO pre-grant publications of shared/data/uspto-grant-xml-pvdb (US20130014308 and
US20130014306 of 2013-01-17, US20040000002 of 2004-01-01), which must load as the same
canonical rows as the USPTO XML reader makes of those publications (apart from what the
PatentsView tables do not carry: claims counts, priority dates, USPC, continuity, the
assignee role code).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from loadhelpers import make_target
from test_patentsview_continuity import _flattened_relations

from ipops.corpus.formats.patentsview import read_patentsview
from ipops.corpus.formats.uspto_xml import parse_file
from ipops.corpus.ingest import ingest_files
from ipops.corpus.records import Chunk, Reject
from ipops.corpus.schema import TABLE_NAMES, to_table
from ipops.errors import InputFormatError
from realdata import shared_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HAND_MADE = FIXTURES / "patentsview_pregrant"


def read_all(paths: list[Path], chunk_size: int = 1) -> tuple[dict[str, list[Any]], Chunk]:
    rows: dict[str, list[Any]] = {table: [] for table in TABLE_NAMES}
    summary = Chunk()
    for chunk in read_patentsview(paths, chunk_size=chunk_size):
        for table, table_rows in chunk.rows.items():
            to_table(table, table_rows)  # every row fits the canonical schema
            rows[table].extend(table_rows)
        summary.rejects.extend(chunk.rejects)
        summary.records_read += chunk.records_read
        summary.records_rejected += chunk.records_rejected
    return rows, summary


def test_hand_made_layout_fixtures_load_as_applications() -> None:
    rows, summary = read_all([HAND_MADE])
    assert summary.rejects == [] and summary.records_read == 2
    first, plant = rows["patents"]
    assert first["patent_id"] == "US20199000001"
    assert (first["doc_type"], first["patent_type"], first["kind"]) == (
        "application",
        "utility",
        "A1",
    )
    assert first["publication_date"] == date(2019, 7, 11)
    assert first["grant_date"] is None
    assert first["filing_date"] == date(2018, 1, 9)
    assert first["application_id"] == "US99000001"
    assert first["abstract"].endswith("runs over two lines.")
    assert first["source"] == "patentsview"
    assert (plant["patent_type"], plant["kind"]) == ("plant", "P1")  # no type given: the kind
    assert rows["applications"][0]["series_code"] == "99"
    assert rows["applications"][0]["application_type"] == "utility"
    cpc = [(c["patent_id"], c["sequence"], c["symbol"], c["is_main"], c["value"])
           for c in rows["classifications"]]  # fmt: skip
    assert cpc == [
        ("US20199000001", 0, "F28D 1/02", True, "inventive"),  # sorted by cpc_sequence
        ("US20199000001", 1, "F28F 9/00", False, "additional"),
        ("US20199000002", 0, "A01H 6/749", True, "inventive"),
    ]
    ada, bo, cy = rows["inventors"]
    assert (ada["name"], ada["city"], ada["country"], ada["geo_source"]) == (
        "Ada Example",
        "Syracuse",
        "US",
        "source",
    )
    assert (bo["city"], bo["country"]) == ("Stuttgart", "DE")
    assert (cy["patent_id"], cy["city"]) == ("US20199000002", None)
    (zelquill,) = rows["parties"]
    assert (zelquill["role"], zelquill["name"], zelquill["party_type"]) == (
        "assignee",
        "Zelquill Inc.",
        "organization",
    )
    assert rows["citing_documents"] == []  # pre-grant publications print no references


def _write(path: Path, header: list[str], rows: Iterable[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows([["" if value is None else str(value) for value in row] for row in rows])
    return path


def test_bad_rows_are_rejected_and_the_good_ones_load(tmp_path: Path) -> None:
    folder = tmp_path / "pg"
    shutil.copytree(HAND_MADE, folder)
    header = ["pgpub_id", "application_id", "filing_date", "published_date", "wipo_kind",
              "application_title"]  # fmt: skip
    _write(
        folder / "pg_published_application.tsv",
        header,
        [
            ["20199000001", "99/000001", "2018-01-09", "2019-07-11", "A1", "kept"],
            ["", "99/000003", "2018-01-09", "2019-07-11", "A1", "no pgpub_id"],
            ["20199000001", "99/000001", "2018-01-09", "2019-07-11", "A1", "repeated"],
            ["20199000004", "99/000004", "2018-01-09", "2019-02-30", "A1", "bad date"],
            ["US-PGPUB-5", "99/000005", "2018-01-09", "2019-07-11", "A1", "not a number"],
        ],
    )
    rows, summary = read_all([folder], chunk_size=2)
    assert [p["patent_id"] for p in rows["patents"]] == ["US20199000001"]
    found = {(r.location, r.field) for r in summary.rejects}
    assert found == {
        ("row 2", "pgpub_id"),
        ("row 3", "pgpub_id"),
        ("row 4", "published_date"),
        ("row 5", "pgpub_id"),
    }
    assert summary.records_read == 5 and summary.records_rejected == 4
    assert {r.file for r in summary.rejects} == {"pg_published_application.tsv"}


def test_a_pg_table_without_its_required_columns_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "pg"
    shutil.copytree(HAND_MADE, folder)
    _write(folder / "pg_published_application.tsv", ["pgpub_id", "published_date"], [])
    target = make_target(tmp_path / "ws")
    with pytest.raises(InputFormatError, match=r"missing column\(s\) application_id, filing_date"):
        ingest_files(target, [folder])
    assert not target.store.manifest().batches


def test_an_ingest_of_grants_and_pre_grant_tables_together(tmp_path: Path) -> None:
    folder = tmp_path / "both"
    shutil.copytree(HAND_MADE, folder)
    for path in (FIXTURES / "patentsview").glob("*.tsv"):
        shutil.copy(path, folder / path.name)
    target = make_target(tmp_path / "ws")
    report = ingest_files(target, [folder])
    assert report.source_format == "patentsview"
    with target.store.connect() as con:
        kinds = con.execute(
            "SELECT doc_type, count(*) FROM patents GROUP BY 1 ORDER BY 1"
        ).fetchall()
    assert kinds == [("application", 2), ("grant", 3)]


# ------------------------------------------------------------ the real pre-grant publications


def _xml_applications() -> list[dict[str, list[dict[str, Any]]]]:
    folder = shared_path("uspto-grant-xml-pvdb", "xml")
    docs = []
    for name in ("ipa130117.one.xml", "pa040101.two.xml"):
        docs += [d for d in parse_file(folder / name) if not isinstance(d, Reject)]
    return docs


def _pg_tables(folder: Path, docs: list[dict[str, list[dict[str, Any]]]]) -> None:
    """The pg_* tables PatentsView would publish for these applications (its layout)."""
    folder.mkdir()
    patents = [doc["patents"][0] for doc in docs]
    apps = {a["patent_id"]: a for doc in docs for a in doc["applications"]}
    _write(
        folder / "pg_published_application.tsv",
        ["pgpub_id", "application_id", "filing_date", "patent_type", "published_date",
         "wipo_kind", "series_code", "application_title", "application_abstract"],
        ([p["number"], f"{apps[p['patent_id']]['number'][:2]}/{apps[p['patent_id']]['number'][2:]}",
          p["filing_date"], p["patent_type"], p["publication_date"], p["kind"],
          apps[p["patent_id"]]["series_code"], p["title"], p["abstract"]] for p in patents),
    )  # fmt: skip
    places = {}
    inventors, assignees = [], []
    for doc in docs:
        for inv in doc["inventors"]:
            loc = places.setdefault((inv["city"], inv["state"], inv["country"]), f"l{len(places)}")
            inventors.append([inv["patent_id"][2:], inv["sequence"], inv["first_name"],
                              inv["last_name"], loc])  # fmt: skip
        for party in doc.get("parties", []):
            loc = places.setdefault((party["city"], party["state"], party["country"]),
                                    f"l{len(places)}")  # fmt: skip
            person = party["party_type"] == "individual"
            first, _, last = party["name"].rpartition(" ") if person else ("", "", "")
            assignees.append([party["patent_id"][2:], party["sequence"], first, last,
                              "" if person else party["name"], loc])  # fmt: skip
    _write(
        folder / "pg_inventor_disambiguated.tsv",
        ["pgpub_id", "inventor_sequence", "disambig_inventor_name_first",
         "disambig_inventor_name_last", "location_id"],
        inventors,
    )  # fmt: skip
    _write(
        folder / "pg_assignee_disambiguated.tsv",
        ["pgpub_id", "assignee_sequence", "disambig_assignee_individual_name_first",
         "disambig_assignee_individual_name_last", "disambig_assignee_organization",
         "location_id"],
        assignees,
    )  # fmt: skip
    _write(
        folder / "pg_location_disambiguated.tsv",
        ["location_id", "disambig_city", "disambig_state", "disambig_country", "latitude",
         "longitude"],
        ([loc, city, state, country, "", ""] for (city, state, country), loc in places.items()),
    )  # fmt: skip
    ipc = [
        [c["patent_id"][2:], c["sequence"], "A", *_ipc_parts(c["symbol"]),
         {"inventive": "I", "additional": "N"}.get(c["value"] or "", ""),
         f"{c['version'][:4]}-{c['version'][5:7]}-01" if "." in (c["version"] or "")
         else c["version"]]
        for doc in docs for c in doc["classifications"] if c["scheme"] == "IPC"
    ]  # fmt: skip
    _write(
        folder / "pg_ipc_at_issue.tsv",
        ["pgpub_id", "ipc_sequence", "classification_level", "section", "ipc_class", "subclass",
         "main_group", "subgroup", "classification_value", "ipc_version_indicator"],
        ipc,
    )  # fmt: skip


def _continuity_tables(folder: Path, docs: list[dict[str, list[dict[str, Any]]]]) -> None:
    """pg_us_rel_doc (flattened as PatentsView-DB flattens it; the pre-grant view has no
    related_doc_status), pg_foreign_priority and pg_pct_data."""
    relations = [row[:6] + row[7:] for doc in docs for row in _flattened_relations(doc)]
    _write(
        folder / "pg_us_rel_doc.tsv",
        ["pgpub_id", "related_doc_number", "published_country", "related_doc_type",
         "related_doc_kind", "related_doc_published_date", "related_doc_sequence"],
        relations,
    )  # fmt: skip
    _write(
        folder / "pg_foreign_priority.tsv",
        ["pgpub_id", "priority_claim_sequence", "priority_claim_kind", "foreign_application_id",
         "filing_date", "foreign_country_filed"],
        ([r["patent_id"][2:], r["sequence"], r["kind"], r["number"], r["date"], r["country"]]
         for doc in docs for r in doc.get("priority_claims", [])),
    )  # fmt: skip
    _write(
        folder / "pg_pct_data.tsv",
        ["pgpub_id", "published_or_filed_date", "pct_371_date", "pct_doc_number",
         "pct_doc_type"],
        ([r["patent_id"][2:], r["pct_filing_date"], r["date_371"], r["pct_number"],
          "pct_application"] for doc in docs for r in doc.get("pct_data", [])),
    )  # fmt: skip


def _ipc_parts(symbol: str) -> list[str]:
    """``A41D 13/08`` -> section, class, subclass, main group, subgroup."""
    subclass, group = symbol.split(" ")
    main, sub = group.split("/")
    return [subclass[0], subclass[1:3], subclass[3], main, sub]


_NOT_IN_PATENTSVIEW = {
    "patents": {"claims_count", "independent_claims_count"},
    "parties": {"role_code"},
    "related_documents": {"parent_grant_date"},
}


def _comparable(table: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # "generated": readers of real data may leave it out; to_table writes false then
    left_out = _NOT_IN_PATENTSVIEW.get(table, set()) | {"source", "generated"}
    return sorted(
        (
            {k: v for k, v in row.items() if k not in left_out and v is not None}
            for row in rows
            if row.get("scheme") in (None, "IPC")  # PatentsView has no USPC here
        ),
        key=lambda row: (row["patent_id"], row.get("sequence", 0)),
    )


@pytest.mark.realdata
def test_real_pre_grant_publications_give_what_the_xml_reader_gives(tmp_path: Path) -> None:
    docs = _xml_applications()
    assert sorted(doc["patents"][0]["patent_id"] for doc in docs) == [
        "US20040000002",
        "US20130014306",
        "US20130014308",
    ]
    _pg_tables(tmp_path / "pg", docs)
    _continuity_tables(tmp_path / "pg", docs)
    rows, summary = read_all([tmp_path / "pg"])
    assert summary.rejects == []
    # US20130014306 claims three provisionals: its priority date is the first, 2011-01-18
    priority = {p["patent_id"]: p["priority_date"] for p in rows["patents"]}
    assert priority["US20130014306"] == date(2011, 1, 18)
    assert [r["relation"] for r in rows["related_documents"]].count("provisional") == 3
    tables = ("patents", "applications", "inventors", "parties", "classifications",
              "related_documents", "priority_claims", "pct_data")  # fmt: skip
    for table in tables:
        xml = [row for doc in docs for row in doc.get(table, [])]
        assert _comparable(table, rows[table]) == _comparable(table, xml), table
