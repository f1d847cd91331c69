"""PatentsView pre-grant publication tables (``pg_*``) -> canonical ``application`` documents.

PatentsView publishes the USPTO pre-grant publications (2001 onwards) as a second set of
bulk tables, keyed by ``pgpub_id`` (the publication number, e.g. ``20130014308``). Their
columns are those of PatentsView-DB's export views ``patentsview_export_pregrant.pg_*``
(GitHub PatentsView/PatentsView-DB, ``resources/create_export_views.sql``; download page:
https://patentsview.org/download/pg-download-tables, data dictionary:
https://patentsview.org/download/pg-data-download-dictionary). This reader takes:

===========================  ==========================================================
table                        columns used
===========================  ==========================================================
pg_published_application     pgpub_id, application_id, filing_date, published_date,
                             wipo_kind, application_title; patent_type, series_code,
                             application_abstract, filing_type if present
pg_cpc_current               pgpub_id, cpc_sequence, cpc_group; cpc_type if present
                             (``pg_cpc_at_issue``, same columns, when there is no current)
pg_ipc_at_issue              pgpub_id, ipc_sequence, section, ipc_class, subclass,
                             main_group, subgroup; classification_value,
                             ipc_version_indicator if present
pg_inventor_disambiguated    pgpub_id, inventor_sequence, disambig_inventor_name_first,
                             disambig_inventor_name_last; location_id if present
pg_assignee_disambiguated    pgpub_id, assignee_sequence,
                             disambig_assignee_individual_name_first/_last,
                             disambig_assignee_organization; assignee_type, location_id
pg_location_disambiguated    location_id, disambig_city, disambig_state, disambig_country,
                             latitude, longitude
pg_foreign_priority,         as g_foreign_priority, g_us_rel_doc and g_pct_data
pg_us_rel_doc, pg_pct_data   (``patentsview``), with pgpub_id for patent_id
===========================  ==========================================================

Each publication becomes the rows the USPTO XML reader makes of a ``us-patent-application``
(``uspto_xml``): ``patents`` with ``doc_type`` ``application``, ``patent_id`` ``US`` +
``pgpub_id``, ``publication_date`` the ``published_date``, no ``grant_date``;
``applications``; inventors, assignees (role ``assignee``) and classifications by the grant
tables' rules (``patentsview``). ``patent_type`` is the table's type, else ``plant`` for a
``P`` kind code and ``utility`` otherwise (design applications are not published, 35 USC
122(b)(2)(A)(iv)). ``priority_date`` is, as in the XML reader, the earliest foreign priority
or US provisional application date, else the filing date. Pre-grant publications print no
references, so they add no citing documents. Not read: claims (``claims_count`` stays
null), ``pg_uspc_at_issue``, ``pg_granted_pgpubs_crosswalk``, ``*_not_disambiguated``
tables.

Rejects, as for grants: a ``pg_published_application`` row without ``pgpub_id``, with one
that is not a number, repeated, or with an impossible ``published_date`` or
``filing_date`` is not loaded; a child row without ``pgpub_id`` or with the wrong number of
fields is not loaded. Child rows of publications not in ``pg_published_application`` are
left out silently.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from ipops.corpus.formats import patentsview_rows as pv
from ipops.corpus.records import Chunk, Reject
from ipops.corpus.schema import TABLE_NAMES, Row
from ipops.errors import InputFormatError

_CPC = pv.TableColumns(("pgpub_id", "cpc_sequence", "cpc_group"), ("cpc_type",))
TABLES: dict[str, pv.TableColumns] = {
    "pg_published_application": pv.TableColumns(
        (
            "pgpub_id",
            "application_id",
            "filing_date",
            "published_date",
            "wipo_kind",
            "application_title",
        ),
        ("patent_type", "series_code", "application_abstract", "filing_type"),
    ),
    "pg_cpc_current": _CPC,
    "pg_cpc_at_issue": _CPC,
    "pg_ipc_at_issue": pv.TableColumns(
        ("pgpub_id", "ipc_sequence", "section", "ipc_class", "subclass", "main_group", "subgroup"),
        ("classification_value", "ipc_version_indicator"),
    ),
    "pg_inventor_disambiguated": pv.TableColumns(
        (
            "pgpub_id",
            "inventor_sequence",
            "disambig_inventor_name_first",
            "disambig_inventor_name_last",
        ),
        ("location_id",),
    ),
    "pg_assignee_disambiguated": pv.TableColumns(
        (
            "pgpub_id",
            "assignee_sequence",
            "disambig_assignee_individual_name_first",
            "disambig_assignee_individual_name_last",
            "disambig_assignee_organization",
        ),
        ("assignee_type", "location_id"),
    ),
    "pg_foreign_priority": pv.TableColumns(
        ("pgpub_id", "foreign_application_id", "filing_date", "foreign_country_filed"),
        ("priority_claim_sequence", "priority_claim_kind"),
    ),
    "pg_us_rel_doc": pv.TableColumns(
        ("pgpub_id", "related_doc_number", "related_doc_type"),
        (
            "published_country",
            "related_doc_kind",
            "related_doc_published_date",
            "related_doc_sequence",
            "related_doc_status",
        ),
    ),
    "pg_pct_data": pv.TableColumns(
        ("pgpub_id", "pct_doc_number"),
        ("published_or_filed_date", "pct_371_date", "pct_102_date", "pct_doc_type"),
    ),
    "pg_location_disambiguated": pv.TableColumns(("location_id", *pv.LOCATION_COLUMNS)),
}
MAIN_TABLE = "pg_published_application"
_CHILDREN: dict[str, str | None] = {  # table -> its sequence column, in the order read back
    "pg_cpc": "cpc_sequence",
    "pg_ipc_at_issue": "ipc_sequence",
    "pg_inventor_disambiguated": "inventor_sequence",
    "pg_assignee_disambiguated": "assignee_sequence",
    "pg_foreign_priority": "priority_claim_sequence",
    "pg_us_rel_doc": "related_doc_sequence",
    "pg_pct_data": None,
}
_LOCATED = ("pg_inventor_disambiguated", "pg_assignee_disambiguated")
_PATENT_TYPES = {"utility": "utility", "plant": "plant", "reissue": "reissue"}


def read_pregrant(
    files: dict[str, Path], *, chunk_size: int = 50_000, work_dir: Path | None = None
) -> Iterator[Chunk]:
    """Canonical rows of the ``pg_*`` tables in ``files`` (table -> file), chunk by chunk."""
    if MAIN_TABLE not in files:
        raise InputFormatError(
            "PatentsView pre-grant tables need pg_published_application.tsv(.zip) among "
            + ", ".join(sorted(path.name for path in files.values()))
        )
    headers = check_headers(files)
    with tempfile.TemporaryDirectory(prefix="ipops-pg-", dir=work_dir) as folder:
        con = duckdb.connect(str(Path(folder) / "stage.duckdb"))
        try:
            pv.configure(con, Path(folder))
            stage = _Stage(con, chunk_size)
            for table in TABLES:
                if table in files:
                    stage.load(table, files[table], headers[table])
                else:
                    stage.create_empty(table)
            chunk_count = stage.prepare("pg_cpc_current" if "pg_cpc_current" in files else None)
            names = {table: path.name for table, path in files.items()}
            for chunk_no in range(chunk_count):
                yield _build_chunk(stage, chunk_no, names)
            if stage.rejects:
                chunk = Chunk()
                chunk.rejects.extend(stage.rejects)
                yield chunk
        finally:
            con.close()


def check_headers(files: dict[str, Path]) -> dict[str, list[str]]:
    """Each file's header; InputFormatError naming the file and the columns it lacks."""
    headers = {table: pv.read_header(path) for table, path in files.items()}
    for table, path in files.items():
        missing = [column for column in TABLES[table].required if column not in headers[table]]
        if missing:
            raise InputFormatError(
                f"{path.name}: not a PatentsView {table} table: missing column(s) "
                f"{', '.join(missing)} (header has: {', '.join(headers[table]) or 'nothing'})"
            )
    return headers


