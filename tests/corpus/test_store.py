"""The corpus store: atomic batches, idempotent loads, latest batch wins, read-only SQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from loadhelpers import job, make_target, patent_rows

from ipops.corpus.ingest import load
from ipops.corpus.queries import fetch_value, run_query
from ipops.corpus.records import Reject
from ipops.corpus.store import CorpusStore, ensure_read_only
from ipops.errors import ValidationError


def count(store: CorpusStore, table: str) -> int:
    with store.connect() as con:
        return int(fetch_value(con, f"SELECT count(*) FROM {table}"))


def test_empty_corpus_has_every_view(tmp_path: Path) -> None:
    store = CorpusStore(tmp_path / "corpus")
    with store.connect() as con:
        for table in ("patents", "inventors", "citations", "events"):
            assert fetch_value(con, f"SELECT count(*) FROM {table}") == 0
    assert store.manifest().snapshot_id == "empty"


def test_same_load_twice_leaves_the_same_corpus(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    first = load(target, job("k1"), [patent_rows(["US1", "US2"])])
    snapshot = target.store.manifest().snapshot_id
    second = load(target, job("k1"), [patent_rows(["US1", "US2"])])
    assert (first.status, second.status) == ("committed", "skipped")
    assert target.store.manifest().snapshot_id == snapshot
    assert count(target.store, "patents") == 2
    assert count(target.store, "inventors") == 2


def test_a_later_batch_replaces_a_patent_and_its_children(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    load(target, job("old"), [patent_rows(["US1", "US2"], title="Old")])
    load(target, job("new"), [patent_rows(["US2", "US3"], title="New")])
    store = target.store
    assert count(store, "patents") == 3
    assert count(store, "inventors") == 3
    with store.connect() as con:
        titles = dict(con.execute("SELECT patent_id, title FROM patents").fetchall())
    assert titles == {"US1": "Old US1", "US2": "New US2", "US3": "New US3"}


def test_batches_written_before_a_column_was_added_still_read(tmp_path: Path) -> None:
    """A batch from an older release lacks the columns added since: they read as null."""
    target = make_target(tmp_path)
    load(target, job("old"), [patent_rows(["US1", "US2"], title="Old")])
    store = target.store
    ((old_file, _),) = store.table_files("patents")
    table = pq.read_table(old_file)
    pq.write_table(table.drop_columns(["figures_count", "drawing_sheets"]), old_file)
    load(target, job("new"), [patent_rows(["US2", "US3"], title="New")])
    with store.connect() as con:
        rows = con.execute(
            "SELECT patent_id, title, figures_count FROM patents ORDER BY patent_id"
        ).fetchall()
    assert rows == [("US1", "Old US1", None), ("US2", "New US2", None), ("US3", "New US3", None)]


def test_strict_load_with_a_reject_writes_nothing(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    load(target, job("base"), [patent_rows(["US1"])])
    bad = patent_rows(["US7"])
    bad.rejects.append(Reject("f.xml", "document 2", "publication-date", "impossible date"))
    with pytest.raises(ValidationError, match="document 2"):
        load(target, job("bad", strict=True), [bad])
    assert count(target.store, "patents") == 1
    assert not any((target.store.root / ".staging").glob("*/*"))


def test_non_strict_load_keeps_good_records_and_writes_rejects(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    part = patent_rows(["US1", "US2"])
    part.rejects.append(Reject("f.xml", "document 3", "doc-number", "missing", None))
    report = load(target, job("mixed"), [part])
    assert report.records_rejected == 1
    assert report.rejects_path is not None
    text = Path(report.rejects_path).read_text()
    assert "document 3" in text and "doc-number" in text
    assert count(target.store, "patents") == 2


def test_a_failing_reader_leaves_the_previous_corpus(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    load(target, job("base"), [patent_rows(["US1"])])

    def broken():  # type: ignore[no-untyped-def]
        yield patent_rows(["US8"])
        raise OSError("disk read failed")

    with pytest.raises(OSError):
        load(target, job("broken"), broken())
    assert count(target.store, "patents") == 1


KILLED_LOAD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from loadhelpers import job, make_target, patent_rows
    from ipops.corpus.ingest import load

    def slow():
        for i in range(1000):
            yield patent_rows([f"US{{1000 + i}}"])
            if i == 5:
                Path({ready!r}).write_text("ready")
            time.sleep(0.05)

    load(make_target(Path({root!r})), job("slow"), slow())
    """
)


def test_kill_9_during_a_load_leaves_the_previous_corpus_complete(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    load(target, job("base"), [patent_rows(["US1", "US2"])])
    before = target.store.manifest()
    ready = tmp_path / "ready"
    script = KILLED_LOAD.format(
        tests=str(Path(__file__).parent), ready=str(ready), root=str(tmp_path)
    )
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 60
    while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), "the load never started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = CorpusStore(tmp_path / "corpus")
    assert store.manifest() == before
    assert count(store, "patents") == 2
    assert any((store.root / ".staging").iterdir()), "the killed load left its staging folder"
    load(make_target(tmp_path), job("after"), [patent_rows(["US3"])])
    assert not any((store.root / ".staging").iterdir()), "orphaned staging was not cleaned"
    assert count(store, "patents") == 3


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE x (a INT)",
        "INSERT INTO patents (patent_id) VALUES ('X')",
        "COPY (SELECT 1) TO '/tmp/ipops-should-not-exist.csv'",
        "SELECT 1; DROP VIEW patents",
        "ATTACH ':memory:' AS other",
    ],
)
def test_query_refuses_writes(sql: str) -> None:
    with pytest.raises(ValidationError, match="read-only"):
        ensure_read_only(sql)


def test_query_runs_select_and_reports_sql_errors(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    load(target, job("k"), [patent_rows(["US1", "US2", "US3"])])
    with target.store.connect() as con:
        columns, rows = run_query(con, "SELECT patent_id FROM patents ORDER BY 1", limit=2)
        assert columns == ["patent_id"] and rows == [("US1",), ("US2",)]
        with pytest.raises(ValidationError, match="sql"):
            run_query(con, "SELECT nope FROM patents")
