"""PatentsView granted-patent bulk tables -> canonical corpus rows.

PatentsView publishes one TSV per table (``g_patent.tsv``, usually zipped as
``g_patent.tsv.zip``); the columns follow the PatentsView "Data Download Dictionary for
Granted Patent Data". This reader takes the tables below (only ``g_patent`` is required;
each other table adds its part), checks each header, and joins them by ``patent_id``:

==========================  ===========================================================
table                       columns used (dictionary names)
==========================  ===========================================================
g_patent                    patent_id, patent_type, patent_date, patent_title,
                            wipo_kind, num_claims; patent_abstract, withdrawn if present
g_patent_abstract           patent_id, patent_abstract (later releases moved the
                            abstract out of g_patent)
g_application               application_id, patent_id, filing_date;
                            patent_application_type, series_code if present
g_inventor_disambiguated    patent_id, inventor_sequence, disambig_inventor_name_first,
                            disambig_inventor_name_last; location_id if present
g_assignee_disambiguated    patent_id, assignee_sequence,
                            disambig_assignee_individual_name_first/_last,
                            disambig_assignee_organization; assignee_type, location_id
g_location_disambiguated    location_id, disambig_city, disambig_state, disambig_country,
                            latitude, longitude
g_cpc_current               patent_id, cpc_sequence, cpc_group; cpc_type,
                            cpc_symbol_position if present
g_ipc_at_issue              patent_id, ipc_sequence, section, ipc_class, subclass,
                            main_group, subgroup; symbol_position, classification_value,
                            ipc_version_indicator if present
g_us_patent_citation        patent_id, citation_sequence, citation_patent_id;
                            citation_date, wipo_kind, citation_category if present
==========================  ===========================================================

The other dictionary columns (filename, gender_code, county, state_fips, rule_47_flag ...)
may be present and are not loaded. A file whose header lacks a required column is an
``InputFormatError`` naming the file and the columns, raised before anything is read.

How it streams: each table is read batch by batch with pyarrow (straight out of the zip)
into a DuckDB database in a temporary folder, which spills to disk rather than holding
whole tables in memory. Each row of a child table is tagged with the chunk of its patent
and the table is stored sorted by chunk, so each chunk of ``chunk_size`` patents is then
read back with small queries.

Rejects (the good records still load):

- a ``g_patent`` row without ``patent_id``, with a ``patent_id`` that is not a US number,
  a repeated ``patent_id``, an impossible ``patent_date``, or an impossible ``filing_date``
  in its ``g_application`` row: the patent is not loaded;
- a row of another table without ``patent_id``, or a row with the wrong number of fields:
  that row is not loaded;
- a citation with an impossible ``citation_date``: loaded without its date, and reported
  (``00`` for an unknown month or day is not impossible: ``1997-05-00`` reads as 1997-05-01).

Conventions shared with the USPTO XML reader: ``patent_id`` is ``US`` + the PatentsView
``patent_id`` without leading zeros (``D0512345`` -> ``USD512345``); ``application_id`` is
``US`` + the application number without its slash (``16/012345`` -> ``US16012345``);
``sequence`` is the 0-based position among the rows emitted for the patent (per scheme for
classifications), in the order of the dictionary's ``*_sequence`` columns; IPC ``version``
is written ``2006.01``; ``is_main`` is symbol position ``F`` (first). Names: inventors
``"First Last"``; assignees the organisation, else ``"First Last"``, role ``assignee``.
Places come from ``g_location_disambiguated`` (``geo_source`` "source" when it has
coordinates); ``name_normalized``, ``entity_id`` and missing coordinates are the loader's.

Rows of other tables whose ``patent_id`` is not in ``g_patent`` are left out silently (a
subset of g_patent with the full child tables is a normal way to load a slice), except
``g_us_patent_citation`` rows: their citing patents widen the citing universe, dated by a
``citing_dates`` file (``patentsview_dates``) when one is given.

Pre-grant tables (``pg_published_application`` ...) in the same folder or list are read by
``patentsview_pregrant`` after the grants; a load may hold grant tables, pre-grant tables
or both.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from ipops.corpus.formats import patentsview_dates, patentsview_pregrant
from ipops.corpus.formats.patentsview_rows import (
    LOCATION_COLUMNS,
    SOURCE,
    TableColumns,
    application_row,
    assignee_row,
    attorney_row,
    by_patent,
    citation_rows,
    configure,
    cpc_rows,
    examiner_row,
    int_value,
    inventor_row,
    ipc_rows,
    parse_iso_date,
    patent_row,
    pct_rows,
    priority_row,
    read_header,
    related_rows,
    stage_table,
    term_row,
    us_number,
)
from ipops.corpus.records import Chunk, Reject, citing_row
from ipops.corpus.schema import TABLE_NAMES, Row
from ipops.errors import InputFormatError

TABLES: dict[str, TableColumns] = {
    "g_patent": TableColumns(
        ("patent_id", "patent_type", "patent_date", "patent_title", "wipo_kind", "num_claims"),
        ("patent_abstract", "withdrawn"),
    ),
    "g_patent_abstract": TableColumns(("patent_id", "patent_abstract")),
    "g_application": TableColumns(
        ("application_id", "patent_id", "filing_date"),
        ("patent_application_type", "series_code"),
    ),
    "g_inventor_disambiguated": TableColumns(
        (
            "patent_id",
            "inventor_sequence",
            "disambig_inventor_name_first",
            "disambig_inventor_name_last",
        ),
        ("location_id",),
    ),
    "g_assignee_disambiguated": TableColumns(
        (
            "patent_id",
            "assignee_sequence",
            "disambig_assignee_individual_name_first",
            "disambig_assignee_individual_name_last",
            "disambig_assignee_organization",
        ),
        ("assignee_type", "location_id"),
    ),
    "g_location_disambiguated": TableColumns(
        (
            "location_id",
            "disambig_city",
            "disambig_state",
            "disambig_country",
            "latitude",
            "longitude",
        )
    ),
    "g_cpc_current": TableColumns(
        ("patent_id", "cpc_sequence", "cpc_group"), ("cpc_type", "cpc_symbol_position")
    ),
    "g_ipc_at_issue": TableColumns(
        ("patent_id", "ipc_sequence", "section", "ipc_class", "subclass", "main_group", "subgroup"),
        ("symbol_position", "classification_value", "ipc_version_indicator"),
    ),
    "g_us_patent_citation": TableColumns(
        ("patent_id", "citation_sequence", "citation_patent_id"),
        ("citation_date", "wipo_kind", "citation_category"),
    ),
    "g_us_rel_doc": TableColumns(
        ("patent_id", "related_doc_number", "related_doc_type"),
        (
            "published_country",
            "related_doc_kind",
            "related_doc_published_date",
            "related_doc_status",
            "related_doc_sequence",
        ),
    ),
    "g_foreign_priority": TableColumns(
        ("patent_id", "foreign_application_id", "filing_date", "foreign_country_filed"),
        ("priority_claim_sequence", "priority_claim_kind"),
    ),
    "g_pct_data": TableColumns(
        ("patent_id", "pct_doc_number"),
        ("published_or_filed_date", "pct_371_date", "pct_102_date", "pct_doc_type"),
    ),
    "g_us_term_of_grant": TableColumns(
        ("patent_id",), ("term_extension", "term_disclaimer", "disclaimer_date", "term_grant")
    ),
    "g_examiner_not_disambiguated": TableColumns(
        ("patent_id", "raw_examiner_name_first", "raw_examiner_name_last", "examiner_role"),
        ("art_group",),
    ),
    "g_attorney_not_disambiguated": TableColumns(
        ("patent_id", "raw_attorney_name_first", "raw_attorney_name_last"),
        ("attorney_sequence", "raw_attorney_organization", "attorney_country"),
    ),
    "g_figures": TableColumns(("patent_id", "num_figures", "num_sheets")),
}
# Names the same tables go by in some releases and in the data dictionary's prose.
TABLE_ALIASES = {"g_us_related_documents": "g_us_rel_doc"}

# Tables joined to g_patent by patent_id, in the order they are read back for each chunk.
CHILD_TABLES: tuple[str, ...] = (
    "g_patent_abstract",
    "g_application",
    "g_inventor_disambiguated",
    "g_assignee_disambiguated",
    "g_cpc_current",
    "g_ipc_at_issue",
    "g_us_patent_citation",
    "g_us_rel_doc",
    "g_foreign_priority",
    "g_pct_data",
    "g_us_term_of_grant",
    "g_examiner_not_disambiguated",
    "g_attorney_not_disambiguated",
    "g_figures",
)
_LOCATED_TABLES = ("g_inventor_disambiguated", "g_assignee_disambiguated")
_SEQUENCE_COLUMNS = {
    "g_inventor_disambiguated": "inventor_sequence",
    "g_assignee_disambiguated": "assignee_sequence",
    "g_cpc_current": "cpc_sequence",
    "g_ipc_at_issue": "ipc_sequence",
    "g_us_patent_citation": "citation_sequence",
    "g_us_rel_doc": "related_doc_sequence",
    "g_foreign_priority": "priority_claim_sequence",
    "g_attorney_not_disambiguated": "attorney_sequence",
}


# --------------------------------------------------------------------------- finding files


def table_name(path: Path) -> str | None:
    """The PatentsView table a file holds, from its name (``g_patent.tsv.zip`` -> g_patent)."""
    name = path.name.lower()
    for suffix in (".zip", ".tsv"):
        name = name.removesuffix(suffix)
    name = TABLE_ALIASES.get(name, name)
    return name if name in TABLES or name in patentsview_pregrant.TABLES else None


def looks_like(path: Path) -> bool:
    """True for a PatentsView table file, or a folder holding at least one."""
    if path.is_dir():
        return any(table_name(child) is not None for child in path.iterdir() if child.is_file())
    return table_name(path) is not None


def find_tables(paths: Sequence[Path]) -> dict[str, Path]:
    """The table files among ``paths`` (files or folders), by table name."""
    found: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            candidates = sorted(child for child in path.iterdir() if child.is_file())
            for child in candidates:
                if table_name(child) is not None:
                    _add_table_file(found, child)
        elif not path.exists():
            raise InputFormatError(f"{path}: no such file or folder")
        elif table_name(path) is None:
            raise InputFormatError(
                f"{path.name}: not a PatentsView table this reader knows "
                f"({', '.join(sorted(TABLES))})"
            )
        else:
            _add_table_file(found, path)
    if "g_patent" not in found and "pg_published_application" not in found:
        raise InputFormatError(
            "PatentsView: g_patent.tsv or pg_published_application.tsv (zipped or not) is "
            "required among " + ", ".join(str(p) for p in paths)
        )
    return found


def _add_table_file(found: dict[str, Path], path: Path) -> None:
    table = table_name(path)
    assert table is not None
    if table in found:
        raise InputFormatError(
            f"PatentsView: two files for table {table}: {found[table].name} and {path.name}"
        )
    found[table] = path


# --------------------------------------------------------------------------- headers


def check_header(table: str, path: Path, header: Sequence[str]) -> None:
    """Raise InputFormatError naming the file and the required columns its header lacks."""
    missing = [column for column in TABLES[table].required if column not in header]
    if missing:
        raise InputFormatError(
            f"{path.name}: not a PatentsView {table} table: missing column(s) "
            f"{', '.join(missing)} (header has: {', '.join(header) or 'nothing'})"
        )


# --------------------------------------------------------------------------- staging in DuckDB


class _Stage:
    """The tables in a DuckDB database, each child table sorted by the chunk of its patent."""

    def __init__(self, con: duckdb.DuckDBPyConnection, chunk_size: int) -> None:
        self.con = con
        self.chunk_size = chunk_size
        self.rejects: list[Reject] = []  # rows of child tables that cannot be loaded
        self.patent_rejects: list[Reject] = []  # g_patent rows that cannot be parsed at all

    def load(self, table: str, path: Path, header: Sequence[str]) -> None:
        rejects = stage_table(self.con, table, path, header, TABLES[table])
        (self.patent_rejects if table == "g_patent" else self.rejects).extend(rejects)

    def create_empty(self, table: str) -> None:
        columns = ", ".join(f"{c} VARCHAR" for c in TABLES[table].used)
        self.con.execute(f"CREATE TABLE {table} ({columns}, rn BIGINT)").fetchall()

    def prepare(self, files: dict[str, Path]) -> int:
        """Key patents to chunks, sort the child tables by chunk; the number of chunks."""
        size = self.chunk_size
        self.con.execute(
            f"""CREATE TABLE patent_key AS
                SELECT patent_id, min(rn) AS patent_rn, (min(rn) - 1) // {size} AS chunk_no
                FROM g_patent WHERE patent_id IS NOT NULL GROUP BY patent_id"""
        ).fetchall()
        self.con.execute(
            f"""CREATE TABLE c_g_patent AS
                SELECT (p.rn - 1) // {size} AS chunk_no, p.*, k.patent_rn AS first_rn
                FROM g_patent p LEFT JOIN patent_key k USING (patent_id) ORDER BY p.rn"""
        ).fetchall()
        self.con.execute(
            """CREATE TABLE location AS SELECT * FROM g_location_disambiguated
               QUALIFY row_number() OVER (PARTITION BY location_id ORDER BY rn) = 1"""
        ).fetchall()
        for table in CHILD_TABLES:
            self._sort_child(table, files.get(table))
        rows = self.con.execute("SELECT coalesce(max(rn), 0) FROM g_patent").fetchall()
        return int(rows[0][0] + size - 1) // size

    def _sort_child(self, table: str, path: Path | None) -> None:
        place = ""
        join = ""
        if table in _LOCATED_TABLES:
            place = "".join(f", l.{c} AS place_{c}" for c in LOCATION_COLUMNS)
            join = "LEFT JOIN location l ON l.location_id = t.location_id"
        sequence = _SEQUENCE_COLUMNS.get(table)
        by_sequence = f"TRY_CAST(t.{sequence} AS BIGINT), " if sequence else ""
        self.con.execute(
            f"""CREATE TABLE c_{table} AS
                SELECT k.chunk_no, t.*{place} FROM {table} t
                JOIN patent_key k USING (patent_id) {join}
                ORDER BY k.chunk_no, k.patent_rn, {by_sequence}t.rn"""
        ).fetchall()
        missing = self.con.execute(f"SELECT rn FROM {table} WHERE patent_id IS NULL").fetchall()
        file = path.name if path else table
        self.rejects.extend(
            Reject(file, f"row {rn}", "patent_id", "missing patent_id") for (rn,) in missing
        )

    def orphan_citations(self, batch_rows: int) -> Iterator[list[dict[str, Any]]]:
        """Citation rows whose citing patent is not in g_patent, grouped by citing patent
        (a group is never split across two yielded lists), each with ``citing_date``: the
        citing patent's date from the ``--citing-dates`` file (staged as ``citing_dates``)."""
        number = patentsview_dates.number_sql("t.patent_id")
        reader = self.con.sql(
            f"""SELECT t.*, d.patent_date AS citing_date FROM g_us_patent_citation t
                LEFT JOIN {patentsview_dates.TABLE} d ON d.number = {number}
                WHERE t.patent_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM patent_key k WHERE k.patent_id = t.patent_id)
                ORDER BY t.patent_id, TRY_CAST(t.citation_sequence AS BIGINT), t.rn"""
        ).to_arrow_reader(batch_rows)
        carry: list[dict[str, Any]] = []
        for batch in reader:
            rows = carry + batch.to_pylist()
            last = rows[-1]["patent_id"] if rows else None
            cut = len(rows)
            while cut > 0 and rows[cut - 1]["patent_id"] == last:
                cut -= 1
            if cut:
                yield rows[:cut]
            carry = rows[cut:]
        if carry:
            yield carry

    def chunk_rows(self, table: str, chunk_no: int) -> list[dict[str, Any]]:
        relation = self.con.sql(f"SELECT * FROM c_{table} WHERE chunk_no = ?", params=[chunk_no])
        rows: list[dict[str, Any]] = relation.to_arrow_table().to_pylist()
        return rows