class _Stage:
    """The tables in DuckDB, ``pgpub_id`` read as ``patent_id``, children sorted by chunk."""

    def __init__(self, con: duckdb.DuckDBPyConnection, chunk_size: int) -> None:
        self.con = con
        self.chunk_size = chunk_size
        self.rejects: list[Reject] = []
        self.files: dict[str, str] = {}

    def load(self, table: str, path: Path, header: list[str]) -> None:
        renamed = {"pgpub_id": "patent_id"}
        self.rejects.extend(pv.stage_table(self.con, table, path, header, TABLES[table], renamed))
        self.files[table] = path.name

    def create_empty(self, table: str) -> None:
        columns = ", ".join(
            f"{'patent_id' if c == 'pgpub_id' else c} VARCHAR" for c in TABLES[table].used
        )
        self.con.execute(f"CREATE TABLE {table} ({columns}, rn BIGINT)")

    def prepare(self, cpc_table: str | None) -> int:
        size = self.chunk_size
        self.con.execute(
            f"""CREATE TABLE pg_key AS
                SELECT patent_id, min(rn) AS first_rn, (min(rn) - 1) // {size} AS chunk_no
                FROM {MAIN_TABLE} WHERE patent_id IS NOT NULL GROUP BY patent_id"""
        )
        self.con.execute(
            f"""CREATE TABLE c_{MAIN_TABLE} AS
                SELECT (a.rn - 1) // {size} AS chunk_no, a.*, k.first_rn
                FROM {MAIN_TABLE} a LEFT JOIN pg_key k USING (patent_id) ORDER BY a.rn"""
        )
        self.con.execute(
            "CREATE TABLE pg_location AS SELECT * FROM pg_location_disambiguated "
            "QUALIFY row_number() OVER (PARTITION BY location_id ORDER BY rn) = 1"
        )
        cpc = cpc_table or "pg_cpc_at_issue"
        self.con.execute(f"CREATE VIEW pg_cpc AS SELECT * FROM {cpc}")
        self.files["pg_cpc"] = self.files.get(cpc, cpc)
        for table, sequence in _CHILDREN.items():
            self._sort_child(table, sequence)
        rows = self.con.execute(f"SELECT coalesce(max(rn), 0) FROM {MAIN_TABLE}").fetchall()
        return int(rows[0][0] + size - 1) // size

    def _sort_child(self, table: str, sequence: str | None) -> None:
        place, join = "", ""
        by_sequence = f"TRY_CAST(t.{sequence} AS BIGINT), " if sequence else ""
        if table in _LOCATED:
            place = "".join(f", l.{c} AS place_{c}" for c in pv.LOCATION_COLUMNS)
            join = "LEFT JOIN pg_location l ON l.location_id = t.location_id"
        self.con.execute(
            f"""CREATE TABLE c_{table} AS
                SELECT k.chunk_no, t.*{place} FROM {table} t
                JOIN pg_key k USING (patent_id) {join}
                ORDER BY k.chunk_no, k.first_rn, {by_sequence}t.rn"""
        )
        missing = self.con.execute(f"SELECT rn FROM {table} WHERE patent_id IS NULL").fetchall()
        file = self.files.get(table, table)
        self.rejects.extend(
            Reject(file, f"row {rn}", "pgpub_id", "missing pgpub_id") for (rn,) in missing
        )

    def chunk_rows(self, table: str, chunk_no: int) -> list[dict[str, Any]]:
        relation = self.con.sql(f"SELECT * FROM c_{table} WHERE chunk_no = ?", params=[chunk_no])
        rows: list[dict[str, Any]] = relation.to_arrow_table().to_pylist()
        return rows


