"""Chinese patent database exports (incoPat, PatSnap 智慧芽, CNIPA, Himmpat ...) -> canonical rows.

One row per publication, in a CSV (UTF-8, UTF-8 with BOM, GB18030 or UTF-16; comma or tab
separated) or an Excel workbook (.xlsx; .xls through the optional ``xlrd`` package). The
header row may follow a few lines of export notes: the first row (of the first 20) with at
least two known headers is the header. Headers are matched through a mapping shipped as
``cn_table_mapping.toml`` (header texts -> field) that a user extends with a mapping file;
docs/corpus-cn-table.md lists the fields.

Values:

- the publication number gives office, number and kind: ``CN102345678A`` -> ``CN``,
  ``102345678``, ``A``; ``patent_id`` ``CN102345678`` (the A and B publications of one
  Chinese application share it). ``doc_type`` is grant for kinds B, C, U, S (and the old
  Chinese utility-model kind Y), or, without a kind, when there is a grant date or the type
  is a utility model or design; else application.
- ``patent_type`` from 专利类型 (发明/实用新型/外观设计 -> invention/utility_model/design),
  else from a Chinese kind code.
- the application number keeps office + the number without its check digit:
  ``201910123456.7`` -> ``CN201910123456``.
- dates: 2019-03-05, 2019/3/5, 20190305, 2019.03.05, 2019年3月5日, Excel date cells and
  Excel day numbers (43529).
- several applicants, inventors or symbols in a cell are split at ; ； , ， 、 | and line
  breaks (a comma before Inc., Ltd., Co. ... does not split a company name).
- the address columns describe the first applicant: its province (``state``, e.g. 江苏省)
  and city (南京市) come from 申请人省份/城市, else 申请人省市, else the address; its
  country from 申请人国家, else 国省代码 (a province code such as 32 means CN), else CN
  when a province was found. Hong Kong, Macao and Taiwan get their ISO codes HK, MO, TW.
- current owners (当前专利权人) are parties with role ``assignee``; applicants ``applicant``.
- ``sequence`` is the 0-based position in the cell (per role for parties, per scheme for
  classifications); ``is_main`` marks the first symbol of each scheme: for IPC that is
  IPC主分类号 when the export has it, else the first IPC listed.

Rejects (the other rows still load): a header the mapping does not know (location
"header"); a row without a publication number, with a publication number that cannot be
read, or with an impossible date (the row is not loaded); a classification symbol or cited
number that cannot be read (left out, the row loads). A file that is not a table, or whose
header has no publication-number column, raises ``InputFormatError``.
"""

from __future__ import annotations

import codecs
import csv
import re
import tomllib
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from ipops.corpus.classification import main_group_of, normalize_symbol, subclass_of
from ipops.corpus.records import Chunk, Reject
from ipops.corpus.schema import TABLE_NAMES, Row
from ipops.errors import InputFormatError

SOURCE = "cn-table"
SUFFIXES = (".csv", ".xlsx", ".xls")

FIELDS: tuple[str, ...] = (
    "publication_number", "kind", "patent_type", "application_number",
    "filing_date", "publication_date", "grant_date", "priority_date",
    "title", "abstract",
    "applicants", "current_assignees", "applicant_type", "inventors",
    "applicant_address", "applicant_province_city", "applicant_province", "applicant_city",
    "applicant_country", "province_code",
    "ipc_main", "ipc", "cpc",
    "claims_count", "independent_claims_count", "reported_citations",
    "family_size", "family_members", "family_id", "legal_status", "cited_patents",
)  # fmt: skip
DATE_FIELDS = ("filing_date", "publication_date", "grant_date", "priority_date")
UNKNOWN_COLUMN = "unknown column (add it to a mapping file to load it)"

