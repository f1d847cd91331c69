"""The annex: every table of the report as CSV (one file each) and as one XLSX workbook.

Beside ``report.html`` (or ``.pdf``): ``report-annex.xlsx`` and ``report-annex/<table>.csv``.
Values are written raw (shares as fractions, not formatted); CSV is UTF-8 with a BOM so
that Excel reads the Chinese text. Each file is written under a temporary name and renamed.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from ipops.exports import append_row, csv_row
from ipops.report.model import DataTable, Report

MAX_SHEET_NAME = 31


@dataclass(frozen=True)
class AnnexFiles:
    xlsx: Path
    csv_folder: Path
    csv_files: tuple[Path, ...]

    def links(self, base: Path) -> list[tuple[str, str]]:
        """(file name, path relative to ``base``) of every annex file, the workbook first."""
        paths = (self.xlsx, *self.csv_files)
        return [(p.name, os.path.relpath(p, base)) for p in paths]


def annex_paths(output: Path) -> tuple[Path, Path]:
    stem = output.with_suffix("")
    return stem.with_name(f"{stem.name}-annex.xlsx"), stem.with_name(f"{stem.name}-annex")


def write_annex(report: Report, output: Path) -> AnnexFiles:
    xlsx, folder = annex_paths(output)
    tables = report.tables()
    staging = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    names = []
    for table in tables:
        (staging / f"{table.name}.csv").write_text(csv_text(table), encoding="utf-8-sig")
        names.append(f"{table.name}.csv")
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    _write_workbook(report, tables, xlsx)
    return AnnexFiles(xlsx, folder, tuple(folder / name for name in names))


def csv_text(table: DataTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_row(c.label for c in table.columns))
    for row in table.rows:
        writer.writerow(csv_row("" if v is None else v for v in row))
    return buffer.getvalue()


def _write_workbook(report: Report, tables: list[DataTable], path: Path) -> None:
    book = Workbook()
    about = book.active
    about.title = "report"
    for row in (
        ("title", report.title),
        ("query", report.query_text),
        ("snapshot", report.snapshot_id),
        ("ipops", report.version),
        ("as of", report.as_of.isoformat()),
        ("patents", report.patents),
        ("families", report.families),
    ):
        append_row(about, row)
    used = {"report"}
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.name, used))
        append_row(sheet, [c.label for c in table.columns])
        for row in table.rows:
            append_row(sheet, [_cell(v) for v in row])
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    book.save(tmp)
    tmp.replace(path)


def _sheet_name(name: str, used: set[str]) -> str:
    base = name[:MAX_SHEET_NAME]
    candidate, k = base, 2
    while candidate in used:
        suffix = f"_{k}"
        candidate, k = base[: MAX_SHEET_NAME - len(suffix)] + suffix, k + 1
    used.add(candidate)
    return candidate


def _cell(value: Any) -> Any:
    return value if value is None or isinstance(value, int | float | str) else str(value)