def _build_chunk(stage: _Stage, chunk_no: int, files: dict[str, str]) -> Chunk:
    children = {table: pv.by_patent(stage.chunk_rows(table, chunk_no)) for table in _CHILDREN}
    chunk = Chunk()
    for row in stage.chunk_rows(MAIN_TABLE, chunk_no):
        problem = _problem(row, files[MAIN_TABLE])
        if problem is not None:
            chunk.add_reject(problem)
            continue
        related = {table: children[table].get(row["patent_id"], []) for table in _CHILDREN}
        chunk.add_document(_document(row, related))
    return chunk


def _problem(row: dict[str, Any], file: str) -> Reject | None:
    """Why a pg_published_application row cannot be loaded, if it cannot."""
    where = f"row {row['rn']}"
    raw_id = row["patent_id"]
    if raw_id is None:
        return Reject(file, where, "pgpub_id", "missing pgpub_id")
    number = pv.us_number(raw_id)
    if number is None or not number.isdigit():
        return Reject(file, where, "pgpub_id", f"not a publication number: {raw_id!r}", raw_id)
    if row["first_rn"] != row["rn"]:
        return Reject(file, where, "pgpub_id", f"repeats the pgpub_id of row {row['first_rn']}")
    for field in ("published_date", "filing_date"):
        if row[field] is not None and pv.parse_iso_date(row[field]) is None:
            return Reject(file, where, field, f"impossible date {row[field]!r}", raw_id)
    return None


