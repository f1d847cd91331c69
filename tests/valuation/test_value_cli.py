"""`ipops value ...` end to end on a generated workspace: --json everywhere, errors as one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ipops.cli.app import app


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli") / "ws"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPOPS_HOME", str(home))
        patch.delenv("IPOPS_DATABASE_URL", raising=False)
        run("init")
        run("corpus", "generate", "--patents", "600", "--seed", "4")
    return home


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def run_json(home: Path, *args: str) -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPOPS_HOME", str(home))
        patch.delenv("IPOPS_DATABASE_URL", raising=False)
        return json.loads(run(*args, "--json"))


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


def test_score_show_top_and_runs(home: Path) -> None:
    scored = run_json(home, "value", "score", "--as-of", "2025-01-01")
    assert scored["patents"] == 600 and scored["run_id"] == 1
    assert scored["scheme"].startswith("default 1.0")
    top = run_json(home, "value", "top", "--n", "3", "--as-of", "2025-01-01")
    assert top["run"]["run_id"] == 1  # the stored run is reused
    assert [p["rank"] for p in top["patents"]] == [1, 2, 3]
    best = top["patents"][0]["patent_id"]
    shown = run_json(home, "value", "show", best, "--as-of", "2025-01-01")
    assert shown["patent_id"] == best and shown["scheme"] == scored["scheme"]
    assert round(shown["pvd"], 2) == top["patents"][0]["pvd"]
    assert sum(line["contribution"] for line in shown["indicators"]) == pytest.approx(shown["pvd"])
    assert shown["snapshot_id"] == scored["snapshot_id"]
    runs = run_json(home, "value", "runs")
    assert runs[0]["id"] == 1 and runs[0]["scored"] == 600
    text = ipops(home, "value", "show", best, "--as-of", "2025-01-01")
    assert text.returncode == 0 and "PVD" in text.stdout and "TVD" in text.stdout


def test_high_value_and_money(home: Path, tmp_path: Path) -> None:
    report = run_json(home, "value", "high-value", "--as-of", "2025-01-01", "--limit", "5")
    assert report["valid_inventions"] >= report["high_value"] > 0
    assert len(report["patents"]) <= 5 and all(p["reasons"] for p in report["patents"])
    some = report["patents"][0]["patent_id"]
    valued = run_json(
        home,
        "value",
        "money",
        "--revenue",
        "1000000,1100000,1210000",
        "--royalty-rate",
        "5%",
        "--tax-rate",
        "0.25",
        "--discount-rate",
        "0.12",
        "--number",
        some,
        "--as-of",
        "2025-01-01",
        "--cost",
        "500000",
    )
    assert valued["patents"][0]["patent_id"] == some
    assert valued["income"]["method"] == "relief from royalty"
    assert valued["cost"]["obsolescence_basis"] == "age"


def test_money_alone_is_the_worked_example(tmp_path: Path) -> None:
    done = ipops(
        tmp_path / "none",
        "value",
        "money",
        "--revenue",
        "1000000,1100000,1210000",
        "--royalty-rate",
        "0.05",
        "--tax-rate",
        "0.25",
        "--discount-rate",
        "0.12",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["income"]["value"] == "98663.42"


def test_errors_are_one_line_with_an_exit_code(home: Path, tmp_path: Path) -> None:
    unknown = ipops(home, "value", "show", "CN999999999")
    assert unknown.returncode == 3 and "no patent 'CN999999999'" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text(run("value", "scheme", "default").replace("legal = 0.3623", "legal = 0.5"))
    checked = ipops(home, "value", "scheme", str(bad))
    assert checked.returncode == 2
    assert f"{bad}:" in checked.stderr and "sum to" in checked.stderr
    rate = ipops(home, "value", "money", "--revenue", "1", "--royalty-rate", "2",
                 "--tax-rate", "0", "--discount-rate", "0.1")  # fmt: skip
    assert rate.returncode == 2 and "--royalty-rate" in rate.stderr
    field = ipops(home, "value", "top", "--field", "99")
    assert field.returncode == 2 and "no WIPO field 99" in field.stderr


def test_money_as_text_reads_the_same_figures(tmp_path: Path) -> None:
    args = ["--revenue", "1000000,1100000,1210000", "--royalty-rate", "0.05"]
    args += ["--tax-rate", "0.25", "--discount-rate", "0.12", "--cost", "100000"]
    args += ["--obsolescence", "0.3"]
    done = ipops(tmp_path / "none", "value", "money", *args)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    third = next(line for line in lines if "45375.00" in line)
    assert "1210000.00" in third and "0.711780" in third and "32297.03" in third
    text = " ".join(done.stdout.split())  # the console wraps long lines
    assert "life 3 years (forecast); present value 98663.42 CNY" in text
    assert "tax amortisation" not in text
    assert "value 98663.42 CNY (relief from royalty; to the fen, ROUND_HALF_UP," in text
    assert text.endswith("cost approach: 100000.00 x (1 - 0.300000) = 70000.00 CNY (given)")
