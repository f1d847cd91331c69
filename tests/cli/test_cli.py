"""The `ipops` command: workspace handling, corpus commands, --json, errors as one line."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipops.cli.app import app

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IPOPS_HOME", str(tmp_path / "ws"))
    monkeypatch.delenv("IPOPS_DATABASE_URL", raising=False)
    return tmp_path / "ws"


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def ipops(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IPOPS_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "ipops.cli.app", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_commands_without_a_workspace_say_what_to_do(home: Path) -> None:
    done = ipops(home, "corpus", "stats")
    assert done.returncode == 5
    assert "ipops init" in done.stderr
    assert "Traceback" not in done.stderr


def test_init_generate_stats_show_query_json(home: Path) -> None:
    created = json.loads(run("init", "--json"))
    assert created["workspace"] == str(home.resolve())
    loaded = json.loads(run("corpus", "generate", "--patents", "300", "--seed", "3", "--json"))
    assert loaded["status"] == "committed" and loaded["rows"]["patents"] == 300
    stats = json.loads(run("corpus", "stats", "--json"))
    assert stats["counts"]["patents"] == 300
    assert stats["generated_patents"] == 300
    rows = json.loads(
        run("corpus", "query", "SELECT patent_id FROM patents ORDER BY patent_id", "--json")
    )
    first = rows[0]["patent_id"]
    shown = json.loads(run("corpus", "show", first, "--json"))
    assert shown["patent"]["patent_id"] == first and shown["patent"]["generated"] is True
    again = json.loads(run("corpus", "generate", "--patents", "300", "--seed", "3", "--json"))
    assert again["status"] == "skipped"
    history = json.loads(run("corpus", "runs", "--json"))
    assert [r["status"] for r in history] == ["skipped", "committed"]


def test_ingest_a_chinese_export_and_show_a_patent(home: Path) -> None:
    run("init")
    report = json.loads(
        run("corpus", "ingest", str(FIXTURES / "cn_table/patsnap_aircon_utf8bom.csv"), "--json")
    )
    assert report["format"] == "cn-table" and report["rows"]["patents"] >= 5
    shown = json.loads(run("corpus", "show", "CN910000101B", "--json"))
    assert shown["patent"]["title"] == "空调器及其控制方法"
    assert shown["parties"][0]["name"] == "珠海示例电器股份有限公司"


def test_errors_are_one_line_with_an_exit_code(home: Path, tmp_path: Path) -> None:
    run("init")
    refused = ipops(home, "corpus", "query", "DELETE FROM patents")
    assert refused.returncode == 2
    assert refused.stderr.strip().startswith("error: sql: only read-only queries")
    unknown = ipops(home, "corpus", "show", "US99999999")
    assert unknown.returncode == 3 and "no patent" in unknown.stderr
    odd = tmp_path / "notes.txt"
    odd.write_text("hello\n")
    wrong = ipops(home, "corpus", "ingest", str(odd))
    assert wrong.returncode == 2 and "not a format ipops reads" in wrong.stderr
    for done in (refused, unknown, wrong):
        assert "Traceback" not in done.stderr


def test_names_harmonize_adds_entity_ids(home: Path, tmp_path: Path) -> None:
    source = tmp_path / "companies.csv"
    source.write_text(
        "name\nSiemens Aktiengesellschaft\nSiemens AG\n珠海示例电器股份有限公司\n", encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    summary = json.loads(
        run("names", "harmonize", str(source), "--column", "name", "--output", str(out), "--json")
    )
    assert summary["rows"] == 3 and summary["entities"] == 2
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert list(rows[0])[-2:] == ["entity_id", "entity_name"]
    assert rows[0]["entity_id"] == rows[1]["entity_id"] != rows[2]["entity_id"]
    missing = ipops(home, "names", "harmonize", str(source), "--column", "company")
    assert missing.returncode == 2 and "company" in missing.stderr


def test_events_change_a_patents_derived_status(home: Path, tmp_path: Path) -> None:
    run("init")
    run("corpus", "ingest", str(FIXTURES / "cn_table/patsnap_aircon_utf8bom.csv"))
    events = tmp_path / "events.csv"
    events.write_text(
        "专利号,日期,事件,相对方\n"
        "CN910000101B,2020-03-17,授权,\n"
        "CN910000101B,2021-05-10,专利权质押合同登记生效,示例银行（演示）\n"
        "CN910000101B,2023-01-05,未缴年费专利权终止,\n"
        "CN910000101B,2023-13-05,授权,\n",
        encoding="utf-8",
    )
    report = json.loads(run("corpus", "events", str(events), "--json"))
    assert report["rows"]["events"] == 3 and report["records_rejected"] == 1
    assert "row 5" in Path(report["rejects_file"]).read_text(encoding="utf-8")
    shown = json.loads(run("corpus", "show", "CN910000101", "--json"))
    assert shown["status"]["status"] == "lapsed"
    assert shown["status"]["pledged"] is True
    assert [e["event_type"] for e in shown["events"]] == [
        "granted",
        "pledged",
        "lapsed_unpaid_fees",
    ]


def test_every_load_is_audited(home: Path) -> None:
    run("init")
    run("corpus", "generate", "--patents", "120", "--seed", "5")
    run("corpus", "generate", "--patents", "120", "--seed", "5")
    records = json.loads(run("audit", "--object", "ingestion_run", "--json"))
    items = records["items"] if isinstance(records, dict) else records
    statuses = sorted(r["after"]["status"] for r in items)
    assert statuses == ["committed", "skipped"]
    assert all(r["actor"].startswith("cli:") for r in items)
