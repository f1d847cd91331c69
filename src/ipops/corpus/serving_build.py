"""Building the serving index: one SQLite file per corpus snapshot, for interactive look-ups.

DuckDB over Parquet is made for whole-corpus analytics; a web page or an API call wants
one patent, or one page of search hits, in about a millisecond. So for each snapshot the
corpus is indexed once into ``corpus/serving/<snapshot_id>.sqlite``:

* ``detail``: each patent's full record (what ``queries.show_patent`` returns) as JSON,
  keyed by ``patent_id``, built set-wise by DuckDB;
* ``hits``: one summary row per patent (the columns of a search result), with B-tree
  indexes on number, years and dates;
* ``hit_text``: an FTS5 table with the trigram tokenizer over titles and party names, so
  that words match anywhere (Chinese titles have no spaces);
* ``hit_class``: IPC/CPC symbols for prefix search.

The file is written under a temporary name and renamed when complete, so a reader sees a
whole index or none. ``serving.ServingIndex`` answers from it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from ipops.corpus.store import CorpusStore, process_alive

FORMAT = 4
_BUILD_MEMORY = "1GB"
_BATCH_ROWS = 5_000

# One part of the patents at a time (``{part}`` selects it by a hash of the patent id):
# DuckDB cannot spill list aggregates, so a whole large corpus at once ran out of memory.
_DETAIL_SQL = """
WITH
  pat AS (SELECT * FROM patents WHERE {part}),
  app AS (SELECT patent_id, list(a ORDER BY application_id) AS v
          FROM applications a WHERE {part} GROUP BY patent_id),
  par AS (SELECT patent_id, list(x ORDER BY role, sequence) AS v
          FROM parties x WHERE {part} GROUP BY patent_id),
  inv AS (SELECT patent_id, list(i ORDER BY sequence) AS v
          FROM inventors i WHERE {part} GROUP BY patent_id),
  cls AS (SELECT patent_id, list(c ORDER BY scheme, sequence) AS v
          FROM classifications c WHERE {part} GROUP BY patent_id),
  made AS (SELECT c.patent_id,
                  list(struct_insert(c, cited_title := t.title) ORDER BY c.sequence) AS v
           FROM citations c LEFT JOIN patents t ON t.patent_id = c.cited_patent_id
           WHERE {citing_part}
           GROUP BY c.patent_id),
  recv AS (SELECT c.cited_patent_id AS patent_id,
                  list({{'citing_patent_id': c.patent_id, 'citing_title': t.title,
                        'citing_publication_date': t.publication_date,
                        'cited_by': c.cited_by}} ORDER BY c.patent_id) AS v
           FROM citations c LEFT JOIN patents t ON t.patent_id = c.patent_id
           WHERE {cited_part} AND c.cited_patent_id IN (SELECT patent_id FROM pat)
           GROUP BY c.cited_patent_id),
  ev AS (SELECT patent_id, list(e ORDER BY event_date) AS v
         FROM events e WHERE {part} GROUP BY patent_id),
  st AS (SELECT * FROM patent_status WHERE {part})
SELECT p.patent_id,
       json_object(
         'patent', p,
         'applications', coalesce(app.v, []),
         'parties', coalesce(par.v, []),
         'inventors', coalesce(inv.v, []),
         'classifications', coalesce(cls.v, []),
         'citations_made', coalesce(made.v, []),
         'citations_received', coalesce(recv.v, []),
         'events', coalesce(ev.v, []),
         'status', CASE WHEN s.patent_id IS NULL THEN NULL ELSE s END
       )::VARCHAR AS body
FROM pat p
LEFT JOIN app USING (patent_id) LEFT JOIN par USING (patent_id)
LEFT JOIN inv USING (patent_id) LEFT JOIN cls USING (patent_id)
LEFT JOIN made USING (patent_id) LEFT JOIN recv USING (patent_id)
LEFT JOIN ev USING (patent_id) LEFT JOIN st s USING (patent_id)
"""
_PATENTS_PER_PART = 20_000


def _detail_parts(con: duckdb.DuckDBPyConnection) -> Iterator[str]:
    """The detail query once per part of the corpus, each part small enough for memory."""
    row = con.execute("SELECT count(*) FROM patents").fetchone()
    parts = max(1, -(-(row[0] if row else 0) // _PATENTS_PER_PART))
    for part in range(parts):
        yield _DETAIL_SQL.format(
            part=f"hash(patent_id) % {parts} = {part}",
            citing_part=f"hash(c.patent_id) % {parts} = {part}",
            cited_part=f"hash(c.cited_patent_id) % {parts} = {part}",
        )


_HITS_SQL = """
WITH
  applicants AS (
    SELECT patent_id,
           arg_min(name, (CASE WHEN role = 'applicant' THEN 0 ELSE 1 END) * 100000
                         + coalesce(sequence, 99999)) AS first_applicant,
           string_agg(DISTINCT name, ' | ' ORDER BY name) || ' | '
             || coalesce(string_agg(DISTINCT name_normalized, ' | '
                                    ORDER BY name_normalized), '') AS party_text
    FROM parties GROUP BY patent_id),
  main_ipc AS (
    SELECT patent_id,
           arg_min(symbol, (CASE WHEN is_main THEN 0 ELSE 1 END) * 100000
                           + coalesce(sequence, 99999)) AS main_ipc
    FROM classifications WHERE scheme = 'IPC' GROUP BY patent_id)