_HEADER_SEARCH_ROWS = 20
_GRANT_KINDS = frozenset("BCUS")
_CN_KIND_TYPES = {"A": "invention", "B": "invention", "C": "invention"}
_CN_KIND_TYPES |= {"U": "utility_model", "Y": "utility_model", "S": "design"}
_SEPARATORS = re.compile(r"[;；，、|\n\r]+")
_COMPANY_SUFFIX = re.compile(
    r"(inc|ltd|llc|l\.l\.c|co|corp|corporation|company|limited|gmbh|ag|kg|se|plc|"
    r"s\.a|s\.p\.a|sas|b\.v|n\.v|pte|pty|oy|ab|a/s|lp|l\.p)\b\.?",
    re.IGNORECASE,
)
_PUBLICATION = re.compile(r"([A-Z]{2})([A-Z]{0,2}?)0*(\d+)([A-Z]\d?)?")
# 12 digits since 2003 (year, type, serial), 8 before; then an optional check digit.
_CN_APPLICATION = re.compile(r"(\d{4}[1-9]\d{7}|\d{2}[1-9]\d{5})\.?[\dX]?")
_KIND = re.compile(r"[A-Z]\d?")

# GB/T 2260 province codes (the first two digits of 国省代码) and names.
PROVINCES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省",
    "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省",
    "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}  # fmt: skip
_MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
_PROVINCE_COUNTRY = {"台湾省": "TW", "香港特别行政区": "HK", "澳门特别行政区": "MO"}
_CITY = (re.compile(r"(.{1,7}?市)"), re.compile(r"(.{1,12}?(?:自治州|地区|盟))"))
_ORGANIZATION_MARK = re.compile(
    r"公司|集团|大学|学院|学校|研究院|研究所|研究中心|中心|实验室|厂|医院|银行|协会|委员会|局|"
    r"株式会社|合作社|事务所|\b(inc|ltd|llc|corp|corporation|company|limited|gmbh|ag|"
    r"university|institute|laboratories|co)\b",
    re.IGNORECASE,
)
_PERSON = re.compile(r"[\u4e00-\u9fff]{2,3}|[\u4e00-\u9fff]+·[\u4e00-\u9fff·]+")


# --------------------------------------------------------------------------- mapping


def normalize_header(text: str) -> str:
    """A header as the mapping compares it: half-width (NFKC), no spaces, Latin case-folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


@dataclass(frozen=True, eq=False)
class ColumnMapping(Mapping[str, str]):
    """Header -> field (headers compared normalised), plus the value tables of the mapping."""

    fields: dict[str, str]
    ignored: frozenset[str] = frozenset()
    patent_types: dict[str, str] = field(default_factory=dict)
    applicant_types: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, header: str) -> str:
        return self.fields[normalize_header(header)]

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def field_for(self, header: str) -> str | None:
        return self.fields.get(normalize_header(header))

    def is_ignored(self, header: str) -> bool:
        return normalize_header(header) in self.ignored

    def merged(self, extra: ColumnMapping) -> ColumnMapping:
        """This mapping with ``extra``'s entries added (``extra`` wins where both name a header)."""
        return ColumnMapping(
            {**self.fields, **extra.fields},
            (self.ignored - set(extra.fields)) | extra.ignored,
            {**self.patent_types, **extra.patent_types},
            {**self.applicant_types, **extra.applicant_types},
            {**self.countries, **extra.countries},
        )


