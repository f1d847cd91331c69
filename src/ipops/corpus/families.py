"""Patent family tables (DOCDB / INPADOC style) -> ``families`` rows.

A family table lists, one row per member publication, the family it belongs to. EPO's
DOCDB simple family (same priorities) and INPADOC extended family (linked by any shared
priority) are the usual sources (EPO OPS ``family`` service, PATSTAT ``tls201_appln``
``docdb_family_id``/``inpadoc_family_id`` joined to ``tls211_pat_publn``, Lens.org and
commercial exports). ipops reads a CSV (comma, semicolon or tab separated, UTF-8 with or
without BOM) whose header names these columns (case and spaces ignored):

=====================  ========  ======================================================
column                 required  accepted names
=====================  ========  ======================================================
family id              yes       family_id, docdb_family_id, inpadoc_family_id,
                                 simple_family_id, extended_family_id, family, 同族号,
                                 同族ID
publication            yes       publication, publication_number, publication_no,
                                 pub_number, 公开号, 公开（公告）号, 公告号
office                 no        office, country, publication_authority, authority,
                                 受理局 (else the publication's first two letters)
kind                   no        kind, kind_code, publication_kind (else the letter(s)
                                 after the number: ``EP1234567A1`` -> ``A1``)
filing date            no        filing_date, application_date, appln_filing_date, 申请日
publication date       no        publication_date, publn_date, 公开日, 公告日
family type            no        family_type (docdb | inpadoc | other)
=====================  ========  ======================================================

Other columns are ignored. Dates are ``YYYY-MM-DD``, ``YYYY/MM/DD`` or ``YYYYMMDD``.
``family_type`` comes from the column, else from a ``docdb_``/``inpadoc_`` family column
name, else from the ``family_type`` argument (``--family-type``), else ``other``.

``patent_id`` follows the corpus rule (office + number without kind code, spaces,
punctuation or leading zeros; US letter prefixes kept): ``EP 1 234 567 A1`` -> ``EP1234567``,
``US 8,420,883 B2`` -> ``US8420883``, ``USD0512345S`` -> ``USD512345``,
``US 2013/0012345 A1`` -> ``US20130012345``, ``CN102345678A`` -> ``CN102345678``.

Rejects (the good rows still load): a row without family id or publication, a publication
that is not an office code followed by a number, an impossible date.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from ipops.corpus.records import Chunk, Reject, chunked
from ipops.corpus.schema import Row
from ipops.errors import InputFormatError, ValidationError

FAMILY_TYPES = ("docdb", "inpadoc", "other")
SOURCE = "family-table"

_COLUMNS: dict[str, tuple[str, ...]] = {
    "family_id": (
        "family_id",
        "docdb_family_id",
        "inpadoc_family_id",
        "simple_family_id",
        "extended_family_id",
        "family",
        "同族号",
        "同族id",
    ),
    "publication": (
        "publication",
        "publication_number",
        "publication_no",
        "pub_number",
        "公开号",
        "公开（公告）号",
        "公告号",
    ),
    "office": ("office", "country", "publication_authority", "authority", "受理局"),
    "kind": ("kind", "kind_code", "publication_kind"),
    "filing_date": ("filing_date", "application_date", "appln_filing_date", "申请日"),
    "publication_date": ("publication_date", "publn_date", "公开日", "公告日"),
    "family_type": ("family_type",),
}
_REQUIRED = ("family_id", "publication")
_PUBLICATION = re.compile(
    r"(?P<office>[A-Z]{2})(?P<prefix>D|RE|PP|H|T)?(?P<number>\d[\d/]*?)(?P<kind>[A-Z]\d?)?"
)
_DATE = re.compile(r"(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})")


def read_family_table(
    path: Path, *, family_type: str | None = None, chunk_size: int = 50_000
) -> Iterator[Chunk]:
    """``families`` rows of a family table, ``chunk_size`` rows a chunk; see the module doc."""
    if family_type is not None and family_type not in FAMILY_TYPES:
        raise ValidationError(
            f"unknown family type {family_type!r}; use one of {', '.join(FAMILY_TYPES)}",
            field="family-type",
        )
    yield from chunked(_rows(path, family_type), chunk_size)


def _rows(path: Path, family_type: str | None) -> Iterator[dict[str, list[Row]] | Reject]:
    text = _read_text(path)
    lines = text.splitlines()
    if not lines:
        raise InputFormatError(f"{path.name}: the file is empty", field="path")
    delimiter = max((",", ";", "\t"), key=lines[0].count)
    reader = csv.reader(lines, delimiter=delimiter)
    header = [_key(name) for name in next(reader)]
    where = _locate_columns(path, header)
    default_type = family_type or _type_from_header(header, where["family_id"]) or "other"
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        fields = {
            name: (values[index].strip() or None) if index < len(values) else None
            for name, index in where.items()
            if index is not None
        }
        yield _family_row(fields, default_type, path.name, number)


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise InputFormatError(f"{path}: no such file", field="path")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return codecs.decode(data, "gb18030")
        except UnicodeDecodeError as error:
            raise InputFormatError(
                f"{path.name}: not UTF-8 or GB18030 text", field="path"
            ) from error


def _key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lstrip("\ufeff").lower())


def _locate_columns(path: Path, header: list[str]) -> dict[str, int | None]:
    where: dict[str, int | None] = {}
    for column, names in _COLUMNS.items():
        where[column] = next((header.index(name) for name in names if name in header), None)
    missing = [column for column in _REQUIRED if where[column] is None]
    if missing:
        accepted = "; ".join(f"{c}: {', '.join(_COLUMNS[c])}" for c in missing)
        raise InputFormatError(
            f"{path.name}: not a family table: no column for {', '.join(missing)} "
            f"(accepted names — {accepted})",
            field="path",
        )
    return where


def _type_from_header(header: list[str], family_column: int | None) -> str | None:
    name = header[family_column] if family_column is not None else ""
    for family_type in ("docdb", "inpadoc"):
        if name.startswith(family_type):
            return family_type
    return None


def _family_row(
    fields: dict[str, str | None], default_type: str, file: str, line: int
) -> dict[str, list[Row]] | Reject:
    where = f"line {line}"
    family_id, publication = fields.get("family_id"), fields.get("publication")
    if family_id is None:
        return Reject(file, where, "family_id", "missing family id", publication)
    if publication is None:
        return Reject(file, where, "publication", "missing publication number", family_id)
    parsed = parse_publication(publication, fields.get("office"))
    if parsed is None:
        reason = f"not an office code followed by a number: {publication!r}"
        return Reject(file, where, "publication", reason, publication)
    office, number, kind = parsed
    dates: dict[str, date | None] = {}
    for column in ("filing_date", "publication_date"):
        raw = fields.get(column)
        dates[column] = parse_date(raw)
        if raw is not None and dates[column] is None:
            return Reject(file, where, column, f"impossible date {raw!r}", publication)
    family_type = (fields.get("family_type") or default_type).lower()
    if family_type not in FAMILY_TYPES:
        family_type = "other"
    row: Row = {
        "family_id": family_id,
        "family_type": family_type,
        "patent_id": office + number,
        "office": office,
        "number": number,
        "kind": fields.get("kind") or kind,
        "filing_date": dates["filing_date"],
        "publication_date": dates["publication_date"],
        "source": SOURCE,
    }
    return {"families": [row]}


def parse_publication(text: str, office: str | None = None) -> tuple[str, str, str | None] | None:
    """(office, number, kind) of a publication number written in any of the usual ways."""
    compact = re.sub(r"[\s,.\-]", "", text.upper())
    if office and not compact.startswith(office.strip().upper()):
        compact = office.strip().upper() + compact
    match = _PUBLICATION.fullmatch(compact)
    if match is None:
        return None
    digits = match["number"].replace("/", "").lstrip("0") or "0"
    return match["office"], (match["prefix"] or "") + digits, match["kind"]


def parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    match = _DATE.fullmatch(text.strip()[:10])
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
