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
    "related_documents",
    "priority_claims",
    "pct_data",
    "terms",
    "examiners",
    "agents",
    "families",
    "citing_documents",
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
        # Added after the first release: batches written before lack them and read as null.
        ("figures_count", pa.int32()),  # <number-of-figures>
        ("drawing_sheets", pa.int32()),  # <number-of-drawing-sheets>
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
        # USPTO assignee type as printed (<role>, PAP <assignee-type>): 01 unassigned,
        # 02 US company, 03 foreign company, 04 US individual, 05 foreign individual,
        # 06 US government, 07 foreign government, 08 county, 09 state government;
        # 1x: part interest. Added later: older batches read null.
        ("role_code", pa.string()),
        ("generated", pa.bool_()),
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
        ("generated", pa.bool_()),  # added later: older batches read null
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
        ("generated", pa.bool_()),  # added later: older batches read null
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
        ("generated", pa.bool_()),  # added later: older batches read null
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


# Continuity data (USPTO <us-related-documents>; PatentsView g_us_related_documents):
# one row per relation; `child_*` names the application the relation attaches to, so a
# chain A <- B <- patent can be followed. Dates are the related application's filing date.
RELATED_DOCUMENTS = pa.schema(
    [
        ("patent_id", pa.string()),
        ("sequence", pa.int32()),
        # continuation | continuation_in_part | division | reissue | provisional |
        # substitution | continuing_reissue | reexamination | correction |
        # related_publication | utility_model_basis | other
        ("relation", pa.string()),
        ("related_office", pa.string()),
        ("related_number", pa.string()),  # application number as printed, e.g. "08/236,034"
        ("related_date", pa.date32()),  # the related application's filing date
        ("parent_status", pa.string()),  # granted | pending | abandoned | null (not stated)
        ("parent_patent_office", pa.string()),
        ("parent_patent_number", pa.string()),
        ("parent_grant_date", pa.date32()),
        ("child_office", pa.string()),
        ("child_number", pa.string()),
        ("child_date", pa.date32()),
        ("generated", pa.bool_()),
        # the parent was itself an international application (<parent-pct-document>)
        ("parent_pct_number", pa.string()),
        ("parent_pct_date", pa.date32()),
    ]
)

# Paris-Convention and other priority claims, in the order the document lists them.
PRIORITY_CLAIMS = pa.schema(
    [
        ("patent_id", pa.string()),
        ("sequence", pa.int32()),
        ("country", pa.string()),  # office code: ISO 3166 alpha-2, EP, WO ...
        ("number", pa.string()),
        ("date", pa.date32()),
        ("kind", pa.string()),  # national | regional | international
        ("generated", pa.bool_()),
    ]
)

# PCT filing data (<pct-or-regional-filing-data>, <pct-or-regional-publishing-data>).
PCT_DATA = pa.schema(
    [
        ("patent_id", pa.string()),
        ("pct_number", pa.string()),  # e.g. PCT/US2008/012345
        ("pct_filing_date", pa.date32()),
        ("date_371", pa.date32()),  # 35 USC 371(c) date
        ("pct_publication_number", pa.string()),  # e.g. WO2009012345
        ("pct_publication_date", pa.date32()),
        ("generated", pa.bool_()),
    ]
)

# Term of grant (<us-term-of-grant>): 35 USC 154(b) adjustment, terminal disclaimers,
# design length of grant.
TERMS = pa.schema(
    [
        ("patent_id", pa.string()),
        ("adjustment_days", pa.int32()),  # us-term-extension; null when not printed
        ("disclaimer", pa.bool_()),  # a terminal disclaimer is recorded
        ("disclaimer_text", pa.string()),
        ("length_of_grant_years", pa.int32()),  # designs: 14 or 15
        ("generated", pa.bool_()),
    ]
)

EXAMINERS = pa.schema(
    [
        ("patent_id", pa.string()),
        ("role", pa.string()),  # primary | assistant
        ("name", pa.string()),
        ("first_name", pa.string()),
        ("last_name", pa.string()),
        ("art_unit", pa.string()),
        ("generated", pa.bool_()),
    ]
)

AGENTS = pa.schema(
    [
        ("patent_id", pa.string()),
        ("sequence", pa.int32()),
        ("role", pa.string()),  # attorney | agent | common_representative
        ("name", pa.string()),  # organisation name, or "first last"
        ("first_name", pa.string()),
        ("last_name", pa.string()),
        ("country", pa.string()),
        ("generated", pa.bool_()),
    ]
)