def load_mapping(extra: Path | None = None) -> ColumnMapping:
    """The default mapping, extended by the user's mapping file ``extra`` when given."""
    text = resources.files("ipops.corpus.formats").joinpath("cn_table_mapping.toml")
    mapping = _parse_mapping(tomllib.loads(text.read_text("utf-8")), "cn_table_mapping.toml")
    if extra is None:
        return mapping
    try:
        document = tomllib.loads(extra.read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputFormatError(f"{extra}: not a readable TOML mapping file ({error})") from error
    return mapping.merged(_parse_mapping(document, str(extra)))


def _parse_mapping(document: dict[str, Any], source: str) -> ColumnMapping:
    known = set(document) - {"fields", "ignore", "patent_types", "applicant_types", "countries"}
    if known:
        raise InputFormatError(f"{source}: unknown section(s) {sorted(known)} in mapping file")
    fields: dict[str, str] = {}
    for name, headers in _table(document, "fields", source).items():
        if name not in FIELDS:
            raise InputFormatError(
                f"{source}: [fields] {name!r} is not a field ipops reads; use one of "
                + ", ".join(FIELDS)
            )
        for header in _strings(headers, f"[fields] {name}", source):
            fields[normalize_header(header)] = name
    ignore = _table(document, "ignore", source).get("headers", [])
    ignored = {normalize_header(h) for h in _strings(ignore, "[ignore] headers", source)}
    return ColumnMapping(
        fields,
        frozenset(ignored),
        _value_table(document, "patent_types", source),
        _value_table(document, "applicant_types", source),
        _value_table(document, "countries", source),
    )


def _table(document: dict[str, Any], name: str, source: str) -> dict[str, Any]:
    value = document.get(name, {})
    if not isinstance(value, dict):
        raise InputFormatError(f"{source}: [{name}] must be a table")
    return value


def _strings(value: Any, where: str, source: str) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InputFormatError(f"{source}: {where} must be a text or a list of texts")
    return values


def _value_table(document: dict[str, Any], name: str, source: str) -> dict[str, str]:
    table = _table(document, name, source)
    if not all(isinstance(v, str) for v in table.values()):
        raise InputFormatError(f"{source}: the values of [{name}] must be texts")
    return {normalize_header(k): v for k, v in table.items()}


# --------------------------------------------------------------------------- reading tables

RowSource = Callable[[], Iterator[tuple[int, list[Any]]]]  # rows numbered as in the sheet


@contextmanager
def _open_sheets(path: Path) -> Iterator[list[RowSource]]:
    """The sheets of a table file, each a source of (row number, cells)."""
    if not path.is_file():
        raise InputFormatError(f"{path}: no such file")
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"PK"):
        with _xlsx_sheets(path) as sheets:
            yield sheets
    elif magic.startswith(b"\xd0\xcf\x11\xe0"):
        with _xls_sheets(path) as sheets:
            yield sheets
    else:
        yield [lambda: _csv_rows(path)]


