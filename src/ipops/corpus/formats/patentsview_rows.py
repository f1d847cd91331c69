"""PatentsView table files and rows: opening a table (plain or zipped TSV), its header, its
batches of trimmed strings, and the canonical rows built from one table's fields.

The bottom layer of the PatentsView readers: ``patentsview`` (granted patents),
``patentsview_pregrant`` (pre-grant publications) and ``patentsview_dates`` (dates of citing
patents) build on it; it imports none of them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ipops.corpus.classification import (
    main_group_of,
    normalize_symbol,
    subclass_of,
    symbol_from_parts,
)
from ipops.corpus.records import Reject
from ipops.corpus.schema import Row
from ipops.errors import InputFormatError

SOURCE = "patentsview"


@dataclass(frozen=True)
class TableColumns:
    """The columns of one PatentsView table that this reader needs, and those it uses if present."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def used(self) -> tuple[str, ...]:
        return self.required + self.optional


LOCATION_COLUMNS = ("disambig_city", "disambig_state", "disambig_country", "latitude", "longitude")


_US_NUMBER = re.compile(r"([A-Z]{0,2})0*(\d+)")


_NULL_TEXTS = ["", "NULL"]


_PATENT_TYPES = {
    "utility": "utility",
    "design": "design",
    "plant": "plant",
    "reissue": "reissue",
    "defensive publication": "defensive_publication",
    "statutory invention registration": "sir",
}


_CITED_BY = {
    "cited by examiner": "examiner",
    "cited by applicant": "applicant",
    "cited by other": "other",
    "cited by third party": "other",
}


@contextmanager
def _open_binary(path: Path) -> Iterator[IO[bytes]]:
    """The table's bytes: the file itself, or the TSV inside a zip."""
    if path.suffix.lower() != ".zip":
        with path.open("rb") as handle:
            yield handle
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise InputFormatError(f"{path.name}: not a readable zip file ({error})") from error
    with archive:
        members = [m for m in archive.namelist() if not m.endswith("/")]
        tsvs = [m for m in members if m.lower().endswith(".tsv")] or members
        if len(tsvs) != 1:
            raise InputFormatError(f"{path.name}: expected one .tsv inside, found {len(tsvs)}")
        with archive.open(tsvs[0]) as handle:
            yield handle


def read_header(path: Path) -> list[str]:
    """The column names on the first line of a table file."""
    with _open_binary(path) as handle:
        first_line = handle.readline()
    try:
        text = first_line.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputFormatError(f"{path.name}: the header is not UTF-8 text") from error
    row = next(csv.reader(io.StringIO(text), delimiter="\t"), [])
    return [name.strip() for name in row]


class InvalidRows:
    """Collects rows with the wrong number of fields as rejects, and skips them."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.rejects: list[Reject] = []

    def __call__(self, row: Any) -> str:
        where = f"line {row.number}" if row.number is not None else "a row (line unknown)"
        self.rejects.append(
            Reject(
                self.file,
                where,
                None,
                f"expected {row.expected_columns} fields, found {row.actual_columns}",
                record=(row.text or "")[:40] or None,
            )
        )
        return "skip"


def record_batches(
    path: Path, header: Sequence[str], columns: Sequence[str], invalid: InvalidRows
) -> Iterator[pa.RecordBatch]:
    """The chosen columns as trimmed strings (empty -> null), plus ``rn``: the row number."""
    with _open_binary(path) as handle:
        reader = pacsv.open_csv(
            handle,
            read_options=pacsv.ReadOptions(block_size=8 << 20),
            parse_options=pacsv.ParseOptions(
                delimiter="\t", newlines_in_values=True, invalid_row_handler=invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                include_columns=list(columns),
                null_values=_NULL_TEXTS,
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
        offset = 0
        for batch in reader:
            arrays = [_trimmed(column) for column in batch.columns]
            numbers = pa.array(range(offset + 1, offset + batch.num_rows + 1), pa.int64())
            offset += batch.num_rows
            yield pa.RecordBatch.from_arrays([*arrays, numbers], names=[*columns, "rn"])


def _trimmed(column: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def stage_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    path: Path,
    header: Sequence[str],
    columns: TableColumns,
    renamed: dict[str, str] | None = None,
) -> list[Reject]:
    """Copy a table file's used columns (as trimmed strings, plus ``rn``) into DuckDB table
    ``table``, ``renamed`` columns under their new names and missing optional columns as
    nulls; the rows with the wrong number of fields are returned as rejects."""
    present = [column for column in columns.used if column in header]
    invalid = InvalidRows(path.name)
    schema = pa.schema([(c, pa.string()) for c in present] + [("rn", pa.int64())])
    batches = record_batches(path, header, present, invalid)
    con.register("incoming", pa.RecordBatchReader.from_batches(schema, batches))
    names = ", ".join(
        f"{c} AS {(renamed or {})[c]}" if c in (renamed or {}) else c for c in present
    )
    try:
        con.execute(f"CREATE TABLE {table} AS SELECT {names}, rn FROM incoming").fetchall()
    except (duckdb.Error, pa.ArrowException) as error:
        raise InputFormatError(f"{path.name}: cannot be read as a TSV table ({error})") from error
    finally:
        con.unregister("incoming")
    for column in columns.used:
        if column not in present:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {column} VARCHAR").fetchall()
    return invalid.rejects


def configure(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    con.execute("SET threads = 2").fetchall()
    con.execute("SET memory_limit = '1GB'").fetchall()
    con.execute("SET temp_directory = ?", [str(folder / "spill")]).fetchall()
    con.execute("SET preserve_insertion_order = true").fetchall()


def by_patent(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["patent_id"]].append(row)
    return grouped


def us_number(text: str | None) -> str | None:
    """A US patent number without leading zeros: ``"D0512345"`` -> ``"D512345"``."""
    if text is None:
        return None
    match = _US_NUMBER.fullmatch(re.sub(r"[\s,]", "", text.upper()))
    if match is None:
        return None
    return match[1] + match[2]


def parse_iso_date(text: str | None) -> date | None:
    """A ``YYYY-MM-DD`` date; None when empty or impossible (callers tell the two apart)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_cited_date(text: str | None) -> date | None:
    """A cited document's date; ``00`` for an unknown month or day reads as the first one.

    ``1997-00-00`` -> 1997-01-01 and ``1997-05-00`` -> 1997-05-01, as the USPTO XML reader does.
    """
    if text is None:
        return None
    parts = text[:10].split("-")
    if len(parts) == 3 and parts[1] == "00":
        parts[1:] = ["01", "01"]
    elif len(parts) == 3 and parts[2] == "00":
        parts[2] = "01"
    return parse_iso_date("-".join(parts))


