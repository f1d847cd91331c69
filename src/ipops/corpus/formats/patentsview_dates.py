"""Publication dates of citing patents that are not in the corpus (``--citing-dates``).

``g_us_patent_citation`` names each citing patent but carries only the *cited* document's
date, so a citation row whose citing patent is not in the ``g_patent`` of the load gives a
``citing_documents`` row without a publication date. Forward citations within five years
(``fwd_citations_5y``), the citing universe's date range and the cap of the forward window
at the data end all need that date. The dates come from a file shaped like PatentsView's
``g_patent`` table (``g_patent.tsv`` or ``g_patent.tsv.zip``, the full release while the
corpus is a subset of it): only its ``patent_id`` and ``patent_date`` columns are read
(PatentsView "Data Download Dictionary for Granted Patent Data", table g_patent:
https://patentsview.org/download/data-download-dictionary).

How it streams: the two columns are read batch by batch with pyarrow (out of the zip), every
``patent_date`` is checked in the batch (vectorised), and only the rows of citing patents
missing from ``g_patent`` are kept, in the reader's DuckDB stage; the full table (8M rows in
a real release) never becomes Python rows.

Bad input stops the whole load before anything is written (the dates are an auxiliary file:
a bad row there is not one patent's problem but a wrong file): a header without
``patent_id`` or ``patent_date``, a row with the wrong number of fields, or an impossible
``patent_date`` is an ``InputFormatError`` naming the file, the row (1 = the first line after
the header) and the field. A patent listed twice takes its first row's date.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

# the module, not its names: patentsview imports this module in turn
from ipops.corpus.formats import patentsview_rows
from ipops.errors import InputFormatError

FIELD = "citing-dates"
COLUMNS = ("patent_id", "patent_date")
# The stage table the citation reader joins to: number (US number without leading zeros,
# as ``us_number`` writes it) -> patent_date (text, checked).
TABLE = "citing_dates"


def number_sql(column: str) -> str:
    """SQL of ``patentsview_rows.us_number`` for a column: ``D0512345`` -> ``D512345``."""
    cleaned = f"upper(replace(replace({column}, ',', ''), ' ', ''))"
    return f"regexp_replace({cleaned}, '^([A-Z]{{0,2}})0*([0-9]+)$', '\\1\\2')"


def check_dates_file(path: Path) -> list[str]:
    """The header of a citing-dates file; InputFormatError when it is not one."""
    if not path.is_file():
        raise InputFormatError(f"{path}: no such file (--citing-dates)", field=FIELD)
    header = patentsview_rows.read_header(path)
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise InputFormatError(
            f"{path.name}: not a g_patent-shaped dates file: missing column(s) "
            f"{', '.join(missing)} (header has: {', '.join(header) or 'nothing'})",
            field=FIELD,
        )
    return header


def create_empty(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE TABLE {TABLE} (number VARCHAR, patent_date VARCHAR)").fetchall()


def stage_citing_dates(con: duckdb.DuckDBPyConnection, path: Path, header: list[str]) -> None:
    """Fill ``citing_dates`` with the dates of the citing patents missing from ``g_patent``.

    Needs the stage's ``g_us_patent_citation`` and ``patent_key`` tables (after ``prepare``).
    """
    con.execute(
        f"""CREATE TEMP TABLE orphan_numbers AS
            SELECT DISTINCT {number_sql("t.patent_id")} AS number FROM g_us_patent_citation t
            WHERE t.patent_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM patent_key k WHERE k.patent_id = t.patent_id)"""
    ).fetchall()
    orphans = con.sql("SELECT number FROM orphan_numbers").to_arrow_table().column(0)
    invalid = patentsview_rows.InvalidRows(path.name)
    checked = _DateCheck(path.name)
    batches = checked.batches(patentsview_rows.record_batches(path, header, COLUMNS, invalid))
    schema = pa.schema([("number", pa.string()), ("patent_date", pa.string()), ("rn", pa.int64())])
    kept = _kept(batches, orphans.combine_chunks())
    con.register("incoming_dates", pa.RecordBatchReader.from_batches(schema, kept))
    try:
        con.execute(
            f"""CREATE TABLE {TABLE} AS
                SELECT number, arg_min(patent_date, rn) AS patent_date FROM incoming_dates
                GROUP BY number"""
        ).fetchall()
    except (duckdb.Error, pa.ArrowException) as error:
        if checked.problem is not None:
            raise checked.problem from None
        raise InputFormatError(
            f"{path.name}: cannot be read as a TSV table ({error})", field=FIELD
        ) from error
    finally:
        con.unregister("incoming_dates")
    if checked.problem is not None:  # raised in the last batch, after DuckDB had read all
        raise checked.problem
    if invalid.rejects:
        first = invalid.rejects[0]
        raise InputFormatError(
            f"{path.name}: {first.location}: {first.reason}; nothing was loaded", field=FIELD
        )


def _kept(batches: Iterator[pa.RecordBatch], orphans: pa.Array) -> Iterator[pa.RecordBatch]:
    """(number, patent_date, rn) of the rows of citing patents missing from g_patent: the
    filter runs in Arrow, so DuckDB sees only the rows it keeps (memory stays flat)."""
    for batch in batches:
        cleaned = pc.utf8_upper(batch.column(0))
        for character in (",", " "):
            cleaned = pc.replace_substring(cleaned, pattern=character, replacement="")
        number = pc.replace_substring_regex(
            cleaned, pattern="^([A-Z]{0,2})0*([0-9]+)$", replacement="\\1\\2"
        )
        keep = pc.fill_null(pc.is_in(number, value_set=orphans), False)
        columns = [number, batch.column(1), batch.column(2)]
        yield pa.RecordBatch.from_arrays(columns, names=["number", "patent_date", "rn"]).filter(
            keep
        )


class _DateCheck:
    """Passes batches through, stopping at the first impossible ``patent_date``."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problem: InputFormatError | None = None

    def batches(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            self._check(batch)
            yield batch

    def _check(self, batch: pa.RecordBatch) -> None:
        dates = batch.column(1)
        day = pc.utf8_slice_codeunits(dates, 0, 10)
        try:  # the cast is strict (no 2012-02-30) and fast; find the row only on failure
            pc.cast(day, pa.date32())
            return
        except pa.ArrowInvalid:
            pass
        parsed = pc.strptime(day, format="%Y-%m-%d", unit="s", error_is_null=True)
        # strptime rolls 2012-02-30 over to March: a date is possible when it reads back
        same = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), day)
        bad = pc.and_(pc.is_valid(dates), pc.invert(pc.fill_null(same, False)))
        if not pc.any(bad).as_py():
            return
        position = pc.index(bad, True).as_py()
        row = batch.column(2)[position].as_py()
        value = dates[position].as_py()
        patent = batch.column(0)[position].as_py()
        self.problem = InputFormatError(
            f"{self.file}: row {row}: patent_date: impossible date {value!r} (patent_id "
            f"{patent!r}); nothing was loaded",
            field=FIELD,
        )
        raise self.problem