@contextmanager
def _xlsx_sheets(path: Path) -> Iterator[list[RowSource]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise InputFormatError(f"{path.name}: not a readable Excel workbook ({error})") from error

    def rows_of(sheet: Any) -> RowSource:
        return lambda: (
            (number, list(cells))
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
        )

    try:
        yield [rows_of(sheet) for sheet in workbook.worksheets]
    finally:
        workbook.close()


@contextmanager
def _xls_sheets(path: Path) -> Iterator[list[RowSource]]:
    try:
        import xlrd  # type: ignore[import-untyped]
    except ImportError as error:
        raise InputFormatError(
            f"{path.name}: an old Excel (.xls) workbook; save it as .xlsx or CSV, "
            "or install the xlrd package"
        ) from error
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as error:  # xlrd raises its own and struct errors for broken files
        raise InputFormatError(f"{path.name}: not a readable .xls workbook ({error})") from error

    def cell_value(cell: Any) -> Any:
        if cell.ctype == xlrd.XL_CELL_DATE:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        return cell.value

    def rows_of(index: int) -> RowSource:
        sheet = book.sheet_by_index(index)
        return lambda: (
            (number + 1, [cell_value(c) for c in sheet.row(number)])
            for number in range(sheet.nrows)
        )

    try:
        yield [rows_of(index) for index in range(book.nsheets)]
    finally:
        book.release_resources()


def text_encoding(path: Path) -> str:
    """utf-8-sig, utf-16 (with a BOM) or gb18030, judged from the first 64 KiB."""
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    encoding = text_encoding(path)
    number = 0
    try:
        with path.open(encoding=encoding, newline="") as handle:
            first_line = handle.readline()
            handle.seek(0)
            delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
            for number, cells in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
                yield number, list(cells)
    except UnicodeDecodeError as error:
        raise InputFormatError(
            f"{path.name}: not readable as {encoding} text after row {number}"
        ) from error
    except csv.Error as error:
        raise InputFormatError(f"{path.name}: not a CSV table ({error})") from error


# --------------------------------------------------------------------------- the header


@dataclass(frozen=True)
class Header:
    """The header row: which column holds which field, and the columns the mapping lacks."""

    row_number: int
    columns: tuple[tuple[int, str, str], ...]  # (index, header as written, field)
    unknown: tuple[str, ...]

    def header_of(self, name: str) -> str:
        return next((header for _, header, f in self.columns if f == name), name)


def read_header(cells: Sequence[Any], row_number: int, mapping: ColumnMapping) -> Header:
    columns: list[tuple[int, str, str]] = []
    unknown: list[str] = []
    for index, cell in enumerate(cells):
        header = cell_text(cell)
        if header is None or mapping.is_ignored(header):
            continue
        name = mapping.field_for(header)
        if name is None:
            unknown.append(header)
        else:
            columns.append((index, header, name))
    return Header(row_number, tuple(columns), tuple(unknown))


def _find_header(rows: Iterator[tuple[int, list[Any]]], mapping: ColumnMapping) -> Header | None:
    """The first row (of the first 20) with two or more known headers; None if there is none."""
    for number, cells in rows:
        header = read_header(cells, number, mapping)
        if len({name for _, _, name in header.columns}) >= 2:
            return header
        if number >= _HEADER_SEARCH_ROWS:
            return None
    return None


# --------------------------------------------------------------------------- public API


def looks_like(path: Path) -> bool:
    """A .csv/.xlsx/.xls file whose first rows hold at least two known headers."""
    if path.suffix.lower() not in SUFFIXES or not path.is_file():
        return False
    mapping = load_mapping()
    try:
        with _open_sheets(path) as sheets:
            return any(_find_header(sheet(), mapping) is not None for sheet in sheets)
    except Exception:  # a probe: any file it cannot read is simply not this format
        return False


def read_cn_table(
    path: Path, *, mapping_file: Path | None = None, chunk_size: int = 10_000
) -> Iterator[Chunk]:
    """Canonical rows of a Chinese patent database export, ``chunk_size`` rows a chunk."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    mapping = load_mapping(mapping_file)
    with _open_sheets(path) as sheets:
        for sheet in sheets:
            rows = sheet()
            header = _find_header(rows, mapping)
            if header is not None:
                yield from _read_rows(rows, header, path.name, mapping, chunk_size)
                return
    raise InputFormatError(
        f"{path.name}: not a patent table: no header row with two known columns in the first "
        f"{_HEADER_SEARCH_ROWS} rows (see docs/corpus-cn-table.md, or add a mapping file)"
    )


def _read_rows(
    rows: Iterator[tuple[int, list[Any]]],
    header: Header,
    file: str,
    mapping: ColumnMapping,
    chunk_size: int,
) -> Iterator[Chunk]:
    if not any(name == "publication_number" for _, _, name in header.columns):
        found = ", ".join(h for _, h, _ in header.columns)
        raise InputFormatError(
            f"{file}: no publication-number column (公开（公告）号) in the header row "
            f"{header.row_number} (known columns: {found})"
        )
    context = RowContext(file, header, mapping)
    rejects = [Reject(file, "header", h, UNKNOWN_COLUMN) for h in header.unknown]
    documents: dict[str, dict[str, list[Row]]] = {}
    rejected_records = 0
    for number, cells in rows:
        record = context.record(cells)
        if not record:
            continue  # an empty row
        result = parse_record(record, number, context)
        if isinstance(result, Reject):
            rejects.append(result)
            rejected_records += 1
        else:
            _keep_preferred(documents, result[0])
            rejects.extend(result[1])
    yield from _chunks(list(documents.values()), rejects, rejected_records, chunk_size)


def _keep_preferred(
    documents: dict[str, dict[str, list[Row]]], document: dict[str, list[Row]]
) -> None:
    """One record per patent: an A and a B publication of one application share the id;
    the grant (B/C/U/S) wins, otherwise the later row."""
    patent = document["patents"][0]
    kept = documents.get(patent["patent_id"])
    if (
        kept is None
        or patent.get("doc_type") == "grant"
        or (kept["patents"][0].get("doc_type") != "grant")
    ):
        documents[patent["patent_id"]] = document


def _chunks(
    documents: list[dict[str, list[Row]]],
    rejects: list[Reject],
    rejected_records: int,
    chunk_size: int,
) -> Iterator[Chunk]:
    first = Chunk(rejects=rejects, records_read=rejected_records, records_rejected=rejected_records)
    chunk = first
    for document in documents:
        chunk.add_document(document)
        if chunk.records_read >= chunk_size:
            yield chunk
            chunk = Chunk()
    if chunk.records_read or chunk.rejects or chunk is first:
        yield chunk


# --------------------------------------------------------------------------- one row


@dataclass(frozen=True)
class Cell:
    header: str
    value: Any

    @property
    def text(self) -> str | None:
        return cell_text(self.value)


@dataclass(frozen=True)
class RowContext:
    file: str
    header: Header
    mapping: ColumnMapping

    def record(self, cells: Sequence[Any]) -> dict[str, Cell]:
        """The row's non-empty cells by field (the first column wins when two name a field)."""
        record: dict[str, Cell] = {}
        for index, header, name in self.header.columns:
            value = cells[index] if index < len(cells) else None
            if name not in record and cell_text(value) is not None:
                record[name] = Cell(header, value)
        return record

    def reject(self, number: int, field_name: str, reason: str, record: str | None) -> Reject:
        return Reject(self.file, f"row {number}", field_name, reason, record)


Document = dict[str, list[Row]]


def parse_record(
    record: dict[str, Cell], number: int, context: RowContext
) -> tuple[Document, list[Reject]] | Reject:
    """The canonical rows of one spreadsheet row and its minor rejects, or the row's Reject."""
    publication = record.get("publication_number")
    if publication is None:
        header = context.header.header_of("publication_number")
        return context.reject(number, header, "missing publication number", None)
    parsed = parse_publication_number(publication.text or "")
    if parsed is None:
        reason = f"not a publication number: {publication.text!r}"
        return context.reject(number, publication.header, reason, publication.text)
    office, doc_number, kind = parsed
    patent_id = office + doc_number
    dates: dict[str, date | None] = {}
    for name in DATE_FIELDS:
        cell = record.get(name)
        try:
            dates[name] = parse_date(cell.value) if cell else None
        except ValueError as error:
            assert cell is not None
            return context.reject(number, cell.header, str(error), patent_id)
    kind_text = (_text(record, "kind") or "").upper()
    kind = kind or (kind_text if _KIND.fullmatch(kind_text) else None)
    notes: list[Reject] = []

    def note(cell: Cell, reason: str) -> None:
        notes.append(context.reject(number, cell.header, reason, patent_id))

    document: Document = {table: [] for table in TABLE_NAMES}
    application = _application_row(record, patent_id, office, dates["filing_date"])
    document["patents"] = [
        _patent_row(
            record, context.mapping, patent_id, office, doc_number, kind, dates, application
        )
    ]
    document["applications"] = [application] if application else []
    document["parties"] = _party_rows(record, context.mapping, patent_id)
    document["inventors"] = [
        {"patent_id": patent_id, "sequence": n, "name": name}
        for n, name in enumerate(split_names(_text(record, "inventors")))
    ]
    document["classifications"] = _classification_rows(record, patent_id, note)
    document["citations"] = _citation_rows(record, patent_id, note)
    return document, notes


# --------------------------------------------------------------------------- values


def cell_text(value: Any) -> str | None:
    """A cell as stripped text (whole numbers without ``.0``, dates ISO); None when empty."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _text(record: dict[str, Cell], name: str) -> str | None:
    cell = record.get(name)
    return cell.text if cell else None


_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+[\d:.]*)?"
)
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any) -> date | None:
    """A date from a cell; None when empty. ValueError (with the reason) when impossible."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", text)
    match = _DATE_TEXT.fullmatch(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise ValueError(f"impossible date {text!r}") from None
    if re.fullmatch(r"\d{5}(\.0+)?", text) and 20_000 <= float(text) <= 80_000:
        return _EXCEL_EPOCH + timedelta(days=int(float(text)))  # an Excel day number
    raise ValueError(f"not a date: {text!r}")


def parse_count(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(float(text.replace(",", "")))
    except ValueError:
        return None


def parse_publication_number(text: str) -> tuple[str, str, str | None] | None:
    """(office, number without leading zeros, kind or None).

    ``CN102345678A`` -> (CN, 102345678, A); ``USD0812345S`` -> (US, D812345, S).
    """
    compact = re.sub(r"[\s\-./]", "", unicodedata.normalize("NFKC", text).upper())
    match = _PUBLICATION.fullmatch(compact)
    if match is None:
        return None
    office, letters, digits, kind = match.groups()
    return office, letters + digits, kind


def parse_application_number(text: str, office: str) -> tuple[str, str] | None:
    """(office, number): ``201910123456.7`` -> CN, 201910123456 (the check digit dropped)."""
    compact = re.sub(r"\s", "", unicodedata.normalize("NFKC", text).upper())
    prefix = re.match(r"(ZL|[A-Z]{2})", compact)
    if prefix:
        office = office if prefix[1] == "ZL" else prefix[1]
        compact = compact[len(prefix[1]) :]
    if office == "CN":
        match = _CN_APPLICATION.fullmatch(compact)
        return (office, match[1]) if match else None
    number = re.sub(r"[^0-9A-Z]", "", compact)
    return (office, number) if number else None


def split_values(text: str | None) -> list[str]:
    """The values of a multi-valued cell, split at ; ； , ， 、 | and line breaks."""
    if text is None:
        return []
    return [part.strip() for part in re.split(r"[;；,，、|\n\r]+", text) if part.strip()]


def split_names(text: str | None) -> list[str]:
    """Like ``split_values``, but a comma before a company suffix (", Ltd.") stays in the name."""
    names: list[str] = []
    for part in _SEPARATORS.split(text or ""):
        part_names: list[str] = []
        for piece in (piece.strip() for piece in part.split(",")):
            if piece and part_names and _COMPANY_SUFFIX.match(piece):
                part_names[-1] = f"{part_names[-1]}, {piece}"
            elif piece:
                part_names.append(piece)
        names.extend(part_names)
    return names


def _lookup(table: Mapping[str, str], text: str | None) -> str | None:
    """The value of the key equal to the text, else of the longest key the text contains."""
    if text is None:
        return None
    key = normalize_header(text)
    if key in table:
        return table[key]
    contained = [k for k in table if k and k in key]
    return table[max(contained, key=len)] if contained else None


# --------------------------------------------------------------------------- places


def place_from_address(address: str | None) -> tuple[str | None, str | None]:
    """(province, city) at the start of a Chinese address: 江苏省南京市... -> 江苏省, 南京市."""
    if not address:
        return None, None
    text = re.sub(r"^[\d\s]+", "", unicodedata.normalize("NFKC", address)).strip()
    text = re.sub(r"^(中华人民共和国|中国)", "", text)
    province, rest = _leading_province(text)
    if province in _MUNICIPALITIES:
        return province, province
    return province, _leading_city(rest)


def _leading_province(text: str) -> tuple[str | None, str]:
    for name in sorted(PROVINCES.values(), key=len, reverse=True):
        for written in (name, _short_province(name)):
            if text.startswith(written):
                return name, text[len(written) :]
    return None, text


def _short_province(name: str) -> str:
    for ending in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
        if name.endswith(ending):
            return name[: -len(ending)]
    return name


def _leading_city(text: str) -> str | None:
    for pattern in _CITY:
        match = pattern.match(text)
        if match:
            return match[1]
    return None


def _province_city_cell(text: str | None) -> tuple[str | None, str | None]:
    """申请人省市 such as ``江苏;南京``, ``广东省 珠海市`` or ``江苏省南京市``."""
    parts = [p for p in re.split(r"[;；,，、/\s]+", text or "") if p]
    if len(parts) >= 2:
        province, _ = _leading_province(parts[0])
        if province is None:
            return None, None
        city = parts[1] if re.search(r"(市|州|盟|地区)$", parts[1]) else parts[1] + "市"
        return province, province if province in _MUNICIPALITIES else city
    return place_from_address(parts[0] if parts else None)


def _province_code(text: str | None) -> tuple[str | None, str | None]:
    """(province, country) from 国省代码.

    ``32`` or ``江苏;32`` -> (江苏省, CN); ``JP`` -> (None, JP).
    """
    if not text:
        return None, None
    code = re.search(r"\b(\d{2})\b", unicodedata.normalize("NFKC", text))
    if code and code[1] in PROVINCES:
        province = PROVINCES[code[1]]
        return province, _PROVINCE_COUNTRY.get(province, "CN")
    letters = re.fullmatch(r"[A-Za-z]{2}", text.strip())
    return None, letters[0].upper() if letters else None


def applicant_place(record: dict[str, Cell], mapping: ColumnMapping) -> Row:
    """Address, state (province), city and country of the first applicant."""
    address = _text(record, "applicant_address")
    candidates = [
        (_province_name(_text(record, "applicant_province")), _text(record, "applicant_city")),
        _province_city_cell(_text(record, "applicant_province_city")),
        place_from_address(address),
    ]
    state = next((s for s, _ in candidates if s), None)
    city = next((c for _, c in candidates if c), None)
    code_province, code_country = _province_code(_text(record, "province_code"))
    state = state or code_province
    country = _country(_text(record, "applicant_country"), mapping) or code_country
    if country is None and state is not None:
        country = _PROVINCE_COUNTRY.get(state, "CN")
    return {"address": address, "state": state, "city": city, "country": country}


def _province_name(text: str | None) -> str | None:
    province, _ = _leading_province(unicodedata.normalize("NFKC", text or "").strip())
    return province or (text or None)


def _country(text: str | None, mapping: ColumnMapping) -> str | None:
    if not text:
        return None
    if re.fullmatch(r"[A-Za-z]{2}", text.strip()):
        return text.strip().upper()
    return _lookup(mapping.countries, text)


# --------------------------------------------------------------------------- canonical rows


def _patent_row(
    record: dict[str, Cell],
    mapping: ColumnMapping,
    patent_id: str,
    office: str,
    number: str,
    kind: str | None,
    dates: dict[str, date | None],
    application: Row | None,
) -> Row:
    patent_type = _lookup(mapping.patent_types, _text(record, "patent_type"))
    if patent_type is None and office == "CN" and kind:
        patent_type = _CN_KIND_TYPES.get(kind[0])
    is_grant = _is_grant(office, kind, dates["grant_date"], patent_type, record)
    family = split_values(_text(record, "family_members"))
    family_size = parse_count(_text(record, "family_size"))
    return {
        "patent_id": patent_id,
        "office": office,
        "number": number,
        "kind": kind,
        "doc_type": "grant" if is_grant else "application",
        "patent_type": patent_type,
        "application_id": application["application_id"] if application else None,
        "title": _text(record, "title"),
        "abstract": _text(record, "abstract"),
        "filing_date": dates["filing_date"],
        "priority_date": dates["priority_date"],
        "publication_date": dates["publication_date"],
        "grant_date": dates["grant_date"] or (dates["publication_date"] if is_grant else None),
        "claims_count": parse_count(_text(record, "claims_count")),
        "independent_claims_count": parse_count(_text(record, "independent_claims_count")),
        "family_id": _text(record, "family_id"),
        "family_size": family_size if family_size is not None else (len(family) or None),
        "reported_citations": parse_count(_text(record, "reported_citations")),
        "legal_status": _text(record, "legal_status"),
        "generated": False,
        "source": SOURCE,
    }


def _is_grant(
    office: str,
    kind: str | None,
    grant_date: date | None,
    patent_type: str | None,
    record: dict[str, Cell],
) -> bool:
    if kind:
        return kind[0] in _GRANT_KINDS or (office == "CN" and kind[0] == "Y")
    if grant_date is not None or patent_type in ("utility_model", "design"):
        return True
    return "授权" in (_text(record, "patent_type") or "")


def _application_row(
    record: dict[str, Cell], patent_id: str, office: str, filing_date: date | None
) -> Row | None:
    text = _text(record, "application_number")
    parsed = parse_application_number(text, office) if text else None
    if parsed is None:
        return None
    application_office, number = parsed
    return {
        "application_id": application_office + number,
        "office": application_office,
        "number": number,
        "filing_date": filing_date,
        "patent_id": patent_id,
        "generated": False,
    }


def _party_rows(record: dict[str, Cell], mapping: ColumnMapping, patent_id: str) -> list[Row]:
    applicant_types = split_values(_text(record, "applicant_type"))
    rows: list[Row] = []
    for role, name_field in (("applicant", "applicants"), ("assignee", "current_assignees")):
        for sequence, name in enumerate(split_names(_text(record, name_field))):
            declared = applicant_types[sequence] if sequence < len(applicant_types) else None
            row: Row = {
                "patent_id": patent_id,
                "sequence": sequence,
                "role": role,
                "name": name,
                "party_type": _party_type(name, declared if role == "applicant" else None, mapping),
            }
            if role == "applicant" and sequence == 0:
                row |= applicant_place(record, mapping)
            rows.append(row)
    return rows


def _party_type(name: str, declared: str | None, mapping: ColumnMapping) -> str | None:
    """organization | individual: from 申请人类型 when given, else from the name."""
    typed = _lookup(mapping.applicant_types, declared)
    if typed:
        return typed
    if _ORGANIZATION_MARK.search(name):
        return "organization"
    if _PERSON.fullmatch(name):
        return "individual"
    return None


def _classification_rows(
    record: dict[str, Cell], patent_id: str, note: Callable[[Cell, str], None]
) -> list[Row]:
    rows: list[Row] = []
    for scheme, fields in (("IPC", ("ipc_main", "ipc")), ("CPC", ("cpc",))):
        symbols: list[str] = []
        for name in fields:
            cell = record.get(name)
            for text in split_values(cell.text if cell else None):
                symbol = normalize_symbol(text)
                if symbol is None:
                    assert cell is not None
                    note(cell, f"not a classification symbol: {text!r} (left out)")
                elif symbol not in symbols:
                    symbols.append(symbol)
        rows.extend(
            {
                "patent_id": patent_id,
                "scheme": scheme,
                "sequence": sequence,
                "symbol": symbol,
                "subclass": subclass_of(symbol),
                "main_group": main_group_of(symbol),
                "is_main": sequence == 0,
            }
            for sequence, symbol in enumerate(symbols)
        )
    return rows


def _citation_rows(
    record: dict[str, Cell], patent_id: str, note: Callable[[Cell, str], None]
) -> list[Row]:
    cell = record.get("cited_patents")
    rows: list[Row] = []
    for text in split_values(cell.text if cell else None):
        parsed = parse_publication_number(text)
        if parsed is None:
            assert cell is not None
            note(cell, f"not a publication number: {text!r} (citation left out)")
            continue
        office, number, kind = parsed
        rows.append(
            {
                "patent_id": patent_id,
                "sequence": len(rows),
                "category": "patent",
                "cited_office": office,
                "cited_number": number,
                "cited_kind": kind,
                "cited_patent_id": office + number,
            }
        )
    return rows
