"""The canonical corpus schema: one Arrow schema per table, shared by every format and engine.

Every parser produces rows as plain dicts keyed by these column names; ``to_table`` turns a
list of such rows into an Arrow table with exactly this schema (missing keys become null,
unknown keys are an error). docs/corpus.md describes each column for users.

Keys
----
``patent_id`` identifies one publication: office code + number without the kind code and
without leading zeros, e.g. ``US7654321``, ``USD512345``, ``US20130012345``, ``CN102345678``.
Chinese A and B publications of one application share the number and so the ``patent_id``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

TABLE_NAMES: tuple[str, ...] = (
    "patents",
    "applications",
    "parties",
    "inventors",
    "classifications",
    "citations",
    "events",
)

PATENTS = pa.schema(
    [
        ("patent_id", pa.string()),
        ("office", pa.string()),
        ("number", pa.string()),
        ("kind", pa.string()),
        ("doc_type", pa.string()),  # grant | application
        (
            "patent_type",
            pa.string(),
        ),  # utility | design | plant | reissue | invention | utility_model ...
        ("application_id", pa.string()),
        ("title", pa.string()),
        ("abstract", pa.string()),
        ("filing_date", pa.date32()),
        ("priority_date", pa.date32()),
        ("publication_date", pa.date32()),
        ("grant_date", pa.date32()),
        ("claims_count", pa.int32()),
        ("independent_claims_count", pa.int32()),
        ("family_id", pa.string()),
        ("family_size", pa.int32()),
        ("reported_citations", pa.int32()),  # forward citations as reported by the source
        ("legal_status", pa.string()),  # as reported by the source; events refine it
        ("generated", pa.bool_()),
        ("source", pa.string()),
    ]
)

APPLICATIONS = pa.schema(
    [
        ("application_id", pa.string()),  # office + number, e.g. US11234567
        ("office", pa.string()),
        ("number", pa.string()),
        ("filing_date", pa.date32()),
        ("application_type", pa.string()),
        ("series_code", pa.string()),
        ("patent_id", pa.string()),
        ("generated", pa.bool_()),
    ]
)

_PLACE = [
    ("city", pa.string()),
    ("state", pa.string()),
    ("country", pa.string()),  # ISO 3166-1 alpha-2 where known
    ("latitude", pa.float64()),
    ("longitude", pa.float64()),
    ("geo_source", pa.string()),  # source | gazetteer | null (not located)
]

PARTIES = pa.schema(
    [
        ("patent_id", pa.string()),
        ("sequence", pa.int32()),
        ("role", pa.string()),  # applicant | assignee
        ("name", pa.string()),
        ("name_normalized", pa.string()),
        ("entity_id", pa.string()),
        ("party_type", pa.string()),  # organization | individual
        ("address", pa.string()),
        *_PLACE,
    ]
)

INVENTORS = pa.schema(
    [
        ("patent_id", pa.string()),
        ("sequence", pa.int32()),
        ("name", pa.string()),
        ("first_name", pa.string()),
        ("last_name", pa.string()),
        *_PLACE,
    ]
)

CLASSIFICATIONS = pa.schema(
    [
        ("patent_id", pa.string()),
        ("scheme", pa.string()),  # IPC | CPC | LOCARNO | USPC
        ("sequence", pa.int32()),
        ("symbol", pa.string()),  # normalised, e.g. "F24F 11/30"
        ("subclass", pa.string()),  # first 4 characters, e.g. "F24F"
        ("main_group", pa.string()),  # e.g. "F24F 11/00"
        ("is_main", pa.bool_()),
        ("value", pa.string()),  # inventive | additional, where known
        ("version", pa.string()),
    ]
)

CITATIONS = pa.schema(
    [
        ("patent_id", pa.string()),  # citing
        ("sequence", pa.int32()),
        ("category", pa.string()),  # patent | npl
        ("cited_office", pa.string()),
        ("cited_number", pa.string()),
        ("cited_kind", pa.string()),
        ("cited_patent_id", pa.string()),  # comparable with patents.patent_id
        ("cited_date", pa.date32()),
        ("cited_by", pa.string()),  # examiner | applicant | other | null
        ("relevance", pa.string()),  # search-report category (X, Y, A ...) where known
        ("npl_text", pa.string()),
    ]
)

EVENTS = pa.schema(
    [
        ("patent_id", pa.string()),
        ("event_date", pa.date32()),
        ("event_type", pa.string()),
        ("detail", pa.string()),
        ("counterparty", pa.string()),
        ("generated", pa.bool_()),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "patents": PATENTS,
    "applications": APPLICATIONS,
    "parties": PARTIES,
    "inventors": INVENTORS,
    "classifications": CLASSIFICATIONS,
    "citations": CITATIONS,
    "events": EVENTS,
}

# Columns that identify a row uniquely within its table (for de-duplication checks).
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "patents": ("patent_id",),
    "applications": ("application_id",),
    "parties": ("patent_id", "role", "sequence"),
    "inventors": ("patent_id", "sequence"),
    "classifications": ("patent_id", "scheme", "sequence"),
    "citations": ("patent_id", "sequence"),
    "events": ("patent_id", "event_date", "event_type", "detail"),
}

Row = dict[str, Any]


def to_table(table: str, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Arrow table with the canonical schema of ``table`` from row dicts.

    Missing keys become null; a key that is not a column of the table is an error.
    """
    schema = SCHEMAS[table]
    keys: set[str] = set()
    for row in rows:
        keys.update(row)
    unknown = keys - set(schema.names)
    if unknown:
        raise KeyError(f"{table}: unknown column(s) {sorted(unknown)}")
    return pa.Table.from_pylist(list(rows), schema=schema)


def columns_to_table(table: str, columns: Mapping[str, list[Any]]) -> pa.Table:
    """Arrow table from column lists (the fast path used by bulk parsers)."""
    schema = SCHEMAS[table]
    length = max((len(v) for v in columns.values()), default=0)
    arrays = [columns.get(name, [None] * length) for name in schema.names]
    return pa.table(dict(zip(schema.names, arrays, strict=True)), schema=schema)


def empty_table(table: str) -> pa.Table:
    return SCHEMAS[table].empty_table()
