"""`ipops users ...` and `ipops audit`: changes are audited as the OS user with origin cli."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipops.cli.app import app

PASSWORD = "Correct-horse-7"


@pytest.fixture
def home(tmp_path: Path, registry_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IPOPS_HOME", str(tmp_path / "ws"))
    monkeypatch.setenv("IPOPS_DATABASE_URL", registry_url)
    run("init")
    return tmp_path / "ws"


def run(*args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_add_list_passwd_and_audit(home: Path) -> None:
    added = json.loads(
        run(
            "users",
            "add",
            "Li.Wei",
            "--role",
            "bank_officer",
            "--org",
            "南京银行",
            "--display-name",
            "李伟",
            "--password-stdin",
            "--json",
            stdin=PASSWORD + "\n",
        )
    )
    assert added["username"] == "li.wei"
    assert added["organisation"] == "南京银行"
    run("users", "add", "boss", "--role", "platform_admin", "--password-stdin", stdin=PASSWORD)
    users = json.loads(run("users", "list", "--json"))
    assert [(u["username"], u["role"]) for u in users] == [
        ("boss", "platform_admin"),
        ("li.wei", "bank_officer"),
    ]
    assert "password_hash" not in json.dumps(users)
    run("users", "passwd", "li.wei", "--password-stdin", stdin="Brand-new-pass-2\n")
    records = json.loads(run("audit", "--object", f"user:{added['id']}", "--json"))
    assert [r["action"] for r in records] == ["user.password_changed", "user.created"]
    assert all(r["actor"].startswith("cli:") and r["origin"] == "cli" for r in records)
    orgs = json.loads(run("audit", "--object", "organisation", "--json"))
    assert orgs[0]["after"]["kind"] == "bank"
    table = run("audit", "--user", records[0]["actor"])
    assert "4 records" in table and "user.created" in table


def test_prompted_password_must_be_typed_twice(home: Path) -> None:
    result = CliRunner().invoke(
        app, ["users", "add", "li", "--role", "analyst"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "added li (analyst)" in result.stdout


def test_errors_are_one_line_with_an_exit_code(home: Path) -> None:
    env = {**os.environ, "IPOPS_HOME": str(home)}
    weak = subprocess.run(
        [
            sys.executable,
            "-m",
            "ipops.cli.app",
            "users",
            "add",
            "li",
            "--role",
            "analyst",
            "--password-stdin",
        ],
        input="short\n",
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert weak.returncode == 2
    assert "password: must be at least 10 characters long" in weak.stderr
    assert "Traceback" not in weak.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "ipops.cli.app", "users", "passwd", "nobody", "--password-stdin"],
        input=PASSWORD,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert missing.returncode == 3
    assert "no user 'nobody'" in missing.stderr
