"""Dates of citing patents that are not in the corpus (``ingest --citing-dates``), issue 13.

The real-data tests write PatentsView-shaped tables from the 421 real USPTO grants
(shared/data/uspto-grant-xml-pvdb, or its vendored copy), as a user with a slice of
PatentsView would have them: ``g_patent`` holds only the 25 grants of the 2005-01-04 weekly
file, ``g_us_patent_citation`` the US patent citations of all 421 grants (so 396 grants are
citing patents missing from ``g_patent``), and the dates file is a ``g_patent`` of all 421
(the "full release", zipped). Expected values are worked out by hand from the weekly files:
every grant of a weekly file issued on that file's Tuesday, the first 2005-01-04 and the
last 2013-04-16, and none of the 421 cites another (so the slice's forward citations are
known zeros). Forward window: 5 years from 2005-01-04 is 2010-01-04, the last day inside it
2010-01-03; without the dates, the universe's dated documents all issued 2005-01-04, so the
window is capped there.

The test of the counting rule uses hand-made rows in PatentsView's layout (data dictionary:
https://patentsview.org/download/data-download-dictionary) with numbers from the reserved
range 900,000,000+ that no real US patent has (docs/corpus.md, "Generated data"): they are
NOT real records.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from loadhelpers import make_target

from ipops.corpus.formats.patentsview import read_patentsview
from ipops.corpus.formats.uspto_xml import parse_file
from ipops.corpus.ingest import LoadTarget, ingest_files
from ipops.corpus.records import Reject
from ipops.errors import InputFormatError, ValidationError
from ipops.valuation.availability import universe_of
from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.indicators import compute_indicators
from realdata import shared_path

Document = dict[str, list[dict[str, Any]]]
G_PATENT = ["patent_id", "patent_type", "patent_date", "patent_title", "wipo_kind", "num_claims"]
CITATION = ["patent_id", "citation_sequence", "citation_patent_id", "citation_date"]
OPTIONS = IndicatorOptions(as_of=date(2025, 1, 1))


def _write(path: Path, header: list[str], rows: Iterable[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows([["" if value is None else str(value) for value in row] for row in rows])
    return path


def _zipped(path: Path) -> Path:
    target = path.with_name(path.name + ".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(path, path.name)
    path.unlink()
    return target


def _pv_id(patent_id: str) -> str:
    return patent_id.removeprefix("US")


def _patent_rows(docs: list[Document]) -> list[list[Any]]:
    rows = []
    for doc in docs:
        p = doc["patents"][0]
        rows.append(
            [_pv_id(p["patent_id"]), p["patent_type"], p["grant_date"], p["title"], p["kind"], 1]
        )
    return rows


def _us_citations(doc: Document) -> list[dict[str, Any]]:
    return [c for c in doc["citations"] if c["cited_office"] == "US" and c["category"] == "patent"]


_DOCS: list[Document] = []


def _real_grants() -> list[Document]:
    if not _DOCS:
        folder = shared_path("uspto-grant-xml-pvdb", "xml")
        for path in sorted(folder.glob("ipg*.xml")):
            _DOCS.extend(doc for doc in parse_file(path) if not isinstance(doc, Reject))
    return _DOCS


def _slice_folder(root: Path, docs: list[Document]) -> tuple[Path, Path]:
    """(the load folder: g_patent of the 2005 grants + every citation, the dates file)."""
    folder = root / "slice"
    folder.mkdir(parents=True)
    first_week = [d for d in docs if d["patents"][0]["grant_date"] == date(2005, 1, 4)]
    _write(folder / "g_patent.tsv", G_PATENT, _patent_rows(first_week))
    _write(
        folder / "g_us_patent_citation.tsv",
        CITATION,
        (
            [_pv_id(c["patent_id"]), c["sequence"], c["cited_number"], c["cited_date"]]
            for doc in docs
            for c in _us_citations(doc)
        ),
    )
    release = root / "release"
    release.mkdir()
    dates = _zipped(_write(release / "g_patent.tsv", G_PATENT, _patent_rows(docs)))
    return folder, dates


def _indicators(target: LoadTarget, root: Path) -> dict[str, dict[str, Any]]:
    found = compute_indicators(target.store, root / "valuation", OPTIONS)
    with duckdb.connect() as con:
        result = con.execute("SELECT * FROM read_parquet(?)", [str(found.path)])
        names = [d[0] for d in result.description or []]
        found_rows = [dict(zip(names, r, strict=True)) for r in result.fetchall()]
    return {row["patent_id"]: row for row in found_rows}


@pytest.mark.realdata
def test_the_reader_dates_every_citing_patent_of_the_real_grants(tmp_path: Path) -> None:
    docs = _real_grants()
    assert len(docs) == 421
    folder, dates = _slice_folder(tmp_path, docs)
    without = _citing(read_patentsview([folder], chunk_size=10))
    with_dates = _citing(read_patentsview([folder], chunk_size=10, citing_dates=dates))
    grants = {d["patents"][0]["patent_id"]: d["patents"][0]["grant_date"] for d in docs}
    first_week = {pid for pid, day in grants.items() if day == date(2005, 1, 4)}
    assert len(first_week) == 25
    citing = {d["patents"][0]["patent_id"] for d in docs if _us_citations(d)} | first_week
    assert set(without) == set(with_dates) == citing
    assert {pid for pid, day in without.items() if day is None} == citing - first_week
    assert with_dates == {pid: grants[pid] for pid in citing}  # each grant's own Tuesday
    assert min(with_dates.values()) == date(2005, 1, 4)
    assert max(with_dates.values()) == date(2013, 4, 16)


def _citing(chunks: Iterable[Any]) -> dict[str, date | None]:
    found: dict[str, date | None] = {}
    for chunk in chunks:
        assert chunk.rejects == []
        for row in chunk.rows["citing_documents"]:
            assert row["patent_id"] not in found
            found[row["patent_id"]] = row["publication_date"]
    return found


@pytest.mark.realdata
def test_the_dates_move_the_universe_range_and_the_window_cap(tmp_path: Path) -> None:
    docs = _real_grants()
    folder, dates = _slice_folder(tmp_path, docs)
    citing = 25 + sum(
        1 for d in docs if _us_citations(d) and d["patents"][0]["grant_date"] != date(2005, 1, 4)
    )

    plain = make_target(tmp_path / "plain")
    report = ingest_files(plain, [folder])
    assert (report.citing_documents, report.citing_undated) == (citing, citing - 25)
    assert f"{citing - 25:,} of {citing:,} citing documents have no publication date" in (
        report.message
    )
    got = _indicators(plain, tmp_path / "plain")
    assert len(got) == 25
    for row in got.values():
        assert row["fwd_universe"] == "loaded"
        assert row["fwd_universe_documents"] == citing  # undated ones are members ...
        # ... but give no dates: the range is the 25 dated grants' single Tuesday
        assert (row["fwd_universe_start"], row["fwd_universe_end"]) == (
            date(2005, 1, 4),
            date(2005, 1, 4),
        )
        assert row["fwd_window_end"] == date(2005, 1, 4)
        assert row["fwd_window_capped"] is True
        assert (row["fwd_citations"], row["fwd_citations_5y"]) == (0, 0)

    dated = make_target(tmp_path / "dated")
    report = ingest_files(dated, [folder], citing_dates=dates)
    assert (report.citing_documents, report.citing_undated) == (citing, 0)
    assert report.as_dict()["citing_documents_undated"] == 0
    assert f"all {citing:,} citing documents have a publication date" in report.message
    got = _indicators(dated, tmp_path / "dated")
    for row in got.values():
        assert row["fwd_universe_documents"] == citing
        assert (row["fwd_universe_start"], row["fwd_universe_end"]) == (
            date(2005, 1, 4),
            date(2013, 4, 16),
        )
        assert row["fwd_window_end"] == date(2010, 1, 3)  # 5 full years, not capped
        assert row["fwd_window_capped"] is False
        assert (row["fwd_citations"], row["fwd_citations_5y"]) == (0, 0)  # known zeros


# --------------------------------------------------------------- hand-made layout fixtures
# NOT real records: fictitious numbers from the reserved range 900,000,000+.


def _hand_made(root: Path) -> tuple[Path, Path]:
    folder = root / "pv"
    folder.mkdir(parents=True)
    _write(
        folder / "g_patent.tsv",
        G_PATENT,
        [["900000001", "utility", "2010-06-01", "Hand-made layout fixture", "B2", "3"]],
    )
    _write(
        folder / "g_us_patent_citation.tsv",
        CITATION,
        [
            ["900000101", "0", "900000001", "2010-06-01"],  # dated 2012: inside 5 years
            ["900000102", "0", "900000001", "2010-06-01"],  # dated 2017: outside
            ["900000103", "0", "900000001", "2010-06-01"],  # no date in the dates file
        ],
    )
    dates = _write(
        root / "dates.tsv",
        ["patent_id", "patent_date", "patent_title"],
        [
            ["900000101", "2012-02-07", "first row wins"],
            ["0900000101", "2013-02-05", "same patent, leading zero: ignored"],
            ["900000102", "2017-03-07", ""],
            ["900000999", "2011-01-04", "cites nothing: not kept"],
        ],
    )
    return folder, dates


def test_an_undated_citing_document_counts_in_fwd_citations_but_not_within_five_years(
    tmp_path: Path,
) -> None:
    folder, dates = _hand_made(tmp_path)
    target = make_target(tmp_path / "ws")
    report = ingest_files(target, [folder], citing_dates=dates)
    assert (report.citing_documents, report.citing_undated) == (4, 1)
    with target.store.connect() as con:
        universe = dict(con.execute("SELECT patent_id, publication_date FROM citing_documents")
                        .fetchall())  # fmt: skip
    assert universe == {
        "US900000001": date(2010, 6, 1),
        "US900000101": date(2012, 2, 7),
        "US900000102": date(2017, 3, 7),
        "US900000103": None,
    }
    row = _indicators(target, tmp_path / "ws")["US900000001"]
    # all three citing documents are in the universe: 3 forward citations; within five
    # years only the one *dated* before 2015-06-01: an undated one is never assumed inside
    assert (row["fwd_citations"], row["fwd_citations_5y"]) == (3, 1)
    assert (row["fwd_universe_documents"], row["fwd_universe_undated"]) == (4, 1)
    assert (row["fwd_universe_start"], row["fwd_universe_end"]) == (
        date(2010, 6, 1),
        date(2017, 3, 7),
    )
    assert row["fwd_window_end"] == date(2015, 5, 31)
    shown = universe_of(row)
    assert shown.describe().endswith(
        "; 1 without a date: counted in forward citations, never within the window "
        "(the window's count is a lower bound)"
    )
    assert "其中 1 件无公开日" in shown.describe(zh=True)


def _nothing_written(target: LoadTarget) -> None:
    assert not target.store.manifest().batches


def test_a_dates_file_without_patent_date_is_refused_before_reading(tmp_path: Path) -> None:
    folder, _ = _hand_made(tmp_path)
    wrong = _write(tmp_path / "g_patent_ids.tsv", ["patent_id", "patent_title"], [["1", "x"]])
    target = make_target(tmp_path / "ws")
    with pytest.raises(InputFormatError) as caught:
        ingest_files(target, [folder], citing_dates=wrong)
    assert "g_patent_ids.tsv" in str(caught.value)
    assert "missing column(s) patent_date" in str(caught.value)
    assert caught.value.field == "citing-dates"
    _nothing_written(target)


@pytest.mark.parametrize(
    ("bad_date", "row"), [("2012-02-30", 3), ("March 2012", 3), ("2012-02-00", 3)]
)
def test_an_impossible_date_on_row_n_names_file_row_and_field(
    tmp_path: Path, bad_date: str, row: int
) -> None:
    folder, _ = _hand_made(tmp_path)
    dates = _write(
        tmp_path / "g_patent.tsv",
        ["patent_id", "patent_date"],
        [["900000101", "2012-02-07"], ["900000102", "2017-03-07"], ["900000777", bad_date]],
    )
    target = make_target(tmp_path / "ws")
    with pytest.raises(InputFormatError) as caught:
        ingest_files(target, [folder], citing_dates=_zipped(dates))
    message = str(caught.value)
    assert f"g_patent.tsv.zip: row {row}: patent_date: impossible date" in message
    assert repr(bad_date) in message and "900000777" in message
    _nothing_written(target)


def test_a_row_with_the_wrong_number_of_fields_stops_the_load(tmp_path: Path) -> None:
    folder, _ = _hand_made(tmp_path)
    dates = tmp_path / "dates.tsv"
    dates.write_text("patent_id\tpatent_date\n900000101\t2012-02-07\n900000102\n", "utf-8")
    target = make_target(tmp_path / "ws")
    with pytest.raises(InputFormatError, match=r"dates.tsv: .*expected 2 fields, found 1"):
        ingest_files(target, [folder], citing_dates=dates)
    _nothing_written(target)


def test_citing_dates_need_patentsview_tables_with_a_citation_table(tmp_path: Path) -> None:
    folder, dates = _hand_made(tmp_path)
    target = make_target(tmp_path / "ws")
    (folder / "g_us_patent_citation.tsv").unlink()
    with pytest.raises(InputFormatError, match="need a g_us_patent_citation table"):
        ingest_files(target, [folder], citing_dates=dates)
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "cn_table"
    table = sorted(fixtures.glob("*.csv"))[0]
    with pytest.raises(ValidationError, match="applies to PatentsView tables"):
        ingest_files(target, [table], citing_dates=dates)
    _nothing_written(target)


def test_the_cli_option_and_its_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ipops.cli.app import app

    folder, dates = _hand_made(tmp_path)
    monkeypatch.setenv("IPOPS_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("IPOPS_DATABASE_URL", raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    args = ["corpus", "ingest", str(folder), "--citing-dates", str(dates), "--json"]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    payload = json.loads(done.stdout)
    assert (payload["citing_documents"], payload["citing_documents_undated"]) == (4, 1)
    bad = _write(tmp_path / "bad.tsv", ["patent_id"], [["900000101"]])
    refused = runner.invoke(app, ["corpus", "ingest", str(folder), "--citing-dates", str(bad)])
    assert refused.exit_code != 0  # the command's error, mapped to an exit code by main()
    assert isinstance(refused.exception, InputFormatError)
    assert "bad.tsv" in str(refused.exception) and "patent_date" in str(refused.exception)
