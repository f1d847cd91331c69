"""PatentsView's continuity, priority, PCT, term, examiner, attorney and figure tables, and a
citation table whose citing patents are not in the corpus (issue 13).

The tables are written here in PatentsView's bulk layout (column names of the
``patentsview_export_granted`` views: g_us_rel_doc, g_foreign_priority, g_pct_data,
g_us_term_of_grant, g_examiner_not_disambiguated, g_attorney_not_disambiguated, g_figures,
g_us_patent_citation) from the real grants vendored under tests/fixtures/uspto, flattened
the way PatentsView-DB flattens ``<us-related-documents>`` (one row per parent, parent
grant, parent PCT and child document). Loading them must give back what the XML reader
reads from the same grants.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from ipops.corpus.formats.patentsview import read_patentsview
from ipops.corpus.formats.uspto_xml import parse_file
from ipops.corpus.records import Reject

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "uspto"
Document = dict[str, list[dict[str, Any]]]


def _xml_documents() -> list[Document]:
    found = []
    for path in sorted(FIXTURES.glob("ipg*.xml")):
        found += [doc for doc in parse_file(path) if not isinstance(doc, Reject)]
    return found


def _write(folder: Path, table: str, header: list[str], rows: Iterable[list[Any]]) -> None:
    with (folder / f"{table}.tsv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows([["" if value is None else str(value) for value in row] for row in rows])


def _pv_id(patent_id: str) -> str:
    return patent_id.removeprefix("US")


def _flattened_relations(doc: Document) -> list[list[Any]]:
    """g_us_rel_doc rows as PatentsView-DB writes them (doctype with underscores)."""
    names = {"provisional": "us_provisional_application"}
    rows: list[list[Any]] = []
    for rel in doc["related_documents"]:
        pid = _pv_id(rel["patent_id"])
        doctype = names.get(rel["relation"], rel["relation"])
        parts = [("parent_doc", rel["related_office"], rel["related_number"], rel["related_date"])]
        if rel["relation"] in ("provisional", "related_publication"):
            parts = [("", rel["related_office"], rel["related_number"], rel["related_date"])]
        if rel["parent_patent_number"]:
            parts.append(
                (
                    "parent_grant_document",
                    rel["parent_patent_office"],
                    rel["parent_patent_number"],
                    rel["parent_grant_date"],
                )
            )
        if rel["parent_pct_number"]:
            parts.append(
                ("parent_pct_document", "WO", rel["parent_pct_number"], rel["parent_pct_date"])
            )
        if rel["child_number"]:
            parts.append(("child_doc", rel["child_office"], rel["child_number"], rel["child_date"]))
        status = (rel["parent_status"] or "").upper() if rel["parent_status"] != "granted" else ""
        for kind, office, number, dated in parts:
            rows.append([pid, number, office, doctype, kind, dated, status, len(rows)])
    return rows


def _write_tables(folder: Path, docs: list[Document], *, with_patents: bool = True) -> None:
    folder.mkdir()
    patents = [doc["patents"][0] for doc in docs]
    _write(
        folder,
        "g_patent",
        ["patent_id", "patent_type", "patent_date", "patent_title", "wipo_kind", "num_claims"],
        (
            [_pv_id(p["patent_id"]), p["patent_type"], p["grant_date"], p["title"], p["kind"], 1]
            for p in (patents if with_patents else [])
        ),
    )
    _write(
        folder,
        "g_us_rel_doc",
        [
            "patent_id",
            "related_doc_number",
            "published_country",
            "related_doc_type",
            "related_doc_kind",
            "related_doc_published_date",
            "related_doc_status",
            "related_doc_sequence",
        ],
        (row for doc in docs for row in _flattened_relations(doc)),
    )
    _write(
        folder,
        "g_foreign_priority",
        [
            "patent_id",
            "priority_claim_sequence",
            "priority_claim_kind",
            "foreign_application_id",
            "filing_date",
            "foreign_country_filed",
        ],
        (
            [_pv_id(r["patent_id"]), r["sequence"], r["kind"], r["number"], r["date"], r["country"]]
            for doc in docs
            for r in doc["priority_claims"]
        ),
    )
    pct_rows = []
    for doc in docs:
        for r in doc["pct_data"]:
            pid = _pv_id(r["patent_id"])
            pct_rows.append(
                [
                    pid,
                    r["pct_filing_date"],
                    r["date_371"],
                    "",
                    "WO",
                    "00",
                    r["pct_number"],
                    "pct_application",
                ]
            )
            if r["pct_publication_number"]:
                pct_rows.append(
                    [
                        pid,
                        r["pct_publication_date"],
                        "",
                        "",
                        "WO",
                        "A",
                        r["pct_publication_number"],
                        "wo_grant",
                    ]
                )
    _write(
        folder,
        "g_pct_data",
        [
            "patent_id",
            "published_or_filed_date",
            "pct_371_date",
            "pct_102_date",
            "filed_country",
            "application_kind",
            "pct_doc_number",
            "pct_doc_type",
        ],
        pct_rows,
    )
    _write(
        folder,
        "g_us_term_of_grant",
        ["patent_id", "disclaimer_date", "term_disclaimer", "term_grant", "term_extension"],
        (
            [
                _pv_id(r["patent_id"]),
                "",
                r["disclaimer_text"] or "",
                r["length_of_grant_years"],
                r["adjustment_days"],
            ]
            for doc in docs
            for r in doc["terms"]
        ),
    )
    _write(
        folder,
        "g_examiner_not_disambiguated",
        [
            "patent_id",
            "raw_examiner_name_first",
            "raw_examiner_name_last",
            "examiner_role",
            "art_group",
        ],
        (
            [_pv_id(r["patent_id"]), r["first_name"], r["last_name"], r["role"], r["art_unit"]]
            for doc in docs
            for r in doc["examiners"]
        ),
    )
    _write(
        folder,
        "g_figures",
        ["patent_id", "num_figures", "num_sheets"],
        (
            [_pv_id(p["patent_id"]), p["figures_count"], p["drawing_sheets"]]
            for p in patents
            if p["figures_count"] is not None
        ),
    )
    _write(
        folder,
        "g_us_patent_citation",
        [
            "patent_id",
            "citation_sequence",
            "citation_patent_id",
            "citation_date",
            "citation_category",
        ],
        (
            [_pv_id(c["patent_id"]), c["sequence"], c["cited_number"], c["cited_date"], ""]
            for doc in docs
            for c in doc["citations"]
            if c["cited_office"] == "US" and c["category"] == "patent"
        ),
    )


def _load(folder: Path) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for chunk in read_patentsview([folder], chunk_size=7):
        assert chunk.rejects == []
        for table, found in chunk.rows.items():
            rows.setdefault(table, []).extend(found)
    return rows


def _without(rows: Iterable[dict[str, Any]], *columns: str) -> list[dict[str, Any]]:
    return sorted(
        ({k: v for k, v in row.items() if k not in columns and v is not None} for row in rows),
        key=lambda row: (row["patent_id"], row.get("sequence", 0), row.get("role", "")),
    )


def test_patentsview_tables_give_back_what_the_xml_says(tmp_path: Path) -> None:
    docs = _xml_documents()
    _write_tables(tmp_path / "pv", docs)
    loaded = _load(tmp_path / "pv")
    xml = {table: [row for doc in docs for row in doc.get(table, [])] for table in docs[0]}

    assert _without(loaded["related_documents"]) == _without(
        # PatentsView keeps no parent grant date, and an unnamed status stays unnamed
        xml["related_documents"],
        "parent_grant_date",
    )
    assert _without(loaded["priority_claims"]) == _without(xml["priority_claims"])
    assert _without(loaded["pct_data"]) == _without(xml["pct_data"])
    assert _without(loaded["terms"], "disclaimer_text") == _without(xml["terms"], "disclaimer_text")
    assert _without(loaded["examiners"]) == _without(xml["examiners"])
    figures = {
        p["patent_id"]: (p.get("figures_count"), p.get("drawing_sheets")) for p in loaded["patents"]
    }
    assert figures["US8418361"] == (17, 9)
    chain = [r for r in loaded["related_documents"] if r["patent_id"] == "US8420883"]
    assert min(r["related_date"] for r in chain) == date(1994, 11, 28)
    days = [r["adjustment_days"] for r in loaded["terms"] if r["patent_id"] == "US8421425"]
    assert days == [373]
    # every loaded patent's references are loaded: all of them are in the citing universe
    universe = {r["patent_id"]: r["publication_date"] for r in loaded["citing_documents"]}
    assert universe == {p["patent_id"]: p["grant_date"] for p in loaded["patents"]}


def test_a_citation_table_without_the_citing_patents_widens_the_citing_universe(
    tmp_path: Path,
) -> None:
    docs = _xml_documents()
    citing = docs[:5]
    _write_tables(tmp_path / "pv", citing, with_patents=False)
    loaded = _load(tmp_path / "pv")
    assert loaded.get("patents", []) == []
    expected = {
        doc["patents"][0]["patent_id"]
        for doc in citing
        if any(c["cited_office"] == "US" and c["category"] == "patent" for c in doc["citations"])
    }
    assert {r["patent_id"] for r in loaded["citing_documents"]} == expected
    assert {r["publication_date"] for r in loaded["citing_documents"]} == {None}
    us_citations = [
        c
        for doc in citing
        for c in doc["citations"]
        if c["cited_office"] == "US" and c["category"] == "patent"
    ]
    assert len(loaded["citations"]) == len(us_citations)
    assert {c["cited_patent_id"] for c in loaded["citations"]} == {
        c["cited_patent_id"] for c in us_citations
    }
