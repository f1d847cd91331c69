"""DOCDB/INPADOC-style family tables: columns, publication numbers, rejects, the CLI."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from loadhelpers import make_target
from typer.testing import CliRunner

from ipops.cli.app import app
from ipops.corpus.families import parse_publication, read_family_table
from ipops.corpus.loaders import load_families
from ipops.errors import InputFormatError, ValidationError

# US8418361 (division of a 2008 application) claims Korean priority KR 10-2008-0034874;
# its family members here are written the ways exports write them.
TABLE = """docdb_family_id,publication_number,kind,filing_date,publication_date
39830341,"US 8,418,361 B2",,2011-11-21,2013-04-16
39830341,US 2012/0060369 A1,,2011-11-21,2012-03-15
39830341,KR1020090109327A,,2008-04-15,20091020
39830341,US2009257553A1,,2008-06-26,2009-10-15
,US1234567B1,,,
39830341,not a number,,,
39830341,CN101561234A,,2009-04-13,2009-10-21
"""


@pytest.mark.parametrize(
    ("written", "parsed"),
    [
        ("EP 1 234 567 A1", ("EP", "1234567", "A1")),
        ("US 8,420,883 B2", ("US", "8420883", "B2")),
        ("USD0512345S", ("US", "D512345", "S")),
        ("USRE41234E", ("US", "RE41234", "E")),
        ("US 2013/0012345 A1", ("US", "20130012345", "A1")),
        ("CN102345678A", ("CN", "102345678", "A")),
        ("WO2009/012345", ("WO", "2009012345", None)),
        ("EP0123456", ("EP", "123456", None)),
    ],
)
def test_publication_numbers_become_corpus_ids(
    written: str, parsed: tuple[str, str, str | None]
) -> None:
    assert parse_publication(written) == parsed


def test_office_column_completes_a_bare_number() -> None:
    assert parse_publication("1234567 B1", "ep") == ("EP", "1234567", "B1")


def test_rows_rejects_and_family_type_from_the_header(tmp_path: Path) -> None:
    path = tmp_path / "family.csv"
    path.write_text(TABLE, encoding="utf-8")
    chunks = list(read_family_table(path))
    rows = [row for chunk in chunks for row in chunk.rows["families"]]
    rejects = [reject for chunk in chunks for reject in chunk.rejects]
    assert [row["patent_id"] for row in rows] == [
        "US8418361",
        "US20120060369",
        "KR1020090109327",
        "US2009257553",
        "CN101561234",
    ]
    assert {row["family_type"] for row in rows} == {"docdb"}
    assert rows[2]["publication_date"] == date(2009, 10, 20)
    assert rows[0]["kind"] == "B2"
    assert [(r.location, r.field) for r in rejects] == [
        ("line 6", "family_id"),
        ("line 7", "publication"),
    ]


def test_a_table_without_a_family_column_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "family.csv"
    path.write_text("publication,office\nEP1234567,EP\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="family_id"):
        list(read_family_table(path))


def test_unknown_family_type_names_the_flag(tmp_path: Path) -> None:
    path = tmp_path / "family.csv"
    path.write_text(TABLE, encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        list(read_family_table(path, family_type="simple"))
    assert error.value.field == "family-type"


def test_loaded_families_reach_the_corpus_view(tmp_path: Path) -> None:
    path = tmp_path / "family.csv"
    path.write_text(TABLE, encoding="utf-8")
    target = make_target(tmp_path / "ws")
    report = load_families(target, path)
    assert (report.status, report.records_read, report.records_rejected) == ("committed", 7, 2)
    with target.store.connect() as con:
        offices = con.execute(
            "SELECT family_id, count(DISTINCT office) FROM families GROUP BY family_id"
        ).fetchall()
    assert offices == [("39830341", 3)]
    again = load_families(target, path)
    assert again.status == "skipped"


def test_cli_loads_a_family_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPOPS_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("IPOPS_DATABASE_URL", raising=False)
    path = tmp_path / "family.tsv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter="\t").writerows(csv.reader(TABLE.splitlines()))
    runner = CliRunner()
    assert runner.invoke(app, ["init"], catch_exceptions=False).exit_code == 0
    result = runner.invoke(
        app,
        ["corpus", "families", str(path), "--family-type", "inpadoc", "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"]["families"] == 5
