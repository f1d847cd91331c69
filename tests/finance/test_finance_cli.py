"""The `ipops finance` calculators through the real command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

IPOPS = [sys.executable, "-c", "from ipops.cli.app import main; main()"]


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*IPOPS, "finance", *args],
        capture_output=True,
        text=True,
        env={"IPOPS_HOME": str(home), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_compensation_calculator_json(tmp_path: Path) -> None:
    done = run(
        "compensation",
        "--principal",
        "1000000",
        "--repaid",
        "200000",
        "--days-overdue",
        "75",
        "--bank-weak-share",
        "0.2",
        "--rate",
        "0.05",
        "--benchmark-rate",
        "0.0435",
        "--json",
        home=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["eligible"] is True and payload["ratio"] == "0.90"
    assert payload["amount"] == "720000.00"
    assert [r["code"] for r in payload["reasons"]] == [
        "size",
        "rate",
        "collateral",
        "overdue",
        "ratio",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--principal", "-5"), "principal: must be more than 0"),
        (("--principal", "abc"), "principal: not a number"),
        (("--policy", "nosuch"), "no policy 'nosuch'"),
    ],
)
def test_compensation_calculator_refuses_bad_input(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    base = {
        "--principal": "1000000",
        "--repaid": "0",
        "--days-overdue": "60",
        "--bank-weak-share": "0.2",
        "--rate": "0.05",
        "--benchmark-rate": "0.0435",
    }
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    done = run("compensation", *[x for kv in base.items() for x in kv], home=tmp_path)
    assert done.returncode in (2, 3)
    assert message in done.stderr


def test_workdays(tmp_path: Path) -> None:
    done = run("workdays", "2024-09-27", "2024-10-08", "--json", home=tmp_path)
    assert json.loads(done.stdout)["working_days"] == 3
    outside = run("workdays", "2030-12-20", "2031-01-10", home=tmp_path)
    assert outside.returncode == 2
    assert "2030 is not covered" in outside.stderr
