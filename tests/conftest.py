"""Shared fixtures: the real data folder (skips when absent) and registry databases."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import throwaway_postgres
from realdata import SHARED_DATA, data_root, shared_path

__all__ = ["SHARED_DATA", "shared_path"]


@pytest.fixture
def shared_data() -> Path:
    """shared/data beside the clone, or the vendored copies of its folders (tests/realdata.py)."""
    return data_root()


def _postgres_base_url() -> str | None:
    url = os.environ.get("IPOPS_TEST_POSTGRES_URL")
    if not url and os.environ.get("IPOPS_REQUIRE_POSTGRES"):
        pytest.fail("IPOPS_REQUIRE_POSTGRES is set but IPOPS_TEST_POSTGRES_URL is not")
    return url


_POSTGRES_FIXTURES = {"registry_url", "module_registry_url", "new_database"}
_OWN_CLUSTER: dict[str, str] = {}  # "url" once this process started its throw-away cluster


# The longest test files, longest first (``pytest --durations``, two workers). They are sent
# to the workers first so that none of them is left running alone at the end of the run
# (the Makefile passes ``--no-loadscope-reorder``, or xdist would send files with many tests
# first). A file not listed keeps its place after these.
LONGEST_FIRST = (
    "api/test_api_schemathesis_negative.py",
    "api/test_api_schemathesis_positive.py",
    "geo/test_engines.py",
    "api/test_api_authz_matrix.py",
    "web/test_zh_pages.py",
    "pool/test_pool_cli_api.py",
    "finance/test_finance_cli.py",
    "report/test_report_pages.py",
    "web/test_role_browser.py",
    "golden/test_golden.py",
    "cli/test_cli_safety.py",
    "report/test_report_browser.py",
    "report/test_report_real.py",
    "cli/test_cli.py",
    "valuation/test_value_cli.py",
    "report/test_report_cli.py",
)


def _longest_first(items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    tests_root = Path(__file__).parent

    def key(item: pytest.Item) -> int:
        try:
            name = item.path.relative_to(tests_root).as_posix()
        except ValueError:
            return len(rank)
        return rank.get(name, len(rank))

    items.sort(key=key)  # stable: the order inside a file and among the rest is kept


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Longest files first (``LONGEST_FIRST``). Start a throw-away PostgreSQL cluster when a
    collected test may use PostgreSQL and IPOPS_TEST_POSTGRES_URL (which wins: CI sets it) is
    not set; one line when it cannot."""
    _longest_first(items)
    if os.environ.get("IPOPS_TEST_POSTGRES_URL") or os.environ.get("IPOPS_REQUIRE_POSTGRES"):
        return
    wanted = any(
        "postgres" in item.nodeid.lower()
        or _POSTGRES_FIXTURES & set(getattr(item, "fixturenames", ()))
        for item in items
    )
    if not wanted:
        return
    try:
        url = throwaway_postgres.start()
    except RuntimeError as error:
        _OWN_CLUSTER["skip"] = str(error)
        return
    _OWN_CLUSTER["url"] = url
    os.environ["IPOPS_TEST_POSTGRES_URL"] = url


def pytest_report_header(config: pytest.Config) -> str:
    if "url" in _OWN_CLUSTER:
        return f"postgresql: throw-away cluster at {_OWN_CLUSTER['url']}"
    if os.environ.get("IPOPS_TEST_POSTGRES_URL"):
        return "postgresql: IPOPS_TEST_POSTGRES_URL"
    if throwaway_postgres.server_binaries() is not None:
        return "postgresql: a throw-away cluster per test process, started when a test needs it"
    return "postgresql: not installed, its variants skip (" + throwaway_postgres.INSTALL_HINT + ")"


def _skip_without_postgres() -> None:
    reason = _OWN_CLUSTER.get("skip", "set IPOPS_TEST_POSTGRES_URL")
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite registry per test process; each test gets a copy (migrating takes
    seconds, copying milliseconds)."""
    from ipops.registry.db import upgrade

    path = tmp_path_factory.mktemp("template") / "registry.sqlite"
    upgrade(f"sqlite:///{path}")
    return path


def _copy_sqlite(template: Path, target: Path) -> None:
    with sqlite3.connect(template) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    copy.close()


@pytest.fixture(scope="session")
def _postgres_template() -> Iterator[str | None]:
    """On the throw-away cluster: a migrated template database (copied per test); with an
    external IPOPS_TEST_POSTGRES_URL: None (each test migrates its own schema there)."""
    if "url" not in _OWN_CLUSTER:
        yield None
        return
    import sqlalchemy as sa

    from ipops.registry.db import upgrade

    name = f"ipops_template_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(_OWN_CLUSTER["url"], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    upgrade(_database_url(_OWN_CLUSTER["url"], name))
    admin.dispose()
    yield name


def _database_url(base: str, database: str) -> str:
    import sqlalchemy as sa

    return sa.make_url(base).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def registry_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    _sqlite_template: Path,
    _postgres_template: str | None,
) -> Iterator[str]:
    """A migrated, empty registry database: SQLite file, and PostgreSQL (own database or
    schema) on the throw-away cluster or IPOPS_TEST_POSTGRES_URL."""
    if request.param == "sqlite":
        path = tmp_path / "registry.sqlite"
        _copy_sqlite(_sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    base = _postgres_base_url()
    if not base:
        _skip_without_postgres()
        return
    if _postgres_template is None:
        yield from _postgres_schema_url(base)
        return
    yield from _postgres_database_url(base, _postgres_template)


def _postgres_database_url(base: str, template: str) -> Iterator[str]:
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    try:
        yield _database_url(base, name)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def _postgres_schema_url(base: str) -> Iterator[str]:
    import sqlalchemy as sa

    from ipops.registry.db import upgrade

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base else "?"
    url = f"{base}{separator}options=-csearch_path%3D{schema}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
