"""`corpus query` reads the corpus views and nothing else; an unusable registry location is
one clear line (no traceback); an up-to-date registry is opened without migrating."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from ipops.registry import db
from ipops.registry.db import head_revision, open_registry, upgrade


def ipops(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "IPOPS_HOME": str(home), **env}
    environment.pop("IPOPS_DATABASE_URL", None) if "IPOPS_DATABASE_URL" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "ipops.cli.app", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("safety") / "ws"
    assert ipops(home, "init").returncode == 0
    generated = ipops(home, "corpus", "generate", "--patents", "50", "--seed", "3")
    assert generated.returncode == 0, generated.stderr
    return home


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/hostname')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_parquet('/tmp/*.parquet')",
    ],
)
def test_corpus_query_cannot_read_files(home: Path, sql: str) -> None:
    done = ipops(home, "corpus", "query", sql)
    assert done.returncode == 2, done.stdout
    assert done.stderr.startswith("error: sql: only the corpus views can be read")
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_corpus_query_still_reads_the_views(home: Path) -> None:
    done = ipops(home, "corpus", "query", "SELECT count(*) AS n FROM patents", "--json")
    assert done.returncode == 0, done.stderr
    assert '"n": 50' in done.stdout


def test_a_missing_registry_folder_is_one_clear_line(home: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gone' / 'registry.sqlite'}"
    for command in (("users", "list"), ("corpus", "runs")):
        done = ipops(home, *command, IPOPS_DATABASE_URL=url)
        assert done.returncode == 5, done.stderr
        assert "cannot use the registry at" in done.stderr and "does not exist" in done.stderr
        assert "Traceback" not in done.stderr and "OperationalError" not in done.stderr


def test_a_registry_that_is_not_a_file_is_one_clear_line(home: Path, tmp_path: Path) -> None:
    (tmp_path / "registry.sqlite").mkdir()
    done = ipops(home, "users", "list", IPOPS_DATABASE_URL=f"sqlite:///{tmp_path}/registry.sqlite")
    assert done.returncode == 5 and "not a file" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_registry_folder_is_one_clear_line(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        done = ipops(home, "users", "list", IPOPS_DATABASE_URL=f"sqlite:///{folder}/r.sqlite")
    finally:
        folder.chmod(0o755)
    assert done.returncode == 5 and "read-only" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unreachable_database_server_is_one_clear_line(home: Path) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    done = ipops(home, "users", "list", IPOPS_DATABASE_URL=url)
    assert done.returncode == 5 and "cannot use the registry at" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_up_to_date_registry_is_not_migrated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'registry.sqlite'}"
    upgrade(url)
    migrations: list[str] = []
    monkeypatch.setattr(db, "upgrade", migrations.append)  # note instead of migrating
    opened = open_registry(url)
    try:
        with opened.connect() as connection:
            version = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            assert version.scalar() == head_revision()
    finally:
        opened.dispose()
    assert migrations == []
    behind = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    open_registry(behind).dispose()
    assert migrations == [behind]
