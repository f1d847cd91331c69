"""Reading a file of legal-status events (CSV or XLSX, in the layout of
docs/corpus-events.md) into ``events`` rows; a bad row is rejected with its reason, the
others load."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from ipops.corpus.events import (
    allowed_event_labels,
    normalize_patent_id,
    parse_event_date,
    parse_event_type,
)
from ipops.corpus.records import Chunk, Reject, chunked
from ipops.corpus.schema import Row
from ipops.errors import InputFormatError

REQUIRED_COLUMNS: tuple[str, ...] = ("patent", "date", "event")
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "patent": (
        "patent",
        "patent_id",
        "publication_number",
        "专利号",
        "公开号",
        "公告号",
        "公开(公告)号",
        "公开（公告）号",
    ),
    "date": ("date", "event_date", "日期", "事件日期"),
    "event": ("event", "event_type", "事件", "法律状态"),
    "detail": ("detail", "说明"),
    "counterparty": ("counterparty", "相对方"),
}
_CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
_XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})


def _header_key(cell: object) -> str:
    return re.sub(r"\s+", "", str(cell or "")).lstrip("\ufeff").lower()


def _chinese_aliases(column: str) -> str:
    return "/".join([alias for alias in COLUMN_ALIASES[column] if not alias.isascii()][:2])


def _column_positions(header: Sequence[object], file: str) -> dict[str, int]:
    """Position of each layout column in the header; InputFormatError if one is missing."""
    keys = [_header_key(cell) for cell in header]
    positions: dict[str, int] = {}
    for column, aliases in COLUMN_ALIASES.items():
        found = next((i for i, key in enumerate(keys) if key in aliases), None)
        if found is not None:
            positions[column] = found
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    if missing:
        wanted = "; ".join(f"{c} ({_chinese_aliases(c)})" for c in missing)
        present = ", ".join(str(cell) for cell in header if cell not in (None, "")) or "none"
        raise InputFormatError(f"{file}: missing column(s) {wanted}; found: {present}")
    return positions


def _cell(values: Sequence[object], position: int | None) -> object:
    if position is None or position >= len(values):
        return None
    value = values[position]
    return (value.strip() or None) if isinstance(value, str) else value


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _event_row(
    values: Sequence[object], positions: dict[str, int], header: Sequence[object]
) -> Row:
    """One ``events`` row from a data row; raises _RowError naming the bad column."""

    def fail(column: str, reason: str) -> _RowError:
        return _RowError(str(header[positions[column]]), reason)

    raw_patent = _cell(values, positions["patent"])
    if raw_patent is None:
        raise fail("patent", "missing patent number")
    try:
        patent_id = normalize_patent_id(str(raw_patent))
    except ValueError as error:
        raise fail("patent", str(error)) from None
    raw_date = _cell(values, positions["date"])
    if raw_date is None:
        raise fail("date", "missing date")
    try:
        event_date = parse_event_date(raw_date)
    except ValueError as error:
        raise fail("date", str(error)) from None
    raw_event = _cell(values, positions["event"])
    if raw_event is None:
        raise fail("event", f"missing event type; allowed: {allowed_event_labels()}")
    try:
        event_type = parse_event_type(str(raw_event))
    except ValueError as error:
        raise fail("event", str(error)) from None
    return {
        "patent_id": patent_id,
        "event_date": event_date,
        "event_type": event_type.value,
        "detail": _text(_cell(values, positions.get("detail"))),
        "counterparty": _text(_cell(values, positions.get("counterparty"))),
        "generated": False,
    }


class _RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def _parsed_rows(
    rows: Iterator[Sequence[object]], file: str
) -> Iterator[dict[str, list[Row]] | Reject]:
    header = next(rows, None)
    if header is None:
        raise InputFormatError(f"{file}: empty file, expected a header row")
    positions = _column_positions(header, file)
    for number, values in enumerate(rows, start=2):
        if all(_cell(values, i) is None for i in range(len(values))):
            continue
        try:
            yield {"events": [_event_row(values, positions, header)]}
        except _RowError as error:
            record = _cell(values, positions["patent"])
            yield Reject(file, f"row {number}", error.column, error.reason, _text(record))


def _detect_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        sample = handle.read(1 << 20)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def _csv_rows(path: Path) -> Iterator[list[str]]:
    encoding = _detect_encoding(path)
    try:
        with path.open(encoding=encoding, newline="") as handle:
            first_line = handle.readline()
            delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
            handle.seek(0)
            yield from csv.reader(handle, delimiter=delimiter)
    except UnicodeDecodeError as error:
        raise InputFormatError(
            f"{path}: not readable as {encoding} text ({error.reason})"
        ) from None


def _xlsx_rows(path: Path) -> Iterator[tuple[object, ...]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise InputFormatError(f"{path}: not a readable .xlsx workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _table_rows(path: Path) -> Iterator[Sequence[object]]:
    suffix = path.suffix.lower()
    if suffix in _CSV_SUFFIXES:
        return _csv_rows(path)
    if suffix in _XLSX_SUFFIXES:
        return _xlsx_rows(path)
    raise InputFormatError(
        f"{path}: unsupported file type {suffix or '(none)'!r}; use .csv or .xlsx"
    )


def read_events(path: Path, *, chunk_size: int = 10_000) -> Iterator[Chunk]:
    """Legal-status events from a CSV or XLSX file in the layout of docs/corpus-events.md.

    Good rows go to ``chunk.rows["events"]``; a bad row becomes a Reject naming its row
    (the header is row 1), the column and the reason. A file without the required columns
    raises InputFormatError.
    """
    if not path.is_file():
        raise InputFormatError(f"{path}: no such file")
    yield from chunked(_parsed_rows(iter(_table_rows(path)), str(path)), chunk_size)
