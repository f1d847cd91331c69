"""Loads end to end: detection, real samples, rejects, strict, idempotence, enrichment."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from loadhelpers import make_target

from ipops.corpus.ingest import ingest_files
from ipops.corpus.queries import fetch_dicts, fetch_value, show_patent
from ipops.errors import InputFormatError, ValidationError

FIXTURES = Path(__file__).parents[1] / "fixtures"
BROKEN_GRANT = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v42-2006-08-23.dtd" [ ]>
<us-patent-grant lang="EN" dtd-version="v4.2 2006-08-23"><us-bibliographic-data-grant>
<publication-reference><document-id><country>US</country><doc-number>07999999</doc-number>
<kind>B2</kind><date>20110231</date></document-id></publication-reference>
</us-bibliographic-data-grant></us-patent-grant>
"""


@pytest.fixture
def grants_dir(shared_data: Path) -> Path:
    return shared_data / "uspto-grant-xml-pvdb" / "xml"


def test_real_weekly_files_load_with_every_count(tmp_path: Path, grants_dir: Path) -> None:
    target = make_target(tmp_path)
    report = ingest_files(target, [grants_dir], workers=2)
    assert report.status == "committed" and report.records_rejected == 0
    with target.store.connect() as con:
        grants = fetch_value(con, "SELECT count(*) FROM patents WHERE doc_type = 'grant'")
        # SOURCE.txt: 421 grants, 894 inventors, 368 assignees, 316 IPCR, 10,395 citations
        assert grants == 421
        assert (
            fetch_value(
                con,
                "SELECT count(*) FROM inventors i JOIN patents p USING (patent_id) "
                "WHERE p.doc_type = 'grant'",
            )
            == 894
        )
        assert (
            fetch_value(
                con,
                "SELECT count(*) FROM parties r JOIN patents p USING (patent_id) "
                "WHERE p.doc_type = 'grant' AND r.role = 'assignee'",
            )
            == 368
        )
        assert (
            fetch_value(
                con,
                "SELECT count(*) FROM classifications c JOIN patents p USING (patent_id) "
                "WHERE p.doc_type = 'grant' AND c.scheme = 'IPC' AND c.version LIKE '20%'",
            )
            == 316
        )
        assert fetch_value(con, "SELECT count(*) FROM citations") == 10_395
        no_entity = fetch_value(con, "SELECT count(*) FROM parties WHERE entity_id IS NULL")
        assert no_entity == 0
        at_zero = fetch_value(
            con, "SELECT count(*) FROM inventors WHERE latitude = 0 AND longitude = 0"
        )
        assert at_zero == 0
    assert report.geocode_match_rate is not None and report.geocode_match_rate > 0.85


def test_loading_the_same_files_twice_changes_nothing(tmp_path: Path, grants_dir: Path) -> None:
    target = make_target(tmp_path)
    ingest_files(target, [grants_dir], workers=1)
    manifest = target.store.manifest()
    again = ingest_files(target, [grants_dir], workers=1)
    assert again.status == "skipped"
    assert target.store.manifest() == manifest


def test_a_zipped_weekly_file_loads_like_the_plain_one(tmp_path: Path, grants_dir: Path) -> None:
    plain = grants_dir / "ipg050104.small.xml"
    archive = tmp_path / "ipg050104.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(plain, plain.name)
    target = make_target(tmp_path / "ws")
    report = ingest_files(target, [archive])
    assert report.row_counts["patents"] == 25


def test_a_bad_document_is_rejected_and_the_good_ones_load(
    tmp_path: Path, grants_dir: Path
) -> None:
    weekly = tmp_path / "ipg-mixed.xml"
    weekly.write_bytes((grants_dir / "ipg050104.small.xml").read_bytes() + BROKEN_GRANT)
    target = make_target(tmp_path / "ws")
    report = ingest_files(target, [weekly])
    assert report.records_read == 26 and report.records_rejected == 1
    assert report.rejects_path is not None
    rejects = Path(report.rejects_path).read_text()
    assert "document 26" in rejects and "publication-reference/date" in rejects
    assert report.row_counts["patents"] == 25


def test_strict_fails_whole_and_writes_nothing(tmp_path: Path, grants_dir: Path) -> None:
    weekly = tmp_path / "ipg-mixed.xml"
    weekly.write_bytes((grants_dir / "ipg050104.small.xml").read_bytes() + BROKEN_GRANT)
    target = make_target(tmp_path / "ws")
    with pytest.raises(ValidationError, match="document 26"):
        ingest_files(target, [weekly], strict=True)
    assert target.store.manifest().batches == ()


def test_a_file_of_no_known_format_is_one_clear_error(tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("just some notes\n")
    with pytest.raises(InputFormatError, match=r"notes\.txt: not a format ipops reads"):
        ingest_files(make_target(tmp_path / "ws"), [odd])
    with pytest.raises(InputFormatError, match="no such file"):
        ingest_files(make_target(tmp_path / "ws"), [tmp_path / "missing.xml"])


def test_files_of_different_formats_in_one_load_are_refused(
    tmp_path: Path, grants_dir: Path
) -> None:
    with pytest.raises(InputFormatError, match="different formats"):
        ingest_files(
            make_target(tmp_path),
            [grants_dir / "ipg050104.small.xml", FIXTURES / "cn_table/patsnap_aircon_utf8bom.csv"],
        )


def test_patentsview_folder_and_chinese_export_load(tmp_path: Path) -> None:
    target = make_target(tmp_path)
    folder = tmp_path / "pv"
    shutil.copytree(FIXTURES / "patentsview", folder)
    pv = ingest_files(target, [folder])
    cn = ingest_files(target, [FIXTURES / "cn_table" / "patsnap_aircon_utf8bom.csv"])
    assert (pv.source_format, cn.source_format) == ("patentsview", "cn-table")
    with target.store.connect() as con:
        sources = dict(
            con.execute("SELECT source, count(*) FROM patents GROUP BY source").fetchall()
        )
        assert sources["patentsview"] == pv.row_counts["patents"]
        assert sources["cn-table"] == cn.row_counts["patents"]
        shili = fetch_dicts(
            con, "SELECT * FROM parties WHERE name = '珠海示例电器股份有限公司' LIMIT 1"
        )[0]
        assert shili["entity_id"] and shili["latitude"] is not None  # geocoded: 珠海


def test_show_finds_a_grant_by_its_printed_number(tmp_path: Path, grants_dir: Path) -> None:
    target = make_target(tmp_path)
    ingest_files(target, [grants_dir / "ipg050104.small.xml"], workers=1)
    with target.store.connect() as con:
        first = fetch_value(con, "SELECT patent_id FROM patents ORDER BY patent_id LIMIT 1")
        kind = fetch_value(con, "SELECT kind FROM patents WHERE patent_id = ?", [first])
        printed = f"{first[:2]} {first[2:]} {kind}"
        shown = show_patent(con, printed)
        assert shown.patent.patent_id == first
        assert shown.inventors and shown.classifications
