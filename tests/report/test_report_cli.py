"""`ipops report landscape`: files written, --json, bad input as one line naming the option."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ipops.cli.app import main
from ipops.workspace import Workspace


def ipops(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IPOPS_HOME": str(home)}
    env.pop("IPOPS_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "ipops.cli.app", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.mark.slow
def test_a_report_with_json_output(generated_workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "ac.html"
    done = ipops(
        generated_workspace.root, "report", "landscape", "--ipc", "F24F", "--ipc", "F25B",
        "--years", "2008-2024", "--lang", "en", "--title", "Air conditioning", "-o", str(out),
        "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["title"] == "Air conditioning"
    assert payload["patents"] > 100
    assert payload["query"] == {
        "ipc": ["F24F", "F25B"], "words": [], "parties": [], "years": "2008-2024"
    }  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert payload["snapshot_id"] in text
    assert Path(payload["annex_xlsx"]).exists()
    assert (Path(payload["annex_csv"]) / "top_applicants.csv").exists()


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--ipc", "F2X4"), "--ipc"),
        (("--ipc", "空调"), "--ipc"),
        (("--years", "2019-2010"), "--years"),
        (("--years", "1200-1300"), "--years"),
        (("--lang", "fr"), "--lang"),
        (("--as-of", "2024-13-01"), "--as-of"),
    ],
)
def test_bad_input_is_one_line_naming_the_option(
    generated_workspace: Workspace,
    tmp_path: Path,
    args: tuple[str, ...],
    option: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "bad.html"
    code, stderr = run_main(
        monkeypatch, capsys, generated_workspace.root, "report", "landscape", *args, "-o", str(out)
    )
    assert code == 2
    assert stderr.startswith(f"error: {option}:")
    assert "Traceback" not in stderr
    assert not out.exists()


def test_the_output_must_be_html_or_pdf(
    generated_workspace: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = str(tmp_path / "r.docx")
    code, stderr = run_main(monkeypatch, capsys, generated_workspace.root, "report", "landscape",
                            "-o", out)  # fmt: skip
    assert code == 2
    assert "--output" in stderr


def run_main(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    home: Path,
    *args: str,
) -> tuple[int, str]:
    """The command in this process (what ``ipops`` runs), its exit code and stderr."""
    monkeypatch.setenv("IPOPS_HOME", str(home))
    monkeypatch.delenv("IPOPS_DATABASE_URL", raising=False)
    with pytest.raises(SystemExit) as stopped:
        main(list(args))
    return int(stopped.value.code or 0), capsys.readouterr().err