def _document(
    row: dict[str, Any], related: dict[str, list[dict[str, Any]]]
) -> dict[str, list[Row]]:
    number = pv.us_number(row["patent_id"])
    assert number is not None
    patent_id = "US" + number
    kind = row["wipo_kind"]
    raw_type = (row["patent_type"] or "").strip().lower()
    patent_type = _PATENT_TYPES.get(raw_type) or (
        "plant" if (kind or "").upper().startswith("P") else "utility"
    )
    application = pv.application_row(
        {
            "application_id": row["application_id"],
            "filing_date": row["filing_date"],
            "patent_application_type": row["series_code"],
            "series_code": row["series_code"],
        },
        patent_id,
    )
    if application is not None:
        application["application_type"] = patent_type
    published = pv.parse_iso_date(row["published_date"])
    filed = pv.parse_iso_date(row["filing_date"])
    priorities = [
        pv.priority_row(r, patent_id, n) for n, r in enumerate(related["pg_foreign_priority"])
    ]
    relations = pv.related_rows(related["pg_us_rel_doc"], patent_id)
    earliest = [r["date"] for r in priorities] + [
        r["related_date"] for r in relations if r["relation"] == "provisional"
    ]
    rows: dict[str, list[Row]] = {table: [] for table in TABLE_NAMES}
    rows["patents"] = [
        {
            "patent_id": patent_id,
            "office": "US",
            "number": number,
            "kind": kind,
            "doc_type": "application",
            "patent_type": patent_type,
            "application_id": application["application_id"] if application else None,
            "title": row["application_title"],
            "abstract": row["application_abstract"],
            "filing_date": filed,
            # as the XML reader: the earliest foreign priority or provisional, else filing
            "priority_date": min((d for d in earliest if d is not None), default=filed),
            "publication_date": published,
            "grant_date": None,
            "generated": False,
            "source": pv.SOURCE,
        }
    ]
    rows["applications"] = [application] if application else []
    inventors = related["pg_inventor_disambiguated"]
    assignees = related["pg_assignee_disambiguated"]
    rows["inventors"] = [pv.inventor_row(r, patent_id, n) for n, r in enumerate(inventors)]
    rows["parties"] = [pv.assignee_row(r, patent_id, n) for n, r in enumerate(assignees)]
    cpc = [{**r, "cpc_symbol_position": None} for r in related["pg_cpc"]]
    ipc = [{**r, "symbol_position": None} for r in related["pg_ipc_at_issue"]]
    rows["classifications"] = [*pv.cpc_rows(cpc, patent_id), *pv.ipc_rows(ipc, patent_id)]
    rows["priority_claims"] = priorities
    rows["related_documents"] = relations
    rows["pct_data"] = pv.pct_rows(related["pg_pct_data"], patent_id)
    return rows