def ipc_version(text: str | None) -> str | None:
    """The IPC version as ``"2006.01"`` (PatentsView writes the date ``2006-01-01``)."""
    if text is None:
        return None
    match = re.fullmatch(r"(\d{4})-?(\d{2})(?:-?\d{2})?", text)
    return f"{match[1]}.{match[2]}" if match else text


def int_value(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(float(text))
    except ValueError:
        return None


def _float(text: str | None, limit: float) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if -limit <= value <= limit else None


def _joined(*parts: str | None) -> str | None:
    text = " ".join(part for part in parts if part)
    return text or None


def patent_row(
    patent: dict[str, Any],
    patent_id: str,
    number: str,
    abstract: str | None,
    application: Row | None,
) -> Row:
    grant_date = parse_iso_date(patent["patent_date"])
    raw_type = (patent["patent_type"] or "").lower()
    return {
        "patent_id": patent_id,
        "office": "US",
        "number": number,
        "kind": patent["wipo_kind"],
        "doc_type": "grant",
        "patent_type": _PATENT_TYPES.get(raw_type, raw_type.replace(" ", "_") or None),
        "application_id": application["application_id"] if application else None,
        "title": patent["patent_title"],
        "abstract": abstract,
        "filing_date": application["filing_date"] if application else None,
        "publication_date": grant_date,
        "grant_date": grant_date,
        "claims_count": int_value(patent["num_claims"]),
        "legal_status": "withdrawn" if patent["withdrawn"] in ("1", "true", "True") else None,
        "generated": False,
        "source": SOURCE,
    }


def application_row(row: dict[str, Any], patent_id: str) -> Row | None:
    number = re.sub(r"[^0-9A-Z]", "", (row["application_id"] or "").upper())
    if not number:
        return None
    return {
        "application_id": "US" + number,
        "office": "US",
        "number": number,
        "filing_date": parse_iso_date(row["filing_date"]),
        "application_type": application_type(row["patent_application_type"]),
        "series_code": row["series_code"],
        "patent_id": patent_id,
        "generated": False,
    }


def application_type(code: str | None) -> str | None:
    """The application type from the dictionary's series code (``"29"`` -> design)."""
    if code is None:
        return None
    if not code.isdigit():
        return code.lower()
    value = int(code)
    if 1 <= value <= 28:
        return "utility"
    named = {29: "design", 35: "international_design", 90: "ex_parte_reexamination"}
    named |= {95: "inter_partes_reexamination", 96: "supplemental_examination"}
    if 60 <= value <= 62:
        return "provisional"
    return named.get(value, code)


def _place(row: dict[str, Any]) -> Row:
    latitude = _float(row.get("place_latitude"), 90.0)
    longitude = _float(row.get("place_longitude"), 180.0)
    located = latitude is not None and longitude is not None
    country = row.get("place_disambig_country")
    return {
        "city": row.get("place_disambig_city"),
        "state": row.get("place_disambig_state"),
        "country": country.upper() if country else None,
        "latitude": latitude if located else None,
        "longitude": longitude if located else None,
        "geo_source": "source" if located else None,
    }


def inventor_row(row: dict[str, Any], patent_id: str, sequence: int) -> Row:
    first = row["disambig_inventor_name_first"]
    last = row["disambig_inventor_name_last"]
    return {
        "patent_id": patent_id,
        "sequence": sequence,
        "name": _joined(first, last),
        "first_name": first,
        "last_name": last,
        **_place(row),
    }


def assignee_row(row: dict[str, Any], patent_id: str, sequence: int) -> Row:
    organization = row["disambig_assignee_organization"]
    person = _joined(
        row["disambig_assignee_individual_name_first"],
        row["disambig_assignee_individual_name_last"],
    )
    return {
        "patent_id": patent_id,
        "sequence": sequence,
        "role": "assignee",
        "name": organization or person,
        "party_type": _party_type(organization, person, row["assignee_type"]),
        **_place(row),
    }


def _party_type(organization: str | None, person: str | None, code: str | None) -> str | None:
    """organization | individual, from the names, else the dictionary's assignee_type code."""
    if organization:
        return "organization"
    if person:
        return "individual"
    kind = (code or "").lstrip("1") or code  # a leading "1" only marks a part interest
    if kind in ("4", "5"):
        return "individual"
    if kind in ("2", "3", "6", "7", "8", "9"):
        return "organization"
    return None


def _classification(
    patent_id: str, scheme: str, sequence: int, symbol: str, is_main: bool | None
) -> Row:
    return {
        "patent_id": patent_id,
        "scheme": scheme,
        "sequence": sequence,
        "symbol": symbol,
        "subclass": subclass_of(symbol),
        "main_group": main_group_of(symbol),
        "is_main": is_main,
    }


def cpc_rows(rows: list[dict[str, Any]], patent_id: str) -> list[Row]:
    result: list[Row] = []
    for row in rows:
        symbol = normalize_symbol(row["cpc_group"])
        if symbol is None:
            continue
        sequence = len(result)
        position_code = row["cpc_symbol_position"]
        is_main = position_code == "F" if position_code else sequence == 0
        value = (row["cpc_type"] or "").lower()
        classification = _classification(patent_id, "CPC", sequence, symbol, is_main)
        classification["value"] = "inventive" if value.startswith("invent") else value or None
        result.append(classification)
    return result


def ipc_rows(rows: list[dict[str, Any]], patent_id: str) -> list[Row]:
    result: list[Row] = []
    for row in rows:
        symbol = symbol_from_parts(
            row["section"], row["ipc_class"], row["subclass"], row["main_group"], row["subgroup"]
        )
        if symbol is None:
            continue
        sequence = len(result)
        position_code = row["symbol_position"]
        is_main = position_code == "F" if position_code else sequence == 0
        value = {"I": "inventive", "N": "additional"}.get(row["classification_value"] or "")
        classification = _classification(patent_id, "IPC", sequence, symbol, is_main)
        classification["value"] = value
        classification["version"] = ipc_version(row["ipc_version_indicator"])
        result.append(classification)
    return result


def citation_rows(
    rows: list[dict[str, Any]], patent_id: str, file: str
) -> tuple[list[Row], list[Reject]]:
    citations: list[Row] = []
    rejects: list[Reject] = []
    for position, row in enumerate(rows):
        cited_date = parse_cited_date(row["citation_date"])
        if cited_date is None and row["citation_date"] is not None:
            rejects.append(
                Reject(
                    file,
                    f"row {row['rn']}",
                    "citation_date",
                    f"impossible date {row['citation_date']!r}; citation loaded without its date",
                    patent_id,
                )
            )
        number = us_number(row["citation_patent_id"])
        category = (row["citation_category"] or "").lower()
        citations.append(
            {
                "patent_id": patent_id,
                "sequence": position,
                "category": "patent",
                "cited_office": "US",
                "cited_number": number or row["citation_patent_id"],
                "cited_kind": row["wipo_kind"],
                "cited_patent_id": "US" + number if number else None,
                "cited_date": cited_date,
                "cited_by": _CITED_BY.get(category),
            }
        )
    return citations, rejects


_RELATIONS = {
    "continuation": "continuation",
    "continuation_in_part": "continuation_in_part",
    "division": "division",
    "reissue": "reissue",
    "continuing_reissue": "continuing_reissue",
    "substitution": "substitution",
    "us_reexamination_reissue_merger": "reexamination",
    "correction": "correction",
    "us_provisional_application": "provisional",
    "provisional": "provisional",
    "related_publication": "related_publication",
    "utility_model_basis": "utility_model_basis",
}


_RELATION_PARTS = ("parent_grant_document", "parent_pct_document", "child_doc")


def related_rows(rows: list[dict[str, Any]], patent_id: str) -> list[Row]:
    """g_us_rel_doc flattens each ``<relation>`` into one row per document (``related_doc_kind``
    parent_doc, then parent_grant_document, parent_pct_document, child_doc), in sequence
    order; this puts each relation back together. Provisionals and earlier publications
    are one row each."""
    result: list[Row] = []
    current: Row | None = None
    for row in rows:
        relation = _RELATIONS.get(_snake(row["related_doc_type"]), "other")
        kind = _snake(row["related_doc_kind"])
        office = (row["published_country"] or "").upper() or None
        number = row["related_doc_number"]
        dated = parse_cited_date(row["related_doc_published_date"])
        if kind in _RELATION_PARTS and current is not None and current["relation"] == relation:
            _attach(current, kind, office, number, dated)
            continue
        current = {
            "patent_id": patent_id,
            "sequence": len(result),
            "relation": relation,
            "parent_status": (row["related_doc_status"] or "").lower() or None,
            "generated": False,
        }
        result.append(current)
        if kind in _RELATION_PARTS:  # a part whose parent_doc row is missing
            _attach(current, kind, office, number, dated)
        else:
            current["related_office"] = office or ("US" if number else None)
            current["related_number"] = number
            current["related_date"] = dated
    return result


def _attach(relation: Row, kind: str, office: str | None, number: str | None, dated: Any) -> None:
    if kind == "parent_grant_document":
        relation["parent_patent_office"] = office or "US"
        relation["parent_patent_number"] = number
        relation["parent_grant_date"] = dated
        relation["parent_status"] = relation["parent_status"] or "granted"
    elif kind == "parent_pct_document":
        relation["parent_pct_number"] = number
        relation["parent_pct_date"] = dated
    else:
        relation["child_office"] = office or "US"
        relation["child_number"] = number
        relation["child_date"] = dated


def _snake(text: str | None) -> str:
    return re.sub(r"[\s-]+", "_", (text or "").strip().lower())


def priority_row(row: dict[str, Any], patent_id: str, sequence: int) -> Row:
    country = row["foreign_country_filed"]
    return {
        "patent_id": patent_id,
        "sequence": sequence,
        "country": country.upper() if country else None,
        "number": row["foreign_application_id"],
        "date": parse_cited_date(row["filing_date"]),
        "kind": row["priority_claim_kind"],
        "generated": False,
    }


def pct_rows(rows: list[dict[str, Any]], patent_id: str) -> list[Row]:
    """g_pct_data has a row for the PCT filing (``pct_doc_type`` ``pct_application``) and one
    for its publication (``wo_grant``/``wo_publication``): one canonical row."""
    if not rows:
        return []
    merged: Row = {"patent_id": patent_id, "generated": False}
    for row in rows:
        doc_type = (row["pct_doc_type"] or "").lower()
        dated = parse_cited_date(row["published_or_filed_date"])
        if doc_type.startswith("wo") or doc_type.endswith("publication"):
            merged["pct_publication_number"] = row["pct_doc_number"]
            merged["pct_publication_date"] = dated
        else:
            merged["pct_number"] = row["pct_doc_number"]
            merged["pct_filing_date"] = dated
        merged["date_371"] = merged.get("date_371") or parse_cited_date(row["pct_371_date"])
    return [merged]


def term_row(row: dict[str, Any], patent_id: str) -> Row:
    disclaimer = (row["term_disclaimer"] or "").strip()
    return {
        "patent_id": patent_id,
        "adjustment_days": int_value(row["term_extension"]),
        "disclaimer": bool(disclaimer) or row["disclaimer_date"] is not None,
        "disclaimer_text": disclaimer or None,
        "length_of_grant_years": int_value(row["term_grant"]),
        "generated": False,
    }


def examiner_row(row: dict[str, Any], patent_id: str) -> Row:
    first, last = row["raw_examiner_name_first"], row["raw_examiner_name_last"]
    role = (row["examiner_role"] or "").lower().removesuffix("_examiner").removesuffix(" examiner")
    return {
        "patent_id": patent_id,
        "role": role or None,
        "name": _joined(first, last),
        "first_name": first,
        "last_name": last,
        "art_unit": row["art_group"],
        "generated": False,
    }


def attorney_row(row: dict[str, Any], patent_id: str, sequence: int) -> Row:
    first, last = row["raw_attorney_name_first"], row["raw_attorney_name_last"]
    country = row["attorney_country"]
    return {
        "patent_id": patent_id,
        "sequence": sequence,
        "role": "attorney",
        "name": row["raw_attorney_organization"] or _joined(first, last),
        "first_name": first,
        "last_name": last,
        "country": country.upper() if country and len(country) == 2 else None,
        "generated": False,
    }