# Patent families loaded from DOCDB/INPADOC-style family tables: one row per member.
FAMILIES = pa.schema(
    [
        ("family_id", pa.string()),
        ("family_type", pa.string()),  # docdb | inpadoc | other
        ("patent_id", pa.string()),  # member publication, comparable with patents.patent_id
        ("office", pa.string()),
        ("number", pa.string()),
        ("kind", pa.string()),
        ("filing_date", pa.date32()),
        ("publication_date", pa.date32()),
        ("source", pa.string()),
        ("generated", pa.bool_()),
    ]
)

# The citing universe: documents whose references are loaded (from the corpus itself or
# from a citation table such as PatentsView g_us_patent_citation), with their dates.
# Forward citations are known only over this universe.
CITING_DOCUMENTS = pa.schema(
    [
        ("patent_id", pa.string()),
        ("office", pa.string()),
        ("publication_date", pa.date32()),
        ("source", pa.string()),
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
    "related_documents": RELATED_DOCUMENTS,
    "priority_claims": PRIORITY_CLAIMS,
    "pct_data": PCT_DATA,
    "terms": TERMS,
    "examiners": EXAMINERS,
    "agents": AGENTS,
    "families": FAMILIES,
    "citing_documents": CITING_DOCUMENTS,
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
    "related_documents": ("patent_id", "sequence"),
    "priority_claims": ("patent_id", "sequence"),
    "pct_data": ("patent_id",),
    "terms": ("patent_id",),
    "examiners": ("patent_id", "role"),
    "agents": ("patent_id", "sequence"),
    "families": ("family_id", "patent_id"),
    "citing_documents": ("patent_id",),
}

# -- Texts (issue 13; loaded only with ``ipops corpus ingest --texts``) ---------------------
# Claim texts and government-interest statements; both are patent children. Kept in one
# block, so other tables can be added to the lists above without touching these lines.
CLAIM_TEXTS = pa.schema(
    [
        ("patent_id", pa.string()),
        ("claim_number", pa.int32()),  # as printed (<claim num="...">, else the claim id)
        ("text", pa.string()),  # the claim as printed, markup dropped, whitespace collapsed
        ("depends_on", pa.list_(pa.int32())),  # claim numbers its claim-refs point to
        ("independent", pa.bool_()),  # no claim-ref (PAP: no dependent-claim-reference)
        ("generated", pa.bool_()),
    ]
)
# Statement of federally sponsored research (35 USC 202(c)(6)), from the description.
GOVERNMENT_INTEREST = pa.schema(
    [
        ("patent_id", pa.string()),
        ("text", pa.string()),  # the statement's paragraphs, one per line
        ("heading", pa.string()),  # its heading as printed, e.g. "STATEMENT OF GOVERNMENT INTEREST"
        ("generated", pa.bool_()),
    ]
)
TEXT_TABLES: tuple[str, ...] = ("claim_texts", "government_interest")
TABLE_NAMES += TEXT_TABLES
SCHEMAS.update({"claim_texts": CLAIM_TEXTS, "government_interest": GOVERNMENT_INTEREST})
ROW_KEYS.update(
    {"claim_texts": ("patent_id", "claim_number"), "government_interest": ("patent_id",)}
)
# -- end of the texts block ------------------------------------------------------------------

Row = dict[str, Any]


def to_table(table: str, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Arrow table with the canonical schema of ``table`` from row dicts.

    Missing keys become null; a key that is not a column of the table is an error.
    """
    schema = SCHEMAS[table]
    keys: set[str] = set().union(*rows)
    unknown = keys - set(schema.names)
    if unknown:
        raise KeyError(f"{table}: unknown column(s) {sorted(unknown)}")
    table_ = pa.Table.from_pylist(list(rows), schema=schema)
    return _real_unless_said(table_, keys)


def _real_unless_said(table: pa.Table, keys: set[str]) -> pa.Table:
    """Rows whose reader does not set ``generated`` are real: the flag is false, not null."""
    if "generated" not in table.schema.names or "generated" in keys:
        return table
    index = table.schema.get_field_index("generated")
    return table.set_column(index, "generated", pa.repeat(pa.scalar(False), table.num_rows))


def columns_to_table(table: str, columns: Mapping[str, list[Any]]) -> pa.Table:
    """Arrow table from column lists (the fast path used by bulk parsers)."""
    schema = SCHEMAS[table]
    length = max((len(v) for v in columns.values()), default=0)
    arrays = [columns.get(name, [None] * length) for name in schema.names]
    table = pa.table(dict(zip(schema.names, arrays, strict=True)), schema=schema)
    return _real_unless_said(table, set(columns))


def empty_table(table: str) -> pa.Table:
    return SCHEMAS[table].empty_table()
