"""The CLI never lies or leaks: tables not dict reprs, flag names in errors, one exit-code
scheme, plain-decimal numbers, file errors as one line, ingest counts that count records."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipops.cli import context
from ipops.cli.app import main


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IPOPS_HOME", str(tmp_path / "ws"))
    monkeypatch.delenv("IPOPS_DATABASE_URL", raising=False)
    monkeypatch.setattr(context.console, "width", 80)
    monkeypatch.setattr(context.err_console, "width", 200)
    return tmp_path / "ws"


def ipops(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``ipops args`` as the console script does: (exit code, stdout, stderr)."""
    try:
        main(list(args))
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


COMPENSATION = [
    "finance", "compensation", "--principal", "1000000", "--repaid", "0",
    "--bank-weak-share", "0.2", "--rate", "0.05", "--benchmark-rate", "0.04",
]  # fmt: skip


def test_errors_name_the_flag_not_the_python_name(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = ipops(capsys, *COMPENSATION, "--days-overdue", "-5")
    assert code == 2
    assert "--days-overdue" in err
    assert "days_overdue" not in err


def test_numbers_in_exponent_form_are_refused_naming_the_form(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = ipops(capsys, "pool", "allocate", "--amount", "1e9", "--country", "CN",
                           "--holdings", str(home / "none.csv"))  # fmt: skip
    assert code == 2
    assert "--amount" in err and "1234.50" in err
    assert "1e9 CNY" not in out


def test_a_missing_file_is_one_line_and_exit_2_everywhere(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(home.parent / "absent.csv")
    ipops(capsys, "init")
    for args in (
        ["pool", "allocate", "--amount", "100", "--country", "CN", "--holdings", missing],
        ["corpus", "ingest", missing],
        ["corpus", "events", missing],
        ["geo", "ingest-publications", missing],
    ):
        code, _, err = ipops(capsys, *args)
        assert code == 2, (args, err)
        assert "Errno" not in err and "Traceback" not in err
        assert [line for line in err.splitlines() if line.startswith("error:")], err


def test_negative_workers_are_refused(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = ipops(capsys, "corpus", "ingest", "--workers", "-3", str(home.parent))
    assert code == 2
    assert "--workers" in err


def test_finance_stats_on_an_empty_workspace_says_there_is_nothing(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ipops(capsys, "init")
    code, out, _ = ipops(capsys, "finance", "stats", "--start", "2024-01-01", "--end", "2024-12-31")
    assert code == 0
    assert "no loans" in out
    assert "None" not in out and "{" not in out


def test_corpus_stats_and_wide_queries_are_tables_at_80_columns(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ipops(capsys, "init")
    assert ipops(capsys, "corpus", "generate", "--patents", "120", "--seed", "3")[0] == 0
    code, out, _ = ipops(capsys, "corpus", "stats")
    assert code == 0
    assert "{" not in out and "first_filing_year" not in out
    code, out, _ = ipops(capsys, "corpus", "query", "SELECT * FROM patents LIMIT 2")
    assert code == 0
    assert "-- row 1 --" in out and "-- row 2 --" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "… │ …" not in out


def test_a_corrupt_file_is_not_recorded_as_loaded_and_strict_checks_again(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    corrupt = tmp_path / "ipg990101.xml"
    corrupt.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<us-patent-grant><broken></us-patent-grant>\n'
    )
    ipops(capsys, "init")
    code, out, err = ipops(capsys, "corpus", "ingest", "--format", "uspto-xml", str(corrupt))
    assert code == 2, out + err
    assert "no record could be loaded" in err
    assert "committed" not in out
    code, out, err = ipops(capsys, "corpus", "ingest", "--strict", "--format", "uspto-xml",
                           str(corrupt))  # fmt: skip
    assert code == 2
    assert "already loaded" not in out + err


def test_ipc_groups_sort_naturally() -> None:
    from types import SimpleNamespace

    from ipops.pool.stats import composition

    patents = [
        SimpleNamespace(in_force=True, member="甲", country="CN", expires_on=None, ipc=ipc)
        for ipc in ("F24F 11/30", "F24F 3/14", "F24F 1/00", "F25B 9/00", "F24F 110/10")
    ]
    groups = [row.key for row in composition(patents).by_ipc_main_group]
    assert groups == ["F24F 1/00", "F24F 3/00", "F24F 11/00", "F24F 110/00", "F25B 9/00"]