# --------------------------------------------------------------------------- public API


def read_patentsview(
    paths: Sequence[Path],
    *,
    chunk_size: int = 50_000,
    work_dir: Path | None = None,
    citing_dates: Path | None = None,
) -> Iterator[Chunk]:
    """Canonical rows from PatentsView tables (files or folders), ``chunk_size`` patents a chunk.

    ``work_dir`` is where the temporary DuckDB database goes (default: the system temp folder);
    it needs room for roughly the unzipped size of the tables given. ``citing_dates`` is a
    g_patent-shaped file giving the dates of citing patents missing from ``g_patent``
    (``patentsview_dates``); a problem in it stops the load before the first chunk.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    found = find_tables(paths)
    pregrant = {table: path for table, path in found.items() if table not in TABLES}
    files = {table: path for table, path in found.items() if table in TABLES}
    if files and "g_patent" not in files:
        raise InputFormatError(
            "PatentsView: the granted-patent tables "
            f"({', '.join(sorted(path.name for path in files.values()))}) need g_patent.tsv"
        )
    if pregrant:
        patentsview_pregrant.check_headers(pregrant)
    if files:
        yield from _read_grants(files, chunk_size, work_dir, citing_dates)
    elif citing_dates is not None:
        raise InputFormatError(
            f"{citing_dates.name}: dates of citing patents need a g_us_patent_citation "
            "table among the PatentsView files",
            field=patentsview_dates.FIELD,
        )
    if pregrant:
        yield from patentsview_pregrant.read_pregrant(
            pregrant, chunk_size=chunk_size, work_dir=work_dir
        )


def _read_grants(
    files: dict[str, Path], chunk_size: int, work_dir: Path | None, citing_dates: Path | None
) -> Iterator[Chunk]:
    headers = {table: read_header(path) for table, path in files.items()}
    for table, path in files.items():
        check_header(table, path, headers[table])
    dates_header = None
    if citing_dates is not None:
        if "g_us_patent_citation" not in files:
            raise InputFormatError(
                f"{citing_dates.name}: dates of citing patents need a g_us_patent_citation "
                "table among the PatentsView files",
                field=patentsview_dates.FIELD,
            )
        dates_header = patentsview_dates.check_dates_file(citing_dates)
    with tempfile.TemporaryDirectory(prefix="ipops-pv-", dir=work_dir) as folder:
        con = duckdb.connect(str(Path(folder) / "stage.duckdb"))
        try:
            configure(con, Path(folder))
            stage = _Stage(con, chunk_size)
            for table in TABLES:
                if table in files:
                    stage.load(table, files[table], headers[table])
                else:
                    stage.create_empty(table)
            chunk_count = stage.prepare(files)
            if citing_dates is not None and dates_header is not None:
                patentsview_dates.stage_citing_dates(con, citing_dates, dates_header)
            else:
                patentsview_dates.create_empty(con)
            for chunk_no in range(chunk_count):
                yield _build_chunk(stage, chunk_no, files)
            if "g_us_patent_citation" in files:
                name = files["g_us_patent_citation"].name
                for rows in stage.orphan_citations(chunk_size * 20):
                    yield _citing_chunk(rows, name)
            yield from _leftover_rejects(stage)
        finally:
            con.close()


def _leftover_rejects(stage: _Stage) -> Iterator[Chunk]:
    """Rows that could not be parsed or joined: g_patent rows count as records read."""
    chunk = Chunk()
    for reject in stage.patent_rejects:
        chunk.add_reject(reject)
    chunk.rejects.extend(stage.rejects)
    if chunk.rejects:
        yield chunk


# --------------------------------------------------------------------------- one chunk


def _build_chunk(stage: _Stage, chunk_no: int, files: dict[str, Path]) -> Chunk:
    children = {
        table: by_patent(stage.chunk_rows(table, chunk_no))
        for table in CHILD_TABLES
        if table in files
    }
    file_names = {table: path.name for table, path in files.items()}
    chunk = Chunk()
    for patent in stage.chunk_rows("g_patent", chunk_no):
        document = _document(patent, children, file_names)
        if isinstance(document, Reject):
            chunk.add_reject(document)
            continue
        rows, citation_rejects = document
        chunk.add_document(rows)
        chunk.rejects.extend(citation_rejects)
    return chunk


def _citing_chunk(rows: list[dict[str, Any]], file: str) -> Chunk:
    """Citations made by patents that are not in g_patent: they widen the citing universe
    (``citations`` and ``citing_documents`` rows) without adding corpus patents. Their
    publication date comes from the ``--citing-dates`` file (``citing_date``, checked when
    staged); without it, it is unknown (g_us_patent_citation has only the cited date)."""
    chunk = Chunk()
    for raw_id, group in by_patent(rows).items():
        number = us_number(raw_id)
        if number is None:
            chunk.rejects.append(
                Reject(
                    file,
                    f"row {group[0]['rn']}",
                    "patent_id",
                    f"not a US patent number: {raw_id!r}",
                )
            )
            continue
        patent_id = "US" + number
        citations, rejects = citation_rows(group, patent_id, file)
        chunk.rows["citations"].extend(citations)
        published = parse_iso_date(group[0]["citing_date"])
        chunk.rows["citing_documents"].append(citing_row(patent_id, "US", published, SOURCE))
        chunk.rejects.extend(rejects)
    return chunk


def _document(
    patent: dict[str, Any],
    children: dict[str, dict[str, list[dict[str, Any]]]],
    file_names: dict[str, str],
) -> tuple[dict[str, list[Row]], list[Reject]] | Reject:
    """All canonical rows of one g_patent row (and citation-date rejects), or its Reject."""
    raw_id = patent["patent_id"]
    related = {table: children.get(table, {}).get(raw_id, []) for table in CHILD_TABLES}
    applications = related["g_application"][:1]
    problem = _patent_problem(patent, file_names["g_patent"]) or _filing_date_problem(
        applications, file_names.get("g_application", ""), raw_id
    )
    if problem is not None:
        return problem
    number = us_number(raw_id)
    assert number is not None
    patent_id = "US" + number
    application = application_row(applications[0], patent_id) if applications else None
    abstracts = related["g_patent_abstract"]
    abstract = patent["patent_abstract"] or (abstracts[0]["patent_abstract"] if abstracts else None)
    citations, citation_rejects = citation_rows(
        related["g_us_patent_citation"], patent_id, file_names.get("g_us_patent_citation", "")
    )
    rows: dict[str, list[Row]] = {table: [] for table in TABLE_NAMES}
    rows["patents"] = [patent_row(patent, patent_id, number, abstract, application)]
    rows["applications"] = [application] if application else []
    inventors = related["g_inventor_disambiguated"]
    assignees = related["g_assignee_disambiguated"]
    rows["inventors"] = [inventor_row(r, patent_id, n) for n, r in enumerate(inventors)]
    rows["parties"] = [assignee_row(r, patent_id, n) for n, r in enumerate(assignees)]
    rows["classifications"] = [
        *cpc_rows(related["g_cpc_current"], patent_id),
        *ipc_rows(related["g_ipc_at_issue"], patent_id),
    ]
    rows["citations"] = citations
    if "g_us_patent_citation" in file_names:
        # the patent's references are loaded: it belongs to the citing universe
        rows["citing_documents"] = [
            citing_row(patent_id, "US", rows["patents"][0]["publication_date"], SOURCE)
        ]
    rows["related_documents"] = related_rows(related["g_us_rel_doc"], patent_id)
    rows["priority_claims"] = [
        priority_row(row, patent_id, n) for n, row in enumerate(related["g_foreign_priority"])
    ]
    rows["pct_data"] = pct_rows(related["g_pct_data"], patent_id)
    rows["terms"] = [term_row(row, patent_id) for row in related["g_us_term_of_grant"][:1]]
    rows["examiners"] = [
        examiner_row(row, patent_id) for row in related["g_examiner_not_disambiguated"]
    ]
    rows["agents"] = [
        attorney_row(row, patent_id, n)
        for n, row in enumerate(related["g_attorney_not_disambiguated"])
    ]
    figures = related["g_figures"][:1]
    if figures:
        rows["patents"][0]["figures_count"] = int_value(figures[0]["num_figures"])
        rows["patents"][0]["drawing_sheets"] = int_value(figures[0]["num_sheets"])
    return rows, citation_rejects


def _patent_problem(patent: dict[str, Any], file: str) -> Reject | None:
    """Why a g_patent row cannot be loaded, if it cannot."""
    where = f"row {patent['rn']}"
    raw_id = patent["patent_id"]
    if raw_id is None:
        return Reject(file, where, "patent_id", "missing patent_id")
    if us_number(raw_id) is None:
        return Reject(file, where, "patent_id", f"not a US patent number: {raw_id!r}", raw_id)
    if patent["first_rn"] != patent["rn"]:
        reason = f"repeats the patent_id of row {patent['first_rn']}"
        return Reject(file, where, "patent_id", reason, raw_id)
    if patent["patent_date"] is not None and parse_iso_date(patent["patent_date"]) is None:
        reason = f"impossible date {patent['patent_date']!r}"
        return Reject(file, where, "patent_date", reason, raw_id)
    return None


def _filing_date_problem(
    applications: list[dict[str, Any]], file: str, raw_id: str
) -> Reject | None:
    for row in applications:
        if row["filing_date"] is not None and parse_iso_date(row["filing_date"]) is None:
            reason = f"impossible date {row['filing_date']!r}"
            return Reject(file, f"row {row['rn']}", "filing_date", reason, raw_id)
    return None