SELECT p.patent_id, p.number, p.office, p.kind, p.doc_type, p.title,
       p.filing_date::VARCHAR, p.publication_date::VARCHAR, year(p.filing_date),
       a.first_applicant, i.main_ipc, coalesce(a.party_text, '')
FROM patents p
LEFT JOIN applicants a USING (patent_id) LEFT JOIN main_ipc i USING (patent_id)
ORDER BY p.publication_date DESC NULLS LAST, p.patent_id
"""

_CLASS_SQL = """
SELECT DISTINCT symbol, patent_id FROM classifications
WHERE scheme IN ('IPC', 'CPC') AND symbol IS NOT NULL
UNION
SELECT DISTINCT subclass, patent_id FROM classifications
WHERE scheme IN ('IPC', 'CPC') AND subclass IS NOT NULL
"""

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE detail (patent_id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE hits (
  id INTEGER PRIMARY KEY, patent_id TEXT NOT NULL UNIQUE, number TEXT, office TEXT,
  kind TEXT, doc_type TEXT, title TEXT, filing_date TEXT, publication_date TEXT,
  filing_year INTEGER, first_applicant TEXT, main_ipc TEXT);
CREATE VIRTUAL TABLE hit_text USING fts5(title, party, tokenize = 'trigram');
CREATE VIRTUAL TABLE hit_pairs USING fts5(
  title, party, tokenize = "unicode61 remove_diacritics 0");
CREATE TABLE hit_class (symbol TEXT NOT NULL, filing_year INTEGER, id INTEGER NOT NULL);
"""

_INDEXES = """
CREATE INDEX hits_number ON hits (number);
CREATE INDEX hits_year ON hits (filing_year);
CREATE INDEX hit_class_symbol ON hit_class (symbol, filing_year, id);
CREATE INDEX hit_class_rank ON hit_class (symbol, id, filing_year);
"""


def index_path(store: CorpusStore, snapshot_id: str) -> Path:
    return store.root / "serving" / f"{snapshot_id}-v{FORMAT}.sqlite"


def build_serving_index(store: CorpusStore) -> Path:
    """Index the current snapshot (idempotent: an index already built is kept)."""
    manifest = store.manifest()
    path = index_path(store, manifest.snapshot_id)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.partial")
    partial.unlink(missing_ok=True)
    with store.connect() as con, sqlite3.connect(partial) as db:
        _bound_memory(con, path.parent)
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        _copy_hits(con, db)
        for detail_sql in _detail_parts(con):
            _copy_rows(con, db, detail_sql, "INSERT INTO detail VALUES (?, ?)")
        _copy_rows(
            con,
            db,
            _CLASS_SQL,
            "INSERT INTO hit_class SELECT ?, filing_year, id FROM hits WHERE patent_id = ?",
        )
        db.executescript(_INDEXES)
        db.execute("INSERT INTO meta VALUES ('snapshot_id', ?)", [manifest.snapshot_id])
        db.commit()
    partial.replace(path)
    _remove_other_indexes(path)
    return path


def _bound_memory(con: duckdb.DuckDBPyConnection, scratch: Path) -> None:
    """Build within a fixed memory budget (spilling to disk) beside a running server."""
    con.execute(f"SET memory_limit = '{_BUILD_MEMORY}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET temp_directory = ?", [str(scratch / ".spill")])


def _copy_hits(con: duckdb.DuckDBPyConnection, db: sqlite3.Connection) -> None:
    for rows in _batches(con, _HITS_SQL):
        db.executemany(
            "INSERT INTO hits (patent_id, number, office, kind, doc_type, title, filing_date, "
            "publication_date, filing_year, first_applicant, main_ipc) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [row[:11] for row in rows],
        )
        db.executemany(
            "INSERT INTO hit_text (rowid, title, party) "
            "SELECT id, ?, ? FROM hits WHERE patent_id = ?",
            [(row[5] or "", row[11], row[0]) for row in rows],
        )
        db.executemany(
            "INSERT INTO hit_pairs (rowid, title, party) "
            "SELECT id, ?, ? FROM hits WHERE patent_id = ?",
            [(character_pairs(row[5] or ""), character_pairs(row[11]), row[0]) for row in rows],
        )


def _copy_rows(
    con: duckdb.DuckDBPyConnection, db: sqlite3.Connection, sql: str, insert: str
) -> None:
    for rows in _batches(con, sql):
        db.executemany(insert, rows)


def _batches(con: duckdb.DuckDBPyConnection, sql: str) -> Iterator[list[tuple[Any, ...]]]:
    result = con.execute(sql)
    while rows := result.fetchmany(_BATCH_ROWS):
        yield rows


def _remove_other_indexes(keep: Path) -> None:
    """Older snapshots' indexes, and builds whose process has died."""
    for old in keep.parent.glob("*.sqlite"):
        if old != keep:
            old.unlink(missing_ok=True)
    for partial in keep.parent.glob("*.partial"):
        pid = partial.suffixes[-2].lstrip(".").split("-")[0] if len(partial.suffixes) > 1 else ""
        if pid.isdigit() and not process_alive(int(pid)):
            partial.unlink(missing_ok=True)


def character_pairs(text: str) -> str:
    """Each word's overlapping two-character pieces: "空调器" -> "空调 调器".

    Two-character words (空调, 专利) are too short for the trigram index; as tokens of
    their own they are found through ``hit_pairs`` instead of a scan.
    """
    return " ".join(word[i : i + 2] for word in text.lower().split() for i in range(len(word) - 1))
